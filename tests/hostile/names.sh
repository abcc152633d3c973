#!/bin/sh
# names.sh - execution and state machine names follow AWS's rule
# (runtime/names.c): 1 to 80 characters of UTF-8, no white space, brackets,
# wildcards, special or control characters.  A bad --name is a usage error
# (it used to crash the program: SIGSEGV on an unchecked NULL building the
# context object); a file name that would not be a valid name is made one.
. "${top_srcdir:-.}/tests/setup.sh"

prog="$WORK/echo"
build_program "$top_srcdir/tests/hostile/echo.json" "$prog"

for bad in "$(printf 'a\377b')" "$(printf '\300\200')" "a b" "a/b" "x*" "$(printf 'a\302\205b')" ""; do
	expect 64 $RUN "$prog" --name "$bad"
	grep -q -- "--name: not a valid execution name" "$WORK/err" || fail "--name '$bad': no clear error"
	[ ! -s "$WORK/out" ] || fail "--name '$bad': an output"
done
ok "invalid --name: exit 64"
n80=$(awk 'BEGIN { for (i = 0; i < 80; i++) printf "\303\251" }')
expect 0 $RUN "$prog" --name "$n80" --describe
[ "$(jq -r .name "$WORK/out")" = "$n80" ] || fail "an 80-character name was not kept"
expect 64 $RUN "$prog" --name "${n80}e"
ok "80 characters (not bytes) pass, 81 do not"

# The compiler: --name is checked, a default name from a file name that
# is not UTF-8 (or holds spaces) is made valid.
expect 2 "$ASL2C" --name "$(printf 'a\377')" "$top_srcdir/tests/hostile/echo.json" -o "$WORK/x.c"
grep -q -- "--name: not a valid state machine name" "$WORK/err" || fail "asl2c --name: no clear error"
odd="$WORK/$(printf 'my m\377chine').json"
cp "$top_srcdir/tests/hostile/echo.json" "$odd"
build_program "$odd" "$WORK/odd"
expect 0 $RUN "$WORK/odd" --describe
[ "$(jq -r .stateMachineArn "$WORK/out")" = "arn:aws:states:us-east-1:000000000000:stateMachine:my_m_chine" ] ||
	fail "the default name was not made valid: $(cat "$WORK/out")"
ok "the default name from a file name is made valid"

# A program whose C was edited to hold an invalid name: refused, no crash.
"$ASL2C" "$top_srcdir/tests/hostile/echo.json" -o "$WORK/bad.c"
sed -i 's/^\t\.name = "echo",/\t.name = "ec\\377ho",/' "$WORK/bad.c"
grep -q 'ec\\377ho' "$WORK/bad.c" || fail "the program's name was not found in its C"
$CC $GEN_CFLAGS "$WORK/bad.c" $GEN_LIBS -o "$WORK/bad"
expect 64 $RUN "$WORK/bad"
grep -q "the state machine's name is not a valid name" "$WORK/err" || fail "a bad built-in name: no clear error"
ok "a program holding an invalid name: exit 64"

echo "names: $passed passed, 0 failed"
