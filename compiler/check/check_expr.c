/*
 * check_expr.c - the expressions of a definition: Paths and Reference
 * Paths, payload templates and their intrinsic calls, variable names,
 * RFC 3339 timestamps, JSONata "{% %}" strings, and the warnings AWS gives
 * for values that look like paths where none is evaluated.
 */
#include "check.h"
#include "util.h"
#include "rfc3339.h"
#include "jsonata/jsonata.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CALL_DEPTH 10

bool ck_looks_like_path(const char *s)
{
	size_t n = strlen(s);

	if (!strncmp(s, "$.", 2) || !strncmp(s, "$[", 2) ||
	    !strncmp(s, "$$.", 3))
		return true;
	return !strncmp(s, "States.", 7) && n > 9 && s[n - 1] == ')' &&
	       strchr(s, '(');
}

bool ck_is_jsonata(const jnode *v)
{
	return v && v->kind == J_STRING && v->len >= 2 &&
	       !strncmp(v->str, "{%", 2);
}

/* ----------------------------------------------------------------- paths */

/* What a Reference Path may not hold: "..", regular expressions. */
static const char *not_reference(const ir_path *p)
{
	for (unsigned i = 0; i < p->n_segs; i++) {
		const ir_seg *s = &p->segs[i];
		if (s->deep)
			return "'..' is not allowed";
		if (s->kind == ASL_SEG_FILTER) {
			const ir_expr *stack[64];
			int n = 0;
			stack[n++] = s->filter;
			while (n) {
				const ir_expr *x = stack[--n];
				if (x->regex)
					return "regular expressions are not allowed";
				if (x->a && n < 64)
					stack[n++] = x->a;
				if (x->b && n < 64)
					stack[n++] = x->b;
			}
		}
	}
	return NULL;
}

bool ck_path(checker *c, const jnode *v, const char *field, int kind)
{
	ir_parse p;             /* the model's (a copy: nothing to free) */
	bool ok = false;
	const char *why;

	if (v->kind != J_STRING) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field '%s' must be a string", field);
		return false;
	}
	p = *model_parse(c->m, v->str);
	if (p.error && p.unsupported) {
		ck_error_col(c, v, p.error_col, "UNSUPPORTED", "%s", p.error);
	} else if (p.error) {
		ck_error_col(c, v, p.error_col, "SCHEMA_VALIDATION_FAILED",
		             kind == PK_PATH ? "Value must be a valid JSONPath: %s"
		                             : "Value is not a Reference Path: %s",
		             p.error);
	} else if (!p.path) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         kind == PK_PATH ? "Value must be a valid JSONPath: %s"
		                         : "Value is not a Reference Path: %s",
		         "an intrinsic function call is not a path");
	} else if (kind != PK_PATH && (why = not_reference(p.path))) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "Value is not a Reference Path: %s", why);
	} else if (kind == PK_RESULT && p.path->root != ASL_ROOT_INPUT) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "Value is not a Reference Path: the field '%s' can only "
		         "refer to the state's input ($), not to %s", field,
		         p.path->root == ASL_ROOT_CONTEXT ? "the context object"
		                                          : "a variable");
	} else if (kind == PK_RESULT && !p.path->definite) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "Value is not a Reference Path: '%s' can select more than "
		         "one node", v->str);
	} else {
		ok = true;
	}
	return ok;
}

/* ----------------------------------------------------- intrinsic calls */

static bool literal_string(const ir_arg *a, const char *s)
{
	size_t n = strlen(s);
	return a->kind == ASL_V_LIT && a->lit && a->lit[0] == '"' &&
	       !strncmp(a->lit + 1, s, n) && !strcmp(a->lit + 1 + n, "\"");
}

/* Argument types of the intrinsic functions, as the runtime checks them
 * (runtime/intrinsics.c): a literal of another type fails every run. */
enum { T_ANY, T_STRING, T_NUMBER, T_BOOLEAN, T_ARRAY, T_OBJECT };

static const char *const type_names[] = {
	"any value", "a string", "a number", "a boolean", "an array",
	"an object"
};

static const struct {
	int fn;
	unsigned char types[3];  /* of arguments 1..3; later ones T_ANY */
} arg_types[] = {
	{ ASL_FN_FORMAT, { T_STRING } },
	{ ASL_FN_STRING_TO_JSON, { T_STRING } },
	{ ASL_FN_ARRAY_PARTITION, { T_ARRAY, T_NUMBER } },
	{ ASL_FN_ARRAY_CONTAINS, { T_ARRAY } },
	{ ASL_FN_ARRAY_RANGE, { T_NUMBER, T_NUMBER, T_NUMBER } },
	{ ASL_FN_ARRAY_GET_ITEM, { T_ARRAY, T_NUMBER } },
	{ ASL_FN_ARRAY_LENGTH, { T_ARRAY } },
	{ ASL_FN_ARRAY_UNIQUE, { T_ARRAY } },
	{ ASL_FN_BASE64_ENCODE, { T_STRING } },
	{ ASL_FN_BASE64_DECODE, { T_STRING } },
	/* States.Hash: its data may be stringified (as AWS does), its
	 * algorithm is checked in check_call(). */
	{ ASL_FN_JSON_MERGE, { T_OBJECT, T_OBJECT, T_BOOLEAN } },
	{ ASL_FN_MATH_RANDOM, { T_NUMBER, T_NUMBER, T_NUMBER } },
	{ ASL_FN_MATH_ADD, { T_NUMBER, T_NUMBER } },
	{ ASL_FN_STRING_SPLIT, { T_STRING, T_STRING } },
};

/* The type of a literal argument; "null" is none of them. */
static int literal_type(const ir_arg *a)
{
	if (a->lit[0] == '"')
		return T_STRING;
	if (!strcmp(a->lit, "true") || !strcmp(a->lit, "false"))
		return T_BOOLEAN;
	if (!strcmp(a->lit, "null"))
		return -1;
	return T_NUMBER;
}

/* A literal number as the runtime rounds it (Java's Math.round). */
static double literal_rounded(const ir_arg *a)
{
	double x = strtod(a->lit, NULL) + 0.5;
	long long r;

	if (!(x > -9e18 && x < 9e18))   /* huge (or NaN): no fraction left */
		return x;
	r = (long long)x;               /* floor, without libm */
	return (double)(r - ((double)r > x));
}

/* The "{}" placeholders of a literal States.Format template, counted as
 * the runtime counts them: in its text as written (raw), where a
 * backslash makes the next character literal ("\\{}" is no placeholder). */
static unsigned placeholders(const char *raw)
{
	unsigned k = 0;

	for (const char *p = raw; p && *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (p[0] == '{' && p[1] == '}')
			k++, p++;
	}
	return k;
}

/* Literal arguments that fail every run: wrong types, and values the
 * runtime refuses whatever the input.  Warnings
 * (-Wintrinsic-literal), not errors: AWS reports intrinsic failures at run
 * time (States.Runtime), so it accepts such a definition, and so does
 * asl2c; -Werror makes them errors. */
static void literal_args(checker *c, const jnode *at, const char *field,
                         const ir_call *call, const ir_fn_info *fi)
{
	static const char *const fails =
		"The call in the field '%s' fails on every run "
		"(States.Runtime): ";
	const ir_arg *a = call->args;
	unsigned n = call->n_args, k;
	strbuf why = SB_INIT;
	int col = 0;

	for (size_t t = 0; t < sizeof arg_types / sizeof *arg_types; t++) {
		if (arg_types[t].fn != call->fn)
			continue;
		for (unsigned i = 0; i < n && i < 3 && !why.len; i++) {
			int want = arg_types[t].types[i], got;
			if (a[i].kind != ASL_V_LIT || want == T_ANY ||
			    (got = literal_type(&a[i])) == want)
				continue;
			sb_printf(&why, "argument %u of %s must be %s, not %s",
			          i + 1, fi->name, type_names[want],
			          got < 0 ? "null" : type_names[got]);
			col = a[i].col;
		}
	}
#define LIT_NUMBER(i) (n > (i) && a[i].kind == ASL_V_LIT && \
                       literal_type(&a[i]) == T_NUMBER)
	if (why.len) {
		/* reported below */
	} else if (call->fn == ASL_FN_FORMAT && n >= 1 &&
	           a[0].kind == ASL_V_LIT &&
	           (k = placeholders(a[0].raw)) != n - 1) {
		sb_printf(&why, "the template of States.Format has %u "
		          "placeholder%s {} but %u argument%s to fill them", k,
		          k == 1 ? "" : "s", n - 1, n == 2 ? "" : "s");
		col = a[0].col;
	} else if (call->fn == ASL_FN_ARRAY_PARTITION && LIT_NUMBER(1) &&
	           literal_rounded(&a[1]) <= 0) {
		sb_puts(&why, "the chunk size of States.ArrayPartition must be "
		        "greater than 0");
		col = a[1].col;
	} else if (call->fn == ASL_FN_ARRAY_RANGE && LIT_NUMBER(2) &&
	           literal_rounded(&a[2]) == 0) {
		sb_puts(&why, "the step of States.ArrayRange cannot be 0");
		col = a[2].col;
	} else if (call->fn == ASL_FN_MATH_RANDOM && LIT_NUMBER(0) &&
	           LIT_NUMBER(1) &&
	           literal_rounded(&a[0]) >= literal_rounded(&a[1])) {
		sb_puts(&why, "the end of States.MathRandom must be greater "
		        "than its start");
		col = a[1].col;
	} else if (call->fn == ASL_FN_JSON_MERGE && n == 3 &&
	           a[2].kind == ASL_V_LIT && !strcmp(a[2].lit, "true")) {
		sb_puts(&why, "States.JsonMerge supports only a shallow merge "
		        "(false)");
		col = a[2].col;
	}
	if (why.len) {
		strbuf fmt = SB_INIT;
		sb_printf(&fmt, fails, field);
		ck_warning_col(c, at, col, "intrinsic-literal",
		               "SCHEMA_VALIDATION_FAILED", "%s%s", fmt.s,
		               why.s);
		sb_free(&fmt);
	}
	sb_free(&why);
#undef LIT_NUMBER
}

static void check_call(checker *c, const jnode *at, const char *field,
                       const ir_call *call, int depth)
{
	const ir_fn_info *fi = call->fn >= 0 ? ir_fn(call->fn) : NULL;

	if (!fi) {
		ck_error_col(c, at, call->col, "SCHEMA_VALIDATION_FAILED",
		             "The value for the field '%s' must be a valid JSONPath "
		             "or a valid intrinsic function call: unknown function "
		             "%s", field, call->name);
		return;
	}
	if (depth > MAX_CALL_DEPTH) {
		ck_error_col(c, at, call->col, "SCHEMA_VALIDATION_FAILED",
		             "The value for the field '%s' nests intrinsic "
		             "functions more than %d deep", field, MAX_CALL_DEPTH);
		return;
	}
	if ((int)call->n_args < fi->min_args ||
	    (fi->max_args >= 0 && (int)call->n_args > fi->max_args)) {
		char want[48];
		if (fi->max_args < 0)
			snprintf(want, sizeof want, "at least %d", fi->min_args);
		else if (fi->max_args == fi->min_args)
			snprintf(want, sizeof want, "%d", fi->min_args);
		else
			snprintf(want, sizeof want, "%d to %d", fi->min_args,
			         fi->max_args);
		ck_error_col(c, at, call->col, "SCHEMA_VALIDATION_FAILED",
		             "The value for the field '%s' must be a valid "
		             "intrinsic function call: %s takes %s argument%s, "
		             "not %u", field, fi->name, want,
		             fi->min_args == 1 && fi->max_args <= 1 ? "" : "s",
		             call->n_args);
	} else {
		literal_args(c, at, field, call, fi);
	}
	if (call->fn == ASL_FN_HASH && call->n_args == 2 &&
	    call->args[1].kind == ASL_V_LIT) {
		static const char *const algs[] = {
			"MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512", NULL
		};
		bool ok = false;
		for (const char *const *a = algs; *a; a++)
			ok |= literal_string(&call->args[1], *a);
		if (!ok)
			ck_error_col(c, at, call->args[1].col,
			             "SCHEMA_VALIDATION_FAILED",
			             "The value for the field '%s' must be a valid "
			             "intrinsic function call: States.Hash takes one "
			             "of the algorithms MD5, SHA-1, SHA-256, SHA-384, "
			             "SHA-512", field);
	}
	for (unsigned i = 0; i < call->n_args; i++)
		if (call->args[i].call)
			check_call(c, at, field, call->args[i].call, depth + 1);
}

/* The value of a "x.$" field: a path or an intrinsic call. */
static void dollar_value(checker *c, const jnode *v, const char *field)
{
	ir_parse p;

	if (v->kind != J_STRING) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value for the field '%s' must be a valid JSONPath or "
		         "a valid intrinsic function call", field);
		return;
	}
	p = *model_parse(c->m, v->str);
	if (p.error && p.unsupported)
		ck_error_col(c, v, p.error_col, "UNSUPPORTED", "%s", p.error);
	else if (p.error)
		ck_error_col(c, v, p.error_col, "SCHEMA_VALIDATION_FAILED",
		             "The value for the field '%s' must be a valid JSONPath "
		             "or a valid intrinsic function call: %s", field,
		             p.error);
	else if (p.call)
		check_call(c, v, field, p.call, 1);
}

static const char *const string_fns[] = {
	"States.Format", "States.JsonToString", "States.ArrayGetItem",
	"States.Base64Encode", "States.Base64Decode", "States.Hash",
	"States.UUID", NULL
};

void ck_string_expr(checker *c, const jnode *v, const char *field)
{
	ir_parse p;

	if (v->kind != J_STRING) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field '%s' must be a string", field);
		return;
	}
	p = *model_parse(c->m, v->str);
	if (p.call) {
		bool ok = false;
		for (const char *const *f = string_fns; *f; f++)
			ok |= !strcmp(p.call->name, *f);
		if (!ok && p.call->fn >= 0)
			ck_error_col(c, v, p.call->col, "SCHEMA_VALIDATION_FAILED",
			             "The field '%s' takes a Reference Path or one of "
			             "the intrinsic functions States.Format, "
			             "States.JsonToString, States.ArrayGetItem, "
			             "States.Base64Encode, States.Base64Decode, "
			             "States.Hash, States.UUID; not %s", field,
			             p.call->name);
		else
			check_call(c, v, field, p.call, 1);
	}
	if (!p.call)
		ck_path(c, v, field, PK_REFERENCE);
}

/* ------------------------------------------------------------ templates */

static bool dollar_key(const jmember *mb)
{
	return mb->klen >= 2 && !strcmp(mb->key + mb->klen - 2, ".$");
}

/* Keys equal once ".$" is taken off: {"a": 1, "a.$": "$.a"}. */
static void stripped_duplicates(checker *c, const jnode *o)
{
	for (size_t i = 0; i < o->n; i++) {
		const jmember *a = &o->members[i];
		size_t an = dollar_key(a) ? a->klen - 2 : a->klen;
		if (!dollar_key(a))
			continue;
		for (size_t j = 0; j < o->n; j++) {
			const jmember *b = &o->members[j];
			if (j != i && !dollar_key(b) && b->klen == an &&
			    !memcmp(a->key, b->key, an)) {
				const jmember *later = a->line > b->line ||
				    (a->line == b->line && a->col > b->col) ? a : b;
				ck_error_key(c, later, "SCHEMA_VALIDATION_FAILED",
				             "The field '%.*s' is defined twice, once "
				             "with '.$'", (int)an, a->key);
			}
		}
	}
}

static void template(checker *c, const jnode *v, bool warn)
{
	if (v->kind == J_ARRAY) {
		for (size_t i = 0; i < v->n; i++)
			template(c, v->items[i], warn);
		return;
	}
	if (v->kind != J_OBJECT)
		return;
	stripped_duplicates(c, v);
	for (size_t i = 0; i < v->n; i++) {
		const jmember *mb = &v->members[i];
		if (dollar_key(mb)) {
			dollar_value(c, mb->value, mb->key);
		} else if (warn && mb->value->kind == J_STRING &&
		           ck_looks_like_path(mb->value->str)) {
			ck_warning(c, mb->value, "missing-dollar", "NO_DOLLAR",
			           "The value of the field '%s' looks like a path or "
			           "an intrinsic function call, but the field's name "
			           "does not end with '.$': it is a plain string",
			           mb->key);
		} else {
			template(c, mb->value, warn);
		}
	}
}

void ck_template(checker *c, const jnode *v)
{
	template(c, v, true);
}

void ck_static_result(checker *c, const jnode *v)
{
	if (v->kind == J_ARRAY) {
		for (size_t i = 0; i < v->n; i++)
			ck_static_result(c, v->items[i]);
		return;
	}
	if (v->kind != J_OBJECT)
		return;
	for (size_t i = 0; i < v->n; i++) {
		const jmember *mb = &v->members[i];
		if (dollar_key(mb) || (mb->value->kind == J_STRING &&
		                       ck_looks_like_path(mb->value->str)))
			ck_warning(c, mb->value, "static-result",
			           "PASS_RESULT_IS_STATIC",
			           "The Result of a Pass state is never evaluated: "
			           "the field '%s' keeps its value as written (use "
			           "Parameters for paths)", mb->key);
		else
			ck_static_result(c, mb->value);
	}
}

/* ------------------------------------------------------------ variables */

bool ck_variable_name(const char *s, size_t len)
{
	size_t chars = 0;

	if (!len || strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool letter = ch == '_' || (ch >= 'a' && ch <= 'z') ||
		              (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
		if (!letter && !(i > 0 && ch >= '0' && ch <= '9'))
			return false;
		chars += (ch & 0xC0) != 0x80;
	}
	return chars <= 80 && strcmp(s, "states");
}

void ck_assign(checker *c, const jnode *v, bool jsonata)
{
	if (v->kind != J_OBJECT) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field 'Assign' must be an object");
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const jmember *mb = &v->members[i];
		bool dollar = dollar_key(mb);
		size_t n = dollar ? mb->klen - 2 : mb->klen;
		char *name = xstrndup(mb->key, n);
		if (dollar && jsonata)
			ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
			             "The field '%s' ends with '.$': JSONata states "
			             "assign '{%% %%}' expressions", mb->key);
		else if (!ck_variable_name(name, n))
			ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
			             "'%s' is not a valid variable name: a letter or "
			             "'_', then letters, digits or '_', at most 80 "
			             "characters, not 'states'", name);
		free(name);
	}
	if (jsonata)
		ck_jsonata(c, v, field_name(FLD_ASSIGN));
	else
		template(c, v, true);
}

/* ------------------------------------------------------------ timestamps */

/* YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), uppercase T and Z, at most
 * nine fraction digits: common/rfc3339.c. */
bool ck_rfc3339(const char *s)
{
	long long sec;
	long nsec;

	return rfc3339_parse(s, 9, &sec, &nsec) == 0;
}

/* --------------------------------------------------------------- JSONata */

/* $states.result and $states.errorOutput where the field cannot have
 * them (as AWS checks): outside the expression's string literals. */
static void states_members(checker *c, const jnode *v, const char *field)
{
	static const struct {
		const char *name;
		unsigned bit;
		const char *where;
	} members[] = {
		{ "result", ST_RESULT, "the Output and Assign fields of a Task, "
		                       "Map or Parallel state" },
		{ "errorOutput", ST_ERROR, "the Output and Assign fields of a "
		                           "Catcher" },
	};
	const char *s = v->str, *end = v->str + v->len - 2;
	char quote = 0;

	for (const char *p = s + 2; p < end; p++) {
		if (quote) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			quote = *p;
			continue;
		}
		if (strncmp(p, "$states.", 8) ||
		    (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
		               p[-1] == '$')))
			continue;
		for (size_t k = 0; k < sizeof members / sizeof *members; k++) {
			size_t n = strlen(members[k].name);
			const char *q = p + 8 + n;
			if (strncmp(p + 8, members[k].name, n) ||
			    isalnum((unsigned char)*q) || *q == '_' ||
			    (c->states_ok & members[k].bit))
				continue;
			/* Column: characters before p, the opening quote too. */
			int col = 1;
			for (const char *r = s; r < p; r++)
				col += ((unsigned char)*r & 0xC0) != 0x80;
			ck_error_col(c, v, col, "SCHEMA_VALIDATION_FAILED",
			             "The JSONata expression of the field '%s' reads "
			             "$states.%s, which is only available in %s",
			             field, members[k].name, members[k].where);
		}
	}
}

/* The top-level references of one expression, each name once
 * (asl_jsonata_top_names). */
typedef struct top_refs {
	checker *c;
	const jnode *v;
	const char *text;        /* the expression */
	int lead;                /* characters of v before it */
	char **seen;
	size_t n_seen;
} top_refs;

static void top_ref(void *ctx, const char *name, int pos)
{
	top_refs *t = ctx;
	int at = pos - (int)utf8_chars(name), len = (int)strlen(t->text);

	for (size_t i = 0; i < t->n_seen; i++)
		if (!strcmp(t->seen[i], name))
			return;
	t->seen = xrealloc(t->seen, (t->n_seen + 1) * sizeof *t->seen);
	t->seen[t->n_seen++] = xstrdup(name);
	if (at > 0 && at <= len && t->text[at - 1] == '`')
		at -= 2; /* `a name` */
	/* Column: the opening quote is 0. */
	ck_error_col(t->c, t->v, 1 + t->lead + (at > 0 ? at : 0),
	             "UNSUPPORTED_JSONATA_EXPRESSION",
	             "Reference to '%s' at the top level is not supported.",
	             name);
}

/* Whether the expression of "{% EXPR %}" (v) parses; else an error where
 * the parser stopped (AWS: INVALID_JSONATA_EXPRESSION, jsonata-js's message
 * without its code).  A field name read at the top level, where Step
 * Functions binds no input, is AWS's UNSUPPORTED_JSONATA_EXPRESSION. */
static bool jsonata_parses(checker *c, const jnode *v)
{
	size_t lead;
	char *expr;
	const model_ata *a;

	if (memchr(v->str, '\0', v->len)) {
		ck_error(c, v, "INVALID_JSONATA_EXPRESSION",
		         "A JSONata expression cannot hold the character U+0000");
		return false;
	}
	expr = model_jsonata_text(v, &lead);
	a = model_jsonata(c->m, expr);
	free(expr);
	if (a->e) {
		top_refs t = { c, v, a->text, (int)lead, NULL, 0 };
		asl_jsonata_top_names(a->e, top_ref, &t);
		for (size_t i = 0; i < t.n_seen; i++)
			free(t.seen[i]);
		free(t.seen);
		return true;
	}
	/* The position is just past the offending token, in characters of
	 * the expression: the column of the token's start; at its end, the
	 * column of the closing "%}". */
	int at = a->err.position - (int)strlen(a->err.token), col;
	if (at >= (int)utf8_chars(a->text)) {
		char *body = xstrndup(v->str, v->len - 2);
		col = 1 + (int)utf8_chars(body);
		free(body);
	} else {
		col = 1 + (int)lead + (at > 0 ? at : 0);
	}
	ck_error_col(c, v, col, "INVALID_JSONATA_EXPRESSION", "%s",
	             a->err.message);
	return false;
}

static void jsonata_string(checker *c, const jnode *v, const char *field)
{
	const char *s = v->str;
	size_t n = v->len;

	if (n >= 2 && !strncmp(s, "{%", 2)) {
		size_t i;
		if (n < 4 || strcmp(s + n - 2, "%}")) {
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "The JSONata expression of the field '%s' must end "
			         "with '%%}'", field);
			return;
		}
		for (i = 2; i < n - 2; i++)
			if (!strchr(" \t\r\n", s[i]))
				break;
		if (i == n - 2)
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "The JSONata expression of the field '%s' is empty",
			         field);
		else if (jsonata_parses(c, v))
			states_members(c, v, field);
	}
}

void ck_jsonata(checker *c, const jnode *v, const char *field)
{
	switch (v->kind) {
	case J_STRING:
		jsonata_string(c, v, field);
		break;
	case J_ARRAY:
		for (size_t i = 0; i < v->n; i++)
			ck_jsonata(c, v->items[i], field);
		break;
	case J_OBJECT:
		for (size_t i = 0; i < v->n; i++)
			ck_jsonata(c, v->members[i].value, field);
		break;
	default:
		break;
	}
}
