"""teststate.py HOST PORT - TestState against the shapes AWS answers (the
cases of AWS's TestState documentation, and the answers AWS recorded for
them): each state type, the inspection levels, mocks, Retry (RETRIABLE)
and Catch (CAUGHT_ERROR), variables, stateName in a whole definition, a
Lambda function, and the errors.  The AWS CLI of Debian (2.9) predates
TestState: the requests are made as the CLI makes them (JSON 1.0)."""
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import done, fail, ok  # noqa: E402

HOST, PORT = sys.argv[1], int(sys.argv[2])
HELLO = json.dumps({"Value": "HelloWorld"})
NESTED = json.dumps({"initialData": {"fieldFromInput": "value from input",
                                     "otherField": "other"},
                     "unrelatedData": {"someOtherField": 1234}})




def test_state(body, status=200):
    c = http.client.HTTPConnection(HOST, PORT, timeout=120)
    c.request("POST", "/", json.dumps(body), {
        "X-Amz-Target": "AWSStepFunctions.TestState",
        "Content-Type": "application/x-amz-json-1.0"})
    r = c.getresponse()
    data = json.loads(r.read())
    c.close()
    if r.status != status:
        fail("status %d, not %d: %r" % (r.status, status, data))
    return data


def parsed(answer):
    """The answer with its JSON strings parsed, as AWS's recordings show
    them."""
    out = dict(answer)
    if "output" in out:
        out["output"] = json.loads(out["output"])
    if "inspectionData" in out:
        out["inspectionData"] = dict(
            (k, v if k == "errorDetails" else json.loads(v))
            for k, v in out["inspectionData"].items())
    return out


def expect(what, body, want):
    got = parsed(test_state(body))
    if got != want:
        fail("%s:\n got  %s\n want %s" % (what, json.dumps(got, indent=1),
                                          json.dumps(want, indent=1)))
    return got


pass_state = {"Type": "Pass", "End": True}
expect("a Pass state, DEBUG",
       {"definition": json.dumps(pass_state), "input": HELLO,
        "inspectionLevel": "DEBUG"},
       {"status": "SUCCEEDED", "output": {"Value": "HelloWorld"},
        "inspectionData": {"input": {"Value": "HelloWorld"},
                           "afterInputPath": {"Value": "HelloWorld"},
                           "afterParameters": {"Value": "HelloWorld"},
                           "afterResultSelector": {"Value": "HelloWorld"},
                           "afterResultPath": {"Value": "HelloWorld"}}})
expect("a Pass state, INFO: no inspectionData",
       {"definition": json.dumps(pass_state), "input": HELLO},
       {"status": "SUCCEEDED", "output": {"Value": "HelloWorld"}})
result_pass = {"Type": "Pass", "Result": {"resultKey": "result value"},
               "End": True}
expect("a Pass state with a Result, TRACE",
       {"definition": json.dumps(result_pass), "input": HELLO,
        "inspectionLevel": "TRACE"},
       {"status": "SUCCEEDED", "output": {"resultKey": "result value"},
        "inspectionData": {"input": {"Value": "HelloWorld"},
                           "result": {"resultKey": "result value"},
                           "afterResultSelector": {"resultKey":
                                                   "result value"},
                           "afterResultPath": {"resultKey":
                                               "result value"}}})
io_pass = {"Type": "Pass", "InputPath": "$.initialData",
           "Parameters": {"staticValue": "some value",
                          "inputValue.$": "$.fieldFromInput"},
           "ResultPath": "$.modifiedData", "End": True}
modified = json.loads(NESTED)
modified["modifiedData"] = {"staticValue": "some value",
                            "inputValue": "value from input"}
expect("InputPath, Parameters and ResultPath, DEBUG",
       {"definition": json.dumps(io_pass), "input": NESTED,
        "inspectionLevel": "DEBUG"},
       {"status": "SUCCEEDED", "output": modified,
        "inspectionData": {
            "input": json.loads(NESTED),
            "afterInputPath": {"fieldFromInput": "value from input",
                               "otherField": "other"},
            "afterParameters": modified["modifiedData"],
            "afterResultSelector": modified["modifiedData"],
            "afterResultPath": modified}})
ok("Pass: its input and each processing step (INFO, DEBUG, TRACE)")

expect("a Fail state",
       {"definition": json.dumps({"Type": "Fail", "Error": "SomeFailure",
                                  "Cause": "This state machines raises a "
                                           "'SomeFailure' failure."}),
        "input": HELLO, "inspectionLevel": "DEBUG"},
       {"status": "FAILED", "error": "SomeFailure",
        "cause": "This state machines raises a 'SomeFailure' failure.",
        "inspectionData": {"input": {"Value": "HelloWorld"},
                           "afterInputPath": {"Value": "HelloWorld"}}})
expect("a Succeed state",
       {"definition": json.dumps({"Type": "Succeed"}), "input": HELLO,
        "inspectionLevel": "DEBUG"},
       {"status": "SUCCEEDED", "output": {"Value": "HelloWorld"},
        "inspectionData": {"input": {"Value": "HelloWorld"},
                           "afterInputPath": {"Value": "HelloWorld"}}})
choice = {"Type": "Choice", "Choices": [
    {"And": [{"Variable": "$.type", "StringEquals": "Private"},
             {"Variable": "$.value", "NumericGreaterThanEquals": 20},
             {"Variable": "$.value", "NumericLessThan": 30}],
     "Next": "ValueInTwenties"}], "Default": "DefaultState"}
expect("a Choice state: nextState",
       {"definition": json.dumps(choice),
        "input": json.dumps({"type": "Private", "value": 22})},
       {"status": "SUCCEEDED", "nextState": "ValueInTwenties",
        "output": {"type": "Private", "value": 22}})
expect("a Choice state: its Default",
       {"definition": json.dumps(choice),
        "input": json.dumps({"type": "Private", "value": 35})},
       {"status": "SUCCEEDED", "nextState": "DefaultState",
        "output": {"type": "Private", "value": 35}})
expect("a Wait state (it does not wait)",
       {"definition": json.dumps({"Type": "Wait", "Seconds": 3600,
                                  "Next": "After"}), "input": HELLO},
       {"status": "SUCCEEDED", "nextState": "After",
        "output": {"Value": "HelloWorld"}})
ok("Fail, Succeed, Choice (a rule, the Default), Wait")

task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "foo", "Payload": "bar"},
        "Retry": [{"ErrorEquals": ["MockException"], "IntervalSeconds": 1,
                   "MaxAttempts": 5, "BackoffRate": 2.0}], "End": True}
boom = {"errorOutput": {"error": "MockException",
                        "cause": "Mock the cause of the error."}}
expect("retrierRetryCount 4 of 5: RETRIABLE, backoff 1 x 2^4",
       {"definition": json.dumps(task), "input": "{}", "mock": boom,
        "inspectionLevel": "DEBUG",
        "stateConfiguration": {"retrierRetryCount": 4}},
       {"status": "RETRIABLE", "error": "MockException",
        "cause": "Mock the cause of the error.",
        "inspectionData": {"input": {}, "afterInputPath": {},
                           "afterParameters": {"FunctionName": "foo",
                                               "Payload": "bar"},
                           "errorDetails": {"retryIndex": 0,
                                            "retryBackoffIntervalSeconds":
                                            16}}})
expect("retrierRetryCount 5 of 5: FAILED",
       {"definition": json.dumps(task), "input": "{}", "mock": boom,
        "inspectionLevel": "DEBUG",
        "stateConfiguration": {"retrierRetryCount": 5}},
       {"status": "FAILED", "error": "MockException",
        "cause": "Mock the cause of the error.",
        "inspectionData": {"input": {}, "afterInputPath": {},
                           "afterParameters": {"FunctionName": "foo",
                                               "Payload": "bar"},
                           "errorDetails": {"retryIndex": 0}}})
catching = dict(task, Retry=[{"ErrorEquals": ["Other"]}], Catch=[
    {"ErrorEquals": ["MockException"], "ResultPath": "$.error",
     "Next": "HandleMockError"},
    {"ErrorEquals": ["States.TaskFailed"], "Next": "HandleThreshold"}])
expect("a Catch: CAUGHT_ERROR, the catcher's output and Next",
       {"definition": json.dumps(catching), "input": HELLO, "mock": boom},
       {"status": "CAUGHT_ERROR", "error": "MockException",
        "cause": "Mock the cause of the error.",
        "nextState": "HandleMockError",
        "output": {"Value": "HelloWorld",
                   "error": {"Error": "MockException",
                             "Cause": "Mock the cause of the error."}}})
got = parsed(test_state({"definition": json.dumps(catching), "input": HELLO,
                         "inspectionLevel": "DEBUG",
                         "mock": {"errorOutput": {
                             "error": "States.TaskFailed",
                             "cause": "The task failed."}}}))
if got["status"] != "CAUGHT_ERROR" or got["nextState"] != "HandleThreshold" \
        or got["inspectionData"]["errorDetails"] != {"catchIndex": 1} or \
        got["output"] != {"Error": "States.TaskFailed",
                          "Cause": "The task failed."}:
    fail("States.TaskFailed: %r" % got)
mocked = dict(task, ResultSelector={"p.$": "$.Payload"}, ResultPath="$.r")
del mocked["Retry"]
expect("a mocked result through ResultSelector and ResultPath",
       {"definition": json.dumps(mocked), "input": HELLO,
        "inspectionLevel": "DEBUG",
        "mock": {"result": json.dumps({"StatusCode": 200,
                                       "Payload": {"approval": True}})}},
       {"status": "SUCCEEDED",
        "output": {"Value": "HelloWorld", "r": {"p": {"approval": True}}},
        "inspectionData": {
            "input": {"Value": "HelloWorld"},
            "afterInputPath": {"Value": "HelloWorld"},
            "afterParameters": {"FunctionName": "foo", "Payload": "bar"},
            "result": {"StatusCode": 200, "Payload": {"approval": True}},
            "afterResultSelector": {"p": {"approval": True}},
            "afterResultPath": {"Value": "HelloWorld",
                                "r": {"p": {"approval": True}}}}})
ok("Task with a mock: RETRIABLE with its backoff, FAILED past MaxAttempts, "
   "CAUGHT_ERROR with catchIndex, a result through ResultSelector")

machine = {"StartAt": "Approval Required", "States": {
    "Approval Required": {"Type": "Choice", "Choices": [
        {"Variable": "$.cost", "NumericLessThan": 10, "Next": "Approved"}],
        "Default": "Ask for Approval"},
    "Ask for Approval": {"Type": "Pass", "Next": "Approved"},
    "Approved": {"Type": "Succeed"}}}
expect("stateName in a whole definition",
       {"definition": json.dumps(machine), "stateName": "Approval Required",
        "input": json.dumps({"cost": 9})},
       {"status": "SUCCEEDED", "nextState": "Approved",
        "output": {"cost": 9}})
expect("stateName in a whole definition, the other way",
       {"definition": json.dumps(machine), "stateName": "Approval Required",
        "input": json.dumps({"cost": 10})},
       {"status": "SUCCEEDED", "nextState": "Ask for Approval",
        "output": {"cost": 10}})
with_vars = {"Type": "Pass", "Parameters": {"v.$": "$x", "name.$":
                                            "$$.State.Name",
                                            "exec.$": "$$.Execution.Name"},
             "Assign": {"y.$": "$.v"}, "Next": "B"}
expect("variables, context",
       {"definition": json.dumps(with_vars), "input": "{}",
        "variables": json.dumps({"x": 42}),
        "context": json.dumps({"Execution": {"Name": "my-run"}}),
        "inspectionLevel": "DEBUG"},
       {"status": "SUCCEEDED", "nextState": "B",
        "output": {"v": 42, "name": "StateName", "exec": "my-run"},
        "inspectionData": {"input": {}, "afterInputPath": {},
                           "afterParameters": {"v": 42, "name": "StateName",
                                               "exec": "my-run"},
                           "afterResultSelector": {"v": 42,
                                                   "name": "StateName",
                                                   "exec": "my-run"},
                           "afterResultPath": {"v": 42, "name": "StateName",
                                               "exec": "my-run"},
                           "variables": {"x": 42, "y": 42}}})
ok("stateName within a definition, variables, context")

fn = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "double", "Payload.$": "$"},
      "OutputPath": "$.Payload", "End": True}
got = parsed(test_state({"definition": json.dumps(fn),
                         "roleArn": "arn:aws:iam::000000000000:role/r",
                         "input": json.dumps({"n": 21}),
                         "inspectionLevel": "DEBUG"}))
if got["status"] != "SUCCEEDED" or got["output"] != {"n": 42} or \
        got["inspectionData"]["result"]["StatusCode"] != 200:
    fail("a Lambda function: %r" % got)
ok("a Task calling a function created through the Lambda API")

for what, body, etype in [
        ("no definition", {}, "ValidationException"),
        ("an inspection level", {"definition": json.dumps(pass_state),
                                 "inspectionLevel": "ALL"},
         "ValidationException"),
        ("a definition that is not JSON", {"definition": "{"},
         "InvalidDefinition"),
        ("an invalid state", {"definition": json.dumps(
            {"Type": "Pass", "Next": 5})}, "InvalidDefinition"),
        ("input that is not JSON", {"definition": json.dumps(pass_state),
                                    "input": "{"}, "InvalidExecutionInput"),
        ("a mock of a Pass", {"definition": json.dumps(pass_state),
                              "mock": {"result": "1"}},
         "ValidationException"),
        ("a mock with both", {"definition": json.dumps(task),
                              "mock": {"result": "1", "errorOutput": {}}},
         "ValidationException"),
        ("a Task without a role or a mock", {"definition": json.dumps(fn)},
         "ValidationException"),
        ("a missing stateName", {"definition": json.dumps(machine)},
         "ValidationException"),
        ("an unknown stateName", {"definition": json.dumps(machine),
                                  "stateName": "Nope"},
         "ValidationException"),
        ("a Map state", {"definition": json.dumps(
            {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {
                "P": {"Type": "Pass", "End": True}}}, "End": True})},
         "ValidationException")]:
    got = test_state(body, 400)
    if got.get("__type") != etype:
        fail("%s: %r, not %s" % (what, got, etype))
ok("errors: ValidationException, InvalidDefinition, InvalidExecutionInput")
done("teststate")
