# tests/setup.sh - what the shell tests share (sourced, as jq's tests/setup).
# The Makefile's AM_TESTS_ENVIRONMENT exports top_srcdir, top_builddir and
# the flags configure found.
set -eu
: "${top_srcdir:?run the tests with make check}" "${top_builddir:?}"

ASL2C="$top_builddir/compiler/asl2c"
CC="${CC:-cc}"
# Every generated program must build warning-free.
GEN_CFLAGS="-std=c11 -Wall -Wextra -Werror -I$top_srcdir/runtime ${JANSSON_CFLAGS:-} ${OPENMP_CFLAGS:-} ${SAN_CFLAGS:-}"
GEN_LIBS="$top_builddir/runtime/.libs/libasl2c.a ${JANSSON_LIBS:-} ${UUID_LIBS:-} ${PCRE2_LIBS:-} -lm ${OPENMP_CFLAGS:-} ${SAN_CFLAGS:-}"
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
		case $status in 124|137) echo "(killed by the hang detector after ${HANG_SECS:-?} s?)" >&2 ;; esac
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

# A run's hang detector: generous (120 s, 600 s under valgrind), it catches
# a Wait, command or handler that is never stopped, never slowness.  The
# tests make no timed assertions (the machines are shared): what they check
# is the behaviour (the virtual clock's timestamps, the order of events,
# the processes that are gone).
HANG_SECS=${HANG_SECS:-$([ -n "${VALGRIND:-}" ] && echo 600 || echo 120)}
# nohang CMD...: CMD, stopped (exit 124, or 137 after 10 s more) if it
# hangs.
nohang() {
	timeout -k 10 "$HANG_SECS" "$@"
}

# jq_check FILE EXPR [JQ-OPTION...]: FILE ("-": stdin) holds exactly one
# JSON text and EXPR is true of it.  (jq 1.6's -e alone succeeds on an
# empty or truncated file, and judges only the last of several texts.)
jq_check() {
	_jqc_name=$1 _jqc_file=$1 _jqc_expr=$2
	shift 2
	if [ "$_jqc_file" = - ]; then
		_jqc_file="$WORK/jq_check.stdin"
		cat > "$_jqc_file"
	fi
	_jqc_n=$(jq -n '[inputs] | length' "$_jqc_file" 2> /dev/null) || _jqc_n=none
	if [ "$_jqc_n" != 1 ]; then
		echo "jq_check: $_jqc_name: not one JSON text (${_jqc_n}): $(head -c 500 "$_jqc_file" 2>&1)" >&2
		return 1
	fi
	jq -e "$@" "$_jqc_expr" "$_jqc_file" > /dev/null
}

# gone PID...: each PID is dead (a zombie left to an init that does not
# reap counts as dead), waiting for it up to GONE_SECS (30) s (a signalled
# process dies when it next runs; one that outlives 30 s was not stopped).
# Fails on an empty list: a check of no process proves nothing.
gone() {
	[ $# -gt 0 ] || { echo "gone: no process to check" >&2; return 1; }
	for _gone_pid; do
		case $_gone_pid in ''|*[!0-9]*) echo "gone: not a pid: '$_gone_pid'" >&2; return 1 ;; esac
		_gone_i=0
		while [ -r "/proc/$_gone_pid/status" ] && ! grep -q '^State:.*Z' "/proc/$_gone_pid/status" 2> /dev/null; do
			_gone_i=$((_gone_i + 1))
			if [ $_gone_i -gt $((${GONE_SECS:-30} * 10)) ]; then
				echo "gone: process $_gone_pid is still running: $(tr '\0' ' ' < "/proc/$_gone_pid/cmdline" 2> /dev/null)" >&2
				return 1
			fi
			sleep 0.1
		done
	done
}
