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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* One evaluation of an indefinite path.  Recursive descent is bounded:
 * a ".." that found nothing below a node is remembered (seg, node), so the
 * same subtree is never searched twice for nothing ($..a..a..a..b over a
 * deep input used to take minutes), every node visited counts against
 * PATH_MAX_VISITS, and the result against PATH_MAX_RESULTS.  Past either,
 * the state fails with States.Runtime (doc/semantics.md).  Jayway's
 * results are kept as they are, duplicates included. */
typedef struct path_run {
	asl_ctx *c;
	json_t *out;
	size_t visits;
	int error;          /* 0, or PATH_TOO_MANY / PATH_TOO_LONG / PATH_FAILED */
	struct empty_key { const void *seg, *node; } *empty;
	size_t n_empty, cap_empty; /* open addressing; cap a power of 2 */
	struct path_regex *regexes; /* =~ patterns, compiled once a walk */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *regex_why;            /* PATH_REGEX: what went wrong */
} path_run;

enum { PATH_TOO_MANY = 1, PATH_TOO_LONG, PATH_FAILED, PATH_REGEX };
#define PATH_MAX_RESULTS 1000000
#define PATH_MAX_VISITS 50000000

static bool filter_test(path_run *r, const asl_expr *e, json_t *node);
static void regexes_free(path_run *r);

static size_t empty_slot(const path_run *r, const void *seg,
                         const void *node)
{
	uintptr_t h = (uintptr_t)seg * 0x9E3779B97F4A7C15u ^
	              (uintptr_t)node * 0xC2B2AE3D27D4EB4Fu;

	return (size_t)(h ^ h >> 29) & (r->cap_empty - 1);
}

static bool known_empty(const path_run *r, const void *seg, const void *node)
{
	if (!r->cap_empty)
		return false;
	for (size_t i = empty_slot(r, seg, node);; i = (i + 1) & (r->cap_empty - 1)) {
		if (!r->empty[i].seg)
			return false;
		if (r->empty[i].seg == seg && r->empty[i].node == node)
			return true;
	}
}

static void remember_empty(path_run *r, const void *seg, const void *node)
{
	if (2 * (r->n_empty + 1) > r->cap_empty) {
		size_t old = r->cap_empty;
		struct empty_key *was = r->empty;
		r->cap_empty = old ? 2 * old : 256;
		r->empty = calloc(r->cap_empty, sizeof *r->empty);
		if (!r->empty)
			asl_oom();
		r->n_empty = 0;
		for (size_t i = 0; i < old; i++)
			if (was[i].seg)
				remember_empty(r, was[i].seg, was[i].node);
		free(was);
	}
	size_t i = empty_slot(r, seg, node);
	while (r->empty[i].seg)
		i = (i + 1) & (r->cap_empty - 1);
	r->empty[i].seg = seg;
	r->empty[i].node = node;
	r->n_empty++;
}

static void add(path_run *r, json_t *v)
{
	if (json_array_size(r->out) >= PATH_MAX_RESULTS) {
		r->error = PATH_TOO_MANY;
		return;
	}
	if (json_array_append(r->out, v) < 0)
		asl_oom();
}

static void walk(path_run *r, const asl_seg *segs, unsigned n, json_t *node);

/* Apply one (non-deep) segment to node, walking the rest for each match. */
static void step(path_run *r, const asl_seg *s, const asl_seg *rest,
                 unsigned n, json_t *node)
{
	size_t i, len;
	json_t *v;
	const char *k;

	switch (s->kind) {
	case ASL_SEG_MEMBER:
		if (json_is_object(node) && (v = json_object_get(node, s->name)))
			walk(r, rest, n, v);
		break;
	case ASL_SEG_INDEX:
		if (json_is_array(node)) {
			long long ix = s->index;
			len = json_array_size(node);
			if (ix < 0)
				ix += (long long)len;
			if (ix >= 0 && (size_t)ix < len)
				walk(r, rest, n, json_array_get(node, (size_t)ix));
		}
		break;
	case ASL_SEG_WILDCARD:
		if (json_is_array(node))
			json_array_foreach(node, i, v) walk(r, rest, n, v);
		else if (json_is_object(node))
			json_object_foreach(node, k, v) walk(r, rest, n, v);
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
				for (long long ix = a; ix < b && !r->error; ix += st)
					walk(r, rest, n, json_array_get(node, (size_t)ix));
		}
		break;
	case ASL_SEG_NAMES:
		if (json_is_object(node))
			for (unsigned j = 0; j < s->count; j++)
				if ((v = json_object_get(node, s->names[j])))
					walk(r, rest, n, v);
		break;
	case ASL_SEG_INDEXES:
		if (json_is_array(node)) {
			len = json_array_size(node);
			for (unsigned j = 0; j < s->count; j++) {
				long long ix = s->indexes[j];
				if (ix < 0)
					ix += (long long)len;
				if (ix >= 0 && (size_t)ix < len)
					walk(r, rest, n, json_array_get(node, (size_t)ix));
			}
		}
		break;
	case ASL_SEG_FILTER:
		if (json_is_array(node)) {
			json_array_foreach(node, i, v)
				if (filter_test(r, s->filter, v))
					walk(r, rest, n, v);
		} else if (json_is_object(node)) {
			if (filter_test(r, s->filter, node))
				walk(r, rest, n, node);
		}
		break;
	}
}

/* Apply a ".." segment: at node and at every node below it. */
static void descend(path_run *r, const asl_seg *s, const asl_seg *rest,
                    unsigned n, json_t *node)
{
	size_t i, before = json_array_size(r->out);
	const char *k;
	json_t *v;

	if (r->error || known_empty(r, s, node))
		return;
	if (++r->visits > PATH_MAX_VISITS) {
		r->error = PATH_TOO_LONG;
		return;
	}
	step(r, s, rest, n, node);
	if (json_is_array(node))
		json_array_foreach(node, i, v) descend(r, s, rest, n, v);
	else if (json_is_object(node))
		json_object_foreach(node, k, v) descend(r, s, rest, n, v);
	if (!r->error && json_array_size(r->out) == before)
		remember_empty(r, s, node);
}

/* A union of names as the last segment: one object (Jayway merges). */
static bool merge_names(const asl_seg *s, unsigned n)
{
	return n == 1 && s->kind == ASL_SEG_NAMES && !s->deep;
}

static json_t *merged(const asl_seg *s, json_t *node)
{
	json_t *o = json_object(), *v;

	if (!o)
		asl_oom();
	for (unsigned j = 0; j < s->count; j++)
		if ((v = json_object_get(node, s->names[j])) &&
		    json_object_set(o, s->names[j], v) < 0)
			asl_oom();
	return o;
}

static void walk(path_run *r, const asl_seg *segs, unsigned n, json_t *node)
{
	if (r->error)
		return;
	if (n == 0) {
		add(r, node);
		return;
	}
	if (merge_names(segs, n)) {
		if (json_is_object(node)) {
			json_t *m = merged(segs, node);
			add(r, m);
			json_decref(m);
		}
		return;
	}
	if (segs->deep)
		descend(r, segs, segs + 1, n - 1, node);
	else
		step(r, segs, segs + 1, n - 1, node);
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

/* A definite path from its segment first on, under r: the fast way, no
 * list of results.  ASL_FOUND with *out, a node under r (borrowed) or,
 * when *made, a new object; or ASL_MISSING. */
static int get_definite(const asl_path *p, unsigned first, json_t *r,
                        json_t **out, bool *made)
{
	json_t *node = r;

	*made = false;
	for (unsigned i = first; i < p->n_segs && node; i++) {
		const asl_seg *s = &p->segs[i];
		if (merge_names(s, p->n_segs - i)) {
			if (!json_is_object(node))
				break;
			*out = merged(s, node);
			*made = true;
			return ASL_FOUND;
		}
		if (s->kind == ASL_SEG_MEMBER) {
			node = json_is_object(node) ? json_object_get(node, s->name)
			                            : NULL;
		} else {
			long long ix = s->index;
			size_t len = json_array_size(node);
			if (!json_is_array(node))
				return ASL_MISSING;
			if (ix < 0)
				ix += (long long)len;
			node = ix >= 0 && (size_t)ix < len
			           ? json_array_get(node, (size_t)ix) : NULL;
		}
	}
	if (!node)
		return ASL_MISSING;
	*out = node;
	return ASL_FOUND;
}

/* An indefinite path under r: the list of what it selects.  ASL_FOUND
 * with *out, or ASL_PATH_ERROR after a runtime error (a regex that
 * fails, too many nodes selected or visited). */
static int get_list(asl_ctx *c, const asl_path *p, json_t *r, json_t **out)
{
	path_run run = { .c = c, .out = json_array() };
	json_t *saved = c->doc;

	if (!run.out)
		asl_oom();
	if (p->root != ASL_ROOT_CURRENT)
		c->doc = r;
	walk(&run, p->segs, p->n_segs, r);
	c->doc = saved;
	free(run.empty);
	regexes_free(&run);
	if (!run.error) {
		*out = run.out;
		return ASL_FOUND;
	}
	json_decref(run.out);
	if (run.error == PATH_REGEX)
		asl_runtime_error(c, "The JSONPath '%s' failed: %s", p->text,
		                  run.regex_why);
	else if (run.error == PATH_TOO_MANY)
		asl_runtime_error(c, "The JSONPath '%s' selects more than %d nodes",
		                  p->text, PATH_MAX_RESULTS);
	else if (run.error == PATH_TOO_LONG)
		asl_runtime_error(c, "The JSONPath '%s' visits more than %d nodes",
		                  p->text, PATH_MAX_VISITS);
	free(run.regex_why);
	return ASL_PATH_ERROR;
}

int asl_path_lookup(asl_ctx *c, const asl_path *p, json_t *root,
                    json_t **out, bool *owned)
{
	bool r_owned, made = true, definite = p->definite || definite_merge(p);
	unsigned first = 0;
	json_t *r = NULL;
	int rc;

	*out = NULL;
	*owned = false;
	if (definite && p->root == ASL_ROOT_CONTEXT)
		r = context_member(c, p, &first, &r_owned);
	if (!first)
		r = root_of(c, p, root, &r_owned);
	if (!r) {
		if (r_owned)
			asl_oom();
		return ASL_MISSING;
	}
	rc = definite ? get_definite(p, first, r, out, &made)
	              : get_list(c, p, r, out);
	if (rc == ASL_FOUND && r_owned && !made)
		json_incref(*out); /* a node of r, which goes */
	if (r_owned)
		json_decref(r);
	*owned = rc == ASL_FOUND && (made || r_owned);
	return rc;
}

int asl_path_get(asl_ctx *c, const asl_path *p, json_t *root, json_t **out)
{
	bool owned;
	int rc = asl_path_lookup(c, p, root, out, &owned);

	if (rc == ASL_FOUND && !owned)
		json_incref(*out);
	return rc;
}

/* ------------------------------------------------------------ filters */

static json_t *operand(path_run *r, const asl_expr *e, json_t *node,
                       bool *found)
{
	asl_ctx *c = r->c;
	json_t *v = NULL;
	*found = true;
	if (e->op == ASL_X_LIT)
		return json_incref(asl_literal(c, e->lit));
	if (e->op == ASL_X_PATH) {
		json_t *root = e->path->root == ASL_ROOT_CURRENT ? node
		                                                 : c->doc;
		int rc = asl_path_get(c, e->path, root, &v);
		if (rc == ASL_PATH_ERROR)
			r->error = PATH_FAILED; /* raised: stop the walk */
		if (rc != ASL_FOUND) {
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

/* =~ /re/: Java's Matcher.matches(), the whole string, as Jayway runs it.
 * PCRE2's syntax is Java's on everything but a few corners (doc/semantics.md);
 * its compile time and memory are linear in the pattern, and a match is
 * bounded by REGEX_MATCH_LIMIT backtracking steps (Java's would run on):
 * an invalid pattern or a match past the limit fails the state with
 * States.Runtime.  Each pattern is compiled once per walk.  A match at the
 * limit takes about 25 ms; PCRE2's JIT would make it 2 ms, but its code
 * reads memory valgrind cannot follow, and the tests run under valgrind. */
#define REGEX_MATCH_LIMIT 1000000u

struct path_regex {
	const asl_expr *e;
	pcre2_code *code;
	struct path_regex *next;
};

static void regexes_free(path_run *r)
{
	for (struct path_regex *x = r->regexes, *next; x; x = next) {
		next = x->next;
		pcre2_code_free(x->code);
		free(x);
	}
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
}

static void regex_fail(path_run *r, const asl_expr *e, const char *what,
                       int code)
{
	PCRE2_UCHAR msg[256];

	if (r->error)
		return;
	if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
		strcpy((char *)msg, "unknown error");
	r->error = PATH_REGEX;
	r->regex_why = asl_sprintf("the regular expression /%s/ %s: %s",
	                           e->regex, what, (const char *)msg);
}

static pcre2_code *regex_code(path_run *r, const asl_expr *e)
{
	struct path_regex *x;
	PCRE2_SIZE at;
	int code;

	for (x = r->regexes; x; x = x->next)
		if (x->e == e)
			return x->code;
	pcre2_code *re = pcre2_compile(
		(PCRE2_SPTR)e->regex, PCRE2_ZERO_TERMINATED,
		PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED |
		(e->icase ? PCRE2_CASELESS : 0), &code, &at, NULL);
	if (!re) {
		regex_fail(r, e, "is not valid", code);
		return NULL;
	}
	if (!r->md) {
		if (!(r->md = pcre2_match_data_create(1, NULL)) ||
		    !(r->mctx = pcre2_match_context_create(NULL)))
			asl_oom();
		pcre2_set_match_limit(r->mctx, REGEX_MATCH_LIMIT);
	}
	x = malloc(sizeof *x);
	if (!x)
		asl_oom();
	*x = (struct path_regex){ e, re, r->regexes };
	r->regexes = x;
	return re;
}

static bool regex_matches(path_run *r, const asl_expr *e, json_t *s)
{
	pcre2_code *re;
	int rc;

	if (!e->regex || !(re = regex_code(r, e)))
		return false;
	rc = pcre2_match(re, (PCRE2_SPTR)json_string_value(s),
	                 json_string_length(s), 0, 0, r->md, r->mctx);
	if (rc >= 0)
		return true;
	if (rc == PCRE2_ERROR_NOMATCH)
		return false;
	if (rc == PCRE2_ERROR_NOMEMORY)
		asl_oom();
	regex_fail(r, e, "could not be matched", rc);
	return false;
}

static bool filter_test(path_run *r, const asl_expr *e, json_t *node)
{
	bool fa, fb, ok = false, cmpok;
	json_t *a, *b;
	int cmp;

	switch (e->op) {
	case ASL_X_OR:
		return filter_test(r, e->a, node) || filter_test(r, e->b, node);
	case ASL_X_AND:
		return filter_test(r, e->a, node) && filter_test(r, e->b, node);
	case ASL_X_NOT:
		return !filter_test(r, e->a, node);
	case ASL_X_EXISTS:
		a = operand(r, e->a, node, &fa);
		ok = fa && !(json_is_array(a) && !e->a->path->definite &&
		             json_array_size(a) == 0);
		json_decref(a);
		return ok;
	default:
		break;
	}
	if (r->error)
		return false;
	a = operand(r, e->a, node, &fa);
	b = e->b ? operand(r, e->b, node, &fb) : NULL;
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
		cmp = compare(a, b, &cmpok);
		ok = cmpok && (e->op == ASL_X_LT ? cmp < 0 : e->op == ASL_X_LE ? cmp <= 0
		               : e->op == ASL_X_GT ? cmp > 0 : cmp >= 0);
		break;
	case ASL_X_MATCH:
		ok = json_is_string(a) && regex_matches(r, e, a);
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

/* ------------------------------------------------- paths of the states */

void asl_missing_path(asl_ctx *c, const asl_path *p)
{
	asl_runtime_error(c, "Invalid path '%s' : No results for path: %s",
	                  p->text, p->norm);
}

bool asl_path_need(asl_ctx *c, const asl_path *p, json_t *doc, json_t **out)
{
	int rc = asl_path_get(c, p, doc, out);

	if (rc == ASL_MISSING)
		asl_missing_path(c, p);
	return rc == ASL_FOUND;
}

bool asl_int_field(asl_ctx *c, const char *field, long value,
                   const asl_path *p, json_t *in, long *out)
{
	json_t *v;

	*out = value;
	if (!p)
		return true;
	if (!asl_path_need(c, p, in, &v))
		return false;
	if (!json_is_integer(v)) {
		char *d = asl_dump_bare(v);
		asl_runtime_error(c, "The %s field refers to value \"%s\" which is "
		                  "not a valid integer: %s", field, d, p->text);
		free(d);
		json_decref(v);
		return false;
	}
	*out = (long)json_integer_value(v);
	json_decref(v);
	return true;
}
