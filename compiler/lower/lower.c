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
	ir_memo_free(l->own_memo);
	for (unsigned i = 0; i < l->n_ata; i++) {
		free((char *)l->ata[i].text);
		free((char *)l->ata[i].form);
	}
	free(l->ata);
	free(l->ata_index);
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

/* The parse of text: the model's (the checks parsed it), else the
 * lowering's own (a template lowered without a model). */
static const ir_parse *parsed(lowering *l, const char *text)
{
	if (l->m)
		return model_parse(l->m, text);
	if (!l->own_memo)
		l->own_memo = ir_memo_new();
	return ir_memo_parse(l->own_memo, text);
}

/* The value of a "x.$" member: a path or a call. */
static void lower_dynamic(lowering *l, asl_value *out, const char *text)
{
	const ir_parse *p = parsed(l, text);

	out->kind = ASL_V_LIT;
	out->lit = -1;
	if (p->path) {
		out->kind = ASL_V_PATH;
		out->path = lower_path(l, p->path);
	} else if (p->call && (out->call = lower_call(l, p->call))) {
		out->kind = ASL_V_CALL;
	} else {
		l->failed = true;
	}
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

/* A value lowered by f into a new asl_value; NULL when v is NULL. */
static asl_value *new_value(lowering *l, const jnode *v,
                            void (*f)(lowering *, asl_value *, const jnode *))
{
	asl_value *t;

	if (!v)
		return NULL;
	t = alloc(l, 1, sizeof *t);
	f(l, t, v);
	return t;
}

asl_value *lower_template(lowering *l, const jnode *v)
{
	return new_value(l, v, lower_value);
}

/* -------------------------------------------------------------- JSONata */

/* The index in l->ata of the expression of v, a "{% EXPR %}" string: the
 * checks' parse, encoded the first time the text is met; -1 (and
 * l->failed) when there is no model or it does not parse. */
static int ata_expr(lowering *l, const jnode *v)
{
	char *text = model_jsonata_text(v, NULL);
	const model_ata *a = text && l->m ? model_jsonata(l->m, text) : NULL;
	asl_jsonata_src *src;
	size_t len;

	free(text);
	if (!a || !a->e) {
		l->failed = true;
		return -1;
	}
	if (a->id >= l->n_ata_index) {
		size_t n = 2 * (size_t)a->id + 16;
		l->ata_index = xrealloc(l->ata_index, n * sizeof *l->ata_index);
		memset(l->ata_index + l->n_ata_index, 0,
		       (n - l->n_ata_index) * sizeof *l->ata_index);
		l->n_ata_index = n;
	}
	if (l->ata_index[a->id])
		return (int)l->ata_index[a->id] - 1;
	if (l->n_ata == l->cap_ata) {
		l->cap_ata = l->cap_ata ? 2 * l->cap_ata : 16;
		l->ata = xrealloc(l->ata, l->cap_ata * sizeof *l->ata);
	}
	src = &l->ata[l->n_ata];
	src->text = xstrdup(a->text);
	src->form = asl_jsonata_encode(a->e, &len);
	src->form_len = len;
	l->ata_index[a->id] = ++l->n_ata;
	return (int)l->n_ata - 1;
}

static bool has_expr(const jnode *v)
{
	if (model_is_jsonata(v))
		return true;
	for (size_t i = 0; v->kind == J_ARRAY && i < v->n; i++)
		if (has_expr(v->items[i]))
			return true;
	for (size_t i = 0; v->kind == J_OBJECT && i < v->n; i++)
		if (has_expr(v->members[i].value))
			return true;
	return false;
}

static void lower_ata_value(lowering *l, asl_value *out, const jnode *v)
{
	if (!has_expr(v)) {
		out->kind = ASL_V_LIT;
		out->lit = lit_node(l, v);
	} else if (v->kind == J_STRING) {
		out->kind = ASL_V_JSONATA;
		out->lit = ata_expr(l, v);
	} else if (v->kind == J_ARRAY) {
		asl_value *items = alloc(l, v->n, sizeof *items);
		for (size_t i = 0; i < v->n; i++)
			lower_ata_value(l, &items[i], v->items[i]);
		out->kind = ASL_V_ARRAY;
		out->items = items;
		out->count = (unsigned)v->n;
	} else {
		asl_member *mb = alloc(l, v->n, sizeof *mb);
		for (size_t i = 0; i < v->n; i++) {
			lower_ata_value(l, &mb[i].value, v->members[i].value);
			mb[i].key = dup(l, v->members[i].key);
			mb[i].field = mb[i].key;
		}
		out->kind = ASL_V_OBJECT;
		out->members = mb;
		out->count = (unsigned)v->n;
	}
}

asl_value *lower_jsonata(lowering *l, const jnode *v)
{
	return new_value(l, v, lower_ata_value);
}

/* ---------------------------------------------------------- state fields */

/* A path: NULL when v is absent or not a string, or when v is "$" and
 * skip_root (the runtime skips the default "$" of InputPath, OutputPath,
 * ResultPath, ItemsPath and Variable; elsewhere "$" is a path like any
 * other). */
static const asl_path *path_value(lowering *l, const jnode *v, bool skip_root)
{
	const ir_parse *p;

	if (!v || v->kind != J_STRING)
		return NULL;
	p = parsed(l, v->str);
	if (!p->path || (skip_root && p->path->root == ASL_ROOT_INPUT &&
	                 p->path->n_segs == 0))
		return NULL;
	return lower_path(l, p->path);
}

static const asl_path *path_field(lowering *l, const jnode *obj,
                                  enum asl_field f, unsigned char *is_null)
{
	const jnode *v = model_get(l->m, obj, f);

	if (is_null)
		*is_null = v && v->kind == J_NULL;
	return path_value(l, v, f == FLD_INPUT_PATH || f == FLD_OUTPUT_PATH ||
	                        f == FLD_RESULT_PATH || f == FLD_ITEMS_PATH ||
	                        f == FLD_VARIABLE);
}

static const asl_value *template_field(lowering *l, const jnode *obj,
                                       enum asl_field f)
{
	return lower_template(l, model_get(l->m, obj, f));
}

/* A field of a JSONata state (Arguments, Output, Items, ...): its
 * JSONata value. */
static const asl_value *ata_field(lowering *l, const jnode *obj,
                                  enum asl_field f)
{
	return lower_jsonata(l, model_get(l->m, obj, f));
}

/* A field that is a payload template in a JSONPath state and a JSONata
 * value in a JSONata one (Assign, ItemSelector, BatchInput). */
static const asl_value *value_field(lowering *l, const lw_state *s,
                                    const jnode *obj, enum asl_field f)
{
	return s->d.jsonata ? ata_field(l, obj, f) : template_field(l, obj, f);
}

/* A number (or Wait's Timestamp, Fail's Error and Cause) of a JSONata
 * state written as an expression: its value (a JSONata leaf); NULL when
 * the field is absent, literal, or the state's language JSONPath. */
static const asl_value *ata_expr_field(lowering *l, const lw_state *s,
                                       const jnode *obj, enum asl_field f)
{
	const jnode *v = model_get(l->m, obj, f);
	return s->d.jsonata && model_is_jsonata(v) ? lower_jsonata(l, v) : NULL;
}

/* A field holding one path or call (Fail's ErrorPath, CausePath). */
static const asl_value *expr_field(lowering *l, const jnode *obj,
                                   enum asl_field f)
{
	const jnode *v = model_get(l->m, obj, f);
	asl_value *t;

	if (!v || v->kind != J_STRING)
		return NULL;
	t = alloc(l, 1, sizeof *t);
	lower_dynamic(l, t, v->str);
	return t;
}

static const char *string_field(lowering *l, const jnode *obj,
                                enum asl_field f)
{
	const jnode *v = model_get(l->m, obj, f);
	return v && v->kind == J_STRING ? dup(l, v->str) : NULL;
}

static bool string_is(const lowering *l, const jnode *obj, enum asl_field f,
                      const char *s)
{
	const jnode *v = model_get(l->m, obj, f);
	return v && v->kind == J_STRING && !strcmp(v->str, s);
}

static long long int_field(const lowering *l, const jnode *o,
                           enum asl_field f, long long dflt)
{
	const jnode *v = model_get(l->m, o, f);
	return v && v->kind == J_NUMBER ? strtoll(v->str, NULL, 10) : dflt;
}

/* A number as written, or dflt. */
static const char *num_text(const lowering *l, const jnode *o,
                            enum asl_field f, const char *dflt)
{
	const jnode *v = model_get(l->m, o, f);
	return v && v->kind == J_NUMBER ? v->str : dflt;
}

/* ------------------------------------------------------ Retry and Catch */

static const char *const *errors_list(lowering *l, const jnode *c,
                                      unsigned *n)
{
	const jnode *e = model_get(l->m, c, FLD_ERROR_EQUALS);
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
		t[0] = num_text(l, x, FLD_INTERVAL_SECONDS, "1");
		t[1] = num_text(l, x, FLD_BACKOFF_RATE, "2.0");
		t[2] = num_text(l, x, FLD_MAX_DELAY_SECONDS, "0");
		t[3] = num_text(l, x, FLD_MAX_ATTEMPTS, "3");
		r[i].interval = strtod(t[0], NULL);
		r[i].backoff = strtod(t[1], NULL);
		r[i].max_delay = strtod(t[2], NULL);
		r[i].max_attempts = strtol(t[3], NULL, 10);
		r[i].jitter_full = string_is(l, x, FLD_JITTER_STRATEGY, "FULL");
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
		const jnode *x = list->items[i],
		            *nx = model_get(l->m, x, FLD_NEXT);
		k[i].errors = errors_list(l, x, &k[i].n_errors);
		k[i].result_path = path_field(l, x, FLD_RESULT_PATH,
		                              &k[i].result_null);
		k[i].assign = value_field(l, s, x, FLD_ASSIGN);
		if (s->d.jsonata)
			k[i].output = ata_field(l, x, FLD_OUTPUT);
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

	out->variable = path_field(l, r, FLD_VARIABLE, NULL);
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
		out->operand = strlen(opm->key) == opm->klen
		               ? path_value(l, opm->value, false) : NULL;
	else
		out->lit = lit_node(l, opm->value);
}

static void lower_rule(lowering *l, asl_rule *out, const jnode *r, bool top)
{
	const mobj *o = model_obj(l->m, r);
	const jnode *v;

	out->assign = top ? template_field(l, r, FLD_ASSIGN) : NULL;
	if ((v = mobj_get(o, FLD_AND)) || (v = mobj_get(o, FLD_OR))) {
		out->op = mobj_get(o, FLD_AND) ? ASL_R_AND : ASL_R_OR;
		out->rules = lower_rules(l, v, false);
		out->n_rules = (unsigned)v->n;
		out->lit = -1;
	} else if ((v = model_get(l->m, r, FLD_NOT))) {
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

/* The rules of a JSONata Choice: Condition (a literal boolean or an
 * expression), Output, Assign. */
static const asl_rule *lower_ata_rules(lowering *l, const jnode *list)
{
	asl_rule *rs = alloc(l, list->n, sizeof *rs);

	for (size_t i = 0; i < list->n; i++) {
		const jnode *r = list->items[i];
		rs[i].lit = -1;
		rs[i].assign = ata_field(l, r, FLD_ASSIGN);
		rs[i].condition = ata_field(l, r, FLD_CONDITION);
		rs[i].output = ata_field(l, r, FLD_OUTPUT);
	}
	return rs;
}

static void lower_choice(lowering *l, lw_state *s, const model *m,
                         const jnode *o)
{
	const jnode *ch = model_get(m, o, FLD_CHOICES),
	            *df = model_get(m, o, FLD_DEFAULT);

	s->d.rules = s->d.jsonata ? lower_ata_rules(l, ch)
	                          : lower_rules(l, ch, true);
	s->d.n_rules = (unsigned)ch->n;
	s->rule_next = alloc(l, ch->n, sizeof *s->rule_next);
	for (size_t k = 0; k < ch->n; k++)
		s->rule_next[k] = model_find(m, model_get(m, ch->items[k],
		                                          FLD_NEXT)->str);
	s->d.has_default = df != NULL;
	s->default_next = df ? model_find(m, df->str) : -1;
	s->d.assign = value_field(l, s, o, FLD_ASSIGN);
}

/* ------------------------------------------------- the other state types */

static void lower_task(lowering *l, lw_state *s, const jnode *o)
{
	const char *res = model_get(l->m, o, FLD_RESOURCE)->str;

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
	s->d.timeout_seconds = int_field(l, o, FLD_TIMEOUT_SECONDS, 0);
	s->d.timeout_path = path_field(l, o, FLD_TIMEOUT_SECONDS_PATH, NULL);
	s->d.heartbeat_seconds = int_field(l, o, FLD_HEARTBEAT_SECONDS, 0);
	s->d.heartbeat_path = path_field(l, o, FLD_HEARTBEAT_SECONDS_PATH,
	                                 NULL);
	s->d.timeout_jsonata = ata_expr_field(l, s, o, FLD_TIMEOUT_SECONDS);
	s->d.heartbeat_jsonata = ata_expr_field(l, s, o,
	                                        FLD_HEARTBEAT_SECONDS);
}

static void lower_batcher(lowering *l, lw_state *s, const jnode *v)
{
	s->d.batched = 1;
	s->d.batch_max_items = int_field(l, v, FLD_MAX_ITEMS_PER_BATCH, 0);
	s->d.batch_max_bytes = int_field(l, v, FLD_MAX_INPUT_BYTES_PER_BATCH,
	                                 0);
	s->d.batch_max_items_path =
		path_field(l, v, FLD_MAX_ITEMS_PER_BATCH_PATH, NULL);
	s->d.batch_max_bytes_path =
		path_field(l, v, FLD_MAX_INPUT_BYTES_PER_BATCH_PATH, NULL);
	s->d.batch_input = value_field(l, s, v, FLD_BATCH_INPUT);
	s->d.batch_max_items_jsonata =
		ata_expr_field(l, s, v, FLD_MAX_ITEMS_PER_BATCH);
	s->d.batch_max_bytes_jsonata =
		ata_expr_field(l, s, v, FLD_MAX_INPUT_BYTES_PER_BATCH);
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

	r->csv_given = string_is(l, rc, FLD_CSV_HEADER_LOCATION, "GIVEN");
	for (size_t k = 0; k < sizeof delims / sizeof *delims; k++)
		if (string_is(l, rc, FLD_CSV_DELIMITER, delims[k].name))
			r->csv_delimiter = delims[k].c;
	if ((f = rc ? model_get(l->m, rc, FLD_CSV_HEADERS) : NULL) &&
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
	const jnode *res = model_get(l->m, v, FLD_RESOURCE),
	            *rc = model_get(l->m, v, FLD_READER_CONFIG);

	r->resource = res && res->kind == J_STRING &&
	              strstr(res->str, ":s3:listObjectsV2")
	              ? ASL_READ_LIST_OBJECTS : ASL_READ_GET_OBJECT;
	for (size_t k = 0; k < sizeof input_types / sizeof *input_types; k++)
		if (string_is(l, rc, FLD_INPUT_TYPE, input_types[k])) {
			r->input_type = (unsigned char)k;
			s->reader_input_type = true;
		}
	lower_csv(l, r, rc);
	if (rc) {
		s->reader_config = true;
		r->max_items = int_field(l, rc, FLD_MAX_ITEMS, 0);
		r->max_items_path = path_field(l, rc, FLD_MAX_ITEMS_PATH, NULL);
		r->items_pointer = string_field(l, rc, FLD_ITEMS_POINTER);
		r->manifest_type = string_field(l, rc, FLD_MANIFEST_TYPE);
		r->max_items_jsonata = ata_expr_field(l, s, rc, FLD_MAX_ITEMS);
	}
	if (s->d.jsonata)
		r->parameters = ata_field(l, v, FLD_ARGUMENTS);
	else if (!(r->parameters = template_field(l, v, FLD_PARAMETERS)))
		r->parameters = template_field(l, v, FLD_ARGUMENTS);
	s->d.item_reader = r;
}

static void lower_writer(lowering *l, lw_state *s, const jnode *v)
{
	asl_result_writer *w = alloc(l, 1, sizeof *w);
	const jnode *wc = model_get(l->m, v, FLD_WRITER_CONFIG), *f;

	if (s->d.jsonata)
		w->parameters = ata_field(l, v, FLD_ARGUMENTS);
	else if (!(w->parameters = template_field(l, v, FLD_PARAMETERS)))
		w->parameters = template_field(l, v, FLD_ARGUMENTS);
	w->jsonl = string_is(l, wc, FLD_OUTPUT_TYPE, "JSONL");
	if ((f = wc ? model_get(l->m, wc, FLD_TRANSFORMATION) : NULL) &&
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
	const jnode *pc = model_get(l->m, it, FLD_PROCESSOR_CONFIG), *v;

	s->d.distributed = string_is(l, pc, FLD_MODE, "DISTRIBUTED");
	s->d.express = string_is(l, pc, FLD_EXECUTION_TYPE, "EXPRESS");
	s->d.label = string_field(l, o, FLD_LABEL);
	if ((v = model_get(l->m, o, FLD_ITEM_BATCHER)) && v->kind == J_OBJECT)
		lower_batcher(l, s, v);
	if ((v = model_get(l->m, o, FLD_ITEM_READER)) && v->kind == J_OBJECT)
		lower_reader(l, s, v);
	if ((v = model_get(l->m, o, FLD_RESULT_WRITER)) && v->kind == J_OBJECT)
		lower_writer(l, s, v);
}

static void lower_map(lowering *l, lw_state *s, const model *m,
                      const jnode *o)
{
	const jnode *it = model_map_processor(model_obj(m, o), NULL);

	s->d.items_path = path_field(l, o, FLD_ITEMS_PATH, NULL);
	s->d.processor = m->scopes[model_scope_of(m, it)].start;
	s->d.max_concurrency = int_field(l, o, FLD_MAX_CONCURRENCY, 0);
	s->d.max_concurrency_path = path_field(l, o, FLD_MAX_CONCURRENCY_PATH,
	                                       NULL);
	s->tolerated_percentage_text =
		num_text(l, o, FLD_TOLERATED_FAILURE_PERCENTAGE, "-1");
	s->d.tolerated_percentage = strtod(s->tolerated_percentage_text, NULL);
	s->d.tolerated_percentage_path = path_field(
		l, o, FLD_TOLERATED_FAILURE_PERCENTAGE_PATH, NULL);
	s->d.tolerated_count = int_field(l, o, FLD_TOLERATED_FAILURE_COUNT, -1);
	s->d.tolerated_count_path =
		path_field(l, o, FLD_TOLERATED_FAILURE_COUNT_PATH, NULL);
	if (s->d.jsonata)
		s->d.items = ata_field(l, o, FLD_ITEMS);
	s->d.max_concurrency_jsonata = ata_expr_field(l, s, o,
	                                              FLD_MAX_CONCURRENCY);
	s->d.tolerated_percentage_jsonata =
		ata_expr_field(l, s, o, FLD_TOLERATED_FAILURE_PERCENTAGE);
	s->d.tolerated_count_jsonata =
		ata_expr_field(l, s, o, FLD_TOLERATED_FAILURE_COUNT);
	lower_dmap(l, s, o, it);
}

static void lower_parallel(lowering *l, lw_state *s, const model *m,
                           const jnode *o)
{
	const jnode *br = model_get(l->m, o, FLD_BRANCHES);
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
	s->d.seconds = int_field(l, o, FLD_SECONDS, -1);
	s->d.seconds_path = path_field(l, o, FLD_SECONDS_PATH, NULL);
	s->d.timestamp_path = path_field(l, o, FLD_TIMESTAMP_PATH, NULL);
	s->d.seconds_jsonata = ata_expr_field(l, s, o, FLD_SECONDS);
	if (!(s->d.timestamp_jsonata = ata_expr_field(l, s, o, FLD_TIMESTAMP)))
		s->d.timestamp = string_field(l, o, FLD_TIMESTAMP);
}

static void lower_fail(lowering *l, lw_state *s, const jnode *o)
{
	/* JSONata: Error and Cause written as expressions are in error_path
	 * and cause_path (program.h). */
	if (!(s->d.error_path = ata_expr_field(l, s, o, FLD_ERROR))) {
		s->d.error = string_field(l, o, FLD_ERROR);
		s->d.error_path = expr_field(l, o, FLD_ERROR_PATH);
	}
	if (!(s->d.cause_path = ata_expr_field(l, s, o, FLD_CAUSE))) {
		s->d.cause = string_field(l, o, FLD_CAUSE);
		s->d.cause_path = expr_field(l, o, FLD_CAUSE_PATH);
	}
}

/* The fields every state type may have: input and output processing,
 * Retry, Catch. */
static void lower_common(lowering *l, lw_state *s, const model *m,
                         const mstate *ms)
{
	const jnode *o = ms->node, *v;

	s->d.input_path = path_field(l, o, FLD_INPUT_PATH, &s->d.input_null);
	s->d.output_path = path_field(l, o, FLD_OUTPUT_PATH, &s->d.output_null);
	s->d.result_path = path_field(l, o, FLD_RESULT_PATH, &s->d.result_null);
	if (ms->type == ASL_MAP && model_get(l->m, o, FLD_ITEM_SELECTOR))
		s->d.parameters = value_field(l, s, o, FLD_ITEM_SELECTOR);
	else if (s->d.jsonata)
		s->d.parameters = ata_field(l, o, FLD_ARGUMENTS);
	else
		s->d.parameters = template_field(l, o, FLD_PARAMETERS);
	s->d.result_selector = template_field(l, o, FLD_RESULT_SELECTOR);
	if (ms->type != ASL_CHOICE)
		s->d.assign = value_field(l, s, o, FLD_ASSIGN);
	if (s->d.jsonata)
		s->d.output = ata_field(l, o, FLD_OUTPUT);
	s->d.result = ms->type == ASL_PASS &&
	              (v = model_get(l->m, o, FLD_RESULT))
	              ? lit_node(l, v) : -1;
	if ((v = model_get(l->m, o, FLD_RETRY)) && v->n)
		lower_retry(l, s, v);
	if ((v = model_get(l->m, o, FLD_CATCH)) && v->n)
		lower_catch(l, s, m, v);
}

static void lower_state(lowering *l, lw_state *s, const model *m,
                        const mstate *ms)
{
	memset(s, 0, sizeof *s);
	s->d.name = dup(l, ms->name);
	s->d.type = (unsigned char)ms->type;
	s->d.jsonata = ms->jsonata;
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
	p->l.m = m;
	p->n_states = m->n_states;
	p->states = alloc(&p->l, m->n_states, sizeof *p->states);
	for (size_t i = 0; i < m->n_states; i++)
		lower_state(&p->l, &p->states[i], m, &m->states[i]);
	p->start = m->scopes[0].start;
	p->timeout_text = num_text(&p->l, m->root, FLD_TIMEOUT_SECONDS,
	                           "0");
}

void lower_program_free(lw_program *p)
{
	lower_free(&p->l);
	memset(p, 0, sizeof *p);
}
