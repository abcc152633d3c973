#!/bin/sh
# repo_refs.sh - nothing in the repository refers to what is not in it:
# folders beside it (a "shared" one up a level), the folders of the machine
# it was written on, the notes and the style guide kept there, or the
# numbers of the issues that asked for a change.  The files
# are git's (tracked and not ignored) in a checkout, else the source
# tree's (a dist tarball, built outside it).  The patterns are written so as not to match
# themselves.
. "${top_srcdir:-.}/tests/setup.sh"

cd "$top_srcdir"
if [ -e .git ] && command -v git >/dev/null 2>&1; then
	git ls-files --cached --others --exclude-standard -z |
		xargs -0 sh -c 'for f; do [ -f "$f" ] && echo "$f"; done' sh
else
	# A dist tree: its files, less the build tree when it is inside.
	src=$(pwd -P)
	build=$(cd "$top_builddir" && pwd -P)
	if [ "$build" = "$src" ]; then
		echo "SKIP: built inside a tree without git: sources and build" \
			"outputs cannot be told apart"
		exit 77
	fi
	# What autotools write into a tarball (git ignores it) is not ours.
	case $build in
	"$src"/*) find . -path "./${build#"$src"/}" -prune -o -type f -print ;;
	*) find . -type f -print ;;
	esac | sed 's,^\./,,' | grep -v -E \
		'^(build-aux|m4)/|(^|/)Makefile\.in$|^(configure|aclocal\.m4|config\.h\.in)$'
fi > "$WORK/files"
[ -s "$WORK/files" ] || fail "no file found in $top_srcdir"

tr '\n' '\0' < "$WORK/files" |
	xargs -0 grep -n -I -E \
		-e '[.][.]/shared' \
		-e '(^|[^A-Za-z0-9_$}])/wor[k]/' \
		-e 'ASL-NOTE[S]|STYLE[.]md' \
		-e '[Ii]ssues? #?[0-9]' \
	> "$WORK/hits" || true
if [ -s "$WORK/hits" ]; then
	cat "$WORK/hits" >&2
	fail "$(wc -l < "$WORK/hits") lines refer to what is not in the repository"
fi
ok "$(wc -l < "$WORK/files") files refer only to what is in the repository"
