/*
 * model.c - collecting the states of a definition, scope by scope (the
 * machine, each Parallel branch, each Map processor), and checking it as
 * AWS does at CreateStateMachine: the fields (check_*.c), then the graph of
 * each scope (targets, reachability, a terminal state).  Errors carry AWS's
 * diagnostic codes.
 */
#include "model.h"
#include "idents.h"
#include "check.h"
#include "keywords.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const jnode *model_map_processor(const mobj *map, enum asl_field *field)
{
	enum asl_field f = FLD_ITEM_PROCESSOR;
	const jnode *it = mobj_get(map, f);

	if (!it)
		it = mobj_get(map, f = FLD_ITERATOR);
	if (field)
		*field = f;
	return it;
}

/* ------------------------------------------------------------- the table */

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int model_find(const model *m, const char *name)
{
	if (!m->table_size)
		return -1;
	for (size_t i = hash(name) & (m->table_size - 1);;
	     i = (i + 1) & (m->table_size - 1)) {
		int v = m->table[i];
		if (!v)
			return -1;
		if (!strcmp(m->states[v - 1].name, name))
			return v - 1;
	}
}

int model_find_in(const model *m, const char *name, int scope)
{
	int t = model_find(m, name);

	if (t >= 0 && m->states[t].scope != scope)
		for (size_t i = 0; i < m->n_states; i++)
			if (m->states[i].scope == scope &&
			    !strcmp(m->states[i].name, name))
				return (int)i;
	return t >= 0 && m->states[t].scope == scope ? t : -1;
}

static void table_build(checker *c)
{
	model *m = c->m;

	m->table_size = 16;
	while (m->table_size < 2 * m->n_states)
		m->table_size *= 2;
	m->table = xcalloc(m->table_size, sizeof *m->table);
	for (size_t k = 0; k < m->n_states; k++) {
		mstate *s = &m->states[k];
		size_t i = hash(s->name) & (m->table_size - 1);
		while (m->table[i]) {
			const mstate *o = &m->states[m->table[i] - 1];
			if (!strcmp(o->name, s->name)) {
				s->duplicate = true;
				/* Twice in one States object: the JSON reader said. */
				if (o->scope == s->scope)
					break;
				ck_error_key(c, s->key, "DUPLICATE_STATE_NAME",
				             "Duplicate State name: %s (first defined at "
				             "line %d)", s->name, o->key->line);
				break;
			}
			i = (i + 1) & (m->table_size - 1);
		}
		if (!s->duplicate)
			m->table[i] = (int)k + 1;
	}
}

int model_scope_of(const model *m, const jnode *node)
{
	for (size_t i = 0; i < m->n_scopes; i++)
		if (m->scopes[i].node == node)
			return (int)i;
	return -1;
}

bool model_scope_instant(const model *m, int scope)
{
	size_t steps = 0;
	int i = scope >= 0 ? m->scopes[scope].start : -1;

	/* Every state of the scope: Pass, Succeed, Fail, or a Parallel of
	 * such branches. */
	for (size_t k = 0; k < m->n_states; k++) {
		const mstate *s = &m->states[k];
		if (s->scope != scope)
			continue;
		if (s->type == ASL_PARALLEL) {
			for (size_t sc = 0; sc < m->n_scopes; sc++)
				if (m->scopes[sc].owner == (int)k &&
				    !model_scope_instant(m, (int)sc))
					return false;
		} else if (s->type != ASL_PASS && s->type != ASL_SUCCEED &&
		           s->type != ASL_FAIL) {
			return false;
		}
		steps++;
	}
	/* and no loop: each has one Next at most, so the chain from StartAt
	 * ends within as many steps as there are states. */
	for (size_t n = 0; i >= 0; n++) {
		if (n > steps)
			return false;
		i = m->states[i].next;
	}
	return true;
}

/* ------------------------------------------------------------ the objects */

static size_t node_hash(const jnode *n)
{
	return (size_t)((uintptr_t)n >> 4) * 11400714819323198485ULL;
}

const mobj *model_obj(const model *m, const jnode *obj)
{
	if (!obj || obj->kind != J_OBJECT || !m->objs_size)
		return NULL;
	for (size_t i = node_hash(obj) & (m->objs_size - 1); m->objs[i];
	     i = (i + 1) & (m->objs_size - 1))
		if (m->objs[i]->node == obj)
			return m->objs[i];
	return NULL;
}

const jmember *mobj_member(const mobj *o, enum asl_field f)
{
	return o ? o->f[f] : NULL;
}

const jnode *mobj_get(const mobj *o, enum asl_field f)
{
	return o && o->f[f] ? o->f[f]->value : NULL;
}

const jnode *model_get(const model *m, const jnode *obj, enum asl_field f)
{
	return mobj_get(model_obj(m, obj), f);
}

const ir_parse *model_parse(const model *m, const char *text)
{
	return ir_memo_parse(m->parsed, text);
}

/* --------------------------------------------------------------- JSONata */

static bool ata_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

bool model_is_jsonata(const jnode *v)
{
	return v && v->kind == J_STRING && v->len >= 4 &&
	       !strncmp(v->str, "{%", 2) && !strcmp(v->str + v->len - 2, "%}");
}

char *model_jsonata_text(const jnode *v, size_t *lead)
{
	size_t a = 2, b;

	if (!model_is_jsonata(v))
		return NULL;
	b = v->len - 2;
	while (a < b && ata_space(v->str[a]))
		a++;
	while (b > a && ata_space(v->str[b - 1]))
		b--;
	if (lead)
		*lead = a;
	return a < b ? xstrndup(v->str + a, b - a) : NULL;
}

static void ata_grow(model *m)
{
	size_t size = m->ata_size ? 2 * m->ata_size : 64;
	unsigned *t = xcalloc(size, sizeof *t);

	for (size_t k = 0; k < m->n_ata; k++) {
		size_t i = hash(m->ata[k]->text) & (size - 1);
		while (t[i])
			i = (i + 1) & (size - 1);
		t[i] = (unsigned)k + 1;
	}
	free(m->ata_table);
	m->ata_table = t;
	m->ata_size = size;
}

const model_ata *model_jsonata(const model *cm, const char *text)
{
	model *m = (model *)cm; /* the memo, as m->parsed's: filled on demand */
	model_ata *a;
	size_t i;

	if (2 * (m->n_ata + 1) > m->ata_size)
		ata_grow(m);
	for (i = hash(text) & (m->ata_size - 1); m->ata_table[i];
	     i = (i + 1) & (m->ata_size - 1))
		if (!strcmp(m->ata[m->ata_table[i] - 1]->text, text))
			return m->ata[m->ata_table[i] - 1];
	if (m->n_ata == m->cap_ata) {
		m->cap_ata = m->cap_ata ? 2 * m->cap_ata : 16;
		m->ata = xrealloc(m->ata, m->cap_ata * sizeof *m->ata);
	}
	a = m->ata[m->n_ata] = xcalloc(1, sizeof *a);
	a->id = (unsigned)m->n_ata;
	a->text = xstrdup(text);
	a->e = asl_jsonata_parse(a->text, &a->err);
	m->ata_table[i] = (unsigned)++m->n_ata;
	return a;
}

static void objs_put(model *m, mobj *o)
{
	size_t i = node_hash(o->node) & (m->objs_size - 1);

	while (m->objs[i])
		i = (i + 1) & (m->objs_size - 1);
	m->objs[i] = o;
}

/* The fields of obj (an object, else NULL), collected once. */
static const mobj *collect_obj(model *m, const jnode *obj)
{
	const mobj *known = model_obj(m, obj);
	mobj *o;

	if (known || !obj || obj->kind != J_OBJECT)
		return known;
	if (2 * (m->n_objs + 1) > m->objs_size) {
		mobj **old = m->objs;
		size_t old_size = m->objs_size;
		m->objs_size = old_size ? 2 * old_size : 64;
		m->objs = xcalloc(m->objs_size, sizeof *m->objs);
		for (size_t i = 0; i < old_size; i++)
			if (old[i])
				objs_put(m, old[i]);
		free(old);
	}
	o = xcalloc(1, sizeof *o);
	o->node = obj;
	for (size_t i = 0; i < obj->n; i++) {
		const jmember *mb = &obj->members[i];
		int f = strlen(mb->key) == mb->klen ? field_lookup(mb->key)
		                                    : -1;
		if (f >= 0 && !o->f[f])
			o->f[f] = mb;
	}
	objs_put(m, o);
	m->n_objs++;
	return o;
}

/* The items of the array v that are objects. */
static void collect_items(model *m, const jnode *v)
{
	for (size_t k = 0; v && v->kind == J_ARRAY && k < v->n; k++)
		collect_obj(m, v->items[k]);
}

/* A Choice rule and the rules nested in it: under every member the
 * checks take for And, Or or Not (a key holding U+0000 too: they compare
 * it as a C string). */
static void collect_rule(model *m, const jnode *r)
{
	if (!collect_obj(m, r))
		return;
	for (size_t i = 0; i < r->n; i++) {
		const jnode *v = r->members[i].value;
		int f = field_lookup(r->members[i].key);
		if (f == FLD_NOT)
			collect_rule(m, v);
		else if ((f == FLD_AND || f == FLD_OR) && v->kind == J_ARRAY)
			for (size_t k = 0; k < v->n; k++)
				collect_rule(m, v->items[k]);
	}
}

/* The objects inside state s: Retriers, Catchers, Choice rules,
 * Credentials, a Distributed Map's reader, batcher and writer. */
static void collect_inner(model *m, const mobj *s)
{
	const jnode *v;

	collect_items(m, mobj_get(s, FLD_RETRY));
	collect_items(m, mobj_get(s, FLD_CATCH));
	if ((v = mobj_get(s, FLD_CHOICES)) && v->kind == J_ARRAY)
		for (size_t k = 0; k < v->n; k++)
			collect_rule(m, v->items[k]);
	collect_obj(m, mobj_get(s, FLD_CREDENTIALS));
	collect_obj(m, mobj_get(collect_obj(m, mobj_get(s, FLD_ITEM_READER)),
	                        FLD_READER_CONFIG));
	collect_obj(m, mobj_get(s, FLD_ITEM_BATCHER));
	collect_obj(m, mobj_get(collect_obj(m, mobj_get(s, FLD_RESULT_WRITER)),
	                        FLD_WRITER_CONFIG));
}

/* ------------------------------------------------------------ collecting */

static void collect_scope(checker *c, const jnode *obj, int owner);

static void collect_state(checker *c, const jmember *mb, int scope)
{
	model *m = c->m;
	const jnode *o = mb->value, *t;
	mstate *s;
	int idx;

	if (m->n_states == m->cap_states) {
		m->cap_states = m->cap_states ? 2 * m->cap_states : 16;
		m->states = xrealloc(m->states, m->cap_states * sizeof *m->states);
	}
	idx = (int)m->n_states++;
	s = &m->states[idx];
	memset(s, 0, sizeof *s);
	s->name = mb->key;
	s->key = mb;
	s->node = o;
	s->scope = scope;
	s->type = -1;
	s->next = -1;
	if (mb->klen == 0)
		ck_error_key(c, mb, "INVALID_STATE_NAME",
		             "A state name cannot be empty");
	else if (strlen(mb->key) != mb->klen)
		ck_error_key(c, mb, "INVALID_STATE_NAME",
		             "A state name cannot contain the character U+0000");
	else if (utf8_chars(mb->key) > 80)
		ck_error_key(c, mb, "INVALID_STATE_NAME",
		             "State name is longer than 80 characters: %s",
		             mb->key);
	if (o->kind != J_OBJECT) {
		ck_error(c, o, "SCHEMA_VALIDATION_FAILED",
		         "A state must be an object");
		return;
	}
	s->obj = collect_obj(m, o);
	t = mobj_get(s->obj, FLD_TYPE);
	if (!t || t->kind != J_STRING || (s->type = state_type_lookup(t->str)) < 0) {
		ck_bad_type(c, o);
		return;
	}
	s->jsonata = ck_state_jsonata(c, s->obj);
	collect_inner(m, s->obj);

	/* The scopes inside: a Map's processor, a Parallel's branches. */
	if (s->type == ASL_MAP) {
		const jnode *it = model_map_processor(s->obj, NULL);
		if (it && it->kind == J_OBJECT)
			collect_scope(c, it, idx);
	} else if (s->type == ASL_PARALLEL) {
		const jnode *br = mobj_get(s->obj, FLD_BRANCHES);
		for (size_t b = 0; br && br->kind == J_ARRAY && b < br->n; b++)
			if (br->items[b]->kind == J_OBJECT)
				collect_scope(c, br->items[b], idx);
	}
}

/* Collect the states of obj (with StartAt and States) as a new scope. */
static void collect_scope(checker *c, const jnode *obj, int owner)
{
	model *m = c->m;
	const mobj *so = collect_obj(m, obj);
	const jnode *states = mobj_get(so, FLD_STATES);
	const jnode *start = mobj_get(so, FLD_START_AT);
	int scope = (int)m->n_scopes;

	collect_obj(m, mobj_get(so, FLD_PROCESSOR_CONFIG));

	if (!start || !states) {
		ck_error_obj(c, obj, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [States, StartAt]");
		if (!states)
			return;
	}
	if (start && start->kind != J_STRING)
		ck_error(c, start, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field 'StartAt' must be a string");
	if (states->kind != J_OBJECT) {
		ck_error(c, states, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field 'States' must be an object");
		return;
	}
	if (states->n == 0)
		ck_error(c, states, "SCHEMA_VALIDATION_FAILED",
		         "Value cannot be empty");

	if (m->n_scopes == m->cap_scopes) {
		m->cap_scopes = m->cap_scopes ? 2 * m->cap_scopes : 8;
		m->scopes = xrealloc(m->scopes, m->cap_scopes * sizeof *m->scopes);
	}
	m->scopes[m->n_scopes++] = (mscope){ obj, -1, owner, !start ||
	                                     start->kind != J_STRING };
	for (size_t k = 0; k < states->n; k++)
		collect_state(c, &states->members[k], scope);
}

/* ------------------------------------------------------------- the graph */

static void reach(const model *m, int scope, const jnode *v, bool *seen,
                  int *stack, size_t *n)
{
	int t;

	if (!v || v->kind != J_STRING ||
	    (t = model_find_in(m, v->str, scope)) < 0 || seen[t])
		return;
	seen[t] = true;
	stack[(*n)++] = t;
}

static void mark(const model *m, int scope, int i, bool *seen, int *stack,
                 size_t *n)
{
	const mobj *o = m->states[i].obj;
	const jnode *v;

	reach(m, scope, mobj_get(o, FLD_NEXT), seen, stack, n);
	reach(m, scope, mobj_get(o, FLD_DEFAULT), seen, stack, n);
	if ((v = mobj_get(o, FLD_CATCH)) && v->kind == J_ARRAY)
		for (size_t k = 0; k < v->n; k++)
			reach(m, scope, model_get(m, v->items[k], FLD_NEXT),
			      seen, stack, n);
	if (m->states[i].type == ASL_CHOICE &&
	    (v = mobj_get(o, FLD_CHOICES)) && v->kind == J_ARRAY)
		for (size_t k = 0; k < v->n; k++)
			reach(m, scope, model_get(m, v->items[k], FLD_NEXT),
			      seen, stack, n);
}

/* The states of each scope: members[first[k] .. first[k + 1]) are scope
 * k's, in file order (one pass over the states for all scopes, and scratch
 * space for the reachability walk, shared by the scopes). */
typedef struct scope_index {
	int *members;
	size_t *first;
	bool *seen;
	int *stack;
} scope_index;

static void scope_index_build(const model *m, scope_index *x)
{
	size_t *fill = xcalloc(m->n_scopes + 1, sizeof *fill);

	x->members = xmalloc((m->n_states + 1) * sizeof *x->members);
	x->first = xcalloc(m->n_scopes + 1, sizeof *x->first);
	x->seen = xcalloc(m->n_states + 1, sizeof *x->seen);
	x->stack = xmalloc((m->n_states + 1) * sizeof *x->stack);
	for (size_t i = 0; i < m->n_states; i++)
		x->first[m->states[i].scope + 1]++;
	for (size_t k = 0; k < m->n_scopes; k++)
		x->first[k + 1] += x->first[k];
	for (size_t i = 0; i < m->n_states; i++) {
		int k = m->states[i].scope;
		x->members[x->first[k] + fill[k]++] = (int)i;
	}
	free(fill);
}

static void scope_index_free(scope_index *x)
{
	free(x->members);
	free(x->first);
	free(x->seen);
	free(x->stack);
}

static void check_scope(checker *c, int scope, scope_index *x)
{
	model *m = c->m;
	mscope *sc = &m->scopes[scope];
	const int *members = x->members + x->first[scope];
	size_t n_members = x->first[scope + 1] - x->first[scope];
	const mobj *so = model_obj(m, sc->node);
	const jnode *start = mobj_get(so, FLD_START_AT),
	            *states = mobj_get(so, FLD_STATES);
	bool terminal = false, unknown = false;

	if (start && start->kind == J_STRING && states && states->n) {
		int t = model_find_in(m, start->str, scope);
		if (t < 0) {
			ck_error(c, start, "MISSING_TRANSITION_TARGET",
			         "Missing 'Next' target: %s", start->str);
			sc->broken = true;
		} else {
			sc->start = t;
		}
	}
	for (size_t j = 0; j < n_members; j++) {
		const mstate *s = &m->states[members[j]];
		const jnode *end = mobj_get(s->obj, FLD_END);
		if (s->type < 0)
			unknown = true;
		if (s->type == ASL_SUCCEED || s->type == ASL_FAIL ||
		    (end && end->kind == J_TRUE))
			terminal = true;
	}
	if (!terminal && !unknown && !sc->broken && !c->json_errors &&
	    sc->start >= 0)
		ck_error(c, states, "MISSING_END_STATE",
		         "Workflow has no terminal state");
	if (unknown || sc->broken || c->json_errors || sc->start < 0)
		return;

	/* Every state is reached from StartAt.  (Transitions stay in their
	 * scope, so the walk only marks this scope's states.) */
	bool *seen = x->seen;
	int *stack = x->stack;
	size_t n = 0;
	seen[sc->start] = true;
	stack[n++] = sc->start;
	while (n)
		mark(m, scope, stack[--n], seen, stack, &n);
	for (size_t j = 0; j < n_members; j++) {
		int i = members[j];
		if (!seen[i] && !m->states[i].duplicate)
			ck_error_key(c, m->states[i].key, "SCHEMA_VALIDATION_FAILED",
			             "State \"%s\" is not reachable",
			             m->states[i].name);
		seen[i] = false;
	}
}

int model_build(model *m, const jnode *root, diag *d)
{
	return model_build_type(m, root, d, false);
}

int model_build_type(model *m, const jnode *root, diag *d, bool express)
{
	int errors = d->errors;
	checker c;
	const jnode *q;

	memset(m, 0, sizeof *m);
	memset(&c, 0, sizeof c);
	m->root = root;
	m->parsed = ir_memo_new();
	m->d = d;
	c.m = m;
	c.d = d;
	c.express = express;
	/* A key given twice: which value counts is unsure, the graph too. */
	c.json_errors = d->errors > 0;
	if (root->kind != J_OBJECT) {
		diag_report(d, DIAG_ERROR, root->line, root->col, "/",
		            "SCHEMA_VALIDATION_FAILED",
		            NULL, "Definition must be a valid JSON object");
		return d->errors - errors;
	}
	m->top = collect_obj(m, root);
	q = mobj_get(m->top, FLD_QUERY_LANGUAGE);
	c.jsonata = q && q->kind == J_STRING && !strcmp(q->str, "JSONata");

	ck_top(&c);
	collect_scope(&c, root, -1);
	table_build(&c);
	for (size_t i = 0; i < m->n_states; i++)
		if (m->states[i].type >= 0)
			ck_state(&c, (int)i);
	scope_index x;
	scope_index_build(m, &x);
	for (size_t sc = 0; sc < m->n_scopes; sc++)
		check_scope(&c, (int)sc, &x);
	scope_index_free(&x);
	/* Numbers the runtime cannot hold: after the fields' own range
	 * checks, which report theirs.  Also for --check: asl2c cannot run
	 * such a definition, whatever it writes (doc/semantics.md). */
	ck_numbers(&c, root);
	for (size_t i = 0; i < m->n_states; i++) {
		const jnode *nx = mobj_get(m->states[i].obj, FLD_NEXT);
		if (nx && nx->kind == J_STRING)
			m->states[i].next = model_find(m, nx->str);
	}
	model_idents(m);
	ck_free(&c);
	return d->errors - errors;
}

void model_free(model *m)
{
	for (size_t i = 0; i < m->n_states; i++)
		free(m->states[i].ident);
	free(m->states);
	free(m->scopes);
	for (size_t i = 0; i < m->objs_size; i++)
		free(m->objs[i]);
	free(m->objs);
	ir_memo_free(m->parsed);
	for (size_t i = 0; i < m->n_ata; i++) {
		asl_jsonata_free(m->ata[i]->e);
		free(m->ata[i]->text);
		free(m->ata[i]);
	}
	free(m->ata);
	free(m->ata_table);
	free(m->table);
	free(m->name);
}
