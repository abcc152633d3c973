/*
 * map.c - the floor of the map workload: [{"n": item} for each item of
 * $.items], as bench/machines/map.json's Map and its one Pass state do.
 */
#include "floor.h"

int main(int argc, char **argv)
{
	json_t *in = floor_input(argc, argv);
	json_t *items = floor_array(in, "items", argv[0]), *item;
	json_t *out;
	size_t k;

	out = json_array();
	json_array_foreach(items, k, item) {
		json_t *o = json_object();
		json_object_set(o, "n", item);
		json_array_append_new(out, o);
	}
	json_decref(in);
	return floor_output(out);
}
