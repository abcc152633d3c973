/*
 * jvalue.c - JSONata values: construction, conversion from and to jansson,
 * equality, and numbers and JSON printed as JavaScript prints them.
 */
#include "jn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

jn_value jn_null = { JV_NULL, 0, NULL, { .b = false } };
jn_value jn_true = { JV_BOOL, 0, NULL, { .b = true } };
jn_value jn_false = { JV_BOOL, 0, NULL, { .b = false } };

char *jn_strdup(jn_ctx *c, const char *s, size_t n)
{
	char *r = jn_alloc(c, n + 1);
	jn_memcpy(r, s, n);
	r[n] = 0;
	return r;
}

jn_value *jn_bool(bool b) { return b ? &jn_true : &jn_false; }

jn_value *jn_num(jn_ctx *c, double d)
{
	jn_value *v = jn_alloc(c, sizeof *v);
	v->t = JV_NUM; v->u.n = d;
	return v;
}

jn_value *jn_str(jn_ctx *c, const char *s, size_t n)
{
	jn_value *v = jn_alloc(c, sizeof *v);
	v->t = JV_STR; v->u.s.s = s; v->u.s.len = n;
	return v;
}

jn_value *jn_strz(jn_ctx *c, const char *s) { return jn_str(c, s, strlen(s)); }

jn_value *jn_arr(jn_ctx *c, size_t cap)
{
	jn_value *v = jn_alloc(c, sizeof *v);
	v->t = JV_ARR;
	if (cap) { v->u.a.v = jn_alloc(c, cap * sizeof *v->u.a.v); v->u.a.cap = cap; }
	return v;
}

jn_value *jn_seq(jn_ctx *c, size_t cap)
{
	jn_value *v = jn_arr(c, cap);
	v->flags = JA_SEQ;
	return v;
}

void jn_push_grow(jn_ctx *c, jn_value *a, jn_value *x)
{
	size_t cap = a->u.a.cap ? 2 * a->u.a.cap : 4;
	jn_value **nv = jn_alloc(c, cap * sizeof *nv);
	if (a->u.a.n) jn_memcpy(nv, a->u.a.v, a->u.a.n * sizeof *nv);
	a->u.a.v = nv; a->u.a.cap = cap;
	a->u.a.v[a->u.a.n++] = x;
}

jn_value *jn_obj(jn_ctx *c, size_t cap)
{
	/* the value and its three arrays in one allocation */
	size_t head = (sizeof(jn_value) + 15) & ~(size_t)15;
	char *m = jn_alloc(c, head + cap * (sizeof(char *) + sizeof(size_t) + sizeof(jn_value *)));
	jn_value *v = (jn_value *)m;
	v->t = JV_OBJ;
	if (cap) {
		v->u.o.k = (const char **)(m + head);
		v->u.o.kl = (size_t *)(v->u.o.k + cap);
		v->u.o.v = (jn_value **)(v->u.o.kl + cap);
		v->u.o.cap = cap;
	}
	return v;
}

static long obj_find(jn_value *o, const char *k, size_t kl)
{
	for (size_t i = 0; i < o->u.o.n; i++)
		if (o->u.o.kl[i] == kl && !memcmp(o->u.o.k[i], k, kl)) return (long)i;
	return -1;
}

void jn_set(jn_ctx *c, jn_value *o, const char *k, size_t kl, jn_value *x)
{
	o = jn_force(c, o);
	long i = obj_find(o, k, kl);
	if (i >= 0) { o->u.o.v[i] = x; return; }
	if (o->u.o.n == o->u.o.cap) {
		size_t cap = o->u.o.cap ? 2 * o->u.o.cap : 4, n = o->u.o.n;
		const char **nk = jn_alloc(c, cap * sizeof *nk);
		size_t *nl = jn_alloc(c, cap * sizeof *nl);
		jn_value **nv = jn_alloc(c, cap * sizeof *nv);
		if (n) {
			jn_memcpy(nk, o->u.o.k, n * sizeof *nk);
			jn_memcpy(nl, o->u.o.kl, n * sizeof *nl);
			jn_memcpy(nv, o->u.o.v, n * sizeof *nv);
		}
		o->u.o.k = nk; o->u.o.kl = nl; o->u.o.v = nv; o->u.o.cap = cap;
	}
	o->u.o.k[o->u.o.n] = k; o->u.o.kl[o->u.o.n] = kl; o->u.o.v[o->u.o.n] = x;
	o->u.o.n++;
}

jn_value *jn_get(jn_ctx *c, jn_value *o, const char *k, size_t kl)
{
	/* an input object not yet converted: jansson's hash table finds the
	 * member, converted alone (a lookup need not convert its siblings) */
	if (o->flags & JA_LAZY) return jn_from_json(c, json_object_getn(o->src, k, kl));
	long i = obj_find(o, k, kl);
	return i >= 0 ? o->u.o.v[i] : NULL;
}

/* A number jn_to_json gives as a jansson integer. */
bool jn_num_is_integer(double d) { return floor(d) == d && fabs(d) < 9007199254740992.0; }

bool jn_is_arr(jn_value *v) { return v && v->t == JV_ARR; }
bool jn_is_seq(jn_value *v) { return v && v->t == JV_ARR && (v->flags & JA_SEQ); }
bool jn_is_func(jn_value *v) { return v && v->t == JV_FUNC; }
bool jn_is_int(jn_value *v) { return v && v->t == JV_NUM && isfinite(v->u.n) && floor(v->u.n) == v->u.n; }

/* Input values: scalars at once, containers lazily (jn_force converts a
 * container's members, one level, when something looks inside; jn_get
 * looks one member up), so an expression reads only the part of the
 * document it navigates.  J's value in V, or a shared constant for null
 * and the booleans. */
static jn_value *from_json_in(json_t *j, jn_value *v)
{
	switch (json_typeof(j)) {
	case JSON_NULL: return &jn_null;
	case JSON_TRUE: return &jn_true;
	case JSON_FALSE: return &jn_false;
	default: break;
	}
	v->flags = 0;
	v->src = j;
	/* a number's result can be the input's own value when it would
	 * convert back to the same jansson value (integers below 2^53,
	 * reals that are not integral) */
	switch (json_typeof(j)) {
	case JSON_INTEGER:
		v->t = JV_NUM;
		v->u.n = (double)json_integer_value(j);
		if (!jn_num_is_integer(v->u.n)) v->src = NULL;
		return v;
	case JSON_REAL:
		v->t = JV_NUM;
		v->u.n = json_real_value(j);
		if (jn_num_is_integer(v->u.n)) v->src = NULL;
		return v;
	case JSON_STRING:
		v->t = JV_STR;
		v->u.s.s = json_string_value(j);
		v->u.s.len = json_string_length(j);
		return v;
	default:
		memset(&v->u, 0, sizeof v->u);
		v->t = json_is_array(j) ? JV_ARR : JV_OBJ;
		v->flags = JA_LAZY;
		return v;
	}
}

jn_value *jn_from_json(jn_ctx *c, json_t *j)
{
	if (!j) return NULL;
	if (json_is_null(j) || json_is_boolean(j)) return from_json_in(j, NULL);
	return from_json_in(j, jn_alloc_raw(c, sizeof(jn_value)));
}

jn_value *jn_force_lazy(jn_ctx *c, jn_value *v)
{
	json_t *j = v->src;
	v->flags &= (uint8_t)~JA_LAZY;
	if (v->t == JV_ARR) {
		size_t n = json_array_size(j);
		if (n) {
			/* the members' values in one block */
			v->u.a.v = jn_alloc_raw(c, n * sizeof *v->u.a.v);
			v->u.a.cap = n;
			jn_value *blk = jn_alloc_raw(c, n * sizeof *blk);
			for (size_t i = 0; i < n; i++) v->u.a.v[i] = from_json_in(json_array_get(j, i), blk + i);
		}
		v->u.a.n = n;
		return v;
	}
	size_t n = json_object_size(j), i = 0;
	if (n) {
		v->u.o.k = jn_alloc(c, n * sizeof *v->u.o.k);
		v->u.o.kl = jn_alloc(c, n * sizeof *v->u.o.kl);
		v->u.o.v = jn_alloc(c, n * sizeof *v->u.o.v);
		v->u.o.cap = n;
	}
	jn_value *blk = n ? jn_alloc_raw(c, n * sizeof *blk) : NULL;
	for (void *it = json_object_iter(j); it && i < n; it = json_object_iter_next(j, it), i++) {
		v->u.o.k[i] = json_object_iter_key(it);
		v->u.o.kl[i] = json_object_iter_key_len(it);
		v->u.o.v[i] = from_json_in(json_object_iter_value(it), blk + i);
	}
	v->u.o.n = i;
	return v;
}

json_t *jn_to_json(jn_value *v)
{
	if (!v) return NULL;
	/* input containers not converted, and input scalars: the input's values */
	if (v->src && ((v->flags & JA_LAZY) || v->t == JV_NUM || v->t == JV_STR)) return json_incref(v->src);
	switch (v->t) {
	case JV_NULL: return json_null();
	case JV_BOOL: return json_boolean(v->u.b);
	case JV_NUM: {
		double d = v->u.n;
		if (jn_num_is_integer(d)) return json_integer((json_int_t)d);
		return json_real(d);
	}
	case JV_STR: return json_stringn(v->u.s.s, v->u.s.len);
	case JV_ARR: {
		json_t *a = json_array();
		for (size_t i = 0; a && i < v->u.a.n; i++) {
			json_t *x = jn_to_json(v->u.a.v[i]);
			if (x && json_array_append_new(a, x)) { json_decref(a); return NULL; }
		}
		return a;
	}
	case JV_OBJ: {
		json_t *o = json_object();
		for (size_t i = 0; o && i < v->u.o.n; i++) {
			json_t *x = jn_to_json(v->u.o.v[i]);
			if (x && json_object_setn_new(o, v->u.o.k[i], v->u.o.kl[i], x)) { json_decref(o); return NULL; }
		}
		return o;
	}
	case JV_FUNC: return json_string("");
	}
	return NULL;
}

/* JavaScript's Number.prototype.toString: the shortest digits that read
 * back as the same double, fixed notation for exponents -7 < e < 21. */
void jn_fmt_num(double d, char *buf)
{
	if (isnan(d)) { strcpy(buf, "NaN"); return; }
	if (isinf(d)) { strcpy(buf, d < 0 ? "-Infinity" : "Infinity"); return; }
	if (d == 0) { strcpy(buf, "0"); return; }
	if (jn_num_is_integer(d)) {
		/* an integer below 2^53: its digits, as JavaScript writes it */
		char tmp[24], *t = tmp + sizeof tmp, *o = buf;
		unsigned long long u = (unsigned long long)fabs(d);
		do { *--t = (char)('0' + u % 10); u /= 10; } while (u);
		if (d < 0) *o++ = '-';
		size_t n = (size_t)(tmp + sizeof tmp - t);
		memcpy(o, t, n);
		o[n] = 0;
		return;
	}
	char tmp[40];
	int prec;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d) break;
	}
	/* tmp: [-]d.ddde[+-]xx */
	char digits[24];
	int nd = 0, neg = tmp[0] == '-';
	const char *p = tmp + neg;
	for (; *p && *p != 'e'; p++) if (*p >= '0' && *p <= '9') digits[nd++] = *p;
	int e = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0') nd--;
	digits[nd] = 0;
	int n = e + 1;
	char *o = buf;
	if (neg) *o++ = '-';
	if (nd <= n && n <= 21) {
		jn_memcpy(o, digits, (size_t)nd); o += nd;
		for (int i = nd; i < n; i++) *o++ = '0';
	} else if (0 < n && n <= 21) {
		jn_memcpy(o, digits, (size_t)n); o += n;
		*o++ = '.';
		jn_memcpy(o, digits + n, (size_t)(nd - n)); o += nd - n;
	} else if (-6 < n && n <= 0) {
		*o++ = '0'; *o++ = '.';
		for (int i = 0; i < -n; i++) *o++ = '0';
		jn_memcpy(o, digits, (size_t)nd); o += nd;
	} else {
		*o++ = digits[0];
		if (nd > 1) { *o++ = '.'; jn_memcpy(o, digits + 1, (size_t)(nd - 1)); o += nd - 1; }
		o += sprintf(o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
	*o = 0;
}

void jb_put(jn_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		while (cap < b->len + n + 1) cap *= 2;
		char *np = jn_alloc(b->c, cap);
		if (b->len) jn_memcpy(np, b->p, b->len);
		b->p = np; b->cap = cap;
	}
	jn_memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void jb_putc(jn_buf *b, char ch) { jb_put(b, &ch, 1); }

static void put_jstr(jn_buf *b, const char *s, size_t n)
{
	jb_putc(b, '"');
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		const char *esc = NULL;
		char u[8];
		if (ch == '"') esc = "\\\""; else if (ch == '\\') esc = "\\\\";
		else if (ch == '\n') esc = "\\n"; else if (ch == '\r') esc = "\\r";
		else if (ch == '\t') esc = "\\t"; else if (ch == '\b') esc = "\\b";
		else if (ch == '\f') esc = "\\f";
		else if (ch < 0x20) { snprintf(u, sizeof u, "\\u%04x", ch); esc = u; }
		if (esc) {
			jb_put(b, s + start, i - start);
			jb_put(b, esc, strlen(esc));
			start = i + 1;
		}
	}
	jb_put(b, s + start, n - start);
	jb_putc(b, '"');
}

static void indent_to(jn_buf *b, int n)
{
	jb_putc(b, '\n');
	for (int i = 0; i < n; i++) jb_put(b, "  ", 2);
}

/* JSON.stringify, with $string's replacer when ROUND: numbers to 15
 * significant digits, functions as "". */
static void stringify(jn_buf *b, jn_value *v, bool pretty, int ind, bool round)
{
	char nb[40];
	if (!v) { jb_put(b, "null", 4); return; }
	v = jn_force(b->c, v);
	switch (v->t) {
	case JV_NULL: jb_put(b, "null", 4); break;
	case JV_BOOL: v->u.b ? jb_put(b, "true", 4) : jb_put(b, "false", 5); break;
	case JV_NUM: {
		double d = v->u.n;
		if (!isfinite(d)) {
			if (round) jn_throw(b->c, "D1001", -1, NULL, v, NULL);
			jb_put(b, "null", 4);
			break;
		}
		/* an integer below 10^15 is its own 15-digit rounding */
		if (round && !(jn_num_is_integer(d) && fabs(d) < 1e15)) { snprintf(nb, sizeof nb, "%.15g", d); d = strtod(nb, NULL); }
		jn_fmt_num(d, nb);
		jb_put(b, nb, strlen(nb));
		break;
	}
	case JV_STR: put_jstr(b, v->u.s.s, v->u.s.len); break;
	case JV_FUNC: jb_put(b, "\"\"", 2); break;
	case JV_ARR:
		jb_putc(b, '[');
		for (size_t i = 0; i < v->u.a.n; i++) {
			if (i) jb_putc(b, ',');
			if (pretty) indent_to(b, ind + 1);
			jn_value *x = v->u.a.v[i];
			stringify(b, x, pretty, ind + 1, round);
		}
		if (pretty && v->u.a.n) indent_to(b, ind);
		jb_putc(b, ']');
		break;
	case JV_OBJ: {
		jb_putc(b, '{');
		bool first = true;
		for (size_t i = 0; i < v->u.o.n; i++) {
			if (!v->u.o.v[i]) continue;
			if (!first) jb_putc(b, ',');
			first = false;
			if (pretty) indent_to(b, ind + 1);
			put_jstr(b, v->u.o.k[i], v->u.o.kl[i]);
			jb_putc(b, ':');
			if (pretty) jb_putc(b, ' ');
			stringify(b, v->u.o.v[i], pretty, ind + 1, round);
		}
		if (pretty && !first) indent_to(b, ind);
		jb_putc(b, '}');
		break;
	}
	}
}

void jn_stringify(jn_buf *b, jn_value *v, bool pretty, int indent, bool round)
{
	stringify(b, v, pretty, indent, round);
}

jn_value *jn_string_of(jn_ctx *c, jn_value *v)
{
	if (!v) return NULL;
	if (v->t == JV_STR) return v;
	if (v->t == JV_FUNC) return jn_str(c, "", 0);
	if (v->t == JV_NUM && !isfinite(v->u.n)) jn_throw(c, "D3001", -1, NULL, v, NULL);
	jn_buf b = { .c = c };
	if (v->t == JV_ARR && (v->flags & JA_OUTER) && v->u.a.n) v = v->u.a.v[0];
	stringify(&b, v, false, 0, true);
	return jn_str(c, b.p ? b.p : "", b.len);
}

bool jn_deep_equal(jn_ctx *c, jn_value *a, jn_value *b)
{
	if (a == b) return true;
	if (!a || !b) return false;
	a = jn_force(c, a);
	b = jn_force(c, b);
	if (a->t != b->t) return false;
	switch (a->t) {
	case JV_NULL: return true;
	case JV_BOOL: return a->u.b == b->u.b;
	case JV_NUM: return a->u.n == b->u.n;
	case JV_STR: return a->u.s.len == b->u.s.len && !memcmp(a->u.s.s, b->u.s.s, a->u.s.len);
	case JV_ARR:
		if (a->u.a.n != b->u.a.n) return false;
		for (size_t i = 0; i < a->u.a.n; i++)
			if (!jn_deep_equal(c, a->u.a.v[i], b->u.a.v[i])) return false;
		return true;
	case JV_OBJ:
		if (a->u.o.n != b->u.o.n) return false;
		for (size_t i = 0; i < a->u.o.n; i++) {
			jn_value *x = jn_get(c, b, a->u.o.k[i], a->u.o.kl[i]);
			if (!x || !jn_deep_equal(c, a->u.o.v[i], x)) return false;
		}
		return true;
	case JV_FUNC: return false;
	}
	return false;
}

/* $boolean's truth: jsonata-js's fn.boolean. */
bool jn_truthy(jn_ctx *c, jn_value *v)
{
	if (!v) return false;
	v = jn_force(c, v);
	switch (v->t) {
	case JV_NULL: return false;
	case JV_BOOL: return v->u.b;
	case JV_NUM: return v->u.n != 0;
	case JV_STR: return v->u.s.len > 0;
	case JV_FUNC: return false;
	case JV_OBJ: return v->u.o.n > 0;
	case JV_ARR:
		if (v->u.a.n == 1) return jn_truthy(c, v->u.a.v[0]);
		for (size_t i = 0; i < v->u.a.n; i++) if (jn_truthy(c, v->u.a.v[i])) return true;
		return false;
	}
	return false;
}

size_t jn_utf16_len(const char *s, size_t n)
{
	size_t units = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch & 0xC0) != 0x80) units += ch >= 0xF0 ? 2 : 1;
	}
	return units;
}
