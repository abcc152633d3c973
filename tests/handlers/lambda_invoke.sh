#!/bin/sh
# lambda_invoke.sh - arn:aws:states:::lambda:invoke as AWS invokes it,
# through command handlers and C handlers:
# - no Payload: the function receives {};
# - a string Payload is the request body: the command reads it as written;
# - Content-Length counts the response's bytes as the function wrote them;
# - LogType "Tail": LogResult and X-Amz-Log-Result, the base64 of the last
#   4 KB of the log (START, the function's lines, END, REPORT), while the
#   lines still reach stderr;
# - a function error's cause is the error document exactly as the
#   function's runtime wrote it (Python's runtime: spaces, requestId).
. "${top_srcdir:-.}/tests/setup.sh"

fixed="--seed 7 --start-time 2026-01-01T00:00:00Z"
# invoke PARAMETERS (JSON): a machine calling f with them.
invoke() {
	jq -n --argjson p "$1" '{StartAt: "T", States: {T: {Type: "Task",
		Resource: "arn:aws:states:::lambda:invoke",
		Parameters: ({FunctionName: "f"} + $p), End: true}}}' > "$WORK/m.json"
	build_program "$WORK/m.json" "$WORK/m" || fail "build: $1"
}
header() { jq -r --arg h "$1" '.SdkHttpMetadata.HttpHeaders[$h]' "$WORK/out"; }

# No Payload: {} on the command's stdin.
invoke '{}'
expect 0 $RUN "$WORK/m" $fixed --handler "f=cat > $WORK/event"
[ "$(cat "$WORK/event")" = '{}' ] || fail "no Payload: the command read $(cat "$WORK/event")"
ok "no Payload: the function receives {}"

# A string Payload: the bytes as written, parsed by the function.
invoke '{"Payload": "{\"a\":   [1,2],  \"b\": 0.0}"}'
expect 0 $RUN "$WORK/m" $fixed --handler "f=tee $WORK/event"
[ "$(cat "$WORK/event")" = '{"a":   [1,2],  "b": 0.0}' ] || fail "string Payload: read $(cat "$WORK/event")"
jq_check "$WORK/out" '.Payload == {"a": [1, 2], "b": 0}' || fail "string Payload: $(cat "$WORK/out")"
[ "$(header Content-Length)" = 25 ] || fail "Content-Length $(header Content-Length), not 25 (the bytes as written)"
ok "a string Payload is the request body; Content-Length counts the bytes as written"
invoke '{"Payload": "0.0"}'
expect 0 $RUN "$WORK/m" $fixed --handler "f=cat > $WORK/event; echo 1.50"
[ "$(cat "$WORK/event")" = '0.0' ] || fail "\"0.0\": read $(cat "$WORK/event")"
grep -q '"Payload":1.5,' "$WORK/out" && [ "$(header Content-Length)" = 4 ] ||
	fail "1.50: $(cat "$WORK/out")"
ok "\"0.0\" arrives as 0.0; the answer's length is its own (4 bytes for 1.50)"
invoke '{"Payload": "not json"}'
expect 1 $RUN "$WORK/m" $fixed --handler "f=cat > $WORK/never"
[ ! -e "$WORK/never" ] || fail "not JSON: the function ran"
jq_check "$WORK/err" '.Error == "Lambda.InvalidRequestContentException" and (.Cause | startswith("Could not parse request body into json: Could not parse payload into json: ") and endswith("; Proxy: null)"))' ||
	fail "not JSON: $(cat "$WORK/err")"
ok "a string Payload that is not JSON: Lambda.InvalidRequestContentException, the function not run"

# LogType Tail.
invoke '{"Payload": {}, "LogType": "Tail"}'
expect 0 $RUN "$WORK/m" $fixed --handler 'f=echo first >&2; echo second >&2; echo "{}"'
grep -q '^second$' "$WORK/err" || fail "Tail: the log lines no longer reach stderr"
jq_check "$WORK/out" '. as $r | (.LogResult | @base64d) as $l | .SdkHttpMetadata.HttpHeaders["X-Amz-Log-Result"] == .LogResult
	and .SdkHttpMetadata.AllHttpHeaders["X-Amz-Log-Result"] == [.LogResult]
	and ($l | test("^START RequestId: [0-9a-f-]{36} Version: [$]LATEST\nfirst\nsecond\nEND RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: 0.00 ms\tBilled Duration: 1 ms\t\n$"))
	and ([$l | scan("[0-9a-f-]{36}")] | unique == [$r.SdkResponseMetadata.RequestId])' ||
	fail "Tail: $(cat "$WORK/out")"
ok "LogType Tail: LogResult and X-Amz-Log-Result hold the log, base64"
expect 0 $RUN "$WORK/m" $fixed --handler 'f=head -c 10000 /dev/zero | tr "\0" x >&2; echo; echo "{}"'
jq_check "$WORK/out" '(.LogResult | @base64d) as $l | ($l | length) == 4096 and ($l | startswith("xxx")) and ($l | test("\nREPORT RequestId: [^\n]*\n$"))' ||
	fail "Tail, 10 kB of log: $(jq -c '.LogResult | @base64d | length' "$WORK/out")"
ok "LogType Tail: the last 4 KB of a longer log"
invoke '{"Payload": {}}'
expect 0 $RUN "$WORK/m" $fixed --handler 'f=echo x >&2; echo "{}"'
jq_check "$WORK/out" 'has("LogResult") | not' || fail "no LogType: a LogResult"
ok "no LogType: no LogResult"

# A C handler's asl_log lines are its log (the fan-in's partitions_processor).
jq -n '{StartAt: "T", States: {T: {Type: "Task", Resource: "arn:aws:states:::lambda:invoke",
	Parameters: {FunctionName: "partitions_processor", Payload: {PartitionNumber: 3}, LogType: "Tail"}, End: true}}}' > "$WORK/c.json"
build_program "$WORK/c.json" "$WORK/c"
expect 0 $RUN "$WORK/c" $fixed
jq_check "$WORK/out" '.LogResult | @base64d | contains("\nevent={\"PartitionNumber\": 3}\nEND RequestId: ")' ||
	fail "C handler Tail: $(jq -r '.LogResult | @base64d' "$WORK/out")"
ok "a C handler's asl_log lines are its LogResult"

# A function error: the document exactly as the runtime wrote it.
invoke '{"Payload": {}}'
doc='{"errorMessage": "boom", "errorType": "Exception", "requestId": "r-1", "stackTrace": ["  File \"f.py\", line 1\n"]}'
printf '%s\n' "$doc" > "$WORK/doc.json"
expect 1 $RUN "$WORK/m" $fixed --handler "f=cat $WORK/doc.json; exit 1"
jq_check "$WORK/err" '.Error == "Exception" and .Cause == $d' --arg d "$doc" ||
	fail "error document: $(cat "$WORK/err")"
ok "a function error: the cause is the error document as written"
if command -v python3 > /dev/null 2>&1; then
	cat > "$WORK/fn.py" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import lambda_bridge
def handler(event, context):
    raise Exception("no " + str(event["n"]))
lambda_bridge.run(handler, "f")
PY
	invoke '{"Payload": {"n": 2}}'
	expect 1 $RUN "$WORK/m" $fixed --handler "f=python3 $WORK/fn.py $top_srcdir/examples/fan-in-unaligned/handlers"
	jq_check "$WORK/err" '.Error == "Exception" and (.Cause | startswith("{\"errorMessage\": \"no 2\", \"errorType\": \"Exception\", \"requestId\": \"")
		and (fromjson | (.requestId | length) == 36 and (.stackTrace | length) >= 1))' ||
		fail "lambda_bridge.py: $(cat "$WORK/err")"
	ok "lambda_bridge.py: Python's error document, spaces and requestId"
else
	echo "skip: python3 not found: lambda_bridge.py's error document"
fi
# A ResultSelector that reads only $.Payload: the response's wrapper is not
# built (a speed-up), which nothing may show.  Its error prints the whole
# response; a UUID drawn before it and the one after are those of a run
# with --history (which builds the wrapper); the outputs are the same.
sel() {
	jq -n --argjson r "$1" '{StartAt: "T", States: {T: {Type: "Task",
		Resource: "arn:aws:states:::lambda:invoke",
		Parameters: {FunctionName: "f", Payload: {}}, ResultSelector: $r,
		Next: "U"}, U: {Type: "Pass", Parameters: {"u.$": "States.UUID()",
		"in.$": "$"}, End: true}}}' > "$WORK/m.json"
	build_program "$WORK/m.json" "$WORK/m" || fail "build: $1"
}
sel '{"a.$": "States.UUID()", "n.$": "$.Payload.n"}'
expect 0 $RUN "$WORK/m" $fixed --handler 'f=echo "{\"n\": 3}"'
cp "$WORK/out" "$WORK/lazy"
expect 0 $RUN "$WORK/m" $fixed --handler 'f=echo "{\"n\": 3}"' --history "$WORK/h.json"
[ -s "$WORK/lazy" ] && cmp -s "$WORK/lazy" "$WORK/out" ||
	fail "ResultSelector on \$.Payload: $(cat "$WORK/lazy") without history, $(cat "$WORK/out") with"
jq -e '.in.n == 3 and (.u | length) == 36 and (.in.a | length) == 36' "$WORK/lazy" > /dev/null ||
	fail "ResultSelector on \$.Payload: $(cat "$WORK/lazy")"
sel '{"a.$": "States.UUID()", "n.$": "$.Payload.missing"}'
expect 1 $RUN "$WORK/m" $fixed --handler 'f=echo "{\"n\": 3}"'
cp "$WORK/err" "$WORK/lazy"
expect 1 $RUN "$WORK/m" $fixed --handler 'f=echo "{\"n\": 3}"' --history "$WORK/h.json"
[ -s "$WORK/lazy" ] && jq -e '.Cause | test("could not be found in the input .*\"SdkHttpMetadata\":[{]\"AllHttpHeaders\"")' "$WORK/lazy" > /dev/null &&
	cmp -s "$WORK/lazy" "$WORK/err" ||
	fail "a failing ResultSelector on \$.Payload: $(cat "$WORK/lazy") without history, $(cat "$WORK/err") with"
ok "a ResultSelector on \$.Payload: the same outputs, UUIDs and errors (the whole response) with and without the wrapper"

echo "lambda_invoke: $passed passed, 0 failed"
