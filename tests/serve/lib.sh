# tests/serve/lib.sh - what the asl2c serve tests share (sourced after
# tests/setup.sh).  The clients are Debian's: the AWS CLI (/usr/bin/aws, from
# awscli) and boto3 (python3-boto3, for /usr/bin/python3); another aws or
# python3 earlier on PATH is not used.  No request is authenticated, but the
# CLI wants credentials and a region: any will do.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null
AWS_CLI=/usr/bin/aws
PY=/usr/bin/python3
[ -x "$AWS_CLI" ] || { echo "no $AWS_CLI (Debian's awscli): skipped"; exit 77; }
[ -x "$PY" ] || { echo "no $PY: skipped"; exit 77; }

STATE="$WORK/state"
SERVE_PID=
trap 'if [ -n "$SERVE_PID" ]; then kill -9 "$SERVE_PID" 2>/dev/null || :; fi' EXIT

# start_serve [OPTIONS]: asl2c serve on a free port, state in $STATE;
# sets URL and SERVE_PID.
start_serve() {
	rm -f "$WORK/url"
	"$ASL2C" serve --listen 127.0.0.1:0 --listen-file "$WORK/url" \
		--state "$STATE" --python "$PY" "$@" >> "$WORK/serve.log" 2>&1 &
	SERVE_PID=$!
	for _ in $(seq $((HANG_SECS * 10))); do
		[ -s "$WORK/url" ] && break
		kill -0 "$SERVE_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; fail "asl2c serve did not start"; }
		sleep 0.1
	done
	[ -s "$WORK/url" ] || fail "asl2c serve did not write its address"
	URL=$(cat "$WORK/url")
}

# stop_serve: SIGTERM, and its exit status must be 0.
stop_serve() {
	kill -TERM "$SERVE_PID"
	st=0
	wait "$SERVE_PID" || st=$?
	SERVE_PID=
	[ "$st" -eq 0 ] || { cat "$WORK/serve.log" >&2; fail "asl2c serve exited with $st after SIGTERM"; }
}

# aws ARGS...: the AWS CLI against the service.
aws() {
	"$AWS_CLI" --endpoint-url "$URL" "$@"
}

# jget JSON-FILE PYTHON-EXPR: a field of a JSON document (d is the document).
jget() {
	"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# wait_status ARN STATUS [SECONDS]: poll describe-execution.
wait_status() {
	for _ in $(seq $((${3:-60} * 10))); do
		aws stepfunctions describe-execution --execution-arn "$1" > "$WORK/describe.json"
		s=$(jget "$WORK/describe.json" 'd["status"]')
		[ "$s" = "$2" ] && return 0
		[ "$s" = RUNNING ] || { cat "$WORK/describe.json" >&2; fail "$1 is $s, not $2"; }
		sleep 0.1
	done
	fail "$1 is still RUNNING"
}

# zip_dir DIR ZIP: the seed's "cd DIR; zip -r ../ZIP .; cd ..".
zip_dir() {
	rm -f "$2"
	(cd "$1" && zip -qr "../$(basename "$2")" .)
}

# create_function NAME HANDLER ZIP: as the seed creates its functions.
create_function() {
	aws lambda create-function --function-name "$1" --runtime python3.8 \
		--handler "$2" --region us-east-1 --zip-file "fileb://$3" \
		--role arn:aws:iam::123456789000:role/ignoreme > "$WORK/created.json"
}
