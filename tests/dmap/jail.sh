#!/bin/sh
# jail.sh - --s3-root is a jail (doc/distributed-map.md, "S3 as a folder"):
# no ItemReader reads and no ResultWriter writes through a symbolic link,
# keys that no file beneath the bucket can be are refused, listings never
# follow links; every reader reads what S3 would hand AWS or fails with
# States.ItemReaderFailed naming the file and line; a ResultWriter failure
# keeps its reason.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/dmap/common.sh"
OUT="$WORK/outside"   # what no state machine may read or write
# refused NAME: the last run failed with ERROR (default ItemReaderFailed),
# S3's AccessDenied, and a cause that says links are refused
refused() {
	check "$1" ".Error == \"${2:-States.ItemReaderFailed}\" and (.Cause | test(\"Error Code: AccessDenied\")) and (.Cause | test(\"symbolic link\")) and (.Cause | test(\"refuses links\"))" "$WORK/err.json"
}
reader() { # reader NAME READERCONFIG: a getObject machine of that config
	jq --argjson rc "$2" '.States.Each.ItemReader.ReaderConfig = $rc' \
		"$M/reader.json" > "$WORK/$1.json"
	build "$WORK/$1.json" "$1"
}

mkdir -p "$S3/in/data" "$S3/out" "$OUT/dir"
echo '["SECRET"]' > "$OUT/secret.json"
echo '["SECRET"]' > "$OUT/dir/secret.json"
printf 'a\nSECRET\n' > "$OUT/dir/secret.csv"
echo '[1, 2]' > "$S3/in/data/ok.json"
reader json '{"InputType": "JSON"}'

# ------------------------------------------- getObject never follows a link
run json '{"bucket": "in", "key": "data/ok.json"}'
check jail-plain '. == [1, 2]' "$WORK/out.json"
ln -s "$OUT/secret.json" "$S3/in/data/link.json"
run json '{"bucket": "in", "key": "data/link.json"}'
refused get-key-link
check get-key-link-names-key '.Cause | test("s3://in/data/link.json")' "$WORK/err.json"
if grep -q SECRET "$WORK/out.json" "$WORK/err.json"; then ko "get-key-link: read outside the root"; else ok; fi
ln -s "$OUT/dir" "$S3/in/sub"
run json '{"bucket": "in", "key": "sub/secret.json"}'
refused get-folder-link
ln -s "$OUT/dir" "$S3/linked"
run json '{"bucket": "linked", "key": "secret.json"}'
refused get-bucket-link
# a link inside the root is refused too: S3 has no links
ln -s ok.json "$S3/in/data/inner.json"
run json '{"bucket": "in", "key": "data/inner.json"}'
refused get-inner-link
# a FIFO is no object, and reading it must not block
mkfifo "$S3/in/data/fifo.json"
run json '{"bucket": "in", "key": "data/fifo.json"}'
check get-fifo '.Error == "States.ItemReaderFailed" and (.Cause | test("NoSuchKey"))' "$WORK/err.json"
# --s3-root itself may be a link: the user named it
ln -s "$S3" "$WORK/root-link"
timeout 60 $RUN "$WORK/json" --s3-root "$WORK/root-link" --input '{"bucket": "in", "key": "data/ok.json"}' > "$WORK/out.json" 2>&1 || :
check root-may-be-link '. == [1, 2]' "$WORK/out.json"

# ------------------------------- keys that no file beneath the bucket can be
run json '{"bucket": "in", "key": "data/../../../outside/secret.json"}'
check key-dotdot '.Error == "States.ItemReaderFailed" and (.Cause | test("AccessDenied")) and (.Cause | test("\\.\\.. segment"))' "$WORK/err.json"
run json "{\"bucket\": \"in\", \"key\": \"$OUT/secret.json\"}"
check key-absolute '.Error == "States.ItemReaderFailed" and (.Cause | test("AccessDenied")) and (.Cause | test("starts with ./."))' "$WORK/err.json"
run json '{"bucket": "in", "key": "data//ok.json"}'
check key-empty-segment '.Error == "States.ItemReaderFailed" and (.Cause | test("AccessDenied")) and (.Cause | test("empty segment"))' "$WORK/err.json"
run json '{"bucket": "in", "key": "data/ok.json\u0000.txt"}'
check key-nul '.Error == "States.ItemReaderFailed" and (.Cause | test("NUL"))' "$WORK/err.json"
long=$(printf '%01100d' 0)
run json "{\"bucket\": \"in\", \"key\": \"$long\"}"
check key-too-long '.Error == "States.ItemReaderFailed" and (.Cause | test("Error Code: KeyTooLongError"))' "$WORK/err.json"
seg=$(printf '%0300d' 0)
run json "{\"bucket\": \"in\", \"key\": \"$seg\"}"
check key-long-segment '.Error == "States.ItemReaderFailed" and (.Cause | test("longer than 255 bytes"))' "$WORK/err.json"
run json '{"bucket": "..", "key": "s3/in/data/ok.json"}'
check bucket-dotdot '.Error == "States.ItemReaderFailed" and (.Cause | test("NoSuchBucket"))' "$WORK/err.json"

# ------------------------------------------------ manifests read through it
reader athena '{"InputType": "MANIFEST", "ManifestType": "ATHENA_DATA", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a"]}'
printf 's3://in/sub/secret.csv\n' > "$S3/in/data/athena.csv"
run athena '{"bucket": "in", "key": "data/athena.csv"}'
refused manifest-data-link
ln -s "$OUT/dir/secret.csv" "$S3/in/data/athena-link.csv"
run athena '{"bucket": "in", "key": "data/athena-link.csv"}'
refused manifest-itself-link
printf '1\n' > "$S3/in/data/x.csv"
printf 's3://in/data/x.csv\n\ns3://in/data/\000x.csv\n' > "$S3/in/data/athena-nul.csv"
run athena '{"bucket": "in", "key": "data/athena-nul.csv"}'
check manifest-line-nul '.Error == "States.ItemReaderFailed" and (.Cause | test("s3://in/data/athena-nul.csv at line 3"))' "$WORK/err.json"

# --------------------------------- the ResultWriter never writes through one
build "$M/writer.json" writer
items='[1, 2, 3]'
run writer "{\"bucket\": \"out\", \"prefix\": \"runs\", \"items\": $items}"
key=$(jq -r .ResultWriterDetails.Key "$WORK/out.json")
check writer-plain '.ResultWriterDetails.Bucket == "out"' "$WORK/out.json"
rundir="$S3/out/${key%/manifest.json}"
# the Map Run id is the same under --seed: plant a link at its manifest
rm -rf "$rundir" && mkdir -p "$rundir"
echo 'VICTIM' > "$OUT/victim"
ln -s "$OUT/victim" "$rundir/manifest.json"
run writer "{\"bucket\": \"out\", \"prefix\": \"runs\", \"items\": $items}"
refused writer-manifest-link States.ResultWriterFailed
check writer-manifest-link-names-key ".Cause | test(\"s3://out/$key\")" "$WORK/err.json"
if [ "$(cat "$OUT/victim")" = VICTIM ] && [ -L "$rundir/manifest.json" ]; then ok; else ko "writer-manifest-link: the target was written"; fi
# a link at a result file
rm -rf "$rundir" && mkdir -p "$rundir"
ln -s "$OUT/victim" "$rundir/SUCCEEDED_0.json"
run writer "{\"bucket\": \"out\", \"prefix\": \"runs\", \"items\": $items}"
refused writer-result-link States.ResultWriterFailed
if [ "$(cat "$OUT/victim")" = VICTIM ]; then ok; else ko "writer-result-link: the target was written"; fi
# the Map Run's folder, and the prefix, as links to a folder outside
rm -rf "$rundir"
ln -s "$OUT/dir" "$rundir"
run writer "{\"bucket\": \"out\", \"prefix\": \"runs\", \"items\": $items}"
refused writer-folder-link States.ResultWriterFailed
ln -s "$OUT/dir" "$S3/out/linked"
run writer "{\"bucket\": \"out\", \"prefix\": \"linked/deeper\", \"items\": $items}"
refused writer-prefix-link States.ResultWriterFailed
if [ -z "$(find "$OUT/dir" -name '*SUCCEEDED*' -o -name manifest.json -o -name deeper)" ]; then ok; else ko "writer-*-link: created files outside the root"; fi
# a hard link at a result file: the object is replaced, the other name
# keeps its content
rm -f "$rundir"
mkdir -p "$rundir"
echo 'VICTIM' > "$OUT/hard"
if ln "$OUT/hard" "$rundir/manifest.json" 2>/dev/null; then
	run writer "{\"bucket\": \"out\", \"prefix\": \"runs\", \"items\": $items}"
	check writer-hard-link '.ResultWriterDetails.Key == "'"$key"'"' "$WORK/out.json"
	if [ "$(cat "$OUT/hard")" = VICTIM ]; then ok; else ko "writer-hard-link: written through"; fi
	check writer-hard-link-replaced '.DestinationBucket == "out"' "$S3/out/$key"
fi
# a result key that no file can be: the Map fails before any child runs,
# with the reason
run writer "{\"bucket\": \"out\", \"prefix\": \"../escape\", \"items\": $items}"
check writer-key-dotdot '.Error == "States.ResultWriterFailed" and (.Cause | test("AccessDenied")) and (.Cause | test("\\.\\.. segment"))' "$WORK/err.json"
[ ! -e "$S3/escape" ] && ok || ko "writer-key-dotdot: wrote outside the bucket"
run writer "{\"bucket\": \"out\", \"prefix\": \"a\u0000b\", \"items\": $items}"
check writer-key-nul '.Error == "States.ResultWriterFailed" and (.Cause | test("NUL"))' "$WORK/err.json"
# a write error keeps its reason (ulimit -f: the file system says EFBIG)
big=$(jq -cn '[range(2000) | "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]')
(ulimit -f 64; run writer "{\"bucket\": \"out\", \"prefix\": \"big\", \"items\": $big}")
check writer-efbig '.Error == "States.ResultWriterFailed" and (.Cause | test("File too large")) and (.Cause | test("s3://out/big/.*SUCCEEDED_0.json")) and (.Cause | test("InternalError"))' "$WORK/err.json"

# ------------------------------------------- listObjectsV2 follows no link
build "$M/list.json" list
mkdir -p "$S3/in/loop/sub"
printf 'f' > "$S3/in/loop/f.txt"
printf 'g' > "$S3/in/loop/sub/g.txt"
ln -s . "$S3/in/loop/a"
ln -s . "$S3/in/loop/b"
ln -s .. "$S3/in/loop/sub/up"
ln -s "$OUT/secret.json" "$S3/in/loop/ext.json"
ln -s "$OUT/dir" "$S3/in/loop/extdir"
mkfifo "$S3/in/loop/fifo"
run list '{"bucket": "in", "prefix": "loop/"}'
check list-no-links '[.[].key] == ["loop/f.txt", "loop/sub/g.txt"]' "$WORK/out.json"
run list '{"bucket": "in", "prefix": "loop/a/"}'
check list-prefix-through-link '. == []' "$WORK/out.json"
run list '{"bucket": "linked", "prefix": ""}'
check list-bucket-link '.Error == "States.ItemReaderFailed" and (.Cause | test("AccessDenied")) and (.Cause | test("symbolic link"))' "$WORK/out.json"
# no S3 key is longer than 1024 bytes: a deeper file fails the listing
n255=$(printf '%0255d' 0)
mkdir -p "$S3/in/deep/$n255/$n255/$n255/$n255"
printf 'x' > "$S3/in/deep/$n255/$n255/$n255/$n255/file"
run list '{"bucket": "in", "prefix": "deep/"}'
check list-key-too-long '.Error == "States.ItemReaderFailed" and (.Cause | test("1024 bytes"))' "$WORK/out.json"
# a file name that is not UTF-8 is no S3 key
mkdir -p "$S3/in/bad"
printf 'x' > "$S3/in/bad/$(printf 'n\377')"
run list '{"bucket": "in", "prefix": "bad/"}'
check list-not-utf8 '.Error == "States.ItemReaderFailed" and (.Cause | test("not UTF-8"))' "$WORK/out.json"

# ------------------- the readers read what S3 hands AWS, or say file and line
reader csv '{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}'
printf 'id,name\n1,ann\n2,b\377b\n3,cy\n' > "$S3/in/data/bad-utf8.csv"
run csv '{"bucket": "in", "key": "data/bad-utf8.csv"}'
check csv-value-not-utf8 '.Error == "States.ItemReaderFailed" and (.Cause | test("s3://in/data/bad-utf8.csv at line 3")) and (.Cause | test("not UTF-8"))' "$WORK/err.json"
printf 'id,n\377me\n1,ann\n' > "$S3/in/data/bad-header.csv"
run csv '{"bucket": "in", "key": "data/bad-header.csv"}'
check csv-header-not-utf8 '.Error == "States.ItemReaderFailed" and (.Cause | test("s3://in/data/bad-header.csv at line 1"))' "$WORK/err.json"
printf 'id,name\r1,ann\r2,"b\rc"\r\r3,cy' > "$S3/in/data/cr.csv"
run csv '{"bucket": "in", "key": "data/cr.csv"}'
check csv-cr-line-ends '. == [{"id":"1","name":"ann"},{"id":"2","name":"b\rc"},{"id":"3","name":"cy"}]' "$WORK/out.json"
printf 'id,name\r\n1,ann\r\n2,"b\377"\r\n' > "$S3/in/data/crlf-bad.csv"
run csv '{"bucket": "in", "key": "data/crlf-bad.csv"}'
check csv-line-numbers-crlf '.Cause | test("at line 3")' "$WORK/err.json"
head -c 11000 /dev/zero | tr '\0' 'h' > "$S3/in/data/wide.csv"
printf '\n1\n' >> "$S3/in/data/wide.csv"
run csv '{"bucket": "in", "key": "data/wide.csv"}'
check csv-header-10kib '.Error == "States.ItemReaderFailed" and (.Cause | test("10 KiB"))' "$WORK/err.json"
printf 'i\000d,x\n1,2\n' > "$S3/in/data/nul-header.csv"
run csv '{"bucket": "in", "key": "data/nul-header.csv"}'
check csv-header-nul '.Error == "States.ItemReaderFailed" and (.Cause | test("line 1")) and (.Cause | test("NUL"))' "$WORK/err.json"

# an S3 Inventory manifest whose fileSchema repeats a column
reader inventory '{"InputType": "MANIFEST"}'
printf '"in","a.txt","1"\n' > "$S3/in/data/inv-0.csv"
echo '{"sourceBucket": "in", "destinationBucket": "arn:aws:s3:::in", "fileFormat": "CSV", "fileSchema": "Bucket, Key, Key", "files": [{"key": "data/inv-0.csv"}]}' \
	> "$S3/in/data/manifest.json"
run inventory '{"bucket": "in", "key": "data/manifest.json"}'
check inventory-duplicate-column '.Error == "States.ItemReaderFailed" and (.Cause | test("CSV headers cannot contain duplicates")) and (.Cause | test("s3://in/data/manifest.json")) and (.Cause | test("Key"))' "$WORK/err.json"
jq '.fileSchema = "Bucket, Key, Size"' "$S3/in/data/manifest.json" > "$S3/in/data/manifest2.json"
run inventory '{"bucket": "in", "key": "data/manifest2.json"}'
check inventory-ok '. == [{"Bucket": "in", "Key": "a.txt", "Size": "1"}]' "$WORK/out.json"

# JSON Lines: a NUL byte, a line past the item limit, a bad line's number
reader jsonl '{"InputType": "JSONL"}'
printf '1\n7\000junk\n' > "$S3/in/data/nul.jsonl"
run jsonl '{"bucket": "in", "key": "data/nul.jsonl"}'
check jsonl-nul '.Error == "States.ItemReaderFailed" and (.Cause | test("s3://in/data/nul.jsonl at line 2")) and (.Cause | test("NUL"))' "$WORK/err.json"
{ printf '1\n"'; head -c 300000 /dev/zero | tr '\0' 'x'; printf '"\n'; } > "$S3/in/data/huge.jsonl"
run jsonl '{"bucket": "in", "key": "data/huge.jsonl"}'
check jsonl-line-limit '.Error == "States.ItemReaderFailed" and (.Cause | test("at line 2")) and (.Cause | test("262144 bytes"))' "$WORK/err.json"
run jsonl '{"bucket": "in", "key": "data/huge.jsonl"}' --no-payload-limit
check jsonl-line-no-payload-limit '(. | length) == 2' "$WORK/out.json"
printf '1\n\n{"a": \377}\n' > "$S3/in/data/bad.jsonl"
run jsonl '{"bucket": "in", "key": "data/bad.jsonl"}'
check jsonl-not-utf8 '.Error == "States.ItemReaderFailed" and (.Cause | test("at line 3"))' "$WORK/err.json"
: > "$S3/in/data/empty.jsonl"
run jsonl '{"bucket": "in", "key": "data/empty.jsonl"}'
check jsonl-empty '. == []' "$WORK/out.json"

# JSON: a value's line, invalid UTF-8, a NUL byte, an empty file, no array
printf '[1,\n 2,\n "b\377d",\n 4]\n' > "$S3/in/data/bad-utf8.json"
run json '{"bucket": "in", "key": "data/bad-utf8.json"}'
check json-not-utf8 '.Error == "States.ItemReaderFailed" and (.Cause | test("s3://in/data/bad-utf8.json at line 3"))' "$WORK/err.json"
printf '[1, 2\000, 3]' > "$S3/in/data/nul.json"
run json '{"bucket": "in", "key": "data/nul.json"}'
check json-nul '.Error == "States.ItemReaderFailed" and (.Cause | test("NUL"))' "$WORK/err.json"
printf '[1,\n2,\n' > "$S3/in/data/cut.json"
run json '{"bucket": "in", "key": "data/cut.json"}'
check json-cut-short '.Error == "States.ItemReaderFailed" and (.Cause | test("s3://in/data/cut.json at line 3"))' "$WORK/err.json"
: > "$S3/in/data/empty.json"
run json '{"bucket": "in", "key": "data/empty.json"}'
check json-empty '.Error == "States.ItemReaderFailed" and .Cause == "Attempting to map over non-iterable node."' "$WORK/err.json"
{ printf '['; head -c 5000 /dev/zero | tr '\0' '['; } > "$S3/in/data/deep.json"
run json '{"bucket": "in", "key": "data/deep.json"}'
check json-deep '.Error == "States.ItemReaderFailed" and (.Cause | test("deeper than 2048"))' "$WORK/err.json"

summary jail
