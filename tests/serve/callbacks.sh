#!/bin/sh
# callbacks.sh - .waitForTaskToken under asl2c serve: a Python function
# hands its task token out (to a file), and the AWS CLI completes the task
# through the service, which forwards SendTaskSuccess, SendTaskFailure and
# SendTaskHeartbeat to the program of the execution that waits on it
# (serve/forward.c).  Two executions wait at once and each token reaches
# its own; a token of a finished task is TaskTimedOut, garbage is
# InvalidToken; the service survives both.  An activity task waits for a
# worker polling the service (GetActivityTask, answered by the program
# that holds the task).
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/serve/lib.sh"
cd "$WORK"

mkdir notify
cat > notify/app.py <<'PY'
import json


def handler(event, context):
    with open(event["file"] + ".tmp", "w") as f:
        f.write(event["token"])
    import os
    os.rename(event["file"] + ".tmp", event["file"])
    return {"handed": True}
PY
zip_dir notify notify.zip
start_serve --poll-seconds 2
aws lambda create-function --function-name notify --runtime python3.11 \
	--handler app.handler --zip-file fileb://notify.zip \
	--role arn:aws:iam::123456789000:role/r > /dev/null

cat > machine.json <<'J'
{"StartAt": "Ask",
 "States": {
  "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters": {"FunctionName": "notify",
                         "Payload": {"token.$": "$$.Task.Token", "file.$": "$.file"}},
          "TimeoutSeconds": 120, "ResultPath": "$.answer", "End": true}}}
J
aws stepfunctions create-state-machine --name approve --definition file://machine.json \
	--role-arn arn:aws:iam::123456789012:role/r > created.json
SM=$(jget created.json 'd["stateMachineArn"]')

# start NAME: an execution whose token lands in $WORK/NAME.token; sets ARN.
start() {
	aws stepfunctions start-execution --state-machine-arn "$SM" --name "$1" \
		--input "{\"file\": \"$WORK/$1.token\"}" > started.json
	ARN=$(jget started.json 'd["executionArn"]')
}
# token NAME: wait for the token the function hands out.
token() {
	for _ in $(seq $((HANG_SECS * 10))); do
		[ -s "$WORK/$1.token" ] && { cat "$WORK/$1.token"; return 0; }
		sleep 0.1
	done
	fail "no task token from $1"
}

start yes; YES=$ARN
start no; NO=$ARN
TY=$(token yes)
TN=$(token no)
[ "$TY" != "$TN" ] || fail "two executions have the same token"
aws stepfunctions send-task-heartbeat --task-token "$TY" > hb.json ||
	fail "send-task-heartbeat: $(cat hb.json)"
aws stepfunctions send-task-failure --task-token "$TN" --error Rejected \
	--cause "not today" > /dev/null
aws stepfunctions send-task-success --task-token "$TY" \
	--task-output '{"approved": true}' > /dev/null
wait_status "$YES" SUCCEEDED
[ "$(jget describe.json 'json.loads(d["output"])["answer"]')" = "{'approved': True}" ] ||
	fail "output: $(cat describe.json)"
wait_status "$NO" FAILED
[ "$(jget describe.json 'd["error"]')" = Rejected ] &&
[ "$(jget describe.json 'd["cause"]')" = "not today" ] ||
	fail "failure: $(cat describe.json)"
ok "two executions wait at once; heartbeat, success and failure reach each one's program"

expect 254 aws stepfunctions send-task-success --task-token "$TY" --task-output '{}'
grep -q TaskTimedOut err || fail "a finished task's token: $(cat err)"
expect 254 aws stepfunctions send-task-heartbeat --task-token "not-a-token"
grep -q InvalidToken err || fail "garbage token: $(cat err)"
expect 254 aws stepfunctions send-task-success --task-token "$TN" --task-output '{bad'
grep -q InvalidOutput err || fail "bad output: $(cat err)"
ok "a finished task's token is TaskTimedOut, garbage InvalidToken, bad output InvalidOutput"

# A running execution whose task is completed with a token of another
# running execution's form but unknown: TaskTimedOut, and the execution goes on.
start later
TL=$(token later)
expect 254 aws stepfunctions send-task-success \
	--task-token "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" --task-output '{}'
grep -q TaskTimedOut err || fail "an unknown token: $(cat err)"
aws stepfunctions send-task-success --task-token "$TL" --task-output '"late"' > /dev/null
wait_status "$ARN" SUCCEEDED
ok "an unknown token leaves the waiting execution alone"

# --- an activity, its worker the AWS CLI against the service
aws stepfunctions create-activity --name pack > act.json
ACT=$(jget act.json 'd["activityArn"]')
cat > work.json <<J
{"StartAt": "Pack", "States": {"Pack": {"Type": "Task", "Resource": "$ACT",
  "TimeoutSeconds": 120, "End": true}}}
J
aws stepfunctions create-state-machine --name packer --definition file://work.json \
	--role-arn arn:aws:iam::123456789012:role/r > created2.json
# task_of FILE: the taskToken of a get-activity-task answer (the CLI
# prints nothing for AWS's answer without a task).
task_of() {
	if [ -s "$1" ]; then jget "$1" 'd.get("taskToken", "")'; fi
}
aws stepfunctions get-activity-task --activity-arn "$ACT" --worker-name idle > none.json
[ "$(task_of none.json)" = "" ] || fail "a task before any execution: $(cat none.json)"
aws stepfunctions start-execution --state-machine-arn "$(jget created2.json 'd["stateMachineArn"]')" \
	--input '{"box": 3}' > started2.json
PACK=$(jget started2.json 'd["executionArn"]')
task=
for _ in $(seq 30); do
	aws stepfunctions get-activity-task --activity-arn "$ACT" --worker-name w1 > got.json
	task=$(task_of got.json)
	[ -n "$task" ] && break
done
[ -n "$task" ] || fail "no activity task handed out"
[ "$(jget got.json 'json.loads(d["input"])["box"]')" = 3 ] || fail "the task's input: $(cat got.json)"
aws stepfunctions send-task-heartbeat --task-token "$task" > /dev/null
aws stepfunctions send-task-success --task-token "$task" --task-output '{"packed": 3}' > /dev/null
wait_status "$PACK" SUCCEEDED
[ "$(jget describe.json 'json.loads(d["output"])["packed"]')" = 3 ] || fail "packer: $(cat describe.json)"
ok "an activity task: the worker polls the service, gets the input, heartbeats and answers"
stop_serve
