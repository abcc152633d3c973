#!/bin/sh
# cli.sh - asl2c serve's command line: --help in step with asl2c-serve(1),
# usage errors (exit 2), what keeps it from starting (exit 1: a bad or busy
# address, a state folder in use), --logs, --version, SIGINT (exit 0), the
# default state folder.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/serve/lib.sh"
cd "$WORK"

expect 0 "$ASL2C" serve --help
cp "$WORK/out" help.txt
grep -q "^Usage: asl2c serve" help.txt || fail "--help: $(head -2 help.txt)"
for o in $(grep -o -- '--[a-z][a-z-]*' help.txt | sort -u); do
	sed 's/\\-/-/g' "$top_srcdir/doc/asl2c-serve.1" | grep -q -- "$o" ||
		fail "doc/asl2c-serve.1 does not name $o"
done
expect 0 "$ASL2C" serve --version
grep -q "^asl2c serve " "$WORK/out" || fail "--version"
ok "--help names only options of asl2c-serve(1); --version"

for bad in "--nope" "--max-running 0" "--max-running x" "--poll-seconds -1" \
	"--region a:b" "--account 'a b'" "extra" "--listen"; do
	eval "set -- $bad"
	expect 2 "$ASL2C" serve --state "$WORK/st" "$@"
	grep -q "Try 'asl2c serve --help'" "$WORK/err" || fail "$bad: $(cat "$WORK/err")"
done
expect 2 "$ASL2C" serve --handlers-lib /nonexistent.so
ok "usage errors: exit 2"

expect 1 "$ASL2C" serve --state "$WORK/st" --listen nonsense
grep -q "is not an address" "$WORK/err" || fail "--listen nonsense: $(cat "$WORK/err")"
start_serve
expect 1 "$ASL2C" serve --state "$WORK/other" --listen "127.0.0.1:${URL##*:}"
grep -q "cannot listen on" "$WORK/err" || fail "a busy port: $(cat "$WORK/err")"
expect 1 "$ASL2C" serve --state "$STATE" --listen 127.0.0.1:0
grep -q "in use by another asl2c serve" "$WORK/err" || fail "a busy state folder: $(cat "$WORK/err")"
ok "cannot start: a bad address, a busy port, a state folder in use (exit 1)"

expect 1 "$ASL2C" serve --state "$STATE" --logs nope
grep -q "no log for the function nope" "$WORK/err" || fail "--logs nope"
expect 2 "$ASL2C" serve --state "$STATE" --logs "../x"
ok "--logs: a function without a log (1), a name that is none (2)"

kill -INT "$SERVE_PID"
st=0
wait "$SERVE_PID" || st=$?
SERVE_PID=
[ "$st" -eq 0 ] || fail "SIGINT: exit $st"
grep -q "stopping" "$WORK/serve.log" || fail "SIGINT: $(cat "$WORK/serve.log")"
ok "SIGINT stops it (exit 0)"

rm -f "$WORK/url"
XDG_DATA_HOME="$WORK/xdg" "$ASL2C" serve --listen 127.0.0.1:0 \
	--listen-file "$WORK/url" > "$WORK/xdg.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq $((HANG_SECS * 10))); do [ -s "$WORK/url" ] && break; sleep 0.1; done
stop_serve
[ -f "$WORK/xdg/asl2c/serve/state.db" ] || fail "no state in \$XDG_DATA_HOME/asl2c/serve"
ok "the default state folder: \$XDG_DATA_HOME/asl2c/serve"
echo "cli: $passed passed, 0 failed"
