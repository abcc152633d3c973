"""lambda_bridge.py - run a Python Lambda handler behind asl2c's --handler.

The generated program runs the command once per invocation: the event comes
as JSON on stdin, the handler's return value goes back as JSON on stdout.
An exception becomes a Lambda error object on stdout and exit status 1,
which the state machine sees as the Lambda function error AWS reports.
Logs go to stderr, as print() in a Lambda goes to CloudWatch.
"""
import json
import os
import sys
import traceback


class Context:
    """The few attributes of Lambda's context object a handler may read."""

    def __init__(self, function_name):
        self.function_name = function_name
        # the invocation's request id, given by the generated program
        self.aws_request_id = os.environ.get("ASL2C_REQUEST_ID", "")


def run(handler, function_name):
    event = json.loads(sys.stdin.read() or "null")
    real_stdout, sys.stdout = sys.stdout, sys.stderr  # print() logs
    context = Context(function_name)
    try:
        result = handler(event, context)
    except Exception as e:  # noqa: BLE001 - any error is the function's
        # the error document as Python's Lambda runtime writes it: the
        # cause of the task's error, byte for byte
        json.dump({"errorMessage": str(e), "errorType": type(e).__name__,
                   "requestId": context.aws_request_id,
                   "stackTrace": traceback.format_tb(e.__traceback__)},
                  real_stdout)
        real_stdout.write("\n")
        sys.exit(1)
    json.dump(result, real_stdout)
    real_stdout.write("\n")
