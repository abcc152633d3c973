/*
 * util.h - memory and string helpers of the compiler.
 */
#ifndef ASL2C_UTIL_H
#define ASL2C_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
/* Number of characters (code points) of UTF-8 s. */
size_t utf8_chars(const char *s);

#endif

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Why the runtime cannot hold the JSON number written as lexeme (jansson:
 * 64-bit integers, finite doubles), or NULL when it can.  AWS (Jackson)
 * holds integers of any size: asl2c refuses them when it compiles rather
 * than emit a program that cannot load its literals (doc/semantics.md). */
const char *num_unholdable(const char *lexeme);

/* A growing string: common/strbuf.h. */
#include "strbuf.h"

/* Number of characters (code points) of UTF-8 s. */
size_t utf8_chars(const char *s);

#endif
