#!/bin/sh
# functions.sh - asl2c serve's functions: zip files refused when an entry
# would land outside the function's folder (.., absolute, backslash,
# links, devices, FIFOs, duplicates) or too many or too large; errors as
# Lambda's Python runtime reports them, in Invoke and in a state machine;
# timeouts; a function that does not exist; C handlers (--handlers-lib),
# a program that crashes (the service goes on), and mocks
# (--mock-config, ARN#TestCase).
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/serve/lib.sh"
cd "$WORK"

# C handlers: greet, and one that crashes its program.
cat > crash.c <<'C'
#include <asl2c/asl2c.h>
#include <signal.h>
static int crash(asl_invocation *inv, json_t *e, json_t **r, void *u)
{
	(void)inv; (void)e; (void)r; (void)u;
	raise(SIGSEGV);
	return 0;
}
int asl2c_register(asl_registry *reg)
{
	return asl_registry_add(reg, "crash", crash, NULL);
}
C
$CC $GEN_CFLAGS -shared -fPIC "$top_srcdir/tests/handlers/greet.c" -o greet.so
$CC $GEN_CFLAGS -shared -fPIC crash.c -o crash.so
cat > mocks.json <<'J'
{"StateMachines": {"calls": {"TestCases": {"Mocked": {"Call": "R"}}}},
 "MockedResponses": {"R": {"0": {"Return": {"StatusCode": 200, "Payload": {"mocked": true}}}}}}
J
start_serve --handlers-lib greet.so --handlers-lib crash.so --mock-config mocks.json

# --- hostile zip files
for kind in dotdot deep-dotdot absolute backslash symlink device fifo twice many; do
	"$PY" -W ignore "$top_srcdir/tests/serve/mkzip.py" "$kind" "$kind.zip"
	expect 254 aws lambda create-function --function-name "z_$(echo $kind | tr - _)" \
		--runtime python3.11 --handler app.handler --zip-file "fileb://$kind.zip" \
		--role arn:aws:iam::123456789000:role/r
	grep -q InvalidParameterValueException "$WORK/err" || fail "$kind: $(cat "$WORK/err")"
done
[ ! -e "$WORK/escaped.py" ] && [ ! -e "$STATE/functions/escaped.py" ] &&
[ ! -e /tmp/asl2c-serve-escaped.py ] || fail "a zip entry escaped"
[ -z "$(ls "$STATE/functions")" ] || fail "refused functions left folders: $(ls -R "$STATE/functions")"
ok "zip files refused: .., absolute, backslash, link, device, FIFO, twice, 20,001 entries; nothing written"

"$PY" "$top_srcdir/tests/serve/mkzip.py" bomb bomb.zip
expect 254 aws lambda create-function --function-name bomb --runtime python3.11 \
	--handler app.handler --zip-file fileb://bomb.zip --role arn:aws:iam::123456789000:role/r
grep -q "Unzipped size must be smaller than 262144000 bytes" "$WORK/err" || fail "bomb: $(cat "$WORK/err")"
"$PY" "$top_srcdir/tests/serve/mkzip.py" corrupt junk.zip
expect 254 aws lambda create-function --function-name junk --runtime python3.11 \
	--handler app.handler --zip-file fileb://junk.zip --role arn:aws:iam::123456789000:role/r
grep -q "Could not unzip uploaded file" "$WORK/err" || fail "junk: $(cat "$WORK/err")"
expect 254 aws lambda create-function --function-name node --runtime nodejs18.x \
	--handler index.handler --zip-file fileb://twice.zip --role arn:aws:iam::123456789000:role/r
grep -q "Python functions only" "$WORK/err" || fail "nodejs: $(cat "$WORK/err")"
[ -z "$(ls "$STATE/functions")" ] || fail "refused functions left folders"
ok "a zip bomb (256 MiB unzipped), a damaged zip file, a runtime that is not Python"

# --- functions that work, and fail
"$PY" "$top_srcdir/tests/serve/mkzip.py" nested nested.zip
aws lambda create-function --function-name nested --runtime python3.12 \
	--handler pkg/app.handler --zip-file fileb://nested.zip --timeout 5 \
	--memory-size 256 --role arn:aws:iam::123456789000:role/r > /dev/null
aws lambda invoke --function-name nested --payload '{"n": 41}' \
	--cli-binary-format raw-in-base64-out out.json > meta.json
[ "$(jget out.json 'd["n"]')" = 42 ] && [ "$(jget out.json 'd["fn"]')" = nested ] &&
[ "$(jget out.json 'd["mem"]')" = 256 ] && [ "$(jget out.json 'd["left"]')" = True ] ||
	fail "invoke nested: $(cat out.json)"
"$ASL2C" serve --state "$STATE" --logs nested | grep -qx "from a package" || fail "nested's log"
ok "a handler in a package (pkg/app.handler), its context, its log"

mkdir -p fn && cat > fn/app.py <<'P'
import time

def raises(event, context):
    raise KeyError("partition")

def sleeps(event, context):
    time.sleep(10)

def unserialisable(event, context):
    return {1, 2}
P
printf 'def oops(:\n' > fn/broken.py
zip_dir fn fn.zip
for h in raises sleeps unserialisable; do
	aws lambda create-function --function-name "$h" --runtime python3.11 \
		--handler "app.$h" --timeout 1 --zip-file fileb://fn.zip \
		--role arn:aws:iam::123456789000:role/r > /dev/null
done
for h in broken.oops missing.handler app.nothing nodot; do
	n=$(echo "$h" | tr . _)
	aws lambda create-function --function-name "$n" --runtime python3.11 \
		--handler "$h" --zip-file fileb://fn.zip --role arn:aws:iam::123456789000:role/r > /dev/null
done
# invoke NAME ERRORTYPE MESSAGE-PART
invoke_error() {
	aws lambda invoke --function-name "$1" out.json > meta.json
	[ "$(jget meta.json 'd.get("FunctionError")')" = Unhandled ] || fail "$1: $(cat meta.json)"
	[ "$(jget out.json 'd["errorType"]')" = "$2" ] || fail "$1: $(cat out.json)"
	grep -qF -- "$3" out.json || fail "$1: no '$3' in $(cat out.json)"
}
invoke_error raises KeyError "/var/task/app.py\\\", line 4, in raises"
invoke_error sleeps Sandbox.Timedout "Task timed out after 1.00 seconds"
invoke_error unserialisable Runtime.MarshalError "Unable to marshal response"
invoke_error broken_oops Runtime.UserCodeSyntaxError "Syntax error in module 'broken'"
invoke_error missing_handler Runtime.ImportModuleError "Unable to import module 'missing'"
invoke_error app_nothing Runtime.HandlerNotFound "Handler 'nothing' missing on module 'app'"
invoke_error nodot Runtime.MalformedHandlerName "Bad handler 'nodot'"
"$ASL2C" serve --state "$STATE" --logs raises | grep -q '^\[ERROR\] KeyError' || fail "raises' log"
ok "Invoke: KeyError with its /var/task stack, Sandbox.Timedout, Runtime.MarshalError, UserCodeSyntaxError, ImportModuleError, HandlerNotFound, MalformedHandlerName"

# --- in a state machine
cat > calls.json <<'J'
{"StartAt": "Call", "States": {"Call": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName.$": "$.fn", "Payload.$": "$.payload"},
  "OutputPath": "$.Payload", "End": true}}}
J
aws stepfunctions create-state-machine --name calls --definition file://calls.json \
	--role-arn arn:aws:iam::000000000000:role/r > sm.json
sm=$(jget sm.json 'd["stateMachineArn"]')
# run INPUT STATUS: start an execution of calls, wait for STATUS.
run() {
	aws stepfunctions start-execution --state-machine-arn "$sm" --input "$1" > start.json
	wait_status "$(jget start.json 'd["executionArn"]')" "$2"
}
run '{"fn": "raises", "payload": {}}' FAILED
[ "$(jget describe.json 'd["error"]')" = KeyError ] || fail "raises: $(cat describe.json)"
[ "$(jget describe.json 'json.loads(d["cause"])["stackTrace"][0].startswith("  File \"/var/task/app.py\"")')" = True ] ||
	fail "raises' cause: $(cat describe.json)"
run '{"fn": "sleeps", "payload": {}}' FAILED
[ "$(jget describe.json 'd["error"]')" = Sandbox.Timedout ] || fail "sleeps: $(cat describe.json)"
run '{"fn": "partitions_detector", "payload": {}}' FAILED
[ "$(jget describe.json 'd["error"]')" = Lambda.ResourceNotFoundException ] ||
	fail "a function that was not created: $(cat describe.json)"
grep -q "function:partitions_detector" describe.json || fail "the missing function's cause"
run '{"fn": "nested", "payload": {"n": 1}}' SUCCEEDED
[ "$(jget describe.json 'json.loads(d["output"])["n"]')" = 2 ] || fail "nested in a machine"
cat > tail.json <<'J'
{"StartAt": "Call", "States": {"Call": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "nested", "Payload": {"n": 1}, "LogType": "Tail"},
  "ResultSelector": {"log.$": "$.LogResult"}, "End": true}}}
J
aws stepfunctions create-state-machine --name tail --definition file://tail.json \
	--role-arn arn:aws:iam::000000000000:role/r > tail.sm
aws stepfunctions start-execution --state-machine-arn "$(jget tail.sm 'd["stateMachineArn"]')" > start.json
wait_status "$(jget start.json 'd["executionArn"]')" SUCCEEDED
jget describe.json 'json.loads(d["output"])["log"]' | base64 -d | grep -qx "from a package" ||
	fail "LogType Tail in a state machine: $(cat describe.json)"
run '{"fn": "greet", "payload": {"name": "Ada"}}' SUCCEEDED
[ "$(jget describe.json 'json.loads(d["output"])["greeting"]')" = "Hello, Ada" ] || fail "greet.so"
ok "in a state machine: a Python error (its cause with /var/task), a timeout, a function that was not created, a package, LogType Tail, a C handler (--handlers-lib)"

run '{"fn": "crash", "payload": {}}' FAILED
[ "$(jget describe.json 'd["error"]')" = States.Runtime ] || fail "crash: $(cat describe.json)"
# (Under AddressSanitizer the program reports the SEGV and exits 1.)
grep -q "signal 11\|AddressSanitizer: SEGV" describe.json || fail "crash's cause: $(cat describe.json)"
aws stepfunctions get-execution-history --execution-arn "$(jget start.json 'd["executionArn"]')" > h.json
[ "$(jget h.json '[e["type"] for e in d["events"]]')" = "['ExecutionStarted', 'ExecutionFailed']" ] ||
	fail "a crashed program's history: $(cat h.json)"
aws stepfunctions list-state-machines > /dev/null
ok "a program that crashes (SIGSEGV): FAILED, States.Runtime with the signal; the service goes on"

aws stepfunctions start-execution --state-machine-arn "$sm#Mocked" --input '{"fn": "greet", "payload": {}}' > start.json
wait_status "$(jget start.json 'd["executionArn"]')" SUCCEEDED
[ "$(jget describe.json 'json.loads(d["output"])')" = "{'mocked': True}" ] || fail "mocked: $(cat describe.json)"
expect 254 aws stepfunctions start-execution --state-machine-arn "$sm#NoSuchCase"
grep -q "ValidationException.*no test case 'NoSuchCase'" "$WORK/err" || fail "NoSuchCase: $(cat "$WORK/err")"
ok "a mocked test case: STATE_MACHINE_ARN#TestCase with --mock-config"

stop_serve
echo "functions: $passed passed, 0 failed"
