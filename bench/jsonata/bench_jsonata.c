/*
 * bench_jsonata.c - evaluations per second of each workload expression,
 * parse excluded: bench_jsonata WORKLOAD INPUT [SECONDS].  The input is
 * bound as $states.input, as Step Functions binds it.  Prints one line a
 * expression: name<TAB>evaluations per second.
 */
#define _POSIX_C_SOURCE 200809L
#include "jsonata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) { fprintf(stderr, "usage: bench_jsonata WORKLOAD INPUT [SECONDS]\n"); return 2; }
	double secs = argc > 3 ? atof(argv[3]) : 1.0;
	json_error_t je;
	json_t *w = json_load_file(argv[1], 0, &je), *in = json_load_file(argv[2], 0, &je);
	if (!w || !in) { fprintf(stderr, "bench_jsonata: %s\n", je.text); return 2; }
	json_t *bind = json_pack("{s:{s:O}}", "states", "input", in);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(w, "expressions"), i, x) {
		const char *name = json_string_value(json_object_get(x, "name"));
		asl_jsonata_error err;
		asl_jsonata_expr *e = asl_jsonata_parse(json_string_value(json_object_get(x, "expr")), &err);
		if (!e) { fprintf(stderr, "%s: %s %s\n", name, err.code, err.message); return 1; }
		long n = 0;
		double t0 = now_s(), t;
		do {
			for (int k = 0; k < 100; k++) {
				json_t *r = NULL;
				if (asl_jsonata_eval(e, NULL, bind, NULL, &r, &err)) { fprintf(stderr, "%s: %s\n", name, err.message); return 1; }
				json_decref(r);
			}
			n += 100;
			t = now_s() - t0;
		} while (t < secs);
		printf("%s\t%.0f\n", name, (double)n / t);
		asl_jsonata_free(e);
	}
	json_decref(bind);
	json_decref(in);
	json_decref(w);
	return 0;
}
