/*
 * jsonata_value.c - the value of a field of a JSONata state: JSON in which
 * a string "{% EXPR %}", at any depth, is an expression (an ASL_V_JSONATA
 * leaf of the field's asl_value), anything else literal.  Expressions see
 * $states (input, context, and result or errorOutput where the state has
 * them) and the variables in scope, as JSONata variables; the input
 * document itself is not bound (AWS: `$` and bare field names at the top
 * are undefined).
 *
 * Errors are States.QueryEvaluationError with AWS's causes, the field
 * named by its place ("Output/v", "Arguments/items[0]"):
 *   ... The JSONata expression 'EXPR' specified for the field 'FIELD'
 *   returned nothing (undefined).
 *   ... threw an error during evaluation. CODE: MESSAGE
 *   ... threw an error during evaluation: MESSAGE    (the engine's limits)
 * each after "An error occurred while executing the state ..." as every
 * run-time error of a state (doc/jsonata.md).
 */
#include "internal.h"
#include "jsonata.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

/* The expressions of the program, read back from their compiled forms
 * (asl_program.jsonata): false, with a message, when one does not read
 * (a corrupt program, or one built by another asl2c). */
bool asl_jsonata_load_all(asl_exec *x, const char *argv0)
{
	const asl_program *p = x->prog;
	x->jsonata = calloc(p->n_jsonata ? p->n_jsonata : 1, sizeof *x->jsonata);
	if (!x->jsonata)
		asl_oom();
	for (unsigned i = 0; i < p->n_jsonata; i++) {
		asl_jsonata_error err;
		const asl_jsonata_src *s = &p->jsonata[i];
		x->jsonata[i] = asl_jsonata_load(s->form, s->form_len, &err);
		if (!x->jsonata[i]) {
			if (!strcmp(err.code, "U1010"))
				asl_oom();
			fprintf(stderr, "%s: corrupt JSONata expression %u (%s): %s\n",
			        argv0, i, s->text, err.message);
			return false;
		}
	}
	return true;
}

void asl_jsonata_free_all(asl_exec *x)
{
	for (unsigned i = 0; x->jsonata && i < x->prog->n_jsonata; i++)
		asl_jsonata_free(x->jsonata[i]);
	free(x->jsonata);
	x->jsonata = NULL;
}

static double clock_ms(void *ctx)
{
	return (double)asl_now_ms(ctx);
}

/* A uniform double in [0, 1) from the context's seeded generator. */
static double draw(void *ctx)
{
	return (double)(asl_random(ctx) >> 11) / 9007199254740992.0;
}

/* The variables of S and the scopes enclosing it into B, the innermost
 * scope's value of a name winning. */
static void add_scopes(json_t *b, const asl_ctx *s)
{
	const char *k;
	json_t *v;

	if (!s)
		return;
	add_scopes(b, s->parent);
	if (s->vars)
		json_object_foreach(s->vars, k, v)
			json_object_set(b, k, v);
}

/* What every expression of one field sees: $states and the variables. */
static json_t *bindings(asl_ctx *c, const asl_states *st)
{
	json_t *b = json_object(), *states = json_object();

	if (!b || !states)
		asl_oom();
	add_scopes(b, c);
	json_object_set(states, "input", st->input);
	json_object_set_new(states, "context", asl_context_object(c));
	if (st->result)
		json_object_set(states, "result", st->result);
	if (st->error_output)
		json_object_set(states, "errorOutput", st->error_output);
	json_object_set_new(b, "states", states);
	return b;
}

static void query_error(asl_ctx *c, const char *expr, const char *field,
                        const char *ending)
{
	asl_state_error(c, ASL_ERR(QUERY_EVALUATION_ERROR),
	                "The JSONata expression '%s' specified for the field "
	                "'%s' %s", expr, field, ending);
}

/* The cause's ending for an engine error, as AWS words it: the code and
 * jsonata-js's message, or for the engine's limits the message alone. */
static void engine_error(asl_ctx *c, const char *expr, const char *field,
                         const asl_jsonata_error *err)
{
	char *ending;

	if (!strcmp(err->code, "U1010"))
		ending = asl_sprintf("threw an error during evaluation: Expression "
		                     "evaluation memory limit exceeded: Check for "
		                     "excessive memory usage");
	else if (!strcmp(err->code, "U1001"))
		ending = asl_sprintf("threw an error during evaluation: Stack "
		                     "overflow error: Check for non-terminating "
		                     "recursive function. Consider rewriting as "
		                     "tail-recursive.");
	else
		ending = asl_sprintf("threw an error during evaluation. %s: %s",
		                     err->code, err->message);
	query_error(c, expr, field, ending);
	free(ending);
}

typedef struct walk {
	asl_ctx *c;
	json_t *bindings;
	asl_jsonata_env env;
	strbuf field;        /* the place being evaluated */
} walk;

static json_t *eval_value(walk *w, const asl_value *v);

static json_t *eval_expr(walk *w, int index)
{
	asl_ctx *c = w->c;
	const char *text = c->x->prog->jsonata[index].text;
	asl_jsonata_error err;
	json_t *out = NULL;

	if (asl_jsonata_eval(c->x->jsonata[index], NULL, w->bindings, &w->env,
	                     &out, &err)) {
		engine_error(c, text, w->field.s, &err);
		return NULL;
	}
	if (!out)
		query_error(c, text, w->field.s, "returned nothing (undefined).");
	return out;
}

/* The place of a member (FIELD/KEY) or an item (FIELD[I]) while F runs. */
static json_t *at_member(walk *w, const asl_member *m)
{
	size_t len = w->field.len;
	sb_printf(&w->field, "/%s", m->key);
	json_t *v = eval_value(w, &m->value);
	w->field.len = len;
	w->field.s[len] = '\0';
	return v;
}

static json_t *at_item(walk *w, const asl_value *item, unsigned i)
{
	size_t len = w->field.len;
	sb_printf(&w->field, "[%u]", i);
	json_t *v = eval_value(w, item);
	w->field.len = len;
	w->field.s[len] = '\0';
	return v;
}

static json_t *eval_value(walk *w, const asl_value *v)
{
	json_t *out, *e;

	switch (v->kind) {
	case ASL_V_LIT:
		return json_incref(asl_literal(w->c, v->lit));
	case ASL_V_JSONATA:
		return eval_expr(w, v->lit);
	case ASL_V_OBJECT:
		out = json_object();
		for (unsigned i = 0; out && i < v->count; i++) {
			if (!(e = at_member(w, &v->members[i]))) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new_nocheck(out, v->members[i].key, e);
		}
		return out;
	case ASL_V_ARRAY:
		out = json_array();
		for (unsigned i = 0; out && i < v->count; i++) {
			if (!(e = at_item(w, &v->items[i], i))) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, e);
		}
		return out;
	default:   /* no JSONPath value in a JSONata field (the compiler's
	              checks) */
		asl_runtime_error(w->c, "The field '%s' holds a JSONPath value in "
		                  "a JSONata state", w->field.s);
		return NULL;
	}
}

json_t *asl_jsonata_value(asl_ctx *c, const asl_value *v, const char *field,
                          const asl_states *st)
{
	walk w;

	memset(&w, 0, sizeof w);
	w.c = c;
	w.env.now_ms = clock_ms;
	w.env.next_random = draw;
	w.env.ctx = c;
	sb_puts(&w.field, field);
	w.bindings = bindings(c, st);
	json_t *out = eval_value(&w, v);
	json_decref(w.bindings);
	sb_free(&w.field);
	return out;
}
