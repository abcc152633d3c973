#!/usr/bin/env python3
"""moto-run.py - one execution of a state machine on moto's Step Functions
interpreter (LocalStack's, as shipped in moto 5), one whole process per
execution, as a user of moto runs it in a test:
    python3 moto-run.py DEFINITION.json INPUT.json
Prints the output; exits 1 when the execution does not succeed."""
import json
import os
import sys
import time

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402


def main():
    definition = open(sys.argv[1]).read()
    data = open(sys.argv[2]).read() if len(sys.argv) > 2 else "{}"
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        sfn = boto3.client("stepfunctions", region_name="us-east-1")
        arn = sfn.create_state_machine(
            name="bench", definition=definition,
            roleArn="arn:aws:iam::000000000000:role/bench")["stateMachineArn"]
        ex = sfn.start_execution(stateMachineArn=arn, input=data)["executionArn"]
        delay = 0.001
        while True:
            d = sfn.describe_execution(executionArn=ex)
            if d["status"] != "RUNNING":
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
    if d["status"] != "SUCCEEDED":
        print(json.dumps({k: d.get(k) for k in ("status", "error", "cause")}),
              file=sys.stderr)
        return 1
    print(d["output"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
