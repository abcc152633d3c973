#!/bin/sh
# bad_input.sh - execution input that is not JSON, too deep, or over the
# 256 KiB payload limit: exit 65 with a message on stderr, nothing on
# stdout, no crash, no leak (doc/reliability.md).
. "${top_srcdir:-.}/tests/setup.sh"

prog="$WORK/echo"
build_program "$top_srcdir/tests/hostile/echo.json" "$prog"

# expect_bad WHAT GREP [program arguments...]: exit 65, GREP on stderr.
expect_bad() {
	what=$1 pattern=$2
	shift 2
	status=0
	$RUN "$prog" "$@" > "$WORK/out" 2> "$WORK/err" || status=$?
	[ $status -eq 65 ] || { cat "$WORK/err" >&2; fail "$what: exit $status, not 65"; }
	grep -q "$pattern" "$WORK/err" || { cat "$WORK/err" >&2; fail "$what: no '$pattern' on stderr"; }
	[ ! -s "$WORK/out" ] || fail "$what: something on stdout"
	ok "$what"
}

expect_bad "not JSON" "invalid execution input" --input 'not json'
expect_bad "truncated JSON" "invalid execution input" --input '{"a": [1, 2'
expect_bad "two JSON texts" "invalid execution input" --input '{} {}'
: > "$WORK/empty.json"
expect_bad "empty file" "invalid execution input" --input-file "$WORK/empty.json"
expect_bad "missing file" "invalid execution input" --input-file "$WORK/none.json"
printf '"\377\376"' > "$WORK/utf8.json"
expect_bad "invalid UTF-8" "invalid execution input" --input-file "$WORK/utf8.json"
printf '{"a": "x\000y"}' > "$WORK/nul.json"
expect_bad "NUL byte" "invalid execution input" --input-file "$WORK/nul.json"
expect_bad "lone surrogate" "invalid execution input" --input '"\ud800"'
# Numbers the runtime cannot hold (AWS holds integers of any size): refused
# with the position, never a wrong value.
expect_bad "an integer beyond 64 bits" "input:1:25: invalid execution input: too big integer" \
	--input '{"a": 9223372036854775808}'
expect_bad "a real beyond a double" "invalid execution input: real number overflow" --input '[1e400]'

# 100,000 nested arrays, from a file and from stdin.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]" }' > "$WORK/deep.json"
expect_bad "100,000 nested arrays" "maximum parsing depth" --input-file "$WORK/deep.json"
status=0
$RUN "$prog" --input-file - < "$WORK/deep.json" > "$WORK/out" 2> "$WORK/err" || status=$?
[ $status -eq 65 ] && grep -q "maximum parsing depth" "$WORK/err" ||
	fail "100,000 nested arrays on stdin: exit $status"
ok "100,000 nested arrays on stdin"

# The payload limit: 262,144 bytes pass, one more is refused, and
# --no-payload-limit lifts it.  {"s":"..."} is 8 bytes around the string.
payload() {
	awk -v n="$1" 'BEGIN { printf "{\"s\":\""; for (i = 0; i < n - 8; i++) printf "x"; printf "\"}" }'
}
payload 262144 > "$WORK/limit.json"
payload 262145 > "$WORK/over.json"
[ "$(wc -c < "$WORK/limit.json")" -eq 262144 ] || fail "payload() is wrong"
$RUN "$prog" --input-file "$WORK/limit.json" > "$WORK/limit.out" ||
	fail "an input of exactly 256 KiB was refused"
cmp -s "$WORK/limit.json" "$WORK/limit.out" 2>/dev/null ||
	[ "$(tr -d '\n' < "$WORK/limit.out" | wc -c)" -eq 262144 ] ||
	fail "an input of 256 KiB did not come out whole"
ok "256 KiB input accepted"
expect_bad "256 KiB + 1 input" "over the 256 KiB payload limit" --input-file "$WORK/over.json"
# Whitespace does not count: the limit is on the JSON itself.
{ printf '   '; cat "$WORK/limit.json"; printf '\n\n'; } > "$WORK/spaced.json"
$RUN "$prog" --input-file "$WORK/spaced.json" > /dev/null ||
	fail "whitespace around a 256 KiB input counted against the limit"
ok "whitespace is not payload"
$RUN "$prog" --no-payload-limit --input-file "$WORK/over.json" > "$WORK/over.out" ||
	fail "--no-payload-limit did not lift the limit"
[ "$(tr -d '\n' < "$WORK/over.out" | wc -c)" -eq 262145 ] ||
	fail "--no-payload-limit: the output is not the input"
ok "--no-payload-limit"

# Every read is bounded by its limit: an endless input fails at once or at
# 16 times the payload limit (whitespace and escapes do not count against
# the limit itself), memory stays small; never an abort out of memory.
# 1 GB of address space (the old whole read aborted in it); not under
# valgrind or the sanitizers, which reserve more.
[ -n "${VALGRIND:-}${SAN_CFLAGS:-}" ] || ulimit -v 1000000 2>/dev/null || true
expect_bad "--input-file /dev/zero" "invalid execution input" --input-file /dev/zero
status=0
$RUN "$prog" --input-file - < /dev/zero > "$WORK/out" 2> "$WORK/err" || status=$?
[ $status -eq 65 ] || fail "stdin from /dev/zero: exit $status"
ok "stdin from /dev/zero"
# An endless run of spaces (valid so far): refused at the bound.
status=0
{ yes ' ' | tr -d '\n' | $RUN "$prog" --input-file - > "$WORK/out" 2> "$WORK/err"; } || status=$?
grep -q "invalid execution input: over 4194304 bytes, over the 256 KiB payload limit" "$WORK/err" ||
	{ cat "$WORK/err"; fail "endless spaces on stdin: no bound"; }
ok "endless spaces on stdin: refused at 4 MiB"
# The mock config is bounded too.
printf '{"StateMachines": {}}' > "$WORK/mock.json"
status=0
$RUN "$prog" --mock-config /dev/zero --test-case t > "$WORK/out" 2> "$WORK/err" || status=$?
[ $status -eq 64 ] || { cat "$WORK/err"; fail "--mock-config /dev/zero: exit $status, not 64"; }
ok "--mock-config /dev/zero: exit 64"

echo "bad_input: $passed passed, 0 failed"
