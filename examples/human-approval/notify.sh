#!/bin/sh
# notify.sh - the notify_approver function, as a command handler: it gets
# the Lambda event on stdin ({"token", "request", "execution"}) and "sends"
# the request to the approver: here, a file in the inbox folder ($INBOX),
# which approve.sh reads.  It answers at once; the execution then waits
# for the approver's answer, not for this command.
set -eu
event=$(cat)
name=$(printf '%s' "$event" | jq -r .execution)
printf '%s\n' "$event" > "$INBOX/$name.tmp"
mv "$INBOX/$name.tmp" "$INBOX/$name.json"
echo '{"sent": true}'
