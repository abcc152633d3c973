#!/bin/sh
# cancel.sh - a failing Parallel branch or Map iteration stops the others
# at once, in real time: running Waits wake up,
# command handlers are ended (their process group), C handlers are told
# (asl_invocation_cancelled), pending iterations never start; the state
# fails or its Catch runs right away.  The conformance cases
# (parallel/either-or-*, map/failure-*) pin the outcome on the virtual
# clock; here the waits are real (--time-scale 1).
. "${top_srcdir:-.}/tests/setup.sh"

now_ms() { date +%s%3N; }
# build NAME: $WORK/NAME.json into $WORK/NAME, with the C handlers of
# handlers.c (poll_cancel).
build() {
	"$ASL2C" "$WORK/$1.json" -o "$WORK/$1.c" || fail "$1: asl2c"
	$CC $GEN_CFLAGS -DASL2C_NO_MAIN "$WORK/$1.c" \
		"$top_srcdir/tests/hostile/handlers.c" $GEN_LIBS -o "$WORK/$1" ||
		fail "$1: cc"
}
# within MS NAME ARGS...: the program fails (exit 1) in under MS ms.
within() {
	limit=$1
	shift
	t0=$(now_ms)
	expect 1 $RUN "$@"
	t1=$(now_ms)
	took=$((t1 - t0))
	[ $took -lt "$limit" ] || fail "$*: took $took ms, over $limit ms"
}
error_is() {
	tail -n 1 "$WORK/err" | jq -e --arg e "$1" '.Error == $e' > /dev/null ||
		fail "not $1: $(tail -n 3 "$WORK/err")"
}

# The either-or pattern: one branch polls in a Wait loop (2 s Waits, up to
# 1,000 of them) until the other gives up, on purpose, after 3 s.
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
for clock in "" "--start-time 2026-01-01T00:00:00Z"; do
	for m in either either2; do
		# shellcheck disable=SC2086
		within 8000 "$WORK/$m" --time-scale 1 $clock
		error_is Gave.Up
		[ $took -ge 2900 ] || fail "$m: ended after $took ms, before the branch gave up"
	done
	ok "either-or (${clock:-real clock}): ends when a branch gives up, about 3 s ($took ms)"
done

# The same inside a Map iteration: a nested Parallel's branches get
# threads of their own (they used to run one after the other there, and
# the polling branch never let the other start).
jq '{StartAt: "M", States: {M: {Type: "Map", End: true,
	ItemProcessor: {StartAt: "P", States: {P: .States.P}}}}}' "$WORK/either.json" > "$WORK/nested.json"
build nested
OMP_NUM_THREADS=2 within 8000 "$WORK/nested" --time-scale 1 --input '[1, 2, 3]'
error_is Gave.Up
ok "either-or nested in a Map: ends when a branch gives up ($took ms)"

# A Map: item 2 fails after 1 s while the others sleep in 30 s Waits or
# run 30 s commands (and C handlers that poll); nothing survives.
jq -n '{StartAt: "M", States: {M: {Type: "Map", End: true, ItemProcessor: {
  StartAt: "Pick", States: {
    Pick: {Type: "Choice", Choices: [
      {Variable: "$.k", StringEquals: "fail", Next: "Soon"},
      {Variable: "$.k", StringEquals: "wait", Next: "Long"},
      {Variable: "$.k", StringEquals: "c", Next: "C"}], Default: "Cmd"},
    Soon: {Type: "Wait", Seconds: 1, Next: "Boom"},
    Boom: {Type: "Fail", Error: "Item.Failed", Cause: "item 2"},
    Long: {Type: "Wait", Seconds: 30, End: true},
    C: {Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:poll_cancel",
        Parameters: {ms: 30000}, End: true},
    Cmd: {Type: "Task", Resource: "arn:aws:lambda:us-east-1:000000000000:function:slow",
          End: true}}}}}}' > "$WORK/map.json"
build map
items='[{"k": "cmd"}, {"k": "wait"}, {"k": "fail"}, {"k": "c"}, {"k": "cmd"}, {"k": "wait"}, {"k": "cmd"}]'
slow="slow=sleep 31.7; echo 1"
OMP_NUM_THREADS=8 within 8000 "$WORK/map" --time-scale 1 --input "$items" --handler "$slow"
error_is Item.Failed
grep -q 'poll_cancel: told after' "$WORK/err" || fail "the polling C handler was not told: $(cat "$WORK/err")"
sleep 0.3
! pgrep -f 'sleep 31[.]7' > /dev/null || fail "a command of a stopped iteration survives"
ok "a failing iteration stops Waits, commands (process groups) and polling C handlers at once ($took ms)"
# Two threads: the items after the first two are pending when item 0
# fails; they never start.  (At most OMP_NUM_THREADS iterations run at a
# time: an item that fails after a busy thread frees up fails that late.)
items2='[{"k": "fail"}, {"k": "cmd"}, {"k": "wait"}, {"k": "c"}, {"k": "cmd"}, {"k": "wait"}, {"k": "cmd"}]'
OMP_NUM_THREADS=2 within 8000 "$WORK/map" --time-scale 1 --input "$items2" --handler "$slow"
! grep -q 'poll_cancel: started' "$WORK/err" || fail "a pending iteration started"
error_is Item.Failed
! pgrep -f 'sleep 31[.]7' > /dev/null || fail "a command survives (2 threads)"
ok "pending iterations never start ($took ms at 2 threads)"
# A Catch runs at once, not when the others would have ended.
jq '.States.M.Catch = [{ErrorEquals: ["States.ALL"], Next: "Caught"}]
    | .States.Caught = {Type: "Pass", End: true}' "$WORK/map.json" > "$WORK/catch.json"
build catch
t0=$(now_ms)
OMP_NUM_THREADS=4 expect 0 $RUN "$WORK/catch" --time-scale 1 --input "$items" --handler "$slow"
took=$(($(now_ms) - t0))
[ $took -lt 8000 ] || fail "the Catch ran after $took ms"
jq -e '.Error == "Item.Failed" and .Cause == "item 2"' "$WORK/out" > /dev/null ||
	fail "the Catch's input: $(cat "$WORK/out")"
ok "the Map's Catch runs at once ($took ms)"

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
jq -e '[.events[] | select(.type | startswith("MapIteration")) | "\(.type) \(.mapIterationStartedEventDetails.index // .mapIterationSucceededEventDetails.index // .mapIterationFailedEventDetails.index)"]
	== ["MapIterationStarted 1", "MapIterationSucceeded 1", "MapIterationStarted 2", "MapIterationSucceeded 2",
	    "MapIterationStarted 3", "MapIterationFailed 3"]' "$WORK/det-1.json" > /dev/null ||
	fail "the history: $(jq -c '[.events[] | select(.type | startswith("MapIteration")) | .type]' "$WORK/det-1.json")"
jq -e '.events[-1].timestamp == "2026-01-01T00:00:02.000Z"' "$WORK/det-1.json" > /dev/null ||
	fail "the execution did not end at 2 s: $(jq -c '.events[-1]' "$WORK/det-1.json")"
ok "virtual clock: the same error and history at 1, 2 and 4 threads; the failure first on the clock wins"
echo "cancel: $passed passed, 0 failed"
