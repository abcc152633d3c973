#!/bin/sh
# c_timeout.sh - a task's TimeoutSeconds with a C handler linked into the
# program: the handler cannot be interrupted, but when it returns after the
# timeout its result is dropped and the task fails with States.Timeout
# (doc/handlers.md, doc/semantics.md).  The handler sleeps 10 ms, then
# 1,500 ms, under a 1 s timeout.
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
echo "c_timeout: $passed passed"
