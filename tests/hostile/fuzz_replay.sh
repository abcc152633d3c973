#!/bin/sh
# fuzz_replay.sh - every fuzz corpus (fuzz/corpus/<target>/, the seeds and
# the crash regressions) replayed through its libFuzzer harness without
# libFuzzer: fuzz/replay.c is the harness's main, built by `make check`
# with the build's compiler and flags (gcc, ASan, valgrind builds).  A
# crash, an abort or a sanitizer report fails the test (doc/reliability.md).
. "${top_srcdir:-.}/tests/setup.sh"

passed=0
for t in definition path intrinsic template input request jsonata_parse jsonata_eval; do
	prog="$top_builddir/fuzz/replay_$t"
	[ -x "$prog" ] || fail "$prog is not built"
	status=0
	# fuzz_input runs asl_main: its programs' stderr is noise here.
	$RUN "$prog" "$top_srcdir/fuzz/corpus/$t" > "$WORK/$t.out" 2> "$WORK/$t.err" || status=$?
	if [ $status -ne 0 ]; then
		tail -n 40 "$WORK/$t.err" >&2
		fail "fuzz_$t: exit $status on $(grep '^replay: ' "$WORK/$t.err" | tail -n 1)"
	fi
	n=$(grep -c '^replay: .*/' "$WORK/$t.err" || :)
	[ "$n" -eq "$(ls "$top_srcdir/fuzz/corpus/$t" | wc -l)" ] || fail "fuzz_$t: $n inputs replayed"
	passed=$((passed + 1))
	echo "ok: fuzz_$t: $n inputs"
done
echo "fuzz_replay: $passed passed, 0 failed"
