#!/bin/sh
# history_full.sh - --history on a full disk: /dev/full, and a regular file
# past RLIMIT_FSIZE (a quota that fills during the write: write(2) fails
# with EFBIG, no SIGXFSZ).  A clear error, exit status 74, no partial file
# presented as complete: the history is written to a temporary file,
# synced and renamed, so an existing file is left as it was, a new one is
# not created and no temporary file is left.  Devices are written in place,
# never replaced (doc/reliability.md).
. "${top_srcdir:-.}/tests/setup.sh"

prog="$WORK/cmd"
build_program "$top_srcdir/tests/hostile/cmd-task.json" "$prog"
# A 4 KiB string: the history holds it several times (over 1 block).
input=$(awk 'BEGIN { printf "{\"s\": \""; for (i = 0; i < 4096; i++) printf "x"; printf "\"}" }')
run() { $RUN "$prog" --seed 1 --input "$input" --handler cmd=cat "$@"; }

run --history "$WORK/h.json" > /dev/null || fail "--history to a file"
jq_check "$WORK/h.json" '.events | length > 3' || fail "no history written"
ok "a history written"

if [ -c /dev/full ]; then
	status=0
	run --history /dev/full > "$WORK/out" 2> "$WORK/err" || status=$?
	cat "$WORK/err"
	[ $status -eq 74 ] || fail "--history /dev/full: exit $status, not 74"
	grep -q -- "--history: cannot write /dev/full: No space left on device" "$WORK/err" ||
		fail "--history /dev/full: no clear error"
	[ -c /dev/full ] || fail "/dev/full is no longer a device"
	ls /dev | grep -q '^full\.' && fail "a temporary file was left in /dev"
	[ "$(jq -r '.s | length' "$WORK/out")" -eq 4096 ] || fail "--history /dev/full: the execution's output"
	ok "--history /dev/full: exit 74, the device left as it was"
fi

run --history /dev/null > /dev/null || fail "--history /dev/null"
[ -c /dev/null ] || fail "/dev/null is no longer a device"
ok "--history /dev/null"

# The disk fills after 2 blocks (1 KiB in dash's 512-byte blocks: clang's
# OpenMP runtime cannot start below that, as it sizes a file of its own in
# /dev/shm to 1 KiB; the history is over 8 KiB).  SIGXFSZ is left at its
# default (death): the program ignores it itself.  Not under valgrind,
# which dies of it.
echo "previous history" > "$WORK/keep.json"
status=0
(ulimit -f 2; exec "$prog" --seed 1 --input "$input" --handler cmd=cat \
	--history "$WORK/keep.json") > /dev/null 2> "$WORK/fsize.err" || status=$?
cat "$WORK/fsize.err"
[ $status -eq 74 ] || fail "full disk: exit $status, not 74"
grep -q -- "--history: cannot write $WORK/keep.json: File too large" "$WORK/fsize.err" ||
	fail "full disk: no clear error"
[ "$(cat "$WORK/keep.json")" = "previous history" ] || fail "full disk: the existing file changed"
ls "$WORK" | grep -q '^keep\.json\.' && fail "full disk: a temporary file was left"
status=0
(ulimit -f 2; exec "$prog" --seed 1 --input "$input" --handler cmd=cat \
	--history "$WORK/new.json") > /dev/null 2> /dev/null || status=$?
[ $status -eq 74 ] && [ ! -e "$WORK/new.json" ] || fail "full disk: exit $status, or a partial new file"
ls "$WORK" | grep -q '^new\.json\.' && fail "full disk: a temporary file was left"
ok "full disk while writing the history: exit 74, nothing partial"

# A folder that cannot hold the temporary file: refused before the run.
status=0
run --history "$WORK/none/h.json" > "$WORK/out" 2> "$WORK/err" || status=$?
[ $status -eq 74 ] && [ ! -s "$WORK/out" ] && grep -q "cannot create" "$WORK/err" ||
	fail "--history in a missing folder: exit $status"
ok "--history in a missing folder: exit 74 before the execution"

echo "history_full: $passed passed, 0 failed"
