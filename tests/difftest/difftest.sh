#!/bin/sh
# difftest.sh - differential testing of generated code: DIFFTEST_COUNT
# (default 12) random valid machines from gen.py, seeds from DIFFTEST_SEED
# (default 1) on, each compiled by asl2c, built warning-free and run with
# --seed, --start-time and --time-scale 0 three times: at OMP_NUM_THREADS=1,
# at 4, and at 4 again.  The three runs must agree byte for byte (stdout,
# stderr, exit status); no run may crash, time out (60 s), exit other than
# 0/1/2 or print a sanitizer report (see below for the causes of failures).  A failing case is left in
# tests/out/difftest/ with the command to replay it.
. "${top_srcdir:-.}/tests/setup.sh"

command -v python3 > /dev/null || { echo "SKIP: no python3"; exit 77; }
count=${DIFFTEST_COUNT:-12}
first=${DIFFTEST_SEED:-1}
gen="$top_srcdir/tests/difftest/gen.py"
handlers="$top_srcdir/tests/difftest/handlers.c"
# One object for the handlers, compiled once.
$CC $GEN_CFLAGS -c "$handlers" -o "$WORK/handlers.o"

run() { # run CASE THREADS TAG
	status=0
	OMP_NUM_THREADS=$2 timeout 60 $RUN "$1" --seed 42 \
		--start-time 2026-01-01T00:00:00Z --time-scale 0 \
		--name difftest --input-file "$1.input" \
		> "$1.$3.out" 2> "$1.$3.err" || status=$?
	echo "$status" > "$1.$3.status"
	case $status in
	0|1|2) ;;
	124) fail "$1: timed out at OMP_NUM_THREADS=$2" ;;
	*) cat "$1.$3.err" >&2; fail "$1: exit $status at OMP_NUM_THREADS=$2" ;;
	esac
	if grep -q -E 'Sanitizer|runtime error:' "$1.$3.err"; then
		cat "$1.$3.err" >&2
		fail "$1: sanitizer report at OMP_NUM_THREADS=$2"
	fi
}

failed=0
i=0
while [ $i -lt "$count" ]; do
	seed=$((first + i))
	i=$((i + 1))
	c="$WORK/m$seed"
	python3 "$gen" "$seed" > "$c.json"
	python3 "$gen" --input "$seed" > "$c.input"
	"$ASL2C" "$c.json" -o "$c.c" || fail "m$seed: asl2c rejected a valid machine"
	$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$c.c" "$WORK/handlers.o" $GEN_LIBS -o "$c" ||
		fail "m$seed: the program does not build"
	run "$c" 1 t1
	run "$c" 4 t4
	run "$c" 4 t4b
	# Output, error and cause must all be the same: the failure a Map or
	# Parallel reports is the first in item order, and the event ids a
	# cause quotes do not depend on the threads.
	ok=yes
	for t in t4 t4b; do
		for f in out err status; do
			if ! cmp -s "$c.t1.$f" "$c.$t.$f"; then
				echo "FAIL: m$seed: $f differs between OMP_NUM_THREADS=1 and 4 ($t)" >&2
				diff "$c.t1.$f" "$c.$t.$f" | head -20 >&2
				ok=no
			fi
		done
	done
	if [ $ok = yes ]; then
		echo "ok: m$seed (exit $(cat "$c.t1.status"))"
	else
		echo "  replay: DIFFTEST_SEED=$seed DIFFTEST_COUNT=1 make check TESTS=tests/difftest/difftest.sh" >&2
		failed=$((failed + 1))
	fi
done
echo "difftest: $((count - failed)) passed, $failed failed"
[ $failed -eq 0 ]
