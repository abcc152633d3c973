/*
 * api.c - the engine's entry points: parse once, evaluate in an arena.
 */
#define _POSIX_C_SOURCE 200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "jn.h"

#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VAR_PATH_MAX 8

struct asl_jsonata_expr {
	jn_arena arena;
	jn_node *root;
	struct jn_relist *regexes;
	/* asl_jsonata_var_path: $var.path[0]...path[npath - 1], or npath -1 */
	const char *var;
	const char *path[VAR_PATH_MAX];
	int npath;
	bool quick; /* of a shape quick.c evaluates (jn_quick_shape) */
};

/* What evaluations need not redo, worked out once on the parsed tree:
 * literals' values, which path steps are plain (a name or a variable
 * with no predicate, binding, grouping or sorting), which blocks bind. */
/* Whether N binds a variable (:=) in the frame it is evaluated in: a
 * binding below it that no block or lambda of its own encloses. */
static bool binds(jn_node *n)
{
	if (!n) return false;
	if (n->type == N_BIND) return true;
	if (n->type == N_BLOCK || n->type == N_LAMBDA) return false;
	if (binds(n->lhs) || binds(n->rhs) || binds(n->then) || binds(n->els) || binds(n->group)) return true;
	for (int i = 0; i < n->nitems; i++) if (binds(n->items[i])) return true;
	for (int i = 0; i < n->npairs; i++) if (binds(n->keys[i]) || binds(n->vals[i])) return true;
	for (int i = 0; i < n->nstages; i++) if (binds(n->stages[i].expr)) return true;
	for (int i = 0; i < n->npreds; i++) if (binds(n->preds[i].expr)) return true;
	return false;
}

static bool annotate(jn_node *n, jn_arena *a)
{
	if (!n || n->annotated) return true;
	n->annotated = true;
	if (n->type == N_STRING || n->type == N_NUMBER) {
		jn_value *v = jn_aalloc(a, sizeof *v);
		if (!v) return false;
		if (n->type == N_STRING) { v->t = JV_STR; v->u.s.s = n->str; v->u.s.len = n->len; }
		else { v->t = JV_NUM; v->u.n = n->num; }
		n->lit = v;
	}
	if (n->type == N_BLOCK)
		for (int i = 0; i < n->nitems && !n->scope; i++) n->scope = binds(n->items[i]);
	n->plain = (n->type == N_NAME || (n->type == N_VAR && n->len)) && !n->nstages &&
		   !n->npreds && !n->group && !n->tuple && !n->focus && !n->index &&
		   !n->ancestor && !n->nseeking && !n->keep_array && !n->cons_array;
	bool ok = annotate(n->lhs, a) && annotate(n->rhs, a) && annotate(n->then, a) &&
		  annotate(n->els, a) && annotate(n->group, a);
	for (int i = 0; ok && i < n->nitems; i++) ok = annotate(n->items[i], a);
	for (int i = 0; ok && i < n->npairs; i++) ok = annotate(n->keys[i], a) && annotate(n->vals[i], a);
	for (int i = 0; ok && i < n->nstages; i++) ok = annotate(n->stages[i].expr, a);
	for (int i = 0; ok && i < n->npreds; i++) ok = annotate(n->preds[i].expr, a);
	return ok;
}

/* Whether N is $VAR (a named variable alone, as a step) named VAR. */
static bool is_var(const jn_node *n, const char *var)
{
	return n && n->type == N_VAR && n->len && !strcmp(n->str, var);
}

/* asl_jsonata_reads (SUB NULL) or asl_jsonata_reads_beyond on the tree
 * below N. */
static bool reads(const jn_node *n, const char *var, const char *member,
		  const char *sub)
{
	if (!n) return false;
	int from = 0;
	if (n->type == N_PATH && n->nitems >= 2 && is_var(n->items[0], var) &&
	    n->items[0]->plain && n->items[1]->type == N_NAME) {
		from = 1;   /* $VAR.OTHER: the variable read for another member */
		if (!strcmp(n->items[1]->str, member)) {
			const jn_node *next = n->nitems >= 3 ? n->items[2] : NULL;
			if (!sub || !n->items[1]->plain || !next ||
			    next->type != N_NAME || strcmp(next->str, sub))
				return true;
			from = 2;   /* $VAR.MEMBER.SUB... */
		}
	} else if (is_var(n, var)) {
		return true;
	}
	if (reads(n->lhs, var, member, sub) || reads(n->rhs, var, member, sub) ||
	    reads(n->then, var, member, sub) || reads(n->els, var, member, sub) ||
	    reads(n->group, var, member, sub)) return true;
	for (int i = from; i < n->nitems; i++)
		if (reads(n->items[i], var, member, sub)) return true;
	for (int i = 0; i < n->npairs; i++)
		if (reads(n->keys[i], var, member, sub) || reads(n->vals[i], var, member, sub))
			return true;
	for (int i = 0; i < n->nstages; i++)
		if (reads(n->stages[i].expr, var, member, sub)) return true;
	for (int i = 0; i < n->npreds; i++)
		if (reads(n->preds[i].expr, var, member, sub)) return true;
	return false;
}

/* Whether the tree below N has a parent step (%): from $VAR.OTHER it can
 * climb back to $VAR and read any member. */
static bool climbs(const jn_node *n)
{
	if (!n) return false;
	if (n->type == N_PARENT || n->ancestor || n->nseeking) return true;
	if (climbs(n->lhs) || climbs(n->rhs) || climbs(n->then) || climbs(n->els) ||
	    climbs(n->group)) return true;
	for (int i = 0; i < n->nitems; i++) if (climbs(n->items[i])) return true;
	for (int i = 0; i < n->npairs; i++)
		if (climbs(n->keys[i]) || climbs(n->vals[i])) return true;
	for (int i = 0; i < n->nstages; i++) if (climbs(n->stages[i].expr)) return true;
	for (int i = 0; i < n->npreds; i++) if (climbs(n->preds[i].expr)) return true;
	return false;
}

bool asl_jsonata_reads(const asl_jsonata_expr *e, const char *var, const char *member)
{
	return climbs(e->root) || reads(e->root, var, member, NULL);
}

bool asl_jsonata_reads_beyond(const asl_jsonata_expr *e, const char *var,
			      const char *member, const char *sub)
{
	return climbs(e->root) || reads(e->root, var, member, sub);
}

/* E's root as asl_jsonata_var_path sees it. */
static void find_var_path(asl_jsonata_expr *e)
{
	const jn_node *n = e->root;

	e->npath = -1;
	if (n && n->type == N_VAR && n->plain && !climbs(n)) {
		e->var = n->str;   /* $VAR alone */
		e->npath = 0;
		return;
	}
	if (!n || n->type != N_PATH || n->nitems < 2 || n->nitems > VAR_PATH_MAX + 1 ||
	    n->nstages || n->npreds || n->group || n->keep_array || n->tuple ||
	    n->focus || n->index || n->ancestor || n->nseeking || climbs(n) ||
	    n->items[0]->type != N_VAR || !n->items[0]->plain)
		return;
	for (int i = 1; i < n->nitems; i++)
		if (n->items[i]->type != N_NAME || !n->items[i]->plain)
			return;
	e->var = n->items[0]->str;
	for (int i = 1; i < n->nitems; i++)
		e->path[i - 1] = n->items[i]->str;
	e->npath = n->nitems - 1;
}

int asl_jsonata_var_path(const asl_jsonata_expr *e, const char **var,
			 const char *const **names)
{
	if (e->npath < 0) return -1;
	*var = e->var;
	*names = e->path;
	return e->npath;
}

/* What the evaluations of E may skip, worked out once. */
static void analyse(asl_jsonata_expr *e)
{
	find_var_path(e);
	e->quick = jn_quick_shape(e->root);
}

asl_jsonata_expr *asl_jsonata_parse(const char *src, asl_jsonata_error *err)
{
	asl_jsonata_expr *e = calloc(1, sizeof *e);
	if (!e) { jn_set_error(err, "U1010", -1, NULL, NULL, NULL); return NULL; }
	e->root = jn_parse(src, &e->arena, err, &e->regexes);
	if (!e->root) { asl_jsonata_free(e); return NULL; }
	if (!annotate(e->root, &e->arena)) {
		jn_set_error(err, "U1010", -1, NULL, NULL, NULL);
		asl_jsonata_free(e);
		return NULL;
	}
	analyse(e);
	return e;
}

char *asl_jsonata_encode(const asl_jsonata_expr *e, size_t *len)
{
	return jn_encode(e->root, len);
}

asl_jsonata_expr *asl_jsonata_load(const char *form, size_t len, asl_jsonata_error *err)
{
	asl_jsonata_expr *e = calloc(1, sizeof *e);
	bool oom = !e;
	if (e) e->root = jn_decode(form, len, &e->arena, &e->regexes, &oom);
	if (e && e->root && !annotate(e->root, &e->arena)) { e->root = NULL; oom = true; }
	if (e && e->root) { analyse(e); return e; }
	if (oom) jn_set_error(err, "U1010", -1, NULL, NULL, NULL);
	else jn_set_error(err, "U1020", -1, NULL, "The compiled form of the "
			  "expression is malformed, or from another version of asl2c", NULL);
	asl_jsonata_free(e);
	return NULL;
}

void asl_jsonata_free(asl_jsonata_expr *e)
{
	if (!e) return;
	for (struct jn_relist *r = e->regexes; r; r = r->next) pcre2_code_free(r->code);
	jn_arena_free(&e->arena);
	free(e);
}

double asl_jsonata_splitmix(void *state)
{
	uint64_t *s = state;
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

bool asl_jsonata_quick(const asl_jsonata_expr *e, json_t *input, json_t *bindings,
		       const asl_jsonata_env *env, json_t **result)
{
	static const asl_jsonata_env none;
	*result = NULL;
	return e->quick &&
	       jn_quick_eval(e->root, input, bindings, env ? env : &none, result);
}

int asl_jsonata_eval(const asl_jsonata_expr *e, json_t *input, json_t *bindings,
		     const asl_jsonata_env *env, json_t **result, asl_jsonata_error *err)
{
	jn_ctx ctx, *c = &ctx;   /* on the stack: no allocation per evaluation */
	memset(c, 0, sizeof *c);
	asl_jsonata_error local;
	if (!err) err = &local;
	*result = NULL;
	static const asl_jsonata_env none;
	if (!env) env = &none;
	if (e->quick && !env->engine_only && jn_quick_eval(e->root, input, bindings, env, result))
		return 0;
	jmp_buf jb;
	c->jb = &jb;
	c->err = err;
	c->env = env;
	c->max_depth = env->max_depth > 0 ? env->max_depth : 10000;
	c->stack_base = __builtin_frame_address(0);
	c->max_stack = 2 * 1024 * 1024;
	c->timelimit_ms = env->timelimit_ms;
	c->start_ms = c->timelimit_ms ? mono_ms() : 0;
	c->arena.limit = env->max_memory ? env->max_memory : (size_t)1 << 30;
	c->now = env->now_ms ? env->now_ms(env->ctx) : NAN;
	c->rng = 0x5eed;
	int rc = -1;
	if (setjmp(jb) == 0) {
		jn_value *in = jn_from_json(c, input);
		if (in && in->t == JV_ARR) {
			jn_value *w = jn_seq(c, 1);
			jn_push(c, w, in);
			w->flags |= JA_OUTER;
			in = w;
		}
		jn_frame *root = jn_frame_new(c, NULL);
		c->root = root;
		jn_bind(c, root, "$", in);
		if (bindings && json_is_object(bindings)) {
			const char *k; json_t *v;
			json_object_foreach(bindings, k, v) jn_bind(c, root, k, jn_from_json(c, v));
		}
		jn_value *r = jn_eval(c, e->root, in, root);
		if (r && r->t == JV_ARR && (r->flags & JA_OUTER)) r = r->u.a.n ? r->u.a.v[0] : NULL;
		*result = jn_to_json(r);
		if (r && !*result) jn_throw(c, "U1010", -1, NULL, NULL, NULL);
		rc = 0;
	}
	jn_arena_free(&c->arena);
	return rc;
}

/* JSON text with numbers as JavaScript writes them (1e+21, 0.1, 100). */
static int dump(json_t *j, bool pretty, int ind, FILE *f)
{
	char nb[40];
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k; json_t *v; bool first = true;
		fputc('{', f);
		json_object_foreach(j, k, v) {
			if (!first) fputc(',', f);
			first = false;
			if (pretty) fprintf(f, "\n%*s", 2 * (ind + 1), "");
			json_t *ks = json_string(k);
			if (!ks) return -1;
			json_dumpf(ks, f, JSON_ENCODE_ANY);
			json_decref(ks);
			fputs(pretty ? ": " : ":", f);
			if (dump(v, pretty, ind + 1, f)) return -1;
		}
		if (pretty && !first) fprintf(f, "\n%*s", 2 * ind, "");
		fputc('}', f);
		return 0;
	}
	case JSON_ARRAY: {
		size_t i; json_t *v;
		fputc('[', f);
		json_array_foreach(j, i, v) {
			if (i) fputc(',', f);
			if (pretty) fprintf(f, "\n%*s", 2 * (ind + 1), "");
			if (dump(v, pretty, ind + 1, f)) return -1;
		}
		if (pretty && json_array_size(j)) fprintf(f, "\n%*s", 2 * ind, "");
		fputc(']', f);
		return 0;
	}
	case JSON_REAL:
		jn_fmt_num(json_real_value(j), nb);
		fputs(nb, f);
		return 0;
	default:
		return json_dumpf(j, f, JSON_ENCODE_ANY);
	}
}

int asl_jsonata_dumpf(json_t *j, int pretty, FILE *f)
{
	return dump(j, pretty != 0, 0, f);
}

/* The top-level references below N (asl_jsonata_top_names): the first
 * step of a path that is a name, in what is evaluated against the
 * expression's own input.  Not below: a path's later steps, predicates,
 * group-by and sort terms (they see the step's items), lambdas and
 * transforms (they see what they are applied to). */
static void top_names(const jn_node *n, void (*fn)(void *, const char *, int),
		      void *ctx)
{
	if (!n) return;
	switch (n->type) {
	case N_PATH:
		if (n->nitems && n->items[0]->type == N_NAME)
			fn(ctx, n->items[0]->str, n->items[0]->pos);
		else if (n->nitems)
			top_names(n->items[0], fn, ctx);
		return;
	case N_NAME:
		fn(ctx, n->str, n->pos);
		return;
	case N_LAMBDA: case N_TRANSFORM:
		return;
	default:
		break;
	}
	top_names(n->lhs, fn, ctx);
	top_names(n->rhs, fn, ctx);
	top_names(n->then, fn, ctx);
	top_names(n->els, fn, ctx);
	for (int i = 0; i < n->nitems; i++) top_names(n->items[i], fn, ctx);
	for (int i = 0; i < n->npairs; i++) {
		top_names(n->keys[i], fn, ctx);
		top_names(n->vals[i], fn, ctx);
	}
}

void asl_jsonata_top_names(const asl_jsonata_expr *e,
			   void (*fn)(void *ctx, const char *name, int position),
			   void *ctx)
{
	top_names(e->root, fn, ctx);
}
