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
#include <stdio.h>
#include <string.h>

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

#endif
