/*
 * builtin_data.c - the built-in handlers of examples/fan-in-local-data:
 * they read real files under --s3-root (S3 as a folder, s3local.c).
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
#define _POSIX_C_SOURCE 200809L /* getline */
#include "dmap.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Validate one JSON Lines file; -1 with *why (to free) when it is bad. */
static int validate_file(const char *path, const char *name, long long *rows,
                         char **why)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long no = 0;
	int rc = 0;

	if (!f) {
		*why = asl_sprintf("%s: cannot open", name);
		return -1;
	}
	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		json_error_t err;
		json_t *v;
		no++;
		if (n <= 1)
			continue;
		v = json_loadb(line, (size_t)n, 0, &err);
		if (!v) {
			*why = asl_sprintf("%s line %lld: %s", name, no, err.text);
			rc = -1;
		} else if (!json_is_string(json_object_get(v, "ts")) ||
		           !json_is_string(json_object_get(v, "page")) ||
		           !json_is_string(json_object_get(v, "user"))) {
			*why = asl_sprintf("%s line %lld: a visit needs the strings "
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int partition_validator(asl_invocation *inv, json_t *event,
                               json_t **result, void *user)
{
	const char *bucket = json_string_value(json_object_get(event, "Bucket"));
	const char *marker = json_string_value(json_object_get(event, "Marker"));
	const char *slash;
	char *dir, *part, **names = NULL, *why = NULL;
	size_t n = 0, cap = 0;
	long long rows = 0, bytes = 0;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (!bucket || !marker || !(slash = strrchr(marker, '/')))
		return asl_fail(inv, "Partition.BadRequest", "need Bucket and a "
		                "Marker key: %s", marker ? marker : "(none)");
	char *prefix = asl_sprintf("%.*s", (int)(slash - marker), marker);
	dir = asl_s3_path(bucket, prefix);
	part = asl_strdup(strrchr(prefix, '/') ? strrchr(prefix, '/') + 1
	                                       : prefix);
	if (!(d = opendir(dir))) {
		rc = asl_fail(inv, "Partition.Missing", "no partition at s3://%s/%s",
		              bucket, prefix);
		goto out;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_name[0] == '_')
			continue; /* hidden files and markers hold no data */
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			if (!(names = realloc(names, cap * sizeof *names)))
				asl_oom();
		}
		names[n++] = asl_strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n && !rc; i++) {
		char *path = asl_sprintf("%s/%s", dir, names[i]);
		char *key = asl_sprintf("%s/%s", prefix, names[i]);
		struct stat st;
		if (stat(path, &st) == 0)
			bytes += st.st_size;
		if (validate_file(path, key, &rows, &why) < 0) {
			rc = asl_fail(inv, "Partition.Invalid", "%s", why);
			free(why);
		}
		free(path);
		free(key);
	}
	if (!rc) {
		asl_log(inv, "partition %s: %zu files, %lld rows", part, n, rows);
		*result = json_pack("{s:s, s:s, s:I, s:I, s:I}", "Partition", part,
		                    "Prefix", prefix, "Files", (json_int_t)n,
		                    "Rows", (json_int_t)rows,
		                    "Bytes", (json_int_t)bytes);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
out:
	free(prefix);
	free(dir);
	free(part);
	return rc;
}

/* Add the entries of one result file to the table's lists. */
static int read_results(const char *bucket, const char *key, json_t *parts,
                        json_t *failed)
{
	char *path = asl_s3_path(bucket, key);
	json_error_t err;
	json_t *all = json_load_file(path, 0, &err), *r;
	size_t i;

	free(path);
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
	json_error_t err;
	long long rows = 0;
	size_t i;
	json_t *v;
	int rc = 0;

	if (!bucket || !table || !rb || !rk)
		return asl_fail(inv, "Table.BadRequest", "need Bucket, Table and "
		                "Results (the Map's ResultWriterDetails)");
	char *path = asl_s3_path(rb, rk);
	manifest = json_load_file(path, 0, &err);
	free(path);
	if (!manifest) {
		json_decref(parts);
		json_decref(failed);
		return asl_fail(inv, "Table.NoResults", "cannot read s3://%s/%s: %s",
		                rb, rk, err.text);
	}
	static const char *const kinds[] = { "SUCCEEDED", "FAILED", "PENDING" };
	for (int k = 0; k < 3 && !rc; k++)
		json_array_foreach(json_object_get(json_object_get(manifest,
		                   "ResultFiles"), kinds[k]), i, v)
			if (read_results(rb, json_string_value(json_object_get(v, "Key")),
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
	char *loc = asl_sprintf("s3://%s/tables/%s/", bucket, table);
	json_object_set_new(m, "Location", json_string(loc));
	free(loc);
	if (json_array_size(failed))
		asl_log(inv, "Marking the table %s as partial: %zu partitions "
		        "failed", table, json_array_size(failed));

	char *key = asl_sprintf("tables/%s/_manifest.json", table);
	asl_s3_err e = NULL;
	FILE *f = asl_s3_put(NULL, bucket, key, &e);
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

void asl_register_data_builtins(asl_registry *reg)
{
	asl_registry_add(reg, "data_partition_validator", partition_validator,
	                 NULL);
	asl_registry_add(reg, "data_table_creator", table_creator, NULL);
}
