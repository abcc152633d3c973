#!/bin/sh
# load.sh - the endpoint under load: a Map of 200 callback tasks; 1,000
# SendTaskHeartbeat requests from 16 clients at once on a waiting task,
# then every task completed with SendTaskSuccess, 16 at a time, in random
# order as the tokens come.  The execution survives it with the output in
# item order and every answer 200; no duration is checked.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/callbacks/lib.sh"
command -v curl > /dev/null || { echo "no curl: skipped"; exit 77; }

here="$top_srcdir/tests/callbacks"
build_program "$here/load.json" "$WORK/load" --name load
cat > "$WORK/hand.sh" <<EOS
n=\$(jq -r .n)
printf '%s %s\n' "\$ASL2C_TASK_TOKEN" "\$n" >> "$WORK/tokens"
echo '{"queued": true}'
EOS
# call ACTION TOKEN N: one request; its HTTP status on stdout.
cat > "$WORK/call.sh" <<'EOS'
case $1 in
SendTaskHeartbeat) body="{\"taskToken\": \"$2\"}" ;;
*) body="{\"taskToken\": \"$2\", \"output\": \"{\\\"i\\\": $3}\"}" ;;
esac
curl -s -o /dev/null -w '%{http_code}\n' -X POST \
	-H 'Content-Type: application/x-amz-json-1.0' \
	-H "X-Amz-Target: AWSStepFunctions.$1" --data-binary "$body" "$URL/"
EOS
tokens() { [ "$(wc -l < "$WORK/tokens")" -ge "$1" ]; }

N=200
: > "$WORK/tokens"
items=$(seq 0 $((N - 1)) | jq -sc '{items: map({n: .})}')
OMP_NUM_THREADS=8 bg_start $RUN "$WORK/load" --input "$items" --listen 127.0.0.1:0 \
	--listen-file "$WORK/url" --handler approve="sh '$WORK/hand.sh'"
export URL="$url"
wait_until tokens 1
first=$(sed -n 1p "$WORK/tokens" | cut -d' ' -f1)
seq 1000 | sed "s|.*|SendTaskHeartbeat $first 0|" |
	xargs -P 16 -n 3 sh "$WORK/call.sh" > "$WORK/beats"
[ "$(grep -c '^200$' "$WORK/beats")" -eq 1000 ] ||
	fail "heartbeats: $(sort "$WORK/beats" | uniq -c)"
ok "1,000 heartbeats from 16 clients at once, all answered"

# Complete the tasks as their tokens come, each batch in random order.
: > "$WORK/answers"
done_n=0
while [ $done_n -lt $N ]; do
	wait_until sh -c "[ \$(wc -l < '$WORK/tokens') -gt $done_n ]"
	have=$(wc -l < "$WORK/tokens")
	sed -n "$((done_n + 1)),${have}p" "$WORK/tokens" | shuf |
		sed 's/^/SendTaskSuccess /' |
		xargs -P 16 -n 3 sh "$WORK/call.sh" >> "$WORK/answers"
	done_n=$have
done
bg_wait 0
[ "$(grep -c '^200$' "$WORK/answers")" -eq $N ] ||
	fail "completions: $(sort "$WORK/answers" | uniq -c)"
jq_check "$WORK/bg.out" "length == $N and . == [range($N) | {i: .}]" ||
	fail "output: $(head -c 300 "$WORK/bg.out")"
ok "$N callback tasks of a Map completed concurrently, in random order: results in item order"

echo "load: $passed passed, 0 failed"
