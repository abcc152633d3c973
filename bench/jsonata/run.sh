#!/bin/sh
# bench/jsonata/run.sh - JSONata evaluations per second, asl2c's engine
# against jsonata-js 2.0.6 (installed from npm into bench/jsonata/node_modules,
# never committed), parse excluded for both; prints a Markdown table.
#   run.sh BENCH_BINARY [SECONDS]
# Both sides count their process's CPU time (the machine may be shared:
# wall time would count other processes' turns); the ratio is asl2c's
# evaluations per CPU second over jsonata-js's.  With valgrind, a column of
# callgrind's instructions per evaluation inside asl_jsonata_eval (input
# binding, evaluation, the result as jansson), which load does not move;
# BENCH_NO_CALLGRIND=1 leaves it out.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
secs=${2:-2}
out=${TMPDIR:-/tmp}/asl2c-bench-jsonata.$$
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
python3 "$here/gen_input.py" "$out/input.json"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
"$bin" "$here/workload.json" "$out/input.json" "$secs" > "$out/c.tsv"
if [ ! -d "$here/node_modules/jsonata" ]; then
	(cd "$here" && npm install --no-save --silent jsonata@2.0.6 >/dev/null)
fi
node "$here/jsonata-js.mjs" "$here/workload.json" "$out/input.json" "$secs" > "$out/js.tsv"
load1=$(cut -d' ' -f1-3 /proc/loadavg)
# callgrind: N evaluations of each expression, counted inside asl_jsonata_eval
n=200
: > "$out/ir.tsv"
if [ -z "${BENCH_NO_CALLGRIND:-}" ] && command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
	cut -f1 "$out/c.tsv" | while IFS= read -r name; do
		valgrind --tool=callgrind --toggle-collect=asl_jsonata_eval --callgrind-out-file="$out/cg" \
			"$bin" "$here/workload.json" "$out/input.json" --iterations $n --only "$name" >/dev/null 2>&1
		ir=$(callgrind_annotate "$out/cg" 2>/dev/null | sed -n 's/^[[:space:]]*\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
		printf '%s\t%s\n' "$name" "$((ir / n))" >> "$out/ir.tsv"
	done
fi
if [ -s "$out/ir.tsv" ]; then
	echo "| expression | asl2c (evals/CPU s) | asl2c (instructions/eval) | jsonata-js 2.0.6 (evals/CPU s) | ratio |"
	echo "|---|---:|---:|---:|---:|"
	paste "$out/c.tsv" "$out/ir.tsv" "$out/js.tsv" |
		awk -F'\t' '{ printf "| %s | %d | %d | %d | %.0fx |\n", $1, $2, $4, $6, $2 / $6 }'
else
	echo "| expression | asl2c (evals/CPU s) | jsonata-js 2.0.6 (evals/CPU s) | ratio |"
	echo "|---|---:|---:|---:|"
	paste "$out/c.tsv" "$out/js.tsv" | awk -F'\t' '{ printf "| %s | %d | %d | %.0fx |\n", $1, $2, $4, $2 / $4 }'
fi
echo
echo "Each expression ran for $secs s of CPU time on each side; $(nproc) CPUs, load average $load0 before and $load1 after the timed runs; $(node --version | sed 's/^/node /'); ratio = asl2c's evaluations per CPU second / jsonata-js's."
