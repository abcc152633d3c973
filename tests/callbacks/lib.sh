# tests/callbacks/lib.sh - what the endpoint's tests share (sourced after
# tests/setup.sh): the AWS CLI as the client, a program run in the
# background under a watchdog, and waits that are bounded.
AWS=${AWS_CLI:-/usr/bin/aws}
[ -x "$AWS" ] || { echo "no AWS CLI ($AWS): skipped"; exit 77; }
export AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \
	AWS_PAGER= AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

# sfn ACTION ARGS...: the CLI against the endpoint at $url.
sfn() { nohang "$AWS" stepfunctions "$@" --endpoint-url "$url"; }

# bg_start CMD...: CMD in the background ($pid; stdout in $WORK/bg.out,
# stderr in $WORK/bg.err), killed by a watchdog if it hangs; $url once
# its endpoint listens (CMD must write it to $WORK/url).
bg_start() {
	rm -f "$WORK/url"
	"$@" > "$WORK/bg.out" 2> "$WORK/bg.err" &
	pid=$!
	( sleep "$HANG_SECS"; kill -KILL $pid 2> /dev/null ) > /dev/null 2>&1 &
	watchdog=$!
	i=0
	while [ ! -s "$WORK/url" ]; do
		i=$((i + 1))
		[ $i -lt 1200 ] && kill -0 $pid 2> /dev/null ||
			fail "no endpoint: $(cat "$WORK/bg.err")"
		sleep 0.1
	done
	url=$(cat "$WORK/url")
}

# bg_wait STATUS: the background program exits with STATUS.
bg_wait() {
	st=0
	wait $pid || st=$?
	kill $watchdog 2> /dev/null || :
	wait $watchdog 2> /dev/null || :
	[ $st -eq "$1" ] || fail "exit status $st, not $1: $(cat "$WORK/bg.err")"
}

# wait_until CMD...: CMD succeeds, within the hang detector's time.
wait_until() {
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -lt $((HANG_SECS * 10)) ] || fail "never: $*"
		sleep 0.1
	done
}

# error_is TYPE CMD...: the CLI fails with AWS's error TYPE.
error_is() {
	want=$1
	shift
	st=0
	sfn "$@" > "$WORK/cli.out" 2> "$WORK/cli.err" || st=$?
	[ $st -ne 0 ] && grep -q "($want)" "$WORK/cli.err" ||
		fail "$want: status $st: $(cat "$WORK/cli.err")"
}

# post ACTION BODY: a raw JSON 1.0 call with curl; the HTTP status on
# stdout, the body in $WORK/curl.out.
post() {
	curl -s -o "$WORK/curl.out" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/x-amz-json-1.0' \
		-H "X-Amz-Target: AWSStepFunctions.$1" --data-binary "$2" "$url/"
}
