#!/bin/sh
# dmap.sh - the Distributed Map over S3 as a folder (--s3-root): each item
# reader (JSON with ItemsPointer, JSONL, CSV, MANIFEST, listObjectsV2), the
# CSV rules, MaxItems, ItemSelector's $$.Map.Item.Source, the children's own
# context object, ItemBatcher, the tolerated failures, the ResultWriter's
# files and S3's errors for a missing bucket or key.
. "${top_srcdir:-.}/tests/setup.sh"
. "$top_srcdir/tests/dmap/common.sh"

mkdir -p "$S3/in/data" "$S3/in/athena" "$S3/out"

# ------------------------------------------------------------------ JSON
cat > "$S3/in/data/doc.json" <<'EOF'
{"skip": [1, "]", {"x": "[\"}"}], "data": {"n": 4, "items": [
  {"id": 0, "s": "a,\"b\""}, {"id": 1}, 2, "three", [4], {"id": 5}]}}
EOF
build "$M/json.json" json
run json '{"key": "data/doc.json", "tag": "T"}'
check json-items '[.[].item.value] == [{"id": 0, "s": "a,\"b\""}, {"id": 1}, 2]' "$WORK/out.json"
check json-index '[.[].item.index] == [0, 1, 2]' "$WORK/out.json"
check json-source 'all(.[]; .item.source == "s3://in/data/doc.json")' "$WORK/out.json"
check json-selector-input 'all(.[]; .item.tag == "T")' "$WORK/out.json"
# each child is an execution of Machine/Label with its own input
check child-execution 'all(.[]; (.execution | test("^arn:aws:states:us-east-1:000000000000:execution:json/Each:[0-9a-f-]{36}$")) and .input == .item and .machine == "json/Each")' "$WORK/out.json"
check child-names-distinct '([.[].execution] | unique | length) == 3' "$WORK/out.json"

echo '{"data": {"items": {"not": "an array"}}}' > "$S3/in/data/obj.json"
run json '{"key": "data/obj.json", "tag": "T"}'
check json-non-iterable '.Error == "States.ItemReaderFailed" and (.Cause | test("non-iterable"))' "$WORK/err.json"

# ----------------------------------------------------------------- JSONL
i=0
: > "$S3/in/data/n.jsonl"
while [ $i -lt 100 ]; do echo "{\"n\": $i}"; i=$((i + 1)); done >> "$S3/in/data/n.jsonl"
build "$M/jsonl.json" jsonl
run jsonl '{"key": "data/n.jsonl"}'
check jsonl-order '[.[].n] == [range(0; 200; 2)]' "$WORK/out.json"
printf '{"n": 1}\n{"n": \n' > "$S3/in/data/bad.jsonl"
run jsonl '{"key": "data/bad.jsonl"}'
check jsonl-corrupt '.Error == "States.ItemReaderFailed" and (.Cause | test("line 2"))' "$WORK/err.json"

# ------------------------------------------------------------ S3 errors
run jsonl '{"key": "data/none.jsonl"}'
check no-such-key '.Error == "States.ItemReaderFailed" and (.Cause | test("Service: S3, Status Code: 404, Error Code: NoSuchKey"))' "$WORK/err.json"
jq '.States.Each.ItemReader.Parameters.Bucket = "nobucket"' "$M/jsonl.json" > "$WORK/nobucket.json"
build "$WORK/nobucket.json" nobucket
run nobucket '{"key": "data/n.jsonl"}'
check no-such-bucket '.Error == "States.ItemReaderFailed" and (.Cause | test("Status Code: 404, Error Code: NoSuchBucket"))' "$WORK/err.json"

# ------------------------------------------------------------------- CSV
printf 'id,name,note\n1,ann,"a, b"\n2,"bo ""b""",x,extra\n\n3\n4,"multi\nline",\\,z\n' \
	> "$S3/in/data/t.csv"
build "$M/csv.json" csv
run csv '{"key": "data/t.csv"}'
check csv-first-row '. == [{"id":"1","name":"ann","note":"a, b"},{"id":"2","name":"bo \"b\"","note":"x"},{"id":"3","name":"","note":""},{"id":"4","name":"multi\nline","note":",z"}]' "$WORK/out.json"
printf 'a|b\n1|2\n' > "$S3/in/data/p.csv"
jq '.States.Each.ItemReader.ReaderConfig = {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["x", "y"], "CSVDelimiter": "PIPE", "MaxItems": 1}' \
	"$M/csv.json" > "$WORK/pipe.json"
build "$WORK/pipe.json" pipe
run pipe '{"key": "data/p.csv"}'
check csv-given-pipe-maxitems '. == [{"x":"a","y":"b"}]' "$WORK/out.json"
printf 'a;b;a\n1;2;3\n' > "$S3/in/data/dup.csv"
jq '.States.Each.ItemReader.ReaderConfig.CSVDelimiter = "SEMICOLON"' \
	"$M/csv.json" > "$WORK/semi.json"
build "$WORK/semi.json" semi
run semi '{"key": "data/dup.csv"}'
check csv-duplicate-headers '.Error == "States.ItemReaderFailed" and .Cause == "CSV headers cannot contain duplicates."' "$WORK/out.json"
printf 'a\tb\r\n1\t2\r\n' > "$S3/in/data/t.tsv"
jq '.States.Each.ItemReader.ReaderConfig.CSVDelimiter = "TAB"' \
	"$M/csv.json" > "$WORK/tab.json"
build "$WORK/tab.json" tab
run tab '{"key": "data/t.tsv"}'
check csv-tab-crlf '. == [{"a":"1","b":"2"}]' "$WORK/out.json"

# -------------------------------------------------------------- MANIFEST
printf '1,one\n2,two\n' > "$S3/in/athena/part-0.csv"
printf '3,three\n' > "$S3/in/athena/part-1.csv"
printf 's3://in/athena/part-0.csv\ns3://in/athena/part-1.csv\n' \
	> "$S3/in/athena/manifest.csv"
build "$M/manifest.json" manifest
run manifest '{}'
check manifest-rows '[.[].row] == [{"id":"1","name":"one"},{"id":"2","name":"two"},{"id":"3","name":"three"}]' "$WORK/out.json"
check manifest-source '[.[].source] == ["s3://in/athena/part-0.csv","s3://in/athena/part-0.csv","s3://in/athena/part-1.csv"]' "$WORK/out.json"

# --------------------------------------------------------- listObjectsV2
mkdir -p "$S3/in/logs/a" "$S3/in/logs/a-b"
printf 'hello' > "$S3/in/logs/a/x.txt"
printf '' > "$S3/in/logs/a-b/y.txt"
printf 'z' > "$S3/in/logs/a0"
printf 'no' > "$S3/in/logsx"
build "$M/list.json" list
run list '{"bucket": "in", "prefix": "logs/"}'
# S3's order is the keys' byte order: "a-b/" < "a/" < "a0"
check list-order '[.[].key] == ["logs/a-b/y.txt", "logs/a/x.txt", "logs/a0"]' "$WORK/out.json"
check list-fields '.[1] == {"key": "logs/a/x.txt", "size": 5, "etag": "\"5d41402abc4b2a76b9719d911017c592\"", "class": "STANDARD", "source": "s3://in/logs/a/x.txt"}' "$WORK/out.json"
run list '{"bucket": "in", "prefix": "logs/a"}'
check list-partial-prefix '[.[].key] == ["logs/a-b/y.txt", "logs/a/x.txt", "logs/a0"]' "$WORK/out.json"
run list '{"bucket": "in", "prefix": "nothing/"}'
check list-empty '. == []' "$WORK/out.json"
run list '{"bucket": "missing", "prefix": ""}'
check list-no-bucket-caught '.Error == "States.ItemReaderFailed" and (.Cause | test("NoSuchBucket"))' "$WORK/out.json"

# ------------------------------------------------------------- ItemBatcher
build "$M/batch.json" batch
run batch '{"run": "r1", "items": [1, 2, 3, 4, 5, 6, 7]}'
check batch-items '[.[].n] == [3, 3, 1] and [.[].items[]] == [1,2,3,4,5,6,7] and all(.[]; .run == "r1")' "$WORK/out.json"
jq '.States.Each.ItemBatcher = {"MaxInputBytesPerBatch": 25} | .States.Each.ItemProcessor.States.Count.Parameters = {"items.$": "$.Items"}' "$M/batch.json" \
	> "$WORK/bytes.json"
build "$WORK/bytes.json" bytes
run bytes '{"run": "r", "items": ["aaaa", "bbbb", "cccc", "dddd"]}'
check batch-bytes '[.[].items] == [["aaaa","bbbb"],["cccc","dddd"]]' "$WORK/out.json"

# ------------------------------------------- tolerated failures, ResultWriter
build "$M/tolerate.json" tolerate
run tolerate '{"items": [{"ok": true}, {"ok": false}, {"ok": true}]}'
check writer-result '(.MapRunArn | test("^arn:aws:states:us-east-1:000000000000:mapRun:tolerate/Each:[0-9a-f-]{36}$")) and .ResultWriterDetails.Bucket == "out" and (.ResultWriterDetails.Key | test("^runs/[0-9a-f-]{36}/manifest.json$"))' "$WORK/out.json"
dir="$S3/out/$(jq -r '.ResultWriterDetails.Key | rtrimstr("/manifest.json")' "$WORK/out.json")"
key=$(jq -r .ResultWriterDetails.Key "$WORK/out.json")
check writer-manifest '.DestinationBucket == "out" and .ResultFiles.PENDING == [] and (.ResultFiles.SUCCEEDED | length) == 1 and (.ResultFiles.FAILED | length) == 1' "$S3/out/$key"
check writer-manifest-keys '.ResultFiles.SUCCEEDED[0].Key | endswith("/SUCCEEDED_0.json")' "$S3/out/$key"
check writer-manifest-size ".ResultFiles.SUCCEEDED[0].Size == $(wc -c < "$dir/SUCCEEDED_0.json")" "$S3/out/$key"
check writer-succeeded '[.[] | .Input | fromjson] == [{"ok": true}, {"ok": true}] and all(.[]; .Status == "SUCCEEDED" and (.Output | fromjson) == {"ok": true} and .InputDetails.Included and (.Name as $n | .ExecutionArn | endswith($n)) and .StateMachineArn == "arn:aws:states:us-east-1:000000000000:stateMachine:tolerate/Each")' "$dir/SUCCEEDED_0.json"
check writer-failed '. | length == 1 and .[0].Status == "FAILED" and .[0].Error == "Item.Bad" and .[0].Cause == "not ok"' "$dir/FAILED_0.json"
run tolerate '{"items": [{"ok": false}, {"ok": true}, {"ok": false}]}'
check tolerated-count-exceeded '.error.Error == "States.ExceedToleratedFailureThreshold" and .error.Cause == "The specified tolerated failure threshold was exceeded"' "$WORK/out.json"
jq 'del(.States.Each.ToleratedFailureCount) | .States.Each.ToleratedFailurePercentage = 50' \
	"$M/tolerate.json" > "$WORK/pct.json"
build "$WORK/pct.json" pct
run pct '{"items": [{"ok": false}, {"ok": true}, {"ok": false}, {"ok": true}]}'
check tolerated-percentage-ok 'has("ResultWriterDetails")' "$WORK/out.json"
run pct '{"items": [{"ok": false}, {"ok": true}, {"ok": false}]}'
check tolerated-percentage-exceeded '.error.Error == "States.ExceedToleratedFailureThreshold"' "$WORK/out.json"
jq 'del(.States.Each.ToleratedFailureCount, .States.Each.Catch, .States.Exceeded)' \
	"$M/tolerate.json" > "$WORK/none.json"
build "$WORK/none.json" none
run none '{"items": [{"ok": true}, {"ok": false}]}'
check untolerated-own-error '.Error == "Item.Bad" and .Cause == "not ok"' "$WORK/err.json"
# WriterConfig: JSON Lines, COMPACT outputs
jq '.States.Each.ResultWriter.WriterConfig = {"OutputType": "JSONL", "Transformation": "COMPACT"}' \
	"$M/tolerate.json" > "$WORK/jsonl-writer.json"
build "$WORK/jsonl-writer.json" jsonlw
run jsonlw '{"items": [{"ok": true, "i": 1}, {"ok": true, "i": 2}]}'
key=$(jq -r .ResultWriterDetails.Key "$WORK/out.json")
dir="$S3/out/${key%/manifest.json}"
if [ "$(cat "$dir/SUCCEEDED_0.jsonl")" = '{"ok":true,"i":1}
{"ok":true,"i":2}' ]; then ok; else ko "writer-jsonl-compact"; cat "$dir/SUCCEEDED_0.jsonl" >&2; fi
jq '.States.Each.ResultWriter.Parameters.Bucket = "nope"' "$M/tolerate.json" \
	> "$WORK/wnobucket.json"
build "$WORK/wnobucket.json" wnobucket
run wnobucket '{"items": [{"ok": true}]}'
check writer-no-bucket '.Error == "States.ResultWriterFailed" and (.Cause | test("NoSuchBucket"))' "$WORK/err.json"

# Determinism: one seed, one result set.
run tolerate '{"items": [{"ok": true}, {"ok": true}]}'
k1=$(jq -r .ResultWriterDetails.Key "$WORK/out.json")
cp "$S3/out/${k1%manifest.json}SUCCEEDED_0.json" "$WORK/first.json"
OMP_NUM_THREADS=1 run tolerate '{"items": [{"ok": true}, {"ok": true}]}'
k2=$(jq -r .ResultWriterDetails.Key "$WORK/out.json")
if [ "$k1" = "$k2" ] && cmp -s "$WORK/first.json" \
	"$S3/out/${k2%manifest.json}SUCCEEDED_0.json"; then ok; else ko "seeded run not deterministic"; fi

summary dmap
