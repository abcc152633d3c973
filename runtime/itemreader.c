/*
 * itemreader.c - the items of a Distributed Map, streamed: a JSON array
 * (split item by item, never loaded whole), JSON Lines, CSV, a manifest
 * of data files, an S3 listing, or the array in the state's input.  Each
 * call returns one item; memory holds one item (and one CSV row) at a
 * time, whatever the size of the file.
 */
#define _POSIX_C_SOURCE 200809L /* getline */
#include "dmap.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ buffers */

typedef struct buf {
	char *s;
	size_t n, cap;
} buf;

static void buf_put(buf *b, char ch)
{
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
	long long line;            /* K_JSONL, K_CSV: lines read */
	char **headers;            /* K_CSV */
	size_t n_headers;
	bool given;                /* headers given: not in the first row */
	char delim;

	/* MANIFEST: the data files still to read */
	FILE *manifest;            /* ATHENA_DATA: one s3:// URI per line */
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
	asl_set_error(c, "States.ItemReaderFailed", cause);
	free(cause);
	return -1;
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
	free(r->item_source);
	free(r->b.s);
	row_free(&r->row);
	free(r);
}

/* ---------------------------------------------------------------- JSON */

static int next_nonws(FILE *f)
{
	int ch;

	while ((ch = getc(f)) != EOF && isspace(ch))
		;
	return ch;
}

/* Copy the rest of a string (after its opening quote) into b. */
static int scan_string(FILE *f, buf *b)
{
	int ch;

	while ((ch = getc(f)) != EOF) {
		if (b)
			buf_put(b, (char)ch);
		if (ch == '"')
			return 0;
		if (ch == '\\') {
			if ((ch = getc(f)) == EOF)
				return -1;
			if (b)
				buf_put(b, (char)ch);
		}
	}
	return -1;
}

/* Copy one JSON value, whose first character is first, into b (or skip
 * it when b is NULL).  The value is only delimited here: jansson checks
 * it. */
static int scan_value(FILE *f, int first, buf *b)
{
	int ch = first, depth = 0;

	if (b)
		b->n = 0;
	if (ch != '{' && ch != '[' && ch != '"') {
		/* a number, true, false or null: up to a delimiter */
		while (ch != EOF && !isspace(ch) && ch != ',' && ch != ']' &&
		       ch != '}') {
			if (b)
				buf_put(b, (char)ch);
			ch = getc(f);
		}
		if (ch != EOF)
			ungetc(ch, f);
		return b && b->n == 0 ? -1 : 0;
	}
	for (;;) {
		if (ch == EOF)
			return -1;
		if (b)
			buf_put(b, (char)ch);
		if (ch == '"') {
			if (scan_string(f, b) < 0)
				return -1;
		} else if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			depth--;
		}
		if (depth == 0)
			return 0;
		ch = getc(f);
	}
}

static json_t *parse_buf(buf *b)
{
	json_error_t err;
	return json_loadb(b->s ? b->s : "", b->n, JSON_DECODE_ANY, &err);
}

/* Walk down the ItemsPointer ("/a/0/b") to the array of the items. */
static int json_descend(asl_reader *r, asl_ctx *c, const char *pointer)
{
	const char *p = pointer;

	while (p && *p == '/') {
		const char *end = strchr(p + 1, '/');
		size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
		char *seg = asl_xmalloc(n + 1), *o = seg;
		int ch = next_nonws(r->f);
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
			while ((ch = next_nonws(r->f)) == '"' && !found) {
				json_t *k;
				if (scan_value(r->f, ch, &r->b) < 0 || !(k = parse_buf(&r->b)))
					break;
				found = !strcmp(json_string_value(k), seg);
				json_decref(k);
				if (next_nonws(r->f) != ':')
					break;
				if (found)
					break;
				if (scan_value(r->f, next_nonws(r->f), NULL) < 0)
					break;
				if ((ch = next_nonws(r->f)) != ',')
					break;
			}
		} else if (ch == '[') {
			char *e;
			long idx = strtol(seg, &e, 10);
			if (*seg && !*e && idx >= 0) {
				found = true;
				for (long i = 0; i < idx && found; i++) {
					ch = next_nonws(r->f);
					found = ch != ']' && scan_value(r->f, ch, NULL) == 0 &&
					        next_nonws(r->f) == ',';
				}
			}
		}
		free(seg);
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
	if ((ch = next_nonws(r->f)) != '[')
		return reader_failed(c, "Attempting to map over non-iterable "
		                     "node.");
	r->started = true;
	return 0;
}

static int json_next(asl_reader *r, asl_ctx *c, json_t **item)
{
	int ch;

	if (!r->started && json_start(r, c) < 0)
		return -1;
	ch = next_nonws(r->f);
	if (r->count > 0 || r->line > 0) {
		/* after an item: ',' or the end of the array */
		if (ch == ']')
			return 0;
		if (ch != ',')
			return reader_failed(c, "Invalid JSON in %s after item %lld",
			                     r->source, r->line);
		ch = next_nonws(r->f);
	} else if (ch == ']') {
		return 0;
	}
	if (scan_value(r->f, ch, &r->b) < 0 || !(*item = parse_buf(&r->b)))
		return reader_failed(c, "Invalid JSON in %s at item %lld",
		                     r->source, r->line);
	r->line++;
	return 1;
}

/* ----------------------------------------------------------- JSON Lines */

static int jsonl_next(asl_reader *r, asl_ctx *c, json_t **item)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	json_error_t err;

	for (;;) {
		if ((n = getline(&line, &cap, r->f)) < 0) {
			free(line);
			return 0;
		}
		r->line++;
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (n == 0)
			continue; /* blank lines carry no item */
		*item = json_loadb(line, (size_t)n, JSON_DECODE_ANY, &err);
		free(line);
		if (!*item)
			return reader_failed(c, "Invalid JSON in %s at line %lld: %s",
			                     r->source, r->line, err.text);
		return 1;
	}
}

/* ------------------------------------------------------------------ CSV */

static buf *row_field(row *rw)
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
	fb->n = 0;
	buf_put(fb, '\0'); /* an empty field is "", not NULL */
	fb->n = 0;
	fb->s[0] = '\0';
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

/*
 * One record: fields split at the delimiter; a field in double quotes may
 * hold the delimiter and line breaks, "" in it is one quote; a backslash
 * takes the next character literally.  Returns the number of fields, 0 at
 * the end of the file, -1 when a quote is not closed.
 */
static int csv_row(asl_reader *r, row *rw)
{
	int ch = getc(r->f);

	rw->n = 0;
	if (ch == EOF)
		return 0;
	r->line++;
	for (;;) {
		buf *fb = row_field(rw);
		bool quoted = false;

		if (ch == '"') {
			quoted = true;
			ch = getc(r->f);
		}
		for (;;) {
			if (ch == EOF) {
				if (quoted)
					return -1;
				break;
			}
			if (quoted && ch == '"') {
				ch = getc(r->f);
				if (ch == '"') {
					buf_put(fb, '"');
					ch = getc(r->f);
					continue;
				}
				quoted = false;
				continue;
			}
			if (!quoted && (ch == r->delim || ch == '\n'))
				break;
			if (!quoted && ch == '\r') {
				int nx = getc(r->f);
				if (nx == '\n') {
					ch = nx;
					break;
				}
				if (nx != EOF)
					ungetc(nx, r->f);
			}
			if (ch == '\\' && (ch = getc(r->f)) == EOF)
				break;
			if (ch == '\n')
				r->line++;
			buf_put(fb, (char)ch);
			ch = getc(r->f);
		}
		if (ch != r->delim)
			return (int)rw->n;
		ch = getc(r->f);
	}
}

static bool blank_row(const row *rw)
{
	return rw->n == 1 && rw->fields[0].n == 0;
}

static int csv_headers(asl_reader *r, asl_ctx *c)
{
	row rw = { NULL, 0, 0 };
	int rc;

	if (r->given) {
		r->n_headers = r->ir->n_csv_headers;
		r->headers = asl_xmalloc(r->n_headers * sizeof *r->headers);
		for (size_t i = 0; i < r->n_headers; i++)
			r->headers[i] = asl_strdup(r->ir->csv_headers[i]);
	} else {
		while ((rc = csv_row(r, &rw)) > 0 && blank_row(&rw))
			;
		if (rc < 0) {
			row_free(&rw);
			return reader_failed(c, "Invalid CSV in %s at line %lld: "
			                     "unterminated quoted field", r->source,
			                     r->line);
		}
		r->n_headers = rc > 0 ? rw.n : 0;
		r->headers = asl_xmalloc((r->n_headers ? r->n_headers : 1) *
		                         sizeof *r->headers);
		for (size_t i = 0; i < r->n_headers; i++)
			r->headers[i] = asl_strdup(rw.fields[i].s ? rw.fields[i].s : "");
	}
	row_free(&rw);
	for (size_t i = 0; i < r->n_headers; i++)
		for (size_t j = i + 1; j < r->n_headers; j++)
			if (!strcmp(r->headers[i], r->headers[j]))
				return reader_failed(c, "CSV headers cannot contain "
				                     "duplicates.");
	return 0;
}

static int csv_next(asl_reader *r, asl_ctx *c, json_t **item)
{
	row *rw = &r->row;
	int rc;

	if (!r->headers && csv_headers(r, c) < 0)
		return -1;
	while ((rc = csv_row(r, rw)) > 0 && blank_row(rw))
		;
	if (rc < 0)
		return reader_failed(c, "Invalid CSV in %s at line %lld: "
		                     "unterminated quoted field", r->source,
		                     r->line);
	if (rc == 0)
		return 0;
	/* Every field a string; a short row is padded with "", the fields
	 * beyond the headers are dropped. */
	*item = json_object();
	for (size_t i = 0; i < r->n_headers; i++)
		json_object_set_new(*item, r->headers[i], json_stringn(
		    i < rw->n ? rw->fields[i].s : "",
		    i < rw->n ? rw->fields[i].n : 0));
	return 1;
}

/* ------------------------------------------------------------- opening */

/* The string parameter name of the ItemReader's evaluated Parameters. */
static const char *param(json_t *p, const char *name)
{
	return json_string_value(json_object_get(p, name));
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
	r->line = 0;
	if (!(r->f = asl_s3_get(c, bucket, key, &err))) {
		reader_failed(c, "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

/* MANIFEST: open the next data file; 0 when there is none. */
static int manifest_next_file(asl_reader *r, asl_ctx *c)
{
	char *line = NULL, bucket[1024];
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	if (r->files) {
		json_t *fo = json_array_get(r->files, r->next_file++);
		const char *key = param(fo, "key");
		if (!fo)
			return 0;
		if (!key)
			return reader_failed(c, "The manifest %s lists a file without "
			                     "a key", r->source);
		return open_object(r, c, r->data_bucket, key) < 0 ? -1 : 1;
	}
	while ((n = getline(&line, &cap, r->manifest)) >= 0) {
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (n == 0)
			continue;
		const char *k;
		if (strncmp(line, "s3://", 5) ||
		    !(k = strchr(line + 5, '/')) ||
		    (size_t)(k - line - 5) >= sizeof bucket) {
			rc = reader_failed(c, "The manifest lists an invalid S3 URI: "
			                   "%s", line);
			break;
		}
		snprintf(bucket, sizeof bucket, "%.*s", (int)(k - line - 5),
		         line + 5);
		/* a data file in JSON Lines or, else, CSV */
		size_t kl = strlen(k);
		r->data_kind = kl > 6 && !strcmp(k + kl - 6, ".jsonl") ? K_JSONL
		                                                       : K_CSV;
		rc = open_object(r, c, bucket, k + 1) < 0 ? -1 : 1;
		break;
	}
	free(line);
	return rc;
}

static int open_manifest(asl_reader *r, asl_ctx *c, const char *bucket,
                         const char *key)
{
	const char *type = r->ir->manifest_type;

	if (open_object(r, c, bucket, key) < 0)
		return -1;
	if (type && !strcmp(type, "ATHENA_DATA")) {
		r->manifest = r->f;
		r->f = NULL;
		r->data_kind = K_CSV;
		return 0;
	}
	/* S3_INVENTORY: manifest.json names the CSV files and their columns */
	json_error_t e;
	json_t *m = json_loadf(r->f, 0, &e);
	const char *schema = param(m, "fileSchema"),
	           *dest = param(m, "destinationBucket");
	fclose(r->f);
	r->f = NULL;
	if (!m || !schema || !json_is_array(json_object_get(m, "files"))) {
		json_decref(m);
		return reader_failed(c, "The manifest %s is not an S3 Inventory "
		                     "manifest", r->source);
	}
	if (strcmp(param(m, "fileFormat") ? param(m, "fileFormat") : "CSV",
	           "CSV")) {
		json_decref(m);
		return reader_failed(c, "Only CSV S3 Inventory files are read "
		                     "locally");
	}
	r->files = json_incref(json_object_get(m, "files"));
	r->data_bucket = asl_strdup(dest && !strncmp(dest, "arn:aws:s3:::", 13)
	                            ? dest + 13 : dest ? dest : bucket);
	r->data_kind = K_CSV;
	/* "Bucket, Key, Size" */
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
	r->given = true;
	json_decref(m);
	return 0;
}

static bool long_field(asl_ctx *c, const asl_path *p, json_t *eff,
                       long long *out)
{
	json_t *v;

	if (asl_path_get(c, p, eff, &v) != ASL_FOUND) {
		asl_missing_path(c, p);
		return false;
	}
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

asl_reader *asl_reader_open(asl_ctx *c, const asl_state *s, json_t *eff)
{
	const asl_item_reader *ir = s->item_reader;
	asl_reader *r;
	json_t *p;
	const char *bucket, *key;
	long long max = 0;
	int rc;

	if (!ir)
		return open_array(c, s, eff);
	if (ir->max_items_path) {
		if (!long_field(c, ir->max_items_path, eff, &max))
			return NULL;
	} else {
		max = ir->max_items;
	}
	if ((ir->max_items_path || ir->max_items) &&
	    (max <= 0 || max > 100000000)) {
		reader_failed(c, "field MaxItems must be positive and at most "
		              "100000000");
		return NULL;
	}
	p = ir->parameters ? asl_eval(c, ir->parameters, eff,
	                              "ItemReader.Parameters") : json_object();
	if (!p)
		return NULL;
	bucket = param(p, "Bucket");
	key = param(p, ir->resource == ASL_READ_LIST_OBJECTS ? "Prefix" : "Key");
	if (!bucket || (!key && ir->resource == ASL_READ_GET_OBJECT)) {
		json_decref(p);
		reader_failed(c, "The ItemReader's Parameters need a string "
		              "'Bucket' and %s",
		              ir->resource == ASL_READ_GET_OBJECT ? "'Key'"
		                                                  : "'Prefix'");
		return NULL;
	}
	r = calloc(1, sizeof *r);
	if (!r)
		asl_oom();
	r->ir = ir;
	r->max_items = max;
	r->bucket = asl_strdup(bucket);
	r->delim = ir->csv_delimiter ? ir->csv_delimiter : ',';
	r->given = ir->csv_given;

	if (ir->resource == ASL_READ_LIST_OBJECTS) {
		asl_s3_err err = NULL;
		r->kind = K_LIST;
		r->list = asl_s3_list_open(c, bucket, key, &err);
		rc = r->list ? 0 : reader_failed(c, "%s", err);
		free(err);
	} else {
		switch (ir->input_type) {
		case ASL_INPUT_JSON: r->kind = K_JSON; break;
		case ASL_INPUT_JSONL: r->kind = K_JSONL; break;
		case ASL_INPUT_CSV: r->kind = K_CSV; break;
		case ASL_INPUT_MANIFEST: r->kind = K_CSV; break;
		default:
			json_decref(p);
			asl_reader_close(r);
			reader_failed(c, "InputType PARQUET is not supported locally");
			return NULL;
		}
		if (ir->input_type == ASL_INPUT_MANIFEST)
			rc = open_manifest(r, c, bucket, key);
		else
			rc = open_object(r, c, bucket, key);
	}
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
	case K_LIST:
		if (!(*item = asl_s3_list_next(r->list)))
			return 0;
		free(r->item_source);
		r->item_source = asl_sprintf("s3://%s/%s", r->bucket,
		    json_string_value(json_object_get(*item, "Key")));
		*source = r->item_source;
		rc = 1;
		break;
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
