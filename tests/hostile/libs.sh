#!/bin/sh
# libs.sh - libcrypto and libmicrohttpd are loaded on first use
# (runtime/exec/libs.c), not at start-up: a program does not name them
# among its libraries, runs without them when it uses neither, and, when
# one cannot be loaded at the moment it is needed, stops with exit
# status 72 and dlerror's message, nothing on stdout (asl2c-run(7)).
. "${top_srcdir:-.}/tests/setup.sh"
: "${CRYPTO_SONAME:?}" "${MHD_SONAME:?}" "${READELF:=readelf}"

cat > "$WORK/hash.json" <<'JSON'
{"StartAt": "H", "States": {"H": {"Type": "Pass", "End": true,
 "Parameters": {"h.$": "States.Hash($.s, 'SHA-256')",
                "b.$": "States.Base64Encode($.s)"}}}}
JSON
cat > "$WORK/plain.json" <<'JSON'
{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
 "Parameters": {"s.$": "States.Format('{}!', $.s)"}}}}
JSON
build_program "$WORK/hash.json" "$WORK/hash"
build_program "$WORK/plain.json" "$WORK/plain"

# Neither library is among the program's DT_NEEDED.
"$READELF" -d "$WORK/hash" > "$WORK/needed"
grep -q NEEDED "$WORK/needed" || fail "readelf shows no NEEDED entry"
if grep -E "libcrypto|libmicrohttpd|libgnutls" "$WORK/needed"; then
	fail "the program links libcrypto or libmicrohttpd at start-up"
fi
ok "the program does not load libcrypto or libmicrohttpd at start-up"

# With them: the hash and base64 as AWS computes them.
expect 0 $RUN "$WORK/hash" --input '{"s": "abc"}'
jq_check "$WORK/out" '.h == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" and .b == "YWJj"' ||
	fail "States.Hash or States.Base64Encode: $(cat "$WORK/out")"
ok "States.Hash and States.Base64Encode through the loaded libcrypto"

# A folder whose libraries of those names are not libraries: the dynamic
# loader finds them first (LD_LIBRARY_PATH).
mkdir -p "$WORK/broken"
echo "not a library" > "$WORK/broken/$CRYPTO_SONAME"
echo "not a library" > "$WORK/broken/$MHD_SONAME"

expect 0 env LD_LIBRARY_PATH="$WORK/broken" $RUN "$WORK/plain" --input '{"s": "abc"}'
jq_check "$WORK/out" '.s == "abc!"' || fail "plain: $(cat "$WORK/out")"
ok "a program that hashes nothing runs without libcrypto"

expect 72 env LD_LIBRARY_PATH="$WORK/broken" $RUN "$WORK/hash" --input '{"s": "abc"}'
[ ! -s "$WORK/out" ] || fail "stdout is not empty: $(cat "$WORK/out")"
grep -q "asl2c runtime: cannot load $CRYPTO_SONAME: " "$WORK/err" ||
	fail "no message naming $CRYPTO_SONAME: $(cat "$WORK/err")"
ok "libcrypto that cannot be loaded: exit 72, $(head -c 120 "$WORK/err")"

expect 72 nohang env LD_LIBRARY_PATH="$WORK/broken" $RUN "$WORK/plain" \
	--input '{"s": "abc"}' --listen 127.0.0.1:0
[ ! -s "$WORK/out" ] || fail "stdout is not empty: $(cat "$WORK/out")"
grep -q "asl2c runtime: cannot load $MHD_SONAME: " "$WORK/err" ||
	fail "no message naming $MHD_SONAME: $(cat "$WORK/err")"
ok "libmicrohttpd that cannot be loaded: --listen exits 72"

echo "$passed checks passed"
