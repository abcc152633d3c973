#!/bin/sh
# handler_contract.sh - C handlers that break their contract
# (asl2c/handler.h) without crashing: a NULL result with success, failure
# without asl_fail(), a result and a failure, an odd status, asl_fail()
# twice, an error and cause that are not UTF-8, a missing handler.  Each gives a defined outcome and frees
# everything (the sanitizer and valgrind builds check the leaks).
# Handlers that crash, hang or corrupt memory are out of scope: they run in
# the program's own process (doc/reliability.md).
. "${top_srcdir:-.}/tests/setup.sh"

prog="$WORK/task"
"$ASL2C" "$top_srcdir/tests/hostile/task.json" -o "$prog.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$prog.c" "$top_srcdir/tests/hostile/handlers.c" \
	$GEN_LIBS -o "$prog"

# run FN: run the machine on {"fn": FN}; sets status, out, err.
run() {
	status=0
	$RUN "$prog" --seed 1 --input "{\"fn\": \"$1\"}" > "$WORK/out" 2> "$WORK/err" || status=$?
	out=$(cat "$WORK/out")
	err=$(cat "$WORK/err")
}
# failed_with FN ERROR: exit 1 and {"Error": ERROR, ...} on stderr.
failed_with() {
	run "$1"
	[ $status -eq 1 ] || { echo "$err" >&2; fail "$1: exit $status, not 1"; }
	[ -z "$out" ] || fail "$1: output on stdout: $out"
	printf '%s\n' "$err" | tail -n 1 | jq_check - '.Error == $e' --arg e "$2" ||
		{ echo "$err" >&2; fail "$1: not failed with $2"; }
}

run null_result
[ $status -eq 0 ] || { echo "$err" >&2; fail "null_result: exit $status"; }
[ "$out" = '{"Payload":null}' ] || fail "null_result: output $out"
ok "success with a NULL result is null"

failed_with bare_failure Lambda.Unknown
ok "failure without asl_fail() is Lambda.Unknown"

failed_with result_and_failure Custom.Error
printf '%s\n' "$err" | tail -n 1 | jq_check - '.Cause | fromjson | .errorMessage == "with a result of 1 keys"' ||
	fail "result_and_failure: cause"
ok "a result with a failure is dropped"

failed_with odd_status Lambda.Unknown
ok "a non-zero status other than -1 is a failure"

failed_with fail_twice Error
ok "asl_fail() twice: the last wins"

failed_with not_utf8 "Bad$(printf '\357\277\275')"
printf '%s\n' "$err" | tail -n 1 | jq_check - '.Cause | fromjson | .errorMessage == "x\ufffd\ufffd(y \"\ufffd\ufffd\"" and .errorType == "Bad\ufffd"' ||
	{ echo "$err" >&2; fail "not_utf8: cause"; }
ok "an error and a cause that are not UTF-8: U+FFFD for each bad byte"

failed_with no_such_function Lambda.ResourceNotFoundException
ok "no handler: Lambda.ResourceNotFoundException"

echo "handler_contract: $passed passed, 0 failed"
