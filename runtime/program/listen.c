/*
 * listen.c - the generated program's local Step Functions endpoint
 * (--listen ADDR:PORT, --listen-file FILE): the AWS JSON 1.0 protocol on
 * endpoint.c, serving on the running execution SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat (its task tokens, callback.c),
 * GetActivityTask (its activity tasks), DescribeExecution,
 * GetExecutionHistory and StopExecution, so the AWS CLI and SDKs drive it
 * unchanged (doc/handlers.md).
 *
 * The actions run on the endpoint's threads, one per connection: what
 * they read of the execution (its status, its history's final events,
 * a stop asked) is the listener's, under its lock; the task tokens are
 * callback.c's, under their own; the stop itself is x->aborted.
 */
#include "listen.h"
#include "endpoint.h"
#include "handlers/local.h"
#include "rfc3339.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Step Functions' requests are at most 256 KiB of output and a token:
 * a little more is room for the JSON around them. */
#define LISTEN_BODY_MAX ((size_t)300 * 1024)
/* GetActivityTask holds a poll this long when no task is there (AWS: 60
 * s; shorter, so that the AWS CLI's 60 s read timeout never cuts it). */
#define ACTIVITY_POLL_MS 20000
/* GetExecutionHistory's page: AWS's default and largest. */
#define PAGE_DEFAULT 100
#define PAGE_MAX 1000

struct asl_listener {
	asl_endpoint *ep;
	asl_exec *x;
	pthread_mutex_t lock;    /* all that follows */
	bool begun, ended;
	char *sm_arn, *ex_arn, *name, *input;
	const char *status;      /* "RUNNING", then the end's */
	long long stop_ms;
	char *output;            /* SUCCEEDED */
	char *error, *cause;     /* the end's (NULL: none) */
	json_t *events;          /* the final events, in the API's shape */
	bool stop_asked;         /* StopExecution: its error and cause */
	char *stop_error, *stop_cause;
};

static long long wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A timestamp as the protocol sends it: epoch seconds. */
static json_t *epoch(long long ms)
{
	return json_real((double)ms / 1000.0);
}

static char *dup_or_null(const char *s)
{
	return s ? asl_strdup(s) : NULL;
}

/* ---------------------------------------------------------- requests */

/* A string member of the request, or NULL when absent; *bad when it is
 * there but not a string. */
static const char *member(json_t *in, const char *name, bool *bad)
{
	json_t *v = json_object_get(in, name);

	if (v && !json_is_string(v))
		*bad = true;
	return json_string_value(v);
}

/* A required string member of a request, or NULL after answering
 * ValidationException. */
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

/* Optional string members error and cause, within AWS's lengths; false
 * after answering ValidationException. */
static bool error_cause(json_t *in, const char **error, const char **cause,
                        asl_http_response *rs)
{
	bool bad = false;

	*error = member(in, "error", &bad);
	*cause = member(in, "cause", &bad);
	if (bad) {
		asl_http_error(rs, 400, "ValidationException", "error and cause "
		               "must be strings");
		return false;
	}
	/* AWS's lengths (counted here in bytes). */
	bool long_error = *error && strlen(*error) > 256;
	if (long_error || (*cause && strlen(*cause) > 32768)) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value at '%s' failed to satisfy "
		               "constraint: Member must have length less than or "
		               "equal to %d", long_error ? "error" : "cause",
		               long_error ? 256 : 32768);
		return false;
	}
	return true;
}

/* ------------------------------------------------------ SendTask* */

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

static void send_success(void *user, const asl_http_request *rq,
                         json_t *in, asl_http_response *rs)
{
	asl_listener *l = user;
	const char *t = required(in, "taskToken", rs), *out;

	(void)rq;
	if (t && (out = required(in, "output", rs)))
		answer(rs, asl_send_task_success(l->x->callbacks, t, out));
}

static void send_failure(void *user, const asl_http_request *rq,
                         json_t *in, asl_http_response *rs)
{
	asl_listener *l = user;
	const char *t = required(in, "taskToken", rs), *error, *cause;

	(void)rq;
	if (t && error_cause(in, &error, &cause, rs))
		answer(rs, asl_send_task_failure(l->x->callbacks, t, error, cause));
}

static void send_heartbeat(void *user, const asl_http_request *rq,
                           json_t *in, asl_http_response *rs)
{
	asl_listener *l = user;
	const char *t = required(in, "taskToken", rs);

	(void)rq;
	if (t)
		answer(rs, asl_send_task_heartbeat(l->x->callbacks, t));
}

/* ------------------------------------------------------------- ARNs */

/* Whether arn has the form arn:PARTITION:states:REGION:ACCOUNT:TYPE:...
 * with n more fields after TYPE, none empty. */
static bool arn_form(const char *arn, const char *type, int n)
{
	char buf[512];
	char *f[16], *save = NULL;
	int k = 0;

	if (strlen(arn) >= sizeof buf || strncmp(arn, "arn:", 4))
		return false;
	strcpy(buf, arn);
	for (char *p = buf; k < 16; p = NULL) {
		char *t = strtok_r(p, ":", &save);
		if (!t)
			break;
		f[k++] = t;
	}
	/* strtok_r skips empty fields: count the colons too. */
	int colons = 0;
	for (const char *p = arn; *p; p++)
		colons += *p == ':';
	return k == 6 + n && colons == k - 1 && !strcmp(f[2], "states") &&
	       !strcmp(f[5], type);
}

/* The execution arn names, or NULL after answering InvalidArn or
 * ExecutionDoesNotExist.  Locks l (unlock it) when it returns l. */
static asl_listener *execution(asl_listener *l, json_t *in,
                               asl_http_response *rs)
{
	const char *arn = required(in, "executionArn", rs);

	if (!arn)
		return NULL;
	if (!arn_form(arn, "execution", 2)) {
		asl_http_error(rs, 400, "InvalidArn", "Invalid Arn: 'Resource "
		               "type not valid in this context: %s'", arn);
		return NULL;
	}
	pthread_mutex_lock(&l->lock);
	if (!l->begun || strcmp(arn, l->ex_arn)) {
		pthread_mutex_unlock(&l->lock);
		asl_http_error(rs, 400, "ExecutionDoesNotExist", "Execution Does "
		               "Not Exist: '%s'", arn);
		return NULL;
	}
	return l;
}

/* Whether a Task of the program has the activity arn as its Resource. */
static bool names_activity(const asl_program *p, const char *arn)
{
	for (unsigned i = 0; i < p->n_states; i++)
		if (p->descs[i] && asl_is_activity(p->descs[i]) &&
		    !strcmp(p->descs[i]->resource, arn))
			return true;
	return false;
}

/* Whether a Task of the program, or of a state machine compiled in with
 * it (a nested execution's), names the activity. */
static bool has_activity(const asl_program *p, const char *arn)
{
	if (names_activity(p, arn))
		return true;
	for (unsigned i = 0; p->machines && i < p->n_machines; i++)
		if (p->machines[i] != p && names_activity(p->machines[i], arn))
			return true;
	return false;
}

/* -------------------------------------------------- the execution */

/* Error and cause into o, as AWS reports them: an empty error is none. */
static void add_failure(json_t *o, const char *error, const char *cause)
{
	if (error && *error)
		json_object_set_new(o, "error", json_string(error));
	if (cause)
		json_object_set_new(o, "cause", json_string(cause));
}

static void describe_execution(void *user, const asl_http_request *rq,
                               json_t *in, asl_http_response *rs)
{
	asl_listener *l = execution(user, in, rs);
	json_t *d;

	(void)rq;
	if (!l)
		return;
	d = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:{s:b}, s:i}",
	              "executionArn", l->ex_arn, "stateMachineArn", l->sm_arn,
	              "name", l->name, "status", l->status, "startDate",
	              epoch(l->x->start_ms), "input", l->input, "inputDetails",
	              "included", 1, "redriveCount", 0);
	if (!d)
		asl_oom();
	if (l->ended) {
		json_object_set_new(d, "stopDate", epoch(l->stop_ms));
		if (l->output) {
			json_object_set_new(d, "output", json_string(l->output));
			json_object_set_new(d, "outputDetails",
			                    json_pack("{s:b}", "included", 1));
		}
		add_failure(d, l->error, l->cause);
	}
	pthread_mutex_unlock(&l->lock);
	asl_http_json(rs, 200, d);
}

static void stop_execution(void *user, const asl_http_request *rq,
                           json_t *in, asl_http_response *rs)
{
	const char *error, *cause;
	asl_listener *l;
	long long at;

	(void)rq;
	if (!error_cause(in, &error, &cause, rs) || !(l = execution(user, in, rs)))
		return;
	/* A second stop, or one after the end, changes nothing. */
	if (!l->ended && !l->stop_asked) {
		l->stop_asked = true;
		l->stop_error = dup_or_null(error);
		l->stop_cause = dup_or_null(cause);
		atomic_store(&l->x->aborted, 1);
	}
	at = l->ended ? l->stop_ms : wall_ms();
	pthread_mutex_unlock(&l->lock);
	asl_http_json(rs, 200, json_pack("{s:o}", "stopDate", epoch(at)));
}

/* --------------------------------------------------------- history */

/* GetExecutionHistory's nextToken: where the next page starts. */
static void page_token(char *buf, size_t n, size_t at, bool reverse)
{
	snprintf(buf, n, "asl2c-history-%zu-%c", at, reverse ? 'r' : 'f');
}

static bool read_token(const char *t, bool reverse, size_t n, size_t *at)
{
	char want[64], *end;
	unsigned long long v;

	if (strncmp(t, "asl2c-history-", 14))
		return false;
	errno = 0;
	v = strtoull(t + 14, &end, 10);
	if (errno || end == t + 14 || v > n)
		return false;
	*at = (size_t)v;
	page_token(want, sizeof want, *at, reverse);
	return !strcmp(t, want);
}

/* maxResults and reverseOrder, checked; false after answering. */
static bool page_args(json_t *in, size_t *max, bool *reverse,
                      bool *data, asl_http_response *rs)
{
	json_t *m = json_object_get(in, "maxResults");
	json_t *r = json_object_get(in, "reverseOrder");
	json_t *d = json_object_get(in, "includeExecutionData");

	if ((m && (!json_is_integer(m) || json_integer_value(m) < 0 ||
	           json_integer_value(m) > PAGE_MAX)) ||
	    (r && !json_is_boolean(r)) || (d && !json_is_boolean(d))) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: maxResults must be an integer from 0 to "
		               "%d, reverseOrder and includeExecutionData booleans",
		               PAGE_MAX);
		return false;
	}
	*max = m && json_integer_value(m) ? (size_t)json_integer_value(m)
	                                  : PAGE_DEFAULT;
	*reverse = json_is_true(r);
	*data = !d || json_is_true(d);
	return true;
}

/* A copy of an event for a page; without its input and output when the
 * execution's data is not wanted. */
static json_t *page_event(json_t *ev, bool data)
{
	json_t *e = json_deep_copy(ev), *v;
	const char *k;

	if (!e)
		asl_oom();
	if (!data)
		json_object_foreach(e, k, v)
			if (json_is_object(v)) {
				json_object_del(v, "input");
				json_object_del(v, "output");
				json_object_del(v, "inputDetails");
				json_object_del(v, "outputDetails");
			}
	return e;
}

static void get_history(void *user, const asl_http_request *rq, json_t *in,
                        asl_http_response *rs)
{
	size_t max, at, n;
	bool reverse, data, bad = false;
	const char *token = member(in, "nextToken", &bad);
	char next[64];
	asl_listener *l;

	(void)rq;
	if (!page_args(in, &max, &reverse, &data, rs) ||
	    !(l = execution(user, in, rs)))
		return;
	n = json_array_size(l->events);
	at = 0;
	if (bad || (token && !read_token(token, reverse, n, &at))) {
		pthread_mutex_unlock(&l->lock);
		asl_http_error(rs, 400, "InvalidToken", "Invalid Token: 'Invalid "
		               "nextToken'");
		return;
	}
	json_t *page = json_array(), *out;
	size_t k = at;
	for (; k < n && json_array_size(page) < max; k++)
		json_array_append_new(page, page_event(json_array_get(l->events,
		                      reverse ? n - 1 - k : k), data));
	pthread_mutex_unlock(&l->lock);
	out = json_pack("{s:o}", "events", page);
	/* More may come while it runs: a page that ends the events so far
	 * ends the history as it is now. */
	if (k < n) {
		page_token(next, sizeof next, k, reverse);
		json_object_set_new(out, "nextToken", json_string(next));
	}
	asl_http_json(rs, 200, out);
}

/* ------------------------------------------------------ activities */

static void get_activity_task(void *user, const asl_http_request *rq,
                              json_t *in, asl_http_response *rs)
{
	asl_listener *l = user;
	bool bad = false;
	const char *arn = required(in, "activityArn", rs);
	const char *worker = member(in, "workerName", &bad);
	char token[ASL_TOKEN_LEN + 1], *input = NULL;

	if (!arn)
		return;
	if (bad || (worker && strlen(worker) > 80)) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value at 'workerName' failed to satisfy "
		               "constraint: Member must be a string of at most 80 "
		               "characters");
		return;
	}
	if (!asl_is_activity_arn(arn)) {
		asl_http_error(rs, 400, "InvalidArn", "Invalid Arn: 'Resource "
		               "type not valid in this context: %s'", arn);
		return;
	}
	if (!has_activity(l->x->prog, arn)) {
		asl_http_error(rs, 400, "ActivityDoesNotExist", "Activity Does Not "
		               "Exist: '%s'", arn);
		return;
	}
	/* No task within the poll: no taskToken.  asl2c serve, which holds
	 * its workers' polls itself, asks for no poll (X-Asl2c-Poll-Ms: 0:
	 * doc/endpoint.md). */
	const char *pm = asl_http_header(rq, "X-Asl2c-Poll-Ms");
	long poll = ACTIVITY_POLL_MS;
	if (pm && *pm) {
		char *end;
		long v = strtol(pm, &end, 10);
		if (!*end && v >= 0 && v < poll)
			poll = v;
	}
	if (!asl_get_activity_task(l->x->callbacks, arn, worker, poll, token,
	                           &input)) {
		asl_http_json(rs, 200, NULL);
		return;
	}
	asl_http_json(rs, 200, json_pack("{s:s, s:s}", "taskToken", token,
	                                 "input", input));
	free(input);
}

static const asl_http_action actions[] = {
	{ "SendTaskSuccess", send_success },
	{ "SendTaskFailure", send_failure },
	{ "SendTaskHeartbeat", send_heartbeat },
	{ "GetActivityTask", get_activity_task },
	{ "DescribeExecution", describe_execution },
	{ "GetExecutionHistory", get_history },
	{ "StopExecution", stop_execution },
};

/* ----------------------------------------------------- the listener */

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

asl_listener *asl_listen_start(asl_exec *x, const char *addr,
                               const char *argv0)
{
	asl_listener *l = calloc(1, sizeof *l);
	char err[256], host[128], *url;
	size_t n = strcspn(addr, "]");

	if (!l || !(l->events = json_array()))
		asl_oom();
	l->x = x;
	l->status = "RUNNING";
	pthread_mutex_init(&l->lock, NULL);
	asl_endpoint_config cfg = {
		addr, "AWSStepFunctions", actions,
		sizeof actions / sizeof *actions, NULL, NULL, LISTEN_BODY_MAX,
		64, 60, l
	};
	if (!(l->ep = asl_endpoint_start(&cfg, err, sizeof err))) {
		fprintf(stderr, "%s: --listen %s: %s\n", argv0, addr, err);
		asl_listen_close(l);
		return NULL;
	}
	/* The host as given ("[::1]" keeps its brackets), the port bound. */
	if (addr[0] == '[' && addr[n] == ']')
		snprintf(host, sizeof host, "%.*s", (int)n + 1, addr);
	else if (addr[0] == ':')
		snprintf(host, sizeof host, "127.0.0.1");
	else
		snprintf(host, sizeof host, "%.*s", (int)strcspn(addr, ":"), addr);
	url = asl_sprintf("http://%s:%u", host, asl_endpoint_port(l->ep));
	asl_callbacks_set_endpoint(x->callbacks, url);
	free(url);
	return l;
}

bool asl_listen_begin(asl_listener *l, const char *sm_arn,
                      const char *ex_arn, const char *name,
                      const char *file, const char *argv0)
{
	char *input = asl_dump(l->x->input);

	pthread_mutex_lock(&l->lock);
	l->sm_arn = asl_strdup(sm_arn);
	l->ex_arn = asl_strdup(ex_arn);
	l->name = asl_strdup(name);
	l->input = input;
	l->begun = true;
	pthread_mutex_unlock(&l->lock);
	if (file && write_url(file, asl_callbacks_endpoint(l->x->callbacks)) < 0) {
		fprintf(stderr, "%s: --listen-file %s: %s\n", argv0, file,
		        strerror(errno));
		return false;
	}
	return true;
}

void asl_listen_event(asl_listener *l, json_t *event)
{
	json_t *e = json_deep_copy(event);
	const char *ts = json_string_value(json_object_get(event, "timestamp"));
	long long ms;

	if (!e)
		asl_oom();
	/* The protocol's timestamps are epoch seconds. */
	if (ts && rfc3339_parse_ms(ts, &ms) == 0)
		json_object_set_new(e, "timestamp", epoch(ms));
	pthread_mutex_lock(&l->lock);
	if (json_array_append_new(l->events, e) < 0)
		asl_oom();
	pthread_mutex_unlock(&l->lock);
}

bool asl_listen_stopped(asl_listener *l, const char **error,
                        const char **cause)
{
	bool asked;

	pthread_mutex_lock(&l->lock);
	asked = l->stop_asked;
	*error = l->stop_error;
	*cause = l->stop_cause;
	pthread_mutex_unlock(&l->lock);
	return asked;
}

void asl_listen_end(asl_listener *l, const char *status, long long stop_ms,
                    json_t *output, const char *error, const char *cause)
{
	char *out = output ? asl_dump(output) : NULL;

	pthread_mutex_lock(&l->lock);
	l->status = status;
	l->stop_ms = stop_ms;
	l->output = out;
	l->error = dup_or_null(error);
	l->cause = dup_or_null(cause);
	l->ended = true;
	pthread_mutex_unlock(&l->lock);
	/* A poll for an activity task ends at once. */
	asl_callbacks_end(l->x->callbacks);
}

void asl_listen_linger(asl_listener *l, unsigned seconds,
                       const atomic_int *quit)
{
	(void)l;
	for (unsigned long long ms = 0; ms < seconds * 1000ULL &&
	     !atomic_load(quit); ms += 50) {
		struct timespec ts = { 0, 50000000 };
		nanosleep(&ts, NULL);
	}
}

void asl_listen_close(asl_listener *l)
{
	if (!l)
		return;
	/* A poll for an activity task under way ends at once. */
	asl_callbacks_end(l->x->callbacks);
	if (l->ep) {
		/* The answer of the call that completed the last task is sent
		 * before the endpoint stops. */
		asl_endpoint_drain(l->ep, 2000);
		asl_endpoint_stop(l->ep);
	}
	json_decref(l->events);
	free(l->sm_arn);
	free(l->ex_arn);
	free(l->name);
	free(l->input);
	free(l->output);
	free(l->error);
	free(l->cause);
	free(l->stop_error);
	free(l->stop_cause);
	pthread_mutex_destroy(&l->lock);
	free(l);
}
