"""seed_boto3.py URL EXAMPLES - the seed's workflow and the API's error
shapes with boto3 (Debian's python3-boto3) against asl2c serve."""
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import done, fail, ok  # noqa: E402
import time
import zipfile

import boto3
import botocore.config
from botocore.exceptions import ClientError

URL, EXAMPLES = sys.argv[1], sys.argv[2]


def expect_error(code, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        if got != code:
            fail("%s: %s, not %s (%s)" % (call.__name__, got, code,
                                          e.response["Error"]))
        return e.response
    fail("%s: no error, expected %s" % (call.__name__, code))


def zipped(folder):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in sorted(os.listdir(folder)):
            z.write(os.path.join(folder, name), name)
    return buf.getvalue()


def zipped_text(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


cfg = botocore.config.Config(retries={"max_attempts": 1})
# StartSyncExecution's host prefix (sync-) does not resolve locally.
sync_cfg = botocore.config.Config(retries={"max_attempts": 1},
                                  inject_host_prefix=False)
sfn = boto3.client("stepfunctions", endpoint_url=URL, config=cfg)
sfn_sync = boto3.client("stepfunctions", endpoint_url=URL, config=sync_cfg)
lam = boto3.client("lambda", endpoint_url=URL, config=cfg)
ROLE = "arn:aws:iam::123456789000:role/ignoreme"

# The seed, through boto3.
for name, folder, handler in [
        ("partitions_detector", "lambda-partitions-detector",
         "detect_partitions.lambda_handler"),
        ("partitions_processor", "lambda-partitions-processor",
         "process_partition.lambda_handler"),
        ("table_creator", "lambda-table-creator",
         "create_table_from_processed_partitions.lambda_handler")]:
    r = lam.create_function(FunctionName=name, Runtime="python3.8",
                            Handler=handler, Role=ROLE,
                            Code={"ZipFile": zipped(os.path.join(EXAMPLES,
                                                                 folder))})
    if r["FunctionArn"] != \
            "arn:aws:lambda:us-east-1:000000000000:function:" + name:
        fail("FunctionArn " + r["FunctionArn"])
ok("create_function x3")

with open(os.path.join(EXAMPLES, "process_partitions_state_machine.json")) \
        as f:
    definition = f.read()
sm = "arn:aws:states:us-east-1:000000000000:stateMachine:fan-in-unaligned"
sfn.delete_state_machine(stateMachineArn=sm)
r = sfn.create_state_machine(name="fan-in-unaligned", definition=definition,
                             roleArn="arn:aws:iam::000000000000:role/"
                             "stepfunctions-role")
if r["stateMachineArn"] != sm:
    fail("stateMachineArn " + r["stateMachineArn"])
d = sfn.describe_state_machine(stateMachineArn=sm)
if d["definition"] != definition or d["status"] != "ACTIVE" or \
        d["type"] != "STANDARD":
    fail("describe_state_machine %r" % d)
ok("create_state_machine, describe_state_machine")

x = sfn.start_execution(stateMachineArn=sm, name="boto3-run",
                        input='{"from": "boto3"}')["executionArn"]
for _ in range(600):
    d = sfn.describe_execution(executionArn=x)
    if d["status"] != "RUNNING":
        break
    time.sleep(0.1)
if d["status"] != "SUCCEEDED" or json.loads(d["output"])["Payload"] is not \
        True or d["input"] != '{"from": "boto3"}':
    fail("describe_execution %r" % d)
if d["stopDate"] < d["startDate"]:
    fail("stopDate before startDate")
ok("start_execution, describe_execution: SUCCEEDED")

# Pagination: the paginator follows nextToken, 5 events a page.
pages = sfn.get_paginator("get_execution_history").paginate(
    executionArn=x, PaginationConfig={"PageSize": 5})
events = [e for p in pages for e in p["events"]]
if [e["id"] for e in events] != list(range(1, 33)):
    fail("history ids %r" % [e["id"] for e in events])
rev = sfn.get_execution_history(executionArn=x, reverseOrder=True,
                                maxResults=2)
if [e["id"] for e in rev["events"]] != [32, 31] or "nextToken" not in rev:
    fail("reverseOrder %r" % rev)
rest = sfn.get_execution_history(executionArn=x, reverseOrder=True,
                                 maxResults=2, nextToken=rev["nextToken"])
if [e["id"] for e in rest["events"]] != [30, 29]:
    fail("reverseOrder page 2")
bare = sfn.get_execution_history(executionArn=x, includeExecutionData=False)
if "input" in bare["events"][0]["executionStartedEventDetails"]:
    fail("includeExecutionData=False kept the input")
ok("get_execution_history: pages of 5, reverseOrder, includeExecutionData")

# Invoke, with the log's tail.
r = lam.invoke(FunctionName="partitions_processor", LogType="Tail",
               Payload=json.dumps({"PartitionNumber": 1}))
if r["StatusCode"] != 200 or json.loads(r["Payload"].read()) is not False:
    fail("invoke %r" % r)
import base64  # noqa: E402
tail = base64.b64decode(r["LogResult"]).decode()
if "event={'PartitionNumber': 1}" not in tail:
    fail("LogResult %r" % tail)
ok("invoke, LogType=Tail")

# A function that raises: Lambda's error object, the file under /var/task.
lam.create_function(FunctionName="boom", Runtime="python3.11",
                    Handler="app.handler", Role=ROLE,
                    Code={"ZipFile": zipped_text({"app.py":
                          "def handler(event, context):\n"
                          "    raise ValueError('no partition ' + "
                          "str(event['n']))\n"})})
r = lam.invoke(FunctionName="boom", Payload=b'{"n": 7}')
err = json.loads(r["Payload"].read())
if r.get("FunctionError") != "Unhandled" or \
        err["errorType"] != "ValueError" or \
        err["errorMessage"] != "no partition 7" or \
        err["requestId"] != r["ResponseMetadata"]["RequestId"] or \
        'File "/var/task/app.py", line 2, in handler' not in \
        "".join(err["stackTrace"]):
    fail("a function's error %r %r" % (r, err))
ok("invoke: a Python exception as Lambda reports it")

fns = [f["FunctionName"] for p in lam.get_paginator("list_functions")
       .paginate(PaginationConfig={"PageSize": 2}) for f in p["Functions"]]
if fns != ["boom", "partitions_detector", "partitions_processor",
           "table_creator"]:
    fail("list_functions %r" % fns)
g = lam.get_function(FunctionName="arn:aws:lambda:us-east-1:000000000000:"
                     "function:boom")
if g["Configuration"]["Handler"] != "app.handler":
    fail("get_function by ARN")
lam.update_function_code(FunctionName="boom", ZipFile=zipped_text(
    {"app.py": "def handler(event, context):\n    return event['n'] * 2\n"}))
r = lam.invoke(FunctionName="boom", Payload=b'{"n": 21}')
if json.loads(r["Payload"].read()) != 42 or "FunctionError" in r:
    fail("update_function_code")
lam.delete_function(FunctionName="boom")
expect_error("ResourceNotFoundException", lam.get_function,
             FunctionName="boom")
expect_error("ResourceNotFoundException", lam.invoke, FunctionName="boom")
expect_error("ResourceConflictException", lam.create_function,
             FunctionName="table_creator", Runtime="python3.8",
             Handler="a.b", Role=ROLE, Code={"ZipFile": zipped_text(
                 {"a.py": ""})})
ok("list_functions (paginated), get_function, update_function_code, "
   "delete_function, their errors")

# Step Functions' error shapes.
expect_error("StateMachineDoesNotExist", sfn.describe_state_machine,
             stateMachineArn=sm + "-nope")
expect_error("InvalidArn", sfn.describe_state_machine,
             stateMachineArn="not-an-arn")
expect_error("ExecutionDoesNotExist", sfn.describe_execution,
             executionArn=x + "-nope")
expect_error("ExecutionAlreadyExists", sfn.start_execution,
             stateMachineArn=sm, name="boto3-run", input="{}")
expect_error("InvalidName", sfn.start_execution, stateMachineArn=sm,
             name="a b")
expect_error("InvalidExecutionInput", sfn.start_execution,
             stateMachineArn=sm, input="{nope")
expect_error("StateMachineAlreadyExists", sfn.create_state_machine,
             name="fan-in-unaligned", definition='{"StartAt": "A", '
             '"States": {"A": {"Type": "Succeed"}}}', roleArn=ROLE)
e = expect_error("InvalidDefinition", sfn.create_state_machine, name="bad",
                 definition='{"StartAt": "A", "States": {"A": '
                 '{"Type": "Pass", "Next": "Nope"}}}', roleArn=ROLE)
if "MISSING_TRANSITION_TARGET" not in e["Error"]["Message"]:
    fail("InvalidDefinition's message: " + e["Error"]["Message"])
expect_error("StateMachineDoesNotExist", sfn.start_execution,
             stateMachineArn=sm + "-nope")
expect_error("InvalidToken", sfn.send_task_success, taskToken="nope",
             output="{}")
expect_error("InvalidOutput", sfn.send_task_success, taskToken="x",
             output="{nope")
expect_error("ActivityDoesNotExist", sfn.get_activity_task,
             activityArn="arn:aws:states:us-east-1:000000000000:activity:x")
ok("Step Functions' errors: StateMachineDoesNotExist, InvalidArn, "
   "ExecutionDoesNotExist, ExecutionAlreadyExists, InvalidName, "
   "InvalidExecutionInput, StateMachineAlreadyExists, InvalidDefinition, "
   "InvalidToken, InvalidOutput, ActivityDoesNotExist")

# An Express machine, synchronously.
ex = sfn.create_state_machine(
    name="express", type="EXPRESS", roleArn=ROLE,
    definition=json.dumps({"StartAt": "Add", "States": {"Add": {
        "Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"},
        "End": True}}}))["stateMachineArn"]
r = sfn_sync.start_sync_execution(stateMachineArn=ex, input='{"a": 1, "b": 2}')
if r["status"] != "SUCCEEDED" or json.loads(r["output"]) != {"sum": 3} or \
        ":express:express:" not in r["executionArn"]:
    fail("start_sync_execution %r" % r)
expect_error("StateMachineTypeNotSupported", sfn_sync.start_sync_execution,
             stateMachineArn=sm)
ok("start_sync_execution on an Express machine")

# StopExecution of a waiting execution: ABORTED, with its error and cause.
w = sfn.create_state_machine(
    name="waits", roleArn=ROLE,
    definition=json.dumps({"StartAt": "W", "States": {"W": {
        "Type": "Wait", "Seconds": 600, "End": True}}}))["stateMachineArn"]
wx = sfn.start_execution(stateMachineArn=w)["executionArn"]
time.sleep(0.5)
if sfn.describe_execution(executionArn=wx)["status"] != "RUNNING":
    fail("the Wait is not running")
listed = sfn.list_executions(stateMachineArn=w, statusFilter="RUNNING")
if [e["executionArn"] for e in listed["executions"]] != [wx]:
    fail("list_executions RUNNING %r" % listed)
sfn.stop_execution(executionArn=wx, error="Operator", cause="enough")
d = sfn.describe_execution(executionArn=wx)
if d["status"] != "ABORTED" or d.get("error") != "Operator" or \
        d.get("cause") != "enough":
    fail("stop_execution %r" % d)
h = sfn.get_execution_history(executionArn=wx)["events"]
if h[-1]["type"] != "ExecutionAborted" or \
        h[-1]["executionAbortedEventDetails"] != {"error": "Operator",
                                                  "cause": "enough"}:
    fail("ExecutionAborted %r" % h[-1])
ok("stop_execution: ABORTED, error and cause in describe and history")

sfn.update_state_machine(stateMachineArn=w, definition=json.dumps(
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1,
                                      "End": True}}}))
if "Pass" not in sfn.describe_state_machine(stateMachineArn=w)["definition"]:
    fail("update_state_machine")
names = [m["name"] for p in sfn.get_paginator("list_state_machines")
         .paginate(PaginationConfig={"PageSize": 1})
         for m in p["stateMachines"]]
if names != ["fan-in-unaligned", "express", "waits"]:
    fail("list_state_machines %r" % names)
sfn.delete_state_machine(stateMachineArn=w)
expect_error("StateMachineDoesNotExist", sfn.describe_state_machine,
             stateMachineArn=w)
ok("update_state_machine, list_state_machines (paginated), "
   "delete_state_machine")

a = sfn.create_activity(name="work")["activityArn"]
if a != "arn:aws:states:us-east-1:000000000000:activity:work" or \
        sfn.create_activity(name="work")["activityArn"] != a:
    fail("create_activity")
t = sfn.get_activity_task(activityArn=a, workerName="w1")
if t.get("taskToken"):
    fail("get_activity_task handed out a task")
sfn.delete_activity(activityArn=a)
expect_error("ActivityDoesNotExist", sfn.describe_activity, activityArn=a)
ok("create_activity (idempotent), get_activity_task (no task), "
   "delete_activity")
done("boto3")
