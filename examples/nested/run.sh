#!/bin/sh
# run.sh [BUILD_DIR] - a nested workflow: compile the parent
# (process-orders.json) and its child (charge-card.json) into one program,
# run it on a virtual clock, and show its output: one child execution per
# order, a declined one caught by the parent.  BUILD_DIR is an asl2c build
# tree (default: an installed asl2c, found with pkg-config).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/nested.XXXXXX")}
mkdir -p "$out"
if [ $# -gt 0 ]; then
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
"$asl2c" "$here/process-orders.json" "$here/charge-card.json" -o "$out/orders.c"
# shellcheck disable=SC2086
${CC:-cc} ${CFLAGS:-} $cflags "$out/orders.c" $libs ${LDFLAGS:-} -o "$out/orders"
"$out/orders" --pretty --start-time 2026-01-01T09:00:00Z --time-scale 0 --seed 1 \
	--input '{"orders": [{"id": 1, "amount": 25}, {"id": 2, "amount": 5000}, {"id": 3, "amount": 120}]}'
