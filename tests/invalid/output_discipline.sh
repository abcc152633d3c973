#!/bin/sh
# output_discipline.sh - output discipline: asl2c writes a temporary file beside the
# output and renames it, so a failed compile (C or --emit=dot) leaves no
# file, no temporary file, and an existing output untouched; --check writes
# nothing at all.
. "${top_srcdir:-.}/tests/setup.sh"

passed=0
bad="$top_srcdir/tests/invalid/cases/many-errors-file-order.json"
good="$top_srcdir/examples/fan-in-unaligned/machine.json"

for emit in c dot; do
	status=0
	"$ASL2C" --emit=$emit "$bad" -o "$WORK/new.$emit" 2>/dev/null || status=$?
	[ $status -eq 1 ] || fail "--emit=$emit: exit status $status, not 1"
	[ ! -e "$WORK/new.$emit" ] || fail "--emit=$emit: a file was written"
	echo "previous" > "$WORK/old.$emit"
	"$ASL2C" --emit=$emit "$bad" -o "$WORK/old.$emit" 2>/dev/null || true
	[ "$(cat "$WORK/old.$emit")" = previous ] ||
		fail "--emit=$emit: the existing output was changed"
	passed=$((passed + 1))
done
ls -a "$WORK" | grep -q '\.[A-Za-z0-9]\{6\}$' && fail "a temporary file was left"

# --check writes nothing, even with -o.
"$ASL2C" --check "$good" -o "$WORK/checked.c"
[ ! -e "$WORK/checked.c" ] || fail "--check wrote a file"
passed=$((passed + 1))

# A good compile replaces the old output whole.
echo "previous" > "$WORK/fan.c"
"$ASL2C" "$good" -o "$WORK/fan.c"
grep -q 'DO NOT EDIT' "$WORK/fan.c" || fail "the output was not replaced"
passed=$((passed + 1))

# Unknown options and bad values are usage errors (exit 2).
for opt in -Wno-such-warning --emit=pdf --diagnostics-format=xml; do
	status=0
	"$ASL2C" $opt --check "$good" 2>/dev/null || status=$?
	[ $status -eq 2 ] || fail "$opt: exit status $status, not 2"
done
passed=$((passed + 1))

# Every example and the seed compile with no diagnostics at all.
for def in "$top_srcdir"/examples/*/machine.json \
           "$top_srcdir"/examples/*/*.asl.json; do
	[ -f "$def" ] || continue
	"$ASL2C" --check "$def" 2> "$WORK/example.err" ||
		fail "$def: rejected"
	[ ! -s "$WORK/example.err" ] || { cat "$WORK/example.err" >&2;
		fail "$def: diagnostics"; }
done
passed=$((passed + 1))

# The diagram of the fan-in example renders.
"$ASL2C" --emit=dot "$good" -o "$WORK/fan.dot"
grep -q '^digraph' "$WORK/fan.dot" || fail "--emit=dot wrote no digraph"
if command -v dot >/dev/null 2>&1; then
	dot -Tsvg "$WORK/fan.dot" -o "$WORK/fan.svg" || fail "dot -Tsvg failed"
fi
passed=$((passed + 1))

echo "output: $passed passed, 0 failed"
