#!/bin/sh
# tests/jsonata/cli.sh - asl2c-jsonata: output, undefined results, input
# options, bindings, errors and exit statuses, --help against the man page.
set -u
J="$top_builddir/runtime/jsonata/asl2c-jsonata"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fails=0
check() {  # name expected-status expected-stdout command...
	name=$1 want_rc=$2 want_out=$3
	shift 3
	out=$("$@" 2>"$W/err")
	rc=$?
	if [ "$rc" -ne "$want_rc" ] || [ "$out" != "$want_out" ]; then
		echo "FAIL $name: status $rc (want $want_rc), output '$out' (want '$want_out'); stderr: $(cat "$W/err")"
		fails=$((fails + 1))
	fi
}
check sum 0 '6' "$J" --input '{"a":[1,2,3]}' '$sum(a)'
check numbers 0 '[0.1,1e+21,1e-7,0.30000000000000004]' "$J" '[0.1, 1e21, 1e-7, 0.1 + 0.2]'
check undefined 0 '' "$J" --input '{"a":1}' 'b'
check no-input 0 '' "$J" 'a'
printf '{"x":"hi"}' > "$W/in.json"
check file 0 '"HI"' "$J" --input-file "$W/in.json" '$uppercase(x)'
check stdin 0 '"hi!"' sh -c "printf '{\"x\":\"hi\"}' | '$J' --input-file - 'x & \"!\"'"
printf '{"n": 4}' > "$W/b.json"
check bindings 0 '8' "$J" --bindings-file "$W/b.json" '$n * 2'
check error 1 '' "$J" '1 + "a"'
grep -q '^asl2c-jsonata: T2002: The right side of the "+" operator must evaluate to a number at position 3$' "$W/err" ||
	{ echo "FAIL error message: $(cat "$W/err")"; fails=$((fails + 1)); }
check syntax 1 '' "$J" '(1'
grep -q '^asl2c-jsonata: S0203: ' "$W/err" || { echo "FAIL syntax message: $(cat "$W/err")"; fails=$((fails + 1)); }
check depth 1 '' "$J" --depth 20 '($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(100))'
grep -q '^asl2c-jsonata: U1001: ' "$W/err" || { echo "FAIL depth message: $(cat "$W/err")"; fails=$((fails + 1)); }
check timelimit 1 '' "$J" --timelimit 50 '($f := function(){$f()}; $f())'
check bad-json 2 '' "$J" --input '{' 'a'
check bad-option 2 '' "$J" --frobnicate 'a'
check no-expr 2 '' "$J"
check both-inputs 2 '' "$J" --input 1 --input-file "$W/in.json" 'a'
check bad-depth 2 '' "$J" --depth x 'a'
# every option of --help is in the man page
"$J" --help > "$W/help" || { echo "FAIL --help"; fails=$((fails + 1)); }
for opt in $(grep -o -- '--[a-z-]*' "$W/help" | sort -u); do
	grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$top_srcdir/doc/asl2c-jsonata.1" ||
		{ echo "FAIL $opt missing from asl2c-jsonata.1"; fails=$((fails + 1)); }
done
[ "$fails" -eq 0 ] && echo "asl2c-jsonata: all checks passed"
[ "$fails" -eq 0 ]
