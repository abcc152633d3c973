/*
 * lambda.c - the handler registry, Task invocation with the Lambda
 * integration's result and error shapes, and the built-in handlers of the
 * fan-in example.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* -------------------------------------------------------------- registry */

struct asl_registry {
	struct entry {
		char *name;
		asl_handler h;
	} *v;
	size_t n, cap;
};

asl_registry *asl_registry_new(void)
{
	asl_registry *r = calloc(1, sizeof *r);
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

struct asl_invocation {
	asl_ctx *c;
	const char *function;
	char *error, *cause;
};

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
	free(line);
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

/* Run handler h; on failure the error is in inv. */
static int call_handler(asl_ctx *c, const asl_handler *h, const char *name,
                        json_t *event, json_t **result, char **error,
                        char **cause)
{
	asl_invocation inv = { c, name, NULL, NULL };
	json_t *r = NULL;
	int rc = h->fn(&inv, event, &r, h->user);

	if (rc == 0 && !r)
		r = json_null();
	if (rc != 0) {
		json_decref(r);
		if (!inv.error)
			inv.error = asl_strdup("Lambda.Unknown");
		*error = inv.error;
		*cause = inv.cause;
		return -1;
	}
	*result = r;
	return 0;
}

static json_t *invoke_response(asl_ctx *c, json_t *payload,
                               const char *request_id)
{
	char date[64], trace[64];
	char *body = asl_dump(payload);
	char len[32];
	long long now = asl_now_ms(c);
	time_t t = (time_t)(now / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	/* Two draws in a fixed order: the order of evaluation of arguments is
	 * unspecified (gcc and clang differ). */
	unsigned long long lo = asl_random(c) & 0xffffffffffffULL;
	unsigned long long hi = asl_random(c) & 0xffffffffffffULL;
	snprintf(trace, sizeof trace, "root=1-%08llx-%012llx%012llx;sampled=0",
	         (unsigned long long)(now / 1000), hi, lo);
	snprintf(len, sizeof len, "%zu", strlen(body));
	free(body);

	json_t *all = json_pack("{s:[s], s:[s], s:[s], s:[s], s:[s], s:[s], "
	                        "s:[s], s:[s]}",
	                        "Connection", "keep-alive",
	                        "Content-Length", len,
	                        "Content-Type", "application/json",
	                        "Date", date,
	                        "X-Amz-Executed-Version", "$LATEST",
	                        "X-Amzn-Trace-Id", trace,
	                        "x-amzn-Remapped-Content-Length", "0",
	                        "x-amzn-RequestId", request_id);
	json_t *one = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	                        "Connection", "keep-alive",
	                        "Content-Length", len,
	                        "Content-Type", "application/json",
	                        "Date", date,
	                        "X-Amz-Executed-Version", "$LATEST",
	                        "X-Amzn-Trace-Id", trace,
	                        "x-amzn-Remapped-Content-Length", "0",
	                        "x-amzn-RequestId", request_id);
	return json_pack("{s:s, s:O, s:{s:o, s:o, s:i}, s:{s:s}, s:i}",
	                 "ExecutedVersion", "$LATEST",
	                 "Payload", payload,
	                 "SdkHttpMetadata", "AllHttpHeaders", all,
	                 "HttpHeaders", one, "HttpStatusCode", 200,
	                 "SdkResponseMetadata", "RequestId", request_id,
	                 "StatusCode", 200);
}

/* A Lambda function error as Step Functions reports it: the error type,
 * and the error payload as a JSON string. */
static void lambda_error(asl_ctx *c, char *error, char *cause,
                         const char *request_id)
{
	json_t *payload = json_pack("{s:s, s:s, s:s, s:[]}",
	                            "errorMessage", cause ? cause : "",
	                            "errorType", error,
	                            "requestId", request_id,
	                            "stackTrace");
	char *d = asl_dump(payload);

	asl_set_error(c, error, d);
	free(d);
	json_decref(payload);
	free(error);
	free(cause);
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

int asl_invoke(asl_ctx *c, const asl_state *s, json_t *input,
               json_t **result)
{
	char name[256], rid[37];
	const char *fn;
	json_t *event, *payload = NULL;
	const asl_handler *h;
	char *error = NULL, *cause = NULL;

	if (s->resource_kind == ASL_RES_OTHER) {
		if (!(h = asl_registry_find(c->x->reg, s->resource))) {
			asl_raise(c, "States.TaskFailed", "No handler is registered "
			          "for the resource '%s'", s->resource);
			return ASL_ERROR;
		}
		if (call_handler(c, h, s->resource, input, result, &error,
		                 &cause) < 0) {
			asl_set_error(c, error, cause);
			free(error);
			free(cause);
			return ASL_ERROR;
		}
		return ASL_OK;
	}

	if (s->resource_kind == ASL_RES_LAMBDA_ARN) {
		fn = s->function;
		event = input;
	} else {
		json_t *f = json_object_get(input, "FunctionName");
		if (!json_is_string(f)) {
			asl_runtime_error(c, "The field 'FunctionName' is required "
			                  "and must be a string");
			return ASL_ERROR;
		}
		fn = json_string_value(f);
		event = json_object_get(input, "Payload");
	}
	asl_function_name(fn, name, sizeof name);
	asl_uuid(c, rid);
	if (!(h = asl_registry_find(c->x->reg, name))) {
		not_found(c, fn, name, rid);
		return ASL_ERROR;
	}

	json_t *empty = event ? NULL : json_object();
	int rc = call_handler(c, h, name, event ? event : empty, &payload,
	                      &error, &cause);
	json_decref(empty);
	if (rc < 0) {
		lambda_error(c, error, cause, rid);
		return ASL_ERROR;
	}
	if (s->resource_kind == ASL_RES_LAMBDA_ARN) {
		*result = payload;
	} else {
		*result = invoke_response(c, payload, rid);
		json_decref(payload);
	}
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

void asl_register_builtins(asl_registry *r)
{
	asl_registry_add(r, "partitions_detector", partitions_detector, NULL);
	asl_registry_add(r, "partitions_processor", partitions_processor, NULL);
	asl_registry_add(r, "table_creator", table_creator, NULL);
}
