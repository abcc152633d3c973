/*
 * cli.c - asl2c-jsonata: evaluate a JSONata expression, in the style of jq.
 */
#include "jsonata.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: asl2c-jsonata [--input-file FILE | --input JSON] [--bindings-file FILE]\n"
	      "                     [--timelimit MS] [--depth N] [--pretty] EXPR\n"
	      "Evaluates the JSONata expression EXPR and prints its result as JSON.\n"
	      "  --input-file FILE   the input document (- for stdin)\n"
	      "  --input JSON        the input document, given inline\n"
	      "  --bindings-file F   a JSON object of variables (names without $)\n"
	      "  --timelimit MS      end the evaluation after MS milliseconds (U1001)\n"
	      "  --depth N           limit the evaluation depth to N (U1001)\n"
	      "  --pretty            indent the output\n"
	      "No input option: the input is undefined.  An undefined result prints\n"
	      "nothing.  Exit status: 0 on success, 1 on a JSONata error, 2 on bad usage.\n", f);
}

static json_t *load(const char *what, const char *path, const char *text)
{
	json_error_t e;
	json_t *j;
	if (text) j = json_loads(text, JSON_DECODE_ANY, &e);
	else if (!strcmp(path, "-")) j = json_loadf(stdin, JSON_DECODE_ANY, &e);
	else j = json_load_file(path, JSON_DECODE_ANY, &e);
	if (!j) fprintf(stderr, "asl2c-jsonata: %s%s%s: %d:%d: error: %s\n", what,
			path ? " " : "", path ? path : "", e.line, e.column, e.text);
	return j;
}

int main(int argc, char **argv)
{
	const char *input_file = NULL, *input = NULL, *bindings_file = NULL, *expr = NULL;
	asl_jsonata_env env;
	memset(&env, 0, sizeof env);
	int pretty = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
		if (!strcmp(a, "--pretty")) { pretty = 1; continue; }
		if (!strcmp(a, "--input-file") || !strcmp(a, "--input") || !strcmp(a, "--bindings-file") ||
		    !strcmp(a, "--timelimit") || !strcmp(a, "--depth")) {
			if (i + 1 >= argc) { fprintf(stderr, "asl2c-jsonata: %s needs a value\n", a); return 2; }
			const char *v = argv[++i];
			if (!strcmp(a, "--input-file")) input_file = v;
			else if (!strcmp(a, "--input")) input = v;
			else if (!strcmp(a, "--bindings-file")) bindings_file = v;
			else {
				char *end;
				errno = 0;
				long n = strtol(v, &end, 10);
				if (*end || errno || n <= 0) { fprintf(stderr, "asl2c-jsonata: %s: not a positive integer: %s\n", a, v); return 2; }
				if (!strcmp(a, "--timelimit")) env.timelimit_ms = n; else env.max_depth = (int)n;
			}
			continue;
		}
		if (a[0] == '-' && a[1] == '-') { fprintf(stderr, "asl2c-jsonata: unknown option %s\n", a); usage(stderr); return 2; }
		if (expr) { fprintf(stderr, "asl2c-jsonata: one expression only\n"); return 2; }
		expr = a;
	}
	if (!expr) { usage(stderr); return 2; }
	if (input && input_file) { fprintf(stderr, "asl2c-jsonata: --input and --input-file exclude each other\n"); return 2; }
	json_t *in = NULL, *bind = NULL;
	if (input || input_file) { in = load("input", input_file, input); if (!in) return 2; }
	if (bindings_file) {
		bind = load("bindings", bindings_file, NULL);
		if (!bind) return 2;
		if (!json_is_object(bind)) { fprintf(stderr, "asl2c-jsonata: bindings %s: not a JSON object\n", bindings_file); return 2; }
	}
	asl_jsonata_error err;
	asl_jsonata_expr *e = asl_jsonata_parse(expr, &err);
	int rc = 0;
	if (!e) rc = 1;
	json_t *res = NULL;
	if (e && asl_jsonata_eval(e, in, bind, &env, &res, &err)) rc = 1;
	if (rc) {
		fprintf(stderr, "asl2c-jsonata: %s: %s", err.code, err.message);
		if (err.position >= 0) fprintf(stderr, " at position %d", err.position);
		fputc('\n', stderr);
	} else if (res) {
		if (asl_jsonata_dumpf(res, pretty, stdout)) { fprintf(stderr, "asl2c-jsonata: out of memory\n"); rc = 1; }
		else putchar('\n');
	}
	json_decref(res);
	asl_jsonata_free(e);
	json_decref(in);
	json_decref(bind);
	return rc;
}
