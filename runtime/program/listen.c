/*
 * listen.c - the generated program's local Step Functions endpoint
 * (--listen ADDR:PORT, --listen-file FILE): the AWS JSON 1.0 protocol on
 * endpoint.c, serving SendTaskSuccess, SendTaskFailure and
 * SendTaskHeartbeat on the running execution's task tokens (callback.c),
 * so the AWS CLI and SDKs complete a callback task unchanged.
 */
#include "listen.h"
#include "endpoint.h"
#include "handlers/local.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Step Functions' requests are at most 256 KiB of output and a token:
 * a little more is room for the JSON around them. */
#define LISTEN_BODY_MAX ((size_t)300 * 1024)

/* A string member of the request, or NULL when absent; *bad when it is
 * there but not a string. */
static const char *member(json_t *in, const char *name, bool *bad)
{
	json_t *v = json_object_get(in, name);

	if (v && !json_is_string(v))
		*bad = true;
	return json_string_value(v);
}

/* The answer to a SendTask* call: {} or AWS's error (HTTP 400). */
static void answer(asl_http_response *rs, int rc)
{
	const char *type = asl_callback_error(rc);

	if (!type) {
		asl_http_json(rs, 200, NULL);
		return;
	}
	switch (rc) {
	case ASL_INVALID_TOKEN:
		asl_http_error(rs, 400, type, "Invalid Token: 'Invalid token'");
		break;
	case ASL_TASK_DOES_NOT_EXIST:
		asl_http_error(rs, 400, type, "Task Does Not Exist");
		break;
	case ASL_TASK_TIMED_OUT:
		asl_http_error(rs, 400, type, "Task Timed Out");
		break;
	default:
		asl_http_error(rs, 400, type, "Invalid Output: the output is not "
		               "JSON");
	}
}

/* A required string member of a request (taskToken, output), or NULL
 * after answering ValidationException. */
static const char *required(json_t *in, const char *name,
                            asl_http_response *rs)
{
	bool bad = false;
	const char *v = member(in, name, &bad);

	if (!v || bad) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value%s at '%s' failed to satisfy "
		               "constraint: Member must %s", bad ? "" : " null",
		               name, bad ? "be a string" : "not be null");
		return NULL;
	}
	return v;
}

static void send_success(void *user, const asl_http_request *rq,
                         json_t *in, asl_http_response *rs)
{
	const char *t = required(in, "taskToken", rs), *out;

	(void)rq;
	if (t && (out = required(in, "output", rs)))
		answer(rs, asl_send_task_success(user, t, out));
}

static void send_failure(void *user, const asl_http_request *rq,
                         json_t *in, asl_http_response *rs)
{
	bool bad = false;
	const char *t = required(in, "taskToken", rs);
	const char *error = member(in, "error", &bad);
	const char *cause = member(in, "cause", &bad);

	(void)rq;
	if (!t)
		return;
	if (bad) {
		asl_http_error(rs, 400, "ValidationException", "error and cause "
		               "must be strings");
		return;
	}
	answer(rs, asl_send_task_failure(user, t, error, cause));
}

static void send_heartbeat(void *user, const asl_http_request *rq,
                           json_t *in, asl_http_response *rs)
{
	const char *t = required(in, "taskToken", rs);

	(void)rq;
	if (t)
		answer(rs, asl_send_task_heartbeat(user, t));
}

static const asl_http_action actions[] = {
	{ "SendTaskSuccess", send_success },
	{ "SendTaskFailure", send_failure },
	{ "SendTaskHeartbeat", send_heartbeat },
};

/* Write the URL to file, whole (a temporary renamed over it). */
static int write_url(const char *file, const char *url)
{
	char *tmp = asl_sprintf("%s.tmp", file);
	FILE *f = fopen(tmp, "w");
	int rc = -1;

	if (f) {
		bool ok = fprintf(f, "%s\n", url) > 0;
		if (fclose(f) == 0 && ok && rename(tmp, file) == 0)
			rc = 0;
	}
	if (rc < 0)
		remove(tmp);
	free(tmp);
	return rc;
}

asl_endpoint *asl_listen_start(asl_exec *x, const char *addr,
                               const char *file, const char *argv0)
{
	asl_endpoint_config cfg = {
		addr, "AWSStepFunctions", actions,
		sizeof actions / sizeof *actions, NULL, NULL, LISTEN_BODY_MAX,
		64, 60, x->callbacks
	};
	char err[256], host[128], *url;
	asl_endpoint *ep;
	size_t n = strcspn(addr, "]");

	if (!(ep = asl_endpoint_start(&cfg, err, sizeof err))) {
		fprintf(stderr, "%s: --listen %s: %s\n", argv0, addr, err);
		return NULL;
	}
	/* The host as given ("[::1]" keeps its brackets), the port bound. */
	if (addr[0] == '[' && addr[n] == ']')
		snprintf(host, sizeof host, "%.*s", (int)n + 1, addr);
	else if (addr[0] == ':')
		snprintf(host, sizeof host, "127.0.0.1");
	else
		snprintf(host, sizeof host, "%.*s", (int)strcspn(addr, ":"), addr);
	url = asl_sprintf("http://%s:%u", host, asl_endpoint_port(ep));
	asl_callbacks_set_endpoint(x->callbacks, url);
	if (file && write_url(file, url) < 0) {
		fprintf(stderr, "%s: --listen-file %s: %s\n", argv0, file,
		        strerror(errno));
		free(url);
		asl_endpoint_stop(ep);
		return NULL;
	}
	free(url);
	return ep;
}
