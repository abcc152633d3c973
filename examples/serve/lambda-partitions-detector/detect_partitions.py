"""The partitions detector of the seed: the new partitions to process
(hard-coded for the sake of simplicity; it could list an S3 prefix or ask a
metadata layer)."""


def lambda_handler(event, context):
    return [0, 1]
