#!/bin/sh
# bench/jsonata/run.sh - JSONata evaluations per second, asl2c's engine
# against jsonata-js 2.0.6 (installed from npm into bench/jsonata/node_modules,
# never committed), parse excluded for both; prints a Markdown table.
#   run.sh BENCH_BINARY [SECONDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
secs=${2:-2}
out=${TMPDIR:-/tmp}/asl2c-bench-jsonata.$$
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
python3 "$here/gen_input.py" "$out/input.json"
"$bin" "$here/workload.json" "$out/input.json" "$secs" > "$out/c.tsv"
if [ ! -d "$here/node_modules/jsonata" ]; then
	(cd "$here" && npm install --no-save --silent jsonata@2.0.6 >/dev/null)
fi
node "$here/jsonata-js.mjs" "$here/workload.json" "$out/input.json" "$secs" > "$out/js.tsv"
echo "| expression | asl2c (evals/s) | jsonata-js 2.0.6 (evals/s) | ratio |"
echo "|---|---:|---:|---:|"
paste "$out/c.tsv" "$out/js.tsv" | awk -F'\t' '{ printf "| %s | %d | %d | %.0fx |\n", $1, $2, $4, $2 / $4 }'
