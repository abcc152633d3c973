/*
 * handlers.c - C handlers that break the handler contract
 * (asl2c/handler.h) in the ways a careless handler can without crashing,
 * linked with a generated machine built with -DASL2C_NO_MAIN.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <asl2c/asl2c.h>

#include <time.h>

const asl_program *asl2c_program(void);

/* Success with no result: the runtime reads JSON null. */
static int null_result(asl_invocation *inv, json_t *event, json_t **result,
                       void *user)
{
	(void)inv, (void)event, (void)user;
	*result = NULL;
	return 0;
}

/* Failure without asl_fail(): Lambda.Unknown. */
static int bare_failure(asl_invocation *inv, json_t *event, json_t **result,
                        void *user)
{
	(void)inv, (void)event, (void)user;
	*result = NULL;
	return -1;
}

/* A result and a failure: the result is dropped (and freed). */
static int result_and_failure(asl_invocation *inv, json_t *event,
                              json_t **result, void *user)
{
	(void)event, (void)user;
	*result = json_pack("{s:s}", "dropped", "yes");
	return asl_fail(inv, "Custom.Error", "with a result of %d keys", 1);
}

/* An odd return value: any non-zero is a failure. */
static int odd_status(asl_invocation *inv, json_t *event, json_t **result,
                      void *user)
{
	(void)inv, (void)event, (void)user;
	*result = json_true();
	return 7;
}

/* asl_fail() called twice: the last one wins, nothing leaks. */
static int fail_twice(asl_invocation *inv, json_t *event, json_t **result,
                      void *user)
{
	(void)event, (void)result, (void)user;
	asl_fail(inv, "First", "first");
	return asl_fail(inv, NULL, NULL);
}

/* An error name and a cause that are not UTF-8 (they end up in JSON):
 * U+FFFD for the bytes that are not (it crashed: SIGSEGV). */
static int not_utf8(asl_invocation *inv, json_t *event, json_t **result,
                    void *user)
{
	(void)event, (void)result, (void)user;
	return asl_fail(inv, "Bad\xff", "x\xff\xc3(y \"%s\"", "\xe2\x82");
}

/* Sleeps event.ms milliseconds (for the signal tests). */
static int sleep_ms(asl_invocation *inv, json_t *event, json_t **result,
                    void *user)
{
	json_int_t ms = json_integer_value(json_object_get(event, "ms"));
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	(void)user;
	asl_log(inv, "sleep_ms: started");
	while (nanosleep(&ts, &ts) != 0)
		;
	*result = json_incref(event);
	return 0;
}

/* Works for event.ms milliseconds, 10 at a time, and stops early when told
 * that its result is no longer wanted (a sibling failed: cancel.sh). */
static int poll_cancel(asl_invocation *inv, json_t *event, json_t **result,
                       void *user)
{
	json_int_t ms = json_integer_value(json_object_get(event, "ms"));

	(void)user;
	asl_log(inv, "poll_cancel: started");
	for (json_int_t t = 0; t < ms; t += 10) {
		struct timespec ts = { 0, 10 * 1000000 };
		if (asl_invocation_cancelled(inv)) {
			asl_log(inv, "poll_cancel: told after %lld ms", (long long)t);
			return asl_fail(inv, "Told", "stopped after %lld ms",
			                (long long)t);
		}
		while (nanosleep(&ts, &ts) != 0)
			;
	}
	*result = json_incref(event);
	return 0;
}

static int register_handlers(asl_registry *reg)
{
	return asl_registry_add(reg, "null_result", null_result, NULL) ||
	       asl_registry_add(reg, "bare_failure", bare_failure, NULL) ||
	       asl_registry_add(reg, "result_and_failure", result_and_failure,
	                        NULL) ||
	       asl_registry_add(reg, "odd_status", odd_status, NULL) ||
	       asl_registry_add(reg, "fail_twice", fail_twice, NULL) ||
	       asl_registry_add(reg, "not_utf8", not_utf8, NULL) ||
	       asl_registry_add(reg, "sleep_ms", sleep_ms, NULL) ||
	       asl_registry_add(reg, "poll_cancel", poll_cancel, NULL);
}

int main(int argc, char **argv)
{
	return asl_main(argc, argv, asl2c_program(), register_handlers);
}
