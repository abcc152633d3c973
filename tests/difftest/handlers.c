/*
 * handlers.c - the handlers of the generated machines (gen.py): pure
 * functions of their event and of the execution's seeded random numbers,
 * so that a run is a function of --seed.
 */
#include <asl2c/asl2c.h>

const asl_program *asl2c_program(void);

static int echo(asl_invocation *inv, json_t *event, json_t **result,
                void *user)
{
	(void)inv, (void)user;
	*result = json_incref(event);
	return 0;
}

/* The sum of the event's numbers (at the top level). */
static int add(asl_invocation *inv, json_t *event, json_t **result,
               void *user)
{
	double sum = 0;
	const char *k;
	json_t *v;

	(void)inv, (void)user;
	json_object_foreach(event, k, v)
		if (json_is_number(v))
			sum += json_number_value(v);
	*result = json_pack("{s:f}", "sum", sum);
	return 0;
}

/* Fails one time in three, by the seeded generator. */
static int flaky(asl_invocation *inv, json_t *event, json_t **result,
                 void *user)
{
	(void)user;
	if (asl_invocation_random(inv) % 3 == 0)
		return asl_fail(inv, "Flaky.Error", "unlucky in %s",
		                asl_invocation_state(inv));
	*result = json_pack("{s:O, s:s}", "event", event, "state",
	                    asl_invocation_state(inv));
	return 0;
}

static int boom(asl_invocation *inv, json_t *event, json_t **result,
                void *user)
{
	(void)event, (void)result, (void)user;
	return asl_fail(inv, "Boom.Error", "boom");
}

/* The event's type, its size, and a random number. */
static int shape(asl_invocation *inv, json_t *event, json_t **result,
                 void *user)
{
	(void)user;
	*result = json_pack("{s:i, s:I, s:I}", "type", (int)json_typeof(event),
	                    "size", (json_int_t)(json_is_object(event)
	                        ? json_object_size(event)
	                        : json_array_size(event)),
	                    "random", (json_int_t)(asl_invocation_random(inv) %
	                                           1000));
	return 0;
}

static int register_handlers(asl_registry *reg)
{
	return asl_registry_add(reg, "echo", echo, NULL) ||
	       asl_registry_add(reg, "add", add, NULL) ||
	       asl_registry_add(reg, "flaky", flaky, NULL) ||
	       asl_registry_add(reg, "boom", boom, NULL) ||
	       asl_registry_add(reg, "shape", shape, NULL);
}

int main(int argc, char **argv)
{
	return asl_main(argc, argv, asl2c_program(), register_handlers);
}
