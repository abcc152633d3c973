#!/bin/sh
# hostile.sh - malformed, oversized and unauthenticated-looking requests
# (hostile.py), then the service must still answer and stop cleanly.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/serve/lib.sh"

start_serve
port=${URL##*:}
"$PY" "$top_srcdir/tests/serve/hostile.py" 127.0.0.1 "$port"
aws stepfunctions list-state-machines > /dev/null
stop_serve
