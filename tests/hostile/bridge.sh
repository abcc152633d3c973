#!/bin/sh
# bridge.sh - external-command handlers (--handler NAME=COMMAND) that
# misbehave: invalid JSON, no output, a crash, a hang past TimeoutSeconds
# (its whole process group killed, nothing survives), 50 MiB on stdout
# (stopped at Lambda's 6 MB response limit, memory bounded) and on stderr
# (passed through).  Each fails the task with the error name and cause AWS
# builds from a Lambda error (doc/reliability.md, doc/handlers.md).
. "${top_srcdir:-.}/tests/setup.sh"

prog="$WORK/cmd"
lambda='.errorType == $e and (.requestId | length) == 36 and .stackTrace == []'
build_program "$top_srcdir/tests/hostile/cmd-task.json" "$prog"

# call COMMAND: run the task with COMMAND as its handler (under the hang
# detector); sets status, out, err (the last line of stderr).
call() {
	status=0
	nohang $RUN "$prog" --seed 1 --input '{"a": 1}' --handler "cmd=$1" \
		> "$WORK/out" 2> "$WORK/err" || status=$?
	out=$(cat "$WORK/out")
	err=$(tail -n 1 "$WORK/err")
}
# failed_with COMMAND ERROR [JQ]: exit 1, nothing on stdout, {"Error": ERROR}
# on stderr, and the cause is a Lambda error object on which JQ holds.
failed_with() {
	call "$1"
	[ $status -eq 1 ] || { tail -c 2000 "$WORK/err" >&2; fail "'$1': exit $status, not 1"; }
	[ -z "$out" ] || fail "'$1': output on stdout: $out"
	printf "%s\n" "$err" | jq_check - '.Error == $e' --arg e "$2" ||
		{ printf "%s\n" "$err" >&2; fail "'$1': not failed with $2"; }
	[ -z "${3:-}" ] || printf "%s\n" "$err" | jq_check - ".Cause | fromjson | $lambda and ($3)" --arg e "$2" ||
		{ printf "%s\n" "$err" >&2; fail "'$1': cause: $3"; }
}

call 'cat'
[ $status -eq 0 ] && [ "$out" = '{"a":1}' ] || fail "cat: exit $status, $out"
ok "a command that echoes its event"

failed_with 'echo "{not json"' Runtime.MarshalError \
	"(.errorMessage | startswith(\"Unable to marshal response: the output of 'echo \\\"{not json\\\"' is not JSON: \"))"
ok "invalid JSON: Runtime.MarshalError"
failed_with 'echo "{}{}"' Runtime.MarshalError true
failed_with 'printf "\"\\377\""' Runtime.MarshalError true
ok "two JSON texts, invalid UTF-8: Runtime.MarshalError"
# Valid JSON with a number the runtime cannot hold: said so (AWS would
# take the integer, doc/semantics.md).
for n in 9223372036854775808 1e400; do
	failed_with "echo '[$n]'" Runtime.MarshalError \
		'(.errorMessage | contains("holds a number asl2c cannot hold (64-bit integers, finite reals)"))'
done
ok "a number beyond 64 bits or a double: Runtime.MarshalError that says so"

call 'cat > /dev/null'
[ $status -eq 0 ] && [ "$out" = 'null' ] || fail "no output: exit $status, $out"
ok "no output: the result is null"

failed_with 'kill -SEGV $$' Runtime.ExitError \
	'.errorMessage == "RequestId: \(.requestId) Error: Runtime exited with error: signal: segmentation fault"'
ok "a crash (SIGSEGV): Runtime.ExitError, signal: segmentation fault"
failed_with 'exit 3' Runtime.ExitError \
	'.errorMessage == "RequestId: \(.requestId) Error: Runtime exited with error: exit status 3"'
ok "exit 3: Runtime.ExitError, exit status 3"
failed_with 'echo "{\"errorType\": \"ValueError\", \"errorMessage\": \"bad\"}"' ValueError
printf "%s\n" "$err" | jq_check - '.Cause == "{\"errorType\": \"ValueError\", \"errorMessage\": \"bad\"}"' ||
	fail "an error object: the cause is not the document as written: $err"
ok "an error object: its errorType, the document as the cause"

# A hang past TimeoutSeconds (1 s): a tree of processes that ignore SIGTERM
# and sleep 300 s.  Not timed: a group that is not killed outlives the
# hang detector.  They are all gone once the program has exited (zombies
# waiting for init to reap them are dead: state Z; gone allows a killed
# process the time to die).
pids="$WORK/pids"
: > "$pids"
failed_with "echo \$\$ >> $pids; (trap '' TERM; sleep 300 & echo \$! >> $pids; wait) & echo \$! >> $pids; trap '' TERM; sleep 300 & echo \$! >> $pids; wait" States.Timeout
[ "$(wc -l < "$pids")" -eq 4 ] || fail "hang: the command did not start its processes"
gone $(cat "$pids") || { kill -KILL $(cat "$pids") 2> /dev/null || :; fail "hang: a process survived"; }
ok "a hang past TimeoutSeconds: States.Timeout, its process group killed"

# A command that leaves a background process holding its stdout: the task
# ends when the command exits (TimeoutSeconds is 1 s: waiting for the
# pipe's EOF fails it with States.Timeout), its result is what it wrote,
# and the process it left behind is ended with its group.
: > "$pids"
call "sleep 300 & echo \$! >> $pids; echo 1"
[ $status -eq 0 ] && [ "$out" = 1 ] || { tail -c 2000 "$WORK/err" >&2; fail "background process: exit $status, $out"; }
[ "$(wc -l < "$pids")" -eq 1 ] || fail "background process: not started"
p=$(cat "$pids")
s=$(ps -o stat= -p "$p" 2> /dev/null || :)
case $s in ''|Z*) ;; *) kill -KILL "$p"; fail "background process: $p survived ($s)" ;; esac
call "printf '{\"a\": [1, 2]}'; (sleep 300; echo late) & exit 0"
[ $status -eq 0 ] && [ "$out" = '{"a":[1,2]}' ] || fail "background process: exit $status, $out"
ok "a background process holding stdout: the task ends with the command, its group ended"

# The floods are not about time: their program waits up to an hour (the
# 1 s timeout could pass on a loaded machine before 6 MB were read).
flood="$WORK/flood"
jq '.States.Call.TimeoutSeconds = 3600' "$top_srcdir/tests/hostile/cmd-task.json" > "$WORK/flood.json"
build_program "$WORK/flood.json" "$flood"

# 50 MiB on stdout: read up to Lambda's limit, then stopped.
if [ -x /usr/bin/time ] && [ -z "${VALGRIND:-}" ]; then TIME="/usr/bin/time -f %M -o $WORK/rss"; else TIME=; fi
status=0
$TIME $RUN "$flood" --seed 1 --input '{}' --no-payload-limit --handler "cmd=head -c 52428800 /dev/zero | tr '\\0' x" \
	> "$WORK/out" 2> "$WORK/err" || status=$?
[ $status -eq 1 ] || { tail -c 2000 "$WORK/err" >&2; fail "stdout flood: exit $status"; }
tail -n 1 "$WORK/err" | jq_check - '.Error == "Function.ResponseSizeTooLarge" and (.Cause | fromjson | .errorMessage == "Response payload size exceeded maximum allowed payload size (6291556 bytes).")' ||
	{ tail -c 2000 "$WORK/err" >&2; fail "stdout flood: not Function.ResponseSizeTooLarge"; }
if [ -n "$TIME" ] && [ -z "${SAN_CFLAGS:-}" ]; then
	[ "$(tail -n 1 "$WORK/rss")" -lt 40000 ] || fail "stdout flood: $(tail -n 1 "$WORK/rss") KiB resident"
fi
ok "50 MiB on stdout: Function.ResponseSizeTooLarge, memory bounded"

# 50 MiB on stderr: the program's stderr, passed through as logs.
status=0
$TIME $RUN "$flood" --seed 1 --input '{"a": 1}' --handler "cmd=head -c 52428800 /dev/zero | tr '\\0' x >&2; cat" \
	> "$WORK/out" 2> "$WORK/err" || status=$?
[ $status -eq 0 ] && [ "$(cat "$WORK/out")" = '{"a":1}' ] || fail "stderr flood: exit $status"
[ "$(head -c 52428800 "$WORK/err" | tr -d x | wc -c)" -eq 0 ] &&
	[ "$(wc -c < "$WORK/err")" -ge 52428800 ] || fail "stderr flood: the logs are not whole"
if [ -n "$TIME" ] && [ -z "${SAN_CFLAGS:-}" ]; then
	[ "$(tail -n 1 "$WORK/rss")" -lt 40000 ] || fail "stderr flood: $(tail -n 1 "$WORK/rss") KiB resident"
fi
rm -f "$WORK/err"
ok "50 MiB on stderr: passed through, the task succeeds"

echo "bridge: $passed passed, 0 failed"
