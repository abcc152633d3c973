#!/bin/sh
# restart.sh - kill -9 asl2c serve while executions run, start it again:
# nothing finished is lost; what was running is FAILED with a cause that
# says so; what was queued runs; an execution whose program had finished
# while the service was stopped is taken from its files.  No program
# outlives the service.  No sleep stands for "by now it has started"
# (the machines are shared): the test waits for the programs' processes.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/serve/lib.sh"
cd "$WORK"

# programs: the pids of the service's programs that run now.
programs() {
	pgrep -f "$STATE/programs/" || :
}
# wait_programs N: until N programs run (a hang detector: HANG_SECS).
wait_programs() {
	i=0
	while [ "$(programs | wc -l)" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -le $((HANG_SECS * 10)) ] || fail "$(programs | wc -l) programs run, not $1"
		sleep 0.1
	done
}

start_serve --max-running 2
cat > quick.json <<'J'
{"StartAt": "Add", "States": {
  "Add": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)", "items.$": "$.items"}, "Next": "Items"},
  "Items": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "Echo",
    "States": {"Echo": {"Type": "Pass", "End": true}}}, "ResultPath": "$.echoed", "End": true}}}
J
cat > slow.json <<'J'
{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}
J
cat > late.json <<'J'
{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}
J
aws stepfunctions create-state-machine --name quick --definition file://quick.json \
	--role-arn arn:aws:iam::000000000000:role/r > quick.sm
aws stepfunctions create-state-machine --name slow --definition file://slow.json \
	--role-arn arn:aws:iam::000000000000:role/r > slow.sm
quick=$(jget quick.sm 'd["stateMachineArn"]')
slow=$(jget slow.sm 'd["stateMachineArn"]')
aws stepfunctions create-state-machine --name late --definition file://late.json \
	--role-arn arn:aws:iam::000000000000:role/r > late.sm
late=$(jget late.sm 'd["stateMachineArn"]')
for i in $(seq 20); do
	aws stepfunctions start-execution --state-machine-arn "$quick" --name "q$i" \
		--input "{\"n\": $i, \"items\": [1, 2, 3]}" > /dev/null
done
xq=$(echo "$quick" | sed 's/stateMachine/execution/')
xs=$(echo "$slow" | sed 's/stateMachine/execution/')
xl=$(echo "$late" | sed 's/stateMachine/execution/')
for i in $(seq 20); do
	wait_status "$xq:q$i" SUCCEEDED
done
aws stepfunctions get-execution-history --execution-arn "$xq:q7" > before.json
ok "20 executions finished"

# Two run (--max-running 2), in an hour's Wait they never finish before
# the service is killed; two wait in the queue behind them, and run (1 s)
# after the restart.  Nothing here depends on how fast the machine is.
for i in 1 2 3 4; do
	[ "$i" -le 2 ] && s=3600 || s=1
	aws stepfunctions start-execution --state-machine-arn "$slow" --name "s$i" \
		--input "{\"s\": $s}" > /dev/null
done
wait_programs 2
running=$(programs)
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null || :
SERVE_PID=
# shellcheck disable=SC2086
gone $running || fail "programs outlived the service"
if pgrep -f "$STATE/programs/" > /dev/null; then
	pgrep -af "$STATE/programs/" >&2
	fail "programs outlived the service"
fi
ok "kill -9 while executions run; no program outlives the service"

start_serve --max-running 4
for i in $(seq 20); do
	aws stepfunctions describe-execution --execution-arn "$xq:q$i" > d.json
	[ "$(jget d.json 'd["status"]')" = SUCCEEDED ] &&
	[ "$(jget d.json 'json.loads(d["output"])["n"]')" = $((i + 1)) ] ||
		fail "q$i after the restart: $(cat d.json)"
done
aws stepfunctions get-execution-history --execution-arn "$xq:q7" > after.json
cmp before.json after.json || fail "q7's history changed across the restart"
ok "after the restart: the 20 finished executions, outputs and histories whole"

failed=0 succeeded=0
for i in 1 2 3 4; do
	aws stepfunctions describe-execution --execution-arn "$xs:s$i" > d.json
	case $(jget d.json 'd["status"]') in
	FAILED)
		grep -q "asl2c serve stopped while this execution was running" d.json ||
			fail "s$i's cause: $(cat d.json)"
		aws stepfunctions get-execution-history --execution-arn "$xs:s$i" > h.json
		[ "$(jget h.json 'd["events"][-1]["type"]')" = ExecutionFailed ] ||
			fail "s$i's history: $(cat h.json)"
		failed=$((failed + 1)) ;;
	RUNNING|SUCCEEDED)
		wait_status "$xs:s$i" SUCCEEDED
		succeeded=$((succeeded + 1)) ;;
	*) fail "s$i: $(cat d.json)" ;;
	esac
done
[ "$failed" -eq 2 ] && [ "$succeeded" -eq 2 ] ||
	fail "$failed failed, $succeeded ran after the restart (not 2 and 2)"
ok "the two that were running: FAILED, with the cause; the two queued ran after the restart"

# A program that finishes while the service is stopped (SIGSTOP), before
# the service is killed: its results are taken from its files.  (Its 5 s
# Wait leaves the test time to see it run and stop the service: the one
# place here where a machine slower than that would fail the test.)
aws stepfunctions start-execution --state-machine-arn "$late" --name late > /dev/null
wait_programs 1
running=$(programs)
kill -STOP "$SERVE_PID"
# shellcheck disable=SC2086
GONE_SECS=$HANG_SECS gone $running || fail "late: the program did not finish"
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null || :
SERVE_PID=
start_serve
aws stepfunctions describe-execution --execution-arn "$xl:late" > d.json
[ "$(jget d.json 'd["status"]')" = SUCCEEDED ] || fail "late: $(cat d.json)"
aws stepfunctions get-execution-history --execution-arn "$xl:late" > h.json
[ "$(jget h.json '[e["type"] for e in d["events"]]')" = \
  "['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']" ] ||
	fail "late's history: $(cat h.json)"
ok "an execution that ended while the service was stopped: SUCCEEDED from its files"
stop_serve
echo "restart: $passed passed, 0 failed"
