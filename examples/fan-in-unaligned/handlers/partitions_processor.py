"""partitions_processor: processes one partition; partition 1 fails its
validation."""
import json

import lambda_bridge


def handler(event, context):
    print("event=" + json.dumps(event))
    return event.get("PartitionNumber") != 1


if __name__ == "__main__":
    lambda_bridge.run(handler, "partitions_processor")
