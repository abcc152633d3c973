#!/bin/sh
# man_options.sh - every option a --help prints has its own item in its man
# page: asl2c's in asl2c(1) OPTIONS, asl2c run's in asl2c(1) RUN, the
# generated program's in asl2c-run(7) OPTIONS, asl2c serve's in
# asl2c-serve(1) OPTIONS.  An item is the tag line of a .TP paragraph.
. "${top_srcdir:-.}/tests/setup.sh"

# help_options: the options a --help output (stdin) lists: the words of
# its option lines (indented, starting with '-') before the description,
# each without its argument (-Wno-FLAG is -Wno-).
help_options() {
	sed -n 's/^  *\(-.*\)$/\1/p' | sed 's/   .*//' | tr ',' '\n' |
		sed 's/^ *//; s/[ =].*//; s/\[.*//; s/^-Wno-[A-Z]*$/-Wno-/' |
		grep '^-' | sort -u
}

# man_items PAGE SECTION: the tag lines of the section's .TP items, plain.
man_items() {
	awk -v sec="$2" '
		/^\.SH / { on = ($0 == ".SH " sec); next }
		on && tag { print; tag = 0; next }
		on && /^\.TP/ { tag = 1 }' "$1" |
		sed 's/\\f[BIRP]//g; s/\\-/-/g; s/^\.[A-Z]* //; s/"//g'
}

# check WHAT PAGE SECTION CMD...: every option of CMD's help is an item.
check() {
	what=$1 name=$2 page=$top_srcdir/doc/$2 section=$3
	shift 3
	"$@" --help > "$WORK/help" || fail "$what --help exits non-zero"
	help_options < "$WORK/help" > "$WORK/options"
	[ -s "$WORK/options" ] || fail "no option found in $what --help"
	man_items "$page" "$section" > "$WORK/items"
	[ -s "$WORK/items" ] || fail "no item in $name $section"
	missing=""
	while read -r opt; do
		# The option as a word of an item: followed by an argument, '=',
		# a comma, the item's end, or (-Wno-) its placeholder.
		grep -q -e "\(^\|[ ,]\)$opt\([ =,|]\|$\)" \
			-e "\(^\|[ ,]\)$opt[A-Z]" "$WORK/items" ||
			missing="$missing $opt"
	done < "$WORK/options"
	[ -z "$missing" ] ||
		fail "$name ($section) has no item for:$missing (from $what --help)"
	ok "$what: $(wc -l < "$WORK/options") options, all in $name"
}

check asl2c asl2c.1 OPTIONS "$ASL2C"
check "asl2c run" asl2c.1 RUN "$ASL2C" run
check "asl2c serve" asl2c-serve.1 OPTIONS "$ASL2C" serve
build_program "$top_srcdir/tests/golden/wait/machine.json" "$WORK/program" \
	--name program
check "the generated program" asl2c-run.7 OPTIONS "$WORK/program"
echo "man_options: $passed passed"
