#!/bin/sh
# sync_services.sh - .sync integrations of other services (glue, ecs,
# batch): the handler registered for the resource is the job, and its
# result is the finished job's description, as AWS's TaskSucceeded holds it
# (doc/handlers.md, ".sync"); a failed job is the handler's error
# (States.TaskFailed as AWS names it; a command's cause is its error
# document as written); a mock's Return is the finished job (Step Functions Local's
# rule).  The history names the service and the action as AWS does.
. "${top_srcdir:-.}/tests/setup.sh"
cd "$WORK"

cat > jobs.json <<'J'
{"StartAt": "Glue", "States": {
 "Glue": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync",
   "Parameters": {"JobName": "nightly", "Arguments": {"--day.$": "$.day"}},
   "ResultSelector": {"state.$": "$.JobRunState", "id.$": "$.Id"},
   "ResultPath": "$.glue", "Next": "Ecs"},
 "Ecs": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync",
   "Parameters": {"Cluster": "c1", "TaskDefinition": "report"},
   "ResultSelector": {"exit.$": "$.Containers[0].ExitCode"},
   "ResultPath": "$.ecs", "Next": "Batch"},
 "Batch": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync",
   "Parameters": {"JobName": "load", "JobQueue": "q", "JobDefinition": "d"},
   "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.batch", "Next": "Done"}],
   "End": true},
 "Done": {"Type": "Pass", "End": true}}}
J
# The jobs as commands: each prints the finished job, or fails as AWS
# reports the job's failure.
cat > glue.sh <<'S'
jq -c '{Id: "jr_1", JobName: .JobName, JobRunState: "SUCCEEDED", Arguments: .Arguments}'
S
cat > ecs.sh <<'S'
cat > /dev/null
echo '{"Containers": [{"ExitCode": 0, "LastStatus": "STOPPED"}], "LastStatus": "STOPPED"}'
S
cat > batch.sh <<'S'
cat > /dev/null
echo '{"errorType": "States.TaskFailed", "errorMessage": "{\"JobName\":\"load\",\"Status\":\"FAILED\",\"StatusReason\":\"Essential container in task exited\"}"}'
exit 1
S
build_program jobs.json jobs
expect 0 $RUN ./jobs --input '{"day": "2026-01-01"}' --history h.json \
	--handler "arn:aws:states:::glue:startJobRun.sync=sh glue.sh" \
	--handler "arn:aws:states:::ecs:runTask.sync=sh ecs.sh" \
	--handler "arn:aws:states:::batch:submitJob.sync=sh batch.sh"
jq_check out '.glue == {"state": "SUCCEEDED", "id": "jr_1"} and .ecs.exit == 0'
jq_check out '.batch.Error == "States.TaskFailed" and (.batch.Cause | fromjson | .errorMessage | fromjson | .Status == "FAILED")'
jq_check h.json '[.events[] | select(.type == "TaskScheduled") | .taskScheduledEventDetails | [.resourceType, .resource]] == [["glue", "startJobRun.sync"], ["ecs", "runTask.sync"], ["batch", "submitJob.sync"]]'
ok "glue, ecs and batch .sync: the handlers' finished jobs, a failed job caught, the history's resource names"

cat > mocks.json <<'J'
{"StateMachines": {"jobs": {"TestCases": {"Mocked": {"Glue": "GlueDone", "Ecs": "EcsDone", "Batch": "BatchDone"}}}},
 "MockedResponses": {
  "GlueDone": {"0": {"Return": {"Id": "jr_m", "JobRunState": "SUCCEEDED"}}},
  "EcsDone": {"0": {"Return": {"Containers": [{"ExitCode": 3}]}}},
  "BatchDone": {"0": {"Throw": {"Error": "States.TaskFailed", "Cause": "{\"Status\":\"FAILED\"}"}}}}}
J
expect 0 $RUN ./jobs --input '{"day": "x"}' --mock-config mocks.json --test-case Mocked
jq_check out '.glue.id == "jr_m" and .ecs.exit == 3 and .batch.Error == "States.TaskFailed"'
ok "mocked .sync tasks: a Return is the finished job, a Throw its failure"
