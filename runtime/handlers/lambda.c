/*
 * lambda.c - the handler registry, Task invocation with the Lambda
 * integration's result and error shapes, and the built-in handlers of the
 * fan-in example.
 */
#include "local.h"
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

/* -------------------------------------------------------------- registry */

struct asl_registry {
	struct entry {
		char *name;
		asl_handler h;
	} *v;
	size_t n, cap;
};

asl_registry *asl_registry_new_empty(void)
{
	return calloc(1, sizeof(asl_registry));
}

asl_registry *asl_registry_new(void)
{
	asl_registry *r = asl_registry_new_empty();
	if (!r)
		return NULL;
	asl_register_builtins(r);
	return r;
}

void asl_registry_free(asl_registry *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
	free(r);
}

int asl_registry_add(asl_registry *r, const char *name, asl_handler_fn fn,
                     void *user)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name)) {
			r->v[i].h.fn = fn;
			r->v[i].h.user = user;
			return 0;
		}
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct entry *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	if (!(r->v[r->n].name = strdup(name)))
		return -1;
	r->v[r->n].h.fn = fn;
	r->v[r->n].h.user = user;
	r->n++;
	return 0;
}

const asl_handler *asl_registry_find(const asl_registry *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name))
			return &r->v[i].h;
	return NULL;
}

/* ------------------------------------------------------------ invocation */

int asl_fail(asl_invocation *inv, const char *error, const char *fmt, ...)
{
	va_list ap;

	free(inv->error);
	free(inv->cause);
	inv->error = asl_strdup(error ? error : "Error");
	va_start(ap, fmt);
	inv->cause = fmt ? asl_vsprintf(fmt, ap) : asl_strdup("");
	va_end(ap);
	return -1;
}

void asl_log(asl_invocation *inv, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	line = asl_vsprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line); /* one call: lines do not interleave */
	asl_log_tail(inv, line, strlen(line));
	asl_log_tail(inv, "\n", 1);
	free(line);
}

void asl_log_tail(asl_invocation *inv, const char *s, size_t n)
{
	if (!inv->want_log || !n)
		return;
	if (n >= ASL_LOG_TAIL) {
		s += n - ASL_LOG_TAIL;
		n = ASL_LOG_TAIL;
	}
	if (!inv->log)
		inv->log = asl_xmalloc(ASL_LOG_TAIL);
	if (inv->log_len + n > ASL_LOG_TAIL) {
		size_t drop = inv->log_len + n - ASL_LOG_TAIL;
		memmove(inv->log, inv->log + drop, inv->log_len - drop);
		inv->log_len -= drop;
	}
	memcpy(inv->log + inv->log_len, s, n);
	inv->log_len += n;
}

const char *asl_invocation_function(const asl_invocation *inv)
{
	return inv->function;
}

const char *asl_invocation_state(const asl_invocation *inv)
{
	return inv->c->state;
}

uint64_t asl_invocation_random(asl_invocation *inv)
{
	return asl_random(inv->c);
}

int asl_invocation_cancelled(const asl_invocation *inv)
{
	const asl_exec *x = inv->c->x;

	return atomic_load(&x->aborted) || atomic_load(&x->timed_out) ||
	       asl_cancelled(inv->c);
}

const char *asl_function_name(const char *fn, char *buf, size_t n)
{
	const char *p = strstr(fn, ":function:");
	size_t len;

	p = p ? p + strlen(":function:") : fn;
	len = strcspn(p, ":");
	if (len >= n)
		len = n - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

/* The qualifier of a FunctionName ("...:function:f:PROD"), or "$LATEST". */
static const char *qualifier(const char *fn)
{
	const char *p = strstr(fn, ":function:");
	p = p ? p + strlen(":function:") : fn;
	p = strchr(p, ':');
	return p ? p + 1 : "$LATEST";
}

/* Run handler h on event.  0 with *result, or -1 with inv's error. */
static int call_handler(asl_invocation *inv, const asl_handler *h,
                        json_t *event, json_t **result)
{
	json_t *r = NULL;
	long long t0 = monotonic_ms();
	int rc = h->fn(inv, event, &r, h->user);

	/* A C handler cannot be interrupted: past its TimeoutSeconds, its
	 * result is discarded. */
	if (inv->timeout_ms && monotonic_ms() - t0 > inv->timeout_ms)
		inv->timed_out = true;
	if (inv->timed_out) {
		json_decref(r);
		return -1;
	}
	if (rc != 0) {
		json_decref(r);
		if (!inv->error)
			inv->error = asl_strdup("Lambda.Unknown");
		return -1;
	}
	*result = r ? r : json_null();
	return 0;
}


/* LogType "Tail": the last 4 KB of the invocation's log, as Lambda writes
 * it (START, the function's lines, END, REPORT), in base64.  The duration
 * is the handler's real running time, 0 on a fully virtual clock (so that
 * seeded runs stay byte-identical); Lambda's memory figures are left out:
 * there are none to give. */
static char *log_result(asl_ctx *c, const asl_invocation *inv,
                        double duration_ms)
{
	char *log, *b64;
	size_t n, off = 0;
	int len;

	if (c->x->virtual_clock)
		duration_ms = 0;
	log = asl_sprintf("START RequestId: %s Version: $LATEST\n%.*s"
	                  "END RequestId: %s\nREPORT RequestId: %s\t"
	                  "Duration: %.2f ms\tBilled Duration: %lld ms\t\n",
	                  inv->request_id, (int)inv->log_len,
	                  inv->log ? inv->log : "", inv->request_id,
	                  inv->request_id, duration_ms,
	                  (long long)duration_ms + 1);
	n = strlen(log);
	if (n > ASL_LOG_TAIL)
		off = n - ASL_LOG_TAIL;
	b64 = asl_xmalloc(4 * ((n - off + 2) / 3) + 1);
	len = EVP_EncodeBlock((unsigned char *)b64,
	                      (const unsigned char *)log + off, (int)(n - off));
	b64[len < 0 ? 0 : len] = '\0';
	free(log);
	return b64;
}

/* o[k] = v, a new reference; out of memory is never a wrong answer. */
static void put(json_t *o, const char *k, json_t *v)
{
	if (!o || !v || json_object_set_new(o, k, v) < 0)
		asl_oom();
}

/* Lambda's Invoke response as Step Functions returns it.  Content-Length
 * is the response's bytes as the function wrote them (written >= 0), or
 * its compact JSON (a C handler's value).  The time and the trace id's
 * draws come from r, taken when the function returned. */
static json_t *build_response(json_t *payload, const asl_lazy_response *r,
                              const char *logs)
{
	char date[64], trace[64];
	char len[32];
	time_t t = (time_t)asl_epoch_seconds(r->now);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	snprintf(trace, sizeof trace, "root=1-%08llx-%012llx%012llx;sampled=0",
	         (unsigned long long)t & 0xffffffffULL, r->hi, r->lo);
	if (r->written >= 0) {
		snprintf(len, sizeof len, "%lld", r->written);
	} else {
		char *body = asl_dump(payload);
		snprintf(len, sizeof len, "%zu", strlen(body));
		free(body);
	}

	/* HttpHeaders, and AllHttpHeaders with each value in a list. */
	json_t *one = json_pack("{s:s, s:s, s:s, s:s, s:s}",
	                        "Connection", "keep-alive",
	                        "Content-Length", len,
	                        "Content-Type", "application/json",
	                        "Date", date,
	                        "X-Amz-Executed-Version", "$LATEST");
	if (logs)
		put(one, "X-Amz-Log-Result", json_string(logs));
	put(one, "X-Amzn-Trace-Id", json_string(trace));
	put(one, "x-amzn-Remapped-Content-Length", json_string("0"));
	put(one, "x-amzn-RequestId", json_string(r->request_id));
	json_t *all = json_object(), *v, *resp = json_object();
	const char *k;
	json_object_foreach(one, k, v)
		put(all, k, json_pack("[O]", v));
	put(resp, "ExecutedVersion", json_string("$LATEST"));
	if (logs)
		put(resp, "LogResult", json_string(logs));
	put(resp, "Payload", json_incref(payload));
	put(resp, "SdkHttpMetadata", json_pack("{s:o, s:o, s:i}",
	                                       "AllHttpHeaders", all,
	                                       "HttpHeaders", one,
	                                       "HttpStatusCode", 200));
	put(resp, "SdkResponseMetadata", json_pack("{s:s}", "RequestId",
	                                           r->request_id));
	put(resp, "StatusCode", json_integer(200));
	return resp;
}

/* Whether a value reads nothing of $ but $.Payload and what is below it
 * (no filter: a filter's $ is the whole document). */
static bool payload_only(const asl_value *v)
{
	const asl_path *p = v->path;
	unsigned i;

	switch (v->kind) {
	case ASL_V_PATH:
		for (i = 0; i < p->n_segs; i++)
			if (p->segs[i].kind == ASL_SEG_FILTER)
				return false;
		return p->root != ASL_ROOT_INPUT ||
		       (p->n_segs && p->segs[0].kind == ASL_SEG_MEMBER &&
		        !p->segs[0].deep && !strcmp(p->segs[0].name, "Payload"));
	case ASL_V_CALL:
		for (i = 0; i < v->call->n_args; i++)
			if (!payload_only(&v->call->args[i]))
				return false;
		return true;
	case ASL_V_OBJECT:
		for (i = 0; i < v->count; i++)
			if (!payload_only(&v->members[i].value))
				return false;
		return true;
	case ASL_V_ARRAY:
		for (i = 0; i < v->count; i++)
			if (!payload_only(&v->items[i]))
				return false;
		return true;
	default:
		return true;
	}
}

/* The most the wrapper adds to the Payload's size (headers of about
 * 600 bytes; no LogResult: a lazy response has none). */
#define WRAPPER_MAX 4096

/* The response of a lambda:invoke Task, whole, or as {"Payload": ...}
 * alone when nothing can read the rest: a ResultSelector and Assign that
 * read only $.Payload, no history, no --inspect, no log, and a Payload
 * far enough from the size limit that the whole response is under it.
 * An error in ResultSelector or Assign then builds it whole
 * (asl_whole_response), for the message that prints it.  Consumes
 * payload. */
static json_t *invoke_response(asl_ctx *c, const asl_state *s,
                               json_t *payload, const asl_invocation *inv,
                               const char *logs)
{
	asl_lazy_response *r = &c->lazy;
	size_t limit = c->x->payload_limit;
	json_t *resp;

	r->now = asl_now_ms(c);
	/* Two draws in a fixed order: the order of evaluation of arguments is
	 * unspecified (gcc and clang differ). */
	r->lo = asl_random(c) & 0xffffffffffffULL;
	r->hi = asl_random(c) & 0xffffffffffffULL;
	r->written = inv->written;
	snprintf(r->request_id, sizeof r->request_id, "%s", inv->request_id);
	if (s->result_selector && !logs && !c->x->history && !c->x->inspect &&
	    payload_only(s->result_selector) &&
	    (!s->assign || payload_only(s->assign)) &&
	    (!limit || (limit > WRAPPER_MAX &&
	                asl_json_size(payload, limit) <= limit - WRAPPER_MAX))) {
		resp = json_object();
		put(resp, "Payload", payload);
		r->pending = true;
		return resp;
	}
	resp = build_response(payload, r, logs);
	json_decref(payload);
	return resp;
}

json_t *asl_whole_response(asl_ctx *c, json_t *lazy)
{
	c->lazy.pending = false;
	return build_response(json_object_get(lazy, "Payload"), &c->lazy, NULL);
}

/* A Lambda function error as Step Functions reports it: the error type,
 * and the error payload as a JSON string. */
static void lambda_error(asl_ctx *c, asl_invocation *inv)
{
	json_t *payload = inv->error_payload;
	char *d;

	if (inv->error_text) {
		/* the error document as the function's runtime wrote it */
		asl_set_error(c, inv->error, inv->error_text);
		return;
	}
	if (!payload)
		payload = json_pack("{s:s, s:s, s:s, s:[]}",
		                    "errorMessage", inv->cause ? inv->cause : "",
		                    "errorType", inv->error,
		                    "requestId", inv->request_id,
		                    "stackTrace");
	d = asl_dump(payload);
	asl_set_error(c, inv->error, d);
	free(d);
	json_decref(payload);
	inv->error_payload = NULL;
}

static void not_found(asl_ctx *c, const char *fn, const char *name,
                      const char *request_id)
{
	const char *region = c->x->region, *account = c->x->account;
	char r[64], a[64];

	/* A full ARN names its own region and account. */
	if (!strncmp(fn, "arn:", 4) &&
	    sscanf(fn, "arn:%*[^:]:lambda:%63[^:]:%63[^:]:", r, a) == 2) {
		region = r;
		account = a;
	}
	asl_raise(c, "Lambda.ResourceNotFoundException",
	          "Function not found: arn:aws:lambda:%s:%s:function:%s:%s "
	          "(Service: AWSLambda; Status Code: 404; Error Code: "
	          "ResourceNotFoundException; Request ID: %s; Proxy: null)",
	          region, account, name, qualifier(fn), request_id);
}

/* lambda:invoke's Payload when it is a string: the request body itself
 * (Lambda parses it: "0.0" reaches the function as 0.0), not a JSON string.
 * Blank is no payload: {}.  Text that is not JSON is refused as Lambda
 * refuses it.  A new reference, or NULL after raising. */
static json_t *request_body(asl_ctx *c, asl_invocation *inv, json_t *payload)
{
	const char *text = json_string_value(payload);
	size_t n = json_string_length(payload);
	json_error_t err;
	json_t *body;

	if (strspn(text, " \t\r\n") == n)
		return json_object();
	if (!(body = json_loadb(text, n, JSON_DECODE_ANY, &err))) {
		asl_raise(c, "Lambda.InvalidRequestContentException",
		          "Could not parse request body into json: Could not parse "
		          "payload into json: %s (Service: AWSLambda; Status Code: "
		          "400; Error Code: InvalidRequestContentException; Request "
		          "ID: %s; Proxy: null)", err.text, inv->request_id);
		return NULL;
	}
	inv->raw_event = text;
	return body;
}

/* ------------------------------------------------------- history events */

/* How the history names a task's resource: "arn:aws:states:::lambda:invoke"
 * is resourceType "lambda", resource "invoke". */
typedef struct task_ev {
	bool legacy;     /* arn:aws:lambda:...: LambdaFunction* events */
	bool record;     /* --history: build the details */
	char type[64];
	const char *resource;
} task_ev;

static void task_ev_init(task_ev *t, asl_ctx *c, const asl_state *s)
{
	static const char prefix[] = "arn:aws:states:::";
	const char *r = s->resource ? s->resource : "";

	t->legacy = s->resource_kind == ASL_RES_LAMBDA_ARN;
	t->record = c->x->history;
	t->resource = r;
	if (!strncmp(r, prefix, sizeof prefix - 1)) {
		const char *p = r + sizeof prefix - 1;
		size_t n = strcspn(p, ":");
		snprintf(t->type, sizeof t->type, "%.*s", (int)n, p);
		t->resource = p[n] ? p + n + 1 : p + n;
	} else {
		snprintf(t->type, sizeof t->type, "local");
	}
}

static void ev_scheduled(asl_ctx *c, const task_ev *t, const asl_state *s,
                         const char *fn, json_t *input)
{
	json_t *d = NULL;
	char *in;

	if (t->legacy) {
		if (t->record) {
			in = asl_dump(input);
			d = json_pack("{s:s, s:s, s:{s:b}}", "resource", fn,
			              "input", in, "inputDetails", "truncated", 0);
			free(in);
			if (s->timeout_seconds)
				json_object_set_new(d, "timeoutInSeconds",
				    json_integer(s->timeout_seconds));
		}
		asl_event(c, "LambdaFunctionScheduled",
		          "lambdaFunctionScheduledEventDetails", d);
		asl_event(c, "LambdaFunctionStarted", NULL, NULL);
		return;
	}
	if (t->record) {
		in = asl_dump(input);
		d = json_pack("{s:s, s:s, s:s, s:s}", "resourceType", t->type,
		              "resource", t->resource, "region", c->x->region,
		              "parameters", in);
		free(in);
		if (s->timeout_seconds)
			json_object_set_new(d, "timeoutInSeconds",
			                    json_integer(s->timeout_seconds));
	}
	asl_event(c, "TaskScheduled", "taskScheduledEventDetails", d);
	d = t->record ? json_pack("{s:s, s:s}", "resourceType", t->type,
	                          "resource", t->resource) : NULL;
	asl_event(c, "TaskStarted", "taskStartedEventDetails", d);
}

static void ev_succeeded(asl_ctx *c, const task_ev *t, json_t *output)
{
	json_t *d = NULL;
	char *out;

	if (t->record) {
		out = asl_dump(output);
		if (t->legacy)
			d = json_pack("{s:s, s:{s:b}}", "output", out,
			              "outputDetails", "truncated", 0);
		else
			d = json_pack("{s:s, s:s, s:s, s:{s:b}}", "resourceType",
			              t->type, "resource", t->resource, "output", out,
			              "outputDetails", "truncated", 0);
		free(out);
	}
	if (t->legacy)
		asl_event(c, "LambdaFunctionSucceeded",
		          "lambdaFunctionSucceededEventDetails", d);
	else
		asl_event(c, "TaskSucceeded", "taskSucceededEventDetails", d);
}

/* After c's error was set. */
static void ev_failed(asl_ctx *c, const task_ev *t)
{
	bool timeout = !strcmp(c->error, "States.Timeout");
	json_t *d = NULL;

	if (atomic_load(&c->x->aborted) ||
	    asl_cancelled(c))
		return; /* the execution's end says it */
	if (t->record) {
		d = t->legacy ? json_object()
		              : json_pack("{s:s, s:s}", "resourceType", t->type,
		                          "resource", t->resource);
		json_object_set_new(d, "error", json_string(c->error));
		if (c->cause)
			json_object_set_new(d, "cause", json_string(c->cause));
	}
	if (t->legacy)
		asl_event(c, timeout ? "LambdaFunctionTimedOut"
		                     : "LambdaFunctionFailed",
		          timeout ? "lambdaFunctionTimedOutEventDetails"
		                  : "lambdaFunctionFailedEventDetails", d);
	else
		asl_event(c, timeout ? "TaskTimedOut" : "TaskFailed",
		          timeout ? "taskTimedOutEventDetails"
		                  : "taskFailedEventDetails", d);
}

/* ------------------------------------------------------------ the task */

/* A mocked response (MockConfigFile): Return is the service's response,
 * Throw a task failure. */
static int mocked(asl_ctx *c, const asl_state *s, const task_ev *t,
                  json_t *resp, json_t **result)
{
	json_t *ret = json_object_get(resp, "Return");

	if (ret) {
		/* The legacy Lambda ARN form yields the function's output:
		 * the Payload of an Invoke response. */
		json_t *p = json_object_get(ret, "Payload");
		*result = json_incref(t->legacy && p ? p : ret);
		ev_succeeded(c, t, *result);
		return ASL_OK;
	}
	json_t *th = json_object_get(resp, "Throw");
	asl_set_error(c, json_string_value(json_object_get(th, "Error")),
	              json_string_value(json_object_get(th, "Cause")));
	ev_failed(c, t);
	return ASL_ERROR;
}

/* The task's TimeoutSeconds(Path) in milliseconds (0: none), checking its
 * HeartbeatSecondsPath too: positive integers, the paths resolved on the
 * effective input.  -1 after raising States.Runtime. */
static long long task_timeout_ms(asl_ctx *c, const asl_state *s,
                                 json_t *input)
{
	long t, h;

	if (!asl_int_field(c, "TimeoutSecondsPath", s->timeout_seconds,
	                   s->timeout_path, input, &t) ||
	    !asl_int_field(c, "HeartbeatSecondsPath", s->heartbeat_seconds,
	                   s->heartbeat_path, input, &h))
		return -1;
	if ((s->timeout_path && t <= 0) || (s->heartbeat_path && h <= 0)) {
		bool tp = s->timeout_path && t <= 0;
		asl_runtime_error(c, "The %s field refers to value \"%ld\" which "
		                  "is not a positive integer: %s",
		                  tp ? "TimeoutSecondsPath" : "HeartbeatSecondsPath",
		                  tp ? t : h, tp ? s->timeout_path->text
		                                 : s->heartbeat_path->text);
		return -1;
	}
	/* TimeoutSeconds' and HeartbeatSeconds' range, as for the fields
	 * (doc/semantics.md): t * 1000 cannot overflow. */
	if (t > ASL_DURATION_MAX_S || h > ASL_DURATION_MAX_S) {
		bool tp = t > ASL_DURATION_MAX_S;
		asl_runtime_error(c, "The %s field refers to value \"%ld\" which "
		                  "is greater than the maximum of %lld: %s",
		                  tp ? "TimeoutSecondsPath" : "HeartbeatSecondsPath",
		                  tp ? t : h, ASL_DURATION_MAX_S,
		                  tp ? s->timeout_path->text
		                     : s->heartbeat_path->text);
		return -1;
	}
	return t > 0 ? t * 1000LL : 0;
}

int asl_invoke(asl_ctx *c, const asl_state *s, json_t *input,
               json_t **result)
{
	char name[256], rid[37] = "";
	const char *fn;
	json_t *event, *payload = NULL, *resp;
	const asl_handler *h;
	asl_invocation inv;
	task_ev t;
	int rc;
	long long timeout_ms = task_timeout_ms(c, s, input);

	if (timeout_ms < 0)
		return ASL_ERROR;
	if (s->resource_kind == ASL_RES_OTHER) {
		fn = s->resource;
		event = input;
		snprintf(name, sizeof name, "%s", s->resource);
	} else {
		if (s->resource_kind == ASL_RES_LAMBDA_ARN) {
			fn = s->function;
			event = input;
		} else {
			json_t *f = json_object_get(input, "FunctionName");
			if (!json_is_string(f)) {
				asl_runtime_error(c, "The field 'FunctionName' is "
				                  "required and must be a string");
				return ASL_ERROR;
			}
			fn = json_string_value(f);
			event = json_object_get(input, "Payload");
		}
		asl_function_name(fn, name, sizeof name);
	}

	c->lazy.pending = false;
	task_ev_init(&t, c, s);
	ev_scheduled(c, &t, s, fn, input);

	if (c->x->mock) {
		long index;
		bool past_end;
		resp = asl_mock_next(c->x->mock, s->name, &index, &past_end);
		if (past_end) {
			asl_runtime_error(c, "The mocked responses of the state are "
			                  "used up: no response for its invocation "
			                  "%ld in the test case '%s'", index,
			                  asl_mock_test_case(c->x->mock));
			return ASL_ERROR;
		}
		if (resp)
			return mocked(c, s, &t, resp, result);
	}

	if (s->resource_kind != ASL_RES_OTHER)
		asl_uuid(c, rid);
	memset(&inv, 0, sizeof inv);
	inv.c = c;
	inv.function = name;
	inv.request_id = rid;
	inv.timeout_ms = timeout_ms;
	inv.written = -1;
	/* No Payload: the function receives {} */
	json_t *body = event ? NULL : json_object();
	if (s->resource_kind == ASL_RES_LAMBDA_INVOKE) {
		json_t *lt = json_object_get(input, "LogType");
		inv.want_log = json_is_string(lt) &&
		               !strcmp(json_string_value(lt), "Tail");
		if (json_is_string(event) &&
		    !(body = request_body(c, &inv, event))) {
			ev_failed(c, &t);
			return ASL_ERROR;
		}
	}
	if (body)
		event = body;
	if (!(h = asl_registry_find(c->x->reg, name))) {
		if (s->resource_kind == ASL_RES_OTHER)
			asl_raise(c, "States.TaskFailed", "No handler is registered "
			          "for the resource '%s'", s->resource);
		else
			not_found(c, fn, name, rid);
		json_decref(body);
		ev_failed(c, &t);
		return ASL_ERROR;
	}

	long long t0 = monotonic_ms();
	rc = call_handler(&inv, h, event, &payload);
	double duration_ms = (double)(monotonic_ms() - t0);
	json_decref(body);
	if (rc < 0) {
		if (inv.timed_out)
			asl_set_error(c, "States.Timeout", NULL);
		else if (!strncmp(inv.error, "States.", 7) ||
		         s->resource_kind == ASL_RES_OTHER)
			asl_set_error(c, inv.error, inv.cause);
		else
			lambda_error(c, &inv);
		free(inv.error);
		free(inv.cause);
		free(inv.error_text);
		free(inv.log);
		json_decref(inv.error_payload);
		ev_failed(c, &t);
		return ASL_ERROR;
	}
	if (s->resource_kind == ASL_RES_LAMBDA_INVOKE) {
		char *logs = inv.want_log ? log_result(c, &inv, duration_ms)
		                          : NULL;
		*result = invoke_response(c, s, payload, &inv, logs);
		free(logs);
	} else {
		*result = payload;
	}
	free(inv.log);
	ev_succeeded(c, &t, *result);
	return ASL_OK;
}

/* ------------------------------------------------ the fan-in's handlers */

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

/* ------------------------------------------ the benchmark's CPU work */

/* sha256_work: {"seed": N, "mib": M} -> the SHA-256 hex digest of M MiB
 * (default 4): a 64 KiB block filled by xorshift64 from the seed, hashed
 * 16*M times.  Real CPU work for bench/ (map-cpu); bench/peers/als-run.mjs
 * computes the same digest. */
static int sha256_work(asl_invocation *inv, json_t *event, json_t **result,
                       void *user)
{
	json_t *s = json_object_get(event, "seed");
	json_t *m = json_object_get(event, "mib");
	double mib = json_is_number(m) ? json_number_value(m) : 4;
	uint64_t x = (uint64_t)(json_is_integer(s) ? json_integer_value(s) : 0)
	             * 0x9E3779B97F4A7C15ULL + 1;
	unsigned char *block, md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned n = 0;
	EVP_MD_CTX *ctx;

	(void)user;
	if (!(mib >= 0 && mib <= 1024))
		return asl_fail(inv, "Bench.InvalidInput", "mib must be 0..1024");
	if (!(block = malloc(65536)) || !(ctx = EVP_MD_CTX_new())) {
		free(block);
		return asl_fail(inv, "Bench.OutOfMemory", "sha256_work");
	}
	for (size_t i = 0; i < 65536; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		for (int b = 0; b < 8; b++)
			block[i + b] = (unsigned char)(x >> (8 * b));
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (long i = 0; i < (long)(mib * 16); i++)
		EVP_DigestUpdate(ctx, block, 65536);
	EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	free(block);
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * n] = '\0';
	*result = json_string(hex);
	return 0;
}

void asl_register_builtins(asl_registry *r)
{
	asl_registry_add(r, "partitions_detector", partitions_detector, NULL);
	asl_registry_add(r, "partitions_processor", partitions_processor, NULL);
	asl_registry_add(r, "table_creator", table_creator, NULL);
	asl_registry_add(r, "sha256_work", sha256_work, NULL);
	asl_register_data_builtins(r); /* builtin_data.c */
}
