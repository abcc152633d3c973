/*
 * diag.c - printing diagnostics with the offending line and a caret, or as
 * the JSON of AWS's ValidateStateMachineDefinition.
 */
#include "diag.h"
#include "jsontext.h"

#include <stdlib.h>
#include <string.h>

const diag_warning_info diag_warnings[] = {
	{ "missing-dollar", "NO_DOLLAR",
	  "a value that looks like a path in a field whose name does not end "
	  "with '.$'" },
	{ "missing-path", "NO_PATH",
	  "a value that looks like a path in a field whose name does not end "
	  "with 'Path'" },
	{ "static-result", "PASS_RESULT_IS_STATIC",
	  "a path in a Pass state's Result, which is never evaluated" },
	{ "intrinsic-literal", "SCHEMA_VALIDATION_FAILED",
	  "a literal argument of an intrinsic function that fails every run" },
	{ NULL, NULL, NULL }
};

static bool known_flag(const char *flag)
{
	for (const diag_warning_info *w = diag_warnings; w->flag; w++)
		if (!strcmp(w->flag, flag))
			return true;
	return false;
}

bool diag_set_warning(diag *d, const char *flag, bool enable)
{
	if (!known_flag(flag))
		return false;
	for (size_t i = 0; i < d->n_disabled; i++) {
		if (strcmp(d->disabled[i], flag))
			continue;
		if (enable) {
			free(d->disabled[i]);
			d->disabled[i] = d->disabled[--d->n_disabled];
		}
		return true;
	}
	if (!enable) {
		d->disabled = xrealloc(d->disabled,
		                       (d->n_disabled + 1) * sizeof *d->disabled);
		d->disabled[d->n_disabled++] = xstrdup(flag);
	}
	return true;
}

bool diag_warning_enabled(const diag *d, const char *flag)
{
	if (d->no_warnings)
		return false;
	for (size_t i = 0; flag && i < d->n_disabled; i++)
		if (!strcmp(d->disabled[i], flag))
			return false;
	return true;
}

/* ------------------------------------------------------------------ text */

static void caret(const diag *d, FILE *out, int line, int col)
{
	const char *p = d->src, *end, *eol;

	if (!p || line < 1)
		return;
	end = p + d->srclen;
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
	/* Long lines (minified definitions) are cut around the caret. */
	const char *from = p, *to = eol;
	int skip = 0;
	if (eol - p > 160) {
		const char *q = p;
		int c = 1;
		while (q + 1 < eol && c < col - 60) {
			q++;
			if (((unsigned char)*q & 0xC0) != 0x80)
				c++;
		}
		from = q;
		skip = c - 1;
		to = eol - from > 120 ? from + 120 : eol;
		while (to < eol && ((unsigned char)*to & 0xC0) == 0x80)
			to++;
	}
	/* Control characters are not sent to the terminal. */
	fprintf(out, "  %s", from > p ? "..." : "");
	for (const char *r = from; r < to; r++)
		fputc((unsigned char)*r < 0x20 && *r != '\t' ? '?'
		      : *r == 0x7f ? '?' : *r, out);
	fprintf(out, "%s\n  %s", to < eol ? "..." : "", from > p ? "   " : "");
	/* Columns count characters: keep tabs, skip UTF-8 continuations. */
	for (int c = 1 + skip; from < to && c < col; from++) {
		if (((unsigned char)*from & 0xC0) == 0x80)
			continue;
		fputc(*from == '\t' ? '\t' : ' ', out);
		c++;
	}
	fputs("^\n", out);
}

/* Text from the definition may hold control characters: escaped. */
static void safe_puts(const char *s, FILE *out)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

static void print_text(const diag *d, const diag_entry *e)
{
	fprintf(d->out, "%s:%d:%d: %s: ", d->file, e->line, e->col,
	        e->severity == DIAG_ERROR ? "error" : "warning");
	if (e->code)
		fprintf(d->out, "%s: ", e->code);
	safe_puts(e->message, d->out);
	if (e->location) {
		fputs(" at ", d->out);
		safe_puts(e->location, d->out);
	}
	if (e->flag)
		fprintf(d->out, " [-W%s%s]", d->werror ? "error=" : "", e->flag);
	fputc('\n', d->out);
	caret(d, d->out, e->line, e->col);
}

/* ------------------------------------------------------------------ JSON */

/* s as a JSON string, by the one JSON text writer (common/jsontext.h). */
static void put_json_string(FILE *f, const char *s)
{
	strbuf b = SB_INIT;

	jt_string(&b, s, strlen(s));
	fputs(b.s, f);
	sb_free(&b);
}

static void print_json(const diag *d)
{
	FILE *f = d->json_out ? d->json_out : stdout;
	bool fail = false;

	for (size_t i = 0; i < d->n; i++)
		if (d->list[i].severity == DIAG_ERROR)
			fail = true;
	fprintf(f, "{\"result\": \"%s\", \"diagnostics\": [", fail ? "FAIL"
	                                                            : "OK");
	for (size_t i = 0; i < d->n; i++) {
		const diag_entry *e = &d->list[i];
		fprintf(f, "%s\n  {\"severity\": \"%s\", \"code\": ", i ? "," : "",
		        e->severity == DIAG_ERROR ? "ERROR" : "WARNING");
		put_json_string(f, e->code ? e->code : "");
		fputs(", \"message\": ", f);
		put_json_string(f, e->message);
		if (e->location) {
			fputs(", \"location\": ", f);
			put_json_string(f, e->location);
		}
		fprintf(f, ", \"line\": %d, \"column\": %d}", e->line, e->col);
	}
	fprintf(f, "%s], \"truncated\": false}\n", d->n ? "\n" : "");
	fflush(f);
}

/* ------------------------------------------------------------- reporting */

static void entry_free(diag_entry *e)
{
	free(e->code);
	free(e->message);
	free(e->location);
	free(e->flag);
}

void diag_vreport(diag *d, int severity, int line, int col,
                  const char *location, const char *code, const char *flag,
                  const char *fmt, va_list ap)
{
	strbuf b = SB_INIT;
	diag_entry e;

	if (severity == DIAG_WARNING) {
		if (!diag_warning_enabled(d, flag))
			return;
		if (d->werror)
			severity = DIAG_ERROR;
	}
	sb_vprintf(&b, fmt, ap);
	e = (diag_entry){ severity, line, col, code ? xstrdup(code) : NULL,
	                  sb_steal(&b), location ? xstrdup(location) : NULL,
	                  flag ? xstrdup(flag) : NULL, d->n };
	if (!e.message)
		e.message = xstrdup("");
	if (!d->defer) {
		if (d->format == DIAG_TEXT)
			print_text(d, &e);
		entry_free(&e);
	} else {
		/* The same diagnostic at the same place is said once. */
		for (size_t i = 0; i < d->n; i++) {
			const diag_entry *o = &d->list[i];
			if (o->line == line && o->col == col &&
			    !strcmp(o->message, e.message) &&
			    !strcmp(o->code ? o->code : "", code ? code : "")) {
				entry_free(&e);
				return;
			}
		}
		if (d->n == d->cap) {
			d->cap = d->cap ? 2 * d->cap : 16;
			d->list = xrealloc(d->list, d->cap * sizeof *d->list);
		}
		d->list[d->n++] = e;
	}
	if (severity == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
}

void diag_report(diag *d, int severity, int line, int col,
                 const char *location, const char *code, const char *flag,
                 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(d, severity, line, col, location, code, flag, fmt, ap);
	va_end(ap);
}

void diag_verror(diag *d, int line, int col, const char *code,
                 const char *fmt, va_list ap)
{
	diag_vreport(d, DIAG_ERROR, line, col, NULL, code, NULL, fmt, ap);
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

	va_start(ap, fmt);
	diag_vreport(d, DIAG_WARNING, line, col, NULL, code, flag, fmt, ap);
	va_end(ap);
}

static int by_position(const void *a, const void *b)
{
	const diag_entry *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

bool diag_error_at(const diag *d, int line, int col)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->list[i].severity == DIAG_ERROR && d->list[i].line == line &&
		    d->list[i].col == col)
			return true;
	return false;
}

void diag_flush(diag *d)
{
	if (d->n) /* d->list is NULL when there is nothing to say */
		qsort(d->list, d->n, sizeof *d->list, by_position);
	if (d->format == DIAG_JSON)
		print_json(d);
	else
		for (size_t i = 0; i < d->n; i++)
			print_text(d, &d->list[i]);
	if (d->out)
		fflush(d->out);
	diag_free(d);
}

void diag_free(diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		entry_free(&d->list[i]);
	free(d->list);
	d->list = NULL;
	d->n = d->cap = 0;
}
