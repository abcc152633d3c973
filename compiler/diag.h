/*
 * diag.h - diagnostics as compilers print them:
 *     file:line:col: error: CODE: message
 *       source line
 *            ^
 */
#ifndef ASL2C_DIAG_H
#define ASL2C_DIAG_H

#include "util.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct diag {
	const char *file;  /* name shown in messages */
	const char *src;   /* the definition's text, for caret lines */
	size_t srclen;
	FILE *out;
	int errors;
	int warnings;
	bool werror;       /* -Werror */
	bool no_warnings;  /* -w */
} diag;

void diag_error(diag *d, int line, int col, const char *code,
                const char *fmt, ...) PRINTF_LIKE(5, 6);
void diag_verror(diag *d, int line, int col, const char *code,
                 const char *fmt, va_list ap) PRINTF_LIKE(5, 0);
void diag_warning(diag *d, int line, int col, const char *flag,
                  const char *code, const char *fmt, ...) PRINTF_LIKE(6, 7);

#endif
