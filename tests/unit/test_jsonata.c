/*
 * test_jsonata.c - CUnit tests of the JSONata engine, written from the
 * JSONata documentation: the parser (precedence, positions, errors), the
 * evaluator (paths, sequences, predicates, bindings, lambdas, limits),
 * each function family, and Step Functions' own functions.
 */
#include "jsonata.h"

#include <CUnit/Basic.h>
#include <omp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed;
static double fixed_now(void *ctx) { (void)ctx; return 1700000000123.0; }
static double rnd(void *ctx) { return asl_jsonata_splitmix(ctx); }

/* An evaluation's outcome (RC, RES, ERR) in BUF: JSON text, "undefined",
 * or "CODE@position". */
static void show(char *buf, size_t size, int rc, json_t *res, const asl_jsonata_error *err)
{
	if (rc) snprintf(buf, size, "%s@%d", err->code, err->position);
	else if (!res) snprintf(buf, size, "undefined");
	else {
		FILE *f = fmemopen(buf, size, "w");
		asl_jsonata_dumpf(res, 0, f);
		fputc(0, f);
		fclose(f);
	}
}

/* EXPR parsed, or read back from its compiled form when FORM. */
static asl_jsonata_expr *expr_of(const char *expr, bool form, asl_jsonata_error *err)
{
	asl_jsonata_expr *e = asl_jsonata_parse(expr, err);
	if (!e || !form) return e;
	size_t len;
	char *text = asl_jsonata_encode(e, &len);
	asl_jsonata_free(e);
	e = asl_jsonata_load(text, len, err);
	free(text);
	return e;
}

/* The result as JSON text, "undefined", or "CODE@position". */
static char *ev_with(const char *expr, const char *input, asl_jsonata_env *env, bool form)
{
	static __thread char buf[4096];
	asl_jsonata_error err;
	json_t *in = NULL, *res = NULL;
	if (input) {
		json_error_t je;
		in = json_loads(input, JSON_DECODE_ANY, &je);
		if (!in) { snprintf(buf, sizeof buf, "bad input"); return buf; }
	}
	asl_jsonata_expr *e = expr_of(expr, form, &err);
	if (!e) { snprintf(buf, sizeof buf, "%s@%d", err.code, err.position); json_decref(in); return buf; }
	int rc = asl_jsonata_eval(e, in, NULL, env, &res, &err);
	show(buf, sizeof buf, rc, res, &err);
	json_decref(res);
	json_decref(in);
	asl_jsonata_free(e);
	return buf;
}

static char *ev_env(const char *expr, const char *input, asl_jsonata_env *env)
{
	return ev_with(expr, input, env, false);
}

static char *ev_as(const char *expr, const char *input, bool form)
{
	asl_jsonata_env env;
	memset(&env, 0, sizeof env);
	seed = 7;
	env.next_random = rnd;
	env.ctx = &seed;
	env.now_ms = fixed_now;
	return ev_with(expr, input, &env, form);
}

static char *ev(const char *expr, const char *input) { return ev_as(expr, input, false); }

#define EQ(expr, input, want) CU_ASSERT_STRING_EQUAL(ev(expr, input), want)

static const char *doc = "{\"Account\":{\"Name\":\"Firefly\",\"Order\":["
	"{\"OrderID\":\"o1\",\"Product\":[{\"Name\":\"Hat\",\"Price\":34.45,\"Quantity\":2},"
	"{\"Name\":\"Cloak\",\"Price\":107.99,\"Quantity\":1}]},"
	"{\"OrderID\":\"o2\",\"Product\":[{\"Name\":\"Hat\",\"Price\":34.45,\"Quantity\":4}]}]}}";

static void test_parser(void)
{
	EQ("1 + 2 * 3", NULL, "7");
	EQ("(1 + 2) * 3", NULL, "9");
	EQ("2 * 3 & 'x'", NULL, "\"6x\"");
	EQ("true or false and false", NULL, "true");
	EQ("1 < 2 ? 'a' : 'b'", NULL, "\"a\"");
	EQ("-2 * 3", NULL, "-6");
	EQ("/* comment */ 42", NULL, "42");
	EQ("\"\\u00e9\\ud83d\\ude00\"", NULL, "\"\xc3\xa9\xf0\x9f\x98\x80\"");
	EQ("`a b`", "{\"a b\": 3}", "3");
	EQ("1 +", NULL, "S0207@3");
	EQ("(1", NULL, "S0203@2");
	EQ("[1,2)", NULL, "S0202@5");
	EQ("\"abc", NULL, "S0101@4");
	EQ("/* x", NULL, "S0106@0");
	EQ("1 ! 2", NULL, "S0204@3");
	EQ("$x.(a) := 1", NULL, "S0212@3");
	EQ("a@b", NULL, "S0214@3");
	EQ("%", NULL, "S0217@1");
	EQ("a.1", NULL, "S0213@3");

}

static void test_paths(void)
{
	EQ("Account.Name", doc, "\"Firefly\"");
	EQ("Account.Order.OrderID", doc, "[\"o1\",\"o2\"]");
	EQ("Account.Order[0].OrderID", doc, "\"o1\"");
	EQ("Account.Order[-1].OrderID", doc, "\"o2\"");
	EQ("Account.Order.Product[Price > 100].Name", doc, "\"Cloak\"");
	EQ("Account.Order.Product[Price > 100][].Name", doc, "[\"Cloak\"]");
	EQ("Account.Order[0].Product.Name[]", doc, "[\"Hat\",\"Cloak\"]");
	EQ("Account.Order.Product[0].Name", doc, "[\"Hat\",\"Hat\"]");
	EQ("Account.Nothing", doc, "undefined");
	EQ("Account.*.OrderID", doc, "[\"o1\",\"o2\"]");
	EQ("$count(**.Price)", doc, "3");
	EQ("Account.Order.Product.{'n': Name, 'o': %.OrderID}", doc,
	   "[{\"n\":\"Hat\",\"o\":\"o1\"},{\"n\":\"Cloak\",\"o\":\"o1\"},{\"n\":\"Hat\",\"o\":\"o2\"}]");
	EQ("Account.Order@$o.($o.Product)@$p.($o.OrderID & $p.Name)", doc, "[\"o1Hat\",\"o1Cloak\",\"o2Hat\"]");
	EQ("Account.Order@$o.Product", doc, "undefined");
	EQ("Account.Order.Product#$i[$i = 0].Name", doc, "[\"Hat\",\"Hat\"]");
	EQ("Account.Order.Product^(>Price, Name).Name", doc, "[\"Cloak\",\"Hat\",\"Hat\"]");
	EQ("Account.Order.Product{Name: $sum(Quantity)}", doc, "{\"Hat\":6,\"Cloak\":1}");
	EQ("[1,2,3][$ > 1]", NULL, "[2,3]");
	EQ("[[1,2],[3]][0]", NULL, "[1,2]");
	EQ("$[0]", "[5,6]", "5");
	EQ("[1..3]", NULL, "[1,2,3]");
	EQ("[1..3, 7]", NULL, "[1,2,3,7]");
	EQ("[3..1]", NULL, "[]");
	EQ("[1..1e8]", NULL, "D2014@4");
}

static void test_operators(void)
{
	EQ("1 = 1.0", NULL, "true");
	EQ("'a' < 'b'", NULL, "true");
	EQ("1 < 'b'", NULL, "T2009@3");
	EQ("{} < 1", NULL, "T2010@4");
	EQ("1 + 'a'", NULL, "T2002@3");
	EQ("nothing + 1", NULL, "undefined");
	EQ("3 in [1,2,3]", NULL, "true");
	EQ("{'a':[1,{'b':2}]} = {'a':[1,{'b':2}]}", NULL, "true");
	EQ("-'a'", NULL, "D1002@1");
	EQ("0.1 + 0.2", NULL, "0.30000000000000004");
	EQ("1e21 + 0", NULL, "1e+21");
	EQ("1/3", NULL, "0.3333333333333333");
	EQ("7 % 3", NULL, "1");
	EQ("null & 'x'", NULL, "\"nullx\"");
	EQ("'x' & [1,2]", NULL, "\"x[1,2]\"");
}

static void test_functions_lambdas(void)
{
	EQ("($f := function($n){$n <= 1 ? 1 : $n * $f($n - 1)}; $f(10))", NULL, "3628800");
	EQ("($add := function($a, $b){$a + $b}; $inc := $add(?, 1); $inc(41))", NULL, "42");
	EQ("($c := function($x){function($y){$x + $y}}; $c(2)(3))", NULL, "5");
	EQ("($l := function($n, $acc){$n = 0 ? $acc : $l($n - 1, $acc + 1)}; $l(50000, 0))", NULL, "50000");
	EQ("(function($x)<n:n>{$x * 2})('a')", NULL, "T0410@28");
	EQ("'abc' ~> $uppercase()", NULL, "\"ABC\"");
	EQ("($u := $uppercase ~> $substring(?, 0, 2); $u('hello'))", NULL, "\"HE\"");
	EQ("foo()", NULL, "T1006@4");
	EQ("($x := 1; ($x := 2); $x)", NULL, "1");
	EQ("$map([1,2,3], function($v, $i){$v * $i})", NULL, "[0,2,6]");
	EQ("$filter([1,2,3,4], function($v){$v % 2 = 0})", NULL, "[2,4]");
	EQ("$reduce([1,2,3,4], function($a, $b){$a + $b})", NULL, "10");
	EQ("$reduce([1,2,3], function($a, $b){$a + $b}, 10)", NULL, "16");
	EQ("$single([1,2,3], function($v){$v = 2})", NULL, "2");
	EQ("$single([1,2,3], function($v){$v > 1})", NULL, "D3138@8");
	EQ("$sort([3,1,2])", NULL, "[1,2,3]");
	EQ("$sort([{'a':2},{'a':1}], function($l, $r){$l.a > $r.a}).a", NULL, "[1,2]");
	EQ("$type(| $ | {'b': 2}, ['a'] |)", NULL, "\"function\"");
	EQ("{'x': {'a': 1}} ~> |x|{'b': 2}, ['a']|", NULL, "{\"x\":{\"b\":2}}");
}

static void test_strings(void)
{
	EQ("$string(1/3)", NULL, "\"0.333333333333333\"");
	EQ("$string({'a': [1, true, null]})", NULL, "\"{\\\"a\\\":[1,true,null]}\"");
	EQ("$length('h\xc3\xa9llo')", NULL, "5");
	EQ("$substring('hello world', -5, 3)", NULL, "\"wor\"");
	EQ("$substringBefore('a-b-c', '-')", NULL, "\"a\"");
	EQ("$substringAfter('a-b-c', '-')", NULL, "\"b-c\"");
	EQ("$trim('  a   b  ')", NULL, "\"a b\"");
	EQ("$pad('x', -3, '#')", NULL, "\"##x\"");
	EQ("$contains('abc', /B/i)", NULL, "true");
	EQ("$split('a,b,,c', ',')", NULL, "[\"a\",\"b\",\"\",\"c\"]");
	EQ("$split('a1b22c', /[0-9]+/)", NULL, "[\"a\",\"b\",\"c\"]");
	EQ("$join(['a','b'], '-')", NULL, "\"a-b\"");
	EQ("$match('ab12cd345', /[0-9]+/).match", NULL, "[\"12\",\"345\"]");
	EQ("$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')", NULL, "\"Smith, John\"");
	EQ("$replace('abc', 'b', function($m){$uppercase($m.match)})", NULL, "\"aBc\"");
	EQ("$base64encode('hello')", NULL, "\"aGVsbG8=\"");
	EQ("$base64decode('aGVsbG8=')", NULL, "\"hello\"");
	EQ("$encodeUrlComponent('a b&c')", NULL, "\"a%20b%26c\"");
	EQ("$decodeUrl('a%20b')", NULL, "\"a b\"");
	EQ("$uppercase('abc')", NULL, "\"ABC\"");
}

static void test_numbers_booleans(void)
{
	EQ("$number('0x10')", NULL, "16");
	EQ("$number('1e3')", NULL, "1000");
	EQ("$number('abc')", NULL, "D3030@8");
	EQ("$round(2.5)", NULL, "2");
	EQ("$round(3.5)", NULL, "4");
	EQ("$round(1.255, 2)", NULL, "1.26");
	EQ("$abs(-3)", NULL, "3");
	EQ("$floor(-1.5)", NULL, "-2");
	EQ("$ceil(1.2)", NULL, "2");
	EQ("$power(2, 10)", NULL, "1024");
	EQ("$sqrt(-1)", NULL, "D3060@6");
	EQ("$sum([1,2,3])", NULL, "6");
	EQ("$max([1,5,3])", NULL, "5");
	EQ("$min([])", NULL, "undefined");
	EQ("$average([1,2,3,4])", NULL, "2.5");
	EQ("$sum('a')", NULL, "T0412@5");
	EQ("$boolean([0, ''])", NULL, "false");
	EQ("$not('a')", NULL, "false");
	EQ("$exists(nothing)", NULL, "false");
	EQ("$formatNumber(1234.5, '#,##0.00')", NULL, "\"1,234.50\"");
	EQ("$formatBase(255, 16)", NULL, "\"ff\"");
}

static void test_arrays_objects(void)
{
	EQ("$count([1,2,3])", NULL, "3");
	EQ("$append([1], 2)", NULL, "[1,2]");
	EQ("$reverse([1,2,3])", NULL, "[3,2,1]");
	EQ("$distinct([1,2,1,'a','a'])", NULL, "[1,2,\"a\"]");
	EQ("$zip([1,2],[3,4,5])", NULL, "[[1,3],[2,4]]");
	EQ("$count($shuffle([1,2,3,4]))", NULL, "4");
	EQ("$keys({'a':1,'b':2})", NULL, "[\"a\",\"b\"]");
	EQ("$lookup({'a':1}, 'a')", NULL, "1");
	EQ("$spread({'a':1,'b':2})", NULL, "[{\"a\":1},{\"b\":2}]");
	EQ("$merge([{'a':1},{'b':2},{'a':3}])", NULL, "{\"a\":3,\"b\":2}");
	EQ("$each({'a':1}, function($v, $k){$k & $v})", NULL, "\"a1\"");
	EQ("$sift({'a':1,'b':2}, function($v){$v > 1})", NULL, "{\"b\":2}");
	EQ("$type([])", NULL, "\"array\"");
	EQ("$type(nothing)", NULL, "undefined");
	EQ("$error('boom')", NULL, "D3137@7");
	EQ("$assert(1 = 2, 'no')", NULL, "D3141@8");
}

static void test_step_functions(void)
{
	EQ("$partition([1,2,3,4,5], 2)", NULL, "[[1,2],[3,4],[5]]");
	EQ("$partition([], 2)", NULL, "[]");
	EQ("$partition([1], 0)", NULL, "D3137@11");
	EQ("$range(0, 10, 5)", NULL, "[0,5,10]");
	EQ("$range(5, 1, -2)", NULL, "[5,3,1]");
	EQ("$range(1, 0)", NULL, "[]");
	EQ("$range(0, 1, 0)", NULL, "D3137@7");
	EQ("$hash('abc', 'MD5')", NULL, "\"900150983cd24fb0d6963f7d28e17f72\"");
	EQ("$hash('abc', 'SHA-1')", NULL, "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
	EQ("$hash('abc', 'SHA-256')", NULL, "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
	EQ("$hash('abc', 'SHA-384')", NULL, "\"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7\"");
	EQ("$hash('abc', 'SHA-512')", NULL, "\"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f\"");
	EQ("$hash('abc', 'CRC')", NULL, "D3137@6");
	EQ("$random(42) = $random(42)", NULL, "true");
	/* java.util.Random(seed)'s first nextDouble(), as Step Functions */
	EQ("$random(42)", NULL, "0.7275636800328681");
	EQ("$random(1.5)", NULL, "0.7308781907032909");
	EQ("$random(1) = $random(2)", NULL, "false");
	EQ("($r := $random(); $r >= 0 and $r < 1)", NULL, "true");
	/* the same seed, the same sequence */
	char first[64];
	snprintf(first, sizeof first, "%s", ev("$random()", NULL));
	EQ("$random()", NULL, first);
	char *u = ev("$uuid()", NULL);
	CU_ASSERT_EQUAL(strlen(u), 38);
	CU_ASSERT_EQUAL(u[15], '4');
	CU_ASSERT(strchr("89ab", u[20]) != NULL);
	EQ("$parse('{\"a\":[1,2]}').a[1]", NULL, "2");
	EQ("$parse('{')", NULL, "D3137@7");
	EQ("$millis()", NULL, "1700000000123");
	EQ("$now()", NULL, "\"2023-11-14T22:13:20.123Z\"");
}

/* The evaluator's short cuts (plain paths over objects, one-item object
 * constructors, blocks that bind nothing, input values returned as they
 * are) give what the general way gives. */
static void test_fast_paths(void)
{
	const char *d = "{\"a\":{\"b\":[{\"c\":1},{\"c\":2}],\"n\":[[{\"c\":3}],[{\"c\":4}]],"
		"\"one\":[7],\"s\":\"x\",\"r\":2.5,\"i\":5.0}}";
	EQ("a.s", d, "\"x\"");
	EQ("a.b.c", d, "[1,2]");
	EQ("a.n.c", d, "[3,4]");
	EQ("a.one", d, "[7]");
	EQ("a.one.x", d, "undefined");
	EQ("a.b", d, "[{\"c\":1},{\"c\":2}]");
	EQ("a.nothing.c", d, "undefined");
	EQ("a.s.c", d, "undefined");
	EQ("$.a.r", d, "2.5");
	EQ("a.i", d, "5");
	EQ("{'k': a.s, 'm': a.nothing, 'r': a.r}", d, "{\"k\":\"x\",\"r\":2.5}");
	CU_ASSERT_NSTRING_EQUAL(ev("{'k': 1, 'k': 2}", NULL), "D1009@", 6);
	CU_ASSERT_NSTRING_EQUAL(ev("{a.r: 1}", d), "T1003@", 6);
	EQ("$count(a.b)", d, "2");
	EQ("$count(a.n)", d, "2");
	EQ("$count(a.n.c)", d, "2");
	EQ("$count(a.one)", d, "1");
	EQ("$count(a.s)", d, "1");
	EQ("$count(a.nothing)", d, "0");
	EQ("$count(a.b[c > 1])", d, "1");
	EQ("($x := 1; ($x := 2); $x)", NULL, "1");
	EQ("($x := 1; [$x := 2]; $x)", NULL, "2");
	EQ("($x := 5; ($x + 1))", NULL, "6");
	EQ("$parse('{\"a\":\"y\",\"b\":[1.5]}').(a & b)", NULL, "\"y[1.5]\"");
	EQ("$parse('{\"a\":\"y\",\"b\":[1.5]}').[a, b]", NULL, "[\"y\",1.5]");
	/* an integral real of the input comes back a jansson integer, as any
	 * integral number the engine makes; other numbers and strings are the
	 * input's own values */
	asl_jsonata_error err;
	json_t *in = json_loads(d, 0, NULL), *r = NULL;
	asl_jsonata_expr *e = asl_jsonata_parse("a.i", &err);
	CU_ASSERT_EQUAL(asl_jsonata_eval(e, in, NULL, NULL, &r, &err), 0);
	CU_ASSERT_TRUE(json_is_integer(r));
	json_decref(r);
	asl_jsonata_free(e);
	e = asl_jsonata_parse("a.s", &err);
	CU_ASSERT_EQUAL(asl_jsonata_eval(e, in, NULL, NULL, &r, &err), 0);
	CU_ASSERT_PTR_EQUAL(r, json_object_get(json_object_get(in, "a"), "s"));
	json_decref(r);
	asl_jsonata_free(e);
	json_decref(in);
}

/* quick.c's shortcut against the engine: where it evaluates an expression
 * (Q), the value is the engine's exactly, down to jansson's type; where it
 * gives up (E), asl_jsonata_eval's answer is the engine's (an error, an
 * undefined result, a sequence, an object) */
static void test_quick(void)
{
	static const char *in = "{\"i\":3,\"n\":2.5,\"big\":9007199254740993,"
		"\"r5\":5.0,\"s\":\"abc\",\"e\":\"\",\"t\":true,\"f\":false,\"z\":null,"
		"\"o\":{\"k\":\"v\",\"m\":{\"x\":1}},\"a\":[1,2],\"aa\":[[1,2]],"
		"\"ao\":[{\"k\":1}],\"u\":\"\\u00e9\\ud83d\\ude00\"}";
	static const char *bind = "{\"x\":4,\"s\":\"run\",\"arr\":[1,2,3],"
		"\"obj\":{\"y\":2},\"o2\":{\"count\":5}}";
	static const struct { const char *expr; char how; const char *bindings; } corpus[] = {
		{ "i", 'Q', NULL }, { "$.i", 'Q', NULL }, { "`i`", 'Q', NULL },
		{ "o.k", 'Q', NULL }, { "o.m.x", 'Q', NULL }, { "n", 'Q', NULL },
		{ "r5", 'Q', NULL }, { "big", 'Q', NULL }, { "2.0", 'Q', NULL },
		{ "-0", 'Q', NULL }, { "1/3", 'Q', NULL }, { "t", 'Q', NULL },
		{ "z", 'Q', NULL }, { "'lit'", 'Q', NULL },
		{ "$", 'E', NULL }, { "o.m", 'E', NULL }, { "a", 'E', NULL },
		{ "o.nothing", 'E', NULL }, { "ao.k", 'E', NULL }, { "a[0]", 'E', NULL },
		{ "$$.i", 'E', NULL }, { "$nothing", 'E', NULL },
		{ "i + 1", 'Q', NULL }, { "i - n", 'Q', NULL }, { "i * n", 'Q', NULL },
		{ "i / 2", 'Q', NULL }, { "i % 2", 'Q', NULL }, { "-i", 'Q', NULL },
		{ "(i + 1)", 'Q', NULL }, { "-n * 2", 'Q', NULL },
		{ "i / 0", 'E', NULL }, { "s + 1", 'E', NULL }, { "1 + s", 'E', NULL },
		{ "i + nothing", 'E', NULL }, { "t + 1", 'E', NULL },
		{ "$x + i", 'Q', "b" }, { "$x = 4", 'Q', "b" }, { "$x != 4", 'Q', "b" },
		{ "o.m.x + $obj.y", 'Q', "b" }, { "$obj.y * 2", 'Q', "b" },
		{ "$s = 'run' and $x >= 4", 'Q', "b" }, { "$arr.x", 'E', "b" },
		{ "'x' & $arr", 'E', "b" },
		{ "nothing = 1", 'Q', NULL }, { "nothing != 1", 'Q', NULL },
		{ "s = 'abc'", 'Q', NULL }, { "'abc' = s", 'Q', NULL },
		{ "i = 3.0", 'Q', NULL }, { "t = true", 'Q', NULL },
		{ "z = null", 'Q', NULL }, { "t = 1", 'Q', NULL }, { "o = o", 'E', NULL },
		{ "s < 'abd'", 'Q', NULL }, { "'b' > s", 'Q', NULL },
		{ "u > s", 'Q', NULL }, { "u < '\xc3\xab'", 'Q', NULL },
		{ "s <= 'abc'", 'Q', NULL }, { "n >= 2.5", 'Q', NULL },
		{ "i < s", 'E', NULL }, { "t < f", 'E', NULL }, { "i < nothing", 'E', NULL },
		{ "i <= 3 and s = 'abc'", 'Q', NULL }, { "f or z", 'Q', NULL },
		{ "e or 0", 'Q', NULL }, { "s and i", 'Q', NULL },
		{ "false and o", 'Q', NULL }, { "true or a", 'Q', NULL },
		{ "o and true", 'E', NULL }, { "nothing or i", 'Q', NULL },
		{ "s & i", 'Q', NULL }, { "s & n & t & z", 'Q', NULL },
		{ "'a' & ('b' & 'c')", 'Q', NULL }, { "nothing & s", 'Q', NULL },
		{ "0.1 + 0.2 & ''", 'Q', NULL }, { "1e21 & ''", 'Q', NULL },
		{ "1/3 & ''", 'Q', NULL }, { "big & ''", 'Q', NULL },
		{ "-0.0000001 & ''", 'Q', NULL }, { "o & ''", 'E', NULL },
		{ "i > 2 ? 'big' : 'small'", 'Q', NULL }, { "i > 5 ? 'big'", 'E', NULL },
		{ "e ? 1 : 2", 'Q', NULL }, { "($y := 1; $y)", 'E', NULL },
		{ "$not(t)", 'Q', NULL }, { "$not(e)", 'Q', NULL },
		{ "$not(nothing)", 'E', NULL }, { "$not(o)", 'E', NULL },
		{ "$count(a)", 'Q', NULL }, { "$count($arr)", 'Q', "b" },
		{ "$count(aa)", 'Q', NULL }, { "$count(s)", 'E', NULL },
		{ "$count(o.nothing)", 'E', NULL }, { "$count(a, 1)", 'E', NULL },
		{ "$string(i)", 'E', NULL },
		{ "$count(a)", 'E', "c" }, { "$not(t)", 'E', "c" },
	};
	json_t *input = json_loads(in, 0, NULL), *b = json_loads(bind, 0, NULL);
	json_t *c = json_pack("{s:i,s:i}", "count", 5, "not", 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(input);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	asl_jsonata_env quick, engine;
	memset(&quick, 0, sizeof quick);
	memset(&engine, 0, sizeof engine);
	engine.engine_only = true;
	/* deeper than the shortcut goes, and longer text than it builds */
	char deep[200] = "", longer[1200] = "'";
	for (int i = 0; i < 70; i++) strcat(deep, "(");
	strcat(deep, "1");
	for (int i = 0; i < 70; i++) strcat(deep, ")");
	memset(longer + 1, 'x', 1100);
	strcpy(longer + 1101, "' & s");
	const char *extra[] = { deep, longer };
	size_t n = sizeof corpus / sizeof *corpus;
	for (size_t k = 0; k < n + 2; k++) {
		const char *x = k < n ? corpus[k].expr : extra[k - n];
		char how = k < n ? corpus[k].how : 'E';
		json_t *bs = k < n && corpus[k].bindings
		             ? (*corpus[k].bindings == 'b' ? b : c) : NULL;
		asl_jsonata_error err;
		asl_jsonata_expr *e = asl_jsonata_parse(x, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		json_t *rq = NULL, *re = NULL, *rd = NULL;
		char want[4096], got[4096];
		bool took = asl_jsonata_quick(e, input, bs, &quick, &rq);
		int rce = asl_jsonata_eval(e, input, bs, &engine, &re, &err);
		show(want, sizeof want, rce, re, &err);
		int rcd = asl_jsonata_eval(e, input, bs, &quick, &rd, &err);
		show(got, sizeof got, rcd, rd, &err);
		if (took != (how == 'Q') || strcmp(want, got))
			fprintf(stderr, "\nquick: %s: %s, engine %s, default %s\n", x,
			        took ? "taken" : "not taken", want, got);
		CU_ASSERT_EQUAL(took, how == 'Q');
		CU_ASSERT_STRING_EQUAL(got, want);
		if (took) {
			show(got, sizeof got, 0, rq, &err);
			CU_ASSERT_STRING_EQUAL(got, want);
			CU_ASSERT_TRUE(rq && re && json_typeof(rq) == json_typeof(re));
			CU_ASSERT_TRUE(rq && re && json_equal(rq, re));
		}
		json_decref(rq);
		json_decref(re);
		json_decref(rd);
		asl_jsonata_free(e);
	}
	json_decref(c);
	json_decref(b);
	json_decref(input);
}

/* A caller's variable $h, and its members without it (lookup_member). */
static json_t *h_value;
static int member_calls;
static json_t *h_lookup(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "h") ? NULL : h_value;
}
static json_t *h_member(void *ctx, const char *name, const char *member, bool *found)
{
	(void)ctx;
	member_calls++;
	*found = !strcmp(name, "h") && strcmp(member, "built");
	return *found ? json_object_get(h_value, member) : NULL;
}

/* The shortcut's paths from a caller's variable start at its member where
 * the caller has it (the runtime's $states.input), and give what the
 * engine gives from the whole variable */
static void test_quick_members(void)
{
	static const struct { const char *expr; char how; } corpus[] = {
		{ "$h.k + 1", 'Q' }, { "$h.m.x & '-' & $h.k", 'Q' },
		{ "$h.built.y * 2", 'Q' }, { "$h.nothing = 1", 'Q' },
		{ "$h.a", 'E' }, { "$h.m", 'E' }, { "$h.k.z", 'E' },
	};
	h_value = json_loads("{\"k\":41,\"m\":{\"x\":\"s\"},\"built\":{\"y\":3},"
	                     "\"a\":[1]}", 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h_value);
	asl_jsonata_env quick, engine;
	memset(&quick, 0, sizeof quick);
	quick.lookup = h_lookup;
	quick.lookup_member = h_member;
	engine = quick;
	engine.engine_only = true;
	for (size_t k = 0; k < sizeof corpus / sizeof *corpus; k++) {
		asl_jsonata_error err;
		asl_jsonata_expr *e = asl_jsonata_parse(corpus[k].expr, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		json_t *rq = NULL, *re = NULL;
		char want[256], got[256];
		member_calls = 0;
		bool took = asl_jsonata_quick(e, NULL, NULL, &quick, &rq);
		CU_ASSERT_EQUAL(took, corpus[k].how == 'Q');
		CU_ASSERT_TRUE(member_calls > 0);
		int rc = asl_jsonata_eval(e, NULL, NULL, &engine, &re, &err);
		show(want, sizeof want, rc, re, &err);
		if (took) {
			show(got, sizeof got, 0, rq, &err);
			CU_ASSERT_STRING_EQUAL(got, want);
		}
		json_decref(rq);
		json_decref(re);
		asl_jsonata_free(e);
	}
	json_decref(h_value);
}

/* $sum, $max, $min, $average over a name step of an input array of
 * objects are fused (no sequence built); every other shape, and a member
 * that is not an object or a value that is not a number, goes the
 * general way: the results and the errors must be the same either way */
static void test_fused_aggregates(void)
{
	const char *d = "{\"a\":{\"b\":[{\"c\":1},{\"c\":2}],\"g\":[{\"c\":1},{\"x\":1},{\"c\":2.5}],"
		"\"m\":[{\"c\":1},5,\"s\",{\"c\":2}],\"v\":[{\"c\":[1,2]},{\"c\":3}],\"n\":[[{\"c\":3}],[{\"c\":4}]],"
		"\"t\":[{\"c\":1},{\"c\":\"x\"}],\"z\":[{\"c\":1},{\"c\":null}],\"w\":[{\"c\":true}],"
		"\"neg\":[{\"c\":-1},{\"c\":-3}],\"e\":[],\"o\":{\"c\":4}}}";
	EQ("$sum(a.b.c)", d, "3");
	EQ("$max(a.b.c)", d, "2");
	EQ("$min(a.b.c)", d, "1");
	EQ("$average(a.b.c)", d, "1.5");
	EQ("$sum(a.g.c)", d, "3.5");
	EQ("$average(a.g.c)", d, "1.75");
	EQ("$max(a.neg.c)", d, "-1");
	EQ("$min(a.neg.c)", d, "-3");
	/* mixed arrays, arrays found, nested arrays: the general way */
	EQ("$sum(a.m.c)", d, "3");
	EQ("$average(a.m.c)", d, "1.5");
	EQ("$sum(a.v.c)", d, "6");
	EQ("$max(a.v.c)", d, "3");
	EQ("$sum(a.n.c)", d, "7");
	EQ("$sum(a.o.c)", d, "4");
	/* nothing found */
	EQ("$sum(a.b.zz)", d, "undefined");
	EQ("$max(a.b.zz)", d, "undefined");
	EQ("$average(a.e.c)", d, "undefined");
	EQ("$sum(a.e.c)", d, "undefined");
	/* values that are not numbers: jsonata-js's errors */
	CU_ASSERT_NSTRING_EQUAL(ev("$sum(a.t.c)", d), "T0412@", 6);
	CU_ASSERT_NSTRING_EQUAL(ev("$max(a.z.c)", d), "T0412@", 6);
	CU_ASSERT_NSTRING_EQUAL(ev("$average(a.w.c)", d), "T0412@", 6);
	CU_ASSERT_STRING_EQUAL(ev("$min(a.t.c)", d), ev("$min((a.t.c))", d));
	/* a variable first, $ first, a rebound name */
	EQ("($v := a; $sum($v.b.c))", d, "3");
	EQ("$sum($.a.b.c)", d, "3");
	EQ("($sum := function($x){ 42 }; $sum(a.b.c))", d, "42");
	EQ("$sum(a.b.c[])", d, "3");
	EQ("$sum(a.b[c > 1].c)", d, "2");
	EQ("a.b.$sum(c)", d, "[1,2]");
	/* a name alone over an array: the groups of group-by, an input array */
	EQ("a.g{'k': $sum(c)}", d, "{\"k\":3.5}");
	EQ("a.b{'k': $max(c), 'n': $min(c), 'a': $average(c)}", d, "{\"k\":2,\"n\":1,\"a\":1.5}");
	EQ("a.m{'k': $sum(c)}", d, "{\"k\":3}");
	EQ("a.v{'k': $sum(c)}", d, "{\"k\":6}");
	CU_ASSERT_NSTRING_EQUAL(ev("a.t{'k': $sum(c)}", d), "T0412@", 6);
	EQ("$sum(c)", "[{\"c\":1},{\"c\":2}]", "3");
	EQ("$sum(c)", "[{\"c\":1},2,[{\"c\":4}]]", "5");
	EQ("$max(c)", "[{\"x\":1}]", "undefined");
	CU_ASSERT_NSTRING_EQUAL(ev("$sum(c)", "[{\"c\":\"1\"}]"), "T0412@", 6);
	EQ("($x := [{'c': 1}, {'c': 2}]; $x.$sum(c) ~> $sum)", NULL, "3");
	EQ("[{'c': 1}, {'c': 2}]{'k': $sum(c)}", NULL, "{\"k\":3}");
}

static void test_limits(void)
{
	asl_jsonata_env env;
	memset(&env, 0, sizeof env);
	env.max_depth = 50;
	CU_ASSERT_STRING_EQUAL(ev_env("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(1000))", NULL, &env), "U1001@39");
	env.max_depth = 1000000;   /* the stack budget stops it */
	CU_ASSERT_NSTRING_EQUAL(ev_env("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(1000000))", NULL, &env), "U1001@", 6);
	env.max_depth = 0;
	env.timelimit_ms = 50;
	CU_ASSERT_STRING_EQUAL(ev_env("($f := function(){$f()}; $f())", NULL, &env), "U1001@21");
	env.timelimit_ms = 0;
	env.max_memory = 1 << 20;
	CU_ASSERT_STRING_EQUAL(ev_env("[1..1000000]", NULL, &env), "U1010@-1");
	/* a tree deeper than 10000 levels (a left-leaning chain does not grow
	 * the parser's stack) is refused when parsed, not a stack overflow;
	 * one just under the limit parses and reads back from its compiled
	 * form (evaluating it is the evaluator's stack budget's business:
	 * U1001 under the sanitizers' larger frames) */
	size_t terms = 20000;
	char *chain = malloc(2 * terms + 2);
	CU_ASSERT_FATAL(chain != NULL);
	chain[0] = '1';
	for (size_t i = 0; i < terms; i++) { chain[1 + 2 * i] = '+'; chain[2 + 2 * i] = '1'; }
	chain[1 + 2 * terms] = 0;
	CU_ASSERT_STRING_EQUAL(ev(chain, NULL), "U1021@-1");
	chain[1 + 2 * 9000] = 0;
	asl_jsonata_error err;
	asl_jsonata_expr *deep = expr_of(chain, true, &err);
	CU_ASSERT_PTR_NOT_NULL(deep);
	asl_jsonata_free(deep);
	free(chain);
}

static void test_threads(void)
{
	asl_jsonata_error err;
	asl_jsonata_expr *e = asl_jsonata_parse("$sum(items.(price * qty)) & '/' & $count(items[price > 1])", &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	json_t *in = json_loads("{\"items\":[{\"price\":2,\"qty\":3},{\"price\":1,\"qty\":4}]}", 0, NULL);
	int bad = 0;
#pragma omp parallel for reduction(+:bad)
	for (int i = 0; i < 2000; i++) {
		json_t *r = NULL;
		asl_jsonata_error e2;
		if (asl_jsonata_eval(e, in, NULL, NULL, &r, &e2) || !json_is_string(r) || strcmp(json_string_value(r), "10/1")) bad++;
		json_decref(r);
	}
	CU_ASSERT_EQUAL(bad, 0);
	json_decref(in);
	asl_jsonata_free(e);
	/* evaluations larger than an arena chunk, on every thread: the chunks
	 * each thread keeps for its next evaluation are its own */
	e = asl_jsonata_parse("$sum($map([1..5000], function($v){ {'v': $v} }).v)", &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	bad = 0;
#pragma omp parallel for reduction(+:bad)
	for (int i = 0; i < 200; i++) {
		json_t *r = NULL;
		asl_jsonata_error e2;
		if (asl_jsonata_eval(e, NULL, NULL, NULL, &r, &e2) || json_integer_value(r) != 12502500) bad++;
		json_decref(r);
	}
	CU_ASSERT_EQUAL(bad, 0);
	asl_jsonata_free(e);
}

/* The compiled form (asl_jsonata_encode, asl_jsonata_load): the same
 * results as the parsed expression, sharing and all; every malformed form
 * refused with U1020, none crashing. */
static void test_compiled_form(void)
{
	static const char *exprs[] = {
		"Account.Order.Product.(Price * Quantity)",
		"Account.Order[0].Product[Price > 50].Name",
		"Account.Order.Product{Name: $sum(Quantity)}",
		"Account.Order.Product^(>Price, Name).Name",
		"Account.Order.Product.%.OrderID",
		"Account.Order@$o.Product@$p#$i.{'o': $o.OrderID, 'i': $i}",
		"($f := function($x)<n:n>{$x * 2}; $map([1,2,3], $f))",
		"$replace('a-b-c', /-(.)/i, '+')",
		"'nul\\u0000in' & $string($count(Account.Order))",
		"Account ~> |Order|{'n': 1}, ['Product']|",
		"[1..3] ~> $sum() ? 'y' : 'n'",
		"$substringBefore(?, '-')('x-y')",
	};
	for (size_t i = 0; i < sizeof exprs / sizeof *exprs; i++) {
		char want[4096];
		snprintf(want, sizeof want, "%s", ev(exprs[i], doc));
		CU_ASSERT_STRING_EQUAL(ev_as(exprs[i], doc, true), want);
	}
	/* Every cut of a form, and a form with a byte changed, refused or read
	 * whole (a changed digit can make another valid form): never a crash. */
	asl_jsonata_error err;
	asl_jsonata_expr *e = asl_jsonata_parse("Account.Order.Product[Price > 50]{Name: %.OrderID}", &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	size_t len;
	char *form = asl_jsonata_encode(e, &len);
	asl_jsonata_free(e);
	for (size_t n = 0; n < len; n++) {
		asl_jsonata_expr *x = asl_jsonata_load(form, n, &err);
		CU_ASSERT_PTR_NULL(x);
		if (x) asl_jsonata_free(x);
		else CU_ASSERT_STRING_EQUAL(err.code, "U1020");
	}
	for (size_t n = 0; n < len; n++) {
		char *copy = malloc(len);
		memcpy(copy, form, len);
		copy[n] = copy[n] == '1' ? '0' : '1';
		asl_jsonata_free(asl_jsonata_load(copy, len, &err));
		free(copy);
	}
	CU_ASSERT_PTR_NULL(asl_jsonata_load("J2 1 0 0", 8, &err));
	CU_ASSERT_PTR_NULL(asl_jsonata_load("", 0, &err));
	free(form);
}

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS) return 1;
	CU_pSuite s = CU_add_suite("jsonata", NULL, NULL);
	CU_add_test(s, "parser", test_parser);
	CU_add_test(s, "paths", test_paths);
	CU_add_test(s, "operators", test_operators);
	CU_add_test(s, "functions and lambdas", test_functions_lambdas);
	CU_add_test(s, "strings", test_strings);
	CU_add_test(s, "numbers and booleans", test_numbers_booleans);
	CU_add_test(s, "arrays and objects", test_arrays_objects);
	CU_add_test(s, "quick evaluation as the engine's", test_quick);
	CU_add_test(s, "quick paths from a caller's members", test_quick_members);
	CU_add_test(s, "Step Functions functions", test_step_functions);
	CU_add_test(s, "fast paths", test_fast_paths);
	CU_add_test(s, "fused aggregates", test_fused_aggregates);
	CU_add_test(s, "limits", test_limits);
	CU_add_test(s, "threads", test_threads);
	CU_add_test(s, "compiled form", test_compiled_form);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
