#!/bin/sh
# c_timeout.sh - a task's TimeoutSeconds with a C handler linked into the
# program: the handler runs on a thread of its own, and the task fails
# with States.Timeout when the timeout passes, not when the handler
# returns; the handler is told (asl_invocation_cancelled) and its late
# result dropped (doc/handlers.md, doc/semantics.md).  sleep_ms sleeps
# 10 ms, then 1,500 ms, under a 1 s timeout; wait_told would sleep ten
# minutes but for being told.
. "${top_srcdir:-.}/tests/setup.sh"

"$ASL2C" "$top_srcdir/tests/handlers/c-timeout.json" -o "$WORK/t.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/t.c" \
	"$top_srcdir/tests/handlers/sleep_ms.c" $GEN_LIBS -o "$WORK/t"

expect 0 $RUN "$WORK/t" --input '{"id": 1, "ms": 10}' \
	--history "$WORK/in-time.json"
[ "$(jq -c . "$WORK/out")" = '{"id":1}' ] ||
	fail "in time: the output is $(cat "$WORK/out")"
ok "a C handler that returns in time: its result"

expect 1 $RUN "$WORK/t" --input '{"id": 2, "ms": 1500}' \
	--history "$WORK/late.json"
[ -s "$WORK/err" ] || fail "late: nothing on stderr"
[ "$(jq -r .Error "$WORK/err")" = States.Timeout ] ||
	fail "late: $(cat "$WORK/err")"
[ -s "$WORK/late.json" ] || fail "late: no history"
jq -e '[.events[].type] | index("LambdaFunctionTimedOut") != null' \
	"$WORK/late.json" > /dev/null ||
	fail "late: no LambdaFunctionTimedOut in the history"
ok "a C handler that returns late: States.Timeout, its result dropped"
# A handler that would run for ten minutes: the task fails at its 1 s
# timeout (the hang detector would stop a run that waited for it), the
# catcher's Wait gives the handler, told, the time to say so.
cat > "$WORK/told.json" <<J
{"StartAt": "Long", "States": {
 "Long": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:wait_told",
   "Parameters": {"mark": "$WORK/told.mark"}, "TimeoutSeconds": 1,
   "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Linger"}], "End": true},
 "Linger": {"Type": "Wait", "Seconds": 2, "End": true}}}
J
"$ASL2C" "$WORK/told.json" -o "$WORK/told.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/told.c" \
	"$top_srcdir/tests/handlers/sleep_ms.c" $GEN_LIBS -o "$WORK/told"
expect 0 nohang $RUN "$WORK/told"
jq_check "$WORK/out" '.Error == "States.Timeout"'
for _ in $(seq 50); do [ -s "$WORK/told.mark" ] && break; sleep 0.1; done
[ "$(cat "$WORK/told.mark" 2>/dev/null)" = told ] ||
	fail "the handler was not told: $(cat "$WORK/told.mark" 2>/dev/null)"
ok "a C handler that would run for ten minutes: the task fails at its timeout, the handler is told"
echo "c_timeout: $passed passed"
