/*
 * test_asl2c.c - CUnit unit tests of the front end (JSON reader, JSONPath
 * and intrinsic parser, checks, escaping helpers), of the lowering of
 * JSONata states, and of the runtime (JSONPath evaluation, ResultPath,
 * errors).
 */
#include "ast.h"
#include "cgen.h"
#include "idents.h"
#include "compile.h"
#include "ir.h"
#include "json.h"
#include "lower.h"
#include "model.h"
#include "util.h"

#include "../runtime/internal.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static diag quiet_diag(FILE **f)
{
	diag d;
	memset(&d, 0, sizeof d);
	*f = tmpfile();
	d.out = *f;
	d.file = "t.json";
	return d;
}

static char *diag_text(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = ftell(f);
	rewind(f);
	s = xcalloc((size_t)n + 1, 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		s[0] = '\0';
	fclose(f);
	return s;
}

/* Compile text; returns the diagnostics (caller frees). */
static char *compile_errors(const char *text, int *errors)
{
	FILE *f;
	diag d = quiet_diag(&f);
	compile_options o = { "t.json", "t", true, true };
	char *out = asl2c_compile(text, strlen(text), &o, &d);

	free(out);
	*errors = d.errors;
	return diag_text(f);
}

/* ------------------------------------------------------- JSON reader */

static void test_json_positions(void)
{
	FILE *f;
	diag d = quiet_diag(&f);
	const char *src = "{\n  \"a\": [1, \"x\"],\n  \"\xc3\xa9\": true\n}";
	jnode *n = json_parse(src, strlen(src), &d);

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_EQUAL(n->kind, J_OBJECT);
	CU_ASSERT_EQUAL(n->n, 2);
	CU_ASSERT_EQUAL(n->members[0].line, 2);
	CU_ASSERT_EQUAL(n->members[0].col, 3);
	CU_ASSERT_EQUAL(n->members[0].value->items[1]->col, 12);
	/* Columns count characters, not bytes. */
	CU_ASSERT_STRING_EQUAL(n->members[1].key, "\xc3\xa9");
	CU_ASSERT_EQUAL(n->members[1].value->line, 3);
	CU_ASSERT_EQUAL(n->members[1].value->col, 8);
	jnode_free(n);
	free(diag_text(f));
}

static void test_json_escapes(void)
{
	FILE *f;
	diag d = quiet_diag(&f);
	const char *src = "[\"a\\u0000b\", \"\\ud83d\\ude00\", \"\\n\\\"\"]";
	jnode *n = json_parse(src, strlen(src), &d);

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_EQUAL(n->items[0]->len, 3);
	CU_ASSERT_EQUAL(n->items[0]->str[1], '\0');
	CU_ASSERT_STRING_EQUAL(n->items[1]->str, "\xf0\x9f\x98\x80");
	CU_ASSERT_STRING_EQUAL(n->items[2]->str, "\n\"");
	jnode_free(n);
	free(diag_text(f));
}

static void test_json_errors(void)
{
	static const struct { const char *src; const char *where; } cases[] = {
		{ "{\"a\": 1,}", "t.json:1:9: error: INVALID_JSON_DESCRIPTION" },
		{ "{\"a\" 1}", "t.json:1:6: error: INVALID_JSON_DESCRIPTION" },
		{ "[1, 2", "t.json:1:6: error: INVALID_JSON_DESCRIPTION" },
		{ "{\"a\": tru}", "t.json:1:7: error: INVALID_JSON_DESCRIPTION" },
		{ "\"abc", "t.json:1:1: error: INVALID_JSON_DESCRIPTION: unterminated" },
		{ "[\"\\x\"]", "t.json:1:2: error: INVALID_JSON_DESCRIPTION: invalid escape" },
		{ "[01]", "t.json:1:3: error: INVALID_JSON_DESCRIPTION" },
		{ "", "t.json:1:1: error: INVALID_JSON_DESCRIPTION" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		FILE *f;
		diag d = quiet_diag(&f);
		jnode *n = json_parse(cases[i].src, strlen(cases[i].src), &d);
		char *t = diag_text(f);
		CU_ASSERT_PTR_NULL(n);
		CU_ASSERT_EQUAL(d.errors, 1);
		if (!strstr(t, cases[i].where))
			fprintf(stderr, "\ncase %zu: got: %s\n", i, t);
		CU_ASSERT_PTR_NOT_NULL(strstr(t, cases[i].where));
		jnode_free(n);
		free(t);
	}
}

static void test_json_depth(void)
{
	FILE *f;
	diag d = quiet_diag(&f);
	size_t n = 100000;
	char *src = xmalloc(n + 1);
	jnode *j;
	char *t;

	memset(src, '[', n);
	src[n] = '\0';
	j = json_parse(src, n, &d);
	t = diag_text(f);
	CU_ASSERT_PTR_NULL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "more than 512 deep"));
	free(t);
	free(src);
}

/* ------------------------------------------------------ path parser */

static void test_path_parse(void)
{
	static const struct {
		const char *text;
		int root;
		unsigned segs;
		bool definite;
		const char *norm;
	} cases[] = {
		{ "$", ASL_ROOT_INPUT, 0, true, "$" },
		{ "$.a.b", ASL_ROOT_INPUT, 2, true, "$['a']['b']" },
		{ "$['a b'][0]", ASL_ROOT_INPUT, 2, true, "$['a b'][0]" },
		{ "$[-1]", ASL_ROOT_INPUT, 1, true, "$[-1]" },
		{ "$[*].Payload", ASL_ROOT_INPUT, 2, false, "$[*]['Payload']" },
		{ "$..x", ASL_ROOT_INPUT, 1, false, "$..['x']" },
		{ "$.a[1:3]", ASL_ROOT_INPUT, 2, false, "$['a'][1:3]" },
		{ "$.a[0,2]", ASL_ROOT_INPUT, 2, false, "$['a'][0,2]" },
		{ "$['a','b']", ASL_ROOT_INPUT, 1, false, "$['a','b']" },
		{ "$.a[?(@.x > 1)]", ASL_ROOT_INPUT, 2, false, "$['a'][?]" },
		{ "$$.Map.Item.Value", ASL_ROOT_CONTEXT, 3, true,
		  "$$['Map']['Item']['Value']" },
		{ "$myVar.field", ASL_ROOT_VAR, 1, true, "$myVar['field']" },
		{ "$.my-field", ASL_ROOT_INPUT, 1, true, "$['my-field']" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ir_parse p;
		ir_parse_text(cases[i].text, &p);
		CU_ASSERT_PTR_NULL(p.error);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p.path);
		CU_ASSERT_EQUAL(p.path->root, cases[i].root);
		CU_ASSERT_EQUAL(p.path->n_segs, cases[i].segs);
		CU_ASSERT_EQUAL(p.path->definite, cases[i].definite);
		char *norm = ir_path_norm(p.path);
		CU_ASSERT_STRING_EQUAL(norm, cases[i].norm);
		free(norm);
		ir_path_free(p.path);
	}
}

static void test_path_errors(void)
{
	static const char *const bad[] = {
		"", "a.b", "$.", "$[", "$[1", "$['a]", "$..", "$[?(@.x >)]",
		"$.a b", "States.Format(", "States.Format('a' 'b')",
		"States.Format(\"x\")", "States.Format('\\n')", "$[::0]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ir_parse p;
		ir_parse_text(bad[i], &p);
		if (!p.error)
			fprintf(stderr, "\naccepted: %s\n", bad[i]);
		CU_ASSERT_PTR_NOT_NULL(p.error);
		CU_ASSERT_PTR_NULL(p.path);
		CU_ASSERT_PTR_NULL(p.call);
		free(p.error);
	}
}

static void test_call_parse(void)
{
	ir_parse p;

	ir_parse_text("States.Format('Hello \\{{}\\} \\'x\\'', $.name, "
	              "States.MathAdd(1, -2.5))", &p);
	CU_ASSERT_PTR_NULL(p.error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.call);
	CU_ASSERT_EQUAL(p.call->fn, ASL_FN_FORMAT);
	CU_ASSERT_EQUAL(p.call->n_args, 3);
	CU_ASSERT_STRING_EQUAL(p.call->args[0].lit, "\"Hello {{}} 'x'\"");
	CU_ASSERT_STRING_EQUAL(p.call->args[0].raw, "Hello \\{{}\\} 'x'");
	CU_ASSERT_EQUAL(p.call->args[1].kind, ASL_V_PATH);
	CU_ASSERT_EQUAL(p.call->args[2].kind, ASL_V_CALL);
	CU_ASSERT_EQUAL(p.call->args[2].call->fn, ASL_FN_MATH_ADD);
	CU_ASSERT_STRING_EQUAL(p.call->args[2].call->args[1].lit, "-2.5");
	ir_call_free(p.call);

	ir_parse_text("States.UUID()", &p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.call);
	CU_ASSERT_EQUAL(p.call->n_args, 0);
	ir_call_free(p.call);

	ir_parse_text("States.Nope(1)", &p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.call);
	CU_ASSERT_EQUAL(p.call->fn, -1);
	ir_call_free(p.call);
}

/* ------------------------------------------------------------ checks */

static void test_checks(void)
{
	static const struct { const char *src; const char *expect; } cases[] = {
		{ "[]", "Definition must be a valid JSON object" },
		{ "{\"States\": {}}", "These fields are required: [States, StartAt]" },
		{ "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Nope\"}}}",
		  "The field 'Type' should have one of these values" },
		{ "{\"StartAt\": \"B\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}",
		  "MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /StartAt" },
		{ "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\"}}}",
		  "needs either 'Next' or \"End\": true" },
		{ "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", "
		  "\"End\": true, \"Resource\": \"x\"}}}",
		  "Field 'Resource' is not supported by a Pass state" },
		{ "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", "
		  "\"End\": true, \"InputPath\": \"a.b\"}}}",
		  "Value must be a valid JSONPath" },
		{ "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", "
		  "\"End\": true, \"Parameters\": {\"x.$\": \"States.Nope()\"}}}}",
		  "unknown function States.Nope" },
		{ "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", "
		  "\"End\": true, \"Parameters\": {\"x.$\": \"States.MathAdd(1)\"}}}}",
		  "States.MathAdd takes 2 arguments, not 1" },
		{ "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Map\", "
		  "\"End\": true, \"Iterator\": {\"StartAt\": \"A\", \"States\": "
		  "{\"A\": {\"Type\": \"Succeed\"}}}}}}",
		  "DUPLICATE_STATE_NAME" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int errors;
		char *t = compile_errors(cases[i].src, &errors);
		CU_ASSERT(errors > 0);
		if (!strstr(t, cases[i].expect))
			fprintf(stderr, "\ncase %zu: got: %s\n", i, t);
		CU_ASSERT_PTR_NOT_NULL(strstr(t, cases[i].expect));
		free(t);
	}
}

static void test_valid(void)
{
	int errors;
	char *t = compile_errors(
	    "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Choice\", "
	    "\"Choices\": [{\"Variable\": \"$.x\", \"NumericEquals\": 1, "
	    "\"Next\": \"B\"}], \"Default\": \"B\"}, \"B\": {\"Type\": "
	    "\"Succeed\"}}}", &errors);
	CU_ASSERT_EQUAL(errors, 0);
	CU_ASSERT_STRING_EQUAL(t, "");
	free(t);
}

/* ----------------------------------------------------------- escaping */

static void test_c_string(void)
{
	strbuf b = SB_INIT;

	c_string(&b, "a\"b\\c?\?/d\n\x01\xc3\xa9", 13);
	CU_ASSERT_STRING_EQUAL(b.s, "\"a\\\"b\\\\c\\?\\?/d\\012\\001\\303\\251\"");
	sb_free(&b);
	c_string(&b, "x\0y", 3);
	CU_ASSERT_STRING_EQUAL(b.s, "\"x\\000y\"");
	sb_free(&b);
	c_comment(&b, "a*/b/*c");
	CU_ASSERT_PTR_NULL(strstr(b.s, "*/"));
	CU_ASSERT_PTR_NULL(strstr(b.s, "/*"));
	sb_free(&b);
}

static void test_idents(void)
{
	char *id = c_ident("Fan-out hourly partitions");
	CU_ASSERT_STRING_EQUAL(id, "Fan_out_hourly_partitions");
	free(id);
	id = c_ident("\xc3\xa9\xc3\xa9");
	CU_ASSERT_STRING_EQUAL(id, "state");
	free(id);

	/* Names that differ only in punctuation or case stay distinct. */
	int errors;
	FILE *f;
	diag d = quiet_diag(&f);
	const char *src = "{\"StartAt\": \"A-B\", \"States\": {"
	                  "\"A-B\": {\"Type\": \"Pass\", \"Next\": \"A_B\"},"
	                  "\"A_B\": {\"Type\": \"Pass\", \"Next\": \"a b\"},"
	                  "\"a b\": {\"Type\": \"Succeed\"}}}";
	jnode *root = json_parse(src, strlen(src), &d);
	model m;
	errors = model_build(&m, root, &d);
	CU_ASSERT_EQUAL(errors, 0);
	CU_ASSERT_STRING_EQUAL(m.states[0].ident, "A_B");
	CU_ASSERT_STRING_EQUAL(m.states[1].ident, "A_B_2");
	CU_ASSERT_STRING_EQUAL(m.states[2].ident, "a_b_3");
	model_free(&m);
	jnode_free(root);
	free(diag_text(f));
}

/* The model: each field named once, every object's fields by enum with
 * their positions, each path parsed once. */
static void test_model(void)
{
	FILE *f;
	diag d = quiet_diag(&f);
	const char *src =
		"{\"StartAt\": \"T\", \"States\": {\n"
		"\"T\": {\"Type\": \"Task\", \"Resource\": "
		"\"arn:aws:lambda:us-east-1:123456789012:function:f\",\n"
		"  \"InputPath\": \"$.a\", \"Next\": \"C\",\n"
		"  \"Catch\": [{\"ErrorEquals\": [\"States.ALL\"], "
		"\"Next\": \"C\"}]},\n"
		"\"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Not\": "
		"{\"Variable\": \"$.a\", \"IsNull\": true}, \"Next\": \"S\"}],"
		"\n  \"Default\": \"S\"},\n"
		"\"S\": {\"Type\": \"Succeed\"}}}";
	jnode *root = json_parse(src, strlen(src), &d);
	model m;

	/* Every name is one field's, and back. */
	for (int k = 0; k < FLD_COUNT; k++)
		CU_ASSERT_EQUAL(field_lookup(field_name(k)), k);
	CU_ASSERT_EQUAL(field_lookup("Nope"), -1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(model_build(&m, root, &d), 0);
	const mobj *t = m.states[0].obj;
	const jmember *ip = mobj_member(t, FLD_INPUT_PATH);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ip);
	CU_ASSERT_EQUAL(ip->line, 3);
	CU_ASSERT_EQUAL(ip->col, 3);
	CU_ASSERT_PTR_NULL(mobj_get(t, FLD_OUTPUT_PATH));
	/* A Catcher and a rule nested in Not are objects of the model. */
	const jnode *k = mobj_get(t, FLD_CATCH)->items[0];
	CU_ASSERT_STRING_EQUAL(model_get(&m, k, FLD_NEXT)->str, "C");
	const jnode *rule = mobj_get(m.states[1].obj, FLD_CHOICES)->items[0];
	const jnode *var = model_get(&m, model_get(&m, rule, FLD_NOT),
	                             FLD_VARIABLE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(var);
	CU_ASSERT_EQUAL(var->line, 5);
	/* A template's values are not objects of the model. */
	CU_ASSERT_PTR_NULL(model_obj(&m, mobj_get(t, FLD_INPUT_PATH)));
	/* "$.a" was parsed by the checks; asking again gives that parse. */
	const ir_parse *p = model_parse(&m, "$.a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->path);
	CU_ASSERT_PTR_EQUAL(model_parse(&m, var->str), p);
	model_free(&m);
	jnode_free(root);
	free(diag_text(f));
}

static void test_template(void)
{
	strbuf b = SB_INIT;
	const char *vars[] = { "a", "1", "bb", "two", NULL };

	tpl_render(&b, "x $a$ $bb$ $$ $c$", vars);
	CU_ASSERT_STRING_EQUAL(b.s, "x 1 two $ $c$");
	sb_free(&b);
}

/* ----------------------------------------------------- JSONata lowering */

static const char ata_src[] =
	"{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"T\", \"States\": {\n"
	"\"T\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\",\n"
	"  \"Arguments\": {\"FunctionName\": \"f\", \"Payload\": {\"n\": \"{% $states.input.n %}\", \"l\": [1, \"{%  $states.input.n  %}\"]}},\n"
	"  \"Output\": \"{% $states.result.Payload %}\", \"Assign\": {\"a\": \"{% $states.result.Payload.n + 1 %}\", \"k\": 3},\n"
	"  \"TimeoutSeconds\": \"{% 10 %}\", \"HeartbeatSeconds\": 5,\n"
	"  \"Catch\": [{\"ErrorEquals\": [\"States.ALL\"], \"Output\": {\"e\": \"{% $states.errorOutput.Error %}\"}, \"Assign\": {\"x\": 1}, \"Next\": \"F\"}],\n"
	"  \"Next\": \"C\"},\n"
	"\"C\": {\"Type\": \"Choice\", \"Choices\": [\n"
	"  {\"Condition\": \"{% $a > 2 %}\", \"Output\": {\"big\": true}, \"Assign\": {\"y\": \"{% $a %}\"}, \"Next\": \"W\"},\n"
	"  {\"Condition\": true, \"Next\": \"W2\"}], \"Default\": \"F\", \"Output\": \"{% $states.input %}\"},\n"
	"\"W\": {\"Type\": \"Wait\", \"Seconds\": \"{% $a %}\", \"Next\": \"W2\"},\n"
	"\"W2\": {\"Type\": \"Wait\", \"Timestamp\": \"2026-01-01T00:00:00Z\", \"Next\": \"W3\"},\n"
	"\"W3\": {\"Type\": \"Wait\", \"Timestamp\": \"{% $now() %}\", \"Next\": \"M\"},\n"
	"\"M\": {\"Type\": \"Map\", \"Items\": \"{% [1, 2, $a] %}\", \"ItemSelector\": {\"v\": \"{% $states.context.Map.Item.Value %}\"},\n"
	"  \"MaxConcurrency\": \"{% 2 %}\", \"Next\": \"D\",\n"
	"  \"ItemProcessor\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}},\n"
	"\"D\": {\"Type\": \"Map\", \"Items\": [1, 2], \"ToleratedFailureCount\": \"{% 1 %}\", \"ToleratedFailurePercentage\": 50,\n"
	"  \"ItemBatcher\": {\"MaxItemsPerBatch\": \"{% 2 %}\", \"MaxInputBytesPerBatch\": 1000, \"BatchInput\": {\"b\": \"{% $a %}\"}},\n"
	"  \"ItemReader\": {\"Resource\": \"arn:aws:states:::s3:getObject\", \"Arguments\": {\"Bucket\": \"b\", \"Key\": \"{% 'k' & $a %}\"},\n"
	"    \"ReaderConfig\": {\"InputType\": \"JSON\", \"MaxItems\": \"{% 5 %}\"}},\n"
	"  \"ResultWriter\": {\"Resource\": \"arn:aws:states:::s3:putObject\", \"Arguments\": {\"Bucket\": \"b\", \"Prefix\": \"{% 'p' %}\"}},\n"
	"  \"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"},\n"
	"    \"StartAt\": \"Q\", \"States\": {\"Q\": {\"Type\": \"Pass\", \"End\": true}}}, \"Next\": \"F\"},\n"
	"\"F\": {\"Type\": \"Fail\", \"Error\": \"{% 'E' & $string($a) %}\", \"Cause\": \"literal\"}}}";

/* The text of JSONata leaf v of lowering l. */
static const char *ata_text(const lowering *l, const asl_value *v)
{
	if (!v || v->kind != ASL_V_JSONATA || v->lit < 0 ||
	    (unsigned)v->lit >= l->n_ata)
		return "(not an expression)";
	return l->ata[v->lit].text;
}

/* The member called key of object value v, or NULL. */
static const asl_value *member(const asl_value *v, const char *key)
{
	for (unsigned i = 0; v && v->kind == ASL_V_OBJECT && i < v->count; i++)
		if (!strcmp(v->members[i].key, key))
			return &v->members[i].value;
	return NULL;
}

/* The descriptor of the state called name (there is one). */
static const asl_state *state(const lw_program *p, const char *name)
{
	for (size_t i = 0; i < p->n_states; i++)
		if (!strcmp(p->states[i].d.name, name))
			return &p->states[i].d;
	CU_FAIL_FATAL("no such state");
	return NULL;
}

/* Task, Catch and Choice fields. */
static void ata_task_choice(const lw_program *p)
{
	const lowering *l = &p->l;
	const asl_state *t = state(p, "T"), *c = state(p, "C");
	const asl_value *pl = member(t->parameters, "Payload");

	CU_ASSERT_EQUAL(t->jsonata, 1);
	CU_ASSERT_PTR_NULL(t->input_path);
	CU_ASSERT_STRING_EQUAL(ata_text(l, member(pl, "n")), "$states.input.n");
	/* the same text, written with more space: trimmed, one entry */
	CU_ASSERT_PTR_NOT_NULL_FATAL(member(pl, "l"));
	CU_ASSERT_EQUAL(member(pl, "l")->kind, ASL_V_ARRAY);
	CU_ASSERT_EQUAL(member(pl, "l")->items[0].kind, ASL_V_LIT);
	CU_ASSERT_EQUAL(member(pl, "l")->items[1].lit, member(pl, "n")->lit);
	CU_ASSERT_EQUAL(member(t->parameters, "FunctionName")->kind, ASL_V_LIT);
	CU_ASSERT_STRING_EQUAL(ata_text(l, t->output), "$states.result.Payload");
	CU_ASSERT_STRING_EQUAL(ata_text(l, member(t->assign, "a")),
	                       "$states.result.Payload.n + 1");
	CU_ASSERT_STRING_EQUAL(ata_text(l, t->timeout_jsonata), "10");
	CU_ASSERT_EQUAL(t->timeout_seconds, 0);
	CU_ASSERT_EQUAL(t->heartbeat_seconds, 5);
	CU_ASSERT_PTR_NULL(t->heartbeat_jsonata);
	CU_ASSERT_EQUAL_FATAL(t->n_catch, 1);
	CU_ASSERT_STRING_EQUAL(ata_text(l, member(t->catchers[0].output, "e")),
	                       "$states.errorOutput.Error");
	/* a value without expressions is one literal */
	CU_ASSERT_EQUAL_FATAL(t->catchers[0].assign->kind, ASL_V_LIT);
	CU_ASSERT_STRING_EQUAL(l->lits[t->catchers[0].assign->lit], "{\"x\":1}");

	CU_ASSERT_EQUAL_FATAL(c->n_rules, 2);
	CU_ASSERT_STRING_EQUAL(ata_text(l, c->rules[0].condition), "$a > 2");
	CU_ASSERT_EQUAL(c->rules[0].output->kind, ASL_V_LIT);
	CU_ASSERT_STRING_EQUAL(l->lits[c->rules[0].output->lit],
	                       "{\"big\":true}");
	CU_ASSERT_STRING_EQUAL(ata_text(l, member(c->rules[0].assign, "y")),
	                       "$a");
	CU_ASSERT_EQUAL(c->rules[1].condition->kind, ASL_V_LIT);
	CU_ASSERT_STRING_EQUAL(l->lits[c->rules[1].condition->lit], "true");
	CU_ASSERT_PTR_NULL(c->rules[1].output);
	CU_ASSERT_STRING_EQUAL(ata_text(l, c->output), "$states.input");
}

/* Wait, Map, Distributed Map and Fail fields. */
static void ata_others(const lw_program *p)
{
	const lowering *l = &p->l;
	const asl_state *w = state(p, "W"), *w2 = state(p, "W2"),
	                *w3 = state(p, "W3"), *m = state(p, "M"),
	                *d = state(p, "D"), *f = state(p, "F");

	CU_ASSERT_STRING_EQUAL(ata_text(l, w->seconds_jsonata), "$a");
	CU_ASSERT_EQUAL(w->seconds, -1);
	CU_ASSERT_STRING_EQUAL(w2->timestamp, "2026-01-01T00:00:00Z");
	CU_ASSERT_PTR_NULL(w2->timestamp_jsonata);
	CU_ASSERT_PTR_NULL(w3->timestamp);
	CU_ASSERT_STRING_EQUAL(ata_text(l, w3->timestamp_jsonata), "$now()");

	CU_ASSERT_STRING_EQUAL(ata_text(l, m->items), "[1, 2, $a]");
	CU_ASSERT_STRING_EQUAL(ata_text(l, member(m->parameters, "v")),
	                       "$states.context.Map.Item.Value");
	CU_ASSERT_STRING_EQUAL(ata_text(l, m->max_concurrency_jsonata), "2");

	CU_ASSERT_EQUAL(d->items->kind, ASL_V_LIT);
	CU_ASSERT_STRING_EQUAL(ata_text(l, d->tolerated_count_jsonata), "1");
	CU_ASSERT_PTR_NULL(d->tolerated_percentage_jsonata);
	CU_ASSERT_EQUAL(d->tolerated_percentage, 50);
	CU_ASSERT_STRING_EQUAL(ata_text(l, d->batch_max_items_jsonata), "2");
	CU_ASSERT_EQUAL(d->batch_max_bytes, 1000);
	CU_ASSERT_STRING_EQUAL(ata_text(l, member(d->batch_input, "b")), "$a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d->item_reader);
	CU_ASSERT_STRING_EQUAL(ata_text(l, member(d->item_reader->parameters,
	                                          "Key")), "'k' & $a");
	CU_ASSERT_STRING_EQUAL(ata_text(l, d->item_reader->max_items_jsonata),
	                       "5");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d->result_writer);
	CU_ASSERT_STRING_EQUAL(ata_text(l, member(d->result_writer->parameters,
	                                          "Prefix")), "'p'");

	CU_ASSERT_PTR_NULL(f->error);
	CU_ASSERT_STRING_EQUAL(ata_text(l, f->error_path), "'E' & $string($a)");
	CU_ASSERT_STRING_EQUAL(f->cause, "literal");
	CU_ASSERT_PTR_NULL(f->cause_path);
}

/* Every compiled form reads back, and gives what its text gives. */
static void ata_forms(const lowering *l)
{
	json_t *b = json_pack("{s:{s:{s:i}}, s:i}", "states", "input", "n", 4,
	                      "a", 3);

	for (unsigned i = 0; i < l->n_ata; i++) {
		asl_jsonata_error err;
		asl_jsonata_expr *loaded = asl_jsonata_load(l->ata[i].form,
		                                            l->ata[i].form_len,
		                                            &err);
		asl_jsonata_expr *parsed = asl_jsonata_parse(l->ata[i].text, &err);
		json_t *r1 = NULL, *r2 = NULL;
		CU_ASSERT_PTR_NOT_NULL_FATAL(loaded);
		CU_ASSERT_PTR_NOT_NULL_FATAL(parsed);
		int e1 = asl_jsonata_eval(loaded, NULL, b, NULL, &r1, &err);
		int e2 = asl_jsonata_eval(parsed, NULL, b, NULL, &r2, &err);
		CU_ASSERT_EQUAL(e1, e2);
		CU_ASSERT((!r1 && !r2) || (r1 && r2 && json_equal(r1, r2)));
		json_decref(r1);
		json_decref(r2);
		asl_jsonata_free(loaded);
		asl_jsonata_free(parsed);
	}
	json_decref(b);
}

/* A definition checked (without errors) and lowered. */
typedef struct lowered {
	FILE *f;
	jnode *root;
	model m;
	lw_program p;
} lowered;

static bool lower_text(lowered *x, const char *src)
{
	diag d = quiet_diag(&x->f);

	x->root = json_parse(src, strlen(src), &d);
	if (!x->root || model_build(&x->m, x->root, &d) != 0) {
		if (x->root)
			model_free(&x->m);
		jnode_free(x->root);
		free(diag_text(x->f));
		return false;
	}
	lower_program(&x->p, &x->m);
	return true;
}

static void lowered_free(lowered *x)
{
	lower_program_free(&x->p);
	model_free(&x->m);
	jnode_free(x->root);
	free(diag_text(x->f));
}

static void test_jsonata_lowering(void)
{
	lowered x;

	CU_ASSERT_TRUE_FATAL(lower_text(&x, ata_src));
	CU_ASSERT_FALSE(x.p.l.failed);
	CU_ASSERT_EQUAL(x.p.n_states, 10);
	ata_task_choice(&x.p);
	ata_others(&x.p);
	/* one entry per distinct text (17), however often it is written */
	CU_ASSERT_EQUAL(x.p.l.n_ata, 17);
	ata_forms(&x.p.l);
	lowered_free(&x);
}

/* A JSONPath machine with one JSONata state: only that state's fields are
 * JSONata values. */
static void test_jsonata_mixed(void)
{
	static const char src[] =
		"{\"StartAt\": \"A\", \"States\": {"
		"\"A\": {\"Type\": \"Pass\", \"Parameters\": {\"x.$\": \"$.x\", \"s\": \"{% 1 %}\"}, \"Next\": \"B\"},"
		"\"B\": {\"Type\": \"Pass\", \"QueryLanguage\": \"JSONata\", \"Output\": {\"s\": \"{% $x %}\"}, \"End\": true}}}";
	lowered x;
	const asl_state *a, *b;

	CU_ASSERT_TRUE_FATAL(lower_text(&x, src));
	a = &x.p.states[0].d;
	b = &x.p.states[1].d;
	CU_ASSERT_EQUAL(a->jsonata, 0);
	CU_ASSERT_EQUAL(member(a->parameters, "x")->kind, ASL_V_PATH);
	CU_ASSERT_EQUAL(member(a->parameters, "s")->kind, ASL_V_LIT);
	CU_ASSERT_EQUAL(b->jsonata, 1);
	CU_ASSERT_STRING_EQUAL(ata_text(&x.p.l, member(b->output, "s")), "$x");
	CU_ASSERT_EQUAL(x.p.l.n_ata, 1);
	lowered_free(&x);
}

/* ------------------------------------------------------------ runtime */

/* Literals of the filters of runtime_path()'s paths. */
static json_t *lits[64];
static int n_lits;

static asl_path *convert_path(const ir_path *ip);

static asl_expr *convert_expr(const ir_expr *e)
{
	asl_expr *x = xcalloc(1, sizeof *x);

	x->op = (unsigned char)e->op;
	x->a = e->a ? convert_expr(e->a) : NULL;
	x->b = e->b ? convert_expr(e->b) : NULL;
	x->path = e->path ? convert_path(e->path) : NULL;
	x->lit = -1;
	if (e->lit) {
		lits[n_lits] = json_loads(e->lit, JSON_DECODE_ANY, NULL);
		x->lit = n_lits++;
	}
	return x;
}

/* Build a runtime path from the parser's, as the emitter would; path_free()
 * frees it. */
static asl_path *runtime_path(const char *text)
{
	ir_parse p;
	asl_path *r;

	ir_parse_text(text, &p);
	if (!p.path)
		return NULL;
	r = convert_path(p.path);
	r->text = xstrdup(text);
	ir_path_free(p.path);
	return r;
}

static asl_path *convert_path(const ir_path *ip)
{
	asl_path *r;
	asl_seg *segs;
	r = xcalloc(1, sizeof *r);
	segs = xcalloc(ip->n_segs + 1, sizeof *segs);
	for (unsigned i = 0; i < ip->n_segs; i++) {
		ir_seg *s = &ip->segs[i];
		segs[i].kind = (unsigned char)s->kind;
		segs[i].deep = s->deep;
		segs[i].name = s->name ? xstrdup(s->name) : NULL;
		segs[i].index = s->index;
		segs[i].end = s->end;
		segs[i].step = s->step;
		segs[i].has_start = s->has_start;
		segs[i].has_end = s->has_end;
		segs[i].count = s->count;
		if (s->indexes) {
			long long *ix = xcalloc(s->count, sizeof *ix);
			memcpy(ix, s->indexes, s->count * sizeof *ix);
			segs[i].indexes = ix;
		}
		if (s->names) {
			char **nm = xcalloc(s->count, sizeof *nm);
			for (unsigned k = 0; k < s->count; k++)
				nm[k] = xstrdup(s->names[k]);
			segs[i].names = (const char *const *)nm;
		}
		if (s->filter)
			segs[i].filter = convert_expr(s->filter);
	}
	r->norm = ir_path_norm(ip);
	r->root = (unsigned char)ip->root;
	r->definite = ip->definite;
	r->segs = segs;
	r->n_segs = ip->n_segs;
	return r;
}

static void expr_free(const asl_expr *x);

/* Free what runtime_path() built (its filters' literals stay in lits[]). */
static void path_free(asl_path *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->n_segs; i++) {
		asl_seg *s = (asl_seg *)&p->segs[i];
		free((char *)s->name);
		free((long long *)s->indexes);
		if (s->names) {
			for (unsigned k = 0; k < s->count; k++)
				free((char *)s->names[k]);
			free((char **)s->names);
		}
		expr_free(s->filter);
	}
	free((asl_seg *)p->segs);
	free((char *)p->norm);
	free((char *)p->text);
	free(p);
}

static void expr_free(const asl_expr *x)
{
	if (!x)
		return;
	expr_free(x->a);
	expr_free(x->b);
	path_free((asl_path *)x->path);
	free((asl_expr *)x);
}

static char *select_text(const char *path, const char *doc)
{
	asl_exec x;
	asl_ctx c;
	asl_path *p = runtime_path(path);
	json_t *d = json_loads(doc, JSON_DECODE_ANY, NULL), *out;
	char *s;

	memset(&x, 0, sizeof x);
	memset(&c, 0, sizeof c);
	x.lits = lits;
	c.x = &x;
	if (asl_path_get(&c, p, d, &out) == ASL_FOUND) {
		s = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(out);
	} else {
		s = xstrdup("MISSING");
	}
	json_decref(d);
	path_free(p);
	return s;
}

static void test_path_eval(void)
{
	static const struct { const char *path, *doc, *want; } cases[] = {
		{ "$", "{\"a\":1}", "{\"a\":1}" },
		{ "$.a", "{\"a\":1}", "1" },
		{ "$.b", "{\"a\":1}", "MISSING" },
		{ "$.a.b", "{\"a\":[1]}", "MISSING" },
		{ "$[-1]", "[1,2,3]", "3" },
		{ "$[5]", "[1,2,3]", "MISSING" },
		{ "$[*].Payload", "[{\"Payload\":true},{\"Payload\":false},{}]",
		  "[true,false]" },
		{ "$[*].x", "[]", "[]" },
		{ "$..x", "{\"x\":1,\"a\":{\"x\":2,\"b\":[{\"x\":3}]}}", "[1,2,3]" },
		{ "$[1:3]", "[0,1,2,3]", "[1,2]" },
		{ "$[-2:]", "[0,1,2,3]", "[2,3]" },
		{ "$[:2]", "[0,1,2,3]", "[0,1]" },
		{ "$[0,2]", "[0,1,2,3]", "[0,2]" },
		{ "$[?(@.x > 1)].x", "[{\"x\":1},{\"x\":2},{\"x\":3}]", "[2,3]" },
		{ "$[?(@.x == 'b')].x", "[{\"x\":\"a\"},{\"x\":\"b\"}]", "[\"b\"]" },
		{ "$[?(@.y)].y", "[{\"x\":1},{\"y\":2}]", "[2]" },
		{ "$[?(@.x > 1 && @.x < 3)].x", "[{\"x\":1},{\"x\":2},{\"x\":3}]",
		  "[2]" },
		{ "$.*", "{\"a\":1,\"b\":2}", "[1,2]" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = select_text(cases[i].path, cases[i].doc);
		if (strcmp(got, cases[i].want))
			fprintf(stderr, "\n%s on %s: got %s, want %s\n",
			        cases[i].path, cases[i].doc, got, cases[i].want);
		CU_ASSERT_STRING_EQUAL(got, cases[i].want);
		free(got);
	}
}

static void test_result_path(void)
{
	asl_path *p = runtime_path("$.a.b");
	json_t *in = json_loads("{\"a\":{\"x\":1},\"c\":2}", 0, NULL), *out;
	json_t *v = json_integer(5);
	char *s;

	CU_ASSERT_EQUAL(asl_path_set(p, in, v, &out), 0);
	s = json_dumps(out, JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(s, "{\"a\":{\"x\":1,\"b\":5},\"c\":2}");
	free(s);
	/* Copy on write: the input is unchanged. */
	s = json_dumps(in, JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(s, "{\"a\":{\"x\":1},\"c\":2}");
	free(s);
	json_decref(out);
	json_decref(in);

	/* Creates what is missing; fails on a non-object. */
	in = json_loads("{}", 0, NULL);
	CU_ASSERT_EQUAL(asl_path_set(p, in, v, &out), 0);
	s = json_dumps(out, JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(s, "{\"a\":{\"b\":5}}");
	free(s);
	json_decref(out);
	json_decref(in);
	in = json_string("text");
	CU_ASSERT_EQUAL(asl_path_set(p, in, v, &out), -1);
	json_decref(in);
	json_decref(v);
	path_free(p);
}

static void test_error_matching(void)
{
	const char *all[] = { "States.ALL" }, *tf[] = { "States.TaskFailed" };
	const char *named[] = { "A", "B" };

	CU_ASSERT(asl_error_matches("X", all, 1));
	CU_ASSERT(!asl_error_matches("States.Runtime", all, 1));
	CU_ASSERT(!asl_error_matches("States.DataLimitExceeded", all, 1));
	CU_ASSERT(asl_error_matches("Lambda.Unknown", tf, 1));
	CU_ASSERT(!asl_error_matches("States.Timeout", tf, 1));
	CU_ASSERT(asl_error_matches("B", named, 2));
	CU_ASSERT(!asl_error_matches("b", named, 2));
}

static void test_function_name(void)
{
	char buf[64];
	CU_ASSERT_STRING_EQUAL(asl_function_name("f", buf, sizeof buf), "f");
	CU_ASSERT_STRING_EQUAL(asl_function_name("f:PROD", buf, sizeof buf),
	                       "f");
	CU_ASSERT_STRING_EQUAL(asl_function_name("123456789012:function:f",
	                                         buf, sizeof buf), "f");
	CU_ASSERT_STRING_EQUAL(asl_function_name(
	    "arn:aws:lambda:us-east-1:123456789012:function:my-fn:3", buf,
	    sizeof buf), "my-fn");
}

int main(void)
{
	CU_pSuite s;

	json_object_seed(1);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return CU_get_error();

	s = CU_add_suite("frontend", NULL, NULL);
	CU_add_test(s, "JSON positions", test_json_positions);
	CU_add_test(s, "JSON escapes", test_json_escapes);
	CU_add_test(s, "JSON errors", test_json_errors);
	CU_add_test(s, "JSON nesting limit", test_json_depth);
	CU_add_test(s, "path parsing", test_path_parse);
	CU_add_test(s, "path errors", test_path_errors);
	CU_add_test(s, "intrinsic parsing", test_call_parse);
	CU_add_test(s, "checks", test_checks);
	CU_add_test(s, "valid definition", test_valid);

	s = CU_add_suite("codegen", NULL, NULL);
	CU_add_test(s, "C string literals", test_c_string);
	CU_add_test(s, "identifiers", test_idents);
	CU_add_test(s, "templates", test_template);
	CU_add_test(s, "model", test_model);
	CU_add_test(s, "JSONata lowering", test_jsonata_lowering);
	CU_add_test(s, "JSONata in a JSONPath machine", test_jsonata_mixed);

	s = CU_add_suite("runtime", NULL, NULL);
	CU_add_test(s, "JSONPath evaluation", test_path_eval);
	CU_add_test(s, "ResultPath", test_result_path);
	CU_add_test(s, "error matching", test_error_matching);
	CU_add_test(s, "function names", test_function_name);

	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures();
	unsigned tests_failed = CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed || tests_failed ? 1 : 0;
}
