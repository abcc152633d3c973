/*
 * resultwriter.c - ResultWriter: the child executions' results written to
 * s3://Bucket/Prefix/MAP_RUN_ID/ as AWS lays them out: SUCCEEDED_n.json,
 * FAILED_n.json, PENDING_n.json (JSON arrays, or JSON Lines with
 * WriterConfig.OutputType JSONL), then manifest.json naming them.  Each
 * result is appended as its execution ends, so memory does not grow with
 * the number of items.  Not thread-safe: dmap.c calls it under its lock.
 */
#include "data.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A result file is closed and the next one started past this size. */
#define FILE_LIMIT (5LL * 1024 * 1024 * 1024)

static const char *const status_names[] = {
	[ASL_RUN_SUCCEEDED] = "SUCCEEDED", [ASL_RUN_FAILED] = "FAILED",
	[ASL_RUN_PENDING] = "PENDING"
};

typedef struct out {
	FILE *f;
	char *key;
	int index;          /* n of STATUS_n.json */
	long long size;
	long long entries;  /* in the current file */
	json_t *files;      /* [{Key, Size}] */
} out;

struct asl_rwriter {
	asl_ctx *c;
	char *bucket;
	char *dir;          /* "Prefix/MAP_RUN_ID/" */
	char *map_run_arn;
	bool jsonl;
	int transformation;
	out outs[3];
	char *error;        /* the first write error */
};

asl_rwriter *asl_rwriter_open(asl_ctx *c, const asl_state *s, json_t *eff,
                              const char *map_run_arn,
                              const char *map_run_id)
{
	const asl_result_writer *rw = s->result_writer;
	json_t *p = asl_state_value(c, s, rw->parameters, eff,
	                            "ResultWriter.Parameters",
	                            "ResultWriter/Arguments");
	const char *bucket, *prefix;
	char *dir, *manifest;
	asl_rwriter *w;
	asl_s3_err err;

	if (!p)
		return NULL;
	bucket = json_string_value(json_object_get(p, "Bucket"));
	prefix = json_string_value(json_object_get(p, "Prefix"));
	if (!bucket) {
		json_decref(p);
		asl_raise(c, ASL_ERR(RESULT_WRITER_FAILED), "The ResultWriter's "
		          "Parameters need a string 'Bucket'");
		return NULL;
	}
	if (!prefix)
		prefix = "";
	/* No file name holds a NUL character ("\u0000"). */
	bool nul_bucket = strlen(bucket) !=
	                  json_string_length(json_object_get(p, "Bucket"));
	json_t *pv = json_object_get(p, "Prefix");
	if (nul_bucket ||
	    (json_is_string(pv) && strlen(prefix) != json_string_length(pv))) {
		json_decref(p);
		asl_raise(c, ASL_ERR(RESULT_WRITER_FAILED), "The ResultWriter's "
		          "'%s' holds a NUL character (\\u0000): no file under "
		          "--s3-root has such a name",
		          nul_bucket ? "Bucket" : "Prefix");
		return NULL;
	}
	dir = asl_sprintf("%s%s%s/", prefix,
	                  *prefix && prefix[strlen(prefix) - 1] != '/' ? "/" : "",
	                  map_run_id);
	manifest = asl_sprintf("%smanifest.json", dir);
	/* A bucket that is missing, a prefix that no folder can hold: the
	 * Map fails before any child runs. */
	if ((err = asl_s3_check_bucket(c, bucket)) ||
	    (err = asl_s3_check_key(c, bucket, manifest))) {
		json_decref(p);
		free(dir);
		free(manifest);
		asl_raise(c, ASL_ERR(RESULT_WRITER_FAILED), "%s", err);
		free(err);
		return NULL;
	}
	free(manifest);
	w = calloc(1, sizeof *w);
	if (!w)
		asl_oom();
	w->c = c;
	w->bucket = asl_strdup(bucket);
	w->dir = dir;
	w->map_run_arn = asl_strdup(map_run_arn);
	w->jsonl = rw->jsonl;
	w->transformation = rw->transformation;
	for (int i = 0; i < 3; i++)
		w->outs[i].files = json_array();
	json_decref(p);
	return w;
}

/* Keep the first error (consumed), the reason the Map fails. */
static void failed(asl_rwriter *w, asl_s3_err err)
{
	if (!w->error)
		w->error = err;
	else
		free(err);
}

/* A write to s3://bucket/key failed with errnum. */
static int write_failed(asl_rwriter *w, const char *key, int errnum)
{
	failed(w, asl_s3_io_error(w->c, w->bucket, key, errnum));
	return -1;
}

/* Finish the current file of o: close its array, note its size. */
static int finish_file(asl_rwriter *w, out *o)
{
	int rc = 0;

	if (!o->f)
		return 0;
	if (!w->jsonl) {
		const char *end = o->entries ? "]" : "[]";
		if (fputs(end, o->f) == EOF)
			rc = write_failed(w, o->key, errno);
		o->size += (long long)strlen(end);
	}
	if (fclose(o->f) != 0 && rc == 0)
		rc = write_failed(w, o->key, errno);
	o->f = NULL;
	json_array_append_new(o->files, json_pack("{s:s, s:I}", "Key", o->key,
	                                          "Size", (json_int_t)o->size));
	free(o->key);
	o->key = NULL;
	return rc;
}

static int write_entry(asl_rwriter *w, int status, json_t *v)
{
	out *o = &w->outs[status];
	char *text;
	int n;

	if (o->f && o->size > FILE_LIMIT) {
		if (finish_file(w, o) < 0)
			return -1;
		o->index++;
	}
	if (!o->f) {
		asl_s3_err err = NULL;
		o->key = asl_sprintf("%s%s_%d.%s", w->dir, status_names[status],
		                     o->index, w->jsonl ? "jsonl" : "json");
		if (!(o->f = asl_s3_put(w->c, w->bucket, o->key, &err))) {
			failed(w, err);
			return -1;
		}
		o->entries = 0;
		o->size = 0;
	}
	text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!text)
		asl_oom();
	if (w->jsonl)
		n = fprintf(o->f, "%s\n", text);
	else
		n = fprintf(o->f, "%s%s", o->entries ? "," : "[", text);
	free(text);
	if (n < 0)
		return write_failed(w, o->key, errno);
	o->size += n;
	o->entries++;
	return 0;
}

int asl_rwriter_add(asl_rwriter *w, int status, json_t *entry,
                    json_t *output)
{
	int rc = 0;

	if (status == ASL_RUN_SUCCEEDED && output &&
	    w->transformation == ASL_TRANSFORM_FLATTEN &&
	    json_is_array(output)) {
		size_t i;
		json_t *v;
		json_array_foreach(output, i, v)
			if (write_entry(w, status, v) < 0)
				rc = -1;
	} else if (status == ASL_RUN_SUCCEEDED && output &&
	           (w->transformation == ASL_TRANSFORM_COMPACT ||
	            w->transformation == ASL_TRANSFORM_FLATTEN)) {
		rc = write_entry(w, status, output);
	} else {
		rc = write_entry(w, status, entry);
	}
	json_decref(entry);
	return rc;
}

int asl_rwriter_close(asl_rwriter *w, asl_ctx *c, json_t **result)
{
	char *key = asl_sprintf("%smanifest.json", w->dir);
	asl_s3_err err = NULL;
	FILE *f;
	int rc = 0;

	for (int i = 0; i < 3; i++)
		finish_file(w, &w->outs[i]);
	if (!w->error && (f = asl_s3_put(c, w->bucket, key, &err))) {
		json_t *m = json_pack("{s:s, s:s, s:{s:O, s:O, s:O}}",
		                      "DestinationBucket", w->bucket,
		                      "MapRunArn", w->map_run_arn,
		                      "ResultFiles",
		                      "FAILED", w->outs[ASL_RUN_FAILED].files,
		                      "PENDING", w->outs[ASL_RUN_PENDING].files,
		                      "SUCCEEDED", w->outs[ASL_RUN_SUCCEEDED].files);
		int e = 0;
		errno = 0;
		if (json_dumpf(m, f, JSON_INDENT(2)) < 0 || fputc('\n', f) == EOF)
			e = errno ? errno : EIO;
		if (fclose(f) != 0 && !e)
			e = errno;
		json_decref(m);
		if (e)
			write_failed(w, key, e);
	} else {
		failed(w, err);
	}
	if (w->error) {
		asl_raise(c, ASL_ERR(RESULT_WRITER_FAILED), "%s", w->error);
		rc = -1;
	} else {
		*result = json_pack("{s:s, s:{s:s, s:s}}",
		                    "MapRunArn", w->map_run_arn,
		                    "ResultWriterDetails", "Bucket", w->bucket,
		                    "Key", key);
	}
	free(key);
	asl_rwriter_free(w);
	return rc < 0 ? -1 : 0;
}

const char *asl_rwriter_error(const asl_rwriter *w)
{
	return w->error ? w->error : "Cannot write the Map Run's results";
}

void asl_rwriter_free(asl_rwriter *w)
{
	if (!w)
		return;
	for (int i = 0; i < 3; i++) {
		if (w->outs[i].f)
			fclose(w->outs[i].f);
		free(w->outs[i].key);
		json_decref(w->outs[i].files);
	}
	free(w->bucket);
	free(w->dir);
	free(w->map_run_arn);
	free(w->error);
	free(w);
}
