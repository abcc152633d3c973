#!/bin/sh
# execution.sh - the endpoint's actions on the running execution, with
# Debian's AWS CLI as the client: DescribeExecution while it runs and
# once it ended (--listen-linger); GetExecutionHistory as --history writes
# it, page by page (maxResults, nextToken) and in reverse order;
# StopExecution (ABORTED, exit status 3, ExecutionAborted with its error
# and cause; a Map's waiting iterations stopped); ExecutionDoesNotExist
# and InvalidArn; bad requests (a body over the limit, malformed JSON, an
# unknown action) that never disturb the execution.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/callbacks/lib.sh"

here="$top_srcdir/tests/callbacks"
build_program "$here/twice.json" "$WORK/twice" --name twice
build_program "$here/load.json" "$WORK/load" --name load
arn=arn:aws:states:us-east-1:000000000000:execution:twice:run-1
cat > "$WORK/hand.sh" <<EOS
cat > /dev/null
printf '%s\n' "\$ASL2C_TASK_TOKEN" >> "$WORK/tokens"
echo '{"queued": true}'
EOS
tokens() { [ "$(wc -l < "$WORK/tokens")" -ge "$1" ]; }

# ---- DescribeExecution and GetExecutionHistory, running then ended
: > "$WORK/tokens"
bg_start $RUN "$WORK/twice" --name run-1 --input '{"order": 1}' \
	--listen 127.0.0.1:0 --listen-file "$WORK/url" --listen-linger 120 \
	--history "$WORK/h.json" --handler notify="sh '$WORK/hand.sh'"
wait_until tokens 1
sfn describe-execution --execution-arn "$arn" > "$WORK/d1.json" || fail "describe"
jq_check "$WORK/d1.json" '.status == "RUNNING" and .name == "run-1" and .executionArn == "'"$arn"'" and .stateMachineArn == "arn:aws:states:us-east-1:000000000000:stateMachine:twice" and (.input | fromjson == {"order": 1}) and (has("stopDate") | not) and (has("output") | not) and (.startDate | test("^20"))' ||
	fail "describe while running: $(cat "$WORK/d1.json")"
sfn get-execution-history --execution-arn "$arn" > "$WORK/g1.json" || fail "history"
[ "$(jq -c '[.events[].type]' "$WORK/g1.json")" = '["ExecutionStarted","TaskStateEntered","TaskScheduled","TaskStarted","TaskSubmitted"]' ] ||
	fail "history while running: $(jq -c '[.events[].type]' "$WORK/g1.json")"
ok "DescribeExecution and GetExecutionHistory while it runs"

error_is ExecutionDoesNotExist describe-execution --execution-arn "${arn}x"
error_is ExecutionDoesNotExist get-execution-history --execution-arn \
	arn:aws:states:us-east-1:000000000000:execution:other:run-1
error_is InvalidArn describe-execution --execution-arn not-an-arn
error_is InvalidArn stop-execution --execution-arn \
	arn:aws:states:us-east-1:000000000000:stateMachine:twice
ok "ExecutionDoesNotExist, InvalidArn"

# Bad requests, while the task waits: none disturbs the execution.
if command -v curl > /dev/null; then
	head -c 400000 /dev/zero | tr '\0' 'a' > "$WORK/big"
	code=$(curl -s -o "$WORK/curl.out" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/x-amz-json-1.0' \
		-H 'X-Amz-Target: AWSStepFunctions.SendTaskHeartbeat' \
		--data-binary @"$WORK/big" "$url/")
	[ "$code" = 413 ] && jq_check "$WORK/curl.out" '.__type == "RequestEntityTooLargeException"' ||
		fail "oversized: $code $(cat "$WORK/curl.out")"
	for case in 'DescribeExecution|{"executionArn": |SerializationException' \
	            'DescribeExecution|[1, 2]|SerializationException' \
	            'CreateStateMachine|{}|UnknownOperationException' \
	            'DescribeExecution|{"executionArn": 7}|ValidationException' \
	            'GetExecutionHistory|{"executionArn": "'"$arn"'", "maxResults": 5000}|ValidationException' \
	            'GetExecutionHistory|{"executionArn": "'"$arn"'", "nextToken": "forged"}|InvalidToken'; do
		action=${case%%|*} rest=${case#*|}
		code=$(post "$action" "${rest%|*}")
		[ "$code" = 400 ] && jq_check "$WORK/curl.out" ".__type == \"${rest##*|}\"" ||
			fail "$case: $code $(cat "$WORK/curl.out")"
	done
	ok "a body over the limit, malformed JSON, an unknown action, bad members"
fi

sfn send-task-success --task-token "$(sed -n 1p "$WORK/tokens")" \
	--task-output '{"approved": 1}' > /dev/null || fail "success"
wait_until tokens 2
sfn send-task-success --task-token "$(sed -n 2p "$WORK/tokens")" \
	--task-output '"two"' > /dev/null || fail "success 2"
wait_until test -s "$WORK/bg.out"
sfn describe-execution --execution-arn "$arn" > "$WORK/d2.json" || fail "describe"
jq_check "$WORK/d2.json" '.status == "SUCCEEDED" and (.output | fromjson == {"order": 1, "first": {"approved": 1}, "second": "two"}) and .stopDate >= .startDate' ||
	fail "describe once ended: $(cat "$WORK/d2.json")"
# The whole history, two events a page; the CLI follows nextToken.
sfn get-execution-history --execution-arn "$arn" --page-size 2 > "$WORK/g2.json" ||
	fail "history"
kill -TERM $pid
bg_wait 0
[ "$(jq -c '[.events[] | [.id, .previousEventId, .type]]' "$WORK/g2.json")" = \
  "$(jq -c '[.events[] | [.id, .previousEventId, .type]]' "$WORK/h.json")" ] ||
	fail "history by pages: $(jq -c '[.events[].type]' "$WORK/g2.json")"
jq_check "$WORK/g2.json" '[.events[] | .taskSucceededEventDetails.output // empty | fromjson] == [{"approved": 1}, "two"]' ||
	fail "history's details"
ok "DescribeExecution once ended (SUCCEEDED, output, stopDate); the history, page by page"

# ---- pages by hand: maxResults, nextToken, reverseOrder
: > "$WORK/tokens"
bg_start $RUN "$WORK/twice" --name run-1 --listen 127.0.0.1:0 \
	--listen-file "$WORK/url" --handler notify="sh '$WORK/hand.sh'"
wait_until tokens 1
sfn get-execution-history --execution-arn "$arn" --no-paginate --max-results 3 \
	> "$WORK/p1.json" || fail "page 1"
next=$(jq -r .nextToken "$WORK/p1.json")
sfn get-execution-history --execution-arn "$arn" --no-paginate --max-results 3 \
	--next-token "$next" > "$WORK/p2.json" || fail "page 2"
sfn get-execution-history --execution-arn "$arn" --no-paginate --reverse-order \
	> "$WORK/r.json" || fail "reverse"
[ "$(jq -c '[.events[].id]' "$WORK/p1.json")" = '[1,2,3]' ] &&
[ "$(jq -c '[.events[].id]' "$WORK/p2.json")" = '[4,5]' ] &&
	jq_check "$WORK/p2.json" 'has("nextToken") | not' &&
	[ "$(jq -c '[.events[].id]' "$WORK/r.json")" = '[5,4,3,2,1]' ] ||
	fail "pages: $(jq -c '[.events[].id]' "$WORK/p1.json" "$WORK/p2.json" "$WORK/r.json")"
sfn get-execution-history --execution-arn "$arn" --no-include-execution-data \
	> "$WORK/nodata.json" || fail "no data"
jq_check "$WORK/nodata.json" '(.events | length == 5) and ([.events[] | .. | objects | select(has("input") or has("output"))] == [])' ||
	fail "includeExecutionData: $(head -c 400 "$WORK/nodata.json")"
ok "maxResults and nextToken, reverseOrder, includeExecutionData"

# ---- StopExecution: ABORTED, exit status 3, its error and cause
sfn stop-execution --execution-arn "$arn" --error Halted --cause "by the test" \
	> "$WORK/s.json" || fail "stop"
jq_check "$WORK/s.json" '.stopDate | type == "string"' || fail "stop: $(cat "$WORK/s.json")"
bg_wait 3
grep -q '"Error":"Halted","Cause":"by the test"' "$WORK/bg.err" ||
	fail "stop: $(cat "$WORK/bg.err")"
# --describe tells the same.
: > "$WORK/tokens"
bg_start $RUN "$WORK/twice" --name run-1 --listen 127.0.0.1:0 --describe \
	--listen-file "$WORK/url" --handler notify="sh '$WORK/hand.sh'"
wait_until tokens 1
sfn stop-execution --execution-arn "$arn" --error Halted > /dev/null || fail "stop"
bg_wait 3
jq_check "$WORK/bg.out" '.status == "ABORTED" and .error == "Halted" and (has("cause") | not)' ||
	fail "--describe: $(cat "$WORK/bg.out")"
ok "StopExecution: exit status 3, its error and cause"

# Stopped while a Map's iterations wait on their callbacks; the history
# ends with ExecutionAborted, DescribeExecution says ABORTED.
: > "$WORK/tokens"
items=$(seq 0 19 | jq -sc '{items: map({n: .})}')
OMP_NUM_THREADS=4 bg_start $RUN "$WORK/load" --name run-2 --input "$items" \
	--listen 127.0.0.1:0 --listen-file "$WORK/url" --listen-linger 120 \
	--history "$WORK/h3.json" --handler approve="sh '$WORK/hand.sh'"
wait_until tokens 2
arn2=arn:aws:states:us-east-1:000000000000:execution:load:run-2
sfn stop-execution --execution-arn "$arn2" --cause "no error, a cause" > /dev/null ||
	fail "stop"
wait_until sh -c "'$AWS' stepfunctions describe-execution --endpoint-url '$url' --execution-arn '$arn2' | jq -e '.status == \"ABORTED\"' > /dev/null"
sfn describe-execution --execution-arn "$arn2" > "$WORK/d3.json" || fail "describe"
error_is TaskTimedOut send-task-success --task-token "$(sed -n 1p "$WORK/tokens")" \
	--task-output '{}'
kill -TERM $pid
bg_wait 3
jq_check "$WORK/d3.json" '.cause == "no error, a cause" and (has("error") | not) and (has("output") | not) and has("stopDate")' ||
	fail "describe stopped: $(cat "$WORK/d3.json")"
jq_check "$WORK/h3.json" '.events[-1] | .type == "ExecutionAborted" and .executionAbortedEventDetails == {"cause": "no error, a cause"}' ||
	fail "ExecutionAborted: $(jq -c '.events[-1]' "$WORK/h3.json")"
ok "StopExecution stops a Map's waiting iterations: ABORTED, ExecutionAborted"

# ---- SendTaskFailure without an error: the failure has none (AWS's)
: > "$WORK/tokens"
bg_start $RUN "$WORK/twice" --name run-3 --listen 127.0.0.1:0 \
	--listen-file "$WORK/url" --listen-linger 120 --history "$WORK/h4.json" \
	--handler notify="sh '$WORK/hand.sh'"
arn3=arn:aws:states:us-east-1:000000000000:execution:twice:run-3
wait_until tokens 1
sfn send-task-success --task-token "$(sed -n 1p "$WORK/tokens")" --task-output 1 > /dev/null ||
	fail "success"
wait_until tokens 2
sfn send-task-failure --task-token "$(sed -n 2p "$WORK/tokens")" --cause "no error" > /dev/null ||
	fail "failure"
wait_until sh -c "'$AWS' stepfunctions describe-execution --endpoint-url '$url' --execution-arn '$arn3' | jq -e '.status == \"FAILED\"' > /dev/null"
sfn describe-execution --execution-arn "$arn3" > "$WORK/d4.json" || fail "describe"
kill -TERM $pid
bg_wait 1
jq_check "$WORK/d4.json" '.cause == "no error" and (has("error") | not)' ||
	fail "describe: $(cat "$WORK/d4.json")"
jq_check "$WORK/h4.json" '(.events[-2] | .type == "TaskFailed" and .taskFailedEventDetails.cause == "no error" and (.taskFailedEventDetails | has("error") | not)) and .events[-1].executionFailedEventDetails == {"cause": "no error"}' ||
	fail "history: $(jq -c '.events[-2:]' "$WORK/h4.json")"
grep -qx '{"Cause":"no error"}' "$WORK/bg.err" || fail "stderr: $(cat "$WORK/bg.err")"
ok "SendTaskFailure without an error: TaskFailed, ExecutionFailed, DescribeExecution have none"

# A catcher of such a failure sees "Error": null (AWS's, localstack#10750).
cat > "$WORK/caught.json" <<'J'
{"StartAt": "Ask", "States": {
 "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
   "Parameters": {"FunctionName": "notify", "Payload": {}}, "TimeoutSeconds": 600,
   "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Done"}], "End": true},
 "Done": {"Type": "Pass", "End": true}}}
J
build_program "$WORK/caught.json" "$WORK/caught"
: > "$WORK/tokens"
rm -f "$WORK/url"
bg_start $RUN "$WORK/caught" --listen 127.0.0.1:0 --listen-file "$WORK/url" \
	--handler notify="sh '$WORK/hand.sh'"
wait_until tokens 1
sfn send-task-failure --task-token "$(sed -n 1p "$WORK/tokens")" --cause "no error" > /dev/null ||
	fail "failure"
bg_wait 0
jq_check "$WORK/bg.out" '.err == {"Error": null, "Cause": "no error"}' ||
	fail "caught: $(cat "$WORK/bg.out")"
ok "a catcher of a SendTaskFailure without an error: \"Error\": null"

# Without --listen-linger the endpoint ends with the execution.
expect 64 $RUN "$WORK/twice" --listen-linger 5
expect 64 $RUN "$WORK/twice" --listen 127.0.0.1:0 --listen-linger -1
ok "--listen-linger needs --listen and a number of seconds"

echo "execution: $passed passed, 0 failed"
