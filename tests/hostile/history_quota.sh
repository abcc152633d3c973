#!/bin/sh
# history_quota.sh - AWS's hard quota of 25,000 history events: the event
# that would be the 25,000th is recorded only if it is ExecutionSucceeded;
# otherwise the execution fails with States.Runtime, "The execution
# reached the maximum number of history events (25000).", and that
# ExecutionFailed is event 25,000 (doc/semantics.md).  The quota holds
# with or without --history; --no-history-limit lifts it.
. "${top_srcdir:-.}/tests/setup.sh"

# Count to $.n: each turn is 4 events (Pass and Choice, entered and
# exited); with ExecutionStarted, Done's 2 and ExecutionSucceeded the
# history has 4n + 4 events.
cat > "$WORK/count.json" <<'JSON'
{"StartAt": "Step", "States": {
  "Step": {"Type": "Pass", "Parameters": {"n.$": "$.n", "i.$": "States.MathAdd($.i, 1)"}, "Next": "More"},
  "More": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Step"}], "Default": "Done"},
  "Done": {"Type": "Succeed"}}}
JSON
build_program "$WORK/count.json" "$WORK/count"
cause='The execution reached the maximum number of history events (25000).'
run() { n=$1; shift; $RUN "$WORK/count" --start-time 2024-01-01T00:00:00Z --input "{\"n\": $n, \"i\": 0}" "$@"; }

# 6,249 turns: exactly 25,000 events, the last ExecutionSucceeded.
expect 0 run 6249 --history "$WORK/fits.json"
[ "$(jq '.events | length' "$WORK/fits.json")" -eq 25000 ] || fail "6,249 turns: not 25,000 events"
[ "$(jq -r '.events[-1].type' "$WORK/fits.json")" = ExecutionSucceeded ] || fail "6,249 turns: the last event"
ok "exactly 25,000 events, the last ExecutionSucceeded: SUCCEEDED"

# One more turn: FAILED at event 25,000.
expect 1 run 6250 --history "$WORK/over.json" --describe
[ "$(jq -r .status "$WORK/out")" = FAILED ] && [ "$(jq -r .error "$WORK/out")" = States.Runtime ] &&
	[ "$(jq -r .cause "$WORK/out")" = "$cause" ] || fail "6,250 turns: $(cat "$WORK/out")"
[ "$(jq '.events | length' "$WORK/over.json")" -eq 25000 ] || fail "6,250 turns: not 25,000 events"
jq -e --arg cause "$cause" '.events[-1] | .type == "ExecutionFailed" and .id == 25000 and .previousEventId == 24999 and .executionFailedEventDetails == {"error": "States.Runtime", "cause": $cause}' \
	"$WORK/over.json" > /dev/null || fail "6,250 turns: the last event: $(jq -c '.events[-1]' "$WORK/over.json")"
[ "$(jq '.events[-2].id' "$WORK/over.json")" -eq 24999 ] || fail "6,250 turns: event 24,999"
ok "past the quota: States.Runtime, ExecutionFailed is event 25,000"

# Without --history, the same; an endless loop ends.
expect 1 run 1000000000
grep -qF "\"Cause\":\"$cause\"" "$WORK/err" || fail "no --history: $(cat "$WORK/err")"
ok "the quota without --history: an endless loop fails"

# --no-history-limit lifts it.
expect 0 run 7000 --no-history-limit --history "$WORK/lifted.json"
[ "$(jq '.events | length' "$WORK/lifted.json")" -eq 28004 ] || fail "--no-history-limit: not 28,004 events"
ok "--no-history-limit: 28,004 events"

echo "history_quota: $passed passed, 0 failed"
