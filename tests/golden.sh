#!/bin/sh
# golden.sh - for each case under tests/golden/: asl2c's output must equal the
# committed C file; the program must build warning-free (gcc and clang when
# present) and its stdout, stderr and exit status must equal the expected
# files.  `make golden-update` (golden.sh --update) rewrites them.
#
# A case is a folder with: machine.json (or `source`, the definition's path
# from the source tree), `name` (default: the folder's name), `args` (the
# program's options, read by the shell from the source tree: "$S3" is a
# fresh copy of the case's s3/ folder, for --s3-root), and the expected
# program.c, stdout, stderr and status; with s3/, also s3-after: every file
# of "$S3" after the run (a ResultWriter's), each after a "== PATH" line.
# A case with a `build-only` file (its text says why) is compiled and built
# but not run: no stdout, stderr or status.
. "${top_srcdir:-.}/tests/setup.sh"

update=no
[ "${1:-}" = "--update" ] && update=yes
failed=0
n=0
for dir in "$top_srcdir"/tests/golden/*/; do
	case_name=$(basename "$dir")
	src=tests/golden/$case_name/machine.json
	[ -f "$dir/source" ] && src=$(cat "$dir/source")
	out="$WORK/$case_name"
	n=$((n + 1))
	name_opt="--name=$case_name"
	[ -f "$dir/name" ] && name_opt="--name=$(cat "$dir/name")"
	S3="$out.s3"
	mkdir -p "$S3"
	[ -d "$dir/s3" ] && cp -R "$dir/s3/." "$S3"
	export S3
	# Compile from the source tree so the stamp names a relative path.
	(cd "$top_srcdir" && "$ASL2C" --no-version $name_opt "$src" -o -) > "$out.c"
	if [ $update = yes ]; then
		cp "$out.c" "$dir/program.c"
	elif ! diff -u "$dir/program.c" "$out.c"; then
		echo "FAIL: $case_name: generated C differs from the golden file" >&2
		failed=$((failed + 1))
		continue
	fi
	for cc in $CC clang; do
		command -v "$cc" >/dev/null 2>&1 || continue
		if ! $cc $GEN_CFLAGS "$out.c" $GEN_LIBS -o "$out.$cc.bin" 2> "$out.$cc.log"; then
			cat "$out.$cc.log" >&2
			echo "FAIL: $case_name: the program does not build with $cc" >&2
			failed=$((failed + 1))
			continue 2
		fi
	done
	if [ -f "$dir/build-only" ]; then
		echo "ok: $case_name (built, not run: $(cat "$dir/build-only"))"
		continue
	fi
	args=$(cat "$dir/args" 2>/dev/null || true)
	status=0
	(cd "$top_srcdir" && eval "OMP_NUM_THREADS=1 $RUN \"$out.$CC.bin\" $args") \
		> "$out.stdout" 2> "$out.stderr" || status=$?
	echo "$status" > "$out.status"
	files="stdout stderr status"
	if [ -d "$dir/s3" ]; then
		files="$files s3-after"
		(cd "$S3" && find . -type f | LC_ALL=C sort | while read -r f; do
			echo "== ${f#./}"
			cat "$f"
		done) > "$out.s3-after"
	fi
	if [ $update = yes ]; then
		for f in $files; do
			cp "$out.$f" "$dir/$f"
		done
		continue
	fi
	for f in $files; do
		if ! diff -u "$dir/$f" "$out.$f"; then
			echo "FAIL: $case_name: $f differs" >&2
			failed=$((failed + 1))
			continue 2
		fi
	done
	echo "ok: $case_name"
done
echo "golden: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
