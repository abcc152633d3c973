/*
 * map-cpu.c - the floor of the map-cpu workload: the SHA-256 hex digest of
 * $.mib MiB for each item of $.items (the item is the seed), the items
 * shared among OpenMP threads, as bench/machines/map-cpu.json with the
 * runtime's built-in sha256_work handler.
 */
#include "floor.h"

#include <openssl/evp.h>
#include <stdint.h>

static json_t *sha256_work(uint64_t seed, double mib)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
	unsigned char *block = malloc(65536), md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!block || !ctx)
		abort();
	for (size_t i = 0; i < 65536; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		for (int b = 0; b < 8; b++)
			block[i + b] = (unsigned char)(x >> (8 * b));
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (long i = 0; i < (long)(mib * 16); i++)
		EVP_DigestUpdate(ctx, block, 65536);
	EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	free(block);
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * n] = '\0';
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
