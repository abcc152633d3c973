#!/bin/sh
# cancel.sh - a failing Parallel branch or Map iteration stops the others
# at once, in real time: running Waits wake up,
# command handlers are ended (their process group), C handlers are told
# (asl_invocation_cancelled), pending iterations never start; the state
# fails or its Catch runs right away.  The conformance cases
# (parallel/either-or-*, map/failure-*) pin the outcome on the virtual
# clock; here the waits are real (--time-scale 1).  Nothing is timed (the
# machines are shared): what is not stopped waits an hour, and the runs
# sit under the hang detector (nohang); what the test relies on having
# started has started (a gate), and what it started is gone at the end.
. "${top_srcdir:-.}/tests/setup.sh"

# build NAME: $WORK/NAME.json into $WORK/NAME, with the C handlers of
# handlers.c (poll_cancel).
build() {
	"$ASL2C" "$WORK/$1.json" -o "$WORK/$1.c" || fail "$1: asl2c"
	$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/$1.c" \
		"$top_srcdir/tests/hostile/handlers.c" $GEN_LIBS -o "$WORK/$1" ||
		fail "$1: cc"
}
error_is() {
	tail -n 1 "$WORK/err" | jq_check - '.Error == $e' --arg e "$1" ||
		fail "not $1: $(tail -n 3 "$WORK/err")"
}
# The commands record their pids here; whatever a failed check leaves
# running is ended (these processes only, while they still run sleep).
pids="$WORK/slow.pids"
stop_left() {
	for p in $(cat "$pids" 2> /dev/null); do
		[ -r "/proc/$p/cmdline" ] && [ "$(tr '\0' ' ' < "/proc/$p/cmdline")" = "sleep 3600 " ] &&
			kill "$p" 2> /dev/null || :
	done
}
trap stop_left EXIT

# The either-or pattern: one branch polls in a Wait loop (2 s Waits, up to
# 1,000 of them, over half an hour) until the other gives up, on purpose,
# after 3 s.
jq -n '
  def poll: {StartAt: "Init", States: {
    Init: {Type: "Pass", Parameters: {n: 0}, Next: "Wait"},
    Wait: {Type: "Wait", Seconds: 2, Next: "More"},
    More: {Type: "Pass", Parameters: {"n.$": "States.MathAdd($.n, 1)"}, Next: "Check"},
    Check: {Type: "Choice", Choices: [{Variable: "$.n", NumericLessThan: 1000, Next: "Wait"}],
            Default: "Done"},
    Done: {Type: "Succeed"}}};
  def giveup: {StartAt: "Later", States: {
    Later: {Type: "Wait", Seconds: 3, Next: "GiveUp"},
    GiveUp: {Type: "Fail", Error: "Gave.Up", Cause: "on purpose"}}};
  {StartAt: "P", States: {P: {Type: "Parallel", End: true,
    Branches: (if $first then [poll, giveup] else [giveup, poll] end)}}}' \
	--argjson first true > "$WORK/either.json"
# the same, the branches the other way round
jq '.States.P.Branches |= reverse' "$WORK/either.json" > "$WORK/either2.json"
build either
build either2
for m in either either2; do
	expect 1 nohang $RUN "$WORK/$m" --time-scale 1
	error_is Gave.Up
done
ok "either-or (real clock): ends when a branch gives up"
# On a virtual clock the waits are still real (--time-scale 1), and the
# history shows where the polling branch was stopped: at 3 s, when the
# other gave up (the 2 s Wait from 2 s to 4 s cut short).
for m in either either2; do
	expect 1 nohang $RUN "$WORK/$m" --time-scale 1 --start-time 2026-01-01T00:00:00Z \
		--history "$WORK/$m.history.json"
	error_is Gave.Up
	jq_check "$WORK/$m.history.json" '.events[-1] | .type == "ExecutionFailed" and .timestamp == "2026-01-01T00:00:03.000Z"' ||
		fail "$m: the execution did not end at 3 s: $(jq -c '.events[-1]' "$WORK/$m.history.json")"
done
ok "either-or (virtual clock): ends at 3 s on the clock, when a branch gives up"

# The same inside a Map iteration: a nested Parallel's branches get
# threads of their own (they used to run one after the other, and the
# polling branch never let the other start).
jq '{StartAt: "M", States: {M: {Type: "Map", End: true,
	ItemProcessor: {StartAt: "P", States: {P: .States.P}}}}}' "$WORK/either.json" > "$WORK/nested.json"
build nested
OMP_NUM_THREADS=2 expect 1 nohang $RUN "$WORK/nested" --time-scale 1 --input '[1, 2, 3]'
error_is Gave.Up
ok "either-or nested in a Map: ends when a branch gives up"

# A Map: an item fails while the others sleep in one-hour Waits, run
# one-hour commands, or run C handlers that poll for an hour; nothing
# survives.  The failing item first passes a gate: a command that waits
# (up to 60 s) until N of the others have started (commands that wrote
# their pids, C handlers that logged), so what the test checks has surely
# started; the item "fail" fails after a 1 s Wait, without a gate.
jq -n '{StartAt: "M", States: {M: {Type: "Map", End: true, ItemProcessor: {
  StartAt: "Pick", States: {
    Pick: {Type: "Choice", Choices: [
      {Variable: "$.k", StringEquals: "fail", Next: "Soon"},
      {Variable: "$.k", StringEquals: "gated", Next: "Gate"},
      {Variable: "$.k", StringEquals: "wait", Next: "Long"},
      {Variable: "$.k", StringEquals: "c", Next: "C"}], Default: "Cmd"},
    Soon: {Type: "Wait", Seconds: 1, Next: "Boom"},
    Gate: {Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:gate",
           Next: "Boom"},
    Boom: {Type: "Fail", Error: "Item.Failed", Cause: "item 2"},
    Long: {Type: "Wait", Seconds: 3600, End: true},
    C: {Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:poll_cancel",
        Parameters: {ms: 3600000}, End: true},
    Cmd: {Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:slow",
          End: true}}}}}}' > "$WORK/map.json"
build map
slow="slow=echo \$\$ >> $pids; exec sleep 3600"
gate="gate=n=\$(jq .n); i=0; until [ \$((\$(cat $pids | wc -l) + \$(grep -c 'poll_cancel: started' $WORK/err))) -ge \$n ]; do i=\$((i + 1)); [ \$i -le 600 ] || { echo gate: not \$n started >&2; exit 1; }; sleep 0.1; done"
# started N: N commands recorded their pids, and each is gone now.
started() {
	[ "$(wc -l < "$pids")" -eq "$1" ] || fail "$(wc -l < "$pids") commands started, not $1"
	gone $(cat "$pids") || fail "a command of a stopped iteration survives"
}
: > "$pids"
items='[{"k": "cmd"}, {"k": "wait"}, {"k": "gated", "n": 4}, {"k": "c"}, {"k": "cmd"}, {"k": "wait"}, {"k": "cmd"}]'
OMP_NUM_THREADS=8 expect 1 nohang $RUN "$WORK/map" --time-scale 1 --input "$items" --handler "$slow" --handler "$gate"
error_is Item.Failed
grep -q 'poll_cancel: told after' "$WORK/err" || fail "the polling C handler was not told: $(cat "$WORK/err")"
started 3
ok "a failing iteration stops Waits, commands (process groups) and polling C handlers at once"
# Two threads: the items after the first two are pending when item 0
# fails; they never start.  (At most OMP_NUM_THREADS iterations run at a
# time: an item that fails after a busy thread frees up fails that late.)
: > "$pids"
items2='[{"k": "fail"}, {"k": "cmd"}, {"k": "wait"}, {"k": "c"}, {"k": "cmd"}, {"k": "wait"}, {"k": "cmd"}]'
OMP_NUM_THREADS=2 expect 1 nohang $RUN "$WORK/map" --time-scale 1 --input "$items2" --handler "$slow"
error_is Item.Failed
! grep -q 'poll_cancel: started' "$WORK/err" || fail "a pending iteration started"
[ "$(wc -l < "$pids")" -le 1 ] || fail "a pending iteration started a command: $(wc -l < "$pids") commands"
[ ! -s "$pids" ] || gone $(cat "$pids") || fail "a command survives (2 threads)"
ok "pending iterations never start (2 threads)"
# A Catch runs at once, not when the others would have ended.
jq '.States.M.Catch = [{ErrorEquals: ["States.ALL"], Next: "Caught"}]
    | .States.Caught = {Type: "Pass", End: true}' "$WORK/map.json" > "$WORK/catch.json"
build catch
: > "$pids"
items4='[{"k": "cmd"}, {"k": "wait"}, {"k": "gated", "n": 2}, {"k": "c"}, {"k": "cmd"}, {"k": "wait"}, {"k": "cmd"}]'
OMP_NUM_THREADS=4 expect 0 nohang $RUN "$WORK/catch" --time-scale 1 --input "$items4" --handler "$slow" --handler "$gate"
jq_check "$WORK/out" '.Error == "Item.Failed" and .Cause == "item 2"' ||
	fail "the Catch's input: $(cat "$WORK/out")"
grep -q 'poll_cancel: told after' "$WORK/err" || fail "the polling C handler was not told (Catch): $(cat "$WORK/err")"
started 1
ok "the Map's Catch runs at once"

# On the virtual clock (--start-time), at any thread count and on every
# run: the same error, output and history, the failure first on the clock
# winning (item 3 at 2 s over item 0 at 5 s, the lower index at a tie).
jq -n '{StartAt: "M", States: {M: {Type: "Map", End: true, ItemProcessor: {
  StartAt: "W", States: {
    W: {Type: "Wait", SecondsPath: "$.w", Next: "Ok?"},
    "Ok?": {Type: "Choice", Choices: [{Variable: "$.e", IsPresent: true, Next: "F"}],
            Default: "Done"},
    F: {Type: "Fail", ErrorPath: "$.e", Cause: "x"},
    Done: {Type: "Succeed"}}}}}}' > "$WORK/det.json"
build det
det='[{"w": 5, "e": "E0"}, {"w": 1}, {"w": 0}, {"w": 2, "e": "E3"}, {"w": 2, "e": "E4"}, {"w": 3}]'
for t in 1 4 4 2; do
	OMP_NUM_THREADS=$t expect 1 $RUN "$WORK/det" --seed 3 --start-time 2026-01-01T00:00:00Z \
		--time-scale 0 --input "$det" --history "$WORK/det-$t.json"
	tail -n 1 "$WORK/err" > "$WORK/det-$t.err"
	cmp "$WORK/det-$t.json" "$WORK/det-1.json" || fail "histories differ at $t threads"
	cmp "$WORK/det-$t.err" "$WORK/det-1.err" || fail "errors differ at $t threads"
done
error_is E3
jq_check "$WORK/det-1.json" '[.events[] | select(.type | startswith("MapIteration")) | "\(.type) \(.mapIterationStartedEventDetails.index // .mapIterationSucceededEventDetails.index // .mapIterationFailedEventDetails.index)"]
	== ["MapIterationStarted 1", "MapIterationSucceeded 1", "MapIterationStarted 2", "MapIterationSucceeded 2",
	    "MapIterationStarted 3", "MapIterationFailed 3"]' ||
	fail "the history: $(jq -c '[.events[] | select(.type | startswith("MapIteration")) | .type]' "$WORK/det-1.json")"
jq_check "$WORK/det-1.json" '.events[-1].timestamp == "2026-01-01T00:00:02.000Z"' ||
	fail "the execution did not end at 2 s: $(jq -c '.events[-1]' "$WORK/det-1.json")"
ok "virtual clock: the same error and history at 1, 2 and 4 threads; the failure first on the clock wins"
echo "cancel: $passed passed, 0 failed"
