/*
 * floor.h - what the hand-written floors share.  A floor does a workload's
 * JSON work with jansson directly, the way a C programmer would write it
 * without a state machine: no interpretation, no context object, no payload
 * checks.  Every floor takes the generated program's options
 * (--input JSON, --input-file FILE; others are ignored), prints the same
 * output as the state machine and exits 0.
 */
#ifndef BENCH_FLOOR_H
#define BENCH_FLOOR_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *floor_input(int argc, char **argv)
{
	json_error_t err;
	json_t *in = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--input") && i + 1 < argc)
			in = json_loads(argv[++i], JSON_DECODE_ANY, &err);
		else if (!strcmp(argv[i], "--input-file") && i + 1 < argc)
			in = json_load_file(argv[++i], JSON_DECODE_ANY, &err);
		else
			continue;
		if (!in) {
			fprintf(stderr, "%s: invalid input: %s\n", argv[0], err.text);
			exit(65);
		}
	}
	return in ? in : json_object();
}

/* in[key], which must be an array: else the floor stops with status 1. */
static inline json_t *floor_array(json_t *in, const char *key,
                                  const char *argv0)
{
	json_t *a = json_object_get(in, key);

	if (!json_is_array(a)) {
		fprintf(stderr, "%s: %s: not an array\n", argv0, key);
		exit(1);
	}
	return a;
}

static int floor_output(json_t *out)
{
	json_dumpf(out, stdout, JSON_ENCODE_ANY | JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(out);
	return fflush(stdout) ? 1 : 0;
}

#endif
