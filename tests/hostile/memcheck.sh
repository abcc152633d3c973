#!/bin/sh
# memcheck.sh - every example under valgrind memcheck: no invalid access,
# no use of uninitialised memory, no leak (definite or indirect).  Skipped
# (77) without valgrind, or in a sanitizer build (they do not mix).
. "${top_srcdir:-.}/tests/setup.sh"

VG=${VALGRIND:-$(command -v valgrind || true)}
[ -n "$VG" ] || { echo "SKIP: no valgrind"; exit 77; }
[ -z "${SAN_CFLAGS:-}" ] || { echo "SKIP: sanitizer build"; exit 77; }

passed=0
for def in "$top_srcdir"/examples/*/machine.json; do
	name=$(basename "$(dirname "$def")")
	build_program "$def" "$WORK/$name"
	# A definite or indirect leak, or any memory error, fails the run.
	status=0
	OMP_NUM_THREADS=4 "$VG" --quiet --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect \
		"$WORK/$name" --seed 7 --start-time 2026-01-01T00:00:00Z \
		> "$WORK/$name.out" 2> "$WORK/$name.err" || status=$?
	if [ $status -ne 0 ] && [ $status -ne 1 ]; then
		cat "$WORK/$name.err" >&2
		fail "$name: valgrind reported errors (exit $status)"
	fi
	passed=$((passed + 1))
	echo "ok: $name under memcheck (exit $status)"
done
echo "memcheck: $passed passed, 0 failed"
