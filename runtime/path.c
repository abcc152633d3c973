/*
 * path.c - executing compiled JSONPath expressions (Jayway semantics, as
 * AWS Step Functions evaluates them).
 *
 * A definite path (only members and indexes) selects one node or nothing.
 * An indefinite path (wildcards, slices, unions, filters, "..") selects a
 * list of nodes, returned as an array, possibly empty.
 *
 * Jayway's one quirk kept here: a union of names as the last segment,
 * $.a['x','y'], selects one object holding those of the members that exist
 * ({"x": 1, "y": 2}), and is definite: the path is missing when its parent
 * is.  Before the last segment, a union of names is an ordinary union.
 */
#include "internal.h"

#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

static bool filter_test(asl_ctx *c, const asl_expr *e, json_t *node);

static void add(json_t *out, json_t *v)
{
	json_array_append(out, v);
}

static void walk(asl_ctx *c, const asl_seg *segs, unsigned n, json_t *node,
                 json_t *out);

/* Apply one (non-deep) segment to node, walking the rest for each match. */
static void step(asl_ctx *c, const asl_seg *s, const asl_seg *rest,
                 unsigned n, json_t *node, json_t *out)
{
	size_t i, len;
	json_t *v;
	const char *k;

	switch (s->kind) {
	case ASL_SEG_MEMBER:
		if (json_is_object(node) && (v = json_object_get(node, s->name)))
			walk(c, rest, n, v, out);
		break;
	case ASL_SEG_INDEX:
		if (json_is_array(node)) {
			long long ix = s->index;
			len = json_array_size(node);
			if (ix < 0)
				ix += (long long)len;
			if (ix >= 0 && (size_t)ix < len)
				walk(c, rest, n, json_array_get(node, (size_t)ix), out);
		}
		break;
	case ASL_SEG_WILDCARD:
		if (json_is_array(node))
			json_array_foreach(node, i, v) walk(c, rest, n, v, out);
		else if (json_is_object(node))
			json_object_foreach(node, k, v) walk(c, rest, n, v, out);
		break;
	case ASL_SEG_SLICE:
		if (json_is_array(node)) {
			long long l = (long long)json_array_size(node);
			long long a = s->has_start ? s->index : 0;
			long long b = s->has_end ? s->end : l;
			long long st = s->step ? s->step : 1;
			if (a < 0) a = a + l < 0 ? 0 : a + l;
			if (b < 0) b = b + l < 0 ? 0 : b + l;
			if (a > l) a = l;
			if (b > l) b = l;
			if (st > 0)
				for (long long ix = a; ix < b; ix += st)
					walk(c, rest, n, json_array_get(node, (size_t)ix), out);
		}
		break;
	case ASL_SEG_NAMES:
		if (json_is_object(node))
			for (unsigned j = 0; j < s->count; j++)
				if ((v = json_object_get(node, s->names[j])))
					walk(c, rest, n, v, out);
		break;
	case ASL_SEG_INDEXES:
		if (json_is_array(node)) {
			len = json_array_size(node);
			for (unsigned j = 0; j < s->count; j++) {
				long long ix = s->indexes[j];
				if (ix < 0)
					ix += (long long)len;
				if (ix >= 0 && (size_t)ix < len)
					walk(c, rest, n, json_array_get(node, (size_t)ix), out);
			}
		}
		break;
	case ASL_SEG_FILTER:
		if (json_is_array(node)) {
			json_array_foreach(node, i, v)
				if (filter_test(c, s->filter, v))
					walk(c, rest, n, v, out);
		} else if (json_is_object(node)) {
			if (filter_test(c, s->filter, node))
				walk(c, rest, n, node, out);
		}
		break;
	}
}

/* Apply a ".." segment: at node and at every node below it. */
static void descend(asl_ctx *c, const asl_seg *s, const asl_seg *rest,
                    unsigned n, json_t *node, json_t *out)
{
	size_t i;
	const char *k;
	json_t *v;

	step(c, s, rest, n, node, out);
	if (json_is_array(node))
		json_array_foreach(node, i, v) descend(c, s, rest, n, v, out);
	else if (json_is_object(node))
		json_object_foreach(node, k, v) descend(c, s, rest, n, v, out);
}

/* A union of names as the last segment: one object (Jayway merges). */
static bool merge_names(const asl_seg *s, unsigned n)
{
	return n == 1 && s->kind == ASL_SEG_NAMES && !s->deep;
}

static json_t *merged(const asl_seg *s, json_t *node)
{
	json_t *o = json_object(), *v;

	for (unsigned j = 0; j < s->count; j++)
		if ((v = json_object_get(node, s->names[j])))
			json_object_set(o, s->names[j], v);
	return o;
}

static void walk(asl_ctx *c, const asl_seg *segs, unsigned n, json_t *node,
                 json_t *out)
{
	if (n == 0) {
		add(out, node);
		return;
	}
	if (merge_names(segs, n)) {
		if (json_is_object(node))
			json_array_append_new(out, merged(segs, node));
		return;
	}
	if (segs->deep)
		descend(c, segs, segs + 1, n - 1, node, out);
	else
		step(c, segs, segs + 1, n - 1, node, out);
}

static json_t *root_of(asl_ctx *c, const asl_path *p, json_t *root,
                       bool *owned)
{
	*owned = false;
	switch (p->root) {
	case ASL_ROOT_CONTEXT:
		*owned = true;
		return asl_context_object(c);
	case ASL_ROOT_VAR:
		for (const asl_ctx *s = c; s; s = s->parent) {
			json_t *v = s->vars ? json_object_get(s->vars, p->var) : NULL;
			if (v)
				return v;
		}
		return NULL;
	default:
		return root;
	}
}

static bool member_is(const asl_path *p, unsigned i, const char *name)
{
	return i < p->n_segs && p->segs[i].kind == ASL_SEG_MEMBER &&
	       !p->segs[i].deep && strcmp(p->segs[i].name, name) == 0;
}

/* A definite $$.A.B... resolved without building the context object (the
   object formats a timestamp and packs a dozen members: most of a Map
   item's cost when its ItemSelector reads $$.Map.Item.Value).  Returns
   the node the first *used segments lead to, a new reference when *owned;
   sets *used to 0 when the path needs the whole object. */
static json_t *context_member(const asl_ctx *c, const asl_path *p,
                              unsigned *used, bool *owned)
{
	char when[40];

	*used = 0;
	*owned = false;
	if (member_is(p, 0, "Execution"))
		return *used = 1, c->x->ctx_execution;
	if (member_is(p, 0, "StateMachine"))
		return *used = 1, c->x->ctx_machine;
	*owned = true;
	if (member_is(p, 0, "State")) {
		*used = 2;
		if (member_is(p, 1, "Name"))
			return json_string(c->state ? c->state : "");
		if (member_is(p, 1, "RetryCount"))
			return json_integer((json_int_t)c->retry_count);
		if (member_is(p, 1, "EnteredTime")) {
			asl_format_time(c->entered_ms, when, sizeof when);
			return json_string(when);
		}
	} else if (member_is(p, 0, "Map") && member_is(p, 1, "Item") &&
	           c->in_item) {
		*used = 3;
		if (member_is(p, 2, "Value"))
			return *owned = false, c->item_value;
		if (member_is(p, 2, "Index"))
			return json_integer((json_int_t)c->item_index);
	}
	*used = 0;
	*owned = false;
	return NULL;
}

/* Members and indexes, then a union of names: definite for Jayway. */
static bool definite_merge(const asl_path *p)
{
	if (!p->n_segs || !merge_names(&p->segs[p->n_segs - 1], 1))
		return false;
	for (unsigned i = 0; i + 1 < p->n_segs; i++)
		if (p->segs[i].deep || (p->segs[i].kind != ASL_SEG_MEMBER &&
		                        p->segs[i].kind != ASL_SEG_INDEX))
			return false;
	return true;
}

int asl_path_get(asl_ctx *c, const asl_path *p, json_t *root, json_t **out)
{
	bool owned, definite = p->definite || definite_merge(p);
	unsigned first = 0;
	json_t *r = NULL;
	int rc = ASL_MISSING;

	*out = NULL;
	if (definite && p->root == ASL_ROOT_CONTEXT)
		r = context_member(c, p, &first, &owned);
	if (!first)
		r = root_of(c, p, root, &owned);
	if (!r) {
		if (owned)
			asl_oom();
		return ASL_MISSING;
	}
	if (definite) {
		/* Fast path: no list needed. */
		json_t *node = r;
		for (unsigned i = first; i < p->n_segs && node; i++) {
			const asl_seg *s = &p->segs[i];
			if (merge_names(s, p->n_segs - i)) {
				if (!json_is_object(node))
					break;
				*out = merged(s, node);
				rc = ASL_FOUND;
				node = NULL;
				break;
			}
			if (s->kind == ASL_SEG_MEMBER) {
				node = json_is_object(node) ? json_object_get(node, s->name)
				                            : NULL;
			} else {
				long long ix = s->index;
				size_t len = json_array_size(node);
				if (!json_is_array(node)) {
					node = NULL;
					break;
				}
				if (ix < 0)
					ix += (long long)len;
				node = ix >= 0 && (size_t)ix < len
				           ? json_array_get(node, (size_t)ix) : NULL;
			}
		}
		if (node) {
			*out = json_incref(node);
			rc = ASL_FOUND;
		}
	} else {
		json_t *list = json_array(), *saved = c->doc;
		if (p->root != ASL_ROOT_CURRENT)
			c->doc = r;
		walk(c, p->segs, p->n_segs, r, list);
		c->doc = saved;
		*out = list;
		rc = ASL_FOUND;
	}
	if (owned)
		json_decref(r);
	return rc;
}

/* ------------------------------------------------------------ filters */

static json_t *operand(asl_ctx *c, const asl_expr *e, json_t *node,
                       bool *found)
{
	json_t *v = NULL;
	*found = true;
	if (e->op == ASL_X_LIT)
		return json_incref(asl_literal(c, e->lit));
	if (e->op == ASL_X_PATH) {
		json_t *root = e->path->root == ASL_ROOT_CURRENT ? node
		                                                 : c->doc;
		if (asl_path_get(c, e->path, root, &v) != ASL_FOUND) {
			*found = false;
			return NULL;
		}
		return v; /* an indefinite operand compares as its list */
	}
	*found = false;
	return NULL;
}

static int compare(json_t *a, json_t *b, bool *comparable)
{
	*comparable = true;
	if (json_is_number(a) && json_is_number(b)) {
		double x = json_number_value(a), y = json_number_value(b);
		return x < y ? -1 : x > y ? 1 : 0;
	}
	if (json_is_string(a) && json_is_string(b))
		return strcmp(json_string_value(a), json_string_value(b));
	*comparable = false;
	return 0;
}

/* =~ /re/: Java's Matcher.matches(), the whole string; POSIX extended
 * syntax stands in for Java's, which agree on the usual patterns. */
static bool regex_matches(const asl_expr *e, const char *s)
{
	regex_t re;
	regmatch_t m;
	char *anchored;
	bool ok;

	if (!e->regex)
		return false;
	anchored = asl_sprintf("^(%s)$", e->regex);
	if (regcomp(&re, anchored, REG_EXTENDED | (e->icase ? REG_ICASE : 0))) {
		free(anchored);
		return false;
	}
	ok = regexec(&re, s, 1, &m, 0) == 0;
	regfree(&re);
	free(anchored);
	return ok;
}

static bool filter_test(asl_ctx *c, const asl_expr *e, json_t *node)
{
	bool fa, fb, ok = false, cmpok;
	json_t *a, *b;
	int r;

	switch (e->op) {
	case ASL_X_OR:
		return filter_test(c, e->a, node) || filter_test(c, e->b, node);
	case ASL_X_AND:
		return filter_test(c, e->a, node) && filter_test(c, e->b, node);
	case ASL_X_NOT:
		return !filter_test(c, e->a, node);
	case ASL_X_EXISTS:
		a = operand(c, e->a, node, &fa);
		ok = fa && !(json_is_array(a) && !e->a->path->definite &&
		             json_array_size(a) == 0);
		json_decref(a);
		return ok;
	default:
		break;
	}
	a = operand(c, e->a, node, &fa);
	b = e->b ? operand(c, e->b, node, &fb) : NULL;
	if (!fa || (e->b && !fb)) {
		ok = e->op == ASL_X_NE && fa != fb;
		goto done;
	}
	switch (e->op) {
	case ASL_X_EQ:
		ok = json_equal(a, b) ||
		     (json_is_number(a) && json_is_number(b) &&
		      json_number_value(a) == json_number_value(b));
		break;
	case ASL_X_NE:
		ok = !(json_equal(a, b) ||
		       (json_is_number(a) && json_is_number(b) &&
		        json_number_value(a) == json_number_value(b)));
		break;
	case ASL_X_LT: case ASL_X_LE: case ASL_X_GT: case ASL_X_GE:
		r = compare(a, b, &cmpok);
		ok = cmpok && (e->op == ASL_X_LT ? r < 0 : e->op == ASL_X_LE ? r <= 0
		               : e->op == ASL_X_GT ? r > 0 : r >= 0);
		break;
	case ASL_X_MATCH:
		ok = json_is_string(a) && regex_matches(e, json_string_value(a));
		break;
	case ASL_X_IN: case ASL_X_NIN: {
		size_t i;
		json_t *v;
		bool in = false;
		if (json_is_array(b))
			json_array_foreach(b, i, v) if (json_equal(a, v)) in = true;
		ok = e->op == ASL_X_IN ? in : !in;
		break;
	}
	default:
		ok = false;
	}
done:
	json_decref(a);
	json_decref(b);
	return ok;
}

/* ---------------------------------------------------------- ResultPath */

static json_t *set_at(const asl_seg *s, unsigned n, json_t *node,
                      json_t *value)
{
	json_t *copy, *child, *nv;

	if (n == 0)
		return json_incref(value);
	if (s->kind == ASL_SEG_MEMBER) {
		if (!json_is_object(node))
			return NULL;
		child = json_object_get(node, s->name);
		if (!child && n > 1) {
			json_t *fresh = json_object();
			nv = set_at(s + 1, n - 1, fresh, value);
			json_decref(fresh);
		} else {
			nv = set_at(s + 1, n - 1, child, value);
		}
		if (!nv)
			return NULL;
		copy = json_copy(node); /* shallow: children stay shared */
		json_object_set_new(copy, s->name, nv);
		return copy;
	}
	if (s->kind == ASL_SEG_INDEX && json_is_array(node)) {
		long long ix = s->index;
		size_t len = json_array_size(node);
		if (ix < 0)
			ix += (long long)len;
		if (ix < 0 || (size_t)ix >= len)
			return NULL;
		nv = set_at(s + 1, n - 1, json_array_get(node, (size_t)ix), value);
		if (!nv)
			return NULL;
		copy = json_copy(node);
		json_array_set_new(copy, (size_t)ix, nv);
		return copy;
	}
	return NULL;
}

int asl_path_set(const asl_path *p, json_t *root, json_t *value, json_t **out)
{
	*out = set_at(p->segs, p->n_segs, root, value);
	return *out ? 0 : -1;
}
