#!/usr/bin/env python3
"""gen.py - writes the conformance cases (python3 stdlib only).

    python3 tests/conformance/gen.py DIR

This file (with gen_jsonata.py, the JSONata cases, which it calls) is the
only source of the cases: make check runs it to write
them into the build tree (tests/conformance/cases/); they are not kept in
git.  Every case is DIR/<area>/<case>/ with definition.json, input.json
(when not {}) and expected.json.  DIR is written whole: it is built under
DIR.tmp and renamed, so an interrupted run leaves no half-written cases.
The expectations come from AWS: the Developer Guide, executions recorded on
AWS ([AWS-rec]) or, where neither says, reasoning from the specification;
each case's "source" says which.

The Lambda functions the cases call are in handlers.c.
"""
import hashlib
import json
import os
import shutil
import sys

AREAS = {}
SEEN = set()

DG = "AWS docs "
REC = "AWS-recorded"
SPEC = "spec reasoning"
START = "2026-01-01T00:00:00Z"
NULL = "__json_null__"  # an input of null (None means no input.json)


def lam(fn):
    return "arn:aws:lambda:us-east-1:123456789012:function:" + fn


def add(area, name, definition, inp=None, source=SPEC, **exp):
    key = (area, name)
    assert key not in SEEN, key
    SEEN.add(key)
    e = {"source": source}
    if "status" in exp:
        pass
    elif "error" in exp or "cause" in exp or "cause_prefix" in exp:
        e["status"] = "FAILED"
    else:
        e["status"] = "SUCCEEDED"
    e.update(exp)
    AREAS.setdefault(area, []).append((name, definition, inp, e))


def rt(state, msg, event=2):
    """A States.Runtime cause with AWS's prefix."""
    return ("An error occurred while executing the state '%s' (entered at "
            "the event id #%d). %s" % (state, event, msg))


def rt_later(state, msg):
    """For states after the first: the event id depends on AWS's history."""
    return {"cause_prefix": "An error occurred while executing the state "
            "'%s' (entered at the event id #" % state,
            "cause_suffix": "). " + msg}


def machine(states, start=None, **top):
    d = {"StartAt": start or next(iter(states)), "States": states}
    d.update(top)
    return d


def one(state):
    """A machine of one state named P."""
    s = dict(state)
    if s["Type"] not in ("Succeed", "Fail", "Choice"):
        s.setdefault("End", True)
    return machine({"P": s})


def pass_params(params, **kw):
    s = {"Type": "Pass", "Parameters": params}
    s.update(kw)
    return one(s)


def chain(*states, prefix="P"):
    """States P0, P1, ... run in order."""
    out = {}
    for i, s in enumerate(states):
        s = dict(s)
        if s["Type"] in ("Succeed", "Fail", "Choice"):
            pass
        elif i + 1 < len(states):
            s["Next"] = "%s%d" % (prefix, i + 1)
        else:
            s["End"] = True
        out["%s%d" % (prefix, i)] = s
    return machine(out)


BRANCHES = [0]


def branch(*states, prefix=None):
    """A branch or an item processor; its states are B<n>S0, B<n>S1, ...
    (state names are unique in the whole machine)."""
    if prefix is None:
        BRANCHES[0] += 1
        prefix = "B%dS" % BRANCHES[0]
    m = chain(*states, prefix=prefix)
    return {"StartAt": m["StartAt"], "States": m["States"]}


def task(fn, **kw):
    s = {"Type": "Task", "Resource": lam(fn)}
    s.update(kw)
    return s


STORE = {
    "store": {
        "book": [
            {"category": "reference", "author": "Nigel Rees",
             "title": "Sayings of the Century", "price": 8.95},
            {"category": "fiction", "author": "Evelyn Waugh",
             "title": "Sword of Honour", "price": 12.99},
            {"category": "fiction", "author": "Herman Melville",
             "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
            {"category": "fiction", "author": "J. R. R. Tolkien",
             "title": "The Lord of the Rings", "isbn": "0-395-19395-8",
             "price": 22.99},
        ],
        "bicycle": {"color": "red", "price": 19.95},
    },
    "expensive": 10,
}
BOOKS = STORE["store"]["book"]


# ----------------------------------------------------------------- paths
def paths():
    src = DG + "(Jayway JsonPath, as Step Functions evaluates paths)"
    ok = [
        ("root", "$", STORE),
        ("member", "$.expensive", 10),
        ("nested-member", "$.store.bicycle.color", "red"),
        ("bracket-member", "$['store']['bicycle']['color']", "red"),
        ("index", "$.store.book[0].author", "Nigel Rees"),
        ("index-last", "$.store.book[3].title", "The Lord of the Rings"),
        ("negative-index", "$.store.book[-1].title", "The Lord of the Rings"),
        ("negative-index-2", "$.store.book[-2].author", "Herman Melville"),
        ("wildcard-array", "$.store.book[*].author",
         [b["author"] for b in BOOKS]),
        ("wildcard-dot", "$.store.bicycle.*", ["red", 19.95]),
        ("wildcard-object", "$.store.*", [BOOKS, STORE["store"]["bicycle"]]),
        ("deep-scan", "$..author", [b["author"] for b in BOOKS]),
        ("deep-scan-price", "$..price", [8.95, 12.99, 8.99, 22.99, 19.95]),
        ("deep-scan-member", "$.store..price",
         [8.95, 12.99, 8.99, 22.99, 19.95]),
        ("deep-scan-index", "$..book[2].title", ["Moby Dick"]),
        ("slice", "$.store.book[1:3].author",
         ["Evelyn Waugh", "Herman Melville"]),
        ("slice-open-end", "$.store.book[2:].author",
         ["Herman Melville", "J. R. R. Tolkien"]),
        ("slice-open-start", "$.store.book[:2].author",
         ["Nigel Rees", "Evelyn Waugh"]),
        ("slice-negative", "$.store.book[-2:].author",
         ["Herman Melville", "J. R. R. Tolkien"]),
        ("slice-past-end", "$.store.book[3:10].author", ["J. R. R. Tolkien"]),
        ("union-indexes", "$.store.book[0,2].title",
         ["Sayings of the Century", "Moby Dick"]),
        ("union-index-out-of-range", "$.store.book[0,9].title",
         ["Sayings of the Century"]),
        ("filter-less", "$.store.book[?(@.price < 10)].title",
         ["Sayings of the Century", "Moby Dick"]),
        ("filter-greater-equal", "$.store.book[?(@.price >= 12.99)].title",
         ["Sword of Honour", "The Lord of the Rings"]),
        ("filter-exists", "$.store.book[?(@.isbn)].title",
         ["Moby Dick", "The Lord of the Rings"]),
        ("filter-string-equal", "$.store.book[?(@.category == 'reference')]"
         ".author", ["Nigel Rees"]),
        ("filter-not-equal", "$.store.book[?(@.category != 'fiction')]"
         ".author", ["Nigel Rees"]),
        ("filter-and", "$.store.book[?(@.price > 8.97 && @.price < 20)]"
         ".title", ["Sword of Honour", "Moby Dick"]),
        ("filter-or", "$.store.book[?(@.price < 9 || @.price > 20)].price",
         [8.95, 8.99, 22.99]),
        ("filter-root-ref", "$.store.book[?(@.price > $.expensive)].title",
         ["Sword of Honour", "The Lord of the Rings"]),
        ("filter-deep", "$..book[?(@.author == 'Herman Melville')].price",
         [8.99]),
        ("filter-no-match", "$.store.book[?(@.price > 100)].title", []),
        ("filter-in", "$.store.book[?(@.category in $.cats)].price",
         [8.95]),
        ("filter-nin", "$.store.book[?(@.category nin $.cats)].price",
         [12.99, 8.99, 22.99]),
        ("filter-in-list",
         "$.store.book[?(@.category in ['reference', 'poetry'])].price",
         [8.95]),
        ("filter-nin-list",
         "$.store.book[?(@.category nin ['fiction'])].price", [8.95]),
        ("filter-in-empty-list", "$.store.book[?(@.category in [])].price",
         []),
        ("wildcard-no-match", "$.store.book[*].publisher", []),
        ("deep-scan-no-match", "$..publisher", []),
        ("multi-name", "$.store.bicycle['color','price']",
         {"color": "red", "price": 19.95}),
        ("multi-name-missing-one", "$.store.bicycle['color','gears']",
         {"color": "red"}),
        ("multi-name-root", "$['expensive','missing']", {"expensive": 10}),
        ("quoted-name-with-space", "$['with space']", 1),
        ("quoted-name-with-dot", "$['a.b']", 2),
    ]
    extra = {"with space": 1, "a.b": 2}
    for name, path, want in ok:
        inp = dict(STORE)
        if "quoted" in name or name == "multi-name-root":
            inp.update(extra)
        if name in ("filter-in", "filter-nin"):
            inp["cats"] = ["reference"]
        add("paths", name, pass_params({"r.$": path}), inp, src,
            output={"r": want})
    # A definite path that selects nothing is an error (States.Runtime).
    dump = json.dumps({"a": {"b": 1}}, separators=(",", ":"))
    for name, path in [("missing-member", "$.x"),
                       ("missing-nested", "$.a.c"),
                       ("member-of-scalar", "$.a.b.c"),
                       ("index-of-object", "$.a[0]"),
                       ("index-out-of-range", "$.l[5]")]:
        inp = {"a": {"b": 1}}
        d = dump
        if "range" in name:
            inp = {"l": [1, 2]}
            d = '{"l":[1,2]}'
        add("paths", "error-" + name, pass_params({"r.$": path}), inp, REC,
            error="States.Runtime",
            cause=rt("P", "The JSONPath '%s' specified for the field 'r.$' "
                     "could not be found in the input '%s'" % (path, d)))
    add("paths", "error-multi-name-parent-missing",
        pass_params({"r.$": "$.x['a','b']"}), {"y": 1}, SPEC,
        error="States.Runtime")
    # InputPath and OutputPath are Paths too.
    add("paths", "inputpath-indefinite",
        one({"Type": "Pass", "InputPath": "$.store.book[*].price"}), STORE,
        src, output=[8.95, 12.99, 8.99, 22.99])
    add("paths", "outputpath-filter",
        one({"Type": "Pass", "OutputPath": "$.l[?(@ > 1)]"}),
        {"l": [1, 2, 3]}, src, output=[2, 3])
    add("paths", "inputpath-indefinite-empty",
        one({"Type": "Pass", "InputPath": "$.l[*].x"}), {"l": [1]}, REC,
        output=[])
    add("paths", "inputpath-missing",
        one({"Type": "Pass", "InputPath": "$.X"}), {"a": 1}, REC,
        error="States.Runtime",
        cause=rt("P", "Invalid path '$.X' : No results for path: $['X']"))
    add("paths", "outputpath-missing",
        one({"Type": "Pass", "OutputPath": "$.no"}), {"a": 1}, REC,
        error="States.Runtime",
        cause=rt("P", "Invalid path '$.no' : No results for path: $['no']"))
    add("paths", "outputpath-missing-nested",
        one({"Type": "Pass", "OutputPath": "$.a.b"}), {"a": 1}, REC,
        error="States.Runtime",
        cause=rt("P", "Invalid path '$.a.b' : No results for path: "
                 "$['a']['b']"))
    add("paths", "filter-on-scalar-array",
        pass_params({"r.$": "$.l[?(@ >= 2)]"}), {"l": [1, 2, 3]}, src,
        output={"r": [2, 3]})
    add("paths", "filter-boolean-member",
        pass_params({"r.$": "$.l[?(@.ok == true)].id"}),
        {"l": [{"id": 1, "ok": True}, {"id": 2, "ok": False}]}, src,
        output={"r": [1]})
    add("paths", "filter-null-member",
        pass_params({"r.$": "$.l[?(@.v == null)].id"}),
        {"l": [{"id": 1, "v": None}, {"id": 2, "v": 0}]}, src,
        output={"r": [1]})
    add("paths", "filter-missing-member-false",
        pass_params({"r.$": "$.l[?(@.v > 0)].id"}),
        {"l": [{"id": 1}, {"id": 2, "v": 3}]}, src, output={"r": [2]})
    add("paths", "filter-regex",
        pass_params({"r.$": "$.l[?(@.n =~ /ab.*/)].n"}),
        {"l": [{"n": "abc"}, {"n": "xab"}, {"n": "ab"}]}, src,
        output={"r": ["abc", "ab"]})
    add("paths", "unicode-member", pass_params({"r.$": "$['ключ']"}),
        {"ключ": "значение"}, src, output={"r": "значение"})
    add("paths", "array-root-input", pass_params({"r.$": "$[1]"}),
        [10, 20, 30], src, output={"r": 20})
    add("paths", "value-null-found", pass_params({"r.$": "$.a"}),
        {"a": None}, src, output={"r": None})


# ------------------------------------------------------------- intrinsics
def intrinsics():
    src = DG + "intrinsic-functions"

    def ok(name, expr, want, inp=None, source=src):
        add("intrinsics", name, pass_params({"r.$": expr}), inp, source,
            output={"r": want})

    def bad(name, expr, inp=None, source=SPEC):
        add("intrinsics", name, pass_params({"r.$": expr}), inp, source,
            error="States.Runtime",
            cause_prefix="An error occurred while executing the state 'P' "
            "(entered at the event id #2). ")

    # States.Format
    ok("format-basic", "States.Format('Hello, my name is {}.', $.name)",
       "Hello, my name is Arnav.", {"name": "Arnav"})
    ok("format-two", "States.Format('{} and {}', 'a', 'b')", "a and b")
    ok("format-number", "States.Format('n={}', 1)", "n=1")
    ok("format-real", "States.Format('n={}', 1.1)", "n=1.1")
    ok("format-boolean-null", "States.Format('{} {} {}', true, false, null)",
       "true false null")
    ok("format-object", "States.Format('{}', $.o)", "{Arg1=1, Arg2=[]}",
       {"o": {"Arg1": 1, "Arg2": []}}, REC)
    ok("format-array", "States.Format('{}', $.a)", "[1, b, {c=null}]",
       {"a": [1, "b", {"c": None}]}, REC)
    ok("format-escaped-braces", "States.Format('\\{\\} {}', 'v')", "{} v")
    ok("format-escaped-quote", "States.Format('it\\'s {}', 'ok')", "it's ok")
    ok("format-escaped-backslash", "States.Format('a\\\\b {}', 'c')",
       "a\\b c")
    ok("format-braces-around", "States.Format('\\{{}\\}', 'v')", "{v}")
    ok("format-no-placeholder", "States.Format('plain')", "plain")
    ok("format-path-template", "States.Format($.t, 'x')", "<x>",
       {"t": "<{}>"})
    ok("format-nested-call",
       "States.Format('{}', States.Array(1, 2))", "[1, 2]")
    bad("format-too-few-args", "States.Format('{} {}', 'a')")
    bad("format-too-many-args", "States.Format('{}', 'a', 'b')")
    bad("format-template-not-string", "States.Format($.n, 1)", {"n": 5})

    # States.StringToJson / JsonToString
    ok("stringtojson-object", "States.StringToJson($.s)",
       {"foo": "bar"}, {"s": "{\"foo\": \"bar\"}"})
    ok("stringtojson-number", "States.StringToJson('12')", 12)
    ok("stringtojson-array", "States.StringToJson($.s)", [1, "a"],
       {"s": "[1,\"a\"]"})
    ok("stringtojson-empty", "States.StringToJson('')", None, None, REC)
    ok("stringtojson-blank", "States.StringToJson('   ')", None, None, REC)
    ok("stringtojson-minus-zero", "States.StringToJson('-0')", 0, None, REC)
    bad("stringtojson-invalid", "States.StringToJson('{bad')")
    bad("stringtojson-trailing", "States.StringToJson('1 2')")
    bad("stringtojson-not-string", "States.StringToJson($.n)", {"n": 1})
    ok("jsontostring-object", "States.JsonToString($.o)",
       "{\"Arg1\":1,\"Arg2\":[]}", {"o": {"Arg1": 1, "Arg2": []}}, REC)
    ok("jsontostring-string", "States.JsonToString($.s)", "\"a\"",
       {"s": "a"})
    ok("jsontostring-number", "States.JsonToString($.n)", "42", {"n": 42})
    ok("jsontostring-key-order", "States.JsonToString($.o)",
       "{\"z\":1,\"a\":2}", {"o": {"z": 1, "a": 2}})
    ok("jsontostring-roundtrip",
       "States.StringToJson(States.JsonToString($.o))", {"a": [1, True]},
       {"o": {"a": [1, True]}})

    # States.Array
    ok("array-literals", "States.Array('a', 1, true, null)",
       ["a", 1, True, None])
    ok("array-paths", "States.Array($.a, $.b)", [{"x": 1}, [2]],
       {"a": {"x": 1}, "b": [2]})
    ok("array-empty", "States.Array()", [])
    ok("array-nested", "States.Array(States.Array(1), 2)", [[1], 2])

    # States.ArrayPartition
    ok("arraypartition", "States.ArrayPartition($.a, 2)",
       [[0, 1], [2, 3], [4]], {"a": [0, 1, 2, 3, 4]})
    ok("arraypartition-exact", "States.ArrayPartition($.a, 2)",
       [[1, 2], [3, 4]], {"a": [1, 2, 3, 4]})
    ok("arraypartition-empty", "States.ArrayPartition($.a, 3)", [],
       {"a": []}, REC)
    ok("arraypartition-bigger-chunk", "States.ArrayPartition($.a, 5)",
       [[1, 2]], {"a": [1, 2]})
    bad("arraypartition-zero", "States.ArrayPartition($.a, 0)", {"a": [1]})
    bad("arraypartition-not-array", "States.ArrayPartition($.a, 1)",
        {"a": "x"})

    # States.ArrayContains
    ok("arraycontains-true", "States.ArrayContains($.a, 3)", True,
       {"a": [1, 2, 3]})
    ok("arraycontains-false", "States.ArrayContains($.a, 4)", False,
       {"a": [1, 2, 3]})
    ok("arraycontains-deep", "States.ArrayContains($.a, $.v)", True,
       {"a": [[1, 2, 3], 2], "v": [1, 2, 3]}, REC)
    ok("arraycontains-string", "States.ArrayContains($.a, 'b')", True,
       {"a": ["a", "b"]})
    ok("arraycontains-object", "States.ArrayContains($.a, $.v)", True,
       {"a": [{"k": 1}], "v": {"k": 1}})
    bad("arraycontains-not-array", "States.ArrayContains($.a, 1)",
        {"a": {"x": 1}})

    # States.ArrayRange
    ok("arrayrange", "States.ArrayRange(1, 9, 2)", [1, 3, 5, 7, 9])
    ok("arrayrange-not-hitting-end", "States.ArrayRange(0, 10, 3)",
       [0, 3, 6, 9], None, REC)
    ok("arrayrange-single", "States.ArrayRange(1, 9, 9)", [1], None, REC)
    ok("arrayrange-path-args", "States.ArrayRange($.s, $.e, 1)", [3, 4, 5],
       {"s": 3, "e": 5})
    ok("arrayrange-thousand", "States.ArrayLength(States.ArrayRange(1, 1000,"
       " 1))", 1000)
    bad("arrayrange-too-many", "States.ArrayRange(0, 1000, 1)", None, REC)
    bad("arrayrange-zero-step", "States.ArrayRange(0, 10, 0)")

    # States.ArrayGetItem / ArrayLength / ArrayUnique
    ok("arraygetitem", "States.ArrayGetItem($.a, 1)", 2, {"a": [1, 2, 3]})
    ok("arraygetitem-object", "States.ArrayGetItem($.a, 0)", {"k": "v"},
       {"a": [{"k": "v"}]})
    ok("arraygetitem-index-path", "States.ArrayGetItem($.a, $.i)", "c",
       {"a": ["a", "b", "c"], "i": 2})
    bad("arraygetitem-out-of-range", "States.ArrayGetItem($.a, 3)",
        {"a": [1, 2, 3]})
    ok("arraylength", "States.ArrayLength($.a)", 3, {"a": [1, 2, 3]})
    ok("arraylength-empty", "States.ArrayLength($.a)", 0, {"a": []})
    bad("arraylength-not-array", "States.ArrayLength($.a)", {"a": "abc"})
    ok("arrayunique", "States.ArrayUnique($.a)", [1, 2, 3, 4],
       {"a": [1, 2, 3, 3, 3, 3, 3, 3, 4]}, REC)
    ok("arrayunique-keeps-first-order", "States.ArrayUnique($.a)",
       ["b", "a"], {"a": ["b", "a", "b", "a"]})
    ok("arrayunique-objects", "States.ArrayUnique($.a)", [{"x": 1}, {"x": 2}],
       {"a": [{"x": 1}, {"x": 2}, {"x": 1}]})
    ok("arrayunique-types-differ", "States.ArrayUnique($.a)", [1, "1"],
       {"a": [1, "1", 1]})

    # Base64
    ok("base64encode", "States.Base64Encode($.s)", "RGF0YSB0byBlbmNvZGU=",
       {"s": "Data to encode"})
    ok("base64encode-empty", "States.Base64Encode('')", "", None, REC)
    ok("base64decode", "States.Base64Decode($.s)", "Data to decode",
       {"s": "RGF0YSB0byBkZWNvZGU="})
    ok("base64decode-empty", "States.Base64Decode('')", "", None, REC)
    ok("base64-roundtrip-utf8",
       "States.Base64Decode(States.Base64Encode($.s))", "é€ ok",
       {"s": "é€ ok"})
    ok("base64encode-utf8", "States.Base64Encode($.s)", "w6k=", {"s": "é"})
    bad("base64decode-invalid", "States.Base64Decode('R===')")
    bad("base64encode-too-long", "States.Base64Encode($.s)",
        {"s": "x" * 10001})
    ok("base64encode-limit", "States.ArrayLength(States.Array("
       "States.Base64Encode($.s)))", 1, {"s": "x" * 10000})

    # States.Hash
    for alg, py in [("MD5", "md5"), ("SHA-1", "sha1"), ("SHA-256", "sha256"),
                    ("SHA-384", "sha384"), ("SHA-512", "sha512")]:
        want = hashlib.new(py, b"input data").hexdigest()
        ok("hash-" + alg.lower(), "States.Hash($.d, '%s')" % alg, want,
           {"d": "input data"}, REC if alg == "SHA-1" else src)
    ok("hash-empty-md5", "States.Hash('', 'MD5')",
       hashlib.md5(b"").hexdigest())
    bad("hash-unknown-algorithm", "States.Hash('a', $.alg)",
        {"alg": "SHA-224"})
    bad("hash-lowercase-algorithm", "States.Hash('a', $.alg)",
        {"alg": "sha-1"})

    # States.JsonMerge
    ok("jsonmerge", "States.JsonMerge($.a, $.b, false)",
       {"a": 9, "b": 2, "c": 3}, {"a": {"a": 1, "b": 2}, "b": {"c": 3,
                                                            "a": 9}})
    ok("jsonmerge-shallow", "States.JsonMerge($.a, $.b, false)",
       {"x": {"q": 2}}, {"a": {"x": {"p": 1}}, "b": {"x": {"q": 2}}})
    add("intrinsics", "jsonmerge-key-order",
        pass_params({"r.$": "States.JsonMerge($.a, $.b, false)"}),
        {"a": {"z": 1, "y": 2}, "b": {"x": 3, "z": 4}}, REC,
        output_ordered={"r": {"z": 4, "y": 2, "x": 3}})
    bad("jsonmerge-deep-rejected", "States.JsonMerge($.a, $.b, true)",
        {"a": {}, "b": {}}, REC)
    bad("jsonmerge-not-object", "States.JsonMerge($.a, $.b, false)",
        {"a": [], "b": {}})

    # States.MathRandom / MathAdd
    add("intrinsics", "mathrandom-range",
        chain({"Type": "Pass", "Parameters":
               {"r.$": "States.MathRandom(1, 2)"}},
              {"Type": "Pass", "Parameters": {"r.$": "$.r"}}), None, src,
        output={"r": 1})
    add("intrinsics", "mathrandom-seeded-deterministic",
        chain({"Type": "Pass", "Parameters":
               {"a.$": "States.MathRandom(0, 1000000, 7)",
                "b.$": "States.MathRandom(0, 1000000, 7)"}},
              {"Type": "Choice", "Choices": [
                  {"Variable": "$.a", "NumericEqualsPath": "$.b",
                   "Next": "Same"}], "Default": "Differ"}), None, src,
        output="same")
    add_same = AREAS["intrinsics"][-1][1]["States"]
    add_same["Same"] = {"Type": "Pass", "Result": "same", "End": True}
    add_same["Differ"] = {"Type": "Pass", "Result": "differ", "End": True}
    bad("mathrandom-empty-range", "States.MathRandom(5, 5)")
    ok("mathadd", "States.MathAdd(111, -1)", 110)
    ok("mathadd-path", "States.MathAdd($.v, 1)", 6, {"v": 5})
    ok("mathadd-round-half-up", "States.MathAdd(2.5, 0)", 3, None, REC)
    ok("mathadd-round-negative-half", "States.MathAdd(-2.5, 0)", -2, None,
       REC)
    ok("mathadd-round-1-5", "States.MathAdd(-1.5, 0)", -1, None, REC)
    ok("mathadd-round-down", "States.MathAdd(1.49, 1.5)", 3, None, REC)
    bad("mathadd-overflow", "States.MathAdd(2147483647, 1)")
    bad("mathadd-not-number", "States.MathAdd('1', 1)")

    # States.StringSplit
    ok("stringsplit", "States.StringSplit($.s, ',')", ["1", "2", "3"],
       {"s": "1,2,3"})
    ok("stringsplit-charset", "States.StringSplit($.s, '.+,=')",
       ["This", "is", "a", "test", "string"],
       {"s": "This.is+a,test=string"}, REC)
    ok("stringsplit-only-delims", "States.StringSplit(',,,,', ',')", [],
       None, REC)
    ok("stringsplit-blank-tokens", "States.StringSplit(', , ,', ',')",
       [" ", " "], None, REC)
    ok("stringsplit-no-delim", "States.StringSplit('abc', ',')", ["abc"])
    ok("stringsplit-space", "States.StringSplit($.s, ' ')",
       ["a", "b", "c"], {"s": "a b  c"})

    # States.UUID
    add("intrinsics", "uuid-v4",
        chain({"Type": "Pass", "Parameters": {"u.$": "States.UUID()"}},
              {"Type": "Choice", "Choices": [
                  {"Variable": "$.u", "StringMatches":
                   "*-*-4*-*-*", "Next": "Ok"}], "Default": "Bad"}),
        None, src, output="ok")
    st = AREAS["intrinsics"][-1][1]["States"]
    st["Ok"] = {"Type": "Pass", "Result": "ok", "End": True}
    st["Bad"] = {"Type": "Pass", "Result": "bad", "End": True}
    ok("uuid-length", "States.ArrayLength(States.StringSplit(States.UUID(),"
       " '-'))", 5)

    # From the intrinsics notes (tests/unit/test_intrinsics_notes.md, now
    # these cases and tests/unit/test_runtime.c)
    ok("format-real-java-style", "States.Format('{} {} {}', $.a, $.b, $.c)",
       "1.0E7 3.0 1.0E-4", {"a": 1e7, "b": 3.0, "c": 0.0001}, SPEC)
    ok("format-nested-object", "States.Format('{}', $.o)",
       "{a=[1, b, {c=null}], d=1.5, e=true}",
       {"o": {"a": [1, "b", {"c": None}], "d": 1.5, "e": True}}, REC)
    ok("format-path-template-keeps-backslash", "States.Format($.t, 'x')",
       "\\x", {"t": "\\{}"}, SPEC)
    ok("jsontostring-real-exponent", "States.JsonToString($.v)", "1.0E20",
       {"v": 1e20}, SPEC)
    ok("arraycontains-int-real", "States.ArrayContains($.a, 1.0)", True,
       {"a": [1]}, SPEC)
    ok("arraycontains-real-not-int", "States.ArrayContains($.a, 1)", False,
       {"a": [1.5]}, SPEC)
    ok("arrayunique-int-real", "States.ArrayUnique($.a)", [1, "1"],
       {"a": [1, 1.0, "1"]}, SPEC)
    ok("arrayrange-negative-step", "States.ArrayRange(10, 0, -3)",
       [10, 7, 4, 1], None, SPEC)
    ok("arrayrange-away-from-end", "States.ArrayRange(5, 0, 1)", [], None,
       SPEC)
    ok("arraypartition-rounded-size", "States.ArrayPartition($.a, 2.5)",
       [[0, 1, 2], [3, 4]], {"a": [0, 1, 2, 3, 4]}, SPEC)
    bad("arraygetitem-negative", "States.ArrayGetItem($.a, -1)",
        {"a": [1, 2, 3]})
    bad("arraygetitem-empty", "States.ArrayGetItem($.a, 0)", {"a": []})
    ok("base64decode-no-padding", "States.Base64Decode('YQ')", "a", None,
       SPEC)
    bad("base64decode-not-utf8", "States.Base64Decode('/w==')")
    bad("base64decode-inner-padding", "States.Base64Decode('ab=c')")
    ok("hash-empty-sha512", "States.Hash('', 'SHA-512')",
       hashlib.sha512(b"").hexdigest())
    ok("mathadd-tiny-below-half", "States.MathAdd($.v, 0)", 0,
       {"v": 0.49999999999999994}, SPEC)
    ok("mathadd-round-up", "States.MathAdd(1.5, 1.51)", 4, None, REC)
    bad("mathadd-arg-out-of-int-range", "States.MathAdd($.v, 0)",
        {"v": 2147483648})
    ok("stringsplit-multibyte-delimiter", "States.StringSplit($.s, '€')",
       ["a", "b"], {"s": "a€b"}, SPEC)
    ok("stringsplit-empty-delimiters", "States.StringSplit('abc', '')",
       ["abc"], None, SPEC)
    bad("mathrandom-start-after-end", "States.MathRandom(4, -3)")
    add("intrinsics", "mathrandom-covers-range",
        pass_params({"r.$": "States.ArrayContains(States.Array("
                     "States.MathRandom(-3, 4)), $.x)"}), {"x": 99}, SPEC,
        output={"r": False})

    # Nesting, escapes, places intrinsics can appear
    ok("nested-three", "States.ArrayLength(States.ArrayUnique("
       "States.Array(1, 1, 2)))", 2)
    ok("context-arg", "States.Format('{}', $$.Execution.Name)",
       "conformance")
    add("intrinsics", "in-resultselector",
        one(task("echo", ResultSelector={"n.$": "States.ArrayLength($.l)"})),
        {"l": [1, 2]}, src, output={"n": 2})
    add("intrinsics", "in-fail-causepath",
        one({"Type": "Fail", "Error": "E",
             "CausePath": "States.Format('bad {}', $.v)"}), {"v": 7}, src,
        error="E", cause="bad 7")
    add("intrinsics", "in-parameters-nested-object",
        pass_params({"o": {"l.$": "States.Array($.a)"}}), {"a": 1}, src,
        output={"o": {"l": [1]}})
    add("intrinsics", "error-uncatchable",
        machine({"T": {"Type": "Task", "Resource": lam("echo"),
                       "Parameters": {"r.$": "States.ArrayGetItem($.a, 5)"},
                       "Catch": [{"ErrorEquals": ["States.ALL"],
                                  "Next": "C"}], "End": True},
                 "C": {"Type": "Pass", "Result": "caught", "End": True}}),
        {"a": [1]}, REC, error="States.Runtime")


# ----------------------------------------------------------------- choice
CMP = [
    # operator, variable value, operand, expected
    ("StringEquals", "abc", "abc", True),
    ("StringEquals", "abc", "abd", False),
    ("StringLessThan", "abc", "abd", True),
    ("StringLessThan", "b", "abc", False),
    ("StringGreaterThan", "b", "abc", True),
    ("StringGreaterThan", "abc", "abc", False),
    ("StringLessThanEquals", "abc", "abc", True),
    ("StringLessThanEquals", "abd", "abc", False),
    ("StringGreaterThanEquals", "abc", "abc", True),
    ("StringGreaterThanEquals", "ab", "abc", False),
    ("NumericEquals", 1, 1.0, True),
    ("NumericEquals", 1, 2, False),
    ("NumericLessThan", 1, 1.5, True),
    ("NumericLessThan", 2, 2, False),
    ("NumericGreaterThan", -1, -2, True),
    ("NumericGreaterThan", 1e3, 1000, False),
    ("NumericLessThanEquals", 2, 2, True),
    ("NumericLessThanEquals", 3, 2.99, False),
    ("NumericGreaterThanEquals", 2.5, 2.5, True),
    ("NumericGreaterThanEquals", 0, 0.1, False),
    ("BooleanEquals", True, True, True),
    ("BooleanEquals", False, True, False),
    ("TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00Z", True),
    ("TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:01Z",
     False),
    ("TimestampLessThan", "2016-03-14T01:59:00Z", "2016-03-14T02:00:00Z",
     True),
    ("TimestampLessThan", "2016-03-14T02:00:00Z", "2016-03-14T01:59:00Z",
     False),
    ("TimestampGreaterThan", "2017-01-01T00:00:00Z", "2016-12-31T23:59:59Z",
     True),
    ("TimestampGreaterThan", "2016-01-01T00:00:00Z", "2016-01-01T00:00:00Z",
     False),
    ("TimestampLessThanEquals", "2016-01-01T00:00:00Z",
     "2016-01-01T00:00:00Z", True),
    ("TimestampLessThanEquals", "2016-01-02T00:00:00Z",
     "2016-01-01T00:00:00Z", False),
    ("TimestampGreaterThanEquals", "2016-01-01T00:00:00.5Z",
     "2016-01-01T00:00:00Z", True),
    ("TimestampGreaterThanEquals", "2015-12-31T23:59:59Z",
     "2016-01-01T00:00:00Z", False),
]


def choice_machine(rule, default=True, **kw):
    r = dict(rule)
    r["Next"] = "Yes"
    c = {"Type": "Choice", "Choices": [r]}
    c.update(kw)
    m = machine({"C": c,
                 "Yes": {"Type": "Pass", "Result": "yes", "End": True}})
    if default:
        c["Default"] = "No"
        m["States"]["No"] = {"Type": "Pass", "Result": "no", "End": True}
    return m


def choice():
    src = DG + "state-choice"
    for op, v, o, want in CMP:
        tag = "true" if want else "false"
        n = 1
        name = "%s-%s" % (op, tag)
        while ("choice", name) in SEEN:
            n += 1
            name = "%s-%s-%d" % (op, tag, n)
        add("choice", name,
            choice_machine({"Variable": "$.v", op: o}), {"v": v}, src,
            output="yes" if want else "no")
        add("choice", name + "-path",
            choice_machine({"Variable": "$.v", op + "Path": "$.o"}),
            {"v": v, "o": o}, src, output="yes" if want else "no")
    # type mismatches are false, not errors
    for op, v, o in [("StringEquals", 1, "1"), ("NumericEquals", "1", 1),
                     ("BooleanEquals", "true", True),
                     ("TimestampEquals", "yesterday", "2016-01-01T00:00:00Z"),
                     ("NumericLessThan", None, 1),
                     ("StringLessThan", ["a"], "b")]:
        add("choice", "mismatch-%s" % op,
            choice_machine({"Variable": "$.v", op: o}), {"v": v}, src,
            output="no")
    add("choice", "mismatch-path-operand-type",
        choice_machine({"Variable": "$.v", "NumericEqualsPath": "$.o"}),
        {"v": 1, "o": "1"}, src, output="no")
    # UTF-16 order: U+FF61 sorts after U+1F600's high surrogate D83D?
    # U+FF61 (0xFF61) > 0xD83D, so "\uff61" > "\U0001F600" in Java.
    add("choice", "string-order-utf16",
        choice_machine({"Variable": "$.v", "StringGreaterThan": "\U0001F600"}),
        {"v": "\uff61"}, "AWS docs state-choice (Java String.compareTo)",
        output="yes")
    add("choice", "string-order-case",
        choice_machine({"Variable": "$.v", "StringLessThan": "a"}),
        {"v": "Z"}, src, output="yes")
    add("choice", "timestamp-offset-equal",
        choice_machine({"Variable": "$.v",
                        "TimestampEquals": "2016-03-14T01:59:00Z"}),
        {"v": "2016-03-14T02:59:00+01:00"}, SPEC, output="yes")
    add("choice", "timestamp-fraction-precision",
        choice_machine({"Variable": "$.v",
                        "TimestampLessThan": "2016-03-14T01:59:00.000001Z"}),
        {"v": "2016-03-14T01:59:00Z"}, SPEC, output="yes")
    add("choice", "timestamp-without-zone-invalid",
        choice_machine({"Variable": "$.v",
                        "TimestampEquals": "2016-03-14T01:59:00Z"}),
        {"v": "2016-03-14T01:59:00"}, REC, output="no")
    add("choice", "string-equals-timestamp-text",
        choice_machine({"Variable": "$.v",
                        "StringEquals": "2016-03-14T01:59:00Z"}),
        {"v": "2016-03-14T01:59:00Z"}, src, output="yes")
    # StringMatches
    for i, (pat, v, want) in enumerate([
            ("log-*.txt", "log-2024.txt", True),
            ("log-*.txt", "log-2024.csv", False),
            ("*", "", True),
            ("a*b*c", "aXXbYYc", True),
            ("a*b*c", "aXXcYYb", False),
            ("exact", "exact", True),
            ("exact", "exactly", False),
            ("*.log", "a.log.log", True),
            ("a\\*b", "a*b", True),
            ("a\\*b", "aXb", False),
            ("a\\\\b", "a\\b", True),
            ("?", "x", False),
            ("[ab]", "a", False),
            ("[ab]", "[ab]", True),
            ("*é*", "café", True)]):
        add("choice", "stringmatches-%02d-%s" % (i, "true" if want
                                                  else "false"),
            choice_machine({"Variable": "$.v", "StringMatches": pat}),
            {"v": v}, src, output="yes" if want else "no")
    add("choice", "stringmatches-not-string",
        choice_machine({"Variable": "$.v", "StringMatches": "*"}), {"v": 1},
        src, output="no")
    # Is* operators
    values = {"null": None, "num": 1.5, "int": 3, "str": "s", "bool": False,
              "ts": "2016-03-14T01:59:00Z", "obj": {}, "arr": []}
    checks = {
        "IsNull": ["null"], "IsNumeric": ["num", "int"],
        "IsString": ["str", "ts"], "IsBoolean": ["bool"],
        "IsTimestamp": ["ts"],
    }
    for op, trues in checks.items():
        for vk in ["null", "int", "str", "bool", "ts", "obj"]:
            want = vk in trues
            add("choice", "%s-%s" % (op, vk),
                choice_machine({"Variable": "$.v", op: True}),
                {"v": values[vk]}, src, output="yes" if want else "no")
        add("choice", "%s-false-operand" % op,
            choice_machine({"Variable": "$.v", op: False}),
            {"v": values[trues[0]]}, src, output="no")
    add("choice", "IsNumeric-numeric-string",
        choice_machine({"Variable": "$.v", "IsNumeric": True}), {"v": "1"},
        src, output="no")
    add("choice", "IsPresent-true",
        choice_machine({"Variable": "$.v", "IsPresent": True}), {"v": None},
        src, output="yes")
    add("choice", "IsPresent-missing",
        choice_machine({"Variable": "$.v", "IsPresent": True}), {"w": 1},
        src, output="no")
    add("choice", "IsPresent-false-missing",
        choice_machine({"Variable": "$.v", "IsPresent": False}), {}, src,
        output="yes")
    add("choice", "IsPresent-nested-missing",
        choice_machine({"Variable": "$.a.b.c", "IsPresent": True}),
        {"a": 1}, src, output="no")
    # Boolean combinators
    add("choice", "and-true",
        choice_machine({"And": [{"Variable": "$.a", "NumericGreaterThan": 1},
                                {"Variable": "$.b", "StringEquals": "x"}]}),
        {"a": 2, "b": "x"}, src, output="yes")
    add("choice", "and-false",
        choice_machine({"And": [{"Variable": "$.a", "NumericGreaterThan": 1},
                                {"Variable": "$.b", "StringEquals": "x"}]}),
        {"a": 2, "b": "y"}, src, output="no")
    add("choice", "or-true",
        choice_machine({"Or": [{"Variable": "$.a", "NumericGreaterThan": 5},
                               {"Variable": "$.b", "StringEquals": "x"}]}),
        {"a": 2, "b": "x"}, src, output="yes")
    add("choice", "or-false",
        choice_machine({"Or": [{"Variable": "$.a", "NumericGreaterThan": 5},
                               {"Variable": "$.b", "StringEquals": "x"}]}),
        {"a": 2, "b": "y"}, src, output="no")
    add("choice", "not-true",
        choice_machine({"Not": {"Variable": "$.a", "StringEquals": "x"}}),
        {"a": "y"}, src, output="yes")
    add("choice", "not-false",
        choice_machine({"Not": {"Variable": "$.a", "StringEquals": "x"}}),
        {"a": "x"}, src, output="no")
    add("choice", "nested-and-or-not",
        choice_machine({"And": [
            {"Not": {"Variable": "$.t", "IsNull": True}},
            {"Or": [{"Variable": "$.n", "NumericLessThan": 0},
                    {"Variable": "$.n", "NumericGreaterThan": 10}]}]}),
        {"t": "x", "n": 11}, src, output="yes")
    add("choice", "and-short-circuit-missing",
        choice_machine({"And": [{"Variable": "$.a", "IsPresent": True},
                                {"Variable": "$.a", "NumericEquals": 1}]}),
        {}, SPEC, output="no")
    add("choice", "or-short-circuit-missing",
        choice_machine({"Or": [{"Variable": "$.b", "IsPresent": True},
                               {"Variable": "$.a", "NumericEquals": 1}]}),
        {"b": 1}, SPEC, output="yes")
    # first matching rule wins
    m = choice_machine({"Variable": "$.n", "NumericGreaterThan": 1})
    m["States"]["C"]["Choices"].append(
        {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "No"})
    add("choice", "first-match-wins", m, {"n": 5}, src, output="yes")
    m = choice_machine({"Variable": "$.n", "NumericGreaterThan": 10})
    m["States"]["C"]["Choices"].append(
        {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "No"})
    del m["States"]["C"]["Default"]
    add("choice", "second-rule", m, {"n": 5}, src, output="no")
    # errors
    add("choice", "missing-variable",
        choice_machine({"Variable": "$.x", "StringEquals": "a"}), {"y": 1},
        DG + "state-choice", error="States.Runtime",
        cause=rt("C", "Invalid path '$.x': The choice state's condition path "
                 "references an invalid value."))
    add("choice", "missing-path-operand",
        choice_machine({"Variable": "$.v", "NumericEqualsPath": "$.o"}),
        {"v": 1}, SPEC, error="States.Runtime")
    add("choice", "no-match-no-default",
        choice_machine({"Variable": "$.v", "StringEquals": "a"},
                       default=False), {"v": "b"}, REC,
        error="States.Runtime")
    add("choice", "stringmatches-bad-escape",
        choice_machine({"Variable": "$.v", "StringMatches": "a\\b"}),
        {"v": "ab"}, SPEC, error="States.Runtime")
    # input and output processing
    m = choice_machine({"Variable": "$.v", "StringEquals": "a"},
                       InputPath="$.in", OutputPath="$.v")
    m["States"]["Yes"] = {"Type": "Pass", "End": True}
    add("choice", "inputpath-outputpath", m, {"in": {"v": "a"}}, src,
        output="a")
    m = choice_machine({"Variable": "$.v", "StringEquals": "a"})
    m["States"]["Yes"] = {"Type": "Pass", "End": True}
    add("choice", "output-is-input", m, {"v": "a", "w": [1]}, src,
        output={"v": "a", "w": [1]})
    add("choice", "context-variable",
        choice_machine({"Variable": "$$.Execution.Name",
                        "StringEquals": "conformance"}), {}, src,
        output="yes")
    add("choice", "variable-indexed",
        choice_machine({"Variable": "$.l[1]", "NumericEquals": 2}),
        {"l": [1, 2]}, src, output="yes")


# ----------------------------------------------------------------- states
def states():
    g = DG + "state-pass"
    add("states", "pass-identity", one({"Type": "Pass"}), {"a": 1}, g,
        output={"a": 1})
    add("states", "pass-result", one({"Type": "Pass", "Result": {"x": 1}}),
        {"a": 1}, g, output={"x": 1})
    add("states", "pass-result-resultpath",
        one({"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r"}),
        {"a": 1}, g, output={"a": 1, "r": {"x": 1}})
    add("states", "pass-result-scalar", one({"Type": "Pass", "Result": 42}),
        {}, g, output=42)
    add("states", "pass-result-static-dollar",
        one({"Type": "Pass", "Result": {"x.$": "$.a"}}), {"a": 1}, REC,
        output={"x.$": "$.a"})
    add("states", "pass-parameters",
        pass_params({"k": "v", "a.$": "$.a"}), {"a": 1, "b": 2}, g,
        output={"k": "v", "a": 1})
    add("states", "pass-result-overrides-parameters",
        one({"Type": "Pass", "Parameters": {"p": 1}, "Result": "r"}), {}, g,
        output="r")
    add("states", "pass-string-input", one({"Type": "Pass"}), "text", g,
        output="text")
    add("states", "pass-number-input", one({"Type": "Pass"}), 7, g, output=7)
    add("states", "pass-array-input", one({"Type": "Pass"}), [1, 2], g,
        output=[1, 2])
    add("states", "pass-null-input", one({"Type": "Pass"}), NULL, g,
        output=None)
    add("states", "pass-chain", chain({"Type": "Pass", "Result": 1,
                                       "ResultPath": "$.a"},
                                      {"Type": "Pass", "Result": 2,
                                       "ResultPath": "$.b"}), {}, g,
        output={"a": 1, "b": 2})
    add("states", "succeed", one({"Type": "Succeed"}), {"a": 1},
        DG + "state-succeed", output={"a": 1})
    add("states", "succeed-paths",
        one({"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}),
        {"a": {"b": 2}}, DG + "state-succeed", output=2)
    f = DG + "state-fail"
    add("states", "fail", one({"Type": "Fail", "Error": "E", "Cause": "C"}),
        {}, f, error="E", cause="C")
    add("states", "fail-no-cause", one({"Type": "Fail", "Error": "E"}), {},
        REC, error="E", cause=None)
    add("states", "fail-errorpath-causepath",
        one({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}),
        {"e": "MyError", "c": "my cause"}, f, error="MyError",
        cause="my cause")
    add("states", "fail-errorpath-missing",
        one({"Type": "Fail", "ErrorPath": "$.X", "Cause": "c"}), {"a": 1},
        REC, error="States.Runtime",
        cause=rt("P", "The JSONPath '$.X' specified for the field "
                 "'ErrorPath' could not be found in the input '{\"a\":1}'"))
    add("states", "fail-errorpath-intrinsic",
        one({"Type": "Fail", "ErrorPath": "States.Format('E{}', $.n)"}),
        {"n": 1}, f, error="E1")
    add("states", "fail-causepath-context",
        one({"Type": "Fail", "Error": "E",
             "CausePath": "$$.Execution.Name"}), {}, f, error="E",
        cause="conformance")
    add("states", "fail-after-pass",
        chain({"Type": "Pass"}, {"Type": "Fail", "Error": "Late"}), {}, f,
        error="Late")
    t = DG + "state-task, connect-lambda"
    add("states", "task-lambda-arn", one(task("echo")), {"a": 1}, t,
        output={"a": 1})
    add("states", "task-lambda-arn-qualified",
        one({"Type": "Task", "Resource": lam("echo") + ":PROD"}), {"a": 1},
        t, output={"a": 1})
    add("states", "task-lambda-invoke",
        one({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Parameters": {"FunctionName": "echo", "Payload.$": "$"},
             "OutputPath": "$.Payload"}), {"a": 1}, t, output={"a": 1})
    add("states", "task-lambda-invoke-shape",
        one({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Parameters": {"FunctionName": lam("echo"), "Payload": {"x": 1}},
             "ResultSelector": {"code.$": "$.StatusCode",
                                "v.$": "$.ExecutedVersion",
                                "p.$": "$.Payload",
                                "http.$": "$.SdkHttpMetadata.HttpStatusCode"}
             }), {}, REC,
        output={"code": 200, "v": "$LATEST", "p": {"x": 1}, "http": 200})
    add("states", "task-parameters", one(task("add", Parameters={
        "a.$": "$.x", "b": 2})), {"x": 40}, t, output=42)
    add("states", "task-resultpath", one(task("add", Parameters={
        "a": 1, "b": 2}, ResultPath="$.sum")), {"x": 0}, t,
        output={"x": 0, "sum": 3})
    add("states", "task-null-result", one(task("null")), {"a": 1}, t,
        output=None)
    add("states", "task-function-error",
        one(task("fail", Parameters={"error": "ValueError",
                                     "cause": "bad value"})), {}, REC,
        error="ValueError",
        cause_prefix='{"errorMessage":"bad value","errorType":"ValueError",')
    add("states", "task-function-not-found", one(task("nonexistent")), {},
        REC, error="Lambda.ResourceNotFoundException",
        cause_prefix="Function not found: arn:aws:lambda:us-east-1:"
        "123456789012:function:nonexistent:$LATEST (Service: AWSLambda; "
        "Status Code: 404; Error Code: ResourceNotFoundException; "
        "Request ID: ")
    w = DG + "state-wait"
    after = {"Type": "Pass", "Parameters": {"t.$": "$$.State.EnteredTime"}}
    add("states", "wait-seconds",
        chain({"Type": "Wait", "Seconds": 10}, after), {}, w,
        output={"t": "2026-01-01T00:00:10Z"})
    add("states", "wait-seconds-zero",
        chain({"Type": "Wait", "Seconds": 0}, after), {}, w,
        output={"t": START})
    add("states", "wait-secondspath",
        chain({"Type": "Wait", "SecondsPath": "$.s"}, after), {"s": 90}, w,
        output={"t": "2026-01-01T00:01:30Z"})
    add("states", "wait-timestamp",
        chain({"Type": "Wait", "Timestamp": "2026-01-01T01:00:00Z"}, after),
        {}, w, output={"t": "2026-01-01T01:00:00Z"})
    add("states", "wait-timestamp-past",
        chain({"Type": "Wait", "Timestamp": "2020-01-01T00:00:00Z"}, after),
        {}, w, output={"t": START})
    add("states", "wait-timestamppath",
        chain({"Type": "Wait", "TimestampPath": "$.ts"}, after),
        {"ts": "2026-01-02T00:00:00Z"}, w,
        output={"t": "2026-01-02T00:00:00Z"})
    add("states", "wait-timestamppath-offset",
        chain({"Type": "Wait", "TimestampPath": "$.ts"}, after),
        {"ts": "2026-01-01T02:00:00+01:00"}, SPEC,
        output={"t": "2026-01-01T01:00:00Z"})
    add("states", "wait-output-is-input",
        one({"Type": "Wait", "Seconds": 1, "InputPath": "$.a",
             "OutputPath": "$.b"}), {"a": {"b": 1}}, w, output=1)
    add("states", "wait-secondspath-negative",
        one({"Type": "Wait", "SecondsPath": "$.p"}), {"p": -1}, REC,
        error="States.Runtime",
        cause=rt("P", "The SecondsPath parameter references a negative "
                 "value: $.p == -1"))
    add("states", "wait-secondspath-real",
        one({"Type": "Wait", "SecondsPath": "$.p"}), {"p": 1.5}, REC,
        error="States.Runtime",
        cause=rt("P", "The SecondsPath parameter cannot be parsed as a long "
                 "value: $.p == 1.5"))
    add("states", "wait-secondspath-string",
        one({"Type": "Wait", "SecondsPath": "$.p"}), {"p": "10"},
        "LS (AWS-recorded snapshots): the value bare after ==",
        error="States.Runtime",
        cause=rt("P", "The SecondsPath parameter cannot be parsed as a long "
                 "value: $.p == 10"))
    add("states", "wait-secondspath-missing",
        one({"Type": "Wait", "SecondsPath": "$.q"}), {"p": 1}, REC,
        error="States.Runtime")
    add("states", "wait-timestamppath-invalid",
        one({"Type": "Wait", "TimestampPath": "$.p"}), {"p": "tomorrow"},
        REC, error="States.Runtime",
        cause=rt("P", "The TimestampPath parameter does not reference a "
                 "valid ISO-8601 extended offset date-time format string: "
                 "$.p == tomorrow"))
    add("states", "wait-timestamppath-no-zone",
        one({"Type": "Wait", "TimestampPath": "$.p"}),
        {"p": "2026-01-01T00:00:00"}, REC, error="States.Runtime")
    add("states", "wait-timestamp-too-far",
        one({"Type": "Wait", "TimestampPath": "$.p"}),
        {"p": "2100-01-01T00:00:00Z"}, REC, error="States.Runtime",
        cause=rt("P", "Wait state delay is too long."))
    add("states", "execution-timeout",
        machine({"W": {"Type": "Wait", "Seconds": 100, "End": True}},
                TimeoutSeconds=10), {}, DG + "sfn-stuck-execution",
        status="TIMED_OUT", error="States.Timeout")
    add("states", "execution-timeout-not-catchable",
        machine({"P": {"Type": "Parallel", "Branches": [branch(
            {"Type": "Wait", "Seconds": 100})], "Catch": [
            {"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": True},
            "C": {"Type": "Pass", "End": True}}, TimeoutSeconds=5), {}, REC,
        status="TIMED_OUT", error="States.Timeout")
    add("states", "execution-within-timeout",
        machine({"W": {"Type": "Wait", "Seconds": 5, "End": True}},
                TimeoutSeconds=10), {"a": 1}, DG + "sfn-stuck-execution",
        output={"a": 1})
    add("states", "comment-everywhere",
        machine({"P": {"Type": "Pass", "Comment": "c", "End": True}},
                Comment="top", Version="1.0"), {"a": 1}, DG + "concepts",
        output={"a": 1})


# --------------------------------------------------------------------- io
def io():
    g = DG + "concepts-input-output-filtering"
    add("io", "inputpath", one({"Type": "Pass", "InputPath": "$.a"}),
        {"a": {"b": 1}}, g, output={"b": 1})
    add("io", "inputpath-null", one({"Type": "Pass", "InputPath": None}),
        {"a": 1}, g, output={})
    add("io", "outputpath-null", one({"Type": "Pass", "OutputPath": None}),
        {"a": 1}, g, output={})
    add("io", "resultpath-null",
        one({"Type": "Pass", "Result": "x", "ResultPath": None}), {"a": 1}, g,
        output={"a": 1})
    add("io", "resultpath-root",
        one({"Type": "Pass", "Result": "x", "ResultPath": "$"}), {"a": 1}, g,
        output="x")
    add("io", "resultpath-nested-create",
        one({"Type": "Pass", "Result": 1, "ResultPath": "$.a.b.c"}),
        {"a": {"x": 0}}, g, output={"a": {"x": 0, "b": {"c": 1}}})
    add("io", "resultpath-replace-member",
        one({"Type": "Pass", "Result": 1, "ResultPath": "$.a"}),
        {"a": {"x": 0}, "z": 2}, g, output={"a": 1, "z": 2})
    add("io", "resultpath-into-raw-input",
        one({"Type": "Pass", "InputPath": "$.sub", "Result": "r",
             "ResultPath": "$.res"}), {"sub": {"x": 1}, "top": 2}, g,
        output={"sub": {"x": 1}, "top": 2, "res": "r"})
    add("io", "resultpath-on-string-input",
        one({"Type": "Pass", "Result": 1, "ResultPath": "$.x"}), "text",
        "AWS docs concepts-error-handling (States.ResultPathMatchFailure)",
        error="States.ResultPathMatchFailure",
        cause="Unable to apply ReferencePath $.x to input \"text\"")
    add("io", "resultpath-through-scalar",
        one({"Type": "Pass", "Result": 1, "ResultPath": "$.a.b"}), {"a": 5},
        SPEC, error="States.ResultPathMatchFailure")
    add("io", "resultpathmatchfailure-catchable",
        machine({"T": task("echo", ResultPath="$.x", End=True, Catch=[
            {"ErrorEquals": ["States.ResultPathMatchFailure"],
             "Next": "C"}]),
            "C": {"Type": "Pass", "End": True}}), "s", SPEC,
        output={"Error": "States.ResultPathMatchFailure",
                "Cause": "Unable to apply ReferencePath $.x to input \"s\""})
    add("io", "full-order",
        one(task("echo", InputPath="$.in", Parameters={"v.$": "$.v",
                                                        "k": "lit"},
                 ResultSelector={"sel.$": "$.v"}, ResultPath="$.res",
                 OutputPath="$.res")),
        {"in": {"v": 5}, "other": 1}, g, output={"sel": 5})
    add("io", "full-order-keeps-raw-input",
        one(task("echo", InputPath="$.in", Parameters={"v.$": "$.v"},
                 ResultPath="$.res")),
        {"in": {"v": 5}, "other": 1}, g,
        output={"in": {"v": 5}, "other": 1, "res": {"v": 5}})
    add("io", "parameters-nested",
        pass_params({"a": {"b": {"c.$": "$.x"}}, "l": [1, {"d.$": "$.y"}]}),
        {"x": 1, "y": 2}, DG + "input-output-inputpath-params",
        output={"a": {"b": {"c": 1}}, "l": [1, {"d": 2}]})
    add("io", "parameters-literal-path-string",
        pass_params({"a": "$.x"}), {"x": 1}, REC, output={"a": "$.x"})
    add("io", "parameters-whole-input",
        pass_params({"all.$": "$"}), {"x": 1}, DG + "input-output-"
        "inputpath-params", output={"all": {"x": 1}})
    add("io", "parameters-empty-object", pass_params({}), {"x": 1},
        SPEC, output={})
    add("io", "parameters-missing-path",
        pass_params({"a.$": "$.nope"}), {"x": 1}, REC,
        error="States.Runtime",
        cause=rt("P", "The JSONPath '$.nope' specified for the field 'a.$' "
                 "could not be found in the input '{\"x\":1}'"))
    add("io", "parameters-missing-nested-field-name",
        pass_params({"o": {"a.$": "$.nope"}}), {}, REC,
        error="States.Runtime",
        cause=rt("P", "The JSONPath '$.nope' specified for the field 'a.$' "
                 "could not be found in the input '{}'"))
    add("io", "resultselector",
        one(task("echo", ResultSelector={"a.$": "$.x", "k": 1})),
        {"x": 9, "y": 8}, DG + "input-output-inputpath-params",
        output={"a": 9, "k": 1})
    add("io", "resultselector-missing-path",
        one(task("echo", ResultSelector={"a.$": "$.nope"})), {"x": 9}, REC,
        error="States.Runtime")
    add("io", "outputpath-after-resultpath",
        one({"Type": "Pass", "Result": {"r": 1}, "ResultPath": "$.res",
             "OutputPath": "$.res.r"}), {}, g, output=1)
    add("io", "object-key-order-preserved",
        one({"Type": "Pass"}), {"z": 1, "a": 2, "m": 3}, REC,
        output_ordered={"z": 1, "a": 2, "m": 3})
    add("io", "parameters-key-order",
        pass_params({"z": 1, "a.$": "$.a", "m": 3}), {"a": 2}, REC,
        output_ordered={"z": 1, "a": 2, "m": 3})
    add("io", "resultpath-appends-new-key-last",
        one({"Type": "Pass", "Result": 0, "ResultPath": "$.b"}),
        {"c": 1, "a": 2}, REC, output_ordered={"c": 1, "a": 2, "b": 0})
    add("io", "unicode-strings", one({"Type": "Pass"}),
        {"s": "naïve ☃ \U0001F600"}, SPEC, output={"s": "naïve ☃ \U0001F600"})
    add("io", "number-output-integer",
        one({"Type": "Pass"}), {"i": 12345678901234}, SPEC,
        output_text='{"i":12345678901234}')
    add("io", "number-output-real",
        one({"Type": "Pass"}), {"r": 0.1}, REC, output_text='{"r":0.1}')
    add("io", "number-output-real-exponent",
        one({"Type": "Pass"}), {"r": 1e20}, SPEC,
        output_text='{"r":1.0E20}')
    add("io", "number-output-real-short",
        pass_params({"r.$": "$.v"}), {"v": 1.5}, REC,
        output_text='{"r":1.5}')
    add("io", "number-in-cause",
        one({"Type": "Pass", "InputPath": "$.x"}), {"r": 0.1}, SPEC,
        error="States.Runtime", cause=rt("P", "Invalid path '$.x' : No "
                                         "results for path: $['x']"))
    add("io", "number-in-cause-dump",
        pass_params({"a.$": "$.x"}), {"r": 0.1}, SPEC,
        error="States.Runtime", cause=rt("P", "The JSONPath '$.x' specified "
                                         "for the field 'a.$' could not be "
                                         "found in the input '{\"r\":0.1}'"))


# ------------------------------------------------------------------ errors
def errors():
    h = DG + "concepts-error-handling"

    def catching(state, catchers, **kw):
        s = dict(state)
        s["Catch"] = catchers
        s.setdefault("End", True)
        m = {"S": s, "C": {"Type": "Pass", "End": True}}
        if any(k.get("Next") == "C2" for k in catchers):
            m["C2"] = {"Type": "Pass", "Result": "second", "End": True}
        return machine(m)

    boom = task("fail", Parameters={"error": "MyError", "cause": "m"})
    # The Lambda cause embeds a request id: check the shape via a Choice.
    m = catching(boom, [{"ErrorEquals": ["MyError"], "Next": "C",
                         "ResultPath": "$.e"}])
    m["States"]["C"] = {"Type": "Pass", "Parameters": {
        "in.$": "$.in", "error.$": "$.e.Error",
        "cause.$": "States.StringToJson($.e.Cause)"},
        "OutputPath": "$", "Next": "C3"}
    m["States"]["C3"] = {"Type": "Pass", "Parameters": {
        "in.$": "$.in", "error.$": "$.error",
        "msg.$": "$.cause.errorMessage", "type.$": "$.cause.errorType"},
        "End": True}
    add("errors", "catch-custom", m, {"in": 1}, REC,
        output={"in": 1, "error": "MyError", "msg": "m", "type": "MyError"})
    fail_state = {"Type": "Parallel", "Branches": [branch(
        {"Type": "Fail", "Error": "MyError", "Cause": "my cause"})]}

    def fails(error, cause="c"):
        return {"Type": "Parallel", "Branches": [branch(
            {"Type": "Fail", "Error": error, "Cause": cause})]}

    add("errors", "catch-resultpath", catching(
        fail_state, [{"ErrorEquals": ["MyError"], "Next": "C",
                      "ResultPath": "$.err"}]), {"in": 1}, h,
        output={"in": 1, "err": {"Error": "MyError", "Cause": "my cause"}})
    add("errors", "catch-default-resultpath", catching(
        fail_state, [{"ErrorEquals": ["MyError"], "Next": "C"}]), {"in": 1},
        h, output={"Error": "MyError", "Cause": "my cause"})
    add("errors", "catch-resultpath-null", catching(
        fail_state, [{"ErrorEquals": ["MyError"], "Next": "C",
                      "ResultPath": None}]), {"in": 1}, h, output={"in": 1})
    st = dict(fail_state, InputPath="$.sub", OutputPath="$.nothing")
    add("errors", "catch-uses-raw-input-no-outputpath", catching(
        st, [{"ErrorEquals": ["MyError"], "Next": "C",
              "ResultPath": "$.err"}]), {"sub": {}, "in": 1}, "LS "
        "(AWS-recorded snapshots)", output={"sub": {}, "in": 1, "err": {
            "Error": "MyError", "Cause": "my cause"}})
    add("errors", "catch-all", catching(
        fail_state, [{"ErrorEquals": ["States.ALL"], "Next": "C"}]), {}, h,
        output={"Error": "MyError", "Cause": "my cause"})
    add("errors", "catch-order", catching(
        fail_state, [{"ErrorEquals": ["Other"], "Next": "C2"},
                     {"ErrorEquals": ["MyError", "X"], "Next": "C"},
                     {"ErrorEquals": ["States.ALL"], "Next": "C2"}]), {}, h,
        output={"Error": "MyError", "Cause": "my cause"})
    add("errors", "catch-first-matching", catching(
        fail_state, [{"ErrorEquals": ["MyError"], "Next": "C2"},
                     {"ErrorEquals": ["MyError"], "Next": "C"}]), {}, h,
        output="second")
    add("errors", "catch-no-match", catching(
        fail_state, [{"ErrorEquals": ["Other"], "Next": "C"}]), {}, h,
        error="MyError", cause="my cause")
    add("errors", "catch-case-sensitive", catching(
        fail_state, [{"ErrorEquals": ["myerror"], "Next": "C"}]), {}, h,
        error="MyError")
    add("errors", "taskfailed-matches-custom", catching(
        fail_state, [{"ErrorEquals": ["States.TaskFailed"], "Next": "C"}]),
        {}, h, output={"Error": "MyError", "Cause": "my cause"})
    add("errors", "taskfailed-not-timeout", catching(
        fails("States.Timeout"), [{"ErrorEquals": ["States.TaskFailed"],
                                   "Next": "C"}]), {}, h,
        error="States.Timeout")
    add("errors", "timeout-explicit", catching(
        fails("States.Timeout"), [{"ErrorEquals": ["States.Timeout"],
                                   "Next": "C"}]), {}, h,
        output={"Error": "States.Timeout", "Cause": "c"})
    add("errors", "all-matches-timeout", catching(
        fails("States.Timeout"), [{"ErrorEquals": ["States.ALL"],
                                   "Next": "C"}]), {}, h,
        output={"Error": "States.Timeout", "Cause": "c"})
    for name in ["States.HeartbeatTimeout", "States.Permissions",
                 "States.ResultPathMatchFailure", "States.ParameterPathFailure",
                 "States.BranchFailed", "States.NoChoiceMatched",
                 "States.IntrinsicFailure", "States.ExceedToleratedFailure"
                 "Threshold", "States.ItemReaderFailed",
                 "States.ResultWriterFailed", "States.QueryEvaluationError",
                 "States.Http.Socket", "States.TaskFailed"]:
        add("errors", "catch-named-" + name[7:].lower().replace(".", "-"),
            catching(fails(name), [{"ErrorEquals": [name], "Next": "C"}]),
            {}, h, output={"Error": name, "Cause": "c"})
        add("errors", "catch-all-" + name[7:].lower().replace(".", "-"),
            catching(fails(name), [{"ErrorEquals": ["States.ALL"],
                                    "Next": "C"}]),
            {}, h, output={"Error": name, "Cause": "c"})
    rt_state = {"Type": "Parallel", "Branches": [branch(
        {"Type": "Pass", "InputPath": "$.missing"})]}
    add("errors", "runtime-not-caught-by-all", catching(
        rt_state, [{"ErrorEquals": ["States.ALL"], "Next": "C"}]), {}, REC,
        error="States.Runtime")
    add("errors", "runtime-not-caught-explicitly", catching(
        rt_state, [{"ErrorEquals": ["States.Runtime"], "Next": "C"}]), {},
        REC, error="States.Runtime")
    add("errors", "runtime-not-caught-by-taskfailed", catching(
        rt_state, [{"ErrorEquals": ["States.TaskFailed"], "Next": "C"}]), {},
        REC, error="States.Runtime")
    add("errors", "runtime-not-retried",
        machine({"S": dict(rt_state, Retry=[{"ErrorEquals": ["States.ALL"]}],
                           End=True)}), {}, REC, error="States.Runtime")
    add("errors", "runtime-in-task-parameters", catching(
        task("echo", Parameters={"a.$": "$.nope"}),
        [{"ErrorEquals": ["States.ALL"], "Next": "C"}]), {}, REC,
        error="States.Runtime",
        cause=rt("S", "The JSONPath '$.nope' specified for the field 'a.$' "
                 "could not be found in the input '{}'"))
    add("errors", "runtime-in-fail-state-uncatchable-in-branch", catching(
        {"Type": "Parallel", "Branches": [branch(
            {"Type": "Fail", "ErrorPath": "$.missing"})]},
        [{"ErrorEquals": ["States.ALL"], "Next": "C"}]), {}, REC,
        error="States.Runtime")
    add("errors", "custom-error-from-fail-in-branch-caught", catching(
        fails("States.Runtime"), [{"ErrorEquals": ["States.ALL"],
                                   "Next": "C"}]), {}, SPEC,
        error="States.Runtime")
    add("errors", "catch-assign-error-output", machine({
        "S": dict(fail_state, Catch=[{"ErrorEquals": ["States.ALL"],
                                      "Next": "C", "Assign": {
                                          "err.$": "$.Error"}}], End=True),
        "C": {"Type": "Pass", "Parameters": {"e.$": "$err"}, "End": True}}),
        {}, DG + "workflow-variables", output={"e": "MyError"})
    add("errors", "catch-then-continue", machine({
        "S": dict(fail_state, Catch=[{"ErrorEquals": ["States.ALL"],
                                      "Next": "C", "ResultPath": "$.e"}],
                  Next="D"),
        "C": {"Type": "Pass", "Result": "recovered", "ResultPath": "$.r",
              "Next": "D"},
        "D": {"Type": "Pass", "OutputPath": "$.r", "End": True}}), {}, h,
        output="recovered")
    m = catching(task("fail", Parameters={"error": "E1"}),
                 [{"ErrorEquals": ["E1"], "Next": "C", "ResultPath": "$.e"}])
    m["States"]["C"] = {"Type": "Pass", "OutputPath": "$.e.Error",
                        "End": True}
    add("errors", "task-error-caught", m, {}, h, output="E1")
    add("errors", "lambda-unknown-function-caught",
        machine({"S": task("nope", Catch=[{"ErrorEquals": [
            "Lambda.ResourceNotFoundException"], "Next": "C"}], End=True),
            "C": {"Type": "Pass", "Result": "caught", "End": True}}), {}, REC,
        output="caught")
    add("errors", "fail-error-output-empty-cause", catching(
        {"Type": "Parallel", "Branches": [branch(
            {"Type": "Fail", "Error": "NoCause"})]},
        [{"ErrorEquals": ["States.ALL"], "Next": "C"}]), {}, "LS "
        "(AWS-recorded snapshots)", output={"Error": "NoCause", "Cause": ""})
    add("errors", "data-limit-task-result",
        one(task("big", Parameters={"size": 300000})), {}, REC,
        error="States.DataLimitExceeded",
        cause="The state/task '%s' returned a result with a size exceeding "
        "the maximum number of bytes service limit." % lam("big"))
    add("errors", "data-limit-not-caught-by-all", catching(
        task("big", Parameters={"size": 300000}),
        [{"ErrorEquals": ["States.ALL"], "Next": "C"}]), {}, REC,
        error="States.DataLimitExceeded")
    add("errors", "data-limit-not-caught-by-taskfailed", catching(
        task("big", Parameters={"size": 300000}),
        [{"ErrorEquals": ["States.TaskFailed"], "Next": "C"}]), {}, REC,
        error="States.DataLimitExceeded")
    add("errors", "data-limit-under",
        one(task("big", Parameters={"size": 250000},
                 ResultSelector={"n.$": "States.ArrayLength(States.Array("
                                        "$))"})), {}, REC, output={"n": 1})
    add("errors", "data-limit-lifted",
        one(task("big", Parameters={"size": 300000},
                 ResultSelector={"n.$": "States.ArrayLength(States.Array("
                                        "$))"})), {}, "asl2c option "
        "(--no-payload-limit)", output={"n": 1}, args=["--no-payload-limit"])
    add("errors", "data-limit-pass-output",
        chain(task("big", Parameters={"size": 200000}, ResultPath="$.a"),
              {"Type": "Pass", "Parameters": {"a.$": "$.a", "b.$": "$.a"}}),
        {}, REC, error="States.DataLimitExceeded")


# ------------------------------------------------------------------- retry
def retry():
    h = DG + "concepts-error-handling"
    after = {"Type": "Pass", "Parameters": {"t.$": "$$.State.EnteredTime",
                                            "r.$": "$.r"}}

    def retried(times, retriers, error="E", **kw):
        t = task("fail_times", Parameters={"times": times, "error": error,
                                           "rc.$": "$$.State.RetryCount"},
                 Retry=retriers, ResultPath="$.r", **kw)
        return chain(t, after)

    add("retry", "succeeds-after-retries",
        retried(2, [{"ErrorEquals": ["E"]}]), {}, h,
        output={"t": "2026-01-01T00:00:03Z",
                "r": {"calls": 3, "event": {"times": 2, "error": "E",
                                            "rc": 2}}})
    add("retry", "default-backoff",
        retried(3, [{"ErrorEquals": ["E"]}]), {}, h,
        output={"t": "2026-01-01T00:00:07Z",
                "r": {"calls": 4, "event": {"times": 3, "error": "E",
                                            "rc": 3}}})
    add("retry", "interval-and-backoff",
        retried(3, [{"ErrorEquals": ["E"], "IntervalSeconds": 2,
                     "BackoffRate": 3}]), {}, h,
        output={"t": "2026-01-01T00:00:26Z",
                "r": {"calls": 4, "event": {"times": 3, "error": "E",
                                            "rc": 3}}})
    add("retry", "backoff-one",
        retried(3, [{"ErrorEquals": ["E"], "IntervalSeconds": 5,
                     "BackoffRate": 1}]), {}, h,
        output={"t": "2026-01-01T00:00:15Z",
                "r": {"calls": 4, "event": {"times": 3, "error": "E",
                                            "rc": 3}}})
    add("retry", "backoff-fraction",
        retried(2, [{"ErrorEquals": ["E"], "IntervalSeconds": 2,
                     "BackoffRate": 1.5}]), {}, h,
        output={"t": "2026-01-01T00:00:05Z",
                "r": {"calls": 3, "event": {"times": 2, "error": "E",
                                            "rc": 2}}})
    add("retry", "max-delay",
        retried(3, [{"ErrorEquals": ["E"], "IntervalSeconds": 2,
                     "BackoffRate": 3, "MaxDelaySeconds": 5}]), {}, h,
        output={"t": "2026-01-01T00:00:12Z",
                "r": {"calls": 4, "event": {"times": 3, "error": "E",
                                            "rc": 3}}})
    add("retry", "max-attempts-exhausted",
        retried(3, [{"ErrorEquals": ["E"], "MaxAttempts": 2}]), {}, h,
        error="E",
        cause_prefix='{"errorMessage":"failure 3","errorType":"E",')
    add("retry", "max-attempts-zero",
        retried(1, [{"ErrorEquals": ["E"], "MaxAttempts": 0}]), {}, h,
        error="E",
        cause_prefix='{"errorMessage":"failure 1","errorType":"E",')
    add("retry", "not-matching",
        retried(1, [{"ErrorEquals": ["Other"]}]), {}, h, error="E",
        cause_prefix='{"errorMessage":"failure 1","errorType":"E",')
    add("retry", "retry-all",
        retried(1, [{"ErrorEquals": ["States.ALL"]}]), {}, h,
        output={"t": "2026-01-01T00:00:01Z",
                "r": {"calls": 2, "event": {"times": 1, "error": "E",
                                            "rc": 1}}})
    add("retry", "retry-taskfailed",
        retried(1, [{"ErrorEquals": ["States.TaskFailed"]}]), {}, h,
        output={"t": "2026-01-01T00:00:01Z",
                "r": {"calls": 2, "event": {"times": 1, "error": "E",
                                            "rc": 1}}})
    add("retry", "first-matching-retrier-used",
        retried(2, [{"ErrorEquals": ["E"], "IntervalSeconds": 10,
                     "BackoffRate": 1},
                    {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}]),
        {}, h, output={"t": "2026-01-01T00:00:20Z",
                       "r": {"calls": 3, "event": {"times": 2, "error": "E",
                                                   "rc": 2}}})
    # The spec's example: retriers [A,B] MaxAttempts 2 and [C]; errors A, B,
    # C, B: the 4th error exhausts the first retrier.
    seq = task("fail_seq", Parameters={"errors": ["A", "B", "C", "B"]},
               Retry=[{"ErrorEquals": ["A", "B"], "MaxAttempts": 2},
                      {"ErrorEquals": ["C"], "MaxAttempts": 5}],
               Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught",
                       "ResultPath": "$.e"}], End=True)
    add("retry", "counter-per-retrier", machine({
        "S": seq, "Caught": {"Type": "Pass", "OutputPath": "$.e.Error",
                             "End": True}}), {}, "spec (Retry example)",
        output="B")
    seq2 = dict(seq, Parameters={"errors": ["A", "C", "B", "C"]})
    add("retry", "counter-per-retrier-succeeds", machine({
        "S": seq2, "Caught": {"Type": "Pass", "OutputPath": "$.e.Error",
                              "End": True}}), {}, "spec (Retry example)",
        output={"calls": 5})
    add("retry", "then-catch", machine({
        "S": task("fail_times", Parameters={"times": 5, "error": "E"},
                  Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 2}],
                  Catch=[{"ErrorEquals": ["E"], "Next": "C",
                          "ResultPath": "$.err"}], End=True),
        "C": {"Type": "Pass", "Parameters": {
            "cause.$": "States.StringToJson($.err.Cause)",
            "t.$": "$$.State.EnteredTime"}, "OutputPath": "$.cause.errorMessage",
            "End": True}}), {}, h, output="failure 3")
    add("retry", "retrycount-zero-first-try",
        one(task("echo", Parameters={"rc.$": "$$.State.RetryCount"})), {},
        DG + "input-output-contextobject", output={"rc": 0})
    add("retry", "parallel-retried", machine({
        "P": {"Type": "Parallel", "Branches": [branch(
            task("fail_times", Parameters={"times": 1, "error": "E"}))],
            "Retry": [{"ErrorEquals": ["E"]}], "End": True}}), {}, h,
        output=[{"calls": 2, "event": {"times": 1, "error": "E"}}])
    add("retry", "map-retried-reruns-all", machine({
        "M": {"Type": "Map", "ItemProcessor": branch(
            task("fail_times", Parameters={"times": 1, "error": "E",
                                           "i.$": "$"})),
            "MaxConcurrency": 1,
            "Retry": [{"ErrorEquals": ["E"]}], "End": True}}), [10, 20],
        DG + "state-map-inline",
        output=[{"calls": 2, "event": {"times": 1, "error": "E", "i": 10}},
                {"calls": 3, "event": {"times": 1, "error": "E", "i": 20}}])
    add("retry", "jitter-full-still-retries",
        chain(task("fail_times", Parameters={"times": 2, "error": "E"},
                   Retry=[{"ErrorEquals": ["E"], "JitterStrategy": "FULL"}],
                   ResultPath="$.r"), {"Type": "Pass", "OutputPath": "$.r"}),
        {}, h, output={"calls": 3, "event": {"times": 2, "error": "E"}})


# --------------------------------------------------------------------- map
def maps():
    g = DG + "state-map-inline"

    def mp(proc, **kw):
        s = {"Type": "Map", "ItemProcessor": proc, "End": True}
        s.update(kw)
        return machine({"M": s})

    ident = branch({"Type": "Pass"})
    add("map", "basic", mp(ident), [1, 2, 3], g, output=[1, 2, 3])
    add("map", "itemspath", mp(ident, ItemsPath="$.items"),
        {"items": [{"a": 1}, {"a": 2}]}, g, output=[{"a": 1}, {"a": 2}])
    add("map", "empty", mp(ident, ItemsPath="$.items"), {"items": []}, g,
        output=[])
    add("map", "order-kept", mp(branch(
        {"Type": "Wait", "SecondsPath": "$"}), MaxConcurrency=0),
        [3, 1, 2], g, output=[3, 1, 2])
    add("map", "task-per-item", mp(branch(task("add", Parameters={
        "a.$": "$", "b": 10}))), [1, 2], g, output=[11, 12])
    add("map", "itemselector", mp(ident, ItemsPath="$.l", ItemSelector={
        "idx.$": "$$.Map.Item.Index", "val.$": "$$.Map.Item.Value",
        "k.$": "$.k", "lit": 1}), {"l": ["a", "b"], "k": "K"}, g,
        output=[{"idx": 0, "val": "a", "k": "K", "lit": 1},
                {"idx": 1, "val": "b", "k": "K", "lit": 1}])
    add("map", "legacy-parameters", mp(ident, ItemsPath="$.l", Parameters={
        "idx.$": "$$.Map.Item.Index", "val.$": "$$.Map.Item.Value"}),
        {"l": ["a", "b"]}, DG + "state-map (Parameters, deprecated)",
        output=[{"idx": 0, "val": "a"}, {"idx": 1, "val": "b"}])
    add("map", "legacy-iterator",
        machine({"M": {"Type": "Map", "Iterator": ident, "End": True}}),
        [1, 2], DG + "state-map (Iterator, deprecated)", output=[1, 2])
    add("map", "max-concurrency-1", mp(branch(task("calls")),
                                       MaxConcurrency=1), [0, 0, 0], g,
        output=[1, 2, 3])
    add("map", "max-concurrency-path", mp(ident, MaxConcurrencyPath="$.mc",
                                          ItemsPath="$.l"),
        {"mc": 2, "l": [1, 2]}, g, output=[1, 2])
    add("map", "max-concurrency-path-invalid",
        mp(ident, MaxConcurrencyPath="$.mc", ItemsPath="$.l"),
        {"mc": "x", "l": [1]}, REC, error="States.Runtime",
        cause=rt("M", "The MaxConcurrencyPath field refers to value \"x\" "
                 "which is not a valid integer: $.mc"))
    add("map", "resultselector-resultpath", mp(
        ident, ResultSelector={"n.$": "States.ArrayLength($)"},
        ResultPath="$.res", ItemsPath="$.l"), {"l": [1, 2, 3]}, g,
        output={"l": [1, 2, 3], "res": {"n": 3}})
    add("map", "inputpath-outputpath", mp(ident, InputPath="$.in",
                                          OutputPath="$[1]"),
        {"in": ["x", "y"]}, g, output="y")
    add("map", "not-an-array", mp(ident, ItemsPath="$.l"), {"l": {"a": 1}},
        SPEC, error="States.Runtime")
    add("map", "itemspath-missing", mp(ident, ItemsPath="$.l"), {"x": 1},
        REC, error="States.Runtime")
    add("map", "iteration-fails", mp(branch(
        {"Type": "Fail", "Error": "ItemError", "Cause": "bad item"})),
        [1, 2], REC, error="ItemError", cause="bad item")
    add("map", "iteration-task-fails", mp(branch(task("fail", Parameters={
        "error": "TaskError"}))), [1], REC, error="TaskError")
    add("map", "iteration-failure-caught", machine({
        "M": {"Type": "Map", "ItemProcessor": branch(
            {"Type": "Fail", "Error": "ItemError", "Cause": "bad"}),
            "Catch": [{"ErrorEquals": ["ItemError"], "Next": "C",
                       "ResultPath": "$.err"}], "ItemsPath": "$.l",
            "End": True},
        "C": {"Type": "Pass", "End": True}}), {"l": [1]}, g,
        output={"l": [1], "err": {"Error": "ItemError", "Cause": "bad"}})
    add("map", "iteration-runtime-error-uncatchable", machine({
        "M": {"Type": "Map", "ItemProcessor": branch(
            {"Type": "Pass", "InputPath": "$.nope"}),
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}],
            "End": True},
        "C": {"Type": "Pass", "End": True}}), [1], REC,
        error="States.Runtime")
    add("map", "succeed-ends-iteration", mp({"StartAt": "Ok", "States": {
        "Ok": {"Type": "Succeed", "OutputPath": "$.v"}}}),
        [{"v": 1}, {"v": 2}], g, output=[1, 2])
    add("map", "choice-inside", mp({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$", "NumericGreaterThan": 1, "Next": "Big"}],
            "Default": "Small"},
        "Big": {"Type": "Pass", "Result": "big", "End": True},
        "Small": {"Type": "Pass", "Result": "small", "End": True}}}),
        [1, 2], g, output=["small", "big"])
    add("map", "nested", mp(branch({"Type": "Map", "ItemProcessor": branch(
        {"Type": "Pass"})})), [[1, 2], [3]], g, output=[[1, 2], [3]])
    add("map", "nested-map-item-context", mp(branch(
        {"Type": "Map", "ItemsPath": "$.l", "ItemSelector": {
            "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"},
         "ItemProcessor": branch({"Type": "Pass"})}), ItemsPath="$.outer"),
        {"outer": [{"l": ["a"]}, {"l": ["b", "c"]}]}, g,
        output=[[{"i": 0, "v": "a"}], [{"i": 0, "v": "b"}, {"i": 1,
                                                           "v": "c"}]])
    add("map", "parallel-inside", mp(branch({"Type": "Parallel", "Branches": [
        branch({"Type": "Pass"}), branch({"Type": "Pass", "Result": 0})]})),
        [1, 2], g, output=[[1, 0], [2, 0]])
    add("map", "map-item-context-not-in-processor", mp(branch(
        {"Type": "Pass", "Parameters": {"i.$": "$$.Map.Item.Index"}})), [1],
        DG + "input-output-contextobject", error="States.Runtime")
    add("map", "iterations-time-concurrent", machine({
        "M": {"Type": "Map", "ItemProcessor": branch(
            {"Type": "Wait", "SecondsPath": "$"}), "Next": "T"},
        "T": {"Type": "Pass", "Parameters": {
            "t.$": "$$.State.EnteredTime"}, "End": True}}), [5, 10], g,
        output={"t": "2026-01-01T00:00:10Z"})
    add("map", "iterations-time-sequential", machine({
        "M": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": branch(
            {"Type": "Wait", "SecondsPath": "$"}), "Next": "T"},
        "T": {"Type": "Pass", "Parameters": {
            "t.$": "$$.State.EnteredTime"}, "End": True}}), [5, 10], SPEC,
        output={"t": "2026-01-01T00:00:15Z"})
    d = DG + "state-map-distributed, input-output-itembatcher"
    dist = {"ProcessorConfig": {"Mode": "DISTRIBUTED",
                                "ExecutionType": "STANDARD"}}

    def dproc(*states):
        b = branch(*states)
        b.update(dist)
        return b

    add("map", "distributed-basic", mp(dproc({"Type": "Pass"})), [1, 2], d,
        output=[1, 2])
    add("map", "itembatcher-max-items", mp(dproc({"Type": "Pass"}),
                                           ItemBatcher={"MaxItemsPerBatch":
                                                        2}),
        [1, 2, 3, 4, 5], d,
        output=[{"Items": [1, 2]}, {"Items": [3, 4]}, {"Items": [5]}])
    add("map", "itembatcher-batch-input", mp(
        dproc({"Type": "Pass"}), ItemsPath="$.l", ItemBatcher={
            "MaxItemsPerBatch": 3, "BatchInput": {"k.$": "$.k", "c": 1}}),
        {"l": [1, 2, 3, 4], "k": "v"}, d,
        output=[{"BatchInput": {"k": "v", "c": 1}, "Items": [1, 2, 3]},
                {"BatchInput": {"k": "v", "c": 1}, "Items": [4]}])
    add("map", "itembatcher-max-items-path", mp(
        dproc({"Type": "Pass"}), ItemsPath="$.l", ItemBatcher={
            "MaxItemsPerBatchPath": "$.n"}), {"l": [1, 2, 3], "n": 2}, d,
        output=[{"Items": [1, 2]}, {"Items": [3]}])
    add("map", "itembatcher-max-bytes", mp(
        dproc({"Type": "Pass"}), ItemBatcher={"MaxInputBytesPerBatch": 25}),
        ["aaaa", "bbbb", "cccc", "dddd"], d,
        output=[{"Items": ["aaaa", "bbbb"]}, {"Items": ["cccc", "dddd"]}])
    add("map", "itembatcher-itemselector", mp(
        dproc({"Type": "Pass"}), ItemSelector={"v.$": "$$.Map.Item.Value"},
        ItemBatcher={"MaxItemsPerBatch": 2}), [1, 2, 3], d,
        output=[{"Items": [{"v": 1}, {"v": 2}]}, {"Items": [{"v": 3}]}])
    add("map", "itembatcher-empty", mp(dproc({"Type": "Pass"}),
                                       ItemBatcher={"MaxItemsPerBatch": 2}),
        [], d, output=[])
    add("map", "tolerated-count-ok", mp(dproc(
        {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 0,
                                        "Next": "F"}], "Default": "OK"}),
        ToleratedFailureCount=1), [1, 0, 2], d,
        output=None)
    st = AREAS["map"][-1][1]["States"]["M"]["ItemProcessor"]["States"]
    st["F"] = {"Type": "Fail", "Error": "Zero", "Cause": "zero"}
    st["OK"] = {"Type": "Pass", "End": True}
    AREAS["map"][-1][3].pop("output")
    AREAS["map"][-1][3]["output"] = [1, {"Error": "Zero", "Cause": "zero"},
                                     2]
    AREAS["map"][-1][3]["source"] = SPEC

    def zero_fails(**kw):
        m = mp(dproc({"Type": "Choice", "Choices": [
            {"Variable": "$", "NumericEquals": 0, "Next": "F"}],
            "Default": "OK"}), **kw)
        s = m["States"]["M"]["ItemProcessor"]["States"]
        s["F"] = {"Type": "Fail", "Error": "Zero", "Cause": "zero"}
        s["OK"] = {"Type": "Pass", "End": True}
        return m

    add("map", "tolerated-count-exceeded",
        zero_fails(ToleratedFailureCount=1), [0, 0, 2], REC,
        error="States.ExceedToleratedFailureThreshold",
        cause="The specified tolerated failure threshold was exceeded")
    add("map", "tolerated-percentage-ok",
        zero_fails(ToleratedFailurePercentage=50), [0, 1, 2, 0], d,
        output=[{"Error": "Zero", "Cause": "zero"}, 1, 2,
                {"Error": "Zero", "Cause": "zero"}])
    AREAS["map"][-1][3]["source"] = SPEC
    add("map", "tolerated-percentage-exceeded",
        zero_fails(ToleratedFailurePercentage=25), [0, 1, 2, 0], REC,
        error="States.ExceedToleratedFailureThreshold")
    add("map", "tolerated-none-fails-fast",
        zero_fails(), [1, 0], REC, error="Zero", cause="zero")
    add("map", "tolerated-count-path-negative",
        zero_fails(ToleratedFailureCountPath="$.n", ItemsPath="$.l"),
        {"n": -1, "l": [1]}, REC, error="States.Runtime",
        cause=rt("M", "ToleratedFailureCount cannot be negative."))
    add("map", "tolerated-percentage-path-out-of-range",
        zero_fails(ToleratedFailurePercentagePath="$.p", ItemsPath="$.l"),
        {"p": 101, "l": [1]}, REC, error="States.Runtime",
        cause=rt("M", "ToleratedFailurePercentage must be between 0 and "
                 "100."))
    add("map", "itemselector-missing-path", mp(ident, ItemSelector={
        "a.$": "$.nope"}), [1], REC, error="States.Runtime")


# ---------------------------------------------------------------- parallel
def parallel():
    g = DG + "state-parallel"

    def par(*branches, **kw):
        s = {"Type": "Parallel", "Branches": list(branches), "End": True}
        s.update(kw)
        return machine({"P": s})

    add("parallel", "basic", par(branch({"Type": "Pass", "Result": 1}),
                                 branch({"Type": "Pass", "Result": 2})), {}, g,
        output=[1, 2])
    add("parallel", "same-input", par(branch({"Type": "Pass"}),
                                      branch({"Type": "Pass",
                                              "OutputPath": "$.a"})),
        {"a": 1}, g, output=[{"a": 1}, 1])
    add("parallel", "order-is-branch-order", par(
        branch({"Type": "Wait", "Seconds": 5}, {"Type": "Pass",
                                                "Result": "slow"}),
        branch({"Type": "Pass", "Result": "fast"})), {}, g,
        output=["slow", "fast"])
    add("parallel", "parameters", par(branch({"Type": "Pass"}),
                                      Parameters={"x.$": "$.a"}), {"a": 1}, g,
        output=[{"x": 1}])
    add("parallel", "resultselector-resultpath", par(
        branch({"Type": "Pass", "Result": {"v": 1}}),
        branch({"Type": "Pass", "Result": {"v": 2}}),
        ResultSelector={"first.$": "$[0].v", "second.$": "$[1].v"},
        ResultPath="$.r"), {"in": 0}, g,
        output={"in": 0, "r": {"first": 1, "second": 2}})
    add("parallel", "outputpath", par(branch({"Type": "Pass", "Result": 1}),
                                      OutputPath="$[0]"), {}, g, output=1)
    add("parallel", "branch-fails-own-error", par(
        branch({"Type": "Pass"}),
        branch({"Type": "Fail", "Error": "FailureType", "Cause": "why"})),
        {}, REC, error="FailureType", cause="why")
    add("parallel", "branch-task-fails", par(
        branch(task("fail", Parameters={"error": "TaskErr"}))), {}, REC,
        error="TaskErr")
    add("parallel", "branch-failure-caught", machine({
        "P": {"Type": "Parallel", "Branches": [branch(
            {"Type": "Fail", "Error": "E", "Cause": "c"})],
            "Catch": [{"ErrorEquals": ["E"], "Next": "C",
                       "ResultPath": "$.err"}], "End": True},
        "C": {"Type": "Pass", "End": True}}), {"x": 1}, g,
        output={"x": 1, "err": {"Error": "E", "Cause": "c"}})
    add("parallel", "branch-runtime-error", par(
        branch({"Type": "Pass", "InputPath": "$.nope"}, prefix="In")), {},
        REC, error="States.Runtime",
        cause_prefix="An error occurred while executing the state 'In0' ")
    add("parallel", "succeed-in-branch", par(
        branch({"Type": "Succeed"}), branch({"Type": "Pass",
                                             "Result": 2})), {"a": 1}, g,
        output=[{"a": 1}, 2])
    add("parallel", "nested", par(branch({"Type": "Parallel", "Branches": [
        branch({"Type": "Pass", "Result": "a"}),
        branch({"Type": "Pass", "Result": "b"})]}),
        branch({"Type": "Pass", "Result": "c"})), {}, g,
        output=[["a", "b"], "c"])
    add("parallel", "map-in-branch", par(branch(
        {"Type": "Map", "ItemsPath": "$.l", "ItemProcessor": branch(
            {"Type": "Pass"})})), {"l": [1, 2]}, g, output=[[1, 2]])
    add("parallel", "branches-time-concurrent", machine({
        "P": {"Type": "Parallel", "Branches": [
            branch({"Type": "Wait", "Seconds": 5}),
            branch({"Type": "Wait", "Seconds": 20})], "Next": "T"},
        "T": {"Type": "Pass", "Parameters": {
            "t.$": "$$.State.EnteredTime"}, "End": True}}), {}, g,
        output={"t": "2026-01-01T00:00:20Z"})
    add("parallel", "multi-state-branch", par(branch(
        {"Type": "Pass", "Result": 1, "ResultPath": "$.a"},
        {"Type": "Pass", "Result": 2, "ResultPath": "$.b"},
        {"Type": "Pass", "OutputPath": "$.b"})), {}, g, output=[2])
    add("parallel", "choice-in-branch", par(
        {"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.v", "IsPresent": True, "Next": "Y"}],
                "Default": "N"},
            "Y": {"Type": "Pass", "Result": "y", "End": True},
            "N": {"Type": "Pass", "Result": "n", "End": True}}}),
        {"v": 0}, g, output=["y"])
    add("parallel", "context-state-name-in-branch", par(branch(
        {"Type": "Pass", "Parameters": {"n.$": "$$.State.Name"}})), {}, g,
        output=[{"n": "P0"}])
    AREAS["parallel"][-1][1]["States"]["P"]["Branches"][0] = {
        "StartAt": "Inner", "States": {"Inner": {
            "Type": "Pass", "Parameters": {"n.$": "$$.State.Name"},
            "End": True}}}
    AREAS["parallel"][-1][3]["output"] = [{"n": "Inner"}]


# --------------------------------------------------------------- variables
def variables():
    g = DG + "workflow-variables"
    add("variables", "assign-and-read", chain(
        {"Type": "Pass", "Assign": {"x": 1, "s": "str"}},
        {"Type": "Pass", "Parameters": {"x.$": "$x", "s.$": "$s"}}), {}, g,
        output={"x": 1, "s": "str"})
    add("variables", "assign-from-input", chain(
        {"Type": "Pass", "Assign": {"v.$": "$.a"}},
        {"Type": "Pass", "Parameters": {"v.$": "$v"}}), {"a": [1]}, g,
        output={"v": [1]})
    add("variables", "assign-not-in-output", chain(
        {"Type": "Pass", "Assign": {"v": 1}}), {"a": 1}, g, output={"a": 1})
    add("variables", "swap", chain(
        {"Type": "Pass", "Assign": {"a": 1, "b": 2}},
        {"Type": "Pass", "Assign": {"a.$": "$b", "b.$": "$a"}},
        {"Type": "Pass", "Parameters": {"a.$": "$a", "b.$": "$b"}}), {}, g,
        output={"a": 2, "b": 1})
    add("variables", "rhs-sees-entry-values", chain(
        {"Type": "Pass", "Assign": {"x": "old"}},
        {"Type": "Pass", "Assign": {"x": "new", "y.$": "$x"}},
        {"Type": "Pass", "Parameters": {"x.$": "$x", "y.$": "$y"}}), {}, g,
        output={"x": "new", "y": "old"})
    add("variables", "not-visible-in-same-state", chain(
        {"Type": "Pass", "Assign": {"x": "old"}},
        {"Type": "Pass", "Assign": {"x": "new"},
         "Parameters": {"p.$": "$x"}}), {}, g, output={"p": "old"})
    add("variables", "field-and-index", chain(
        {"Type": "Pass", "Assign": {"o": {"l": [5, 6]}}},
        {"Type": "Pass", "Parameters": {"a.$": "$o.l[1]",
                                        "b.$": "$o['l'][0]"}}), {}, g,
        output={"a": 6, "b": 5})
    add("variables", "undefined-reference", chain(
        {"Type": "Pass", "Parameters": {"a.$": "$nope"}}), {}, g,
        error="States.Runtime",
        cause_prefix="An error occurred while executing the state 'P0' "
        "(entered at the event id #2). ")
    add("variables", "task-assign-raw-result", chain(
        task("echo", Parameters={"r": 1}, ResultSelector={"sel": True},
             ResultPath="$.x", Assign={"raw.$": "$"}),
        {"Type": "Pass", "Parameters": {"raw.$": "$raw", "out.$": "$"}}),
        {"in": 0}, g, output={"raw": {"r": 1},
                              "out": {"in": 0, "x": {"sel": True}}})
    add("variables", "resultselector-sees-old-value", chain(
        {"Type": "Pass", "Assign": {"x": "old"}},
        task("echo", Assign={"x": "new"}, ResultSelector={"x.$": "$x"})),
        {}, g, output={"x": "old"})
    add("variables", "pass-assign-dollar-is-result", chain(
        {"Type": "Pass", "Result": {"r": 1}, "ResultPath": "$.res",
         "Assign": {"v.$": "$.r"}},
        {"Type": "Pass", "Parameters": {"v.$": "$v"}}), {}, g,
        output={"v": 1})
    add("variables", "pass-assign-dollar-is-effective-input", chain(
        {"Type": "Pass", "InputPath": "$.in", "Assign": {"v.$": "$.a"}},
        {"Type": "Pass", "Parameters": {"v.$": "$v"}}), {"in": {"a": 3}}, g,
        output={"v": 3})
    add("variables", "wait-assign", chain(
        {"Type": "Wait", "Seconds": 1, "Assign": {"w.$": "$.a"}},
        {"Type": "Pass", "Parameters": {"w.$": "$w"}}), {"a": 4}, g,
        output={"w": 4})
    cm = machine({
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.v", "NumericGreaterThan": 1, "Next": "D",
             "Assign": {"which": "rule", "val.$": "$.v"}}],
            "Default": "D", "Assign": {"which": "default"}},
        "D": {"Type": "Pass", "Parameters": {"which.$": "$which"},
              "End": True}})
    add("variables", "choice-rule-assign", cm, {"v": 5}, g,
        output={"which": "rule"})
    add("variables", "choice-default-assign", cm, {"v": 0}, g,
        output={"which": "default"})
    add("variables", "choice-variable-is-variable", machine({
        "A": {"Type": "Pass", "Assign": {"n": 3}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$n", "NumericEquals": 3, "Next": "Y"}],
            "Default": "N"},
        "Y": {"Type": "Pass", "Result": "y", "End": True},
        "N": {"Type": "Pass", "Result": "n", "End": True}}), {}, g,
        output="y")
    add("variables", "intrinsic-arg", chain(
        {"Type": "Pass", "Assign": {"l": [1, 2, 3]}},
        {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($l)"}}),
        {}, g, output={"n": 3})
    add("variables", "assign-intrinsic", chain(
        {"Type": "Pass", "Assign": {"s.$": "States.Format('{}-{}', $.a, 1)"}},
        {"Type": "Pass", "Parameters": {"s.$": "$s"}}), {"a": "x"}, g,
        output={"s": "x-1"})
    add("variables", "assign-context", chain(
        {"Type": "Pass", "Assign": {"n.$": "$$.State.Name"}},
        {"Type": "Pass", "Parameters": {"n.$": "$n"}}), {}, g,
        output={"n": "P0"})
    add("variables", "map-reads-outer", machine({
        "A": {"Type": "Pass", "Assign": {"k": 10}, "Next": "M"},
        "M": {"Type": "Map", "ItemProcessor": branch(
            {"Type": "Pass", "Parameters": {"i.$": "$", "k.$": "$k"}}),
            "End": True}}), [1, 2], g,
        output=[{"i": 1, "k": 10}, {"i": 2, "k": 10}])
    add("variables", "map-itemselector-reads-outer", machine({
        "A": {"Type": "Pass", "Assign": {"k": 10}, "Next": "M"},
        "M": {"Type": "Map", "ItemSelector": {"k.$": "$k",
                                             "v.$": "$$.Map.Item.Value"},
              "ItemProcessor": branch({"Type": "Pass"}), "End": True}}),
        [1], g, output=[{"k": 10, "v": 1}])
    add("variables", "map-iteration-scope-private", machine({
        "M": {"Type": "Map", "ItemProcessor": branch(
            {"Type": "Pass", "Assign": {"mine.$": "$"}},
            {"Type": "Pass", "Parameters": {"m.$": "$mine"}}),
            "MaxConcurrency": 1, "End": True}}), [1, 2], g,
        output=[{"m": 1}, {"m": 2}])
    add("variables", "map-inner-not-visible-after", machine({
        "M": {"Type": "Map", "ItemProcessor": branch(
            {"Type": "Pass", "Assign": {"inner": 1}}), "Next": "R"},
        "R": {"Type": "Pass", "Parameters": {"v.$": "$inner"},
              "End": True}}), [1], g, error="States.Runtime")
    add("variables", "parallel-branch-reads-outer", machine({
        "A": {"Type": "Pass", "Assign": {"k": "K"}, "Next": "P"},
        "P": {"Type": "Parallel", "Branches": [
            branch({"Type": "Pass", "Parameters": {"k.$": "$k"}}),
            branch({"Type": "Pass", "Parameters": {"k.$": "$k"}})],
            "End": True}}), {}, g, output=[{"k": "K"}, {"k": "K"}])
    add("variables", "parallel-inner-not-visible-after", machine({
        "P": {"Type": "Parallel", "Branches": [
            branch({"Type": "Pass", "Assign": {"inner": 1}})],
            "Next": "R"},
        "R": {"Type": "Pass", "Parameters": {"v.$": "$inner"},
              "End": True}}), {}, g, error="States.Runtime")
    add("variables", "parallel-assign-outer-scope", machine({
        "P": {"Type": "Parallel", "Branches": [
            branch({"Type": "Pass", "Result": 7})],
            "Assign": {"first.$": "$[0]"}, "Next": "R"},
        "R": {"Type": "Pass", "Parameters": {"v.$": "$first"},
              "End": True}}), {}, g, output={"v": 7})
    add("variables", "map-assign-raw-result", machine({
        "M": {"Type": "Map", "ItemProcessor": branch({"Type": "Pass"}),
              "Assign": {"n.$": "States.ArrayLength($)"},
              "ResultPath": None, "Next": "R"},
        "R": {"Type": "Pass", "Parameters": {"n.$": "$n"},
              "End": True}}), [1, 2, 3], g, output={"n": 3})
    add("variables", "catcher-assign", machine({
        "T": task("fail", Parameters={"error": "E"}, Assign={"x": "task"},
                  Catch=[{"ErrorEquals": ["E"], "Next": "R",
                          "Assign": {"x": "catcher", "e.$": "$.Error"}}],
                  End=True),
        "R": {"Type": "Pass", "Parameters": {"x.$": "$x", "e.$": "$e"},
              "End": True}}), {}, g, output={"x": "catcher", "e": "E"})
    add("variables", "failed-state-assign-not-applied", machine({
        "A": {"Type": "Pass", "Assign": {"x": "before"}, "Next": "T"},
        "T": task("fail", Parameters={"error": "E"}, Assign={"x": "task"},
                  Catch=[{"ErrorEquals": ["E"], "Next": "R"}], End=True),
        "R": {"Type": "Pass", "Parameters": {"x.$": "$x"},
              "End": True}}), {}, g, output={"x": "before"})
    add("variables", "overwrite", chain(
        {"Type": "Pass", "Assign": {"x": 1}},
        {"Type": "Pass", "Assign": {"x": 2}},
        {"Type": "Pass", "Parameters": {"x.$": "$x"}}), {}, g,
        output={"x": 2})
    add("variables", "assign-null-and-objects", chain(
        {"Type": "Pass", "Assign": {"n": None, "o": {"a": [1, {"b.$":
                                                              "$.v"}]}}},
        {"Type": "Pass", "Parameters": {"n.$": "$n", "o.$": "$o"}}),
        {"v": 2}, g, output={"n": None, "o": {"a": [1, {"b": 2}]}})
    add("variables", "inputpath-variable", chain(
        {"Type": "Pass", "Assign": {"o": {"a": 1}}},
        {"Type": "Pass", "InputPath": "$o"}), {}, g, output={"a": 1})
    add("variables", "items-path-variable", machine({
        "A": {"Type": "Pass", "Assign": {"l": [1, 2]}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$l",
              "ItemProcessor": branch({"Type": "Pass"}), "End": True}}), {},
        g, output=[1, 2])


# ----------------------------------------------------------------- context
def context():
    g = DG + "input-output-contextobject"

    def ctx(name, path, want, inp=None, source=g):
        add("context", name, pass_params({"v.$": path}), inp, source,
            output={"v": want})

    ctx("execution-name", "$$.Execution.Name", "conformance")
    ctx("execution-id", "$$.Execution.Id",
        "arn:aws:states:us-east-1:000000000000:execution:execution-id:"
        "conformance")
    ctx("execution-input", "$$.Execution.Input", {"a": [1]}, {"a": [1]})
    ctx("execution-input-member", "$$.Execution.Input.a", [1], {"a": [1]})
    ctx("execution-start-time", "$$.Execution.StartTime", START)
    ctx("execution-redrive-count", "$$.Execution.RedriveCount", 0)
    ctx("execution-role-arn-is-string",
        "States.ArrayLength(States.Array($$.Execution.RoleArn))", 1)
    ctx("state-name", "$$.State.Name", "P")
    ctx("state-entered-time", "$$.State.EnteredTime", START)
    ctx("state-retry-count", "$$.State.RetryCount", 0)
    ctx("statemachine-name", "$$.StateMachine.Name",
        "statemachine-name")
    ctx("statemachine-id", "$$.StateMachine.Id",
        "arn:aws:states:us-east-1:000000000000:stateMachine:statemachine-id")
    add("context", "whole-state", pass_params({"s.$": "$$.State"}), {}, g,
        output={"s": {"EnteredTime": START, "Name": "P", "RetryCount": 0}})
    add("context", "missing-field", pass_params({"v.$": "$$.Nope"}), {}, g,
        error="States.Runtime")
    add("context", "input-unchanged-by-states", chain(
        {"Type": "Pass", "Result": "changed"},
        {"Type": "Pass", "Parameters": {"v.$": "$$.Execution.Input"}}),
        {"orig": 1}, g, output={"v": {"orig": 1}})
    add("context", "inputpath-context", one(
        {"Type": "Pass", "InputPath": "$$.Execution.Input.a"}), {"a": 5}, g,
        output=5)
    add("context", "state-name-second", chain(
        {"Type": "Pass"}, {"Type": "Pass",
                           "Parameters": {"n.$": "$$.State.Name"}}), {}, g,
        output={"n": "P1"})
    add("context", "unicode-state-name", machine({
        "État ☃": {"Type": "Pass", "Parameters": {"n.$": "$$.State.Name"},
                   "End": True}}), {}, g, output={"n": "État ☃"})
    add("context", "map-item-index-value", machine({
        "M": {"Type": "Map", "ItemSelector": {
            "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"},
            "ItemProcessor": branch({"Type": "Pass"}), "End": True}}),
        ["a", {"b": 1}], g, output=[{"i": 0, "v": "a"},
                                    {"i": 1, "v": {"b": 1}}])
    add("context", "map-item-whole", machine({
        "M": {"Type": "Map", "ItemSelector": {"item.$": "$$.Map.Item"},
              "ItemProcessor": branch({"Type": "Pass"}), "End": True}}),
        [7], g, output=[{"item": {"Index": 0, "Value": 7}}])


# ======================================================== failure paths
# Executions that fail (or time out), family by family, as AWS fails them
# (failure paths as many as success paths).  Where AWS's cause
# text is recorded (AWS-recorded) the case checks it whole;
# where only its shape is known, a prefix (the state and "(entered at the
# event id #") and a suffix; where nothing is known, the error name only.

RT_NOTE = "; States.Runtime, as AWS raises it"
WRONG = {"string": "x", "number": 5, "real": 1.5, "bool": True,
         "null": None, "array": [1], "object": {"k": 1}}


def rt_any(state, msg=""):
    """States.Runtime at the first state (event #2); msg is a prefix of
    the message after AWS's "An error occurred ..." (text unconfirmed)."""
    return {"error": "States.Runtime", "cause_prefix": rt(state, msg)}


def rt_in(state):
    """States.Runtime raised in a state whose event id is not known (a
    later or a nested state)."""
    return {"error": "States.Runtime", "cause_prefix": "An error occurred "
            "while executing the state '%s' (entered at the event id #"
            % state}


def missing_cause(state, path, norm):
    """AWS's text for an InputPath/OutputPath/*Path that selects nothing."""
    return rt(state, "Invalid path '%s' : No results for path: %s"
              % (path, norm))


def tmpl_cause(state, path, field, doc):
    """AWS's text for a payload template path that selects nothing."""
    return rt(state, "The JSONPath '%s' specified for the field '%s' could "
              "not be found in the input '%s'"
              % (path, field, json.dumps(doc, separators=(",", ":"),
                                         ensure_ascii=False)))


def lambda_cause(error, msg):
    """The prefix of the cause AWS gives a Lambda function error."""
    return '{"errorMessage":"%s","errorType":"%s",' % (msg, error)


def intrinsics_fail():
    src = DG + "intrinsic-functions (argument types)" + RT_NOTE

    def bad(name, expr, inp=None, source=src):
        add("intrinsics", "fail-" + name, pass_params({"r.$": expr}), inp,
            source, **rt_any("P"))

    # Each function, each argument of the wrong type (given through a
    # path, so only the running execution can tell).
    plan = [
        # function, call with {} for the argument, other inputs,
        # the types the argument accepts
        ("format-template", "States.Format($.v)", {}, ["string"]),
        ("stringtojson", "States.StringToJson($.v)", {}, ["string"]),
        ("arraypartition-array", "States.ArrayPartition($.v, 2)", {},
         ["array"]),
        ("arraypartition-size", "States.ArrayPartition($.a, $.v)",
         {"a": [1, 2, 3]}, ["number", "real"]),
        ("arraycontains-array", "States.ArrayContains($.v, 1)", {},
         ["array"]),
        ("arrayrange-start", "States.ArrayRange($.v, 5, 1)", {},
         ["number", "real"]),
        ("arrayrange-end", "States.ArrayRange(1, $.v, 1)", {},
         ["number", "real"]),
        ("arrayrange-step", "States.ArrayRange(1, 5, $.v)", {},
         ["number", "real"]),
        ("arraygetitem-array", "States.ArrayGetItem($.v, 0)", {},
         ["array"]),
        ("arraygetitem-index", "States.ArrayGetItem($.a, $.v)",
         {"a": [1, 2, 3]}, ["number", "real"]),
        ("arraylength", "States.ArrayLength($.v)", {}, ["array"]),
        ("arrayunique", "States.ArrayUnique($.v)", {}, ["array"]),
        ("base64encode", "States.Base64Encode($.v)", {}, ["string"]),
        ("base64decode", "States.Base64Decode($.v)", {}, ["string"]),
        ("hash-algorithm", "States.Hash('data', $.v)", {}, []),
        ("jsonmerge-first", "States.JsonMerge($.v, $.b, false)",
         {"b": {"y": 2}}, ["object"]),
        ("jsonmerge-second", "States.JsonMerge($.a, $.v, false)",
         {"a": {"x": 1}}, ["object"]),
        ("jsonmerge-deep-flag", "States.JsonMerge($.a, $.b, $.v)",
         {"a": {"x": 1}, "b": {"y": 2}}, ["bool"]),
        ("mathrandom-start", "States.MathRandom($.v, 10)", {},
         ["number", "real"]),
        ("mathrandom-end", "States.MathRandom(0, $.v)", {},
         ["number", "real"]),
        ("mathrandom-seed", "States.MathRandom(0, 10, $.v)", {},
         ["number", "real"]),
        ("mathadd-first", "States.MathAdd($.v, 1)", {}, ["number", "real"]),
        ("mathadd-second", "States.MathAdd(1, $.v)", {}, ["number",
                                                          "real"]),
        ("stringsplit-string", "States.StringSplit($.v, ',')", {},
         ["string"]),
        ("stringsplit-delimiter", "States.StringSplit('a,b', $.v)", {},
         ["string"]),
    ]
    for name, expr, others, accepts in plan:
        for t, v in WRONG.items():
            if t in accepts:
                continue
            inp = dict(others)
            inp["v"] = v
            bad("%s-%s" % (name, t), expr, inp)
    # Values of the right type out of range or malformed.
    for i, s in enumerate(["{", "[1,", "tru", "'a'", "{a:1}", "NaN",
                           "{\"a\":1,}", "[1 2]", "01", "\"open"]):
        bad("stringtojson-malformed-%d" % i, "States.StringToJson($.v)",
            {"v": s})
    bad("arraypartition-negative", "States.ArrayPartition($.a, -1)",
        {"a": [1, 2]})
    bad("arraypartition-rounds-to-zero", "States.ArrayPartition($.a, 0.4)",
        {"a": [1, 2]}, DG + "intrinsic-functions (size rounded, must be "
        "positive)" + RT_NOTE)
    bad("arrayrange-1001-items", "States.ArrayRange(1, 1001, 1)", None,
        REC)
    bad("arrayrange-1001-items-negative-start",
        "States.ArrayRange(-500, 500, 1)", None, REC)
    bad("arrayrange-1001-items-counting-down",
        "States.ArrayRange(1000, 0, -1)", None, SPEC + " (ArrayRange "
        "counts down, doc/semantics.md; at most 1000 items)")
    bad("arrayrange-zero-step-path", "States.ArrayRange(1, 5, $.s)",
        {"s": 0})
    bad("arraygetitem-far-out-of-range", "States.ArrayGetItem($.a, 1000)",
        {"a": [1]}, SPEC + " (doc/semantics.md: out of range)")
    bad("arraygetitem-index-path-out-of-range",
        "States.ArrayGetItem($.a, $.i)", {"a": [1, 2], "i": 2},
        SPEC + " (doc/semantics.md: out of range)")
    for i, s in enumerate(["!!!!", "a", "ab$=", "QUJD" * 2501]):
        bad("base64decode-invalid-%d" % i, "States.Base64Decode($.v)",
            {"v": s})
    bad("base64encode-10001-multibyte", "States.Base64Encode($.v)",
        {"v": "é" * 10001})
    for i, alg in enumerate(["SHA256", "sha-256", "SHA3-256", "", "MD4",
                             "SHA-2"]):
        bad("hash-unknown-algorithm-%d" % i, "States.Hash('data', $.v)",
            {"v": alg})
    bad("hash-data-too-long", "States.Hash($.v, 'MD5')", {"v": "x" * 10001})
    bad("mathadd-negative-overflow", "States.MathAdd(-2147483648, -1)")
    bad("mathadd-arg-below-int-range", "States.MathAdd($.v, 0)",
        {"v": -2147483649})
    bad("mathadd-both-strings", "States.MathAdd($.a, $.b)",
        {"a": "1", "b": "2"})
    bad("mathrandom-equal-bounds-path", "States.MathRandom($.a, $.a)",
        {"a": 3})
    bad("format-placeholders-outnumber-path-args",
        "States.Format('{}{}{}', $.a, $.b)", {"a": 1, "b": 2})
    bad("format-args-outnumber-placeholders",
        "States.Format('{}', $.a, $.b, $.c)", {"a": 1, "b": 2, "c": 3})
    # A path argument that selects nothing, for every function.
    for fn, expr in [
            ("format", "States.Format('{}', $.nope)"),
            ("stringtojson", "States.StringToJson($.nope)"),
            ("jsontostring", "States.JsonToString($.nope)"),
            ("array", "States.Array(1, $.nope)"),
            ("arraypartition", "States.ArrayPartition($.nope, 1)"),
            ("arraycontains", "States.ArrayContains($.nope, 1)"),
            ("arraycontains-value", "States.ArrayContains($.a, $.nope)"),
            ("arrayrange", "States.ArrayRange(1, $.nope, 1)"),
            ("arraygetitem", "States.ArrayGetItem($.a, $.nope)"),
            ("arraylength", "States.ArrayLength($.nope)"),
            ("arrayunique", "States.ArrayUnique($.nope)"),
            ("base64encode", "States.Base64Encode($.nope)"),
            ("base64decode", "States.Base64Decode($.nope)"),
            ("hash", "States.Hash($.nope, 'MD5')"),
            ("jsonmerge", "States.JsonMerge($.a, $.nope, false)"),
            ("mathrandom", "States.MathRandom(1, $.nope)"),
            ("mathadd", "States.MathAdd($.nope, 1)"),
            ("stringsplit", "States.StringSplit($.nope, ',')"),
            ("context", "States.Format('{}', $$.Execution.Nope)"),
            ("nested-index", "States.ArrayLength($.a[5])")]:
        bad("missing-arg-" + fn, expr, {"a": [1]},
            DG + "input-output-inputpath-params (a path that selects "
            "nothing)" + RT_NOTE)
    # A failing call nested in another.
    bad("nested-inner-fails",
        "States.ArrayLength(States.StringToJson('{'))")
    bad("nested-deep-inner-fails",
        "States.Format('{}', States.ArrayGetItem(States.Array(1), 9))")
    bad("nested-outer-gets-wrong-type",
        "States.ArrayLength(States.Format('{}', 1))")
    bad("nested-split-of-number",
        "States.StringSplit(States.MathAdd(1, 2), ',')")
    # Every field an intrinsic function can be in; none of the failures
    # is caught, whatever the catcher names.
    catch_all = [{"ErrorEquals": ["States.ALL"], "Next": "C"}]
    caught = {"Type": "Pass", "Result": "caught", "End": True}
    for name, state, sname in [
            ("in-task-resultselector", task("echo", ResultSelector={
                "n.$": "States.ArrayLength($.s)"}, Catch=catch_all), "S"),
            ("in-task-parameters", task("echo", Parameters={
                "n.$": "States.MathAdd($.s, 1)"}, Catch=catch_all), "S"),
            ("in-task-assign", task("echo", Assign={
                "n.$": "States.Base64Decode($.n)"}, Catch=catch_all), "S"),
            ("in-map-itemselector", {"Type": "Map", "ItemsPath": "$.l",
                                     "ItemSelector": {
                                         "n.$": "States.ArrayLength($.s)"},
                                     "ItemProcessor": branch(
                                         {"Type": "Pass"}),
                                     "Catch": catch_all}, "S"),
            ("in-map-resultselector", {"Type": "Map", "ItemsPath": "$.l",
                                       "ResultSelector": {
                                           "n.$": "States.StringToJson($)"},
                                       "ItemProcessor": branch(
                                           {"Type": "Pass"}),
                                       "Catch": catch_all}, "S"),
            ("in-parallel-parameters", {"Type": "Parallel", "Parameters": {
                "n.$": "States.Hash($.s, $.n)"}, "Branches": [branch(
                    {"Type": "Pass"})], "Catch": catch_all}, "S"),
            ("in-parallel-resultselector", {
                "Type": "Parallel", "ResultSelector": {
                    "n.$": "States.ArrayGetItem($, 3)"},
                "Branches": [branch({"Type": "Pass"})],
                "Catch": catch_all}, "S"),
            ("in-pass-assign", {"Type": "Pass", "Assign": {
                "n.$": "States.JsonMerge($.s, $.s, false)"}}, "S"),
            ("in-wait-assign", {"Type": "Wait", "Seconds": 0, "Assign": {
                "n.$": "States.ArrayUnique($.s)"}}, "S"),
            ("in-choice-rule-assign", {"Type": "Choice", "Choices": [{
                "Variable": "$.s", "IsPresent": True, "Next": "C",
                "Assign": {"n.$": "States.ArrayLength($.s)"}}]}, "S"),
            ("in-fail-errorpath", {"Type": "Fail",
                                   "ErrorPath": "States.Base64Decode($.n)"},
             "S"),
            ("in-fail-causepath", {"Type": "Fail", "Error": "E",
                                   "CausePath": "States.ArrayGetItem("
                                                "States.Array($.s), 4)"},
             "S")]:
        s = dict(state)
        if s["Type"] not in ("Fail", "Choice"):
            s["End"] = True
        m = {"S": s}
        if "Catch" in s or s["Type"] == "Choice":
            m["C"] = caught
        add("intrinsics", "fail-" + name, machine(m),
            {"s": "text", "l": [1], "n": "***"}, src, **rt_any("S"))


def simple_state(kind, **kw):
    """A state of each kind that takes InputPath and OutputPath."""
    s = {
        "Pass": {"Type": "Pass"},
        "Task": task("echo"),
        "Parallel": {"Type": "Parallel", "Branches": [branch(
            {"Type": "Pass"})]},
        "Map": {"Type": "Map", "ItemsPath": "$.l", "ItemProcessor": branch(
            {"Type": "Pass"})},
        "Wait": {"Type": "Wait", "Seconds": 1},
        "Succeed": {"Type": "Succeed"},
    }[kind]
    s = dict(s)
    s.update(kw)
    if kind != "Succeed":
        s["End"] = True
    return machine({"P": s})


def paths_fail():
    io = DG + "input-output-inputpath-params"
    inp = {"a": 1, "l": [1, 2], "o": {"k": "v"}}
    # InputPath and OutputPath selecting nothing, on every state that
    # takes them [AWS-rec texts].
    for kind in ["Task", "Parallel", "Map", "Wait", "Succeed"]:
        add("paths", "inputpath-missing-" + kind.lower(),
            simple_state(kind, InputPath="$.X"), inp, REC,
            error="States.Runtime",
            cause=missing_cause("P", "$.X", "$['X']"))
    for kind in ["Task", "Wait", "Succeed"]:
        add("paths", "outputpath-missing-" + kind.lower(),
            simple_state(kind, OutputPath="$.no"), inp, REC,
            error="States.Runtime",
            cause=missing_cause("P", "$.no", "$['no']"))
    for kind in ["Parallel", "Map"]:
        # Their output is an array: a member of it cannot be found.
        add("paths", "outputpath-missing-" + kind.lower(),
            simple_state(kind, OutputPath="$[7]"), inp, REC,
            **rt_any("P", "Invalid path '$[7]' : "))
    m = choice_machine({"Variable": "$.a", "IsPresent": True},
                       InputPath="$.X")
    add("paths", "inputpath-missing-choice", m, inp, REC,
        error="States.Runtime", cause=missing_cause("C", "$.X", "$['X']"))
    m = choice_machine({"Variable": "$.a", "IsPresent": True},
                       OutputPath="$.no")
    add("paths", "outputpath-missing-choice", m, inp, REC,
        error="States.Runtime", cause=missing_cause("C", "$.no", "$['no']"))
    # Kinds of definite paths that select nothing.
    for name, path, norm in [
            ("member-of-number", "$.a.b", "$['a']['b']"),
            ("nested-two", "$.o.x", "$['o']['x']"),
            ("bracket", "$['X']", "$['X']")]:
        add("paths", "inputpath-missing-" + name,
            one({"Type": "Pass", "InputPath": path}), inp, REC,
            error="States.Runtime", cause=missing_cause("P", path, norm))
        add("paths", "outputpath-missing-" + name,
            one({"Type": "Pass", "OutputPath": path}), inp, REC,
            error="States.Runtime", cause=missing_cause("P", path, norm))
    for name, path in [("index-out-of-range", "$.l[5]"),
                       ("negative-index-out-of-range", "$.l[-3]"),
                       ("index-of-object", "$.o[0]"),
                       ("member-of-array", "$.l.x"),
                       ("member-of-string", "$.o.k.x"),
                       ("deep", "$.o.x.y.z"),
                       ("context", "$$.Execution.Input.X"),
                       ("context-unknown", "$$.Nope")]:
        add("paths", "inputpath-missing-" + name,
            one({"Type": "Pass", "InputPath": path}), inp, REC,
            **rt_any("P", "Invalid path '%s' : " % path))
        add("paths", "outputpath-missing-" + name,
            one({"Type": "Pass", "OutputPath": path}), inp, REC,
            **rt_any("P", "Invalid path '%s' : " % path))
    # Payload templates: every field that is one [AWS-rec text].
    add("paths", "parameters-missing-parallel",
        one({"Type": "Parallel", "Parameters": {"x.$": "$.nope"},
             "Branches": [branch({"Type": "Pass"})]}), inp, REC,
        error="States.Runtime", cause=tmpl_cause("P", "$.nope", "x.$", inp))
    add("paths", "parameters-missing-map-legacy",
        one({"Type": "Map", "ItemsPath": "$.l", "Parameters": {
            "x.$": "$.nope"}, "ItemProcessor": branch({"Type": "Pass"})}),
        inp, REC, error="States.Runtime",
        cause=tmpl_cause("P", "$.nope", "x.$", inp))
    add("paths", "itemselector-missing-nested",
        one({"Type": "Map", "ItemsPath": "$.l", "ItemSelector": {
            "o": {"x.$": "$.nope"}}, "ItemProcessor": branch(
                {"Type": "Pass"})}), inp, REC, error="States.Runtime",
        cause=tmpl_cause("P", "$.nope", "x.$", inp))
    add("paths", "parameters-missing-in-array",
        pass_params({"l": [1, {"x.$": "$.nope"}]}), inp, REC,
        error="States.Runtime", cause=tmpl_cause("P", "$.nope", "x.$", inp))
    add("paths", "parameters-missing-index",
        pass_params({"x.$": "$.l[9]"}), inp, REC, error="States.Runtime",
        cause=tmpl_cause("P", "$.l[9]", "x.$", inp))
    add("paths", "parameters-missing-second-of-two",
        pass_params({"ok.$": "$.a", "x.$": "$.nope"}), inp, REC,
        error="States.Runtime", cause=tmpl_cause("P", "$.nope", "x.$", inp))
    add("paths", "parameters-missing-context",
        pass_params({"x.$": "$$.Execution.Input.nope"}), inp, REC,
        **rt_any("P", "The JSONPath '$$.Execution.Input.nope' specified for "
                 "the field 'x.$' could not be found in the input '"))
    add("paths", "parameters-missing-task",
        one(task("echo", Parameters={"x.$": "$.o.nope"})), inp, REC,
        error="States.Runtime",
        cause=tmpl_cause("P", "$.o.nope", "x.$", inp))
    # ResultSelector, Assign: the same text, on the result.
    for name, state in [
            ("resultselector-missing-task", task("echo", ResultSelector={
                "x.$": "$.nope"})),
            ("resultselector-missing-parallel", {
                "Type": "Parallel", "ResultSelector": {"x.$": "$[3]"},
                "Branches": [branch({"Type": "Pass"})]}),
            ("resultselector-missing-map", {
                "Type": "Map", "ItemsPath": "$.l",
                "ResultSelector": {"x.$": "$[9]"},
                "ItemProcessor": branch({"Type": "Pass"})}),
            ("assign-missing-pass", {"Type": "Pass", "Assign": {
                "x.$": "$.nope"}}),
            ("assign-missing-task", task("echo", Assign={"x.$": "$.nope"})),
            ("assign-missing-wait", {"Type": "Wait", "Seconds": 0,
                                     "Assign": {"x.$": "$.nope"}}),
            ("assign-missing-map", {
                "Type": "Map", "ItemsPath": "$.l", "Assign": {
                    "x.$": "$[9]"}, "ItemProcessor": branch(
                        {"Type": "Pass"})}),
            ("assign-missing-parallel", {
                "Type": "Parallel", "Assign": {"x.$": "$.nope"},
                "Branches": [branch({"Type": "Pass"})]})]:
        tmpl = state.get("ResultSelector") or state.get("Assign")
        add("paths", name, one(state), inp, REC,
            **rt_any("P", "The JSONPath '%s' specified for the field 'x.$' "
                     "could not be found in the input '" % tmpl["x.$"]))
    m = choice_machine({"Variable": "$.a", "IsPresent": True,
                        "Assign": {"x.$": "$.nope"}})
    add("paths", "assign-missing-choice-rule", m, inp, REC,
        **rt_any("C", "The JSONPath '$.nope' specified for the field 'x.$' "
                 "could not be found in the input '"))
    m = choice_machine({"Variable": "$.a", "IsPresent": False},
                       Assign={"x.$": "$.nope"})
    add("paths", "assign-missing-choice-default", m, inp, REC,
        **rt_any("C", "The JSONPath '$.nope' specified for the field 'x.$' "
                 "could not be found in the input '"))
    add("paths", "assign-missing-catcher", machine({
        "T": task("fail", Catch=[{"ErrorEquals": ["States.ALL"],
                                  "Next": "C", "Assign": {
                                      "x.$": "$.nope"}}], End=True),
        "C": {"Type": "Pass", "End": True}}), inp, REC,
        **rt_in("T"))
    add("paths", "batchinput-missing", one({
        "Type": "Map", "ItemsPath": "$.l",
        "ItemBatcher": {"MaxItemsPerBatch": 1, "BatchInput": {
            "x.$": "$.nope"}},
        "ItemProcessor": dict(branch({"Type": "Pass"}), ProcessorConfig={
            "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"})}), inp,
        REC, **rt_in("P"))
    # The Reference Path fields.
    add("paths", "itemspath-missing-nested",
        one({"Type": "Map", "ItemsPath": "$.o.items",
             "ItemProcessor": branch({"Type": "Pass"})}), inp, REC,
        error="States.Runtime",
        cause=missing_cause("P", "$.o.items", "$['o']['items']"))
    add("paths", "itemspath-missing-index",
        one({"Type": "Map", "ItemsPath": "$.l[4]",
             "ItemProcessor": branch({"Type": "Pass"})}), inp, REC,
        **rt_any("P", "Invalid path '$.l[4]' : "))
    add("paths", "itemspath-missing-context",
        one({"Type": "Map", "ItemsPath": "$$.Execution.Input.nope",
             "ItemProcessor": branch({"Type": "Pass"})}), inp, REC,
        **rt_any("P", "Invalid path '$$.Execution.Input.nope' : "))
    add("paths", "itemspath-missing-after-inputpath",
        one({"Type": "Map", "InputPath": "$.o", "ItemsPath": "$.l",
             "ItemProcessor": branch({"Type": "Pass"})}), inp,
        DG + "state-map (ItemsPath applies to the effective input)",
        error="States.Runtime", cause=missing_cause("P", "$.l", "$['l']"))
    add("paths", "secondspath-missing-nested",
        one({"Type": "Wait", "SecondsPath": "$.o.s"}), inp, REC,
        error="States.Runtime",
        cause=missing_cause("P", "$.o.s", "$['o']['s']"))
    add("paths", "secondspath-missing-after-inputpath",
        one({"Type": "Wait", "InputPath": "$.o", "SecondsPath": "$.a"}),
        inp, DG + "state-wait (paths on the effective input)",
        error="States.Runtime", cause=missing_cause("P", "$.a", "$['a']"))
    add("paths", "timestamppath-missing",
        one({"Type": "Wait", "TimestampPath": "$.ts"}), inp, REC,
        error="States.Runtime", cause=missing_cause("P", "$.ts", "$['ts']"))
    add("paths", "timeoutsecondspath-missing",
        one(task("echo", TimeoutSecondsPath="$.X")), inp, REC,
        error="States.Runtime", cause=missing_cause("P", "$.X", "$['X']"))
    add("paths", "timeoutsecondspath-missing-after-parameters",
        one(task("echo", Parameters={"b": 1}, TimeoutSecondsPath="$.a")),
        inp, REC + " (resolved on the effective input)",
        error="States.Runtime", cause=missing_cause("P", "$.a", "$['a']"))
    add("paths", "heartbeatsecondspath-missing",
        one(task("echo", TimeoutSeconds=100,
                 HeartbeatSecondsPath="$.X")), inp, REC,
        **rt_any("P", "Invalid path '$.X' : "))
    add("paths", "maxconcurrencypath-missing",
        one({"Type": "Map", "ItemsPath": "$.l", "MaxConcurrencyPath": "$.X",
             "ItemProcessor": branch({"Type": "Pass"})}), inp, REC,
        **rt_any("P"))
    dist = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
    for field in ["ToleratedFailureCountPath",
                  "ToleratedFailurePercentagePath"]:
        add("paths", field.lower().replace("path", "path-missing"),
            one({"Type": "Map", "ItemsPath": "$.l", field: "$.X",
                 "ItemProcessor": dict(branch({"Type": "Pass"}),
                                       ProcessorConfig=dist)}), inp, REC,
            **rt_any("P"))
    add("paths", "maxitemsperbatchpath-missing",
        one({"Type": "Map", "ItemsPath": "$.l",
             "ItemBatcher": {"MaxItemsPerBatchPath": "$.X"},
             "ItemProcessor": dict(branch({"Type": "Pass"}),
                                   ProcessorConfig=dist)}), inp, REC,
        **rt_any("P"))
    add("paths", "causepath-missing",
        one({"Type": "Fail", "Error": "E", "CausePath": "$.X"}), inp, REC,
        error="States.Runtime",
        cause=rt("P", "The JSONPath '$.X' specified for the field "
                 "'CausePath' could not be found in the input '%s'"
                 % json.dumps(inp, separators=(",", ":"))))
    add("paths", "errorpath-missing-nested",
        one({"Type": "Fail", "ErrorPath": "$.o.e", "Cause": "c"}), inp, REC,
        error="States.Runtime",
        cause=rt("P", "The JSONPath '$.o.e' specified for the field "
                 "'ErrorPath' could not be found in the input '%s'"
                 % json.dumps(inp, separators=(",", ":"))))
    add("paths", "errorpath-missing-in-intrinsic",
        one({"Type": "Fail", "ErrorPath": "States.Format('{}', $.X)"}), inp,
        REC, **rt_any("P"))
    add("paths", "errorpath-and-causepath-both-missing",
        one({"Type": "Fail", "ErrorPath": "$.X", "CausePath": "$.Y"}), inp,
        REC, error="States.Runtime",
        cause=rt("P", "The JSONPath '$.X' specified for the field "
                 "'ErrorPath' could not be found in the input '%s'"
                 % json.dumps(inp, separators=(",", ":"))))


def values_fail():
    w = REC + " (Wait causes)"
    # SecondsPath: AWS's texts for a negative and a non-integer value.
    for v in [-5, -100, -2147483648]:
        add("states", "wait-secondspath-negative-%d" % -v,
            one({"Type": "Wait", "SecondsPath": "$.p"}), {"p": v}, w,
            error="States.Runtime",
            cause=rt("P", "The SecondsPath parameter references a negative "
                     "value: $.p == %d" % v))
    for name, v, text in [("real-2-5", 2.5, "2.5"), ("real-small", 0.001,
                                                  "0.001")]:
        add("states", "wait-secondspath-" + name,
            one({"Type": "Wait", "SecondsPath": "$.p"}), {"p": v}, w,
            error="States.Runtime",
            cause=rt("P", "The SecondsPath parameter cannot be parsed as a "
                     "long value: $.p == %s" % text))
    for t in ["null", "bool", "array", "object"]:
        add("states", "wait-secondspath-" + t,
            one({"Type": "Wait", "SecondsPath": "$.p"}), {"p": WRONG[t]}, w,
            **rt_any("P", "The SecondsPath parameter "))
    add("states", "wait-secondspath-negative-nested-in-map", machine({
        "M": {"Type": "Map", "ItemProcessor": branch(
            {"Type": "Wait", "SecondsPath": "$.s"}, prefix="MW"),
            "End": True}}), [{"s": 1}, {"s": -1}], w, **rt_in("MW0"))
    add("states", "wait-secondspath-real-nested-in-parallel", machine({
        "P": {"Type": "Parallel", "Branches": [branch(
            {"Type": "Wait", "SecondsPath": "$.s"}, prefix="PW")],
            "End": True}}), {"s": 0.5}, w, **rt_in("PW0"))
    # TimestampPath: AWS's text for strings that are not timestamps.
    for i, s in enumerate(["2026-01-01", "2026-01-01T00:00:00.000000",
                           "2026-13-01T00:00:00Z", "2026-01-01T25:00:00Z",
                           "", "2026-01-01 00:00:00Z", "01/01/2026",
                           "2026-02-30T00:00:00Z"]):
        add("states", "wait-timestamppath-invalid-%d" % i,
            one({"Type": "Wait", "TimestampPath": "$.p"}), {"p": s},
            REC + " (RFC 3339 as AWS accepts it)",
            error="States.Runtime",
            cause=rt("P", "The TimestampPath parameter does not reference a "
                     "valid ISO-8601 extended offset date-time format "
                     "string: $.p == %s" % s))
    for t in ["number", "null", "bool", "array", "object"]:
        add("states", "wait-timestamppath-" + t,
            one({"Type": "Wait", "TimestampPath": "$.p"}), {"p": WRONG[t]},
            w, **rt_any("P", "The TimestampPath parameter does not "
                        "reference a valid ISO-8601 extended offset "
                        "date-time format string: $.p == "))
    add("states", "wait-timestamppath-year-9999",
        one({"Type": "Wait", "TimestampPath": "$.p"}),
        {"p": "9999-12-31T23:59:59Z"}, REC, error="States.Runtime",
        cause=rt("P", "Wait state delay is too long."))
    # TimeoutSecondsPath, HeartbeatSecondsPath: positive integers.
    t = SPEC + " (TimeoutSecondsPath: a positive integer)" + RT_NOTE
    for name, v in [("zero", 0), ("negative", -1), ("real", 1.5),
                    ("string", "x"), ("null", None), ("object", {})]:
        kind = "positive" if name in ("zero", "negative") else "valid"
        text = {"real": "1.5", "string": "x", "null": "null",
                "object": "{}"}.get(name, str(v))
        add("states", "task-timeoutsecondspath-" + name,
            one(task("echo", TimeoutSecondsPath="$.t")), {"t": v}, t,
            error="States.Runtime",
            cause=rt("P", "The TimeoutSecondsPath field refers to value "
                     "\"%s\" which is not a %s integer: $.t" % (text, kind)))
    for name, v in [("zero", 0), ("string", "x")]:
        add("states", "task-heartbeatsecondspath-" + name,
            one(task("echo", TimeoutSeconds=100,
                     HeartbeatSecondsPath="$.h")), {"h": v}, t,
            **rt_any("P"))
    # MaxConcurrencyPath [AWS-rec text for a non-integer].
    # The value between double quotes, a string bare, anything else as
    # JSON: "{}" (LS's snapshots, recorded on AWS).
    for name, text in [("null", "null"), ("bool", "true"),
                       ("array", "[1]"), ("object", '{"k":1}'),
                       ("real", "1.5"), ("quoted-string", 'a"b')]:
        v = 'a"b' if name == "quoted-string" else WRONG[name]
        # (explicit prefixes for the cases added later: the other cases'
        # state names stay as they were)
        pre = "MC" + name if name in ("real", "quoted-string") else None
        add("map", "max-concurrency-path-" + name,
            one({"Type": "Map", "ItemsPath": "$.l",
                 "MaxConcurrencyPath": "$.mc",
                 "ItemProcessor": branch({"Type": "Pass"}, prefix=pre)}),
            {"mc": v, "l": [1]}, REC, error="States.Runtime",
            cause=rt("P", "The MaxConcurrencyPath field refers to value "
                     "\"%s\" which is not a valid integer: $.mc" % text))
    add("map", "max-concurrency-path-empty-object",
        one({"Type": "Map", "ItemsPath": "$.l", "MaxConcurrencyPath": "$.mc",
             "ItemProcessor": branch({"Type": "Pass"}, prefix="MCE")}),
        {"mc": {}, "l": [1]}, REC,
        error="States.Runtime",
        cause=rt("P", "The MaxConcurrencyPath field refers to value \"{}\" "
                 "which is not a valid integer: $.mc"))
    add("map", "max-concurrency-path-negative",
        one({"Type": "Map", "ItemsPath": "$.l", "MaxConcurrencyPath": "$.mc",
             "ItemProcessor": branch({"Type": "Pass"})}),
        {"mc": -1, "l": [1]}, "LS (AWS-recorded snapshots)",
        error="States.Runtime",
        cause=rt("P", "Expected non-negative integer for MaxConcurrency, "
                 "got '-1' instead."))
    dist = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}

    def dmap(**kw):
        s = {"Type": "Map", "ItemsPath": "$.l", "ItemProcessor": dict(
            branch({"Type": "Pass"}), ProcessorConfig=dist)}
        s.update(kw)
        return one(s)

    for v in [-5, -100]:
        add("map", "tolerated-count-path-negative-%d" % -v,
            dmap(ToleratedFailureCountPath="$.n"), {"n": v, "l": [1]}, REC,
            error="States.Runtime",
            cause=rt("P", "ToleratedFailureCount cannot be negative."))
    for name, v, text in [("string", "x", "x"), ("null", None, "null"),
                          ("object", {}, "{}")]:
        add("map", "tolerated-count-path-" + name,
            dmap(ToleratedFailureCountPath="$.n"), {"n": v, "l": [1]},
            "LS (AWS-recorded snapshots)", error="States.Runtime",
            cause=rt("P", "The ToleratedFailureCountPath field refers to "
                     "value \"%s\" which is not a valid integer: $.n"
                     % text))
    for v in [-1, 100.5, 1000]:
        add("map", "tolerated-percentage-path-%s" % str(v).replace(
            "-", "minus-").replace(".", "-"),
            dmap(ToleratedFailurePercentagePath="$.p"), {"p": v, "l": [1]},
            REC, error="States.Runtime",
            cause=rt("P", "ToleratedFailurePercentage must be between 0 and "
                     "100."))
    for name, v, text in [("string", "x", "x"), ("null", None, "null")]:
        add("map", "tolerated-percentage-path-" + name,
            dmap(ToleratedFailurePercentagePath="$.p"), {"p": v, "l": [1]},
            "LS (AWS-recorded snapshots)", error="States.Runtime",
            cause=rt("P", "The ToleratedFailurePercentagePath field refers "
                     "to value \"%s\" which is not a valid float: $.p"
                     % text))
    add("map", "reader-max-items-path-string",
        one({"Type": "Map", "ItemProcessor": dict(
            branch({"Type": "Pass"}, prefix="RMI"), ProcessorConfig=dist),
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                           "ReaderConfig": {"InputType": "JSON",
                                            "MaxItemsPath": "$.n"},
                           "Parameters": {"Bucket": "b", "Key": "k"}}}),
        {"n": "x", "l": [1]}, "LS (AWS-recorded snapshots): the value "
        "between single quotes", error="States.ItemReaderFailed",
        cause="The MaxItemsPath field refers to value 'x' which is not a "
        "valid integer: $.n")
    for name, v in [("zero", 0), ("negative", -2), ("string", "x")]:
        add("map", "itembatcher-max-items-path-" + name,
            dmap(ItemBatcher={"MaxItemsPerBatchPath": "$.n"}),
            {"n": v, "l": [1]}, SPEC + " (MaxItemsPerBatch: a positive "
            "integer)" + RT_NOTE, **rt_any("P"))


def resultpath_fail():
    src = ("AWS docs concepts-error-handling (States.ResultPathMatchFailure);"
           " cause text from aws-cdk#29473")
    kinds = [("string", "text", "$.x"), ("number", 7, "$.x"),
             ("array", [1, 2], "$.x"), ("null", NULL, "$.x"),
             ("bool", True, "$.x"), ("through-number", {"a": 5}, "$.a.b"),
             ("through-string", {"a": "s"}, "$.a.b"),
             ("through-array", {"a": [1]}, "$.a.b"),
             ("through-bool", {"a": False}, "$.a.b.c")]
    states_ = [
        ("pass", {"Type": "Pass", "Result": 1}),
        ("task", task("echo")),
        ("parallel", {"Type": "Parallel", "Branches": [branch(
            {"Type": "Pass", "Result": 1})]}),
    ]
    for sname, st in states_:
        for kname, inp, rp in kinds:
            s = dict(st, ResultPath=rp)
            raw = None if inp is NULL else inp
            exp = {"error": "States.ResultPathMatchFailure"}
            if isinstance(raw, str):
                exp["cause"] = "Unable to apply ReferencePath %s to input %s" \
                    % (rp, json.dumps(raw))
            else:
                exp["cause_prefix"] = "Unable to apply ReferencePath %s to " \
                    "input " % rp
            add("io", "resultpath-%s-%s" % (sname, kname), one(s), inp, src,
                **exp)
    for kname, inp, rp in kinds[5:]:
        add("io", "resultpath-map-" + kname, one({
            "Type": "Map", "ItemsPath": "$.l", "ResultPath": rp,
            "ItemProcessor": branch({"Type": "Pass"})}),
            dict(inp, l=[1]), src, error="States.ResultPathMatchFailure",
            cause_prefix="Unable to apply ReferencePath %s to input " % rp)
    add("io", "resultpath-map-array-input", one({
        "Type": "Map", "ResultPath": "$.x",
        "ItemProcessor": branch({"Type": "Pass"})}), [1, 2], src,
        error="States.ResultPathMatchFailure",
        cause_prefix="Unable to apply ReferencePath $.x to input ")
    # The catcher's ResultPath: the error output cannot be placed.
    for sname, st in [("task", task("fail")),
                      ("parallel", {"Type": "Parallel", "Branches": [branch(
                          {"Type": "Fail", "Error": "E"})]})]:
        for kname, inp in [("string", "text"), ("number", 3),
                           ("array", [0])]:
            s = dict(st, Catch=[{"ErrorEquals": ["States.ALL"],
                                 "Next": "C", "ResultPath": "$.err"}],
                     End=True)
            add("io", "catcher-resultpath-%s-%s" % (sname, kname), machine({
                "S": s, "C": {"Type": "Pass", "End": True}}), inp, src,
                error="States.ResultPathMatchFailure",
                cause_prefix="Unable to apply ReferencePath $.err to input ")
    # Not caught by a catcher that names something else.
    add("io", "resultpathmatchfailure-not-caught-by-timeout", machine({
        "S": task("echo", ResultPath="$.x", End=True, Catch=[
            {"ErrorEquals": ["States.Timeout"], "Next": "C"}]),
        "C": {"Type": "Pass", "End": True}}), "s", src,
        error="States.ResultPathMatchFailure",
        cause="Unable to apply ReferencePath $.x to input \"s\"")
    add("io", "resultpath-in-map-iteration", one({
        "Type": "Map", "ItemProcessor": branch(
            {"Type": "Pass", "Result": 1, "ResultPath": "$.r"})}),
        [{"a": 1}, "s"], src + "; a failing iteration fails the Map [AWS-rec]",
        error="States.ResultPathMatchFailure",
        cause="Unable to apply ReferencePath $.r to input \"s\"")
    add("io", "resultpath-in-parallel-branch", one({
        "Type": "Parallel", "Branches": [
            branch({"Type": "Pass"}),
            branch({"Type": "Pass", "Result": 1, "ResultPath": "$.r"})],
        "InputPath": "$.n"}), {"n": 4},
        src + "; a failing branch fails the Parallel [AWS-rec]",
        error="States.ResultPathMatchFailure",
        cause="Unable to apply ReferencePath $.r to input 4")


def fail_states_fail():
    f = DG + "state-fail"
    inp = {"e": "InputError", "c": "input cause", "n": 3, "o": {"k": 1},
           "l": ["x", "y"], "s": "aGVsbG8="}
    add("states", "fail-error-causepath", one(
        {"Type": "Fail", "Error": "E", "CausePath": "$.c"}), inp, f,
        error="E", cause="input cause")
    add("states", "fail-errorpath-cause", one(
        {"Type": "Fail", "ErrorPath": "$.e", "Cause": "literal"}), inp, f,
        error="InputError", cause="literal")
    add("states", "fail-errorpath-only", one(
        {"Type": "Fail", "ErrorPath": "$.e"}), inp, REC,
        error="InputError", cause=None)
    # Without Error (or Cause) the execution has no error (no cause):
    # DescribeExecution and the ExecutionFailed event leave the member
    # out [AWS-rec]; "error": None checks that stderr has no Error.
    add("states", "fail-cause-only", one(
        {"Type": "Fail", "Cause": "only a cause"}), inp, f,
        error=None, cause="only a cause")
    add("states", "fail-causepath-only", one(
        {"Type": "Fail", "CausePath": "$.c"}), inp, f, error=None,
        cause="input cause")
    add("states", "fail-bare", one({"Type": "Fail"}), inp, REC, error=None,
        cause=None)
    add("states", "fail-errorpath-nested-member", one(
        {"Type": "Fail", "ErrorPath": "$.l[1]", "CausePath": "$.l[0]"}),
        inp, f, error="y", cause="x")
    add("states", "fail-errorpath-context-state-name", one(
        {"Type": "Fail", "ErrorPath": "$$.State.Name",
         "CausePath": "$$.Execution.Input.c"}), inp, f, error="P",
        cause="input cause")
    add("states", "fail-errorpath-variable", machine({
        "A": {"Type": "Pass", "Assign": {"err": "FromVariable",
                                         "why.$": "$.c"}, "Next": "F"},
        "F": {"Type": "Fail", "ErrorPath": "$err", "CausePath": "$why"}}),
        inp, DG + "workflow-variables, state-fail", error="FromVariable",
        cause="input cause")
    # The string-returning intrinsic functions AWS allows in ErrorPath and
    # CausePath.
    for name, expr, want in [
            ("format", "States.Format('E{}-{}', $.n, $.e)", "E3-InputError"),
            ("jsontostring", "States.JsonToString($.o)", "{\"k\":1}"),
            ("arraygetitem", "States.ArrayGetItem($.l, 1)", "y"),
            ("base64encode", "States.Base64Encode($.e)",
             "SW5wdXRFcnJvcg=="),
            ("base64decode", "States.Base64Decode($.s)", "hello"),
            ("hash", "States.Hash($.e, 'MD5')",
             hashlib.md5(b"InputError").hexdigest())]:
        add("states", "fail-errorpath-" + name, one(
            {"Type": "Fail", "ErrorPath": expr, "Cause": "c"}), inp, f,
            error=want, cause="c")
        add("states", "fail-causepath-" + name, one(
            {"Type": "Fail", "Error": "E", "CausePath": expr}), inp, f,
            error="E", cause=want)
    add("states", "fail-causepath-uuid", one(
        {"Type": "Fail", "Error": "E", "CausePath": "States.UUID()"}), inp,
        f, error="E")
    # Paths to values that are not strings.
    s = SPEC + " (ErrorPath/CausePath must give a string)" + RT_NOTE
    for t in ["number", "bool", "null", "array", "object"]:
        add("states", "fail-errorpath-" + t + "-value", one(
            {"Type": "Fail", "ErrorPath": "$.v", "Cause": "c"}),
            {"v": WRONG[t]}, s, **rt_any("P"))
        add("states", "fail-causepath-" + t + "-value", one(
            {"Type": "Fail", "Error": "E", "CausePath": "$.v"}),
            {"v": WRONG[t]}, s, **rt_any("P"))
    add("states", "fail-errorpath-missing-later-state", chain(
        {"Type": "Pass"}, {"Type": "Fail", "ErrorPath": "$.X"}), inp, REC,
        **rt_later("P1", "The JSONPath '$.X' specified for the field "
                   "'ErrorPath' could not be found in the input '%s'"
                   % json.dumps(inp, separators=(",", ":"))))
    add("states", "fail-after-choice", machine({
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 2, "Next": "F"}],
            "Default": "Ok"},
        "F": {"Type": "Fail", "Error": "TooBig", "CausePath": "$.e"},
        "Ok": {"Type": "Succeed"}}), inp, f, error="TooBig",
        cause="InputError")
    # Nested in Parallel and Map, at several depths: the enclosing states
    # fail with the inner Fail state's error and cause [AWS-rec].
    r = REC + " (a failing branch or iteration fails its state with its " \
        "own error)"

    def wrap(kind, inner):
        if kind == "P":
            return {"Type": "Parallel", "Branches": [
                branch({"Type": "Pass", "Result": "sibling"}), inner]}
        return {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {
            "items.$": "$.items", "e.$": "$.e", "c.$": "$.c"},
            "ItemProcessor": inner}

    for shape in ["P", "M", "PP", "MM", "PPP", "MMM", "PM", "MP", "PMP",
                  "MPM"]:
        for mode in ["literal", "paths"]:
            leaf = {"Type": "Fail", "Error": "Deep" + shape,
                    "Cause": "at depth %d" % len(shape)}
            if mode == "paths":
                leaf = {"Type": "Fail", "ErrorPath": "$.e",
                        "CausePath": "$.c"}
            st = branch(leaf)
            for kind in reversed(shape[1:]):
                st = branch(wrap(kind, st))
            outer = dict(wrap(shape[0], st), End=True)
            want = ({"error": "Deep" + shape,
                     "cause": "at depth %d" % len(shape)}
                    if mode == "literal" else
                    {"error": "InputError", "cause": "input cause"})
            add("parallel" if shape[0] == "P" else "map",
                "nested-fail-%s-%s" % (shape.lower(), mode),
                machine({"O": outer}),
                {"items": [1, 2], "e": "InputError", "c": "input cause"}, r,
                **want)
    add("parallel", "nested-fail-no-cause", machine({"O": {
        "Type": "Parallel", "End": True, "Branches": [branch(
            {"Type": "Parallel", "Branches": [branch(
                {"Type": "Fail", "Error": "NoCause"})]})]}}), {}, r,
        error="NoCause")
    add("map", "nested-fail-errorpath-missing", machine({"O": {
        "Type": "Map", "End": True, "ItemProcessor": branch(
            {"Type": "Fail", "ErrorPath": "$.X"}, prefix="In")}}), [1], REC,
        **rt_in("In0"))
    add("parallel", "nested-fail-causepath-missing", machine({"O": {
        "Type": "Parallel", "End": True, "Branches": [branch(
            {"Type": "Fail", "Error": "E", "CausePath": "$.X"},
            prefix="In")]}}), {}, REC, **rt_in("In0"))


def task_errors_fail():
    h = DG + "concepts-error-handling (Retry)"

    def retry_machine(t, **kw):
        return machine({"T": dict(t, End=True, **kw)})

    # MaxAttempts n: n + 1 calls, the last one's error is the execution's.
    for n in range(1, 6):
        add("retry", "exhausted-max-attempts-%d" % n, retry_machine(task(
            "fail_times", Parameters={"times": n + 1, "error": "E"},
            Retry=[{"ErrorEquals": ["E"], "MaxAttempts": n,
                    "IntervalSeconds": 1, "BackoffRate": 1}])), {}, h,
            error="E", cause_prefix=lambda_cause("E", "failure %d" % (n + 1)))
    add("retry", "exhausted-default-max-attempts", retry_machine(task(
        "fail_times", Parameters={"times": 10, "error": "E"},
        Retry=[{"ErrorEquals": ["E"]}])), {}, h + " (MaxAttempts 3)",
        error="E", cause_prefix=lambda_cause("E", "failure 4"))
    add("retry", "exhausted-always-failing", retry_machine(task(
        "fail", Parameters={"error": "Always", "cause": "never works"},
        Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}])), {}, h,
        error="Always", cause_prefix=lambda_cause("Always", "never works"))
    add("retry", "exhausted-taskfailed", retry_machine(task(
        "fail_times", Parameters={"times": 10, "error": "E"},
        Retry=[{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}])),
        {}, h, error="E", cause_prefix=lambda_cause("E", "failure 3"))
    add("retry", "exhausted-backoff-and-max-delay", retry_machine(task(
        "fail_times", Parameters={"times": 10, "error": "E"},
        Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 4, "IntervalSeconds": 3,
                "BackoffRate": 5, "MaxDelaySeconds": 10,
                "JitterStrategy": "FULL"}])), {}, h,
        error="E", cause_prefix=lambda_cause("E", "failure 5"))
    # Several retriers, one counter each (the spec's Retry example).
    s = "spec (Retry: one counter per retrier)"
    for name, errs, retriers, last, at in [
            ("a-then-c-then-b", ["A", "C", "B"],
             [(["A", "B"], 1), (["C"], 1)], "B", 3),
            ("second-retrier-exhausted", ["A", "C", "C"],
             [(["A", "B"], 1), (["C"], 1)], "C", 3),
            ("both-exhausted", ["A", "X", "A", "Y"],
             [(["A"], 2), (["States.ALL"], 1)], "Y", 4),
            ("first-match-zero-attempts", ["A", "A"],
             [(["A"], 0), (["States.ALL"], 3)], "A", 1),
            ("three-retriers", ["A", "B", "C", "A", "B", "C", "C"],
             [(["A"], 2), (["B"], 2), (["C"], 2)], "C", 7),
            ("alternating", ["A", "B", "A", "B", "A"],
             [(["A"], 2), (["B"], 5)], "A", 5)]:
        add("retry", "counters-" + name, retry_machine(task(
            "fail_seq", Parameters={"errors": errs},
            Retry=[{"ErrorEquals": e, "MaxAttempts": m} for e, m in
                   retriers])), {}, s, error=last,
            cause_prefix=lambda_cause(last, "failure %d" % at))
    # Retriers that do not match: no retry at all.
    for name, names in [("case", ["e"]), ("timeout-only", ["States.Timeout"]),
                        ("prefix", ["E1"]), ("runtime", ["States.Runtime"]),
                        ("heartbeat", ["States.HeartbeatTimeout"])]:
        add("retry", "not-matching-" + name, retry_machine(task(
            "fail_times", Parameters={"times": 1, "error": "E"},
            Retry=[{"ErrorEquals": names}])), {}, h, error="E",
            cause_prefix=lambda_cause("E", "failure 1"))
    add("retry", "exhausted-then-catch-not-matching", machine({
        "T": task("fail_times", Parameters={"times": 9, "error": "E"},
                  Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 1}],
                  Catch=[{"ErrorEquals": ["Other"], "Next": "C"}],
                  End=True),
        "C": {"Type": "Pass", "End": True}}), {}, h, error="E",
        cause_prefix=lambda_cause("E", "failure 2"))
    add("retry", "exhausted-in-map-iteration", machine({"M": {
        "Type": "Map", "MaxConcurrency": 1, "End": True,
        "ItemProcessor": branch(task(
            "fail_times", Parameters={"times": 9, "error": "E"},
            Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 2}]))}}), [1], h,
        error="E", cause_prefix=lambda_cause("E", "failure 3"))
    add("retry", "exhausted-on-parallel", machine({"P": {
        "Type": "Parallel", "End": True,
        "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 2}],
        "Branches": [branch(task("fail_times", Parameters={
            "times": 9, "error": "E"}))]}}), {}, h + " (a retried Parallel "
        "runs its branches again)", error="E",
        cause_prefix=lambda_cause("E", "failure 3"))
    add("retry", "exhausted-on-map", machine({"M": {
        "Type": "Map", "End": True, "MaxConcurrency": 1,
        "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1}],
        "ItemProcessor": branch(task("fail_times", Parameters={
            "times": 9, "error": "E"}))}}), [1], h, error="E",
        cause_prefix=lambda_cause("E", "failure 2"))
    add("retry", "exhausted-function-not-found", retry_machine(task(
        "nope", Retry=[{"ErrorEquals": [
            "Lambda.ResourceNotFoundException"], "MaxAttempts": 2}])), {},
        REC, error="Lambda.ResourceNotFoundException",
        cause_prefix="Function not found: ")
    add("retry", "retries-outlast-execution-timeout", machine({"T": task(
        "fail", Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 10,
                        "IntervalSeconds": 30}], End=True)},
        TimeoutSeconds=60), {}, DG + "sfn-stuck-execution",
        status="TIMED_OUT", error="States.Timeout")


def catch_fail():
    h = DG + "concepts-error-handling (Catch)"
    boom = task("fail", Parameters={"error": "MyError", "cause": "m"})
    boom_cause = lambda_cause("MyError", "m")

    def caught_by(state, catchers, **extra):
        m = {"S": dict(state, Catch=catchers, End=True),
             "C": {"Type": "Pass", "Result": "caught", "End": True}}
        m.update(extra)
        return machine(m)

    # Names that do not match (error names are exact and case-sensitive).
    for name, names in [
            ("lowercase", ["myerror"]), ("uppercase", ["MYERROR"]),
            ("trailing-space", ["MyError "]), ("prefix", ["My"]),
            ("longer", ["MyError2"]), ("states-prefixed", ["States.MyError"]),
            ("timeout", ["States.Timeout"]),
            ("heartbeat", ["States.HeartbeatTimeout"]),
            ("permissions", ["States.Permissions"]),
            ("runtime", ["States.Runtime"]),
            ("data-limit", ["States.DataLimitExceeded"]),
            ("resultpath", ["States.ResultPathMatchFailure"]),
            ("lambda-not-found", ["Lambda.ResourceNotFoundException"]),
            ("lambda-unknown", ["Lambda.Unknown"]),
            ("several", ["A", "B", "States.Timeout", "myError"])]:
        add("errors", "catch-not-matching-" + name,
            caught_by(boom, [{"ErrorEquals": names, "Next": "C"}]), {}, h,
            error="MyError", cause_prefix=boom_cause)
    add("errors", "catch-several-catchers-none-matching", caught_by(
        boom, [{"ErrorEquals": ["A"], "Next": "C"},
               {"ErrorEquals": ["B", "C"], "Next": "C"},
               {"ErrorEquals": ["States.Timeout"], "Next": "C"}]), {}, h,
        error="MyError", cause_prefix=boom_cause)
    t_out = {"Type": "Parallel", "Branches": [branch(
        {"Type": "Fail", "Error": "States.Timeout", "Cause": "late"})]}
    add("errors", "timeout-not-caught-by-heartbeat", caught_by(
        t_out, [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "C"}]),
        {}, h, error="States.Timeout", cause="late")
    add("errors", "timeout-not-caught-by-taskfailed-among-others",
        caught_by(t_out, [{"ErrorEquals": ["States.TaskFailed", "E"],
                           "Next": "C"}]), {}, h + " (TaskFailed does not "
        "match States.Timeout)", error="States.Timeout", cause="late")
    nf = task("nope")
    for name, names in [("timeout", ["States.Timeout"]),
                        ("unprefixed", ["ResourceNotFoundException"]),
                        ("other-lambda-error", ["Lambda.ServiceException"])]:
        add("errors", "lambda-not-found-not-caught-by-" + name,
            caught_by(nf, [{"ErrorEquals": names, "Next": "C"}]), {}, REC,
            error="Lambda.ResourceNotFoundException",
            cause_prefix="Function not found: ")
    # States.Runtime: never caught, never retried, whatever the name.
    r = REC + " (States.Runtime is not caught, even when named)"
    sources = [
        ("task-inputpath", task("echo", InputPath="$.nope"), "S"),
        ("task-outputpath", task("echo", OutputPath="$.nope"), "S"),
        ("task-resultselector", task("echo", ResultSelector={
            "a.$": "$.nope"}), "S"),
        ("task-parameters-intrinsic", task("echo", Parameters={
            "a.$": "States.ArrayGetItem($.l, 9)"}), "S"),
        ("task-timeoutsecondspath", task("echo",
                                         TimeoutSecondsPath="$.nope"), "S"),
        ("map-itemspath", {"Type": "Map", "ItemsPath": "$.nope",
                           "ItemProcessor": branch({"Type": "Pass"})}, "S"),
        ("map-not-array", {"Type": "Map", "ItemsPath": "$.o",
                           "ItemProcessor": branch({"Type": "Pass"})}, "S"),
        ("map-maxconcurrencypath", {"Type": "Map", "ItemsPath": "$.l",
                                    "MaxConcurrencyPath": "$.o",
                                    "ItemProcessor": branch(
                                        {"Type": "Pass"})}, "S"),
        ("map-iteration-variable", {"Type": "Map", "ItemsPath": "$.l",
                                    "ItemProcessor": branch(
                                        {"Type": "Pass", "Parameters": {
                                            "v.$": "$undefinedVar"}},
                                        prefix="RtM")}, "RtM0"),
        ("parallel-wait-negative", {"Type": "Parallel", "Branches": [branch(
            {"Type": "Wait", "SecondsPath": "$.neg"}, prefix="RtW")]},
         "RtW0"),
        ("parallel-choice-no-match", {"Type": "Parallel", "Branches": [{
            "StartAt": "RtC", "States": {"RtC": {
                "Type": "Choice", "Choices": [{
                    "Variable": "$.neg", "NumericGreaterThan": 0,
                    "Next": "RtOk"}]},
                "RtOk": {"Type": "Succeed"}}}]}, "RtC"),
        ("parallel-fail-errorpath", {"Type": "Parallel", "Branches": [branch(
            {"Type": "Fail", "ErrorPath": "$.nope"}, prefix="RtF")]},
         "RtF0"),
    ]
    inp = {"l": [1], "o": {"k": 1}, "neg": -1}
    for name, state, where in sources:
        exp = rt_any(where) if where == "S" else rt_in(where)
        add("errors", "runtime-%s-not-caught-by-all" % name, caught_by(
            state, [{"ErrorEquals": ["States.ALL"], "Next": "C"}]), inp, r,
            **exp)
        add("errors", "runtime-%s-not-caught-when-named" % name, caught_by(
            state, [{"ErrorEquals": ["States.Runtime"], "Next": "C"},
                    {"ErrorEquals": ["States.TaskFailed", "States.Timeout"],
                     "Next": "C"}]), inp, r, **exp)
    for name, state, where in sources[:6]:
        exp = rt_any(where)
        s = dict(state, Retry=[{"ErrorEquals": ["States.Runtime"]},
                               {"ErrorEquals": ["States.ALL"]}])
        add("errors", "runtime-%s-not-retried" % name,
            machine({"S": dict(s, End=True)}), inp, r, **exp)
    # Errors inside the states a catcher goes to.
    def handler(target, **more):
        m = {"S": dict(boom, Catch=[{"ErrorEquals": ["States.ALL"],
                                     "Next": "H", "ResultPath": "$.err"}],
                       End=True), "H": target}
        m.update(more)
        return machine(m)

    add("errors", "catch-target-fail-state", handler(
        {"Type": "Fail", "Error": "Handled", "Cause": "gave up"}), {}, h,
        error="Handled", cause="gave up")
    add("errors", "catch-target-fail-causepath-from-error-output", handler(
        {"Type": "Fail", "ErrorPath": "$.err.Error",
         "CausePath": "$.err.Cause"}), {}, h, error="MyError",
        cause_prefix=boom_cause)
    add("errors", "catch-target-task-fails", handler(
        task("fail", Parameters={"error": "SecondError", "cause": "again"},
             End=True)), {}, h, error="SecondError",
        cause_prefix=lambda_cause("SecondError", "again"))
    add("errors", "catch-target-runtime", handler(
        {"Type": "Pass", "InputPath": "$.nope", "End": True}), {}, REC,
        **rt_in("H"))
    add("errors", "catch-target-catch-not-matching", handler(
        task("fail", Parameters={"error": "Inner"}, Catch=[
            {"ErrorEquals": ["MyError"], "Next": "Z"}], End=True),
        Z={"Type": "Pass", "End": True}), {}, h, error="Inner",
        cause_prefix=lambda_cause("Inner", "boom"))
    add("errors", "catch-target-choice-no-match", handler(
        {"Type": "Choice", "Choices": [
            {"Variable": "$.err.Error", "StringEquals": "Other",
             "Next": "Z"}]}, Z={"Type": "Pass", "End": True}), {}, REC,
        **rt_in("H"))
    add("errors", "catch-target-parallel-branch-fails", handler(
        {"Type": "Parallel", "End": True, "Branches": [branch(
            {"Type": "Fail", "ErrorPath": "$.err.Error",
             "Cause": "rethrown"})]}), {}, REC, error="MyError",
        cause="rethrown")
    add("errors", "catch-target-map-iteration-fails", handler(
        {"Type": "Map", "ItemsPath": "$.l", "End": True,
         "ItemProcessor": branch({"Type": "Fail", "Error": "PerItem"})}),
        {"l": [1, 2]}, REC, error="PerItem")
    add("errors", "catch-chain-second-not-caught", machine({
        "S": dict(boom, Catch=[{"ErrorEquals": ["MyError"], "Next": "T"}],
                  End=True),
        "T": task("fail", Parameters={"error": "Again"}, Catch=[
            {"ErrorEquals": ["MyError"], "Next": "Z"}], End=True),
        "Z": {"Type": "Pass", "End": True}}), {}, h, error="Again",
        cause_prefix=lambda_cause("Again", "boom"))


def choice_fail():
    src = DG + "state-choice (a missing Variable is States.Runtime)"
    ops = [("StringEquals", "a"), ("StringLessThan", "a"),
           ("StringGreaterThan", "a"), ("StringLessThanEquals", "a"),
           ("StringGreaterThanEquals", "a"), ("StringMatches", "a*"),
           ("NumericEquals", 1), ("NumericLessThan", 1),
           ("NumericGreaterThan", 1), ("NumericLessThanEquals", 1),
           ("NumericGreaterThanEquals", 1), ("BooleanEquals", True),
           ("TimestampEquals", "2016-01-01T00:00:00Z"),
           ("TimestampLessThan", "2016-01-01T00:00:00Z"),
           ("TimestampGreaterThan", "2016-01-01T00:00:00Z"),
           ("TimestampLessThanEquals", "2016-01-01T00:00:00Z"),
           ("TimestampGreaterThanEquals", "2016-01-01T00:00:00Z"),
           ("IsNull", True), ("IsNumeric", True), ("IsString", True),
           ("IsBoolean", True), ("IsTimestamp", True), ("IsNull", False),
           ("IsString", False)]
    seen = set()
    for op, operand in ops:
        name = op if op not in seen else op + "-false"
        seen.add(op)
        add("choice", "missing-variable-" + name,
            choice_machine({"Variable": "$.x", op: operand}), {"y": 1}, src,
            **rt_any("C", "Invalid path '$.x'"))
        if op.startswith("Is") or op == "StringMatches":
            continue
        add("choice", "missing-variable-" + op + "Path",
            choice_machine({"Variable": "$.x", op + "Path": "$.o"}),
            {"o": operand}, src, **rt_any("C", "Invalid path '$.x'"))
        v = operand if not isinstance(operand, str) or \
            not op.startswith("String") else "a"
        add("choice", "missing-operand-" + op + "Path",
            choice_machine({"Variable": "$.v", op + "Path": "$.nope"}),
            {"v": v}, SPEC + " (a *Path operand is a path on the input)"
            + RT_NOTE, **rt_any("C"))
    for name, path in [("nested", "$.a.b"), ("index", "$.l[3]"),
                       ("context", "$$.Execution.Input.x"),
                       ("member-of-string", "$.s.x")]:
        add("choice", "missing-variable-" + name,
            choice_machine({"Variable": path, "StringEquals": "a"}),
            {"a": {}, "l": [1], "s": "t"}, src,
            **rt_any("C", "Invalid path '%s'" % path))
    for name, rule in [
            ("and-second", {"And": [{"Variable": "$.v", "IsPresent": True},
                                    {"Variable": "$.x",
                                     "NumericEquals": 1}]}),
            ("or-after-false", {"Or": [{"Variable": "$.v",
                                        "NumericEquals": 9},
                                       {"Variable": "$.x",
                                        "NumericEquals": 1}]}),
            ("not", {"Not": {"Variable": "$.x", "IsNull": True}}),
            ("deep", {"Or": [{"And": [{"Not": {
                "Variable": "$.x", "StringEquals": "a"}}]}]})]:
        add("choice", "missing-variable-in-" + name, choice_machine(rule),
            {"v": 0}, src, **rt_any("C", "Invalid path '$.x'"))
    add("choice", "missing-variable-in-second-rule", machine({
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.v", "NumericEquals": 9, "Next": "Y"},
            {"Variable": "$.x", "NumericEquals": 1, "Next": "Y"}],
            "Default": "Y"},
        "Y": {"Type": "Pass", "End": True}}), {"v": 0}, src,
        **rt_any("C", "Invalid path '$.x'"))
    add("choice", "missing-variable-after-inputpath",
        choice_machine({"Variable": "$.v", "NumericEquals": 0},
                       InputPath="$.sub"), {"v": 0, "sub": {}}, src,
        **rt_any("C", "Invalid path '$.v'"))
    add("choice", "missing-variable-in-map", machine({"M": {
        "Type": "Map", "End": True, "ItemProcessor": {
            "StartAt": "MC", "States": {
                "MC": {"Type": "Choice", "Choices": [
                    {"Variable": "$.x", "NumericEquals": 1, "Next": "MY"}],
                    "Default": "MY"},
                "MY": {"Type": "Succeed"}}}}}), [{"x": 1}, {"y": 2}], src,
        **rt_in("MC"))
    add("choice", "missing-variable-in-parallel", machine({"P": {
        "Type": "Parallel", "End": True, "Branches": [
            branch({"Type": "Pass"}), {
                "StartAt": "PC", "States": {
                    "PC": {"Type": "Choice", "Choices": [
                        {"Variable": "$.x", "IsString": True, "Next": "PY"}],
                        "Default": "PY"},
                    "PY": {"Type": "Succeed"}}}]}}), {}, src, **rt_in("PC"))
    # No rule matched and no Default [AWS-rec: States.Runtime].
    r = REC + " (no Choice rule matched, no Default: States.Runtime)"
    for name, rules, inp in [
            ("two-rules", [{"Variable": "$.v", "NumericLessThan": 0},
                           {"Variable": "$.v", "NumericGreaterThan": 10}],
             {"v": 5}),
            ("and-false", [{"And": [{"Variable": "$.v", "IsNumeric": True},
                                    {"Variable": "$.v",
                                     "NumericEquals": 1}]}], {"v": 5}),
            ("not-of-true", [{"Not": {"Variable": "$.v",
                                      "IsPresent": True}}], {"v": 5}),
            ("type-mismatch", [{"Variable": "$.v", "StringEquals": "5"}],
             {"v": 5}),
            ("ispresent-false", [{"Variable": "$.x", "IsPresent": True}],
             {"v": 5}),
            ("stringmatches", [{"Variable": "$.v",
                                "StringMatches": "a*z"}], {"v": "abc"}),
            ("timestamp-invalid", [{"Variable": "$.v",
                                    "TimestampLessThan":
                                    "2030-01-01T00:00:00Z"}],
             {"v": "not a time"}),
            ("with-rule-assign", [{"Variable": "$.v", "IsNull": True,
                                   "Assign": {"a": 1}}], {"v": 5})]:
        st = {"Type": "Choice", "Choices": [dict(x, Next="Y")
                                            for x in rules]}
        add("choice", "no-match-" + name, machine({
            "C": st, "Y": {"Type": "Pass", "End": True}}), inp, r,
            **rt_any("C"))
    add("choice", "no-match-after-pass", machine({
        "A": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.v", "BooleanEquals": True, "Next": "Y"}]},
        "Y": {"Type": "Pass", "End": True}}), {"v": False}, r, **rt_in("C"))
    add("choice", "no-match-in-map-iteration", machine({"M": {
        "Type": "Map", "End": True, "ItemProcessor": {
            "StartAt": "NC", "States": {
                "NC": {"Type": "Choice", "Choices": [
                    {"Variable": "$", "NumericGreaterThan": 0,
                     "Next": "NY"}]},
                "NY": {"Type": "Succeed"}}}}}), [3, 2, -1], r, **rt_in("NC"))
    for i, pat in enumerate(["abc\\", "a\\\\\\"]):
        add("choice", "stringmatches-bad-escape-%d" % i,
            choice_machine({"Variable": "$.v", "StringMatches": pat}),
            {"v": "abc"}, SPEC + " (StringMatches: an unpaired backslash)"
            + RT_NOTE, **rt_any("C"))


def map_parallel_fail():
    g = DG + "state-map-inline (ItemsPath must select an array)" + RT_NOTE
    for t in ["string", "number", "bool", "null", "object"]:
        add("map", "itemspath-not-array-" + t, machine({"M": {
            "Type": "Map", "ItemsPath": "$.v", "End": True,
            "ItemProcessor": branch({"Type": "Pass"})}}), {"v": WRONG[t]},
            g, **rt_any("M"))
    for t, v in [("object", {"a": 1}), ("string", "abc"), ("number", 3),
                 ("null", NULL), ("bool", False)]:
        add("map", "input-not-array-" + t, machine({"M": {
            "Type": "Map", "End": True,
            "ItemProcessor": branch({"Type": "Pass"})}}), v, g,
            **rt_any("M"))
    add("map", "itemspath-not-array-after-inputpath", machine({"M": {
        "Type": "Map", "InputPath": "$.sub", "End": True,
        "ItemProcessor": branch({"Type": "Pass"})}}),
        {"sub": {"l": [1]}}, g, **rt_any("M"))
    add("map", "itemspath-not-array-variable", machine({
        "A": {"Type": "Pass", "Assign": {"items": {"a": 1}}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$items", "End": True,
              "ItemProcessor": branch({"Type": "Pass"})}}), {}, g,
        **rt_in("M"))
    add("map", "itemspath-not-array-nested-map", machine({"M": {
        "Type": "Map", "End": True, "ItemProcessor": branch(
            {"Type": "Map", "ItemsPath": "$.inner", "ItemProcessor": branch(
                {"Type": "Pass"})}, prefix="NM")}}),
        [{"inner": [1]}, {"inner": "no"}], g, **rt_in("NM0"))
    # One failing iteration among many fails the Map with its error and
    # cause [AWS-rec].
    r = REC + " (a failing iteration fails the Map with its own error)"

    def picky(**kw):
        s = {"Type": "Map", "End": True, "ItemProcessor": {
            "StartAt": "Chk", "States": {
                "Chk": {"Type": "Choice", "Choices": [
                    {"Variable": "$", "NumericEquals": 99, "Next": "Bad"}],
                    "Default": "Good"},
                "Bad": {"Type": "Fail", "Error": "BadItem",
                        "Cause": "item 99"},
                "Good": {"Type": "Pass", "End": True}}}}
        s.update(kw)
        return machine({"M": s})

    for pos in [0, 2, 4]:
        items = [1, 2, 3, 4, 5]
        items[pos] = 99
        add("map", "one-of-five-fails-at-%d" % pos, picky(), items, r,
            error="BadItem", cause="item 99")
        add("map", "one-of-five-fails-at-%d-sequential" % pos,
            picky(MaxConcurrency=1), items, r, error="BadItem",
            cause="item 99")
    add("map", "one-of-ten-fails-concurrency-3", picky(MaxConcurrency=3),
        [1, 2, 3, 4, 5, 6, 7, 99, 9, 10], r, error="BadItem",
        cause="item 99")
    add("map", "one-of-many-fails-after-wait", machine({"M": {
        "Type": "Map", "End": True, "ItemProcessor": {
            "StartAt": "Wt", "States": {
                "Wt": {"Type": "Wait", "SecondsPath": "$.w", "Next": "Chk"},
                "Chk": {"Type": "Choice", "Choices": [
                    {"Variable": "$.bad", "IsPresent": True,
                     "Next": "Bad"}], "Default": "Good"},
                "Bad": {"Type": "Fail", "Error": "Slow",
                        "CausePath": "$.bad"},
                "Good": {"Type": "Pass", "End": True}}}}}),
        [{"w": 1}, {"w": 50, "bad": "late failure"}, {"w": 2}], r,
        error="Slow", cause="late failure")
    add("map", "one-task-of-many-fails", machine({"M": {
        "Type": "Map", "End": True, "ItemProcessor": branch(task("add"))}}),
        [{"a": 1, "b": 2}, {"a": 3, "b": 4}, {"a": "x", "b": 1},
         {"a": 5, "b": 6}], r, error="TypeError",
        cause_prefix=lambda_cause("TypeError", "a and b must be integers"))
    add("map", "inner-map-item-fails", machine({"M": {
        "Type": "Map", "End": True, "ItemProcessor": branch(
            {"Type": "Map", "ItemProcessor": {
                "StartAt": "IChk", "States": {
                    "IChk": {"Type": "Choice", "Choices": [
                        {"Variable": "$", "NumericEquals": 99,
                         "Next": "IBad"}], "Default": "IGood"},
                    "IBad": {"Type": "Fail", "Error": "InnerBad",
                             "Cause": "inner 99"},
                    "IGood": {"Type": "Pass", "End": True}}}})}}),
        [[1, 2], [3, 99], [5]], r, error="InnerBad", cause="inner 99")
    m = picky(Catch=[{"ErrorEquals": ["OtherError"], "Next": "C"}])
    m["States"]["C"] = {"Type": "Pass", "End": True}
    add("map", "iteration-fails-with-catch-not-matching", m, [1, 99], r,
        error="BadItem", cause="item 99")
    # One failing branch among many fails the Parallel [AWS-rec].
    r = REC + " (a failing branch fails the Parallel with its own error)"
    for pos in [0, 2, 4]:
        bs = [branch({"Type": "Pass", "Result": i}) for i in range(5)]
        bs[pos] = branch({"Type": "Fail", "Error": "Branch%d" % pos,
                          "Cause": "branch %d failed" % pos})
        add("parallel", "one-of-five-fails-at-%d" % pos, machine({"P": {
            "Type": "Parallel", "End": True, "Branches": bs}}), {}, r,
            error="Branch%d" % pos, cause="branch %d failed" % pos)
    add("parallel", "slow-branch-fails", machine({"P": {
        "Type": "Parallel", "End": True, "Branches": [
            branch({"Type": "Pass"}),
            branch({"Type": "Wait", "Seconds": 30},
                   {"Type": "Fail", "Error": "Slow", "Cause": "waited"}),
            branch({"Type": "Wait", "Seconds": 5})]}}), {}, r,
        error="Slow", cause="waited")
    add("parallel", "task-branch-fails", machine({"P": {
        "Type": "Parallel", "End": True, "Branches": [
            branch(task("add", Parameters={"a": 1, "b": 2})),
            branch(task("add", Parameters={"a": "1", "b": 2})),
            branch(task("echo"))]}}), {}, r, error="TypeError",
        cause_prefix=lambda_cause("TypeError", "a and b must be integers"))
    add("parallel", "branch-fails-after-several-states", machine({"P": {
        "Type": "Parallel", "End": True, "Branches": [
            branch({"Type": "Pass", "Result": 1}),
            branch({"Type": "Pass", "Result": {"e": "Late"}},
                   {"Type": "Wait", "Seconds": 1},
                   {"Type": "Fail", "ErrorPath": "$.e",
                    "Cause": "third state"})]}}), {}, r, error="Late",
        cause="third state")
    add("parallel", "branch-fails-catch-not-matching", machine({
        "P": {"Type": "Parallel", "End": True, "Catch": [
            {"ErrorEquals": ["Branch1"], "Next": "C"}], "Branches": [
            branch({"Type": "Pass"}),
            branch({"Type": "Fail", "Error": "branch1", "Cause": "case"})]},
        "C": {"Type": "Pass", "End": True}}), {}, r, error="branch1",
        cause="case")
    add("parallel", "map-in-branch-fails", machine({"P": {
        "Type": "Parallel", "End": True, "Branches": [
            branch({"Type": "Pass"}),
            branch({"Type": "Map", "ItemsPath": "$.l",
                    "ItemProcessor": branch(
                        {"Type": "Fail", "Error": "FromMap",
                         "Cause": "in a branch"})})]}}), {"l": [1]}, r,
        error="FromMap", cause="in a branch")


def limits_fail():
    d = REC + " (States.DataLimitExceeded, 256 KiB)"
    suf = ("' returned a result with a size exceeding the maximum number of "
           "bytes service limit.")
    dl = {"error": "States.DataLimitExceeded",
          "cause_prefix": "The state/task '", "cause_suffix": suf}
    big = task("big", Parameters={"size": 100000})
    add("errors", "data-limit-map-results", machine({"M": {
        "Type": "Map", "End": True, "ItemProcessor": branch(big)}}),
        [1, 2, 3], d, **dl)
    add("errors", "data-limit-parallel-results", machine({"P": {
        "Type": "Parallel", "End": True, "Branches": [
            branch(task("big", Parameters={"size": 150000})),
            branch(task("big", Parameters={"size": 150000}))]}}), {}, d,
        **dl)
    add("errors", "data-limit-resultselector-output", machine({"T": task(
        "big", Parameters={"size": 150000}, ResultSelector={
            "a.$": "$", "b.$": "$"}, End=True)}), {}, d,
        error="States.DataLimitExceeded", cause_prefix="The state/task '",
        cause_suffix=suf)
    add("errors", "data-limit-resultpath-merge", chain(
        task("big", Parameters={"size": 150000}, ResultPath="$.a"),
        task("big", Parameters={"size": 150000}, ResultPath="$.b")), {}, d,
        **dl)
    add("errors", "data-limit-in-map-iteration", machine({"M": {
        "Type": "Map", "End": True, "ItemProcessor": branch(task(
            "big", Parameters={"size": 300000}))}}), [1], d,
        error="States.DataLimitExceeded",
        cause="The state/task '%s" % lam("big") + suf)
    add("errors", "data-limit-in-parallel-branch", machine({"P": {
        "Type": "Parallel", "End": True, "Branches": [
            branch({"Type": "Pass"}),
            branch(task("big", Parameters={"size": 300000}))]}}), {}, d,
        error="States.DataLimitExceeded",
        cause="The state/task '%s" % lam("big") + suf)
    add("errors", "data-limit-map-not-caught-by-all", machine({
        "M": {"Type": "Map", "End": True, "ItemProcessor": branch(big),
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}]},
        "C": {"Type": "Pass", "End": True}}), [1, 2, 3], d, **dl)
    add("errors", "data-limit-not-caught-when-named", machine({
        "T": task("big", Parameters={"size": 300000}, End=True, Catch=[
            {"ErrorEquals": ["States.DataLimitExceeded"], "Next": "C"}]),
        "C": {"Type": "Pass", "End": True}}), {}, d + "; doc/semantics.md "
        "(named: not caught)", error="States.DataLimitExceeded")
    add("errors", "data-limit-not-retried", machine({"T": task(
        "big", Parameters={"size": 300000}, End=True, Retry=[
            {"ErrorEquals": ["States.ALL"]}])}), {}, d,
        error="States.DataLimitExceeded")
    add("errors", "data-limit-lambda-invoke-payload", machine({"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "big", "Payload": {"size": 300000}},
        "End": True}}), {}, d, error="States.DataLimitExceeded")
    # The execution's TimeoutSeconds: TIMED_OUT, States.Timeout.
    x = DG + "sfn-stuck-execution (TimeoutSeconds)"
    to = {"status": "TIMED_OUT", "error": "States.Timeout"}
    for name, states, inp, secs in [
            ("secondspath", {"W": {"Type": "Wait", "SecondsPath": "$.s",
                                   "End": True}}, {"s": 1000}, 60),
            ("timestamp", {"W": {"Type": "Wait",
                                 "Timestamp": "2026-01-02T00:00:00Z",
                                 "End": True}}, {}, 3600),
            ("timestamppath", {"W": {"Type": "Wait", "TimestampPath": "$.t",
                                     "End": True}},
             {"t": "2026-01-01T01:00:00Z"}, 600),
            ("wait-in-map", {"M": {"Type": "Map", "End": True,
                                   "ItemProcessor": branch(
                                       {"Type": "Wait",
                                        "SecondsPath": "$"})}},
             [5, 500], 100),
            ("wait-in-parallel", {"P": {"Type": "Parallel", "End": True,
                                        "Branches": [
                                            branch({"Type": "Wait",
                                                    "Seconds": 5}),
                                            branch({"Type": "Wait",
                                                    "Seconds": 500})]}},
             {}, 100),
            ("sequential-map", {"M": {"Type": "Map", "MaxConcurrency": 1,
                                      "End": True,
                                      "ItemProcessor": branch(
                                          {"Type": "Wait",
                                           "SecondsPath": "$"})}},
             [40, 40, 40], 100),
            ("after-task", {"T": task("echo", Next="W"),
                            "W": {"Type": "Wait", "Seconds": 100,
                                  "End": True}}, {}, 50),
            ("map-catch-all", {"M": {"Type": "Map", "End": True,
                                     "Catch": [{"ErrorEquals": [
                                         "States.ALL"], "Next": "C"}],
                                     "ItemProcessor": branch(
                                         {"Type": "Wait",
                                          "Seconds": 300})},
                               "C": {"Type": "Pass", "End": True}},
             [1], 100),
            ("timeout-retried", {"P": {"Type": "Parallel", "End": True,
                                       "Retry": [{"ErrorEquals": [
                                           "States.Timeout"]}],
                                       "Branches": [branch(
                                           {"Type": "Wait",
                                            "Seconds": 300})]}},
             {}, 100)]:
        m = machine(states)
        m["TimeoutSeconds"] = secs
        add("states", "execution-timeout-" + name, m, inp, x, **to)
    add("states", "execution-timeout-chain-of-waits", dict(chain(
        *[{"Type": "Wait", "Seconds": 30} for _ in range(4)]),
        TimeoutSeconds=100), {}, x, **to)


def lambda_fail():
    r = REC + " (Lambda.ResourceNotFoundException)"
    nf = {"error": "Lambda.ResourceNotFoundException"}
    acct = "arn:aws:lambda:us-east-1:123456789012:function:"
    add("errors", "lambda-not-found-qualified-arn", one({
        "Type": "Task", "Resource": acct + "nope:PROD"}), {}, r,
        cause_prefix="Function not found: " + acct + "nope:PROD (Service: "
        "AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException;"
        " Request ID: ", **nf)
    add("errors", "lambda-not-found-other-region", one({
        "Type": "Task",
        "Resource": "arn:aws:lambda:eu-west-1:111111111111:function:nope"}),
        {}, r, cause_prefix="Function not found: arn:aws:lambda:eu-west-1:"
        "111111111111:function:nope", **nf)
    inv = "arn:aws:states:::lambda:invoke"
    for name, params in [
            ("name", {"FunctionName": "nope", "Payload.$": "$"}),
            ("arn", {"FunctionName": acct + "nope", "Payload.$": "$"}),
            ("path", {"FunctionName.$": "$.fn", "Payload": {}}),
            ("no-payload", {"FunctionName": "nope"})]:
        add("errors", "lambda-invoke-not-found-" + name, one({
            "Type": "Task", "Resource": inv, "Parameters": params}),
            {"fn": "nope"}, r, cause_prefix="Function not found: "
            "arn:aws:lambda:", **nf)
    add("errors", "lambda-not-found-in-map", machine({"M": {
        "Type": "Map", "End": True, "ItemProcessor": branch(task(
            "nope"))}}), [1, 2], r, cause_prefix="Function not found: ",
        **nf)
    add("errors", "lambda-not-found-in-parallel", machine({"P": {
        "Type": "Parallel", "End": True, "Branches": [
            branch(task("echo")), branch({
                "Type": "Task", "Resource": inv, "Parameters": {
                    "FunctionName": "nope"}})]}}), {}, r,
        cause_prefix="Function not found: ", **nf)
    add("errors", "lambda-not-found-after-success", chain(
        task("echo"), task("nope")), {}, r,
        cause_prefix="Function not found: " + acct + "nope", **nf)
    add("errors", "lambda-not-found-not-caught-by-taskfailed-typo", machine({
        "T": task("nope", Catch=[{"ErrorEquals": ["States.TaskFail"],
                                  "Next": "C"}], End=True),
        "C": {"Type": "Pass", "End": True}}), {}, r,
        cause_prefix="Function not found: ", **nf)


def variables_fail():
    g = DG + "workflow-variables (a variable never assigned)" + RT_NOTE
    inp = {"l": [1], "a": 1}
    for name, state in [
            ("inputpath", {"Type": "Pass", "InputPath": "$nope"}),
            ("outputpath", {"Type": "Pass", "OutputPath": "$nope"}),
            ("resultselector", task("echo", ResultSelector={
                "x.$": "$nope"})),
            ("itemselector", {"Type": "Map", "ItemsPath": "$.l",
                              "ItemSelector": {"x.$": "$nope"},
                              "ItemProcessor": branch({"Type": "Pass"})}),
            ("assign", {"Type": "Pass", "Assign": {"x.$": "$nope"}}),
            ("assign-task", task("echo", Assign={"x.$": "$nope.f"})),
            ("secondspath", {"Type": "Wait", "SecondsPath": "$nope"}),
            ("timestamppath", {"Type": "Wait", "TimestampPath": "$nope"}),
            ("errorpath", {"Type": "Fail", "ErrorPath": "$nope"}),
            ("causepath", {"Type": "Fail", "Error": "E",
                           "CausePath": "$nope"}),
            ("itemspath", {"Type": "Map", "ItemsPath": "$nope",
                           "ItemProcessor": branch({"Type": "Pass"})}),
            ("maxconcurrencypath", {"Type": "Map", "ItemsPath": "$.l",
                                    "MaxConcurrencyPath": "$nope",
                                    "ItemProcessor": branch(
                                        {"Type": "Pass"})}),
            ("timeoutsecondspath", task("echo",
                                        TimeoutSecondsPath="$nope")),
            ("intrinsic-arg", {"Type": "Pass", "Parameters": {
                "x.$": "States.Format('{}', $nope)"}}),
            ("parallel-parameters", {"Type": "Parallel", "Parameters": {
                "x.$": "$nope"}, "Branches": [branch({"Type": "Pass"})]}),
            ("indexed", {"Type": "Pass", "Parameters": {
                "x.$": "$nope[0]"}})]:
        add("variables", "undefined-in-" + name, one(state), inp, g,
            **rt_any("P"))
    add("variables", "undefined-in-choice-variable",
        choice_machine({"Variable": "$nope", "IsNull": False}), inp, g,
        **rt_any("C"))
    add("variables", "undefined-in-choice-path-operand",
        choice_machine({"Variable": "$.a", "NumericEqualsPath": "$nope"}),
        inp, g, **rt_any("C"))
    add("variables", "undefined-in-catcher-assign", machine({
        "T": task("fail", Catch=[{"ErrorEquals": ["States.ALL"],
                                  "Next": "C", "Assign": {
                                      "x.$": "$nope"}}], End=True),
        "C": {"Type": "Pass", "End": True}}), inp, g, **rt_in("T"))
    add("variables", "defined-but-member-missing", chain(
        {"Type": "Pass", "Assign": {"v": {"a": 1}}},
        {"Type": "Pass", "Parameters": {"x.$": "$v.b"}}), inp, g,
        **rt_in("P1"))
    add("variables", "read-before-assigned", chain(
        {"Type": "Pass", "Parameters": {"x.$": "$later"}},
        {"Type": "Pass", "Assign": {"later": 1}}), inp, g, **rt_any("P0"))
    add("variables", "assigned-in-rule-not-taken", machine({
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.a", "NumericEquals": 2, "Next": "R",
             "Assign": {"x": 1}}], "Default": "R"},
        "R": {"Type": "Pass", "Parameters": {"x.$": "$x"}, "End": True}}),
        inp, g, **rt_in("R"))
    add("variables", "sibling-branch-not-visible", machine({"P": {
        "Type": "Parallel", "End": True, "Branches": [
            branch({"Type": "Pass", "Assign": {"mine": 1}},
                   prefix="SibA"),
            branch({"Type": "Wait", "Seconds": 5},
                   {"Type": "Pass", "Parameters": {"x.$": "$mine"}},
                   prefix="SibB")]}}), inp, DG + "workflow-variables "
        "(branches have their own scopes)" + RT_NOTE, **rt_in("SibB1"))
    add("variables", "previous-iteration-not-visible", machine({"M": {
        "Type": "Map", "End": True, "MaxConcurrency": 1,
        "ItemProcessor": {"StartAt": "Chk", "States": {
            "Chk": {"Type": "Choice", "Choices": [
                {"Variable": "$", "NumericEquals": 1, "Next": "Set"}],
                "Default": "Get"},
            "Set": {"Type": "Pass", "Assign": {"it": 1}, "End": True},
            "Get": {"Type": "Pass", "Parameters": {"x.$": "$it"},
                    "End": True}}}}}), [1, 2], DG + "workflow-variables "
        "(iterations have their own scopes)" + RT_NOTE, **rt_in("Get"))
    add("variables", "failed-state-assign-not-visible", machine({
        "T": task("fail", Assign={"x": 1}, Catch=[
            {"ErrorEquals": ["States.ALL"], "Next": "R"}], End=True),
        "R": {"Type": "Pass", "Parameters": {"x.$": "$x"}, "End": True}}),
        inp, DG + "workflow-variables (only the catcher's Assign runs)"
        + RT_NOTE, **rt_in("R"))


def lambda_invoke_payload():
    """lambda:invoke as AWS invokes: no Payload is {};
    a string Payload is the request body itself, which Lambda parses; text
    that is not JSON is Lambda's InvalidRequestContentException."""
    src = REC + " (lambda:invoke's Payload: the request body)"
    inv = "arn:aws:states:::lambda:invoke"

    def call(params):
        p = {"FunctionName": "echo"}
        p.update(params)
        return one({"Type": "Task", "Resource": inv, "Parameters": p,
                    "OutputPath": "$.Payload"})
    add("io", "lambda-invoke-no-payload", call({}), {"a": 1}, src,
        output={})
    add("io", "lambda-invoke-payload-string-real", call({"Payload": "0.0"}),
        {}, src, output_text="0.0")
    add("io", "lambda-invoke-payload-string-object",
        call({"Payload": '{"a": [1, 2], "b": "x"}'}), {}, src,
        output_ordered={"a": [1, 2], "b": "x"})
    add("io", "lambda-invoke-payload-string-string",
        call({"Payload": '"text"'}), {}, src, output="text")
    add("io", "lambda-invoke-payload-string-blank", call({"Payload": " "}),
        {}, src, output={})
    add("io", "lambda-invoke-payload-string-path",
        call({"Payload.$": "$.body"}), {"body": "[true, null]"}, src,
        output=[True, None])
    add("io", "lambda-invoke-payload-string-intrinsic",
        call({"Payload.$": "States.JsonToString($.o)"}), {"o": {"k": 2}},
        src, output={"k": 2})
    add("io", "lambda-invoke-payload-object-unchanged",
        call({"Payload": {"s": "0.0"}}), {}, src, output={"s": "0.0"})
    for name, text in [("not-json", "not json"), ("truncated", '{"a": '),
                       ("two-texts", "1 2")]:
        add("errors", "lambda-invoke-payload-" + name,
            call({"Payload": text}), {},
            src + "; Lambda's InvalidRequestContentException",
            error="Lambda.InvalidRequestContentException",
            cause_prefix="Could not parse request body into json: Could "
            "not parse payload into json: ",
            cause_suffix="; Proxy: null)")


def cancel_on_failure():
    """A failing branch or iteration stops the others at once, where it
    failed on the clock: the failure first on the clock
    is reported (ties: the lower index), the others are cut where it
    happened; the state fails or its Catch runs then."""
    src = DG + "state-parallel / state-map (a failure stops the others) " \
        "and doc/semantics.md (the failure first on the clock)"
    poll = {"StartAt": "EOPoll", "States": {
        "EOPoll": {"Type": "Pass", "Parameters": {"n": 0}, "Next": "EOWait"},
        "EOWait": {"Type": "Wait", "Seconds": 1, "Next": "EOMore"},
        "EOMore": {"Type": "Pass",
                   "Parameters": {"n.$": "States.MathAdd($.n, 1)"},
                   "Next": "EOCheck"},
        "EOCheck": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericLessThan": 50, "Next": "EOWait"}],
            "Default": "EODone"},
        "EODone": {"Type": "Succeed"}}}
    giveup = {"StartAt": "EGWait", "States": {
        "EGWait": {"Type": "Wait", "Seconds": 5, "Next": "EGFail"},
        "EGFail": {"Type": "Fail", "Error": "Gave.Up", "Cause": "no"}}}
    after = {"Type": "Pass", "Parameters": {
        "t.$": "$$.State.EnteredTime", "e.$": "$.Error"}, "End": True}
    for name, branches in [("poller-first", [poll, giveup]),
                           ("poller-second", [giveup, poll])]:
        add("parallel", "either-or-" + name, machine({
            "P": {"Type": "Parallel", "Branches": branches, "Catch": [
                {"ErrorEquals": ["States.ALL"], "Next": "After"}],
                "End": True},
            "After": after}), {}, src,
            output={"t": "2026-01-01T00:00:05Z", "e": "Gave.Up"})

    # Items: 0 fails at 5 s, 1 ends at 1 s, 2 and 3 fail at 2 s, 4 ends at
    # once.  2 wins (2 s, index 2 < 3); 0 and 3 are cancelled, 1 and 4
    # count.
    def proc(x):
        return {"StartAt": x + "Pick", "States": {
            x + "Pick": {"Type": "Choice", "Choices": [
                {"Variable": "$", "NumericEquals": 0, "Next": x + "W5"},
                {"Variable": "$", "NumericEquals": 1, "Next": x + "W1"},
                {"Variable": "$", "NumericEquals": 4, "Next": x + "Done"}],
                "Default": x + "W2"},
            x + "W5": {"Type": "Wait", "Seconds": 5, "Next": x + "Fail0"},
            x + "Fail0": {"Type": "Fail", "Error": "E0", "Cause": "item 0"},
            x + "W1": {"Type": "Wait", "Seconds": 1, "Next": x + "Done"},
            x + "W2": {"Type": "Wait", "Seconds": 2, "Next": x + "Fail"},
            x + "Fail": {"Type": "Fail",
                         "ErrorPath": "States.Format('E{}', $)",
                         "CausePath": "States.Format('item {}', $)"},
            x + "Done": {"Type": "Succeed"}}}
    add("map", "failure-first-on-the-clock", machine({
        "M": {"Type": "Map", "ItemProcessor": proc("FC"), "End": True}}),
        [0, 1, 2, 3, 4], src, error="E2", cause="item 2")
    add("map", "failure-first-on-the-clock-catch", machine({
        "M": {"Type": "Map", "ItemProcessor": proc("FK"), "Catch": [
            {"ErrorEquals": ["States.ALL"], "Next": "After"}], "End": True},
        "After": after}), [0, 1, 2, 3, 4], src,
        output={"t": "2026-01-01T00:00:02Z", "e": "E2"})
    # An iteration that fails at once: unbounded, it stops the others where
    # they are (item 0's hour-long Wait is cut at once); under
    # MaxConcurrency 1 the items run one after the other, as AWS runs
    # them: item 0 waits its hour, item 1 fails then, items 2 and 3 never
    # start.
    for name, mc, t in [("", None, "2026-01-01T00:00:00Z"),
                        ("-one-at-a-time", 1, "2026-01-01T01:00:00Z"),
                        ("-two-at-a-time", 2, "2026-01-01T00:00:00Z")]:
        x = "FO" + str(mc or "")
        m = {"Type": "Map", "ItemProcessor": {
            "StartAt": x + "Pick", "States": {
                x + "Pick": {"Type": "Choice", "Choices": [
                    {"Variable": "$", "NumericEquals": 1, "Next": x + "Fail"}],
                    "Default": x + "Wait"},
                x + "Wait": {"Type": "Wait", "Seconds": 3600, "End": True},
                x + "Fail": {"Type": "Fail", "Error": "E1"}}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "After"}],
            "End": True}
        if mc:
            m["MaxConcurrency"] = mc
        add("map", "failure-at-once-stops-the-others" + name, machine({
            "M": m, "After": after}), [0, 1, 2, 3], src,
            output={"t": t, "e": "E1"})


def bracket_quotes():
    """Bracket names holding escaped quotes resolve:
    inside '...' a backslash escapes the next character, as Jayway reads
    it, so $['Test\\"\\"Name"'] names the key Test\""Name"."""
    src = DG + "(Jayway JsonPath: bracket names, backslash escapes)"
    key = 'Test\\""Name"'
    path = "$['Test\\\\\"\\\"Name\"']"
    inp = {key: 1, "o": {'a"b': 2}}
    add("paths", "bracket-escaped-quotes-parameters",
        pass_params({"v.$": path}), inp, src, output={"v": 1})
    add("paths", "bracket-escaped-quotes-inputpath",
        one({"Type": "Pass", "InputPath": path}), inp, src, output=1)
    add("paths", "bracket-escaped-quotes-double-quoted",
        pass_params({"v.$": '$.o["a\\"b"]'}), inp, src, output={"v": 2})
    add("paths", "bracket-escaped-quotes-choice", machine({
        "C": {"Type": "Choice", "Choices": [
            {"Variable": path, "NumericEquals": 1, "Next": "Y"}],
            "Default": "N"},
        "Y": {"Type": "Pass", "Result": "yes", "End": True},
        "N": {"Type": "Pass", "Result": "no", "End": True}}), inp, src,
        output="yes")
    add("paths", "bracket-escaped-quotes-intrinsic",
        pass_params({"v.$": "States.Format('{}', %s)" % path}), inp, src,
        output={"v": "1"})
    add("paths", "bracket-escaped-quotes-resultpath",
        one({"Type": "Pass", "Result": 3, "ResultPath": "$.o['c\\\"d']",
             "OutputPath": "$.o"}), inp, src,
        output={'a"b': 2, 'c"d': 3})
    add("paths", "bracket-escaped-quotes-missing",
        one({"Type": "Pass", "InputPath": "$['no\\\"pe']"}), inp,
        src + " (Jayway's normal form: the name unescaped)",
        error="States.Runtime",
        cause=rt("P", "Invalid path '$['no\\\"pe']' : No results for "
                 "path: $['no\"pe']"))


def write(out):
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for area in AREAS:
        adir = os.path.join(tmp, area)
        for name, d, inp, e in AREAS[area]:
            cdir = os.path.join(adir, name)
            os.makedirs(cdir)
            with open(os.path.join(cdir, "definition.json"), "w") as f:
                json.dump(d, f, indent=2, ensure_ascii=False)
                f.write("\n")
            if inp is not None:
                with open(os.path.join(cdir, "input.json"), "w") as f:
                    json.dump(None if inp is NULL else inp, f,
                              ensure_ascii=False)
                    f.write("\n")
            with open(os.path.join(cdir, "expected.json"), "w") as f:
                json.dump(e, f, indent=2, ensure_ascii=False)
                f.write("\n")
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    total = sum(len(v) for v in AREAS.values())
    for a in sorted(AREAS):
        print("%-10s %d" % (a, len(AREAS[a])))
    print("total      %d" % total)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: gen.py DIR (the folder the cases are written to)")
    paths()
    intrinsics()
    choice()
    states()
    io()
    errors()
    retry()
    maps()
    parallel()
    variables()
    context()
    intrinsics_fail()
    paths_fail()
    values_fail()
    resultpath_fail()
    fail_states_fail()
    task_errors_fail()
    catch_fail()
    choice_fail()
    map_parallel_fail()
    limits_fail()
    lambda_fail()
    variables_fail()
    bracket_quotes()
    lambda_invoke_payload()
    cancel_on_failure()
    import gen_jsonata
    gen_jsonata.cases(sys.modules[__name__])
    write(sys.argv[1])
