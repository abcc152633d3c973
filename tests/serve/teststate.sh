#!/bin/sh
# teststate.sh - TestState (teststate.py), with one Lambda function.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/serve/lib.sh"
cd "$WORK"

start_serve
mkdir fn
printf 'def handler(event, context):\n    return {"n": event["n"] * 2}\n' > fn/app.py
zip_dir fn fn.zip
create_function double app.handler fn.zip
"$PY" "$top_srcdir/tests/serve/teststate.py" 127.0.0.1 "${URL##*:}"
stop_serve
