/*
 * rtconv.h - what the fuzz targets share: the parser's paths, calls and
 * payload templates turned into the runtime's tables in memory by the
 * compiler's lowering (lower.h, the one the emitter prints), and a minimal
 * execution to evaluate them in.  Everything built here is freed by
 * rt_free().
 */
#ifndef ASL2C_FUZZ_RTCONV_H
#define ASL2C_FUZZ_RTCONV_H

#include "ir.h"
#include "lower.h"

#include "../runtime/internal.h"

#include <jansson.h>
#include <stddef.h>

typedef struct rt {
	lowering low;      /* the tables */
	json_t **lits;     /* the literal table, loaded from low's */
	int n_lits, cap_lits;
	asl_exec x;
	asl_ctx c;
} rt;

void rt_init(rt *r);
void rt_free(rt *r);
/* A runtime path from the parser's. */
const asl_path *rt_path(rt *r, const ir_path *p);
/* A runtime call from the parser's (known functions only, else NULL). */
const asl_call *rt_call(rt *r, const ir_call *c);
/* A payload template from its JSON: "x.$" members hold paths or calls.
 * NULL when a dynamic value does not parse. */
const asl_value *rt_template(rt *r, json_t *tpl);
/* The compiler's verdict on a Pass state with this Parameters template:
 * true when asl2c accepts the definition. */
bool rt_compiler_accepts(json_t *tpl);

#endif
