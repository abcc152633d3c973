/*
 * test_jsonata_states.c - CUnit tests of the state executors in JSONata
 * mode (runtime/states/state.c, map.c, runtime/ql/choice.c): Arguments,
 * Output and Assign in AWS's order, $states.input/result/errorOutput/
 * context, Catch, Retry, Choice conditions, Wait, Fail, Map and Parallel,
 * Task timeouts, Lambda's Arguments, and the States.QueryEvaluationError
 * causes.  The tables are written by hand as the emitter prints a
 * program's: constant asl_states over a literal table and an expression
 * table of compiled forms, read back as a program reads them.
 */
#include "../runtime/internal.h"
#include "jsonata.h"
#include "jsonata_forms.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- the expressions */

enum {
	E_A_PLUS_X, E_X_PLUS_10, E_X, E_IN_A, E_RES_V, E_ERR, E_ERR_ERROR,
	E_IN_T, E_RES_PAYLOAD, E_IN_N, E_N_GT_1, E_IN_S, E_IN_TS, E_FAIL_ERR,
	E_IN_C, E_IN_LIST, E_ITEM_INDEX, E_ITEM_VALUE, E_ITEM_OUT, E_IN_MC,
	E_A_PLUS_1, E_SUM_RESULT, E_RETRY, E_RESULT, E_IN_A_MISSING, E_ENTERED,
	E_RES_STATUS, E_RES_PAYLOAD_MISSING, N_EXPRS
};

static const char *const texts[N_EXPRS] = {
	[E_A_PLUS_X] = "$states.input.a + $x",
	[E_X_PLUS_10] = "$x + 10",
	[E_X] = "$x",
	[E_IN_A] = "$states.input.a",
	[E_RES_V] = "$states.result.v",
	[E_ERR] = "$states.errorOutput",
	[E_ERR_ERROR] = "$states.errorOutput.Error",
	[E_IN_T] = "$states.input.t",
	[E_RES_PAYLOAD] = "$states.result.Payload",
	[E_IN_N] = "$states.input.n",
	[E_N_GT_1] = "$states.input.n > 1",
	[E_IN_S] = "$states.input.s",
	[E_IN_TS] = "$states.input.ts",
	[E_FAIL_ERR] = "'E' & $states.input.n",
	[E_IN_C] = "$states.input.c",
	[E_IN_LIST] = "$states.input.list",
	[E_ITEM_INDEX] = "$states.context.Map.Item.Index",
	[E_ITEM_VALUE] = "$states.context.Map.Item.Value",
	[E_ITEM_OUT] = "$states.input.v * 10 + $states.input.i + $x",
	[E_IN_MC] = "$states.input.mc",
	[E_A_PLUS_1] = "$states.input.a + 1",
	[E_SUM_RESULT] = "$sum($states.result)",
	[E_RETRY] = "$states.context.State.RetryCount",
	[E_RESULT] = "$states.result",
	[E_IN_A_MISSING] = "$states.input.missing",
	[E_ENTERED] = "$states.context.State.EnteredTime",
	[E_RES_STATUS] = "$states.result.StatusCode",
	[E_RES_PAYLOAD_MISSING] = "$states.result.Payload.missing",
};
static asl_jsonata_src srcs[N_EXPRS];

static const char *const literals[] = { "true", "\"f\"", "\"echo\"" };
#define N_LITS (sizeof literals / sizeof *literals)

#define EXPR(i) { .kind = ASL_V_JSONATA, .lit = (i) }
#define LIT(i) { .kind = ASL_V_LIT, .lit = (i) }
#define OBJ(m) { .kind = ASL_V_OBJECT, .members = (m), \
	.count = sizeof (m) / sizeof *(m) }

static const asl_value x_expr = EXPR(E_X);
static const asl_value in_a = EXPR(E_IN_A);

/* "S" (a Task, Pass, ...): the name every cause below carries. */
#define PREFIX "An error occurred while executing the state 'S' (entered " \
	"at the event id #2). "
#define QEE "States.QueryEvaluationError: " PREFIX
#define BASE .name = "S", .result = -1, .seconds = -1, \
	.tolerated_percentage = -1, .tolerated_count = -1, .jsonata = 1

/* --------------------------------------------------------- the program */

/* The states Map and Parallel run: 0, a Pass whose Output reads the
 * iteration's input and the outer $x; 1, a Pass adding 1 to $.a. */
static const asl_value item_out = EXPR(E_ITEM_OUT);
static const asl_state d_item = { BASE, .type = ASL_PASS, .output = &item_out };
static const asl_value a_plus_1 = EXPR(E_A_PLUS_1);
static const asl_state d_branch = { BASE, .type = ASL_PASS,
                                    .output = &a_plus_1 };

static int st_item(asl_ctx *c, json_t **io)
{
	return asl_pass(c, &d_item, io) == ASL_OK ? ASL_END : ASL_FAILED;
}

static int st_branch(asl_ctx *c, json_t **io)
{
	return asl_pass(c, &d_branch, io) == ASL_OK ? ASL_END : ASL_FAILED;
}

static const asl_state_fn fns[] = { st_item, st_branch };
static const asl_state *const descs[] = { &d_item, &d_branch };

/* context_unused as asl2c sets it when no JSONPath path reads $$: the
 * expressions that read $states.context still get the clock. */
static asl_program prog = { .abi = ASL2C_ABI, .name = "sm",
                            .context_unused = 1,
                            .literals = literals, .n_literals = N_LITS,
                            .states = fns, .descs = descs, .n_states = 2,
                            .jsonata = srcs, .n_jsonata = N_EXPRS };
static asl_exec x;
static json_t *lits[N_LITS];
static asl_ctx ctx;

/* Handlers: echo returns its event; boom fails; flaky fails unless the
 * event's retry is 1; f (a Lambda function) wraps its event. */
static int h_echo(asl_invocation *inv, json_t *event, json_t **result,
                  void *user)
{
	(void)inv; (void)user;
	*result = json_incref(event);
	return 0;
}

static int h_boom(asl_invocation *inv, json_t *event, json_t **result,
                  void *user)
{
	(void)event; (void)result; (void)user;
	return asl_fail(inv, "Boom", "bad");
}

static int h_flaky(asl_invocation *inv, json_t *event, json_t **result,
                   void *user)
{
	(void)user;
	if (json_integer_value(json_object_get(event, "retry")) != 1)
		return asl_fail(inv, "Boom", "first");
	*result = json_incref(event);
	return 0;
}

static int h_f(asl_invocation *inv, json_t *event, json_t **result,
               void *user)
{
	(void)inv; (void)user;
	*result = json_pack("{s:O}", "got", event);
	return 0;
}

static int setup(void)
{
	if (forms_make(srcs, texts, N_EXPRS))
		return 1;
	for (size_t i = 0; i < N_LITS; i++)
		lits[i] = json_loads(literals[i], JSON_DECODE_ANY, NULL);
	x.prog = &prog;
	x.lits = lits;
	x.ctx_execution = json_pack("{s:s}", "Name", "ex");
	x.ctx_machine = json_pack("{s:s}", "Name", "sm");
	x.virtual_clock = true;
	x.time_scale = 0;
	x.start_ms = 1767225600000LL;
	x.reg = asl_registry_new();
	if (!x.reg || asl_registry_add(x.reg, "echo", h_echo, NULL) ||
	    asl_registry_add(x.reg, "boom", h_boom, NULL) ||
	    asl_registry_add(x.reg, "flaky", h_flaky, NULL) ||
	    asl_registry_add(x.reg, "f", h_f, NULL))
		return 1;
	return asl_jsonata_load_all(&x, "test_jsonata_states") ? 0 : 1;
}

static int teardown(void)
{
	asl_ctx_release(&ctx);
	asl_hist_free(ctx.hist);
	asl_jsonata_free_all(&x);
	forms_free(srcs, N_EXPRS);
	for (size_t i = 0; i < N_LITS; i++)
		json_decref(lits[i]);
	json_decref(x.ctx_execution);
	json_decref(x.ctx_machine);
	asl_registry_free(x.reg);
	return 0;
}

/* A fresh context with the variables VARS (JSON text, or NULL). */
static void ctx_reset(const char *vars)
{
	asl_ctx_release(&ctx);
	asl_hist_free(ctx.hist);
	memset(&ctx, 0, sizeof ctx);
	ctx.x = &x;
	ctx.entered_event = 2;
	ctx.rng = 1;
	ctx.hist = asl_hist_new(false);
	if (vars)
		ctx.vars = json_loads(vars, 0, NULL);
}

typedef int (*executor)(asl_ctx *, const asl_state *, json_t **);

/* Run state S on INPUT: "rc=N OUTPUT", or "ERROR NAME: CAUSE". */
static const char *run(executor f, const asl_state *s, const char *input)
{
	static char buf[4096];
	json_t *io = json_loads(input, JSON_DECODE_ANY, NULL);
	int rc = f(&ctx, s, &io);

	if (ctx.error) {
		snprintf(buf, sizeof buf, "ERROR %s: %s", ctx.error,
		         ctx.cause ? ctx.cause : "");
		asl_clear_error(&ctx);
	} else {
		char *t = asl_dump(io);
		snprintf(buf, sizeof buf, "rc=%d %s", rc, t);
		free(t);
	}
	json_decref(io);
	return buf;
}

/* The variables of the context, as JSON. */
static const char *vars_text(void)
{
	static char buf[1024];
	char *t = ctx.vars ? asl_dump(ctx.vars) : asl_strdup("none");
	snprintf(buf, sizeof buf, "%s", t);
	free(t);
	return buf;
}

/* ---------------------------------------------------------------- Pass */

static const asl_member pass_out_m[] = {
	{ "v", "v", EXPR(E_A_PLUS_X) },
};
static const asl_value pass_out = OBJ(pass_out_m);
static const asl_member pass_assign_m[] = {
	{ "x", "x", EXPR(E_X_PLUS_10) },
	{ "y", "y", EXPR(E_X) },
};
static const asl_value pass_assign = OBJ(pass_assign_m);
static const asl_state d_pass = { BASE, .type = ASL_PASS, .output = &pass_out,
                                  .assign = &pass_assign };
static const asl_state d_pass_plain = { BASE, .type = ASL_PASS };
static const asl_value missing = EXPR(E_IN_A_MISSING);
static const asl_state d_pass_missing = { BASE, .type = ASL_PASS,
                                          .output = &missing,
                                          .assign = &pass_assign };

static void test_pass(void)
{
	/* Output and Assign both see $x from before the state */
	ctx_reset("{\"x\": 1}");
	CU_ASSERT_STRING_EQUAL(run(asl_pass, &d_pass, "{\"a\": 2}"),
	                       "rc=0 {\"v\":3}");
	CU_ASSERT_STRING_EQUAL(vars_text(), "{\"x\":11,\"y\":1}");
	/* without Output: the input */
	CU_ASSERT_STRING_EQUAL(run(asl_pass, &d_pass_plain, "{\"a\": 2}"),
	                       "rc=0 {\"a\":2}");
	/* a failing Output stores no variable */
	ctx_reset("{\"x\": 1}");
	CU_ASSERT_STRING_EQUAL(run(asl_pass, &d_pass_missing, "{}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.missing' specified for the field "
	                       "'Output' returned nothing (undefined).");
	CU_ASSERT_STRING_EQUAL(vars_text(), "{\"x\":1}");
}

/* ---------------------------------------------------------------- Task */

static const asl_member task_args_m[] = { { "v", "v", EXPR(E_IN_A) } };
static const asl_value task_args = OBJ(task_args_m);
static const asl_member task_out_m[] = {
	{ "r", "r", EXPR(E_RES_V) },
	{ "in", "in", EXPR(E_IN_A) },
};
static const asl_value task_out = OBJ(task_out_m);
static const asl_state d_task = { BASE, .type = ASL_TASK, .resource = "echo", .resource_kind = ASL_RES_OTHER,
                                  .parameters = &task_args,
                                  .output = &task_out };
static const asl_state d_task_plain = { BASE, .type = ASL_TASK,
                                        .resource = "echo", .resource_kind = ASL_RES_OTHER,
                                        .parameters = &task_args };

static const asl_value err_expr = EXPR(E_ERR);
static const asl_member catch_assign_m[] = {
	{ "err", "err", EXPR(E_ERR_ERROR) },
	{ "was", "was", EXPR(E_X) },
};
static const asl_value catch_assign = OBJ(catch_assign_m);
static const char *const boom_errors[] = { "Boom" };
static const char *const other_errors[] = { "Other" };
static const asl_catcher catchers[] = {
	{ .errors = other_errors, .n_errors = 1, .output = &missing },
	{ .errors = boom_errors, .n_errors = 1, .output = &err_expr,
	  .assign = &catch_assign },
};
static const asl_catcher catchers_plain[] = {
	{ .errors = boom_errors, .n_errors = 1 },
};
static const asl_catcher catchers_bad[] = {
	{ .errors = boom_errors, .n_errors = 1, .output = &missing },
};
static const char *const qee_errors[] = { "States.QueryEvaluationError" };
static const asl_catcher catchers_qee[] = {
	{ .errors = qee_errors, .n_errors = 1 },
};
static const asl_state d_args_caught = { BASE, .type = ASL_TASK,
                                         .resource = "echo",
                                         .resource_kind = ASL_RES_OTHER,
                                         .parameters = &task_args,
                                         .catchers = catchers_qee,
                                         .n_catch = 1 };
static const asl_state d_boom = { BASE, .type = ASL_TASK, .resource = "boom", .resource_kind = ASL_RES_OTHER,
                                  .catchers = catchers, .n_catch = 2,
                                  .assign = &pass_assign };
static const asl_state d_boom_plain = { BASE, .type = ASL_TASK,
                                        .resource = "boom", .resource_kind = ASL_RES_OTHER,
                                        .catchers = catchers_plain,
                                        .n_catch = 1 };
static const asl_state d_boom_bad = { BASE, .type = ASL_TASK,
                                      .resource = "boom", .resource_kind = ASL_RES_OTHER,
                                      .catchers = catchers_bad, .n_catch = 1 };

static const char *const all_errors[] = { "States.ALL" };
static const asl_retrier retriers[] = {
	{ .errors = all_errors, .n_errors = 1, .interval = 1, .backoff = 2,
	  .max_attempts = 1 },
};
static const asl_member retry_args_m[] = { { "retry", "retry", EXPR(E_RETRY) } };
static const asl_value retry_args = OBJ(retry_args_m);
static const asl_state d_flaky = { BASE, .type = ASL_TASK,
                                   .resource = "flaky", .resource_kind = ASL_RES_OTHER,
                                   .parameters = &retry_args,
                                   .retry = retriers, .n_retry = 1 };

static void test_task(void)
{
	ctx_reset(NULL);
	/* Arguments from $states.input; Output sees $states.result and input */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_task, "{\"a\": 5}"),
	                       "rc=0 {\"r\":5,\"in\":5}");
	/* without Output: the whole result */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_task_plain, "{\"a\": 5}"),
	                       "rc=0 {\"v\":5}");
	/* Arguments that fail fail the state */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_task, "{}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.a' specified for the field "
	                       "'Arguments/v' returned nothing (undefined).");
	/* Retry as in JSONPath: the Arguments again, RetryCount 1 */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_flaky, "{}"),
	                       "rc=0 {\"retry\":1}");
}

static void test_catch(void)
{
	/* the catcher's Output and Assign see $states.errorOutput and the
	 * variables from before; the state's Assign does not run */
	ctx_reset("{\"x\": 7}");
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_boom, "{}"),
	                       "rc=2 {\"Error\":\"Boom\",\"Cause\":\"bad\"}");
	CU_ASSERT_STRING_EQUAL(vars_text(),
	                       "{\"x\":7,\"err\":\"Boom\",\"was\":7}");
	/* without Output: the error output */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_boom_plain, "{\"a\": 1}"),
	                       "rc=1 {\"Error\":\"Boom\",\"Cause\":\"bad\"}");
	/* Arguments that fail are caught (States.QueryEvaluationError) */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_args_caught, "{}"),
	                       "rc=1 {\"Error\":\"States.QueryEvaluationError\","
	                       "\"Cause\":\"" PREFIX "The JSONata expression "
	                       "'$states.input.a' specified for the field "
	                       "'Arguments/v' returned nothing (undefined).\"}");
	/* a catcher's failing Output fails the state, named by its index */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_boom_bad, "{}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.missing' specified for the field "
	                       "'Catch[0]/Output' returned nothing (undefined).");
}

/* ------------------------------------------------ Task timeouts, Lambda */

static const asl_value in_t = EXPR(E_IN_T);
static const asl_state d_timeout = { BASE, .type = ASL_TASK,
                                     .resource = "echo", .resource_kind = ASL_RES_OTHER,
                                     .parameters = &task_args,
                                     .timeout_jsonata = &in_t };
static const asl_state d_heartbeat = { BASE, .type = ASL_TASK,
                                       .resource = "echo", .resource_kind = ASL_RES_OTHER,
                                       .heartbeat_jsonata = &in_t };

static const asl_member payload_m[] = { { "n", "n", EXPR(E_IN_N) } };
static const asl_member lambda_args_m[] = {
	{ "FunctionName", "FunctionName", LIT(1) },
	{ "Payload", "Payload", OBJ(payload_m) },
};
static const asl_value lambda_args = OBJ(lambda_args_m);
static const asl_value res_payload = EXPR(E_RES_PAYLOAD);
static const asl_state d_lambda = {
	BASE, .type = ASL_TASK, .resource = "arn:aws:states:::lambda:invoke",
	.resource_kind = ASL_RES_LAMBDA_INVOKE, .parameters = &lambda_args,
	.output = &res_payload,
};

static const asl_value res_status = EXPR(E_RES_STATUS);
static const asl_state d_lambda_status = {
	BASE, .type = ASL_TASK, .resource = "arn:aws:states:::lambda:invoke",
	.resource_kind = ASL_RES_LAMBDA_INVOKE, .parameters = &lambda_args,
	.output = &res_status,
};
static const asl_value res_payload_missing = EXPR(E_RES_PAYLOAD_MISSING);
static const asl_state d_lambda_missing = {
	BASE, .type = ASL_TASK, .resource = "arn:aws:states:::lambda:invoke",
	.resource_kind = ASL_RES_LAMBDA_INVOKE, .parameters = &lambda_args,
	.output = &res_payload_missing,
};

static void test_timeouts(void)
{
	ctx_reset(NULL);
	/* TimeoutSeconds reads $states.input, not the Arguments */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_timeout, "{\"a\": 1, \"t\": 5}"),
	                       "rc=0 {\"v\":1}");
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_timeout,
	                           "{\"a\": 1, \"t\": 1.5}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.t' specified for the field "
	                       "'TimeoutSeconds' returned an unexpected result "
	                       "type. Expected 'integer', but was 'number' for "
	                       "value: 1.5");
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_timeout,
	                           "{\"a\": 1, \"t\": \"5\"}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.t' specified for the field "
	                       "'TimeoutSeconds' returned an unexpected result "
	                       "type. Expected 'number', but was 'string' for "
	                       "value: \"5\"");
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_heartbeat, "{\"t\": 0}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.t' specified for the field "
	                       "'HeartbeatSeconds' returned a value out of range. "
	                       "Expected an integer from 1 to 99999999, but was: "
	                       "0");
	/* the error is catchable: a QueryEvaluationError, not States.Runtime */
	CU_ASSERT_FALSE(asl_error_is_uncatchable("States.QueryEvaluationError"));
}

static void test_lambda(void)
{
	/* the handler gets the Arguments' Payload; $states.result is the
	 * whole lambda:invoke response */
	ctx_reset(NULL);
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_lambda, "{\"n\": 3}"),
	                       "rc=0 {\"got\":{\"n\":3}}");
	/* an Output reading more than the Payload: the whole response */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_lambda_status, "{\"n\": 3}"),
	                       "rc=0 200");
	/* an Output reading the Payload only, that fails: the same error as
	 * with the whole response (the response is built lazily, then whole) */
	CU_ASSERT_STRING_EQUAL(run(asl_task, &d_lambda_missing, "{\"n\": 3}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.result.Payload.missing' specified for the "
	                       "field 'Output' returned nothing (undefined).");
	CU_ASSERT_FALSE(ctx.lazy.pending);
	CU_ASSERT_FALSE(asl_jsonata_reads_beyond(x.jsonata[E_RES_PAYLOAD],
	                                         "states", "result", "Payload"));
	CU_ASSERT_TRUE(asl_jsonata_reads_beyond(x.jsonata[E_RES_STATUS],
	                                        "states", "result", "Payload"));
}

/* -------------------------------------------------------------- Choice */

static const asl_member big_m[] = { { "big", "big", LIT(0) } };
static const asl_value big = OBJ(big_m);
static const asl_member rule_assign_m[] = { { "z", "z", EXPR(E_IN_N) } };
static const asl_value rule_assign = OBJ(rule_assign_m);
static const asl_value n_gt_1 = EXPR(E_N_GT_1);
static const asl_value in_n = EXPR(E_IN_N);
static const asl_value lit_true = LIT(0);
static const asl_rule rules[] = {
	{ .condition = &n_gt_1, .output = &big, .assign = &rule_assign },
	{ .condition = &lit_true },
};
static const asl_rule rules_bad[] = { { .condition = &in_n } };
static const asl_member default_assign_m[] = { { "d", "d", EXPR(E_X) } };
static const asl_value default_assign = OBJ(default_assign_m);
static const asl_state d_choice = { BASE, .type = ASL_CHOICE, .rules = rules,
                                    .n_rules = 2, .assign = &default_assign,
                                    .output = &in_a };
static const asl_state d_choice_default = { BASE, .type = ASL_CHOICE,
                                            .rules = rules_bad, .n_rules = 0,
                                            .has_default = 1,
                                            .assign = &default_assign,
                                            .output = &in_a };
static const asl_state d_choice_bad = { BASE, .type = ASL_CHOICE,
                                        .rules = rules_bad, .n_rules = 1 };

static void test_choice(void)
{
	ctx_reset("{\"x\": 1}");
	/* the first rule: its Output and Assign, not the state's */
	CU_ASSERT_STRING_EQUAL(run(asl_choice, &d_choice, "{\"n\": 2, \"a\": 9}"),
	                       "rc=0 {\"big\":true}");
	CU_ASSERT_STRING_EQUAL(vars_text(), "{\"x\":1,\"z\":2}");
	/* a literal true: the rule has no Output, so the input */
	CU_ASSERT_STRING_EQUAL(run(asl_choice, &d_choice, "{\"n\": 0, \"a\": 9}"),
	                       "rc=1 {\"n\":0,\"a\":9}");
	/* Default: the state's Output and Assign */
	CU_ASSERT_STRING_EQUAL(run(asl_choice, &d_choice_default, "{\"a\": 9}"),
	                       "rc=0 9");
	CU_ASSERT_STRING_EQUAL(vars_text(), "{\"x\":1,\"z\":2,\"d\":1}");
	/* a Condition must be a boolean */
	CU_ASSERT_STRING_EQUAL(run(asl_choice, &d_choice_bad, "{\"n\": 2}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.n' specified for the field "
	                       "'Choices[0]/Condition' returned an unexpected "
	                       "result type. Expected 'boolean', but was 'number' "
	                       "for value: 2");
}

/* ---------------------------------------------------------- Wait, Fail */

static const asl_value in_s = EXPR(E_IN_S);
static const asl_value in_ts = EXPR(E_IN_TS);
static const asl_state d_wait = { BASE, .type = ASL_WAIT,
                                  .seconds_jsonata = &in_s,
                                  .output = &in_s };
static const asl_state d_wait_ts = { BASE, .type = ASL_WAIT,
                                     .timestamp_jsonata = &in_ts };

static const asl_value fail_err = EXPR(E_FAIL_ERR);
static const asl_value in_c = EXPR(E_IN_C);
static const asl_state d_fail = { BASE, .type = ASL_FAIL,
                                  .error_path = &fail_err,
                                  .cause_path = &in_c };

static void test_wait(void)
{
	ctx_reset(NULL);
	long long before = ctx.offset_ms;
	CU_ASSERT_STRING_EQUAL(run(asl_wait, &d_wait, "{\"s\": 30}"), "rc=0 30");
	CU_ASSERT_EQUAL(ctx.offset_ms - before, 30000);
	CU_ASSERT_STRING_EQUAL(run(asl_wait, &d_wait, "{\"s\": -1}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.s' specified for the field "
	                       "'Seconds' returned a value out of range. Expected "
	                       "an integer from 0 to 1000000000000000, but was: "
	                       "-1");
	CU_ASSERT_STRING_EQUAL(run(asl_wait, &d_wait, "{\"s\": 3000000000}"),
	                       "ERROR States.Runtime: " PREFIX
	                       "Wait state delay is too long.");
	CU_ASSERT_STRING_EQUAL(run(asl_wait, &d_wait_ts,
	                           "{\"ts\": \"2026-01-01T00:00:10Z\"}"),
	                       "rc=0 {\"ts\":\"2026-01-01T00:00:10Z\"}");
	CU_ASSERT_STRING_EQUAL(run(asl_wait, &d_wait_ts, "{\"ts\": \"soon\"}"),
	                       "ERROR " QEE "The Timestamp field cannot be parsed "
	                       "as an ISO-8601 extended offset date-time format "
	                       "string: soon");
}

static void test_fail(void)
{
	ctx_reset(NULL);
	CU_ASSERT_STRING_EQUAL(run(asl_fail_state, &d_fail,
	                           "{\"n\": 4, \"c\": \"why\"}"),
	                       "ERROR E4: why");
	CU_ASSERT_STRING_EQUAL(run(asl_fail_state, &d_fail,
	                           "{\"n\": 4, \"c\": [1]}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.c' specified for the field 'Cause' "
	                       "returned an unexpected result type. Expected "
	                       "'string', but was 'array' for value: [1]");
}

/* --------------------------------------------------------- Map, Parallel */

static const asl_value in_list = EXPR(E_IN_LIST);
static const asl_member selector_m[] = {
	{ "i", "i", EXPR(E_ITEM_INDEX) },
	{ "v", "v", EXPR(E_ITEM_VALUE) },
};
static const asl_value selector = OBJ(selector_m);
static const asl_value in_mc = EXPR(E_IN_MC);
static const asl_state d_map = { BASE, .type = ASL_MAP, .items = &in_list,
                                 .parameters = &selector, .processor = 0 };
static const asl_state d_map_input = { BASE, .type = ASL_MAP,
                                       .parameters = &selector,
                                       .processor = 0 };
static const asl_state d_map_mc = { BASE, .type = ASL_MAP, .items = &in_list,
                                    .parameters = &selector, .processor = 0,
                                    .max_concurrency_jsonata = &in_mc };

static const asl_member par_args_m[] = { { "a", "a", EXPR(E_IN_A) } };
static const asl_value par_args = OBJ(par_args_m);
static const asl_value sum_result = EXPR(E_SUM_RESULT);
static const int branches[] = { 1, 1 };
static const asl_state d_parallel = { BASE, .type = ASL_PARALLEL,
                                      .parameters = &par_args,
                                      .branches = branches, .n_branches = 2,
                                      .instant = 1, .output = &sum_result };

static void test_map(void)
{
	/* Items, ItemSelector with $states.context.Map.Item, the iterations
	 * reading the outer $x; the result array by default */
	ctx_reset("{\"x\": 100}");
	CU_ASSERT_STRING_EQUAL(run(asl_map, &d_map, "{\"list\": [1, 2, 3]}"),
	                       "rc=0 [110,121,132]");
	CU_ASSERT_STRING_EQUAL(run(asl_map, &d_map, "{\"list\": {\"a\": 1}}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.list' specified for the field "
	                       "'Items' returned an unexpected result type. "
	                       "Expected 'array', but was 'object' for value: "
	                       "{\"a\":1}");
	/* without Items: the input, which must be an array */
	CU_ASSERT_STRING_EQUAL(run(asl_map, &d_map_input, "{\"a\": 1}"),
	                       "ERROR " QEE "Map state input must be an array but "
	                       "was: {\"a\":1}");
	CU_ASSERT_STRING_EQUAL(run(asl_map, &d_map_input, "[5]"),
	                       "rc=0 [150]");
	CU_ASSERT_STRING_EQUAL(run(asl_map, &d_map_mc,
	                           "{\"list\": [1], \"mc\": -1}"),
	                       "ERROR " QEE "The JSONata expression "
	                       "'$states.input.mc' specified for the field "
	                       "'MaxConcurrency' returned a value out of range. "
	                       "Expected an integer from 0 to 2147483647, but "
	                       "was: -1");
	CU_ASSERT_STRING_EQUAL(run(asl_map, &d_map_mc,
	                           "{\"list\": [1, 2], \"mc\": 1}"),
	                       "rc=0 [110,121]");
}

static void test_parallel(void)
{
	/* Arguments to every branch; Output sees the result array */
	ctx_reset(NULL);
	CU_ASSERT_STRING_EQUAL(run(asl_parallel, &d_parallel, "{\"a\": 4}"),
	                       "rc=0 10");
}

/* Variables assigned in a JSONPath state are the JSONata state's $x: one
 * set of variables (c->vars), whichever language assigned them. */
static const asl_path p_a = { .text = "$.a", .norm = "$['a']",
                              .root = ASL_ROOT_INPUT, .definite = 1,
                              .segs = (const asl_seg[]){ { .kind = ASL_SEG_MEMBER,
                                                           .name = "a" } },
                              .n_segs = 1 };
static const asl_member path_assign_m[] = {
	{ "x", "x.$", { .kind = ASL_V_PATH, .path = &p_a } },
};
static const asl_value path_assign = OBJ(path_assign_m);
static const asl_state d_path_pass = { .name = "S", .type = ASL_PASS,
                                       .result = -1, .seconds = -1,
                                       .tolerated_percentage = -1,
                                       .tolerated_count = -1,
                                       .assign = &path_assign };
static const asl_state d_read_x = { BASE, .type = ASL_PASS,
                                    .output = &x_expr };

static void test_mixed(void)
{
	ctx_reset(NULL);
	CU_ASSERT_STRING_EQUAL(run(asl_pass, &d_path_pass, "{\"a\": 42}"),
	                       "rc=0 {\"a\":42}");
	CU_ASSERT_STRING_EQUAL(run(asl_pass, &d_read_x, "{}"), "rc=0 42");
	CU_ASSERT_STRING_EQUAL(run(asl_pass, &d_pass, "{\"a\": 1}"),
	                       "rc=0 {\"v\":43}");
	CU_ASSERT_STRING_EQUAL(vars_text(), "{\"x\":52,\"y\":42}");
}

/* $states.context is built only for the expressions that may read it. */
static const asl_value entered = EXPR(E_ENTERED);
static const asl_state d_entered = { BASE, .type = ASL_PASS,
                                     .output = &entered };

static void test_context_reads(void)
{
	ctx_reset(NULL);
	CU_ASSERT_TRUE(x.jsonata_reads_context);
	CU_ASSERT_STRING_EQUAL(run(asl_pass, &d_entered, "{}"),
	                       "rc=0 \"2026-01-01T00:00:00Z\"");
	CU_ASSERT_FALSE(x.jsonata_reads[E_IN_A] & ASL_READS_CONTEXT);
	CU_ASSERT_FALSE(x.jsonata_reads[E_X] & ASL_READS_CONTEXT);
	CU_ASSERT_TRUE(x.jsonata_reads[E_ITEM_INDEX] & ASL_READS_CONTEXT);
	CU_ASSERT_TRUE(x.jsonata_reads[E_RETRY] & ASL_READS_CONTEXT);
	CU_ASSERT_FALSE(x.jsonata_reads[E_RESULT] & ASL_READS_CONTEXT);
	/* $states.result reads more than its Payload; $states.input.a and
	 * $x nothing of it */
	CU_ASSERT_TRUE(x.jsonata_reads[E_RESULT] & ASL_READS_BEYOND_PAYLOAD);
	CU_ASSERT_FALSE(x.jsonata_reads[E_IN_A] & ASL_READS_BEYOND_PAYLOAD);
	CU_ASSERT_FALSE(x.jsonata_reads[E_X] & ASL_READS_BEYOND_PAYLOAD);
	CU_ASSERT_FALSE(x.jsonata_reads[E_RES_PAYLOAD] & ASL_READS_BEYOND_PAYLOAD);
	CU_ASSERT_FALSE(x.jsonata_reads[E_RES_PAYLOAD_MISSING] &
	                ASL_READS_BEYOND_PAYLOAD);
}

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS) return 1;
	CU_pSuite s = CU_add_suite("JSONata states", setup, teardown);
	CU_add_test(s, "Pass", test_pass);
	CU_add_test(s, "Task", test_task);
	CU_add_test(s, "Catch", test_catch);
	CU_add_test(s, "Task timeouts", test_timeouts);
	CU_add_test(s, "Lambda", test_lambda);
	CU_add_test(s, "Choice", test_choice);
	CU_add_test(s, "Wait", test_wait);
	CU_add_test(s, "Fail", test_fail);
	CU_add_test(s, "Map", test_map);
	CU_add_test(s, "Parallel", test_parallel);
	CU_add_test(s, "mixed", test_mixed);
	CU_add_test(s, "context reads", test_context_reads);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
