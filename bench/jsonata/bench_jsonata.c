/*
 * bench_jsonata.c - evaluations per second of each workload expression,
 * parse excluded:
 *   bench_jsonata WORKLOAD INPUT [SECONDS] [--iterations N] [--only NAME]
 * The input document is read into jansson once and bound as $states.input,
 * as the runtime binds a state's input; each evaluation returns its result
 * as a new jansson value, released at once.  Time is the process's CPU time
 * (the machine is shared: wall time counts other processes' turns).  Prints
 * one line an expression: name<TAB>evaluations per CPU second.
 * --iterations N: exactly N evaluations an expression (for callgrind:
 * instructions per evaluation = the expression's Ir / N).
 */
#define _POSIX_C_SOURCE 200809L
#include "jsonata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = 1.0;
	long iterations = 0;
	const char *only = NULL, *files[2] = { NULL, NULL };
	int nf = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iterations") && i + 1 < argc) iterations = atol(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
		else if (nf < 2) files[nf++] = argv[i];
		else secs = atof(argv[i]);
	}
	if (nf < 2) {
		fprintf(stderr, "usage: bench_jsonata WORKLOAD INPUT [SECONDS] [--iterations N] [--only NAME]\n");
		return 2;
	}
	json_error_t je;
	json_t *w = json_load_file(files[0], 0, &je), *in = w ? json_load_file(files[1], 0, &je) : NULL;
	if (!w || !in) { fprintf(stderr, "bench_jsonata: %s\n", je.text); return 2; }
	json_t *bind = json_pack("{s:{s:O}}", "states", "input", in);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(w, "expressions"), i, x) {
		const char *name = json_string_value(json_object_get(x, "name"));
		if (only && strcmp(only, name)) continue;
		asl_jsonata_error err;
		asl_jsonata_expr *e = asl_jsonata_parse(json_string_value(json_object_get(x, "expr")), &err);
		if (!e) { fprintf(stderr, "%s: %s %s\n", name, err.code, err.message); return 1; }
		long n = 0;
		double t0 = cpu_s(), t;
		do {
			for (int k = 0; k < 100; k++) {
				json_t *r = NULL;
				if (asl_jsonata_eval(e, NULL, bind, NULL, &r, &err)) { fprintf(stderr, "%s: %s\n", name, err.message); return 1; }
				json_decref(r);
			}
			n += 100;
			t = cpu_s() - t0;
		} while (iterations ? n < iterations : t < secs);
		printf("%s\t%.0f\n", name, (double)n / t);
		asl_jsonata_free(e);
	}
	json_decref(bind);
	json_decref(in);
	json_decref(w);
	return 0;
}
