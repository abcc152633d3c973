#!/bin/sh
# embed.sh OUT TEMPLATE... - write the templates as C strings into OUT, so an
# installed asl2c needs no template files.
set -e
out=$1; shift
tmp="$out.tmp"
{
	echo "/* Generated from templates/ by embed.sh.  DO NOT EDIT. */"
	echo "#include \"templates.h\""
	for f in "$@"; do
		name=$(basename "$f" .c.tpl | tr -c 'A-Za-z0-9\n' '_')
		echo "const char tpl_$name[] ="
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/??/?\\?/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$f"
		printf "\t;\n"
	done
} > "$tmp"
mv "$tmp" "$out"
