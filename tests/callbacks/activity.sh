#!/bin/sh
# activity.sh - activities: a Task whose Resource is an activity ARN waits
# for a worker, examples/activity-worker/worker.sh around Debian's AWS CLI
# (GetActivityTask, then SendTaskSuccess); SendTaskFailure without an
# error (none in the history); the Activity* events; GetActivityTask's
# errors (ActivityDoesNotExist, InvalidArn, ValidationException) and its
# empty answer once the execution ended; a --handler or a mock serving the
# activity without a worker; TimeoutSeconds with no worker.
. "${top_srcdir:-.}/tests/setup.sh"

. "$top_srcdir/tests/callbacks/lib.sh"

here="$top_srcdir/tests/callbacks"
worker="$top_srcdir/examples/activity-worker/worker.sh"
build_program "$here/activity.json" "$WORK/activity" --name activity
acts=arn:aws:states:us-east-1:123456789012:activity

# A worker takes Work; Check is failed without an error, and caught.
bg_start $RUN "$WORK/activity" --input '{"job": 7}' --listen 127.0.0.1:0 \
	--listen-file "$WORK/url" --listen-linger 60 --history "$WORK/h.json"
error_is ActivityDoesNotExist get-activity-task --activity-arn "$acts:other"
error_is InvalidArn get-activity-task --activity-arn "arn:aws:states:us-east-1:123456789012:stateMachine:x"
if command -v curl > /dev/null; then
	code=$(post GetActivityTask '{"workerName": "w"}')
	[ "$code" = 400 ] && jq_check "$WORK/curl.out" '.__type == "ValidationException"' ||
		fail "no activityArn: $code $(cat "$WORK/curl.out")"
fi
WORKER_NAME=worker-1 AWS_CLI="$AWS" nohang sh "$worker" "$url" "$acts:work" \
	'jq -c "{done: .job, token: (.token | length)}"' 1 2> "$WORK/worker.err" ||
	fail "worker: $(cat "$WORK/worker.err")"
sfn get-activity-task --activity-arn "$acts:check" --worker-name w2 > "$WORK/t2.json" ||
	fail "get-activity-task"
jq_check "$WORK/t2.json" '(.input | fromjson | .work == {"done": 7, "token": 64}) and (.taskToken | length == 64)' ||
	fail "check's task: $(cat "$WORK/t2.json")"
sfn send-task-failure --task-token "$(jq -r .taskToken "$WORK/t2.json")" \
	--cause "no error given" > /dev/null || fail "send-task-failure"
ok "a worker (worker.sh) takes the task and answers; the errors of GetActivityTask"

# Ended: the endpoint lingers; a poll gets no task at once.
# (its output is written before it lingers)
wait_until test -s "$WORK/bg.out"
sfn get-activity-task --activity-arn "$acts:work" > "$WORK/empty.json" || fail "empty poll"
# (the CLI prints nothing for an answer without members)
[ ! -s "$WORK/empty.json" ] || fail "empty poll: $(cat "$WORK/empty.json")"
kill -TERM $pid
bg_wait 0
jq_check "$WORK/bg.out" '.work == {"done": 7, "token": 64} and .error.Cause == "no error given"' ||
	fail "output: $(cat "$WORK/bg.out")"
[ "$(jq -c '[.events[].type]' "$WORK/h.json")" = '["ExecutionStarted","TaskStateEntered","ActivityScheduled","ActivityStarted","ActivitySucceeded","TaskStateExited","TaskStateEntered","ActivityScheduled","ActivityStarted","ActivityFailed","TaskStateExited","PassStateEntered","PassStateExited","ExecutionSucceeded"]' ] ||
	fail "events: $(jq -c '[.events[].type]' "$WORK/h.json")"
jq_check "$WORK/h.json" '.events[2].activityScheduledEventDetails | .resource == "arn:aws:states:us-east-1:123456789012:activity:work" and .timeoutInSeconds == 600 and .heartbeatInSeconds == 300 and (.input | fromjson | .job == 7)' ||
	fail "ActivityScheduled: $(jq -c '.events[2]' "$WORK/h.json")"
jq_check "$WORK/h.json" '.events[3].activityStartedEventDetails.workerName == "worker-1" and .events[8].activityStartedEventDetails.workerName == "w2"' ||
	fail "ActivityStarted"
jq_check "$WORK/h.json" '.events[4].activitySucceededEventDetails.output | fromjson == {"done": 7, "token": 64}' ||
	fail "ActivitySucceeded"
jq_check "$WORK/h.json" '.events[9].activityFailedEventDetails == {"cause": "no error given"}' ||
	fail "ActivityFailed: $(jq -c '.events[9]' "$WORK/h.json")"
ok "Activity* events; SendTaskFailure without an error records none; an empty poll after the end"

# A handler for the ARN serves the activity: no worker, no endpoint.
expect 0 nohang $RUN "$WORK/activity" --input '{"job": 8}' --history "$WORK/h2.json" \
	--handler "$acts:work=jq -c '{done: .job}'" --handler "$acts:check=echo '\"checked\"'"
jq_check "$WORK/out" '.work == {"done": 8} and .check == "checked"' || fail "handler: $(cat "$WORK/out")"
jq_check "$WORK/h2.json" '[.events[].type] | index("ActivityStarted") != null and index("TaskScheduled") == null' ||
	fail "handler: events"
# A mock: Return and Throw are the activity's outcome.
expect 0 nohang $RUN "$WORK/activity" --input '{"job": 9}' \
	--mock-config "$here/mock-config.json" --test-case Mocked
jq_check "$WORK/out" '.work == {"done": "mocked"} and .error == {"Error": "Nope", "Cause": "mocked failure"}' ||
	fail "mock: $(cat "$WORK/out")"
ok "a --handler or a mock serves an activity without a worker"

# No handler and no endpoint: nothing could take it.
expect 1 nohang $RUN "$WORK/activity" --input '{"job": 1}'
grep -q '"Error":"States.TaskFailed"' "$WORK/err" || fail "no worker: $(cat "$WORK/err")"
# No worker comes: TimeoutSeconds (on the virtual clock) times it out.
expect 1 nohang $RUN "$WORK/activity" --input '{"job": 1}' --listen 127.0.0.1:0 \
	--time-scale 0 --history "$WORK/h3.json"
grep -q '"Error":"States.Timeout"' "$WORK/err" || fail "timeout: $(cat "$WORK/err")"
jq_check "$WORK/h3.json" '.events[3].type == "ActivityTimedOut" and .events[3].activityTimedOutEventDetails.error == "States.Timeout"' ||
	fail "timeout: $(jq -c '.events[3]' "$WORK/h3.json")"
ok "no worker possible: States.TaskFailed; none comes: States.Timeout, ActivityTimedOut"

# The example end to end: two workers price and ship an order.
CC="$CC ${SAN_CFLAGS:-}" AWS_CLI="$AWS" expect 0 nohang sh \
	"$top_srcdir/examples/activity-worker/run.sh" "$top_builddir"
jq_check "$WORK/out" '.price == {"total": 7} and .shipping == {"carrier": "post", "cost": 0}' ||
	fail "examples/activity-worker: $(cat "$WORK/out") $(cat "$WORK/err")"
ok "examples/activity-worker/run.sh"

echo "activity: $passed passed, 0 failed"
