/*
 * compile.c - the compiler's pipeline: read, check, emit.
 */
#include "compile.h"
#include "dot.h"
#include "json.h"
#include "model.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

char *asl2c_compile(const char *src, size_t len, const compile_options *o,
                    diag *d)
{
	return asl2c_compile_to(src, len, o, ASL2C_OUT_C, d);
}

char *asl2c_compile_to(const char *src, size_t len, const compile_options *o,
                       int output, diag *d)
{
	return asl2c_compile_type(src, len, o, output, false, d);
}

char *asl2c_compile_type(const char *src, size_t len,
                         const compile_options *o, int output, bool express,
                         diag *d)
{
	jnode *root;
	model m;
	char *out = NULL;

	d->src = src;
	d->srclen = len;
	/* Diagnostics are printed at the end, in file order. */
	d->defer = true;
	if (!(root = json_parse(src, len, d))) {
		diag_flush(d);
		return NULL;
	}
	model_build_type(&m, root, d, express);
	if (d->errors == 0 && !o->check_only) {
		emit_options eo = { o->file, o->no_version };
		m.name = xstrdup(o->name);
		out = output == ASL2C_OUT_DOT ? dot_program(&m)
		                                : emit_program(&m, &eo);
	}
	model_free(&m);
	jnode_free(root);
	diag_flush(d);
	return out;
}

char *asl2c_compile_machines(const compile_unit *u, size_t n,
                             const compile_options *o, bool express, diag *d)
{
	jnode **roots = xcalloc(n, sizeof *roots);
	model *ms = xcalloc(n, sizeof *ms), **mp = xcalloc(n, sizeof *mp);
	bool *built = xcalloc(n, sizeof *built);
	char *out = NULL;

	for (size_t i = 0; i < n; i++) {
		d->file = u[i].file;
		d->src = u[i].src;
		d->srclen = u[i].len;
		d->defer = true;
		if ((roots[i] = json_parse(u[i].src, u[i].len, d))) {
			model_build_type(&ms[i], roots[i], d, express);
			built[i] = true;
		}
		diag_flush(d);
		ms[i].name = xstrdup(u[i].name);
		mp[i] = &ms[i];
	}
	if (d->errors == 0 && !o->check_only) {
		emit_options eo = { u[0].file, o->no_version };
		out = emit_programs(mp, n, &eo);
	}
	for (size_t i = 0; i < n; i++) {
		if (built[i])
			model_free(&ms[i]);
		else
			free(ms[i].name);
		jnode_free(roots[i]);
	}
	free(roots);
	free(ms);
	free(mp);
	free(built);
	return out;
}
