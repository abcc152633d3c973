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

# An activity's heartbeats count from a worker's taking it: on a clock
# 100 times faster, its HeartbeatSeconds (300 s) run out 3 s after the
# worker took it, long before its TimeoutSeconds (3000 s) from the start.
jq '.States.Work.TimeoutSeconds = 3000 | .States.Work.End = true |
	del(.States.Work.Next, .States.Check, .States.Caught)' "$here/activity.json" \
	> "$WORK/activity.json"
build_program "$WORK/activity.json" "$WORK/activity" --name activity
bg_start $RUN "$WORK/activity" --input '{"job": 1}' --time-scale 0.01 \
	--listen 127.0.0.1:0 --listen-file "$WORK/url" --history "$WORK/h3.json"
sfn get-activity-task --activity-arn arn:aws:states:us-east-1:123456789012:activity:work \
	--worker-name slow > "$WORK/task.json" || fail "get-activity-task"
bg_wait 1
grep -q '"Error":"States.HeartbeatTimeout"' "$WORK/bg.err" || fail "activity: $(cat "$WORK/bg.err")"
[ "$(jq -c '[.events[].type]' "$WORK/h3.json")" = '["ExecutionStarted","TaskStateEntered","ActivityScheduled","ActivityStarted","ActivityTimedOut","ExecutionFailed"]' ] ||
	fail "activity: $(jq -c '[.events[].type]' "$WORK/h3.json")"
jq_check "$WORK/h3.json" '.events[4].activityTimedOutEventDetails.error == "States.HeartbeatTimeout"' ||
	fail "ActivityTimedOut: $(jq -c '.events[4]' "$WORK/h3.json")"
ok "an activity taken and not heard from: States.HeartbeatTimeout"

echo "heartbeat: $passed passed, 0 failed"
