#!/bin/sh
# install.sh - `make install` puts the compiler, the runtime library, its
# headers under include/asl2c/, asl2c.pc and the man pages asl2c(1) and
# asl2c-run(7), asl2c-serve(1) and serve's Python bootstrap in place; a program builds against the installed tree with
# pkg-config, and so does the installed `asl2c run`; `make uninstall`
# leaves no file behind.
. "${top_srcdir:-.}/tests/setup.sh"

root="$WORK/root"
m() { MAKEFLAGS= MFLAGS= make -s -C "$top_builddir" DESTDIR="$root" "$@" > "$WORK/make.log" 2>&1 ||
	{ cat "$WORK/make.log" >&2; fail "make $*"; }; }
m install
prefix=$(sed -n 's/^prefix=//p' "$top_builddir/asl2c.pc")
libdir=$(sed -n 's/^libdir=//p' "$top_builddir/asl2c.pc" | sed "s|\${exec_prefix}|$prefix|")
for f in bin/asl2c include/asl2c/asl2c.h include/asl2c/handler.h \
	include/asl2c/program.h share/man/man1/asl2c.1 share/man/man7/asl2c-run.7 \
	share/man/man1/asl2c-serve.1 share/asl2c/lambda_bootstrap.py; do
	[ -f "$root$prefix/$f" ] || fail "not installed: $prefix/$f"
done
[ -f "$root$libdir/pkgconfig/asl2c.pc" ] || fail "asl2c.pc not installed"
ls "$root$libdir"/libasl2c.so* > /dev/null 2>&1 || fail "libasl2c.so not installed"
# The man pages render (where man-db is installed).
if command -v man > /dev/null 2>&1; then
	man -l "$root$prefix/share/man/man7/asl2c-run.7" 2> /dev/null | grep -q -- '--handler' ||
		fail "asl2c-run(7) does not render"
fi
"$root$prefix/bin/asl2c" serve --help | grep -q "^Usage: asl2c serve" ||
	fail "the installed asl2c serve --help"
echo "ok: installed under $root$prefix"

# Build the fan-in example with the installed compiler, headers and library.
export PKG_CONFIG_PATH="$root$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
"$root$prefix/bin/asl2c" "$top_srcdir/examples/fan-in-unaligned/machine.json" -o "$WORK/fan.c"
$CC "$WORK/fan.c" $(pkg-config --cflags --libs asl2c) ${SAN_CFLAGS:-} -Wl,-rpath,"$root$libdir" -o "$WORK/fan"
out=$("$WORK/fan" 2> /dev/null)
[ "$(echo "$out" | jq -c .Payload)" = true ] || fail "the installed runtime: $out"
echo "ok: a program builds with pkg-config against the installed tree"

# asl2c run, installed: it builds with pkg-config's flags, not the tree's.
XDG_CACHE_HOME="$WORK/cache" ASL2C_CC="$CC" \
	ASL2C_CFLAGS="-O2 ${SAN_CFLAGS:-} -Wl,-rpath,$root$libdir" \
	"$root$prefix/bin/asl2c" run -v "$top_srcdir/examples/fan-in-unaligned/machine.json" \
	> "$WORK/run.out" 2> "$WORK/run.err" || { cat "$WORK/run.err" >&2; fail "installed asl2c run"; }
grep -q "flags are pkg-config's" "$WORK/run.err" || fail "installed asl2c run: $(cat "$WORK/run.err")"
[ "$(jq -c .Payload "$WORK/run.out")" = true ] || fail "installed asl2c run: $(cat "$WORK/run.out")"
echo "ok: the installed asl2c run builds with pkg-config"

m uninstall
left=$(find "$root" -type f -o -type l)
[ -z "$left" ] || fail "left after make uninstall: $left"
echo "ok: make uninstall removes every file"
echo "install: 4 passed, 0 failed"
