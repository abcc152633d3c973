#!/bin/sh
# dmap_tolerated.sh - a Distributed Map over 100,000 items read from a JSON
# Lines file, every 7th failing (14,285 items, 14.285%), under
# ToleratedFailurePercentage: at 15 the Map succeeds and its ResultWriter's
# FAILED files list exactly the failing items; at 14 it fails with
# States.ExceedToleratedFailureThreshold.  Then the same Map under valgrind
# memcheck: no leak (definite or indirect), no error (doc/reliability.md).
. "${top_srcdir:-.}/tests/setup.sh"

N=${DMAP_N:-100000}
S3="$WORK/s3"
mkdir -p "$S3/in" "$S3/out"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "{\"i\":%d,\"ok\":%s}\n", i, i % 7 == 6 ? "false" : "true" }' \
	> "$S3/in/items.jsonl"
failing=$((N / 7))

def="$top_srcdir/tests/hostile/dmap-7th.json"
build_program "$def" "$WORK/p15"
jq '.States.Each.ToleratedFailurePercentage = 14' "$def" > "$WORK/p14.json"
build_program "$WORK/p14.json" "$WORK/p14"

# run PROG [valgrind...]: sets status; output in out.json, error in err.
run() {
	prog=$1
	shift
	status=0
	"$@" "$WORK/$prog" --s3-root "$S3" --seed 7 --start-time 2026-01-01T00:00:00Z \
		--input '{}' > "$WORK/out.json" 2> "$WORK/err" || status=$?
}
# failed_files: the FAILED files that the manifest of out.json lists.
failed_files() {
	key=$(jq -r .ResultWriterDetails.Key "$WORK/out.json")
	jq -r --arg s3 "$S3/out/" '.ResultFiles.FAILED[] | $s3 + .Key' "$S3/out/$key"
}

t0=$(date +%s)
run p15 $RUN
[ $status -eq 0 ] || { tail -c 2000 "$WORK/err" >&2; fail "15%: exit $status"; }
echo "$N items at 15%: $(($(date +%s) - t0)) s"
cat $(failed_files) < /dev/null | jq -s -e --argjson n "$N" \
	'[.[] | .Input | fromjson | .i] == [range(6; $n; 7)] and all(.[]; .Status == "FAILED" and .Error == "Item.Bad" and .Cause == "every 7th item fails")' \
	> /dev/null || fail "15%: the FAILED files do not list exactly the failing items"
key=$(jq -r .ResultWriterDetails.Key "$WORK/out.json")
[ "$(cat $(jq -r --arg s3 "$S3/out/" '.ResultFiles.SUCCEEDED[] | $s3 + .Key' "$S3/out/$key") < /dev/null | wc -l)" -eq $((N - failing)) ] ||
	fail "15%: the SUCCEEDED files do not hold $((N - failing)) results"
echo "ok: 15% tolerated: succeeded, $failing failures listed in FAILED"

run p14 $RUN
[ $status -eq 1 ] || { tail -c 2000 "$WORK/err" >&2; fail "14%: exit $status, not 1"; }
grep '^{"Error"' "$WORK/err" | jq_check - '.Error == "States.ExceedToleratedFailureThreshold" and .Cause == "The specified tolerated failure threshold was exceeded"' ||
	{ tail -c 2000 "$WORK/err" >&2; fail "14%: not States.ExceedToleratedFailureThreshold"; }
echo "ok: 14% tolerated: States.ExceedToleratedFailureThreshold"

# memcheck (skipped when the whole suite already runs under valgrind, or
# in a sanitizer build).
VG=$(command -v valgrind || true)
if [ -n "$VG" ] && [ -z "${VALGRIND:-}" ] && [ -z "${SAN_CFLAGS:-}" ]; then
	rm -rf "$S3/out"/*
	t0=$(date +%s)
	# Passive waits: libgomp's spinning threads halve valgrind's speed.
	OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive
	export OMP_NUM_THREADS OMP_WAIT_POLICY
	run p15 "$VG" --quiet --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
	[ $status -eq 0 ] || { tail -c 4000 "$WORK/err" >&2; fail "memcheck: exit $status"; }
	cat $(failed_files) < /dev/null | wc -l | grep -qx "$failing" || fail "memcheck: the FAILED files"
	echo "ok: $N items under memcheck: no leak, no error ($(($(date +%s) - t0)) s)"
else
	echo "memcheck: skipped (no valgrind, or a valgrind or sanitizer build)"
fi
