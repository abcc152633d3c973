/*
 * diag.c - printing diagnostics with the offending line and a caret.
 */
#include "diag.h"

#include <string.h>

static void caret(diag *d, int line, int col)
{
	const char *p = d->src, *end, *eol;

	if (!p || line < 1)
		return;
	end = d->src + d->srclen;
	for (int l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return;
		p = nl + 1;
	}
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	if (eol > p && eol[-1] == '\r')
		eol--;
	fprintf(d->out, "  %.*s\n  ", (int)(eol - p), p);
	/* Columns count characters: keep tabs, skip UTF-8 continuations. */
	for (int c = 1; p < eol && c < col; p++) {
		if (((unsigned char)*p & 0xC0) == 0x80)
			continue;
		fputc(*p == '\t' ? '\t' : ' ', d->out);
		c++;
	}
	fputs("^\n", d->out);
}

static void report(diag *d, int line, int col, const char *kind,
                   const char *code, const char *flag, const char *fmt,
                   va_list ap) PRINTF_LIKE(7, 0);
static void report(diag *d, int line, int col, const char *kind,
                   const char *code, const char *flag, const char *fmt,
                   va_list ap)
{
	fprintf(d->out, "%s:%d:%d: %s: ", d->file, line, col, kind);
	if (code)
		fprintf(d->out, "%s: ", code);
	vfprintf(d->out, fmt, ap);
	if (flag)
		fprintf(d->out, " [-W%s]", flag);
	fputc('\n', d->out);
	caret(d, line, col);
}

void diag_verror(diag *d, int line, int col, const char *code,
                 const char *fmt, va_list ap)
{
	report(d, line, col, "error", code, NULL, fmt, ap);
	d->errors++;
}

void diag_error(diag *d, int line, int col, const char *code,
                const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(d, line, col, code, fmt, ap);
	va_end(ap);
}

void diag_warning(diag *d, int line, int col, const char *flag,
                  const char *code, const char *fmt, ...)
{
	va_list ap;

	if (d->no_warnings)
		return;
	va_start(ap, fmt);
	report(d, line, col, d->werror ? "error" : "warning", code, flag, fmt,
	       ap);
	va_end(ap);
	if (d->werror)
		d->errors++;
	else
		d->warnings++;
}
