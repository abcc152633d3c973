#!/bin/sh
# signals.sh - SIGINT and SIGTERM in the middle of a Map: the execution
# stops at once (exit 3, States.Aborted on stderr, nothing on stdout), its
# threads wind down, nothing leaks.  Not timed (the machines are shared):
# the iterations' Waits last an hour, so a Map that is not stopped meets
# the hang detector.
. "${top_srcdir:-.}/tests/setup.sh"

prog="$WORK/map"
jq '.States.Each.ItemProcessor.States.Wait.Seconds = 3600' \
	"$top_srcdir/tests/hostile/slow-map.json" > "$WORK/slow-map.json"
"$ASL2C" "$WORK/slow-map.json" -o "$prog.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$prog.c" "$top_srcdir/tests/hostile/handlers.c" \
	$GEN_LIBS -o "$prog"
input='{"items": [{"ms": 300}, {"ms": 300}, {"ms": 300}, {"ms": 300}, {"ms": 300}, {"ms": 300}]}'

# interrupt SIG WHEN: WHEN is "task" (a handler is running) or "wait" (the
# iterations are in their one-hour Wait).
interrupt() {
	sig=$1 when=$2
	rm -f "$WORK/err" "$WORK/out"
	OMP_NUM_THREADS=2 $RUN "$prog" --input "$input" > "$WORK/out" 2> "$WORK/err" &
	pid=$!
	# Wait until the Map has started its tasks (the handler logs).
	i=0
	until grep -q "sleep_ms: started" "$WORK/err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 1200 ] || { kill -KILL $pid; fail "the Map never started"; }
		sleep 0.1
	done
	[ "$when" = wait ] && sleep 1
	kill -"$sig" $pid
	# The hang detector: the program has exited within $HANG_SECS s.
	nohang tail --pid=$pid -f /dev/null ||
		{ kill -KILL $pid; fail "SIG$sig during the $when: still running after $HANG_SECS s"; }
	status=0
	wait $pid || status=$?
	cat "$WORK/err"
	[ $status -eq 3 ] || fail "SIG$sig during the $when: exit $status, not 3"
	tail -n 1 "$WORK/err" | jq_check - '.Error == "States.Aborted"' ||
		fail "SIG$sig: no States.Aborted on stderr"
	[ ! -s "$WORK/out" ] || fail "SIG$sig: output on stdout"
	ok "SIG$sig during the Map's $when"
}

interrupt INT task
interrupt TERM task
interrupt INT wait
interrupt TERM wait

echo "signals: $passed passed, 0 failed"
