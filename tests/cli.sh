#!/bin/sh
# cli.sh - the asl2c command line: exit statuses, diagnostics, and the
# output file discipline (nothing written on error, an existing file left
# untouched).
. "${top_srcdir:-.}/tests/setup.sh"


# A malformed definition: file:line:col: error:, exit 1, no output file.
printf '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "End": true,}\n  }\n}\n' > "$WORK/bad.json"
status=0
"$ASL2C" "$WORK/bad.json" -o "$WORK/bad.c" 2> "$WORK/bad.err" || status=$?
cat "$WORK/bad.err"
[ $status -eq 1 ] || fail "exit status $status, not 1"
grep -q "^$WORK/bad.json:4:39: error: INVALID_JSON_DESCRIPTION: " "$WORK/bad.err" ||
	fail "no file:line:col: error: diagnostic"
[ ! -e "$WORK/bad.c" ] || fail "an output file was written"
ls "$WORK" | grep -q 'bad.c.' && fail "a temporary file was left behind"
ok "malformed definition"

# An invalid one: the existing output stays as it was.
echo "previous contents" > "$WORK/keep.c"
printf '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}' > "$WORK/missing.json"
status=0
"$ASL2C" "$WORK/missing.json" -o "$WORK/keep.c" 2> "$WORK/missing.err" || status=$?
cat "$WORK/missing.err"
[ $status -eq 1 ] || fail "exit status $status, not 1"
grep -q "missing.json:1:59: error: MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next" "$WORK/missing.err" ||
	fail "no MISSING_TRANSITION_TARGET diagnostic"
[ "$(cat "$WORK/keep.c")" = "previous contents" ] || fail "the existing file was changed"
ok "invalid definition keeps the existing output"

# Usage and I/O errors: exit 2.
status=0; "$ASL2C" 2>/dev/null || status=$?
[ $status -eq 2 ] || fail "no arguments: exit $status, not 2"
status=0; "$ASL2C" --bogus x.json -o x.c 2>/dev/null || status=$?
[ $status -eq 2 ] || fail "unknown option: exit $status, not 2"
status=0; "$ASL2C" "$WORK/none.json" -o "$WORK/none.c" 2>/dev/null || status=$?
[ $status -eq 2 ] || fail "missing file: exit $status, not 2"
status=0; "$ASL2C" "$top_srcdir/examples/fan-in-unaligned/machine.json" -o "$WORK/no/such/dir/x.c" 2>/dev/null || status=$?
[ $status -eq 2 ] || fail "unwritable output: exit $status, not 2"
ok "usage and I/O errors"

# stdin and stdout.
"$ASL2C" - -o - < "$top_srcdir/examples/fan-in-unaligned/machine.json" > "$WORK/stdio.c"
grep -q 'asl_main' "$WORK/stdio.c" || fail "no program on stdout"
ok "stdin to stdout"

"$ASL2C" --help | grep -q 'Usage: ' || fail "--help"
"$ASL2C" --version | grep -q '^asl2c ' || fail "--version"
ok "--help and --version"

# The generated program's command line.
build_program "$top_srcdir/examples/fan-in-unaligned/machine.json" "$WORK/fan"
status=0; $RUN "$WORK/fan" --input '{' > /dev/null 2> "$WORK/in.err" || status=$?
[ $status -eq 65 ] || fail "invalid input: exit $status, not 65"
grep -q 'invalid execution input' "$WORK/in.err" || fail "no message for invalid input"
status=0; $RUN "$WORK/fan" --bogus > /dev/null 2>&1 || status=$?
[ $status -eq 64 ] || fail "bad option: exit $status, not 64"
echo '{}' | $RUN "$WORK/fan" --input-file - > "$WORK/stdin.out" 2>/dev/null
jq_check "$WORK/stdin.out" '.Payload == true and .StatusCode == 200' || fail "--input-file -"
ok "generated program options and exit statuses"

# The execution's TimeoutSeconds: States.Timeout, exit 2, at once under a
# virtual clock.
printf '{"TimeoutSeconds": 10, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": true}}}' > "$WORK/timeout.json"
build_program "$WORK/timeout.json" "$WORK/timeout"
status=0
$RUN "$WORK/timeout" --time-scale 0 > "$WORK/timeout.out" 2> "$WORK/timeout.err" || status=$?
[ $status -eq 2 ] || fail "timed out execution: exit $status, not 2"
grep -q '"Error":"States.Timeout"' "$WORK/timeout.err" || fail "no States.Timeout"
[ ! -s "$WORK/timeout.out" ] || fail "a timed-out execution printed an output"
ok "execution TimeoutSeconds"

# A failed execution: its error and cause on stderr, exit 1.
printf '{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "it broke"}}}' > "$WORK/fail.json"
build_program "$WORK/fail.json" "$WORK/fail"
status=0
$RUN "$WORK/fail" > "$WORK/fail.out" 2> "$WORK/fail.err" || status=$?
[ $status -eq 1 ] || fail "failed execution: exit $status, not 1"
[ "$(cat "$WORK/fail.err")" = '{"Error":"Boom","Cause":"it broke"}' ] || fail "error output: $(cat "$WORK/fail.err")"
ok "failed execution"

# JSONata compiles: --check, --emit=dot and C, the expression in the
# program's table.
printf '{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{%% $states.input.a %%}", "End": true}}}' > "$WORK/jsonata.json"
"$ASL2C" --check "$WORK/jsonata.json" || fail "--check rejected a valid JSONata definition"
"$ASL2C" --emit=dot "$WORK/jsonata.json" -o "$WORK/jsonata.dot" || fail "--emit=dot rejected a JSONata definition"
grep -q 'label="P.nPass"' "$WORK/jsonata.dot" || fail "JSONata: no state P in the diagram"
"$ASL2C" "$WORK/jsonata.json" -o "$WORK/jsonata.c" || fail "JSONata: not compiled"
grep -q '"\$states.input.a",' "$WORK/jsonata.c" || fail "JSONata: the expression is not in the program"
grep -q '\.n_jsonata = 1,' "$WORK/jsonata.c" || fail "JSONata: no expression table"
ok "JSONata compiles"

echo "cli: $passed passed, 0 failed"
