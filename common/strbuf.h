/*
 * strbuf.h - a growing string: the one string builder of the compiler,
 * the runtime and `asl2c serve`.  Not installed.
 *
 * It never fails: when memory runs out it calls the process's
 * out-of-memory handler (sb_set_oom), which must not return.
 */
#ifndef ASL2C_STRBUF_H
#define ASL2C_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define SB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SB_PRINTF(f, a)
#endif

typedef struct strbuf {
	char *s;           /* NUL-terminated once anything is put; or NULL */
	size_t len, cap;
} strbuf;
#define SB_INIT { NULL, 0, 0 }

void sb_putc(strbuf *b, char c);
void sb_put(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...) SB_PRINTF(2, 3);
void sb_vprintf(strbuf *b, const char *fmt, va_list ap) SB_PRINTF(2, 0);
char *sb_steal(strbuf *b); /* the string (malloc'd); b is empty after */
void sb_free(strbuf *b);

/* What runs when memory runs out (it must not return); by default a
 * message on stderr and exit status 71 (EX_OSERR). */
void sb_set_oom(void (*oom)(void));
/* Call it: for the users of strbuf.h that allocate too. */
void sb_oom(void) __attribute__((noreturn));

#endif /* ASL2C_STRBUF_H */
