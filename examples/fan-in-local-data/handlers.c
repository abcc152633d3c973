/*
 * handlers.c - the handlers of examples/fan-in-local-data, a handler
 * library (--handlers-lib, doc/handlers.md): they read real files under
 * the program's --s3-root through <asl2c/handler.h>'s S3 functions.
 *
 * data_partition_validator  {"Bucket", "Marker": "visits/hour=NN/_SUCCESS"}
 *     reads every data file of the partition (JSON Lines of visits with a
 *     string "ts", "page" and "user"), and returns {"Partition", "Files",
 *     "Rows", "Bytes"}; a malformed line fails it with Partition.Invalid.
 * data_table_creator  {"Bucket", "Table", "Results": ResultWriterDetails}
 *     reads the Map Run's manifest.json and result files, and writes the
 *     table's manifest to s3://Bucket/tables/Table/_manifest.json, flagged
 *     partial when a partition failed.  Returns that manifest.
 */
#define _POSIX_C_SOURCE 200809L /* getline, strdup */
#include <asl2c/asl2c.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* printf into a new string (to free); aborts when out of memory, as the
 * runtime does. */
static char *fmt(const char *f, ...) ASL_PRINTF(1, 2);
static char *fmt(const char *f, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		abort();
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

/* Validate one JSON Lines file (f, closed); -1 with *why (to free) when
 * it is bad. */
static int validate_file(FILE *f, const char *name, long long *rows,
                         char **why)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long no = 0;
	int rc = 0;

	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		json_error_t err;
		json_t *v;
		no++;
		if (n <= 1)
			continue;
		v = json_loadb(line, (size_t)n, 0, &err);
		if (!v) {
			*why = fmt("%s line %lld: %s", name, no, err.text);
			rc = -1;
		} else if (!json_is_string(json_object_get(v, "ts")) ||
		           !json_is_string(json_object_get(v, "page")) ||
		           !json_is_string(json_object_get(v, "user"))) {
			*why = fmt("%s line %lld: a visit needs the strings "
			                   "ts, page and user", name, no);
			rc = -1;
		} else {
			(*rows)++;
		}
		json_decref(v);
	}
	free(line);
	fclose(f);
	return rc;
}

/* The data files of a partition are the objects directly under its
 * prefix, in S3's key order, but hidden files and markers ("." and "_"):
 * listed (never through a link, s3local.c) and read one after the
 * other. */
static int partition_validator(asl_invocation *inv, json_t *event,
                               json_t **result, void *user)
{
	const char *bucket = json_string_value(json_object_get(event, "Bucket"));
	const char *marker = json_string_value(json_object_get(event, "Marker"));
	const char *slash;
	char *dir, *part, *why = NULL;
	long long n = 0, rows = 0, bytes = 0;
	bool seen = false;
	asl_s3_list *l;
	char *err = NULL;
	json_t *o;
	int rc = 0, more = 0;

	(void)user;
	if (!bucket || !marker || !(slash = strrchr(marker, '/')))
		return asl_fail(inv, "Partition.BadRequest", "need Bucket and a "
		                "Marker key: %s", marker ? marker : "(none)");
	char *prefix = fmt("%.*s", (int)(slash - marker), marker);
	dir = fmt("%s/", prefix);
	part = fmt("%s", strrchr(prefix, '/') ? strrchr(prefix, '/') + 1
	                                      : prefix);
	if (!(l = asl_s3_objects_open(inv, bucket, dir, &err))) {
		rc = asl_fail(inv, "Partition.Missing", "no partition at s3://%s/%s: "
		              "%s", bucket, prefix, err);
		goto out;
	}
	while (!rc && (more = asl_s3_objects_next(inv, l, &o, &err)) > 0) {
		const char *key = json_string_value(json_object_get(o, "Key"));
		const char *name = key + strlen(dir);
		FILE *f;
		seen = true;
		if (strchr(name, '/') || name[0] == '.' || name[0] == '_') {
			json_decref(o); /* a sub-folder, a hidden file, a marker */
			continue;
		}
		n++;
		bytes += json_integer_value(json_object_get(o, "Size"));
		if (!(f = asl_s3_object_read(inv, bucket, key, &err)))
			rc = asl_fail(inv, "Partition.Invalid", "%s: %s", key, err);
		else if (validate_file(f, key, &rows, &why) < 0)
			rc = asl_fail(inv, "Partition.Invalid", "%s", why);
		free(why);
		why = NULL;
		json_decref(o);
	}
	asl_s3_objects_close(l);
	if (!rc && more < 0)
		rc = asl_fail(inv, "Partition.Missing", "cannot list s3://%s/%s: %s",
		              bucket, dir, err);
	else if (!rc && !seen)
		rc = asl_fail(inv, "Partition.Missing", "no partition at s3://%s/%s",
		              bucket, prefix);
	if (!rc) {
		asl_log(inv, "partition %s: %lld files, %lld rows", part, n, rows);
		*result = json_pack("{s:s, s:s, s:I, s:I, s:I}", "Partition", part,
		                    "Prefix", prefix, "Files", (json_int_t)n,
		                    "Rows", (json_int_t)rows,
		                    "Bytes", (json_int_t)bytes);
	}
out:
	free(err);
	free(prefix);
	free(dir);
	free(part);
	return rc;
}

/* An object's JSON (the Map Run's manifest, a result file), or NULL with
 * *why (to free). */
static json_t *load_object(asl_invocation *inv, const char *bucket, const char *key, char **why)
{
	char *e = NULL;
	json_error_t err;
	FILE *f = asl_s3_object_read(inv, bucket, key, &e);
	json_t *v;

	if (!f) {
		*why = e;
		return NULL;
	}
	if (!(v = json_loadf(f, 0, &err)))
		*why = fmt("%s", err.text);
	fclose(f);
	return v;
}

/* Add the entries of one result file to the table's lists. */
static int read_results(asl_invocation *inv, const char *bucket, const char *key, json_t *parts,
                        json_t *failed)
{
	char *why = NULL;
	json_t *all = load_object(inv, bucket, key, &why), *r;
	json_error_t err;
	size_t i;

	free(why);
	if (!json_is_array(all)) {
		json_decref(all);
		return -1;
	}
	json_array_foreach(all, i, r) {
		const char *status = json_string_value(json_object_get(r, "Status"));
		json_t *in = json_loads(json_string_value(json_object_get(r, "Input"))
		                        ? json_string_value(json_object_get(r, "Input"))
		                        : "null", JSON_DECODE_ANY, &err);
		if (status && !strcmp(status, "SUCCEEDED")) {
			json_t *out = json_loads(json_string_value(
			    json_object_get(r, "Output")), JSON_DECODE_ANY, &err);
			if (json_object_get(out, "Partition"))
				json_array_append(parts, out);
			json_decref(out);
		} else {
			json_array_append_new(failed, json_pack("{s:O?, s:O?, s:O?}",
			    "Marker", json_object_get(in, "Marker"),
			    "Error", json_object_get(r, "Error"),
			    "Cause", json_object_get(r, "Cause")));
		}
		json_decref(in);
	}
	json_decref(all);
	return 0;
}

static int table_creator(asl_invocation *inv, json_t *event, json_t **result,
                         void *user)
{
	json_t *details = json_object_get(event, "Results");
	const char *bucket = json_string_value(json_object_get(event, "Bucket"));
	const char *table = json_string_value(json_object_get(event, "Table"));
	const char *rb = json_string_value(json_object_get(details, "Bucket"));
	const char *rk = json_string_value(json_object_get(details, "Key"));
	json_t *manifest, *parts = json_array(), *failed = json_array(), *m;
	char *why = NULL;
	long long rows = 0;
	size_t i;
	json_t *v;
	int rc = 0;

	(void)user;
	if (!bucket || !table || !rb || !rk)
		return asl_fail(inv, "Table.BadRequest", "need Bucket, Table and "
		                "Results (the Map's ResultWriterDetails)");
	if (!(manifest = load_object(inv, rb, rk, &why))) {
		json_decref(parts);
		json_decref(failed);
		rc = asl_fail(inv, "Table.NoResults", "cannot read s3://%s/%s: %s",
		              rb, rk, why);
		free(why);
		return rc;
	}
	static const char *const kinds[] = { "SUCCEEDED", "FAILED", "PENDING" };
	for (int k = 0; k < 3 && !rc; k++)
		json_array_foreach(json_object_get(json_object_get(manifest,
		                   "ResultFiles"), kinds[k]), i, v)
			if (read_results(inv, rb, json_string_value(json_object_get(v, "Key")),
			                 parts, failed) < 0)
				rc = asl_fail(inv, "Table.NoResults", "cannot read the "
				              "result file %s", json_string_value(
				              json_object_get(v, "Key")));
	json_decref(manifest);
	if (rc) {
		json_decref(parts);
		json_decref(failed);
		return rc;
	}
	json_array_foreach(parts, i, v)
		rows += json_integer_value(json_object_get(v, "Rows"));
	m = json_pack("{s:s, s:s, s:b, s:I, s:o, s:o}", "Table", table,
	              "Location", "", "Partial", json_array_size(failed) > 0,
	              "Rows", (json_int_t)rows, "Partitions", parts,
	              "FailedPartitions", failed);
	char *loc = fmt("s3://%s/tables/%s/", bucket, table);
	json_object_set_new(m, "Location", json_string(loc));
	free(loc);
	if (json_array_size(failed))
		asl_log(inv, "Marking the table %s as partial: %zu partitions "
		        "failed", table, json_array_size(failed));

	char *key = fmt("tables/%s/_manifest.json", table);
	char *e = NULL;
	FILE *f = asl_s3_object_write(inv, bucket, key, &e);
	if (!f || json_dumpf(m, f, JSON_INDENT(2)) < 0 || fputc('\n', f) == EOF) {
		rc = asl_fail(inv, "Table.WriteFailed", "s3://%s/%s: %s", bucket,
		              key, e ? e : "write error");
	}
	if (f && fclose(f) != 0 && !rc)
		rc = asl_fail(inv, "Table.WriteFailed", "s3://%s/%s", bucket, key);
	free(e);
	free(key);
	if (rc) {
		json_decref(m);
		return rc;
	}
	*result = m;
	return 0;
}

int asl2c_register(asl_registry *reg)
{
	return asl_registry_add(reg, "data_partition_validator",
	                        partition_validator, NULL) ||
	       asl_registry_add(reg, "data_table_creator", table_creator, NULL);
}
