#!/bin/sh
# invalid.sh - the front end's diagnostics, one case per check.
#
# Each tests/invalid/cases/NAME.json is checked with `asl2c --check` (and
# the options in NAME.args, if any), from the cases folder so diagnostics
# name the file as NAME.json.  What asl2c prints must equal NAME.err
# (stderr) and NAME.out (stdout, when present); the exit status must be 1
# when NAME.err holds an error, 0 otherwise.  Cases whose NAME.err is
# empty are definitions AWS accepts: no false positives.
#
#     invalid.sh --update    rewrite the .err and .out files from asl2c
. "${top_srcdir:-.}/tests/setup.sh"

update=no
[ "${1:-}" = "--update" ] && update=yes
cases="$top_srcdir/tests/invalid/cases"
passed=0
failed=0

for def in "$cases"/*.json; do
	name=$(basename "$def" .json)
	args=$(cat "$cases/$name.args" 2>/dev/null || true)
	status=0
	(cd "$cases" && "$ASL2C" --check $args "$name.json") \
		> "$WORK/$name.out" 2> "$WORK/$name.err" || status=$?
	if [ $update = yes ]; then
		cp "$WORK/$name.err" "$cases/$name.err"
		if [ -s "$WORK/$name.out" ]; then
			cp "$WORK/$name.out" "$cases/$name.out"
		fi
	fi
	why=""
	if ! diff -u "$cases/$name.err" "$WORK/$name.err" > "$WORK/$name.diff"; then
		why="stderr differs"
	elif [ -f "$cases/$name.out" ] &&
	     ! diff -u "$cases/$name.out" "$WORK/$name.out" >> "$WORK/$name.diff"; then
		why="stdout differs"
	elif [ ! -f "$cases/$name.out" ] && [ -s "$WORK/$name.out" ]; then
		why="unexpected stdout"
	elif grep -q ': error: ' "$cases/$name.err" ||
	     grep -q '"result": "FAIL"' "$cases/$name.out" 2>/dev/null; then
		[ $status -eq 1 ] || why="exit status $status, not 1"
	else
		[ $status -eq 0 ] || why="exit status $status, not 0"
	fi
	if [ -n "$why" ]; then
		cat "$WORK/$name.diff" >&2
		echo "FAIL: $name: $why" >&2
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done

# A definition over AWS's 1 MB limit (made here: too big to keep).
{
	printf '{"StartAt": "A", "Comment": "'
	head -c 1048576 /dev/zero | tr '\0' x
	printf '", "States": {"A": {"Type": "Succeed"}}}\n'
} > "$WORK/too-large.json"
status=0
"$ASL2C" --check "$WORK/too-large.json" 2> "$WORK/too-large.err" || status=$?
if [ $status -eq 1 ] &&
   grep -q '1:1: error: SCHEMA_VALIDATION_FAILED: The definition is [0-9]* bytes long' "$WORK/too-large.err"; then
	passed=$((passed + 1))
else
	echo "FAIL: too-large: exit status $status" >&2
	head -c 300 "$WORK/too-large.err" >&2
	failed=$((failed + 1))
fi

echo "invalid: $passed passed, $failed failed"
[ $failed -eq 0 ]
