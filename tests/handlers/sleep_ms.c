/*
 * sleep_ms.c - a C handler linked into a program (built with a generated
 * program compiled with -DASL2C_NO_MAIN) that sleeps: sleep_ms {"id": ID,
 * "ms": N} sleeps N ms and returns {"id": ID}; wait_told {"mark": FILE}
 * sleeps in steps of 10 ms, for 10 minutes at most, until its invocation
 * is cancelled (its task timed out), then writes FILE.  For c_timeout.sh.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep under -std=c11 */
#include <asl2c/asl2c.h>

#include <stdio.h>
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

static int wait_told(asl_invocation *inv, json_t *event, json_t **result,
                     void *user)
{
	const char *mark = json_string_value(json_object_get(event, "mark"));
	struct timespec step = { 0, 10000000 };
	FILE *f;

	(void)user;
	for (int i = 0; i < 60000 && !asl_invocation_cancelled(inv); i++)
		nanosleep(&step, NULL);
	if (mark && (f = fopen(mark, "w"))) {
		fputs(asl_invocation_cancelled(inv) ? "told\n" : "never told\n", f);
		fclose(f);
	}
	*result = json_pack("{s:b}", "late", 1);
	return 0;
}

static int register_handlers(asl_registry *reg)
{
	return asl_registry_add(reg, "sleep_ms", sleep_ms, NULL) ||
	       asl_registry_add(reg, "wait_told", wait_told, NULL);
}

const asl_program *asl2c_program(void);

int main(int argc, char **argv)
{
	return asl_main(argc, argv, asl2c_program(), register_handlers);
}
