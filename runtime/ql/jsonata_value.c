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

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* The expressions of the program, read back from their compiled forms
 * (asl_program.jsonata): false, with a message, when one does not read
 * (a corrupt program, or one built by another asl2c). */
bool asl_jsonata_load_all(asl_exec *x, const char *argv0)
{
	const asl_program *p = x->prog;
	x->jsonata = calloc(p->n_jsonata ? p->n_jsonata : 1, sizeof *x->jsonata);
	x->jsonata_reads = calloc(p->n_jsonata ? p->n_jsonata : 1, 1);
	if (!x->jsonata || !x->jsonata_reads)
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
		/* 0: no $states.context; ASL_READS_CONTEXT_MAP: only its Map
		 * member (a Map's ItemSelector: $states.context.Map.Item.Value);
		 * else ASL_READS_CONTEXT_WHOLE. */
		x->jsonata_reads[i] =
			!asl_jsonata_reads(x->jsonata[i], "states", "context") ? 0
			: asl_jsonata_reads_beyond(x->jsonata[i], "states", "context",
			                           "Map") ? ASL_READS_CONTEXT_WHOLE
			                                  : ASL_READS_CONTEXT_MAP;
		x->jsonata_reads_context |= x->jsonata_reads[i] != 0;
		if (asl_jsonata_reads_beyond(x->jsonata[i], "states", "result",
		                             "Payload"))
			x->jsonata_reads[i] |= ASL_READS_BEYOND_PAYLOAD;
	}
	return true;
}

void asl_jsonata_free_all(asl_exec *x)
{
	for (unsigned i = 0; x->jsonata && i < x->prog->n_jsonata; i++)
		asl_jsonata_free(x->jsonata[i]);
	free(x->jsonata);
	free(x->jsonata_reads);
	x->jsonata = NULL;
	x->jsonata_reads = NULL;
}

typedef struct walk {
	asl_ctx *c;
	const asl_states *st;
	json_t *states;      /* $states, once an expression read it */
	int with_context;    /* what states holds of the context object: 0,
	                        ASL_READS_CONTEXT_MAP or _WHOLE */
	int expr;            /* the expression being evaluated */
	asl_jsonata_env env;
	const char *field;   /* the field's name */
	const struct place *place; /* where in it, innermost last */
} walk;

/* A member (KEY) or an item (INDEX) of the field's value being evaluated,
 * on the stack: the place is spelled out only for a message. */
struct place {
	const struct place *up;
	const char *key;
	unsigned index;
};

static void put_place(strbuf *b, const struct place *p)
{
	char ix[24];

	if (!p)
		return;
	put_place(b, p->up);
	if (p->key) {
		sb_putc(b, '/');
		sb_puts(b, p->key);
	} else {
		sb_puts(b, asl_field_name(ix, sizeof ix, "", (long)p->index, ""));
	}
}

/* The place being evaluated, as AWS names it: Output/a/b[2]/c (a new
 * string). */
static char *place_text(const walk *w)
{
	strbuf b = { 0 };

	sb_puts(&b, w->field);
	put_place(&b, w->place);
	return sb_steal(&b);
}

static double clock_ms(void *ctx)
{
	return (double)asl_now_ms(((walk *)ctx)->c);
}

/* A uniform double in [0, 1) from the context's seeded generator. */
static double draw(void *ctx)
{
	return (double)(asl_random(((walk *)ctx)->c) >> 11) /
	       9007199254740992.0;
}

/* $states: input, and result or errorOutput where the state has them,
 * built once per field; the context object only once an expression that
 * may read it runs (asl_jsonata_reads): building it is most of the cost
 * of a field otherwise. */
static json_t *states_object(walk *w)
{
	const asl_states *st = w->st;
	int context = w->c->x->jsonata_reads[w->expr] & ASL_READS_CONTEXT;

	if (!w->states) {
		if (!(w->states = json_object()))
			asl_oom();
		if (st->input)
			json_object_set(w->states, "input", st->input);
		if (st->result)
			json_object_set(w->states, "result", st->result);
		if (st->error_output)
			json_object_set(w->states, "errorOutput", st->error_output);
	}
	if (context > w->with_context) {
		/* An expression that reads only $states.context.Map gets that
		 * member alone: no timestamp formatted, no Execution copied. */
		json_object_set_new(w->states, "context",
		                    context == ASL_READS_CONTEXT_MAP
		                    ? asl_context_map_object(w->c)
		                    : asl_context_object(w->c));
		w->with_context = context;
	}
	return w->states;
}

/* $states.MEMBER of those states_object holds but the context: *found
 * and the value (NULL: undefined), without $states made. */
static json_t *states_member(const asl_states *st, const char *member,
                             bool *found)
{
	*found = strcmp(member, "context") != 0;
	return !strcmp(member, "input") ? st->input
	     : !strcmp(member, "result") ? st->result
	     : !strcmp(member, "errorOutput") ? st->error_output : NULL;
}

static json_t *lookup_member(void *ctx, const char *name, const char *member,
                             bool *found)
{
	walk *w = ctx;

	if (strcmp(name, "states")) {
		*found = false;
		return NULL;
	}
	return states_member(w->st, member, found);
}

/* $NAME for the engine: $states, or the variable in the innermost scope
 * that has it (the scopes are read, never copied: a field of a state deep
 * in Maps costs what its expressions read). */
static json_t *lookup(void *ctx, const char *name)
{
	walk *w = ctx;

	if (!strcmp(name, "states"))
		return states_object(w);
	for (const asl_ctx *s = w->c; s; s = s->parent) {
		json_t *v = s->vars ? json_object_get(s->vars, name) : NULL;
		if (v)
			return v;
	}
	return NULL;
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

static json_t *eval_value(walk *w, const asl_value *v);

/* The value of an expression that is a variable or a path of names from
 * one (asl_jsonata_var_path), found without the engine, as
 * $$.Map.Item.Value is in a JSONPath state: $states.input, .result,
 * .errorOutput, and in an ItemSelector .context.Map.Item.Value and
 * .Index, or a variable of the state machine's, then members of objects.
 * NULL where the engine is needed: another path, a name that is no
 * variable (a function's, say), a member missing (undefined: the
 * engine's error), a value on the way that is not an object, or a last
 * value that is an array.  What it finds is what the engine would give:
 * the engine hands back the input's values themselves (jn_to_json). */
static json_t *direct(walk *w, const asl_jsonata_expr *e)
{
	const asl_states *st = w->st;
	const asl_ctx *c = w->c;
	const char *var, *const *names;
	int n = asl_jsonata_var_path(e, &var, &names), i = 1;
	json_t *node;
	bool found;

	if (n < 0)
		return NULL;
	if (strcmp(var, "states")) {
		node = lookup(w, var); /* no binding of the engine's at the top */
		i = 0;
	} else if (n < 1) {
		return NULL;
	} else if ((node = states_member(st, names[0], &found), found)) {
		/* input, result, errorOutput, or another name: undefined */
	} else if (c->in_item && n >= 4 &&
	           !strcmp(names[1], "Map") && !strcmp(names[2], "Item")) {
		if (n == 4 && !strcmp(names[3], "Index"))
			return json_integer((json_int_t)c->item_index);
		if (strcmp(names[3], "Value"))
			return NULL;
		node = c->item_value;
		i = 4;
	} else {
		return NULL;
	}
	for (; node && i < n; i++)
		node = json_is_object(node) ? json_object_get(node, names[i])
		                            : NULL;
	return node && !json_is_array(node) ? json_incref(node) : NULL;
}

static json_t *eval_expr(walk *w, int index)
{
	asl_ctx *c = w->c;
	const char *text = c->x->prog->jsonata[index].text;
	asl_jsonata_error err;
	json_t *out = NULL;

	w->expr = index;
	if ((out = direct(w, c->x->jsonata[index])))
		return out;
	int rc = asl_jsonata_eval(c->x->jsonata[index], NULL, NULL, &w->env,
	                          &out, &err);
	if (rc || !out) {
		char *field = place_text(w);
		if (rc)
			engine_error(c, text, field, &err);
		else
			query_error(c, text, field, "returned nothing (undefined).");
		free(field);
		return NULL;
	}
	return out;
}

const char *asl_field_name(char *buf, size_t n, const char *head, long i,
                           const char *tail)
{
	char digits[24];
	size_t k = 0, d = sizeof digits;

	if (!n)
		return buf;
	if (i >= 0) {
		unsigned long u = (unsigned long)i;
		digits[--d] = ']';
		do
			digits[--d] = (char)('0' + u % 10);
		while (u /= 10);
		digits[--d] = '[';
	}
	const char *part[3] = { head, digits + d, tail };
	size_t len[3] = { strlen(head), sizeof digits - d, strlen(tail) };
	for (int p = 0; p < 3; p++) {
		size_t m = len[p] < n - 1 - k ? len[p] : n - 1 - k;
		memcpy(buf + k, part[p], m);
		k += m;
	}
	buf[k] = '\0';
	return buf;
}

/* The place of a member (FIELD/KEY) or an item (FIELD[I]) while F runs. */
static json_t *at_place(walk *w, const asl_value *v, const char *key,
                        unsigned i)
{
	struct place p = { w->place, key, i };
	json_t *out;

	w->place = &p;
	out = eval_value(w, v);
	w->place = p.up;
	return out;
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
			if (!(e = at_place(w, &v->members[i].value, v->members[i].key, 0))) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new_nocheck(out, v->members[i].key, e);
		}
		return out;
	case ASL_V_ARRAY:
		out = json_array();
		for (unsigned i = 0; out && i < v->count; i++) {
			if (!(e = at_place(w, &v->items[i], NULL, i))) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, e);
		}
		return out;
	default:   /* no JSONPath value in a JSONata field (the compiler's
	              checks) */
		{
			char *field = place_text(w);
			asl_runtime_error(w->c, "The field '%s' holds a JSONPath "
			                  "value in a JSONata state", field);
			free(field);
			return NULL;
		}
	}
}

static void walk_init(walk *w, asl_ctx *c, const char *field,
                      const asl_states *st)
{
	memset(w, 0, sizeof *w);
	w->c = c;
	w->st = st;
	w->env.now_ms = clock_ms;
	w->env.next_random = draw;
	w->env.lookup = lookup;
	w->env.lookup_member = lookup_member;
	w->env.ctx = w;
	w->field = field;
}

json_t *asl_jsonata_value(asl_ctx *c, const asl_value *v, const char *field,
                          const asl_states *st)
{
	walk w;

	walk_init(&w, c, field, st);
	json_t *out = eval_value(&w, v);
	json_decref(w.states);
	return out;
}

bool asl_jsonata_members(asl_ctx *c, const asl_value *v, const char *field,
                         const asl_states *st, json_t **out)
{
	walk w;
	unsigned i;

	walk_init(&w, c, field, st);
	for (i = 0; i < v->count; i++)
		if (!(out[i] = at_place(&w, &v->members[i].value,
		                        v->members[i].key, 0)))
			break;
	json_decref(w.states);
	if (i == v->count)
		return true;
	while (i--)
		json_decref(out[i]);
	return false;
}

/* ------------------------------------------------ fields of one type */

/* The expression of a field, for messages: its text, or "" when the
 * field is not one expression. */
static const char *expr_text(const asl_ctx *c, const asl_value *v)
{
	return v->kind == ASL_V_JSONATA ? c->x->prog->jsonata[v->lit].text : "";
}

/* A JSON value's type as JSONata's $type names it. */
static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER:
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	default: return "null";
	}
}

/* States.QueryEvaluationError: the field's value V is not of the type
 * EXPECTED. */
static void wrong_type(asl_ctx *c, const asl_value *v, const char *field,
                       const char *expected, const json_t *value)
{
	char *d = asl_dump(value);
	char *ending = asl_sprintf("returned an unexpected result type. "
	                           "Expected '%s', but was '%s' for value: %s",
	                           expected, type_name(value), d);
	query_error(c, expr_text(c, v), field, ending);
	free(ending);
	free(d);
}

static bool type_is(const json_t *v, json_type type)
{
	switch (type) {
	case JSON_TRUE:
	case JSON_FALSE: return json_is_boolean(v);
	case JSON_INTEGER:
	case JSON_REAL: return json_is_number(v);
	default: return json_typeof(v) == type;
	}
}

static const char *type_word(json_type type)
{
	switch (type) {
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_INTEGER:
	case JSON_REAL: return "number";
	case JSON_STRING: return "string";
	case JSON_ARRAY: return "array";
	case JSON_OBJECT: return "object";
	default: return "null";
	}
}

json_t *asl_jsonata_typed(asl_ctx *c, const asl_value *v, const char *field,
                          const asl_states *st, json_type type)
{
	json_t *r = asl_jsonata_value(c, v, field, st);

	if (r && !type_is(r, type)) {
		wrong_type(c, v, field, type_word(type), r);
		json_decref(r);
		return NULL;
	}
	return r;
}

json_t *asl_jsonata_assign(asl_ctx *c, const asl_value *a, const char *field,
                           const asl_states *st)
{
	if (!a)
		return json_object();
	return asl_jsonata_typed(c, a, field, st, JSON_OBJECT);
}

bool asl_jsonata_number(asl_ctx *c, const asl_value *v, const char *field,
                        json_t *doc, bool integer, double min, double max,
                        double *out)
{
	asl_states st = { doc, NULL, NULL };
	json_t *r = asl_jsonata_typed(c, v, field, &st, JSON_REAL);
	double d;

	if (!r)
		return false;
	d = json_number_value(r);
	if (integer && d != floor(d)) {
		wrong_type(c, v, field, "integer", r);
		json_decref(r);
		return false;
	}
	if (!(d >= min && d <= max)) {
		char *dv = asl_dump(r);
		char *ending = asl_sprintf("returned a value out of range. Expected "
		                           "%s from %.0f to %.0f, but was: %s",
		                           integer ? "an integer" : "a number",
		                           min, max, dv);
		query_error(c, expr_text(c, v), field, ending);
		free(ending);
		free(dv);
		json_decref(r);
		return false;
	}
	json_decref(r);
	*out = d;
	return true;
}

bool asl_state_int(asl_ctx *c, const char *path_field, long value,
                   const asl_path *p, const asl_value *ata,
                   const char *ata_field, json_t *doc, long min, long max,
                   long *out)
{
	double d;

	if (!ata)
		return asl_int_field(c, path_field, value, p, doc, out);
	if (!asl_jsonata_number(c, ata, ata_field, doc, true, (double)min,
	                        (double)max, &d))
		return false;
	*out = (long)d;
	return true;
}

json_t *asl_state_value(asl_ctx *c, const asl_state *s, const asl_value *v,
                        json_t *doc, const char *path_field,
                        const char *ata_field)
{
	asl_states st = { doc, NULL, NULL };

	if (!s->jsonata)
		return asl_eval(c, v, doc, path_field);
	return asl_jsonata_value(c, v, ata_field, &st);
}
