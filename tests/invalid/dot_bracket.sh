#!/bin/sh
# dot_bracket.sh - `$.abc.['def ghi']` (a dot before a bracket, as AWS's
# intrinsic-function examples write it) is read as
# `$.abc['def ghi']`: in Paths, intrinsic arguments, Choice variables and
# ResultPath.  The machine is compiled, built and run.
. "${top_srcdir:-.}/tests/setup.sh"

dir="$top_srcdir/tests/invalid/dot-bracket"
build_program "$dir/machine.json" "$WORK/machine" --no-version ||
	fail "the machine does not compile or build"
echo '{"abc": {"def ghi": "x y", "list of": [1, 2, 3]}, "arr": [10, 20]}' |
	$RUN "$WORK/machine" --input-file - > "$WORK/out.json" ||
	fail "the program failed"
jq -S . "$dir/expected.json" > "$WORK/expected"
jq -S . "$WORK/out.json" > "$WORK/got" || fail "the output is not JSON"
diff -u "$WORK/expected" "$WORK/got" || fail "the output differs"
echo "dot_bracket: 1 passed"
