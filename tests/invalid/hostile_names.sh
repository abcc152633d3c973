#!/bin/sh
# hostile_names.sh - code generation cannot be subverted: a machine whose
# state names and strings are hostile to C (comment closers, trigraphs,
# quotes, backslashes, line breaks, U+0000, 80-character Unicode names,
# names equal but for punctuation or case, C keywords, the emitter's own
# template markers) compiles warning-free under -Wall -Wextra -Werror
# -trigraphs with gcc and clang, runs, and gives the expected output.
. "${top_srcdir:-.}/tests/setup.sh"

dir="$top_srcdir/tests/invalid/hostile"
passed=0

check_run() { # check_run DEFINITION EXPECTED NAME
	"$ASL2C" --no-version "$1" -o "$WORK/$3.c"
	for cc in $CC clang; do
		command -v "$cc" >/dev/null 2>&1 || continue
		$cc $GEN_CFLAGS -trigraphs "$WORK/$3.c" $GEN_LIBS -o "$WORK/$3.$cc" \
			2> "$WORK/$3.$cc.log" || {
			cat "$WORK/$3.$cc.log" >&2
			fail "$3: the program does not build with $cc"
		}
	done
	echo '{"in": 1}' | $RUN "$WORK/$3.$CC" --input-file - \
		> "$WORK/$3.out" 2> "$WORK/$3.err" || {
		cat "$WORK/$3.err" >&2
		return 1
	}
	jq -S . "$2" > "$WORK/$3.expected"
	jq -S . "$WORK/$3.out" > "$WORK/$3.got" ||
		fail "$3: the output is not JSON"
	diff -u "$WORK/$3.expected" "$WORK/$3.got" ||
		fail "$3: the output differs"
	passed=$((passed + 1))
}

# The same machine with U+0000 spelt out: everything but NUL.
sed 's/\\u0000/<NUL>/g' "$dir/machine.json" > "$WORK/nonul.json"
sed 's/\\u0000/<NUL>/g' "$dir/expected.json" > "$WORK/nonul.expected.json"
check_run "$WORK/nonul.json" "$WORK/nonul.expected.json" nonul ||
	fail "nonul: the program failed"

# And with U+0000 in strings and keys.
check_run "$dir/machine.json" "$dir/expected.json" nul ||
	fail "nul: the program failed"

# The machine's name (--name) is user text too, in a comment and a string:
# AWS's name rule (runtime/names.c) refuses comment closers, quotes,
# backslashes and trigraphs; what it allows still builds.
status=0
"$ASL2C" --name 'x*/ #error hostile /* ??/ "q" \' "$dir/machine.json" \
	-o "$WORK/refused.c" 2> "$WORK/name.err" || status=$?
[ $status -eq 2 ] && [ ! -e "$WORK/refused.c" ] &&
	grep -q -- "--name: not a valid state machine name" "$WORK/name.err" ||
	fail "--name with comment closers and quotes: exit $status"
"$ASL2C" --name "x'(y)!@=+.-$(printf '\303\251\342\200\256')" "$dir/machine.json" \
	-o "$WORK/named.c"
$CC $GEN_CFLAGS -trigraphs -c "$WORK/named.c" -o "$WORK/named.o" ||
	fail "--name: the program does not build"
passed=$((passed + 1))

# The diagram of the same machine is valid Graphviz.
"$ASL2C" --emit=dot "$dir/machine.json" -o "$WORK/hostile.dot"
if command -v dot >/dev/null 2>&1; then
	dot -Tsvg "$WORK/hostile.dot" -o "$WORK/hostile.svg" ||
		fail "dot cannot render the diagram"
	passed=$((passed + 1))
fi

echo "hostile names: $passed passed, 0 failed"
