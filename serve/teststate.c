/*
 * teststate.c - TestState: one state run alone, as AWS's TestState API runs
 * it since 2025 (a state, or stateName within a whole definition; input,
 * variables, context; mock with result or errorOutput; stateConfiguration's
 * retrierRetryCount; inspectionLevel INFO, DEBUG, TRACE).
 *
 * The state runs in a harness built around it and compiled as any state
 * machine: its Retry taken out (TestState does not retry: it says whether
 * the error is RETRIABLE), its transitions led to Succeed states of their
 * own, so the history tells the next state and its input; variables set by
 * a Pass state before it; a mock as a MockConfigFile test case; the
 * program's --inspect gives inspectionData.  An error that a Catch matches
 * runs the harness again with the Catch in: CAUGHT_ERROR, with the
 * catcher's output and next state.
 */
#define _GNU_SOURCE
#include "serve.h"
#include "internal.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COL(row, name) json_string_value(json_object_get(row, name))
#define TEST_NAME "test-state"     /* the harness machine's name */
#define VARS_STATE "asl2c variables"
#define NEXT_PREFIX "asl2c next "

typedef struct test {
	serve *sv;
	json_t *state;            /* the state under test (a copy) */
	const char *name;         /* its name */
	json_t *query_language;   /* the definition's QueryLanguage, or NULL */
	json_t *input;            /* parsed */
	json_t *variables;        /* an object, or NULL */
	json_t *context;          /* an object, or NULL */
	json_t *mock;             /* the request's mock, or NULL */
	const char *role;
	json_t *targets;          /* synthetic state -> the real next state */
	int level;                /* 0 INFO, 1 DEBUG, 2 TRACE */
	long long retry_count;    /* stateConfiguration.retrierRetryCount */
} test;

/* What one run of the harness gave. */
typedef struct outcome {
	char *status;             /* SUCCEEDED, FAILED, TIMED_OUT... */
	char *error, *cause;
	json_t *output;           /* the state's output, or NULL */
	char *next;               /* the next state, or NULL */
	json_t *inspect;          /* the state's record, or NULL */
} outcome;

static void outcome_free(outcome *o)
{
	free(o->status);
	free(o->error);
	free(o->cause);
	json_decref(o->output);
	free(o->next);
	json_decref(o->inspect);
}

/* ------------------------------------------------------------ harness */

/* The synthetic state that stands for the real next state. */
static const char *target(test *t, const char *real)
{
	const char *k;
	json_t *v;

	json_object_foreach(t->targets, k, v)
		if (!strcmp(json_string_value(v), real))
			return k;
	char *name = xasprintf(NEXT_PREFIX "%zu", json_object_size(t->targets));
	json_object_set_new(t->targets, name, json_string(real));
	free(name);
	json_object_foreach(t->targets, k, v)
		if (!strcmp(json_string_value(v), real))
			return k;
	return NULL;
}

static void retarget(test *t, json_t *obj, const char *field)
{
	const char *next = json_string_value(json_object_get(obj, field));

	if (next)
		json_object_set_new(obj, field, json_string(target(t, next)));
}

static json_t *harness(test *t, bool with_catch)
{
	json_t *s = json_deep_copy(t->state), *states = json_object(), *v;
	size_t i;

	json_object_del(s, "Retry");
	if (!with_catch)
		json_object_del(s, "Catch");
	retarget(t, s, "Next");
	retarget(t, s, "Default");
	json_array_foreach(json_object_get(s, "Choices"), i, v)
		retarget(t, v, "Next");
	json_array_foreach(json_object_get(s, "Catch"), i, v)
		retarget(t, v, "Next");
	json_object_set_new(states, t->name, s);
	const char *k;
	json_object_foreach(t->targets, k, v)
		json_object_set_new(states, k, json_pack("{s:s}", "Type", "Succeed"));
	json_t *m = json_pack("{s:s, s:o}", "StartAt", t->name, "States",
	                      states);
	if (t->variables) {
		/* The variables, assigned from the Pass state's Result (Assign
		 * reads the result), which carries the state's input on. */
		json_t *assign = json_object();
		json_object_foreach(t->variables, k, v) {
			char *key = xasprintf("%s.$", k);
			char *path = xasprintf("$.variables.%s", k);
			json_object_set_new(assign, key, json_string(path));
			free(key);
			free(path);
		}
		json_object_set_new(states, VARS_STATE, json_pack(
			"{s:s, s:o, s:{s:O, s:O}, s:s, s:s}", "Type", "Pass",
			"Assign", assign, "Result", "variables", t->variables,
			"input", t->input, "OutputPath", "$.input", "Next", t->name));
		json_object_set_new(m, "StartAt", json_string(VARS_STATE));
	}
	if (t->query_language)
		json_object_set(m, "QueryLanguage", t->query_language);
	return m;
}

/* ------------------------------------------------------------ running */

static void arg(json_t *a, const char *s)
{
	json_array_append_new(a, json_string(s));
}

/* The files of one run of the harness, in a folder of its own. */
typedef struct run_files {
	char *dir, *input, *history, *inspect, *mock;
} run_files;

static void run_files_free(run_files *f)
{
	free(f->dir);
	free(f->input);
	free(f->history);
	free(f->inspect);
	free(f->mock);
}

/* The harness compiled and built: the program, or NULL when answered. */
static char *build_harness(test *t, bool with_catch, asl_http_response *rs)
{
	json_t *m = harness(t, with_catch), *diags;
	char *def = json_dumps(m, JSON_COMPACT), err[2048];
	char *c = build_compile(def, TEST_NAME, false, &diags);

	json_decref(m);
	free(def);
	if (!c) {
		sfn_invalid_definition(diags, rs);
		json_decref(diags);
		return NULL;
	}
	json_decref(diags);
	char *prog = build_program(t->sv->build, c, err, sizeof err);
	free(c);
	if (!prog)
		asl_http_error(rs, 500, ASL_HTTP_INTERNAL, "The state could not be "
		               "built: %s", err);
	return prog;
}

/* The request's mock written to path as a MockConfigFile whose one test
 * case, TestState, answers the state: 0, or -1 when answered. */
static int write_mock(test *t, const char *path, asl_http_response *rs)
{
	json_t *r = json_object_get(t->mock, "result");
	json_t *e = json_object_get(t->mock, "errorOutput");
	json_t *resp = r ? json_pack("{s:O}", "Return", r)
	                 : json_pack("{s:{s:s, s:s}}", "Throw", "Error",
	                             COL(e, "error") ? COL(e, "error") : "",
	                             "Cause", COL(e, "cause") ? COL(e, "cause")
	                                                     : "");
	json_t *mc = json_pack("{s:{s:{s:{s:{s:s}}}}, s:{s:{s:o}}}",
	                       "StateMachines", TEST_NAME, "TestCases",
	                       "TestState", t->name, "Response",
	                       "MockedResponses", "Response", "0", resp);
	int rc = json_dump_file(mc, path, 0);

	json_decref(mc);
	if (rc < 0) {
		asl_http_error(rs, 500, ASL_HTTP_INTERNAL, "cannot write %s", path);
		return -1;
	}
	return 0;
}

/* The program's arguments for a run in f->dir (the mock written there):
 * the arguments, or NULL when answered. */
static json_t *harness_args(test *t, const char *prog, const char *uuid,
                            const run_files *f, asl_http_response *rs)
{
	json_t *a = exec_args(t->sv, prog, f->dir, uuid, t->role);

	arg(a, "--inspect");
	arg(a, f->inspect);
	arg(a, "--time-scale");
	arg(a, "0");
	if (t->context) {
		char *cxt = json_dumps(t->context, JSON_COMPACT);
		arg(a, "--context");
		arg(a, cxt);
		free(cxt);
	}
	if (t->mock) {
		if (write_mock(t, f->mock, rs) < 0) {
			json_decref(a);
			return NULL;
		}
		arg(a, "--mock-config");
		arg(a, f->mock);
		arg(a, "--test-case");
		arg(a, "TestState");
	}
	return a;
}

/* A JSON file of the run, parsed; NULL when it is missing or not JSON. */
static json_t *load(const char *path, size_t max)
{
	char *text = serve_read_file(path, max, NULL);
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;

	free(text);
	return v;
}

/* The last state entered in a history's events, or NULL. */
static json_t *last_entered(json_t *events)
{
	json_t *e, *last = NULL;
	size_t i;

	json_array_foreach(json_object_get(events, "events"), i, e) {
		const char *type = COL(e, "type");
		if (type && strlen(type) > 12 &&
		    !strcmp(type + strlen(type) - 12, "StateEntered"))
			last = e;
	}
	return last;
}

/* What the run that ended with wait status st left in its folder, read
 * into *o: 0, or -1 when answered (it ended without a result). */
static int read_outcome(test *t, const run_files *f, int st, outcome *o,
                        asl_http_response *rs)
{
	char *dpath = xasprintf("%s/describe.json", f->dir);
	json_t *desc = load(dpath, 64u << 20);
	json_t *events = load(f->history, 1u << 30);
	json_t *record = load(f->inspect, 64u << 20);
	int rc = -1;

	free(dpath);
	if (!COL(desc, "status")) {
		char *etext = xasprintf("%s/stderr.log", f->dir);
		char *msg = serve_read_file(etext, 4096, NULL);
		asl_http_error(rs, 500, ASL_HTTP_INTERNAL, "The state's program "
		               "ended (wait status %d) without a result: %s", st,
		               msg ? msg : "");
		free(msg);
		free(etext);
		goto out;
	}
	o->status = xstrdup(COL(desc, "status"));
	if (COL(desc, "error"))
		o->error = xstrdup(COL(desc, "error"));
	if (COL(desc, "cause"))
		o->cause = xstrdup(COL(desc, "cause"));
	o->inspect = json_incref(json_object_get(record, t->name));
	/* The last state entered: a synthetic one is the next state, its
	 * input the state's output. */
	json_t *d = json_object_get(last_entered(events),
	                            "stateEnteredEventDetails");
	const char *real = json_string_value(json_object_get(t->targets,
	                                     COL(d, "name")));
	if (real) {
		o->next = xstrdup(real);
		o->output = json_loads(COL(d, "input"), JSON_DECODE_ANY, NULL);
	} else if (COL(desc, "output")) {
		o->output = json_loads(COL(desc, "output"), JSON_DECODE_ANY, NULL);
	}
	rc = 0;
out:
	json_decref(desc);
	json_decref(events);
	json_decref(record);
	return rc;
}

/* Compile and run the harness: 0 with *o, or -1 when answered. */
static int run_harness(test *t, bool with_catch, outcome *o,
                       asl_http_response *rs)
{
	char uuid[37];
	int rc = -1;

	memset(o, 0, sizeof *o);
	char *prog = build_harness(t, with_catch, rs);
	if (!prog)
		return -1;
	serve_uuid(uuid);
	run_files f;
	f.dir = xasprintf("%s/test-%s", t->sv->executions_dir, uuid);
	f.input = xasprintf("%s/input.json", f.dir);
	f.history = xasprintf("%s/history.json", f.dir);
	f.inspect = xasprintf("%s/inspect.json", f.dir);
	f.mock = xasprintf("%s/mock.json", f.dir);
	json_t *a = NULL;
	char *input_text = json_dumps(t->input, JSON_COMPACT | JSON_ENCODE_ANY);
	if (serve_mkdirs(f.dir) < 0 ||
	    serve_write_file(f.input, input_text, strlen(input_text)) < 0) {
		asl_http_error(rs, 500, ASL_HTTP_INTERNAL, "cannot write %s: %s",
		               f.dir, strerror(errno));
		free(input_text);
		goto out;
	}
	free(input_text);
	if (!(a = harness_args(t, prog, uuid, &f, rs)))
		goto out;
	/* TestState runs for up to five minutes (States.Timeout). */
	int st = exec_run_program(t->sv->ex, a, f.dir, 300000);
	if (st == -2) {
		o->status = xstrdup("FAILED");
		o->error = xstrdup("States.Timeout");
		o->cause = xstrdup("The state ran for over five minutes");
		rc = 0;
	} else {
		rc = read_outcome(t, &f, st, o, rs);
	}
out:
	serve_remove_tree(f.dir);
	json_decref(a);
	run_files_free(&f);
	free(prog);
	return rc;
}

/* ------------------------------------------------------------ the answer */

static json_t *text(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	json_t *r = json_string(s ? s : "null");
	free(s);
	return r;
}

/* The first retrier or catcher of list that matches error, or -1. */
static long matching(json_t *list, const char *error)
{
	json_t *r;
	size_t i;

	json_array_foreach(list, i, r) {
		json_t *names = json_object_get(r, "ErrorEquals"), *n;
		size_t k, count = json_array_size(names);
		const char **v = xcalloc(count + 1, sizeof *v);
		json_array_foreach(names, k, n)
			v[k] = json_is_string(n) ? json_string_value(n) : "";
		bool yes = asl_error_matches(error, v, (unsigned)count);
		free(v);
		if (yes)
			return (long)i;
	}
	return -1;
}

static double number(json_t *o, const char *field, double dflt)
{
	json_t *v = json_object_get(o, field);
	return json_is_number(v) ? json_number_value(v) : dflt;
}

static void answer(test *t, outcome *o, const char *status,
                   json_t *error_details, asl_http_response *rs)
{
	json_t *r = json_pack("{s:s}", "status", status);

	if (o->output && strcmp(status, "FAILED") && strcmp(status, "RETRIABLE"))
		json_object_set_new(r, "output", text(o->output));
	if (o->next && strcmp(status, "FAILED") && strcmp(status, "RETRIABLE"))
		json_object_set_new(r, "nextState", json_string(o->next));
	if (o->error)
		json_object_set_new(r, "error", json_string(o->error));
	if (o->cause)
		json_object_set_new(r, "cause", json_string(o->cause));
	if (t->level > 0) {
		json_t *data = json_object(), *v;
		const char *k;
		json_object_foreach(o->inspect, k, v)
			json_object_set_new(data, k, text(v));
		if (error_details)
			json_object_set(data, "errorDetails", error_details);
		json_object_set_new(r, "inspectionData", data);
	}
	asl_http_json(rs, 200, r);
}

static void decide(test *t, asl_http_response *rs)
{
	outcome o, caught;
	json_t *details = NULL;

	if (run_harness(t, false, &o, rs) < 0)
		return;
	if (!strcmp(o.status, "SUCCEEDED")) {
		answer(t, &o, "SUCCEEDED", NULL, rs);
		goto out;
	}
	if (!o.error)
		o.error = xstrdup(!strcmp(o.status, "TIMED_OUT") ? "States.Timeout"
		                                                 : "States.Runtime");
	long k = matching(json_object_get(t->state, "Retry"), o.error);
	if (k >= 0) {
		json_t *r = json_array_get(json_object_get(t->state, "Retry"),
		                           (size_t)k);
		double max = number(r, "MaxAttempts", 3);
		details = json_pack("{s:i}", "retryIndex", (json_int_t)k);
		if ((double)t->retry_count < max) {
			double d = number(r, "IntervalSeconds", 1) *
			           pow(number(r, "BackoffRate", 2.0),
			               (double)t->retry_count);
			double cap = number(r, "MaxDelaySeconds", 0);
			if (cap > 0 && d > cap)
				d = cap;
			json_object_set_new(details, "retryBackoffIntervalSeconds",
			                    json_integer((json_int_t)(d + 0.5)));
			answer(t, &o, "RETRIABLE", details, rs);
			goto out;
		}
	}
	long c = matching(json_object_get(t->state, "Catch"), o.error);
	if (c < 0) {
		answer(t, &o, "FAILED", details, rs);
		goto out;
	}
	/* Again, with the Catch: the catcher's output and next state. */
	if (run_harness(t, true, &caught, rs) < 0)
		goto out;
	if (!details)
		details = json_object();
	json_object_set_new(details, "catchIndex", json_integer(c));
	if (caught.next && !strcmp(caught.status, "SUCCEEDED")) {
		free(caught.error);
		free(caught.cause);
		caught.error = xstrdup(o.error);
		caught.cause = o.cause ? xstrdup(o.cause) : NULL;
		answer(t, &caught, "CAUGHT_ERROR", details, rs);
	} else {
		answer(t, &caught, "FAILED", details, rs);
	}
	outcome_free(&caught);
out:
	json_decref(details);
	outcome_free(&o);
}

/* ------------------------------------------------------------ the request */

/* A JSON field of the request (a string holding JSON): the value, NULL
 * when absent, or NULL with *bad set when answered. */
static json_t *json_field(json_t *in, const char *name, bool object,
                          asl_http_response *rs, bool *bad)
{
	const char *s = serve_field_str(in, name, false, rs, bad);
	json_error_t e;
	json_t *v;

	if (*bad || !s)
		return NULL;
	if (!(v = json_loads(s, JSON_DECODE_ANY, &e)) ||
	    (object && !json_is_object(v))) {
		asl_http_error(rs, 400, !strcmp(name, "input")
		               ? "InvalidExecutionInput" : "ValidationException",
		               "The %s is not %s: %s", name, object
		               ? "a JSON object" : "JSON", v ? name : e.text);
		json_decref(v);
		*bad = true;
		return NULL;
	}
	return v;
}

static bool variable_name_ok(const char *s)
{
	if (!*s || strlen(s) > 80 || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* The request's plain fields into t: roleArn, input, variables, context
 * and inspectionLevel, with *definition and *state_name: 0, or -1 when
 * answered. */
static int read_fields(test *t, json_t *in, const char **definition,
                       const char **state_name, asl_http_response *rs)
{
	bool bad = false;

	*definition = serve_field_str(in, "definition", true, rs, &bad);
	const char *level = bad ? NULL : serve_field_str(in, "inspectionLevel",
	                                                 false, rs, &bad);
	*state_name = bad ? NULL : serve_field_str(in, "stateName", false, rs,
	                                           &bad);
	t->role = bad ? NULL : serve_field_str(in, "roleArn", false, rs, &bad);
	if (!bad)
		t->input = json_field(in, "input", false, rs, &bad);
	if (!bad)
		t->variables = json_field(in, "variables", true, rs, &bad);
	if (!bad)
		t->context = json_field(in, "context", true, rs, &bad);
	if (bad)
		return -1;
	if (!t->input)
		t->input = json_object();
	if (!level || !strcmp(level, "INFO"))
		t->level = 0;
	else if (!strcmp(level, "DEBUG"))
		t->level = 1;
	else if (!strcmp(level, "TRACE"))
		t->level = 2;
	else {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value '%s' at 'inspectionLevel' failed to "
		               "satisfy constraint: Member must satisfy enum value "
		               "set: [INFO, DEBUG, TRACE]", level);
		return -1;
	}
	const char *k;
	json_t *v;
	json_object_foreach(t->variables, k, v)
		if (!variable_name_ok(k)) {
			asl_http_error(rs, 400, "ValidationException", "The variable "
			               "name '%s' is not valid", k);
			return -1;
		}
	return 0;
}

/* The request's mock, checked, into t->mock (its result parsed): 0, or -1
 * when answered. */
static int read_mock(test *t, json_t *in, asl_http_response *rs)
{
	json_t *mock = json_object_get(in, "mock");

	if (!mock || json_is_null(mock))
		return 0;
	json_t *r = json_object_get(mock, "result");
	json_t *e = json_object_get(mock, "errorOutput");
	const char *mode = json_string_value(json_object_get(mock,
	                                     "fieldValidationMode"));
	if (!json_is_object(mock) || (!r == !e) || (r && !json_is_string(r)) ||
	    (e && !json_is_object(e)) ||
	    (mode && strcmp(mode, "STRICT") && strcmp(mode, "PRESENT") &&
	     strcmp(mode, "NONE"))) {
		asl_http_error(rs, 400, "ValidationException", "A mock holds "
		               "either a result (a JSON string) or an "
		               "errorOutput ({error, cause}), and a "
		               "fieldValidationMode of STRICT, PRESENT or NONE");
		return -1;
	}
	t->mock = json_object();
	if (!r) {
		json_object_set(t->mock, "errorOutput", e);
		return 0;
	}
	json_t *parsed = json_loads(json_string_value(r), JSON_DECODE_ANY, NULL);
	if (!parsed) {
		asl_http_error(rs, 400, "ValidationException", "The mock's "
		               "result is not JSON");
		return -1;
	}
	json_object_set_new(t->mock, "result", parsed);
	return 0;
}

/* stateConfiguration's retrierRetryCount into t->retry_count: 0, or -1
 * when answered. */
static int read_retry_count(test *t, json_t *in, asl_http_response *rs)
{
	json_t *conf = json_object_get(in, "stateConfiguration");
	json_t *rc = json_object_get(conf, "retrierRetryCount");

	if (rc && (!json_is_integer(rc) || json_integer_value(rc) < 0)) {
		asl_http_error(rs, 400, "ValidationException", "retrierRetryCount "
		               "must be an integer of at least 0");
		return -1;
	}
	t->retry_count = rc ? json_integer_value(rc) : 0;
	return 0;
}

/* The state under test in def (in it, not a copy) into t: def itself, or
 * the state named state_name when def is a whole definition, which lends
 * it its QueryLanguage.  0, or -1 when answered. */
static int pick_state(test *t, json_t *def, const char *state_name,
                      asl_http_response *rs)
{
	json_t *states = json_object_get(def, "States");

	if (!states) {
		if (state_name) {
			asl_http_error(rs, 400, "ValidationException", "A stateName "
			               "needs a whole state machine definition");
			return -1;
		}
		t->state = def;
		t->name = "StateName"; /* $$.State.Name, as AWS names it */
		return 0;
	}
	/* A whole definition: the state named stateName. */
	if (!state_name) {
		asl_http_error(rs, 400, "ValidationException", "A state machine "
		               "definition needs a stateName: the state to test");
		return -1;
	}
	if (!(t->state = json_object_get(states, state_name))) {
		asl_http_error(rs, 400, "ValidationException", "The state '%s' "
		               "is not in the definition", state_name);
		return -1;
	}
	t->name = state_name;
	json_t *ql = json_object_get(def, "QueryLanguage");
	if (!json_object_get(t->state, "QueryLanguage") && ql)
		json_object_set(t->state, "QueryLanguage", ql);
	return 0;
}

/* Whether TestState runs the state as asked: its type one it runs, a mock
 * only for a Task, and a Task that calls out with a mock or a role.  0, or
 * -1 when answered. */
static int check_runnable(test *t, asl_http_response *rs)
{
	const char *type = json_string_value(json_object_get(t->state, "Type"));

	if (!type || (strcmp(type, "Task") && strcmp(type, "Pass") &&
	              strcmp(type, "Wait") && strcmp(type, "Choice") &&
	              strcmp(type, "Succeed") && strcmp(type, "Fail"))) {
		asl_http_error(rs, 400, "ValidationException", "asl2c serve's "
		               "TestState runs Task, Pass, Wait, Choice, Succeed and "
		               "Fail states%s%s", type ? ", not " : "",
		               type ? type : "");
		return -1;
	}
	if (t->mock && strcmp(type, "Task")) {
		asl_http_error(rs, 400, "ValidationException", "A mock is for a "
		               "Task state, not a %s state", type);
		return -1;
	}
	const char *resource = json_string_value(json_object_get(t->state,
	                                                         "Resource"));
	if (!strcmp(type, "Task") && !t->mock && resource &&
	    (strstr(resource, ":activity:") || strstr(resource, ".sync") ||
	     strstr(resource, ".waitForTaskToken"))) {
		asl_http_error(rs, 400, "ValidationException", "TestState runs an "
		               "activity, .sync or .waitForTaskToken task only with "
		               "a mock");
		return -1;
	}
	if (!strcmp(type, "Task") && !t->mock && !t->role) {
		asl_http_error(rs, 400, "ValidationException", "A roleArn is "
		               "required to test a Task state without a mock");
		return -1;
	}
	return 0;
}

void sfn_test_state(void *user, const asl_http_request *rq, json_t *in,
                    asl_http_response *rs)
{
	const char *text_def, *state_name;
	json_t *def = NULL;
	json_error_t je;
	test t;
	(void)rq;

	memset(&t, 0, sizeof t);
	t.sv = user;
	if (read_fields(&t, in, &text_def, &state_name, rs) < 0 ||
	    read_mock(&t, in, rs) < 0 || read_retry_count(&t, in, rs) < 0)
		goto out;
	if (strlen(text_def) > 1048576 ||
	    !(def = json_loads(text_def, 0, &je)) || !json_is_object(def)) {
		asl_http_error(rs, 400, "InvalidDefinition", "Invalid State Machine "
		               "Definition: 'INVALID_JSON_DESCRIPTION: %s'",
		               def ? "the definition is not a JSON object" : je.text);
		goto out;
	}
	if (pick_state(&t, def, state_name, rs) < 0 ||
	    check_runnable(&t, rs) < 0)
		goto out;
	if (!t.role)
		t.role = "arn:aws:iam::000000000000:role/asl2c-test-state";
	t.state = json_deep_copy(t.state);
	t.targets = json_object();
	decide(&t, rs);
	json_decref(t.state);
	json_decref(t.targets);
out:
	json_decref(def);
	json_decref(t.input);
	json_decref(t.variables);
	json_decref(t.context);
	json_decref(t.mock);
}
