/*
 * fanin.c - the built-in handlers of examples/fan-in-unaligned, the fan-in
 * the product promises to run as it is: partitions_detector,
 * partitions_processor and table_creator.
 */
#include "local.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "the new partitions found under a storage prefix" (hard-coded in the
 * seed, as here). */
static int partitions_detector(asl_invocation *inv, json_t *event,
                               json_t **result, void *user)
{
	*result = json_pack("[i, i]", 0, 1);
	return 0;
}

static void log_event(asl_invocation *inv, json_t *event)
{
	char *d = json_dumps(event, JSON_ENCODE_ANY);
	asl_log(inv, "event=%s", d ? d : "null");
	free(d);
}

/* Processes one partition: partition 1 fails its validation. */
static int partitions_processor(asl_invocation *inv, json_t *event,
                                json_t **result, void *user)
{
	json_t *n = json_object_get(event, "PartitionNumber");

	log_event(inv, event);
	*result = json_boolean(!(json_is_number(n) &&
	                         json_number_value(n) == 1));
	return 0;
}

/* Creates the table; flags it partial when a partition failed. */
static int table_creator(asl_invocation *inv, json_t *event,
                         json_t **result, void *user)
{
	json_t *results = json_object_get(event, "ProcessorResults"), *v;
	size_t i;

	log_event(inv, event);
	json_array_foreach(results, i, v) {
		if (json_is_false(v)) {
			asl_log(inv, "Marking the job as partially valid");
			break;
		}
	}
	*result = json_true();
	return 0;
}

void asl_register_builtins(asl_registry *r)
{
	asl_registry_add(r, "partitions_detector", partitions_detector, NULL);
	asl_registry_add(r, "partitions_processor", partitions_processor, NULL);
	asl_registry_add(r, "table_creator", table_creator, NULL);
}
