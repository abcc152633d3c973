#!/bin/sh
# map_overlap.sh - Map iterations run in parallel on OpenMP threads, their
# results are kept in item order, and MaxConcurrency bounds them.
. "${top_srcdir:-.}/tests/setup.sh"

def="$top_srcdir/tests/programs/slow-map.json"
input='{"items": [{"id": 0, "ms": 600}, {"id": 1, "ms": 300}]}'

"$ASL2C" "$def" -o "$WORK/map.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/map.c" \
	"$top_srcdir/tests/programs/slow_handlers.c" $GEN_LIBS -o "$WORK/map"

# Two threads: both iterations run at once.
OMP_NUM_THREADS=2 $RUN "$WORK/map" --input "$input" > "$WORK/out.json"
cat "$WORK/out.json"
[ "$(jq -c '[.[].id]' "$WORK/out.json")" = "[0,1]" ] ||
	fail "results are not in item order"
jq -e '.[0].start < .[1].end and .[1].start < .[0].end' "$WORK/out.json" \
	>/dev/null || fail "the two iterations did not overlap"
# The slower first item finished last: order is the items', not completion's.
jq -e '.[1].end <= .[0].end' "$WORK/out.json" >/dev/null ||
	fail "the second item did not finish first"

# MaxConcurrency 1: one at a time, in item order.
jq '.States["Fan out"].MaxConcurrency = 1' "$def" > "$WORK/serial.json"
"$ASL2C" "$WORK/serial.json" -o "$WORK/serial.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/serial.c" \
	"$top_srcdir/tests/programs/slow_handlers.c" $GEN_LIBS -o "$WORK/serial"
OMP_NUM_THREADS=2 $RUN "$WORK/serial" --input "$input" > "$WORK/serial.out"
cat "$WORK/serial.out"
jq -e '.[1].start >= .[0].end' "$WORK/serial.out" >/dev/null ||
	fail "MaxConcurrency 1 let two iterations run at once"
echo "map_overlap: 2 passed, 0 failed"
