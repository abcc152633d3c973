# tests/setup.sh - what the shell tests share (sourced, as jq's tests/setup).
# The Makefile's AM_TESTS_ENVIRONMENT exports top_srcdir, top_builddir and
# the flags configure found.
set -eu
: "${top_srcdir:?run the tests with make check}" "${top_builddir:?}"

ASL2C="$top_builddir/compiler/asl2c"
CC="${CC:-cc}"
# Every generated program must build warning-free.
GEN_CFLAGS="-std=c11 -Wall -Wextra -Werror -I$top_srcdir/runtime ${JANSSON_CFLAGS:-} ${OPENMP_CFLAGS:-} ${SAN_CFLAGS:-}"
GEN_LIBS="$top_builddir/runtime/.libs/libasl2c.a ${JANSSON_LIBS:-} ${CRYPTO_LIBS:-} ${UUID_LIBS:-} -lm ${OPENMP_CFLAGS:-} ${SAN_CFLAGS:-}"
# --enable-valgrind runs the generated programs under memcheck.
RUN="${VALGRIND:+$VALGRIND --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99}"

test_name=$(basename "$0" .sh)
WORK="$top_builddir/tests/out/$test_name"
rm -rf "$WORK"
mkdir -p "$WORK"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# ok WHAT: count a passed check.
passed=0
ok() {
	passed=$((passed + 1))
	echo "ok: $*"
}

# expect STATUS CMD...: run CMD (stdout in $WORK/out, stderr in $WORK/err),
# fail unless it exits with STATUS.
expect() {
	want=$1
	shift
	status=0
	"$@" > "$WORK/out" 2> "$WORK/err" || status=$?
	if [ "$status" -ne "$want" ]; then
		cat "$WORK/err" >&2
		fail "exit status $status, not $want: $*"
	fi
}

# build_program DEFINITION OUT [asl2c options...]: compile and build.
build_program() {
	def=$1 out=$2
	shift 2
	"$ASL2C" "$@" "$def" -o "$out.c" || return $?
	$CC $GEN_CFLAGS "$out.c" $GEN_LIBS -o "$out"
}
