#!/bin/sh
# generate.sh DIR - a small dataset of hourly partitions of page visits in
# S3 as a folder: DIR/datalake/visits/hour=NN/part-K.jsonl (JSON Lines),
# each partition closed by a _SUCCESS marker, as Hive and Spark write them.
# One file of hour=03 is corrupt (a truncated line).
set -eu
dir=${1:?usage: generate.sh DIR}
hours=${HOURS:-6} files=${FILES:-3} rows=${ROWS:-200}
pages="/ /search /cart /checkout /help"
h=0
while [ "$h" -lt "$hours" ]; do
	part=$(printf 'hour=%02d' "$h")
	mkdir -p "$dir/datalake/visits/$part"
	f=0
	while [ "$f" -lt "$files" ]; do
		awk -v h="$h" -v f="$f" -v n="$rows" -v pages="$pages" 'BEGIN {
			np = split(pages, p, " ")
			for (i = 0; i < n; i++) {
				s = (f * n + i) * 3600 / (n * 3)
				printf "{\"ts\": \"2026-01-01T%02d:%02d:%02dZ\", ", h, s / 60 % 60, s % 60
				printf "\"page\": \"%s\", \"user\": \"u%03d\", \"ms\": %d}\n", p[(i + f) % np + 1], (i * 7 + h) % 97, 20 + (i * 13) % 400
			}
		}' > "$dir/datalake/visits/$part/part-$f.jsonl"
		f=$((f + 1))
	done
	: > "$dir/datalake/visits/$part/_SUCCESS"
	h=$((h + 1))
done
if [ "$hours" -gt 3 ]; then
	printf '{"ts": "2026-01-01T03:59:59Z", "page": "/cart", "us' \
		>> "$dir/datalake/visits/hour=03/part-1.jsonl"
fi
echo "generated $hours partitions of $files files under $dir/datalake/visits/"
