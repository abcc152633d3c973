/*
 * handlers.h - the work of the bench's C handlers, in plain jansson: the
 * handlers of bench/handlers.c call these functions, and the floors
 * (bench/floor/) call the same ones, so asl2c and its floor do the same
 * work per task.  A function returns the result (a new reference), or NULL
 * with *error set and the cause written into cause[n].
 */
#ifndef BENCH_HANDLERS_H
#define BENCH_HANDLERS_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

/* process_partition (fan-in-map): {"PartitionNumber": N, "Position": I,
 * "Key": K} -> {"partition": N, "position": I, "key": K, "rows": R,
 * "valid": N % 10 != 1}, R a checksum of K below 1000. */
static inline json_t *work_process_partition(json_t *event,
                                             const char **error,
                                             char *cause, size_t n)
{
	json_t *num = json_object_get(event, "PartitionNumber");
	const char *key = json_string_value(json_object_get(event, "Key"));
	unsigned rows = 0;

	if (!json_is_integer(num) || !key) {
		*error = "BadEvent";
		snprintf(cause, n, "PartitionNumber and Key are required");
		return NULL;
	}
	for (const char *p = key; *p; p++)
		rows = rows * 31 + (unsigned char)*p;
	return json_pack("{s:O, s:O, s:s, s:i, s:b}", "partition", num,
	                 "position", json_object_get(event, "Position"),
	                 "key", key, "rows", (int)(rows % 1000),
	                 "valid", json_integer_value(num) % 10 != 1);
}

/* flaky_fetch (retry-chain): {"id", "fails", "attempt"}: fails with
 * Transient while attempt < fails, else {"id", "attempts": attempt + 1}. */
static inline json_t *work_flaky_fetch(json_t *event,
                                       const char **error,
                                       char *cause, size_t n)
{
	json_t *id = json_object_get(event, "id");
	json_int_t fails = json_integer_value(json_object_get(event, "fails"));
	json_int_t attempt = json_integer_value(json_object_get(event, "attempt"));

	if (attempt < fails) {
		*error = "Transient";
		snprintf(cause, n, "fetching %lld: attempt %lld of %lld failed",
		         (long long)json_integer_value(id), (long long)attempt + 1,
		         (long long)fails + 1);
		return NULL;
	}
	return json_pack("{s:O, s:I}", "id", id, "attempts",
	                 (json_int_t)(attempt + 1));
}

/* validate_record (retry-chain): {"id", "bad", "attempts"}: fails with
 * Invalid when bad, else {"checksum": C, "attempts": attempts}. */
static inline json_t *work_validate_record(json_t *event,
                                           const char **error,
                                           char *cause, size_t n)
{
	json_int_t id = json_integer_value(json_object_get(event, "id"));

	if (json_is_true(json_object_get(event, "bad"))) {
		*error = "Invalid";
		snprintf(cause, n, "record %lld is flagged", (long long)id);
		return NULL;
	}
	return json_pack("{s:I, s:O}", "checksum",
	                 (json_int_t)(((unsigned long long)id * 2654435761u) %
	                              1000000007u),
	                 "attempts", json_object_get(event, "attempts"));
}

/* store_record (retry-chain): {"id", "checksum"} -> {"stored": true,
 * "checksum": checksum}. */
static inline json_t *work_store_record(json_t *event,
                                        const char **error,
                                        char *cause, size_t n)
{
	(void)error;
	(void)cause;
	(void)n;
	return json_pack("{s:b, s:O}", "stored", 1, "checksum",
	                 json_object_get(event, "checksum"));
}

/* The SHA-256 hex digest (into hex[65]) of mib MiB: a 64 KiB block filled
 * by xorshift64 from the seed, hashed 16 * mib times.  -1 when out of
 * memory.  bench/peers/als-run.mjs computes the same digest. */
static inline int sha256_hex(uint64_t seed, double mib, char *hex)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
	unsigned char *block, md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	EVP_MD_CTX *ctx;

	if (!(block = malloc(65536)) || !(ctx = EVP_MD_CTX_new())) {
		free(block);
		return -1;
	}
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
	return 0;
}

/* sha256_work (map-cpu): {"seed": N, "mib": M} -> the SHA-256 hex digest
 * of M MiB (default 4).  Real CPU work. */
static inline json_t *work_sha256(json_t *event, const char **error,
                                  char *cause, size_t n)
{
	json_t *s = json_object_get(event, "seed");
	json_t *m = json_object_get(event, "mib");
	double mib = json_is_number(m) ? json_number_value(m) : 4;
	char hex[2 * EVP_MAX_MD_SIZE + 1];

	if (!(mib >= 0 && mib <= 1024)) {
		*error = "Bench.InvalidInput";
		snprintf(cause, n, "mib must be 0..1024");
		return NULL;
	}
	if (sha256_hex((uint64_t)(json_is_integer(s) ? json_integer_value(s)
	                                             : 0), mib, hex) < 0) {
		*error = "Bench.OutOfMemory";
		snprintf(cause, n, "sha256_work");
		return NULL;
	}
	return json_string(hex);
}

#endif
