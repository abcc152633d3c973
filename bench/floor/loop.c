/*
 * loop.c - the floor of the loop workload: {"i": 0, "limit": L}, then
 * {"i": i + 1, "limit": L} while i < limit, as bench/machines/loop.json's
 * Init, Increment and Check do: a new object per step, the numbers read
 * and compared through jansson.
 */
#include "floor.h"

int main(int argc, char **argv)
{
	json_t *in = floor_input(argc, argv);
	json_t *limit = json_object_get(in, "limit");
	json_t *io;

	if (!json_is_number(limit)) {
		fprintf(stderr, "%s: limit: not a number\n", argv[0]);
		return 1;
	}
	io = json_object(); /* Init */
	json_object_set_new(io, "i", json_integer(0));
	json_object_set(io, "limit", limit);
	json_decref(in);
	for (;;) {
		json_t *next = json_object(); /* Increment */
		json_t *i = json_object_get(io, "i");
		json_object_set_new(next, "i",
		                    json_integer(json_integer_value(i) + 1));
		json_object_set(next, "limit", json_object_get(io, "limit"));
		json_decref(io);
		io = next;
		/* Check */
		if (!(json_number_value(json_object_get(io, "i")) <
		      json_number_value(json_object_get(io, "limit"))))
			break;
	}
	return floor_output(io); /* Done */
}
