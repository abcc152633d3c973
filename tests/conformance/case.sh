#!/bin/sh
# case.sh build|check DIR - one conformance case, in two steps.
#   build: compile the definition with asl2c, and the C into an object
#          whose program is named after the case (linked by run.sh with
#          the other cases of its area and driver.c into one binary);
#   check: run it and compare with expected.json; prints
#          "PASS area/case" or "FAIL area/case: why" on one line.
# Called by run.sh, which exports ASL2C, CC, GEN_CFLAGS, RUN and WORK.
mode=$1
dir=${2%/}
case_name=$(basename "$dir")
area=$(basename "$(dirname "$dir")")
name=$area/$case_name
sym=$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '_')
out="$WORK/$area/$case_name"
exp="$dir/expected.json"

bad() {
	printf 'FAIL %s: %s\n' "$name" "$(printf '%s' "$*" | tr '\n' ' ')"
	exit 0
}

if [ "$mode" = build ]; then
	mkdir -p "$WORK/$area"
	rm -f "$out.o"
	"$ASL2C" -w --name "$case_name" "$dir/definition.json" -o "$out.c" \
		2> "$out.asl2c.log" || exit 0
	$CC $GEN_CFLAGS -O0 -DASL2C_NO_MAIN "-Dasl2c_program=conf_$sym" \
		-c "$out.c" -o "$out.o" 2> "$out.cc.log" || rm -f "$out.o"
	exit 0
fi

[ -f "$out.o" ] || {
	[ -s "$out.asl2c.log" ] &&
		bad "asl2c rejected it: $(head -c 300 "$out.asl2c.log")"
	bad "does not build: $(head -c 300 "$out.cc.log")"
}
[ -x "$WORK/$area.bin" ] || bad "the area's program did not link"

# Everything the check needs from expected.json, in one jq.
eval "$(jq -r '@sh "want=\(.status) args=\((.args // []) | join(" "))
	has_text=\(has("output_text")) text=\(.output_text // "")
	has_output=\(has("output")) output=\(.output | tojson)
	has_ordered=\(has("output_ordered"))
	ordered=\(.output_ordered | tojson)
	has_error=\(has("error")) null_error=\(.error == null)
	error=\(.error // "")
	has_cause=\(has("cause")) null_cause=\(.cause == null)
	cause=\(.cause // "")
	has_prefix=\(has("cause_prefix")) prefix=\(.cause_prefix // "")
	has_suffix=\(has("cause_suffix")) suffix=\(.cause_suffix // "")
	gap=\(.known_gap // "")"' "$exp")"

input="{}"
[ -f "$dir/input.json" ] && input=$(cat "$dir/input.json")
run_case() {
	status=0
	# shellcheck disable=SC2086
	OMP_NUM_THREADS=2 $RUN "$WORK/$area.bin" "conf_$sym" --seed 1 \
		--name conformance --start-time 2026-01-01T00:00:00Z \
		--time-scale 0 --input "$input" $args \
		> "$out.stdout" 2> "$out.stderr" || status=$?
}
run_case
# LeakSanitizer's own stop-the-world tracer can crash at exit ("Tracer
# caught signal 11": clang 14 mistakes a dynamic TLS block for glibc
# 2.19's, google/sanitizers#1322; .ci/sanitizers sets
# ASAN_OPTIONS=intercept_tls_get_addr=0, which avoids it), after the
# program has done its work and before any leak is looked for: that is no
# finding, so the case runs once more (said in the log).  A leak report,
# or a second crash, fails it.
if grep -q 'LeakSanitizer has encountered a fatal error' "$out.stderr"; then
	echo "note: $name: LeakSanitizer's tracer crashed, run again:" \
		"$(head -n 1 "$out.stderr")" >&2
	run_case
fi

check() {
	case $want in
	SUCCEEDED) want_status=0 ;;
	FAILED) want_status=1 ;;
	TIMED_OUT) want_status=2 ;;
	*) echo "expected.json: unknown status '$want'"; return ;;
	esac
	[ "$status" = "$want_status" ] || {
		echo "exit status $status, want $want_status ($want);" \
			"stdout: $(head -c 300 "$out.stdout");" \
			"stderr: $(tail -c 400 "$out.stderr")"
		return
	}
	if [ "$want" = SUCCEEDED ]; then
		if [ "$has_text" = true ]; then
			got=$(cat "$out.stdout")
			[ "$got" = "$text" ] || echo "output $got, want $text"
		elif [ "$has_output" = true ]; then
			got=$(jq -cS . "$out.stdout" 2>&1) ||
				{ echo "output is not JSON"; return; }
			w=$(printf '%s' "$output" | jq -cS .)
			[ "$got" = "$w" ] || echo "output $got, want $w"
		fi
		if [ "$has_ordered" = true ]; then
			got=$(jq -c . "$out.stdout")
			w=$(printf '%s' "$ordered" | jq -c .)
			[ "$got" = "$w" ] || echo "output (in order) $got, want $w"
		fi
		return
	fi
	# Failed or timed out: the last line of stderr is {"Error", "Cause"}.
	err=$(tail -n 1 "$out.stderr")
	eval "$(printf '%s' "$err" | jq -r '@sh "g_error=\(.Error // "")
		g_has_error=\(has("Error"))
		g_has_cause=\(has("Cause")) g_cause=\(.Cause // "")"' 2>/dev/null)" ||
		{ echo "no error object on stderr: $(tail -c 300 "$out.stderr")"; return; }
	# "error": null: a failure without an error name (a bare Fail state):
	# no Error member at all, as AWS reports it.
	if [ "$has_error" = true ] && [ "$null_error" = true ]; then
		[ "$g_has_error" = false ] ||
			{ echo "an error was given: $g_error, want none"; return; }
	elif [ "$has_error" = true ]; then
		[ "$g_has_error" = true ] && [ "$g_error" = "$error" ] ||
			{ echo "error $g_error, want $error (cause: $g_cause)"; return; }
	fi
	if [ "$has_cause" = true ] && [ "$null_cause" = true ]; then
		[ "$g_has_cause" = false ] ||
			echo "a cause was given: $g_cause, want none"
	elif [ "$has_cause" = true ]; then
		[ "$g_cause" = "$cause" ] ||
			echo "cause | got:  $g_cause | want: $cause"
	fi
	if [ "$has_prefix" = true ]; then
		case $g_cause in
		"$prefix"*) ;;
		*) echo "cause | got:  $g_cause | want: $prefix..." ;;
		esac
	fi
	if [ "$has_suffix" = true ]; then
		case $g_cause in
		*"$suffix") ;;
		*) echo "cause | got:  $g_cause | want: ...$suffix" ;;
		esac
	fi
}

why=$(check)
if [ -n "$gap" ]; then
	# A known gap, recorded in doc/semantics.md: reported, not counted.
	if [ -n "$why" ]; then
		echo "GAP  $name: $gap"
	else
		echo "PASS $name (a known gap that passes now: remove known_gap)"
	fi
elif [ -n "$why" ]; then
	bad "$why"
else
	echo "PASS $name"
fi
