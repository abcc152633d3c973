/*
 * map-ctx.c - the floor of bench/machines/map-ctx.json: {"n": v + 1} for
 * each item v of $.items, then {"count": count, "items": [...]}.
 */
#include "floor.h"

int main(int argc, char **argv)
{
	json_t *in = floor_input(argc, argv);
	json_t *items = floor_array(in, "items", argv[0]), *v;
	json_t *out;
	size_t k;

	out = json_array();
	json_array_foreach(items, k, v)
		json_array_append_new(out, json_pack("{s:I}", "n",
		                                     json_integer_value(v) + 1));
	json_decref(in);
	return floor_output(json_pack("{s:I, s:o}", "count",
	                              (json_int_t)json_array_size(out),
	                              "items", out));
}
