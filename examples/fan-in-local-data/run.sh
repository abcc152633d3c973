#!/bin/sh
# run.sh [BUILD_DIR] - generate the dataset, compile the state machine with
# asl2c and its handlers (handlers.c) as a handler library, run it over the
# folder, and show the table's manifest.
# BUILD_DIR is an asl2c build tree (default: an installed asl2c, found
# with pkg-config).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/fan-in-local-data.XXXXXX")}
if [ $# -gt 0 ]; then
	b=$(cd "$1" && pwd)
	src=$(sed -n 's/^abs_top_srcdir = //p' "$b/Makefile")
	asl2c="$b/compiler/asl2c"
	cflags="-I$src/runtime $(pkg-config --cflags jansson) -fopenmp"
	libs="$b/runtime/.libs/libasl2c.a $(pkg-config --libs jansson uuid libpcre2-8) -lm -ldl -fopenmp -rdynamic"
else
	asl2c=asl2c
	cflags=$(pkg-config --cflags asl2c)
	libs=$(pkg-config --libs asl2c)
fi
"$here/generate.sh" "$out/s3"
"$asl2c" "$here/machine.json" --name fan-in-local-data -o "$out/fan-in.c"
${CC:-cc} $cflags "$out/fan-in.c" $libs -o "$out/fan-in"
${CC:-cc} $cflags -shared -fPIC "$here/handlers.c" -o "$out/handlers.so"
"$out/fan-in" --handlers-lib "$out/handlers.so" --s3-root "$out/s3" --input '{"bucket": "datalake"}' \
	> "$out/output.json"
echo "== the execution's output: s3://datalake/tables/visits/_manifest.json"
cat "$out/s3/datalake/tables/visits/_manifest.json"
echo "== everything is under $out"
