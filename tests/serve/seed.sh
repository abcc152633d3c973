#!/bin/sh
# seed.sh - the seed's README (README.md, "Use it like LocalStack"), command for command, with
# the real AWS CLI against asl2c serve instead of LocalStack: zip the three
# Python functions, create them with the seed's arguments, delete and create
# the state machine from the seed's definition, start an execution, wait for
# SUCCEEDED, and read the table creator's log.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/serve/lib.sh"

start_serve
cd "$WORK"
cp -r "$top_srcdir"/examples/serve/lambda-partitions-detector \
	"$top_srcdir"/examples/serve/lambda-partitions-processor \
	"$top_srcdir"/examples/serve/lambda-table-creator \
	"$top_srcdir"/examples/serve/process_partitions_state_machine.json .
chmod -R u+w .

# 3. Create the Lambda functions (the zip files).
rm -f package_detector.zip
cd lambda-partitions-detector
zip -r ../package_detector.zip .
cd ..
rm -f package_processor.zip
cd lambda-partitions-processor
zip -r ../package_processor.zip .
cd ..
rm -f table_creator.zip
cd lambda-table-creator
zip -r ../table_creator.zip .
cd ..
ok "the three zip files"

# 3. Create the functions (the seed's arguments, with our endpoint).
"$AWS_CLI" lambda create-function \
    --endpoint-url "$URL" \
    --function-name partitions_detector \
    --runtime python3.8 \
    --handler detect_partitions.lambda_handler \
    --region us-east-1 \
    --zip-file fileb://./package_detector.zip \
    --role arn:aws:iam::123456789000:role/ignoreme > detector.json
"$AWS_CLI" lambda create-function \
    --endpoint-url "$URL" \
    --function-name partitions_processor \
    --runtime python3.8 \
    --handler process_partition.lambda_handler \
    --region us-east-1 \
    --zip-file fileb://package_processor.zip \
    --role arn:aws:iam::123456789000:role/ignoreme > processor.json
"$AWS_CLI" lambda create-function \
    --endpoint-url "$URL" \
    --function-name table_creator \
    --runtime python3.8 \
    --handler create_table_from_processed_partitions.lambda_handler \
    --region us-east-1 \
    --zip-file fileb://table_creator.zip \
    --role arn:aws:iam::123456789000:role/ignoreme > creator.json
[ "$(jget creator.json 'd["FunctionArn"]')" = \
  arn:aws:lambda:us-east-1:000000000000:function:table_creator ] ||
	fail "table_creator's ARN: $(cat creator.json)"
[ "$(jget detector.json 'd["Handler"]')" = detect_partitions.lambda_handler ] ||
	fail "the detector's handler: $(cat detector.json)"
ok "create-function x3, with the seed's arguments"

# 4. Recreate the state machine (it does not exist yet: the delete is a
# no-op, as on AWS).
aws stepfunctions delete-state-machine  --state-machine-arn "arn:aws:states:us-east-1:000000000000:stateMachine:fan-in-unaligned"
aws stepfunctions create-state-machine --definition file://process_partitions_state_machine.json --name fan-in-unaligned  --role-arn "arn:aws:iam::000000000000:role/stepfunctions-role" > sm.json
[ "$(jget sm.json 'd["stateMachineArn"]')" = \
  arn:aws:states:us-east-1:000000000000:stateMachine:fan-in-unaligned ] ||
	fail "the state machine's ARN: $(cat sm.json)"
ok "delete-state-machine, create-state-machine"

# 5. Run the Step Function.
aws stepfunctions start-execution  --state-machine-arn "arn:aws:states:us-east-1:000000000000:stateMachine:fan-in-unaligned" > start.json
arn=$(jget start.json 'd["executionArn"]')
case $arn in
arn:aws:states:us-east-1:000000000000:execution:fan-in-unaligned:*) ;;
*) fail "the execution's ARN: $arn" ;;
esac
wait_status "$arn" SUCCEEDED
[ "$(jget "$WORK/describe.json" 'json.loads(d["output"])["Payload"]')" = True ] ||
	fail "the output: $(cat "$WORK/describe.json")"
ok "start-execution, describe-execution until SUCCEEDED"

# 6. Check the output: the table creator's log (the seed reads docker logs).
"$ASL2C" serve --state "$STATE" --logs table_creator > creator.log
grep -qxF "event={'ProcessorResults': [True, False]}" creator.log ||
	{ cat creator.log >&2; fail "no event line in the table creator's log"; }
grep -qxF "Marking the job as partially valid" creator.log ||
	{ cat creator.log >&2; fail "no 'partially valid' line in the log"; }
"$ASL2C" serve --state "$STATE" --logs partitions_processor > processor.log
grep -qxF "event={'PartitionNumber': 0}" processor.log &&
grep -qxF "event={'PartitionNumber': 1}" processor.log ||
	{ cat processor.log >&2; fail "the processor's log"; }
ok "the table creator's log: the event and 'Marking the job as partially valid'"

# The history: the Lambda tasks, the Map's two iterations, the end.
aws stepfunctions get-execution-history --execution-arn "$arn" > history.json
[ "$(jget history.json 'len(d["events"])')" -eq 32 ] ||
	fail "history: $(jget history.json '[e["type"] for e in d["events"]]')"
[ "$(jget history.json 'd["events"][-1]["type"]')" = ExecutionSucceeded ] ||
	fail "the last event"
[ "$(jget history.json 'sum(e["type"] == "MapIterationSucceeded" for e in d["events"])')" -eq 2 ] ||
	fail "two Map iterations"
ok "get-execution-history: 32 events, ExecutionSucceeded"

aws stepfunctions list-executions --state-machine-arn "arn:aws:states:us-east-1:000000000000:stateMachine:fan-in-unaligned" > list.json
[ "$(jget list.json 'd["executions"][0]["status"]')" = SUCCEEDED ] || fail "list-executions"
ok "list-executions"

# 7. Stop the runtime.
stop_serve
ok "SIGTERM stops asl2c serve with exit status 0"
echo "seed: $passed passed, 0 failed"
