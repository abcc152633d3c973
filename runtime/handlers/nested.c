/*
 * nested.c - nested executions: a Task whose resource is
 * arn:aws:states:::states:startExecution, .sync or .sync:2 starts an
 * execution of another state machine compiled into the same program
 * (asl2c parent.json child.json ... -o run.c), named by the arguments'
 * StateMachineArn.
 *
 * The child execution is an execution of its own: its own context object
 * ($$.Execution of its ARN and name), variables, history (not the
 * parent's; it is not written), TimeoutSeconds and failure.  It runs on
 * the task's thread, on the parent's clock: a virtual wait of the child
 * is the task's.  The parent's handlers serve it; the parent's mocks
 * (--test-case) do not.  What the task returns, as AWS:
 *
 *   startExecution         {ExecutionArn, StartDate, SdkHttpMetadata,
 *                           SdkResponseMetadata}: the child has run to its
 *                           end when the task ends (AWS's returns as soon
 *                           as the child starts; asl2c cannot leave the
 *                           child running past the program)
 *   startExecution.sync    DescribeExecution's answer in PascalCase, Input
 *                           and Output as JSON text
 *   startExecution.sync:2  the same, Input and Output as JSON
 *
 * A child that fails, times out or is aborted fails a .sync task with
 * States.TaskFailed, its cause the answer above (Status, Error, Cause).
 * Dates are epoch milliseconds, as Step Functions gives them in service
 * integrations' results; a child's Cause is cut at AWS's 32,768
 * characters.  (doc/semantics.md, "Nested executions")
 */
#include "internal.h"
#include "local.h"
#include "names.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

#define NESTED_RESOURCE "arn:aws:states:::states:startExecution"

/* Child executions inside child executions, at most: a machine that
 * starts itself without end fails at this depth instead of exhausting
 * the stack. */
#define NESTED_DEPTH_MAX 32

enum nested_mode { NESTED_NONE, NESTED_START, NESTED_SYNC, NESTED_SYNC2 };

static enum nested_mode mode_of(const asl_state *s)
{
	size_t n = sizeof NESTED_RESOURCE - 1;
	const char *r = s->resource;

	if (s->resource_kind != ASL_RES_OTHER || !r || strncmp(r, NESTED_RESOURCE, n))
		return NESTED_NONE;
	r += n;
	return !*r ? NESTED_START : !strcmp(r, ".sync") ? NESTED_SYNC
	       : !strcmp(r, ".sync:2") ? NESTED_SYNC2 : NESTED_NONE;
}

bool asl_is_nested(const asl_state *s)
{
	return mode_of(s) != NESTED_NONE;
}

/* ------------------------------------------------------------ machines */

bool asl_nested_load(asl_exec *x, const char *argv0)
{
	const asl_program *p = x->prog;

	x->n_machines = p->machines ? p->n_machines : 0;
	if (!x->n_machines)
		return true;
	x->machines = calloc(x->n_machines, sizeof *x->machines);
	if (!x->machines)
		asl_oom();
	for (unsigned i = 0; i < x->n_machines; i++) {
		asl_machine *m = &x->machines[i];
		asl_exec tmp;
		m->prog = p->machines[i];
		if (m->prog == p) {
			m->lits = x->lits;
			m->jsonata = x->jsonata;
			m->jsonata_reads = x->jsonata_reads;
			m->jsonata_reads_context = x->jsonata_reads_context;
			continue;
		}
		if (!m->prog || m->prog->abi != ASL2C_ABI || !m->prog->name ||
		    !asl_valid_name(m->prog->name, ASL_NAME_MAX)) {
			fprintf(stderr, "%s: compiled-in state machine %u is corrupt\n",
			        argv0, i);
			return false;
		}
		memset(&tmp, 0, sizeof tmp);
		tmp.prog = m->prog;
		bool ok = asl_load_literals(&tmp, argv0) &&
		          asl_jsonata_load_all(&tmp, argv0);
		m->lits = tmp.lits;
		m->jsonata = tmp.jsonata;
		m->jsonata_reads = tmp.jsonata_reads;
		m->jsonata_reads_context = tmp.jsonata_reads_context;
		m->owned = true;
		if (!ok)
			return false;
	}
	return true;
}

void asl_nested_free(asl_exec *x)
{
	for (unsigned i = 0; x->machines && i < x->n_machines; i++) {
		asl_machine *m = &x->machines[i];
		if (!m->owned)
			continue;
		asl_exec tmp;
		memset(&tmp, 0, sizeof tmp);
		tmp.prog = m->prog;
		tmp.lits = m->lits;
		tmp.jsonata = m->jsonata;
		tmp.jsonata_reads = m->jsonata_reads;
		asl_free_literals(tmp.lits, m->prog->n_literals);
		asl_jsonata_free_all(&tmp);
	}
	free(x->machines);
	x->machines = NULL;
	x->n_machines = 0;
}

/* The machine a StateMachineArn names
 * (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME): NULL when it is not
 * compiled in, or is of another region or account. */
static const asl_machine *find_machine(const asl_exec *x, const char *arn)
{
	char *prefix = asl_sprintf("arn:aws:states:%s:%s:stateMachine:",
	                           x->region, x->account);
	size_t n = strlen(prefix);
	const asl_machine *found = NULL;

	if (!strncmp(arn, prefix, n))
		for (unsigned i = 0; i < x->n_machines && !found; i++)
			if (!strcmp(arn + n, x->machines[i].prog->name))
				found = &x->machines[i];
	free(prefix);
	return found;
}

/* ------------------------------------------------------- the arguments */

/* An error of the StartExecution call, as Step Functions reports the
 * service's errors: StepFunctions.<Code>Exception. */
static void api_error(asl_ctx *c, const char *code, char *msg)
{
	char rid[37], *err;

	asl_uuid(c, rid);
	err = asl_sprintf("StepFunctions.%sException", code);
	asl_raise(c, err, "%s (Service: AWSStepFunctions; Status Code: 400; "
	          "Error Code: %s; Request ID: %s; Proxy: null)", msg, code, rid);
	free(err);
	free(msg);
}

typedef struct request {
	const char *arn;
	const char *name;   /* or NULL: a UUID */
	json_t *input;      /* a new reference */
} request;

/* StateMachineArn, Name and Input: false after raising. */
static bool read_request(asl_ctx *c, json_t *args, request *rq)
{
	json_t *a = json_object_get(args, "StateMachineArn"),
	       *n = json_object_get(args, "Name"),
	       *in = json_object_get(args, "Input");

	if (!json_is_string(a)) {
		asl_runtime_error(c, "The field 'StateMachineArn' is required and "
		                  "must be a string");
		return false;
	}
	rq->arn = json_string_value(a);
	if (n && (!json_is_string(n) ||
	          !asl_valid_name(json_string_value(n), ASL_NAME_MAX))) {
		api_error(c, "InvalidName", asl_sprintf("Invalid Name: '%s'",
		          json_is_string(n) ? json_string_value(n)
		                            : "(not a string)"));
		return false;
	}
	rq->name = n ? json_string_value(n) : NULL;
	if (json_is_string(in)) {
		/* StartExecution's input is JSON text. */
		json_error_t err;
		rq->input = json_loads(json_string_value(in), JSON_DECODE_ANY, &err);
		if (!rq->input) {
			api_error(c, "InvalidExecutionInput", asl_sprintf("Invalid "
			          "ExecutionInput: '%s'", json_string_value(in)));
			return false;
		}
	} else {
		rq->input = in ? json_incref(in) : json_object();
	}
	return true;
}

/* ------------------------------------------------------ the execution */

typedef struct child_run {
	const char *status;  /* SUCCEEDED, FAILED, TIMED_OUT, ABORTED */
	json_t *output;      /* SUCCEEDED */
	char *error, *cause;
	char *arn, *name;
	long long start_ms, stop_ms;
} child_run;

/* Run machine m on rq's input as a child execution of c's. */
static void run_child(asl_ctx *c, const asl_machine *m, const request *rq,
                      child_run *r)
{
	const asl_exec *px = c->x;
	asl_exec cx;
	asl_ctx k;
	char when[40], uuid[37];

	memcpy(&cx, px, sizeof cx);
	cx.prog = m->prog;
	cx.lits = m->lits;
	cx.jsonata = m->jsonata;
	cx.jsonata_reads = m->jsonata_reads;
	cx.jsonata_reads_context = m->jsonata_reads_context;
	cx.input = rq->input;
	cx.mock = NULL;
	cx.inspect = NULL;
	cx.history = false;
	cx.spill_fd = -1;
	cx.nest_depth = px->nest_depth + 1;
	atomic_init(&cx.timed_out, 0);
	atomic_init(&cx.aborted, 0);
	atomic_init(&cx.history_full, 0);
	atomic_init(&cx.n_events, 0);
	atomic_init(&cx.spill_end, 0);
	memset(&k, 0, sizeof k);
	k.x = &cx;
	k.rng = asl_random(c);
	k.offset_ms = c->offset_ms;
	k.cancel = &c->x->aborted; /* the parent's stop stops the child */
	k.hist = asl_hist_new(false);
	r->start_ms = asl_now_ms(&k);
	/* TimeoutSeconds counts from the child's start (the clock's origin is
	 * the parent's). */
	cx.deadline_ms = m->prog->timeout_seconds
	                 ? r->start_ms - cx.start_ms +
	                   m->prog->timeout_seconds * 1000LL : 0;
	asl_uuid(&k, uuid);
	r->name = asl_strdup(rq->name ? rq->name : uuid);
	r->arn = asl_sprintf("arn:aws:states:%s:%s:execution:%s:%s", cx.region,
	                     cx.account, m->prog->name, r->name);
	asl_format_time(r->start_ms, when, sizeof when);
	cx.ctx_execution = json_pack("{s:s, s:O, s:s, s:s, s:O, s:i}", "Id",
	    r->arn, "Input", rq->input, "StartTime", when, "Name", r->name,
	    "RoleArn", json_object_get(px->ctx_execution, "RoleArn"),
	    "RedriveCount", 0);
	cx.ctx_machine = json_pack("{s:s, s:s}", "Id", rq->arn, "Name",
	                           m->prog->name);
	if (!cx.ctx_execution || !cx.ctx_machine)
		asl_oom();

	json_t *io = json_incref(rq->input);
	if (asl_run(&k, m->prog->start, &io) == ASL_OK &&
	    !atomic_load(&cx.history_full)) {
		r->status = "SUCCEEDED";
		r->output = io;
	} else {
		json_decref(io);
		r->status = atomic_load(&cx.timed_out) ? "TIMED_OUT"
		            : atomic_load(&c->x->aborted) ? "ABORTED" : "FAILED";
		if (atomic_load(&cx.history_full))
			asl_set_error(&k, ASL_ERR(RUNTIME), ASL_HISTORY_FULL_CAUSE);
		r->error = asl_strdup(k.error ? k.error : ASL_ERR(RUNTIME));
		r->cause = k.cause ? asl_strdup(k.cause) : NULL;
	}
	r->stop_ms = asl_now_ms(&k);
	c->offset_ms = k.offset_ms; /* the child's waits are the task's */
	asl_hist_free(k.hist);
	k.hist = NULL;
	asl_ctx_release(&k);
	json_decref(cx.ctx_execution);
	json_decref(cx.ctx_machine);
}

static void child_free(child_run *r)
{
	json_decref(r->output);
	free(r->error);
	free(r->cause);
	free(r->arn);
	free(r->name);
}

/* ------------------------------------------------------------ results */

static void put(json_t *o, const char *k, json_t *v)
{
	if (!v || json_object_set_new(o, k, v) < 0)
		asl_oom();
}

/* A document as the API gives it: JSON text (.sync), or JSON (.sync:2). */
static json_t *as_given(const json_t *v, bool json)
{
	if (json)
		return json_incref((json_t *)v);
	char *t = asl_dump(v);
	json_t *s = json_string(t);
	free(t);
	return s;
}

/* AWS's bound on a cause (32,768 characters): a child's cause is cut
 * there, at a character's boundary, inside the parent's (which quotes
 * it: without the cut, causes would double at every level). */
#define CAUSE_MAX 32768

static json_t *cut_cause(const char *cause)
{
	size_t n = strlen(cause);

	if (n > CAUSE_MAX) {
		n = CAUSE_MAX;
		while (n && ((unsigned char)cause[n] & 0xC0) == 0x80)
			n--;
	}
	return json_stringn(cause, n);
}

/* DescribeExecution's answer, as .sync and .sync:2 give it. */
static json_t *described(const request *rq, const child_run *r, bool json)
{
	json_t *d = json_object();
	bool ok = !strcmp(r->status, "SUCCEEDED");

	if (!d)
		asl_oom();
	put(d, "ExecutionArn", json_string(r->arn));
	put(d, "Input", as_given(rq->input, json));
	put(d, "InputDetails", json_pack("{s:b}", "Included", 1));
	put(d, "Name", json_string(r->name));
	if (ok) {
		put(d, "Output", as_given(r->output, json));
		put(d, "OutputDetails", json_pack("{s:b}", "Included", 1));
	} else {
		put(d, "Error", json_string(r->error));
		if (r->cause)
			put(d, "Cause", cut_cause(r->cause));
	}
	put(d, "RedriveCount", json_integer(0));
	put(d, "RedriveStatus", json_string(ok ? "NOT_REDRIVABLE"
	                                       : "REDRIVABLE"));
	put(d, "StartDate", json_integer(r->start_ms));
	put(d, "StateMachineArn", json_string(rq->arn));
	put(d, "Status", json_string(r->status));
	put(d, "StopDate", json_integer(r->stop_ms));
	return d;
}

/* StartExecution's answer, with the SDK's metadata as Step Functions adds
 * it to a request-response call's result. */
static json_t *started(asl_ctx *c, const child_run *r)
{
	char rid[37], date[64];
	char *body = asl_sprintf("{\"executionArn\":\"%s\",\"startDate\":%lld.%03lld}",
	                         r->arn, r->start_ms / 1000, r->start_ms % 1000);
	char len[24];

	asl_uuid(c, rid);
	asl_format_http_date(asl_now_ms(c), date, sizeof date);
	snprintf(len, sizeof len, "%zu", strlen(body));
	free(body);
	json_t *all = json_pack("{s:[s], s:[s], s:[s], s:s, s:[s]}",
	                        "x-amzn-RequestId", rid, "connection",
	                        "keep-alive", "Content-Length", len, "Date", date,
	                        "Content-Type", "application/x-amz-json-1.0");
	json_t *one = json_pack("{s:s, s:s, s:s, s:s, s:s}", "connection",
	                        "keep-alive", "Content-Length", len,
	                        "Content-Type", "application/x-amz-json-1.0",
	                        "Date", date, "x-amzn-RequestId", rid);
	json_t *d = json_pack("{s:s, s:{s:o, s:o, s:i}, s:{s:s}, s:I}",
	                      "ExecutionArn", r->arn, "SdkHttpMetadata",
	                      "AllHttpHeaders", all, "HttpHeaders", one,
	                      "HttpStatusCode", 200, "SdkResponseMetadata",
	                      "RequestId", rid, "StartDate",
	                      (json_int_t)r->start_ms);
	if (!d)
		asl_oom();
	return d;
}

int asl_nested_invoke(asl_ctx *c, const asl_state *s, const task_ev *t,
                      json_t *input, json_t **result)
{
	enum nested_mode mode = mode_of(s);
	const asl_machine *m;
	request rq;
	child_run r;

	memset(&r, 0, sizeof r);
	if (!read_request(c, input, &rq)) {
		asl_task_ev_failed(c, t);
		return ASL_ERROR;
	}
	if (!(m = find_machine(c->x, rq.arn))) {
		api_error(c, "StateMachineDoesNotExist", asl_sprintf("State "
		          "Machine Does Not Exist: '%s'", rq.arn));
		json_decref(rq.input);
		asl_task_ev_failed(c, t);
		return ASL_ERROR;
	}
	if (c->x->nest_depth >= NESTED_DEPTH_MAX) {
		asl_runtime_error(c, "Nested executions are %d deep: a state "
		                  "machine that starts itself must stop somewhere",
		                  NESTED_DEPTH_MAX);
		json_decref(rq.input);
		asl_task_ev_failed(c, t);
		return ASL_ERROR;
	}
	run_child(c, m, &rq, &r);
	int rc = ASL_OK;
	if (mode == NESTED_START) {
		*result = started(c, &r);
	} else if (!strcmp(r.status, "SUCCEEDED")) {
		*result = described(&rq, &r, mode == NESTED_SYNC2);
	} else {
		json_t *d = described(&rq, &r, mode == NESTED_SYNC2);
		char *cause = asl_dump(d);
		asl_set_error(c, ASL_ERR(TASK_FAILED), cause);
		free(cause);
		json_decref(d);
		rc = ASL_ERROR;
	}
	if (rc == ASL_OK)
		asl_task_ev_succeeded(c, t, *result);
	else
		asl_task_ev_failed(c, t);
	child_free(&r);
	json_decref(rq.input);
	return rc;
}
