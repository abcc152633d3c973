/*
 * choice.c - Choice rules.
 *
 * asl_rule_test evaluates one Choice rule against the Choice state's
 * effective input (its timestamps are read by common/rfc3339.c).  The semantics are AWS's (see
 * doc/semantics.md): a comparison between values of the wrong types is
 * false, a missing Variable is a States.Runtime error (except for
 * IsPresent), strings compare as Java strings (UTF-16 code units) and
 * numbers as doubles.
 */
#include "internal.h"
#include "rfc3339.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ timestamps */

/* An instant: seconds since the epoch and nanoseconds in [0, 1e9). */
typedef struct instant {
	long long sec;
	long nsec;
} instant;

/* A JSON string holding a timestamp (and no NUL). */
static bool json_instant(const json_t *v, instant *out)
{
	const char *s;

	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	return strlen(s) == json_string_length(v) &&
	       rfc3339_parse(s, 0, &out->sec, &out->nsec) == 0;
}

static int instant_cmp(const instant *a, const instant *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

/* --------------------------------------------------------------- strings */

/* Walks a UTF-8 string as UTF-16 code units. */
typedef struct u16_iter {
	const unsigned char *p, *end;
	unsigned pending; /* a low surrogate still to return, or 0 */
} u16_iter;

/* The next code point; an invalid sequence yields U+FFFD for one byte. */
static uint32_t utf8_next(u16_iter *it)
{
	const unsigned char *p = it->p;
	size_t left = (size_t)(it->end - p);
	uint32_t cp, min;
	size_t n;

	if (p[0] < 0x80) {
		it->p++;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2; cp = p[0] & 0x1F; min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3; cp = p[0] & 0x0F; min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4; cp = p[0] & 0x07; min = 0x10000;
	} else {
		goto invalid;
	}
	if (n > left)
		goto invalid;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto invalid;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto invalid;
	it->p += n;
	return cp;
invalid:
	it->p++;
	return 0xFFFD;
}

/* The next UTF-16 code unit, or -1 at the end. */
static long u16_next(u16_iter *it)
{
	uint32_t cp;

	if (it->pending) {
		cp = it->pending;
		it->pending = 0;
		return (long)cp;
	}
	if (it->p >= it->end)
		return -1;
	cp = utf8_next(it);
	if (cp >= 0x10000) {
		cp -= 0x10000;
		it->pending = 0xDC00 | (cp & 0x3FF);
		return (long)(0xD800 | (cp >> 10));
	}
	return (long)cp;
}

/* Java's String.compareTo on UTF-8 input: <0, 0 or >0. */
static int utf16_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	u16_iter ia = { (const unsigned char *)a,
	                (const unsigned char *)a + na, 0 };
	u16_iter ib = { (const unsigned char *)b,
	                (const unsigned char *)b + nb, 0 };

	for (;;) {
		long x = u16_next(&ia), y = u16_next(&ib);

		if (x != y)
			return x < y ? -1 : 1; /* the end (-1) sorts first */
		if (x < 0)
			return 0;
	}
}

/* ---------------------------------------------------------- StringMatches */

enum { GLOB_STAR = -1 };

/*
 * Compile a StringMatches pattern: '*' becomes GLOB_STAR, "\*" a literal
 * '*', "\\" a literal backslash, any other byte itself.  Returns the
 * number of units in *out (to free), or -1 on an unpaired backslash.
 */
static long glob_compile(const char *pat, size_t n, int **out)
{
	int *units = asl_xmalloc((n + 1) * sizeof *units);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)pat[i];

		if (ch == '*') {
			units[k++] = GLOB_STAR;
		} else if (ch == '\\') {
			if (i + 1 >= n || (pat[i + 1] != '*' && pat[i + 1] != '\\')) {
				free(units);
				return -1;
			}
			units[k++] = (unsigned char)pat[++i];
		} else {
			units[k++] = ch;
		}
	}
	*out = units;
	return (long)k;
}

/*
 * Whole-string glob match, iteratively: on a mismatch, go back to the last
 * star and let it swallow one more byte.  O(len(s) x len(pat)) at worst.
 * Matching bytes is matching characters: the literal parts are valid UTF-8
 * and can only match at character boundaries.
 */
static bool glob_match(const int *pat, size_t np, const unsigned char *s,
                       size_t ns)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;

	while (si < ns) {
		if (pi < np && pat[pi] == GLOB_STAR) {
			star = pi++;
			mark = si;
		} else if (pi < np && pat[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < np && pat[pi] == GLOB_STAR)
		pi++;
	return pi == np;
}

/* StringMatches; false for a non-string, -1 after raising. */
static int string_matches(asl_ctx *c, const json_t *v, const json_t *pat)
{
	int *units;
	long n;
	bool m;

	if (!json_is_string(pat))
		return 0;
	n = glob_compile(json_string_value(pat), json_string_length(pat),
	                 &units);
	if (n < 0) {
		asl_runtime_error(c, "Invalid StringMatches pattern '%s': an "
		                  "escape character '\\' must be followed by '*' "
		                  "or '\\'", json_string_value(pat));
		return -1;
	}
	m = json_is_string(v) &&
	    glob_match(units, (size_t)n,
	               (const unsigned char *)json_string_value(v),
	               json_string_length(v));
	free(units);
	return m;
}

/* ----------------------------------------------------------- comparisons */

static bool apply_rel(int cmp, unsigned rel)
{
	switch (rel) {
	case ASL_LT: return cmp < 0;
	case ASL_GT: return cmp > 0;
	case ASL_LE: return cmp <= 0;
	case ASL_GE: return cmp >= 0;
	default:     return cmp == 0;
	}
}

/* String*, Numeric*, Boolean*, Timestamp*: false when either side is not
 * of the operator's type. */
static bool compare(const asl_rule *r, const json_t *a, const json_t *b)
{
	int cmp;

	switch (r->type) {
	case ASL_T_STRING:
		if (!json_is_string(a) || !json_is_string(b))
			return false;
		cmp = utf16_cmp(json_string_value(a), json_string_length(a),
		                json_string_value(b), json_string_length(b));
		break;
	case ASL_T_NUMERIC: {
		double x, y;

		if (!json_is_number(a) || !json_is_number(b))
			return false;
		x = json_number_value(a);
		y = json_number_value(b);
		cmp = x < y ? -1 : x > y ? 1 : 0;
		break;
	}
	case ASL_T_BOOLEAN:
		if (!json_is_boolean(a) || !json_is_boolean(b))
			return false;
		cmp = (int)json_is_true(a) - (int)json_is_true(b);
		break;
	case ASL_T_TIMESTAMP: {
		instant x, y;

		if (!json_instant(a, &x) || !json_instant(b, &y))
			return false;
		cmp = instant_cmp(&x, &y);
		break;
	}
	default:
		return false;
	}
	return apply_rel(cmp, r->rel);
}

/* ----------------------------------------------------------------- rules */

static void invalid_path(asl_ctx *c, const asl_path *p, bool *failed)
{
	asl_runtime_error(c, "Invalid path '%s': The choice state's condition "
	                  "path references an invalid value.", p->text);
	*failed = true;
}

/* The operand of a comparison or StringMatches (a new reference when
 * *owned), NULL when there is none (the rule is false), or NULL with
 * *failed set. */
static json_t *operand(asl_ctx *c, const asl_rule *r, json_t *in,
                       bool *failed, bool *owned)
{
	json_t *o;

	*owned = false;
	if (r->operand) {
		int rc = asl_path_lookup(c, r->operand, in, &o, owned);
		if (rc != ASL_FOUND) {
			if (rc == ASL_PATH_ERROR)
				*failed = true; /* raised */
			else
				invalid_path(c, r->operand, failed);
			return NULL;
		}
		return o;
	}
	if (r->lit >= 0)
		return asl_literal(c, r->lit);
	return NULL;
}

/* A data-test rule: Variable and one operator. */
static bool data_test(asl_ctx *c, const asl_rule *r, json_t *in,
                      bool *failed)
{
	json_t *v = in, *o;
	instant t;
	bool res = false, v_owned = false, o_owned;
	int rc;

	/* Read, never kept: borrowed where they can be. */
	if (r->variable &&
	    (rc = asl_path_lookup(c, r->variable, in, &v, &v_owned)) !=
	        ASL_FOUND) {
		if (rc == ASL_PATH_ERROR) {
			*failed = true; /* raised */
			return false;
		}
		if (r->op == ASL_R_IS_PRESENT)
			return !r->flag;
		invalid_path(c, r->variable, failed);
		return false;
	}
	switch (r->op) {
	case ASL_R_IS_PRESENT:
		res = r->flag;
		break;
	case ASL_R_IS_NULL:
		res = json_is_null(v) == (bool)r->flag;
		break;
	case ASL_R_IS_NUMERIC:
		res = json_is_number(v) == (bool)r->flag;
		break;
	case ASL_R_IS_STRING:
		res = json_is_string(v) == (bool)r->flag;
		break;
	case ASL_R_IS_BOOLEAN:
		res = json_is_boolean(v) == (bool)r->flag;
		break;
	case ASL_R_IS_TIMESTAMP:
		res = json_instant(v, &t) == (bool)r->flag;
		break;
	case ASL_R_COMPARE:
	case ASL_R_MATCHES:
		o = operand(c, r, in, failed, &o_owned);
		if (!o)
			break;
		if (r->op == ASL_R_COMPARE) {
			res = compare(r, v, o);
		} else {
			int m = string_matches(c, v, o);

			if (m < 0)
				*failed = true;
			res = m > 0;
		}
		asl_let_go(o, o_owned);
		break;
	default:
		break;
	}
	asl_let_go(v, v_owned);
	return res;
}

bool asl_rule_test(asl_ctx *c, const asl_rule *r, json_t *in, bool *failed)
{
	bool t;

	switch (r->op) {
	case ASL_R_AND:
		for (unsigned i = 0; i < r->n_rules; i++)
			if (!asl_rule_test(c, &r->rules[i], in, failed))
				return false;
		return true;
	case ASL_R_OR:
		for (unsigned i = 0; i < r->n_rules; i++) {
			t = asl_rule_test(c, &r->rules[i], in, failed);
			if (*failed)
				return false;
			if (t)
				return true;
		}
		return false;
	case ASL_R_NOT:
		if (r->n_rules < 1)
			return false;
		t = asl_rule_test(c, &r->rules[0], in, failed);
		return !*failed && !t;
	default:
		return data_test(c, r, in, failed);
	}
}

bool asl_rule_condition(asl_ctx *c, const asl_rule *r, unsigned i, json_t *in,
                        bool *failed)
{
	asl_states st = { in, NULL, NULL };
	char field[40];
	json_t *v;
	bool t;

	asl_field_name(field, sizeof field, "Choices", i, "/Condition");
	if (!(v = asl_jsonata_typed(c, r->condition, field, &st, JSON_TRUE))) {
		*failed = true;
		return false;
	}
	t = json_is_true(v);
	json_decref(v);
	return t;
}
