/*
 * strbuf.c - the growing string (strbuf.h).
 */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void default_oom(void)
{
	static const char msg[] = "out of memory\n";

	if (write(2, msg, sizeof msg - 1) < 0) {
		/* nothing more to do */
	}
	_exit(71);
}

static void (*oom_handler)(void) = default_oom;

void sb_set_oom(void (*oom)(void))
{
	oom_handler = oom ? oom : default_oom;
}

void sb_oom(void)
{
	oom_handler();
	_exit(71); /* a handler that returned */
}

static void grow(strbuf *b, size_t more)
{
	size_t cap = b->cap;
	char *s;

	if (b->len + more + 1 <= cap)
		return;
	while (b->len + more + 1 > cap)
		cap = cap ? 2 * cap : 64;
	if (!(s = realloc(b->s, cap)))
		sb_oom();
	b->s = s;
	b->cap = cap;
}

void sb_putc(strbuf *b, char c)
{
	if (b->len + 2 > b->cap)
		grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void sb_put(strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		grow(b, n);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_puts(strbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_vprintf(strbuf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

char *sb_steal(strbuf *b)
{
	char *s = b->s;

	if (!s && !(s = calloc(1, 1)))
		sb_oom();
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sb_free(strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
