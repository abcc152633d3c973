#!/bin/sh
# run.sh - the conformance suite.  gen.py writes the cases into the build
# tree (make check runs it first): every tests/conformance/cases/<area>/<case>/
# holds definition.json, input.json (optional) and expected.json (status,
# output or error and cause, and where the expectation comes from).  Each
# case is compiled by asl2c; the cases of an area are linked into one
# program with the Lambda functions of handlers.c (driver.c picks the case)
# and run on a virtual clock.  Their results must be AWS's.
#
# Builds and runs go CONFORMANCE_JOBS at a time (default 4: the steps wait
# on the file system more than they compute).  `run.sh AREA[/CASE]...` runs
# some of the cases only.
#
# The summary has a line per area, the split of the executions the cases
# expect ("paths: N succeeded, M failed executions"; a TIMED_OUT counts as
# failed) and the total.  The whole suite must have at least as many
# failing executions as succeeding ones.
. "${top_srcdir:-.}/tests/setup.sh"

root="$top_srcdir/tests/conformance"
cases="${top_builddir:-.}/tests/conformance/cases"
count="${top_builddir:-.}/tests/conformance/cases.count"
[ -d "$cases" ] && [ -s "$count" ] ||
	fail "no generated cases in $cases (make tests/conformance/cases.stamp)"
jobs=${CONFORMANCE_JOBS:-4}
export ASL2C CC GEN_CFLAGS GEN_LIBS RUN WORK

if [ $# -gt 0 ]; then
	for a in "$@"; do
		find "$cases/$a" -name expected.json
	done
else
	find "$cases" -mindepth 3 -maxdepth 3 -name expected.json
fi | sed 's,/expected.json$,,' | sort > "$WORK/cases"

# 1. asl2c and cc -c, for every case.
xargs -P "$jobs" -n 1 sh "$root/case.sh" build < "$WORK/cases"

# 2. One program per area.
$CC $GEN_CFLAGS -O0 -c "$root/handlers.c" -o "$WORK/handlers.o" ||
	fail "tests/conformance/handlers.c does not build"
for area in $(sed 's,.*/\([^/]*\)/[^/]*$,\1,' "$WORK/cases" | sort -u); do
	: > "$WORK/$area/cases.h"
	for o in "$WORK/$area"/*.o; do
		[ -f "$o" ] || continue
		c=$(basename "$o" .o)
		printf 'CASE(conf_%s)\n' "$(printf '%s/%s' "$area" "$c" |
			tr -c 'A-Za-z0-9' '_')" >> "$WORK/$area/cases.h"
	done
	echo "$area"
done | xargs -P "$jobs" -I AREA sh -c '
	$CC $GEN_CFLAGS -O0 -I"$WORK/AREA" -c "$0/driver.c" \
		-o "$WORK/AREA/driver.o" &&
	$CC "$WORK/AREA/driver.o" "$WORK/handlers.o" \
		$(ls "$WORK/AREA"/*.o | grep -v "/driver.o$") $GEN_LIBS \
		-o "$WORK/AREA.bin" ||
	echo "FAIL: the program of AREA does not link" >&2' "$root"

# 3. Run and compare.
xargs -P "$jobs" -n 1 sh "$root/case.sh" check < "$WORK/cases" \
	> "$WORK/results"

grep '^FAIL' "$WORK/results" | sort >&2 || true
grep '^GAP' "$WORK/results" | sort || true
# The path each case's execution takes: "area SUCCEEDED" or "area FAILED"
# (TIMED_OUT counts as failed).
sed 's,$,/expected.json,' "$WORK/cases" | xargs jq -r .status |
	paste -d ' ' "$WORK/cases" - |
	sed 's,.*/\([^/]*\)/[^/]* ,\1 ,; s, TIMED_OUT$, FAILED,' > "$WORK/exec-paths"
# One line per area, then the split of the paths, then the total.
sed -n 's/^\(PASS\|FAIL\|GAP\)  *\([^/]*\)\/.*/\2 \1/p' "$WORK/results" |
	sort | awk 'NR == FNR { p[$1 " " $2]++; next }
	{ n[$1]++; c[$1 " " $2]++ }
	END { for (a in n) printf "%-11s %3d passed, %d failed, %d known gaps; " \
	                          "executions: %d succeeded, %d failed\n",
	                          a ":", c[a " PASS"], c[a " FAIL"], c[a " GAP"],
	                          p[a " SUCCEEDED"], p[a " FAILED"] }' \
	"$WORK/exec-paths" - | sort
ok=$(grep -c ' SUCCEEDED$' "$WORK/exec-paths" || true)
ko=$(grep -c ' FAILED$' "$WORK/exec-paths" || true)
echo "conformance: paths: $ok succeeded, $ko failed executions"
pass=$(grep -c '^PASS' "$WORK/results" || true)
failed=$(grep -c '^FAIL' "$WORK/results" || true)
echo "conformance: $pass passed, $failed failed"
# The whole suite: every case gen.py wrote has run, and there are as many
# failure paths as success paths.
total=$(sed -n 's/^total  *//p' "$count")
ran=$(grep -c '^\(PASS\|FAIL\|GAP\) ' "$WORK/results" || true)
if [ $# -eq 0 ] && [ "$ran" -ne "$total" ]; then
	echo "FAIL: gen.py wrote $total cases, $ran ran" >&2
	exit 1
fi
if [ $# -eq 0 ] && [ "$ko" -lt "$ok" ]; then
	echo "FAIL: fewer failing executions ($ko) than succeeding ones ($ok)" >&2
	exit 1
fi
[ "$failed" -eq 0 ] && [ "$pass" -gt 0 ]
