#!/bin/sh
# run.sh [BUILD_DIR] - compile the JSONata fan-in (machine.json) and the
# seed's JSONPath one (../fan-in-unaligned/machine.json) with asl2c, run
# both on the same virtual clock and seed, show the JSONata run's handler
# logs and output, and check that the two runs give the same logs, output
# and exit status (exit 1 when they do not).
# BUILD_DIR is an asl2c build tree (default: an installed asl2c, found
# with pkg-config).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/fan-in-unaligned-jsonata.XXXXXX")}
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
opts="--seed 7 --start-time 2026-01-01T00:00:00Z --name run"
for v in jsonata jsonpath; do
	m=$here/machine.json
	[ $v = jsonpath ] && m=$here/../fan-in-unaligned/machine.json
	"$asl2c" "$m" --name fan-in-unaligned -o "$out/$v.c"
	${CC:-cc} $cflags "$out/$v.c" $libs -o "$out/$v"
	status=0
	# One thread: the two processor lines of the log in item order.
	OMP_NUM_THREADS=1 "$out/$v" $opts > "$out/$v.out" 2> "$out/$v.log" ||
		status=$?
	echo "$status" > "$out/$v.status"
done
echo "== the handlers' log (stderr)"
cat "$out/jsonata.log"
echo "== the execution's output (stdout), exit status $(cat "$out/jsonata.status")"
cat "$out/jsonata.out"
for f in out log status; do
	if ! cmp -s "$out/jsonata.$f" "$out/jsonpath.$f"; then
		echo "== the JSONPath machine gives another $f:" >&2
		diff "$out/jsonpath.$f" "$out/jsonata.$f" >&2 || true
		exit 1
	fi
done
echo "== the same log, output and exit status as the JSONPath machine"
echo "== everything is under $out"
