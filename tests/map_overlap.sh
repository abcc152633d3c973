#!/bin/sh
# map_overlap.sh - Map iterations run in parallel on OpenMP threads, their
# results are kept in item order, and MaxConcurrency bounds them.  No
# stopwatch (the machines are shared): the handler (barrier, in
# tests/programs/slow_handlers.c) makes iterations wait for each other and
# stamps its start and end on a logical clock.
. "${top_srcdir:-.}/tests/setup.sh"

def="$top_srcdir/tests/programs/slow-map.json"
# Item 0 waits until both have started and item 1 has ended; item 1 until
# both have started.  One after the other, item 0 could never go on: it
# gives up after 60 s (Barrier.Timeout) and the Map fails.
input='{"items": [{"id": 0, "started": 2, "ended": 1}, {"id": 1, "started": 2}]}'

"$ASL2C" "$def" -o "$WORK/map.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/map.c" \
	"$top_srcdir/tests/programs/slow_handlers.c" $GEN_LIBS -o "$WORK/map"

# Two threads: both iterations run at once.
OMP_NUM_THREADS=2 expect 0 nohang $RUN "$WORK/map" --input "$input"
cp "$WORK/out" "$WORK/out.json"
cat "$WORK/out.json"
[ "$(jq -c '[.[].id]' "$WORK/out.json")" = "[0,1]" ] ||
	fail "results are not in item order"
jq_check "$WORK/out.json" '([.[].start] | max) < ([.[].end] | min)' ||
	fail "the two iterations did not overlap"
# The first item finished last: order is the items', not completion's.
jq_check "$WORK/out.json" '.[1].end < .[0].end' ||
	fail "the second item did not finish first"

# MaxConcurrency 1: one at a time, in item order (item 0 naps 300 ms: were
# item 1 let run meanwhile, it would start before item 0 ends).
jq '.States["Fan out"].MaxConcurrency = 1' "$def" > "$WORK/serial.json"
"$ASL2C" "$WORK/serial.json" -o "$WORK/serial.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/serial.c" \
	"$top_srcdir/tests/programs/slow_handlers.c" $GEN_LIBS -o "$WORK/serial"
OMP_NUM_THREADS=2 expect 0 nohang $RUN "$WORK/serial" --input '{"items": [{"id": 0, "nap": 300}, {"id": 1}]}'
cp "$WORK/out" "$WORK/serial.out"
cat "$WORK/serial.out"
jq_check "$WORK/serial.out" '[.[].id] == [0, 1] and .[1].start > .[0].end' ||
	fail "MaxConcurrency 1 let two iterations run at once"
echo "map_overlap: 2 passed, 0 failed"
