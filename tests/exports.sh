#!/bin/sh
# exports.sh - the runtime library exports only asl_* symbols (as jansson's
# check-exports), so it cannot clash with a program that links it.
. "${top_srcdir:-.}/tests/setup.sh"

lib=$(ls "$top_builddir"/runtime/.libs/libasl2c.so.* 2>/dev/null | head -n 1)
[ -n "$lib" ] || { echo "no shared library (--disable-shared): skipped"; exit 77; }
nm -D --defined-only "$lib" | awk '{ print $3 }' | sort > "$WORK/exports"
if grep -v '^asl_' "$WORK/exports"; then
	fail "exported symbols outside the asl_ prefix (above)"
fi
grep -q '^asl_main$' "$WORK/exports" || fail "asl_main is not exported"
echo "exports: $(wc -l < "$WORK/exports") symbols, all asl_*"
echo "exports: 1 passed, 0 failed"
