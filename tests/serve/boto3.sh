#!/bin/sh
# boto3.sh - the seed and the API's shapes and errors with a second client:
# Debian's boto3 (seed_boto3.py).
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/serve/lib.sh"
"$PY" -c 'import boto3' 2>/dev/null || { echo "no boto3 (python3-boto3): skipped"; exit 77; }

start_serve --poll-seconds 1
"$PY" "$top_srcdir/tests/serve/seed_boto3.py" "$URL" "$top_srcdir/examples/serve"
stop_serve
