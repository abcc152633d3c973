#!/bin/sh
# mpi_fault.sh - a rank killed in the middle of a Distributed Map ends the
# whole job: mpirun exits non-zero, says which rank was lost, and the
# ResultWriter leaves no manifest (it writes the manifest last).
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/dmap/common.sh"

mkdir -p "$S3/out"
jq '.States.Each.ResultWriter = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}}' \
	"$M/where.json" > "$WORK/fault.json"
build_mpi "$WORK/fault.json" fault
# Rank 1 kills itself at its first item past the 40th: by then items
# have ended, on rank 0 and on rank 1.
status=0
timeout 120 "$MPIRUN" $MPIRUN_ARGS -np 2 "$WORK/fault-mpi" --s3-root "$S3" \
	--seed 7 --input "$(jq -nc '{items: [range(0; 200)]}')" \
	--handler 'where=n=$(cat); if [ "$OMPI_COMM_WORLD_RANK" = 1 ] && [ "$n" -ge 40 ]; then kill -9 $PPID; exit 1; fi; echo "$n"' \
	> "$WORK/out" 2> "$WORK/err" || status=$?
cat "$WORK/err"
# 137: the status of the killed rank (signal 9), which mpirun returns
if [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; then ok "job ended with $status"; else
	ko "exit status $status after a rank was killed"; fi
if grep -q 'rank 1 .*signal 9' "$WORK/err"; then ok "the lost rank is named"; else
	ko "mpirun does not name the lost rank"; fi
if [ ! -s "$WORK/out" ]; then ok "no output"; else ko "an output: $(head -c 200 "$WORK/out")"; fi
if [ -d "$S3/out/runs" ]; then ok "the Map Run had started writing"; else ko "no ResultWriter folder"; fi
if [ -z "$(find "$S3/out" -name manifest.json)" ]; then ok "no manifest"; else
	ko "a manifest after a lost rank"; fi

summary mpi_fault
