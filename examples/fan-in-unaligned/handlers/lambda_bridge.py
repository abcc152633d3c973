"""lambda_bridge.py - run a Python Lambda handler behind asl2c's --handler.

The generated program runs the command once per invocation: the event comes
as JSON on stdin, the handler's return value goes back as JSON on stdout.
An exception becomes a Lambda error object on stdout and exit status 1,
which the state machine sees as the Lambda function error AWS reports.
Logs go to stderr, as print() in a Lambda goes to CloudWatch.
"""
import json
import sys
import traceback


class Context:
    """The few attributes of Lambda's context object a handler may read."""

    def __init__(self, function_name):
        self.function_name = function_name
        self.aws_request_id = ""


def run(handler, function_name):
    event = json.loads(sys.stdin.read() or "null")
    real_stdout, sys.stdout = sys.stdout, sys.stderr  # print() logs
    try:
        result = handler(event, Context(function_name))
    except Exception as e:  # noqa: BLE001 - any error is the function's
        json.dump({"errorMessage": str(e), "errorType": type(e).__name__,
                   "stackTrace": traceback.format_tb(e.__traceback__)},
                  real_stdout)
        real_stdout.write("\n")
        sys.exit(1)
    json.dump(result, real_stdout)
    real_stdout.write("\n")
