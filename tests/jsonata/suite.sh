#!/bin/sh
# tests/jsonata/suite.sh - the official JSONata suite through the engine,
# three times: from each expression's compiled form (as generated programs
# run it), from the parsed expression (as asl2c-jsonata runs it), and with
# every expression through the engine, none by quick.c's shortcut; each
# must pass the floor.  Skipped (77) when JSONATA_SUITE names no folder.
set -u
if [ -z "${JSONATA_SUITE:-}" ] || [ ! -d "$JSONATA_SUITE/groups" ]; then
	echo "JSONata suite not found (JSONATA_SUITE='${JSONATA_SUITE:-}'): skipped"
	exit 77
fi
# Time limits stretched under valgrind and the sanitizers (the cases with a
# limit stop runaway expressions; they are not about speed).
if [ -n "${VALGRIND:-}" ]; then JSONATA_TIME_SCALE=50
elif [ -n "${SAN_CFLAGS:-}" ]; then JSONATA_TIME_SCALE=10
fi
export JSONATA_TIME_SCALE
status=0
for mode in --parsed "" --engine; do
	# shellcheck disable=SC2086
	${VALGRIND:+$VALGRIND --error-exitcode=99 --leak-check=full} \
		"$top_builddir/tests/jsonata/suite" "$JSONATA_SUITE" $mode \
		--floor "${JSONATA_FLOOR:-0}" \
		--failures "$top_builddir/tests/jsonata/failures${mode:+-${mode#--}}.txt" ||
		status=$?
	[ "$status" = 0 ] || exit "$status"
done
