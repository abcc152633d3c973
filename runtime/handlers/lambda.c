/*
 * lambda.c - a Task's invocation of its handler, with the Lambda
 * integration's request, result and error shapes (the registry is
 * registry.c, the handler API invocation.c, the task's history events
 * task_events.c).
 */
#include "local.h"
#include "jsonata.h"
#include "clock.h"
#include "exec/libs.h"
#include "jsontext.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	/* A C handler under a TimeoutSeconds runs on a thread of its own, the
	 * task failing when the timeout passes (timed.c); a command is killed
	 * at the timeout by the bridge. */
	int rc = inv->timeout_ms && !asl_handler_is_command(h)
	         ? asl_call_timed(inv, h, event, &r)
	         : h->fn(inv, event, &r, h->user);

	/* Past its TimeoutSeconds, a result is discarded. */
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
	len = asl_crypto()->EVP_EncodeBlock((unsigned char *)b64,
	                                    (const unsigned char *)log + off,
	                                    (int)(n - off));
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

	asl_format_http_date(r->now, date, sizeof date);
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

/* The same for a JSONata value: none of its expressions reads anything of
 * $states.result but $states.result.Payload. */
static bool ata_payload_only(const asl_ctx *c, const asl_value *v)
{
	unsigned i;

	switch (v->kind) {
	case ASL_V_JSONATA:
		return !(c->x->jsonata_reads[v->lit] & ASL_READS_BEYOND_PAYLOAD);
	case ASL_V_OBJECT:
		for (i = 0; i < v->count; i++)
			if (!ata_payload_only(c, &v->members[i].value))
				return false;
		return true;
	case ASL_V_ARRAY:
		for (i = 0; i < v->count; i++)
			if (!ata_payload_only(c, &v->items[i]))
				return false;
		return true;
	default:
		return true;
	}
}

/* Whether the state reads nothing of its result but the Payload: a
 * JSONPath ResultSelector and Assign that read $.Payload only, or a
 * JSONata Output and Assign whose expressions read $states.result.Payload
 * only (no Output: the output is the whole result). */
static bool reads_payload_only(const asl_ctx *c, const asl_state *s)
{
	if (s->jsonata)
		return s->output && ata_payload_only(c, s->output) &&
		       (!s->assign || ata_payload_only(c, s->assign));
	return s->result_selector && payload_only(s->result_selector) &&
	       (!s->assign || payload_only(s->assign));
}

/* The most the wrapper adds to the Payload's size (headers of about
 * 600 bytes; no LogResult: a lazy response has none). */
#define WRAPPER_MAX 4096

/* The response of a lambda:invoke Task, whole, or as {"Payload": ...}
 * alone when nothing can read the rest (reads_payload_only), no history,
 * no --inspect, no log, and a Payload
 * far enough from the size limit that the whole response is under it.
 * An error in ResultSelector, Output or Assign then builds it whole
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
	asl_copy_cut(r->request_id, sizeof r->request_id, inv->request_id,
	             strlen(inv->request_id));
	if (!logs && !c->x->history && !c->x->inspect &&
	    reads_payload_only(c, s) &&
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
	strbuf b = SB_INIT;
	char *d;

	if (inv->error_text) {
		/* the error document as the function's runtime wrote it */
		asl_set_error(c, inv->error, inv->error_text);
		return;
	}
	if (payload) {
		d = asl_dump(payload);
		asl_set_error(c, inv->error, d);
		free(d);
		json_decref(payload);
		inv->error_payload = NULL;
		return;
	}
	/* {"errorMessage":...,"errorType":...,"requestId":...,"stackTrace":[]}
	 * written as asl_dump would write it, without the object: this is
	 * every retried failure's cost */
	sb_puts(&b, "{\"errorMessage\":");
	jt_string(&b, inv->cause ? inv->cause : "",
	          inv->cause ? strlen(inv->cause) : 0);
	sb_puts(&b, ",\"errorType\":");
	jt_string(&b, inv->error, strlen(inv->error));
	sb_puts(&b, ",\"requestId\":");
	jt_string(&b, inv->request_id, strlen(inv->request_id));
	sb_puts(&b, ",\"stackTrace\":[]}");
	asl_set_error(c, inv->error, b.s);
	sb_free(&b);
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

/* ------------------------------------------------------------ the task */

/* A mocked response (MockConfigFile): Return is the service's response,
 * Throw a task failure. */
static int mocked(asl_ctx *c, const asl_state *s, const task_ev *t,
                  json_t *resp, json_t **result)
{
	json_t *ret = json_object_get(resp, "Return");

	/* A callback task's Return or Throw is the callback's outcome
	 * (Step Functions Local's rule): it is submitted, then completed. */
	if (asl_is_callback(s))
		asl_task_ev_submitted(c, t, NULL);
	else if (t->activity)
		asl_task_ev_activity_started(c, t, NULL);
	if (ret) {
		/* The legacy Lambda ARN form yields the function's output:
		 * the Payload of an Invoke response. */
		json_t *p = json_object_get(ret, "Payload");
		*result = json_incref(t->legacy && p ? p : ret);
		asl_task_ev_succeeded(c, t, *result);
		return ASL_OK;
	}
	json_t *th = json_object_get(resp, "Throw");
	asl_set_error(c, json_string_value(json_object_get(th, "Error")),
	              json_string_value(json_object_get(th, "Cause")));
	asl_task_ev_failed(c, t);
	return ASL_ERROR;
}

/* The task's TimeoutSeconds(Path) and HeartbeatSeconds(Path) in
 * milliseconds (0: none): positive integers, the paths resolved on the
 * effective input, a JSONata state's expressions on its input.  False
 * after raising States.Runtime (States.QueryEvaluationError). */
static bool task_timeouts(asl_ctx *c, const asl_state *s, json_t *input,
                          long long *timeout_ms, long long *heartbeat_ms)
{
	long t, h;
	/* JSONata: the expressions see $states.input, not the Arguments */
	json_t *doc = s->jsonata && c->state_input ? c->state_input : input;

	if (!asl_state_int(c, "TimeoutSecondsPath", s->timeout_seconds,
	                   s->timeout_path, s->timeout_jsonata, "TimeoutSeconds",
	                   doc, 1, ASL_DURATION_MAX_S, &t) ||
	    !asl_state_int(c, "HeartbeatSecondsPath", s->heartbeat_seconds,
	                   s->heartbeat_path, s->heartbeat_jsonata,
	                   "HeartbeatSeconds", doc, 1, ASL_DURATION_MAX_S, &h))
		return false;
	if ((s->timeout_path && t <= 0) || (s->heartbeat_path && h <= 0)) {
		bool tp = s->timeout_path && t <= 0;
		asl_runtime_error(c, "The %s field refers to value \"%ld\" which "
		                  "is not a positive integer: %s",
		                  tp ? "TimeoutSecondsPath" : "HeartbeatSecondsPath",
		                  tp ? t : h, tp ? s->timeout_path->text
		                                 : s->heartbeat_path->text);
		return false;
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
		return false;
	}
	*timeout_ms = t > 0 ? t * 1000LL : 0;
	*heartbeat_ms = h > 0 ? h * 1000LL : 0;
	return true;
}

/* The function a task calls (*fn: as named; name: the handler's name)
 * and the event it gets (*event: NULL for none), from the resource and,
 * for lambda:invoke, the arguments' FunctionName and Payload. */
static bool task_function(asl_ctx *c, const asl_state *s, json_t *input,
                          const char **fn, json_t **event, char *name,
                          size_t size)
{
	*event = input;
	if (s->resource_kind == ASL_RES_OTHER) {
		*fn = s->resource;
		asl_copy_cut(name, size, s->resource, strlen(s->resource));
		return true;
	}
	if (s->resource_kind == ASL_RES_LAMBDA_ARN) {
		*fn = s->function;
	} else {
		json_t *f = json_object_get(input, "FunctionName");
		if (!json_is_string(f)) {
			asl_runtime_error(c, "The field 'FunctionName' is "
			                  "required and must be a string");
			return false;
		}
		*fn = json_string_value(f);
		*event = json_object_get(input, "Payload");
	}
	asl_function_name(*fn, name, size);
	return true;
}

/* The handler failed: the task's error, as AWS names it (a Lambda
 * function's errorType, States.Timeout, ...). */
static void task_failed(asl_ctx *c, const asl_state *s, asl_invocation *inv)
{
	if (inv->timed_out)
		asl_set_error(c, ASL_ERR(TIMEOUT), NULL);
	else if (!strncmp(inv->error, "States.", 7) ||
	         s->resource_kind == ASL_RES_OTHER)
		/* A command's error document is the cause as it wrote it
		 * (doc/handlers.md), a C handler's its asl_fail text. */
		asl_set_error(c, inv->error,
		              inv->cause ? inv->cause : inv->error_text);
	else
		lambda_error(c, inv);
	free(inv->error);
	free(inv->cause);
	free(inv->error_text);
	free(inv->log);
	json_decref(inv->error_payload);
}

/* A callback task's handler returned (its response in *result): the
 * task is submitted and waits for its token's outcome until its
 * TimeoutSeconds (AWS's default, 99999999 s, without one) from started,
 * with a heartbeat every HeartbeatSeconds after the submission.  The
 * outcome replaces *result. */
static int await_callback(asl_ctx *c, const task_ev *t, asl_callback *cb,
                          long long started, const long long limits[2],
                          json_t **result)
{
	long long deadline = started + (limits[0] ? limits[0]
	                                          : ASL_DURATION_MAX_S * 1000);
	json_t *out = NULL;

	asl_cb_wait how = { deadline, limits[1], NULL, NULL };

	asl_task_ev_submitted(c, t, *result);
	json_decref(*result);
	*result = NULL;
	if (asl_callback_wait(c, cb, &how, &out) < 0) {
		asl_task_ev_failed(c, t);
		return ASL_ERROR;
	}
	*result = out;
	asl_task_ev_succeeded(c, t, out);
	return ASL_OK;
}

static void activity_started(asl_ctx *c, const char *worker, void *arg)
{
	asl_task_ev_activity_started(c, arg, worker);
}

/* An activity task with no handler: queued for a worker (GetActivityTask
 * on the endpoint), then as a callback's outcome, its TimeoutSeconds from
 * the task's start (the wait for a worker included), its HeartbeatSeconds
 * from the worker's taking it. */
static int await_worker(asl_ctx *c, const asl_state *s, const task_ev *t,
                        json_t *input, long long started,
                        const long long limits[2], json_t **result)
{
	asl_cb_wait how = {
		started + (limits[0] ? limits[0] : ASL_DURATION_MAX_S * 1000),
		limits[1], activity_started, (void *)t
	};

	if (!asl_callbacks_endpoint(c->x->callbacks)) {
		asl_raise(c, ASL_ERR(TASK_FAILED), "No handler is registered for "
		          "the activity '%s', and no endpoint (--listen) serves "
		          "its workers", s->resource);
		asl_task_ev_failed(c, t);
		return ASL_ERROR;
	}
	if (asl_callback_wait(c, asl_activity_open(c, s->resource, input), &how,
	                      result) < 0) {
		asl_task_ev_failed(c, t);
		return ASL_ERROR;
	}
	asl_task_ev_succeeded(c, t, *result);
	return ASL_OK;
}

/* The task's mocked response, when it has one: ASL_OK or ASL_ERROR, else
 * 1 (not mocked: call the handler). */
static int try_mock(asl_ctx *c, const asl_state *s, const task_ev *t,
                    json_t **result)
{
	long index;
	bool past_end;
	json_t *resp;

	if (!c->x->mock)
		return 1;
	resp = asl_mock_next(c->x->mock, s->name, &index, &past_end);
	if (past_end) {
		asl_runtime_error(c, "The mocked responses of the state are used "
		                  "up: no response for its invocation %ld in the "
		                  "test case '%s'", index,
		                  asl_mock_test_case(c->x->mock));
		return ASL_ERROR;
	}
	return resp ? mocked(c, s, t, resp, result) : 1;
}

/* The event as the handler receives it: for lambda:invoke, {} without a
 * Payload, a string Payload parsed (*body: what to free, or NULL).
 * False after raising. */
static bool task_event(asl_ctx *c, const asl_state *s, json_t *input,
                       asl_invocation *inv, json_t **event, json_t **body)
{
	*body = *event ? NULL : json_object();
	if (s->resource_kind == ASL_RES_LAMBDA_INVOKE) {
		json_t *lt = json_object_get(input, "LogType");
		inv->want_log = json_is_string(lt) &&
		                !strcmp(json_string_value(lt), "Tail");
		if (json_is_string(*event) &&
		    !(*body = request_body(c, inv, *event)))
			return false;
	}
	if (*body)
		*event = *body;
	return true;
}

/* Call the task's handler h: ASL_OK with *result or ASL_ERROR. */
static int run_handler(asl_ctx *c, const asl_state *s, const task_ev *t,
                       const asl_handler *h, asl_invocation *inv,
                       json_t *event, json_t **result)
{
	json_t *payload = NULL;
	long long t0 = monotonic_ms();
	int rc = call_handler(inv, h, event, &payload);
	double duration_ms = (double)(monotonic_ms() - t0);

	if (rc < 0) {
		task_failed(c, s, inv);
		asl_task_ev_failed(c, t);
		return ASL_ERROR;
	}
	if (s->resource_kind == ASL_RES_LAMBDA_INVOKE) {
		char *logs = inv->want_log ? log_result(c, inv, duration_ms)
		                           : NULL;
		*result = invoke_response(c, s, payload, inv, logs);
		free(logs);
		/* A submission's response is in the history: whole. */
		if (c->lazy.pending && asl_is_callback(s)) {
			json_t *whole = asl_whole_response(c, *result);
			json_decref(*result);
			*result = whole;
		}
	} else {
		*result = payload;
	}
	free(inv->log);
	return ASL_OK;
}

int asl_invoke(asl_ctx *c, const asl_state *s, json_t *input,
               json_t **result)
{
	char name[256], rid[37] = "";
	const char *fn;
	json_t *event, *body;
	const asl_handler *h;
	asl_invocation inv;
	task_ev t;
	long long limits[2], started = asl_now_ms(c);
	asl_callback *cb = NULL;
	int rc;

	if (!task_timeouts(c, s, input, &limits[0], &limits[1]) ||
	    !task_function(c, s, input, &fn, &event, name, sizeof name))
		return ASL_ERROR;

	c->lazy.pending = false;
	asl_task_ev_init(&t, c, s);
	asl_task_ev_scheduled(c, &t, s, fn, input);
	if ((rc = try_mock(c, s, &t, result)) <= 0)
		return rc;
	if (asl_is_nested(s)) /* nested.c */
		return asl_nested_invoke(c, s, &t, input, result);

	if (s->resource_kind != ASL_RES_OTHER)
		asl_uuid(c, rid);
	memset(&inv, 0, sizeof inv);
	inv.c = c;
	inv.function = name;
	inv.request_id = rid;
	inv.timeout_ms = limits[0];
	inv.written = -1;
	if (!task_event(c, s, input, &inv, &event, &body)) {
		asl_task_ev_failed(c, &t);
		return ASL_ERROR;
	}
	if (!(h = asl_registry_find(c->x->reg, name))) {
		if (t.activity) {
			json_decref(body);
			return await_worker(c, s, &t, input, started, limits, result);
		}
		if (s->resource_kind == ASL_RES_OTHER)
			asl_raise(c, ASL_ERR(TASK_FAILED), "No handler is registered "
			          "for the resource '%s'", s->resource);
		else
			not_found(c, fn, name, rid);
		json_decref(body);
		asl_task_ev_failed(c, &t);
		return ASL_ERROR;
	}
	/* The token is waiting before the handler runs: it may complete it. */
	if (asl_is_callback(s))
		cb = asl_callback_open(c);
	else if (t.activity) /* served by its handler: no worker */
		asl_task_ev_activity_started(c, &t, NULL);
	rc = run_handler(c, s, &t, h, &inv, event, result);
	json_decref(body);
	if (rc == ASL_OK && cb)
		return await_callback(c, &t, cb, started, limits, result);
	if (cb)
		asl_callback_close(c, cb);
	if (rc == ASL_OK)
		asl_task_ev_succeeded(c, &t, *result);
	return rc;
}
