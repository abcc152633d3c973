/*
 * compile.c - the compiler's pipeline: read, check, emit.
 */
#include "compile.h"
#include "json.h"
#include "model.h"
#include "util.h"

#include <stdlib.h>

char *asl2c_compile(const char *src, size_t len, const compile_options *o,
                    diag *d)
{
	jnode *root;
	model m;
	char *out = NULL;

	d->src = src;
	d->srclen = len;
	if (!(root = json_parse(src, len, d)))
		return NULL;
	if (model_build(&m, root, d) == 0 && d->errors == 0 && !o->check_only) {
		emit_options eo = { o->file, o->no_version };
		m.name = xstrdup(o->name);
		out = emit_program(&m, &eo);
	}
	model_free(&m);
	jnode_free(root);
	return out;
}
