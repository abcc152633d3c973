#!/bin/sh
# run_cmd.sh - `asl2c run DEFINITION [OPTIONS] [-- PROGRAM OPTIONS]`: one
# command compiles, builds and runs.  The built program is cached by what
# determines it (a hit does not run the C compiler: counted by a wrapper);
# --no-cache builds every time and leaves nothing behind; two runs building
# the same definition at once (held together at the C compiler) both run it
# and leave one program; SIGTERM while building leaves no temporary folder;
# a bad definition gets the compiler's diagnostics
# and status 1, and nothing is built; the program's options go after --,
# and its exit status is the command's.
. "${top_srcdir:-.}/tests/setup.sh"

export XDG_CACHE_HOME="$WORK/cache" TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
cache="$XDG_CACHE_HOME/asl2c"

# The C compiler, behind a wrapper that counts its runs.  With BARRIER set,
# a run waits (up to 60 s) until BARRIER runs have arrived; with HOLD set,
# it says so (a file "holding") and waits for a file "release".
count="$WORK/cc-count"
: > "$count"
cat > "$WORK/cc" <<EOF
#!/bin/sh
echo run >> "$count"
if [ -n "\${BARRIER:-}" ]; then
	: > "$WORK/arrived.\$\$"
	i=0
	while [ "\$(ls "$WORK" | grep -c '^arrived\.')" -lt "\$BARRIER" ] && [ \$i -lt 600 ]; do
		sleep 0.1
		i=\$((i + 1))
	done
fi
if [ -n "\${HOLD:-}" ]; then
	: > "$WORK/holding"
	i=0
	while [ ! -e "$WORK/release" ] && [ \$i -lt 600 ]; do
		sleep 0.1
		i=\$((i + 1))
	done
fi
exec $CC "\$@"
EOF
chmod +x "$WORK/cc"
export ASL2C_CC="$WORK/cc"
builds() { wc -l < "$count" | tr -d ' '; }
programs() { ls "$1" | grep -c '^[0-9a-f]\{64\}$' || true; }
leftovers() { ls "$1" | grep -v '^[0-9a-f]\{64\}$' || true; }

cat > "$WORK/hello.json" <<'EOF'
{
  "StartAt": "Greet",
  "States": {
    "Greet": {
      "Type": "Pass",
      "Parameters": { "greeting.$": "States.Format('Hello, {}', $.name)" },
      "End": true
    }
  }
}
EOF

# The first run builds; the program's options are after --.
expect 0 "$ASL2C" run "$WORK/hello.json" -- --input '{"name": "Ada"}'
[ "$(cat "$WORK/out")" = '{"greeting":"Hello, Ada"}' ] || fail "output: $(cat "$WORK/out")"
[ "$(builds)" = 1 ] || fail "the first run built $(builds) times"
[ "$(programs "$cache")" = 1 ] || fail "the cache holds $(programs "$cache") programs"
[ -z "$(leftovers "$cache")" ] || fail "left in the cache: $(leftovers "$cache")"
ok "the first run compiles, builds and runs; the program is cached"

# A second run is a hit: the C compiler does not run, the file is the same.
prog=$(ls "$cache")
before=$(stat -c '%i %Y' "$cache/$prog")
expect 0 "$ASL2C" run "$WORK/hello.json" -- --input '{"name": "Bo"}'
[ "$(cat "$WORK/out")" = '{"greeting":"Hello, Bo"}' ] || fail "output: $(cat "$WORK/out")"
[ "$(builds)" = 1 ] || fail "a cache hit ran the C compiler"
[ "$(stat -c '%i %Y' "$cache/$prog")" = "$before" ] || fail "a cache hit replaced the program"
ok "a cache hit does not build again"

# The key is the content: the same definition elsewhere is a hit; an edit,
# another --name (in the context object) or other C flags are misses.
mkdir -p "$WORK/elsewhere"
cp "$WORK/hello.json" "$WORK/elsewhere/hello.json"
expect 0 "$ASL2C" run "$WORK/elsewhere/hello.json" -- --input '{"name": "Cy"}'
[ "$(builds)" = 1 ] || fail "the same content under another path was built again"
sed 's/Hello, /Hi, /' "$WORK/hello.json" > "$WORK/elsewhere/hello.json"
expect 0 "$ASL2C" run "$WORK/elsewhere/hello.json" -- --input '{"name": "Cy"}'
[ "$(cat "$WORK/out")" = '{"greeting":"Hi, Cy"}' ] || fail "an edit ran the old program: $(cat "$WORK/out")"
[ "$(builds)" = 2 ] || fail "an edited definition was not built"
cat > "$WORK/ctx.json" <<'EOF'
{"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Parameters": {"arn.$": "$$.StateMachine.Id"}, "End": true}}}
EOF
expect 0 "$ASL2C" run "$WORK/ctx.json" --name first
grep -q 'stateMachine:first"' "$WORK/out" || fail "--name: $(cat "$WORK/out")"
expect 0 "$ASL2C" run "$WORK/ctx.json" --name second
grep -q 'stateMachine:second"' "$WORK/out" || fail "--name: $(cat "$WORK/out")"
[ "$(builds)" = 4 ] || fail "another --name did not build another program"
expect 0 env ASL2C_CFLAGS=-O1 "$ASL2C" run "$WORK/hello.json" -- --input '{"name": "Di"}'
[ "$(builds)" = 5 ] || fail "other C flags did not build another program"
[ "$(programs "$cache")" = 5 ] || fail "the cache holds $(programs "$cache") programs, not 5"
ok "the key is the generated C, the options and the C flags, not the path"

# --no-cache: built every time, in TMPDIR, nothing left; the cache untouched.
expect 0 "$ASL2C" run --no-cache "$WORK/hello.json" -- --input '{"name": "Ed"}'
[ "$(cat "$WORK/out")" = '{"greeting":"Hello, Ed"}' ] || fail "--no-cache: $(cat "$WORK/out")"
expect 0 "$ASL2C" run "$WORK/hello.json" --no-cache -- --input '{"name": "Ed"}'
[ "$(builds)" = 7 ] || fail "--no-cache did not build each time"
[ "$(programs "$cache")" = 5 ] || fail "--no-cache wrote to the cache"
[ -z "$(ls "$TMPDIR")" ] || fail "--no-cache left $(ls "$TMPDIR")"
ok "--no-cache builds each time and leaves nothing"

# Two runs building the same definition at once: both build (held together
# in the C compiler), both run it, one program remains and no temporary.
export XDG_CACHE_HOME="$WORK/cache2"
: > "$count"
BARRIER=2 "$ASL2C" run "$WORK/hello.json" -- --input '{"name": "P1"}' > "$WORK/p1" 2> "$WORK/e1" &
p1=$!
BARRIER=2 "$ASL2C" run "$WORK/hello.json" -- --input '{"name": "P2"}' > "$WORK/p2" 2> "$WORK/e2" &
p2=$!
s1=0 s2=0
wait $p1 || s1=$?
wait $p2 || s2=$?
[ $s1 = 0 ] && [ $s2 = 0 ] || fail "concurrent runs: exit $s1 and $s2: $(cat "$WORK/e1" "$WORK/e2")"
[ "$(cat "$WORK/p1")" = '{"greeting":"Hello, P1"}' ] || fail "run 1: $(cat "$WORK/p1")"
[ "$(cat "$WORK/p2")" = '{"greeting":"Hello, P2"}' ] || fail "run 2: $(cat "$WORK/p2")"
[ "$(builds)" = 2 ] || fail "the two runs did not build at the same time ($(builds) builds)"
[ "$(programs "$WORK/cache2/asl2c")" = 1 ] || fail "two concurrent builds left $(programs "$WORK/cache2/asl2c") programs"
[ -z "$(leftovers "$WORK/cache2/asl2c")" ] || fail "left in the cache: $(leftovers "$WORK/cache2/asl2c")"
ok "two runs building the same definition at once"
export XDG_CACHE_HOME="$WORK/cache"

# SIGTERM while the program is built: asl2c removes its temporary folder
# and dies of the signal; nothing enters the cache.
export XDG_CACHE_HOME="$WORK/cache3"
HOLD=1 "$ASL2C" run "$WORK/hello.json" > /dev/null 2> "$WORK/e3" &
pid=$!
i=0
while [ ! -e "$WORK/holding" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -e "$WORK/holding" ] || fail "the build did not start: $(cat "$WORK/e3")"
[ -n "$(leftovers "$WORK/cache3/asl2c")" ] || fail "no temporary folder while building"
kill -TERM $pid
st=0
wait $pid || st=$?
: > "$WORK/release"
[ $st = 143 ] || fail "asl2c run, SIGTERM while building: exit $st, not 143"
[ -z "$(leftovers "$WORK/cache3/asl2c")" ] || fail "SIGTERM left $(leftovers "$WORK/cache3/asl2c")"
[ "$(programs "$WORK/cache3/asl2c")" = 0 ] || fail "SIGTERM left a program in the cache"
ok "SIGTERM while building removes the temporary folder"
export XDG_CACHE_HOME="$WORK/cache"

# A bad definition: the compiler's diagnostics and status, nothing built.
cat > "$WORK/bad.json" <<'EOF'
{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}
EOF
expect 1 "$ASL2C" run "$WORK/bad.json" -- --input '{}'
grep -q "bad.json:1:[0-9]*: error: MISSING_TRANSITION_TARGET" "$WORK/err" || fail "diagnostics: $(cat "$WORK/err")"
[ "$(builds)" = 3 ] || fail "a bad definition ran the C compiler"
[ "$(programs "$cache")" = 5 ] && [ -z "$(leftovers "$cache")" ] || fail "a bad definition changed the cache: $(ls "$cache")"
expect 2 "$ASL2C" run "$WORK/missing.json"
grep -q "cannot open" "$WORK/err" || fail "a missing definition: $(cat "$WORK/err")"
ok "a bad definition: diagnostics, status 1, nothing built"

# The program's exit status is the command's.
cat > "$WORK/fail.json" <<'EOF'
{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "on purpose"}}}
EOF
cat > "$WORK/slow.json" <<'EOF'
{"TimeoutSeconds": 1, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}
EOF
expect 1 "$ASL2C" run "$WORK/fail.json"
grep -q '"Error":"Boom"' "$WORK/err" || fail "failed execution: $(cat "$WORK/err")"
expect 2 "$ASL2C" run "$WORK/slow.json" -- --time-scale 0
grep -q 'States.Timeout' "$WORK/err" || fail "timed out: $(cat "$WORK/err")"
expect 65 "$ASL2C" run "$WORK/hello.json" -- --input '{'
expect 64 "$ASL2C" run "$WORK/hello.json" -- --no-such-option
expect 0 "$ASL2C" run "$WORK/hello.json" -- --input '{"name": "Fi"}' --pretty
[ "$(wc -l < "$WORK/out")" -gt 1 ] || fail "--pretty did not reach the program: $(cat "$WORK/out")"
ok "exit statuses 1, 2, 65 and 64 and the options after -- are the program's"

# Usage and build errors: status 2, with a message.
expect 2 "$ASL2C" run
grep -q "no definition given" "$WORK/err" || fail "no definition: $(cat "$WORK/err")"
expect 2 "$ASL2C" run "$WORK/hello.json" --input '{}'
grep -q "go after --" "$WORK/err" || fail "a program option before --: $(cat "$WORK/err")"
expect 2 "$ASL2C" run "$WORK/hello.json" "$WORK/fail.json"
expect 2 env ASL2C_CC=false "$ASL2C" run --no-cache "$WORK/fail.json"
grep -q "the C compiler failed" "$WORK/err" || fail "a failing C compiler: $(cat "$WORK/err")"
[ -z "$(ls "$TMPDIR")" ] || fail "a failed build left $(ls "$TMPDIR")"
chmod 777 "$cache"
expect 2 "$ASL2C" run "$WORK/hello.json"
grep -q "only you can write" "$WORK/err" || fail "a cache others can write: $(cat "$WORK/err")"
chmod 700 "$cache"
expect 0 "$ASL2C" run --help
for w in --no-cache --verbose ASL2C_CC ASL2C_CFLAGS ASL2C_RUNTIME_FLAGS; do
	grep -q -- "$w" "$WORK/out" || fail "run --help does not name $w"
	sed 's/\\-/-/g' "$top_srcdir/doc/asl2c.1" | grep -q -- "$w" ||
		fail "doc/asl2c.1 does not name $w"
done
ok "usage, build and cache errors exit 2 with a message"

echo "run_cmd: $passed passed, 0 failed"
