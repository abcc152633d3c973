/*
 * value.c - evaluating payload templates (Parameters, ResultSelector,
 * ItemSelector, Assign) compiled into asl_value trees.
 */
#include "internal.h"
#include "jsontext.h"

#include <string.h>


/* Values in messages are written as AWS writes them: compact, reals in
 * Java's shortest form (0.1, not 0.10000000000000001; 1.0E20). */
char *asl_dump(const json_t *v)
{
	return jt_text(v);
}

char *asl_dump_bare(const json_t *v)
{
	return json_is_string(v) ? asl_strdup(json_string_value(v))
	                         : jt_text(v);
}

json_t *asl_literal(const asl_ctx *c, int index)
{
	return c->x->lits[index];
}

static json_t *eval_path(asl_ctx *c, const asl_path *p, json_t *input,
                         const char *field, bool *owned)
{
	json_t *out, *var = NULL;
	int rc = asl_path_lookup(c, p, input, &out, owned);

	if (rc == ASL_FOUND)
		return out;
	if (rc == ASL_PATH_ERROR)
		return NULL; /* raised */
	for (const asl_ctx *s = c; p->root == ASL_ROOT_VAR && s && !var;
	     s = s->parent)
		var = s->vars ? json_object_get(s->vars, p->var) : NULL;
	if (p->root == ASL_ROOT_VAR && !var) {
		asl_runtime_error(c, "The JSONPath '%s' specified for the field '%s' "
		                  "references an undefined variable '%s'",
		                  p->text, field, p->var);
	} else {
		/* a member the input (or the variable) does not have */
		json_t *doc = var ? json_incref(var)
		            : p->root == ASL_ROOT_CONTEXT ? asl_context_object(c)
		                                          : json_incref(input);
		char *d = asl_dump(doc);
		asl_runtime_error(c, "The JSONPath '%s' specified for the field '%s' "
		                  "could not be found in the input '%s'",
		                  p->text, field, d);
		free(d);
		json_decref(doc);
	}
	return NULL;
}

json_t *asl_eval_lookup(asl_ctx *c, const asl_value *v, json_t *input,
                        const char *field, bool *owned)
{
	*owned = false;
	if (v->kind == ASL_V_LIT)
		return asl_literal(c, v->lit);
	if (v->kind == ASL_V_PATH)
		return eval_path(c, v->path, input, field, owned);
	*owned = true;
	return asl_eval(c, v, input, field);
}

json_t *asl_eval(asl_ctx *c, const asl_value *v, json_t *input,
                 const char *field)
{
	json_t *out, *e;
	bool owned;

	switch (v->kind) {
	case ASL_V_LIT:
		return json_incref(asl_literal(c, v->lit));
	case ASL_V_PATH:
		if ((out = eval_path(c, v->path, input, field, &owned)) && !owned)
			json_incref(out);
		return out;
	case ASL_V_CALL:
		return asl_eval_call(c, v->call, input, field);
	case ASL_V_OBJECT:
		out = json_object();
		for (unsigned i = 0; i < v->count; i++) {
			const asl_member *m = &v->members[i];
			if (!(e = asl_eval(c, &m->value, input, m->field))) {
				json_decref(out);
				return NULL;
			}
			/* The key is the definition's, valid UTF-8 (jansson parsed
			 * it): no check again on every evaluation. */
			json_object_set_new_nocheck(out, m->key, e);
		}
		return out;
	case ASL_V_ARRAY:
		out = json_array();
		for (unsigned i = 0; i < v->count; i++) {
			if (!(e = asl_eval(c, &v->items[i], input, field))) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, e);
		}
		return out;
	}
	return NULL;
}

/* The length of an integer's decimal text. */
static size_t int_size(json_int_t x)
{
	unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x
	                             : (unsigned long long)x;
	size_t n;

	for (n = x < 0 ? 2 : 1; u >= 10; u /= 10)
		n++;
	return n;
}

/* What jansson's escaping adds to a character: \" \\ \b \f \n \r \t one
 * byte, other control characters five (\u00XX), the rest (UTF-8
 * included) none. */
static const unsigned char escape_extra[256] = {
	5, 5, 5, 5, 5, 5, 5, 5, 1, 1, 1, 5, 1, 1, 5, 5, /* \b \t \n \f \r */
	5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	['"'] = 1, ['\\'] = 1,
};

/* The length of a string's JSON text without its quotes. */
static size_t text_size(const char *p, size_t len)
{
	size_t n = len;

	for (size_t i = 0; i < len; i++)
		n += escape_extra[(unsigned char)p[i]];
	return n;
}

/* The length of a real's text as jansson writes it: %.17g, ".0" added
 * when that has neither '.' nor 'e', the exponent without '+' or
 * leading zeros (1.0, 1e20, 1e-5). */
static size_t real_size(double d)
{
	char num[40];
	int len = snprintf(num, sizeof num, "%.17g", d);
	char *e = strchr(num, 'e'), *start, *end;

	if (len < 0)
		return 0;
	if (!e)
		return (size_t)len + (strchr(num, '.') ? 0 : 2);
	start = e + 1;
	end = start + 1;
	if (*start == '-')
		start++;
	while (*end == '0')
		end++;
	return (size_t)len - (size_t)(end - start);
}

/* A key's length, known to jansson since 2.14. */
#if JANSSON_VERSION_HEX >= 0x020e00
#define KEY_LEN(it, k) json_object_iter_key_len(it)
#else
#define KEY_LEN(it, k) strlen(k)
#endif

/* The size of v as compact JSON text, exactly as json_dumpb writes it
 * (JSON_COMPACT), counted without writing it, and no further than past
 * budget (it returns budget + 1 then). */
size_t asl_json_size(const json_t *v, size_t budget)
{
	size_t n = 0, i, len;
	const char *k;
	const json_t *e;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		n = json_object_size(v);
		n = n ? n + 1 : 2; /* {} and the commas */
		/* The iterator itself (json_object_foreach looks each key up
		 * again); integers counted here, without a call. */
		for (void *it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it)) {
			k = json_object_iter_key(it);
			e = json_object_iter_value(it);
			n += 3 + text_size(k, KEY_LEN(it, k)); /* "k": */
			if (n > budget)
				return budget + 1;
			n += json_is_integer(e) ? int_size(json_integer_value(e))
			                        : asl_json_size(e, budget - n);
			if (n > budget)
				return budget + 1;
		}
		return n;
	case JSON_ARRAY:
		len = json_array_size(v);
		n = len ? len + 1 : 2; /* [] and the commas */
		for (i = 0; i < len; i++) {
			if (n > budget)
				return budget + 1;
			e = json_array_get(v, i);
			n += json_is_integer(e) ? int_size(json_integer_value(e))
			                        : asl_json_size(e, budget - n);
		}
		return n > budget ? budget + 1 : n;
	case JSON_STRING:
		return 2 + text_size(json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return int_size(json_integer_value(v));
	case JSON_REAL:
		return real_size(json_real_value(v));
	case JSON_TRUE:
	case JSON_NULL:
		return 4;
	default:
		return 5; /* false */
	}
}
