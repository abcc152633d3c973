#!/bin/sh
# alloc_fail.sh - an allocation failure is never a wrong answer
# (doc/reliability.md, "Allocation failures").  The runtime's test-only
# hook ASL2C_TEST_FAIL_ALLOC=N fails jansson's Nth allocation; a small
# machine (paths, intrinsics, Choice, Map, Parallel, Catch, the context
# object, --history, --describe) is run for every N until the run makes
# fewer than N allocations.  Each run either gives the output, the
# description and the history of the run without the hook, byte for
# byte, or exits 71 ("out of memory"): never another output with exit 0,
# nor another status.
. "${top_srcdir:-.}/tests/setup.sh"

prog="$WORK/alloc"
build_program "$top_srcdir/tests/hostile/alloc-machine.json" "$prog"
input='{"name": "n", "items": [{"v": 1}, {"v": 2}, {"v": 3, "w": {"v": 4}}]}'
export OMP_NUM_THREADS=1
run() {
	"$prog" --seed 7 --start-time 2024-01-01T00:00:00Z --name ex-1 \
		--input "$input" --history "$WORK/h.json" "$@"
}
run > "$WORK/want.out" 2> "$WORK/want.err" || fail "the run without the hook failed"
run --describe > "$WORK/want.desc" 2> /dev/null || fail "--describe without the hook failed"
cp "$WORK/h.json" "$WORK/want.h"
[ -s "$WORK/want.out" ] && [ -s "$WORK/want.h" ] || fail "nothing to compare with"

n=0 oom=0 same=0
while :; do
	n=$((n + 1))
	rm -f "$WORK/h.json"
	status=0
	ASL2C_TEST_FAIL_ALLOC=$n run --describe > "$WORK/out" 2> "$WORK/err" || status=$?
	if grep -q "test hook: allocation $n not reached" "$WORK/err"; then
		[ $status -eq 0 ] && cmp -s "$WORK/out" "$WORK/want.desc" ||
			fail "N=$n (past the last allocation): exit $status or another output"
		break
	fi
	case $status in
	0)
		cmp -s "$WORK/out" "$WORK/want.desc" ||
			{ diff "$WORK/want.desc" "$WORK/out" | head -5; fail "N=$n: exit 0 with another description"; }
		cmp -s "$WORK/h.json" "$WORK/want.h" ||
			fail "N=$n: exit 0 with another history"
		same=$((same + 1)) ;;
	71)
		grep -q "asl2c runtime: out of memory" "$WORK/err" || fail "N=$n: exit 71 without a message"
		[ ! -e "$WORK/h.json" ] || fail "N=$n: exit 71 left a history"
		oom=$((oom + 1)) ;;
	*)
		cat "$WORK/err" >&2
		fail "N=$n: exit $status, neither 0 with the right output nor 71"
	esac
	[ $n -lt 200000 ] || fail "the hook never stopped counting"
done
echo "allocations: $((n - 1)): $oom ended with exit 71, $same gave the right answer anyway"
ok "every allocation failure: the right answer or exit 71"

echo "alloc_fail: $passed passed, 0 failed"
