/*
 * functions.c - JSONata's built-in functions and Step Functions' own
 * ($partition, $range, $hash, $random, $uuid, $parse).  Strings are UTF-8;
 * lengths and positions count UTF-16 code units, as JavaScript does.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "jn.h"
#include "format.h"
#include "exec/libs.h"

#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FN(name) static jn_value *fn_##name(jn_ctx *c, jn_value **a, int n, jn_value *input, int pos)
#define ARG(i) ((i) < n ? a[i] : NULL)
#define UNUSED (void)c; (void)a; (void)n; (void)input; (void)pos

/* ------------------------------------------------------------ aggregates */
FN(sum) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL; double s = 0;
	for (size_t i = 0; i < x->u.a.n; i++) s += x->u.a.v[i]->u.n;
	return jn_num(c, s); }
/* $count reads its argument's length only: an input array it is given
 * unconverted (jn_func.lazy_args) is counted by jansson */
FN(count) { UNUSED; jn_value *x = ARG(0);
	return jn_num(c, !x ? 0 : (x->flags & JA_LAZY) ? (double)json_array_size(x->src) : (double)x->u.a.n); }
FN(max) { UNUSED; jn_value *x = ARG(0); if (!x || !x->u.a.n) return NULL; double m = -INFINITY;
	for (size_t i = 0; i < x->u.a.n; i++) if (x->u.a.v[i]->u.n > m) m = x->u.a.v[i]->u.n;
	return jn_num(c, m); }
FN(min) { UNUSED; jn_value *x = ARG(0); if (!x || !x->u.a.n) return NULL; double m = INFINITY;
	for (size_t i = 0; i < x->u.a.n; i++) if (x->u.a.v[i]->u.n < m) m = x->u.a.v[i]->u.n;
	return jn_num(c, m); }
FN(average) { UNUSED; jn_value *x = ARG(0); if (!x || !x->u.a.n) return NULL; double s = 0;
	for (size_t i = 0; i < x->u.a.n; i++) s += x->u.a.v[i]->u.n;
	return jn_num(c, s / (double)x->u.a.n); }

/* --------------------------------------------------------------- strings */
FN(string) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	if (n > 1 && a[1] && jn_truthy(c, a[1]) && x->t != JV_STR && x->t != JV_FUNC) {
		jn_buf b = { .c = c }; jn_stringify(&b, x, true, 0, true); return jn_str(c, b.p, b.len); }
	return jn_string_of(c, x); }
typedef struct cps { uint32_t *u; size_t n; } cps;

static cps to_cp(jn_ctx *c, const char *s, size_t len)
{
	cps r;
	r.u = jn_alloc(c, (len + 1) * sizeof *r.u);
	r.n = 0;
	for (size_t i = 0; i < len;) {
		unsigned char ch = (unsigned char)s[i];
		unsigned cp; int k;
		if (ch < 0x80) { cp = ch; k = 1; }
		else if (ch < 0xE0) { cp = ch & 0x1F; k = 2; }
		else if (ch < 0xF0) { cp = ch & 0x0F; k = 3; }
		else { cp = ch & 0x07; k = 4; }
		for (int j = 1; j < k && i + (size_t)j < len; j++) cp = cp << 6 | ((unsigned char)s[i + j] & 0x3F);
		i += (size_t)k;
		r.u[r.n++] = cp;
	}
	return r;
}

static jn_value *from_cp(jn_ctx *c, const uint32_t *u, size_t n)
{
	char *o = jn_alloc(c, n * 4 + 1), *p = o;
	for (size_t i = 0; i < n; i++) {
		unsigned cp = u[i];
		if (cp < 0x80) *p++ = (char)cp;
		else if (cp < 0x800) { *p++ = (char)(0xC0 | cp >> 6); *p++ = (char)(0x80 | (cp & 63)); }
		else if (cp < 0x10000) { *p++ = (char)(0xE0 | cp >> 12); *p++ = (char)(0x80 | ((cp >> 6) & 63)); *p++ = (char)(0x80 | (cp & 63)); }
		else { *p++ = (char)(0xF0 | cp >> 18); *p++ = (char)(0x80 | ((cp >> 12) & 63)); *p++ = (char)(0x80 | ((cp >> 6) & 63)); *p++ = (char)(0x80 | (cp & 63)); }
	}
	*p = 0;
	return jn_str(c, o, (size_t)(p - o));
}

/* JavaScript's Array.prototype.slice bounds */
static size_t slice_ix(double v, size_t len)
{
	if (v < 0) { v += (double)len; return v < 0 ? 0 : (size_t)v; }
	return v > (double)len ? len : (size_t)v;
}

/* $length, $substring and $pad count code points (jsonata-js uses
 * Array.from on the string). */
FN(length) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL; return jn_num(c, (double)to_cp(c, x->u.s.s, x->u.s.len).n); }
FN(substring) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	cps s = to_cp(c, x->u.s.s, x->u.s.len);
	double start = ARG(1) ? trunc(a[1]->u.n) : 0;
	if ((double)s.n + start < 0) start = 0;
	size_t b = slice_ix(start, s.n), e = s.n;
	if (ARG(2)) {
		double len = trunc(a[2]->u.n);
		if (len <= 0) return jn_str(c, "", 0);
		double end = start >= 0 ? start + len : (double)s.n + start + len;
		e = slice_ix(end, s.n);
	}
	if (e < b) e = b;
	return from_cp(c, s.u + b, e - b); }
FN(substringBefore) { UNUSED; jn_value *x = ARG(0), *ch = ARG(1); if (!x) return NULL; if (!ch) return x;
	for (size_t i = 0; i + ch->u.s.len <= x->u.s.len; i++) if (!memcmp(x->u.s.s + i, ch->u.s.s, ch->u.s.len)) return jn_str(c, x->u.s.s, i);
	return x; }
FN(substringAfter) { UNUSED; jn_value *x = ARG(0), *ch = ARG(1); if (!x) return NULL; if (!ch) return x;
	for (size_t i = 0; i + ch->u.s.len <= x->u.s.len; i++) if (!memcmp(x->u.s.s + i, ch->u.s.s, ch->u.s.len))
		return jn_str(c, x->u.s.s + i + ch->u.s.len, x->u.s.len - i - ch->u.s.len);
	return x; }
static jn_value *map_case(jn_ctx *c, jn_value *x, bool up)
{
	if (!x) return NULL;
	char *o = jn_alloc(c, x->u.s.len + 1);
	for (size_t i = 0; i < x->u.s.len; i++) { char ch = x->u.s.s[i];
		o[i] = up ? (ch >= 'a' && ch <= 'z' ? ch - 32 : ch) : (ch >= 'A' && ch <= 'Z' ? ch + 32 : ch); }
	/* two-byte Latin-1 letters */
	for (size_t i = 0; i + 1 < x->u.s.len; i++) {
		unsigned char b0 = (unsigned char)o[i], b1 = (unsigned char)o[i + 1];
		if (b0 == 0xC3) {
			if (up && b1 >= 0xA0 && b1 <= 0xBE && b1 != 0xB7) o[i + 1] = (char)(b1 - 0x20);
			if (!up && b1 >= 0x80 && b1 <= 0x9E && b1 != 0x97) o[i + 1] = (char)(b1 + 0x20);
			i++;
		}
	}
	return jn_str(c, o, x->u.s.len);
}
FN(uppercase) { UNUSED; return map_case(c, ARG(0), true); }
FN(lowercase) { UNUSED; return map_case(c, ARG(0), false); }
FN(trim) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	jn_buf b = { .c = c }; bool sp = false, any = false;
	for (size_t i = 0; i < x->u.s.len; i++) { char ch = x->u.s.s[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') { sp = true; continue; }
		if (sp && any) jb_putc(&b, ' ');
		sp = false; any = true; jb_putc(&b, ch); }
	return jn_str(c, b.p ? b.p : "", b.len); }
FN(pad) { UNUSED; jn_value *x = ARG(0), *w = ARG(1), *ch = ARG(2); if (!x) return NULL;
	const char *pc = ch && ch->u.s.len ? ch->u.s.s : " "; size_t pl = ch && ch->u.s.len ? ch->u.s.len : 1;
	size_t len = to_cp(c, x->u.s.s, x->u.s.len).n;
	double width = w ? trunc(w->u.n) : 0;
	size_t need = fabs(width) > (double)len ? (size_t)(fabs(width) - (double)len) : 0;
	if (!need) return x;
	cps p = to_cp(c, pc, pl);
	uint32_t *padu = jn_alloc(c, (need + 1) * sizeof *padu);
	for (size_t i = 0; i < need; i++) padu[i] = p.u[i % p.n];
	jn_value *ps = from_cp(c, padu, need);
	jn_buf b = { .c = c };
	if (width > 0) { jb_put(&b, x->u.s.s, x->u.s.len); jb_put(&b, ps->u.s.s, ps->u.s.len); }
	else { jb_put(&b, ps->u.s.s, ps->u.s.len); jb_put(&b, x->u.s.s, x->u.s.len); }
	return jn_str(c, b.p, b.len); }

/* regex matching: PCRE2 over UTF-8, offsets reported in UTF-16 units */
jn_value *jn_regex_exec(jn_ctx *c, jn_value *re, const char *s, size_t len, size_t start, int pos)
{
	pcre2_code *code = re->u.f->node->regex;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!md) jn_throw(c, "U1010", pos, NULL, NULL, NULL);
	int rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, 0, md, NULL);
	if (rc < 0) { pcre2_match_data_free(md); return NULL; }
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	jn_value *o = jn_obj(c, 4);
	jn_set(c, o, "match", 5, jn_str(c, s + ov[0], ov[1] - ov[0]));
	jn_set(c, o, "start", 5, jn_num(c, (double)jn_utf16_len(s, ov[0])));
	jn_set(c, o, "end", 3, jn_num(c, (double)jn_utf16_len(s, ov[1])));
	jn_value *g = jn_arr(c, (size_t)rc);
	uint32_t ng = pcre2_get_ovector_count(md);
	for (uint32_t i = 1; i < ng && (int)i < rc + 0 + 100; i++) {
		if (i >= (uint32_t)rc) { if (i < ng) { jn_push(c, g, jn_str(c, "", 0)); } continue; }
		if (ov[2 * i] == PCRE2_UNSET) jn_push(c, g, jn_str(c, "", 0));
		else jn_push(c, g, jn_str(c, s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]));
	}
	jn_set(c, o, "groups", 6, g);
	/* byte offsets for the callers that iterate */
	jn_set(c, o, "\x01s", 2, jn_num(c, (double)ov[0]));
	jn_set(c, o, "\x01e", 2, jn_num(c, (double)ov[1]));
	pcre2_match_data_free(md);
	return o;
}

static size_t boff(jn_ctx *c, jn_value *m, const char *k) { return (size_t)jn_get(c, m, k, 2)->u.n; }

/* byte offset of UTF-16 unit index K in S */
static size_t byte_at(const char *s, size_t len, double k)
{
	size_t units = 0, i = 0;
	while (i < len && (double)units < k) {
		unsigned char ch = (unsigned char)s[i];
		int w = ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
		units += w == 4 ? 2 : 1;
		i += (size_t)w;
	}
	return i > len ? len : i;
}

/* All matches of P (a regex, or a function following the matcher
 * protocol: {match, start, end, groups, next}) in S, up to LIMIT, each
 * with its byte offsets.  EMPTY: what to do with an empty match (0: error
 * D1004, 1: skip a character). */
static jn_value *all_matches(jn_ctx *c, jn_value *p, jn_value *s, double limit, int pos, int empty)
{
	jn_value *out = jn_arr(c, 4);
	if (p->u.f->kind != FN_REGEX) {
		jn_value *m = jn_apply(c, p, &s, 1, NULL, pos);
		while (m && (double)out->u.a.n < limit) {
			jn_value *ms = m->t == JV_OBJ ? jn_get(c, m, "match", 5) : NULL, *st = m->t == JV_OBJ ? jn_get(c, m, "start", 5) : NULL;
			jn_value *en = m->t == JV_OBJ ? jn_get(c, m, "end", 3) : NULL;
			if (!ms || !st || !en || ms->t != JV_STR || st->t != JV_NUM || en->t != JV_NUM)
				jn_throw(c, "T1010", pos, NULL, NULL, NULL);
			jn_value *o = jn_obj(c, 6);
			jn_set(c, o, "match", 5, ms); jn_set(c, o, "start", 5, st); jn_set(c, o, "end", 3, en);
			jn_value *g = jn_get(c, m, "groups", 6);
			jn_set(c, o, "groups", 6, g ? g : jn_arr(c, 0));
			jn_set(c, o, "\x01s", 2, jn_num(c, (double)byte_at(s->u.s.s, s->u.s.len, st->u.n)));
			jn_set(c, o, "\x01e", 2, jn_num(c, (double)byte_at(s->u.s.s, s->u.s.len, en->u.n)));
			jn_push(c, out, o);
			jn_value *nx = jn_get(c, m, "next", 4);
			m = jn_is_func(nx) ? jn_apply(c, nx, NULL, 0, NULL, pos) : NULL;
		}
		return out;
	}
	size_t at = 0;
	while (at <= s->u.s.len && (double)out->u.a.n < limit) {
		jn_value *m = jn_regex_exec(c, p, s->u.s.s, s->u.s.len, at, pos);
		if (!m) break;
		size_t bs = boff(c, m, "\x01s"), be = boff(c, m, "\x01e");
		if (be == bs) {
			if (!empty) jn_throw(c, "D1004", pos, NULL, p, NULL);
			at = bs + 1;
			continue;
		}
		jn_push(c, out, m);
		at = be;
	}
	return out;
}

FN(contains) { UNUSED; jn_value *x = ARG(0), *p = ARG(1); if (!x || !p) return NULL;
	if (p->t == JV_STR) { if (!p->u.s.len) return &jn_true;
		for (size_t i = 0; i + p->u.s.len <= x->u.s.len; i++) if (!memcmp(x->u.s.s + i, p->u.s.s, p->u.s.len)) return &jn_true;
		return &jn_false; }
	return jn_bool(all_matches(c, p, x, 1, pos, 1)->u.a.n > 0); }

FN(split) { UNUSED; jn_value *x = ARG(0), *p = ARG(1), *l = ARG(2); if (!x || !p) return NULL;
	if (l && l->u.n < 0) jn_throw(c, "D3020", pos, NULL, l, NULL);
	double limit = l ? floor(l->u.n) : INFINITY;
	jn_value *out = jn_arr(c, 4);
	if (p->t == JV_STR) {
		if (!p->u.s.len) {
			cps s = to_cp(c, x->u.s.s, x->u.s.len);
			for (size_t i = 0; i < s.n && (double)out->u.a.n < limit; i++) jn_push(c, out, from_cp(c, s.u + i, 1));
			return out;
		}
		size_t st = 0;
		for (size_t i = 0; i + p->u.s.len <= x->u.s.len && (double)out->u.a.n < limit; ) {
			if (!memcmp(x->u.s.s + i, p->u.s.s, p->u.s.len)) { jn_push(c, out, jn_str(c, x->u.s.s + st, i - st)); i += p->u.s.len; st = i; }
			else i++;
		}
		if ((double)out->u.a.n < limit) jn_push(c, out, jn_str(c, x->u.s.s + st, x->u.s.len - st));
		return out;
	}
	jn_value *ms = all_matches(c, p, x, INFINITY, pos, 1);
	size_t st = 0;
	for (size_t i = 0; i < ms->u.a.n && (double)out->u.a.n < limit; i++) {
		size_t bs = boff(c, ms->u.a.v[i], "\x01s"), be = boff(c, ms->u.a.v[i], "\x01e");
		jn_push(c, out, jn_str(c, x->u.s.s + st, bs - st));
		st = be;
	}
	if ((double)out->u.a.n < limit) jn_push(c, out, jn_str(c, x->u.s.s + st, x->u.s.len - st));
	return out; }

FN(join) { UNUSED; jn_value *x = ARG(0), *sep = ARG(1); if (!x) return NULL;
	jn_buf b = { .c = c };
	for (size_t i = 0; i < x->u.a.n; i++) { if (i && sep) jb_put(&b, sep->u.s.s, sep->u.s.len); jb_put(&b, x->u.a.v[i]->u.s.s, x->u.a.v[i]->u.s.len); }
	return jn_str(c, b.p ? b.p : "", b.len); }

static jn_value *strip_match(jn_ctx *c, jn_value *m)
{
	jn_value *o = jn_obj(c, 4);
	jn_set(c, o, "match", 5, jn_get(c, m, "match", 5));
	jn_set(c, o, "index", 5, jn_get(c, m, "start", 5));
	jn_set(c, o, "groups", 6, jn_get(c, m, "groups", 6));
	return o;
}

FN(match) { UNUSED; jn_value *x = ARG(0), *p = ARG(1), *l = ARG(2); if (!x || !p) return NULL;
	if (l && l->u.n < 0) jn_throw(c, "D3040", pos, NULL, l, NULL);
	jn_value *ms = all_matches(c, p, x, l ? l->u.n : INFINITY, pos, 0);
	jn_value *out = jn_seq(c, ms->u.a.n);
	for (size_t i = 0; i < ms->u.a.n; i++) jn_push(c, out, strip_match(c, ms->u.a.v[i]));
	return out; }

FN(replace) { UNUSED; jn_value *x = ARG(0), *p = ARG(1), *r = ARG(2), *l = ARG(3); if (!x || !p || !r) return NULL;
	if (p->t == JV_STR && !p->u.s.len) jn_throw(c, "D3010", pos, NULL, p, NULL);
	if (l && l->u.n < 0) jn_throw(c, "D3011", pos, NULL, l, NULL);
	double limit = l ? l->u.n : INFINITY;
	jn_buf b = { .c = c };
	size_t st = 0, count = 0;
	if (p->t == JV_STR) {
		for (size_t i = 0; i + p->u.s.len <= x->u.s.len && (double)count < limit;) {
			if (!memcmp(x->u.s.s + i, p->u.s.s, p->u.s.len)) {
				jb_put(&b, x->u.s.s + st, i - st);
				if (r->t == JV_STR) jb_put(&b, r->u.s.s, r->u.s.len);
				else { jn_value *m = jn_obj(c, 3); jn_set(c, m, "match", 5, p); jn_set(c, m, "index", 5, jn_num(c, (double)jn_utf16_len(x->u.s.s, i)));
					jn_set(c, m, "groups", 6, jn_arr(c, 0));
					jn_value *rv = jn_apply(c, r, &m, 1, NULL, pos);
					if (!rv || rv->t != JV_STR) jn_throw(c, "D3012", pos, NULL, rv, NULL);
					jb_put(&b, rv->u.s.s, rv->u.s.len); }
				i += p->u.s.len; st = i; count++;
			} else i++;
		}
		jb_put(&b, x->u.s.s + st, x->u.s.len - st);
		return jn_str(c, b.p ? b.p : "", b.len);
	}
	jn_value *all = all_matches(c, p, x, limit, pos, 0);
	for (size_t mi = 0; mi < all->u.a.n; mi++) {
		jn_value *m = all->u.a.v[mi];
		size_t bs = boff(c, m, "\x01s"), be = boff(c, m, "\x01e");
		jb_put(&b, x->u.s.s + st, bs - st);
		if (r->t == JV_STR) {
			jn_value *g = jn_get(c, m, "groups", 6);
			const char *t = r->u.s.s; size_t tl = r->u.s.len;
			for (size_t i = 0; i < tl; i++) {
				if (t[i] == '$' && i + 1 < tl) {
					if (t[i + 1] == '$') { jb_putc(&b, '$'); i++; continue; }
					if (t[i + 1] >= '0' && t[i + 1] <= '9') {
						size_t j = i + 1; size_t num = (size_t)(t[j] - '0'); j++;
						/* use the longest group number that exists */
						while (j < tl && t[j] >= '0' && t[j] <= '9' && num * 10 + (size_t)(t[j] - '0') <= g->u.a.n) { num = num * 10 + (size_t)(t[j] - '0'); j++; }
						if (num == 0) jb_put(&b, x->u.s.s + bs, be - bs);
						else if (num <= g->u.a.n) jb_put(&b, g->u.a.v[num - 1]->u.s.s, g->u.a.v[num - 1]->u.s.len);
						i = j - 1;
						continue;
					}
				}
				jb_putc(&b, t[i]);
			}
		} else {
			jn_value *sm = strip_match(c, m);
			jn_value *rv = jn_apply(c, r, &sm, 1, NULL, pos);
			if (!rv || rv->t != JV_STR) jn_throw(c, "D3012", pos, NULL, rv, NULL);
			jb_put(&b, rv->u.s.s, rv->u.s.len);
		}
		st = be; count++;
	}
	jb_put(&b, x->u.s.s + st, x->u.s.len - st);
	return jn_str(c, b.p ? b.p : "", b.len); }

/* --------------------------------------------------------------- numbers */
static bool parse_js_number(const char *s, size_t len, double *out)
{
	char buf[128];
	if (len == 0 || len >= sizeof buf) return false;
	jn_memcpy(buf, s, len); buf[len] = 0;
	/* JSON number syntax, plus hex/octal/binary as JavaScript's Number() */
	if (len > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X' || buf[1] == 'b' || buf[1] == 'B' || buf[1] == 'o' || buf[1] == 'O')) {
		int base = (buf[1] == 'x' || buf[1] == 'X') ? 16 : (buf[1] == 'b' || buf[1] == 'B') ? 2 : 8;
		char *end; unsigned long long v = strtoull(buf + 2, &end, base);
		if (*end) return false;
		*out = (double)v; return true;
	}
	const char *p = buf;
	if (*p == '-') p++;
	if (!(*p >= '0' && *p <= '9')) return false;
	char *end;
	double d = strtod(buf, &end);
	if (*end) return false;
	*out = d;
	return isfinite(d);
}

FN(number) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	if (x->t == JV_NUM) return x;
	if (x->t == JV_BOOL) return jn_num(c, x->u.b ? 1 : 0);
	double d;
	if (x->t == JV_STR && parse_js_number(x->u.s.s, x->u.s.len, &d)) return jn_num(c, d);
	jn_throw(c, "D3030", pos, NULL, x, NULL); }
FN(abs) { UNUSED; jn_value *x = ARG(0); return x ? jn_num(c, fabs(x->u.n)) : NULL; }
FN(floor) { UNUSED; jn_value *x = ARG(0); return x ? jn_num(c, floor(x->u.n)) : NULL; }
FN(ceil) { UNUSED; jn_value *x = ARG(0); return x ? jn_num(c, ceil(x->u.n)) : NULL; }
FN(round) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	double prec = ARG(1) ? a[1]->u.n : 0;
	/* banker's rounding on the decimal digits, as jsonata-js does it */
	char buf[64]; double v = x->u.n;
	snprintf(buf, sizeof buf, "%.17g", v);
	double scaled = v * pow(10, prec);
	double r = round(scaled);
	double diff = fabs(scaled - trunc(scaled));
	if (fabs(diff - 0.5) < 1e-9 * fmax(1, fabs(scaled)) ) {
		double fl = floor(scaled);
		r = fmod(fl, 2) == 0 ? fl : fl + 1;
	}
	double res = r / pow(10, prec);
	if (prec < 0) res = r * pow(10, -prec);
	char tmp[64]; snprintf(tmp, sizeof tmp, "%.15g", res); res = strtod(tmp, NULL);
	if (res == 0) res = 0;
	return jn_num(c, res); }
FN(power) { UNUSED; jn_value *x = ARG(0), *e = ARG(1); if (!x) return NULL;
	double r = pow(x->u.n, e->u.n);
	if (!isfinite(r)) jn_throw(c, "D3061", pos, NULL, x, e);
	return jn_num(c, r); }
FN(sqrt) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	if (x->u.n < 0) jn_throw(c, "D3060", pos, NULL, x, NULL);
	return jn_num(c, sqrt(x->u.n)); }

static double next_random(jn_ctx *c)
{
	if (c->env->next_random) return c->env->next_random(c->env->ctx);
	return asl_jsonata_splitmix(&c->rng);
}

/* $random(seed): the first number of Java's java.util.Random(seed), as
 * Step Functions gives ($random(42) is 0.7275636800328681, a recorded
 * execution: floci-io/floci#2662); the seed floored. */
static uint64_t java_next(uint64_t *st, int bits)
{
	*st = (*st * 0x5DEECE66DULL + 0xBULL) & ((1ULL << 48) - 1);
	return *st >> (48 - bits);
}

static double java_first_double(int64_t seed)
{
	uint64_t st = ((uint64_t)seed ^ 0x5DEECE66DULL) & ((1ULL << 48) - 1);
	uint64_t hi = java_next(&st, 26);
	return (double)((hi << 27) + java_next(&st, 27)) * 0x1.0p-53;
}

FN(random) { UNUSED; jn_value *s = ARG(0);
	if (s) {
		double d = floor(s->u.n);
		int64_t seed = d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : (int64_t)d;
		return jn_num(c, java_first_double(seed));
	}
	return jn_num(c, next_random(c)); }

/* --------------------------------------------------------------- boolean */
FN(boolean) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL; return jn_bool(jn_truthy(c, x)); }
FN(not) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL; return jn_bool(!jn_truthy(c, x)); }
FN(exists) { UNUSED; return jn_bool(ARG(0) != NULL); }

/* ----------------------------------------------------------------- arrays */
FN(append) { UNUSED; jn_value *x = ARG(0), *y = ARG(1);
	if (!y) return x;
	if (!x) return y;
	jn_value *r = jn_arr(c, 0);
	if (x->t == JV_ARR) for (size_t i = 0; i < x->u.a.n; i++) jn_push(c, r, x->u.a.v[i]); else jn_push(c, r, x);
	if (y->t == JV_ARR) for (size_t i = 0; i < y->u.a.n; i++) jn_push(c, r, y->u.a.v[i]); else jn_push(c, r, y);
	return r; }
FN(reverse) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	jn_value *r = jn_arr(c, x->u.a.n);
	for (size_t i = 0; i < x->u.a.n; i++) r->u.a.v[i] = x->u.a.v[x->u.a.n - 1 - i];
	r->u.a.n = x->u.a.n; return r; }
FN(shuffle) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	jn_value *r = jn_arr(c, x->u.a.n);
	jn_memcpy(r->u.a.v, x->u.a.v, x->u.a.n * sizeof *r->u.a.v); r->u.a.n = x->u.a.n;
	for (size_t i = r->u.a.n; i > 1; i--) { size_t j = (size_t)(next_random(c) * (double)i); jn_value *t = r->u.a.v[i - 1]; r->u.a.v[i - 1] = r->u.a.v[j]; r->u.a.v[j] = t; }
	return r; }
FN(distinct) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	if (x->t != JV_ARR || x->u.a.n <= 1) return x;
	jn_value *r = jn_seq(c, x->u.a.n);
	for (size_t i = 0; i < x->u.a.n; i++) { bool dup = false;
		for (size_t k = 0; k < r->u.a.n; k++) if (jn_deep_equal(c, r->u.a.v[k], x->u.a.v[i])) { dup = true; break; }
		if (!dup) jn_push(c, r, x->u.a.v[i]); }
	return r; }
FN(zip) { UNUSED; size_t len = SIZE_MAX;
	for (int i = 0; i < n; i++) { if (!a[i]) { len = 0; break; } if (a[i]->u.a.n < len) len = a[i]->u.a.n; }
	if (n == 0) len = 0;
	jn_value *r = jn_arr(c, len);
	for (size_t k = 0; k < len; k++) { jn_value *t = jn_arr(c, (size_t)n); for (int i = 0; i < n; i++) jn_push(c, t, a[i]->u.a.v[k]); jn_push(c, r, t); }
	return r; }

typedef struct cmp_ud { jn_value *fn; int pos; } cmp_ud;
static bool fn_swap(jn_ctx *c, void *ud, jn_value *x, jn_value *y)
{
	cmp_ud *u = ud; jn_value *args[2] = { x, y };
	return jn_truthy(c, jn_apply(c, u->fn, args, 2, NULL, u->pos));
}
static bool def_swap(jn_ctx *c, void *ud, jn_value *x, jn_value *y)
{
	(void)c; (void)ud;
	if (x->t == JV_NUM) return x->u.n > y->u.n;
	size_t l = x->u.s.len < y->u.s.len ? x->u.s.len : y->u.s.len;
	int r = memcmp(x->u.s.s, y->u.s.s, l);
	return r > 0 || (r == 0 && x->u.s.len > y->u.s.len);
}
FN(sort) { UNUSED; jn_value *x = ARG(0), *f = ARG(1); if (!x) return NULL;
	jn_value *r = jn_arr(c, x->u.a.n);
	jn_memcpy(r->u.a.v, x->u.a.v, x->u.a.n * sizeof *r->u.a.v); r->u.a.n = x->u.a.n;
	if (r->u.a.n <= 1) return r;
	if (!f) {
		bool nums = true, strs = true;
		for (size_t i = 0; i < r->u.a.n; i++) { if (r->u.a.v[i]->t != JV_NUM) nums = false; if (r->u.a.v[i]->t != JV_STR) strs = false; }
		if (!nums && !strs) jn_throw(c, "D3070", pos, NULL, NULL, NULL);
		jn_sort(c, r->u.a.v, r->u.a.n, def_swap, NULL);
	} else { cmp_ud u = { f, pos }; jn_sort(c, r->u.a.v, r->u.a.n, fn_swap, &u); }
	return r; }

/* ---------------------------------------------------------------- objects */
FN(keys) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	jn_value *r = jn_seq(c, 4);
	if (x->t == JV_OBJ) for (size_t i = 0; i < x->u.o.n; i++) jn_push(c, r, jn_str(c, x->u.o.k[i], x->u.o.kl[i]));
	else if (x->t == JV_ARR) {
		for (size_t i = 0; i < x->u.a.n; i++) { jn_value *o = jn_force(c, x->u.a.v[i]); if (!o || o->t != JV_OBJ) continue;
			for (size_t k = 0; k < o->u.o.n; k++) { bool dup = false;
				for (size_t q = 0; q < r->u.a.n; q++) if (r->u.a.v[q]->u.s.len == o->u.o.kl[k] && !memcmp(r->u.a.v[q]->u.s.s, o->u.o.k[k], o->u.o.kl[k])) { dup = true; break; }
				if (!dup) jn_push(c, r, jn_str(c, o->u.o.k[k], o->u.o.kl[k])); } }
	}
	return r; }
static jn_value *lookup(jn_ctx *c, jn_value *x, jn_value *k)
{
	if (!x) return NULL;
	x = jn_force(c, x);
	if (x->t == JV_OBJ) return jn_get(c, x, k->u.s.s, k->u.s.len);
	if (x->t == JV_ARR) { jn_value *r = jn_seq(c, 0);
		for (size_t i = 0; i < x->u.a.n; i++) { jn_value *v = jn_force(c, lookup(c, x->u.a.v[i], k)); if (!v) continue;
			if (v->t == JV_ARR) for (size_t q = 0; q < v->u.a.n; q++) jn_push(c, r, v->u.a.v[q]); else jn_push(c, r, v); }
		return r; }
	return NULL;
}
FN(lookup) { UNUSED; return lookup(c, ARG(0), ARG(1)); }
FN(spread) { UNUSED; jn_value *x = jn_force(c, ARG(0)); if (!x) return NULL;
	jn_value *r = jn_seq(c, 4);
	if (x->t == JV_ARR) { for (size_t i = 0; i < x->u.a.n; i++) { jn_value *one = x->u.a.v[i]; jn_value *s = fn_spread(c, &one, 1, input, pos);
		if (s && s->t == JV_ARR) for (size_t k = 0; k < s->u.a.n; k++) jn_push(c, r, s->u.a.v[k]); else if (s) jn_push(c, r, s); } return r; }
	if (x->t != JV_OBJ) return x;
	for (size_t i = 0; i < x->u.o.n; i++) { jn_value *o = jn_obj(c, 1); jn_set(c, o, x->u.o.k[i], x->u.o.kl[i], x->u.o.v[i]); jn_push(c, r, o); }
	return r; }
FN(merge) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	jn_value *r = jn_obj(c, 8);
	for (size_t i = 0; i < x->u.a.n; i++) { jn_value *o = jn_force(c, x->u.a.v[i]);
		for (size_t k = 0; k < o->u.o.n; k++) jn_set(c, r, o->u.o.k[k], o->u.o.kl[k], o->u.o.v[k]); }
	return r; }
static jn_value *call_n(jn_ctx *c, jn_value *f, jn_value *x, jn_value *y, jn_value *z, int pos)
{
	if (!jn_is_func(f)) jn_throw(c, "T1006", pos, NULL, NULL, NULL);
	int ar = jn_arity(f);
	jn_value *args[3] = { x, y, z };
	if (f->u.f->kind == FN_NATIVE) ar = ar ? ar : 1;
	return jn_apply(c, f, args, ar < 3 ? (ar < 1 ? 1 : ar) : 3, NULL, pos);
}
FN(each) { UNUSED; jn_value *x = ARG(0), *f = ARG(1); if (!x) return NULL;
	jn_value *r = jn_seq(c, x->u.o.n);
	for (size_t i = 0; i < x->u.o.n; i++) { jn_value *v = call_n(c, f, x->u.o.v[i], jn_str(c, x->u.o.k[i], x->u.o.kl[i]), x, pos); if (v) jn_push(c, r, v); }
	return r; }
FN(sift) { UNUSED; jn_value *x = ARG(0), *f = ARG(1); if (!x) return NULL;
	jn_value *r = jn_obj(c, 4);
	for (size_t i = 0; i < x->u.o.n; i++) if (jn_truthy(c, call_n(c, f, x->u.o.v[i], jn_str(c, x->u.o.k[i], x->u.o.kl[i]), x, pos)))
		jn_set(c, r, x->u.o.k[i], x->u.o.kl[i], x->u.o.v[i]);
	if (!r->u.o.n) return NULL;
	return r; }
FN(error) { UNUSED; jn_value *m = ARG(0);
	jn_set_error(c->err, "D3137", pos, NULL, m ? jn_strdup(c, m->u.s.s, m->u.s.len) : "$error() function evaluated", NULL);
	longjmp(*c->jb, 1); }
FN(assert) { UNUSED; jn_value *b = ARG(0), *m = ARG(1);
	if (!b || !b->u.b) { jn_set_error(c->err, "D3141", pos, NULL, m ? jn_strdup(c, m->u.s.s, m->u.s.len) : "$assert() statement failed", NULL); longjmp(*c->jb, 1); }
	return NULL; }
FN(type) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	static const char *names[] = { "", "null", "boolean", "number", "string", "array", "object", "function" };
	return jn_strz(c, names[x->t]); }

/* ---------------------------------------------------------- higher-order */
FN(map) { UNUSED; jn_value *x = ARG(0), *f = ARG(1); if (!x) return NULL;
	jn_value *r = jn_seq(c, x->u.a.n);
	for (size_t i = 0; i < x->u.a.n; i++) { jn_value *v = call_n(c, f, x->u.a.v[i], jn_num(c, (double)i), x, pos); if (v) jn_push(c, r, v); }
	return r; }
FN(filter) { UNUSED; jn_value *x = ARG(0), *f = ARG(1); if (!x) return NULL;
	jn_value *r = jn_seq(c, x->u.a.n);
	for (size_t i = 0; i < x->u.a.n; i++) if (jn_truthy(c, call_n(c, f, x->u.a.v[i], jn_num(c, (double)i), x, pos))) jn_push(c, r, x->u.a.v[i]);
	return r; }
FN(single) { UNUSED; jn_value *x = ARG(0), *f = ARG(1); if (!x) return NULL;
	jn_value *found = NULL; bool has = false;
	for (size_t i = 0; i < x->u.a.n; i++) { bool ok = !f || jn_truthy(c, call_n(c, f, x->u.a.v[i], jn_num(c, (double)i), x, pos));
		if (ok) { if (has) jn_throw(c, "D3138", pos, NULL, NULL, NULL); found = x->u.a.v[i]; has = true; } }
	if (!has) jn_throw(c, "D3139", pos, NULL, NULL, NULL);
	return found; }
FN(reduce) { UNUSED; jn_value *x = ARG(0), *f = ARG(1), *init = ARG(2); if (!x) return NULL;
	if (jn_arity(f) < 2) jn_throw(c, "D3050", pos, NULL, NULL, NULL);
	size_t i = 0; jn_value *acc;
	if (init) acc = init; else { if (!x->u.a.n) return NULL; acc = x->u.a.v[0]; i = 1; }
	int ar = jn_arity(f);
	for (; i < x->u.a.n; i++) { jn_value *args[4] = { acc, x->u.a.v[i], jn_num(c, (double)i), x };
		acc = jn_apply(c, f, args, ar > 4 ? 4 : ar, NULL, pos); }
	return acc; }

/* ------------------------------------------------------------------ time */
FN(millis) { UNUSED; return isnan(c->now) ? NULL : jn_num(c, c->now); }

/* ----------------------------------------------------------------- encode */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
FN(base64encode) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	size_t l = x->u.s.len; char *o = jn_alloc(c, (l + 2) / 3 * 4 + 1), *p = o;
	const unsigned char *s = (const unsigned char *)x->u.s.s;
	for (size_t i = 0; i < l; i += 3) { unsigned v = s[i] << 16 | (i + 1 < l ? s[i + 1] << 8 : 0) | (i + 2 < l ? s[i + 2] : 0);
		*p++ = b64[v >> 18]; *p++ = b64[(v >> 12) & 63]; *p++ = i + 1 < l ? b64[(v >> 6) & 63] : '='; *p++ = i + 2 < l ? b64[v & 63] : '='; }
	return jn_str(c, o, (size_t)(p - o)); }
FN(base64decode) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	char *o = jn_alloc(c, x->u.s.len + 1), *p = o; unsigned v = 0; int bits = 0;
	for (size_t i = 0; i < x->u.s.len; i++) { const char *q = strchr(b64, x->u.s.s[i]); if (!q || !*q) continue;
		v = v << 6 | (unsigned)(q - b64); bits += 6; if (bits >= 8) { bits -= 8; *p++ = (char)((v >> bits) & 255); } }
	return jn_str(c, o, (size_t)(p - o)); }
static jn_value *encode_uri(jn_ctx *c, jn_value *x, const char *keep, int pos)
{
	if (!x) return NULL;
	jn_buf b = { .c = c };
	for (size_t i = 0; i < x->u.s.len; i++) {
		unsigned char ch = (unsigned char)x->u.s.s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || (ch < 0x80 && strchr(keep, ch))) jb_putc(&b, (char)ch);
		else {
			if (ch >= 0xED && i + 1 < x->u.s.len && ch == 0xED && (unsigned char)x->u.s.s[i + 1] >= 0xA0)
				jn_throw(c, "D3140", pos, NULL, x, NULL);
			char h[4]; snprintf(h, sizeof h, "%%%02X", ch); jb_put(&b, h, 3); }
	}
	return jn_str(c, b.p ? b.p : "", b.len);
}
FN(encodeUrlComponent) { UNUSED; return encode_uri(c, ARG(0), "-_.!~*'()", pos); }
FN(encodeUrl) { UNUSED; return encode_uri(c, ARG(0), "-_.!~*'();/?:@&=+$,#", pos); }
static int hexv(int ch) { return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1; }
static jn_value *decode_uri(jn_ctx *c, jn_value *x, const char *reserved, int pos)
{
	if (!x) return NULL;
	char *o = jn_alloc(c, x->u.s.len + 1), *p = o;
	for (size_t i = 0; i < x->u.s.len; i++) {
		if (x->u.s.s[i] == '%') {
			if (i + 2 >= x->u.s.len + 0 || hexv(x->u.s.s[i + 1]) < 0 || i + 2 >= x->u.s.len + 1 || hexv(x->u.s.s[i + 2]) < 0)
				jn_throw(c, "D3140", pos, NULL, x, NULL);
			int v = hexv(x->u.s.s[i + 1]) * 16 + hexv(x->u.s.s[i + 2]);
			if (v < 0x80 && reserved && strchr(reserved, v)) { jn_memcpy(p, x->u.s.s + i, 3); p += 3; }
			else *p++ = (char)v;
			i += 2;
		} else *p++ = x->u.s.s[i];
	}
	/* invalid UTF-8 after decoding is a malformed URI */
	for (char *q = o; q < p;) { unsigned char ch = (unsigned char)*q; int w = ch < 0x80 ? 1 : ch >= 0xC2 && ch < 0xE0 ? 2 : ch >= 0xE0 && ch < 0xF0 ? 3 : ch >= 0xF0 && ch < 0xF5 ? 4 : 0;
		if (!w || q + w > p) jn_throw(c, "D3140", pos, NULL, x, NULL);
		for (int k = 1; k < w; k++) if (((unsigned char)q[k] & 0xC0) != 0x80) jn_throw(c, "D3140", pos, NULL, x, NULL);
		q += w; }
	return jn_str(c, o, (size_t)(p - o));
}
FN(decodeUrlComponent) { UNUSED; return decode_uri(c, ARG(0), NULL, pos); }
FN(decodeUrl) { UNUSED; return decode_uri(c, ARG(0), ";/?:@&=+$,#", pos); }

/* ------------------------------------------------------- Step Functions */
FN(partition) { UNUSED; jn_value *x = ARG(0), *s = ARG(1);
	if (!x) return NULL;
	if (!s || !jn_is_int(s) || s->u.n < 1) jn_throw(c, "D3137", pos, NULL, jn_strz(c, "The size argument of $partition must be a positive integer"), NULL);
	size_t size = (size_t)s->u.n;
	jn_value *r = jn_arr(c, 0);
	for (size_t i = 0; i < x->u.a.n; i += size) {
		jn_value *ch = jn_arr(c, size);
		for (size_t k = i; k < i + size && k < x->u.a.n; k++) jn_push(c, ch, x->u.a.v[k]);
		jn_push(c, r, ch);
	}
	return r; }
FN(range) { UNUSED; jn_value *s = ARG(0), *e = ARG(1), *st = ARG(2);
	if (!s || !e) return NULL;
	double step = st ? st->u.n : 1;
	if (!jn_is_int(s) || !jn_is_int(e) || (st && !jn_is_int(st)) || step == 0)
		jn_throw(c, "D3137", pos, NULL, jn_strz(c, "The arguments of $range must be integers and the step must not be 0"), NULL);
	jn_value *r = jn_arr(c, 0);
	for (double v = s->u.n; step > 0 ? v <= e->u.n : v >= e->u.n; v += step) {
		if (r->u.a.n >= 10000000) jn_throw(c, "D2014", pos, NULL, NULL, NULL);
		jn_push(c, r, jn_num(c, v));
	}
	return r; }
FN(hash) { UNUSED; jn_value *x = ARG(0), *alg = ARG(1); if (!x) return NULL;
	const char *name = alg ? jn_strdup(c, alg->u.s.s, alg->u.s.len) : "SHA-256";
	const EVP_MD *md = asl_digest_named(name);
	if (!md) jn_throw(c, "D3137", pos, NULL, jn_strz(c, "The hashing algorithm of $hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"), NULL);
	unsigned char d[EVP_MAX_MD_SIZE]; unsigned dl = 0;
	if (!asl_crypto()->EVP_Digest(x->u.s.s, x->u.s.len, d, &dl, md, NULL)) jn_throw(c, "U1010", pos, NULL, NULL, NULL);
	char *o = jn_alloc(c, dl * 2 + 1);
	for (unsigned i = 0; i < dl; i++) snprintf(o + 2 * i, 3, "%02x", d[i]);
	return jn_str(c, o, dl * 2); }
FN(uuid) { UNUSED; unsigned char b[16];
	for (int i = 0; i < 16; i += 4) { uint32_t v = (uint32_t)(next_random(c) * 4294967296.0); b[i] = (unsigned char)v; b[i + 1] = (unsigned char)(v >> 8); b[i + 2] = (unsigned char)(v >> 16); b[i + 3] = (unsigned char)(v >> 24); }
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	char *o = jn_alloc(c, 37), *p = o;
	for (int i = 0; i < 16; i++) { if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-'; p += sprintf(p, "%02x", b[i]); }
	return jn_str(c, o, 36); }
static void own_strings(jn_ctx *c, jn_value *v)
{
	if (!v) return;
	v = jn_force(c, v);
	v->src = NULL;   /* the parsed document is released */
	if (v->t == JV_STR) v->u.s.s = jn_strdup(c, v->u.s.s, v->u.s.len);
	else if (v->t == JV_ARR) for (size_t i = 0; i < v->u.a.n; i++) own_strings(c, v->u.a.v[i]);
	else if (v->t == JV_OBJ) for (size_t i = 0; i < v->u.o.n; i++) {
		v->u.o.k[i] = jn_strdup(c, v->u.o.k[i], v->u.o.kl[i]);
		own_strings(c, v->u.o.v[i]);
	}
}
FN(parse) { UNUSED; jn_value *x = ARG(0); if (!x) return NULL;
	json_error_t je;
	json_t *j = json_loadb(x->u.s.s, x->u.s.len, JSON_DECODE_ANY, &je);
	if (!j) jn_throw(c, "D3137", pos, NULL, jn_strz(c, "The argument of $parse must be a valid JSON string"), NULL);
	jn_value *v = jn_from_json(c, j);
	own_strings(c, v);
	json_decref(j);
	return v; }

/* ------------------------------------------------- picture strings */
static char *cstr(jn_ctx *c, jn_value *v) { return v ? jn_strdup(c, v->u.s.s, v->u.s.len) : NULL; }

static jn_value *fmt_result(jn_ctx *c, jsonata_fmt_status st, char *out, jsonata_fmt_error *e, int pos)
{
	if (st == JSONATA_FMT_OK) {
		jn_value *r = jn_str(c, jn_strdup(c, out, strlen(out)), strlen(out));
		free(out);
		return r;
	}
	if (st == JSONATA_FMT_UNDEFINED) return NULL;
	if (st == JSONATA_FMT_NOMEM) jn_throw(c, "U1010", pos, NULL, NULL, NULL);
	jn_set_error(c->err, e->code[0] ? e->code : "D3137", pos, NULL, NULL, NULL);
	snprintf(c->err->message, sizeof c->err->message, "%s", e->message);
	longjmp(*c->jb, 1);
}

static jn_value *fmt_number_result(jn_ctx *c, jsonata_fmt_status st, double d, jsonata_fmt_error *e, int pos)
{
	if (st == JSONATA_FMT_OK) return isnan(d) ? NULL : jn_num(c, d);
	return fmt_result(c, st, NULL, e, pos);
}

FN(formatNumber) { UNUSED; jn_value *x = ARG(0), *pic = ARG(1), *o = ARG(2); if (!x) return NULL;
	jsonata_number_options opt; memset(&opt, 0, sizeof opt);
	if (o && o->t == JV_OBJ) {
		static const char *names[] = { "decimal-separator", "grouping-separator", "exponent-separator",
			"infinity", "NaN", "minus-sign", "percent", "per-mille", "zero-digit", "digit", "pattern-separator" };
		const char **slots[] = { &opt.decimal_separator, &opt.grouping_separator, &opt.exponent_separator,
			&opt.infinity, &opt.nan, &opt.minus_sign, &opt.percent, &opt.per_mille, &opt.zero_digit,
			&opt.digit, &opt.pattern_separator };
		for (int i = 0; i < 11; i++) { jn_value *v = jn_get(c, o, names[i], strlen(names[i]));
			if (v && v->t == JV_STR) *slots[i] = cstr(c, v); }
	}
	char *out = NULL; jsonata_fmt_error e;
	jsonata_fmt_status st = jsonata_format_number(x->u.n, cstr(c, pic), &opt, &out, &e);
	return fmt_result(c, st, out, &e, pos); }
FN(formatInteger) { UNUSED; jn_value *x = ARG(0), *pic = ARG(1); if (!x) return NULL;
	char *out = NULL; jsonata_fmt_error e;
	jsonata_fmt_status st = jsonata_format_integer(x->u.n, cstr(c, pic), &out, &e);
	return fmt_result(c, st, out, &e, pos); }
FN(parseInteger) { UNUSED; jn_value *x = ARG(0), *pic = ARG(1); if (!x) return NULL;
	double d = 0; jsonata_fmt_error e;
	jsonata_fmt_status st = jsonata_parse_integer(cstr(c, x), cstr(c, pic), &d, &e);
	if (st == JSONATA_FMT_OK) return jn_num(c, d);
	return fmt_result(c, st, NULL, &e, pos); }
FN(formatBase) { UNUSED; jn_value *x = ARG(0), *r = ARG(1); if (!x) return NULL;
	char *out = NULL; jsonata_fmt_error e;
	jsonata_fmt_status st = jsonata_format_base(x->u.n, r != NULL, r ? r->u.n : 10, &out, &e);
	return fmt_result(c, st, out, &e, pos); }
FN(fromMillis) { UNUSED; jn_value *x = ARG(0), *pic = ARG(1), *tz = ARG(2); if (!x) return NULL;
	char *out = NULL; jsonata_fmt_error e;
	jsonata_fmt_status st = jsonata_from_millis(x->u.n, cstr(c, pic), cstr(c, tz), &out, &e);
	return fmt_result(c, st, out, &e, pos); }
FN(toMillis) { UNUSED; jn_value *x = ARG(0), *pic = ARG(1); if (!x) return NULL;
	double d = 0; jsonata_fmt_error e;
	jsonata_fmt_status st = jsonata_to_millis(cstr(c, x), cstr(c, pic), isnan(c->now) ? 0 : c->now, &d, &e);
	return fmt_number_result(c, st, d, &e, pos); }
FN(now) { UNUSED; if (isnan(c->now)) return NULL;
	char *out = NULL; jsonata_fmt_error e;
	jsonata_fmt_status st = jsonata_from_millis(c->now, cstr(c, ARG(0)), cstr(c, ARG(1)), &out, &e);
	return fmt_result(c, st, out, &e, pos); }

/* ---------------------------------------------------------------- table */
typedef struct builtin { const char *name; jn_native fn; const char *sig; struct jn_sig *parsed; } builtin;
static builtin table[] = {
	{"sum", fn_sum, "<a<n>:n>", NULL}, {"count", fn_count, "<a:n>", NULL},
	{"max", fn_max, "<a<n>:n>", NULL}, {"min", fn_min, "<a<n>:n>", NULL},
	{"average", fn_average, "<a<n>:n>", NULL},
	{"string", fn_string, "<x-b?:s>", NULL}, {"substring", fn_substring, "<s-nn?:s>", NULL},
	{"substringBefore", fn_substringBefore, "<s-s:s>", NULL},
	{"substringAfter", fn_substringAfter, "<s-s:s>", NULL},
	{"lowercase", fn_lowercase, "<s-:s>", NULL}, {"uppercase", fn_uppercase, "<s-:s>", NULL},
	{"length", fn_length, "<s-:n>", NULL}, {"trim", fn_trim, "<s-:s>", NULL},
	{"pad", fn_pad, "<s-ns?:s>", NULL}, {"match", fn_match, "<s-f<s:o>n?:a<o>>", NULL},
	{"contains", fn_contains, "<s-(sf):b>", NULL}, {"replace", fn_replace, "<s-(sf)(sf)n?:s>", NULL},
	{"split", fn_split, "<s-(sf)n?:a<s>>", NULL}, {"join", fn_join, "<a<s>s?:s>", NULL},
	{"number", fn_number, "<(nsb)-:n>", NULL}, {"floor", fn_floor, "<n-:n>", NULL},
	{"ceil", fn_ceil, "<n-:n>", NULL}, {"round", fn_round, "<n-n?:n>", NULL},
	{"abs", fn_abs, "<n-:n>", NULL}, {"sqrt", fn_sqrt, "<n-:n>", NULL},
	{"power", fn_power, "<n-n:n>", NULL}, {"random", fn_random, "<n?:n>", NULL},
	{"boolean", fn_boolean, "<x-:b>", NULL}, {"not", fn_not, "<x-:b>", NULL},
	{"map", fn_map, "<af>", NULL}, {"zip", fn_zip, "<a+>", NULL}, {"filter", fn_filter, "<af>", NULL},
	{"single", fn_single, "<af?>", NULL}, {"reduce", fn_reduce, "<afj?:j>", NULL},
	{"sift", fn_sift, "<o-f?:o>", NULL}, {"keys", fn_keys, "<x-:a<s>>", NULL},
	{"lookup", fn_lookup, "<x-s:x>", NULL}, {"append", fn_append, "<xx:a>", NULL},
	{"exists", fn_exists, "<x:b>", NULL}, {"spread", fn_spread, "<x-:a<o>>", NULL},
	{"merge", fn_merge, "<a<o>:o>", NULL}, {"reverse", fn_reverse, "<a:a>", NULL},
	{"each", fn_each, "<o-f:a>", NULL}, {"error", fn_error, "<s?:x>", NULL},
	{"assert", fn_assert, "<bs?:x>", NULL}, {"type", fn_type, "<x:s>", NULL},
	{"sort", fn_sort, "<af?:a>", NULL}, {"shuffle", fn_shuffle, "<a:a>", NULL},
	{"distinct", fn_distinct, "<x:x>", NULL},
	{"base64encode", fn_base64encode, "<s-:s>", NULL}, {"base64decode", fn_base64decode, "<s-:s>", NULL},
	{"encodeUrlComponent", fn_encodeUrlComponent, "<s-:s>", NULL}, {"encodeUrl", fn_encodeUrl, "<s-:s>", NULL},
	{"decodeUrlComponent", fn_decodeUrlComponent, "<s-:s>", NULL}, {"decodeUrl", fn_decodeUrl, "<s-:s>", NULL},
	{"millis", fn_millis, "<:n>", NULL}, {"now", fn_now, "<s?s?:s>", NULL},
	{"formatNumber", fn_formatNumber, "<n-so?:s>", NULL}, {"formatInteger", fn_formatInteger, "<n-s:s>", NULL},
	{"parseInteger", fn_parseInteger, "<s-s:n>", NULL}, {"formatBase", fn_formatBase, "<n-n?:s>", NULL},
	{"fromMillis", fn_fromMillis, "<n-s?s?:s>", NULL}, {"toMillis", fn_toMillis, "<s-s?:n>", NULL},
	{"partition", fn_partition, "<an:a>", NULL}, {"range", fn_range, "<nnn?:a>", NULL},
	{"hash", fn_hash, "<s-s?:s>", NULL}, {"uuid", fn_uuid, "<:s>", NULL}, {"parse", fn_parse, "<s:x>", NULL},
	{NULL, NULL, NULL, NULL}
};

/* The built-in functions' values, made once for all evaluations and
 * threads, read-only after (a native's name is set at once, so nothing
 * writes into them). */
#define NBUILTIN (sizeof table / sizeof *table - 1)
static pthread_once_t once = PTHREAD_ONCE_INIT;
static jn_arena sig_arena;
static jn_value builtin_value[NBUILTIN];
static jn_func builtin_func[NBUILTIN];
static void parse_sigs(void)
{
	for (size_t i = 0; table[i].name; i++) {
		table[i].parsed = jn_sig_parse(&sig_arena, table[i].sig, -1, NULL);
		jn_func *f = &builtin_func[i];
		f->kind = FN_NATIVE;
		f->native = table[i].fn;
		f->sig = table[i].parsed;
		f->name = table[i].name;
		f->arity = table[i].parsed ? jn_sig_arity(table[i].parsed) : 0;
		f->lazy_args = table[i].fn == fn_count;
		f->agg = table[i].fn == fn_sum ? JN_AGG_SUM : table[i].fn == fn_max ? JN_AGG_MAX
		       : table[i].fn == fn_min ? JN_AGG_MIN : table[i].fn == fn_average ? JN_AGG_AVERAGE : 0;
		builtin_value[i].t = JV_FUNC;
		builtin_value[i].u.f = f;
	}
}

jn_value *jn_builtin(jn_ctx *c, const char *name)
{
	(void)c;
	pthread_once(&once, parse_sigs);
	for (size_t i = 0; table[i].name; i++)
		if (table[i].name[0] == name[0] && !strcmp(table[i].name, name)) return &builtin_value[i];
	return NULL;
}
