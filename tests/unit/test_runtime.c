/*
 * test_runtime.c - CUnit tests of the runtime's JSONPath engine and
 * intrinsic functions, in depth.  Paths and calls are parsed by the
 * compiler's front end and turned into the runtime's tables by the
 * compiler's lowering, the one the emitter prints (freed at the end).
 */
#include "ir.h"
#include "lower.h"
#include "util.h"

#include "../runtime/internal.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------- the runtime tables */

/* The tables are the compiler's lowering's (lower.h), the one the emitter
 * prints; its literals are loaded as a program loads its own. */
static lowering low;
static json_t *lits[4096];
static unsigned n_lits;

static void load_literals(void)
{
	for (; n_lits < low.n_lits; n_lits++) {
		CU_ASSERT_FATAL(n_lits < sizeof lits / sizeof *lits);
		lits[n_lits] = json_loads(low.lits[n_lits],
		                          JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		CU_ASSERT_FATAL(lits[n_lits] != NULL);
	}
}

static const asl_path *table_path(const ir_path *p)
{
	const asl_path *r = lower_path(&low, p);
	load_literals();
	return r;
}

static const asl_call *table_call(const ir_call *c)
{
	const asl_call *r = lower_call(&low, c);
	CU_ASSERT_FATAL(r != NULL);
	load_literals();
	return r;
}

/* ------------------------------------------------------------ execution */

static asl_exec x;
static asl_ctx ctx;

static uint64_t next_seed = 1;

static void ctx_reset(void)
{
	asl_ctx_release(&ctx);
	memset(&ctx, 0, sizeof ctx);
	ctx.x = &x;
	ctx.state = "S";
	ctx.rng = next_seed++;
}

static int setup(void)
{
	lower_init(&low);
	memset(&x, 0, sizeof x);
	x.lits = lits;
	x.ctx_execution = json_pack("{s:s, s:s}", "Name", "ex", "Id", "arn");
	x.ctx_machine = json_pack("{s:s}", "Name", "sm");
	memset(&ctx, 0, sizeof ctx);
	ctx_reset();
	return 0;
}

static int teardown(void)
{
	asl_ctx_release(&ctx);
	json_decref(x.ctx_execution);
	json_decref(x.ctx_machine);
	for (unsigned i = 0; i < n_lits; i++)
		json_decref(lits[i]);
	n_lits = 0;
	lower_free(&low);
	return 0;
}

/* As AWS writes values: compact, reals in Java's shortest form. */
static char *text_of(json_t *v)
{
	return asl_dump(v);
}

/* Select path from doc: its JSON, "MISSING", or "ERROR" (States.Runtime). */
static char *select_text(const char *path, const char *doc)
{
	ir_parse p;
	json_t *d = json_loads(doc, JSON_DECODE_ANY, NULL), *out;
	char *s;

	CU_ASSERT_FATAL(d != NULL);
	ir_parse_text(path, &p);
	if (!p.path) {
		fprintf(stderr, "\n%s: %s\n", path, p.error ? p.error : "?");
		CU_FAIL_FATAL("not a path");
	}
	ctx_reset();
	switch (asl_path_get(&ctx, table_path(p.path), d, &out)) {
	case ASL_FOUND:
		s = text_of(out);
		json_decref(out);
		break;
	case ASL_PATH_ERROR:
		CU_ASSERT_STRING_EQUAL(ctx.error, "States.Runtime");
		s = xstrdup("ERROR");
		break;
	default:
		s = xstrdup("MISSING");
	}
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);
	json_decref(d);
	return s;
}

/* Evaluate an intrinsic call on doc: its JSON, or "ERROR <cause>". */
static char *call_text(const char *call, const char *doc)
{
	ir_parse p;
	json_t *d = json_loads(doc, JSON_DECODE_ANY, NULL), *out;
	char *s;

	CU_ASSERT_FATAL(d != NULL);
	ir_parse_text(call, &p);
	if (!p.call) {
		fprintf(stderr, "\n%s: %s\n", call, p.error ? p.error : "?");
		CU_FAIL_FATAL("not a call");
	}
	ctx_reset();
	if ((out = asl_eval_call(&ctx, table_call(p.call), d, "x.$"))) {
		s = text_of(out);
		json_decref(out);
	} else {
		CU_ASSERT_STRING_EQUAL(ctx.error, "States.Runtime");
		s = xstrdup("ERROR");
	}
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);
	json_decref(d);
	return s;
}

struct tcase {
	const char *expr, *doc, *want;
};

static void run_cases(const struct tcase *t, size_t n, bool calls)
{
	for (size_t i = 0; i < n; i++) {
		char *got = calls ? call_text(t[i].expr, t[i].doc)
		                  : select_text(t[i].expr, t[i].doc);
		if (strcmp(got, t[i].want))
			fprintf(stderr, "\n%s on %s: got %s, want %s\n", t[i].expr,
			        t[i].doc, got, t[i].want);
		CU_ASSERT_STRING_EQUAL(got, t[i].want);
		free(got);
	}
}

#define RUN(cases, calls) run_cases(cases, sizeof cases / sizeof *cases, calls)

/* --------------------------------------------------------------- JSONPath */

static const char *const BOOKS =
	"{\"store\":{\"book\":["
	"{\"c\":\"ref\",\"a\":\"Rees\",\"p\":8.95},"
	"{\"c\":\"fic\",\"a\":\"Waugh\",\"p\":12.99},"
	"{\"c\":\"fic\",\"a\":\"Melville\",\"isbn\":\"x\",\"p\":8.99},"
	"{\"c\":\"fic\",\"a\":\"Tolkien\",\"isbn\":\"y\",\"p\":22.99}],"
	"\"bicycle\":{\"color\":\"red\",\"p\":19.95}},\"max\":10}";

static void test_definite(void)
{
	static const struct tcase t[] = {
		{ "$", "{\"a\":1}", "{\"a\":1}" },
		{ "$", "\"s\"", "\"s\"" },
		{ "$.a", "{\"a\":null}", "null" },
		{ "$.a.b.c", "{\"a\":{\"b\":{\"c\":[1]}}}", "[1]" },
		{ "$['a']['b']", "{\"a\":{\"b\":2}}", "2" },
		{ "$['a b']", "{\"a b\":2}", "2" },
		{ "$['a.b']", "{\"a.b\":3,\"a\":{\"b\":4}}", "3" },
		{ "$.a.b", "{\"a.b\":3,\"a\":{\"b\":4}}", "4" },
		{ "$.a[0]", "{\"a\":[5,6]}", "5" },
		{ "$.a[1][0]", "{\"a\":[5,[7]]}", "7" },
		{ "$.a[-1]", "{\"a\":[5,6]}", "6" },
		{ "$.a[-2]", "{\"a\":[5,6]}", "5" },
		{ "$.a[-3]", "{\"a\":[5,6]}", "MISSING" },
		{ "$.a[2]", "{\"a\":[5,6]}", "MISSING" },
		{ "$.a[0]", "{\"a\":{\"0\":1}}", "MISSING" },
		{ "$.a.b", "{\"a\":[1]}", "MISSING" },
		{ "$.a.b", "{\"a\":\"str\"}", "MISSING" },
		{ "$.x", "[1]", "MISSING" },
		{ "$[0]", "[[1]]", "[1]" },
	};
	RUN(t, false);
}

static void test_indefinite(void)
{
	static const struct tcase t[] = {
		{ "$.store.book[*].a", NULL,
		  "[\"Rees\",\"Waugh\",\"Melville\",\"Tolkien\"]" },
		{ "$..a", NULL, "[\"Rees\",\"Waugh\",\"Melville\",\"Tolkien\"]" },
		{ "$..p", NULL, "[8.95,12.99,8.99,22.99,19.95]" },
		{ "$.store..p", NULL, "[8.95,12.99,8.99,22.99,19.95]" },
		{ "$.store.bicycle.*", NULL, "[\"red\",19.95]" },
		{ "$.store.book[1:3].a", NULL, "[\"Waugh\",\"Melville\"]" },
		{ "$.store.book[:1].a", NULL, "[\"Rees\"]" },
		{ "$.store.book[-1:].a", NULL, "[\"Tolkien\"]" },
		{ "$.store.book[2:1].a", NULL, "[]" },
		{ "$.store.book[5:9].a", NULL, "[]" },
		{ "$.store.book[0,3].a", NULL, "[\"Rees\",\"Tolkien\"]" },
		{ "$.store.book[3,0].a", NULL, "[\"Tolkien\",\"Rees\"]" },
		{ "$.store.book[*].isbn", NULL, "[\"x\",\"y\"]" },
		{ "$.store.book[*].none", NULL, "[]" },
		{ "$..none", NULL, "[]" },
		{ "$..book[1].a", NULL, "[\"Waugh\"]" },
		{ "$.max[*]", NULL, "[]" },
	};
	struct tcase c[sizeof t / sizeof *t];

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		c[i] = t[i];
		c[i].doc = BOOKS;
	}
	RUN(c, false);
}

static void test_filters(void)
{
	static const struct tcase t[] = {
		{ "$.store.book[?(@.p < 10)].a", NULL, "[\"Rees\",\"Melville\"]" },
		{ "$.store.book[?(@.p <= 8.99)].a", NULL,
		  "[\"Rees\",\"Melville\"]" },
		{ "$.store.book[?(@.p > 20)].a", NULL, "[\"Tolkien\"]" },
		{ "$.store.book[?(@.p >= 22.99)].a", NULL, "[\"Tolkien\"]" },
		{ "$.store.book[?(@.c == 'ref')].a", NULL, "[\"Rees\"]" },
		{ "$.store.book[?(@.c != 'fic')].a", NULL, "[\"Rees\"]" },
		{ "$.store.book[?(@.isbn)].a", NULL, "[\"Melville\",\"Tolkien\"]" },
		{ "$.store.book[?(!@.isbn)].a", NULL, "[\"Rees\",\"Waugh\"]" },
		{ "$.store.book[?(@.p > $.max)].a", NULL, "[\"Waugh\",\"Tolkien\"]" },
		{ "$.store.book[?(@.p < 9 && @.c == 'fic')].a", NULL,
		  "[\"Melville\"]" },
		{ "$.store.book[?(@.p > 20 || @.c == 'ref')].a", NULL,
		  "[\"Rees\",\"Tolkien\"]" },
		{ "$.store.book[?(@.a =~ /.*ll.*/)].a", NULL, "[\"Melville\"]" },
		{ "$.store.book[?(@.a =~ /ll/)].a", NULL, "[]" },
		{ "$.store.book[?(@.a =~ /melVILLE/i)].a", NULL, "[\"Melville\"]" },
		/* Java's syntax (PCRE2): classes, possessive quantifiers */
		{ "$.store.book[?(@.a =~ /\\w+e\\w*/)].a", NULL,
		  "[\"Rees\",\"Melville\",\"Tolkien\"]" },
		{ "$.store.book[?(@.a =~ /R.*+s/)].a", NULL, "[]" },
		{ "$.store.book[?(@.a =~ /[A-Z][a-z]++/)].a", NULL,
		  "[\"Rees\",\"Waugh\",\"Melville\",\"Tolkien\"]" },
		/* an invalid pattern fails the state, at once (glibc's regcomp
		 * took gigabytes on a stack of '+'s: fuzz_path) */
		{ "$.store.book[?(@.a =~ /s+++.*/i)].a", NULL, "ERROR" },
		{ "$.store.book[?(@.a =~ /(/)].a", NULL, "ERROR" },
		{ "$..book[?(@.p > 100)]", NULL, "[]" },
		{ "$.store.book[?(@.none > 1)].a", NULL, "[]" },
	};
	struct tcase c[sizeof t / sizeof *t];

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		c[i] = t[i];
		c[i].doc = BOOKS;
	}
	RUN(c, false);

	static const struct tcase s[] = {
		{ "$[?(@ > 1)]", "[1,2,3]", "[2,3]" },
		{ "$[?(@ == 'b')]", "[\"a\",\"b\"]", "[\"b\"]" },
		/* catastrophic backtracking stops at the match limit */
		{ "$[?(@ =~ /(\\w+\\s?)*/)]",
		  "[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"]", "ERROR" },
		{ "$[?(@ =~ /(\\w+\\s?)*/)]", "[\"aaaa aaaa\"]",
		  "[\"aaaa aaaa\"]" },
		{ "$[?(@.v == null)].i", "[{\"i\":1,\"v\":null},{\"i\":2}]", "[1]" },
		{ "$[?(@.v == true)].i", "[{\"i\":1,\"v\":true},{\"i\":2,"
		  "\"v\":false}]", "[1]" },
		{ "$[?(@.v != 1)].i", "[{\"i\":1,\"v\":1},{\"i\":2}]", "[2]" },
		{ "$[?(@.v == 1)].i", "[{\"i\":1,\"v\":1.0},{\"i\":2,\"v\":2}]",
		  "[1]" },
		{ "$[?(@.v < 'b')].i", "[{\"i\":1,\"v\":\"a\"},{\"i\":2,"
		  "\"v\":\"c\"}]", "[1]" },
		{ "$[?(@.v in $[0].l)].i", "[{\"i\":1,\"v\":1,\"l\":[1,3]},"
		  "{\"i\":2,\"v\":2}]", "[1]" },
		{ "$[?(@.v nin $[0].l)].i", "[{\"i\":1,\"v\":1,\"l\":[1,3]},"
		  "{\"i\":2,\"v\":2}]", "[2]" },
	};
	RUN(s, false);
}

static void test_name_unions(void)
{
	static const struct tcase t[] = {
		/* Jayway: a trailing union of names is one merged object */
		{ "$['a','b']", "{\"a\":1,\"b\":2,\"c\":3}", "{\"a\":1,\"b\":2}" },
		{ "$['b','a']", "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}" },
		{ "$['a','z']", "{\"a\":1}", "{\"a\":1}" },
		{ "$['y','z']", "{\"a\":1}", "{}" },
		{ "$.o['a','b']", "{\"o\":{\"a\":1,\"b\":2}}", "{\"a\":1,\"b\":2}" },
		{ "$.x['a','b']", "{\"o\":{}}", "MISSING" },
		{ "$.l[0]['a','b']", "{\"l\":[{\"a\":1}]}", "{\"a\":1}" },
		/* after a wildcard: one object per node */
		{ "$.l[*]['a','b']", "{\"l\":[{\"a\":1},{\"b\":2}]}",
		  "[{\"a\":1},{\"b\":2}]" },
		/* not last: an ordinary union */
		{ "$['a','b'].v", "{\"a\":{\"v\":1},\"b\":{\"v\":2}}", "[1,2]" },
	};
	RUN(t, false);
}

static void test_context_and_variables(void)
{
	ir_parse p;
	json_t *out, *d = json_object();

	ctx_reset();
	ctx.vars = json_pack("{s:{s:[i,i]}}", "v", "l", 4, 5);
	ir_parse_text("$v.l[1]", &p);
	CU_ASSERT_FATAL(p.path != NULL);
	CU_ASSERT_EQUAL(asl_path_get(&ctx, table_path(p.path), d, &out),
	                ASL_FOUND);
	CU_ASSERT(json_integer_value(out) == 5);
	json_decref(out);
	ir_path_free(p.path);

	/* an inner scope reads the outer one */
	asl_ctx inner;
	asl_ctx_child(&inner, &ctx, 1, NULL);
	ir_parse_text("$v.l[0]", &p);
	CU_ASSERT_EQUAL(asl_path_get(&inner, table_path(p.path), d, &out),
	                ASL_FOUND);
	CU_ASSERT(json_integer_value(out) == 4);
	json_decref(out);
	ir_path_free(p.path);
	ir_parse_text("$nope", &p);
	CU_ASSERT_EQUAL(asl_path_get(&inner, table_path(p.path), d, &out),
	                ASL_MISSING);
	ir_path_free(p.path);
	asl_ctx_release(&inner);

	ir_parse_text("$$.Execution.Name", &p);
	CU_ASSERT_EQUAL(asl_path_get(&ctx, table_path(p.path), d, &out),
	                ASL_FOUND);
	CU_ASSERT_STRING_EQUAL(json_string_value(out), "ex");
	json_decref(out);
	ir_path_free(p.path);
	ir_parse_text("$$.State.Name", &p);
	CU_ASSERT_EQUAL(asl_path_get(&ctx, table_path(p.path), d, &out),
	                ASL_FOUND);
	CU_ASSERT_STRING_EQUAL(json_string_value(out), "S");
	json_decref(out);
	ir_path_free(p.path);
	json_decref(d);
}

static void test_result_path(void)
{
	static const struct {
		const char *path, *doc, *want;
	} t[] = {
		{ "$.r", "{\"a\":1}", "{\"a\":1,\"r\":9}" },
		{ "$.a", "{\"a\":1,\"b\":2}", "{\"a\":9,\"b\":2}" },
		{ "$.x.y.z", "{}", "{\"x\":{\"y\":{\"z\":9}}}" },
		{ "$.l[1]", "{\"l\":[1,2]}", "{\"l\":[1,9]}" },
		{ "$.a.b", "{\"a\":5}", "FAIL" },
		{ "$.a", "\"s\"", "FAIL" },
		{ "$.a", "[1]", "FAIL" },
	};
	json_t *v = json_integer(9);

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		ir_parse p;
		json_t *d = json_loads(t[i].doc, JSON_DECODE_ANY, NULL), *out;
		char *got;

		ir_parse_text(t[i].path, &p);
		CU_ASSERT_FATAL(p.path != NULL);
		if (asl_path_set(table_path(p.path), d, v, &out) == 0) {
			got = text_of(out);
			json_decref(out);
		} else {
			got = xstrdup("FAIL");
		}
		if (strcmp(got, t[i].want))
			fprintf(stderr, "\nResultPath %s on %s: got %s, want %s\n",
			        t[i].path, t[i].doc, got, t[i].want);
		CU_ASSERT_STRING_EQUAL(got, t[i].want);
		free(got);
		ir_path_free(p.path);
		json_decref(d);
	}
	json_decref(v);
}

/* ------------------------------------------------------------ intrinsics */

static void test_format(void)
{
	static const struct tcase t[] = {
		{ "States.Format('Hello {} {}', 'x', 1)", "{}", "\"Hello x 1\"" },
		{ "States.Format('{}', $.o)", "{\"o\":{\"Arg1\":1,\"Arg2\":[]}}",
		  "\"{Arg1=1, Arg2=[]}\"" },
		{ "States.Format('{}', $.o)",
		  "{\"o\":{\"a\":[1,\"b\",{\"c\":null}],\"d\":1.5,\"e\":true}}",
		  "\"{a=[1, b, {c=null}], d=1.5, e=true}\"" },
		{ "States.Format('{} {} {}', null, true, false)", "{}",
		  "\"null true false\"" },
		{ "States.Format('{} {} {} {}', $.a, $.b, $.c, $.d)",
		  "{\"a\":1.1,\"b\":1e7,\"c\":3.0,\"d\":0.001}",
		  "\"1.1 1.0E7 3.0 0.001\"" },
		{ "States.Format('{} {}', $.a, $.b)", "{\"a\":-0.0,\"b\":0.0001}",
		  "\"-0.0 1.0E-4\"" },
		{ "States.Format('\\{\\} {} \\\\', 'v')", "{}",
		  "\"{} v \\\\\"" },
		{ "States.Format('\\{{}\\}', 'v')", "{}", "\"{v}\"" },
		{ "States.Format($.t, 'v')", "{\"t\":\"\\\\{}\"}", "\"\\\\v\"" },
		{ "States.Format('{}')", "{}", "ERROR" },
		{ "States.Format('x', 1)", "{}", "ERROR" },
		{ "States.Format($.t)", "{\"t\":1}", "ERROR" },
	};
	RUN(t, true);
}

static void test_json_functions(void)
{
	static const struct tcase t[] = {
		{ "States.StringToJson($.s)", "{\"s\":\"{\\\"a\\\":[1,2]}\"}",
		  "{\"a\":[1,2]}" },
		{ "States.StringToJson('')", "{}", "null" },
		{ "States.StringToJson($.s)", "{\"s\":\" \\n\\t \"}", "null" },
		{ "States.StringToJson('-0')", "{}", "0" },
		{ "States.StringToJson('\"s\"')", "{}", "\"s\"" },
		{ "States.StringToJson('{bad')", "{}", "ERROR" },
		{ "States.StringToJson('1 2')", "{}", "ERROR" },
		{ "States.StringToJson($.n)", "{\"n\":1}", "ERROR" },
		{ "States.JsonToString($.o)", "{\"o\":{\"Arg1\":1,\"Arg2\":[]}}",
		  "\"{\\\"Arg1\\\":1,\\\"Arg2\\\":[]}\"" },
		{ "States.JsonToString($.v)", "{\"v\":1e20}", "\"1.0E20\"" },
		{ "States.JsonToString($.v)", "{\"v\":0.1}", "\"0.1\"" },
		{ "States.JsonToString($.v)", "{\"v\":\"a\\\"b\"}",
		  "\"\\\"a\\\\\\\"b\\\"\"" },
		{ "States.JsonMerge($.a, $.b, false)",
		  "{\"a\":{\"a\":1,\"b\":2},\"b\":{\"c\":3,\"a\":9}}",
		  "{\"a\":9,\"b\":2,\"c\":3}" },
		{ "States.JsonMerge($.a, $.b, false)",
		  "{\"a\":{\"x\":{\"p\":1}},\"b\":{\"x\":{\"q\":2}}}",
		  "{\"x\":{\"q\":2}}" },
		{ "States.JsonMerge($.a, $.b, true)", "{\"a\":{},\"b\":{}}",
		  "ERROR" },
		{ "States.JsonMerge($.a, $.b, false)", "{\"a\":[],\"b\":{}}",
		  "ERROR" },
	};
	RUN(t, true);
}

static void test_arrays(void)
{
	static const struct tcase t[] = {
		{ "States.Array()", "{}", "[]" },
		{ "States.Array('a', 1, true, null, $.o)", "{\"o\":{\"k\":[]}}",
		  "[\"a\",1,true,null,{\"k\":[]}]" },
		{ "States.ArrayPartition($.a, 2)", "{\"a\":[0,1,2,3,4]}",
		  "[[0,1],[2,3],[4]]" },
		{ "States.ArrayPartition($.a, 3)", "{\"a\":[]}", "[]" },
		{ "States.ArrayPartition($.a, 2.5)", "{\"a\":[0,1,2,3,4]}",
		  "[[0,1,2],[3,4]]" },
		{ "States.ArrayPartition($.a, 0)", "{\"a\":[1]}", "ERROR" },
		{ "States.ArrayPartition($.a, 0.4)", "{\"a\":[1]}", "ERROR" },
		{ "States.ArrayContains($.a, $.v)", "{\"a\":[[1,2,3],2],"
		  "\"v\":[1,2,3]}", "true" },
		{ "States.ArrayContains($.a, 1.0)", "{\"a\":[1]}", "true" },
		{ "States.ArrayContains($.a, 1)", "{\"a\":[1.5]}", "false" },
		{ "States.ArrayContains($.a, '1')", "{\"a\":[1]}", "false" },
		{ "States.ArrayRange(0, 10, 3)", "{}", "[0,3,6,9]" },
		{ "States.ArrayRange(1, 9, 9)", "{}", "[1]" },
		{ "States.ArrayRange(10, 0, -3)", "{}", "[10,7,4,1]" },
		{ "States.ArrayRange(5, 0, 1)", "{}", "[]" },
		{ "States.ArrayRange(0, 1000, 1)", "{}", "ERROR" },
		{ "States.ArrayRange(0, 10, 0)", "{}", "ERROR" },
		{ "States.ArrayRange(0, 10, 0.4)", "{}", "ERROR" },
		{ "States.ArrayRange(-9223372036854775807, 9223372036854775807,"
		  " 9223372036854775807)", "{}",
		  "[-9223372036854775807,0,9223372036854775807]" },
		{ "States.ArrayGetItem($.a, 2)", "{\"a\":[1,2,3]}", "3" },
		{ "States.ArrayGetItem($.a, 3)", "{\"a\":[1,2,3]}", "ERROR" },
		{ "States.ArrayGetItem($.a, -1)", "{\"a\":[1,2,3]}", "ERROR" },
		{ "States.ArrayGetItem($.a, 0)", "{\"a\":[]}", "ERROR" },
		{ "States.ArrayLength($.a)", "{\"a\":[1,[2,3]]}", "2" },
		{ "States.ArrayLength($.a)", "{\"a\":{}}", "ERROR" },
		{ "States.ArrayUnique($.a)", "{\"a\":[1,2,3,3,3,3,3,3,4]}",
		  "[1,2,3,4]" },
		{ "States.ArrayUnique($.a)", "{\"a\":[1,1.0,\"1\"]}", "[1,\"1\"]" },
		{ "States.ArrayUnique($.a)", "{\"a\":[{\"a\":1,\"b\":2},"
		  "{\"b\":2,\"a\":1}]}", "[{\"a\":1,\"b\":2}]" },
	};
	RUN(t, true);
}

static void test_encoding(void)
{
	char *big = xmalloc(10001 + 16), *doc;
	static const struct tcase t[] = {
		{ "States.Base64Encode('Data to encode')", "{}",
		  "\"RGF0YSB0byBlbmNvZGU=\"" },
		{ "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", "{}",
		  "\"Data to encode\"" },
		{ "States.Base64Encode('')", "{}", "\"\"" },
		{ "States.Base64Decode('')", "{}", "\"\"" },
		{ "States.Base64Decode('YQ')", "{}", "\"a\"" },
		{ "States.Base64Encode($.s)", "{\"s\":\"\\u00e9\\u20ac\"}",
		  "\"w6nigqw=\"" },
		{ "States.Base64Decode('w6nigqw=')", "{}", "\"\u00e9\u20ac\"" },
		{ "States.Base64Decode('Y')", "{}", "ERROR" },
		{ "States.Base64Decode('R===')", "{}", "ERROR" },
		{ "States.Base64Decode('YQ=')", "{}", "ERROR" },
		{ "States.Base64Decode('ab=c')", "{}", "ERROR" },
		{ "States.Base64Decode('YW I=')", "{}", "ERROR" },
		{ "States.Base64Decode('/w==')", "{}", "ERROR" },
		{ "States.Hash('input data', 'SHA-1')", "{}",
		  "\"aaff4a450a104cd177d28d18d74485e8cae074b7\"" },
		{ "States.Hash('', 'MD5')", "{}",
		  "\"d41d8cd98f00b204e9800998ecf8427e\"" },
		{ "States.Hash('', 'SHA-256')", "{}",
		  "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852"
		  "b855\"" },
		{ "States.Hash('a', 'sha-1')", "{}", "ERROR" },
		{ "States.Hash('a', 'SHA-224')", "{}", "ERROR" },
	};
	RUN(t, true);

	/* 10,000 characters pass, 10,001 fail */
	memset(big, 'x', 10001);
	big[10001] = '\0';
	doc = xmalloc(10001 + 16);
	snprintf(doc, 10001 + 16, "{\"s\":\"%s\"}", big + 1);
	char *got = call_text("States.ArrayLength(States.Array("
	                      "States.Base64Encode($.s)))", doc);
	CU_ASSERT_STRING_EQUAL(got, "1");
	free(got);
	snprintf(doc, 10001 + 16, "{\"s\":\"%s\"}", big);
	got = call_text("States.Base64Encode($.s)", doc);
	CU_ASSERT_STRING_EQUAL(got, "ERROR");
	free(got);
	free(big);
	free(doc);
}

static void test_math_and_strings(void)
{
	static const struct tcase t[] = {
		{ "States.MathAdd(111, -1)", "{}", "110" },
		{ "States.MathAdd(1.49, 1.5)", "{}", "3" },
		{ "States.MathAdd(1.5, 1.51)", "{}", "4" },
		{ "States.MathAdd(-1.49, -1.5)", "{}", "-2" },
		{ "States.MathAdd(2.5, 0)", "{}", "3" },
		{ "States.MathAdd(-2.5, 0)", "{}", "-2" },
		{ "States.MathAdd($.v, 0)", "{\"v\":0.49999999999999994}", "0" },
		{ "States.MathAdd(2147483647, 1)", "{}", "ERROR" },
		{ "States.MathAdd(2147483648, 0)", "{}", "ERROR" },
		{ "States.MathAdd('1', 0)", "{}", "ERROR" },
		{ "States.MathRandom(1, 2)", "{}", "1" },
		{ "States.MathRandom(5, 5)", "{}", "ERROR" },
		{ "States.StringSplit(',,,,', ',')", "{}", "[]" },
		{ "States.StringSplit(', , ,', ',')", "{}", "[\" \",\" \"]" },
		{ "States.StringSplit('This.is+a,test=string', '.+,=')", "{}",
		  "[\"This\",\"is\",\"a\",\"test\",\"string\"]" },
		{ "States.StringSplit($.s, $.d)",
		  "{\"s\":\"a\\u20acb\\u00e9c\",\"d\":\"\\u00e9\\u20ac\"}",
		  "[\"a\",\"b\",\"c\"]" },
		{ "States.StringSplit('abc', '')", "{}", "[\"abc\"]" },
		{ "States.StringSplit(1, ',')", "{}", "ERROR" },
	};
	RUN(t, true);
}

static void test_random_and_uuid(void)
{
	char *a = call_text("States.MathRandom(0, 1000000, 7)", "{}");
	char *b = call_text("States.MathRandom(0, 1000000, 7)", "{}");
	bool seen[7] = { false };

	CU_ASSERT_STRING_EQUAL(a, b);
	free(a);
	free(b);
	for (int i = 0; i < 400; i++) {
		char *r = call_text("States.MathRandom(-3, 4)", "{}");
		long v = strtol(r, NULL, 10);
		CU_ASSERT(v >= -3 && v <= 3);
		if (v >= -3 && v <= 3)
			seen[v + 3] = true;
		free(r);
	}
	for (int i = 0; i < 7; i++)
		CU_ASSERT(seen[i]);

	char *u = call_text("States.UUID()", "{}");
	CU_ASSERT_EQUAL(strlen(u), 38);
	CU_ASSERT_EQUAL(u[15], '4');          /* version 4 */
	CU_ASSERT(strchr("89ab", u[20]) != NULL); /* RFC 4122 variant */
	free(u);
}

static void test_nesting(void)
{
	static const struct tcase t[] = {
		{ "States.ArrayLength(States.ArrayUnique(States.Array(1, 1, 2)))",
		  "{}", "2" },
		{ "States.StringToJson(States.JsonToString($.o))",
		  "{\"o\":{\"a\":[1,true]}}", "{\"a\":[1,true]}" },
		{ "States.Format('{}', States.ArrayGetItem($.l, 5))",
		  "{\"l\":[1]}", "ERROR" },
		{ "States.ArrayLength($.nope)", "{}", "ERROR" },
	};
	RUN(t, true);
}

static void test_dump(void)
{
	json_t *v = json_pack("{s:f, s:f, s:f, s:I, s:s}", "a", 0.1, "b", 1.0,
	                      "c", 1e20, "d", (json_int_t)12345678901234LL,
	                      "e", "q\"");
	char *s = asl_dump(v);

	CU_ASSERT_STRING_EQUAL(s, "{\"a\":0.1,\"b\":1.0,\"c\":1.0E20,"
	                       "\"d\":12345678901234,\"e\":\"q\\\"\"}");
	free(s);
	json_decref(v);
}

/* The payload size walk counts exactly what json_dumpb writes compact
 * (the limits compare it with 262,144), and stops past its budget. */
/* What a Task's Resource is an activity ARN: the states service, five
 * fields, then activity:NAME with no colon in NAME. */
static void test_activity_arn(void)
{
	static const char *const yes[] = {
		"arn:aws:states:us-east-1:123456789012:activity:approve",
		"arn:aws:states:::activity:a",
		"arn:aws-cn:states:cn-north-1:1:activity:x-y_z",
	};
	static const char *const no[] = {
		"arn:aws:states:::lambda:invoke",
		"arn:aws:lambda:us-east-1:123456789012:function:activity",
		"arn:aws:states:us-east-1:123456789012:activity:",
		"arn:aws:states:us-east-1:123456789012:activity:a:b",
		"arn:aws:states:us-east-1:123456789012:stateMachine:activity",
		"arn:aws:states:us-east-1:activity:x",
		"arn:aws:states",
		"arn:aws",
		"arn:",
		"activity:x",
		"",
	};

	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		CU_ASSERT_TRUE(asl_is_activity_arn(yes[i]));
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		CU_ASSERT_FALSE(asl_is_activity_arn(no[i]));
	CU_ASSERT_FALSE(asl_is_activity_arn(NULL));
}

static void test_json_size(void)
{
	static const char *const docs[] = {
		"[1.0, 1e20, 1e-5, 1.5e+300, -0.0, 0.1, 123456789.0, -2.5e-10]",
		"{\"a\\\"b\\\\c\\n\\u0001\": \"q\\\"\\t\\u001f\\u0000/\\u00e9\\u2028\"}",
		"{\"k\": [true, false, null, {}, [], \"\", -9223372036854775808]}",
		"[{\"x\": {\"y\": [0, -1, 10, 99, 100]}}, \"\\b\\f\\r\"]",
		"\"top\"", "3.0", "-42", "false",
	};

	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		json_t *v = json_loads(docs[i], JSON_DECODE_ANY | JSON_ALLOW_NUL,
		                       NULL);
		size_t n;
		CU_ASSERT_PTR_NOT_NULL_FATAL(v);
		n = json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY);
		CU_ASSERT_EQUAL(asl_json_size(v, 1000), n);
		CU_ASSERT_EQUAL(asl_json_size(v, n), n);
		if (n > 1)
			CU_ASSERT_EQUAL(asl_json_size(v, n - 1), n);
		json_decref(v);
	}
}

/* A pinned literal (main.c's asl_pin): jansson's json_incref and
 * json_decref leave it and what is in it alone, as they do json_null(),
 * and asl_unpin frees it all (valgrind and LeakSanitizer see a leak
 * otherwise). */
static void test_pinned_literal(void)
{
	json_t *v = json_loads("{\"a\": [1, {\"b\": \"s\"}], \"c\": 2.5}", 0,
	                       NULL);
	json_t *inner, *holder = json_object();

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	asl_pin(v);
	inner = json_array_get(json_object_get(v, "a"), 1);
	CU_ASSERT_EQUAL(v->refcount, (size_t)-1);
	CU_ASSERT_EQUAL(inner->refcount, (size_t)-1);
	for (int i = 0; i < 3; i++) {
		json_incref(v);
		json_incref(inner);
	}
	json_decref(v);
	json_decref(inner);
	/* placed into a document and let go with it, as an output is */
	json_object_set(holder, "lit", v);
	json_object_set(holder, "in", inner);
	json_decref(holder);
	CU_ASSERT_EQUAL(v->refcount, (size_t)-1);
	CU_ASSERT_EQUAL(inner->refcount, (size_t)-1);
	CU_ASSERT_EQUAL(json_integer_value(json_array_get(
	                    json_object_get(v, "a"), 0)), 1);
	asl_unpin(v);
}

int main(void)
{
	CU_pSuite s;
	unsigned failures;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("JSONPath", setup, teardown);
	CU_add_test(s, "definite paths", test_definite);
	CU_add_test(s, "indefinite paths", test_indefinite);
	CU_add_test(s, "filters", test_filters);
	CU_add_test(s, "unions of names", test_name_unions);
	CU_add_test(s, "context and variables", test_context_and_variables);
	CU_add_test(s, "ResultPath", test_result_path);
	s = CU_add_suite("intrinsics", setup, teardown);
	CU_add_test(s, "States.Format", test_format);
	CU_add_test(s, "JSON functions", test_json_functions);
	CU_add_test(s, "arrays", test_arrays);
	CU_add_test(s, "Base64 and Hash", test_encoding);
	CU_add_test(s, "MathAdd, StringSplit", test_math_and_strings);
	CU_add_test(s, "MathRandom, UUID", test_random_and_uuid);
	CU_add_test(s, "nesting", test_nesting);
	CU_add_test(s, "values in messages", test_dump);
	CU_add_test(s, "payload size", test_json_size);
	CU_add_test(s, "activity ARNs", test_activity_arn);
	CU_add_test(s, "pinned literals", test_pinned_literal);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failures ? 1 : 0;
}
