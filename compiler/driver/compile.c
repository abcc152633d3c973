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
