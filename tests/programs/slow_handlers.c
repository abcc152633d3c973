/*
 * slow_handlers.c - a program with its own C handler, linked with a
 * generated state machine built with -DASL2C_NO_MAIN (doc/handlers.md).
 *
 * sleep_ms sleeps event.ms milliseconds and returns when it ran:
 * {"id": event.id, "start": ms, "end": ms} on the monotonic clock.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep under -std=c11 */
#include <asl2c/asl2c.h>

#include <time.h>

const asl_program *asl2c_program(void);

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int sleep_ms(asl_invocation *inv, json_t *event, json_t **result,
                    void *user)
{
	json_t *ms = json_object_get(event, "ms");
	long long start = now_ms();
	struct timespec ts;

	(void)user;
	if (!json_is_integer(ms))
		return asl_fail(inv, "BadEvent", "event.ms must be an integer");
	ts.tv_sec = json_integer_value(ms) / 1000;
	ts.tv_nsec = (json_integer_value(ms) % 1000) * 1000000;
	nanosleep(&ts, NULL);
	*result = json_pack("{s:O, s:I, s:I}", "id", json_object_get(event, "id"),
	                    "start", (json_int_t)start,
	                    "end", (json_int_t)now_ms());
	return 0;
}

static int register_handlers(asl_registry *reg)
{
	return asl_registry_add(reg, "sleep_ms", sleep_ms, NULL);
}

int main(int argc, char **argv)
{
	return asl_main(argc, argv, asl2c_program(), register_handlers);
}
