#!/bin/sh
# heartbeat.sh - HeartbeatSeconds on the real clock through the endpoint:
# heartbeats (SendTaskHeartbeat) keep a callback task alive past its
# HeartbeatSeconds until SendTaskSuccess (the AWS CLI) completes it; with
# none, the task fails with States.HeartbeatTimeout (TaskTimedOut).  What
# is checked is the outcome and the history's order, never a duration:
# the heartbeats go on for longer than HeartbeatSeconds by construction.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/callbacks/lib.sh"
command -v curl > /dev/null || { echo "no curl: skipped"; exit 77; }

here="$top_srcdir/tests/callbacks"
build_program "$here/heartbeat.json" "$WORK/heartbeat" --name heartbeat
cat > "$WORK/hand.sh" <<EOS
cat > /dev/null
printf '%s\n' "\$ASL2C_TASK_TOKEN" >> "$WORK/tokens"
echo '{"queued": true}'
EOS
tokens() { [ "$(wc -l < "$WORK/tokens")" -ge "$1" ]; }

# Heartbeats every 0.2 s for 4 s: twice the 2 s of HeartbeatSeconds.
: > "$WORK/tokens"
bg_start $RUN "$WORK/heartbeat" --listen 127.0.0.1:0 --listen-file "$WORK/url" \
	--history "$WORK/h.json" --handler notify="sh '$WORK/hand.sh'"
wait_until tokens 1
token=$(sed -n 1p "$WORK/tokens")
n=0
while [ $n -lt 20 ]; do
	code=$(post SendTaskHeartbeat "{\"taskToken\": \"$token\"}")
	[ "$code" = 200 ] || fail "heartbeat $n: $code $(cat "$WORK/curl.out") $(cat "$WORK/bg.err")"
	n=$((n + 1))
	sleep 0.2
done
sfn send-task-success --task-token "$token" --task-output '{"alive": true}' > /dev/null ||
	fail "success"
bg_wait 0
jq_check "$WORK/bg.out" '. == {"alive": true}' || fail "output: $(cat "$WORK/bg.out")"
jq_check "$WORK/h.json" '[.events[].type] | index("TaskSucceeded") != null and index("TaskTimedOut") == null' ||
	fail "events: $(jq -c '[.events[].type]' "$WORK/h.json")"
ok "heartbeats keep the task alive past HeartbeatSeconds; success completes it"

# No heartbeat: States.HeartbeatTimeout.
: > "$WORK/tokens"
bg_start $RUN "$WORK/heartbeat" --listen 127.0.0.1:0 --listen-file "$WORK/url" \
	--history "$WORK/h2.json" --handler notify="sh '$WORK/hand.sh'"
bg_wait 1
grep -q '"Error":"States.HeartbeatTimeout"' "$WORK/bg.err" || fail "timeout: $(cat "$WORK/bg.err")"
jq_check "$WORK/h2.json" '.events[-2] | .type == "TaskTimedOut" and .taskTimedOutEventDetails.error == "States.HeartbeatTimeout"' ||
	fail "TaskTimedOut: $(jq -c '.events[-2]' "$WORK/h2.json")"
ok "a missing heartbeat times the task out: States.HeartbeatTimeout"

echo "heartbeat: $passed passed, 0 failed"
