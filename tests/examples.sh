#!/bin/sh
# examples.sh - the examples that run end to end: examples/nested (a parent
# and its child state machine in one program) and examples/human-approval
# (a callback task answered by a second process with the AWS CLI, both
# ways), against the build tree.
. "${top_srcdir:-.}/tests/setup.sh"
ex="$top_srcdir/examples"
# The build's compiler and sanitizer flags, as the examples take them.
export CC CFLAGS="${SAN_CFLAGS:-}" LDFLAGS="${SAN_CFLAGS:-}"

OUT="$WORK/nested" nohang sh "$ex/nested/run.sh" "$top_builddir" > "$WORK/nested.json" ||
	fail "examples/nested/run.sh failed"
jq_check "$WORK/nested.json" '[.[0].charged.order, .[1].declined, .[1].child.Error, .[2].charged.by] == [1, 2, "CardDeclined", "order-3"]'
ok "examples/nested: three child executions, the declined one caught by the parent"

if [ ! -x "${AWS_CLI:-/usr/bin/aws}" ]; then
	echo "no AWS CLI: examples/human-approval skipped"
	exit 0
fi
OUT="$WORK/yes" nohang sh "$ex/human-approval/run.sh" "$top_builddir" yes > "$WORK/yes.log" 2>&1 ||
	{ cat "$WORK/yes.log" >&2; fail "human-approval (yes) failed"; }
jq_check "$WORK/yes/output.json" '.approved_by == "alice" and .comment == "ship it"'
status=0
OUT="$WORK/no" nohang sh "$ex/human-approval/run.sh" "$top_builddir" no > "$WORK/no.log" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$WORK/no.log" >&2; fail "human-approval (no): exit status $status, not 1"; }
jq_check "$WORK/no/error.json" '.Error == "RequestRejected" and .Cause == "ship it"'
ok "examples/human-approval: the approver's send-task-success and send-task-failure end the execution"
