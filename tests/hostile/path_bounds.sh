#!/bin/sh
# path_bounds.sh - recursive descent is bounded (runtime/ql/path.c,
# doc/semantics.md): a ".." never searches the same subtree twice for
# nothing, a path selects at most 1,000,000 nodes and visits at most
# 50,000,000, past which the state fails with States.Runtime.  It used to
# take a minute and 2 GB on $..a..a..a..a over a 2 KB input nested 300
# deep, and to drop matches silently (exit 0) when an allocation failed.
. "${top_srcdir:-.}/tests/setup.sh"

cat > "$WORK/small.json" <<'JSON'
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "$..a..a", "y.$": "$..a[?(@.a)]..a", "z.$": "$..*"}, "End": true}}}
JSON
cat > "$WORK/deep.json" <<'JSON'
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "$..a..a..a..a"}, "End": true}}}
JSON
cat > "$WORK/none.json" <<'JSON'
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($..a..a..a..b)", "m.$": "States.ArrayLength($..a..a)"}, "End": true}}}
JSON
for m in small deep none; do build_program "$WORK/$m.json" "$WORK/$m"; done

# Jayway's results, duplicates and order included, are unchanged.
expect 0 $RUN "$WORK/small" --input '{"a":{"a":{"a":1}},"b":[{"a":2}]}'
[ "$(cat "$WORK/out")" = '{"x":[{"a":1},1,1],"y":[{"a":1},1,1],"z":[{"a":{"a":1}},[{"a":2}],{"a":1},1,{"a":2},2]}' ] ||
	fail "nested descents: $(cat "$WORK/out")"
ok "nested descents keep Jayway's results"

nest() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "{\"a\":"; printf "1"; for (i = 0; i < n; i++) printf "}" }'; }
nest 300 > "$WORK/in300.json"
# 1 GB of address space: the old walk failed its allocations in it and
# dropped the matches (exit 0).  Not under valgrind or the sanitizers.
[ -n "${VALGRIND:-}${SAN_CFLAGS:-}" ] || ulimit -v 1000000 2>/dev/null || true
expect 1 $RUN "$WORK/deep" --input-file "$WORK/in300.json"
grep -q '"Error":"States.Runtime"' "$WORK/err" &&
	grep -q "The JSONPath '\$..a..a..a..a' selects more than 1000000 nodes" "$WORK/err" ||
	fail "300 deep, \$..a..a..a..a: $(cat "$WORK/err")"
ok "a result past 1,000,000 nodes: States.Runtime"
# Nothing to find below: each subtree searched once (C(300,3) descents
# into it took about 10^9 steps).
expect 0 $RUN "$WORK/none" --input-file "$WORK/in300.json"
[ "$(cat "$WORK/out")" = '{"n":0,"m":44850}' ] || fail "300 deep, no match: $(cat "$WORK/out")"
ok "a descent that finds nothing is not repeated"

echo "path_bounds: $passed passed, 0 failed"
