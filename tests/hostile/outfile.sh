#!/bin/sh
# outfile.sh - the files a program writes (--history, --inspect;
# runtime/data/outfile.c, doc/reliability.md "Output files"): a symbolic link
# is followed (its target replaced, the link kept), the replaced file keeps
# its mode, a new one gets 0666 less the umask, a folder is refused before
# the execution starts (no side effect), and a program killed while it
# runs leaves no temporary file behind.
. "${top_srcdir:-.}/tests/setup.sh"

prog="$WORK/cmd"
build_program "$top_srcdir/tests/hostile/cmd-task.json" "$prog"
mark="$WORK/called"
run() { $RUN "$prog" --seed 1 --input '{"a":1}' --handler "cmd=touch $mark; cat" "$@"; }
mode() { stat -c %a "$1"; }
only() { # only DIR NAMES...: DIR holds exactly NAMES (hidden ones too)
	d=$1; shift
	got=$(ls -A "$d" | sort | tr '\n' ' ')
	want=$( [ $# -eq 0 ] || printf '%s\n' "$@" | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "$d holds '$got', not '$want'"
}

for opt in history inspect; do
	d="$WORK/$opt"
	mkdir -p "$d"
	# A new file: 0666 less the umask, as a shell redirection.
	(umask 027; run --$opt "$d/new.json" > /dev/null) || fail "--$opt to a new file"
	[ -s "$d/new.json" ] || fail "--$opt: nothing written"
	[ "$(mode "$d/new.json")" = 640 ] || fail "--$opt: a new file has mode $(mode "$d/new.json"), not 640"
	# An existing file keeps its mode.
	echo old > "$d/keep.json"
	chmod 604 "$d/keep.json"
	run --$opt "$d/keep.json" > /dev/null || fail "--$opt over a file"
	[ "$(mode "$d/keep.json")" = 604 ] || fail "--$opt: mode $(mode "$d/keep.json"), not 604 kept"
	jq -e . "$d/keep.json" > /dev/null || fail "--$opt: the file was not replaced"
	# A link: its target is replaced, the link stays a link.
	echo old > "$d/target.json"
	chmod 600 "$d/target.json"
	ln -s target.json "$d/link.json"
	run --$opt "$d/link.json" > /dev/null || fail "--$opt through a link"
	[ -L "$d/link.json" ] || fail "--$opt replaced the link with a file"
	[ "$(mode "$d/target.json")" = 600 ] || fail "--$opt: the link's target lost its mode"
	jq -e . "$d/target.json" > /dev/null || fail "--$opt: the link's target not written"
	# A dangling link is refused before the execution.
	ln -s nowhere.json "$d/dangling.json"
	rm -f "$mark"
	expect 74 run --$opt "$d/dangling.json"
	[ ! -e "$mark" ] && [ ! -s "$WORK/out" ] || fail "--$opt dangling link: the execution ran"
	[ ! -e "$d/nowhere.json" ] || fail "--$opt dangling link: created its target"
	only "$d" new.json keep.json target.json link.json dangling.json
	ok "--$opt: modes kept, links followed, no temporary left"

	# A folder: refused before the execution runs (the handler is never
	# called, nothing printed).
	rm -f "$mark"
	expect 74 run --$opt "$d"
	grep -q -- "--$opt: cannot create $d: Is a directory" "$WORK/err" || fail "--$opt DIR: no clear error"
	[ ! -e "$mark" ] || fail "--$opt DIR: the execution ran (its handler was called)"
	[ ! -s "$WORK/out" ] || fail "--$opt DIR: an output was printed"
	ok "--$opt DIR: exit 74 before the execution"
done

# Killed (SIGKILL) while it runs: nothing but the files that were there.
# A temporary a killed run left under the derived name is removed by the
# next run.
d="$WORK/kill"
mkdir -p "$d"
cat > "$WORK/wait.json" <<'JSON'
{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}
JSON
build_program "$WORK/wait.json" "$WORK/wait"
"$WORK/wait" --history "$d/h.json" --inspect "$d/i.json" > /dev/null 2>&1 &
pid=$!
sleep 1
kill -KILL $pid
wait $pid 2> /dev/null || true
only "$d"
: > "$d/.h.json.asl2c-tmp"
run --history "$d/h.json" > /dev/null || fail "--history after a killed run"
only "$d" h.json
ok "SIGKILL leaves no temporary; a left one is removed by the next run"

echo "outfile: $passed passed, 0 failed"
