/*
 * emit.c - writing the C program: it prints what the lowering (lower.h)
 * built, the runtime's constant tables for every path, template,
 * intrinsic call, Retry, Catch and Choice rule, then one function per
 * state holding its transitions, and the program table.
 *
 * Everything from the definition reaches the output through cgen.h's
 * helpers (c_string, c_comment, identifiers made by c_ident).
 */
#include "config.h"
#include "emit.h"
#include "cgen.h"
#include "lower.h"
#include "model.h"
#include "keywords.h"
#include "templates.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Names of the runtime's enumerations, so the tables read as C: made from
 * the lists program.h makes the enumerations from (asl2c/lists.h). */
#define NAME_(prefix, n) "ASL_" prefix #n,
#define SEG_(n) NAME_("SEG_", n)
#define ROOT_(n) NAME_("ROOT_", n)
#define X_(n) NAME_("X_", n)
#define FN_(n, name, min, max) NAME_("FN_", n)
#define R_(n) NAME_("R_", n)
#define T_(n) NAME_("T_", n)
#define REL_(n) NAME_("", n)
#define TYPE_(n, name, exec) NAME_("", n)
#define EXEC_(n, name, exec) #exec,
#define RES_(n) NAME_("RES_", n)
#define READ_(n, action) NAME_("READ_", n)
#define INPUT_(n) NAME_("INPUT_", n)
#define TRANSFORM_(n) NAME_("TRANSFORM_", n)
static const char *const seg_kinds[] = { ASL_SEG_KINDS(SEG_) };
static const char *const roots[] = { ASL_ROOTS(ROOT_) };
static const char *const expr_ops[] = { ASL_EXPR_OPS(X_) };
static const char *const fn_names[] = { ASL_FNS(FN_) };
static const char *const rule_ops[] = { ASL_RULE_OPS(R_) };
static const char *const cmp_types[] = { ASL_CMP_TYPES(T_) };
static const char *const rels[] = { ASL_RELS(REL_) };
static const char *const type_enums[] = { ASL_STATE_TYPES(TYPE_) };
static const char *const executors[] = { ASL_STATE_TYPES(EXEC_) };
static const char *const resource_kinds[] = { ASL_RESOURCE_KINDS(RES_) };
static const char *const reader_resources[] = {
	ASL_READER_RESOURCES(READ_)
};
static const char *const input_types[] = { ASL_INPUT_TYPES(INPUT_) };
static const char *const transformations[] = {
	ASL_TRANSFORMATIONS(TRANSFORM_)
};
#undef NAME_
#undef SEG_
#undef ROOT_
#undef X_
#undef FN_
#undef R_
#undef T_
#undef REL_
#undef TYPE_
#undef EXEC_
#undef RES_
#undef READ_
#undef INPUT_
#undef TRANSFORM_

typedef struct emitter {
	const model *m;
	strbuf data;   /* static tables */
	strbuf funcs;  /* state functions */
	unsigned counter;
	bool uses_context;  /* a path reads $$ */
} emitter;

/* ---------------------------------------------------------------- paths */

static char *print_expr(emitter *e, const asl_expr *x);

/* The tables a segment needs (names, indexes, a filter), then its row. */
static void print_seg(emitter *e, strbuf *segs, unsigned id, unsigned i,
                      const asl_seg *s)
{
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
		filter = print_expr(e, s->filter);
	sb_printf(segs, "\t{ .kind = %s", seg_kinds[s->kind]);
	if (s->deep)
		sb_puts(segs, ", .deep = 1");
	if (s->name) {
		sb_puts(segs, ", .name = ");
		c_cstr(segs, s->name);
	}
	if (s->kind == ASL_SEG_INDEX || s->kind == ASL_SEG_SLICE) {
		sb_puts(segs, ", .index = ");
		c_llong(segs, s->index);
	}
	if (s->kind == ASL_SEG_SLICE) {
		sb_puts(segs, ", .end = ");
		c_llong(segs, s->end);
		sb_printf(segs, ", .step = %lld, .has_start = %d, .has_end = %d",
		          s->step, s->has_start, s->has_end);
	}
	if (names)
		sb_printf(segs, ", .names = %s, .count = %u", names, s->count);
	if (indexes)
		sb_printf(segs, ", .indexes = %s, .count = %u", indexes, s->count);
	if (filter)
		sb_printf(segs, ", .filter = &%s", filter);
	sb_puts(segs, " },\n");
	free(names);
	free(indexes);
	free(filter);
}

static char *print_path(emitter *e, const asl_path *p)
{
	unsigned id = ++e->counter;
	strbuf segs = SB_INIT;

	if (p->root == ASL_ROOT_CONTEXT)
		e->uses_context = true;
	for (unsigned i = 0; i < p->n_segs; i++)
		print_seg(e, &segs, id, i, &p->segs[i]);
	if (p->n_segs)
		sb_printf(&e->data, "static const asl_seg p%u_segs[] = {\n%s};\n",
		          id, segs.s);
	sb_printf(&e->data, "static const asl_path p%u = { .text = ", id);
	c_cstr(&e->data, p->text);
	sb_puts(&e->data, ", .norm = ");
	c_cstr(&e->data, p->norm);
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
	return xasprintf("p%u", id);
}

static char *print_expr(emitter *e, const asl_expr *x)
{
	char *a = x->a ? print_expr(e, x->a) : NULL;
	char *b = x->b ? print_expr(e, x->b) : NULL;
	char *p = x->path ? print_path(e, x->path) : NULL;
	unsigned id = ++e->counter;

	sb_printf(&e->data, "static const asl_expr x%u = { .op = %s", id,
	          expr_ops[x->op]);
	if (a)
		sb_printf(&e->data, ", .a = &%s", a);
	if (b)
		sb_printf(&e->data, ", .b = &%s", b);
	if (p)
		sb_printf(&e->data, ", .path = &%s", p);
	sb_printf(&e->data, ", .lit = %d", x->lit);
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

/* A path field: "\t.member = &pN,\n" when there is one. */
static void print_path_field(emitter *e, strbuf *d, const char *member,
                             const asl_path *p)
{
	char *x;

	if (!p)
		return;
	x = print_path(e, p);
	sb_printf(d, "\t.%s = &%s,\n", member, x);
	free(x);
}

/* ------------------------------------------------------------ templates */

static char *value_init(emitter *e, const asl_value *v);

static char *print_call(emitter *e, const asl_call *c)
{
	unsigned id = ++e->counter;
	strbuf args = SB_INIT;

	for (unsigned i = 0; i < c->n_args; i++) {
		char *in = value_init(e, &c->args[i]);
		sb_printf(&args, "\t%s,\n", in);
		free(in);
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

/* The initializer of an array or object value: its items first. */
static char *compound_init(emitter *e, const asl_value *v)
{
	strbuf items = SB_INIT;
	unsigned id;
	char *r;

	for (unsigned i = 0; i < v->count; i++) {
		const asl_member *mb = v->kind == ASL_V_OBJECT ? &v->members[i]
		                                               : NULL;
		char *in = value_init(e, mb ? &mb->value : &v->items[i]);
		sb_puts(&items, "\t");
		if (mb) {
			sb_puts(&items, "{ ");
			c_cstr(&items, mb->key);
			sb_puts(&items, ", ");
			c_cstr(&items, mb->field);
			sb_printf(&items, ", %s }", in);
		} else {
			sb_puts(&items, in);
		}
		sb_puts(&items, ",\n");
		free(in);
	}
	id = ++e->counter;
	if (v->kind == ASL_V_ARRAY) {
		sb_printf(&e->data, "static const asl_value v%u[] = {\n%s};\n", id,
		          items.s);
		r = xasprintf("{ .kind = ASL_V_ARRAY, .items = v%u, .count = %u }",
		              id, v->count);
	} else {
		sb_printf(&e->data, "static const asl_member v%u[] = {\n%s};\n", id,
		          items.s);
		r = xasprintf("{ .kind = ASL_V_OBJECT, .members = v%u, .count = "
		              "%u }", id, v->count);
	}
	sb_free(&items);
	return r;
}

static char *value_init(emitter *e, const asl_value *v)
{
	char *n, *r;

	switch (v->kind) {
	case ASL_V_PATH:
		n = print_path(e, v->path);
		r = xasprintf("{ .kind = ASL_V_PATH, .path = &%s }", n);
		free(n);
		return r;
	case ASL_V_CALL:
		n = print_call(e, v->call);
		r = xasprintf("{ .kind = ASL_V_CALL, .call = &%s }", n);
		free(n);
		return r;
	case ASL_V_OBJECT:
	case ASL_V_ARRAY:
		return compound_init(e, v);
	case ASL_V_JSONATA:
		return xasprintf("{ .kind = ASL_V_JSONATA, .lit = %d }", v->lit);
	default:
		return xasprintf("{ .kind = ASL_V_LIT, .lit = %d }", v->lit);
	}
}

/* A template as a static asl_value: its name tN (malloc'd). */
static char *template_name(emitter *e, const asl_value *v)
{
	char *in = value_init(e, v);
	unsigned id = ++e->counter;

	sb_printf(&e->data, "static const asl_value t%u = %s;\n", id, in);
	free(in);
	return xasprintf("t%u", id);
}

/* A template field: "\t.member = &tN,\n" when there is one. */
static void print_template(emitter *e, strbuf *d, const char *member,
                           const asl_value *v)
{
	char *t;

	if (!v)
		return;
	t = template_name(e, v);
	sb_printf(d, "\t.%s = &%s,\n", member, t);
	free(t);
}

/* ------------------------------------------------------ Retry and Catch */

static char *errors_list(emitter *e, const char *const *errors, unsigned n)
{
	unsigned id = ++e->counter;

	sb_printf(&e->data, "static const char *const e%u[] = {", id);
	for (unsigned i = 0; i < n; i++) {
		sb_puts(&e->data, i ? ", " : " ");
		c_cstr(&e->data, errors[i]);
	}
	sb_puts(&e->data, n ? " };\n" : " NULL };\n");
	return xasprintf("e%u", id);
}

static void print_retry(emitter *e, strbuf *d, const lw_state *s)
{
	strbuf b = SB_INIT;
	unsigned id;

	for (unsigned i = 0; i < s->d.n_retry; i++) {
		const asl_retrier *r = &s->d.retry[i];
		const char *const *t = s->retry_text[i];
		char *errs = errors_list(e, r->errors, r->n_errors);
		sb_printf(&b, "\t{ .errors = %s, .n_errors = %u, .interval = %s, "
		          ".backoff = %s, .max_delay = %s, .max_attempts = %s, "
		          ".jitter_full = %d },\n", errs, r->n_errors, t[0], t[1],
		          t[2], t[3], r->jitter_full);
		free(errs);
	}
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_retrier r%u[] = {\n%s};\n", id,
	          b.s);
	sb_printf(d, "\t.retry = r%u,\n\t.n_retry = %u,\n", id, s->d.n_retry);
	sb_free(&b);
}

static void print_catch(emitter *e, strbuf *d, const asl_state *s)
{
	strbuf b = SB_INIT;
	unsigned id;

	for (unsigned i = 0; i < s->n_catch; i++) {
		const asl_catcher *k = &s->catchers[i];
		char *errs = errors_list(e, k->errors, k->n_errors);
		char *rp = k->result_path ? print_path(e, k->result_path) : NULL;
		char *as = k->assign ? template_name(e, k->assign) : NULL;
		char *out = k->output ? template_name(e, k->output) : NULL;
		sb_printf(&b, "\t{ .errors = %s, .n_errors = %u", errs, k->n_errors);
		if (rp)
			sb_printf(&b, ", .result_path = &%s", rp);
		if (k->result_null)
			sb_puts(&b, ", .result_null = 1");
		if (as)
			sb_printf(&b, ", .assign = &%s", as);
		if (out)
			sb_printf(&b, ", .output = &%s", out);
		free(rp);
		free(as);
		free(out);
		sb_puts(&b, " },\n");
		free(errs);
	}
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_catcher k%u[] = {\n%s};\n", id,
	          b.s);
	sb_printf(d, "\t.catchers = k%u,\n\t.n_catch = %u,\n", id, s->n_catch);
	sb_free(&b);
}

/* ---------------------------------------------------------------- Choice */

static char *rule_init(emitter *e, const asl_rule *r);

static char *rules_array(emitter *e, const asl_rule *rs, unsigned n)
{
	strbuf b = SB_INIT;
	unsigned id;

	for (unsigned i = 0; i < n; i++) {
		char *in = rule_init(e, &rs[i]);
		sb_printf(&b, "\t%s,\n", in);
		free(in);
	}
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_rule u%u[] = {\n%s};\n", id, b.s);
	sb_free(&b);
	return xasprintf("u%u", id);
}

/* A data-test rule: its operator and operand. */
static void test_init(emitter *e, strbuf *b, const asl_rule *r)
{
	char *var = r->variable ? print_path(e, r->variable) : NULL;

	if (!r->op_name) {
		sb_puts(b, "{ .op = ASL_R_IS_PRESENT, .flag = 0, .lit = -1");
	} else {
		sb_printf(b, "{ .op = %s, .type = %s, .rel = %s, .op_name = ",
		          rule_ops[r->op], cmp_types[r->type], rels[r->rel]);
		c_cstr(b, r->op_name);
		if (r->op >= ASL_R_IS_NULL) {
			sb_printf(b, ", .flag = %d, .lit = -1", r->flag);
		} else if (r->lit < 0) {
			sb_puts(b, ", .lit = -1");
			if (r->operand) {
				char *p = print_path(e, r->operand);
				sb_printf(b, ", .operand = &%s", p);
				free(p);
			}
		} else {
			sb_printf(b, ", .lit = %d", r->lit);
		}
	}
	if (var)
		sb_printf(b, ", .variable = &%s", var);
	free(var);
}

/* A JSONata rule: Condition and Output (Assign: rule_init's). */
static void ata_rule_init(emitter *e, strbuf *b, const asl_rule *r)
{
	char *cond = template_name(e, r->condition);
	char *out = r->output ? template_name(e, r->output) : NULL;

	sb_printf(b, "{ .condition = &%s", cond);
	if (out)
		sb_printf(b, ", .output = &%s", out);
	sb_puts(b, ", .lit = -1");
	free(cond);
	free(out);
}

static char *rule_init(emitter *e, const asl_rule *r)
{
	strbuf b = SB_INIT;
	char *as = r->assign ? template_name(e, r->assign) : NULL;

	if (r->condition) {
		ata_rule_init(e, &b, r);
	} else if (r->op == ASL_R_AND || r->op == ASL_R_OR) {
		char *sub = rules_array(e, r->rules, r->n_rules);
		sb_printf(&b, "{ .op = %s, .rules = %s, .n_rules = %u, .lit = -1",
		          rule_ops[r->op], sub, r->n_rules);
		free(sub);
	} else if (r->op == ASL_R_NOT) {
		char *in = rule_init(e, r->rules);
		unsigned id = ++e->counter;
		sb_printf(&e->data, "static const asl_rule u%u[] = { %s };\n", id,
		          in);
		sb_printf(&b, "{ .op = ASL_R_NOT, .rules = u%u, .n_rules = 1, "
		          ".lit = -1", id);
		free(in);
	} else {
		test_init(e, &b, r);
	}
	if (as)
		sb_printf(&b, ", .assign = &%s", as);
	sb_puts(&b, " }");
	free(as);
	return sb_steal(&b);
}

/* ---------------------------------------------------------------- states */

static void print_string(strbuf *d, const char *member, const char *s)
{
	if (!s)
		return;
	sb_printf(d, "\t.%s = ", member);
	c_cstr(d, s);
	sb_puts(d, ",\n");
}

static void print_task(emitter *e, strbuf *d, const asl_state *s)
{
	print_string(d, "resource", s->resource);
	sb_printf(d, "\t.resource_kind = %s,\n",
	          resource_kinds[s->resource_kind]);
	print_string(d, "function", s->function);
	sb_printf(d, "\t.timeout_seconds = %ld,\n", s->timeout_seconds);
	print_path_field(e, d, "timeout_path", s->timeout_path);
	sb_printf(d, "\t.heartbeat_seconds = %ld,\n", s->heartbeat_seconds);
	print_path_field(e, d, "heartbeat_path", s->heartbeat_path);
}

/* CSVDelimiter: the character as a C literal. */
static const char *delimiter(char c)
{
#define DELIM_(n, ch) if (c == ch) return #ch;
	ASL_CSV_DELIMITERS(DELIM_)
#undef DELIM_
	return "','";
}

static void print_reader(emitter *e, strbuf *d, const lw_state *s)
{
	const asl_item_reader *rd = s->d.item_reader;
	strbuf r = SB_INIT;
	unsigned id;

	sb_printf(&r, "\t.resource = %s,\n", reader_resources[rd->resource]);
	if (s->reader_input_type)
		sb_printf(&r, "\t.input_type = %s,\n", input_types[rd->input_type]);
	if (rd->csv_given)
		sb_puts(&r, "\t.csv_given = 1,\n");
	if (rd->csv_delimiter)
		sb_printf(&r, "\t.csv_delimiter = %s,\n",
		          delimiter(rd->csv_delimiter));
	if (rd->csv_headers) {
		id = ++e->counter;
		sb_printf(&e->data, "static const char *const h%u[] = {", id);
		for (unsigned k = 0; k < rd->n_csv_headers; k++) {
			sb_puts(&e->data, k ? ", " : " ");
			c_cstr(&e->data, rd->csv_headers[k]);
		}
		sb_puts(&e->data, rd->n_csv_headers ? " };\n" : " NULL };\n");
		sb_printf(&r, "\t.csv_headers = h%u,\n\t.n_csv_headers = %u,\n", id,
		          rd->n_csv_headers);
	}
	if (s->reader_config)
		sb_printf(&r, "\t.max_items = %ld,\n", rd->max_items);
	print_path_field(e, &r, "max_items_path", rd->max_items_path);
	print_template(e, &r, "max_items_jsonata", rd->max_items_jsonata);
	print_string(&r, "items_pointer", rd->items_pointer);
	print_string(&r, "manifest_type", rd->manifest_type);
	print_template(e, &r, "parameters", rd->parameters);
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_item_reader r%u = {\n%s};\n", id,
	          r.s);
	sb_printf(d, "\t.item_reader = &r%u,\n", id);
	sb_free(&r);
}

static void print_writer(emitter *e, strbuf *d, const asl_result_writer *wr)
{
	strbuf w = SB_INIT;
	unsigned id;

	print_template(e, &w, "parameters", wr->parameters);
	if (wr->jsonl)
		sb_puts(&w, "\t.jsonl = 1,\n");
	if (wr->transformation != ASL_TRANSFORM_DEFAULT)
		sb_printf(&w, "\t.transformation = %s,\n",
		          transformations[wr->transformation]);
	id = ++e->counter;
	sb_printf(&e->data, "static const asl_result_writer w%u = {\n%s};\n",
	          id, w.s ? w.s : "\t.jsonl = 0,\n");
	sb_printf(d, "\t.result_writer = &w%u,\n", id);
	sb_free(&w);
}

/* A Distributed Map's fields (doc/distributed-map.md). */
static void print_dmap(emitter *e, strbuf *d, const lw_state *s)
{
	const asl_state *st = &s->d;

	if (st->distributed)
		sb_puts(d, "\t.distributed = 1,\n");
	if (st->express)
		sb_puts(d, "\t.express = 1,\n");
	print_string(d, "label", st->label);
	if (st->batched) {
		sb_printf(d, "\t.batched = 1,\n\t.batch_max_items = %ld,\n"
		          "\t.batch_max_bytes = %ld,\n", st->batch_max_items,
		          st->batch_max_bytes);
		print_path_field(e, d, "batch_max_items_path",
		                 st->batch_max_items_path);
		print_path_field(e, d, "batch_max_bytes_path",
		                 st->batch_max_bytes_path);
		print_template(e, d, "batch_input", st->batch_input);
	}
	if (st->item_reader)
		print_reader(e, d, s);
	if (st->result_writer)
		print_writer(e, d, st->result_writer);
}

static void print_map(emitter *e, strbuf *d, const lw_state *s)
{
	const asl_state *st = &s->d;

	print_path_field(e, d, "items_path", st->items_path);
	sb_printf(d, "\t.processor = S_%s,\n",
	          e->m->states[st->processor].ident);
	sb_printf(d, "\t.max_concurrency = %ld,\n", st->max_concurrency);
	print_path_field(e, d, "max_concurrency_path", st->max_concurrency_path);
	sb_printf(d, "\t.tolerated_percentage = %s,\n",
	          s->tolerated_percentage_text);
	print_path_field(e, d, "tolerated_percentage_path",
	                 st->tolerated_percentage_path);
	sb_printf(d, "\t.tolerated_count = %ld,\n", st->tolerated_count);
	print_path_field(e, d, "tolerated_count_path", st->tolerated_count_path);
	print_dmap(e, d, s);
}

static void print_parallel(emitter *e, strbuf *d, const asl_state *s)
{
	unsigned id = ++e->counter;

	sb_printf(&e->data, "static const int b%u[] = {", id);
	for (unsigned k = 0; k < s->n_branches; k++)
		sb_printf(&e->data, "%s S_%s", k ? "," : "",
		          e->m->states[s->branches[k]].ident);
	sb_puts(&e->data, " };\n");
	sb_printf(d, "\t.branches = b%u,\n\t.n_branches = %u,\n", id,
	          s->n_branches);
	if (s->instant)
		sb_puts(d, "\t.instant = 1,\n");
}

static void print_choice(emitter *e, strbuf *d, const asl_state *s)
{
	char *x = rules_array(e, s->rules, s->n_rules);

	sb_printf(d, "\t.rules = %s,\n\t.n_rules = %u,\n", x, s->n_rules);
	free(x);
	if (s->has_default)
		sb_puts(d, "\t.has_default = 1,\n");
	print_template(e, d, "assign", s->assign);
}

static void print_wait(emitter *e, strbuf *d, const asl_state *s)
{
	sb_printf(d, "\t.seconds = %ld,\n", s->seconds);
	print_path_field(e, d, "seconds_path", s->seconds_path);
	print_path_field(e, d, "timestamp_path", s->timestamp_path);
	print_string(d, "timestamp", s->timestamp);
}

static void print_fail(emitter *e, strbuf *d, const asl_state *s)
{
	print_string(d, "error", s->error);
	print_string(d, "cause", s->cause);
	print_template(e, d, "error_path", s->error_path);
	print_template(e, d, "cause_path", s->cause_path);
}

/* A JSONata state's own members (program.h), those set. */
static void print_jsonata(emitter *e, strbuf *d, const asl_state *st)
{
	const struct { const char *member; const asl_value *v; } f[] = {
		{ "output", st->output },
		{ "items", st->items },
		{ "timeout_jsonata", st->timeout_jsonata },
		{ "heartbeat_jsonata", st->heartbeat_jsonata },
		{ "max_concurrency_jsonata", st->max_concurrency_jsonata },
		{ "tolerated_percentage_jsonata",
		  st->tolerated_percentage_jsonata },
		{ "tolerated_count_jsonata", st->tolerated_count_jsonata },
		{ "batch_max_items_jsonata", st->batch_max_items_jsonata },
		{ "batch_max_bytes_jsonata", st->batch_max_bytes_jsonata },
		{ "seconds_jsonata", st->seconds_jsonata },
		{ "timestamp_jsonata", st->timestamp_jsonata },
	};

	if (!st->jsonata)
		return;
	sb_puts(d, "\t.jsonata = 1,\n");
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		print_template(e, d, f[i].member, f[i].v);
}

/* The state's descriptor d_<ident>. */
static void print_desc(emitter *e, const lw_state *s, const char *ident)
{
	const asl_state *st = &s->d;
	strbuf d = SB_INIT;

	sb_puts(&d, "\t.name = ");
	c_cstr(&d, st->name);
	sb_printf(&d, ",\n\t.type = %s,\n", type_enums[st->type]);
	print_path_field(e, &d, "input_path", st->input_path);
	if (st->input_null)
		sb_puts(&d, "\t.input_null = 1,\n");
	print_path_field(e, &d, "output_path", st->output_path);
	if (st->output_null)
		sb_puts(&d, "\t.output_null = 1,\n");
	print_path_field(e, &d, "result_path", st->result_path);
	if (st->result_null)
		sb_puts(&d, "\t.result_null = 1,\n");
	print_template(e, &d, "parameters", st->parameters);
	print_template(e, &d, "result_selector", st->result_selector);
	if (st->type != ASL_CHOICE)
		print_template(e, &d, "assign", st->assign);
	sb_printf(&d, "\t.result = %d,\n", st->result);
	if (st->n_retry)
		print_retry(e, &d, s);
	if (st->n_catch)
		print_catch(e, &d, st);

	switch (st->type) {
	case ASL_TASK: print_task(e, &d, st); break;
	case ASL_MAP: print_map(e, &d, s); break;
	case ASL_PARALLEL: print_parallel(e, &d, st); break;
	case ASL_CHOICE: print_choice(e, &d, st); break;
	case ASL_WAIT: print_wait(e, &d, st); break;
	case ASL_FAIL: print_fail(e, &d, st); break;
	default: break;
	}
	if (st->type != ASL_WAIT)
		sb_puts(&d, "\t.seconds = -1,\n");
	if (st->type != ASL_MAP)
		sb_puts(&d, "\t.tolerated_percentage = -1,\n"
		            "\t.tolerated_count = -1,\n");
	print_jsonata(e, &d, st);
	sb_printf(&e->data, "static const asl_state d_%s = {\n%s};\n\n", ident,
	          d.s);
	sb_free(&d);
}

static void transition(strbuf *b, const model *m, int next)
{
	if (next >= 0)
		sb_printf(b, "S_%s", m->states[next].ident);
	else
		sb_puts(b, "ASL_END");
}

/* "\treturn <next>;\n" after the given case text. */
static void branch(strbuf *b, const model *m, const char *head, int next)
{
	sb_puts(b, head);
	sb_puts(b, "\t\treturn ");
	transition(b, m, next);
	sb_puts(b, ";\n");
}

/* The state function's body: run the state, then its transitions. */
static void print_body(strbuf *body, const model *m, const lw_state *s,
                       const char *ident)
{
	const char *exec = executors[s->d.type];
	char head[48];

	switch (s->d.type) {
	case ASL_TASK: case ASL_MAP: case ASL_PARALLEL:
		sb_printf(body, "\tint rc = %s(c, &d_%s, io);\n\n", exec, ident);
		branch(body, m, "\tif (rc == ASL_OK)\n", s->next);
		for (unsigned k = 0; k < s->d.n_catch; k++) {
			snprintf(head, sizeof head, "\tif (rc == ASL_CATCH(%u))\n", k);
			branch(body, m, head, s->catch_next[k]);
		}
		sb_puts(body, "\treturn ASL_FAILED;\n");
		break;
	case ASL_PASS: case ASL_WAIT: case ASL_SUCCEED:
		sb_printf(body, "\tif (%s(c, &d_%s, io) != ASL_OK)\n"
		          "\t\treturn ASL_FAILED;\n\treturn ", exec, ident);
		transition(body, m, s->next);
		sb_puts(body, ";\n");
		break;
	case ASL_FAIL:
		sb_printf(body, "\t%s(c, &d_%s, io);\n\treturn ASL_FAILED;\n", exec,
		          ident);
		break;
	case ASL_CHOICE:
		sb_printf(body, "\tswitch (asl_choice(c, &d_%s, io)) {\n", ident);
		for (unsigned k = 0; k < s->d.n_rules; k++) {
			snprintf(head, sizeof head, "\tcase %u:\n", k);
			branch(body, m, head, s->rule_next[k]);
		}
		if (s->d.has_default) {
			snprintf(head, sizeof head, "\tcase %u: /* Default */\n",
			         s->d.n_rules);
			branch(body, m, head, s->default_next);
		}
		sb_puts(body, "\tdefault:\n\t\treturn ASL_FAILED;\n\t}\n");
		break;
	}
}

static void emit_state(emitter *e, const lw_state *s, size_t i)
{
	const mstate *ms = &e->m->states[i];
	strbuf body = SB_INIT, cm = SB_INIT;

	print_desc(e, s, ms->ident);
	print_body(&body, e->m, s, ms->ident);
	c_comment(&cm, ms->name);
	const char *vars[] = {
		"type", state_type_name(ms->type), "comment", cm.s, "id", ms->ident,
		"body", body.s, NULL
	};
	tpl_render(&e->funcs, tpl_state, vars);
	sb_free(&body);
	sb_free(&cm);
}

/* ------------------------------------------------------------- program */

/* The literal table's rows. */
static void print_literals(strbuf *out, const lowering *l)
{
	for (unsigned i = 0; i < l->n_lits; i++) {
		sb_puts(out, "\t");
		c_cstr(out, l->lits[i]);
		sb_puts(out, ",\n");
	}
	if (!l->n_lits)
		sb_puts(out, "\tNULL,\n");
}

/* The JSONata expressions' table (asl_program.jsonata), PREFIXjsonata,
 * when there are any: each as written and its compiled form, the form's
 * bytes in string literals of at most 64 bytes a line.  Returns the
 * program table's members for it ("" when there are none; malloc'd). */
static char *print_jsonata_table(strbuf *out, const lowering *l,
                                 const char *prefix)
{
	if (!l->n_ata)
		return xstrdup("");
	sb_printf(out, "/* The JSONata expressions: as written, and compiled "
	          "(parsed when asl2c\n * ran; the program reads them back "
	          "when it starts). */\nstatic const asl_jsonata_src "
	          "%sjsonata[] = {\n", prefix);
	for (unsigned i = 0; i < l->n_ata; i++) {
		const asl_jsonata_src *a = &l->ata[i];
		sb_printf(out, "\t{ /* %u */\n\t\t", i);
		c_cstr(out, a->text);
		sb_puts(out, ",\n");
		for (unsigned long k = 0; k < a->form_len; k += 64) {
			unsigned long n = a->form_len - k < 64 ? a->form_len - k : 64;
			sb_puts(out, "\t\t");
			c_string(out, a->form + k, n);
			sb_puts(out, "\n");
		}
		sb_printf(out, "\t\t, %lu },\n", a->form_len);
	}
	sb_puts(out, "};\n");
	return xasprintf("\t.jsonata = %sjsonata,\n\t.n_jsonata = %u,\n", prefix,
	                 l->n_ata);
}

/* The state enumeration, prototypes, function and descriptor tables. */
static void print_state_lists(const model *m, strbuf *en, strbuf *pro,
                              strbuf *fns, strbuf *descs)
{
	for (size_t i = 0; i < m->n_states; i++) {
		const char *id = m->states[i].ident;
		sb_printf(en, "\tS_%s = %zu,\n", id, i);
		sb_printf(pro, "static int st_%s(asl_ctx *c, json_t **io);\n", id);
		sb_printf(fns, "\tst_%s,\n", id);
		sb_printf(descs, "\t&d_%s,\n", id);
	}
}

char *emit_program(model *m, const emit_options *opt)
{
	emitter e;
	lw_program lp;
	strbuf out = SB_INIT, en = SB_INIT, pro = SB_INIT, fns = SB_INIT,
	       descs = SB_INIT, name = SB_INIT, src = SB_INIT, cname = SB_INIT,
	       lits = SB_INIT;
	char nstates[32], nlits[32], abi[16], *start, *ver, *ata;

	memset(&e, 0, sizeof e);
	e.m = m;
	lower_program(&lp, m);
	print_state_lists(m, &en, &pro, &fns, &descs);
	sb_puts(&e.data, "\n");
	for (size_t i = 0; i < lp.n_states; i++)
		emit_state(&e, &lp.states[i], i);
	print_literals(&lits, &lp.l);
	ata = print_jsonata_table(&e.data, &lp.l, "");

	snprintf(nstates, sizeof nstates, "%zu", m->n_states);
	snprintf(nlits, sizeof nlits, "%u", lp.l.n_lits);
	snprintf(abi, sizeof abi, "%d", ASL2C_ABI);
	start = xasprintf("S_%s", m->states[lp.start].ident);
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
		"literals", lits.s, "functions", fns.s, "descs", descs.s,
		"name", name.s, "n_literals", nlits, "n_states", nstates,
		"start", start, "timeout", lp.timeout_text,
		"context_unused", e.uses_context ? "0" : "1", "jsonata", ata,
		NULL
	};
	tpl_render(&out, tpl_program, pv);

	free(start);
	free(ver);
	free(ata);
	lower_program_free(&lp);
	sb_free(&e.data);
	sb_free(&e.funcs);
	sb_free(&lits);
	sb_free(&en);
	sb_free(&pro);
	sb_free(&fns);
	sb_free(&descs);
	sb_free(&name);
	sb_free(&src);
	sb_free(&cname);
	return sb_steal(&out);
}
