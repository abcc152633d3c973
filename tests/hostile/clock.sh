#!/bin/sh
# clock.sh - durations and times at and past their limits: Wait SecondsPath
# and TimestampPath, TimeoutSecondsPath and HeartbeatSecondsPath, retry
# intervals at AWS's maximums (saturated, MaxDelaySeconds, FULL jitter
# under --seed), times before 1970, --time-scale's range, the stop date of
# an execution aborted in a Wait (doc/semantics.md, doc/reliability.md).
# Nothing here is timed: the clock is virtual (--start-time).
. "${top_srcdir:-.}/tests/setup.sh"

dir="$top_srcdir/tests/hostile/clock"
start=2026-01-01T00:00:00Z
for m in wait-path task-timeout retry before-1970; do
	build_program "$dir/$m.json" "$WORK/$m"
done

# run PROGRAM INPUT [OPTIONS...]: a run on the virtual clock; sets status,
# desc (--describe's JSON) and err (stderr's last line).
run() {
	prog=$1 input=$2
	shift 2
	status=0
	$RUN "$WORK/$prog" --seed 7 --start-time "$start" --time-scale 0 \
		--describe --input "$input" "$@" > "$WORK/out" 2> "$WORK/err" || status=$?
	desc=$(cat "$WORK/out")
	err=$(tail -n 1 "$WORK/err")
}
# check WHAT JQ: --describe's JSON satisfies JQ.
check() {
	[ -n "$desc" ] && printf "%s\n" "$desc" | jq -e "$2" > /dev/null ||
		{ cat "$WORK/err" >&2; printf "%s\n" "$desc" >&2; fail "$1"; }
}
too_long='.status == "FAILED" and .error == "States.Runtime" and (.cause | endswith(". Wait state delay is too long."))'

# Wait: SecondsPath beyond 2^31 - 1 s (seconds x 1000 used to overflow:
# 18446744073709552 s waited 384 ms and succeeded).
for s in 18446744073709552 9223372036854775807 2147483648; do
	run wait-path "{\"s\": $s}"
	[ $status -eq 1 ] || fail "SecondsPath $s: exit $status"
	check "SecondsPath $s: not too long" "$too_long"
done
ok "Wait SecondsPath past 2^31 - 1 s: States.Runtime, Wait state delay is too long."
# The longest Wait AWS runs (68 years) ends on the virtual clock.
run wait-path '{"s": 2147483647}'
[ $status -eq 0 ] || fail "SecondsPath 2147483647: exit $status"
check "SecondsPath 2147483647" '.status == "SUCCEEDED" and .stopDate == "2094-01-19T03:14:07Z"'
ok "Wait SecondsPath 2147483647: 68 years on the virtual clock"
# TimestampPath far in the future and far in the past.
run wait-path '{"t": "9999-12-31T23:59:59Z"}'
[ $status -eq 1 ] || fail "TimestampPath 9999: exit $status"
check "TimestampPath 9999: not too long" "$too_long"
run wait-path '{"t": "0001-01-01T00:00:00Z"}'
[ $status -eq 0 ] || fail "TimestampPath 0001: exit $status"
check "TimestampPath 0001" ".status == \"SUCCEEDED\" and .stopDate == \"$start\""
ok "Wait TimestampPath in 9999: too long; in 0001: no wait"

# TimeoutSecondsPath, HeartbeatSecondsPath past 99999999 (x 1000 used to
# overflow): States.Runtime before the command runs.
for f in t h; do
	[ $f = t ] && name=TimeoutSecondsPath || name=HeartbeatSecondsPath
	for v in 9223372036854775807 100000000; do
		run task-timeout "{\"$f\": $v}" --handler 'cmd=echo ran >&2; echo 1'
		[ $status -eq 1 ] || fail "$name $v: exit $status"
		check "$name $v" ".error == \"States.Runtime\" and (.cause | endswith(\". The $name field refers to value \\\"$v\\\" which is greater than the maximum of 99999999: \$.$f\"))"
		! grep -q '^ran$' "$WORK/err" || fail "$name $v: the command ran"
	done
	run task-timeout "{\"$f\": 99999999}" --handler 'cmd=echo 1'
	[ $status -eq 0 ] || fail "$name 99999999: exit $status"
done
ok "TimeoutSecondsPath, HeartbeatSecondsPath past 99999999: States.Runtime"

# Retry: 99999999 attempts, 99999999 s, BackoffRate 2: Backoff^n is
# infinite from the 1024th retry (it used to be cast to a long long). The
# intervals saturate at 99999999 s, the clock reaches its end (year 9999)
# and the execution times out there.
run retry '{"r": "endless"}'
[ $status -eq 2 ] || fail "endless retries: exit $status"
check "endless retries" '.status == "TIMED_OUT" and .stopDate == "9999-12-31T23:59:59.999Z"'
ok "retries past the clock's end: TIMED_OUT at 9999-12-31T23:59:59.999Z"
# BackoffRate 1e300: the second interval is 99999999 s, not 1e308.
run retry '{"r": "huge"}'
[ $status -eq 1 ] || fail "BackoffRate 1e300: exit $status"
check "BackoffRate 1e300" '.error == "Boom" and .stopDate == "2032-05-03T19:33:18Z"'
ok "BackoffRate 1e300: intervals saturate at 99999999 s"
# MaxDelaySeconds at its maximum (a year) caps them.
run retry '{"r": "capped"}'
[ $status -eq 1 ] || fail "MaxDelaySeconds: exit $status"
check "MaxDelaySeconds" '.error == "Boom" and .stopDate == "2029-01-03T00:00:00Z"'
ok "MaxDelaySeconds 31622400 caps a BackoffRate of 1e300"
# FULL jitter under that cap: within it, and the same under one seed.
run retry '{"r": "jitter"}'
first=$desc
check "FULL jitter" '.error == "Boom" and .stopDate > "2026-01-01T00:00:00Z" and .stopDate < "2031-01-05T00:00:01Z"'
run retry '{"r": "jitter"}'
[ "$(printf "%s" "$first" | jq -c 'del(.executionArn, .name)')" = "$(printf "%s" "$desc" | jq -c 'del(.executionArn, .name)')" ] ||
	fail "FULL jitter: two runs under one seed differ"
ok "FULL jitter at the limits: capped, deterministic under --seed"

# Times before 1970: the context object, the history, --describe, a Wait
# on a past TimestampPath and a Choice's timestamp comparison.
start=1969-12-31T23:59:59.500Z
run before-1970 '{}' --history "$WORK/history.json"
[ $status -eq 0 ] || { cat "$WORK/err" >&2; fail "before 1970: exit $status"; }
check "before 1970: --describe" '.startDate == "1969-12-31T23:59:59.500Z" and .stopDate == "1970-01-01T00:00:00.500Z" and (.output | fromjson) == {"start": "1969-12-31T23:59:59.500Z", "entered": "1969-12-31T23:59:59.500Z", "after": "1970-01-01T00:00:00.500Z"}'
[ -s "$WORK/history.json" ] && jq -e '.events[0].timestamp == "1969-12-31T23:59:59.500Z" and .events[-1].timestamp == "1970-01-01T00:00:00.500Z" and all(.events[].timestamp; test("^19(69|70)-[0-9-]+T[0-9:]+\\.[0-9]{3}Z$"))' "$WORK/history.json" > /dev/null ||
	fail "before 1970: the history's timestamps"
ok "times before 1970: context object, history, --describe, Wait, Choice"
start=2026-01-01T00:00:00Z

# --time-scale: 0 to 1000, anything else a usage error.
for x in inf nan 1e30 1000.5 -1 ''; do
	status=0
	$RUN "$WORK/wait-path" --time-scale "$x" --input '{"s": 2}' > "$WORK/out" 2> "$WORK/err" || status=$?
	[ $status -eq 64 ] || fail "--time-scale '$x': exit $status"
	grep -q -- "--time-scale: not a number from 0 to 1000: '$x'" "$WORK/err" || fail "--time-scale '$x': $(cat "$WORK/err")"
	[ ! -s "$WORK/out" ] || fail "--time-scale '$x': output"
done
for x in 0 1000; do
	run wait-path '{"s": 0}' --time-scale "$x"
	[ $status -eq 0 ] || fail "--time-scale $x: exit $status"
done
"$WORK/wait-path" --help | grep -q 'from 0 (never wait) to' || fail "--help: --time-scale's range"
ok "--time-scale: inf, nan, 1e30, 1000.5, -1: exit 64; 0 and 1000 run"

# SIGTERM in the middle of a 30 s Wait: the stop date is the abort's, not
# the Wait's end (a real wait here: the abort comes once it has started).
status=0
"$WORK/wait-path" --seed 7 --start-time "$start" --describe --input '{"s": 30}' \
	--history "$WORK/aborted.json" > "$WORK/out" 2> "$WORK/err" &
pid=$!
i=0
until grep -q WaitStateEntered "$WORK/aborted.json" 2> /dev/null || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 1
kill -TERM $pid
wait $pid || status=$?
[ $status -eq 3 ] || fail "SIGTERM in a Wait: exit $status"
desc=$(cat "$WORK/out")
check "SIGTERM in a Wait: the stop date" '.status == "ABORTED" and .stopDate < "2026-01-01T00:00:29Z" and .stopDate >= "2026-01-01T00:00:01"'
ok "SIGTERM 1 s into a 30 s Wait: stopped at the abort's time"

echo "clock: $passed passed, 0 failed"
