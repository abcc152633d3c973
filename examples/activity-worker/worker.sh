#!/bin/sh
# worker.sh - an activity worker around the AWS CLI: it takes the tasks of
# one activity from a Step Functions endpoint (GetActivityTask), runs a
# command on each task's input and answers with SendTaskSuccess (the
# command's standard output, JSON) or SendTaskFailure (its exit status
# not 0: error WorkerFailed, its standard error as the cause).
#
#   worker.sh ENDPOINT-URL ACTIVITY-ARN COMMAND [MAX-TASKS]
#
# It stops after MAX-TASKS tasks (default: never) or when the endpoint is
# gone (the execution ended).  AWS_CLI names the CLI (default aws); the
# region and credentials are the CLI's own (any value does for asl2c's
# endpoint).  An empty poll (no task within the endpoint's long poll) is
# polled again.
set -u
url=$1 arn=$2 cmd=$3 max=${4:-0}
aws=${AWS_CLI:-aws}
name=${WORKER_NAME:-$(hostname)-$$}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
done_tasks=0
sfn() { "$aws" stepfunctions --endpoint-url "$url" "$@"; }

while [ "$max" -eq 0 ] || [ "$done_tasks" -lt "$max" ]; do
	sfn get-activity-task --activity-arn "$arn" --worker-name "$name" \
		--output json > "$tmp/task.json" 2> "$tmp/poll.err" || {
		echo "worker: the endpoint is gone: $(cat "$tmp/poll.err")" >&2
		exit 0
	}
	token=$(jq -r '.taskToken // empty' "$tmp/task.json")
	[ -n "$token" ] || continue
	jq -r .input "$tmp/task.json" > "$tmp/input.json"
	if sh -c "$cmd" < "$tmp/input.json" > "$tmp/output.json" 2> "$tmp/cmd.err"; then
		sfn send-task-success --task-token "$token" \
			--task-output "$(cat "$tmp/output.json")" > /dev/null
	else
		sfn send-task-failure --task-token "$token" --error WorkerFailed \
			--cause "$(head -c 32768 "$tmp/cmd.err")" > /dev/null
	fi || echo "worker: the answer was refused" >&2
	done_tasks=$((done_tasks + 1))
done
