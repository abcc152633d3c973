#!/bin/sh
# concurrent.sh - 1,000 executions started at once (many_executions.py): all
# finish, each history whole.  SERVE_EXECUTIONS sets how many (1000).
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/serve/lib.sh"
cd "$WORK"

start_serve
cat > many.json <<'J'
{"StartAt": "Double", "States": {
  "Double": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.doubled",
    "ItemProcessor": {"StartAt": "Times2", "States": {"Times2": {"Type": "Pass",
      "Parameters": {"v.$": "States.MathAdd($, $)"}, "OutputPath": "$.v", "End": true}}},
    "Next": "Done"},
  "Done": {"Type": "Succeed"}}}
J
aws stepfunctions create-state-machine --name many --definition file://many.json \
	--role-arn arn:aws:iam::000000000000:role/r > /dev/null
"$PY" "$top_srcdir/tests/serve/many_executions.py" 127.0.0.1 "${URL##*:}" "${SERVE_EXECUTIONS:-1000}"
stop_serve
