#!/bin/sh
# bridge_100k.sh - 100,000 external-command invocations (a Map over 100,000
# items, each calling a shell command through --handler) leak no file
# descriptor, thread or child process: the program is sampled every 0.2 s
# through /proc before, during and after the Map (doc/reliability.md).
# The command uses shell built-ins only (read, printf): each invocation
# still forks /bin/sh, feeds it the event and reads its answer.
. "${top_srcdir:-.}/tests/setup.sh"

N=${BRIDGE_N:-100000}
THREADS=4
prog="$WORK/map"
build_program "$top_srcdir/tests/hostile/cmd-map.json" "$prog"
awk -v n="$N" 'BEGIN { printf "["; for (i = 0; i < n; i++) printf "%s{\"i\":%d}", i ? "," : "", i; print "]" }' \
	> "$WORK/in.json"

# Regression: waiting for each command's exit slept 5 ms, so 1,000
# invocations on one thread took at least 5 s.  Neither timed nor counted
# (how often a command has not exited yet when it is first waited for
# depends on the machine's load: 135 of 1,000 on a loaded one): strace
# shows the program's sleeps and reaps (wait4 returning the pid), and the
# first sleep of each wait, if any, must be short (under 1 ms; the runtime
# starts at 50 us and doubles).  (--time-scale 0: no Wait.)
if [ -z "${VALGRIND:-}" ] && [ -z "${SAN_CFLAGS:-}" ] && command -v strace > /dev/null; then
	awk 'BEGIN { printf "["; for (i = 0; i < 1000; i++) printf "%s%d", i ? "," : "", i; print "]" }' > "$WORK/in1k.json"
	OMP_NUM_THREADS=1 strace -f -qq -e signal=none -o "$WORK/sleeps" \
		-e trace=wait4,nanosleep,clock_nanosleep \
		"$prog" --time-scale 0 --input-file "$WORK/in1k.json" \
		--handler 'cmd=read -r e; printf %s "$e"' --handler 'mark=true' > "$WORK/out1k.json" ||
		fail "1,000 invocations: exit $?"
	cmp -s "$WORK/in1k.json" "$WORK/out1k.json" || fail "1,000 invocations: wrong output"
	# "reaps sleeps long": per thread, a sleep is a wait's first when no
	# sleep came since the last reap; long: a first sleep of 1 ms or more.
	set -- $(awk '
		/wait4/ && / = [1-9][0-9]*$/ { reaps++; first[$1] = 1; next }
		/nanosleep/ && match($0, /tv_sec=[0-9]+, tv_nsec=[0-9]+/) {
			split(substr($0, RSTART, RLENGTH), f, /[=,]/)
			sleeps++
			if (!($1 in first) || first[$1]) {
				if (f[2] + 0 > 0 || f[4] + 0 >= 1000000)
					long++
			}
			first[$1] = 0
		}
		END { print reaps + 0, sleeps + 0, long + 0 }' "$WORK/sleeps")
	echo "1000 invocations on one thread: $1 reaps, $2 sleeps, $3 first sleeps of 1 ms or more"
	[ "$1" -ge 1000 ] || fail "strace saw $1 commands reaped, not 1,000"
	[ "$3" -eq 0 ] || fail "$3 waits for a command began with a sleep of 1 ms or more"
	echo "ok: 1000 invocations on one thread; no wait for a command begins with a long sleep"
fi

t0=$(date +%s)
OMP_NUM_THREADS=$THREADS "$prog" --no-payload-limit --no-history-limit --input-file "$WORK/in.json" \
	--handler 'cmd=read -r e; printf %s "$e"' --handler "mark=touch '$WORK/after'" \
	> "$WORK/out.json" 2> "$WORK/err" &
pid=$!
# One line per sample: fds threads children zombies, and 1 once the Map
# has ended (the Task after it has touched $WORK/after).
: > "$WORK/samples"
while [ -d /proc/$pid ] && s=$(ps -o stat= -p $pid) && [ "${s#Z}" = "$s" ]; do
	fds=$(ls /proc/$pid/fd 2> /dev/null | wc -l)
	# The program may end between the loop's test and here: no file then.
	thr=$(sed -n 's/^Threads:[[:space:]]*//p' /proc/$pid/status 2> /dev/null || :)
	kids=$(ps -o stat= --ppid $pid | wc -l)
	zomb=$(ps -o stat= --ppid $pid | grep -c '^Z' || :)
	[ -e "$WORK/after" ] && end=1 || end=0
	[ -n "$thr" ] && echo "$fds $thr $kids $zomb $end" >> "$WORK/samples"
	sleep 0.2
done
status=0
wait $pid || status=$?
secs=$(($(date +%s) - t0))
echo "$N invocations at $THREADS threads: $secs s (including 5 s of Wait)"
[ $status -eq 0 ] || { tail -c 2000 "$WORK/err" >&2; fail "exit $status"; }
cmp -s "$WORK/in.json" "$WORK/out.json" || fail "the output is not the input"
echo "ok: $N results, each the command's echo of its event"

n=$(wc -l < "$WORK/samples")
[ "$n" -ge 20 ] || fail "only $n samples"
# Before: the first sample (in the 2 s Wait).  After: the second sample
# taken once the Map had ended (in the 3 s Wait, the mark's command reaped;
# not the last, which may see the exit, e.g. LeakSanitizer's tracer child).
read -r fds0 thr0 kids0 zomb0 end0 < "$WORK/samples"
[ "$end0" -eq 0 ] || fail "the first sample came after the Map"
after=$(awk '$5 == 1 && ++n == 2 { print; exit }' "$WORK/samples")
[ -n "$after" ] || fail "fewer than 2 samples after the Map: $(tail -n 3 "$WORK/samples")"
read -r fds1 thr1 kids1 zomb1 end1 <<EOT
$after
EOT
max() { awk -v c="$1" 'BEGIN { m = 0 } $c > m { m = $c } END { print m }' "$WORK/samples"; }
echo "fds: $fds0 before, $fds1 after, at most $(max 1); threads: $thr0 before, $thr1 after, at most $(max 2); children at most $(max 3), zombies at most $(max 4)"
# A leak is a descriptor more after than before (one fewer is fine: a
# runtime library may close one of its own, as ASan's does).
[ "$fds1" -le "$fds0" ] || fail "$((fds1 - fds0)) file descriptors leaked"
[ "$kids1" -eq 0 ] || fail "$kids1 children left after the Map"
[ "$thr1" -le $((THREADS + 1)) ] || fail "$thr1 threads after the Map"
# During: each thread holds at most 4 pipe ends (2 once its command has
# started), runs one command, and reaps it (a command is a zombie only
# between its exit and waitpid).
[ "$(max 1)" -le $((fds0 + 4 * THREADS)) ] || fail "$(max 1) file descriptors during the Map"
[ "$(max 2)" -le $((THREADS + 1)) ] || fail "$(max 2) threads during the Map"
[ "$(max 3)" -le "$THREADS" ] || fail "$(max 3) children at once"
echo "ok: no file descriptor, thread or child process leaked"
