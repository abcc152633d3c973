#!/bin/sh
# doc_examples.sh - the examples of README.md and doc/*.md run as written.
# A code block is tested when an HTML comment (invisible on the page) just
# before it says how:
#   <!-- doc-test: file NAME -->  the block is the file NAME;
#   <!-- doc-test: sh -->         the block is a script: it must exit 0;
#   <!-- doc-test: console -->    the block is a session: each "$ COMMAND"
#                                 line is run, the other lines are its
#                                 output (stdout and stderr), as printed.
# A comment of several lines, "<!-- doc-test: sh" (or file NAME) up to
# "-->", is a hidden step: what the page assumes (a file it does not show).
# The blocks of one page run in order in a folder of their own, where
# examples/ is the source tree's, asl2c is the build tree's, pkg-config's
# asl2c is the build tree's runtime (shared, as installed) and $TMPDIR is
# the test's.
. "${top_srcdir:-.}/tests/setup.sh"

mkdir -p "$WORK/bin"
real_pkg_config=$(command -v pkg-config || echo false)
cat > "$WORK/bin/pkg-config" <<EOF
#!/bin/sh
# pkg-config for asl2c from the build tree; any other package: the real one.
case " \$* " in
*" asl2c "*) ;;
*) exec $real_pkg_config "\$@" ;;
esac
out=""
for a; do
	case \$a in
	--cflags) out="\$out -I$top_srcdir/runtime ${JANSSON_CFLAGS:-} ${OPENMP_CFLAGS:-} ${SAN_CFLAGS:-}" ;;
	--libs) out="\$out -L$top_builddir/runtime/.libs -Wl,-rpath,$top_builddir/runtime/.libs -lasl2c ${JANSSON_LIBS:-} ${OPENMP_CFLAGS:-} ${SAN_CFLAGS:-}" ;;
	esac
done
echo \$out
EOF
chmod +x "$WORK/bin/pkg-config"
# Under the sanitizers the library is instrumented by the build's compiler:
# the examples' cc is that compiler (pkg-config adds the sanitizer flags).
if [ -n "${SAN_CFLAGS:-}" ]; then
	printf '#!/bin/sh\nexec %s "$@"\n' "$CC" > "$WORK/bin/cc"
	chmod +x "$WORK/bin/cc"
fi
PATH="$WORK/bin:$top_builddir/compiler:$PATH"
# What the examples put in $TMPDIR stays in the test's folder.
TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
export PATH TMPDIR

# extract PAGE DIR: the page's tested blocks as DIR/N (in page order) and
# DIR/index ("N KIND NAME LINE").  Fails on a marker without a block.
extract() {
	awk -v dir="$2" '
	function start(spec) {
		n++; kind = spec; name = "-"
		if (kind ~ /^file /) { name = substr(kind, 6); kind = "file" }
		if (kind != "file" && kind != "sh" && kind != "console") {
			print FILENAME ":" FNR ": unknown doc-test kind: " spec > "/dev/stderr"
			bad = 1
		}
		printf "%d %s %s %d\n", n, kind, name, FNR > (dir "/index")
		printf "" > (dir "/" n)
	}
	mode == "fence" && /^```/ { mode = ""; next }
	mode == "fence" || (mode == "hidden" && !/^-->$/) {
		print > (dir "/" n); next
	}
	mode == "hidden" { mode = ""; next }
	mode == "wait" && /^```/ { mode = "fence"; next }
	mode == "wait" && /^$/ { next }
	mode == "wait" {
		print FILENAME ":" FNR ": doc-test marker without a code block" > "/dev/stderr"
		bad = 1; mode = ""
	}
	/^<!-- doc-test: .* -->$/ {
		s = $0; sub(/^<!-- doc-test: /, "", s); sub(/ -->$/, "", s)
		start(s); mode = "wait"; next
	}
	/^<!-- doc-test: / {
		s = $0; sub(/^<!-- doc-test: /, "", s)
		start(s); mode = "hidden"; next
	}
	END { if (mode != "") { print FILENAME ": unterminated doc-test block" > "/dev/stderr"; bad = 1 }
	      exit bad }' "$1"
}

# console FILE: run the session; its output must be the lines that follow
# each command.
console() {
	: > "$1.want"
	: > "$1.got"
	while IFS= read -r line; do
		case $line in
		'$ '*) sh -c "${line#\$ }" >> "$1.got" 2>&1 || true ;;
		*) printf '%s\n' "$line" >> "$1.want" ;;
		esac
	done < "$1"
	diff -u "$1.want" "$1.got"
}

total=0
pages=$(cd "$top_srcdir" && ls README.md doc/*.md)
[ -n "$pages" ] || fail "no README.md nor doc/*.md in $top_srcdir"
for page in $pages; do
	d="$WORK/$(echo "$page" | tr '/.' '__')"
	mkdir -p "$d/blocks" "$d/run"
	: > "$d/blocks/index"
	extract "$top_srcdir/$page" "$d/blocks" || fail "$page: bad doc-test markers"
	[ -s "$d/blocks/index" ] || continue
	ln -s "$top_srcdir/examples" "$d/run/examples"
	while read -r n kind name line; do
		where="$page:$line"
		case $kind in
		file)
			cp "$d/blocks/$n" "$d/run/$name" ;;
		sh)
			(cd "$d/run" && sh -e "$d/blocks/$n") > "$d/$n.log" 2>&1 || {
				cat "$d/$n.log" >&2
				fail "$where: the example fails"
			} ;;
		console)
			(cd "$d/run" && console "$d/blocks/$n") >&2 ||
				fail "$where: the example's output is not the page's" ;;
		esac
		total=$((total + 1))
	done < "$d/blocks/index"
	ok "$page: $(wc -l < "$d/blocks/index") examples"
done
[ "$total" -gt 0 ] || fail "no tested example found"

# The counts CHANGELOG.md states are the suites' own.
count=$top_builddir/tests/conformance/cases.count
[ -s "$count" ] || fail "no $count (make tests/conformance/cases.stamp)"
n=$(sed -n 's/^total  *//p' "$count" | sed 's/\(.\)\(...\)$/\1,\2/')
grep -q "conformance suite of $n cases" "$top_srcdir/CHANGELOG.md" ||
	fail "CHANGELOG.md does not say 'conformance suite of $n cases'"
n=$(ls "$top_srcdir/tests/invalid/cases/"*.json | wc -l | tr -d ' ')
grep -q "tests/invalid/\` has $n cases" "$top_srcdir/CHANGELOG.md" ||
	fail "CHANGELOG.md does not say 'tests/invalid/ has $n cases'"
ok "CHANGELOG.md's case counts"
echo "doc_examples: $total blocks, $passed passed"
