/*
 * sleep_ms.c - a C handler linked into a program (built with a generated
 * program compiled with -DASL2C_NO_MAIN) that sleeps: sleep_ms {"id": ID,
 * "ms": N} sleeps N ms and returns {"id": ID}.  For c_timeout.sh.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep under -std=c11 */
#include <asl2c/asl2c.h>

#include <time.h>

static int sleep_ms(asl_invocation *inv, json_t *event, json_t **result,
                    void *user)
{
	json_t *ms = json_object_get(event, "ms");
	struct timespec ts;

	(void)user;
	if (!json_is_integer(ms) || json_integer_value(ms) < 0)
		return asl_fail(inv, "BadEvent", "event.ms must be an integer >= 0");
	ts.tv_sec = (time_t)(json_integer_value(ms) / 1000);
	ts.tv_nsec = (long)(json_integer_value(ms) % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0)
		;
	*result = json_pack("{s:O}", "id", json_object_get(event, "id"));
	return 0;
}

static int register_handlers(asl_registry *reg)
{
	return asl_registry_add(reg, "sleep_ms", sleep_ms, NULL);
}

const asl_program *asl2c_program(void);

int main(int argc, char **argv)
{
	return asl_main(argc, argv, asl2c_program(), register_handlers);
}
