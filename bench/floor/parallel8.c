/*
 * parallel8.c - the floor of bench/machines/parallel8.json: for each item
 * x of $.items, the 8 branch results {"v": x + k, "tag": "bk-x"}, then
 * {"tags": [their tags], "span": v7 + v0}.
 */
#include "floor.h"

int main(int argc, char **argv)
{
	json_t *in = floor_input(argc, argv);
	json_t *items = floor_array(in, "items", argv[0]), *x;
	json_t *out;
	size_t i;

	out = json_array();
	json_array_foreach(items, i, x) {
		json_t *branches = json_array(), *tags = json_array();
		json_int_t v = json_integer_value(x);
		for (int k = 0; k < 8; k++) {
			char tag[64];
			snprintf(tag, sizeof tag, "b%d-%lld", k, (long long)v);
			json_array_append_new(branches, json_pack("{s:I, s:s}", "v",
			                      v + k, "tag", tag));
		}
		for (size_t k = 0; k < 8; k++)
			json_array_append(tags, json_object_get(
			                  json_array_get(branches, k), "tag"));
		json_array_append_new(out, json_pack("{s:o, s:I}", "tags", tags,
		    "span", json_integer_value(json_object_get(
		                json_array_get(branches, 7), "v")) +
		            json_integer_value(json_object_get(
		                json_array_get(branches, 0), "v"))));
		json_decref(branches);
	}
	json_decref(in);
	return floor_output(out);
}
