#!/bin/sh
# history_stream.sh - with the quota lifted (--no-history-limit), a long
# history is streamed to its file: an inline Map of 130,000 items (a
# 254 KiB input) writes its 520,006 events, every one, while the memory
# stays far below the 1 GB it used to hold (the events as JSON objects,
# then an indented second copy).  The execution's events go to the file
# as they come; each iteration's go to an unnamed spill file beside it
# until the Map merges them in item order (runtime/exec/history.c).  Memory is
# read from /usr/bin/time -v when installed, with a generous bound, never
# a time.  Run without valgrind (minutes under it): the other history
# tests cover the same code under memcheck.
. "${top_srcdir:-.}/tests/setup.sh"

cat > "$WORK/map.json" <<'JSON'
{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": null, "End": true,
  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}
JSON
build_program "$WORK/map.json" "$WORK/map"
awk 'BEGIN { printf "{\"items\":["; for (i = 0; i < 130000; i++) { if (i) printf ","; printf "%d", i % 10 } printf "]}" }' > "$WORK/in.json"

run() { "$WORK/map" --start-time 2024-01-01T00:00:00Z --input-file "$WORK/in.json" "$@"; }
if [ -x /usr/bin/time ] && [ -z "${SAN_CFLAGS:-}" ]; then
	/usr/bin/time -v -o "$WORK/time" sh -c '"$0" --start-time 2024-01-01T00:00:00Z --input-file "$1" --no-history-limit --history "$2" > /dev/null' \
		"$WORK/map" "$WORK/in.json" "$WORK/h.json" || fail "the 130,000-item Map failed"
	rss=$(awk -F': *' '/Maximum resident set size/ { print $2 }' "$WORK/time")
	echo "peak resident: $rss KB"
	[ -n "$rss" ] && [ "$rss" -lt 300000 ] || fail "peak resident $rss KB, not under 300 MB"
	ok "130,000 iterations with their history: under 300 MB resident"
else
	run --no-history-limit --history "$WORK/h.json" > /dev/null || fail "the 130,000-item Map failed"
fi
# Read with awk, in constant memory (the file is 140 MB; jq needs 800 MB):
# the ids run 1..520,006, the iterations succeed in item order, the first
# and last events.  The file is JSON (checked on the small histories).
awk '
	/^      "id": / { id = $2 + 0; if (id != ++want) { print "id " id " where " want " was due"; bad = 1; exit } }
	/^      "type": / { t = $2; if (!first) first = t; last = t; if (t == "\"MapIterationSucceeded\",") succ++ }
	/^        "index": / { ix = $2 + 0; if (t == "\"MapIterationSucceeded\"," && ix != nsucc++) { print "iteration " ix " out of order"; bad = 1; exit } }
	END { if (bad) exit 1
	      if (want != 520006 || succ != 130000 || first != "\"ExecutionStarted\"," || last != "\"ExecutionSucceeded\",") {
	          print want, succ, first, last; exit 1 } }' "$WORK/h.json" ||
	fail "not 520,006 events with ids 1..520,006 and every iteration in order"
ok "520,006 events streamed, ids in order, every iteration"
ls -A "$WORK" | grep -v '^\(map\|map\.c\|map\.json\|in\.json\|h\.json\|time\)$' && fail "a temporary file was left"
ok "no spill file left"

# The quota holds without the option: the same Map fails.
status=0
run > /dev/null 2> "$WORK/err" || status=$?
[ $status -eq 1 ] && grep -q "maximum number of history events (25000)" "$WORK/err" || fail "the quota: exit $status"
ok "without --no-history-limit: the quota"

echo "history_stream: $passed passed, 0 failed"
