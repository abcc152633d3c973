#!/bin/sh
# handlers.sh - the handlers of a generated program: a C handler linked in,
# a handler library (--handlers-lib), the external-command bridge
# (--handler NAME=COMMAND) with success, error and timeout, commands run in
# parallel by Map iterations without leaking descriptors, a missing
# function, SIGTERM stopping a running command, and the fan-in example with
# its Python handlers giving the built-in handlers' result.
. "${top_srcdir:-.}/tests/setup.sh"

here="$top_srcdir/tests/handlers"

# A C handler linked into the program.
"$ASL2C" "$here/greet.json" -o "$WORK/greet.c"
$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/greet.c" -DGREET_MAIN "$here/greet.c" \
	$GEN_LIBS -o "$WORK/greet-linked"
expect 0 $RUN "$WORK/greet-linked" --input '{"name": "Ada"}'
[ "$(jq -c . "$WORK/out")" = '{"greeting":"Hello, Ada","function":"greet","state":"Greet"}' ] ||
	fail "linked C handler: $(cat "$WORK/out")"
grep -q '^greeting Ada$' "$WORK/err" || fail "asl_log did not log on stderr"
expect 1 $RUN "$WORK/greet-linked" --input '{}'
jq_check "$WORK/err" '.Error == "NoName" and (.Cause | fromjson | .errorMessage == "event.name must be a string" and .errorType == "NoName")' ||
	fail "C handler error: $(cat "$WORK/err")"
ok "C handler linked into the program, its error as a Lambda error"

# The same handler as a library loaded at run time.  A program linked with
# the static runtime exports its symbols to the library with -rdynamic.
$CC $GEN_CFLAGS -fPIC -shared "$here/greet.c" -o "$WORK/greet.so"
build_program "$here/greet.json" "$WORK/greet"
$CC $GEN_CFLAGS "$WORK/greet.c" $GEN_LIBS -rdynamic -o "$WORK/greet"
expect 1 $RUN "$WORK/greet" --input '{"name": "Ada"}'
jq_check "$WORK/err" '.Error == "Lambda.ResourceNotFoundException"' ||
	fail "no handler: $(cat "$WORK/err")"
grep -q 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:greet:\$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ' "$WORK/err" ||
	fail "ResourceNotFoundException cause: $(cat "$WORK/err")"
ok "a function without a handler fails with Lambda.ResourceNotFoundException"
expect 0 $RUN "$WORK/greet" --handlers-lib "$WORK/greet.so" --input '{"name": "Bob"}'
jq_check "$WORK/out" '.greeting == "Hello, Bob"' || fail "--handlers-lib: $(cat "$WORK/out")"
expect 64 $RUN "$WORK/greet" --handlers-lib "$WORK/none.so"
grep -q -- '--handlers-lib' "$WORK/err" || fail "no message for a missing library"
ok "handler library (--handlers-lib)"

# The bridge: success (the legacy ARN form returns the command's output).
build_program "$here/legacy.json" "$WORK/legacy"
expect 0 $RUN "$WORK/legacy" --handler 'work=jq -c "{got: .}"' --input '{"n": 1}'
[ "$(cat "$WORK/out")" = '{"got":{"n":1}}' ] || fail "bridge: $(cat "$WORK/out")"
# The command's stderr is the program's; an empty answer is null.
expect 0 $RUN "$WORK/legacy" --handler 'work=echo to-stderr >&2'
[ "$(cat "$WORK/out")" = 'null' ] || fail "empty stdout: $(cat "$WORK/out")"
grep -q '^to-stderr$' "$WORK/err" || fail "the command's stderr was lost"
# A command's handler replaces a built-in one of the same name.
expect 0 $RUN "$WORK/greet" --handler 'greet=echo "\"bridged\""'
[ "$(cat "$WORK/out")" = '"bridged"' ] || fail "lambda:invoke through the bridge"
ok "bridge: success"

# The bridge: an error object, as a Python Lambda reports it: the cause is
# the document as the command wrote it (tests/handlers/lambda_invoke.sh).
expect 1 $RUN "$WORK/legacy" --seed 1 --handler 'work=echo "{\"errorType\": \"ValueError\", \"errorMessage\": \"bad n\", \"stackTrace\": [\"line 1\"]}"; exit 1'
jq_check "$WORK/err" '.Error == "ValueError" and .Cause == "{\"errorType\": \"ValueError\", \"errorMessage\": \"bad n\", \"stackTrace\": [\"line 1\"]}"' ||
	fail "error object: $(cat "$WORK/err")"
# A non-zero exit without one.
expect 1 $RUN "$WORK/legacy" --handler 'work=exit 3'
jq_check "$WORK/err" '.Error == "Runtime.ExitError" and (.Cause | fromjson | .errorMessage | test("Runtime exited with error: exit status 3"))' ||
	fail "exit status: $(cat "$WORK/err")"
# Output that is not JSON.
expect 1 $RUN "$WORK/legacy" --handler 'work=echo not json'
jq_check "$WORK/err" '.Error == "Runtime.MarshalError"' ||
	fail "not JSON: $(cat "$WORK/err")"
ok "bridge: errors"

# The bridge: TimeoutSeconds (2) kills the command's process group.  Not
# timed: a command that is not stopped runs 300 s, past the hang detector.
rm -f "$WORK/bg.pid"
expect 1 nohang $RUN "$WORK/legacy" --handler "work=(sleep 300; echo late) & echo \$! > $WORK/bg.pid; sleep 300"
jq_check "$WORK/err" '.Error == "States.Timeout"' || fail "timeout: $(cat "$WORK/err")"
[ -s "$WORK/bg.pid" ] || fail "the command did not start its background process"
gone "$(cat "$WORK/bg.pid")" || fail "the command's background process survived"
ok "bridge: TimeoutSeconds kills the command's process group"

# Map iterations run their commands in parallel: each command logs its
# start, waits until all four have started (a barrier), then logs its end.
# Run one after the other, the first command would never pass the
# barrier: it gives up after 60 s and the Map fails.  A command holds none
# of the program's descriptors (its pipes, the other commands').
build_program "$here/fanout.json" "$WORK/fanout"
mkdir -p "$WORK/fds"
: > "$WORK/par.log"
cat > "$WORK/barrier.sh" << EOF
echo "start \$\$" >> "$WORK/par.log"
i=0
until [ "\$(grep -c '^start' "$WORK/par.log")" -ge 4 ]; do
	i=\$((i + 1))
	if [ \$i -gt 600 ]; then
		echo "barrier: \$(grep -c '^start' "$WORK/par.log") of 4 commands started" >&2
		exit 1
	fi
	sleep 0.1
done
ls /proc/self/fd > "$WORK/fds/\$\$"
echo "end \$\$" >> "$WORK/par.log"
echo 1
EOF
OMP_NUM_THREADS=4 expect 0 nohang $RUN "$WORK/fanout" --input '{"items": [1, 2, 3, 4]}' \
	--handler "work=sh $WORK/barrier.sh"
[ "$(jq -c . "$WORK/out")" = '[1,1,1,1]' ] || fail "fanout: $(cat "$WORK/out")"
# All four started before any ended: the commands' own log, not a clock.
[ "$(cut -d ' ' -f 1 "$WORK/par.log" | tr '\n' ' ')" = "start start start start end end end end " ] ||
	fail "the commands did not overlap: $(tr '\n' ' ' < "$WORK/par.log")"
[ "$(grep '^start' "$WORK/par.log" | cut -d ' ' -f 2 | sort -u | wc -l)" -eq 4 ] ||
	fail "not 4 commands: $(tr '\n' ' ' < "$WORK/par.log")"
# What a command inherits anyway (from make and this shell), listed the same way.
sh -c "ls /proc/self/fd > $WORK/fds.base"
base=" $(tr '\n' ' ' < "$WORK/fds.base")"
[ "$(ls "$WORK/fds" | wc -l)" -eq 4 ] || fail "not 4 commands"
for fd in $(cat "$WORK"/fds/*); do
	case "$base" in
	*" $fd "*) ;;
	*) fail "descriptor $fd leaked into a command (inherited:$base)" ;;
	esac
done
ok "Map iterations run commands in parallel (all four start before any ends), no descriptor leaks"

# SIGTERM: the running command is stopped, the execution is ABORTED (3).
rm -f "$WORK/cmd.pid"
$RUN "$WORK/legacy" --history "$WORK/aborted.json" \
	--handler "work=echo \$\$ > $WORK/cmd.pid; exec sleep 30" > /dev/null 2> "$WORK/err" &
pid=$!
i=0
while [ ! -s "$WORK/cmd.pid" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$WORK/cmd.pid" ] || fail "the command did not start"
kill -TERM $pid
status=0
wait $pid || status=$?
[ $status -eq 3 ] || fail "SIGTERM: exit status $status, not 3"
gone "$(cat "$WORK/cmd.pid")" || fail "the command survived SIGTERM"
[ "$(jq -r '.events[-1].type' "$WORK/aborted.json")" = ExecutionAborted ] ||
	fail "the history does not end with ExecutionAborted"
ok "SIGTERM stops the command, exit 3, ExecutionAborted"

# The fan-in example with its Python handlers through the bridge gives the
# built-in C handlers' output, byte for byte, and the same log; so does its
# JSONata version (examples/fan-in-unaligned-jsonata), the same as the
# seed's.
if command -v python3 > /dev/null 2>&1; then
	py="$top_srcdir/examples/fan-in-unaligned/handlers"
	for ex in fan-in-unaligned fan-in-unaligned-jsonata; do
		build_program "$top_srcdir/examples/$ex/machine.json" "$WORK/fan" --name fan-in-unaligned
		args="--seed 7 --start-time 2026-01-01T00:00:00Z --name golden"
		OMP_NUM_THREADS=1 expect 0 $RUN "$WORK/fan" $args
		cp "$WORK/out" "$WORK/c.out"
		cp "$WORK/err" "$WORK/c.err"
		OMP_NUM_THREADS=1 expect 0 $RUN "$WORK/fan" $args \
			--handler "partitions_detector=python3 $py/partitions_detector.py" \
			--handler "partitions_processor=python3 $py/partitions_processor.py" \
			--handler "table_creator=python3 $py/table_creator.py"
		[ -s "$WORK/c.out" ] && [ -s "$WORK/c.err" ] || fail "$ex: built-in handlers: no output or no log"
		cmp "$WORK/c.out" "$WORK/out" || fail "$ex: Python handlers: another output"
		cmp "$WORK/c.err" "$WORK/err" || fail "$ex: Python handlers: another log"
		if [ $ex = fan-in-unaligned ]; then
			cp "$WORK/out" "$WORK/seed.out"
			cp "$WORK/err" "$WORK/seed.err"
		else
			cmp "$WORK/seed.out" "$WORK/out" || fail "$ex: another output than the seed's"
			cmp "$WORK/seed.err" "$WORK/err" || fail "$ex: another log than the seed's"
		fi
		ok "$ex example: Python handlers through the bridge = built-in handlers"
	done
else
	echo "skip: python3 not found: the fan-in example with Python handlers"
fi

echo "handlers: $passed passed, 0 failed"
