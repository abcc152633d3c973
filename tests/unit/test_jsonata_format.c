/*
 * test_jsonata_format.c - CUnit tests of JSONata's picture-string functions
 * (runtime/jsonata/format.c): $formatNumber, $formatInteger, $parseInteger,
 * $formatBase, $fromMillis and $toMillis.
 *
 * The cases are JSONata expressions that call only these functions, read by
 * a tiny evaluator below (literals, {...} options, unary minus and '*',
 * "( $v := e; e )" blocks, '~>' and unknown paths, which are undefined), and
 * compared with the expected JSON. When JSONATA_TEST_SUITE names a copy of
 * the official JSONata test suite (the folder holding groups/), its cases
 * for these six functions are run the same way; cases that need more of the
 * language than the evaluator has are counted as skipped.
 */
#define _DEFAULT_SOURCE /* strdup */
#include "jsonata/format.h"

#include <CUnit/Basic.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2018-10-21T13:05:00Z, the $now of every case */
#define NOW 1540127100000.0

enum { V_UNDEF, V_NUM, V_STR, V_OBJ, V_ERR, V_SKIP };

typedef struct {
	int kind;
	double num;
	char *str;    /* V_STR; the message for V_ERR */
	json_t *obj;  /* V_OBJ */
	char code[8]; /* V_ERR */
} val;

typedef struct {
	const char *p;
	char *names[8];
	val vals[8];
	int nvars;
} ev;

static val mk(int kind)
{
	val v = {kind, 0, NULL, NULL, ""};
	return v;
}

static void val_free(val *v)
{
	free(v->str);
	json_decref(v->obj);
	v->str = NULL;
	v->obj = NULL;
}

static val val_copy(const val *v)
{
	val r = *v;
	r.str = v->str ? strdup(v->str) : NULL;
	r.obj = v->obj ? json_incref(v->obj) : NULL;
	return r;
}

static void ws(ev *e)
{
	while (*e->p == ' ' || *e->p == '\n' || *e->p == '\t')
		e->p++;
}

static int eat(ev *e, const char *tok)
{
	ws(e);
	size_t n = strlen(tok);
	if (strncmp(e->p, tok, n))
		return 0;
	e->p += n;
	return 1;
}

static void put_utf8(char **q, unsigned cp)
{
	char *o = *q;
	if (cp < 0x80)
		*o++ = (char)cp;
	else if (cp < 0x800) {
		*o++ = (char)(0xC0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3F));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	*q = o;
}

static val string_lit(ev *e)
{
	char quote = *e->p++;
	char *s = malloc(strlen(e->p) * 4 + 1), *q = s;
	while (*e->p && *e->p != quote) {
		if (*e->p != '\\') {
			*q++ = *e->p++;
			continue;
		}
		e->p++;
		char c = *e->p++;
		switch (c) {
		case 'n': *q++ = '\n'; break;
		case 't': *q++ = '\t'; break;
		case 'r': *q++ = '\r'; break;
		case 'b': *q++ = '\b'; break;
		case 'f': *q++ = '\f'; break;
		case 'u': {
			unsigned cp = (unsigned)strtoul((char[5]){e->p[0], e->p[1], e->p[2], e->p[3], 0}, NULL, 16);
			e->p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && e->p[0] == '\\' && e->p[1] == 'u') {
				unsigned lo = (unsigned)strtoul((char[5]){e->p[2], e->p[3], e->p[4], e->p[5], 0}, NULL, 16);
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				e->p += 6;
			}
			put_utf8(&q, cp);
			break;
		}
		default: *q++ = c;
		}
	}
	if (*e->p)
		e->p++;
	*q = 0;
	val v = mk(V_STR);
	v.str = s;
	return v;
}

static val expr(ev *e);

/* the arguments of a call, up to ')' */
static int args(ev *e, val *a, int max)
{
	int n = 0;
	if (eat(e, ")"))
		return 0;
	do {
		val v = expr(e);
		if (n < max)
			a[n++] = v;
		else
			val_free(&v);
	} while (eat(e, ","));
	if (!eat(e, ")"))
		return -1;
	return n;
}

static val error_val(const jsonata_fmt_error *err)
{
	val v = mk(V_ERR);
	snprintf(v.code, sizeof v.code, "%s", err->code);
	v.str = strdup(err->message);
	return v;
}

static val result(jsonata_fmt_status st, char *s, double num, int is_num,
    const jsonata_fmt_error *err)
{
	if (st == JSONATA_FMT_ERROR || st == JSONATA_FMT_NOMEM)
		return error_val(err);
	if (st == JSONATA_FMT_UNDEFINED)
		return mk(V_UNDEF);
	val v = mk(is_num ? V_NUM : V_STR);
	v.num = num;
	v.str = s;
	return v;
}

static const char *opt(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static val call(const char *name, val *a, int n)
{
	jsonata_fmt_error err = {"", ""};
	char *s = NULL;
	double d = 0;
	for (int i = 0; i < n; i++)
		if (a[i].kind == V_ERR || a[i].kind == V_SKIP)
			return val_copy(&a[i]);
	if (n == 0 || a[0].kind == V_UNDEF)
		return mk(V_UNDEF);
#define STR(i) (n > (i) && a[i].kind == V_STR ? a[i].str : NULL)
	if (!strcmp(name, "formatNumber") && a[0].kind == V_NUM && STR(1)) {
		jsonata_number_options o, *po = NULL;
		if (n > 2 && a[2].kind == V_OBJ) {
			json_t *j = a[2].obj;
			o = (jsonata_number_options){opt(j, "decimal-separator"),
				opt(j, "grouping-separator"), opt(j, "exponent-separator"),
				opt(j, "infinity"), opt(j, "NaN"), opt(j, "minus-sign"),
				opt(j, "percent"), opt(j, "per-mille"), opt(j, "zero-digit"),
				opt(j, "digit"), opt(j, "pattern-separator")};
			po = &o;
		}
		{
		jsonata_fmt_status st = jsonata_format_number(a[0].num, STR(1), po, &s, &err);
		return result(st, s, 0, 0, &err);
	}
	}
	if (!strcmp(name, "formatInteger") && a[0].kind == V_NUM && STR(1))
		{
		jsonata_fmt_status st = jsonata_format_integer(a[0].num, STR(1), &s, &err);
		return result(st, s, 0, 0, &err);
	}
	if (!strcmp(name, "parseInteger") && a[0].kind == V_STR && STR(1))
		{
		jsonata_fmt_status st = jsonata_parse_integer(a[0].str, STR(1), &d, &err);
		return result(st, NULL, d, 1, &err);
	}
	if (!strcmp(name, "formatBase") && a[0].kind == V_NUM) {
		int has = n > 1 && a[1].kind == V_NUM;
		{
		jsonata_fmt_status st = jsonata_format_base(a[0].num, has, has ? a[1].num : 0, &s, &err);
		return result(st, s, 0, 0, &err);
	}
	}
	if (!strcmp(name, "fromMillis") && a[0].kind == V_NUM)
		{
		jsonata_fmt_status st = jsonata_from_millis(a[0].num, STR(1), STR(2), &s, &err);
		return result(st, s, 0, 0, &err);
	}
	if (!strcmp(name, "toMillis") && a[0].kind == V_STR)
		{
		jsonata_fmt_status st = jsonata_to_millis(a[0].str, STR(1), NOW, &d, &err);
		return result(st, NULL, d, 1, &err);
	}
#undef STR
	return mk(V_SKIP);
}

static val primary(ev *e)
{
	ws(e);
	const char *p = e->p;
	if (*p == '"' || *p == '\'')
		return string_lit(e);
	if ((*p >= '0' && *p <= '9') || *p == '.') {
		char *end;
		val v = mk(V_NUM);
		v.num = strtod(p, &end);
		e->p = end;
		return v;
	}
	if (eat(e, "(")) {
		if (eat(e, ")"))
			return mk(V_UNDEF);
		val v = mk(V_UNDEF);
		do {
			val_free(&v);
			ws(e);
			if (e->p[0] == '$' && strstr(e->p, ":=")) {
				const char *n = e->p + 1, *q = n;
				while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
					q++;
				e->p = q;
				if (eat(e, ":=") && e->nvars < 8) {
					e->names[e->nvars] = strndup(n, (size_t)(q - n));
					e->vals[e->nvars] = expr(e);
					v = val_copy(&e->vals[e->nvars++]);
					continue;
				}
				return mk(V_SKIP);
			}
			v = expr(e);
		} while (eat(e, ";"));
		if (!eat(e, ")")) {
			val_free(&v);
			return mk(V_SKIP);
		}
		return v;
	}
	if (eat(e, "{")) {
		val v = mk(V_OBJ);
		v.obj = json_object();
		if (eat(e, "}"))
			return v;
		do {
			ws(e);
			val k = string_lit(e);
			if (!eat(e, ":")) {
				val_free(&k);
				val_free(&v);
				return mk(V_SKIP);
			}
			val x = expr(e);
			if (x.kind == V_STR)
				json_object_set_new(v.obj, k.str, json_string(x.str));
			val_free(&k);
			val_free(&x);
		} while (eat(e, ","));
		if (!eat(e, "}")) {
			val_free(&v);
			return mk(V_SKIP);
		}
		return v;
	}
	if (*p == '$') {
		const char *n = p + 1, *q = n;
		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
			q++;
		e->p = q;
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(q - n), n);
		if (eat(e, "(")) {
			val a[4];
			int k = args(e, a, 4);
			if (k < 0)
				return mk(V_SKIP);
			val r = call(name, a, k);
			for (int i = 0; i < k; i++)
				val_free(&a[i]);
			return r;
		}
		for (int i = 0; i < e->nvars; i++)
			if (!strcmp(e->names[i], name))
				return val_copy(&e->vals[i]);
		return mk(V_SKIP);
	}
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
		while ((*e->p >= 'a' && *e->p <= 'z') || (*e->p >= 'A' && *e->p <= 'Z'))
			e->p++;
		return mk(V_UNDEF); /* a path the data has not */
	}
	return mk(V_SKIP);
}

static val unary(ev *e)
{
	if (eat(e, "-")) {
		val v = unary(e);
		if (v.kind == V_NUM)
			v.num = -v.num;
		else if (v.kind != V_ERR) {
			val_free(&v);
			v = mk(V_SKIP);
		}
		return v;
	}
	return primary(e);
}

static val term(ev *e)
{
	val v = unary(e);
	while (eat(e, "*")) {
		val w = unary(e);
		if (v.kind == V_NUM && w.kind == V_NUM)
			v.num *= w.num;
		else {
			val_free(&v);
			v = mk(V_SKIP);
		}
		val_free(&w);
	}
	return v;
}

/* term ( '~>' $f(args) )* */
static val expr(ev *e)
{
	val v = term(e);
	while (eat(e, "~>")) {
		ws(e);
		if (*e->p != '$') {
			val_free(&v);
			return mk(V_SKIP);
		}
		const char *n = e->p + 1, *q = n;
		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
			q++;
		e->p = q;
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(q - n), n);
		val a[4];
		a[0] = v;
		int k = eat(e, "(") ? args(e, a + 1, 3) : -1;
		if (k < 0) {
			val_free(&v);
			return mk(V_SKIP);
		}
		v = call(name, a, k + 1);
		for (int i = 0; i <= k; i++)
			val_free(&a[i]);
	}
	return v;
}

static val evaluate(const char *text)
{
	ev e = {text, {0}, {{0}}, 0};
	val v = expr(&e);
	ws(&e);
	if (*e.p) {
		val_free(&v);
		v = mk(V_SKIP);
	}
	for (int i = 0; i < e.nvars; i++) {
		free(e.names[i]);
		val_free(&e.vals[i]);
	}
	return v;
}

/* 1 when v is what the case expects, 0 when not, -1 to skip it */
static int check(const char *expression, const val *v, json_t *want_result,
    int want_undefined, const char *want_code, char *why, size_t size)
{
	if (v->kind == V_SKIP)
		return -1;
	if (want_code) {
		if (v->kind == V_ERR && !strcmp(v->code, want_code))
			return 1;
		snprintf(why, size, "%s: wanted error %s", expression, want_code);
		return 0;
	}
	if (v->kind == V_ERR) {
		snprintf(why, size, "%s: error %s %s", expression, v->code, v->str);
		return 0;
	}
	if (want_undefined) {
		if (v->kind == V_UNDEF)
			return 1;
		snprintf(why, size, "%s: wanted undefined", expression);
		return 0;
	}
	if (v->kind == V_STR && json_is_string(want_result) &&
	    !strcmp(v->str, json_string_value(want_result)))
		return 1;
	if (v->kind == V_NUM && json_is_number(want_result) &&
	    v->num == json_number_value(want_result))
		return 1;
	char *w = want_result ? json_dumps(want_result, JSON_ENCODE_ANY) : NULL;
	if (v->kind == V_NUM)
		snprintf(why, size, "%s: got %.17g, wanted %s", expression, v->num, w ? w : "?");
	else
		snprintf(why, size, "%s: got %s, wanted %s", expression,
		    v->kind == V_STR ? v->str : v->kind == V_UNDEF ? "undefined" : "?",
		    w ? w : "?");
	free(w);
	return 0;
}

/* a case: the expression and the expected JSON ("undefined" or "!D3080" for
 * an error) */
static int run_case(const char *expression, const char *want)
{
	json_t *res = NULL;
	const char *code = NULL;
	int undef = 0;
	if (want[0] == '!')
		code = want + 1;
	else if (!strcmp(want, "undefined"))
		undef = 1;
	else
		res = json_loads(want, JSON_DECODE_ANY, NULL);
	val v = evaluate(expression);
	char why[1024] = "";
	int ok = check(expression, &v, res, undef, code, why, sizeof why);
	if (ok != 1)
		printf("\n  FAILED %s%s", ok < 0 ? "(not evaluated) " : "", why[0] ? why : expression);
	val_free(&v);
	json_decref(res);
	return ok == 1;
}

static const char *const cases[][2] = {
	/* $formatNumber */
	{"$formatNumber(1234.5678, '#,##0.00')", "\"1,234.57\""},
	{"$formatNumber(0.125, '0.00')", "\"0.12\""},          /* half to even */
	{"$formatNumber(0.135, '0.00')", "\"0.14\""},
	{"$formatNumber(1234567.891, '#,##0.0##')", "\"1,234,567.891\""},
	{"$formatNumber(-1234.5, '#,##0.00;(#,##0.00)')", "\"(1,234.50)\""},
	{"$formatNumber(0.5, '#%')", "\"50%\""},
	{"$formatNumber(34.555, '#0.00;(#0.00)')", "\"34.56\""},
	{"$formatNumber(1234.5678, '#.##0,00', {'decimal-separator': ',', 'grouping-separator': '.'})",
	 "\"1.234,57\""},
	{"$formatNumber(0, '0')", "\"0\""},
	{"$formatNumber(0, '#.##')", "\".0\""},      /* jsonata-js, not XPath */
	{"$formatNumber(5, '0.0e0')", "\"5.0e0\""},
	{"$formatNumber(12345, '0.00e00')", "\"1.23e04\""},
	{"$formatNumber(1, '#,##0.00', {'minus-sign': '~'})", "\"1.00\""},
	{"$formatNumber(-1, '#,##0.00', {'minus-sign': '~'})", "\"~1.00\""},
	{"$formatNumber(2, '#;#;#')", "!D3080"},
	{"$formatNumber(2, 'abc')", "!D3085"},
	{"$formatNumber(1e21, '#')", "\"1e+21\""},
	{"$formatNumber(1234.5, '#.##0,0', {'decimal-separator': ',', 'grouping-separator': '.'})",
	 "\"1.234,5\""},
	{"$formatNumber(0, '0.0e0')", "\"0.0e0\""},        /* jsonata-js hangs */
	{"$formatNumber(-1234, '0.0e0')", "\"-1.2e3\""},   /* jsonata-js hangs */
	{"$formatNumber(-0.5, '0')", "\"-0\""},
	{"$formatNumber(1.2345678901234569e23, '#,###')", "\"1.2345678901234569e+2\""},
	/* $formatInteger */
	{"$formatInteger(2789, '#,##0')", "\"2,789\""},
	{"$formatInteger(2789, 'w')", "\"two thousand, seven hundred and eighty-nine\""},
	{"$formatInteger(1999, 'I')", "\"MCMXCIX\""},
	{"$formatInteger(-12, 'w')", "\"-twelve\""},
	{"$formatInteger(0, 'w')", "\"zero\""},
	{"$formatInteger(11, '0;o')", "\"11th\""},
	{"$formatInteger(22, '0;o')", "\"22nd\""},
	{"$formatInteger(702, 'a')", "\"zz\""},
	{"$formatInteger(703, 'A')", "\"AAA\""},
	{"$formatInteger(5, '\xd9\xa0\xd9\xa0')", "\"\xd9\xa0\xd9\xa5\""},
	{"$formatInteger(1, '#')", "!D3130"},
	/* $parseInteger */
	{"$parseInteger('12,345', '#,##0')", "12345"},
	{"$parseInteger('twenty-one', 'w')", "21"},
	{"$parseInteger('mmxxiv', 'i')", "2024"},
	{"$parseInteger('zz', 'a')", "702"},
	{"$parseInteger('11th', '0;o')", "11"},
	{"$parseInteger('12', '#')", "!D3130"},
	{"$parseInteger('twelfth', 'w;o')", "12"},
	/* regular grouping: jsonata-js drops ',' whatever the separator is */
	{"$parseInteger('1,234', '#\xc2\xa0##0')", "1234"},
	{"$parseInteger('1,234', '#\xc2\xa0##0\xc2\xa0#')", "1"},
	/* $formatBase */
	{"$formatBase(255, 16)", "\"ff\""},
	{"$formatBase(-255, 16)", "\"-ff\""},
	{"$formatBase(2.5)", "\"2\""},
	{"$formatBase(0, 2)", "\"0\""},
	{"$formatBase(35, 36)", "\"z\""},
	{"$formatBase(10, 0)", "!D3100"},
	/* $fromMillis */
	{"$fromMillis(253402300800000)", "\"0000-01-01T00:00:00.000Z\""},
	{"$fromMillis(-62198755200000)", "\"-0001-01-01T00:00:00.000Z\""},
	{"$fromMillis(1e20)", "\"0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ\""},
	{"$fromMillis(0, '[Y]-[q1]')", "\"1970-undefined\""},
	{"$fromMillis(0)", "\"1970-01-01T00:00:00.000Z\""},
	{"$fromMillis(-1)", "\"1969-12-31T23:59:59.999Z\""},
	{"$fromMillis(-62135596800000)", "\"0001-01-01T00:00:00.000Z\""},
	{"$fromMillis(951782400000)", "\"2000-02-29T00:00:00.000Z\""},
	{"$fromMillis(1540127100000, '[h]:[m01] [PN]', '+0530')", "\"6:35 PM\""},
	{"$fromMillis(1540127100000, '[FNn,*-3] [D] [MNn,*-3]')", "\"Sun 21 Oct\""},
	{"$fromMillis(1540127100000, '[Y0001]-[d001]')", "\"2018-294\""},
	{"$fromMillis(1540127100000, '[H01]:[m01][Z0101t]', '-0000')", "\"13:05Z\""},
	{"$fromMillis(1540127100000, '[Y]-[M')", "!D3135"},
	{"$fromMillis(1540127100000, '[Q]')", "!D3132"},
	{"$fromMillis(1540127100000, '[DN]')", "!D3133"},
	/* $toMillis */
	{"$toMillis('1970-01-01T00:00:00Z')", "0"},
	{"$toMillis('1969-07-20T20:17:40Z')", "-14182940000"},
	{"$toMillis('0001-01-01')", "-62135596800000"},
	{"$toMillis('9999-12-31T23:59:59.999Z')", "253402300799999"},
	{"$toMillis('2018-10-21T13:05:00+01:00')", "1540123500000"},
	{"$toMillis('2018-10-21T13:05:00.5Z')", "1540127100500"},
	{"$toMillis('2019-02-30')", "1551484800000"},
	{"$toMillis('2018-10-21T13:05')", "!D3110"},
	{"$toMillis('2018-10')", "1538352000000"},
	{"$toMillis('2018-10-21 13:05')", "!D3110"},
	{"$toMillis('21/10/2018', '[D]/[M]/[Y]')", "1540080000000"},
	{"$toMillis('13:05', '[H]:[m]')", "1540127100000"},
	{"$toMillis('October 2018', '[MNn] [Y]')", "1538352000000"},
	{"$toMillis('2018-10-21 13:05:00 -0100', '[Y]-[M]-[D] [H]:[m]:[s] [Z0001]')", "1540130700000"},
	{"$toMillis('2018', '[Y]-[M]')", "undefined"},
	{"$toMillis('13', '[H]:[s]')", "undefined"},
	{"$toMillis('13:20', '[H]:[s]')", "!D3136"},
	{"$toMillis('13', '[H]')", "1540126800000"},
	{"$toMillis('2018-05', '[Y]-[m]')", "!D3136"},
};

static void test_cases(void)
{
	int failed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		failed += !run_case(cases[i][0], cases[i][1]);
	CU_ASSERT_EQUAL(failed, 0);
}

/* the C interface itself: messages, options, NULLs */
static void test_api(void)
{
	jsonata_fmt_error err = {"", ""};
	char *s = NULL;
	double d = 0;
	CU_ASSERT_EQUAL(jsonata_format_number(1, "#;#;#", NULL, &s, &err), JSONATA_FMT_ERROR);
	CU_ASSERT_STRING_EQUAL(err.code, "D3080");
	CU_ASSERT_STRING_EQUAL(err.message,
	    "The picture string must only contain a maximum of two sub-pictures");
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(jsonata_format_base(1, 1, 37.2, &s, &err), JSONATA_FMT_ERROR);
	CU_ASSERT_STRING_EQUAL(err.message,
	    "The radix of the formatBase function must be between 2 and 36.  It was given 37");
	CU_ASSERT_EQUAL(jsonata_to_millis("foo\"", NULL, 0, &d, &err), JSONATA_FMT_ERROR);
	CU_ASSERT_STRING_EQUAL(err.code, "D3110");
	CU_ASSERT_STRING_EQUAL(err.message,
	    "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given \"foo\\\"\"");
	CU_ASSERT_EQUAL(jsonata_format_integer(1, "\xce\xb1", &s, &err), JSONATA_FMT_ERROR);
	CU_ASSERT_STRING_EQUAL(err.message,
	    "Formatting or parsing an integer as a sequence starting with \"\xce\xb1\" is not supported by this implementation");
	CU_ASSERT_EQUAL(jsonata_from_millis(0, "[q]", NULL, &s, &err), JSONATA_FMT_ERROR);
	CU_ASSERT_STRING_EQUAL(err.message,
	    "Unknown component specifier \"q\" in date/time picture string");
	/* every option, and the default for the ones not given */
	jsonata_number_options o = {0};
	o.grouping_separator = " ";
	o.decimal_separator = ",";
	o.zero_digit = "\xd9\xa0"; /* ARABIC-INDIC DIGIT ZERO */
	CU_ASSERT_EQUAL(jsonata_format_number(1234.5, "#\xc2\xa0##\xd9\xa0,\xd9\xa0\xd9\xa0",
	    &o, &s, &err), JSONATA_FMT_ERROR); /* ' ' is not the separator given */
	CU_ASSERT_STRING_EQUAL(err.code, "D3086");
	CU_ASSERT_EQUAL(jsonata_format_number(1234.5, "# ##\xd9\xa0,\xd9\xa0\xd9\xa0",
	    &o, &s, &err), JSONATA_FMT_OK);
	CU_ASSERT_STRING_EQUAL(s, "\xd9\xa1 \xd9\xa2\xd9\xa3\xd9\xa4,\xd9\xa5\xd9\xa0");
	free(s);
	s = NULL;
	/* NaN as jsonata-js gives it */
	CU_ASSERT_EQUAL(jsonata_parse_integer("xyz", "0", &d, &err), JSONATA_FMT_OK);
	CU_ASSERT_TRUE(isnan(d));
	CU_ASSERT_EQUAL(jsonata_to_millis("2018-13-01", NULL, 0, &d, &err), JSONATA_FMT_OK);
	CU_ASSERT_TRUE(isnan(d));
	/* a picture without a match is undefined */
	CU_ASSERT_EQUAL(jsonata_to_millis("x", "[Y]", 0, &d, &err), JSONATA_FMT_UNDEFINED);
}

static const char *const groups[] = {"function-formatNumber",
	"function-formatInteger", "function-parseInteger", "function-formatBase",
	"function-fromMillis", "function-tomillis"};

static void suite_case(json_t *c, int *pass, int *fail, int *skip)
{
	const char *expression = json_string_value(json_object_get(c, "expr"));
	if (!expression)
		return;
	val v = evaluate(expression);
	char why[2048] = "";
	int ok = check(expression, &v, json_object_get(c, "result"),
	    json_is_true(json_object_get(c, "undefinedResult")),
	    json_string_value(json_object_get(c, "code")), why, sizeof why);
	if (ok < 0)
		(*skip)++;
	else if (ok)
		(*pass)++;
	else {
		(*fail)++;
		printf("\n  FAILED %s", why);
	}
	val_free(&v);
}

static void test_suite(void)
{
	const char *root = getenv("JSONATA_TEST_SUITE");
	if (!root || !*root) {
		printf("skipped (set JSONATA_TEST_SUITE to the suite's folder) ");
		return;
	}
	int pass = 0, fail = 0, skip = 0;
	for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/groups/%s", root, groups[g]);
		DIR *d = opendir(dir);
		if (!d) {
			printf("skipped (no %s) ", dir);
			return;
		}
		struct dirent *de;
		while ((de = readdir(d))) {
			size_t n = strlen(de->d_name);
			if (n < 5 || strcmp(de->d_name + n - 5, ".json"))
				continue;
			char path[8192];
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			json_t *j = json_load_file(path, 0, NULL);
			CU_ASSERT_PTR_NOT_NULL(j);
			if (json_is_array(j)) {
				size_t i;
				json_t *c;
				json_array_foreach(j, i, c)
					suite_case(c, &pass, &fail, &skip);
			} else if (j)
				suite_case(j, &pass, &fail, &skip);
			json_decref(j);
		}
		closedir(d);
	}
	printf("\n  official suite: %d passed, %d failed, %d need the engine ",
	    pass, fail, skip);
	CU_ASSERT_TRUE(pass > 0);
	CU_ASSERT_EQUAL(fail, 0);
}

int main(void)
{
	CU_pSuite s;
	unsigned fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("jsonata format", NULL, NULL);
	CU_add_test(s, "cases", test_cases);
	CU_add_test(s, "C interface", test_api);
	CU_add_test(s, "official suite", test_suite);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
