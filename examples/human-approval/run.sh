#!/bin/sh
# run.sh [BUILD_DIR] [yes|no] - the human-approval workflow end to end:
# compile machine.json, start the program with its endpoint on a free
# loopback port, wait for the request in the inbox, answer it from a
# second process with the AWS CLI (approve.sh), and show how the
# execution ended.  BUILD_DIR is an asl2c build tree (default: an
# installed asl2c, found with pkg-config).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
answer=${2:-yes}
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/human-approval.XXXXXX")}
if [ $# -gt 0 ] && [ -n "$1" ]; then
	b=$(cd "$1" && pwd)
	src=$(sed -n 's/^abs_top_srcdir = //p' "$b/Makefile")
	asl2c="$b/compiler/asl2c"
	cflags="-I$src/runtime $(pkg-config --cflags jansson) -fopenmp"
	libs="$b/runtime/.libs/libasl2c.a $(pkg-config --libs jansson uuid libpcre2-8) -lm -ldl -fopenmp"
else
	asl2c=asl2c
	cflags=$(pkg-config --cflags asl2c)
	libs=$(pkg-config --libs asl2c)
fi
# The AWS CLI wants credentials and a region; the endpoint checks none.
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1 \
	AWS_PAGER= AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export INBOX="$out/inbox"
mkdir -p "$INBOX"
"$asl2c" "$here/machine.json" --name human-approval -o "$out/approval.c"
# shellcheck disable=SC2086
${CC:-cc} ${CFLAGS:-} $cflags "$out/approval.c" $libs ${LDFLAGS:-} -o "$out/approval"

# The execution waits for the approver; its endpoint's URL goes to a file.
"$out/approval" --listen 127.0.0.1:0 --listen-file "$out/endpoint" \
	--handler notify_approver="sh '$here/notify.sh'" \
	--input '{"request": {"what": "deploy v2 to production", "by": "bob"}}' \
	> "$out/output.json" 2> "$out/error.json" &
pid=$!
i=0
until [ -s "$out/endpoint" ] && ls "$INBOX"/*.json > /dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 600 ] || { kill $pid; echo "no request came" >&2; exit 1; }
	sleep 0.1
done
echo "== the approver's inbox:"
cat "$INBOX"/*.json
echo "== the approver answers '$answer' from another process (AWS CLI)"
"$here/approve.sh" "$INBOX" "$(cat "$out/endpoint")" "$answer" "ship it"
status=0
wait $pid || status=$?
echo "== the execution ended with exit status $status:"
cat "$out/output.json" "$out/error.json"
exit $status
