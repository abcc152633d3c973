#!/bin/sh
# approve.sh INBOX ENDPOINT yes|no [COMMENT] - the approver: for each
# request in INBOX, answer through the program's endpoint with the AWS
# CLI, as an approver's tool would answer Step Functions.
set -eu
inbox=$1 endpoint=$2 answer=$3 comment=${4:-}
AWS=${AWS_CLI:-/usr/bin/aws}
for req in "$inbox"/*.json; do
	token=$(jq -r .token "$req")
	if [ "$answer" = yes ]; then
		"$AWS" stepfunctions send-task-success --endpoint-url "$endpoint" \
			--task-token "$token" \
			--task-output "$(jq -cn --arg c "$comment" '{approver: "alice", comment: $c}')"
	else
		"$AWS" stepfunctions send-task-failure --endpoint-url "$endpoint" \
			--task-token "$token" --error Rejected --cause "${comment:-no}"
	fi
	rm "$req"
done
