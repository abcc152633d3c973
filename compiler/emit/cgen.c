/*
 * cgen.c - escaping helpers and the template printer.
 */
#include "cgen.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

void c_string(strbuf *b, const char *s, size_t len)
{
	sb_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c == '?') {
			sb_putc(b, '\\');
			sb_putc(b, (char)c);
		} else if (c >= 0x20 && c < 0x7f) {
			sb_putc(b, (char)c);
		} else {
			sb_printf(b, "\\%03o", c);
		}
	}
	sb_putc(b, '"');
}

void c_llong(strbuf *b, long long v)
{
	if (v == LLONG_MIN)
		sb_puts(b, "(-9223372036854775807 - 1)");
	else
		sb_printf(b, "%lld", v);
}

void c_cstr(strbuf *b, const char *s)
{
	if (s)
		c_string(b, s, strlen(s));
	else
		sb_puts(b, "NULL");
}

void c_comment(strbuf *b, const char *s)
{
	strbuf t = SB_INIT;

	c_string(&t, s, strlen(s));
	for (size_t i = 0; i < t.len; i++) {
		sb_putc(b, t.s[i]);
		if (t.s[i] == '*' && t.s[i + 1] == '/')
			sb_putc(b, ' ');
		if (t.s[i] == '/' && t.s[i + 1] == '*')
			sb_putc(b, ' ');
	}
	sb_free(&t);
}

void tpl_render(strbuf *out, const char *tpl, const char *const *vars)
{
	const char *p = tpl;

	while (*p) {
		const char *d = strchr(p, '$');
		if (!d) {
			sb_puts(out, p);
			return;
		}
		sb_put(out, p, (size_t)(d - p));
		const char *e = strchr(d + 1, '$');
		if (!e) {
			sb_puts(out, d);
			return;
		}
		size_t n = (size_t)(e - d - 1);
		if (n == 0) {
			sb_putc(out, '$');
		} else {
			const char *const *v;
			for (v = vars; *v; v += 2)
				if (strlen(v[0]) == n && !strncmp(v[0], d + 1, n))
					break;
			if (*v)
				sb_puts(out, v[1]);
			else
				sb_put(out, d, n + 2); /* unknown: kept */
		}
		p = e + 1;
	}
}
