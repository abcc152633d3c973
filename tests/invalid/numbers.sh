#!/bin/sh
# numbers.sh - numbers the runtime cannot hold.  A
# definition holding an integer beyond 64 bits or a real beyond a double
# is refused when compiling, each number at its place (UNSUPPORTED; the
# cases are in tests/invalid/cases/number-*), and no C is written: such a
# program used to compile and then exit 64 "corrupt literal" on every run.
# The extremes the runtime does hold compile, build and run.
. "${top_srcdir:-.}/tests/setup.sh"

cases="$top_srcdir/tests/invalid/cases"
for n in number-beyond-64-bits number-beyond-double number-beyond-64-bits-path-index; do
	expect 1 "$ASL2C" "$cases/$n.json" -o "$WORK/$n.c"
	[ ! -e "$WORK/$n.c" ] || fail "$n: C was written"
	grep -q 'error: UNSUPPORTED: [Tt]he number .* cannot be held' "$WORK/err" ||
		fail "$n: $(cat "$WORK/err")"
	ok "$n: refused, no C written"
done

build_program "$cases/number-limits-ok.json" "$WORK/limits" --no-version ||
	fail "the extremes do not compile or build"
expect 0 $RUN "$WORK/limits" --input '{"x": 0, "l": [{"v": 1}]}'
want='{"r":{"max":9223372036854775807,"min":-9223372036854775808,"dmax":1.7976931348623157E308,"tiny":0.0,"e":100.0},"s":2147483647,"f":[{"v":1}],"i":[{"v":1}]}'
[ "$(cat "$WORK/out")" = "$want" ] ||
	{ cat "$WORK/err" >&2; fail "the extremes: $(cat "$WORK/out")"; }
ok "the extremes the runtime holds run, the literals whole"
echo "numbers: $passed passed, 0 failed"
