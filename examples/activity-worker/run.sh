#!/bin/sh
# run.sh - the activity-worker example end to end: compile order.json,
# run it with its endpoint, and let two workers (worker.sh around the AWS
# CLI) price and ship the order.  Prints the execution's output.
#
#   run.sh [BUILD-DIR]   (asl2c and the runtime built there; default: the
#                         installed asl2c and pkg-config's asl2c)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-local} \
	AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-local} \
	AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=

if [ -n "$build" ]; then
	"$build/compiler/asl2c" "$here/order.json" -o "$work/order.c"
	src=$(cd "$build" && sed -n 's/^abs_top_srcdir = //p' Makefile)
	${CC:-cc} -std=c11 -I"$src/runtime" $(pkg-config --cflags jansson) \
		"$work/order.c" "$build/runtime/.libs/libasl2c.a" \
		$(pkg-config --libs jansson uuid libpcre2-8) \
		-lm -ldl -fopenmp -o "$work/order"
else
	asl2c "$here/order.json" -o "$work/order.c"
	${CC:-cc} "$work/order.c" $(pkg-config --cflags --libs asl2c) -o "$work/order"
fi

"$work/order" --input '{"items": [{"sku": "a", "price": 3}, {"sku": "b", "price": 4}]}' \
	--listen 127.0.0.1:0 --listen-file "$work/url" > "$work/out" &
pid=$!
while [ ! -s "$work/url" ]; do
	kill -0 $pid 2> /dev/null || { wait $pid; exit $?; }
	sleep 0.1
done
url=$(cat "$work/url")
acts=arn:aws:states:us-east-1:123456789012:activity
# Each worker takes one task, then stops.
"$here/worker.sh" "$url" "$acts:price" 'jq "{total: ([.items[].price] | add)}"' 1 &
"$here/worker.sh" "$url" "$acts:ship" 'jq "{carrier: \"post\", cost: (if .total > 5 then 0 else 2 end)}"' 1 &
status=0
wait $pid || status=$?
wait
cat "$work/out"
exit $status
