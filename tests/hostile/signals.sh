#!/bin/sh
# signals.sh - SIGINT and SIGTERM in the middle of a Map: the execution
# stops at once (exit 3, States.Aborted on stderr, nothing on stdout), its
# threads wind down, nothing leaks.
. "${top_srcdir:-.}/tests/setup.sh"

prog="$WORK/map"
"$ASL2C" "$top_srcdir/tests/hostile/slow-map.json" -o "$prog.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$prog.c" "$top_srcdir/tests/hostile/handlers.c" \
	$GEN_LIBS -o "$prog"
input='{"items": [{"ms": 300}, {"ms": 300}, {"ms": 300}, {"ms": 300}, {"ms": 300}, {"ms": 300}]}'

# interrupt SIG WHEN: WHEN is "task" (a handler is running) or "wait" (the
# iterations are in their 30 s Wait).
interrupt() {
	sig=$1 when=$2
	rm -f "$WORK/err" "$WORK/out"
	OMP_NUM_THREADS=2 $RUN "$prog" --input "$input" > "$WORK/out" 2> "$WORK/err" &
	pid=$!
	# Wait until the Map has started its tasks (the handler logs).
	i=0
	until grep -q "sleep_ms: started" "$WORK/err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { kill -KILL $pid; fail "the Map never started"; }
		sleep 0.1
	done
	[ "$when" = wait ] && sleep 1
	t0=$(date +%s)
	kill -"$sig" $pid
	status=0
	wait $pid || status=$?
	t1=$(date +%s)
	cat "$WORK/err"
	[ $status -eq 3 ] || fail "SIG$sig during the $when: exit $status, not 3"
	tail -n 1 "$WORK/err" | jq -e '.Error == "States.Aborted"' > /dev/null ||
		fail "SIG$sig: no States.Aborted on stderr"
	[ ! -s "$WORK/out" ] || fail "SIG$sig: output on stdout"
	[ $((t1 - t0)) -le 10 ] || fail "SIG$sig: took $((t1 - t0)) s to stop"
	ok "SIG$sig during the Map's $when"
}

interrupt INT task
interrupt TERM task
interrupt INT wait
interrupt TERM wait

echo "signals: $passed passed, 0 failed"
