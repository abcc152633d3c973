/*
 * util.c - memory and string helpers of the compiler.
 */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *num_unholdable(const char *s)
{
	errno = 0;
	if (!strpbrk(s, ".eE")) {
		(void)strtoll(s, NULL, 10);
		return errno == ERANGE ? "asl2c holds integers of 64 bits, "
		       "-9223372036854775808 to 9223372036854775807 (AWS holds "
		       "integers of any size)" : NULL;
	}
	return isfinite(strtod(s, NULL)) ? NULL
	       : "it is beyond the range of a double (about 1.8E308)";
}

static void oom(void)
{
	fputs("asl2c: out of memory\n", stderr);
	exit(2);
}

/* The string builder's out-of-memory is the compiler's (exit 2). */
__attribute__((constructor)) static void set_oom(void)
{
	sb_set_oom(oom);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n ? n : 1)))
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	strbuf b = SB_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	return sb_steal(&b);
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}
