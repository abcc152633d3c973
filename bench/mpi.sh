#!/bin/sh
# bench/mpi.sh [BUILD_DIR] - Distributed Maps over the ranks of mpirun
# (a build configured --with-mpi).  Prints figures; asserts nothing.
#   1. map-cpu as a Distributed Map (128 items, each hashing 64 MiB), one
#      OpenMP thread per rank: 1 rank against 2.  Rank 0's wall time (from
#      MPI_Init to its exit, not mpirun's start) is what a shared machine
#      gives; the ranks' CPU per item (user + system, MPI_Init included)
#      says whether the second rank wasted any, and "CPU-bound speedup"
#      is what 2 free cores would give.
#   2. bench/dmap's Distributed Map (JSONL, ResultWriter) at 100,000 and
#      1,000,000 items on 2 ranks: peak RSS of each rank.
#   3. The coordinator's ceiling: trivial children (a Pass), rank 0 only
#      coordinating (ASL2C_MPI_RANK0_CHILDREN=0) with 1 and 3 workers:
#      items per second and rank 0's CPU per item; one process for
#      comparison.
# OMPI_MCA_* settings as the tests use them: as root, oversubscribed,
# shared memory without single copy.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
b=$(cd "${1:-${top_builddir:-.}}" && pwd)
src=$(cd "$here/.." && pwd)
out=${OUT:-$b/bench/out/mpi}
[ -f "$b/runtime/.libs/libasl2c-mpi.a" ] ||
	{ echo "mpi.sh: $b is not configured --with-mpi" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/s3/bench"
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMP_NUM_THREADS=1
MPIRUN="mpirun --allow-run-as-root --oversubscribe --mca btl self,vader"

# The programs are linked with the bench's handlers (sha256_work).
handlers="-DASL2C_NO_MAIN -DBENCH_SHA256 -I$src/bench $src/bench/handlers.c $(pkg-config --libs libcrypto)"
build() { # build DEFINITION NAME: NAME (libasl2c) and NAME-mpi
	"$b/compiler/asl2c" "$1" --name "$2" -o "$out/$2.c"
	# shellcheck disable=SC2086
	${CC:-cc} -O2 -I"$src/runtime" $(pkg-config --cflags jansson) -fopenmp \
		"$out/$2.c" $handlers "$b/runtime/.libs/libasl2c.a" \
		$(pkg-config --libs jansson uuid libpcre2-8) -lm -ldl -fopenmp \
		-o "$out/$2"
	# shellcheck disable=SC2086
	${CC:-cc} -O2 -I"$src/runtime" $(pkg-config --cflags jansson ompi-c) \
		-fopenmp "$out/$2.c" $handlers "$b/runtime/.libs/libasl2c-mpi.a" \
		$(pkg-config --libs jansson uuid libpcre2-8 ompi-c) -lm -ldl \
		-lpthread -fopenmp -o "$out/$2-mpi"
}
# ranks NP TAG PROGRAM ARGS...: mpirun -np NP, each rank timed into
# $out/TAG.rank.R ("wall user sys maxrss-KiB"), the job's into $out/TAG.job
ranks() {
	np=$1 tag=$2
	shift 2
	/usr/bin/time -f "%e %U %S %M" -o "$out/$tag.job" \
		$MPIRUN -np "$np" sh -c '/usr/bin/time -f "%e %U %S %M" \
		-o "$0.rank.$OMPI_COMM_WORLD_RANK" "$@" > "$0.out.$OMPI_COMM_WORLD_RANK"' \
		"$out/$tag" "$@"
}
field() { cut -d' ' -f"$2" "$1"; }
cpu() { # cpu TAG: the ranks' user + system seconds
	cat "$out/$1".rank.* | awk '{ s += $2 + $3 } END { printf "%.2f", s }'
}

# ------------------------------------------------------------ 1. map-cpu
build "$here/mpi/cpu.json" cpu
python3 -c 'import json; json.dump({"items": list(range(1, 129)), "mib": 64}, open("'"$out"'/cpu.json", "w"))'
for np in 1 2; do
	ranks "$np" "cpu$np" "$out/cpu-mpi" --input-file "$out/cpu.json"
done
cmp -s "$out/cpu1.out.0" "$out/cpu2.out.0" || { echo "mpi.sh: map-cpu outputs differ" >&2; exit 1; }
awk -v w1="$(field "$out/cpu1.rank.0" 1)" -v u1="$(cpu cpu1)" \
    -v w2="$(field "$out/cpu2.rank.0" 1)" -v u2="$(cpu cpu2)" 'BEGIN {
	printf "map-cpu: 1 rank  %6.2f s wall %6.2f s CPU  %5.1f items/s  %5.1f ms CPU/item\n", w1, u1, 128 / w1, 1000 * u1 / 128
	printf "map-cpu: 2 ranks %6.2f s wall %6.2f s CPU  %5.1f items/s  %5.1f ms CPU/item\n", w2, u2, 128 / w2, 1000 * u2 / 128
	printf "map-cpu: 2 ranks / 1 rank: %.2fx wall-clock throughput (target 1.8x); CPU-bound speedup %.2fx (2 x CPU per item at 1 rank / at 2)\n", w1 / w2, 2 * u1 / u2 }'

# --------------------------------------------------- 2. memory per rank
build "$src/bench/dmap/machine.json" dmap
awk 'BEGIN { for (i = 0; i < 1000000; i++)
	printf "{\"id\": %d, \"v\": %d, \"pad\": \"%s\"}\n", i, i % 1000,
	       substr("abcdefghijklmnopqrstuvwxyz0123456789", 1 + i % 30) }' \
	> "$out/s3/bench/1000000.jsonl"
head -n 100000 "$out/s3/bench/1000000.jsonl" > "$out/s3/bench/100000.jsonl"
for n in 100000 1000000; do
	ranks 2 "dmap$n" "$out/dmap-mpi" --s3-root "$out/s3" --seed 1 \
		--input "{\"key\": \"$n.jsonl\"}"
	for r in 0 1; do
		printf 'dmap: %7d items, 2 ranks: rank %d peak RSS %6.1f MiB (%s s)\n' \
			"$n" "$r" "$(($(field "$out/dmap$n.rank.$r" 4) / 1024))" \
			"$(field "$out/dmap$n.job" 1)"
	done
done

# --------------------------------------------- 3. the coordinator's ceiling
/usr/bin/time -f "%e %U %S %M" -o "$out/pass0.job" "$out/dmap" --s3-root "$out/s3" \
	--seed 1 --input '{"key": "100000.jsonl"}' > "$out/pass0.out"
awk -v w="$(field "$out/pass0.job" 1)" -v u="$(field "$out/pass0.job" 2)" -v s="$(field "$out/pass0.job" 3)" 'BEGIN {
	printf "coordinator: one process (libasl2c), 100,000 trivial items: %6.0f items/s; %.1f us CPU/item\n", 100000 / w, 1e6 * (u + s) / 100000 }'
export ASL2C_MPI_RANK0_CHILDREN=0
for np in 2 4; do
	ranks "$np" "pass$np" "$out/dmap-mpi" \
		--s3-root "$out/s3" --seed 1 --input '{"key": "100000.jsonl"}'
	cmp -s "$out/pass0.out" "$out/pass$np.out.0" || { echo "mpi.sh: outputs differ" >&2; exit 1; }
	awk -v np="$np" -v w="$(field "$out/pass$np.rank.0" 1)" \
	    -v u0="$(field "$out/pass$np.rank.0" 2)" -v s0="$(field "$out/pass$np.rank.0" 3)" 'BEGIN {
		printf "coordinator: rank 0 and %d worker(s), 100,000 trivial items: %6.0f items/s; rank 0 %.1f us CPU/item (%.0f items/s of its CPU)\n", np - 1, 100000 / w, 1e6 * (u0 + s0) / 100000, 100000 / (u0 + s0) }'
done
