/*
 * test_jsonata_fields.c - CUnit tests of the runtime's JSONata fields
 * (runtime/ql/jsonata_value.c): a field's value with "{% %}" expressions
 * at any depth, $states and variables as JSONata sees them, and AWS's
 * States.QueryEvaluationError causes.  The tables are written here as the
 * emitter prints a program's: constant asl_values over a literal table and
 * an expression table of compiled forms, read back as a program reads
 * them when it starts.
 */
#include "../runtime/internal.h"
#include "jsonata.h"
#include "jsonata_forms.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the program */

static const char *const texts[] = {
	"$states.input.a + 1",              /* 0 */
	"$x",                               /* 1 */
	"$states.input.missing",            /* 2 */
	"$eval('1')",                       /* 3 */
	"$states.result.n * 10",            /* 4 */
	"$states.errorOutput.Error",        /* 5 */
	"$states.context.State.Name",       /* 6 */
	"$random()",                        /* 7 */
	"$",                                /* 8: the input is not bound */
	"($f := function($n){ 1 + $f($n + 1) }; $f(0))", /* 9 */
	"$exists($states.result)",          /* 10 */
};
#define N_EXPRS (sizeof texts / sizeof *texts)
static asl_jsonata_src srcs[N_EXPRS];

static const char *const literals[] = { "1", "\"lit\"" };

#define EXPR(i) { .kind = ASL_V_JSONATA, .lit = (i) }
#define LIT(i) { .kind = ASL_V_LIT, .lit = (i) }

static const asl_value list_items[] = { LIT(0), EXPR(1), EXPR(2) };
static const asl_member output_members[] = {
	{ "v", "v", EXPR(0) },
	{ "lit", "lit", LIT(1) },
};
static const asl_value output = {
	.kind = ASL_V_OBJECT, .members = output_members, .count = 2,
};
static const asl_member deep_members[] = {
	{ "list", "list", { .kind = ASL_V_ARRAY, .items = list_items, .count = 3 } },
};
static const asl_value deep = {
	.kind = ASL_V_OBJECT, .members = deep_members, .count = 1,
};

static asl_program prog = { .abi = ASL2C_ABI, .name = "sm",
                            .literals = literals, .n_literals = 2,
                            .jsonata = srcs, .n_jsonata = N_EXPRS };
static asl_exec x;
static json_t *lits[2];
static asl_ctx ctx;

static int setup(void)
{
	if (forms_make(srcs, texts, N_EXPRS))
		return 1;
	for (size_t i = 0; i < 2; i++)
		lits[i] = json_loads(literals[i], JSON_DECODE_ANY, NULL);
	x.prog = &prog;
	x.lits = lits;
	x.ctx_execution = json_pack("{s:s}", "Name", "ex");
	x.ctx_machine = json_pack("{s:s}", "Name", "sm");
	x.virtual_clock = true;
	x.start_ms = 1767225600000LL;
	return asl_jsonata_load_all(&x, "test_jsonata_fields") ? 0 : 1;
}

static int teardown(void)
{
	asl_jsonata_free_all(&x);
	forms_free(srcs, N_EXPRS);
	for (size_t i = 0; i < 2; i++)
		json_decref(lits[i]);
	json_decref(x.ctx_execution);
	json_decref(x.ctx_machine);
	return 0;
}

static void ctx_reset(uint64_t seed)
{
	asl_ctx_release(&ctx);
	memset(&ctx, 0, sizeof ctx);
	ctx.x = &x;
	ctx.state = "S";
	ctx.entered_event = 2;
	ctx.rng = seed;
}

/* The value of FIELD: its JSON text, or "ERROR NAME: CAUSE". */
static char *value_text(const asl_value *v, const char *field,
                        const char *input, const char *result)
{
	static char buf[2048];
	json_t *in = json_loads(input, JSON_DECODE_ANY, NULL);
	json_t *res = result ? json_loads(result, JSON_DECODE_ANY, NULL) : NULL;
	asl_states st = { in, res, NULL };
	json_t *out = asl_jsonata_value(&ctx, v, field, &st);
	if (out) {
		char *t = asl_dump(out);
		snprintf(buf, sizeof buf, "%s", t);
		free(t);
	} else {
		snprintf(buf, sizeof buf, "ERROR %s: %s", ctx.error,
		         ctx.cause ? ctx.cause : "");
		asl_clear_error(&ctx);
	}
	json_decref(out);
	json_decref(in);
	json_decref(res);
	return buf;
}

static const asl_value expr_value[N_EXPRS] = {
	EXPR(0), EXPR(1), EXPR(2), EXPR(3), EXPR(4), EXPR(5),
	EXPR(6), EXPR(7), EXPR(8), EXPR(9), EXPR(10),
};

#define PREFIX "An error occurred while executing the state 'S' (entered " \
	"at the event id #2). "

static void test_values(void)
{
	ctx_reset(1);
	ctx.vars = json_pack("{s:s}", "x", "X");
	CU_ASSERT_STRING_EQUAL(value_text(&output, "Output", "{\"a\":2}", NULL),
	                       "{\"v\":3,\"lit\":\"lit\"}");
	/* the input document itself is not bound: $ is undefined */
	CU_ASSERT_STRING_EQUAL(value_text(&expr_value[8], "Output", "{\"a\":2}", NULL),
	                       "ERROR States.QueryEvaluationError: " PREFIX
	                       "The JSONata expression '$' specified for the "
	                       "field 'Output' returned nothing (undefined).");
	CU_ASSERT_STRING_EQUAL(value_text(&expr_value[6], "Output", "{}", NULL),
	                       "\"S\"");
	CU_ASSERT_STRING_EQUAL(value_text(&expr_value[4], "Output", "{}", "{\"n\":4}"),
	                       "40");
	CU_ASSERT_STRING_EQUAL(value_text(&expr_value[10], "Output", "{}", NULL),
	                       "false");
	json_decref(ctx.vars);
	ctx.vars = NULL;
}

static void test_scopes(void)
{
	asl_ctx outer;
	memset(&outer, 0, sizeof outer);
	outer.x = &x;
	outer.vars = json_pack("{s:i, s:i}", "x", 1, "y", 5);
	ctx_reset(1);
	ctx.parent = &outer;
	CU_ASSERT_STRING_EQUAL(value_text(&expr_value[1], "Output", "{}", NULL), "1");
	ctx.vars = json_pack("{s:i}", "x", 2);
	CU_ASSERT_STRING_EQUAL(value_text(&expr_value[1], "Output", "{}", NULL), "2");
	json_decref(ctx.vars);
	ctx.vars = NULL;
	json_decref(outer.vars);
}

static void test_errors(void)
{
	ctx_reset(1);
	ctx.vars = json_pack("{s:s}", "x", "X");
	/* the place of an expression: /key per member, [i] per item */
	CU_ASSERT_STRING_EQUAL(value_text(&deep, "Output", "{}", NULL),
	                       "ERROR States.QueryEvaluationError: " PREFIX
	                       "The JSONata expression '$states.input.missing' "
	                       "specified for the field 'Output/list[2]' returned "
	                       "nothing (undefined).");
	CU_ASSERT_STRING_EQUAL(value_text(&expr_value[3], "Arguments", "{}", NULL),
	                       "ERROR States.QueryEvaluationError: " PREFIX
	                       "The JSONata expression '$eval('1')' specified for "
	                       "the field 'Arguments' threw an error during "
	                       "evaluation. T1006: Attempted to invoke a "
	                       "non-function");
	CU_ASSERT_STRING_EQUAL(value_text(&expr_value[9], "Output", "{}", NULL),
	                       "ERROR States.QueryEvaluationError: " PREFIX
	                       "The JSONata expression '($f := function($n){ 1 + "
	                       "$f($n + 1) }; $f(0))' specified for the field "
	                       "'Output' threw an error during evaluation: Stack "
	                       "overflow error: Check for non-terminating "
	                       "recursive function. Consider rewriting as "
	                       "tail-recursive.");
	/* $states.errorOutput only where a Catcher gives it */
	CU_ASSERT_NSTRING_EQUAL(value_text(&expr_value[5], "Output", "{}", NULL),
	                        "ERROR States.QueryEvaluationError: ", 35);
	json_decref(ctx.vars);
	ctx.vars = NULL;
}

/* $random() draws from the context's seeded generator: the same seed, the
 * same number; another seed, another. */
static void test_random(void)
{
	char a[64], b[64], c[64];
	ctx_reset(7);
	snprintf(a, sizeof a, "%s", value_text(&expr_value[7], "Output", "{}", NULL));
	ctx_reset(7);
	snprintf(b, sizeof b, "%s", value_text(&expr_value[7], "Output", "{}", NULL));
	ctx_reset(8);
	snprintf(c, sizeof c, "%s", value_text(&expr_value[7], "Output", "{}", NULL));
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_STRING_NOT_EQUAL(a, c);
	CU_ASSERT(atof(a) >= 0 && atof(a) < 1);
}

/* A program whose compiled form is corrupt does not start. */
static void test_corrupt_form(void)
{
	asl_jsonata_src bad = { "1", "J1 1 0 0 x", 10 };
	asl_program p = { .abi = ASL2C_ABI, .jsonata = &bad, .n_jsonata = 1 };
	asl_exec e;
	memset(&e, 0, sizeof e);
	e.prog = &p;
	CU_ASSERT_FALSE(asl_jsonata_load_all(&e, "test_jsonata_fields (a corrupt form, on purpose)"));
	asl_jsonata_free_all(&e);
}

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS) return 1;
	CU_pSuite s = CU_add_suite("JSONata fields", setup, teardown);
	CU_add_test(s, "values", test_values);
	CU_add_test(s, "scopes", test_scopes);
	CU_add_test(s, "errors", test_errors);
	CU_add_test(s, "random", test_random);
	CU_add_test(s, "corrupt form", test_corrupt_form);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	asl_ctx_release(&ctx);
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
