/*
 * eval.c - the JSONata evaluator, after jsonata-js 2.0.6's: sequences and
 * their flattening, tuple streams for focus (@), index (#) and parent (%)
 * bindings, predicates, group-by, order-by, function application with a
 * trampoline for tail calls, and the limits (depth, stack, time) that end
 * runaway evaluations with U1001.
 */
#define _POSIX_C_SOURCE 200809L
#include "jn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* V as an error message shows it: JSON (jsonata-js's JSON.stringify), a
 * string in quotes unless RAW (a message of its own: $error, $assert). */
static void describe(jn_ctx *c, jn_value *v, char *out, size_t n, bool raw)
{
	out[0] = 0;
	if (!v) return;
	jn_buf b = { .c = c };
	if (v->t == JV_STR && raw) jb_put(&b, v->u.s.s, v->u.s.len);
	else if (v->t == JV_FUNC) jb_put(&b, "function", 8);
	else jn_stringify(&b, v, false, 0, false);
	snprintf(out, n, "%s", b.p ? b.p : "");
}

_Noreturn void jn_throw(jn_ctx *c, const char *code, int pos, const char *token,
			jn_value *value, jn_value *value2)
{
	char v1[200], v2[200];
	if (!strcmp(code, "U1010")) {
		jn_set_error(c->err, code, pos, token, NULL, NULL);
	} else {
		size_t saved = c->arena.limit;
		c->arena.limit = 0;   /* room to describe the values */
		bool raw = !strcmp(code, "D3137") || !strcmp(code, "D3141");
		describe(c, value, v1, sizeof v1, raw);
		describe(c, value2, v2, sizeof v2, raw);
		c->arena.limit = saved;
		jn_set_error(c->err, code, pos, token, value ? v1 : NULL, value2 ? v2 : NULL);
	}
	longjmp(*c->jb, 1);
}

/* ---------------------------------------------------------------- frames */
jn_frame *jn_frame_new(jn_ctx *c, jn_frame *parent)
{
	jn_frame *f = jn_alloc(c, sizeof *f);
	f->parent = parent;
	return f;
}

void jn_bind(jn_ctx *c, jn_frame *f, const char *name, jn_value *v)
{
	if (f->shared) {
		const char **nn = jn_alloc(c, (size_t)(f->n + 4) * sizeof *nn);
		jn_value **nv = jn_alloc(c, (size_t)(f->n + 4) * sizeof *nv);
		if (f->n) { jn_memcpy(nn, f->names, (size_t)f->n * sizeof *nn); jn_memcpy(nv, f->vals, (size_t)f->n * sizeof *nv); }
		f->names = nn; f->vals = nv; f->cap = f->n + 4; f->shared = false;
	}
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->names[i], name)) { f->vals[i] = v; return; }
	if (f->n == f->cap) {
		int cap = f->cap ? 2 * f->cap : 4;
		const char **nn = jn_alloc(c, (size_t)cap * sizeof *nn);
		jn_value **nv = jn_alloc(c, (size_t)cap * sizeof *nv);
		if (f->n) { jn_memcpy(nn, f->names, (size_t)f->n * sizeof *nn); jn_memcpy(nv, f->vals, (size_t)f->n * sizeof *nv); }
		f->names = nn; f->vals = nv; f->cap = cap;
	}
	f->names[f->n] = name; f->vals[f->n] = v; f->n++;
}

jn_value *jn_lookup(jn_frame *f, const char *name, bool *found)
{
	for (; f; f = f->parent)
		for (int i = f->n - 1; i >= 0; i--)
			if (!strcmp(f->names[i], name)) { if (found) *found = true; return f->vals[i]; }
	if (found) *found = false;
	return NULL;
}

static jn_value *lookup_var(jn_ctx *c, jn_frame *env, const char *name, bool *found)
{
	jn_value *v = jn_lookup(env, name, found);
	if (*found) return v;
	if (c->env->lookup) {
		/* the caller's variable, converted once: bound at the root */
		json_t *j = c->env->lookup(c->env->ctx, name);
		if (j) {
			v = jn_from_json(c, j);
			jn_bind(c, c->root, name, v);
			*found = true;
			return v;
		}
	}
	v = jn_builtin(c, name);
	*found = v != NULL;
	return v;
}

static jn_frame *frame_from_tuple(jn_ctx *c, jn_frame *env, jn_value *t)
{
	jn_frame *f = jn_frame_new(c, env);
	if (!t) return f;
	f->n = f->cap = (int)t->u.o.n;
	f->names = t->u.o.k;
	f->vals = t->u.o.v;
	f->shared = true;   /* the tuple's arrays: copied on the first bind */
	return f;
}

static jn_value *tuple_at(jn_value *t) { return t ? jn_get(NULL, t, "@", 1) : NULL; }

static jn_value *tuple_copy(jn_ctx *c, jn_value *t)
{
	jn_value *o = jn_obj(c, t->u.o.n + 2);
	jn_memcpy(o->u.o.k, t->u.o.k, t->u.o.n * sizeof *o->u.o.k);
	jn_memcpy(o->u.o.kl, t->u.o.kl, t->u.o.n * sizeof *o->u.o.kl);
	jn_memcpy(o->u.o.v, t->u.o.v, t->u.o.n * sizeof *o->u.o.v);
	o->u.o.n = t->u.o.n;
	return o;
}

static void tset(jn_ctx *c, jn_value *t, const char *k, jn_value *v)
{
	jn_set(c, t, k, strlen(k), v);
}

/* ------------------------------------------------------------- sequences */
jn_value *jn_append(jn_ctx *c, jn_value *a, jn_value *b)
{
	if (!a) return b;
	if (!b) return a;
	a = jn_force_arr(c, a);
	b = jn_force_arr(c, b);
	if (a->t != JV_ARR) { jn_value *s = jn_seq(c, 2); jn_push(c, s, a); a = s; }
	else {
		jn_value *s = jn_arr(c, a->u.a.n + 4);
		jn_memcpy(s->u.a.v, a->u.a.v, a->u.a.n * sizeof *s->u.a.v);
		s->u.a.n = a->u.a.n; s->flags = a->flags;
		a = s;
	}
	if (b->t != JV_ARR) jn_push(c, a, b);
	else for (size_t i = 0; i < b->u.a.n; i++) jn_push(c, a, b->u.a.v[i]);
	return a;
}

static jn_value *as_seq(jn_ctx *c, jn_value *v)
{
	if (v && v->t == JV_ARR) return jn_force(c, v);
	jn_value *s = jn_seq(c, 1);
	if (v) jn_push(c, s, v);
	return s;
}

static bool is_num(jn_value *v) { return v && v->t == JV_NUM; }

static bool all_numbers(jn_value *v)
{
	if (!v || v->t != JV_ARR) return false;
	for (size_t i = 0; i < v->u.a.n; i++) if (!is_num(v->u.a.v[i])) return false;
	return true;
}

/* ----------------------------------------------------------------- eval */
static jn_value *eval(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env);
static jn_value *eval_name(jn_ctx *c, jn_node *n, jn_value *input);
static jn_value *eval_lazy(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env);

/* What eval makes of a sequence: undefined when empty, its member when it
 * has one (unless kept as an array). */
static inline jn_value *unwrap_seq(jn_value *r, bool keep)
{
	if (r && r->t == JV_ARR && (r->flags & JA_SEQ) && !(r->flags & JA_TUPLES)) {
		if (keep) r->flags |= JA_KEEP;
		if (r->u.a.n == 0) r = NULL;
		else if (r->u.a.n == 1 && !(r->flags & JA_KEEP)) r = r->u.a.v[0];
	}
	return r;
}



static jn_value *eval_filter(jn_ctx *c, jn_node *pred, jn_value *input, jn_frame *env)
{
	jn_value *res = jn_seq(c, 0);
	bool tuples = input && input->t == JV_ARR && (input->flags & JA_TUPLES);
	if (tuples) res->flags |= JA_TUPLES;
	input = as_seq(c, input);
	size_t n = input->u.a.n;
	if (pred->type == N_NUMBER) {
		double ix = floor(pred->num);
		if (ix < 0) ix += (double)n;
		if (ix >= 0 && ix < (double)n) {
			jn_value *item = jn_force(c, input->u.a.v[(size_t)ix]);
			if (item && item->t == JV_ARR) res = item;
			else jn_push(c, res, item);
		}
		return res;
	}
	for (size_t i = 0; i < n; i++) {
		jn_value *item = input->u.a.v[i], *ctx = item;
		jn_frame *e = env;
		if (tuples) { ctx = tuple_at(item); e = frame_from_tuple(c, env, item); }
		jn_value *r = eval(c, pred, ctx, e);
		if (is_num(r)) {
			double ix = floor(r->u.n);
			if (ix < 0) ix += (double)n;
			if (ix == (double)i) jn_push(c, res, item);
		} else if (all_numbers(r) && r->u.a.n) {
			for (size_t k = 0; k < r->u.a.n; k++) {
				double ix = floor(r->u.a.v[k]->u.n);
				if (ix < 0) ix += (double)n;
				if (ix == (double)i) jn_push(c, res, item);
			}
		} else if (jn_truthy(c, r)) jn_push(c, res, item);
	}
	return res;
}

static jn_value *eval_stages(jn_ctx *c, jn_node *s, jn_value *res, jn_frame *env)
{
	for (int i = 0; i < s->nstages; i++) {
		jn_stage *st = &s->stages[i];
		if (st->expr) res = eval_filter(c, st->expr, res, env);
		else if (res && res->t == JV_ARR)
			for (size_t k = 0; k < res->u.a.n; k++)
				tset(c, res->u.a.v[k], st->index, jn_num(c, (double)k));
	}
	return res;
}

typedef struct sort_ud { jn_node *sort; jn_frame *env; bool tuples; } sort_ud;

static bool sort_swap(jn_ctx *c, void *ud, jn_value *a, jn_value *b)
{
	sort_ud *u = ud;
	int comp = 0;
	for (int i = 0; comp == 0 && i < u->sort->nitems; i++) {
		jn_node *term = u->sort->items[i];
		jn_value *ca = a, *cb = b;
		jn_frame *ea = u->env, *eb = u->env;
		if (u->tuples) {
			ca = tuple_at(a); ea = frame_from_tuple(c, u->env, a);
			cb = tuple_at(b); eb = frame_from_tuple(c, u->env, b);
		}
		jn_value *aa = eval(c, term, ca, ea), *bb = eval(c, term, cb, eb);
		if (!aa) { comp = bb ? 1 : 0; continue; }
		if (!bb) { comp = -1; continue; }
		bool acomp = aa->t == JV_STR || aa->t == JV_NUM, bcomp = bb->t == JV_STR || bb->t == JV_NUM;
		if (!acomp || !bcomp) jn_throw(c, "T2008", u->sort->pos, NULL, !acomp ? aa : bb, NULL);
		if (aa->t != bb->t) jn_throw(c, "T2007", u->sort->pos, NULL, aa, bb);
		if (aa->t == JV_NUM) comp = aa->u.n == bb->u.n ? 0 : aa->u.n < bb->u.n ? -1 : 1;
		else {
			size_t l = aa->u.s.len < bb->u.s.len ? aa->u.s.len : bb->u.s.len;
			int r = memcmp(aa->u.s.s, bb->u.s.s, l);
			comp = r ? (r < 0 ? -1 : 1) : aa->u.s.len == bb->u.s.len ? 0 : aa->u.s.len < bb->u.s.len ? -1 : 1;
		}
		if (u->sort->desc[i]) comp = -comp;
	}
	return comp == 1;
}

/* A stable merge sort; SWAP(a, b) says a goes after b. */
void jn_sort(jn_ctx *c, jn_value **v, size_t n,
	     bool (*swap)(jn_ctx *, void *, jn_value *, jn_value *), void *ud)
{
	if (n < 2) return;
	size_t m = n / 2;
	jn_sort(c, v, m, swap, ud);
	jn_sort(c, v + m, n - m, swap, ud);
	jn_value **tmp = jn_alloc(c, n * sizeof *tmp);
	size_t i = 0, j = m, k = 0;
	while (i < m && j < n) tmp[k++] = swap(c, ud, v[i], v[j]) ? v[j++] : v[i++];
	while (i < m) tmp[k++] = v[i++];
	while (j < n) tmp[k++] = v[j++];
	jn_memcpy(v, tmp, n * sizeof *v);
}

static jn_value *eval_sort(jn_ctx *c, jn_node *s, jn_value *input, jn_frame *env)
{
	if (!input) return NULL;
	input = as_seq(c, input);
	sort_ud u = { s, env, (input->flags & JA_TUPLES) != 0 };
	jn_value *r = jn_arr(c, input->u.a.n);
	jn_memcpy(r->u.a.v, input->u.a.v, input->u.a.n * sizeof *r->u.a.v);
	r->u.a.n = input->u.a.n;
	r->flags = JA_SEQ | (input->flags & JA_TUPLES);
	jn_sort(c, r->u.a.v, r->u.a.n, sort_swap, &u);
	return r;
}

static jn_value *eval_step(jn_ctx *c, jn_node *s, jn_value *input, jn_frame *env, bool last)
{
	if (s->type == N_SORT) {
		jn_value *r = eval_sort(c, s, input, env);
		if (s->nstages) r = eval_stages(c, s, r, env);
		return r;
	}
	jn_value *res = jn_seq(c, input->u.a.n);
	/* a field name over each member: the name's lookup without eval's
	 * bookkeeping (a lookup neither recurses nor takes time) */
	bool name = s->type == N_NAME && s->plain;
	for (size_t i = 0; i < input->u.a.n; i++) {
		jn_value *r = name ? unwrap_seq(jn_force_arr(c, eval_name(c, s, input->u.a.v[i])), false)
		                   : eval(c, s, input->u.a.v[i], env);
		for (int k = 0; k < s->nstages; k++) r = jn_force(c, eval_filter(c, s->stages[k].expr, r, env));
		if (r) jn_push(c, res, r);
	}
	if (last && res->u.a.n == 1 && res->u.a.v[0]->t == JV_ARR && !(res->u.a.v[0]->flags & JA_SEQ))
		return jn_force(c, res->u.a.v[0]);
	/* flatten */
	bool flat = true;
	for (size_t i = 0; i < res->u.a.n; i++)
		if (res->u.a.v[i]->t == JV_ARR && !(res->u.a.v[i]->flags & JA_CONS)) { flat = false; break; }
	if (flat) return res;
	jn_value *out = jn_seq(c, res->u.a.n * 2);
	for (size_t i = 0; i < res->u.a.n; i++) {
		jn_value *r = res->u.a.v[i];
		if (r->t != JV_ARR || (r->flags & JA_CONS)) jn_push(c, out, r);
		else for (size_t k = 0; k < r->u.a.n; k++) jn_push(c, out, r->u.a.v[k]);
	}
	return out;
}

static jn_value *eval_tuple_step(jn_ctx *c, jn_node *s, jn_value *input, jn_value *tb, jn_frame *env)
{
	jn_value *res;
	if (s->type == N_SORT) {
		if (tb) res = eval_sort(c, s, tb, env);
		else {
			jn_value *sorted = eval_sort(c, s, input, env);
			res = jn_seq(c, 0);
			res->flags |= JA_TUPLES;
			for (size_t i = 0; sorted && i < sorted->u.a.n; i++) {
				jn_value *t = jn_obj(c, 2);
				tset(c, t, "@", sorted->u.a.v[i]);
				if (s->index) tset(c, t, s->index, jn_num(c, (double)i));
				jn_push(c, res, t);
			}
		}
		if (s->nstages) res = eval_stages(c, s, res, env);
		return res;
	}
	res = jn_seq(c, 0);
	res->flags |= JA_TUPLES;
	if (!tb) {
		tb = jn_seq(c, input->u.a.n);
		for (size_t i = 0; i < input->u.a.n; i++) {
			jn_value *t = jn_obj(c, 2);
			tset(c, t, "@", input->u.a.v[i]);
			jn_push(c, tb, t);
		}
	}
	for (size_t e = 0; e < tb->u.a.n; e++) {
		jn_value *tup = tb->u.a.v[e];
		jn_frame *se = frame_from_tuple(c, env, tup);
		jn_value *r = eval(c, s, tuple_at(tup), se);
		if (!r) continue;
		bool rt = r->t == JV_ARR && (r->flags & JA_TUPLES);
		if (r->t != JV_ARR) { jn_value *w = jn_seq(c, 1); jn_push(c, w, r); r = w; }
		for (size_t b = 0; b < r->u.a.n; b++) {
			jn_value *t = tuple_copy(c, tup);
			if (rt) {
				jn_value *o = r->u.a.v[b];
				for (size_t k = 0; k < o->u.o.n; k++) jn_set(c, t, o->u.o.k[k], o->u.o.kl[k], o->u.o.v[k]);
			} else {
				if (s->focus) {
					tset(c, t, s->focus, r->u.a.v[b]);
					tset(c, t, "@", tuple_at(tup));
				} else tset(c, t, "@", r->u.a.v[b]);
				if (s->index) tset(c, t, s->index, jn_num(c, (double)b));
				if (s->ancestor) tset(c, t, s->ancestor->label, tuple_at(tup));
			}
			jn_push(c, res, t);
		}
	}
	if (s->nstages) res = eval_stages(c, s, res, env);
	return res;
}

static jn_value *eval_group(jn_ctx *c, jn_node *g, jn_value *input, jn_frame *env);
static jn_value *eval_path_from(jn_ctx *c, jn_node *p, jn_value *in, int first, jn_frame *env);

static jn_value *eval_path(jn_ctx *c, jn_node *p, jn_value *input, jn_frame *env)
{
	jn_value *in;
	input = jn_force_arr(c, input);
	/* the fast way along plain steps over single values (a.b.c over
	 * objects): no sequences built; the general way takes over at the
	 * first step whose result is an array */
	int first = 0;
	if (!p->tuple && !p->keep_singleton && !p->keep_array && !p->group && (!input || input->t != JV_ARR)) {
		jn_value *cur = input, *r = NULL;
		for (; first < p->nitems && p->items[first]->plain; first++) {
			jn_node *s = p->items[first];
			/* an input array stays unconverted here (unwrap_seq leaves
			 * it: it is not a sequence) */
			r = s->type == N_NAME ? unwrap_seq(eval_name(c, s, cur), false)
			                      : eval(c, s, cur, env);
			if (!r) return NULL;
			if (r->t == JV_ARR) break;
			cur = r;
		}
		if (first == p->nitems) return cur;
		if (first > 0 && r->t != JV_ARR) {
			/* step FIRST is not plain: the general way from it, over [cur] */
			in = jn_seq(c, 1);
			jn_push(c, in, cur);
			return eval_path_from(c, p, in, first, env);
		}
		if (r && r->t == JV_ARR) {
			/* step FIRST gave an array: the step's result as eval_step
			 * makes it, and the general way from the next step */
			jn_value *res;
			if (first == p->nitems - 1 && !(r->flags & JA_SEQ)) return r;
			r = jn_force_arr(c, r);
			res = jn_seq(c, r->u.a.n);
			if (r->flags & JA_CONS) jn_push(c, res, r);
			else for (size_t k = 0; k < r->u.a.n; k++) jn_push(c, res, r->u.a.v[k]);
			if (first == p->nitems - 1 || !res->u.a.n) return res;
			return eval_path_from(c, p, res, first + 1, env);
		}
	}
	if (p->items[0]->type == N_VAR) in = as_seq(c, NULL), in->u.a.n = 0, jn_push(c, in, input);
	else if (input && input->t == JV_ARR) in = input;
	else if (!input) { in = jn_seq(c, 1); in->u.a.v[0] = NULL; in->u.a.n = 1; }
	else in = as_seq(c, input);
	if (p->items[0]->type == N_VAR && !input) { in = jn_seq(c, 1); in->u.a.v[0] = NULL; in->u.a.n = 1; }
	return eval_path_from(c, p, in, 0, env);
}

static jn_value *eval_path_from(jn_ctx *c, jn_node *p, jn_value *in, int first, jn_frame *env)
{
	jn_value *res = NULL, *tb = NULL;
	bool tuples = false;
	for (int i = first; i < p->nitems; i++) {
		jn_node *s = p->items[i];
		if (s->tuple) tuples = true;
		if (i == 0 && s->cons_array) res = eval(c, s, in, env);
		else if (tuples) tb = eval_tuple_step(c, s, in, tb, env);
		else res = eval_step(c, s, in, env, i == p->nitems - 1);
		if (!tuples && (!res || (res->t == JV_ARR && res->u.a.n == 0))) break;
		if (!s->focus) in = res;
		in = as_seq(c, in);
		if (!in) in = jn_seq(c, 0);
	}
	if (tuples) {
		if (p->tuple) res = tb;
		else {
			res = jn_seq(c, tb ? tb->u.a.n : 0);
			for (size_t k = 0; tb && k < tb->u.a.n; k++) jn_push(c, res, tuple_at(tb->u.a.v[k]));
		}
	}
	if (p->keep_singleton && res) {
		if (res->t == JV_ARR && (res->flags & JA_CONS) && !(res->flags & JA_SEQ)) {
			jn_value *s = jn_seq(c, 1); jn_push(c, s, res); res = s;
		} else if (res->t != JV_ARR) {
			jn_value *s = jn_seq(c, 1); jn_push(c, s, res); res = s;
		}
		if (res->t == JV_ARR) res->flags |= JA_KEEP;
	}
	if (p->group) res = eval_group(c, p->group, tuples ? tb : res, env);
	return res;
}

static jn_value *reduce_tuples(jn_ctx *c, jn_value *ts)
{
	if (!ts || ts->t != JV_ARR) return ts;
	jn_value *r = tuple_copy(c, ts->u.a.v[0]);
	for (size_t i = 1; i < ts->u.a.n; i++) {
		jn_value *t = ts->u.a.v[i];
		for (size_t k = 0; k < t->u.o.n; k++) {
			jn_value *old = jn_get(c, r, t->u.o.k[k], t->u.o.kl[k]);
			jn_set(c, r, t->u.o.k[k], t->u.o.kl[k], jn_append(c, old, t->u.o.v[k]));
		}
	}
	return r;
}

static jn_value *eval_group(jn_ctx *c, jn_node *g, jn_value *input, jn_frame *env)
{
	bool reduce = input && input->t == JV_ARR && (input->flags & JA_TUPLES);
	input = as_seq(c, input);
	if (input->u.a.n == 0) { input = jn_seq(c, 1); input->u.a.v[0] = NULL; input->u.a.n = 1; }
	if (!reduce && input->u.a.n == 1) {
		/* one item (an object constructor's usual case): each pair's key,
		 * then each value, over it; a key seen twice comes from two pairs */
		jn_value *item = input->u.a.v[0], *res = jn_obj(c, (size_t)g->npairs);
		int *pair = jn_alloc_raw(c, (size_t)(g->npairs + 1) * sizeof *pair);
		for (int pi = 0; pi < g->npairs; pi++) {
			jn_value *k = eval(c, g->keys[pi], item, env);
			if (k && k->t != JV_STR) jn_throw(c, "T1003", g->pos, NULL, k, NULL);
			if (!k) continue;
			for (size_t q = 0; q < res->u.o.n; q++)
				if (res->u.o.kl[q] == k->u.s.len && !memcmp(res->u.o.k[q], k->u.s.s, k->u.s.len))
					jn_throw(c, "D1009", g->pos, NULL, k, NULL);
			res->u.o.k[res->u.o.n] = k->u.s.s;
			res->u.o.kl[res->u.o.n] = k->u.s.len;
			pair[res->u.o.n++] = pi;
		}
		size_t n = 0;
		for (size_t i = 0; i < res->u.o.n; i++) {
			jn_value *v = eval(c, g->vals[pair[i]], item, env);
			if (!v) continue;
			res->u.o.k[n] = res->u.o.k[i];
			res->u.o.kl[n] = res->u.o.kl[i];
			res->u.o.v[n++] = v;
		}
		res->u.o.n = n;
		return res;
	}
	/* groups: key -> (data, pair index), in first-seen order */
	jn_value *keys = jn_obj(c, 8);
	int *pidx = NULL; size_t np = 0, cp = 0;
	jn_value **data = NULL;
	for (size_t i = 0; i < input->u.a.n; i++) {
		jn_value *item = input->u.a.v[i];
		jn_frame *e = reduce ? frame_from_tuple(c, env, item) : env;
		for (int pi = 0; pi < g->npairs; pi++) {
			jn_value *k = eval(c, g->keys[pi], reduce ? tuple_at(item) : item, e);
			if (k && k->t != JV_STR) jn_throw(c, "T1003", g->pos, NULL, k, NULL);
			if (!k) continue;
			jn_value *slot = jn_get(c, keys, k->u.s.s, k->u.s.len);
			if (slot) {
				size_t si = (size_t)slot->u.n;
				if (pidx[si] != pi) jn_throw(c, "D1009", g->pos, NULL, k, NULL);
				data[si] = jn_append(c, data[si], item);
			} else {
				if (np == cp) {
					cp = cp ? 2 * cp : 8;
					int *ni = jn_alloc(c, cp * sizeof *ni);
					jn_value **nd = jn_alloc(c, cp * sizeof *nd);
					if (np) { jn_memcpy(ni, pidx, np * sizeof *ni); jn_memcpy(nd, data, np * sizeof *nd); }
					pidx = ni; data = nd;
				}
				pidx[np] = pi; data[np] = item;
				jn_set(c, keys, k->u.s.s, k->u.s.len, jn_num(c, (double)np));
				np++;
			}
		}
	}
	jn_value *res = jn_obj(c, np);
	for (size_t i = 0; i < np; i++) {
		jn_value *ctx = data[i];
		jn_frame *e = env;
		if (reduce) {
			jn_value *t = reduce_tuples(c, ctx);
			ctx = tuple_at(t);
			e = frame_from_tuple(c, env, t);
		}
		jn_value *v = eval(c, g->vals[pidx[i]], ctx, e);
		if (v) jn_set(c, res, keys->u.o.k[i], keys->u.o.kl[i], v);
	}
	return res;
}

static jn_value *eval_name(jn_ctx *c, jn_node *n, jn_value *input)
{
	if (!input) return NULL;
	input = jn_force_arr(c, input);
	if (input->t == JV_OBJ) return jn_get(c, input, n->str, n->len);
	if (input->t != JV_ARR) return NULL;
	jn_value *res = jn_seq(c, 0);
	for (size_t i = 0; i < input->u.a.n; i++) {
		jn_value *x = input->u.a.v[i];
		jn_value *r = jn_force_arr(c, eval_name(c, n, x));
		if (!r) continue;
		if (r->t == JV_ARR) for (size_t k = 0; k < r->u.a.n; k++) jn_push(c, res, r->u.a.v[k]);
		else jn_push(c, res, r);
	}
	return res;
}

static void flatten_into(jn_ctx *c, jn_value *out, jn_value *v)
{
	v = jn_force(c, v);
	if (v && v->t == JV_ARR) for (size_t i = 0; i < v->u.a.n; i++) flatten_into(c, out, v->u.a.v[i]);
	else jn_push(c, out, v);
}

static jn_value *eval_wildcard(jn_ctx *c, jn_value *input)
{
	jn_value *res = jn_seq(c, 0);
	input = jn_force(c, input);
	if (input && input->t == JV_ARR && (input->flags & JA_OUTER) && input->u.a.n) input = jn_force(c, input->u.a.v[0]);
	if (input && input->t == JV_ARR) {
		for (size_t i = 0; i < input->u.a.n; i++) {
			jn_value *v = input->u.a.v[i];
			if (v && v->t == JV_ARR) flatten_into(c, res, v);
			else if (v) jn_push(c, res, v);
		}
	} else if (input && input->t == JV_OBJ) {
		for (size_t i = 0; i < input->u.o.n; i++) {
			jn_value *v = input->u.o.v[i];
			if (v && v->t == JV_ARR) flatten_into(c, res, v);
			else jn_push(c, res, v);
		}
	}
	return res;
}

static void descend(jn_ctx *c, jn_value *v, jn_value *out)
{
	if (!v) return;
	v = jn_force(c, v);
	if (v->t != JV_ARR) jn_push(c, out, v);
	if (v->t == JV_ARR) for (size_t i = 0; i < v->u.a.n; i++) descend(c, v->u.a.v[i], out);
	else if (v->t == JV_OBJ) for (size_t i = 0; i < v->u.o.n; i++) descend(c, v->u.o.v[i], out);
}

static int cmp_str(jn_value *a, jn_value *b)
{
	size_t l = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
	int r = memcmp(a->u.s.s, b->u.s.s, l);
	if (r) return r;
	return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len;
}

static const char *op_token(int op)
{
	static const char *t[] = { "", "+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=",
		"&", "and", "or", "in", ".." };
	return t[op];
}

static jn_value *eval_binary(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env)
{
	int op = n->op;
	jn_value *l = eval(c, n->lhs, input, env);
	if (op == OP_AND) {
		if (!jn_truthy(c, l)) return &jn_false;
		return jn_bool(jn_truthy(c, eval(c, n->rhs, input, env)));
	}
	if (op == OP_OR) {
		if (jn_truthy(c, l)) return &jn_true;
		return jn_bool(jn_truthy(c, eval(c, n->rhs, input, env)));
	}
	jn_value *r = eval(c, n->rhs, input, env);
	const char *tok = op_token(op);
	switch (op) {
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD: {
		if (l && !is_num(l)) jn_throw(c, "T2001", n->pos, tok, l, NULL);
		if (r && !is_num(r)) jn_throw(c, "T2002", n->pos, tok, r, NULL);
		if ((l && !isfinite(l->u.n)) || (r && !isfinite(r->u.n)))
			jn_throw(c, "D1001", n->pos, tok,
			         l && !isfinite(l->u.n) ? l : r, NULL);
		if (!l || !r) return NULL;
		double a = l->u.n, b = r->u.n, x = 0;
		switch (op) {
		case OP_ADD: x = a + b; break;
		case OP_SUB: x = a - b; break;
		case OP_MUL: x = a * b; break;
		case OP_DIV: x = a / b; break;
		case OP_MOD: x = fmod(a, b); break;
		}
		return jn_num(c, x);
	}
	case OP_EQ: case OP_NE: {
		if (!l || !r) return &jn_false;
		bool eq = jn_deep_equal(c, l, r);
		return jn_bool(op == OP_EQ ? eq : !eq);
	}
	case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
		bool lc = !l || l->t == JV_STR || l->t == JV_NUM, rc = !r || r->t == JV_STR || r->t == JV_NUM;
		if (!lc || !rc) jn_throw(c, "T2010", n->pos, tok, !lc ? l : r, NULL);
		if (!l || !r) return NULL;
		if (l->t != r->t) jn_throw(c, "T2009", n->pos, tok, l, r);
		int cmp = l->t == JV_NUM ? (l->u.n < r->u.n ? -1 : l->u.n > r->u.n ? 1 : 0) : cmp_str(l, r);
		bool res = op == OP_LT ? cmp < 0 : op == OP_LE ? cmp <= 0 : op == OP_GT ? cmp > 0 : cmp >= 0;
		return jn_bool(res);
	}
	case OP_CONCAT: {
		jn_value *ls = l ? jn_string_of(c, l) : NULL, *rs = r ? jn_string_of(c, r) : NULL;
		size_t a = ls ? ls->u.s.len : 0, b = rs ? rs->u.s.len : 0;
		char *s = jn_alloc(c, a + b + 1);
		if (a) jn_memcpy(s, ls->u.s.s, a);
		if (b) jn_memcpy(s + a, rs->u.s.s, b);
		return jn_str(c, s, a + b);
	}
	case OP_IN: {
		if (!l || !r) return &jn_false;
		if (r->t != JV_ARR) return jn_bool(jn_deep_equal(c, l, r));
		for (size_t i = 0; i < r->u.a.n; i++) if (jn_deep_equal(c, r->u.a.v[i], l)) return &jn_true;
		return &jn_false;
	}
	case OP_RANGE: {
		if (l && !jn_is_int(l)) jn_throw(c, "T2003", n->pos, tok, l, NULL);
		if (r && !jn_is_int(r)) jn_throw(c, "T2004", n->pos, tok, r, NULL);
		if (!l || !r) return NULL;
		if (l->u.n > r->u.n) return NULL;
		double size = r->u.n - l->u.n + 1;
		if (size > 1e7) jn_throw(c, "D2014", n->pos, tok, jn_num(c, size), NULL);
		jn_value *a = jn_seq(c, (size_t)size);
		for (size_t i = 0; i < (size_t)size; i++) a->u.a.v[i] = jn_num(c, l->u.n + (double)i);
		a->u.a.n = (size_t)size;
		return a;
	}
	}
	return NULL;
}

static jn_value *make_func(jn_ctx *c, int kind)
{
	jn_value *v = jn_alloc(c, sizeof *v);
	v->t = JV_FUNC;
	v->u.f = jn_alloc(c, sizeof *v->u.f);
	v->u.f->kind = kind;
	return v;
}

static jn_value placeholder = { JV_NULL, 0, NULL, { .b = false } };

static const char *proc_name(jn_node *p)
{
	if (p->type == N_PATH && p->items[0]->type == N_NAME) return p->items[0]->str;
	if (p->type == N_VAR) return p->str;
	return NULL;
}

/* $sum, $max, $min, $average of a path of plain steps whose last is a
 * name over an input array of objects (items.price): the members read
 * from jansson and aggregated as they are found, no sequence built.
 * False, and nothing evaluated that matters, when the path is not of that
 * shape or a member is not an object or a value found is not a number:
 * the general way then gives the result or the error (T0412). */
static bool fused_aggregate(jn_ctx *c, int agg, jn_node *p, jn_value *input, jn_frame *env, jn_value **out)
{
	if (p->type != N_PATH || p->npreds || p->group || p->tuple || p->keep_singleton || p->keep_array)
		return false;
	jn_node *last = p->items[p->nitems - 1];
	if (last->type != N_NAME || !last->plain) return false;
	json_t *arr = NULL;    /* the objects: an input array's members, */
	jn_value *seq = NULL;  /* or a sequence's (a group of group-by) */
	if (input && input->t == JV_ARR) {
		/* a name alone over an array */
		if (p->nitems != 1 || (input->flags & JA_TUPLES)) return false;
		if (input->flags & JA_LAZY) arr = input->src;
		else seq = input;
	} else {
		/* plain steps to an input array, then the name over it */
		if (p->nitems < 2) return false;
		jn_value *cur = input;
		for (int i = 0; i < p->nitems - 1; i++) {
			jn_node *s = p->items[i];
			if (!s->plain || (i > 0 && (!cur || cur->t == JV_ARR))) return false;
			cur = s->type == N_NAME ? unwrap_seq(eval_name(c, s, cur), false) : eval(c, s, cur, env);
		}
		if (!cur || cur->t != JV_ARR || !(cur->flags & JA_LAZY)) return false;
		arr = cur->src;
	}
	size_t n = arr ? json_array_size(arr) : seq->u.a.n, count = 0;
	double acc = agg == JN_AGG_MAX ? -INFINITY : agg == JN_AGG_MIN ? INFINITY : 0;
	for (size_t i = 0; i < n; i++) {
		json_t *m;
		if (arr) m = json_array_get(arr, i);
		else {
			/* an input object not converted (its members as in jansson) */
			jn_value *x = seq->u.a.v[i];
			if (!x || x->t != JV_OBJ || !(x->flags & JA_LAZY)) return false;
			m = x->src;
		}
		if (!json_is_object(m)) return false;
		json_t *v = json_object_getn(m, last->str, last->len);
		if (!v) continue;
		double d;
		if (json_is_integer(v)) d = (double)json_integer_value(v);
		else if (json_is_real(v)) d = json_real_value(v);
		else return false;
		count++;
		if (agg == JN_AGG_MAX) { if (d > acc) acc = d; }
		else if (agg == JN_AGG_MIN) { if (d < acc) acc = d; }
		else acc += d;
	}
	if (!count) return false;
	*out = jn_num(c, agg == JN_AGG_AVERAGE ? acc / (double)count : acc);
	return true;
}

static jn_value *eval_call(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env, jn_value *applyto, bool has_applyto)
{
	jn_value *proc = eval(c, n->lhs, input, env);
	if (n->type == N_CALL && !has_applyto && n->nitems == 1 && jn_is_func(proc) && proc->u.f->agg) {
		jn_value *r;
		if (fused_aggregate(c, proc->u.f->agg, n->items[0], input, env, &r)) return r;
	}
	const char *name = proc_name(n->lhs);
	if (!proc && n->lhs->type == N_PATH && n->lhs->items[0]->type == N_NAME) {
		bool found;
		lookup_var(c, env, n->lhs->items[0]->str, &found);
		if (found) jn_throw(c, n->type == N_PARTIAL ? "T1007" : "T1005", n->pos, name, NULL, NULL);
	}
	int na = n->nitems + (has_applyto ? 1 : 0);
	jn_value **args = jn_alloc(c, (size_t)(na + 1) * sizeof *args);
	int k = 0;
	if (has_applyto) args[k++] = applyto;
	bool lazy = jn_is_func(proc) && proc->u.f->lazy_args && n->type == N_CALL;
	for (int i = 0; i < n->nitems; i++)
		args[k++] = n->items[i]->type == N_PLACEHOLDER ? &placeholder
			  : lazy ? eval_lazy(c, n->items[i], input, env) : eval(c, n->items[i], input, env);
	if (n->type == N_PARTIAL) {
		if (!jn_is_func(proc)) jn_throw(c, "T1008", n->pos, name, NULL, NULL);
		jn_value *f = make_func(c, FN_PARTIAL);
		f->u.f->target = proc; f->u.f->args = args; f->u.f->nargs = na;
		int ar = 0;
		for (int i = 0; i < na; i++) if (args[i] == &placeholder) ar++;
		f->u.f->arity = ar;
		return f;
	}
	if (!jn_is_func(proc)) jn_throw(c, "T1006", n->pos, name, NULL, NULL);
	if (proc->u.f->kind == FN_NATIVE && !proc->u.f->name) proc->u.f->name = name;
	return jn_apply(c, proc, args, na, input, n->pos);
}

static jn_value *jn_transform(jn_ctx *c, jn_node *n, jn_frame *env, jn_value *obj);

static jn_value *apply_inner(jn_ctx *c, jn_value *fn, jn_value **args, int nargs, jn_value *input, int pos)
{
	if (!jn_is_func(fn)) jn_throw(c, "T1006", pos, NULL, NULL, NULL);
	jn_func *f = fn->u.f;
	/* a native function reads its arguments' members: converted here;
	 * a lambda's body converts what it navigates */
	bool lazy = f->kind == FN_LAMBDA && !f->sig;
	if (!f->lazy_args)
		for (int i = 0; i < nargs; i++) args[i] = lazy ? jn_force_arr(c, args[i]) : jn_force(c, args[i]);
	if (f->sig) {
		args = jn_sig_validate(c, f->sig, args, &nargs, input, pos, f->name);
		if (!f->lazy_args) for (int i = 0; i < nargs; i++) args[i] = jn_force(c, args[i]);
	}
	switch (f->kind) {
	case FN_LAMBDA: {
		jn_frame *e = jn_frame_new(c, f->env);
		for (int i = 0; i < f->node->nitems; i++)
			jn_bind(c, e, f->node->items[i]->str, i < nargs ? args[i] : NULL);
		return eval(c, f->node->rhs, f->input, e);
	}
	case FN_NATIVE:
		if (f->node) return jn_transform(c, f->node, f->env, nargs ? args[0] : NULL);
		return f->native(c, args, nargs, input, pos);
	case FN_PARTIAL: {
		jn_value **full = jn_alloc(c, (size_t)(f->nargs + 1) * sizeof *full);
		int k = 0;
		for (int i = 0; i < f->nargs; i++)
			full[i] = f->args[i] == &placeholder ? (k < nargs ? args[k++] : NULL) : f->args[i];
		return jn_apply(c, f->target, full, f->nargs, input, pos);
	}
	case FN_REGEX:
		if (nargs < 1 || !args[0] || args[0]->t != JV_STR) return NULL;
		return jn_regex_exec(c, fn, args[0]->u.s.s, args[0]->u.s.len, 0, pos);
	}
	return NULL;
}

jn_value *jn_apply(jn_ctx *c, jn_value *fn, jn_value **args, int nargs, jn_value *input, int pos)
{
	jn_value *r = apply_inner(c, fn, args, nargs, input, pos);
	while (r && r->t == JV_FUNC && r->u.f->kind == FN_THUNK) {
		jn_func *t = r->u.f;
		jn_node *call = t->node;
		jn_value *next = eval(c, call->lhs, t->input, t->env);
		if (!jn_is_func(next)) {
			const char *name = proc_name(call->lhs);
			if (!next && call->lhs->type == N_PATH && call->lhs->items[0]->type == N_NAME) {
				bool found;
				lookup_var(c, t->env, call->lhs->items[0]->str, &found);
				if (found) jn_throw(c, "T1005", call->pos, name, NULL, NULL);
			}
			jn_throw(c, "T1006", call->pos, name, NULL, NULL);
		}
		jn_value **a = jn_alloc(c, (size_t)(call->nitems + 1) * sizeof *a);
		for (int i = 0; i < call->nitems; i++) a[i] = eval(c, call->items[i], t->input, t->env);
		if (next->u.f->kind == FN_NATIVE && !next->u.f->name) next->u.f->name = proc_name(call->lhs);
		r = apply_inner(c, next, a, call->nitems, t->input, call->pos);
	}
	return r;
}

int jn_arity(jn_value *fn)
{
	if (!jn_is_func(fn)) return 0;
	jn_func *f = fn->u.f;
	if (f->kind == FN_LAMBDA) return f->node->nitems;
	if (f->kind == FN_PARTIAL) return f->arity;
	if (f->kind == FN_REGEX) return 1;
	return f->arity;
}

static jn_value *chain_fn(jn_ctx *c, jn_value **args, int nargs, jn_value *input, int pos)
{
	(void)input;
	/* args: f, g, x  -> g(f(x)) */
	jn_value *x = nargs > 2 ? args[2] : NULL;
	jn_value *fx = jn_apply(c, args[0], &x, 1, NULL, pos);
	return jn_apply(c, args[1], &fx, 1, NULL, pos);
}

static jn_value *eval_apply(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env)
{
	jn_value *l = eval(c, n->lhs, input, env);
	if (n->rhs->type == N_CALL)
		return eval_call(c, n->rhs, input, env, l, true);
	jn_value *f = eval(c, n->rhs, input, env);
	if (!jn_is_func(f)) jn_throw(c, "T2006", n->pos, NULL, f, NULL);
	if (jn_is_func(l)) {
		jn_value *ch = make_func(c, FN_NATIVE);
		ch->u.f->native = chain_fn;
		ch->u.f->arity = 3;
		jn_value *p = make_func(c, FN_PARTIAL);
		jn_value **a = jn_alloc(c, 3 * sizeof *a);
		a[0] = l; a[1] = f; a[2] = &placeholder;
		p->u.f->target = ch; p->u.f->args = a; p->u.f->nargs = 3; p->u.f->arity = 1;
		return p;
	}
	return jn_apply(c, f, &l, 1, NULL, n->pos);
}

static jn_value *clone(jn_ctx *c, jn_value *v)
{
	if (!v) return NULL;
	v = jn_force(c, v);
	if (v->t == JV_ARR) {
		jn_value *a = jn_arr(c, v->u.a.n);
		for (size_t i = 0; i < v->u.a.n; i++) a->u.a.v[i] = clone(c, v->u.a.v[i]);
		a->u.a.n = v->u.a.n; a->flags = v->flags;
		return a;
	}
	if (v->t == JV_OBJ) {
		jn_value *o = jn_obj(c, v->u.o.n);
		for (size_t i = 0; i < v->u.o.n; i++) {
			o->u.o.k[i] = v->u.o.k[i]; o->u.o.kl[i] = v->u.o.kl[i];
			o->u.o.v[i] = clone(c, v->u.o.v[i]);
		}
		o->u.o.n = v->u.o.n;
		return o;
	}
	return v;
}

static jn_value *jn_transform(jn_ctx *c, jn_node *n, jn_frame *env, jn_value *obj)
{
	if (!obj) return NULL;
	jn_value *result = clone(c, obj);
	jn_value *matches = eval(c, n->lhs, result, env);
	if (matches) {
		if (matches->t != JV_ARR) matches = as_seq(c, matches);
		for (size_t i = 0; i < matches->u.a.n; i++) {
			jn_value *m = jn_force(c, matches->u.a.v[i]);
			if (m && m->t == JV_OBJ) {
				jn_value *upd = eval(c, n->rhs, m, env);
				if (upd) {
					if (upd->t != JV_OBJ) jn_throw(c, "T2011", n->rhs->pos, NULL, upd, NULL);
					for (size_t k = 0; k < upd->u.o.n; k++)
						if (upd->u.o.v[k]) jn_set(c, m, upd->u.o.k[k], upd->u.o.kl[k], upd->u.o.v[k]);
				}
				if (n->els) {
					jn_value *del = eval(c, n->els, m, env);
					if (del) {
						jn_value *ds = del;
						if (ds->t != JV_ARR) ds = as_seq(c, ds);
						for (size_t k = 0; k < ds->u.a.n; k++)
							if (!ds->u.a.v[k] || ds->u.a.v[k]->t != JV_STR)
								jn_throw(c, "T2012", n->els->pos, NULL, del, NULL);
						for (size_t k = 0; k < ds->u.a.n; k++) {
							jn_value *key = ds->u.a.v[k];
							for (size_t q = 0; q < m->u.o.n; q++)
								if (m->u.o.kl[q] == key->u.s.len && !memcmp(m->u.o.k[q], key->u.s.s, key->u.s.len)) {
									memmove(m->u.o.k + q, m->u.o.k + q + 1, (m->u.o.n - q - 1) * sizeof *m->u.o.k);
									memmove(m->u.o.kl + q, m->u.o.kl + q + 1, (m->u.o.n - q - 1) * sizeof *m->u.o.kl);
									memmove(m->u.o.v + q, m->u.o.v + q + 1, (m->u.o.n - q - 1) * sizeof *m->u.o.v);
									m->u.o.n--;
									break;
								}
						}
					}
				}
			}
		}
	}
	return result;
}

static jn_value *transform_native(jn_ctx *c, jn_value **args, int nargs, jn_value *input, int pos)
{
	(void)c; (void)args; (void)nargs; (void)input; (void)pos;
	return NULL;   /* a marker: apply_inner runs the transform */
}

static inline __attribute__((always_inline)) void check_limits(jn_ctx *c, int pos)
{
	/* the frame address, not a local's: under ASan's use-after-return
	 * detection locals live on a heap-allocated fake stack */
	char *here = __builtin_frame_address(0);
	if (c->depth > c->max_depth ||
	    (c->stack_base && (size_t)(c->stack_base > here ? c->stack_base - here : here - c->stack_base) > c->max_stack))
		jn_throw(c, "U1001", pos, NULL, NULL, NULL);
	if (c->timelimit_ms && (++c->ticks & 255) == 0 && mono_ms() - c->start_ms > (double)c->timelimit_ms)
		jn_throw(c, "U1002", pos, NULL, NULL, NULL);
}

/* An array constructor [a, b, ...]: each item's value, an array item's
 * values spliced in unless the item is itself a constructor. */
static jn_value *eval_array(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env)
{
	jn_value *a = jn_arr(c, (size_t)n->nitems);
	for (int i = 0; i < n->nitems; i++) {
		jn_node *it = n->items[i];
		jn_value *v = eval(c, it, input, env);
		if (!v) continue;
		if (it->type == N_ARRAY) jn_push(c, a, v);
		else if (v->t == JV_ARR) for (size_t k = 0; k < v->u.a.n; k++) jn_push(c, a, v->u.a.v[k]);
		else jn_push(c, a, v);
	}
	if (n->cons_array) a->flags |= JA_CONS;
	return a;
}

/* The ** operator: every value under input, one value alone. */
static jn_value *eval_descendant(jn_ctx *c, jn_value *input)
{
	if (!input) return NULL;
	jn_value *r = jn_seq(c, 0);
	descend(c, input, r);
	if (r->u.a.n == 1) return r->u.a.v[0];
	return r;
}

/* A function(...){...} (or a tail call's thunk): a closure over env and
 * input. */
static jn_value *make_lambda(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env)
{
	jn_value *f = make_func(c, n->thunk ? FN_THUNK : FN_LAMBDA);
	f->u.f->node = n->thunk ? n->rhs : n;
	f->u.f->env = env;
	f->u.f->input = input;
	f->u.f->sig = n->sigp;
	return f;
}

/* A transform |pattern|update, delete|: a function of one argument. */
static jn_value *make_transform(jn_ctx *c, jn_node *n, jn_frame *env)
{
	jn_value *f = make_func(c, FN_NATIVE);
	f->u.f->native = transform_native;
	f->u.f->node = n;
	f->u.f->env = env;
	f->u.f->arity = 1;
	f->u.f->name = "transform";
	return f;
}

static jn_value *eval_node(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env)
{
	switch (n->type) {
	case N_PATH: return eval_path(c, n, input, env);
	case N_BINARY: return eval_binary(c, n, input, env);
	case N_NEG: {
		jn_value *v = eval(c, n->lhs, input, env);
		if (!v) return NULL;
		if (!is_num(v)) jn_throw(c, "D1002", n->pos, "-", v, NULL);
		return jn_num(c, -v->u.n);
	}
	case N_ARRAY: return eval_array(c, n, input, env);
	case N_OBJECT: return eval_group(c, n, input, env);
	case N_NAME: return eval_name(c, n, input);
	case N_STRING: return n->lit;
	case N_NUMBER: return n->lit;
	case N_VALUE: return n->op == 1 ? &jn_true : n->op == 0 ? &jn_false : &jn_null;
	case N_WILDCARD: return eval_wildcard(c, input);
	case N_DESCENDANT: return eval_descendant(c, input);
	case N_PARENT: return jn_lookup(env, n->ancestor->label, NULL);
	case N_COND: {
		jn_value *cond = eval(c, n->lhs, input, env);
		if (jn_truthy(c, cond)) return eval(c, n->then, input, env);
		if (n->els) return eval(c, n->els, input, env);
		return NULL;
	}
	case N_BLOCK: {
		jn_frame *f = n->scope ? jn_frame_new(c, env) : env;
		jn_value *r = NULL;
		for (int i = 0; i < n->nitems; i++) r = eval(c, n->items[i], input, f);
		return r;
	}
	case N_BIND: {
		jn_value *v = eval(c, n->rhs, input, env);
		jn_bind(c, env, n->lhs->str, v);
		return v;
	}
	case N_REGEX: {
		jn_value *f = make_func(c, FN_REGEX);
		f->u.f->node = n;
		f->u.f->arity = 1;
		return f;
	}
	case N_CALL: case N_PARTIAL: return eval_call(c, n, input, env, NULL, false);
	case N_VAR: {
		if (n->len == 0) {
			if (input && input->t == JV_ARR && (input->flags & JA_OUTER)) return input->u.a.v[0];
			return input;
		}
		bool found;
		return lookup_var(c, env, n->str, &found);
	}
	case N_LAMBDA: return make_lambda(c, n, input, env);
	case N_APPLY: return eval_apply(c, n, input, env);
	case N_SORT: return eval_sort(c, n, input, env);
	case N_TRANSFORM: return make_transform(c, n, env);
	}
	return NULL;
}

/* eval, but an input array that is the whole result stays unconverted:
 * for the arguments of natives that take them so (jn_func.lazy_args). */
static jn_value *eval_lazy(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env)
{
	if (n->type != N_PATH || n->npreds || n->group) return eval(c, n, input, env);
	c->depth++;
	check_limits(c, n->pos);
	jn_value *r = eval_path(c, n, input, env);
	if (!(r && r->t == JV_ARR && (r->flags & JA_LAZY))) r = unwrap_seq(jn_force_arr(c, r), n->keep_array);
	c->depth--;
	return r;
}

static jn_value *eval(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env)
{
	c->depth++;
	check_limits(c, n->pos);
	jn_value *r = jn_force_arr(c, eval_node(c, n, input, env));
	for (int i = 0; i < n->npreds; i++) r = eval_filter(c, n->preds[i].expr, r, env);
	if (n->type != N_PATH && n->group) r = eval_group(c, n->group, r, env);
	r = unwrap_seq(jn_force_arr(c, r), n->keep_array);
	c->depth--;
	return r;
}

jn_value *jn_eval(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env)
{
	return eval(c, n, input, env);
}
