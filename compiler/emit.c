/*
 * emit.c - writing the C program: the runtime's constant tables for every
 * path, template, intrinsic call, Retry, Catch and Choice rule, one function
 * per state holding its transitions, and the program table.
 *
 * Everything from the definition reaches the output through cgen.h's
 * helpers (c_string, c_comment, identifiers made by c_ident).
 */
#include "config.h"
#include "emit.h"
#include "cgen.h"
#include "model.h"
#include "templates.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Names of the runtime's enumerations, so the tables read as C. */
static const char *const seg_kinds[] = {
	"ASL_SEG_MEMBER", "ASL_SEG_INDEX", "ASL_SEG_WILDCARD", "ASL_SEG_SLICE",
	"ASL_SEG_NAMES", "ASL_SEG_INDEXES", "ASL_SEG_FILTER"
};
static const char *const roots[] = {
	"ASL_ROOT_INPUT", "ASL_ROOT_CONTEXT", "ASL_ROOT_VAR", "ASL_ROOT_CURRENT"
};
static const char *const expr_ops[] = {
	"ASL_X_OR", "ASL_X_AND", "ASL_X_NOT", "ASL_X_EQ", "ASL_X_NE",
	"ASL_X_LT", "ASL_X_LE", "ASL_X_GT", "ASL_X_GE", "ASL_X_MATCH",
	"ASL_X_IN", "ASL_X_NIN", "ASL_X_EXISTS", "ASL_X_PATH", "ASL_X_LIT"
};
static const char *const fn_names[] = {
	"ASL_FN_FORMAT", "ASL_FN_STRING_TO_JSON", "ASL_FN_JSON_TO_STRING",
	"ASL_FN_ARRAY", "ASL_FN_ARRAY_PARTITION", "ASL_FN_ARRAY_CONTAINS",
	"ASL_FN_ARRAY_RANGE", "ASL_FN_ARRAY_GET_ITEM", "ASL_FN_ARRAY_LENGTH",
	"ASL_FN_ARRAY_UNIQUE", "ASL_FN_BASE64_ENCODE", "ASL_FN_BASE64_DECODE",
	"ASL_FN_HASH", "ASL_FN_JSON_MERGE", "ASL_FN_MATH_RANDOM",
	"ASL_FN_MATH_ADD", "ASL_FN_STRING_SPLIT", "ASL_FN_UUID"
};
static const char *const rule_ops[] = {
	"ASL_R_AND", "ASL_R_OR", "ASL_R_NOT", "ASL_R_COMPARE", "ASL_R_MATCHES",
	"ASL_R_IS_NULL", "ASL_R_IS_PRESENT", "ASL_R_IS_NUMERIC",
	"ASL_R_IS_STRING", "ASL_R_IS_BOOLEAN", "ASL_R_IS_TIMESTAMP"
};
static const char *const cmp_types[] = {
	"ASL_T_STRING", "ASL_T_NUMERIC", "ASL_T_BOOLEAN", "ASL_T_TIMESTAMP"
};
static const char *const rels[] = {
	"ASL_EQ", "ASL_LT", "ASL_GT", "ASL_LE", "ASL_GE"
};

typedef struct emitter {
	model *m;
	strbuf data;   /* static tables */
	strbuf funcs;  /* state functions */
	strbuf lits;   /* literal texts */
	unsigned n_lits;
	unsigned counter;
	bool uses_context;  /* a path reads $$ */
} emitter;

/* ------------------------------------------------------------- literals */

static int lit_text(emitter *e, const char *json)
{
	sb_puts(&e->lits, "\t");
	c_cstr(&e->lits, json);
	sb_puts(&e->lits, ",\n");
	return (int)e->n_lits++;
}

static int lit_node(emitter *e, const jnode *v)
{
	char *t = jnode_dump(v);
	int i = lit_text(e, t);
	free(t);
	return i;
}

/* ---------------------------------------------------------------- paths */

static char *emit_expr(emitter *e, const ir_expr *x);

static char *emit_path(emitter *e, const ir_path *p)
{
	unsigned id = ++e->counter;

	if (p->root == ASL_ROOT_CONTEXT)
		e->uses_context = true;
	strbuf segs = SB_INIT;
	char *norm = ir_path_norm(p);

	for (unsigned i = 0; i < p->n_segs; i++) {
		const ir_seg *s = &p->segs[i];
		char *names = NULL, *indexes = NULL, *filter = NULL;
		if (s->kind == ASL_SEG_NAMES) {
			names = xasprintf("n%u_%u", id, i);
			sb_printf(&e->data, "static const char *const %s[] = {", names);
			for (unsigned k = 0; k < s->count; k++) {
				sb_puts(&e->data, k ? ", " : " ");
				c_cstr(&e->data, s->names[k]);
			}
			sb_puts(&e->data, " };\n");
		}
		if (s->kind == ASL_SEG_INDEXES) {
			indexes = xasprintf("i%u_%u", id, i);
			sb_printf(&e->data, "static const long long %s[] = {", indexes);
			for (unsigned k = 0; k < s->count; k++) {
				sb_puts(&e->data, k ? ", " : " ");
				c_llong(&e->data, s->indexes[k]);
			}
			sb_puts(&e->data, " };\n");
		}
		if (s->kind == ASL_SEG_FILTER)
			filter = emit_expr(e, s->filter);
		sb_printf(&segs, "\t{ .kind = %s", seg_kinds[s->kind]);
		if (s->deep)
			sb_puts(&segs, ", .deep = 1");
		if (s->name) {
			sb_puts(&segs, ", .name = ");
			c_cstr(&segs, s->name);
		}
		if (s->kind == ASL_SEG_INDEX || s->kind == ASL_SEG_SLICE) {
			sb_puts(&segs, ", .index = ");
			c_llong(&segs, s->index);
		}
		if (s->kind == ASL_SEG_SLICE) {
			sb_puts(&segs, ", .end = ");
			c_llong(&segs, s->end);
			sb_printf(&segs, ", .step = %lld, .has_start = %d, "
			          ".has_end = %d", s->step, s->has_start, s->has_end);
		}
		if (names)
			sb_printf(&segs, ", .names = %s, .count = %u", names, s->count);
		if (indexes)
			sb_printf(&segs, ", .indexes = %s, .count = %u", indexes,
			          s->count);
		if (filter)
			sb_printf(&segs, ", .filter = &%s", filter);
		sb_puts(&segs, " },\n");
		free(names);
		free(indexes);
		free(filter);
	}
	if (p->n_segs)
		sb_printf(&e->data, "static const asl_seg p%u_segs[] = {\n%s};\n",
		          id, segs.s);
	sb_printf(&e->data, "static const asl_path p%u = { .text = ", id);
	c_cstr(&e->data, p->text ? p->text : norm);
	sb_puts(&e->data, ", .norm = ");
	c_cstr(&e->data, norm);
	sb_printf(&e->data, ", .root = %s, .definite = %d", roots[p->root],
	          p->definite);
	if (p->var) {
		sb_puts(&e->data, ", .var = ");
		c_cstr(&e->data, p->var);
	}
	if (p->n_segs)
		sb_printf(&e->data, ", .segs = p%u_segs, .n_segs = %u", id,
		          p->n_segs);
	sb_puts(&e->data, " };\n");
	sb_free(&segs);
	free(norm);
	return xasprintf("p%u", id);
}

static char *emit_expr(emitter *e, const ir_expr *x)
{
	char *a = x->a ? emit_expr(e, x->a) : NULL;
	char *b = x->b ? emit_expr(e, x->b) : NULL;
	char *p = x->path ? emit_path(e, x->path) : NULL;
	int lit = x->lit ? lit_text(e, x->lit) : -1;
	unsigned id = ++e->counter;

	sb_printf(&e->data, "static const asl_expr x%u = { .op = %s", id,
	          expr_ops[x->op]);
	if (a)
		sb_printf(&e->data, ", .a = &%s", a);
	if (b)
		sb_printf(&e->data, ", .b = &%s", b);
	if (p)
		sb_printf(&e->data, ", .path = &%s", p);
	sb_printf(&e->data, ", .lit = %d", lit);
	if (x->regex) {
		sb_puts(&e->data, ", .regex = ");
		c_cstr(&e->data, x->regex);
		sb_printf(&e->data, ", .icase = %d", x->icase);
	}
	sb_puts(&e->data, " };\n");
	free(a);
	free(b);
	free(p);
	return xasprintf("x%u", id);
}

/* Parse a path field the checker accepted; NULL when absent. */
static char *path_field(emitter *e, const jnode *obj, const char *name,
                        bool *is_null)
{
	const jnode *v = jobject_get(obj, name);
	ir_parse p;
	char *n = NULL;

	if (is_null)
		*is_null = v && v->kind == J_NULL;
	if (!v || v->kind != J_STRING)
		return NULL;
	ir_parse_text(v->str, &p);
	/* "$" is the default of these fields: the runtime skips it.  Elsewhere
	 * (SecondsPath, a *Path operand, ...) "$" is a path like any other. */
	if (p.path && !(p.path->root == ASL_ROOT_INPUT && p.path->n_segs == 0 &&
	                (!strcmp(name, "InputPath") ||
	                 !strcmp(name, "OutputPath") ||
	                 !strcmp(name, "ResultPath") ||
	                 !strcmp(name, "ItemsPath") ||
	                 !strcmp(name, "Variable"))))
		n = emit_path(e, p.path);
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);
	return n;
}

/* ------------------------------------------------------------ templates */

static bool dynamic_key(const char *k)
{
	size_t n = strlen(k);
	return n >= 2 && !strcmp(k + n - 2, ".$");
}

static bool has_dynamic(const jnode *v)
{
	if (v->kind == J_ARRAY)
		for (size_t i = 0; i < v->n; i++)
			if (has_dynamic(v->items[i]))
				return true;
	if (v->kind == J_OBJECT)
		for (size_t i = 0; i < v->n; i++)
			if (dynamic_key(v->members[i].key) ||
			    has_dynamic(v->members[i].value))
				return true;
	return false;
}

static char *emit_call(emitter *e, const ir_call *c);

/* The initializer of an asl_value for an expression text (a "x.$" value). */
static char *expr_init(emitter *e, const char *text)
{
	ir_parse p;
	char *init = NULL, *n;

	ir_parse_text(text, &p);
	if (p.path) {
		n = emit_path(e, p.path);
		init = xasprintf("{ .kind = ASL_V_PATH, .path = &%s }", n);
		free(n);
	} else if (p.call) {
		n = emit_call(e, p.call);
		init = xasprintf("{ .kind = ASL_V_CALL, .call = &%s }", n);
		free(n);
	}
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);
	return init ? init : xstrdup("{ .kind = ASL_V_LIT, .lit = -1 }");
}

static char *emit_call(emitter *e, const ir_call *c)
{
	unsigned id = ++e->counter;
	strbuf args = SB_INIT;

	for (unsigned i = 0; i < c->n_args; i++) {
		const ir_arg *a = &c->args[i];
		char *n;
		if (a->kind == ASL_V_LIT) {
			/* States.Format keeps its template's escapes. */
			int l;
			if (i == 0 && c->fn == ASL_FN_FORMAT && a->raw) {
				strbuf j = SB_INIT;
				sb_putc(&j, '"');
				for (const char *r = a->raw; *r; r++) {
					if (*r == '"' || *r == '\\')
						sb_putc(&j, '\\');
					if ((unsigned char)*r < 0x20)
						sb_printf(&j, "u%04x", (unsigned char)*r);
					else
						sb_putc(&j, *r);
				}
				sb_putc(&j, '"');
				l = lit_text(e, j.s);
				sb_free(&j);
			} else {
				l = lit_text(e, a->lit);
			}
			sb_printf(&args, "\t{ .kind = ASL_V_LIT, .lit = %d },\n", l);
		} else if (a->kind == ASL_V_PATH) {
			n = emit_path(e, a->path);
			sb_printf(&args, "\t{ .kind = ASL_V_PATH, .path = &%s },\n", n);
			free(n);
		} else {
			n = emit_call(e, a->call);
			sb_printf(&args, "\t{ .kind = ASL_V_CALL, .call = &%s },\n", n);
			free(n);
		}
	}
	if (c->n_args)
		sb_printf(&e->data, "static const asl_value c%u_args[] = {\n%s};\n",
		          id, args.s);
	sb_printf(&e->data, "static const asl_call c%u = { .fn = %s, .text = ",
	          id, fn_names[c->fn]);
	c_cstr(&e->data, c->text);
	if (c->n_args)
		sb_printf(&e->data, ", .args = c%u_args, .n_args = %u", id,
		          c->n_args);
	sb_puts(&e->data, " };\n");
	sb_free(&args);
	return xasprintf("c%u", id);
}

static char *value_init(emitter *e, const jnode *v)
{
	unsigned id;
	strbuf items = SB_INIT;
	char *r;

	if (!has_dynamic(v))
		return xasprintf("{ .kind = ASL_V_LIT, .lit = %d }", lit_node(e, v));
	if (v->kind == J_ARRAY) {
		for (size_t i = 0; i < v->n; i++) {
			char *in = value_init(e, v->items[i]);
			sb_printf(&items, "\t%s,\n", in);
			free(in);
		}
		id = ++e->counter;
		sb_printf(&e->data, "static const asl_value v%u[] = {\n%s};\n", id,
		          items.s);
		r = xasprintf("{ .kind = ASL_V_ARRAY, .items = v%u, .count = %zu }",
		              id, v->n);
	} else {
		for (size_t i = 0; i < v->n; i++) {
			const jmember *mb = &v->members[i];
			bool dyn = dynamic_key(mb->key);
			char *in = dyn && mb->value->kind == J_STRING
			           ? expr_init(e, mb->value->str)
			           : value_init(e, mb->value);
			char *key = dyn ? xstrndup(mb->key, strlen(mb->key) - 2)
			                : xstrdup(mb->key);
			sb_puts(&items, "\t{ ");
			c_cstr(&items, key);
			sb_puts(&items, ", ");
			c_cstr(&items, mb->key);
			sb_printf(&items, ", %s },\n", in);
			free(in);
			free(key);
		}
		id = ++e->counter;
		sb_printf(&e->data, "static const asl_member v%u[] = {\n%s};\n", id,
		          items.s);
		r = xasprintf("{ .kind = ASL_V_OBJECT, .members = v%u, .count = "
		              "%zu }", id, v->n);
	}
	sb_free(&items);
	return r;
}

/* A template field as a static asl_value; its name, or NULL if absent. */
static char *template_field(emitter *e, const jnode *obj, const char *name)
{
	const jnode *v = jobject_get(obj, name);
	char *in;
	unsigned id;

	if (!v)
		return NULL;
	in = value_init(e, v);
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_value t%u = %s;\n", id, in);
	free(in);
	return xasprintf("t%u", id);
}

/* A "x.$"-style field holding one path or call (Fail's ErrorPath). */
static char *expr_field(emitter *e, const jnode *obj, const char *name)
{
	const jnode *v = jobject_get(obj, name);
	char *in;
	unsigned id;

	if (!v || v->kind != J_STRING)
		return NULL;
	in = expr_init(e, v->str);
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_value t%u = %s;\n", id, in);
	free(in);
	return xasprintf("t%u", id);
}

/* ------------------------------------------------------ Retry and Catch */

static char *errors_list(emitter *e, const jnode *c, unsigned *n)
{
	const jnode *l = jobject_get(c, "ErrorEquals");
	unsigned id = ++e->counter;

	*n = l ? (unsigned)l->n : 0;
	sb_printf(&e->data, "static const char *const e%u[] = {", id);
	for (unsigned i = 0; i < *n; i++) {
		sb_puts(&e->data, i ? ", " : " ");
		c_cstr(&e->data, l->items[i]->str);
	}
	sb_puts(&e->data, *n ? " };\n" : " NULL };\n");
	return xasprintf("e%u", id);
}

static const char *num(const jnode *o, const char *k, const char *dflt)
{
	const jnode *v = jobject_get(o, k);
	return v && v->kind == J_NUMBER ? v->str : dflt;
}

static char *emit_retry(emitter *e, const jnode *r)
{
	unsigned id;
	strbuf b = SB_INIT;

	for (size_t i = 0; i < r->n; i++) {
		const jnode *x = r->items[i], *j = jobject_get(x, "JitterStrategy");
		unsigned n;
		char *errs = errors_list(e, x, &n);
		sb_printf(&b, "\t{ .errors = %s, .n_errors = %u, .interval = %s, "
		          ".backoff = %s, .max_delay = %s, .max_attempts = %s, "
		          ".jitter_full = %d },\n", errs, n,
		          num(x, "IntervalSeconds", "1"), num(x, "BackoffRate", "2.0"),
		          num(x, "MaxDelaySeconds", "0"), num(x, "MaxAttempts", "3"),
		          j && j->kind == J_STRING && !strcmp(j->str, "FULL"));
		free(errs);
	}
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_retrier r%u[] = {\n%s};\n", id,
	          b.s);
	sb_free(&b);
	return xasprintf("r%u", id);
}

static char *emit_catch(emitter *e, const jnode *cs)
{
	unsigned id;
	strbuf b = SB_INIT;

	for (size_t i = 0; i < cs->n; i++) {
		const jnode *x = cs->items[i];
		unsigned n;
		bool rnull;
		char *errs = errors_list(e, x, &n);
		char *rp = path_field(e, x, "ResultPath", &rnull);
		char *as = template_field(e, x, "Assign");
		sb_printf(&b, "\t{ .errors = %s, .n_errors = %u", errs, n);
		if (rp)
			sb_printf(&b, ", .result_path = &%s", rp);
		if (rnull)
			sb_puts(&b, ", .result_null = 1");
		if (as)
			sb_printf(&b, ", .assign = &%s", as);
		sb_puts(&b, " },\n");
		free(errs);
		free(rp);
		free(as);
	}
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_catcher k%u[] = {\n%s};\n", id,
	          b.s);
	sb_free(&b);
	return xasprintf("k%u", id);
}

/* ---------------------------------------------------------------- Choice */

static const struct {
	const char *name;
	int op, type, rel, path;
} operators[] = {
	{ "StringEquals", ASL_R_COMPARE, ASL_T_STRING, ASL_EQ, 0 },
	{ "StringLessThan", ASL_R_COMPARE, ASL_T_STRING, ASL_LT, 0 },
	{ "StringGreaterThan", ASL_R_COMPARE, ASL_T_STRING, ASL_GT, 0 },
	{ "StringLessThanEquals", ASL_R_COMPARE, ASL_T_STRING, ASL_LE, 0 },
	{ "StringGreaterThanEquals", ASL_R_COMPARE, ASL_T_STRING, ASL_GE, 0 },
	{ "NumericEquals", ASL_R_COMPARE, ASL_T_NUMERIC, ASL_EQ, 0 },
	{ "NumericLessThan", ASL_R_COMPARE, ASL_T_NUMERIC, ASL_LT, 0 },
	{ "NumericGreaterThan", ASL_R_COMPARE, ASL_T_NUMERIC, ASL_GT, 0 },
	{ "NumericLessThanEquals", ASL_R_COMPARE, ASL_T_NUMERIC, ASL_LE, 0 },
	{ "NumericGreaterThanEquals", ASL_R_COMPARE, ASL_T_NUMERIC, ASL_GE, 0 },
	{ "BooleanEquals", ASL_R_COMPARE, ASL_T_BOOLEAN, ASL_EQ, 0 },
	{ "TimestampEquals", ASL_R_COMPARE, ASL_T_TIMESTAMP, ASL_EQ, 0 },
	{ "TimestampLessThan", ASL_R_COMPARE, ASL_T_TIMESTAMP, ASL_LT, 0 },
	{ "TimestampGreaterThan", ASL_R_COMPARE, ASL_T_TIMESTAMP, ASL_GT, 0 },
	{ "TimestampLessThanEquals", ASL_R_COMPARE, ASL_T_TIMESTAMP, ASL_LE, 0 },
	{ "TimestampGreaterThanEquals", ASL_R_COMPARE, ASL_T_TIMESTAMP, ASL_GE,
	  0 },
	{ "StringMatches", ASL_R_MATCHES, ASL_T_STRING, ASL_EQ, 0 },
	{ "IsNull", ASL_R_IS_NULL, 0, 0, 0 },
	{ "IsPresent", ASL_R_IS_PRESENT, 0, 0, 0 },
	{ "IsNumeric", ASL_R_IS_NUMERIC, 0, 0, 0 },
	{ "IsString", ASL_R_IS_STRING, 0, 0, 0 },
	{ "IsBoolean", ASL_R_IS_BOOLEAN, 0, 0, 0 },
	{ "IsTimestamp", ASL_R_IS_TIMESTAMP, 0, 0, 0 },
};

/* The operator of a data-test rule: its table row; *path set for the
 * "...Path" forms. */
int choice_operator(const char *key, bool *path);
int choice_operator(const char *key, bool *path)
{
	size_t n = strlen(key);
	*path = n > 4 && !strcmp(key + n - 4, "Path");
	for (size_t i = 0; i < sizeof operators / sizeof *operators; i++) {
		size_t l = strlen(operators[i].name);
		if (!strncmp(key, operators[i].name, l) &&
		    (key[l] == '\0' || (*path && !strcmp(key + l, "Path") &&
		                        operators[i].op == ASL_R_COMPARE)))
			return (int)i;
	}
	return -1;
}

static char *rule_init(emitter *e, const jnode *r, bool top);

static char *rules_array(emitter *e, const jnode *list, bool top)
{
	strbuf b = SB_INIT;
	unsigned id;

	for (size_t i = 0; i < list->n; i++) {
		char *in = rule_init(e, list->items[i], top);
		sb_printf(&b, "\t%s,\n", in);
		free(in);
	}
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_rule u%u[] = {\n%s};\n", id, b.s);
	sb_free(&b);
	return xasprintf("u%u", id);
}

static char *rule_init(emitter *e, const jnode *r, bool top)
{
	strbuf b = SB_INIT;
	const jnode *v;
	char *as = top ? template_field(e, r, "Assign") : NULL;

	if ((v = jobject_get(r, "And")) || (v = jobject_get(r, "Or"))) {
		char *sub = rules_array(e, v, false);
		sb_printf(&b, "{ .op = %s, .rules = %s, .n_rules = %zu, .lit = -1",
		          jobject_get(r, "And") ? "ASL_R_AND" : "ASL_R_OR", sub, v->n);
		free(sub);
	} else if ((v = jobject_get(r, "Not"))) {
		char *in = rule_init(e, v, false);
		unsigned id = ++e->counter;
		sb_printf(&e->data, "static const asl_rule u%u[] = { %s };\n", id,
		          in);
		sb_printf(&b, "{ .op = ASL_R_NOT, .rules = u%u, .n_rules = 1, "
		          ".lit = -1", id);
		free(in);
	} else {
		char *var = path_field(e, r, "Variable", NULL);
		const jnode *vn = jobject_get(r, "Variable");
		int op = -1;
		bool is_path = false;
		const jmember *opm = NULL;
		for (size_t i = 0; i < r->n && op < 0; i++) {
			op = choice_operator(r->members[i].key, &is_path);
			opm = &r->members[i];
		}
		if (!var && vn && vn->kind == J_STRING) /* "$": the input */
			var = NULL;
		if (op < 0) {
			sb_puts(&b, "{ .op = ASL_R_IS_PRESENT, .flag = 0, .lit = -1");
		} else {
			sb_printf(&b, "{ .op = %s, .type = %s, .rel = %s, .op_name = ",
			          rule_ops[operators[op].op],
			          cmp_types[operators[op].type],
			          rels[operators[op].rel]);
			c_cstr(&b, opm->key);
			if (operators[op].op >= ASL_R_IS_NULL) {
				sb_printf(&b, ", .flag = %d, .lit = -1",
				          opm->value->kind == J_TRUE);
			} else if (is_path) {
				char *p = path_field(e, r, opm->key, NULL);
				sb_puts(&b, ", .lit = -1");
				if (p)
					sb_printf(&b, ", .operand = &%s", p);
				free(p);
			} else {
				sb_printf(&b, ", .lit = %d", lit_node(e, opm->value));
			}
		}
		if (var)
			sb_printf(&b, ", .variable = &%s", var);
		free(var);
	}
	if (as)
		sb_printf(&b, ", .assign = &%s", as);
	sb_puts(&b, " }");
	free(as);
	return sb_steal(&b);
}

/* ---------------------------------------------------------------- states */

static void transition(strbuf *b, const model *m, int next)
{
	if (next >= 0)
		sb_printf(b, "S_%s", m->states[next].ident);
	else
		sb_puts(b, "ASL_END");
}

static long long int_field(const jnode *o, const char *k, long long dflt)
{
	const jnode *v = jobject_get(o, k);
	return v && v->kind == J_NUMBER ? strtoll(v->str, NULL, 10) : dflt;
}

/* A Distributed Map's fields: ProcessorConfig, Label, ItemReader,
 * ItemBatcher, ResultWriter (doc/distributed-map.md). */
static void emit_dmap(emitter *e, const jnode *o, strbuf *d)
{
	const jnode *it = jobject_get(o, "ItemProcessor"), *pc, *v, *rc;
	bool isnull;
	char *x;
	unsigned id;

	if (!it)
		it = jobject_get(o, "Iterator");
	pc = it ? jobject_get(it, "ProcessorConfig") : NULL;
	if ((v = pc ? jobject_get(pc, "Mode") : NULL) && v->kind == J_STRING &&
	    !strcmp(v->str, "DISTRIBUTED"))
		sb_puts(d, "\t.distributed = 1,\n");
	if ((v = pc ? jobject_get(pc, "ExecutionType") : NULL) &&
	    v->kind == J_STRING && !strcmp(v->str, "EXPRESS"))
		sb_puts(d, "\t.express = 1,\n");
	if ((v = jobject_get(o, "Label")) && v->kind == J_STRING) {
		sb_puts(d, "\t.label = ");
		c_cstr(d, v->str);
		sb_puts(d, ",\n");
	}

	if ((v = jobject_get(o, "ItemBatcher")) && v->kind == J_OBJECT) {
		sb_printf(d, "\t.batched = 1,\n\t.batch_max_items = %lld,\n"
		          "\t.batch_max_bytes = %lld,\n",
		          int_field(v, "MaxItemsPerBatch", 0),
		          int_field(v, "MaxInputBytesPerBatch", 0));
		if ((x = path_field(e, v, "MaxItemsPerBatchPath", &isnull)))
			sb_printf(d, "\t.batch_max_items_path = &%s,\n", x);
		free(x);
		if ((x = path_field(e, v, "MaxInputBytesPerBatchPath", &isnull)))
			sb_printf(d, "\t.batch_max_bytes_path = &%s,\n", x);
		free(x);
		if ((x = template_field(e, v, "BatchInput")))
			sb_printf(d, "\t.batch_input = &%s,\n", x);
		free(x);
	}

	if ((v = jobject_get(o, "ItemReader")) && v->kind == J_OBJECT) {
		static const char *const delims[][2] = {
			{ "COMMA", "','" }, { "PIPE", "'|'" }, { "SEMICOLON", "';'" },
			{ "SPACE", "' '" }, { "TAB", "'\\t'" }
		};
		static const char *const types[] = {
			"JSON", "JSONL", "CSV", "MANIFEST", "PARQUET"
		};
		const jnode *res = jobject_get(v, "Resource"), *f;
		strbuf r = SB_INIT;

		rc = jobject_get(v, "ReaderConfig");
		sb_printf(&r, "\t.resource = %s,\n",
		          res && res->kind == J_STRING &&
		          strstr(res->str, ":s3:listObjectsV2")
		          ? "ASL_READ_LIST_OBJECTS" : "ASL_READ_GET_OBJECT");
		if ((f = rc ? jobject_get(rc, "InputType") : NULL) &&
		    f->kind == J_STRING)
			for (size_t k = 0; k < 5; k++)
				if (!strcmp(f->str, types[k]))
					sb_printf(&r, "\t.input_type = ASL_INPUT_%s,\n",
					          types[k]);
		if ((f = rc ? jobject_get(rc, "CSVHeaderLocation") : NULL) &&
		    f->kind == J_STRING && !strcmp(f->str, "GIVEN"))
			sb_puts(&r, "\t.csv_given = 1,\n");
		if ((f = rc ? jobject_get(rc, "CSVDelimiter") : NULL) &&
		    f->kind == J_STRING)
			for (size_t k = 0; k < 5; k++)
				if (!strcmp(f->str, delims[k][0]))
					sb_printf(&r, "\t.csv_delimiter = %s,\n",
					          delims[k][1]);
		if ((f = rc ? jobject_get(rc, "CSVHeaders") : NULL) &&
		    f->kind == J_ARRAY) {
			id = ++e->counter;
			sb_printf(&e->data, "static const char *const h%u[] = {", id);
			for (size_t k = 0; k < f->n; k++) {
				sb_puts(&e->data, k ? ", " : " ");
				c_cstr(&e->data, f->items[k]->kind == J_STRING
				                 ? f->items[k]->str : "");
			}
			sb_puts(&e->data, f->n ? " };\n" : " NULL };\n");
			sb_printf(&r, "\t.csv_headers = h%u,\n\t.n_csv_headers = %zu,\n",
			          id, f->n);
		}
		if (rc) {
			sb_printf(&r, "\t.max_items = %lld,\n",
			          int_field(rc, "MaxItems", 0));
			if ((x = path_field(e, rc, "MaxItemsPath", &isnull)))
				sb_printf(&r, "\t.max_items_path = &%s,\n", x);
			free(x);
			if ((f = jobject_get(rc, "ItemsPointer")) &&
			    f->kind == J_STRING) {
				sb_puts(&r, "\t.items_pointer = ");
				c_cstr(&r, f->str);
				sb_puts(&r, ",\n");
			}
			if ((f = jobject_get(rc, "ManifestType")) &&
			    f->kind == J_STRING) {
				sb_puts(&r, "\t.manifest_type = ");
				c_cstr(&r, f->str);
				sb_puts(&r, ",\n");
			}
		}
		if ((x = template_field(e, v, "Parameters")) ||
		    (x = template_field(e, v, "Arguments")))
			sb_printf(&r, "\t.parameters = &%s,\n", x);
		free(x);
		id = ++e->counter;
		sb_printf(&e->data, "static const asl_item_reader r%u = {\n%s};\n",
		          id, r.s);
		sb_printf(d, "\t.item_reader = &r%u,\n", id);
		sb_free(&r);
	}

	if ((v = jobject_get(o, "ResultWriter")) && v->kind == J_OBJECT) {
		strbuf w = SB_INIT;
		const jnode *wc = jobject_get(v, "WriterConfig"), *f;

		if ((x = template_field(e, v, "Parameters")) ||
		    (x = template_field(e, v, "Arguments")))
			sb_printf(&w, "\t.parameters = &%s,\n", x);
		free(x);
		if ((f = wc ? jobject_get(wc, "OutputType") : NULL) &&
		    f->kind == J_STRING && !strcmp(f->str, "JSONL"))
			sb_puts(&w, "\t.jsonl = 1,\n");
		if ((f = wc ? jobject_get(wc, "Transformation") : NULL) &&
		    f->kind == J_STRING)
			sb_printf(&w, "\t.transformation = %s,\n",
			          !strcmp(f->str, "COMPACT") ? "ASL_TRANSFORM_COMPACT"
			          : !strcmp(f->str, "FLATTEN") ? "ASL_TRANSFORM_FLATTEN"
			          : "ASL_TRANSFORM_NONE");
		id = ++e->counter;
		sb_printf(&e->data, "static const asl_result_writer w%u = {\n%s};\n",
		          id, w.s ? w.s : "\t.jsonl = 0,\n");
		sb_printf(d, "\t.result_writer = &w%u,\n", id);
		sb_free(&w);
	}
}

static void emit_state(emitter *e, size_t i)
{
	model *m = e->m;
	const mstate *s = &m->states[i];
	const jnode *o = s->node, *v;
	strbuf d = SB_INIT, body = SB_INIT, cm = SB_INIT;
	char *x;
	bool isnull;
	static const char *const exec[] = {
		[ASL_TASK] = "asl_task", [ASL_PASS] = "asl_pass",
		[ASL_CHOICE] = "asl_choice", [ASL_WAIT] = "asl_wait",
		[ASL_SUCCEED] = "asl_succeed", [ASL_FAIL] = "asl_fail_state",
		[ASL_PARALLEL] = "asl_parallel", [ASL_MAP] = "asl_map",
	};

	sb_puts(&d, "\t.name = ");
	c_cstr(&d, s->name);
	sb_printf(&d, ",\n\t.type = ASL_%s,\n", s->type == ASL_FAIL ? "FAIL"
	          : s->type == ASL_TASK ? "TASK" : s->type == ASL_PASS ? "PASS"
	          : s->type == ASL_CHOICE ? "CHOICE" : s->type == ASL_WAIT ? "WAIT"
	          : s->type == ASL_SUCCEED ? "SUCCEED"
	          : s->type == ASL_PARALLEL ? "PARALLEL" : "MAP");

#define PATH(field, member, nullmember)                                    \
	do {                                                               \
		x = path_field(e, o, field, &isnull);                      \
		if (x)                                                     \
			sb_printf(&d, "\t." member " = &%s,\n", x);        \
		if (isnull && nullmember)                                  \
			sb_printf(&d, "\t.%s = 1,\n", (const char *)nullmember); \
		free(x);                                                   \
	} while (0)
#define TEMPLATE(field, member)                                            \
	do {                                                               \
		if ((x = template_field(e, o, field)))                     \
			sb_printf(&d, "\t." member " = &%s,\n", x);        \
		free(x);                                                   \
	} while (0)

	PATH("InputPath", "input_path", "input_null");
	PATH("OutputPath", "output_path", "output_null");
	PATH("ResultPath", "result_path", "result_null");
	if (s->type == ASL_MAP && jobject_get(o, "ItemSelector"))
		TEMPLATE("ItemSelector", "parameters");
	else
		TEMPLATE("Parameters", "parameters");
	TEMPLATE("ResultSelector", "result_selector");
	if (s->type != ASL_CHOICE)
		TEMPLATE("Assign", "assign");
	if (s->type == ASL_PASS && (v = jobject_get(o, "Result")))
		sb_printf(&d, "\t.result = %d,\n", lit_node(e, v));
	else
		sb_puts(&d, "\t.result = -1,\n");
	if ((v = jobject_get(o, "Retry")) && v->n) {
		x = emit_retry(e, v);
		sb_printf(&d, "\t.retry = %s,\n\t.n_retry = %zu,\n", x, v->n);
		free(x);
	}
	if ((v = jobject_get(o, "Catch")) && v->n) {
		x = emit_catch(e, v);
		sb_printf(&d, "\t.catchers = %s,\n\t.n_catch = %zu,\n", x, v->n);
		free(x);
	}

	switch (s->type) {
	case ASL_TASK: {
		const char *res = jobject_get(o, "Resource")->str;
		sb_puts(&d, "\t.resource = ");
		c_cstr(&d, res);
		sb_puts(&d, ",\n");
		if (!strncmp(res, "arn:aws:states:::lambda:invoke", 30)) {
			sb_puts(&d, "\t.resource_kind = ASL_RES_LAMBDA_INVOKE,\n");
		} else if (!strncmp(res, "arn:aws:lambda:", 15) &&
		           strstr(res, ":function:")) {
			sb_puts(&d, "\t.resource_kind = ASL_RES_LAMBDA_ARN,\n"
			            "\t.function = ");
			c_cstr(&d, res);
			sb_puts(&d, ",\n");
		} else {
			sb_puts(&d, "\t.resource_kind = ASL_RES_OTHER,\n");
		}
		sb_printf(&d, "\t.timeout_seconds = %lld,\n",
		          int_field(o, "TimeoutSeconds", 0));
		PATH("TimeoutSecondsPath", "timeout_path", NULL);
		sb_printf(&d, "\t.heartbeat_seconds = %lld,\n",
		          int_field(o, "HeartbeatSeconds", 0));
		PATH("HeartbeatSecondsPath", "heartbeat_path", NULL);
		break;
	}
	case ASL_MAP: {
		const jnode *it = jobject_get(o, "ItemProcessor");
		int sc;
		if (!it)
			it = jobject_get(o, "Iterator");
		for (sc = 0; sc < (int)m->n_scopes; sc++)
			if (m->scopes[sc].node == it)
				break;
		PATH("ItemsPath", "items_path", NULL);
		sb_printf(&d, "\t.processor = S_%s,\n",
		          m->states[m->scopes[sc].start].ident);
		sb_printf(&d, "\t.max_concurrency = %lld,\n",
		          int_field(o, "MaxConcurrency", 0));
		PATH("MaxConcurrencyPath", "max_concurrency_path", NULL);
		v = jobject_get(o, "ToleratedFailurePercentage");
		sb_printf(&d, "\t.tolerated_percentage = %s,\n",
		          v && v->kind == J_NUMBER ? v->str : "-1");
		PATH("ToleratedFailurePercentagePath", "tolerated_percentage_path",
		     NULL);
		sb_printf(&d, "\t.tolerated_count = %lld,\n",
		          int_field(o, "ToleratedFailureCount", -1));
		PATH("ToleratedFailureCountPath", "tolerated_count_path", NULL);
		emit_dmap(e, o, &d);
		break;
	}
	case ASL_PARALLEL: {
		const jnode *br = jobject_get(o, "Branches");
		unsigned id = ++e->counter;
		bool instant = true;
		sb_printf(&e->data, "static const int b%u[] = {", id);
		for (size_t k = 0; k < br->n; k++)
			for (size_t sc = 0; sc < m->n_scopes; sc++)
				if (m->scopes[sc].node == br->items[k]) {
					sb_printf(&e->data, "%s S_%s", k ? "," : "",
					          m->states[m->scopes[sc].start].ident);
					instant = instant &&
					          model_scope_instant(m, (int)sc);
				}
		sb_puts(&e->data, " };\n");
		sb_printf(&d, "\t.branches = b%u,\n\t.n_branches = %zu,\n", id,
		          br->n);
		if (instant)
			sb_puts(&d, "\t.instant = 1,\n");
		break;
	}
	case ASL_CHOICE: {
		const jnode *ch = jobject_get(o, "Choices");
		x = rules_array(e, ch, true);
		sb_printf(&d, "\t.rules = %s,\n\t.n_rules = %zu,\n", x, ch->n);
		free(x);
		if (jobject_get(o, "Default"))
			sb_puts(&d, "\t.has_default = 1,\n");
		TEMPLATE("Assign", "assign");
		break;
	}
	case ASL_WAIT:
		sb_printf(&d, "\t.seconds = %lld,\n", int_field(o, "Seconds", -1));
		PATH("SecondsPath", "seconds_path", NULL);
		PATH("TimestampPath", "timestamp_path", NULL);
		if ((v = jobject_get(o, "Timestamp")) && v->kind == J_STRING) {
			sb_puts(&d, "\t.timestamp = ");
			c_cstr(&d, v->str);
			sb_puts(&d, ",\n");
		}
		break;
	case ASL_FAIL:
		if ((v = jobject_get(o, "Error")) && v->kind == J_STRING) {
			sb_puts(&d, "\t.error = ");
			c_cstr(&d, v->str);
			sb_puts(&d, ",\n");
		}
		if ((v = jobject_get(o, "Cause")) && v->kind == J_STRING) {
			sb_puts(&d, "\t.cause = ");
			c_cstr(&d, v->str);
			sb_puts(&d, ",\n");
		}
		if ((x = expr_field(e, o, "ErrorPath")))
			sb_printf(&d, "\t.error_path = &%s,\n", x);
		free(x);
		if ((x = expr_field(e, o, "CausePath")))
			sb_printf(&d, "\t.cause_path = &%s,\n", x);
		free(x);
		break;
	default:
		break;
	}
	if (s->type != ASL_WAIT)
		sb_puts(&d, "\t.seconds = -1,\n");
	if (s->type != ASL_MAP)
		sb_puts(&d, "\t.tolerated_percentage = -1,\n"
		            "\t.tolerated_count = -1,\n");
#undef PATH
#undef TEMPLATE

	sb_printf(&e->data, "static const asl_state d_%s = {\n%s};\n\n",
	          s->ident, d.s);

	/* The function: run the state, then its transitions. */
	switch (s->type) {
	case ASL_TASK: case ASL_MAP: case ASL_PARALLEL:
		sb_printf(&body, "\tint rc = %s(c, &d_%s, io);\n\n"
		          "\tif (rc == ASL_OK)\n\t\treturn ", exec[s->type], s->ident);
		transition(&body, m, s->next);
		sb_puts(&body, ";\n");
		if ((v = jobject_get(o, "Catch")))
			for (size_t k = 0; k < v->n; k++) {
				const jnode *nx = jobject_get(v->items[k], "Next");
				sb_printf(&body, "\tif (rc == ASL_CATCH(%zu))\n\t\treturn ",
				          k);
				transition(&body, m, model_find(m, nx->str));
				sb_puts(&body, ";\n");
			}
		sb_puts(&body, "\treturn ASL_FAILED;\n");
		break;
	case ASL_PASS: case ASL_WAIT: case ASL_SUCCEED:
		sb_printf(&body, "\tif (%s(c, &d_%s, io) != ASL_OK)\n"
		          "\t\treturn ASL_FAILED;\n\treturn ", exec[s->type],
		          s->ident);
		transition(&body, m, s->type == ASL_SUCCEED ? -1 : s->next);
		sb_puts(&body, ";\n");
		break;
	case ASL_FAIL:
		sb_printf(&body, "\t%s(c, &d_%s, io);\n\treturn ASL_FAILED;\n",
		          exec[s->type], s->ident);
		break;
	case ASL_CHOICE: {
		const jnode *ch = jobject_get(o, "Choices"),
		            *df = jobject_get(o, "Default");
		sb_printf(&body, "\tswitch (asl_choice(c, &d_%s, io)) {\n",
		          s->ident);
		for (size_t k = 0; k < ch->n; k++) {
			const jnode *nx = jobject_get(ch->items[k], "Next");
			sb_printf(&body, "\tcase %zu:\n\t\treturn ", k);
			transition(&body, m, model_find(m, nx->str));
			sb_puts(&body, ";\n");
		}
		if (df) {
			sb_printf(&body, "\tcase %zu: /* Default */\n\t\treturn ", ch->n);
			transition(&body, m, model_find(m, df->str));
			sb_puts(&body, ";\n");
		}
		sb_puts(&body, "\tdefault:\n\t\treturn ASL_FAILED;\n\t}\n");
		break;
	}
	}

	c_comment(&cm, s->name);
	const char *vars[] = {
		"type", state_type_name(s->type), "comment", cm.s, "id", s->ident,
		"body", body.s, NULL
	};
	tpl_render(&e->funcs, tpl_state, vars);
	sb_free(&d);
	sb_free(&body);
	sb_free(&cm);
}

/* ------------------------------------------------------------- program */

char *emit_program(model *m, const emit_options *opt)
{
	emitter e;
	strbuf out = SB_INIT, en = SB_INIT, pro = SB_INIT, fns = SB_INIT,
	       descs = SB_INIT, name = SB_INIT, src = SB_INIT, cname = SB_INIT;
	char nstates[32], nlits[32], abi[16], timeout[32], *start, *ver;
	const jnode *t = jobject_get(m->root, "TimeoutSeconds");

	memset(&e, 0, sizeof e);
	e.m = m;
	for (size_t i = 0; i < m->n_states; i++) {
		sb_printf(&en, "\tS_%s = %zu,\n", m->states[i].ident, i);
		sb_printf(&pro, "static int st_%s(asl_ctx *c, json_t **io);\n",
		          m->states[i].ident);
		sb_printf(&fns, "\tst_%s,\n", m->states[i].ident);
		sb_printf(&descs, "\t&d_%s,\n", m->states[i].ident);
	}
	sb_puts(&e.data, "\n");
	for (size_t i = 0; i < m->n_states; i++)
		emit_state(&e, i);
	if (!e.n_lits)
		sb_puts(&e.lits, "\tNULL,\n");

	snprintf(nstates, sizeof nstates, "%zu", m->n_states);
	snprintf(nlits, sizeof nlits, "%u", e.n_lits);
	snprintf(abi, sizeof abi, "%d", ASL2C_ABI);
	snprintf(timeout, sizeof timeout, "%s",
	         t && t->kind == J_NUMBER ? t->str : "0");
	start = xasprintf("S_%s", m->states[m->scopes[0].start].ident);
	ver = opt->no_version ? xstrdup("") : xasprintf(" %s", PACKAGE_VERSION);
	c_cstr(&name, m->name);
	c_comment(&src, opt->source);
	c_comment(&cname, m->name); /* the header names it in a comment */

	const char *hv[] = {
		"version", ver, "source", src.s, "name", cname.s,
		"n_states", nstates, "abi", abi, "enum", en.s,
		"prototypes", pro.s, NULL
	};
	tpl_render(&out, tpl_header, hv);
	sb_puts(&out, e.data.s);
	sb_puts(&out, e.funcs.s);
	const char *pv[] = {
		"literals", e.lits.s, "functions", fns.s, "descs", descs.s,
		"name", name.s, "n_literals", nlits, "n_states", nstates,
		"start", start, "timeout", timeout,
		"context_unused", e.uses_context ? "0" : "1", NULL
	};
	tpl_render(&out, tpl_program, pv);

	free(start);
	free(ver);
	sb_free(&e.data);
	sb_free(&e.funcs);
	sb_free(&e.lits);
	sb_free(&en);
	sb_free(&pro);
	sb_free(&fns);
	sb_free(&descs);
	sb_free(&name);
	sb_free(&src);
	sb_free(&cname);
	return sb_steal(&out);
}
