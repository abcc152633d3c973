/*
 * callback.c - the handlers of tests/callbacks/callbacks.sh, linked into
 * the programs (with their main): each is given a task token and completes
 * it, or not, through the C API (asl_send_task_*).
 *
 * The event is {"token": T, "decision": D} (or the same under
 * "MessageBody", as sqs:sendMessage sends it), D one of
 *   ok      SendTaskSuccess {"approved": true, "attempt": $$.State.RetryCount}
 *   fail    SendTaskFailure Rejected / "not approved"
 *   flaky   SendTaskFailure Flaky on the first two attempts, then ok
 *   none    nothing: the task times out
 *   beat    SendTaskHeartbeat only: the task times out
 *   checks  the API's errors (InvalidToken, TaskDoesNotExist,
 *           InvalidOutput, TaskTimedOut after completion), then ok
 * and the handler logs "token T attempt N" on stderr.
 */
#include <asl2c/asl2c.h>

#include <stdio.h>
#include <string.h>

const asl_program *asl2c_program(void);

static int expect(asl_invocation *inv, int got, int want, const char *what)
{
	if (got == want)
		return 0;
	return asl_fail(inv, "CheckFailed", "%s: %s, not %s", what,
	                got ? asl_callback_error(got) : "OK",
	                want ? asl_callback_error(want) : "OK");
}

/* The API's errors, then success. */
static int checks(asl_invocation *inv, asl_callbacks *cb, const char *t)
{
	static const char unknown[] =
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

	if (expect(inv, asl_send_task_success(cb, "not a token", "{}"),
	           ASL_INVALID_TOKEN, "a malformed token") ||
	    expect(inv, asl_send_task_heartbeat(cb, unknown),
	           ASL_TASK_DOES_NOT_EXIST, "an unknown token") ||
	    expect(inv, asl_send_task_success(cb, t, "{not json"),
	           ASL_INVALID_OUTPUT, "output that is not JSON") ||
	    expect(inv, asl_send_task_heartbeat(cb, t), 0, "a heartbeat") ||
	    expect(inv, asl_send_task_success(cb, t, "{\"approved\": "
	                                      "\"checked\", \"attempt\": 0}"), 0,
	           "success") ||
	    expect(inv, asl_send_task_failure(cb, t, "Late", NULL),
	           ASL_TASK_TIMED_OUT, "a token already completed"))
		return -1;
	return 0;
}

static int approve(asl_invocation *inv, json_t *event, json_t **result,
                   void *user)
{
	json_t *body = json_object_get(event, "MessageBody");
	json_t *e = body ? body : event;
	const char *t = json_string_value(json_object_get(e, "token"));
	const char *d = json_string_value(json_object_get(e, "decision"));
	json_int_t attempt = json_integer_value(json_object_get(e, "attempt"));
	asl_callbacks *cb = asl_invocation_callbacks(inv);
	char out[64];

	(void)user;
	if (!t || !d)
		return asl_fail(inv, "BadEvent", "no token or decision");
	if (!asl_invocation_task_token(inv) ||
	    strcmp(asl_invocation_task_token(inv), t))
		return asl_fail(inv, "BadToken", "not $$.Task.Token");
	asl_log(inv, "token %s attempt %lld", t, (long long)attempt);
	*result = json_pack("{s:s}", "sent", d);
	snprintf(out, sizeof out, "{\"approved\": true, \"attempt\": %lld}",
	         (long long)attempt);
	if (!strcmp(d, "ok") || (!strcmp(d, "flaky") && attempt >= 2))
		return expect(inv, asl_send_task_success(cb, t, out), 0, "ok");
	if (!strcmp(d, "fail"))
		return expect(inv, asl_send_task_failure(cb, t, "Rejected",
		                                         "not approved"), 0, "fail");
	if (!strcmp(d, "flaky"))
		return expect(inv, asl_send_task_failure(cb, t, "Flaky", "again"),
		              0, "flaky");
	if (!strcmp(d, "beat"))
		return expect(inv, asl_send_task_heartbeat(cb, t), 0, "beat");
	if (!strcmp(d, "checks"))
		return checks(inv, cb, t);
	return 0; /* none */
}

static int register_all(asl_registry *reg)
{
	return asl_registry_add(reg, "approve", approve, NULL) ||
	       asl_registry_add(reg, "arn:aws:states:::sqs:sendMessage."
	                        "waitForTaskToken", approve, NULL);
}

int main(int argc, char **argv)
{
	return asl_main(argc, argv, asl2c_program(), register_all);
}
