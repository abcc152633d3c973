"""The partitions processor of the seed: processes one partition (here a
Lambda function; it could be a Spark job or a SQL query).  Partition 1
fails its validation."""


def lambda_handler(event, context):
    print(f"event={event}")
    return event.get("PartitionNumber") != 1
