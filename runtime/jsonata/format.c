/* format.c - JSONata's picture-string functions (see format.h).
 *
 * jsonata-js works on JavaScript strings (UTF-16 code units) and numbers;
 * to give its results exactly, this file does the same: text is turned into
 * UTF-16 (u16 below), worked on with JavaScript's string operations
 * (indexOf, substring, slice, ...) and turned back into UTF-8 at the end.
 */
#include "format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ u16 strings */

typedef struct {
	uint16_t *p;
	size_t n, cap;
	int oom;
} u16;

static void u16_reserve(u16 *s, size_t need)
{
	if (s->oom || need <= s->cap)
		return;
	size_t cap = s->cap ? s->cap * 2 : 16;
	while (cap < need)
		cap *= 2;
	uint16_t *p = realloc(s->p, cap * sizeof *p);
	if (!p) {
		s->oom = 1;
		return;
	}
	s->p = p;
	s->cap = cap;
}

static void u16_free(u16 *s)
{
	free(s->p);
	s->p = NULL;
	s->n = s->cap = 0;
}

static void u16_push(u16 *s, uint16_t c)
{
	u16_reserve(s, s->n + 1);
	if (!s->oom)
		s->p[s->n++] = c;
}

static void u16_append(u16 *s, const uint16_t *p, size_t n)
{
	if (!n)
		return;
	u16_reserve(s, s->n + n);
	if (s->oom)
		return;
	memcpy(s->p + s->n, p, n * sizeof *p);
	s->n += n;
}

static void u16_cat(u16 *s, const u16 *t)
{
	if (t->oom)
		s->oom = 1;
	u16_append(s, t->p, t->n);
}

static void u16_push_cp(u16 *s, uint32_t cp)
{
	if (cp >= 0x10000) {
		cp -= 0x10000;
		u16_push(s, (uint16_t)(0xD800 + (cp >> 10)));
		u16_push(s, (uint16_t)(0xDC00 + (cp & 0x3FF)));
	} else
		u16_push(s, (uint16_t)cp);
}

static void u16_ascii(u16 *s, const char *a)
{
	while (*a)
		u16_push(s, (unsigned char)*a++);
}

/* UTF-8 to UTF-16; bytes that are not UTF-8 become U+FFFD. */
static void u16_utf8(u16 *s, const char *a)
{
	const unsigned char *b = (const unsigned char *)a;
	while (*b) {
		uint32_t cp;
		int len;
		if (b[0] < 0x80) {
			cp = b[0];
			len = 1;
		} else if ((b[0] & 0xE0) == 0xC0) {
			cp = b[0] & 0x1F;
			len = 2;
		} else if ((b[0] & 0xF0) == 0xE0) {
			cp = b[0] & 0x0F;
			len = 3;
		} else if ((b[0] & 0xF8) == 0xF0) {
			cp = b[0] & 0x07;
			len = 4;
		} else {
			u16_push(s, 0xFFFD);
			b++;
			continue;
		}
		int i;
		for (i = 1; i < len; i++) {
			if ((b[i] & 0xC0) != 0x80)
				break;
			cp = cp << 6 | (b[i] & 0x3F);
		}
		if (i < len || cp > 0x10FFFF) {
			u16_push(s, 0xFFFD);
			b += i;
			continue;
		}
		u16_push_cp(s, cp);
		b += len;
	}
}

static u16 u16_of(const char *a)
{
	u16 s = {0};
	u16_utf8(&s, a);
	u16_reserve(&s, 1);
	return s;
}

/* UTF-16 to a malloc'd UTF-8 string (a lone surrogate becomes U+FFFD). */
static char *u16_to_utf8(const u16 *s)
{
	if (s->oom)
		return NULL;
	char *o = malloc(s->n * 3 + 1), *q = o;
	if (!o)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		uint32_t c = s->p[i];
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < s->n &&
		    s->p[i + 1] >= 0xDC00 && s->p[i + 1] < 0xE000) {
			c = 0x10000 + ((c - 0xD800) << 10) + (s->p[i + 1] - 0xDC00);
			i++;
		} else if (c >= 0xD800 && c < 0xE000)
			c = 0xFFFD;
		if (c < 0x80)
			*q++ = (char)c;
		else if (c < 0x800) {
			*q++ = (char)(0xC0 | c >> 6);
			*q++ = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			*q++ = (char)(0xE0 | c >> 12);
			*q++ = (char)(0x80 | (c >> 6 & 0x3F));
			*q++ = (char)(0x80 | (c & 0x3F));
		} else {
			*q++ = (char)(0xF0 | c >> 18);
			*q++ = (char)(0x80 | (c >> 12 & 0x3F));
			*q++ = (char)(0x80 | (c >> 6 & 0x3F));
			*q++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*q = 0;
	return o;
}

/* String.prototype.indexOf(needle, from) */
static long u16_index(const u16 *s, const u16 *t, long from)
{
	if (from < 0)
		from = 0;
	if ((size_t)from > s->n)
		from = (long)s->n;
	for (size_t i = (size_t)from; i + t->n <= s->n; i++)
		if (!t->n || !memcmp(s->p + i, t->p, t->n * sizeof *t->p))
			return (long)i;
	return -1;
}

static long u16_last_index(const u16 *s, const u16 *t)
{
	if (t->n > s->n)
		return -1;
	for (size_t i = s->n - t->n + 1; i-- > 0;)
		if (!t->n || !memcmp(s->p + i, t->p, t->n * sizeof *t->p))
			return (long)i;
	return -1;
}

static long u16_index_char(const u16 *s, uint16_t c, long from)
{
	for (size_t i = from < 0 ? 0 : (size_t)from; i < s->n; i++)
		if (s->p[i] == c)
			return (long)i;
	return -1;
}

/* String.prototype.substring(a, b): clamped, swapped when a > b. */
static u16 u16_sub(const u16 *s, long a, long b)
{
	long n = (long)s->n;
	a = a < 0 ? 0 : a > n ? n : a;
	b = b < 0 ? 0 : b > n ? n : b;
	if (a > b) {
		long t = a;
		a = b;
		b = t;
	}
	u16 r = {0};
	u16_append(&r, s->p + a, (size_t)(b - a));
	u16_reserve(&r, 1);
	if (s->oom)
		r.oom = 1;
	return r;
}

/* String.prototype.slice(a, b): negative indexes count from the end. */
static u16 u16_slice(const u16 *s, long a, long b)
{
	long n = (long)s->n;
	a = a < 0 ? (a + n < 0 ? 0 : a + n) : a > n ? n : a;
	b = b < 0 ? (b + n < 0 ? 0 : b + n) : b > n ? n : b;
	if (b < a)
		b = a;
	return u16_sub(s, a, b);
}

/* s = s.slice(0, at) + t + s.slice(at) */
static void u16_insert(u16 *s, long at, const u16 *t)
{
	u16 a = u16_slice(s, 0, at), b = u16_slice(s, at, (long)s->n);
	s->n = 0;
	u16_cat(s, &a);
	u16_cat(s, t);
	u16_cat(s, &b);
	if (a.oom || b.oom)
		s->oom = 1;
	u16_free(&a);
	u16_free(&b);
}

/* s.charAt(i) === t */
static int u16_char_is(const u16 *s, long i, const u16 *t)
{
	if (i < 0 || (size_t)i >= s->n)
		return t->n == 0;
	return t->n == 1 && t->p[0] == s->p[i];
}

static int u16_eq_ascii(const u16 *s, const char *a)
{
	size_t n = strlen(a);
	if (n != s->n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s->p[i] != (unsigned char)a[i])
			return 0;
	return 1;
}

static void u16_lower(u16 *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] >= 'A' && s->p[i] <= 'Z')
			s->p[i] += 32;
}

static void u16_upper(u16 *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] >= 'a' && s->p[i] <= 'z')
			s->p[i] -= 32;
}

/* ------------------------------------------------------------ errors */

/* the error: message = before + insert + after */
static jsonata_fmt_status failv(jsonata_fmt_error *err, const char *code,
    const char *before, const char *insert, const char *after)
{
	if (err) {
		size_t i = 0;
		for (; code[i] && i < sizeof err->code - 1; i++)
			err->code[i] = code[i];
		err->code[i] = 0;
		snprintf(err->message, sizeof err->message, "%s%s%s", before, insert,
		    after);
	}
	return JSONATA_FMT_ERROR;
}

static jsonata_fmt_status fail(jsonata_fmt_error *err, const char *code,
    const char *message)
{
	return failv(err, code, message, "", "");
}

static jsonata_fmt_status nomem(jsonata_fmt_error *err)
{
	fail(err, "", "out of memory");
	return JSONATA_FMT_NOMEM;
}

/* JSON.stringify of a string, as jsonata-js puts {{value}} in messages. */
static void json_quote(const u16 *s, char *buf, size_t size)
{
	u16 q = {0};
	u16_push(&q, '"');
	for (size_t i = 0; i < s->n; i++) {
		uint16_t c = s->p[i];
		char e[8];
		if (c == '"' || c == '\\') {
			u16_push(&q, '\\');
			u16_push(&q, c);
		} else if (c < 0x20) {
			const char *m = c == '\b' ? "\\b" : c == '\f' ? "\\f" :
			    c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
			if (!m) {
				snprintf(e, sizeof e, "\\u%04x", c);
				m = e;
			}
			u16_ascii(&q, m);
		} else
			u16_push(&q, c);
	}
	u16_push(&q, '"');
	char *u = u16_to_utf8(&q);
	snprintf(buf, size, "%s", u ? u : "\"\"");
	free(u);
	u16_free(&q);
}

/* ------------------------------------------------------------ numbers */

/* The decimal digits and exponent of a double, locale-free: printf's radix
 * character is skipped whatever it is, and strtod only ever sees an integer
 * mantissa with an exponent. */
static int digits_e(double v, int prec, char *dig, int *exp10)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.*e", prec, v);
	int k = 0;
	char *p = buf;
	while (*p && *p != 'e') {
		if (*p >= '0' && *p <= '9')
			dig[k++] = *p;
		p++;
	}
	dig[k] = 0;
	*exp10 = *p ? atoi(p + 1) : 0;
	return k;
}

static double parse_digits(const char *dig, int exp10)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%se%d", dig, exp10);
	return strtod(buf, NULL);
}

/* Number.prototype.toString(): the shortest digits that read back as v. */
static void js_number_string(double v, u16 *out)
{
	if (isnan(v)) {
		u16_ascii(out, "NaN");
		return;
	}
	if (v == 0) {
		u16_push(out, '0');
		return;
	}
	if (v < 0) {
		u16_push(out, '-');
		v = -v;
	}
	if (isinf(v)) {
		u16_ascii(out, "Infinity");
		return;
	}
	char dig[40];
	int e = 0, k = 0;
	for (int prec = 0; prec < 17; prec++) {
		k = digits_e(v, prec, dig, &e);
		if (parse_digits(dig, e - k + 1) == v)
			break;
	}
	while (k > 1 && dig[k - 1] == '0')
		dig[--k] = 0;
	int n = e + 1; /* the decimal point's position */
	if (k <= n && n <= 21) {
		u16_ascii(out, dig);
		for (int i = k; i < n; i++)
			u16_push(out, '0');
	} else if (0 < n && n <= 21) {
		for (int i = 0; i < k; i++) {
			if (i == n)
				u16_push(out, '.');
			u16_push(out, (uint16_t)dig[i]);
		}
	} else if (-6 < n && n <= 0) {
		u16_ascii(out, "0.");
		for (int i = 0; i < -n; i++)
			u16_push(out, '0');
		u16_ascii(out, dig);
	} else {
		char eb[16];
		u16_push(out, (uint16_t)dig[0]);
		if (k > 1) {
			u16_push(out, '.');
			u16_ascii(out, dig + 1);
		}
		snprintf(eb, sizeof eb, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
		u16_ascii(out, eb);
	}
}

/* +"<mantissa>e<exp>" for a mantissa as js_number_string writes it. */
static double js_shift(double v, int by)
{
	u16 s = {0};
	js_number_string(v, &s);
	char dig[64];
	int k = 0, neg = 0, point = -1, exp10 = 0;
	for (size_t i = 0; i < s.n; i++) {
		uint16_t c = s.p[i];
		if (c == '-')
			neg = 1;
		else if (c == '.')
			point = k;
		else if (c == 'e') {
			char eb[16];
			size_t j = 0;
			for (i++; i < s.n && j < sizeof eb - 1; i++)
				eb[j++] = (char)s.p[i];
			eb[j] = 0;
			exp10 = atoi(eb);
			break;
		} else if (k < 60)
			dig[k++] = (char)c;
	}
	dig[k] = 0;
	u16_free(&s);
	if (!k || isnan(v) || isinf(v))
		return v;
	int frac = point < 0 ? 0 : k - point;
	double r = parse_digits(dig, exp10 + by - frac);
	return neg ? -r : r;
}

/* jsonata-js's $round(arg, precision): half to even, shifted in decimal. */
static double js_round(double arg, int precision)
{
	if (precision)
		arg = js_shift(arg, precision);
	double result = floor(arg);
	if (arg - result >= 0.5)
		result += 1;
	double diff = result - arg;
	if (fabs(diff) == 0.5 && fabs(fmod(result, 2)) == 1)
		result -= 1;
	if (precision)
		result = js_shift(result, -precision);
	if (result == 0)
		result = 0;
	return result;
}

/* Number.prototype.toFixed(dp) of a non-negative v. */
static int js_to_fixed(double v, int dp, u16 *out)
{
	if (dp < 0 || dp > 100)
		return -1;
	if (!(v < 1e21)) {
		js_number_string(v, out);
		return 0;
	}
	int prec = dp + 40;
	size_t size = 400;
	char *buf = malloc(size);
	if (!buf) {
		out->oom = 1;
		return 0;
	}
	snprintf(buf, size, "%.*f", prec, v);
	/* integer digits, then the fraction's digits (past printf's radix) */
	char *p = buf, *ip, *fp;
	ip = p;
	while (*p >= '0' && *p <= '9')
		p++;
	size_t ni = (size_t)(p - ip);
	fp = buf + strlen(buf) - prec;
	char *d = malloc(ni + (size_t)prec + 2);
	if (!d) {
		free(buf);
		out->oom = 1;
		return 0;
	}
	d[0] = '0';
	memcpy(d + 1, ip, ni);
	memcpy(d + 1 + ni, fp, (size_t)dp);
	size_t nd = 1 + ni + (size_t)dp;
	if (fp[dp] >= '5') { /* half away from zero, as toFixed */
		size_t i = nd;
		while (i-- > 0) {
			if (d[i] == '9')
				d[i] = '0';
			else {
				d[i]++;
				break;
			}
		}
	}
	size_t start = d[0] == '0' ? 1 : 0;
	for (size_t i = start; i < 1 + ni; i++)
		u16_push(out, (uint16_t)d[i]);
	if (dp > 0) {
		u16_push(out, '.');
		for (size_t i = 1 + ni; i < nd; i++)
			u16_push(out, (uint16_t)d[i]);
	}
	free(d);
	free(buf);
	return 0;
}

/* parseInt(s, 10)-like: leading white space, sign, "0x" hex, digits. */
static double js_parse_int(const u16 *s)
{
	size_t i = 0;
	while (i < s->n && (s->p[i] == ' ' || (s->p[i] >= 9 && s->p[i] <= 13) ||
	    s->p[i] == 0xA0 || s->p[i] == 0xFEFF))
		i++;
	int neg = 0;
	if (i < s->n && (s->p[i] == '+' || s->p[i] == '-'))
		neg = s->p[i++] == '-';
	int radix = 10;
	if (i + 1 < s->n && s->p[i] == '0' && (s->p[i + 1] | 32) == 'x') {
		radix = 16;
		i += 2;
	}
	char dig[400];
	size_t k = 0;
	double hex = 0;
	for (; i < s->n; i++) {
		uint16_t c = s->p[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
		    radix == 16 && (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
		if (d < 0)
			break;
		hex = hex * 16 + d;
		if (k < sizeof dig - 1)
			dig[k++] = (char)c;
		else if (radix == 10)
			k++; /* counted below as a power of ten */
	}
	if (!k)
		return NAN;
	double r;
	if (radix == 16)
		r = hex;
	else if (k >= sizeof dig - 1) {
		dig[sizeof dig - 1] = 0;
		r = parse_digits(dig, (int)(k - (sizeof dig - 1)));
	} else {
		dig[k] = 0;
		r = parse_digits(dig, 0);
	}
	return neg ? -r : r;
}

/* ------------------------------------------------------------ $formatNumber */

enum { P_DEC, P_GROUP, P_EXP, P_INF, P_NAN, P_MINUS, P_PCT, P_PERMILLE,
	P_ZERO, P_DIGIT, P_PATSEP, P_COUNT };

typedef struct {
	u16 prop[P_COUNT];
	uint16_t family[10];
} numfmt;

typedef struct {
	u16 prefix, suffix, active, mantissa, exponent, integer, fraction, sub;
	int has_exponent;
} subpic;

typedef struct {
	long int_groups[64];
	int n_int_groups;
	long frac_groups[64];
	int n_frac_groups;
	long regular, min_int, scaling, min_frac, max_frac, min_exp;
} picvars;

static int nf_is_digit(const numfmt *f, uint16_t c)
{
	return c >= f->family[0] && c <= f->family[9];
}

/* activeChars.indexOf(c) !== -1 */
static int nf_is_active(const numfmt *f, uint16_t c)
{
	static const int act[] = {P_DEC, P_EXP, P_GROUP, P_DIGIT, P_PATSEP};
	if (nf_is_digit(f, c))
		return 1;
	for (size_t i = 0; i < sizeof act / sizeof *act; i++)
		if (f->prop[act[i]].n == 1 && f->prop[act[i]].p[0] == c)
			return 1;
	return 0;
}

static int nf_is(const numfmt *f, int prop, uint16_t c)
{
	return f->prop[prop].n == 1 && f->prop[prop].p[0] == c;
}

static void subpic_free(subpic *s)
{
	u16_free(&s->prefix);
	u16_free(&s->suffix);
	u16_free(&s->active);
	u16_free(&s->mantissa);
	u16_free(&s->exponent);
	u16_free(&s->integer);
	u16_free(&s->fraction);
	u16_free(&s->sub);
}

/* splitParts; 0 when the sub-picture has no active character at all
 * (jsonata-js then fails with a TypeError). */
static int split_parts(const numfmt *f, const u16 *sub, subpic *sp)
{
	long n = (long)sub->n, pre = -1, suf = -1;
	for (long i = 0; i < n; i++)
		if (nf_is_active(f, sub->p[i]) && !nf_is(f, P_EXP, sub->p[i])) {
			pre = i;
			break;
		}
	for (long i = n - 1; i >= 0; i--)
		if (nf_is_active(f, sub->p[i]) && !nf_is(f, P_EXP, sub->p[i])) {
			suf = i + 1;
			break;
		}
	if (pre < 0 || suf < 0)
		return 0;
	sp->sub = u16_sub(sub, 0, n);
	sp->prefix = u16_sub(sub, 0, pre);
	sp->suffix = u16_sub(sub, suf, n);
	sp->active = u16_sub(sub, pre, suf);
	long ep = u16_index(sub, &f->prop[P_EXP], pre);
	if (ep == -1 || ep > suf) {
		sp->mantissa = u16_sub(&sp->active, 0, (long)sp->active.n);
		sp->has_exponent = 0;
	} else {
		sp->mantissa = u16_sub(&sp->active, 0, ep);
		sp->exponent = u16_sub(&sp->active, ep + 1, (long)sp->active.n);
		sp->has_exponent = 1;
	}
	long dp = u16_index(&sp->mantissa, &f->prop[P_DEC], 0);
	if (dp == -1) {
		sp->integer = u16_sub(&sp->mantissa, 0, (long)sp->mantissa.n);
		sp->fraction = u16_sub(&sp->suffix, 0, (long)sp->suffix.n);
	} else {
		sp->integer = u16_sub(&sp->mantissa, 0, dp);
		sp->fraction = u16_sub(&sp->mantissa, dp + 1, (long)sp->mantissa.n);
	}
	return 1;
}

static const char *const number_messages[] = {
	"The picture string must only contain a maximum of two sub-pictures",
	"The sub-picture must not contain more than one instance of the 'decimal-separator' character",
	"The sub-picture must not contain more than one instance of the 'percent' character",
	"The sub-picture must not contain more than one instance of the 'per-mille' character",
	"The sub-picture must not contain both a 'percent' and a 'per-mille' character",
	"The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'",
	"The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character",
	"The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character",
	"The sub-picture must not contain a 'grouping-separator' at the end of the integer part",
	"The sub-picture must not contain two adjacent instances of the 'grouping-separator' character",
	"The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'",
	"The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'",
	"A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'",
	"The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'",
};

static jsonata_fmt_status number_error(jsonata_fmt_error *err, int code)
{
	char c[6] = {'D', '3', '0', (char)('0' + code / 10 % 10), (char)('0' + code % 10), 0};
	return fail(err, c, number_messages[code - 80]);
}

static long count_digits(const numfmt *f, const u16 *s, long a, long b, int opt)
{
	long k = 0;
	for (long i = a; i < b; i++)
		if (nf_is_digit(f, s->p[i]) || (opt && nf_is(f, P_DIGIT, s->p[i])))
			k++;
	return k;
}

/* validate (F&O 4.7.3): the code of the last rule broken, or 0. */
static int validate(const numfmt *f, const subpic *sp)
{
	int error = 0;
	const u16 *sub = &sp->sub;
	long dp = u16_index(sub, &f->prop[P_DEC], 0);
	if (dp != u16_last_index(sub, &f->prop[P_DEC]))
		error = 81;
	if (u16_index(sub, &f->prop[P_PCT], 0) != u16_last_index(sub, &f->prop[P_PCT]))
		error = 82;
	if (u16_index(sub, &f->prop[P_PERMILLE], 0) !=
	    u16_last_index(sub, &f->prop[P_PERMILLE]))
		error = 83;
	if (u16_index(sub, &f->prop[P_PCT], 0) != -1 &&
	    u16_index(sub, &f->prop[P_PERMILLE], 0) != -1)
		error = 84;
	if (!count_digits(f, &sp->mantissa, 0, (long)sp->mantissa.n, 1))
		error = 85;
	for (size_t i = 0; i < sp->active.n; i++)
		if (!nf_is_active(f, sp->active.p[i]))
			error = 86;
	if (dp != -1) {
		if (u16_char_is(sub, dp - 1, &f->prop[P_GROUP]) ||
		    u16_char_is(sub, dp + 1, &f->prop[P_GROUP]))
			error = 87;
	} else if (u16_char_is(&sp->integer, (long)sp->integer.n - 1, &f->prop[P_GROUP]))
		error = 88;
	u16 gg = {0};
	u16_cat(&gg, &f->prop[P_GROUP]);
	u16_cat(&gg, &f->prop[P_GROUP]);
	if (u16_index(sub, &gg, 0) != -1)
		error = 89;
	u16_free(&gg);
	long od = u16_index(&sp->integer, &f->prop[P_DIGIT], 0);
	if (od != -1 && count_digits(f, &sp->integer, 0, od, 0) > 0)
		error = 90;
	od = u16_last_index(&sp->fraction, &f->prop[P_DIGIT]);
	if (od != -1 && count_digits(f, &sp->fraction, od, (long)sp->fraction.n, 0) > 0)
		error = 91;
	if (sp->has_exponent && sp->exponent.n > 0 &&
	    (u16_index(sub, &f->prop[P_PCT], 0) != -1 ||
	    u16_index(sub, &f->prop[P_PERMILLE], 0) != -1))
		error = 92;
	if (sp->has_exponent && (sp->exponent.n == 0 ||
	    count_digits(f, &sp->exponent, 0, (long)sp->exponent.n, 0) !=
	    (long)sp->exponent.n))
		error = 93;
	return error;
}

/* getGroupingPositions: the next separator is looked for in the integer
 * part even for the fractional part, as jsonata-js does. */
static int grouping_positions(const numfmt *f, const subpic *sp, const u16 *part,
    int to_left, long *pos)
{
	int k = 0;
	long g = u16_index(part, &f->prop[P_GROUP], 0);
	while (g != -1 && k < 64) {
		pos[k++] = to_left ? count_digits(f, part, 0, g < (long)part->n ? g : (long)part->n, 1) :
		    count_digits(f, part, g, (long)part->n, 1);
		g = u16_index(&sp->integer, &f->prop[P_GROUP], g + 1);
	}
	return k;
}

static long gcd(long a, long b)
{
	return b == 0 ? a : gcd(b, a % b);
}

/* the interval when the positions are regular, else 0 */
static long regular_interval(const long *idx, int n)
{
	if (n == 0)
		return 0;
	long factor = idx[0];
	for (int i = 1; i < n; i++)
		factor = gcd(factor, idx[i]);
	for (int i = 1; i <= n; i++) {
		int found = 0;
		for (int j = 0; j < n; j++)
			if (idx[j] == i * factor)
				found = 1;
		if (!found)
			return 0;
	}
	return factor;
}

static void analyse(const numfmt *f, const subpic *sp, picvars *v)
{
	v->n_int_groups = grouping_positions(f, sp, &sp->integer, 0, v->int_groups);
	v->regular = regular_interval(v->int_groups, v->n_int_groups);
	v->n_frac_groups = grouping_positions(f, sp, &sp->fraction, 1, v->frac_groups);
	v->min_int = count_digits(f, &sp->integer, 0, (long)sp->integer.n, 0);
	v->scaling = v->min_int;
	v->min_frac = count_digits(f, &sp->fraction, 0, (long)sp->fraction.n, 0);
	v->max_frac = count_digits(f, &sp->fraction, 0, (long)sp->fraction.n, 1);
	if (v->min_int == 0 && v->max_frac == 0) {
		if (sp->has_exponent)
			v->min_frac = v->max_frac = 1;
		else
			v->min_int = 1;
	}
	if (sp->has_exponent && v->min_int == 0 &&
	    u16_index(&sp->integer, &f->prop[P_DIGIT], 0) != -1)
		v->min_int = 1;
	if (v->min_int == 0 && v->min_frac == 0)
		v->min_frac = 1;
	v->min_exp = sp->has_exponent ?
	    count_digits(f, &sp->exponent, 0, (long)sp->exponent.n, 0) : 0;
}

static void repeat(u16 *s, const u16 *t, long times)
{
	for (long i = 0; i < times; i++)
		u16_cat(s, t);
}

/* makeString: abs(value).toFixed(dp) in the picture's digits */
static int make_string(const numfmt *f, double value, long dp, u16 *out)
{
	if (js_to_fixed(fabs(value), (int)dp, out))
		return -1;
	for (size_t i = 0; i < out->n; i++)
		if (out->p[i] >= '0' && out->p[i] <= '9')
			out->p[i] = f->family[out->p[i] - '0'];
	return 0;
}

/* picture.split(pattern-separator), at most three parts (a third is an
 * error): how many. */
static int split_picture(const numfmt *f, const u16 *picture, u16 subs[3])
{
	int nsubs = 0;
	const u16 *ps = &f->prop[P_PATSEP];
	if (ps->n == 0) {
		for (size_t i = 0; i < picture->n && nsubs < 3; i++)
			subs[nsubs++] = u16_sub(picture, (long)i, (long)i + 1);
	} else {
		long from = 0;
		while (nsubs < 3) {
			long at = u16_index(picture, ps, from);
			if (at == -1) {
				subs[nsubs++] = u16_sub(picture, from, (long)picture->n);
				break;
			}
			subs[nsubs++] = u16_sub(picture, from, at);
			from = at + (long)ps->n;
		}
	}
	return nsubs;
}

/* The mantissa of a number shown with an exponent, scaled into the
 * picture's integer digits; *exponent the power of ten taken out. */
static double scale_mantissa(const picvars *pic, double mantissa, long *exponent)
{
	if (isfinite(mantissa) && mantissa != 0) {
		/* jsonata-js loops for ever on zero or a negative number here:
		 * zero keeps the exponent 0, a negative number scales as its
		 * magnitude does */
		double maxm = pow(10, (double)pic->scaling), minm = pow(10, (double)pic->scaling - 1);
		double mag = fabs(mantissa);
		while (mag < minm) {
			mag *= 10;
			(*exponent)--;
		}
		while (mag > maxm) {
			mag /= 10;
			(*exponent)++;
		}
		mantissa = mantissa < 0 ? -mag : mag;
	}
	return mantissa;
}

/* The digits of s (a number as toFixed writes it) laid out as the
 * picture says: its decimal separator, no leading or trailing zeros but
 * the minimum digits, the grouping separators, no separator at the end
 * when the picture has none or no fraction is left. */
static void lay_out(const numfmt *f, const picvars *pic, const subpic *ppart, u16 *sp)
{
	u16 s = *sp;
	const u16 *decsep = &f->prop[P_DEC], *zero = &f->prop[P_ZERO],
	    *group = &f->prop[P_GROUP];
	long point = u16_index_char(&s, '.', 0);
	if (point == -1)
		u16_cat(&s, decsep);
	else {
		u16 t = {0};
		u16 a = u16_sub(&s, 0, point), b = u16_sub(&s, point + 1, (long)s.n);
		u16_cat(&t, &a);
		u16_cat(&t, decsep);
		u16_cat(&t, &b);
		u16_free(&a);
		u16_free(&b);
		u16_free(&s);
		s = t;
	}
	size_t lead = 0;
	while (lead < s.n && u16_char_is(&s, (long)lead, zero))
		lead++;
	if (lead) {
		memmove(s.p, s.p + lead, (s.n - lead) * sizeof *s.p);
		s.n -= lead;
	}
	while (s.n && u16_char_is(&s, (long)s.n - 1, zero))
		s.n--;
	long dpos = u16_index(&s, decsep, 0);
	long pad_left = pic->min_int - dpos;
	long pad_right = pic->min_frac - ((long)s.n - dpos - 1);
	if (pad_left > 0) {
		u16 t = {0};
		repeat(&t, zero, pad_left);
		u16_insert(&s, 0, &t);
		u16_free(&t);
	}
	if (pad_right > 0)
		repeat(&s, zero, pad_right);
	dpos = u16_index(&s, decsep, 0);
	if (pic->regular > 0) {
		long groups = (long)floor((double)(dpos - 1) / (double)pic->regular);
		for (long g = 1; g <= groups; g++)
			u16_insert(&s, dpos - g * pic->regular, group);
	} else {
		for (int i = 0; i < pic->n_int_groups; i++) {
			u16_insert(&s, dpos - pic->int_groups[i], group);
			dpos++;
		}
	}
	dpos = u16_index(&s, decsep, 0);
	for (int i = 0; i < pic->n_frac_groups; i++)
		u16_insert(&s, pic->frac_groups[i] + dpos + 1, group);
	dpos = u16_index(&s, decsep, 0);
	if (u16_index(&ppart->sub, decsep, 0) == -1 || dpos == (long)s.n - 1) {
		if (s.n)
			s.n--;
	}
	*sp = s;
}

/* The exponent appended to s: its separator, its sign, its digits padded
 * to the picture's minimum. */
static void append_exponent(const numfmt *f, const picvars *pic, long exponent, u16 *s)
{
	const u16 *zero = &f->prop[P_ZERO];
	u16 e = {0};
	make_string(f, (double)exponent, 0, &e);
	long pad = pic->min_exp - (long)e.n;
	if (pad > 0) {
		u16 t = {0};
		repeat(&t, zero, pad);
		u16_insert(&e, 0, &t);
		u16_free(&t);
	}
	u16_cat(s, &f->prop[P_EXP]);
	if (exponent < 0)
		u16_cat(s, &f->prop[P_MINUS]);
	u16_cat(s, &e);
	u16_free(&e);
}

static jsonata_fmt_status format_with(const numfmt *f, double value,
    const u16 *picture, u16 *out, jsonata_fmt_error *err)
{
	u16 subs[3] = {{0}};
	int nsubs = split_picture(f, picture, subs);
	jsonata_fmt_status st = JSONATA_FMT_OK;
	subpic sp[2];
	memset(sp, 0, sizeof sp);
	picvars vars[2];
	if (nsubs > 2 || nsubs == 0) {
		st = number_error(err, 80);
		goto done;
	}
	for (int i = 0; i < nsubs; i++)
		if (!split_parts(f, &subs[i], &sp[i])) {
			st = number_error(err, 85);
			goto done;
		}
	for (int i = 0; i < nsubs; i++) {
		int e = validate(f, &sp[i]);
		if (e) {
			st = number_error(err, e);
			goto done;
		}
	}
	for (int i = 0; i < nsubs; i++)
		analyse(f, &sp[i], &vars[i]);
	u16 minus = {0};
	if (nsubs == 1) {
		vars[1] = vars[0];
		u16_cat(&minus, &f->prop[P_MINUS]);
		u16_cat(&minus, &sp[0].prefix);
	}
	int which = value >= 0 ? 0 : 1;
	const picvars *pic = &vars[which];
	const subpic *ppart = &sp[nsubs == 1 ? 0 : which];
	const u16 *prefix = nsubs == 1 && which == 1 ? &minus : &ppart->prefix;
	double adjusted = value;
	if (u16_index(&ppart->sub, &f->prop[P_PCT], 0) != -1)
		adjusted = value * 100;
	else if (u16_index(&ppart->sub, &f->prop[P_PERMILLE], 0) != -1)
		adjusted = value * 1000;
	double mantissa = adjusted;
	long exponent = 0;
	int has_exp = pic->min_exp != 0;
	if (has_exp)
		mantissa = scale_mantissa(pic, mantissa, &exponent);
	double rounded = js_round(mantissa, (int)pic->max_frac);
	u16 s = {0};
	if (make_string(f, rounded, pic->max_frac, &s)) {
		u16_free(&minus);
		st = fail(err, "", "toFixed() digits argument must be between 0 and 100");
		goto done;
	}
	lay_out(f, pic, ppart, &s);
	if (has_exp)
		append_exponent(f, pic, exponent, &s);
	u16_cat(out, prefix);
	u16_cat(out, &s);
	u16_cat(out, &ppart->suffix);
	u16_free(&s);
	u16_free(&minus);
done:
	for (int i = 0; i < 3; i++)
		u16_free(&subs[i]);
	subpic_free(&sp[0]);
	subpic_free(&sp[1]);
	return st;
}

static jsonata_fmt_status finish(u16 *s, jsonata_fmt_status st, char **out,
    jsonata_fmt_error *err)
{
	if (st == JSONATA_FMT_OK) {
		char *r = u16_to_utf8(s);
		if (!r)
			st = nomem(err);
		else
			*out = r;
	}
	u16_free(s);
	return st;
}

jsonata_fmt_status jsonata_format_number(double value, const char *picture,
    const jsonata_number_options *options, char **out, jsonata_fmt_error *err)
{
	static const char *const defaults[P_COUNT] = {".", ",", "e", "Infinity",
		"NaN", "-", "%", "\xe2\x80\xb0", "0", "#", ";"};
	const char *given[P_COUNT] = {0};
	if (options) {
		given[P_DEC] = options->decimal_separator;
		given[P_GROUP] = options->grouping_separator;
		given[P_EXP] = options->exponent_separator;
		given[P_INF] = options->infinity;
		given[P_NAN] = options->nan;
		given[P_MINUS] = options->minus_sign;
		given[P_PCT] = options->percent;
		given[P_PERMILLE] = options->per_mille;
		given[P_ZERO] = options->zero_digit;
		given[P_DIGIT] = options->digit;
		given[P_PATSEP] = options->pattern_separator;
	}
	numfmt f;
	int oom = 0;
	for (int i = 0; i < P_COUNT; i++) {
		f.prop[i] = u16_of(given[i] ? given[i] : defaults[i]);
		oom |= f.prop[i].oom;
	}
	/* charCodeAt(0) of an empty zero-digit is NaN: no digit family */
	uint16_t z = f.prop[P_ZERO].n ? f.prop[P_ZERO].p[0] : 0xFFFF;
	for (int i = 0; i < 10; i++)
		f.family[i] = z == 0xFFFF ? 0xFFFF : (uint16_t)(z + i);
	u16 pic = u16_of(picture), s = {0};
	jsonata_fmt_status st = oom || pic.oom ? nomem(err) :
	    format_with(&f, value, &pic, &s, err);
	if (st == JSONATA_FMT_OK && s.oom)
		st = nomem(err);
	u16_free(&pic);
	for (int i = 0; i < P_COUNT; i++)
		u16_free(&f.prop[i]);
	return finish(&s, st, out, err);
}

/* ------------------------------------------------------------ $formatBase */

jsonata_fmt_status jsonata_format_base(double value, int has_radix,
    double radix, char **out, jsonata_fmt_error *err)
{
	value = js_round(value, 0);
	radix = has_radix ? js_round(radix, 0) : 10;
	if (!(radix >= 2 && radix <= 36)) {
		u16 r = {0};
		js_number_string(radix, &r);
		char *t = u16_to_utf8(&r);
		u16_free(&r);
		jsonata_fmt_status st = failv(err, "D3100",
		    "The radix of the formatBase function must be between 2 and 36.  It was given ",
		    t ? (isnan(radix) ? "null" : t) : "", "");
		free(t);
		return st;
	}
	u16 s = {0};
	int b = (int)radix;
	if (b == 10 || !isfinite(value))
		js_number_string(value, &s);
	else {
		double v = fabs(value);
		char buf[1100];
		int k = 0;
		do {
			double d = fmod(v, b);
			buf[k++] = "0123456789abcdefghijklmnopqrstuvwxyz"[(int)d];
			v = (v - d) / b;
		} while (v >= 1 && k < (int)sizeof buf);
		if (value < 0)
			u16_push(&s, '-');
		while (k > 0)
			u16_push(&s, (uint16_t)buf[--k]);
	}
	return finish(&s, JSONATA_FMT_OK, out, err);
}

/* ------------------------------------------------------------ integers */

enum { F_DECIMAL, F_LETTERS, F_ROMAN, F_WORDS, F_SEQUENCE };
enum { C_LOWER, C_UPPER, C_TITLE };

typedef struct {
	long position;
	uint32_t character;
} groupsep;

typedef struct {
	int primary, tcase, ordinal;
	uint32_t zero;
	long mandatory, optional, parse_width;
	int regular;
	groupsep regular_sep;
	groupsep seps[64]; /* leftmost first */
	int nseps;
	u16 token;         /* the picture of an unsupported sequence */
} intfmt;

static const uint32_t decimal_groups[] = {0x30, 0x0660, 0x06F0, 0x07C0, 0x0966,
	0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
	0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
	0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900,
	0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

/* code points of a u16 string (stringToArray) */
static size_t code_points(const u16 *s, size_t a, size_t b, uint32_t *cp)
{
	size_t k = 0;
	for (size_t i = a; i < b; i++) {
		uint32_t c = s->p[i];
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < b && s->p[i + 1] >= 0xDC00 &&
		    s->p[i + 1] < 0xE000) {
			c = 0x10000 + ((c - 0xD800) << 10) + (s->p[i + 1] - 0xDC00);
			i++;
		}
		cp[k++] = c;
	}
	return k;
}

static jsonata_fmt_status d3131(jsonata_fmt_error *err)
{
	return fail(err, "D3131",
	    "In a decimal digit pattern, all digits must be from the same decimal group");
}

/* analyseIntegerPicture(picture[a..b)) */
/* The grouping separators of a decimal picture (right to left, seps[i]
 * at seps[i].position digits from the right) into f: regular when they
 * are the same character at the same interval. */
static void analyse_grouping(intfmt *f, const groupsep *seps, int nseps)
{
	long idx[64] = {0};
	int same = 1;
	for (int i = 0; i < nseps; i++) {
		idx[i] = seps[i].position;
		if (seps[i].character != seps[0].character)
			same = 0;
	}
	long reg = same ? regular_interval(idx, nseps) : 0;
	if (reg > 0) {
		f->regular = 1;
		f->regular_sep.position = reg;
		f->regular_sep.character = seps[0].character;
	} else {
		f->nseps = nseps;
		for (int i = 0; i < nseps; i++)
			f->seps[i] = seps[nseps - 1 - i];
	}
}

/* A primary token that is no letter, Roman or words picture: decimal
 * digits of one family with optional digits and grouping separators, or
 * (no mandatory digit) a sequence token. */
static jsonata_fmt_status analyse_decimal(const u16 *primary, intfmt *f,
    jsonata_fmt_error *err)
{
	uint32_t *cp = malloc((primary->n + 1) * sizeof *cp);
	if (!cp)
		return nomem(err);
	size_t n = code_points(primary, 0, primary->n, cp);
	int have_zero = 0;
	long position = 0;
	groupsep seps[64];
	int nseps = 0;
	for (size_t r = n; r-- > 0;) { /* right to left */
		uint32_t c = cp[r];
		int digit = 0;
		for (size_t g = 0; g < sizeof decimal_groups / sizeof *decimal_groups; g++) {
			uint32_t grp = decimal_groups[g];
			if (c >= grp && c <= grp + 9) {
				digit = 1;
				f->mandatory++;
				position++;
				if (!have_zero) {
					f->zero = grp;
					have_zero = 1;
				} else if (grp != f->zero) {
					free(cp);
					return d3131(err);
				}
				break;
			}
		}
		if (!digit) {
			if (c == '#') {
				position++;
				f->optional++;
			} else if (nseps < 64) {
				seps[nseps].position = position;
				seps[nseps++].character = c;
			}
		}
	}
	free(cp);
	if (f->mandatory > 0) {
		analyse_grouping(f, seps, nseps);
	} else {
		f->primary = F_SEQUENCE;
		f->token = u16_sub(primary, 0, (long)primary->n);
	}
	return JSONATA_FMT_OK;
}

static jsonata_fmt_status analyse_integer(const u16 *pic, intfmt *f,
    jsonata_fmt_error *err)
{
	memset(f, 0, sizeof *f);
	f->primary = F_DECIMAL;
	f->tcase = C_LOWER;
	long semi = -1;
	for (size_t i = 0; i < pic->n; i++)
		if (pic->p[i] == ';')
			semi = (long)i;
	u16 primary = semi == -1 ? u16_sub(pic, 0, (long)pic->n) : u16_sub(pic, 0, semi);
	if (semi != -1 && (size_t)semi + 1 < pic->n && pic->p[semi + 1] == 'o')
		f->ordinal = 1;
	jsonata_fmt_status st = JSONATA_FMT_OK;
	if (u16_eq_ascii(&primary, "A") || u16_eq_ascii(&primary, "a")) {
		f->primary = F_LETTERS;
		f->tcase = primary.p[0] == 'A' ? C_UPPER : C_LOWER;
	} else if (u16_eq_ascii(&primary, "I") || u16_eq_ascii(&primary, "i")) {
		f->primary = F_ROMAN;
		f->tcase = primary.p[0] == 'I' ? C_UPPER : C_LOWER;
	} else if (u16_eq_ascii(&primary, "W")) {
		f->primary = F_WORDS;
		f->tcase = C_UPPER;
	} else if (u16_eq_ascii(&primary, "Ww")) {
		f->primary = F_WORDS;
		f->tcase = C_TITLE;
	} else if (u16_eq_ascii(&primary, "w")) {
		f->primary = F_WORDS;
	} else {
		st = analyse_decimal(&primary, f, err);
	}
	u16_free(&primary);
	return st;
}

static jsonata_fmt_status d3130(const intfmt *f, jsonata_fmt_error *err)
{
	char q[400];
	json_quote(&f->token, q, sizeof q);
	return failv(err, "D3130",
	    "Formatting or parsing an integer as a sequence starting with ", q,
	    " is not supported by this implementation");
}

static const char *const few[] = {"Zero", "One", "Two", "Three", "Four", "Five",
	"Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen",
	"Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
static const char *const ordinals[] = {"Zeroth", "First", "Second", "Third",
	"Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
	"Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth",
	"Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"};
static const char *const decades[] = {"Twenty", "Thirty", "Forty", "Fifty",
	"Sixty", "Seventy", "Eighty", "Ninety", "Hundred"};
static const char *const magnitudes[] = {"Thousand", "Million", "Billion",
	"Trillion"};

/* numberToWords' lookup; depth guards the recursion on absurd values */
static int words_lookup(double num, int prev, int ord, u16 *w, int depth)
{
	if (depth > 200 || !isfinite(num))
		return -1;
	if (num <= 19) {
		if (prev)
			u16_ascii(w, " and ");
		u16_ascii(w, ord ? ordinals[(int)num] : few[(int)num]);
	} else if (num < 100) {
		int tens = (int)floor(num / 10), rem = (int)fmod(num, 10);
		if (prev)
			u16_ascii(w, " and ");
		u16_ascii(w, decades[tens - 2]);
		if (rem > 0) {
			u16_push(w, '-');
			return words_lookup(rem, 0, ord, w, depth + 1);
		} else if (ord) {
			w->n--;
			u16_ascii(w, "ieth");
		}
	} else if (num < 1000) {
		int hundreds = (int)floor(num / 100);
		double rem = fmod(num, 100);
		if (prev)
			u16_ascii(w, ", ");
		u16_ascii(w, few[hundreds]);
		u16_ascii(w, " Hundred");
		if (rem > 0)
			return words_lookup(rem, 1, ord, w, depth + 1);
		else if (ord)
			u16_ascii(w, "th");
	} else {
		int mag = (int)floor(log10(num) / 3);
		if (mag > 4)
			mag = 4;
		double factor = pow(10, mag * 3);
		double mant = floor(num / factor);
		double rem = num - mant * factor;
		if (prev)
			u16_ascii(w, ", ");
		if (words_lookup(mant, 0, 0, w, depth + 1))
			return -1;
		u16_push(w, ' ');
		u16_ascii(w, magnitudes[mag - 1]);
		if (rem > 0)
			return words_lookup(rem, 1, ord, w, depth + 1);
		else if (ord)
			u16_ascii(w, "th");
	}
	return 0;
}

static const struct {
	int value;
	const char *numeral;
} roman[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
	{90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"},
	{4, "iv"}, {1, "i"}};

/* The decimal digits of value in the picture's digit family (its zero
 * f->zero), padded to its mandatory digits, into s. */
static jsonata_fmt_status decimal_digits(double value, const intfmt *f, u16 *s,
    jsonata_fmt_error *err)
{
	u16 num = {0};
	js_number_string(value, &num);
	long pad = f->mandatory - (long)num.n;
	for (long i = 0; i < pad; i++)
		u16_push(s, '0');
	u16_cat(s, &num);
	u16_free(&num);
	if (f->zero != 0x30) {
		uint32_t *cp = malloc((s->n + 1) * sizeof *cp);
		if (!cp) {
			u16_free(s);
			return nomem(err);
		}
		size_t n = code_points(s, 0, s->n, cp);
		s->n = 0;
		for (size_t i = 0; i < n; i++)
			u16_push_cp(s, cp[i] + f->zero - 0x30);
		free(cp);
	}
	return JSONATA_FMT_OK;
}

/* The picture's grouping separators put into the digits s: every
 * f->regular_sep.position digits, or at each of f->seps. */
static void group_digits(const intfmt *f, u16 *s)
{
	if (f->regular) {
		u16 sep = {0};
		u16_push_cp(&sep, f->regular_sep.character);
		long n = (long)floor((double)((long)s->n - 1) / (double)f->regular_sep.position);
		for (long i = n; i > 0; i--)
			u16_insert(s, (long)s->n - i * f->regular_sep.position, &sep);
		u16_free(&sep);
	} else {
		for (int i = 0; i < f->nseps; i++) {
			/* substr(0, pos) + sep + substr(pos) */
			long pos = (long)s->n - f->seps[i].position;
			u16 a = pos > 0 ? u16_sub(s, 0, pos) : (u16){0};
			u16 b = u16_slice(s, pos, (long)s->n);
			s->n = 0;
			u16_cat(s, &a);
			u16_push_cp(s, f->seps[i].character);
			u16_cat(s, &b);
			u16_free(&a);
			u16_free(&b);
		}
	}
}

/* An ordinal's suffix after the digits s: st, nd, rd or th. */
static void ordinal_suffix(u16 *s)
{
	const char *suffix = NULL;
	uint16_t last = s->n ? s->p[s->n - 1] : 0;
	if (last == '1')
		suffix = "st";
	else if (last == '2')
		suffix = "nd";
	else if (last == '3')
		suffix = "rd";
	if (!suffix || (s->n > 1 && s->p[s->n - 2] == '1'))
		suffix = "th";
	u16_ascii(s, suffix);
}

/* _formatInteger; value is an integer (or NaN for an invalid date) */
static jsonata_fmt_status format_int(double value, const intfmt *f, u16 *out,
    jsonata_fmt_error *err)
{
	int negative = value < 0;
	value = fabs(value);
	u16 s = {0};
	switch (f->primary) {
	case F_LETTERS: {
		char buf[64];
		int k = 0;
		while (value > 0 && k < 64) {
			buf[k++] = (char)(fmod(value - 1, 26) + (f->tcase == C_UPPER ? 'A' : 'a'));
			value = floor((value - 1) / 26);
		}
		while (k > 0)
			u16_push(&s, (uint16_t)buf[--k]);
		break;
	}
	case F_ROMAN:
		if (value / 1000 > 100000) {
			u16_free(&s);
			return fail(err, "", "Maximum call stack size exceeded");
		}
		for (size_t i = 0; i < sizeof roman / sizeof *roman; i++)
			while (value >= roman[i].value) {
				u16_ascii(&s, roman[i].numeral);
				value -= roman[i].value;
			}
		if (f->tcase == C_UPPER)
			u16_upper(&s);
		break;
	case F_WORDS:
		if (words_lookup(value, 0, f->ordinal, &s, 0)) {
			u16_free(&s);
			return fail(err, "", "Maximum call stack size exceeded");
		}
		if (f->tcase == C_UPPER)
			u16_upper(&s);
		else if (f->tcase == C_LOWER)
			u16_lower(&s);
		break;
	case F_DECIMAL: {
		jsonata_fmt_status st = decimal_digits(value, f, &s, err);
		if (st != JSONATA_FMT_OK)
			return st;
		group_digits(f, &s);
		if (f->ordinal)
			ordinal_suffix(&s);
		break;
	}
	default:
		u16_free(&s);
		return d3130(f, err);
	}
	if (negative)
		u16_push(out, '-');
	u16_cat(out, &s);
	u16_free(&s);
	return JSONATA_FMT_OK;
}

static jsonata_fmt_status format_integer_u16(double value, const u16 *picture,
    u16 *out, jsonata_fmt_error *err)
{
	intfmt f;
	jsonata_fmt_status st = analyse_integer(picture, &f, err);
	if (st == JSONATA_FMT_OK)
		st = format_int(floor(value), &f, out, err);
	u16_free(&f.token);
	return st;
}

jsonata_fmt_status jsonata_format_integer(double value, const char *picture,
    char **out, jsonata_fmt_error *err)
{
	u16 pic = u16_of(picture), s = {0};
	jsonata_fmt_status st = pic.oom ? nomem(err) :
	    format_integer_u16(value, &pic, &s, err);
	u16_free(&pic);
	if (st == JSONATA_FMT_OK && s.oom)
		st = nomem(err);
	return finish(&s, st, out, err);
}

/* ------------------------------------------------------------ $parseInteger */

static int js_space(uint16_t c)
{
	return c == ' ' || (c >= 9 && c <= 13) || c == 0xA0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* the value of one lower-case word, or -1 */
static double word_value(const u16 *w)
{
	char buf[32];
	if (w->n >= sizeof buf)
		return -1;
	for (size_t i = 0; i < w->n; i++) {
		if (w->p[i] > 127)
			return -1;
		buf[i] = (char)w->p[i];
	}
	buf[w->n] = 0;
	for (int i = 0; i < 20; i++) {
		char l[32];
		snprintf(l, sizeof l, "%s", few[i]);
		l[0] = (char)(l[0] + 32);
		if (!strcmp(buf, l))
			return i;
		snprintf(l, sizeof l, "%s", ordinals[i]);
		l[0] = (char)(l[0] + 32);
		if (!strcmp(buf, l))
			return i;
	}
	for (int i = 0; i < 9; i++) {
		char l[32];
		snprintf(l, sizeof l, "%s", decades[i]);
		l[0] = (char)(l[0] + 32);
		if (!strcmp(buf, l))
			return (i + 2) * 10;
		size_t n = strlen(l);
		snprintf(l + n - 1, sizeof l - (n - 1), "ieth");
		if (!strcmp(buf, l))
			return (i + 2) * 10;
	}
	if (!strcmp(buf, "hundredth"))
		return 100;
	for (int i = 0; i < 4; i++) {
		char l[32];
		snprintf(l, sizeof l, "%s", magnitudes[i]);
		l[0] = (char)(l[0] + 32);
		double v = pow(10, (i + 1) * 3);
		if (!strcmp(buf, l))
			return v;
		strcat(l, "th");
		if (!strcmp(buf, l))
			return v;
	}
	return -1;
}

/* wordsToNumber: split on /,\s|\sand\s|[\s\\-]/ and add up */
static double words_to_number(const u16 *text)
{
	double segs[256];
	int nseg = 1;
	segs[0] = 0;
	size_t i = 0, start = 0;
	int more = 1;
	while (more) {
		size_t end = text->n, next = text->n;
		more = 0;
		for (size_t j = i; j < text->n; j++) {
			uint16_t c = text->p[j];
			if (c == ',' && j + 1 < text->n && js_space(text->p[j + 1])) {
				end = j;
				next = j + 2;
			} else if (js_space(c) && j + 4 < text->n && text->p[j + 1] == 'a' &&
			    text->p[j + 2] == 'n' && text->p[j + 3] == 'd' && js_space(text->p[j + 4])) {
				end = j;
				next = j + 5;
			} else if (js_space(c) || c == '\\' || c == '-') {
				end = j;
				next = j + 1;
			} else
				continue;
			more = 1;
			break;
		}
		u16 w = u16_sub(text, (long)start, (long)end);
		double v = word_value(&w);
		u16_free(&w);
		if (v < 0)
			return NAN; /* undefined arithmetic */
		if (v < 100) {
			double top = segs[--nseg];
			if (top >= 1000) {
				segs[nseg++] = top;
				top = 0;
			}
			if (nseg < 256)
				segs[nseg++] = top + v;
		} else {
			segs[nseg - 1] *= v;
		}
		start = i = next;
	}
	double r = 0;
	for (int k = 0; k < nseg; k++)
		r += segs[k];
	return r;
}

static double roman_to_decimal(const u16 *s)
{
	double decimal = 0, max = 1;
	for (size_t i = s->n; i-- > 0;) {
		double v;
		switch (s->p[i]) {
		case 'M': v = 1000; break;
		case 'D': v = 500; break;
		case 'C': v = 100; break;
		case 'L': v = 50; break;
		case 'X': v = 10; break;
		case 'V': v = 5; break;
		case 'I': v = 1; break;
		default: return NAN;
		}
		if (v < max)
			decimal -= v;
		else {
			max = v;
			decimal += v;
		}
	}
	return decimal;
}

/* the parse function of generateRegex's integer matcher */
static double parse_int_text(const intfmt *f, const u16 *text)
{
	switch (f->primary) {
	case F_LETTERS: {
		double d = 0;
		uint16_t a = f->tcase == C_UPPER ? 'A' : 'a';
		for (size_t i = 0; i < text->n; i++)
			d += ((double)text->p[text->n - i - 1] - a + 1) * pow(26, (double)i);
		return d;
	}
	case F_ROMAN: {
		u16 t = u16_sub(text, 0, (long)text->n);
		if (f->tcase != C_UPPER)
			u16_upper(&t);
		double d = roman_to_decimal(&t);
		u16_free(&t);
		return d;
	}
	case F_WORDS: {
		u16 t = u16_sub(text, 0, (long)text->n);
		u16_lower(&t);
		double d = words_to_number(&t);
		u16_free(&t);
		return d;
	}
	default: {
		u16 d = u16_sub(text, 0, f->ordinal ? (long)text->n - 2 : (long)text->n);
		u16 t = {0};
		for (size_t i = 0; i < d.n; i++) {
			uint16_t c = d.p[i];
			int drop = 0;
			if (f->regular)
				drop = c == ',';
			else
				for (int k = 0; k < f->nseps; k++)
					if (f->seps[k].character == c)
						drop = 1;
			if (!drop)
				u16_push(&t, c);
		}
		if (f->zero != 0x30)
			for (size_t i = 0; i < t.n; i++)
				t.p[i] = (uint16_t)(t.p[i] - f->zero + 0x30);
		double r = js_parse_int(&t);
		u16_free(&d);
		u16_free(&t);
		return r;
	}
	}
}

jsonata_fmt_status jsonata_parse_integer(const char *text, const char *picture,
    double *out, jsonata_fmt_error *err)
{
	u16 pic = u16_of(picture), t = u16_of(text);
	intfmt f;
	jsonata_fmt_status st = pic.oom || t.oom ? nomem(err) :
	    analyse_integer(&pic, &f, err);
	if (st == JSONATA_FMT_OK) {
		if (f.primary == F_SEQUENCE)
			st = d3130(&f, err);
		else
			*out = parse_int_text(&f, &t);
		u16_free(&f.token);
	}
	u16_free(&pic);
	u16_free(&t);
	return st;
}

/* ------------------------------------------------------------ dates */

#define MS_DAY 86400000.0

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* TimeClip */
static double time_clip(double t)
{
	if (!isfinite(t) || fabs(t) > 8.64e15)
		return NAN;
	return trunc(t) + 0.0;
}

/* MakeDay + MakeTime + MakeDate, without Date.UTC's two-digit years */
static double make_date(double y, double mo, double d, double h, double mi,
    double s, double ms)
{
	if (!isfinite(y) || !isfinite(mo) || !isfinite(d) || !isfinite(h) ||
	    !isfinite(mi) || !isfinite(s) || !isfinite(ms))
		return NAN;
	y = trunc(y);
	mo = trunc(mo);
	double ym = y + floor(mo / 12), mn = fmod(mo, 12);
	if (mn < 0)
		mn += 12;
	if (fabs(ym) > 400000)
		return NAN;
	double day = (double)days_from_civil((int64_t)ym, (int64_t)mn + 1, 1) + trunc(d) - 1;
	double tm = trunc(h) * 3600000.0 + trunc(mi) * 60000.0 + trunc(s) * 1000.0 + trunc(ms);
	return day * MS_DAY + tm;
}

/* Date.UTC(y, m, d, h, mi, s, ms) */
static double date_utc(double y, double mo, double d, double h, double mi,
    double s, double ms)
{
	if (!isnan(y) && trunc(y) >= 0 && trunc(y) <= 99)
		y = 1900 + trunc(y);
	return time_clip(make_date(y, mo, d, h, mi, s, ms));
}

typedef struct {
	double t; /* NaN for an invalid date */
	double year, month, date, wday, hours, minutes, seconds, millis;
} jsdate;

static jsdate js_date(double t)
{
	jsdate d;
	d.t = time_clip(t);
	if (isnan(d.t)) {
		d.year = d.month = d.date = d.wday = d.hours = d.minutes = d.seconds =
		    d.millis = NAN;
		return d;
	}
	double days = floor(d.t / MS_DAY), ms = d.t - days * MS_DAY;
	int64_t y;
	int m, dd;
	civil_from_days((int64_t)days, &y, &m, &dd);
	d.year = (double)y;
	d.month = m - 1;
	d.date = dd;
	d.wday = fmod(days + 4, 7);
	if (d.wday < 0)
		d.wday += 7;
	d.hours = floor(ms / 3600000);
	d.minutes = fmod(floor(ms / 60000), 60);
	d.seconds = fmod(floor(ms / 1000), 60);
	d.millis = fmod(ms, 1000);
	return d;
}

static double start_of_first_week(double year, double month)
{
	double jan1 = date_utc(year, month, 1, 0, 0, 0, 0);
	double dow = js_date(jan1).wday;
	if (dow == 0)
		dow = 7;
	return dow > 4 ? jan1 + (8 - dow) * MS_DAY : jan1 - (dow - 1) * MS_DAY;
}

static double delta_weeks(double start, double end)
{
	return (end - start) / (MS_DAY * 7) + 1;
}

/* getDateTimeFragment for the numeric components ('P' gives 0 for am, 1
 * for pm; 'C', 'E', 'Z' and unknown ones are strings or undefined and are
 * dealt with by the callers). */
static double fragment(const jsdate *dt, uint16_t c)
{
	switch (c) {
	case 'Y':
		return dt->year;
	case 'M':
		return dt->month + 1;
	case 'D':
		return dt->date;
	case 'd': {
		double today = date_utc(dt->year, dt->month, dt->date, 0, 0, 0, 0);
		double jan1 = date_utc(dt->year, 0, 1, 0, 0, 0, 0);
		return (today - jan1) / MS_DAY + 1;
	}
	case 'F':
		return dt->wday == 0 ? 7 : dt->wday;
	case 'W': {
		double y = dt->year;
		double sow1 = start_of_first_week(y, 0);
		double today = date_utc(y, dt->month, dt->date, 0, 0, 0, 0);
		double week = delta_weeks(sow1, today);
		if (week > 52) {
			if (today >= start_of_first_week(y + 1, 0))
				week = 1;
		} else if (week < 1)
			week = delta_weeks(start_of_first_week(y - 1, 0), today);
		return floor(week);
	}
	case 'w': {
		double y = dt->year, m = dt->month;
		double sow1 = start_of_first_week(y, m);
		double today = date_utc(y, m, dt->date, 0, 0, 0, 0);
		double week = delta_weeks(sow1, today);
		if (week > 4) {
			double ny = m == 11 ? y + 1 : y, nm = m == 11 ? 0 : m + 1;
			if (today >= start_of_first_week(ny, nm))
				week = 1;
		} else if (week < 1) {
			double py = m == 0 ? y - 1 : y, pm = m == 0 ? 11 : m - 1;
			week = delta_weeks(start_of_first_week(py, pm), today);
		}
		return floor(week);
	}
	case 'X': {
		double y = dt->year;
		if (dt->t < start_of_first_week(y, 0))
			return y - 1;
		if (dt->t >= start_of_first_week(y + 1, 0))
			return y + 1;
		return y;
	}
	case 'x': {
		double y = dt->year, m = dt->month;
		double ny = m == 11 ? y + 1 : y, nm = m == 11 ? 0 : m + 1;
		if (dt->t < start_of_first_week(y, m))
			return (m == 0 ? 11 : m - 1) + 1;
		if (dt->t >= start_of_first_week(ny, nm))
			return nm + 1;
		return m + 1;
	}
	case 'H':
		return dt->hours;
	case 'h': {
		double h = fmod(dt->hours, 12);
		return h == 0 ? 12 : h;
	}
	case 'P':
		return dt->hours >= 12 ? 1 : 0;
	case 'm':
		return dt->minutes;
	case 's':
		return dt->seconds;
	case 'f':
		return dt->millis;
	}
	return NAN;
}

static const char *const day_names[] = {"", "Monday", "Tuesday", "Wednesday",
	"Thursday", "Friday", "Saturday", "Sunday"};
static const char *const month_names[] = {"January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December"};

enum { N_NONE, N_LOWER, N_UPPER, N_TITLE };

typedef struct {
	int literal;
	u16 text;           /* a literal's text */
	int has_component;  /* 0 for an empty marker "[]" */
	uint16_t component;
	u16 p1;             /* presentation modifier 1 */
	uint16_t p2;        /* presentation modifier 2 ('a', 't', 'c', 'o') or 0 */
	int has_width, min_set, max_set;
	long wmin, wmax;
	int names;
	int has_int;
	intfmt ifmt;
	long n;             /* the year's width, -1 for all of it */
} dtpart;

typedef struct {
	dtpart *parts;
	size_t n, cap;
} dtpic;

static void dtpic_free(dtpic *p)
{
	for (size_t i = 0; i < p->n; i++) {
		u16_free(&p->parts[i].text);
		u16_free(&p->parts[i].p1);
		u16_free(&p->parts[i].ifmt.token);
	}
	free(p->parts);
	p->parts = NULL;
	p->n = p->cap = 0;
}

static dtpart *dtpic_add(dtpic *p)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		dtpart *np = realloc(p->parts, cap * sizeof *np);
		if (!np)
			return NULL;
		p->parts = np;
		p->cap = cap;
	}
	dtpart *d = &p->parts[p->n++];
	memset(d, 0, sizeof *d);
	return d;
}

static int add_literal(dtpic *p, const u16 *pic, long start, long end)
{
	if (end <= start)
		return 0;
	dtpart *d = dtpic_add(p);
	if (!d)
		return -1;
	d->literal = 1;
	for (long i = start; i < end; i++) {
		u16_push(&d->text, pic->p[i]);
		if (pic->p[i] == ']' && i + 1 < end && pic->p[i + 1] == ']')
			i++;
	}
	return d->text.oom ? -1 : 0;
}

static const char *default_presentation(uint16_t c)
{
	switch (c) {
	case 'Y': case 'M': case 'D': case 'd': case 'W': case 'w': case 'X':
	case 'x': case 'H': case 'h': case 'f':
		return "1";
	case 'F': case 'P': case 'C': case 'E':
		return "n";
	case 'm': case 's':
		return "01";
	case 'Z': case 'z':
		return "01:01";
	}
	return NULL;
}

static long parse_width(const u16 *s, int *set)
{
	*set = 0;
	if (s->n == 1 && s->p[0] == '*')
		return 0;
	double v = js_parse_int(s);
	if (isnan(v))
		return 0; /* parseInt's NaN: taken as no width */
	*set = 1;
	return (long)v;
}

static jsonata_fmt_status one_char_error(jsonata_fmt_error *err, const char *code,
    const char *before, const char *after, int has, uint16_t c)
{
	u16 v = {0};
	if (has)
		u16_push(&v, c);
	char q[64];
	json_quote(&v, q, sizeof q);
	u16_free(&v);
	return failv(err, code, before, q, after);
}

static jsonata_fmt_status d3132(jsonata_fmt_error *err, int has, uint16_t c)
{
	return one_char_error(err, "D3132", "Unknown component specifier ",
	    " in date/time picture string", has, c);
}

static jsonata_fmt_status d3133(jsonata_fmt_error *err, int has, uint16_t c)
{
	return one_char_error(err, "D3133",
	    "The 'name' modifier can only be applied to months and days in the date/time picture string, not ",
	    "", has, c);
}

static int in_set(const char *set, int has, uint16_t c)
{
	return has && c < 128 && c && strchr(set, c) != NULL;
}

/* analyseDateTimePicture */
/* The width modifier of a marker (after its last comma: min-max) into d;
 * the presentation modifiers before it, returned. */
static u16 marker_width(const u16 *marker, dtpart *d)
{
	long comma = -1;
	for (size_t i = 0; i < marker->n; i++)
		if (marker->p[i] == ',')
			comma = (long)i;
	u16 pres;
	if (comma != -1) {
		u16 wm = u16_sub(marker, comma + 1, (long)marker->n);
		long dash = u16_index_char(&wm, '-', 0);
		u16 mn = dash == -1 ? u16_sub(&wm, 0, (long)wm.n) : u16_sub(&wm, 0, dash);
		d->has_width = 1;
		d->wmin = parse_width(&mn, &d->min_set);
		if (dash != -1) {
			u16 mx = u16_sub(&wm, dash + 1, (long)wm.n);
			d->wmax = parse_width(&mx, &d->max_set);
			u16_free(&mx);
		}
		u16_free(&mn);
		u16_free(&wm);
		pres = u16_sub(marker, 1, comma);
	} else
		pres = u16_sub(marker, 1, (long)marker->n);
	return pres;
}

/* The presentation modifiers pres (freed or kept) into d->p1 and d->p2,
 * the component's default when there are none: whether it has one. */
static int marker_presentation(u16 pres, dtpart *d)
{
	int has_p1 = 1;
	if (pres.n == 1) {
		d->p1 = pres;
	} else if (pres.n > 1) {
		uint16_t last = pres.p[pres.n - 1];
		if (last == 'a' || last == 't' || last == 'c' || last == 'o') {
			d->p2 = last;
			d->p1 = u16_sub(&pres, 0, (long)pres.n - 1);
			u16_free(&pres);
		} else
			d->p1 = pres;
	} else {
		u16_free(&pres);
		const char *def = d->has_component ?
		    default_presentation(d->component) : NULL;
		if (def)
			u16_ascii(&d->p1, def);
		else
			has_p1 = 0;
	}
	return has_p1;
}

/* How the marker d reads and writes its value: names, an integer
 * picture (a year's width), a time zone's. */
static jsonata_fmt_status marker_formats(dtpic *out, dtpart *d,
    jsonata_fmt_error *err)
{
	jsonata_fmt_status st;
	if (d->p1.n && d->p1.p[0] == 'n')
		d->names = N_LOWER;
	else if (d->p1.n && d->p1.p[0] == 'N')
		d->names = d->p1.n > 1 && d->p1.p[1] == 'n' ? N_TITLE : N_UPPER;
	else if (in_set("YMDdFWwXxHhmsf", d->has_component, d->component)) {
		u16 ip = u16_sub(&d->p1, 0, (long)d->p1.n);
		if (d->p2) {
			u16_push(&ip, ';');
			u16_push(&ip, d->p2);
		}
		st = analyse_integer(&ip, &d->ifmt, err);
		u16_free(&ip);
		if (st != JSONATA_FMT_OK)
			return st;
		d->has_int = 1;
		if (d->has_width && d->min_set && d->ifmt.mandatory < d->wmin)
			d->ifmt.mandatory = d->wmin;
		if (d->component == 'Y') {
			d->n = -1;
			if (d->has_width && d->max_set) {
				d->n = d->wmax;
				d->ifmt.mandatory = d->n;
			} else {
				long w = d->ifmt.mandatory + d->ifmt.optional;
				if (w >= 2)
					d->n = w;
			}
		}
		/* an integer right after an integer is read at its width */
		if (out->n >= 2 && out->parts[out->n - 2].has_int)
			out->parts[out->n - 2].ifmt.parse_width =
			    out->parts[out->n - 2].ifmt.mandatory;
	}
	if (d->component == 'Z' || d->component == 'z') {
		u16_free(&d->ifmt.token);
		st = analyse_integer(&d->p1, &d->ifmt, err);
		if (st != JSONATA_FMT_OK)
			return st;
		d->has_int = 2; /* a time zone's */
	}
	return JSONATA_FMT_OK;
}

/* The marker pic[start..pos] ('[' to ']') as a part of out. */
static jsonata_fmt_status analyse_marker(const u16 *pic, long start, long pos,
    dtpic *out, jsonata_fmt_error *err)
{
	u16 marker = {0};
	for (long i = start + 1; i < pos; i++)
		if (!js_space(pic->p[i]))
			u16_push(&marker, pic->p[i]);
	dtpart *d = dtpic_add(out);
	if (!d) {
		u16_free(&marker);
		return nomem(err);
	}
	d->has_component = marker.n > 0;
	d->component = marker.n ? marker.p[0] : 0;
	u16 pres = marker_width(&marker, d);
	u16_free(&marker);
	if (!marker_presentation(pres, d))
		return d3132(err, d->has_component, d->component);
	return marker_formats(out, d, err);
}

static jsonata_fmt_status analyse_datetime(const u16 *pic, dtpic *out,
    jsonata_fmt_error *err)
{
	long start = 0, pos = 0, len = (long)pic->n;
	while (pos < len) {
		if (pic->p[pos] == '[') {
			if (pos + 1 < len && pic->p[pos + 1] == '[') {
				if (add_literal(out, pic, start, pos))
					return nomem(err);
				dtpart *d = dtpic_add(out);
				if (!d)
					return nomem(err);
				d->literal = 1;
				u16_push(&d->text, '[');
				pos += 2;
				start = pos;
				continue;
			}
			if (add_literal(out, pic, start, pos))
				return nomem(err);
			start = pos;
			pos = u16_index_char(pic, ']', start);
			if (pos == -1)
				return fail(err, "D3135",
				    "No matching closing bracket ']' in date/time picture string");
			jsonata_fmt_status st = analyse_marker(pic, start, pos, out, err);
			if (st != JSONATA_FMT_OK)
				return st;
			start = pos + 1;
		}
		pos++;
	}
	if (add_literal(out, pic, start, pos))
		return nomem(err);
	return JSONATA_FMT_OK;
}

/* ------------------------------------------------------------ $fromMillis */

static const char iso_picture[] = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/* The month (M, x) or day (F) v as a name, in the marker's case, cut to
 * its maximum width. */
static jsonata_fmt_status format_name(double v, uint16_t c, const dtpart *p,
    u16 *out, jsonata_fmt_error *err)
{
	const char *name;
	if (c == 'M' || c == 'x')
		name = v >= 1 && v <= 12 ? month_names[(int)v - 1] : NULL;
	else if (c == 'F')
		name = v >= 1 && v <= 7 ? day_names[(int)v] : NULL;
	else
		return d3133(err, 1, c);
	if (!name)
		return fail(err, "", "Invalid time value");
	u16 s = {0};
	u16_ascii(&s, name);
	if (p->names == N_UPPER)
		u16_upper(&s);
	else if (p->names == N_LOWER)
		u16_lower(&s);
	if (p->has_width && p->max_set && (long)s.n > p->wmax)
		s.n = p->wmax < 0 ? 0 : (size_t)p->wmax;
	u16_cat(out, &s);
	u16_free(&s);
	return JSONATA_FMT_OK;
}

/* A time zone (Z, z) offset off_h hours and off_m minutes: its digits as
 * the picture says, its sign, GMT for z, Z for a zero offset with t. */
static jsonata_fmt_status format_timezone(uint16_t c, const dtpart *p,
    double off_h, double off_m, u16 *out, jsonata_fmt_error *err)
{
	double offset = off_h * 100 + off_m;
	u16 s = {0};
	jsonata_fmt_status st = JSONATA_FMT_OK;
	if (p->ifmt.regular)
		st = format_int(offset, &p->ifmt, &s, err);
	else {
		long nd = p->ifmt.primary == F_DECIMAL ? p->ifmt.mandatory : 0;
		if (nd == 1 || nd == 2) {
			st = format_int(off_h, &p->ifmt, &s, err);
			if (st == JSONATA_FMT_OK && off_m != 0) {
				u16 two = {0};
				u16_ascii(&two, "00");
				u16_push(&s, ':');
				st = format_integer_u16(off_m, &two, &s, err);
				u16_free(&two);
			}
		} else if (nd == 3 || nd == 4)
			st = format_int(offset, &p->ifmt, &s, err);
		else
			st = fail(err, "D3134",
			    "The timezone integer format specifier cannot have more than four digits");
	}
	if (st != JSONATA_FMT_OK) {
		u16_free(&s);
		return st;
	}
	if (offset >= 0) {
		u16 plus = {0};
		u16_push(&plus, '+');
		u16_insert(&s, 0, &plus);
		u16_free(&plus);
	}
	if (c == 'z') {
		u16 gmt = {0};
		u16_ascii(&gmt, "GMT");
		u16_insert(&s, 0, &gmt);
		u16_free(&gmt);
	}
	if (offset == 0 && p->p2 == 't') {
		s.n = 0;
		u16_push(&s, 'Z');
	}
	u16_cat(out, &s);
	u16_free(&s);
	return JSONATA_FMT_OK;
}

static jsonata_fmt_status format_component(const jsdate *dt, const dtpart *p,
    double off_h, double off_m, u16 *out, jsonata_fmt_error *err)
{
	uint16_t c = p->has_component ? p->component : 0;
	if (in_set("YMDdFWwXxHhms", p->has_component, c)) {
		double v = fragment(dt, c);
		if (c == 'Y' && p->n != -1)
			v = fmod(v, pow(10, (double)p->n));
		if (p->names)
			return format_name(v, c, p, out, err);
		if (isnan(v) && (p->ifmt.primary == F_WORDS))
			return fail(err, "", "Invalid time value");
		return format_int(v, &p->ifmt, out, err);
	}
	if (c == 'f')
		return format_int(fragment(dt, c), &p->ifmt, out, err);
	if (c == 'Z' || c == 'z')
		return format_timezone(c, p, off_h, off_m, out, err);
	if (c == 'P') {
		u16_ascii(out, dt->hours >= 12 ? (p->names == N_UPPER ? "PM" : "pm") :
		    (p->names == N_UPPER ? "AM" : "am"));
		return JSONATA_FMT_OK;
	}
	if (c == 'C' || c == 'E') {
		u16_ascii(out, "ISO");
		return JSONATA_FMT_OK;
	}
	u16_ascii(out, "undefined"); /* JavaScript's '' + undefined */
	return JSONATA_FMT_OK;
}

jsonata_fmt_status jsonata_from_millis(double millis, const char *picture,
    const char *timezone, char **out, jsonata_fmt_error *err)
{
	double off_h = 0, off_m = 0;
	if (timezone) {
		u16 tz = u16_of(timezone);
		double offset = js_parse_int(&tz);
		u16_free(&tz);
		off_h = floor(offset / 100);
		off_m = fmod(offset, 100);
	}
	u16 pic = u16_of(picture ? picture : iso_picture), s = {0};
	dtpic spec = {0};
	jsonata_fmt_status st = pic.oom ? nomem(err) : analyse_datetime(&pic, &spec, err);
	if (st == JSONATA_FMT_OK) {
		double off_ms = (60 * off_h + off_m) * 60 * 1000;
		jsdate dt = js_date(millis + off_ms);
		for (size_t i = 0; i < spec.n && st == JSONATA_FMT_OK; i++) {
			if (spec.parts[i].literal)
				u16_cat(&s, &spec.parts[i].text);
			else
				st = format_component(&dt, &spec.parts[i], off_h, off_m, &s, err);
		}
	}
	dtpic_free(&spec);
	u16_free(&pic);
	if (st == JSONATA_FMT_OK && s.oom)
		st = nomem(err);
	return finish(&s, st, out, err);
}

/* ------------------------------------------------------------ $toMillis */

/* ^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?
 *  ([+-][0-2]\d:?[0-5]\d|Z)?$ */
static int dig(const char *s, size_t i, char lo, char hi)
{
	return s[i] >= lo && s[i] <= hi;
}

static int iso_regex(const char *s)
{
	size_t n = strlen(s), i = 0;
	for (; i < 4; i++)
		if (i >= n || !dig(s, i, '0', '9'))
			return 0;
	while (i + 3 <= n && s[i] == '-' && dig(s, i + 1, '0', '1') && dig(s, i + 2, '0', '9'))
		i += 3;
	while (i + 3 <= n && s[i] == '-' && dig(s, i + 1, '0', '3') && dig(s, i + 2, '0', '9'))
		i += 3;
	while (i + 9 <= n && s[i] == 'T' && dig(s, i + 1, '0', '2') && dig(s, i + 2, '0', '9') &&
	    s[i + 3] == ':' && dig(s, i + 4, '0', '5') && dig(s, i + 5, '0', '9') &&
	    s[i + 6] == ':' && dig(s, i + 7, '0', '5') && dig(s, i + 8, '0', '9'))
		i += 9;
	if (s[i] == '.' && dig(s, i + 1, '0', '9')) {
		i++;
		while (dig(s, i, '0', '9'))
			i++;
	}
	if (s[i] == 'Z')
		i++;
	else if ((s[i] == '+' || s[i] == '-') && dig(s, i + 1, '0', '2') && dig(s, i + 2, '0', '9')) {
		size_t j = i + 3;
		if (s[j] == ':')
			j++;
		if (dig(s, j, '0', '5') && dig(s, j + 1, '0', '9'))
			i = j + 2;
	}
	return i == n;
}

static int num_at(const char *s, size_t i, size_t len)
{
	int v = 0;
	for (size_t k = 0; k < len; k++)
		v = v * 10 + (s[i + k] - '0');
	return v;
}

/* Date.parse of a string iso_regex accepted (V8): the ES date-time forms,
 * plus an offset without its colon; a date-time without an offset is read
 * as UTC (the local time zone of a Step Functions runtime). */
static double iso_parse(const char *s)
{
	size_t n = strlen(s), i = 4;
	int y = num_at(s, 0, 4), mo = 1, d = 1, h = 0, mi = 0, sec = 0, ms = 0;
	int has_time = 0;
	if (i < n && s[i] == '-') {
		mo = num_at(s, i + 1, 2);
		i += 3;
		if (i < n && s[i] == '-') {
			d = num_at(s, i + 1, 2);
			i += 3;
		}
	}
	if (i < n && s[i] == 'T') {
		h = num_at(s, i + 1, 2);
		mi = num_at(s, i + 4, 2);
		sec = num_at(s, i + 7, 2);
		i += 9;
		has_time = 1;
	}
	if (i < n && s[i] == '.') {
		if (!has_time)
			return NAN;
		i++;
		int k = 0;
		ms = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (k < 3) {
				ms = ms * 10 + (s[i] - '0');
				k++;
			}
			i++;
		}
		while (k++ < 3)
			ms *= 10;
	}
	double off = 0;
	if (i < n) {
		if (!has_time)
			return NAN;
		if (s[i] == 'Z')
			i++;
		else if (s[i] != '+' && s[i] != '-')
			return NAN;
		else {
			int sign = s[i] == '-' ? -1 : 1;
			int oh = num_at(s, i + 1, 2), om;
			i += 3;
			if (s[i] == ':')
				i++;
			om = num_at(s, i, 2);
			i += 2;
			if (oh > 23 || om > 59)
				return NAN;
			off = sign * (oh * 60.0 + om);
		}
	}
	if (i != n)
		return NAN; /* repeated groups: not a date V8 reads */
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return NAN;
	if (h > 23 || mi > 59 || sec > 59) {
		if (!(h == 24 && mi == 0 && sec == 0 && ms == 0))
			return NAN;
	}
	return time_clip(make_date(y, mo - 1, d, h, mi, sec, ms) - off * 60000);
}

enum { M_LIT, M_CLASS, M_WORDS, M_TZ };

/* how deep the matcher may recurse: text or pictures longer than this
 * (thousands of words or markers) do not match */
#define MATCH_DEPTH 4000
enum { K_LETTER, K_ROMAN, K_DIGIT };

typedef struct {
	int type, cls, ordinal, gmt, has_sep;
	long width;
	uint16_t sep;
	const u16 *lit;
} mpart;

typedef struct {
	const mpart *parts;
	size_t np;
	const u16 *s;
	long *cs, *ce;
	long budget, depth;
	const u16 *words;
	size_t nwords;
} mctx;

static uint16_t fold(uint16_t c)
{
	return c >= 'a' && c <= 'z' ? (uint16_t)(c - 32) : c;
}

static int ci_at(const u16 *s, long pos, const uint16_t *t, size_t n)
{
	if ((size_t)pos + n > s->n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (fold(s->p[pos + (long)i]) != fold(t[i]))
			return 0;
	return 1;
}

static int in_class(int cls, uint16_t c)
{
	c = fold(c);
	switch (cls) {
	case K_LETTER:
		return c >= 'A' && c <= 'Z';
	case K_ROMAN:
		return c && strchr("MDCLXVI", c) != NULL;
	default:
		return c >= '0' && c <= '9';
	}
}

static long run(const u16 *s, long pos, int cls)
{
	long k = 0;
	while ((size_t)(pos + k) < s->n && in_class(cls, s->p[pos + k]))
		k++;
	return k;
}

static int match_from(mctx *m, size_t i, long pos);

static int found(mctx *m, size_t i, long start, long end)
{
	m->cs[i] = start;
	m->ce[i] = end;
	return match_from(m, i + 1, end);
}

/* (?:word|...|and|[\-, ])+ : greedy, alternatives in order */
static int words_rep1(mctx *m, size_t i, long start, long pos);

/* bounded: the budget of steps (backtracking) and of depth (the stack) */
static int words_rep(mctx *m, size_t i, long start, long pos)
{
	if (--m->budget < 0 || m->depth >= MATCH_DEPTH)
		return 0;
	m->depth++;
	int r = words_rep1(m, i, start, pos);
	m->depth--;
	return r;
}

static int words_rep1(mctx *m, size_t i, long start, long pos)
{
	for (size_t w = 0; w < m->nwords; w++) {
		const u16 *t = &m->words[w];
		if (!ci_at(m->s, pos, t->p, t->n))
			continue;
		long e = pos + (long)t->n;
		if (words_rep(m, i, start, e) || found(m, i, start, e))
			return 1;
	}
	if ((size_t)pos < m->s->n) {
		uint16_t c = m->s->p[pos];
		if (c == '-' || c == ',' || c == ' ')
			if (words_rep(m, i, start, pos + 1) || found(m, i, start, pos + 1))
				return 1;
	}
	return 0;
}

static int match_from1(mctx *m, size_t i, long pos);

static int match_from(mctx *m, size_t i, long pos)
{
	if (--m->budget < 0 || m->depth >= MATCH_DEPTH)
		return 0;
	m->depth++;
	int r = match_from1(m, i, pos);
	m->depth--;
	return r;
}

static int match_from1(mctx *m, size_t i, long pos)
{
	if (i == m->np)
		return (size_t)pos == m->s->n;
	const mpart *p = &m->parts[i];
	switch (p->type) {
	case M_LIT:
		return ci_at(m->s, pos, p->lit->p, p->lit->n) &&
		    found(m, i, pos, pos + (long)p->lit->n);
	case M_CLASS: {
		long r = run(m->s, pos, p->cls);
		long lo = 1, hi = r;
		if (p->width > 0) {
			if (r < p->width)
				return 0;
			lo = hi = p->width;
		}
		for (long k = hi; k >= lo; k--) {
			long e = pos + k;
			if (!p->ordinal) {
				if (found(m, i, pos, e))
					return 1;
				continue;
			}
			static const uint16_t sfx[4][2] = {{'t', 'h'}, {'s', 't'}, {'n', 'd'}, {'r', 'd'}};
			for (int x = 0; x < 4; x++)
				if (ci_at(m->s, e, sfx[x], 2) && found(m, i, pos, e + 2))
					return 1;
		}
		return 0;
	}
	case M_WORDS:
		return words_rep(m, i, pos, pos);
	default: {
		long q = pos;
		static const uint16_t gmt[3] = {'G', 'M', 'T'};
		if (p->gmt) {
			if (!ci_at(m->s, q, gmt, 3))
				return 0;
			q += 3;
		}
		if ((size_t)q >= m->s->n || (m->s->p[q] != '-' && m->s->p[q] != '+'))
			return 0;
		q++;
		long r1 = run(m->s, q, K_DIGIT);
		for (long k1 = r1; k1 >= 1; k1--) {
			long e = q + k1;
			if (!p->has_sep) {
				if (found(m, i, pos, e))
					return 1;
				continue;
			}
			if (!ci_at(m->s, e, &p->sep, 1))
				continue;
			long r2 = run(m->s, e + 1, K_DIGIT);
			for (long k2 = r2; k2 >= 1; k2--)
				if (found(m, i, pos, e + 1 + k2))
					return 1;
		}
		return 0;
	}
	}
}

/* Object.keys(wordValues) in jsonata-js's order, then 'and' */
static size_t word_list(u16 *w)
{
	size_t k = 0;
	for (int i = 0; i < 20; i++) {
		u16_ascii(&w[k], few[i]);
		u16_lower(&w[k++]);
	}
	for (int i = 0; i < 20; i++) {
		u16_ascii(&w[k], ordinals[i]);
		u16_lower(&w[k++]);
	}
	for (int i = 0; i < 9; i++) {
		u16_ascii(&w[k], decades[i]);
		u16_lower(&w[k]);
		u16 ie = u16_sub(&w[k], 0, (long)w[k].n - 1);
		u16_ascii(&ie, "ieth");
		k++;
		w[k++] = ie;
	}
	u16_ascii(&w[k++], "hundredth");
	for (int i = 0; i < 4; i++) {
		u16_ascii(&w[k], magnitudes[i]);
		u16_lower(&w[k]);
		w[k + 1] = u16_sub(&w[k], 0, (long)w[k].n);
		u16_ascii(&w[k + 1], "th");
		k += 2;
	}
	u16_ascii(&w[k++], "and");
	return k;
}

#define NWORDS 68

typedef struct {
	int present, undef;
	double v;
} compval;

static int comp_index(uint16_t c)
{
	static const char order[] = "YXMxWwdDFPHhmsfZz";
	const char *p = c && c < 128 ? strchr(order, c) : NULL;
	return p ? (int)(p - order) : -1;
}

static int truthy(const compval *c)
{
	return c->present && !c->undef && c->v != 0 && !isnan(c->v);
}

static double tz_parse(const dtpart *p, const u16 *text)
{
	u16 v = p->component == 'z' ? u16_sub(text, 3, (long)text->n) :
	    u16_sub(text, 0, (long)text->n);
	double oh = 0, om = 0;
	if (p->ifmt.regular) {
		uint16_t sc = (uint16_t)p->ifmt.regular_sep.character;
		long at = u16_index_char(&v, sc, 0);
		u16 a = u16_sub(&v, 0, at), b = u16_sub(&v, at + 1, (long)v.n);
		oh = js_parse_int(&a);
		om = js_parse_int(&b);
		u16_free(&a);
		u16_free(&b);
	} else if ((long)v.n - 1 <= 2)
		oh = js_parse_int(&v);
	else {
		u16 a = u16_sub(&v, 0, 3), b = u16_sub(&v, 3, (long)v.n);
		oh = js_parse_int(&a);
		om = js_parse_int(&b);
		u16_free(&a);
		u16_free(&b);
	}
	u16_free(&v);
	return oh * 60 + om;
}

static compval name_lookup(const dtpart *p, const u16 *text)
{
	compval r = {1, 1, 0};
	uint16_t c = p->component;
	int cut = p->has_width && p->max_set && p->wmax != 0;
	if (c == 'P') {
		if (u16_eq_ascii(text, "am") || u16_eq_ascii(text, "AM"))
			r.undef = 0, r.v = 0;
		else if (u16_eq_ascii(text, "pm") || u16_eq_ascii(text, "PM"))
			r.undef = 0, r.v = 1;
		return r;
	}
	int months = c == 'M' || c == 'x';
	for (int i = months ? 0 : 1; i < (months ? 12 : 8); i++) {
		u16 name = {0};
		u16_ascii(&name, months ? month_names[i] : day_names[i]);
		if (cut && p->wmax >= 0 && (long)name.n > p->wmax)
			name.n = (size_t)p->wmax;
		int eq = name.n == text->n && !memcmp(name.p, text->p, name.n * 2);
		u16_free(&name);
		if (eq) {
			r.undef = 0;
			r.v = months ? i + 1 : i;
			/* a later equal key (a cut name) wins, as in an object */
		}
	}
	return r;
}

/* What each part of the picture matches (jsonata-js's generateRegex). */
static jsonata_fmt_status match_parts(const dtpic *spec, mpart *mp,
    jsonata_fmt_error *err)
{
	for (size_t i = 0; i < spec->n; i++) {
		const dtpart *p = &spec->parts[i];
		mpart *m = &mp[i];
		if (p->literal) {
			m->type = M_LIT;
			m->lit = &p->text;
		} else if (p->has_component && (p->component == 'Z' || p->component == 'z')) {
			m->type = M_TZ;
			m->gmt = p->component == 'z';
			if (p->ifmt.regular && p->ifmt.primary == F_DECIMAL) {
				m->has_sep = 1;
				m->sep = (uint16_t)p->ifmt.regular_sep.character;
			}
		} else if (p->has_int) {
			switch (p->ifmt.primary) {
			case F_LETTERS:
				m->type = M_CLASS;
				m->cls = K_LETTER;
				break;
			case F_ROMAN:
				m->type = M_CLASS;
				m->cls = K_ROMAN;
				break;
			case F_WORDS:
				m->type = M_WORDS;
				break;
			case F_DECIMAL:
				m->type = M_CLASS;
				m->cls = K_DIGIT;
				m->width = p->ifmt.parse_width;
				m->ordinal = p->ifmt.ordinal;
				break;
			default:
				return d3130(&p->ifmt, err);
			}
		} else {
			uint16_t c = p->has_component ? p->component : 0;
			if (c != 'M' && c != 'x' && c != 'F' && c != 'P') {
				return d3133(err, p->has_component, c);
			}
			m->type = M_CLASS;
			m->cls = K_LETTER;
		}
	}
	return JSONATA_FMT_OK;
}

static jsonata_fmt_status d3136(jsonata_fmt_error *err)
{
	return fail(err, "D3136",
	    "The date/time picture string is missing specifiers required to parse the timestamp");
}

/* The instant the parsed components give (comp: by comp_index), what the
 * picture leaves out taken from now (jsonata-js's rules). */
static jsonata_fmt_status components_millis(compval *comp, double now_millis,
    double *out, jsonata_fmt_error *err)
{
	/* which date and time the picture gives (jsonata-js's bit masks) */
	int mask = 0;
	for (const char *c = "YXMxWwdD"; *c; c++)
		mask = mask << 1 | truthy(&comp[comp_index((uint16_t)*c)]);
#define IS_TYPE(t) (!(~(t) & mask) && ((t) & mask))
	int dateA = IS_TYPE(161), dateB = !dateA && IS_TYPE(130);
	int dateC = IS_TYPE(84), dateD = !dateC && IS_TYPE(72);
	mask = 0;
	for (const char *c = "PHhmsf"; *c; c++)
		mask = mask << 1 | truthy(&comp[comp_index((uint16_t)*c)]);
	int timeA = IS_TYPE(23), timeB = !timeA && IS_TYPE(47);
#undef IS_TYPE
	char comps[16];
	snprintf(comps, sizeof comps, "%s%s", dateB ? "Yd" : dateC ? "XxwF" :
	    dateD ? "XWF" : "YMD", timeB ? "Phmsf" : "Hmsf");
	jsdate now = js_date(now_millis);
	int start_specified = 0, end_specified = 0;
	for (const char *c = comps; *c; c++) {
		compval *v = &comp[comp_index((uint16_t)*c)];
		if (!v->present || v->undef) {
			v->present = 1;
			v->undef = 0;
			if (start_specified) {
				v->v = strchr("MDd", *c) ? 1 : 0;
				end_specified = 1;
			} else
				v->v = *c == 'P' ? -1 : fragment(&now, (uint16_t)*c);
		} else {
			start_specified = 1;
			if (end_specified) {
				return d3136(err);
			}
		}
	}
#define V(c) comp[comp_index(c)]
	if (V('M').present && !V('M').undef && V('M').v > 0)
		V('M').v -= 1;
	else {
		V('M').present = 1;
		V('M').undef = 0;
		V('M').v = 0;
	}
	if (dateB) {
		double jan1 = date_utc(V('Y').v, 0, 1, 0, 0, 0, 0);
		jsdate dd = js_date(jan1 + (V('d').v - 1) * MS_DAY);
		V('M').v = dd.month;
		V('D').v = dd.date;
	}
	if (dateC || dateD) {
		return d3136(err);
	}
	if (timeB) {
		V('H').v = V('h').v == 12 ? 0 : V('h').v;
		if (V('P').v == 1)
			V('H').v += 12;
	}
	double millis = date_utc(V('Y').v, V('M').v, V('D').v, V('H').v, V('m').v,
	    V('s').v, V('f').v);
	const compval *z = truthy(&V('Z')) ? &V('Z') : &V('z');
	if (truthy(z))
		millis -= z->v * 60 * 1000;
#undef V
	*out = millis;
	return JSONATA_FMT_OK;
}

static jsonata_fmt_status parse_datetime(const u16 *ts, const u16 *pic,
    double now_millis, double *out, jsonata_fmt_error *err)
{
	dtpic spec = {0};
	jsonata_fmt_status st = analyse_datetime(pic, &spec, err);
	mpart *mp = NULL;
	long *cs = NULL, *ce = NULL;
	u16 words[NWORDS];
	memset(words, 0, sizeof words);
	if (st != JSONATA_FMT_OK)
		goto done;
	mp = calloc(spec.n + 1, sizeof *mp);
	cs = calloc(spec.n + 1, sizeof *cs);
	ce = calloc(spec.n + 1, sizeof *ce);
	if (!mp || !cs || !ce) {
		st = nomem(err);
		goto done;
	}
	if ((st = match_parts(&spec, mp, err)) != JSONATA_FMT_OK)
		goto done;
	size_t nw = word_list(words);
	for (size_t i = 0; i < nw; i++)
		if (words[i].oom) {
			st = nomem(err);
			goto done;
		}
	mctx m = {mp, spec.n, ts, cs, ce, 1000000, 0, words, nw};
	if (!match_from(&m, 0, 0)) {
		st = JSONATA_FMT_UNDEFINED;
		goto done;
	}
	compval comp[17];
	memset(comp, 0, sizeof comp);
	int any = 0;
	for (size_t i = 0; i < spec.n; i++) {
		const dtpart *p = &spec.parts[i];
		if (p->literal)
			continue;
		u16 text = u16_sub(ts, cs[i], ce[i]);
		compval v = {1, 0, 0};
		if (p->component == 'Z' || p->component == 'z')
			v.v = tz_parse(p, &text);
		else if (p->has_int)
			v.v = parse_int_text(&p->ifmt, &text);
		else
			v = name_lookup(p, &text);
		u16_free(&text);
		int k = comp_index(p->component);
		if (k >= 0)
			comp[k] = v;
		any = 1;
	}
	if (!any) {
		st = JSONATA_FMT_UNDEFINED;
		goto done;
	}
	st = components_millis(comp, now_millis, out, err);
done:
	for (size_t i = 0; i < NWORDS; i++)
		u16_free(&words[i]);
	free(mp);
	free(cs);
	free(ce);
	dtpic_free(&spec);
	return st;
}

jsonata_fmt_status jsonata_to_millis(const char *timestamp, const char *picture,
    double now_millis, double *out, jsonata_fmt_error *err)
{
	if (!picture) {
		if (!iso_regex(timestamp)) {
			u16 t = u16_of(timestamp);
			char q[400];
			json_quote(&t, q, sizeof q);
			u16_free(&t);
			return failv(err, "D3110",
			    "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given ",
			    q, "");
		}
		*out = iso_parse(timestamp);
		return JSONATA_FMT_OK;
	}
	u16 ts = u16_of(timestamp), pic = u16_of(picture);
	jsonata_fmt_status st = ts.oom || pic.oom ? nomem(err) :
	    parse_datetime(&ts, &pic, now_millis, out, err);
	u16_free(&ts);
	u16_free(&pic);
	return st;
}
