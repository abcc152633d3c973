/*
 * quick.c - the evaluations that need nothing of the engine: an expression
 * of literals, variables, paths of names, arithmetic, comparisons,
 * `and`, `or`, `&`, `? :`, $not and $count, over scalars of the input, the
 * bindings and the caller's variables, read where they are (no arena, no
 * frames, no jn_value made of them).  A state machine's Choice rules and
 * Assigns are mostly such: `$i < $limit and $mode = 'run'`, `$i + 1`.
 *
 * Whether an expression is of such a shape is worked out once, when it is
 * parsed or loaded (jn_quick_shape); an evaluation checks only the values.
 * Where the engine would give anything but a plain value (an error, an
 * undefined result, a sequence, a function) or where a value is not of a
 * kind handled here, quick_eval gives up and the engine evaluates the
 * expression from the start: nothing here has an effect, and the engine
 * is the reference.  What it gives is the engine's result exactly
 * (tests/unit/test_jsonata evaluates a corpus both ways; the official
 * suite runs with it and without it: tests/jsonata/suite.sh).
 */
#include "jn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for what is written by hand; a deeper tree is the
 * engine's, which budgets its own stack. */
#define QUICK_DEPTH 64
/* Room for the strings `&` builds; a longer one goes to the engine. */
#define QUICK_TEXT 1024

typedef enum { Q_UNDEF, Q_NULL, Q_BOOL, Q_NUM, Q_STR, Q_JSON } qtype;

typedef struct qval {
	qtype t;
	bool b;
	double n;
	const char *s;
	size_t len;
	json_t *j; /* the jansson value it is (Q_JSON; a scalar read from
	              one that converts back to the same value), or NULL */
} qval;

typedef struct qctx {
	json_t *input, *bindings;
	const asl_jsonata_env *env;
	char text[QUICK_TEXT];
	size_t used;
} qctx;

/* A node with none of the annotations that change what a step gives
 * (predicates, stages, grouping, focus and index bindings, parents,
 * singleton arrays kept, tuples). */
static bool bare(const jn_node *n)
{
	return !n->npreds && !n->nstages && !n->group && !n->keep_array &&
	       !n->cons_array && !n->tuple && !n->focus && !n->index &&
	       !n->ancestor && !n->nseeking;
}

/* jn_num_is_integer, inline: an integer below 2^53 in magnitude (false
 * for NaN and the infinities). */
static inline bool integral(double d)
{
	return fabs(d) < 9007199254740992.0 && d == (double)(long long)d;
}

static bool shape(const jn_node *n, int depth);

/* A path of plain names from a name, `$` or a variable. */
static bool names_path(const jn_node *n)
{
	if (n->nitems < 1 || !bare(n->items[0]) ||
	    (n->items[0]->type != N_NAME && n->items[0]->type != N_VAR))
		return false;
	for (int i = 1; i < n->nitems; i++)
		if (n->items[i]->type != N_NAME || !bare(n->items[i]))
			return false;
	return true;
}

/* $not(x), $count(path or $var): the calls quick_eval makes. */
static bool call_shape(const jn_node *n, int depth)
{
	const jn_node *f = n->lhs, *arg = n->nitems == 1 ? n->items[0] : NULL;

	if (!arg || !f || f->type != N_VAR || !bare(f) || !f->len)
		return false;
	if (!strcmp(f->str, "not"))
		return shape(arg, depth + 1);
	return !strcmp(f->str, "count") && bare(arg) &&
	       ((arg->type == N_PATH && names_path(arg)) ||
	        (arg->type == N_VAR && arg->len));
}

/* Whether every node of N is of a kind q handles, QUICK_DEPTH deep at
 * most: what an evaluation then checks is only what the values are. */
static bool shape(const jn_node *n, int depth)
{
	if (!n || !bare(n) || depth > QUICK_DEPTH)
		return false;
	switch (n->type) {
	case N_NUMBER: case N_STRING: case N_VALUE: case N_VAR: case N_NAME:
		return true;
	case N_PATH:
		return names_path(n);
	case N_BINARY:
		return n->op >= OP_ADD && n->op <= OP_OR &&
		       shape(n->lhs, depth + 1) && shape(n->rhs, depth + 1);
	case N_NEG:
		return shape(n->lhs, depth + 1);
	case N_COND:
		return shape(n->lhs, depth + 1) && shape(n->then, depth + 1) &&
		       (!n->els || shape(n->els, depth + 1));
	case N_BLOCK:
		return n->nitems == 1 && !n->scope && shape(n->items[0], depth + 1);
	case N_CALL:
		return call_shape(n, depth);
	default:
		return false;
	}
}

bool jn_quick_shape(const jn_node *root)
{
	return shape(root, 1);
}

/* J as the engine's from_json_in reads it. */
static qval of_json(json_t *j)
{
	qval v = { .t = Q_UNDEF };

	if (!j)
		return v;
	switch (json_typeof(j)) {
	case JSON_NULL:
		v.t = Q_NULL;
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		v.t = Q_BOOL;
		v.b = json_is_true(j);
		break;
	case JSON_INTEGER:
		v.t = Q_NUM;
		v.n = (double)json_integer_value(j);
		v.j = integral(v.n) ? j : NULL;
		break;
	case JSON_REAL:
		v.t = Q_NUM;
		v.n = json_real_value(j);
		v.j = integral(v.n) ? NULL : j;
		break;
	case JSON_STRING:
		v.t = Q_STR;
		v.s = json_string_value(j);
		v.len = json_string_length(j);
		v.j = j;
		break;
	default:
		v.t = Q_JSON;
		v.j = j;
		break;
	}
	return v;
}

static bool q(qctx *c, const jn_node *n, qval *out);

/* $NAME as the engine finds it: a binding, then the caller's variable;
 * NULL when it is neither (a function's name, or undefined). */
static json_t *variable(qctx *c, const char *name)
{
	json_t *j = NULL;

	if (c->bindings)
		j = json_object_get(c->bindings, name);
	if (!j && c->env->lookup)
		j = c->env->lookup(c->env->ctx, name);
	return j;
}

/* Where a path of names (names_path) leads, from a variable, `$`, or a
 * name of the input's: *end, or NULL where a member is missing or a step
 * meets a scalar (undefined).  False where the engine is needed: an
 * undefined variable or a function, or a step over an array (the engine
 * maps over it). */
static bool walk(qctx *c, const jn_node *n, json_t **end)
{
	const jn_node *first = n->items[0];
	json_t *node;
	int i = 1;

	bool found = false;

	if (first->type == N_NAME) {
		node = c->input;
		i = 0;
	} else if (!first->len) {
		node = c->input;
	} else if (n->nitems > 1 && c->env->lookup_member &&
	           !(c->bindings && json_object_get(c->bindings, first->str)) &&
	           (node = c->env->lookup_member(c->env->ctx, first->str,
	                                         n->items[1]->str, &found),
	            found)) {
		i = 2; /* $states.input, without the object of $states */
	} else if (!(node = variable(c, first->str))) {
		return false;
	}
	*end = NULL;
	for (; i < n->nitems; i++) {
		const jn_node *s = n->items[i];
		if (json_is_array(node))
			return false;
		if (!json_is_object(node) ||
		    !(node = json_object_getn(node, s->str, s->len)))
			return true;
	}
	*end = node;
	return true;
}

/* A path's value; the engine is needed for one that ends on an array (a
 * sequence). */
static bool path(qctx *c, const jn_node *n, qval *out)
{
	json_t *end;

	if (!walk(c, n, &end) || json_is_array(end))
		return false;
	*out = of_json(end);
	return true;
}

/* jn_truthy on what it handles; false: the engine is needed. */
static bool truthy(const qval *v, bool *t)
{
	switch (v->t) {
	case Q_UNDEF:
	case Q_NULL: *t = false; return true;
	case Q_BOOL: *t = v->b; return true;
	case Q_NUM: *t = v->n != 0; return true;
	case Q_STR: *t = v->len > 0; return true;
	default: return false;
	}
}

/* $string's text of a scalar (jvalue.c's stringify with its rounding),
 * appended to c->text; false when it does not fit. */
static bool put_text(qctx *c, const qval *v)
{
	char nb[40];
	const char *s = nb;
	size_t len;

	switch (v->t) {
	case Q_UNDEF: return true;
	case Q_STR: s = v->s; len = v->len; break;
	case Q_NULL: s = "null"; len = 4; break;
	case Q_BOOL: s = v->b ? "true" : "false"; len = v->b ? 4 : 5; break;
	case Q_NUM: {
		double d = v->n;
		if (!(integral(d) && fabs(d) < 1e15)) {
			snprintf(nb, sizeof nb, "%.15g", d);
			d = strtod(nb, NULL);
		}
		jn_fmt_num(d, nb);
		len = strlen(nb);
		break;
	}
	default: return false;
	}
	if (len > sizeof c->text - c->used)
		return false;
	memcpy(c->text + c->used, s, len);
	c->used += len;
	return true;
}

static bool same(const qval *a, const qval *b)
{
	if (a->t != b->t)
		return false;
	switch (a->t) {
	case Q_NULL: return true;
	case Q_BOOL: return a->b == b->b;
	case Q_NUM: return a->n == b->n;
	default: return a->len == b->len && !memcmp(a->s, b->s, a->len);
	}
}

static bool binary(qctx *c, const jn_node *n, qval *out)
{
	qval l, r;
	bool lt, rt;

	if (!q(c, n->lhs, &l))
		return false;
	if (n->op == OP_AND || n->op == OP_OR) {
		if (!truthy(&l, &lt))
			return false;
		if (lt == (n->op == OP_OR)) {
			*out = (qval){ .t = Q_BOOL, .b = lt };
			return true;
		}
		if (!q(c, n->rhs, &r) || !truthy(&r, &rt))
			return false;
		*out = (qval){ .t = Q_BOOL, .b = rt };
		return true;
	}
	if (n->op == OP_CONCAT) {
		/* both evaluated first: either may be text of c->text's, which
		 * the result then follows */
		size_t start;
		if (!q(c, n->rhs, &r))
			return false;
		start = c->used;
		if (!put_text(c, &l) || !put_text(c, &r))
			return false;
		*out = (qval){ .t = Q_STR, .s = c->text + start,
		               .len = c->used - start };
		return true;
	}
	if (!q(c, n->rhs, &r) || l.t == Q_JSON || r.t == Q_JSON)
		return false;
	switch (n->op) {
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD: {
		double x;
		if (l.t != Q_NUM || r.t != Q_NUM)
			return false; /* undefined, or the engine's T2001/T2002 */
		switch (n->op) {
		case OP_ADD: x = l.n + r.n; break;
		case OP_SUB: x = l.n - r.n; break;
		case OP_MUL: x = l.n * r.n; break;
		case OP_DIV: x = l.n / r.n; break;
		default: x = fmod(l.n, r.n); break;
		}
		if (!isfinite(x))
			return false;
		*out = (qval){ .t = Q_NUM, .n = x };
		return true;
	}
	case OP_EQ: case OP_NE:
		/* with an undefined side, both are false (eval.c) */
		*out = (qval){ .t = Q_BOOL,
		               .b = l.t != Q_UNDEF && r.t != Q_UNDEF &&
		                    same(&l, &r) == (n->op == OP_EQ) };
		return true;
	case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
		int cmp;
		if (l.t != r.t || (l.t != Q_NUM && l.t != Q_STR))
			return false; /* undefined, or T2009/T2010 */
		if (l.t == Q_NUM) {
			cmp = l.n < r.n ? -1 : l.n > r.n;
		} else {
			size_t k = l.len < r.len ? l.len : r.len;
			cmp = memcmp(l.s, r.s, k);
			if (!cmp)
				cmp = l.len < r.len ? -1 : l.len > r.len;
		}
		*out = (qval){ .t = Q_BOOL,
		               .b = n->op == OP_LT ? cmp < 0 : n->op == OP_LE
		                    ? cmp <= 0 : n->op == OP_GT ? cmp > 0
		                    : cmp >= 0 };
		return true;
	}
	default:
		return false; /* in, .. */
	}
}

/* $not(x), and $count(x) of an array read from the input (which the
 * engine counts unconverted: its size), where $not and $count are the
 * built-ins. */
static bool call(qctx *c, const jn_node *n, qval *out)
{
	const jn_node *f = n->lhs, *arg;
	json_t *arr = NULL;
	qval a;
	bool t;

	if (variable(c, f->str))
		return false;
	arg = n->items[0];
	if (!strcmp(f->str, "not")) {
		if (!q(c, arg, &a) || a.t == Q_UNDEF || !truthy(&a, &t))
			return false;
		*out = (qval){ .t = Q_BOOL, .b = !t };
		return true;
	}
	if (arg->type == N_PATH) {
		if (!walk(c, arg, &arr))
			return false;
	} else if (arg->type == N_VAR && arg->len) {
		arr = variable(c, arg->str);
	}
	if (!json_is_array(arr))
		return false;
	*out = (qval){ .t = Q_NUM, .n = (double)json_array_size(arr) };
	return true;
}

static bool q(qctx *c, const jn_node *n, qval *out)
{
	bool t, ok = false;

	switch (n->type) {
	case N_NUMBER:
		*out = (qval){ .t = Q_NUM, .n = n->num };
		ok = true;
		break;
	case N_STRING:
		*out = (qval){ .t = Q_STR, .s = n->str, .len = n->len };
		ok = true;
		break;
	case N_VALUE:
		*out = (qval){ .t = n->op == 1 || n->op == 0 ? Q_BOOL : Q_NULL,
		               .b = n->op == 1 };
		ok = true;
		break;
	case N_VAR:
		if (!n->len) { /* $: the input, not an outer array's items */
			if (c->input && json_is_array(c->input))
				break;
			*out = of_json(c->input);
			ok = true;
		} else {
			json_t *j = variable(c, n->str);
			*out = of_json(j);
			ok = j != NULL;
		}
		break;
	case N_PATH:
		ok = path(c, n, out);
		break;
	case N_NAME:
		if (json_is_object(c->input)) {
			json_t *j = json_object_getn(c->input, n->str, n->len);
			ok = !json_is_array(j);
			*out = of_json(j);
		}
		break;
	case N_BINARY:
		ok = binary(c, n, out);
		break;
	case N_NEG:
		if ((ok = q(c, n->lhs, out) && out->t == Q_NUM)) {
			out->n = -out->n;
			out->j = NULL;
		}
		break;
	case N_COND:
		if (q(c, n->lhs, out) && truthy(out, &t))
			ok = t ? q(c, n->then, out)
			       : n->els ? q(c, n->els, out) : false;
		break;
	case N_BLOCK:
		ok = n->nitems == 1 && !n->scope && q(c, n->items[0], out);
		break;
	case N_CALL:
		ok = call(c, n, out);
		break;
	default:
		break;
	}
	return ok;
}

bool jn_quick_eval(const jn_node *root, json_t *input, json_t *bindings,
                   const asl_jsonata_env *env, json_t **result)
{
	qctx c; /* c.text not cleared: only what c.used counts is read */
	qval v;

	c.input = input;
	c.env = env;
	c.used = 0;
	c.bindings = bindings && json_is_object(bindings) ? bindings : NULL;
	if (!q(&c, root, &v))
		return false;
	switch (v.t) {
	case Q_NULL: *result = json_null(); return true;
	case Q_BOOL: *result = json_boolean(v.b); return true;
	case Q_NUM:
		*result = v.j ? json_incref(v.j)
		        : integral(v.n) ? json_integer((json_int_t)v.n)
		                                 : json_real(v.n);
		return *result != NULL;
	case Q_STR:
		*result = v.j ? json_incref(v.j) : json_stringn(v.s, v.len);
		return *result != NULL;
	default:
		return false; /* undefined, an object, an array: the engine's */
	}
}
