/*
 * rtconv.c - see rtconv.h.
 */
#include "rtconv.h"

#include "compile.h"
#include "json.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The lowering's new literals, loaded as a program loads its own (one
 * entry ahead: the table starts with a null). */
static void load_literals(rt *r)
{
	while ((unsigned)r->n_lits < r->low.n_lits + 1) {
		json_t *v = json_loads(r->low.lits[r->n_lits - 1],
		                       JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		lit(r, v ? v : json_null());
	}
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
	lower_init(&r->low);
}

void rt_free(rt *r)
{
	asl_ctx_release(&r->c);
	lower_free(&r->low);
	for (int i = 0; i < r->n_lits; i++)
		json_decref(r->lits[i]);
	free(r->lits);
	json_decref(r->x.ctx_execution);
	json_decref(r->x.ctx_machine);
}

const asl_path *rt_path(rt *r, const ir_path *ip)
{
	const asl_path *p = lower_path(&r->low, ip);
	load_literals(r);
	return p;
}

const asl_call *rt_call(rt *r, const ir_call *c)
{
	const asl_call *k = lower_call(&r->low, c);
	load_literals(r);
	return k;
}

const asl_value *rt_template(rt *r, json_t *tpl)
{
	static FILE *devnull;
	char *src = json_dumps(tpl, JSON_COMPACT | JSON_ENCODE_ANY);
	const asl_value *v = NULL;
	jnode *n;
	diag d;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memset(&d, 0, sizeof d);
	d.out = devnull;
	d.file = "fuzz.json";
	if ((n = json_parse(src, strlen(src), &d))) {
		v = lower_template(&r->low, n);
		load_literals(r);
		jnode_free(n);
	}
	free(src);
	return r->low.failed ? NULL : v;
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
