/*
 * choice-vars.c - the floor of bench/machines/choice-vars.json: the
 * variables i, total, step, limit, mode and last kept as JSON values in one
 * object, updated and tested through jansson each step as Step and Check
 * do, then {"i": i, "total": total, "last": last}.
 */
#include "floor.h"

int main(int argc, char **argv)
{
	json_t *in = floor_input(argc, argv);
	json_t *vars = json_object(), *limit = json_object_get(in, "limit");

	if (!json_is_number(limit)) {
		fprintf(stderr, "%s: limit: not a number\n", argv[0]);
		return 1;
	}
	/* Init */
	json_object_set_new(vars, "i", json_integer(0));
	json_object_set_new(vars, "total", json_integer(0));
	json_object_set_new(vars, "step", json_integer(3));
	json_object_set(vars, "limit", limit);
	json_object_set_new(vars, "mode", json_string("run"));
	json_decref(in);
	for (;;) {
		/* Step: both values from the variables before the step. */
		json_int_t i = json_integer_value(json_object_get(vars, "i"));
		json_int_t t = json_integer_value(json_object_get(vars, "total"));
		json_int_t s = json_integer_value(json_object_get(vars, "step"));
		json_object_set_new(vars, "i", json_integer(i + 1));
		json_object_set_new(vars, "total", json_integer(t + s));
		json_object_set_new(vars, "last", json_integer(i));
		/* Check */
		const char *mode = json_string_value(json_object_get(vars, "mode"));
		if (!(mode && !strcmp(mode, "run") &&
		      json_number_value(json_object_get(vars, "i")) <
		          json_number_value(json_object_get(vars, "limit")) &&
		      !(json_number_value(json_object_get(vars, "total")) < 0)))
			break;
	}
	/* Done */
	json_t *out = json_pack("{s:O, s:O, s:O}", "i", json_object_get(vars, "i"),
	                        "total", json_object_get(vars, "total"),
	                        "last", json_object_get(vars, "last"));
	json_decref(vars);
	return floor_output(out);
}
