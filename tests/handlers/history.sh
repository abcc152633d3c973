#!/bin/sh
# history.sh - --history and --describe; the virtual clock and determinism;
# every exit status.  The event sequences are AWS's for the same machines.
. "${top_srcdir:-.}/tests/setup.sh"

here="$top_srcdir/tests/handlers"
# sleeps PROGRAM ARGS...: how many times PROGRAM sleeps (nanosleep), by
# strace; nothing when strace cannot count (not installed, valgrind, or a
# sanitizer build: LeakSanitizer cannot run under ptrace).  A count, not a
# time: the machines are shared.
sleeps() {
	if [ -n "${VALGRIND:-}" ] || [ -n "${SAN_CFLAGS:-}" ] || ! command -v strace > /dev/null; then
		return 0
	fi
	strace -f -qq -o "$WORK/strace" -e trace=nanosleep,clock_nanosleep timeout -k 10 "$HANG_SECS" "$@" > /dev/null 2>&1 || :
	grep -c nanosleep "$WORK/strace" || :
}
types() { jq -r '.events[] | "\(.id) \(.previousEventId) \(.type)"' "$1" | tr '\n' ','; }
fixed="--seed 42 --start-time 2026-01-01T00:00:00Z --name run"

# The fan-in example: the events AWS records, in item order although the
# iterations run in parallel.
build_program "$top_srcdir/examples/fan-in-unaligned/machine.json" "$WORK/fan" --name fan-in-unaligned
OMP_NUM_THREADS=4 expect 0 $RUN "$WORK/fan" $fixed --history "$WORK/fan1.json"
want="1 0 ExecutionStarted,2 0 TaskStateEntered,3 2 TaskScheduled,4 3 TaskStarted,5 4 TaskSucceeded,6 5 TaskStateExited,\
7 6 MapStateEntered,8 7 MapStateStarted,\
9 8 MapIterationStarted,10 9 TaskStateEntered,11 10 TaskScheduled,12 11 TaskStarted,13 12 TaskSucceeded,14 13 TaskStateExited,15 14 MapIterationSucceeded,\
16 14 MapIterationStarted,17 16 TaskStateEntered,18 17 TaskScheduled,19 18 TaskStarted,20 19 TaskSucceeded,21 20 TaskStateExited,22 21 MapIterationSucceeded,\
23 22 MapStateSucceeded,24 22 MapStateExited,\
25 24 TaskStateEntered,26 25 TaskScheduled,27 26 TaskStarted,28 27 TaskSucceeded,29 28 TaskStateExited,\
30 29 PassStateEntered,31 30 PassStateExited,32 31 ExecutionSucceeded,"
[ "$(types "$WORK/fan1.json")" = "$want" ] || fail "fan-in history: $(types "$WORK/fan1.json")"
jq_check "$WORK/fan1.json" '.events[8].mapIterationStartedEventDetails == {"index": 0, "name": "Fan-out hourly partitions"}
	and .events[7].mapStateStartedEventDetails.length == 2
	and (.events[2].taskScheduledEventDetails | .resourceType == "lambda" and .resource == "invoke" and (.parameters | fromjson | .FunctionName | endswith(":partitions_detector")))
	and (.events[9].stateEnteredEventDetails.input | fromjson) == {"PartitionNumber": 0}
	and (.events[-1].executionSucceededEventDetails.output | fromjson | .Payload) == true
	and .events[0].timestamp == "2026-01-01T00:00:00.000Z"' ||
	fail "fan-in history details"
ok "fan-in history: AWS's event sequence"

# Two seeded runs, many threads: byte-identical output and history.
cp "$WORK/out" "$WORK/fan1.out"
OMP_NUM_THREADS=4 expect 0 $RUN "$WORK/fan" $fixed --history "$WORK/fan2.json"
[ -s "$WORK/fan1.out" ] || fail "two seeded runs: no output"
cmp "$WORK/fan1.out" "$WORK/out" || fail "two seeded runs: outputs differ"
cmp "$WORK/fan1.json" "$WORK/fan2.json" || fail "two seeded runs: histories differ"
ok "two seeded runs are byte-identical (output and history)"

# --describe: DescribeExecution's shape.
expect 0 $RUN "$WORK/fan" $fixed --describe
jq_check "$WORK/out" '.executionArn == "arn:aws:states:us-east-1:000000000000:execution:fan-in-unaligned:run"
	and .stateMachineArn == "arn:aws:states:us-east-1:000000000000:stateMachine:fan-in-unaligned"
	and .name == "run" and .status == "SUCCEEDED" and .startDate == "2026-01-01T00:00:00Z"
	and .input == "{}" and (.output | fromjson | .Payload) == true' ||
	fail "--describe: $(cat "$WORK/out")"
ok "--describe"

# Retry then Catch: AWS's sequence for the legacy Lambda form.
build_program "$here/retry.json" "$WORK/retry"
expect 0 $RUN "$WORK/retry" $fixed --time-scale 0 --history "$WORK/retry.json" \
	--handler 'flaky=echo "{\"errorType\": \"Flaky\", \"errorMessage\": \"no\"}"; exit 1'
want="1 0 ExecutionStarted,2 0 TaskStateEntered,\
3 2 LambdaFunctionScheduled,4 3 LambdaFunctionStarted,5 4 LambdaFunctionFailed,\
6 5 LambdaFunctionScheduled,7 6 LambdaFunctionStarted,8 7 LambdaFunctionFailed,\
9 8 LambdaFunctionScheduled,10 9 LambdaFunctionStarted,11 10 LambdaFunctionFailed,\
12 11 TaskStateExited,13 12 PassStateEntered,14 13 PassStateExited,15 14 ExecutionSucceeded,"
[ "$(types "$WORK/retry.json")" = "$want" ] || fail "Retry/Catch history: $(types "$WORK/retry.json")"
jq_check "$WORK/retry.json" '(.events[4].lambdaFunctionFailedEventDetails | .error == "Flaky" and (.cause | fromjson | .errorMessage == "no"))
	and .events[5].timestamp == "2026-01-01T00:00:02.000Z" and .events[8].timestamp == "2026-01-01T00:00:06.000Z"
	and (.events[-1].executionSucceededEventDetails.output | fromjson | .error.Error) == "Flaky"' ||
	fail "Retry/Catch history details"
ok "Retry/Catch history: AWS's event sequence, backoff on the virtual clock"

# --time-scale 0: a one-hour Wait at once (the run never sleeps: counted
# by strace, not timed; and a real hour meets the hang detector); the
# virtual clock moves an hour; the runtime error quotes the id the history
# gives the failing state.
build_program "$here/clock.json" "$WORK/clock"
expect 1 nohang $RUN "$WORK/clock" $fixed --time-scale 0 --history "$WORK/clock.json"
jq_check "$WORK/clock.json" '[.events[] | select(.type == "PassStateExited")][0].stateExitedEventDetails.output | fromjson | .t == "2026-01-01T01:00:00Z"' ||
	fail "the virtual clock did not move an hour"
id=$(jq '.events[] | select(.type == "PassStateEntered" and .stateEnteredEventDetails.name == "Check") | .id' "$WORK/clock.json")
jq_check "$WORK/err" '.Error == "States.Runtime" and (.Cause | startswith("An error occurred while executing the state '"'"'Check'"'"' (entered at the event id #" + $id + ")."))' --arg id "$id" ||
	fail "the cause does not quote event #$id: $(cat "$WORK/err")"
[ "$(jq -r '.events[-1].type' "$WORK/clock.json")" = ExecutionFailed ] || fail "no ExecutionFailed"
cp "$WORK/clock.json" "$WORK/clock1.json"
expect 1 nohang $RUN "$WORK/clock" $fixed --time-scale 0 --history "$WORK/clock.json"
cmp "$WORK/clock1.json" "$WORK/clock.json" || fail "seeded States.UUID: histories differ"
n=$(sleeps "$WORK/clock" $fixed --time-scale 0)
[ "${n:-0}" -eq 0 ] || fail "a one-hour Wait at --time-scale 0 slept $n times"
# The count can fail: the same Wait scaled to about 1 s sleeps.
n1=$(sleeps "$WORK/clock" $fixed --time-scale 0.0003)
[ -z "$n1" ] || [ "$n1" -gt 0 ] || fail "strace counted no sleep in a Wait of about 1 s"
ok "--time-scale 0: a one-hour Wait without a sleep (${n:-not counted}), an hour on the virtual clock; event ids in causes match the history"

# A 30 s Wait under a 10 s execution timeout: TIMED_OUT (2), at once (no
# sleep, counted), at 10 s on the virtual clock.
build_program "$here/timeout.json" "$WORK/timeout"
expect 2 nohang $RUN "$WORK/timeout" $fixed --time-scale 0 --history "$WORK/timeout.json"
jq_check "$WORK/err" '.Error == "States.Timeout"' || fail "timeout: $(cat "$WORK/err")"
jq_check "$WORK/timeout.json" '.events[-1].type == "ExecutionTimedOut" and .events[-1].timestamp == "2026-01-01T00:00:10.001Z"' ||
	fail "no ExecutionTimedOut at 10 s: $(jq -c '.events[-1]' "$WORK/timeout.json")"
n=$(sleeps "$WORK/timeout" $fixed --time-scale 0)
[ "${n:-0}" -eq 0 ] || fail "the timeout: slept $n times at --time-scale 0"
ok "a 30 s Wait under TimeoutSeconds 10 times out at once (${n:-not counted} sleeps), exit 2"

# A Fail state without Error or Cause: the execution has no error and no
# cause.  DescribeExecution and the ExecutionFailed event leave the
# members out (AWS's API omits what is null), and so does stderr: never
# an empty string.
for f in '{}' '{"Error": "OnlyError"}' '{"Cause": "only a cause"}'; do
	jq -n --argjson f "$f" '{StartAt: "F", States: {F: ({Type: "Fail"} + $f)}}' > "$WORK/bare.json"
	build_program "$WORK/bare.json" "$WORK/bare"
	expect 1 $RUN "$WORK/bare" $fixed --describe --history "$WORK/bare-h.json"
	jq_check "$WORK/bare-h.json" '.events[-1] | .type == "ExecutionFailed" and
		.executionFailedEventDetails == ($f | with_entries(.key |= ascii_downcase))' --argjson f "$f" ||
		fail "$f: ExecutionFailed: $(jq -c '.events[-1]' "$WORK/bare-h.json")"
	jq_check "$WORK/out" '.status == "FAILED" and .error == $f.Error and .cause == $f.Cause
		and (has("error") == ($f | has("Error"))) and (has("cause") == ($f | has("Cause")))' --argjson f "$f" ||
		fail "$f: --describe: $(cat "$WORK/out")"
	[ "$(tail -n 1 "$WORK/err")" = "$(printf '%s' "$f" | jq -c .)" ] ||
		fail "$f: stderr: $(cat "$WORK/err")"
done
ok "a Fail state without Error or Cause reports none (describe, history, stderr)"

# Every exit status (3 is tested in handlers.sh with SIGTERM).
expect 0 $RUN "$WORK/fan" $fixed
expect 1 $RUN "$WORK/clock" --time-scale 0
expect 2 $RUN "$WORK/timeout" --time-scale 0
expect 64 $RUN "$WORK/fan" --time-scale fast
expect 64 $RUN "$WORK/fan" --handler =nothing
expect 65 $RUN "$WORK/fan" --input '[1,'
$RUN "$WORK/fan" --help > "$WORK/help"
for w in --history --describe --handlers-lib --handler --mock-config --test-case \
	--seed --start-time --time-scale ' 3 ' ' 64 ' ' 65 ' ' 74 '; do
	grep -q -- "$w" "$WORK/help" || fail "--help does not document '$w'"
done
# A history that cannot be written: 74 before the execution runs, no file.
expect 74 $RUN "$WORK/fan" --history "$WORK/no/such/dir/h.json"
grep -q 'cannot create' "$WORK/err" || fail "no message for an unwritable history"
[ ! -e "$WORK/no" ] || fail "a file was written"
[ ! -s "$WORK/out" ] || fail "the execution ran"
ok "exit statuses 0, 1, 2, 64, 65, 74 and --help"

echo "history: $passed passed, 0 failed"
