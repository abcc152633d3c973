#!/bin/sh
# parallel_instant.sh - a Parallel whose branches cannot wait or loop (Pass,
# Succeed and Fail states in a chain, nested such Parallels) runs them one
# after another on its own thread (.instant in its descriptor) instead of a
# team of threads: the output and the history are those of the threaded
# run, failures and the Catch included.  Branches that can wait (Wait,
# Task, Map, Choice: a loop needs one) keep their threads.
. "${top_srcdir:-.}/tests/setup.sh"

fixed="--seed 1 --start-time 2026-01-01T00:00:00Z --time-scale 0"
cat > "$WORK/fail.json" <<'JSON'
{"StartAt": "P", "States": {
 "P": {"Type": "Parallel", "Branches": [
   {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "Next": "A2"}, "A2": {"Type": "Pass", "End": true}}},
   {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "BF"}, "BF": {"Type": "Fail", "Error": "E1", "Cause": "b"}}},
   {"StartAt": "C", "States": {"C": {"Type": "Pass", "End": true}}},
   {"StartAt": "D", "States": {"D": {"Type": "Fail", "Error": "E2"}}},
   {"StartAt": "E", "States": {"E": {"Type": "Parallel", "Branches": [{"StartAt": "E1", "States": {"E1": {"Type": "Pass", "End": true}}}], "End": true}}}
 ], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}], "Next": "Q"},
 "Q": {"Type": "Parallel", "Branches": [
   {"StartAt": "X", "States": {"X": {"Type": "Pass", "Result": {"x": 1}, "End": true}}},
   {"StartAt": "Y", "States": {"Y": {"Type": "Pass", "Parameters": {"y.$": "States.MathAdd(1, 2)"}, "End": true}}}
 ], "End": true},
 "Done": {"Type": "Pass", "End": true}}}
JSON
# fail.json: P and its nested E are instant; Q too.
"$ASL2C" "$WORK/fail.json" -o "$WORK/fail.c" || fail "asl2c fail.json"
n=$(grep -c '\.instant = 1' "$WORK/fail.c" || :)
[ "$n" -eq 3 ] || fail "fail.json: $n instant Parallel states, not 3"
# The same program with threads: the flag removed from the descriptors.
sed '/\.instant = 1,/d' "$WORK/fail.c" > "$WORK/threads.c"
$CC $GEN_CFLAGS "$WORK/fail.c" $GEN_LIBS -o "$WORK/fail" || fail "cc fail.c"
$CC $GEN_CFLAGS "$WORK/threads.c" $GEN_LIBS -o "$WORK/threads" || fail "cc threads.c"
echo '{"in": 1}' > "$WORK/in.json"
expect 0 $RUN "$WORK/fail" $fixed --input-file "$WORK/in.json" --history "$WORK/h1.json"
cp "$WORK/out" "$WORK/out1"
[ "$(cat "$WORK/out1")" = '{"Error":"E1","Cause":"b"}' ] || fail "in order: $(cat "$WORK/out1")"
for i in 1 2 3; do
	expect 0 $RUN "$WORK/threads" $fixed --input-file "$WORK/in.json" --history "$WORK/h2.json"
	cmp -s "$WORK/out1" "$WORK/out" || fail "threads: $(cat "$WORK/out"), in order: $(cat "$WORK/out1")"
	[ -s "$WORK/h1.json" ] && cmp -s "$WORK/h1.json" "$WORK/h2.json" ||
		fail "the histories differ: $(diff "$WORK/h1.json" "$WORK/h2.json" | head -5)"
done
ok "instant branches in order: the output and history of the threaded run (a failure, a Catch, a nested Parallel)"

# What can wait or loop keeps its threads.
for b in '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}}' \
	'{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}}}' \
	'{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "C"}], "Default": "S"}, "S": {"Type": "Succeed"}}}' \
	'{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}}' \
	'{"StartAt": "N", "States": {"N": {"Type": "Parallel", "Branches": [{"StartAt": "NW", "States": {"NW": {"Type": "Wait", "Seconds": 1, "End": true}}}], "End": true}}}'; do
	jq -n --argjson b "$b" '{StartAt: "P", States: {P: {Type: "Parallel",
		Branches: [{StartAt: "A", States: {A: {Type: "Pass", End: true}}}, $b],
		End: true}}}' > "$WORK/wait.json"
	"$ASL2C" "$WORK/wait.json" -o "$WORK/wait.c" || fail "asl2c: $b"
	! grep -q '\.instant = 1' "$WORK/wait.c" || fail "instant, yet a branch can wait: $b"
done
ok "a branch with a Wait, a Task, a Choice, a Map or a waiting nested Parallel keeps its threads"
echo "parallel_instant: $passed passed, 0 failed"
