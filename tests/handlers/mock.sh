#!/bin/sh
# mock.sh - mocked tasks in Step Functions Local's MockConfigFile format:
# Return and Throw, ranges, one counter per state shared by retries and Map
# iterations, running past the last response fails the execution, unmocked
# states call their handlers, SFN_MOCK_CONFIG, and the file's checks.
. "${top_srcdir:-.}/tests/setup.sh"

here="$top_srcdir/tests/handlers"
cfg="$here/mock-config.json"

# The state machine's name is the key under StateMachines.
build_program "$here/mock.json" "$WORK/mock" --name mock
run() { OMP_NUM_THREADS=2 $RUN "$WORK/mock" --time-scale 0 --input '{"items": [1, 2, 3]}' "$@"; }

# Return, a range, and the unmocked Detect calling its (built-in) handler.
expect 0 run --mock-config "$cfg" --test-case HappyPath
[ "$(jq -c '{map, detect}' "$WORK/out")" = '{"map":["a","b","b"],"detect":{"found":[0,1]}}' ] ||
	fail "HappyPath: $(cat "$WORK/out")"
ok "Return, range \"1-2\", Map iterations share the counter, unmocked state calls its handler"

# Throw is retried; retries consume invocations: item 0 takes 0..3.
expect 0 run --mock-config "$cfg" --test-case RetryPath --history "$WORK/retry.json"
[ "$(jq -c .map "$WORK/out")" = '["ok","ok2","ok2"]' ] || fail "RetryPath: $(cat "$WORK/out")"
[ "$(jq '[.events[] | select(.type == "TaskFailed")] | length' "$WORK/retry.json")" = 3 ] ||
	fail "RetryPath: not 3 TaskFailed events"
jq_check "$WORK/retry.json" '[.events[] | select(.type == "TaskFailed")][0].taskFailedEventDetails | .error == "Transient" and .cause == "try again"' ||
	fail "RetryPath: TaskFailed details"
ok "Throw retried, retries consume invocations"

# Past the last response: the execution fails (not catchable).
expect 1 run --mock-config "$cfg" --test-case UsedUp
jq_check "$WORK/err" '.Error == "States.Runtime" and (.Cause | test("used up"))' ||
	fail "UsedUp: $(cat "$WORK/err")"
ok "running past the last response fails the execution"

# Throw not retried: the task's error and cause as given.
expect 1 run --mock-config "$cfg" --test-case Fails
[ "$(jq -c . "$WORK/err")" = '{"Error":"Boom","Cause":"it broke"}' ] || fail "Fails: $(cat "$WORK/err")"
ok "Throw fails the task with its Error and Cause"

# Return is the service's response: ResultSelector and paths apply to it.
expect 0 run --mock-config "$cfg" --test-case DetectMocked
[ "$(jq -c .detect "$WORK/out")" = '{"found":["mocked"]}' ] || fail "DetectMocked: $(cat "$WORK/out")"
ok "Return is the API response (ResultSelector applies)"

# SFN_MOCK_CONFIG stands for --mock-config.
SFN_MOCK_CONFIG="$cfg" expect 0 run --test-case HappyPath
[ "$(jq -c .map "$WORK/out")" = '["a","b","b"]' ] || fail "SFN_MOCK_CONFIG"
ok "SFN_MOCK_CONFIG"

# Checks of the file and the options: usage errors (64).
for tc in Unknown Gap Both NoSuchCase; do
	expect 64 run --mock-config "$cfg" --test-case $tc
	[ -s "$WORK/err" ] || fail "$tc: no message"
	echo "  $tc: $(cat "$WORK/err")"
done
expect 64 run --mock-config "$cfg"
expect 64 env -u SFN_MOCK_CONFIG $RUN "$WORK/mock" --test-case HappyPath
build_program "$here/mock.json" "$WORK/other" --name other
expect 64 $RUN "$WORK/other" --mock-config "$cfg" --test-case HappyPath
ok "invalid mock configs and options exit 64"

echo "mock: $passed passed, 0 failed"
