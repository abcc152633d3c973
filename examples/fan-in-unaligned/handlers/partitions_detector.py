"""partitions_detector: the new partitions found under a storage prefix
(hard-coded, as in the seed)."""
import lambda_bridge


def handler(event, context):
    return [0, 1]


if __name__ == "__main__":
    lambda_bridge.run(handler, "partitions_detector")
