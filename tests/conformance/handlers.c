/*
 * handlers.c - the Lambda functions the conformance cases call, linked into
 * every area's program (driver.c).
 *
 * Each stands for a Lambda function whose behaviour on AWS is known, so a
 * case's expected result is AWS's for that function:
 *   echo         returns its event
 *   fail         throws event.error (default "CustomError") with message
 *                event.cause (default "boom")
 *   fail_times   throws event.error the first event.times calls of the
 *                execution, then returns {"calls": n, "event": event}
 *   fail_seq     throws the n-th name of event.errors on the n-th call, and
 *                returns {"calls": n} once they are used up
 *   calls        returns the number of calls of the execution so far
 *   add          returns event.a + event.b
 *   big          returns a string of event.size bytes
 *   null         returns null
 * One program runs one execution, so a process-wide counter is the
 * execution's counter.
 */
#include <asl2c/asl2c.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long n_calls;

static const char *str_or(json_t *event, const char *key, const char *dflt)
{
	json_t *v = json_object_get(event, key);
	return json_is_string(v) ? json_string_value(v) : dflt;
}

static int echo(asl_invocation *inv, json_t *event, json_t **result,
                void *user)
{
	(void)inv;
	(void)user;
	atomic_fetch_add(&n_calls, 1);
	*result = json_incref(event);
	return 0;
}

static int fail(asl_invocation *inv, json_t *event, json_t **result,
                void *user)
{
	(void)result;
	(void)user;
	atomic_fetch_add(&n_calls, 1);
	return asl_fail(inv, str_or(event, "error", "CustomError"), "%s",
	                str_or(event, "cause", "boom"));
}

static int fail_times(asl_invocation *inv, json_t *event, json_t **result,
                      void *user)
{
	long n = atomic_fetch_add(&n_calls, 1) + 1;
	json_t *t = json_object_get(event, "times");

	(void)user;
	if (json_is_integer(t) && n <= json_integer_value(t))
		return asl_fail(inv, str_or(event, "error", "CustomError"),
		                "failure %ld", n);
	*result = json_pack("{s:I, s:O}", "calls", (json_int_t)n, "event",
	                    event);
	return 0;
}

static int fail_seq(asl_invocation *inv, json_t *event, json_t **result,
                    void *user)
{
	long n = atomic_fetch_add(&n_calls, 1) + 1;
	json_t *errs = json_object_get(event, "errors");

	(void)user;
	if (json_is_array(errs) && (size_t)n <= json_array_size(errs)) {
		json_t *e = json_array_get(errs, (size_t)n - 1);
		return asl_fail(inv, json_is_string(e) ? json_string_value(e)
		                                       : "CustomError",
		                "failure %ld", n);
	}
	*result = json_pack("{s:I}", "calls", (json_int_t)n);
	return 0;
}

static int calls(asl_invocation *inv, json_t *event, json_t **result,
                 void *user)
{
	(void)inv;
	(void)event;
	(void)user;
	*result = json_integer(atomic_fetch_add(&n_calls, 1) + 1);
	return 0;
}

static int add(asl_invocation *inv, json_t *event, json_t **result,
               void *user)
{
	json_t *a = json_object_get(event, "a"), *b = json_object_get(event, "b");

	(void)user;
	atomic_fetch_add(&n_calls, 1);
	if (!json_is_integer(a) || !json_is_integer(b))
		return asl_fail(inv, "TypeError", "a and b must be integers");
	*result = json_integer(json_integer_value(a) + json_integer_value(b));
	return 0;
}

static int big(asl_invocation *inv, json_t *event, json_t **result,
               void *user)
{
	json_t *size = json_object_get(event, "size");
	size_t n = json_is_integer(size) ? (size_t)json_integer_value(size) : 0;
	char *s = malloc(n + 1);

	(void)user;
	atomic_fetch_add(&n_calls, 1);
	if (!s)
		return asl_fail(inv, "MemoryError", "out of memory");
	memset(s, 'x', n);
	s[n] = '\0';
	*result = json_string(s);
	free(s);
	return 0;
}

static int null_fn(asl_invocation *inv, json_t *event, json_t **result,
                   void *user)
{
	(void)inv;
	(void)event;
	(void)user;
	atomic_fetch_add(&n_calls, 1);
	*result = json_null();
	return 0;
}

int conformance_register(asl_registry *reg);
int conformance_register(asl_registry *reg)
{
	static const struct {
		const char *name;
		asl_handler_fn fn;
	} fns[] = {
		{ "echo", echo }, { "fail", fail }, { "fail_times", fail_times },
		{ "fail_seq", fail_seq }, { "calls", calls }, { "add", add },
		{ "big", big }, { "null", null_fn },
	};

	for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
		if (asl_registry_add(reg, fns[i].name, fns[i].fn, NULL) != 0)
			return -1;
	return 0;
}
