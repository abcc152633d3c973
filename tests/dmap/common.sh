# tests/dmap/common.sh - what the Distributed Map tests share (sourced
# after tests/setup.sh): the machines, the S3 folder, counted checks on
# JSON files, and a seeded run of a built program over the folder.
M="$top_srcdir/tests/dmap/machines"
S3="$WORK/s3"
passed=0 failed=0

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
# check NAME JQ-FILTER FILE: the filter holds on FILE (which is not empty:
# jq 1.6 -e succeeds on no input)
check() {
	if jq -n -e "input | ($2)" "$3" >/dev/null 2>&1; then ok; else
		ko "$1: $2"; echo "  in: $(head -c 2000 "$3")" >&2; fi
}
build() { build_program "$1" "$WORK/$2" || fail "cannot build $2"; }
# run PROGRAM INPUT [OPTION...]: output in $WORK/out.json, error in
# err.json; a run that hangs is stopped after 60 s
run() {
	prog=$1 input=$2
	shift 2
	timeout 60 $RUN "$WORK/$prog" --s3-root "$S3" --seed 7 \
		--start-time 2026-01-01T00:00:00Z --input "$input" "$@" \
		> "$WORK/out.json" 2> "$WORK/err.json" || :
}
# the counts, and the test's status
summary() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# --with-mpi: build_mpi DEFINITION OUT builds OUT (the runtime above) and
# OUT-mpi (libasl2c-mpi) from one generated C file.
build_mpi() {
	build "$1" "$2"
	$CC $GEN_CFLAGS $MPI_CFLAGS "$WORK/$2.c" \
		"$top_builddir/runtime/.libs/libasl2c-mpi.a" \
		${JANSSON_LIBS:-} ${UUID_LIBS:-} ${PCRE2_LIBS:-} -lm \
		${OPENMP_CFLAGS:-} ${SAN_CFLAGS:-} $MPI_LIBS -lpthread \
		-o "$WORK/$2-mpi" || fail "cannot build $2-mpi"
}
# mpirun as CI runs it: as root, more ranks than cores, shared memory
# without the single-copy mechanism containers lack.
export OMPI_MCA_btl_vader_single_copy_mechanism=none
MPIRUN_ARGS="--allow-run-as-root --oversubscribe --mca btl self,vader"
# Under ASan, the ranks' leak check is off: Open MPI's components, unloaded
# by MPI_Finalize, leave blocks that can be neither symbolized nor
# suppressed.  Memory errors and UBSan still fail the run; asl2c's own
# leaks are checked by the single-process tests of the same build.
case "${SAN_CFLAGS:-}" in *address*)
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" ;;
esac
