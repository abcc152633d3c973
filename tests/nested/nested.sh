#!/bin/sh
# nested.sh - several state machines in one program (asl2c A.json B.json
# -o run.c) and states:startExecution, .sync and .sync:2 between them
# (runtime/handlers/nested.c, doc/semantics.md "Nested executions"):
# --entry, the names, --check over several files, a child that times out,
# a machine that starts itself without end, a Map of child executions on
# 1 and 2 threads.  The outputs and errors of the parent's tasks are in
# tests/golden/nested.
. "${top_srcdir:-.}/tests/setup.sh"
cd "$WORK"
here="$top_srcdir/tests/nested"
opts="--start-time 2026-01-01T00:00:00Z --time-scale 0 --seed 7"

arn() { echo "arn:aws:states:us-east-1:000000000000:stateMachine:$1"; }

# --- the command line
cp "$here/child.json" child.json
cp child.json other.json
mkdir sub && cp child.json sub/child.json
expect 2 "$ASL2C" child.json sub/child.json -o x.c
grep -q "are both named 'child'" err || fail "same names: $(cat err)"
[ ! -e x.c ] || fail "a program was written"
expect 2 "$ASL2C" --entry nope child.json other.json -o x.c
grep -q -- "--entry nope: no definition is named so" err || fail "--entry: $(cat err)"
expect 2 "$ASL2C" --entry child child.json -o x.c
grep -q -- "--entry chooses among several" err || fail "--entry alone: $(cat err)"
expect 2 "$ASL2C" --emit=dot child.json other.json -o x.dot
echo '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}' > broken.json
expect 1 "$ASL2C" --check child.json broken.json
grep -q "^broken.json:1:" err || fail "--check names the file: $(cat err)"
ok "several definitions: distinct names, --entry, --check names each file"

# --entry picks the program's entry point.
cat > caller.json <<J
{"StartAt": "Call", "States": {"Call": {"Type": "Task",
  "Resource": "arn:aws:states:::states:startExecution.sync:2",
  "Parameters": {"StateMachineArn": "$(arn child)", "Input": {"n.$": "\$.n"}},
  "OutputPath": "\$.Output", "End": true}}}
J
"$ASL2C" --entry caller child.json caller.json -o entry.c
# shellcheck disable=SC2086
$CC $GEN_CFLAGS entry.c $GEN_LIBS -o entry
# shellcheck disable=SC2086
$RUN ./entry --input '{"n": 21}' $opts > out.json
jq_check out.json '.twice == 42 and .sm == "child"'
ok "--entry caller runs caller, which runs child"

# --- a child that times out, a machine that starts itself
cat > slow.json <<'J'
{"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}
J
cat > loop.json <<J
{"StartAt": "Again", "States": {"Again": {"Type": "Task",
  "Resource": "arn:aws:states:::states:startExecution.sync",
  "Parameters": {"StateMachineArn": "$(arn loop)"}, "End": true}}}
J
cat > top.json <<J
{"StartAt": "Slow", "States": {
 "Slow": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
   "Parameters": {"StateMachineArn": "$(arn slow)"},
   "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "\$.slow", "Next": "Loop"}], "End": true},
 "Loop": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
   "Parameters": {"StateMachineArn": "$(arn loop)"},
   "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "\$.loop", "Next": "Done"}], "End": true},
 "Done": {"Type": "Pass", "End": true}}}
J
# build NAME DEFINITION...: the program NAME of the definitions (the first
# is its entry point).
build() {
	_b=$1
	shift
	"$ASL2C" "$@" -o "$_b.c" && $CC $GEN_CFLAGS "$_b.c" $GEN_LIBS -o "$_b"
}
build top top.json slow.json loop.json
# shellcheck disable=SC2086
$RUN ./top $opts > out.json
jq_check out.json '(.slow.Cause | fromjson | .Status == "TIMED_OUT" and .Error == "States.Timeout" and .StopDate - .StartDate == 5001)'
# Each level's cause quotes the next one's, cut at 32,768 characters.
jq_check out.json '.loop.Error == "States.TaskFailed" and (.loop.Cause | length) < 70000'
[ "$(wc -c < out.json)" -lt 200000 ] || fail "the loop's cause is not bounded"
ok "a child's TimeoutSeconds is its own (TIMED_OUT, 5 s on the clock); a machine that starts itself without end fails, its cause bounded"

# --- a JSONata child of a JSONPath parent: its own expressions, context
cat > ata.json <<'J'
{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
  "Output": {"name": "{% $states.context.Execution.Name %}", "n": "{% $states.input.n * 2 %}"},
  "End": true}}}
J
cat > calls-ata.json <<J
{"StartAt": "Call", "States": {"Call": {"Type": "Task",
  "Resource": "arn:aws:states:::states:startExecution.sync:2",
  "Parameters": {"StateMachineArn": "$(arn ata)", "Name": "ata-1", "Input": {"n": 21}},
  "OutputPath": "\$.Output", "End": true}}}
J
build mixed calls-ata.json ata.json child.json
# shellcheck disable=SC2086
$RUN ./mixed $opts > out.json
jq_check out.json '. == {"name": "ata-1", "n": 42}'
ok "a JSONata child of a JSONPath parent: its expressions and its own \$states.context"

# --- a Map of child executions: the same output on 1 and 2 threads
cat > fan.json <<J
{"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "\$.items",
  "ItemProcessor": {"StartAt": "Run", "States": {"Run": {"Type": "Task",
    "Resource": "arn:aws:states:::states:startExecution.sync:2",
    "Parameters": {"StateMachineArn": "$(arn child)", "Input": {"n.$": "\$"}},
    "ResultSelector": {"twice.$": "\$.Output.twice", "start.$": "\$.StartDate"}, "End": true}}},
  "End": true}}}
J
build fan fan.json child.json
for t in 1 2; do
	# shellcheck disable=SC2086
	OMP_NUM_THREADS=$t $RUN ./fan --input '{"items": [1, 2, 3, 4, 5, 6, 7, 8]}' $opts > "fan$t.json"
done
cmp fan1.json fan2.json || fail "1 and 2 threads differ: $(cat fan1.json) / $(cat fan2.json)"
jq_check fan1.json '[.[].twice] == [2, 4, 6, 8, 10, 12, 14, 16]'
ok "a Map of 8 child executions: the same output on 1 and 2 threads"
