/*
 * cgen.h - the only way user text reaches generated C: string literals,
 * comments and identifiers made safe here, and the template printer.
 */
#ifndef ASL2C_CGEN_H
#define ASL2C_CGEN_H

#include "util.h"

#include <stddef.h>

/* Append s (len bytes, may hold NUL) as a C string literal: quotes,
 * backslashes, '?' (no trigraphs), and every byte outside printable ASCII
 * as a 3-digit octal escape. */
void c_string(strbuf *b, const char *s, size_t len);
void c_cstr(strbuf *b, const char *s); /* NUL-terminated s; NULL -> NULL */
/* A long long constant: -9223372036854775808 is not one in C (the
 * constant 9223372036854775808 does not fit), so it is written as
 * (-9223372036854775807 - 1). */
void c_llong(strbuf *b, long long v);
/* Append s for a comment: as c_string, and no "*" "/" can close it. */
void c_comment(strbuf *b, const char *s);

/* Fill template tpl: "$name$" is replaced by the value of name in vars
 * (pairs, NULL-terminated), "$$" by "$". */
void tpl_render(strbuf *out, const char *tpl, const char *const *vars);

#endif
