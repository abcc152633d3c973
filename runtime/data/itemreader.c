/*
 * itemreader.c - the items of a Distributed Map, streamed: a JSON array
 * (split item by item, never loaded whole), JSON Lines, CSV, a manifest
 * of data files, an S3 listing, or the array in the state's input.  Each
 * call returns one item; memory holds one item (and one CSV row) at a
 * time, whatever the size of the file.
 */
#define _POSIX_C_SOURCE 200809L /* getline */
#include "data.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ bounds */

/* An item's text (a JSON value, a JSON Lines line, a CSV record) is
 * bounded by the payload limit, or this with --no-payload-limit. */
#define UNLIMITED_ITEM_MAX ((size_t)64 << 20)
/* AWS: "Step Functions supports CSV headers of up to 10 KiB". */
#define CSV_HEADER_MAX ((size_t)10 << 10)
/* An S3 Inventory manifest.json, read whole. */
#define MANIFEST_MAX ((size_t)64 << 20)
/* A line of an Athena manifest: s3://BUCKET/KEY. */
#define URI_LINE_MAX ((size_t)4096)
/* Nesting of a JSON value (jansson's own limit). */
#define JSON_DEPTH_MAX 2048

/* ------------------------------------------------------------ buffers */

/* Text read from a file, at most max bytes: past it, over is set and
 * nothing more is kept. */
typedef struct buf {
	char *s;
	size_t n, cap, max;
	bool over;
} buf;

static void buf_reset(buf *b, size_t max)
{
	b->n = 0;
	b->max = max;
	b->over = false;
	if (b->s)
		b->s[0] = '\0';
}

static void buf_put(buf *b, char ch)
{
	if (b->n >= b->max) {
		b->over = true;
		return;
	}
	if (b->n + 1 >= b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		if (!(b->s = realloc(b->s, b->cap)))
			asl_oom();
	}
	b->s[b->n++] = ch;
	b->s[b->n] = '\0';
}

/* A CSV record's fields. */
typedef struct row {
	buf *fields;
	size_t n, cap;
} row;

static void row_free(row *rw);

/* ------------------------------------------------------------ the reader */

enum kind { K_ARRAY, K_LIST, K_JSON, K_JSONL, K_CSV };

struct asl_reader {
	enum kind kind;
	const asl_item_reader *ir;
	long long max_items;       /* 0: all */
	long long count;           /* items returned */
	size_t item_max;           /* bytes of an item's text */

	/* K_ARRAY */
	json_t *array;
	size_t index;

	/* K_LIST */
	asl_s3_list *list;
	char *bucket;

	/* files: the current one; for a manifest, the next ones */
	FILE *f;
	char *source;              /* s3://bucket/key of the current file */
	char *item_source;         /* K_LIST: of the current item */
	bool started;              /* K_JSON: inside the array */
	bool done;
	long long line;            /* of the next byte of f, from 1 */
	long long in_file;         /* items read from the current file */
	char **headers;            /* K_CSV */
	size_t n_headers;
	bool given;                /* headers given: not in the first row */
	char delim;

	/* MANIFEST: the data files still to read */
	FILE *manifest;            /* ATHENA_DATA: one s3:// URI per line */
	char *manifest_source;
	long long manifest_line;
	json_t *files;             /* S3_INVENTORY: the manifest's "files" */
	size_t next_file;
	char *data_bucket;
	enum kind data_kind;

	buf b;
	row row;                   /* K_CSV: the current record */
};

static int reader_failed(asl_ctx *c, const char *fmt, ...) ASL_PRINTF(2, 3);
static int reader_failed(asl_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *cause;

	va_start(ap, fmt);
	cause = asl_vsprintf(fmt, ap);
	va_end(ap);
	asl_set_error(c, ASL_ERR(ITEM_READER_FAILED), cause);
	free(cause);
	return -1;
}

/* The current file cannot be read as its kind: "Invalid JSON in
 * s3://b/k at line 3: why" (or the read error that caused it). */
static int bad(asl_reader *r, asl_ctx *c, const char *kind, long long line,
               const char *fmt, ...) ASL_PRINTF(5, 6);
static int bad(asl_reader *r, asl_ctx *c, const char *kind, long long line,
               const char *fmt, ...)
{
	va_list ap;
	char *why;
	int rc;

	if (r->f && ferror(r->f))
		return reader_failed(c, "Cannot read %s at line %lld: %s",
		                     r->source, line, strerror(errno));
	va_start(ap, fmt);
	why = asl_vsprintf(fmt, ap);
	va_end(ap);
	rc = reader_failed(c, "Invalid %s in %s at line %lld: %s", kind,
	                   r->source, line, why);
	free(why);
	return rc;
}

/* The item's text is longer than the reader takes. */
static int too_long(asl_reader *r, asl_ctx *c, const char *kind,
                    long long line, size_t max)
{
	return bad(r, c, kind, line, "an item longer than %zu bytes, the most "
	           "asl2c reads as one item (the payload limit; "
	           "--no-payload-limit raises it to %zu)", max,
	           UNLIMITED_ITEM_MAX);
}

void asl_reader_close(asl_reader *r)
{
	if (!r)
		return;
	json_decref(r->array);
	json_decref(r->files);
	asl_s3_list_close(r->list);
	if (r->f)
		fclose(r->f);
	if (r->manifest)
		fclose(r->manifest);
	for (size_t i = 0; i < r->n_headers; i++)
		free(r->headers[i]);
	free(r->headers);
	free(r->bucket);
	free(r->data_bucket);
	free(r->source);
	free(r->manifest_source);
	free(r->item_source);
	free(r->b.s);
	row_free(&r->row);
	free(r);
}

/* The next byte of the current file, counting lines.  The reader is used
 * by one thread at a time (under dmap.c's lock). */
static int rd(asl_reader *r)
{
	int ch = getc_unlocked(r->f);

	if (ch == '\n')
		r->line++;
	return ch;
}

static void unrd(asl_reader *r, int ch)
{
	if (ch == EOF)
		return;
	if (ch == '\n')
		r->line--;
	ungetc(ch, r->f);
}

/* Read a line of f (without its '\n') into b: 1, or 0 at the end of the
 * file; b->over when it is longer than b->max. */
static int read_line(FILE *f, buf *b, size_t max)
{
	int ch;

	buf_reset(b, max);
	if ((ch = getc_unlocked(f)) == EOF)
		return 0;
	for (; ch != EOF && ch != '\n'; ch = getc_unlocked(f)) {
		buf_put(b, (char)ch);
		if (b->over)
			break;
	}
	return 1;
}

/* ---------------------------------------------------------------- JSON */

static int next_nonws(asl_reader *r)
{
	int ch;

	while ((ch = rd(r)) != EOF && isspace(ch))
		;
	return ch;
}

/* Scanning a value: it is complete, cut short (EOF or a NUL byte, never
 * in JSON text), longer than the item limit, or deeper than jansson
 * reads. */
enum { SCAN_OK = 0, SCAN_BAD = -1, SCAN_LONG = -2, SCAN_DEEP = -3 };

/* Copy the rest of a string (after its opening quote) into b. */
static int scan_string(asl_reader *r, buf *b)
{
	int ch;

	while ((ch = rd(r)) != EOF && ch != '\0') {
		if (b)
			buf_put(b, (char)ch);
		if (ch == '"')
			return SCAN_OK;
		if (ch == '\\') {
			if ((ch = rd(r)) == EOF || ch == '\0')
				return SCAN_BAD;
			if (b)
				buf_put(b, (char)ch);
		}
		if (b && b->over)
			return SCAN_LONG;
	}
	return SCAN_BAD;
}

/* Copy one JSON value, whose first character is first, into b (or skip
 * it when b is NULL).  The value is only delimited here: jansson checks
 * it. */
static int scan_value(asl_reader *r, int first, buf *b)
{
	int ch = first, depth = 0, rc;

	if (b)
		buf_reset(b, r->item_max);
	if (ch != '{' && ch != '[' && ch != '"') {
		/* a number, true, false or null: up to a delimiter */
		while (ch != EOF && ch != '\0' && !isspace(ch) && ch != ',' &&
		       ch != ']' && ch != '}') {
			if (b) {
				buf_put(b, (char)ch);
				if (b->over)
					return SCAN_LONG;
			}
			ch = rd(r);
		}
		if (ch == '\0')
			return SCAN_BAD;
		unrd(r, ch);
		return b && b->n == 0 ? SCAN_BAD : SCAN_OK;
	}
	for (;;) {
		if (ch == EOF || ch == '\0')
			return SCAN_BAD;
		if (b)
			buf_put(b, (char)ch);
		if (ch == '"') {
			if ((rc = scan_string(r, b)) != SCAN_OK)
				return rc;
		} else if (ch == '{' || ch == '[') {
			if (++depth > JSON_DEPTH_MAX)
				return SCAN_DEEP;
		} else if (ch == '}' || ch == ']') {
			depth--;
		}
		if (b && b->over)
			return SCAN_LONG;
		if (depth == 0)
			return SCAN_OK;
		ch = rd(r);
	}
}

/* Scan and parse the value starting with first, at line; the value, or
 * NULL after failing. */
static json_t *json_value(asl_reader *r, asl_ctx *c, int first,
                          long long line)
{
	json_error_t err;
	json_t *v;

	switch (scan_value(r, first, &r->b)) {
	case SCAN_LONG:
		too_long(r, c, "JSON", line, r->item_max);
		return NULL;
	case SCAN_DEEP:
		bad(r, c, "JSON", line, "a value nested deeper than %d levels",
		    JSON_DEPTH_MAX);
		return NULL;
	case SCAN_BAD:
		bad(r, c, "JSON", line, first == EOF ? "the file ends before the "
		    "array does" : "a value is cut short (the end of the file, "
		    "or a NUL byte)");
		return NULL;
	}
	if (!(v = json_loadb(r->b.s, r->b.n, JSON_DECODE_ANY, &err)))
		bad(r, c, "JSON", line + err.line - 1, "%s", err.text);
	return v;
}

/* Skip one value, starting with first. */
static int json_skip(asl_reader *r, asl_ctx *c, int first)
{
	long long line = r->line;

	switch (scan_value(r, first, NULL)) {
	case SCAN_OK:
		return 0;
	case SCAN_DEEP:
		return bad(r, c, "JSON", line, "a value nested deeper than %d "
		           "levels", JSON_DEPTH_MAX);
	default:
		return bad(r, c, "JSON", line, "a value is cut short (the end of "
		           "the file, or a NUL byte)");
	}
}

/* Walk down the ItemsPointer ("/a/0/b") to the array of the items. */
static int json_descend(asl_reader *r, asl_ctx *c, const char *pointer)
{
	const char *p = pointer;

	while (p && *p == '/') {
		const char *end = strchr(p + 1, '/');
		size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
		char *seg = asl_xmalloc(n + 1), *o = seg;
		int ch = next_nonws(r), rc = 0;
		bool found = false;

		/* ~1 is '/', ~0 is '~' */
		for (size_t i = 1; i <= n; i++) {
			if (p[i] == '~' && i < n && (p[i + 1] == '0' || p[i + 1] == '1'))
				*o++ = p[++i] == '0' ? '~' : '/';
			else
				*o++ = p[i];
		}
		*o = '\0';
		if (ch == '{') {
			while (rc == 0 && (ch = next_nonws(r)) == '"') {
				json_t *k = json_value(r, c, ch, r->line);
				if (!k) {
					rc = -1;
					break;
				}
				found = !strcmp(json_string_value(k), seg);
				json_decref(k);
				if (next_nonws(r) != ':') {
					found = false; /* not an object: not a node */
					break;
				}
				if (found)
					break;
				rc = json_skip(r, c, next_nonws(r));
				if (rc == 0 && next_nonws(r) != ',')
					break;
			}
		} else if (ch == '[') {
			char *e;
			long idx = strtol(seg, &e, 10);
			if (*seg && !*e && idx >= 0) {
				found = true;
				for (long i = 0; i < idx && found && rc == 0; i++) {
					ch = next_nonws(r);
					found = ch != ']' && (rc = json_skip(r, c, ch)) == 0 &&
					        next_nonws(r) == ',';
				}
			}
		}
		free(seg);
		if (rc < 0)
			return -1;
		if (!found)
			return reader_failed(c, "The ItemsPointer '%s' does not "
			                     "select a node of %s", pointer, r->source);
		p = end;
	}
	return 0;
}

static int json_start(asl_reader *r, asl_ctx *c)
{
	int ch;

	if (r->ir && r->ir->items_pointer &&
	    json_descend(r, c, r->ir->items_pointer) < 0)
		return -1;
	if ((ch = next_nonws(r)) != '[') {
		if (ch == EOF && ferror(r->f))
			return bad(r, c, "JSON", r->line, "read error");
		return reader_failed(c, "Attempting to map over non-iterable "
		                     "node.");
	}
	r->started = true;
	return 0;
}

/* next_nonws leaves r->line at the line of the byte it returns. */
static int json_next(asl_reader *r, asl_ctx *c, json_t **item)
{
	int ch;

	if (!r->started && json_start(r, c) < 0)
		return -1;
	ch = next_nonws(r);
	if (r->in_file > 0) {
		/* after an item: ',' or the end of the array */
		if (ch == ']')
			return 0;
		if (ch == EOF)
			return bad(r, c, "JSON", r->line, "the file ends before the "
			           "array does");
		if (ch != ',')
			return bad(r, c, "JSON", r->line, "',' or ']' expected after "
			           "item %lld", r->in_file - 1);
		ch = next_nonws(r);
	} else if (ch == ']') {
		return 0;
	}
	if (!(*item = json_value(r, c, ch, r->line)))
		return -1;
	r->in_file++;
	return 1;
}

/* ----------------------------------------------------------- JSON Lines */

static int jsonl_next(asl_reader *r, asl_ctx *c, json_t **item)
{
	json_error_t err;

	for (;;) {
		long long line = r->line;
		size_t n;

		if (read_line(r->f, &r->b, r->item_max) == 0) {
			if (ferror(r->f))
				return bad(r, c, "JSON", line, "read error");
			return 0;
		}
		if (r->b.over)
			return too_long(r, c, "JSON", line, r->item_max);
		r->line++;
		n = r->b.n;
		while (n > 0 && isspace((unsigned char)r->b.s[n - 1]))
			n--;
		if (n == 0)
			continue; /* blank lines carry no item */
		if (memchr(r->b.s, '\0', n))
			return bad(r, c, "JSON", line, "a NUL byte");
		if (!(*item = json_loadb(r->b.s, n, JSON_DECODE_ANY, &err)))
			return bad(r, c, "JSON", line, "%s", err.text);
		r->in_file++;
		return 1;
	}
}

/* ------------------------------------------------------------------ CSV */

static buf *row_field(row *rw, size_t max)
{
	if (rw->n == rw->cap) {
		size_t nc = rw->cap ? 2 * rw->cap : 16;
		rw->fields = realloc(rw->fields, nc * sizeof *rw->fields);
		if (!rw->fields)
			asl_oom();
		memset(rw->fields + rw->cap, 0, (nc - rw->cap) * sizeof *rw->fields);
		rw->cap = nc;
	}
	buf *fb = &rw->fields[rw->n++];
	buf_reset(fb, max);
	buf_put(fb, '\0'); /* an empty field is "", not NULL */
	fb->n = 0;
	return fb;
}

static void row_free(row *rw)
{
	for (size_t i = 0; i < rw->cap; i++)
		free(rw->fields[i].s);
	free(rw->fields);
	rw->fields = NULL;
	rw->n = rw->cap = 0;
}

enum { CSV_END = 0, CSV_OPEN_QUOTE = -1, CSV_LONG = -2 };

/*
 * One record: fields split at the delimiter; a field in double quotes may
 * hold the delimiter and line breaks, "" in it is one quote; a backslash
 * takes the next character literally.  A record ends at LF, CRLF or a
 * lone CR (as Java's readers end a line).  Its text is at most max bytes.
 * Returns the number of fields, CSV_END at the end of the file, or
 * CSV_OPEN_QUOTE or CSV_LONG.
 */
static int csv_row(asl_reader *r, row *rw, size_t max)
{
	int ch = rd(r);
	size_t total = 0;

	rw->n = 0;
	if (ch == EOF)
		return CSV_END;
	for (;;) {
		buf *fb = row_field(rw, max);
		bool quoted = false;

		if (ch == '"') {
			quoted = true;
			ch = rd(r);
		}
		for (;;) {
			if (ch == EOF) {
				if (quoted)
					return CSV_OPEN_QUOTE;
				break;
			}
			if (quoted && ch == '"') {
				ch = rd(r);
				if (ch == '"') {
					buf_put(fb, '"');
					ch = rd(r);
					total++;
					continue;
				}
				quoted = false;
				continue;
			}
			if (!quoted && (ch == r->delim || ch == '\n'))
				break;
			if (!quoted && ch == '\r') {
				int nx = rd(r);
				if (nx != '\n') {
					unrd(r, nx);
					r->line++; /* a lone CR ends the line */
				}
				ch = '\n';
				break;
			}
			if (ch == '\\' && (ch = rd(r)) == EOF)
				break;
			buf_put(fb, (char)ch);
			if (++total > max || fb->over)
				return CSV_LONG;
			ch = rd(r);
		}
		if (ch != r->delim)
			return (int)rw->n;
		if (++total > max)
			return CSV_LONG;
		ch = rd(r);
	}
}

static bool blank_row(const row *rw)
{
	return rw->n == 1 && rw->fields[0].n == 0;
}

/* Read the next record that is not blank, into rw: its number of fields,
 * 0 at the end, -1 after failing.  *line: the line it starts at. */
static int csv_record(asl_reader *r, asl_ctx *c, row *rw, size_t max,
                      bool header, long long *line)
{
	int rc;

	do {
		*line = r->line;
		rc = csv_row(r, rw, max);
	} while (rc > 0 && blank_row(rw));
	if (rc == CSV_OPEN_QUOTE)
		return bad(r, c, "CSV", *line, "unterminated quoted field");
	if (rc == CSV_LONG)
		return header ? bad(r, c, "CSV", *line, "a header row longer than "
		                    "%zu bytes (Step Functions supports CSV headers "
		                    "of up to 10 KiB)", CSV_HEADER_MAX)
		              : too_long(r, c, "CSV", *line, max);
	if (rc == CSV_END && ferror(r->f))
		return bad(r, c, "CSV", *line, "read error");
	for (int i = 0; i < rc; i++) {
		const buf *fb = &rw->fields[i];
		if (!asl_utf8_valid(fb->s, fb->n))
			return bad(r, c, "CSV", *line, "field %d is not UTF-8", i + 1);
		if (header && memchr(fb->s, '\0', fb->n))
			return bad(r, c, "CSV", *line, "header %d holds a NUL byte",
			           i + 1);
	}
	return rc;
}

/* Duplicate headers: AWS's error. */
static int check_headers(asl_reader *r, asl_ctx *c)
{
	for (size_t i = 0; i < r->n_headers; i++)
		for (size_t j = i + 1; j < r->n_headers; j++)
			if (!strcmp(r->headers[i], r->headers[j]))
				return reader_failed(c, "CSV headers cannot contain "
				                     "duplicates.");
	return 0;
}

static int csv_headers(asl_reader *r, asl_ctx *c)
{
	row rw = { NULL, 0, 0 };
	long long line;
	int rc;

	if (r->given) {
		r->n_headers = r->ir->n_csv_headers;
		r->headers = asl_xmalloc((r->n_headers ? r->n_headers : 1) *
		                         sizeof *r->headers);
		for (size_t i = 0; i < r->n_headers; i++)
			r->headers[i] = asl_strdup(r->ir->csv_headers[i]);
	} else {
		if ((rc = csv_record(r, c, &rw, CSV_HEADER_MAX, true, &line)) < 0) {
			row_free(&rw);
			return -1;
		}
		r->n_headers = (size_t)rc;
		r->headers = asl_xmalloc((r->n_headers ? r->n_headers : 1) *
		                         sizeof *r->headers);
		for (size_t i = 0; i < r->n_headers; i++)
			r->headers[i] = asl_strdup(rw.fields[i].s);
	}
	row_free(&rw);
	return check_headers(r, c);
}

static int csv_next(asl_reader *r, asl_ctx *c, json_t **item)
{
	row *rw = &r->row;
	long long line;
	int rc;

	if (!r->headers && csv_headers(r, c) < 0)
		return -1;
	if ((rc = csv_record(r, c, rw, r->item_max, false, &line)) <= 0)
		return rc;
	/* Every field a string; a short row is padded with "", the fields
	 * beyond the headers are dropped. */
	if (!(*item = json_object()))
		asl_oom();
	for (size_t i = 0; i < r->n_headers; i++) {
		json_t *v = json_stringn(i < (size_t)rc ? rw->fields[i].s : "",
		                         i < (size_t)rc ? rw->fields[i].n : 0);
		/* the fields and headers are UTF-8: only memory can fail */
		if (!v || json_object_set_new(*item, r->headers[i], v) < 0)
			asl_oom();
	}
	r->in_file++;
	return 1;
}

/* ------------------------------------------------------------- opening */

/* The string parameter name of the ItemReader's evaluated Parameters. */
static const char *param(json_t *p, const char *name)
{
	return json_string_value(json_object_get(p, name));
}

/* Does the string member name of o hold a NUL character ("\u0000")?  No
 * file name can. */
static bool has_nul(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	return json_is_string(v) &&
	       strlen(json_string_value(v)) != json_string_length(v);
}

static int open_object(asl_reader *r, asl_ctx *c, const char *bucket,
                       const char *key)
{
	asl_s3_err err = NULL;

	if (r->f)
		fclose(r->f);
	free(r->source);
	r->source = asl_sprintf("s3://%s/%s", bucket, key);
	r->started = false;
	r->line = 1;
	r->in_file = 0;
	if (!(r->f = asl_s3_get(c, bucket, key, &err))) {
		reader_failed(c, "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

/* ATHENA_DATA: open the file of the manifest's next line; 0 when there
 * is none. */
static int athena_next_file(asl_reader *r, asl_ctx *c)
{
	for (;;) {
		long long line = ++r->manifest_line;
		char *s, *k, *bucket;
		size_t n, kl;
		int rc;

		if (read_line(r->manifest, &r->b, URI_LINE_MAX) == 0) {
			if (ferror(r->manifest))
				return reader_failed(c, "Cannot read %s at line %lld: %s",
				                     r->manifest_source, line,
				                     strerror(errno));
			return 0;
		}
		s = r->b.s;
		n = r->b.n;
		if (r->b.over)
			return reader_failed(c, "Invalid manifest %s at line %lld: "
			                     "a line longer than %zu bytes",
			                     r->manifest_source, line, URI_LINE_MAX);
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			s[--n] = '\0';
		if (n == 0)
			continue;
		if (memchr(s, '\0', n) || !asl_utf8_valid(s, n))
			return reader_failed(c, "Invalid manifest %s at line %lld: "
			                     "not an S3 URI (a NUL byte, or not "
			                     "UTF-8)", r->manifest_source, line);
		if (strncmp(s, "s3://", 5) || !(k = strchr(s + 5, '/')) ||
		    k == s + 5)
			return reader_failed(c, "Invalid manifest %s at line %lld: "
			                     "not an S3 URI: %s", r->manifest_source,
			                     line, s);
		/* a data file in JSON Lines or, else, CSV */
		kl = strlen(k);
		r->data_kind = kl > 6 && !strcmp(k + kl - 6, ".jsonl") ? K_JSONL
		                                                       : K_CSV;
		bucket = asl_sprintf("%.*s", (int)(k - s - 5), s + 5);
		rc = open_object(r, c, bucket, k + 1);
		free(bucket);
		return rc < 0 ? -1 : 1;
	}
}

/* MANIFEST: open the next data file; 0 when there is none. */
static int manifest_next_file(asl_reader *r, asl_ctx *c)
{
	json_t *fo;
	const char *key;

	if (!r->files)
		return athena_next_file(r, c);
	if (!(fo = json_array_get(r->files, r->next_file++)))
		return 0;
	if (!(key = param(fo, "key")) || has_nul(fo, "key"))
		return reader_failed(c, "The manifest %s lists a file without a "
		                     "key (entry %zu of \"files\")",
		                     r->manifest_source, r->next_file - 1);
	return open_object(r, c, r->data_bucket, key) < 0 ? -1 : 1;
}

/* Read a whole file of at most max bytes: its text in b, 0; or -1 after
 * failing. */
static int read_whole(asl_reader *r, asl_ctx *c, size_t max)
{
	int ch;

	buf_reset(&r->b, max);
	while ((ch = getc_unlocked(r->f)) != EOF) {
		buf_put(&r->b, (char)ch);
		if (r->b.over)
			return reader_failed(c, "The manifest %s is larger than %zu "
			                     "bytes, the most asl2c reads",
			                     r->source, max);
	}
	if (ferror(r->f))
		return reader_failed(c, "Cannot read %s: %s", r->source,
		                     strerror(errno));
	return 0;
}

/* S3_INVENTORY: the columns of fileSchema ("Bucket, Key, Size") as the
 * headers of every file. */
static int inventory_schema(asl_reader *r, asl_ctx *c, const char *schema)
{
	for (const char *p = schema; *p;) {
		size_t n;
		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, ",");
		while (n && p[n - 1] == ' ')
			n--;
		if (n) {
			r->headers = realloc(r->headers, (r->n_headers + 1) *
			                     sizeof *r->headers);
			if (!r->headers)
				asl_oom();
			r->headers[r->n_headers++] = asl_sprintf("%.*s", (int)n, p);
		}
		p += n;
		while (*p && *p != ',')
			p++;
	}
	for (size_t i = 0; i < r->n_headers; i++)
		for (size_t j = i + 1; j < r->n_headers; j++)
			if (!strcmp(r->headers[i], r->headers[j]))
				return reader_failed(c, "CSV headers cannot contain "
				                     "duplicates. The fileSchema of %s "
				                     "names the column '%s' twice",
				                     r->manifest_source, r->headers[i]);
	return 0;
}

static int open_manifest(asl_reader *r, asl_ctx *c, const char *bucket,
                         const char *key)
{
	const char *type = r->ir->manifest_type, *schema, *dest, *format;
	json_error_t e;
	json_t *m;

	if (open_object(r, c, bucket, key) < 0)
		return -1;
	r->manifest_source = asl_strdup(r->source);
	if (type && !strcmp(type, "ATHENA_DATA")) {
		r->manifest = r->f;
		r->f = NULL;
		r->data_kind = K_CSV;
		return 0;
	}
	/* S3_INVENTORY: manifest.json names the CSV files and their columns */
	if (read_whole(r, c, MANIFEST_MAX) < 0)
		return -1;
	fclose(r->f);
	r->f = NULL;
	if (!(m = json_loadb(r->b.s ? r->b.s : "", r->b.n, 0, &e)))
		return reader_failed(c, "Invalid JSON in %s at line %d: %s",
		                     r->manifest_source, e.line, e.text);
	schema = param(m, "fileSchema");
	dest = param(m, "destinationBucket");
	format = param(m, "fileFormat");
	if (!schema || has_nul(m, "fileSchema") || has_nul(m, "destinationBucket")
	    || !json_is_array(json_object_get(m, "files"))) {
		json_decref(m);
		return reader_failed(c, "The manifest %s is not an S3 Inventory "
		                     "manifest", r->manifest_source);
	}
	if (strcmp(format ? format : "CSV", "CSV")) {
		json_decref(m);
		return reader_failed(c, "Only CSV S3 Inventory files are read "
		                     "locally");
	}
	r->files = json_incref(json_object_get(m, "files"));
	r->data_bucket = asl_strdup(dest && !strncmp(dest, "arn:aws:s3:::", 13)
	                            ? dest + 13 : dest ? dest : bucket);
	r->data_kind = K_CSV;
	r->given = true;
	int rc = inventory_schema(r, c, schema);
	json_decref(m);
	return rc;
}

static bool long_field(asl_ctx *c, const asl_path *p, json_t *eff,
                       long long *out)
{
	json_t *v;

	if (!asl_path_need(c, p, eff, &v))
		return false;
	if (!json_is_integer(v)) {
		char *d = asl_dump_bare(v); /* AWS: '...', the value bare */
		reader_failed(c, "The MaxItemsPath field refers to value '%s' "
		              "which is not a valid integer: %s", d, p->text);
		free(d);
		json_decref(v);
		return false;
	}
	*out = json_integer_value(v);
	json_decref(v);
	return true;
}

/* The items of a Map without an ItemReader: the array at ItemsPath. */
static asl_reader *open_array(asl_ctx *c, const asl_state *s, json_t *eff)
{
	json_t *items = asl_map_items(c, s, eff);
	asl_reader *r;

	if (!items)
		return NULL;
	r = calloc(1, sizeof *r);
	if (!r)
		asl_oom();
	r->kind = K_ARRAY;
	r->array = items;
	return r;
}

/* The reader's MaxItems (or MaxItemsPath): 0 for none; false when it
 * is out of range. */
static bool max_items(asl_ctx *c, const asl_item_reader *ir, json_t *eff,
                      long long *max)
{
	*max = 0;
	if (ir->max_items_jsonata) {
		long m;
		if (!asl_state_int(c, NULL, 0, NULL, ir->max_items_jsonata,
		                   "ItemReader/ReaderConfig/MaxItems", eff, 1,
		                   100000000, &m))
			return false;
		*max = m;
	} else if (ir->max_items_path) {
		if (!long_field(c, ir->max_items_path, eff, max))
			return false;
	} else {
		*max = ir->max_items;
	}
	if ((ir->max_items_path || ir->max_items) &&
	    (*max <= 0 || *max > 100000000)) {
		reader_failed(c, "field MaxItems must be positive and at most "
		              "100000000");
		return false;
	}
	return true;
}

/* Open what the reader reads: the object listing, or the object (JSON,
 * JSON Lines, CSV, a manifest's CSV).  0, or -1 (failed, said). */
static int open_source(asl_reader *r, asl_ctx *c, const char *bucket,
                       const char *key)
{
	const asl_item_reader *ir = r->ir;
	int rc;

	if (ir->resource == ASL_READ_LIST_OBJECTS) {
		asl_s3_err err = NULL;
		r->kind = K_LIST;
		r->list = asl_s3_list_open(c, bucket, key, &err);
		rc = r->list ? 0 : reader_failed(c, "%s", err);
		free(err);
		return rc;
	}
	switch (ir->input_type) {
	case ASL_INPUT_JSON: r->kind = K_JSON; break;
	case ASL_INPUT_JSONL: r->kind = K_JSONL; break;
	case ASL_INPUT_CSV: r->kind = K_CSV; break;
	case ASL_INPUT_MANIFEST: r->kind = K_CSV; break;
	default:
		return reader_failed(c, "InputType PARQUET is not supported locally");
	}
	if (ir->input_type == ASL_INPUT_MANIFEST)
		return open_manifest(r, c, bucket, key);
	return open_object(r, c, bucket, key);
}

asl_reader *asl_reader_open(asl_ctx *c, const asl_state *s, json_t *eff)
{
	const asl_item_reader *ir = s->item_reader;
	asl_reader *r;
	json_t *p;
	const char *bucket, *key;
	long long max;
	int rc;

	if (!ir)
		return open_array(c, s, eff);
	if (!max_items(c, ir, eff, &max))
		return NULL;
	p = ir->parameters ? asl_state_value(c, s, ir->parameters, eff,
	                                     "ItemReader.Parameters",
	                                     "ItemReader/Arguments")
	                   : json_object();
	if (!p)
		return NULL;
	const char *kname = ir->resource == ASL_READ_LIST_OBJECTS ? "Prefix"
	                                                          : "Key";
	bucket = param(p, "Bucket");
	key = param(p, kname);
	if (!bucket || (!key && ir->resource == ASL_READ_GET_OBJECT)) {
		json_decref(p);
		reader_failed(c, "The ItemReader's Parameters need a string "
		              "'Bucket' and '%s'", kname);
		return NULL;
	}
	if (has_nul(p, "Bucket") || has_nul(p, kname)) {
		json_decref(p);
		reader_failed(c, "The ItemReader's '%s' holds a NUL character "
		              "(\\u0000): no file under --s3-root has such a name",
		              has_nul(p, "Bucket") ? "Bucket" : kname);
		return NULL;
	}
	r = calloc(1, sizeof *r);
	if (!r)
		asl_oom();
	r->ir = ir;
	r->max_items = max;
	r->item_max = c->x->payload_limit ? c->x->payload_limit
	                                  : UNLIMITED_ITEM_MAX;
	r->bucket = asl_strdup(bucket);
	r->delim = ir->csv_delimiter ? ir->csv_delimiter : ',';
	r->given = ir->csv_given;
	rc = open_source(r, c, bucket, key);
	json_decref(p);
	if (rc < 0) {
		asl_reader_close(r);
		return NULL;
	}
	return r;
}

/* ---------------------------------------------------------------- next */

static int next_in_file(asl_reader *r, asl_ctx *c, enum kind k,
                        json_t **item)
{
	switch (k) {
	case K_JSON: return json_next(r, c, item);
	case K_JSONL: return jsonl_next(r, c, item);
	default: return csv_next(r, c, item);
	}
}

int asl_reader_next(asl_reader *r, asl_ctx *c, json_t **item,
                    const char **source)
{
	int rc;

	*item = NULL;
	*source = NULL;
	if (r->done || (r->max_items && r->count >= r->max_items))
		return 0;
	switch (r->kind) {
	case K_ARRAY:
		if (r->index == json_array_size(r->array))
			return 0;
		*item = json_incref(json_array_get(r->array, r->index++));
		rc = 1;
		break;
	case K_LIST: {
		asl_s3_err err = NULL;
		if ((rc = asl_s3_list_next(r->list, c, item, &err)) <= 0) {
			if (rc < 0) {
				reader_failed(c, "%s", err);
				free(err);
				r->done = true;
			}
			return rc;
		}
		free(r->item_source);
		r->item_source = asl_sprintf("s3://%s/%s", r->bucket,
		    json_string_value(json_object_get(*item, "Key")));
		*source = r->item_source;
		break;
	}
	default:
		if (r->ir->input_type != ASL_INPUT_MANIFEST) {
			rc = next_in_file(r, c, r->kind, item);
		} else {
			/* the data files one after the other */
			while ((rc = r->f ? next_in_file(r, c, r->data_kind, item)
			                  : 0) == 0) {
				if (!r->files) {
					/* ATHENA_DATA: no header row; each file its own */
					if (r->headers && !r->given) {
						for (size_t i = 0; i < r->n_headers; i++)
							free(r->headers[i]);
						free(r->headers);
						r->headers = NULL;
						r->n_headers = 0;
					}
				}
				if ((rc = manifest_next_file(r, c)) <= 0)
					break;
			}
		}
		*source = r->source;
		break;
	}
	if (rc < 0)
		r->done = true;
	if (rc > 0)
		r->count++;
	return rc;
}

/* ------------------------------------------------ items of an inline Map */

json_t *asl_map_items(asl_ctx *c, const asl_state *s, json_t *eff)
{
	json_t *items;

	if (s->items) {   /* JSONata: Items over $states.input, an array */
		asl_states st = { eff, NULL, NULL };
		return asl_jsonata_typed(c, s->items, "Items", &st, JSON_ARRAY);
	} else if (!s->items_path) {
		items = json_incref(eff);
	} else if (!asl_path_need(c, s->items_path, eff, &items)) {
		return NULL;
	}
	if (!json_is_array(items)) {
		char *d = asl_dump(items);
		asl_state_error(c, s->jsonata ? ASL_ERR(QUERY_EVALUATION_ERROR)
		                              : ASL_ERR(RUNTIME),
		                "Map state input must be an array but was: %s", d);
		free(d);
		json_decref(items);
		return NULL;
	}
	return items;
}
