/*
 * fan-in.c - the floor of examples/fan-in-unaligned: the partitions
 * [0, 1], each processed (partition 1 fails its validation) with its event
 * logged, then the table created, each Task's result wrapped in the Lambda
 * integration's response as the state machine's Task states do.
 */
#include "floor.h"

static json_t *invoke_response(json_t *payload)
{
	char len[32];
	char *body = json_dumps(payload, JSON_ENCODE_ANY | JSON_COMPACT);

	snprintf(len, sizeof len, "%zu", strlen(body));
	free(body);
	return json_pack("{s:s, s:o, s:{s:{s:[s], s:[s], s:[s]}, s:{s:s, s:s, "
	                 "s:s}, s:i}, s:{s:s}, s:i}",
	                 "ExecutedVersion", "$LATEST", "Payload", payload,
	                 "SdkHttpMetadata", "AllHttpHeaders",
	                 "Connection", "keep-alive", "Content-Length", len,
	                 "Content-Type", "application/json",
	                 "HttpHeaders", "Connection", "keep-alive",
	                 "Content-Length", len,
	                 "Content-Type", "application/json",
	                 "HttpStatusCode", 200,
	                 "SdkResponseMetadata", "RequestId",
	                 "00000000-0000-0000-0000-000000000000",
	                 "StatusCode", 200);
}

static void log_event(json_t *event)
{
	char *d = json_dumps(event, JSON_ENCODE_ANY);
	fprintf(stderr, "event=%s\n", d);
	free(d);
}

int main(int argc, char **argv)
{
	json_t *in = floor_input(argc, argv);
	json_t *parts, *results, *event, *p;
	size_t k;

	/* Generate partitions to process; OutputPath $.Payload */
	json_t *r = invoke_response(json_pack("[i, i]", 0, 1));
	parts = json_incref(json_object_get(r, "Payload"));
	json_decref(r);
	json_decref(in);

	/* Fan-out hourly partitions; OutputPath $[*].Payload */
	results = json_array();
	json_array_foreach(parts, k, p) {
		event = json_pack("{s:O}", "PartitionNumber", p);
		log_event(event);
		r = invoke_response(json_boolean(json_integer_value(p) != 1));
		json_array_append(results, json_object_get(r, "Payload"));
		json_decref(r);
		json_decref(event);
	}
	json_decref(parts);

	/* Create table */
	event = json_pack("{s:o}", "ProcessorResults", results);
	log_event(event);
	json_array_foreach(results, k, p)
		if (json_is_false(p)) {
			fprintf(stderr, "Marking the job as partially valid\n");
			break;
		}
	json_decref(event);
	return floor_output(invoke_response(json_true())); /* End */
}
