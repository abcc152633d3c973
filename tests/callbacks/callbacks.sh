#!/bin/sh
# callbacks.sh - the callback pattern (.waitForTaskToken): $$.Task.Token
# (opaque, new at each attempt, the same under one --seed), the handler
# completing the token through the C API (success, failure, heartbeat and
# the API's errors), TimeoutSeconds and HeartbeatSeconds on the virtual
# clock (States.Timeout, States.HeartbeatTimeout), Retry and Catch, a Map
# of callback tasks, a command handler, mocks (Return and Throw are the
# callback's outcome) and the history's TaskSubmitted.
. "${top_srcdir:-.}/tests/setup.sh"

here="$top_srcdir/tests/callbacks"
# build NAME: the machine NAME.json linked with the handlers of callback.c
build() {
	"$ASL2C" --name "$1" "$here/$1.json" -o "$WORK/$1.c"
	$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/$1.c" "$here/callback.c" \
		$GEN_LIBS -o "$WORK/$1"
}
build wait
build timeout
build map
T0=2024-01-01T00:00:00Z
run() { prog=$1; shift; nohang $RUN "$WORK/$prog" --start-time $T0 --time-scale 0 "$@"; }

# SendTaskSuccess from the handler: the output goes through ResultSelector
# and ResultPath; the history has TaskSubmitted (the Invoke response).
expect 0 run wait --input '{"decision": "ok"}' --seed 1 --history "$WORK/h.json"
[ "$(jq -c .result "$WORK/out")" = '{"approved":true,"attempt":0}' ] ||
	fail "ok: $(cat "$WORK/out")"
[ "$(jq -c '[.events[].type]' "$WORK/h.json")" = '["ExecutionStarted","TaskStateEntered","TaskScheduled","TaskStarted","TaskSubmitted","TaskSucceeded","TaskStateExited","ExecutionSucceeded"]' ] ||
	fail "ok: events $(jq -c '[.events[].type]' "$WORK/h.json")"
jq_check "$WORK/h.json" '.events[2].taskScheduledEventDetails | .heartbeatInSeconds == 60 and .timeoutInSeconds == 300 and .resource == "invoke.waitForTaskToken"' ||
	fail "ok: TaskScheduled"
jq_check "$WORK/h.json" '.events[4].taskSubmittedEventDetails | (.output | fromjson | .StatusCode == 200 and .Payload == {"sent": "ok"}) and .resourceType == "lambda"' ||
	fail "ok: TaskSubmitted"
jq_check "$WORK/h.json" '.events[5].taskSucceededEventDetails.output | fromjson == {"approved": true, "attempt": 0}' ||
	fail "ok: TaskSucceeded"
token=$(sed -n 's/^token \([^ ]*\) attempt 0$/\1/p' "$WORK/err")
[ ${#token} -eq 64 ] || fail "the token: '$token'"
ok "SendTaskSuccess: ResultSelector, ResultPath, TaskSubmitted, a token of 64 characters"

# The same seed draws the same token; another seed another.
expect 0 run wait --input '{"decision": "ok"}' --seed 1
[ "$(sed -n 's/^token \([^ ]*\) attempt 0$/\1/p' "$WORK/err")" = "$token" ] ||
	fail "--seed 1 twice: two tokens"
expect 0 run wait --input '{"decision": "ok"}' --seed 2
[ "$(sed -n 's/^token \([^ ]*\) attempt 0$/\1/p' "$WORK/err")" != "$token" ] ||
	fail "--seed 2 drew --seed 1's token"
ok "tokens are deterministic under --seed"

# SendTaskFailure: Catch sees the error and cause sent.
expect 0 run wait --input '{"decision": "fail"}' --history "$WORK/h.json"
[ "$(jq -c .error "$WORK/out")" = '{"Error":"Rejected","Cause":"not approved"}' ] ||
	fail "fail: $(cat "$WORK/out")"
jq_check "$WORK/h.json" '[.events[] | select(.type == "TaskFailed")][0].taskFailedEventDetails | .error == "Rejected" and .cause == "not approved"' ||
	fail "fail: TaskFailed"
ok "SendTaskFailure: caught with its error and cause"

# Retry: each attempt has a token of its own.
expect 0 run wait --input '{"decision": "flaky"}' --seed 3
[ "$(jq -c .result "$WORK/out")" = '{"approved":true,"attempt":2}' ] ||
	fail "flaky: $(cat "$WORK/out")"
[ "$(grep -c '^token ' "$WORK/err")" = 3 ] || fail "flaky: not 3 attempts"
[ "$(sed -n 's/^token \([^ ]*\) attempt .*/\1/p' "$WORK/err" | sort -u | wc -l)" = 3 ] ||
	fail "flaky: a token was drawn twice"
ok "Retry on a callback's failure, a new token per attempt"

# HeartbeatSeconds: no heartbeat for 60 s after the submission (a
# heartbeat from the handler counts from where it was sent).
for d in none beat; do
	expect 0 run wait --input "{\"decision\": \"$d\"}" --history "$WORK/h.json"
	[ "$(jq -c .error "$WORK/out")" = '{"Error":"States.HeartbeatTimeout","Cause":""}' ] ||
		fail "$d: $(cat "$WORK/out")"
	jq_check "$WORK/h.json" '[.events[] | select(.type == "TaskTimedOut")] | length == 1 and .[0].timestamp == "2024-01-01T00:01:00.000Z" and .[0].taskTimedOutEventDetails.error == "States.HeartbeatTimeout"' ||
		fail "$d: TaskTimedOut $(jq -c '.events[]|select(.type=="TaskTimedOut")' "$WORK/h.json")"
done
ok "States.HeartbeatTimeout after HeartbeatSeconds on the virtual clock, TaskTimedOut"

# TimeoutSeconds (sqs:sendMessage.waitForTaskToken, a handler by
# resource): States.Timeout 5 s after the task started, caught.
expect 0 run timeout --input '{"decision": "none"}' --history "$WORK/h.json"
[ "$(jq -c .error "$WORK/out")" = '{"Error":"States.Timeout","Cause":""}' ] ||
	fail "timeout: $(cat "$WORK/out")"
jq_check "$WORK/h.json" '[.events[] | select(.type == "TaskTimedOut")][0].timestamp == "2024-01-01T00:00:05.000Z"' ||
	fail "timeout: not at 5 s"
ok "States.Timeout after TimeoutSeconds"

# The C API's errors: InvalidToken, TaskDoesNotExist, InvalidOutput,
# TaskTimedOut once the token is completed.
expect 0 run wait --input '{"decision": "checks"}'
[ "$(jq -c .result "$WORK/out")" = '{"approved":"checked","attempt":0}' ] ||
	fail "checks: $(cat "$WORK/out")"
ok "InvalidToken, TaskDoesNotExist, InvalidOutput, TaskTimedOut"

# A Map of callback tasks on several threads: results in item order.
items=$(seq 0 49 | jq -sc '{items: map({n: .})}')
OMP_NUM_THREADS=4 expect 0 run map --input "$items" --seed 4
[ "$(jq -c '[.[].attempt] == [range(50)]' "$WORK/out")" = true ] ||
	fail "map: $(head -c 300 "$WORK/out")"
[ "$(sed -n 's/^token \([^ ]*\) attempt .*/\1/p' "$WORK/err" | sort -u | wc -l)" = 50 ] ||
	fail "map: not 50 tokens"
ok "a Map of 50 callback tasks, in item order, 50 tokens"

# A command handler is called with the payload; nothing completes the
# token: the heartbeat times out.
"$ASL2C" --name wait "$here/wait.json" -o "$WORK/wait-cmd.c"
$CC $GEN_CFLAGS "$WORK/wait-cmd.c" $GEN_LIBS -o "$WORK/wait-cmd"
expect 0 run wait-cmd --input '{"decision": "none"}' \
	--handler approve="cat > '$WORK/event.json'; echo '{\"queued\": true}'"
jq_check "$WORK/event.json" '(.token | length) == 64 and .decision == "none"' ||
	fail "command: event $(cat "$WORK/event.json")"
[ "$(jq -c .error.Error "$WORK/out")" = '"States.HeartbeatTimeout"' ] ||
	fail "command: $(cat "$WORK/out")"
ok "a command handler gets the token in its event"

# Mocks: Return and Throw are the callback's outcome (no handler runs).
cfg="$here/mock-config.json"
expect 0 run wait-cmd --input '{"decision": "none"}' --mock-config "$cfg" --test-case Approved --history "$WORK/h.json"
[ "$(jq -c .result "$WORK/out")" = '{"approved":"mocked","attempt":0}' ] ||
	fail "mock Return: $(cat "$WORK/out")"
[ "$(jq -c '[.events[].type][2:6]' "$WORK/h.json")" = '["TaskScheduled","TaskStarted","TaskSubmitted","TaskSucceeded"]' ] ||
	fail "mock Return: events"
expect 0 run wait-cmd --input '{"decision": "none"}' --mock-config "$cfg" --test-case Rejected
[ "$(jq -c .error "$WORK/out")" = '{"Error":"Rejected","Cause":"mocked no"}' ] ||
	fail "mock Throw: $(cat "$WORK/out")"
expect 0 run wait-cmd --input '{"decision": "none"}' --mock-config "$cfg" --test-case FlakyThenOK
[ "$(jq -c .result "$WORK/out")" = '{"approved":"mocked","attempt":2}' ] ||
	fail "mock Throw retried: $(cat "$WORK/out")"
ok "mocks: Return and Throw are the callback's outcome, retried"

echo "callbacks: $passed passed, 0 failed"
