/*
 * diag.h - diagnostics as compilers print them:
 *     file:line:col: error: CODE: message at /States/A/Next
 *       source line
 *            ^
 * or, with --diagnostics-format=json, as AWS's ValidateStateMachineDefinition
 * response (plus line and column).
 *
 * Diagnostics are printed as they come, unless d->defer is set: then they
 * are kept, and diag_flush() prints them in file order (line, column),
 * without duplicates.  asl2c_compile() defers.
 */
#ifndef ASL2C_DIAG_H
#define ASL2C_DIAG_H

#include "util.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

enum diag_severity { DIAG_ERROR, DIAG_WARNING };
enum diag_format { DIAG_TEXT, DIAG_JSON };

typedef struct diag_entry {
	int severity;      /* enum diag_severity, after -Werror */
	int line, col;
	char *code;        /* AWS's diagnostic code */
	char *message;
	char *location;    /* "/States/A/Next", or NULL */
	char *flag;        /* warnings: the name of -W<flag> */
	size_t seq;        /* order of report, for a stable sort */
} diag_entry;

typedef struct diag {
	const char *file;  /* name shown in messages */
	const char *src;   /* the definition's text, for caret lines */
	size_t srclen;
	FILE *out;
	int errors;
	int warnings;
	bool werror;       /* -Werror */
	bool no_warnings;  /* -w */
	bool defer;        /* keep diagnostics for diag_flush() */
	int format;        /* enum diag_format, used by diag_flush() */
	FILE *json_out;    /* where the JSON goes (NULL: stdout) */
	char **disabled;   /* -Wno-<flag> */
	size_t n_disabled;
	diag_entry *list;  /* kept diagnostics */
	size_t n, cap;
} diag;

/* The warnings asl2c knows: flag name, AWS code, what it reports. */
typedef struct diag_warning_info {
	const char *flag;
	const char *code;
	const char *what;
} diag_warning_info;
extern const diag_warning_info diag_warnings[];

/* -Wno-<flag> (enable false) or -W<flag>; false if flag is unknown. */
bool diag_set_warning(diag *d, const char *flag, bool enable);
bool diag_warning_enabled(const diag *d, const char *flag);

/* Report at line:col; location is AWS's ("/States/A/Next") or NULL. */
void diag_report(diag *d, int severity, int line, int col,
                 const char *location, const char *code, const char *flag,
                 const char *fmt, ...) PRINTF_LIKE(8, 9);
void diag_vreport(diag *d, int severity, int line, int col,
                  const char *location, const char *code, const char *flag,
                  const char *fmt, va_list ap) PRINTF_LIKE(8, 0);

void diag_error(diag *d, int line, int col, const char *code,
                const char *fmt, ...) PRINTF_LIKE(5, 6);
void diag_verror(diag *d, int line, int col, const char *code,
                 const char *fmt, va_list ap) PRINTF_LIKE(5, 0);
void diag_warning(diag *d, int line, int col, const char *flag,
                  const char *code, const char *fmt, ...) PRINTF_LIKE(6, 7);

/* Whether an error was kept at line:col (deferred diagnostics only). */
bool diag_error_at(const diag *d, int line, int col);

/* Print the kept diagnostics (sorted) and forget them.  In JSON format
 * the response object is printed even when there is nothing to say. */
void diag_flush(diag *d);
/* Forget everything kept, printing nothing. */
void diag_free(diag *d);

#endif
