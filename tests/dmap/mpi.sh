#!/bin/sh
# mpi.sh - a Distributed Map over the ranks of mpirun (libasl2c-mpi, run
# with -np 1, 2 and 4) gives byte for byte what one process gives: the
# standard output, the error, the exit status, the --history file and
# every file of the ResultWriter.  JSONL, CSV and listObjectsV2 readers,
# ItemBatcher, tolerated failures, a failing child, an inline Map in the
# children, Distributed Maps in Parallel branches; setup failures; and the
# children do run on the other ranks.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/dmap/common.sh"

# The S3 folder every run starts from.
SEED="$WORK/seed"
mkdir -p "$SEED/in/data" "$SEED/in/logs/a" "$SEED/out"
i=0
while [ $i -lt 300 ]; do echo "{\"n\": $i}"; i=$((i + 1)); done > "$SEED/in/data/n.jsonl"
{
	echo 'id,name,note'
	i=0
	while [ $i -lt 150 ]; do echo "$i,\"n $i\",\"a, $i\""; i=$((i + 1)); done
} > "$SEED/in/data/t.csv"
i=0
while [ $i -lt 120 ]; do printf 'x%s' $i > "$SEED/in/logs/a/k$i.txt"; i=$((i + 1)); done
items() { # items N JQ: {"items": [JQ(i) for i in 0..N)]}
	jq -nc "{items: [range(0; $1) | $2]}"
}

# one PROG INPUT WHERE [OPTION...]: run PROG (WHERE: "" or "mpirun -np N"
# with PROG-mpi) over a fresh copy of the S3 folder; all it leaves is in
# $WORK/run.$TAG (TAG: ref or the rank count).
one() {
	prog=$1 input=$2 np=$3
	shift 3
	d="$WORK/run.${np:-ref}"
	rm -rf "$d"
	mkdir -p "$d"
	cp -R "$SEED" "$d/s3"
	if [ -z "$np" ]; then
		set -- "$WORK/$prog" "$@"
	else
		set -- "$MPIRUN" $MPIRUN_ARGS -np "$np" "$WORK/$prog-mpi" "$@"
	fi
	status=0
	timeout 120 "$@" --s3-root "$d/s3" --seed 7 \
		--start-time 2026-01-01T00:00:00Z --input "$input" \
		--history "$d/history.json" > "$d/out" 2> "$d/err" || status=$?
	echo "$status" > "$d/status"
	# the program's error line (mpirun adds its own lines)
	grep '^{' "$d/err" > "$d/error" || :
}
# same NAME PROG INPUT [OPTION...]: -np 1, 2 and 4 give what one process
# gives.
same() {
	name=$1 prog=$2 input=$3
	shift 3
	one "$prog" "$input" "" "$@"
	ref="$WORK/run.ref"
	[ -s "$ref/out" ] || [ -s "$ref/error" ] || { ko "$name: no output"; return; }
	[ -s "$ref/history.json" ] || { ko "$name: no history"; return; }
	for np in 1 2 4; do
		one "$prog" "$input" "$np" "$@"
		got="$WORK/run.$np"
		if cmp -s "$ref/out" "$got/out" && cmp -s "$ref/error" "$got/error" &&
		   cmp -s "$ref/status" "$got/status" &&
		   cmp -s "$ref/history.json" "$got/history.json" &&
		   diff -r "$ref/s3" "$got/s3" > /dev/null; then
			ok
		else
			ko "$name at -np $np differs from one process"
			cat "$got/err" >&2
			diff "$ref/out" "$got/out" | head -5 >&2 || :
			diff -r "$ref/s3" "$got/s3" | head -5 >&2 || :
		fi
	done
}

build_mpi "$M/jsonl.json" jsonl
same jsonl jsonl '{"key": "data/n.jsonl"}'

build_mpi "$M/csv.json" csv
same csv csv '{"key": "data/t.csv"}'

build_mpi "$M/list.json" list
same list list '{"bucket": "in", "prefix": "logs/"}'

build_mpi "$M/batch.json" batch
same batch batch "$(items 250 . | jq -c '. + {run: "r1"}')"
jq '.States.Each.ItemBatcher = {"MaxInputBytesPerBatch": 40} | .States.Each.ItemProcessor.States.Count.Parameters = {"items.$": "$.Items"}' "$M/batch.json" \
	> "$WORK/bytes.json"
build_mpi "$WORK/bytes.json" bytes
same batch-bytes bytes "$(items 200 '"s\(.)"' | jq -c '. + {run: "r"}')"

# tolerated failures, with the ResultWriter's files
jq '.States.Each.ToleratedFailureCount = 5' "$M/tolerate.json" > "$WORK/tolerate.json"
build_mpi "$WORK/tolerate.json" tolerate
same tolerated tolerate "$(items 200 '{ok: (. % 50 != 7), i: .}')"
jq 'del(.States.Each.ToleratedFailureCount) | .States.Each.ToleratedFailurePercentage = 10' \
	"$M/tolerate.json" > "$WORK/pct.json"
build_mpi "$WORK/pct.json" pct
same tolerated-percentage pct "$(items 100 '{ok: (. % 20 != 3), i: .}')"
# over the threshold only with the last item: every item ran
same tolerated-exceeded tolerate "$(items 120 '{ok: (. != 119 and . % 60 != 1), i: .}')"

# a failing child fails the Map with its own error (the last item: the
# files hold every item whatever the ranks)
jq 'del(.States.Each.ToleratedFailureCount, .States.Each.Catch, .States.Exceeded)' \
	"$M/tolerate.json" > "$WORK/none.json"
build_mpi "$WORK/none.json" none
same failing-child none "$(items 150 '{ok: (. != 149), i: .}')"
check failing-child-error '.Error == "Item.Bad" and .Cause == "not ok"' "$WORK/run.4/error"

# an inline Map in each child
build_mpi "$M/nested.json" nested
same nested nested "$(items 100 '{xs: [range(0; . % 7)]}')"

# two Distributed Maps at once (Parallel branches: one uses the ranks, the
# other its process) and one after the other
build_mpi "$M/parallel.json" parallel
same parallel parallel "$(items 300 .)"

# A setup that fails on rank 0 only (the input is read there, the history
# written there) ends every rank with its status.
for np in 2 4; do
	status=0
	timeout 60 "$MPIRUN" $MPIRUN_ARGS -np $np "$WORK/jsonl-mpi" --s3-root "$S3" \
		--input-file "$WORK/none.json.missing" > /dev/null 2>&1 || status=$?
	if [ "$status" -eq 65 ]; then ok; else ko "missing input at -np $np: status $status"; fi
	status=0
	timeout 60 "$MPIRUN" $MPIRUN_ARGS -np $np "$WORK/jsonl-mpi" --s3-root "$S3" \
		--input '{"key": "data/n.jsonl"}' --history "$WORK/no/such/dir/h.json" \
		> /dev/null 2>&1 || status=$?
	if [ "$status" -eq 74 ]; then ok; else ko "unwritable history at -np $np: status $status"; fi
done

# The children did run on the other ranks.
build_mpi "$M/where.json" where
one where "$(items 200 .)" 4 --handler 'where=echo "$OMPI_COMM_WORLD_RANK"'
check children-on-every-rank '(map(tostring) | unique) == ["0", "1", "2", "3"]' "$WORK/run.4/out"
# MaxConcurrency 1 holds across the ranks: every child on rank 0
jq '.States.Each.MaxConcurrency = 1' "$M/where.json" > "$WORK/where1.json"
build_mpi "$WORK/where1.json" where1
one where1 "$(items 50 .)" 4 --handler 'where=echo "$OMPI_COMM_WORLD_RANK"'
check max-concurrency-1 'length == 50 and (map(tostring) | unique) == ["0"]' "$WORK/run.4/out"

# ASL2C_MPI_RANK0_CHILDREN=0: rank 0 only coordinates; the same output
export ASL2C_MPI_RANK0_CHILDREN=0
one where1 "$(items 50 .)" 4 --handler 'where=echo "$OMPI_COMM_WORLD_RANK"'
check coordinator-only-max-concurrency-1 'length == 50 and all(.[]; . != 0)' "$WORK/run.4/out"
same coordinator-only tolerate "$(items 200 '{ok: (. % 50 != 7), i: .}')"
unset ASL2C_MPI_RANK0_CHILDREN

summary mpi
