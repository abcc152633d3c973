/*
 * rtconv.c - see rtconv.h.
 */
#include "rtconv.h"

#include "compile.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *keep(rt *r, void *p)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->blocks = xrealloc(r->blocks, r->cap * sizeof *r->blocks);
	}
	r->blocks[r->n++] = p;
	return p;
}

static void *alloc(rt *r, size_t n)
{
	return keep(r, xcalloc(1, n ? n : 1));
}

static char *rdup(rt *r, const char *s)
{
	return s ? keep(r, xstrdup(s)) : NULL;
}

static int lit(rt *r, json_t *v)
{
	if (r->n_lits == r->cap_lits) {
		r->cap_lits = r->cap_lits ? 2 * r->cap_lits : 16;
		r->lits = xrealloc(r->lits, (size_t)r->cap_lits * sizeof *r->lits);
		r->x.lits = r->lits;
	}
	r->lits[r->n_lits] = v;
	return r->n_lits++;
}

static int lit_text(rt *r, const char *json)
{
	json_t *v = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	return lit(r, v ? v : json_null());
}

void rt_init(rt *r)
{
	memset(r, 0, sizeof *r);
	r->x.region = "us-east-1";
	r->x.account = "000000000000";
	r->x.start_ms = 1767225600000LL; /* 2026-01-01T00:00:00Z */
	r->x.virtual_clock = true;
	r->x.time_scale = 0;
	r->x.ctx_execution = json_pack("{s:s, s:{}, s:s, s:s}", "Id",
	    "arn:aws:states:us-east-1:000000000000:execution:fuzz:x", "Input",
	    "StartTime", "2026-01-01T00:00:00Z", "Name", "x");
	r->x.ctx_machine = json_pack("{s:s, s:s}", "Id",
	    "arn:aws:states:us-east-1:000000000000:stateMachine:fuzz", "Name",
	    "fuzz");
	r->c.x = &r->x;
	r->c.state = "P";
	r->c.rng = 42;
	lit(r, json_null()); /* never an empty table */
}

void rt_free(rt *r)
{
	asl_ctx_release(&r->c);
	for (size_t i = 0; i < r->n; i++)
		free(r->blocks[i]);
	free(r->blocks);
	for (int i = 0; i < r->n_lits; i++)
		json_decref(r->lits[i]);
	free(r->lits);
	json_decref(r->x.ctx_execution);
	json_decref(r->x.ctx_machine);
}

static asl_expr *rt_expr(rt *r, const ir_expr *e)
{
	asl_expr *x = alloc(r, sizeof *x);

	x->op = (unsigned char)e->op;
	x->a = e->a ? rt_expr(r, e->a) : NULL;
	x->b = e->b ? rt_expr(r, e->b) : NULL;
	x->path = e->path ? rt_path(r, e->path, e->path->text) : NULL;
	x->lit = e->lit ? lit_text(r, e->lit) : -1;
	x->regex = rdup(r, e->regex);
	x->icase = e->icase;
	return x;
}

asl_path *rt_path(rt *r, const ir_path *ip, const char *text)
{
	asl_path *p = alloc(r, sizeof *p);
	asl_seg *segs = alloc(r, (ip->n_segs + 1) * sizeof *segs);

	for (unsigned i = 0; i < ip->n_segs; i++) {
		const ir_seg *s = &ip->segs[i];
		segs[i].kind = (unsigned char)s->kind;
		segs[i].deep = s->deep;
		segs[i].has_start = s->has_start;
		segs[i].has_end = s->has_end;
		segs[i].name = rdup(r, s->name);
		segs[i].index = s->index;
		segs[i].end = s->end;
		segs[i].step = s->step;
		segs[i].count = s->count;
		if (s->indexes) {
			long long *ix = alloc(r, s->count * sizeof *ix);
			memcpy(ix, s->indexes, s->count * sizeof *ix);
			segs[i].indexes = ix;
		}
		if (s->names) {
			char **nm = alloc(r, s->count * sizeof *nm);
			for (unsigned k = 0; k < s->count; k++)
				nm[k] = rdup(r, s->names[k]);
			segs[i].names = (const char *const *)nm;
		}
		if (s->filter)
			segs[i].filter = rt_expr(r, s->filter);
	}
	p->text = rdup(r, text ? text : ip->text ? ip->text : "$");
	p->norm = keep(r, ir_path_norm(ip));
	p->root = (unsigned char)ip->root;
	p->definite = ip->definite;
	p->var = rdup(r, ip->var);
	p->segs = segs;
	p->n_segs = ip->n_segs;
	return p;
}

/* States.Format keeps its template's escapes (as emit.c does). */
static int format_lit(rt *r, const char *raw)
{
	strbuf j = SB_INIT;
	int l;

	sb_putc(&j, '"');
	for (const char *s = raw; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_putc(&j, '\\');
		if ((unsigned char)*s < 0x20)
			sb_printf(&j, "u%04x", (unsigned char)*s);
		else
			sb_putc(&j, *s);
	}
	sb_putc(&j, '"');
	l = lit_text(r, j.s);
	sb_free(&j);
	return l;
}

asl_call *rt_call(rt *r, const ir_call *c)
{
	asl_call *k;
	asl_value *args;
	const ir_fn_info *fi = ir_fn(c->fn);

	if (!fi || (int)c->n_args < fi->min_args ||
	    (fi->max_args >= 0 && (int)c->n_args > fi->max_args))
		return NULL;
	k = alloc(r, sizeof *k);
	args = alloc(r, (c->n_args + 1) * sizeof *args);
	for (unsigned i = 0; i < c->n_args; i++) {
		const ir_arg *a = &c->args[i];
		args[i].kind = (unsigned char)a->kind;
		if (a->kind == ASL_V_LIT) {
			args[i].lit = i == 0 && c->fn == ASL_FN_FORMAT && a->raw
			              ? format_lit(r, a->raw) : lit_text(r, a->lit);
		} else if (a->kind == ASL_V_PATH) {
			args[i].path = rt_path(r, a->path, a->path->text);
		} else if (!(args[i].call = rt_call(r, a->call))) {
			return NULL;
		}
	}
	k->fn = (unsigned char)c->fn;
	k->text = rdup(r, c->text);
	k->args = args;
	k->n_args = c->n_args;
	return k;
}

static bool dynamic_key(const char *k)
{
	size_t n = strlen(k);
	return n >= 2 && !strcmp(k + n - 2, ".$");
}

static bool has_dynamic(json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if (has_dynamic(m))
				return true;
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, m)
			if (dynamic_key(k) || has_dynamic(m))
				return true;
	}
	return false;
}

static bool fill(rt *r, asl_value *out, json_t *v);

static bool fill_expr(rt *r, asl_value *out, const char *text)
{
	ir_parse p;
	bool ok = false;

	ir_parse_text(text, &p);
	if (p.path) {
		out->kind = ASL_V_PATH;
		out->path = rt_path(r, p.path, text);
		ok = true;
	} else if (p.call) {
		out->kind = ASL_V_CALL;
		ok = (out->call = rt_call(r, p.call)) != NULL;
	}
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);
	return ok;
}

static bool fill(rt *r, asl_value *out, json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;

	if (!has_dynamic(v)) {
		out->kind = ASL_V_LIT;
		out->lit = lit(r, json_incref(v));
		return true;
	}
	out->count = (unsigned)(json_is_array(v) ? json_array_size(v)
	                                         : json_object_size(v));
	if (json_is_array(v)) {
		asl_value *items = alloc(r, out->count * sizeof *items);
		out->kind = ASL_V_ARRAY;
		out->items = items;
		json_array_foreach(v, i, m)
			if (!fill(r, &items[i], m))
				return false;
		return true;
	}
	asl_member *mb = alloc(r, out->count * sizeof *mb);
	out->kind = ASL_V_OBJECT;
	out->members = mb;
	i = 0;
	json_object_foreach(v, k, m) {
		bool dyn = dynamic_key(k);
		mb[i].field = rdup(r, k);
		mb[i].key = keep(r, dyn ? xstrndup(k, strlen(k) - 2) : xstrdup(k));
		if (dyn ? !json_is_string(m) ||
		          !fill_expr(r, &mb[i].value, json_string_value(m))
		        : !fill(r, &mb[i].value, m))
			return false;
		i++;
	}
	return true;
}

asl_value *rt_template(rt *r, json_t *tpl)
{
	asl_value *v = alloc(r, sizeof *v);
	return fill(r, v, tpl) ? v : NULL;
}

bool rt_compiler_accepts(json_t *tpl)
{
	static FILE *devnull;
	json_t *def = json_pack("{s:s, s:{s:{s:s, s:O, s:b}}}", "StartAt", "P",
	                        "States", "P", "Type", "Pass", "Parameters", tpl,
	                        "End", 1);
	char *src = json_dumps(def, JSON_COMPACT);
	compile_options o = { "fuzz.json", "fuzz", true, true };
	diag d;
	bool ok;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memset(&d, 0, sizeof d);
	d.out = devnull;
	d.file = "fuzz.json";
	free(asl2c_compile(src, strlen(src), &o, &d));
	ok = d.errors == 0;
	free(src);
	json_decref(def);
	return ok;
}
