#!/bin/sh
# full_disk.sh - the compiler's -o on a full disk: /dev/full, and a regular
# file past RLIMIT_FSIZE (a disk that fills during the write).  A clear
# error, exit 2, no partial file, no temporary left, an existing file
# untouched; devices are written in place, never replaced.
. "${top_srcdir:-.}/tests/setup.sh"

def="$top_srcdir/examples/fan-in-unaligned/machine.json"

if [ -c /dev/full ]; then
	status=0
	"$ASL2C" "$def" -o /dev/full 2> "$WORK/full.err" || status=$?
	cat "$WORK/full.err"
	[ $status -eq 2 ] || fail "-o /dev/full: exit $status, not 2"
	grep -q "cannot write /dev/full: No space left on device" "$WORK/full.err" ||
		fail "-o /dev/full: no clear error"
	[ -c /dev/full ] || fail "/dev/full is no longer a device"
	ls /dev | grep -q '^full\.' && fail "a temporary file was left in /dev"
	ok "-o /dev/full"
fi

"$ASL2C" "$def" -o /dev/null || fail "-o /dev/null"
[ -c /dev/null ] || fail "/dev/null is no longer a device"
ls /dev | grep -q '^null\.' && fail "a temporary file was left in /dev"
ok "-o /dev/null"

# The disk fills after 1 block: write(2) fails with EFBIG (SIGXFSZ ignored).
echo "previous contents" > "$WORK/keep.c"
status=0
(trap '' XFSZ; ulimit -f 1; exec "$ASL2C" "$def" -o "$WORK/keep.c") 2> "$WORK/fsize.err" || status=$?
cat "$WORK/fsize.err"
[ $status -eq 2 ] || fail "full disk: exit $status, not 2"
grep -q "cannot write $WORK/keep.c: File too large" "$WORK/fsize.err" ||
	fail "full disk: no clear error"
[ "$(cat "$WORK/keep.c")" = "previous contents" ] || fail "full disk: the existing file changed"
ls "$WORK" | grep -q '^keep\.c\.' && fail "full disk: a temporary file was left"
status=0
(trap '' XFSZ; ulimit -f 1; exec "$ASL2C" "$def" -o "$WORK/new.c") 2> /dev/null || status=$?
[ $status -eq 2 ] && [ ! -e "$WORK/new.c" ] || fail "full disk: a partial new file"
ok "full disk while writing a file"

echo "full_disk: $passed passed, 0 failed"
