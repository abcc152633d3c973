/*
 * retry-chain.c - the floor of bench/machines/retry-chain.json: for each
 * item, the same three handlers (bench/handlers.h) in a chain, Fetch
 * called again after each Transient failure (up to 3 retries, the backoff
 * computed with full jitter, never waited for, as under --time-scale 0),
 * a failure caught into {"Error", "Cause"} (the cause Lambda's error
 * payload, with a request id) and the item then quarantined.
 */
#include "floor.h"
#include "../handlers.h"

#include <stdint.h>

static uint64_t rng = 1;

static uint64_t next_random(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* {"Error": error, "Cause": Lambda's error payload as a string}. */
static json_t *error_output(const char *error, const char *message)
{
	uint64_t a = next_random(), b = next_random();
	char id[40];
	snprintf(id, sizeof id, "%08x-%04x-4%03x-%04x-%012llx",
	         (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
	         (unsigned)a & 0xfff, (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
	         (unsigned long long)(b & 0xffffffffffffULL));
	json_t *payload = json_pack("{s:s, s:s, s:s, s:[]}", "errorMessage",
	                            message, "errorType", error,
	                            "requestId", id, "stackTrace");
	char *cause = json_dumps(payload, JSON_COMPACT);
	json_t *o = json_pack("{s:s, s:s}", "Error", error, "Cause", cause);
	free(cause);
	json_decref(payload);
	return o;
}

static json_t *quarantine(json_t *item, json_t *err)
{
	json_t *q = json_pack("{s:O, s:O, s:O}", "id", json_object_get(item, "id"),
	                      "error", json_object_get(err, "Error"),
	                      "cause", json_object_get(err, "Cause"));
	json_decref(err);
	return q;
}

static json_t *chain(json_t *item)
{
	const char *error = NULL;
	char cause[160];
	json_t *ev, *fetched = NULL, *validated, *stored, *out;
	double delay = 0;

	/* Fetch: Transient retried 3 times, 1 s doubling, full jitter. */
	for (int retry = 0;; retry++) {
		ev = json_pack("{s:O, s:O, s:i}", "id", json_object_get(item, "id"),
		               "fails", json_object_get(item, "fails"),
		               "attempt", retry);
		fetched = work_flaky_fetch(ev, &error, cause, sizeof cause);
		json_decref(ev);
		if (fetched || strcmp(error, "Transient") || retry == 3)
			break;
		delay += (double)(next_random() >> 11) / 9007199254740992.0 *
		         (double)(1 << retry);
	}
	(void)delay;
	if (!fetched)
		return quarantine(item, error_output(error, cause));
	/* Validate: Invalid caught. */
	ev = json_pack("{s:O, s:O, s:O}", "id", json_object_get(item, "id"),
	               "bad", json_object_get(item, "bad"),
	               "attempts", json_object_get(fetched, "attempts"));
	validated = work_validate_record(ev, &error, cause, sizeof cause);
	json_decref(ev);
	json_decref(fetched);
	if (!validated)
		return quarantine(item, error_output(error, cause));
	/* Store: the selected result is the output. */
	ev = json_pack("{s:O, s:O}", "id", json_object_get(item, "id"),
	               "checksum", json_object_get(validated, "checksum"));
	stored = work_store_record(ev, &error, cause, sizeof cause);
	json_decref(ev);
	json_decref(validated);
	snprintf(cause, sizeof cause, "records/%lld", (long long)
	         json_integer_value(json_object_get(stored, "checksum")));
	out = json_pack("{s:O, s:s}", "stored", json_object_get(stored, "stored"),
	                "key", cause);
	json_decref(stored);
	return out;
}

int main(int argc, char **argv)
{
	json_t *in = floor_input(argc, argv);
	json_t *items = floor_array(in, "items", argv[0]), *item;
	json_t *out;
	size_t i;

	out = json_array();
	json_array_foreach(items, i, item)
		json_array_append_new(out, chain(item));
	json_decref(in);
	return floor_output(out);
}
