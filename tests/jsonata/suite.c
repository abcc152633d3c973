/*
 * suite.c - runs the JSONata test suite (jsonata-js's, as language-neutral
 * JSON cases: groups/NAME/caseNNN.json, each a case or an array of cases,
 * and datasets/NAME.json) through the engine, and prints the counts.
 *
 *   suite DIR [--floor N] [--failures FILE] [--group NAME] [--parsed] [--engine] [-v]
 *
 * Each expression runs as a generated program runs it, from its compiled
 * form (parsed, encoded by asl_jsonata_encode, read back by
 * asl_jsonata_load); --parsed runs the parsed expression itself, as
 * asl2c-jsonata does.  A case passes when the result deep-equals "result" (numbers compared as
 * doubles), is undefined for "undefinedResult", or fails with "code".
 * Exit 1 when fewer than N cases pass, 77 (skipped) when DIR is absent.
 */
#include "jsonata.h"

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *suite;
static long time_scale = 1;   /* JSONATA_TIME_SCALE: slower builds (valgrind, sanitizers) */
static int passed, failed, verbose, parsed_only, engine_only;
static FILE *failures;

static bool equal(json_t *a, json_t *b)
{
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b) ||
		       fabs(json_number_value(a) - json_number_value(b)) <= 1e-15 * fabs(json_number_value(b));
	if (json_typeof(a) != json_typeof(b)) return false;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b)) return false;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!equal(json_array_get(a, i), json_array_get(b, i))) return false;
		return true;
	}
	if (json_is_object(a)) {
		if (json_object_size(a) != json_object_size(b)) return false;
		const char *k; json_t *v;
		json_object_foreach(a, k, v) {
			json_t *w = json_object_get(b, k);
			if (!w || !equal(v, w)) return false;
		}
		return true;
	}
	return json_equal(a, b);
}

static json_t *dataset(const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/datasets/%s.json", suite, name);
	json_error_t e;
	return json_load_file(path, JSON_DECODE_ANY, &e);
}

static void fail(const char *id, json_t *t, const char *why)
{
	failed++;
	char *s = json_dumps(json_object_get(t, "expr"), JSON_ENCODE_ANY);
	if (failures) fprintf(failures, "%s\t%s\t%s\n", id, why, s ? s : "");
	if (verbose) fprintf(stderr, "FAIL %s: %s: %s\n", id, why, s ? s : "");
	free(s);
}

/* A fixed clock: the suite's $now() cases compare it with itself. */
static double fixed_now(void *ctx) { (void)ctx; return 1700000000000.0; }
static double next(void *ctx) { return asl_jsonata_splitmix(ctx); }

/* What a generated program runs: the expression of E's compiled form
 * (asl_jsonata_encode, then asl_jsonata_load), unless --parsed. */
static asl_jsonata_expr *compiled(asl_jsonata_expr *e, asl_jsonata_error *err)
{
	if (!e || parsed_only) return e;
	size_t len;
	char *form = asl_jsonata_encode(e, &len);
	asl_jsonata_expr *loaded = asl_jsonata_load(form, len, err);
	free(form);
	asl_jsonata_free(e);
	return loaded;
}

static void run_case(const char *id, json_t *t)
{
	if (!t) return;
	const char *expr = json_string_value(json_object_get(t, "expr"));
	char *fexpr = NULL;
	const char *ef = json_string_value(json_object_get(t, "expr-file"));
	if (!expr && ef) {
		char path[16384];
		snprintf(path, sizeof path, "%s/groups/%s", suite, id);
		char *slash = strrchr(path, '/');
		snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", ef);
		FILE *f = fopen(path, "rb");
		if (f) {
			size_t cap = 1 << 16, n = 0;
			fexpr = malloc(cap);
			size_t r;
			while (fexpr && (r = fread(fexpr + n, 1, cap - n - 1, f)) > 0) {
				n += r;
				if (n + 1 == cap) fexpr = realloc(fexpr, cap *= 2);
			}
			if (fexpr) fexpr[n] = 0;
			fclose(f);
		}
		expr = fexpr;
	}
	if (!expr) { fail(id, t, "no expr"); return; }
	json_t *data = json_object_get(t, "data"), *owned = NULL;
	if (!data) {
		json_t *ds = json_object_get(t, "dataset");
		if (json_is_string(ds)) data = owned = dataset(json_string_value(ds));
	}
	asl_jsonata_env env;
	memset(&env, 0, sizeof env);
	json_t *tl = json_object_get(t, "timelimit"), *depth = json_object_get(t, "depth");
	if (json_is_integer(tl)) env.timelimit_ms = (long)json_integer_value(tl) * time_scale;
	if (json_is_integer(depth)) env.max_depth = (int)json_integer_value(depth);
	uint64_t seed = 42;
	env.next_random = next;
	env.now_ms = fixed_now;
	env.ctx = &seed;
	env.engine_only = engine_only;
	asl_jsonata_error err;
	json_t *res = NULL;
	asl_jsonata_expr *e = compiled(asl_jsonata_parse(expr, &err), &err);
	int rc = e ? asl_jsonata_eval(e, data, json_object_get(t, "bindings"), &env, &res, &err) : -1;
	json_t *want = json_object_get(t, "result");
	const char *code = json_string_value(json_object_get(t, "code"));
	if (!code) code = json_string_value(json_object_get(json_object_get(t, "error"), "code"));
	char why[700];
	if (code) {
		if (rc == 0) snprintf(why, sizeof why, "expected %s, got a result", code);
		else if (strcmp(code, err.code)) snprintf(why, sizeof why, "expected %s, got %s: %s", code, err.code, err.message);
		else why[0] = 0;
	} else if (rc) {
		snprintf(why, sizeof why, "error %s: %s (at %d)", err.code, err.message, err.position);
	} else if (json_is_true(json_object_get(t, "undefinedResult"))) {
		if (res) snprintf(why, sizeof why, "expected undefined");
		else why[0] = 0;
	} else if (want) {
		if (!res) snprintf(why, sizeof why, "got undefined");
		else if (!equal(res, want)) {
			char *s = json_dumps(res, JSON_ENCODE_ANY | JSON_COMPACT);
			snprintf(why, sizeof why, "got %.600s", s ? s : "?");
			free(s);
		} else why[0] = 0;
	} else if (res) snprintf(why, sizeof why, "no expected result given");
	else why[0] = 0;
	if (why[0]) fail(id, t, why);
	else passed++;
	json_decref(res);
	asl_jsonata_free(e);
	json_decref(owned);
	free(fexpr);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char **list(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	*n = 0;
	if (!d) return NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.') continue;
		if (strchr(de->d_name, '.') && (l < 5 || strcmp(de->d_name + l - 5, ".json"))) continue;
		v = realloc(v, (size_t)(*n + 1) * sizeof *v);
		v[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(v, (size_t)*n, sizeof *v, cmp);
	return v;
}

int main(int argc, char **argv)
{
	long floor_ = 0;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--floor") && i + 1 < argc) floor_ = atol(argv[++i]);
		else if (!strcmp(argv[i], "--failures") && i + 1 < argc) failures = fopen(argv[++i], "w");
		else if (!strcmp(argv[i], "--group") && i + 1 < argc) only = argv[++i];
		else if (!strcmp(argv[i], "-v")) verbose = 1;
		else if (!strcmp(argv[i], "--parsed")) parsed_only = 1;
		else if (!strcmp(argv[i], "--engine")) engine_only = 1;
		else suite = argv[i];
	}
	if (getenv("JSONATA_TIME_SCALE")) time_scale = atol(getenv("JSONATA_TIME_SCALE"));
	if (time_scale < 1) time_scale = 1;
	if (!suite) { fprintf(stderr, "usage: suite DIR [--floor N] [--failures FILE] [--group NAME] [--parsed] [--engine] [-v]\n"); return 2; }
	char groups[4096];
	snprintf(groups, sizeof groups, "%s/groups", suite);
	struct stat st;
	if (stat(groups, &st) || !S_ISDIR(st.st_mode)) {
		printf("JSONata suite: %s not found, skipped\n", groups);
		return 77;
	}
	int ng;
	char **g = list(groups, &ng);
	for (int i = 0; i < ng; i++) {
		if (only && strcmp(only, g[i])) continue;
		char dir[8192];
		snprintf(dir, sizeof dir, "%s/%s", groups, g[i]);
		int nc;
		char **cs = list(dir, &nc);
		for (int k = 0; k < nc; k++) {
			char path[16384], id[8192];
			snprintf(path, sizeof path, "%s/%s", dir, cs[k]);
			json_error_t e;
			json_t *t = json_load_file(path, JSON_DECODE_ANY, &e);
			snprintf(id, sizeof id, "%s/%s", g[i], cs[k]);
			if (!t) { failed++; fprintf(stderr, "%s: %s\n", path, e.text); }
			else if (json_is_array(t)) {
				for (size_t q = 0; q < json_array_size(t); q++) {
					char sub[8300];
					snprintf(sub, sizeof sub, "%s[%zu]", id, q);
					run_case(sub, json_array_get(t, q));
				}
			} else run_case(id, t);
			json_decref(t);
			free(cs[k]);
		}
		free(cs);
		free(g[i]);
	}
	free(g);
	if (failures) fclose(failures);
	printf("JSONata suite: %d passed, %d failed, %d cases (floor %ld)\n", passed, failed, passed + failed, floor_);
	return passed >= floor_ ? 0 : 1;
}
