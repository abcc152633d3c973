/*
 * fuzz_eval.h - evaluate a payload template on an input, as a Pass state's
 * Parameters, when the compiler accepts it (shared by fuzz_template.c and
 * fuzz_intrinsic.c).
 */
#ifndef ASL2C_FUZZ_EVAL_H
#define ASL2C_FUZZ_EVAL_H

#include "rtconv.h"

static void eval_template(json_t *tpl, json_t *input)
{
	rt r;
	const asl_value *v;
	json_t *out;

	if (!json_is_object(tpl) || !rt_compiler_accepts(tpl))
		return;
	rt_init(&r);
	if ((v = rt_template(&r, tpl))) {
		out = asl_eval(&r.c, v, input, "Parameters");
		if (out) {
			char *s = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
			free(s);
			json_decref(out);
		} else if (!r.c.error) {
			abort(); /* failed without an error */
		}
	} else {
		abort(); /* the compiler accepted what we cannot build */
	}
	rt_free(&r);
}

#endif
