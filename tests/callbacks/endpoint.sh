#!/bin/sh
# endpoint.sh - the program's local endpoint (--listen, --listen-file)
# with Debian's AWS CLI as the client: send-task-success,
# send-task-failure and send-task-heartbeat complete callback tasks, from
# the command handler itself (ASL2C_ENDPOINT, ASL2C_TASK_TOKEN) or from
# another process; InvalidToken, TaskDoesNotExist, TaskTimedOut and
# InvalidOutput as AWS answers them.
. "${top_srcdir:-.}/tests/setup.sh"

AWS=${AWS_CLI:-/usr/bin/aws}
[ -x "$AWS" ] || { echo "no AWS CLI ($AWS): skipped"; exit 77; }
export AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \
	AWS_PAGER= AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

here="$top_srcdir/tests/callbacks"
build_program "$here/twice.json" "$WORK/twice" --name twice
sfn() { nohang "$AWS" stepfunctions "$@" --endpoint-url "$url"; }

# The command handler calls back itself, synchronously, with the CLI.
cat > "$WORK/self.sh" <<EOS
cat > /dev/null
url=\$ASL2C_ENDPOINT
"$AWS" stepfunctions send-task-success --endpoint-url "\$ASL2C_ENDPOINT" \
	--task-token "\$ASL2C_TASK_TOKEN" --task-output '{"by": "itself"}' >&2
echo null
EOS
expect 0 nohang $RUN "$WORK/twice" --listen 127.0.0.1:0 \
	--handler notify="sh '$WORK/self.sh'"
[ "$(jq -c '[.first, .second]' "$WORK/out")" = '[{"by":"itself"},{"by":"itself"}]' ] ||
	fail "self: $(cat "$WORK/out") $(cat "$WORK/err")"
ok "a command handler completes its token through the endpoint"

# Another process completes the tokens the handler hands out.
rm -f "$WORK/url" "$WORK/token"
cat > "$WORK/hand.sh" <<EOS
cat > /dev/null
printf '%s\n' "\$ASL2C_TASK_TOKEN" >> "$WORK/tokens"
echo '{"queued": true}'
EOS
: > "$WORK/tokens"
nohang $RUN "$WORK/twice" --listen 127.0.0.1:0 --listen-file "$WORK/url" \
	--handler notify="sh '$WORK/hand.sh'" > "$WORK/bg.out" 2> "$WORK/bg.err" &
pid=$!
# wait_for N: the Nth token is handed out.
wait_for() {
	i=0
	while [ "$(wc -l < "$WORK/tokens")" -lt "$1" ] || [ ! -s "$WORK/url" ]; do
		i=$((i + 1))
		[ $i -lt 1200 ] || { kill $pid; fail "no token $1: $(cat "$WORK/bg.err")"; }
		sleep 0.1
	done
}
wait_for 1
url=$(cat "$WORK/url")
first=$(sed -n 1p "$WORK/tokens")
# error_is TYPE CMD...: the CLI fails with AWS's error TYPE.
error_is() {
	want=$1
	shift
	st=0
	sfn "$@" > "$WORK/cli.out" 2> "$WORK/cli.err" || st=$?
	[ $st -ne 0 ] && grep -q "($want)" "$WORK/cli.err" ||
		fail "$want: status $st: $(cat "$WORK/cli.err")"
}
error_is InvalidToken send-task-success --task-token not-a-token --task-output '{}'
error_is TaskDoesNotExist send-task-heartbeat \
	--task-token AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
error_is InvalidOutput send-task-success --task-token "$first" --task-output '{nope'
# Requests the CLI would not send: no taskToken, another action.
if command -v curl > /dev/null; then
	for a in SendTaskSuccess:ValidationException GetActivityTask:ValidationException CreateActivity:UnknownOperationException; do
		code=$(curl -s -o "$WORK/curl.out" -w '%{http_code}' -X POST \
			-H 'Content-Type: application/x-amz-json-1.0' \
			-H "X-Amz-Target: AWSStepFunctions.${a%%:*}" -d '{}' "$url/")
		[ "$code" = 400 ] && jq_check "$WORK/curl.out" ".__type == \"${a#*:}\"" ||
			fail "$a: $code $(cat "$WORK/curl.out")"
	done
fi
sfn send-task-heartbeat --task-token "$first" > /dev/null || fail "heartbeat"
sfn send-task-success --task-token "$first" --task-output '{"approved": 1}' > /dev/null ||
	fail "success"
ok "InvalidToken, TaskDoesNotExist, InvalidOutput; heartbeat and success"
wait_for 2
second=$(sed -n 2p "$WORK/tokens")
[ "$second" != "$first" ] || fail "one token for two tasks"
error_is TaskTimedOut send-task-success --task-token "$first" --task-output '{}'
sfn send-task-failure --task-token "$second" --error Denied --cause "said no" > /dev/null ||
	fail "failure"
st=0
wait $pid || st=$?
[ $st -eq 0 ] || fail "the execution: status $st: $(cat "$WORK/bg.err")"
[ "$(jq -c '[.first, .error]' "$WORK/bg.out")" = '[{"approved":1},{"Error":"Denied","Cause":"said no"}]' ] ||
	fail "outcome: $(cat "$WORK/bg.out")"
ok "a completed token answers TaskTimedOut; send-task-failure is caught"

# Bad options: usage errors.
expect 64 $RUN "$WORK/twice" --listen-file "$WORK/url"
expect 64 $RUN "$WORK/twice" --listen nowhere
ok "--listen-file without --listen, a bad address"

echo "endpoint: $passed passed, 0 failed"
