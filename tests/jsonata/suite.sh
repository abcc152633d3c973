#!/bin/sh
# tests/jsonata/suite.sh - the official JSONata suite through the engine;
# skipped (77) when JSONATA_SUITE names no folder.
set -u
if [ -z "${JSONATA_SUITE:-}" ] || [ ! -d "$JSONATA_SUITE/groups" ]; then
	echo "JSONata suite not found (JSONATA_SUITE='${JSONATA_SUITE:-}'): skipped"
	exit 77
fi
exec ${VALGRIND:+$VALGRIND --error-exitcode=99 --leak-check=full} \
	"$top_builddir/tests/jsonata/suite" "$JSONATA_SUITE" \
	--floor "${JSONATA_FLOOR:-0}" --failures "$top_builddir/tests/jsonata/failures.txt"
