#!/bin/sh
# cli_type.sh - --type takes STANDARD or EXPRESS (a usage error otherwise),
# and the same definition is valid for one and invalid for the other.
. "${top_srcdir:-.}/tests/setup.sh"

def="$top_srcdir/tests/invalid/cases/express-sync.json"
status=0
"$ASL2C" --check --type=express "$def" 2> "$WORK/bad.err" || status=$?
[ $status -eq 2 ] || fail "--type=express: exit status $status, not 2"
grep -q "takes STANDARD or EXPRESS, not 'express'" "$WORK/bad.err" ||
	fail "--type=express: no usage message"
"$ASL2C" --check "$def" || fail "the default type is not STANDARD"
"$ASL2C" --check --type=STANDARD "$def" || fail "--type=STANDARD rejects .sync"
status=0
"$ASL2C" --check --type EXPRESS "$def" 2> /dev/null || status=$?
[ $status -eq 1 ] || fail "--type EXPRESS: exit status $status, not 1"
"$ASL2C" --help | grep -q -- '--type=STANDARD|EXPRESS' ||
	fail "--help does not list --type"
echo "cli_type: 5 passed"
