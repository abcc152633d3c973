/*
 * map-cpu.c - the floor of the map-cpu workload: the SHA-256 hex digest of
 * $.mib MiB for each item of $.items (the item is the seed), the items
 * shared among OpenMP threads, as bench/machines/map-cpu.json with the
 * bench's sha256_work handler (bench/handlers.h does the work of both).
 */
#include "floor.h"

#include "../handlers.h"

static json_t *sha256_work(uint64_t seed, double mib)
{
	char hex[2 * EVP_MAX_MD_SIZE + 1];

	if (sha256_hex(seed, mib, hex) < 0)
		abort();
	return json_string(hex);
}

int main(int argc, char **argv)
{
	json_t *in = floor_input(argc, argv);
	json_t *items = json_object_get(in, "items");
	json_t *m = json_object_get(in, "mib");
	double mib = json_is_number(m) ? json_number_value(m) : 4;
	json_t **res, *out;
	long count;

	if (!json_is_array(items)) {
		fprintf(stderr, "%s: items: not an array\n", argv[0]);
		return 1;
	}
	count = (long)json_array_size(items);
	res = calloc(count ? count : 1, sizeof *res);
#pragma omp parallel for schedule(dynamic, 1)
	for (long k = 0; k < count; k++)
		res[k] = sha256_work((uint64_t)json_integer_value(
		                         json_array_get(items, k)), mib);
	out = json_array();
	for (long k = 0; k < count; k++)
		json_array_append_new(out, res[k]);
	free(res);
	json_decref(in);
	return floor_output(out);
}
