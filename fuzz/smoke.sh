#!/bin/sh
# smoke.sh - build the libFuzzer targets with clang
# (-fsanitize=fuzzer,address,undefined) and run each for FUZZ_SECONDS
# (default 60), FUZZ_JOBS at a time (default 2).  Fails on any crash, leak,
# timeout, out-of-memory or sanitizer report; the input that did it is left
# in $top_builddir/fuzz/build/artifacts/.  `make fuzz-smoke` runs it with
# the source lists and flags of the build.
#
#   FUZZ_TARGETS="definition path"   run some targets only
#   FUZZ_CC=clang-14                 the compiler (clang with libFuzzer)
set -eu
: "${top_srcdir:?run through make fuzz-smoke}" "${top_builddir:?}"
: "${COMPILER_SRCS:?}" "${GENERATED_SRCS:?}" "${RUNTIME_SRCS:?}"
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_JOBS=${FUZZ_JOBS:-2}
FUZZ_TARGETS=${FUZZ_TARGETS:-definition path intrinsic template input request jsonata_parse jsonata_eval}
B="$top_builddir/fuzz/build"

command -v "$FUZZ_CC" >/dev/null 2>&1 ||
	{ echo "fuzz-smoke: $FUZZ_CC not found (Debian: clang libclang-rt-14-dev)" >&2; exit 1; }
mkdir -p "$B/obj" "$B/artifacts" "$B/work"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=gnu11 -g -O1 $SAN -fsanitize=fuzzer-no-link -fopenmp \
-I$top_srcdir/compiler/util -I$top_srcdir/compiler/front -I$top_srcdir/compiler/check -I$top_srcdir/compiler/lower -I$top_srcdir/compiler/emit -I$top_srcdir/compiler/driver -I$top_builddir/compiler/front -I$top_builddir/compiler/emit -I$top_srcdir/common -I$top_srcdir/runtime \
-I$top_builddir -I$top_srcdir/fuzz -I$top_srcdir/serve ${JANSSON_CFLAGS:-} \
${MHD_CFLAGS:-} -I$top_srcdir/runtime/jsonata -I$top_builddir/runtime/jsonata \
${PCRE2_CFLAGS:-}"
LIBS="${JANSSON_LIBS:-} ${CRYPTO_LIBS:-} ${UUID_LIBS:-} ${MHD_LIBS:-} ${PCRE2_LIBS:-} -lpthread -lm -fopenmp"
export FUZZ_CC CFLAGS B

# Sources: a path relative to the source tree, or to the build tree for the
# generated ones.
src_of() {
	if [ -f "$top_builddir/$1" ]; then echo "$top_builddir/$1"; else echo "$top_srcdir/$1"; fi
}
obj_of() { echo "$B/obj/$(echo "$1" | tr / _ | sed 's/\.c$/.o/')"; }

# The compiler's program for fuzz_input.
"$top_builddir/compiler/asl2c" --no-version \
	"$top_srcdir/fuzz/input-machine.json" -o "$B/input-machine.c"

list=""
for f in $COMPILER_SRCS $GENERATED_SRCS $RUNTIME_SRCS fuzz/rtconv.c \
	fuzz/fuzz_definition.c fuzz/fuzz_path.c fuzz/fuzz_intrinsic.c \
	fuzz/fuzz_template.c fuzz/fuzz_input.c fuzz/fuzz_request.c serve/route.c \
	fuzz/fuzz_jsonata_parse.c fuzz/fuzz_jsonata_eval.c; do
	list="$list $(src_of "$f")"
done
echo "fuzz-smoke: compiling with $FUZZ_CC"
# shellcheck disable=SC2016
printf '%s\n' $list "$B/input-machine.c" | xargs -P "$FUZZ_JOBS" -I{} sh -c '
	src={}; o="$B/obj/$(basename "$src" .c).o"
	extra=""; case $src in *input-machine.c) extra=-DASL2C_NO_MAIN;; esac
	$FUZZ_CC $CFLAGS $extra -w -c "$src" -o "$o"'

COMP_OBJS="" RT_OBJS=""
for f in $COMPILER_SRCS $GENERATED_SRCS; do COMP_OBJS="$COMP_OBJS $B/obj/$(basename "$f" .c).o"; done
for f in $RUNTIME_SRCS; do RT_OBJS="$RT_OBJS $B/obj/$(basename "$f" .c).o"; done
for t in $FUZZ_TARGETS; do
	case $t in
	input) objs="$B/obj/fuzz_input.o $B/obj/input-machine.o $RT_OBJS" ;;
	request) objs="$B/obj/fuzz_request.o $B/obj/route.o $RT_OBJS" ;;
	*) objs="$B/obj/fuzz_$t.o $B/obj/rtconv.o $COMP_OBJS $RT_OBJS" ;;
	esac
	$FUZZ_CC $SAN -fsanitize=fuzzer $objs $LIBS -o "$B/fuzz_$t"
done

# Run: the seeds are read, new inputs go to a scratch corpus.
run_one() {
	t=$1
	rm -rf "$B/work/$t"
	mkdir -p "$B/work/$t"
	dict=""
	[ -f "$top_srcdir/fuzz/$t.dict" ] && dict="-dict=$top_srcdir/fuzz/$t.dict"
	mask=""
	[ "$t" = input ] && mask="-close_fd_mask=2"
	if "$B/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
		-rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
		$dict $mask -artifact_prefix="$B/artifacts/$t-" \
		"$B/work/$t" "$top_srcdir/fuzz/corpus/$t" > "$B/$t.log" 2>&1; then
		echo "ok: fuzz_$t: $(grep -m1 'stat::number_of_executed_units' "$B/$t.log" | awk '{print $2}') runs in ${FUZZ_SECONDS}s"
	else
		echo "FAIL: fuzz_$t (log: $B/$t.log)" >&2
		grep -A40 -m1 -E '^==[0-9]+==|ERROR: libFuzzer|runtime error|SUMMARY' "$B/$t.log" | head -60 >&2
		ls "$B/artifacts/$t-"* >&2 2>/dev/null || true
		return 1
	fi
}
rm -f "$B/artifacts/"*
failed=0
pids=""
n=0
for t in $FUZZ_TARGETS; do
	run_one "$t" &
	pids="$pids $!"
	n=$((n + 1))
	if [ $n -ge "$FUZZ_JOBS" ]; then
		for p in $pids; do wait "$p" || failed=$((failed + 1)); done
		pids="" n=0
	fi
done
for p in $pids; do wait "$p" || failed=$((failed + 1)); done
[ $failed -eq 0 ] || { echo "fuzz-smoke: $failed target(s) failed" >&2; exit 1; }
echo "fuzz-smoke: all targets passed"
