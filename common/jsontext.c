/*
 * jsontext.c - the JSON text writer (jsontext.h).
 */
#include "jsontext.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Java's Double.toString (JDK 19 and later): the shortest digits, but at
 * least two, that read back as x, the closest to x among those; plain
 * notation from 10^-3 up to 10^7, computerized scientific notation
 * outside; always a fractional part. */
void jt_double(strbuf *b, double x)
{
	char tmp[40], digits[24], num[24];
	const char *e;
	int e10, nd = 0;

	if (x == 0) {
		sb_puts(b, signbit(x) ? "-0.0" : "0.0");
		return;
	}
	if (!isfinite(x)) { /* not JSON, but be total */
		sb_puts(b, isnan(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
		return;
	}
	if (x < 0) {
		sb_putc(b, '-');
		x = -x;
	}
	/* at least two digits, as Java: 4.9E-324, not 5.0E-324 */
	for (int prec = 2; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	e = strchr(tmp, 'e');
	e10 = atoi(e + 1);
	for (const char *q = tmp; q < e; q++)
		if (*q >= '0' && *q <= '9')
			digits[nd++] = *q;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;

	if (x >= 1e-3 && x < 1e7) {
		if (e10 >= 0) {
			for (int i = 0; i <= e10; i++)
				sb_putc(b, i < nd ? digits[i] : '0');
			sb_putc(b, '.');
			if (nd > e10 + 1)
				sb_put(b, digits + e10 + 1, (size_t)(nd - e10 - 1));
			else
				sb_putc(b, '0');
		} else {
			sb_puts(b, "0.");
			for (int i = 0; i < -e10 - 1; i++)
				sb_putc(b, '0');
			sb_put(b, digits, (size_t)nd);
		}
	} else {
		sb_putc(b, digits[0]);
		sb_putc(b, '.');
		if (nd > 1)
			sb_put(b, digits + 1, (size_t)(nd - 1));
		else
			sb_putc(b, '0');
		snprintf(num, sizeof num, "E%d", e10);
		sb_puts(b, num);
	}
}

void jt_integer(strbuf *b, json_int_t i)
{
	char num[24], *p = num + sizeof num;
	unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i
	                             : (unsigned long long)i;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (i < 0)
		*--p = '-';
	sb_put(b, p, (size_t)(num + sizeof num - p));
}

void jt_string(strbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0; /* the characters from run on are written as they are */

	sb_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		char esc[6] = { '\\', 0, 0, 0, 0, 0 };
		size_t len = 2;
		sb_put(b, s + run, i - run);
		switch (ch) {
		case '"':  esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default: /* \u00XX */
			esc[1] = 'u';
			esc[2] = esc[3] = '0';
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			len = 6;
		}
		sb_put(b, esc, len);
		run = i + 1;
	}
	sb_put(b, s + run, n - run);
	sb_putc(b, '"');
}

/* Compact JSON, no spaces, object keys in their order: {"a":1,"b":[]}. */
void jt_value(strbuf *b, const json_t *v)
{
	const char *key;
	const json_t *e;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		sb_putc(b, '{');
		i = 0;
		json_object_foreach((json_t *)v, key, e) {
			if (i++)
				sb_putc(b, ',');
			jt_string(b, key, strlen(key));
			sb_putc(b, ':');
			jt_value(b, e);
		}
		sb_putc(b, '}');
		break;
	case JSON_ARRAY:
		sb_putc(b, '[');
		json_array_foreach(v, i, e) {
			if (i)
				sb_putc(b, ',');
			jt_value(b, e);
		}
		sb_putc(b, ']');
		break;
	case JSON_STRING:
		jt_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		jt_integer(b, json_integer_value(v));
		break;
	case JSON_REAL:
		jt_double(b, json_real_value(v));
		break;
	case JSON_TRUE:
		sb_puts(b, "true");
		break;
	case JSON_FALSE:
		sb_puts(b, "false");
		break;
	case JSON_NULL:
		sb_puts(b, "null");
		break;
	}
}

/* A value as compact JSON, numbers written as AWS (Java) writes them: the
 * text of the values in error messages and, through jt_text, of the
 * execution's output.  Caller frees. */
char *jt_text(const json_t *v)
{
	strbuf b = SB_INIT;

	jt_value(&b, v);
	return sb_steal(&b);
}

