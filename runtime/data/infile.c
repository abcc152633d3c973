/*
 * infile.c - JSON input files (--input-file, stdin, the MockConfigFile),
 * parsed as they are read and never past a bound.
 */
#include "internal.h"

#include <stdio.h>

/* A JSON text read from f and parsed as it is read (an error stops the
 * reading: /dev/zero fails at its first byte), never more than max bytes
 * of it: past max, NULL with *too_big set. */
typedef struct bounded_read {
	FILE *f;
	size_t left;
	bool too_big, failed;
} bounded_read;

static size_t read_some(void *buffer, size_t buflen, void *data)
{
	bounded_read *r = data;
	size_t got;

	if (buflen > r->left + 1)
		buflen = r->left + 1;
	got = fread(buffer, 1, buflen, r->f);
	if (got > r->left) {
		r->too_big = true;
		return (size_t)-1;
	}
	if (!got && ferror(r->f)) {
		r->failed = true;
		return (size_t)-1;
	}
	r->left -= got;
	return got;
}

json_t *asl_load_bounded(FILE *f, size_t max, size_t flags, json_error_t *e,
                         bool *too_big, bool *failed)
{
	bounded_read r = { f, max, false, false };
	json_t *v = json_load_callback(read_some, &r, flags, e);

	*too_big = r.too_big;
	*failed = r.failed;
	if (r.too_big || r.failed) {
		json_decref(v);
		return NULL;
	}
	return v;
}
