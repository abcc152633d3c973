/*
 * lower.c - the lowering to the runtime's tables (lower.h).
 *
 * The order in which a state's fields are lowered is the order in which
 * the emitter prints them: the literal table is numbered in that order.
 */
#include "lower.h"
#include "model.h"
#include "keywords.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- memory */

static void *keep(lowering *l, void *p)
{
	if (l->n_blocks == l->cap_blocks) {
		l->cap_blocks = l->cap_blocks ? 2 * l->cap_blocks : 64;
		l->blocks = xrealloc(l->blocks, l->cap_blocks * sizeof *l->blocks);
	}
	l->blocks[l->n_blocks++] = p;
	return p;
}

/* n zeroed elements of size bytes (one at least: never NULL). */
static void *alloc(lowering *l, size_t n, size_t size)
{
	return keep(l, xcalloc(n ? n : 1, size));
}

static char *dup(lowering *l, const char *s)
{
	return s ? keep(l, xstrdup(s)) : NULL;
}

void lower_init(lowering *l)
{
	memset(l, 0, sizeof *l);
}

void lower_free(lowering *l)
{
	for (size_t i = 0; i < l->n_blocks; i++)
		free(l->blocks[i]);
	free(l->blocks);
	for (unsigned i = 0; i < l->n_lits; i++)
		free(l->lits[i]);
	free(l->lits);
	memset(l, 0, sizeof *l);
}

/* Add a literal (JSON text, taken); its index. */
static int lit_take(lowering *l, char *json)
{
	if (l->n_lits == l->cap_lits) {
		l->cap_lits = l->cap_lits ? 2 * l->cap_lits : 16;
		l->lits = xrealloc(l->lits, l->cap_lits * sizeof *l->lits);
	}
	l->lits[l->n_lits] = json;
	return (int)l->n_lits++;
}

static int lit_node(lowering *l, const jnode *v)
{
	return lit_take(l, jnode_dump(v));
}

/* ---------------------------------------------------------------- paths */

asl_expr *lower_expr(lowering *l, const ir_expr *e)
{
	asl_expr *x = alloc(l, 1, sizeof *x);

	x->op = (unsigned char)e->op;
	x->a = e->a ? lower_expr(l, e->a) : NULL;
	x->b = e->b ? lower_expr(l, e->b) : NULL;
	x->path = e->path ? lower_path(l, e->path) : NULL;
	x->lit = e->lit ? lit_take(l, xstrdup(e->lit)) : -1;
	x->regex = dup(l, e->regex);
	x->icase = e->icase;
	return x;
}

static void lower_seg(lowering *l, asl_seg *to, const ir_seg *s)
{
	to->kind = (unsigned char)s->kind;
	to->deep = s->deep;
	to->has_start = s->has_start;
	to->has_end = s->has_end;
	to->name = dup(l, s->name);
	to->index = s->index;
	to->end = s->end;
	to->step = s->step;
	to->count = s->count;
	if (s->kind == ASL_SEG_NAMES) {
		const char **nm = alloc(l, s->count, sizeof *nm);
		for (unsigned k = 0; k < s->count; k++)
			nm[k] = dup(l, s->names[k]);
		to->names = nm;
	}
	if (s->kind == ASL_SEG_INDEXES) {
		long long *ix = alloc(l, s->count, sizeof *ix);
		memcpy(ix, s->indexes, s->count * sizeof *ix);
		to->indexes = ix;
	}
	if (s->kind == ASL_SEG_FILTER)
		to->filter = lower_expr(l, s->filter);
}

asl_path *lower_path(lowering *l, const ir_path *ip)
{
	asl_path *p = alloc(l, 1, sizeof *p);
	asl_seg *segs = ip->n_segs ? alloc(l, ip->n_segs, sizeof *segs) : NULL;

	for (unsigned i = 0; i < ip->n_segs; i++)
		lower_seg(l, &segs[i], &ip->segs[i]);
	p->norm = keep(l, ir_path_norm(ip));
	p->text = ip->text ? dup(l, ip->text) : p->norm;
	p->root = (unsigned char)ip->root;
	p->definite = ip->definite;
	p->var = dup(l, ip->var);
	p->segs = segs;
	p->n_segs = ip->n_segs;
	return p;
}

/* ------------------------------------------------------- intrinsic calls */

/* States.Format's template keeps its escapes: the text as written, quoted
 * again. */
static char *format_text(const char *raw)
{
	strbuf j = SB_INIT;

	sb_putc(&j, '"');
	for (const char *r = raw; *r; r++) {
		if (*r == '"' || *r == '\\')
			sb_putc(&j, '\\');
		if ((unsigned char)*r < 0x20)
			sb_printf(&j, "u%04x", (unsigned char)*r);
		else
			sb_putc(&j, *r);
	}
	sb_putc(&j, '"');
	return sb_steal(&j);
}

asl_call *lower_call(lowering *l, const ir_call *c)
{
	const ir_fn_info *fi = c->fn >= 0 ? ir_fn(c->fn) : NULL;
	asl_call *k;
	asl_value *args;

	if (!fi || (int)c->n_args < fi->min_args ||
	    (fi->max_args >= 0 && (int)c->n_args > fi->max_args)) {
		l->failed = true;
		return NULL;
	}
	k = alloc(l, 1, sizeof *k);
	args = c->n_args ? alloc(l, c->n_args, sizeof *args) : NULL;
	for (unsigned i = 0; i < c->n_args; i++) {
		const ir_arg *a = &c->args[i];
		args[i].kind = (unsigned char)a->kind;
		if (a->kind == ASL_V_LIT)
			args[i].lit = lit_take(l, i == 0 && c->fn == ASL_FN_FORMAT &&
			                          a->raw ? format_text(a->raw)
			                                 : xstrdup(a->lit));
		else if (a->kind == ASL_V_PATH)
			args[i].path = lower_path(l, a->path);
		else if (!(args[i].call = lower_call(l, a->call)))
			return NULL;
	}
	k->fn = (unsigned char)c->fn;
	k->text = dup(l, c->text);
	k->args = args;
	k->n_args = c->n_args;
	return k;
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

/* The value of a "x.$" member: a path or a call. */
static void lower_dynamic(lowering *l, asl_value *out, const char *text)
{
	ir_parse p;

	ir_parse_text(text, &p);
	out->kind = ASL_V_LIT;
	out->lit = -1;
	if (p.path) {
		out->kind = ASL_V_PATH;
		out->path = lower_path(l, p.path);
	} else if (p.call && (out->call = lower_call(l, p.call))) {
		out->kind = ASL_V_CALL;
	} else {
		l->failed = true;
	}
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);
}

static void lower_value(lowering *l, asl_value *out, const jnode *v)
{
	if (!has_dynamic(v)) {
		out->kind = ASL_V_LIT;
		out->lit = lit_node(l, v);
		return;
	}
	out->count = (unsigned)v->n;
	if (v->kind == J_ARRAY) {
		asl_value *items = alloc(l, v->n, sizeof *items);
		for (size_t i = 0; i < v->n; i++)
			lower_value(l, &items[i], v->items[i]);
		out->kind = ASL_V_ARRAY;
		out->items = items;
		return;
	}
	asl_member *mb = alloc(l, v->n, sizeof *mb);
	for (size_t i = 0; i < v->n; i++) {
		const jmember *m = &v->members[i];
		bool dyn = dynamic_key(m->key);
		if (dyn && m->value->kind == J_STRING)
			lower_dynamic(l, &mb[i].value, m->value->str);
		else
			lower_value(l, &mb[i].value, m->value);
		mb[i].key = keep(l, dyn ? xstrndup(m->key, strlen(m->key) - 2)
		                        : xstrdup(m->key));
		mb[i].field = dup(l, m->key);
	}
	out->kind = ASL_V_OBJECT;
	out->members = mb;
}

asl_value *lower_template(lowering *l, const jnode *v)
{
	asl_value *t;

	if (!v)
		return NULL;
	t = alloc(l, 1, sizeof *t);
	lower_value(l, t, v);
	return t;
}

/* ---------------------------------------------------------- state fields */

/* A path field; NULL when absent, not a string, or the default "$" of
 * InputPath, OutputPath, ResultPath, ItemsPath and Variable (the runtime
 * skips it; elsewhere "$" is a path like any other). */
static const asl_path *path_field(lowering *l, const jnode *obj,
                                  const char *name, unsigned char *is_null)
{
	const jnode *v = jobject_get(obj, name);
	const asl_path *r = NULL;
	ir_parse p;

	if (is_null)
		*is_null = v && v->kind == J_NULL;
	if (!v || v->kind != J_STRING)
		return NULL;
	ir_parse_text(v->str, &p);
	if (p.path && !(p.path->root == ASL_ROOT_INPUT && p.path->n_segs == 0 &&
	                (!strcmp(name, "InputPath") ||
	                 !strcmp(name, "OutputPath") ||
	                 !strcmp(name, "ResultPath") ||
	                 !strcmp(name, "ItemsPath") ||
	                 !strcmp(name, "Variable"))))
		r = lower_path(l, p.path);
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);
	return r;
}

static const asl_value *template_field(lowering *l, const jnode *obj,
                                       const char *name)
{
	return lower_template(l, jobject_get(obj, name));
}

/* A field holding one path or call (Fail's ErrorPath, CausePath). */
static const asl_value *expr_field(lowering *l, const jnode *obj,
                                   const char *name)
{
	const jnode *v = jobject_get(obj, name);
	asl_value *t;

	if (!v || v->kind != J_STRING)
		return NULL;
	t = alloc(l, 1, sizeof *t);
	lower_dynamic(l, t, v->str);
	return t;
}

static const char *string_field(lowering *l, const jnode *obj,
                                const char *name)
{
	const jnode *v = obj ? jobject_get(obj, name) : NULL;
	return v && v->kind == J_STRING ? dup(l, v->str) : NULL;
}

static bool string_is(const jnode *obj, const char *name, const char *s)
{
	const jnode *v = obj ? jobject_get(obj, name) : NULL;
	return v && v->kind == J_STRING && !strcmp(v->str, s);
}

static long long int_field(const jnode *o, const char *k, long long dflt)
{
	const jnode *v = jobject_get(o, k);
	return v && v->kind == J_NUMBER ? strtoll(v->str, NULL, 10) : dflt;
}

/* A number as written, or dflt. */
static const char *num_text(const jnode *o, const char *k, const char *dflt)
{
	const jnode *v = jobject_get(o, k);
	return v && v->kind == J_NUMBER ? v->str : dflt;
}

/* ------------------------------------------------------ Retry and Catch */

static const char *const *errors_list(lowering *l, const jnode *c,
                                      unsigned *n)
{
	const jnode *e = jobject_get(c, "ErrorEquals");
	const char **r;

	*n = e ? (unsigned)e->n : 0;
	r = alloc(l, *n + 1, sizeof *r);
	for (unsigned i = 0; i < *n; i++)
		r[i] = dup(l, e->items[i]->str);
	return r;
}

static void lower_retry(lowering *l, lw_state *s, const jnode *list)
{
	asl_retrier *r = alloc(l, list->n, sizeof *r);

	s->retry_text = alloc(l, list->n, sizeof *s->retry_text);
	for (size_t i = 0; i < list->n; i++) {
		const jnode *x = list->items[i];
		const char **t = s->retry_text[i];
		r[i].errors = errors_list(l, x, &r[i].n_errors);
		t[0] = num_text(x, "IntervalSeconds", "1");
		t[1] = num_text(x, "BackoffRate", "2.0");
		t[2] = num_text(x, "MaxDelaySeconds", "0");
		t[3] = num_text(x, "MaxAttempts", "3");
		r[i].interval = strtod(t[0], NULL);
		r[i].backoff = strtod(t[1], NULL);
		r[i].max_delay = strtod(t[2], NULL);
		r[i].max_attempts = strtol(t[3], NULL, 10);
		r[i].jitter_full = string_is(x, "JitterStrategy", "FULL");
	}
	s->d.retry = r;
	s->d.n_retry = (unsigned)list->n;
}

static void lower_catch(lowering *l, lw_state *s, const model *m,
                        const jnode *list)
{
	asl_catcher *k = alloc(l, list->n, sizeof *k);

	s->catch_next = alloc(l, list->n, sizeof *s->catch_next);
	for (size_t i = 0; i < list->n; i++) {
		const jnode *x = list->items[i], *nx = jobject_get(x, "Next");
		k[i].errors = errors_list(l, x, &k[i].n_errors);
		k[i].result_path = path_field(l, x, "ResultPath", &k[i].result_null);
		k[i].assign = template_field(l, x, "Assign");
		s->catch_next[i] = model_find(m, nx->str);
	}
	s->d.catchers = k;
	s->d.n_catch = (unsigned)list->n;
}

/* ---------------------------------------------------------------- Choice */

static void lower_rule(lowering *l, asl_rule *out, const jnode *r, bool top);

static const asl_rule *lower_rules(lowering *l, const jnode *list, bool top)
{
	asl_rule *rs = alloc(l, list->n, sizeof *rs);

	for (size_t i = 0; i < list->n; i++)
		lower_rule(l, &rs[i], list->items[i], top);
	return rs;
}

/* A data-test rule: Variable and one comparison operator. */
static void lower_test(lowering *l, asl_rule *out, const jnode *r)
{
	const choice_op_info *op = NULL;
	const jmember *opm = NULL;
	bool is_path = false;

	out->variable = path_field(l, r, "Variable", NULL);
	for (size_t i = 0; i < r->n && !op; i++) {
		op = choice_operator(r->members[i].key, &is_path);
		opm = &r->members[i];
	}
	out->lit = -1;
	if (!op) { /* a JSONata Condition: never lowered to C */
		out->op = ASL_R_IS_PRESENT;
		return;
	}
	out->op = op->op;
	out->type = op->type;
	out->rel = op->rel;
	out->op_name = dup(l, opm->key);
	if (op->op >= ASL_R_IS_NULL)
		out->flag = opm->value->kind == J_TRUE;
	else if (is_path)
		out->operand = path_field(l, r, opm->key, NULL);
	else
		out->lit = lit_node(l, opm->value);
}

static void lower_rule(lowering *l, asl_rule *out, const jnode *r, bool top)
{
	const jnode *v;

	out->assign = top ? template_field(l, r, "Assign") : NULL;
	if ((v = jobject_get(r, "And")) || (v = jobject_get(r, "Or"))) {
		out->op = jobject_get(r, "And") ? ASL_R_AND : ASL_R_OR;
		out->rules = lower_rules(l, v, false);
		out->n_rules = (unsigned)v->n;
		out->lit = -1;
	} else if ((v = jobject_get(r, "Not"))) {
		asl_rule *sub = alloc(l, 1, sizeof *sub);
		lower_rule(l, sub, v, false);
		out->op = ASL_R_NOT;
		out->rules = sub;
		out->n_rules = 1;
		out->lit = -1;
	} else {
		lower_test(l, out, r);
	}
}

static void lower_choice(lowering *l, lw_state *s, const model *m,
                         const jnode *o)
{
	const jnode *ch = jobject_get(o, "Choices"), *df = jobject_get(o, "Default");

	s->d.rules = lower_rules(l, ch, true);
	s->d.n_rules = (unsigned)ch->n;
	s->rule_next = alloc(l, ch->n, sizeof *s->rule_next);
	for (size_t k = 0; k < ch->n; k++)
		s->rule_next[k] = model_find(m, jobject_get(ch->items[k],
		                                            "Next")->str);
	s->d.has_default = df != NULL;
	s->default_next = df ? model_find(m, df->str) : -1;
	s->d.assign = template_field(l, o, "Assign");
}

/* ------------------------------------------------- the other state types */

static void lower_task(lowering *l, lw_state *s, const jnode *o)
{
	const char *res = jobject_get(o, "Resource")->str;

	s->d.resource = dup(l, res);
	if (!strncmp(res, "arn:aws:states:::lambda:invoke", 30)) {
		s->d.resource_kind = ASL_RES_LAMBDA_INVOKE;
	} else if (!strncmp(res, "arn:aws:lambda:", 15) &&
	           strstr(res, ":function:")) {
		s->d.resource_kind = ASL_RES_LAMBDA_ARN;
		s->d.function = s->d.resource;
	} else {
		s->d.resource_kind = ASL_RES_OTHER;
	}
	s->d.timeout_seconds = int_field(o, "TimeoutSeconds", 0);
	s->d.timeout_path = path_field(l, o, "TimeoutSecondsPath", NULL);
	s->d.heartbeat_seconds = int_field(o, "HeartbeatSeconds", 0);
	s->d.heartbeat_path = path_field(l, o, "HeartbeatSecondsPath", NULL);
}

static void lower_batcher(lowering *l, lw_state *s, const jnode *v)
{
	s->d.batched = 1;
	s->d.batch_max_items = int_field(v, "MaxItemsPerBatch", 0);
	s->d.batch_max_bytes = int_field(v, "MaxInputBytesPerBatch", 0);
	s->d.batch_max_items_path = path_field(l, v, "MaxItemsPerBatchPath",
	                                       NULL);
	s->d.batch_max_bytes_path = path_field(l, v,
	                                       "MaxInputBytesPerBatchPath", NULL);
	s->d.batch_input = template_field(l, v, "BatchInput");
}

/* ReaderConfig's CSV fields. */
static void lower_csv(lowering *l, asl_item_reader *r, const jnode *rc)
{
	static const struct { const char *name; char c; } delims[] = {
#define DELIM_(n, c) { #n, c },
		ASL_CSV_DELIMITERS(DELIM_)
#undef DELIM_
	};
	const jnode *f;

	r->csv_given = string_is(rc, "CSVHeaderLocation", "GIVEN");
	for (size_t k = 0; k < sizeof delims / sizeof *delims; k++)
		if (string_is(rc, "CSVDelimiter", delims[k].name))
			r->csv_delimiter = delims[k].c;
	if ((f = rc ? jobject_get(rc, "CSVHeaders") : NULL) &&
	    f->kind == J_ARRAY) {
		const char **h = alloc(l, f->n + 1, sizeof *h);
		for (size_t k = 0; k < f->n; k++)
			h[k] = dup(l, f->items[k]->kind == J_STRING
			              ? f->items[k]->str : "");
		r->csv_headers = h;
		r->n_csv_headers = (unsigned)f->n;
	}
}

static void lower_reader(lowering *l, lw_state *s, const jnode *v)
{
	static const char *const input_types[] = {
#define INPUT_(n) #n,
		ASL_INPUT_TYPES(INPUT_)
#undef INPUT_
	};
	asl_item_reader *r = alloc(l, 1, sizeof *r);
	const jnode *res = jobject_get(v, "Resource"),
	            *rc = jobject_get(v, "ReaderConfig");

	r->resource = res && res->kind == J_STRING &&
	              strstr(res->str, ":s3:listObjectsV2")
	              ? ASL_READ_LIST_OBJECTS : ASL_READ_GET_OBJECT;
	for (size_t k = 0; k < sizeof input_types / sizeof *input_types; k++)
		if (string_is(rc, "InputType", input_types[k])) {
			r->input_type = (unsigned char)k;
			s->reader_input_type = true;
		}
	lower_csv(l, r, rc);
	if (rc) {
		s->reader_config = true;
		r->max_items = int_field(rc, "MaxItems", 0);
		r->max_items_path = path_field(l, rc, "MaxItemsPath", NULL);
		r->items_pointer = string_field(l, rc, "ItemsPointer");
		r->manifest_type = string_field(l, rc, "ManifestType");
	}
	if (!(r->parameters = template_field(l, v, "Parameters")))
		r->parameters = template_field(l, v, "Arguments");
	s->d.item_reader = r;
}

static void lower_writer(lowering *l, lw_state *s, const jnode *v)
{
	asl_result_writer *w = alloc(l, 1, sizeof *w);
	const jnode *wc = jobject_get(v, "WriterConfig"), *f;

	if (!(w->parameters = template_field(l, v, "Parameters")))
		w->parameters = template_field(l, v, "Arguments");
	w->jsonl = string_is(wc, "OutputType", "JSONL");
	if ((f = wc ? jobject_get(wc, "Transformation") : NULL) &&
	    f->kind == J_STRING)
		w->transformation = !strcmp(f->str, "COMPACT")
		                    ? ASL_TRANSFORM_COMPACT
		                    : !strcmp(f->str, "FLATTEN")
		                    ? ASL_TRANSFORM_FLATTEN : ASL_TRANSFORM_NONE;
	s->d.result_writer = w;
}

/* A Distributed Map's fields: ProcessorConfig, Label, ItemReader,
 * ItemBatcher, ResultWriter (doc/distributed-map.md). */
static void lower_dmap(lowering *l, lw_state *s, const jnode *o,
                       const jnode *it)
{
	const jnode *pc = it ? jobject_get(it, "ProcessorConfig") : NULL, *v;

	s->d.distributed = string_is(pc, "Mode", "DISTRIBUTED");
	s->d.express = string_is(pc, "ExecutionType", "EXPRESS");
	s->d.label = string_field(l, o, "Label");
	if ((v = jobject_get(o, "ItemBatcher")) && v->kind == J_OBJECT)
		lower_batcher(l, s, v);
	if ((v = jobject_get(o, "ItemReader")) && v->kind == J_OBJECT)
		lower_reader(l, s, v);
	if ((v = jobject_get(o, "ResultWriter")) && v->kind == J_OBJECT)
		lower_writer(l, s, v);
}

static void lower_map(lowering *l, lw_state *s, const model *m,
                      const jnode *o)
{
	const jnode *it = model_map_processor(o, NULL);

	s->d.items_path = path_field(l, o, "ItemsPath", NULL);
	s->d.processor = m->scopes[model_scope_of(m, it)].start;
	s->d.max_concurrency = int_field(o, "MaxConcurrency", 0);
	s->d.max_concurrency_path = path_field(l, o, "MaxConcurrencyPath", NULL);
	s->tolerated_percentage_text = num_text(o, "ToleratedFailurePercentage",
	                                        "-1");
	s->d.tolerated_percentage = strtod(s->tolerated_percentage_text, NULL);
	s->d.tolerated_percentage_path = path_field(
		l, o, "ToleratedFailurePercentagePath", NULL);
	s->d.tolerated_count = int_field(o, "ToleratedFailureCount", -1);
	s->d.tolerated_count_path = path_field(l, o,
	                                       "ToleratedFailureCountPath", NULL);
	lower_dmap(l, s, o, it);
}

static void lower_parallel(lowering *l, lw_state *s, const model *m,
                           const jnode *o)
{
	const jnode *br = jobject_get(o, "Branches");
	int *b = alloc(l, br->n, sizeof *b);
	bool instant = true;

	for (size_t k = 0; k < br->n; k++) {
		int sc = model_scope_of(m, br->items[k]);
		b[k] = m->scopes[sc].start;
		instant = instant && model_scope_instant(m, sc);
	}
	s->d.branches = b;
	s->d.n_branches = (unsigned)br->n;
	s->d.instant = instant;
}

static void lower_wait(lowering *l, lw_state *s, const jnode *o)
{
	s->d.seconds = int_field(o, "Seconds", -1);
	s->d.seconds_path = path_field(l, o, "SecondsPath", NULL);
	s->d.timestamp_path = path_field(l, o, "TimestampPath", NULL);
	s->d.timestamp = string_field(l, o, "Timestamp");
}

static void lower_fail(lowering *l, lw_state *s, const jnode *o)
{
	s->d.error = string_field(l, o, "Error");
	s->d.cause = string_field(l, o, "Cause");
	s->d.error_path = expr_field(l, o, "ErrorPath");
	s->d.cause_path = expr_field(l, o, "CausePath");
}

/* The fields every state type may have: input and output processing,
 * Retry, Catch. */
static void lower_common(lowering *l, lw_state *s, const model *m,
                         const mstate *ms)
{
	const jnode *o = ms->node, *v;

	s->d.input_path = path_field(l, o, "InputPath", &s->d.input_null);
	s->d.output_path = path_field(l, o, "OutputPath", &s->d.output_null);
	s->d.result_path = path_field(l, o, "ResultPath", &s->d.result_null);
	if (ms->type == ASL_MAP && jobject_get(o, "ItemSelector"))
		s->d.parameters = template_field(l, o, "ItemSelector");
	else
		s->d.parameters = template_field(l, o, "Parameters");
	s->d.result_selector = template_field(l, o, "ResultSelector");
	if (ms->type != ASL_CHOICE)
		s->d.assign = template_field(l, o, "Assign");
	s->d.result = ms->type == ASL_PASS && (v = jobject_get(o, "Result"))
	              ? lit_node(l, v) : -1;
	if ((v = jobject_get(o, "Retry")) && v->n)
		lower_retry(l, s, v);
	if ((v = jobject_get(o, "Catch")) && v->n)
		lower_catch(l, s, m, v);
}

static void lower_state(lowering *l, lw_state *s, const model *m,
                        const mstate *ms)
{
	memset(s, 0, sizeof *s);
	s->d.name = dup(l, ms->name);
	s->d.type = (unsigned char)ms->type;
	s->d.seconds = -1;
	s->d.tolerated_percentage = -1;
	s->d.tolerated_count = -1;
	s->next = ms->type == ASL_SUCCEED ? -1 : ms->next;
	s->default_next = -1;
	lower_common(l, s, m, ms);
	switch (ms->type) {
	case ASL_TASK: lower_task(l, s, ms->node); break;
	case ASL_MAP: lower_map(l, s, m, ms->node); break;
	case ASL_PARALLEL: lower_parallel(l, s, m, ms->node); break;
	case ASL_CHOICE: lower_choice(l, s, m, ms->node); break;
	case ASL_WAIT: lower_wait(l, s, ms->node); break;
	case ASL_FAIL: lower_fail(l, s, ms->node); break;
	default: break;
	}
}

void lower_program(lw_program *p, const model *m)
{
	memset(p, 0, sizeof *p);
	lower_init(&p->l);
	p->n_states = m->n_states;
	p->states = alloc(&p->l, m->n_states, sizeof *p->states);
	for (size_t i = 0; i < m->n_states; i++)
		lower_state(&p->l, &p->states[i], m, &m->states[i]);
	p->start = m->scopes[0].start;
	p->timeout_text = num_text(m->root, "TimeoutSeconds", "0");
}

void lower_program_free(lw_program *p)
{
	lower_free(&p->l);
	memset(p, 0, sizeof *p);
}
