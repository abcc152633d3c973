#!/bin/sh
# bench/dmap.sh [BUILD_DIR] - a Distributed Map over 100,000 and 1,000,000
# JSON Lines items with a ResultWriter: time and peak resident memory
# (/usr/bin/time -v).  Memory must stay flat: under 200 MiB, and the
# 1,000,000-item run within 20% of the 100,000-item one.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
b=$(cd "${1:-${top_builddir:-.}}" && pwd)
src=$(cd "$here/.." && pwd)
out=${OUT:-$b/bench/out/dmap}
rm -rf "$out"
mkdir -p "$out/s3/bench"

"$b/compiler/asl2c" "$here/dmap/machine.json" --name dmap-bench -o "$out/dmap.c"
${CC:-cc} -O2 -I"$src/runtime" $(pkg-config --cflags jansson) -fopenmp \
	"$out/dmap.c" "$b/runtime/.libs/libasl2c.a" \
	$(pkg-config --libs jansson uuid libpcre2-8) -lm -ldl -fopenmp \
	-o "$out/dmap"

awk 'BEGIN { for (i = 0; i < 1000000; i++)
	printf "{\"id\": %d, \"v\": %d, \"pad\": \"%s\"}\n", i, i % 1000,
	       substr("abcdefghijklmnopqrstuvwxyz0123456789", 1 + i % 30) }' \
	> "$out/s3/bench/1000000.jsonl"
head -n 100000 "$out/s3/bench/1000000.jsonl" > "$out/s3/bench/100000.jsonl"

run() { # run N: prints "N seconds peak-KiB"
	/usr/bin/time -v "$out/dmap" --s3-root "$out/s3" --seed 1 \
		--input "{\"key\": \"$1.jsonl\"}" > "$out/$1.out" 2> "$out/$1.time"
	key=$(sed -n 's/.*"Key":"\([^"]*\)".*/\1/p' "$out/$1.out")
	n=$(grep -o '"Status":"SUCCEEDED"' \
		"$out/s3/bench/${key%manifest.json}SUCCEEDED_0.json" | wc -l)
	[ "$n" -eq "$1" ] || { echo "dmap: $1 items, $n results" >&2; exit 1; }
	secs=$(sed -n 's/.*Elapsed (wall clock).*m:ss): //p' "$out/$1.time")
	kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$1.time")
	echo "$1 $secs $kib"
}
small=$(run 100000)
large=$(run 1000000)
echo "$small" "$large" | awk '{
	printf "dmap: %7d items  %8s  peak RSS %6.1f MiB\n", $1, $2, $3 / 1024
	printf "dmap: %7d items  %8s  peak RSS %6.1f MiB\n", $4, $5, $6 / 1024
	ok = $6 < 200 * 1024 && $6 <= 1.2 * $3
	printf "dmap: memory %s (1,000,000 / 100,000 = %.2f, limit 1.20; " \
	       "under 200 MiB: %s)\n", ok ? "flat" : "NOT flat", $6 / $3,
	       $6 < 200 * 1024 ? "yes" : "no"
	exit !ok }'
