/*
 * fan-in-map.c - the floor of bench/machines/fan-in-map.json: for each
 * partition N at index I of $.partitions, the event {"PartitionNumber": N,
 * "Position": I, "Key": "<table>/part-N"} given to the same handler code
 * (bench/handlers.h), then {"rows": rows + 1, "ok": valid} from its result;
 * {"partitions": count, "results": [...]} at the end.  The Lambda
 * response's wrapper is not built: the state machine's ResultSelector reads
 * only its Payload.
 */
#include "floor.h"
#include "../handlers.h"

int main(int argc, char **argv)
{
	json_t *in = floor_input(argc, argv);
	json_t *parts = floor_array(in, "partitions", argv[0]), *p;
	const char *table = json_string_value(json_object_get(in, "table"));
	json_t *results;
	size_t i;

	if (!table) {
		fprintf(stderr, "%s: table: not a string\n", argv[0]);
		return 1;
	}
	results = json_array();
	json_array_foreach(parts, i, p) {
		const char *error = NULL;
		char key[256], cause[160];
		json_t *event, *r;

		snprintf(key, sizeof key, "%s/part-%lld", table,
		         (long long)json_integer_value(p));
		event = json_pack("{s:O, s:I, s:s}", "PartitionNumber", p,
		                  "Position", (json_int_t)i, "Key", key);
		r = work_process_partition(event, &error, cause, sizeof cause);
		json_decref(event);
		if (!r) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], error, cause);
			return 1;
		}
		json_array_append_new(results, json_pack("{s:I, s:O}", "rows",
		    json_integer_value(json_object_get(r, "rows")) + 1,
		    "ok", json_object_get(r, "valid")));
		json_decref(r);
	}
	json_decref(in);
	return floor_output(json_pack("{s:I, s:o}", "partitions",
	                              (json_int_t)json_array_size(results),
	                              "results", results));
}
