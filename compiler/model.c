/*
 * model.c - collecting the states of a definition and checking it as AWS
 * does at CreateStateMachine.  Errors carry AWS's diagnostic codes.
 */
#include "model.h"
#include "cgen.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	[ASL_TASK] = "Task", [ASL_PASS] = "Pass", [ASL_CHOICE] = "Choice",
	[ASL_WAIT] = "Wait", [ASL_SUCCEED] = "Succeed", [ASL_FAIL] = "Fail",
	[ASL_PARALLEL] = "Parallel", [ASL_MAP] = "Map",
};

const char *state_type_name(int type)
{
	return type >= 0 && type <= ASL_MAP ? type_names[type] : "?";
}

static int type_lookup(const char *s)
{
	for (int i = 0; i <= ASL_MAP; i++)
		if (!strcmp(type_names[i], s))
			return i;
	return -1;
}

/* The fields each state type accepts (ASL-NOTES.md 1.2, 1.3). */
static const char *const common_fields[] = {
	"Type", "Comment", "QueryLanguage", NULL
};
static const char *const fields_of[][40] = {
	[ASL_TASK] = { "InputPath", "OutputPath", "Next", "End", "Parameters",
	               "ResultSelector", "ResultPath", "Retry", "Catch", "Assign",
	               "Resource", "TimeoutSeconds", "TimeoutSecondsPath",
	               "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials",
	               "Arguments", "Output", NULL },
	[ASL_PASS] = { "InputPath", "OutputPath", "Next", "End", "Parameters",
	               "ResultPath", "Result", "Assign", "Output", NULL },
	[ASL_CHOICE] = { "InputPath", "OutputPath", "Choices", "Default",
	                 "Assign", "Output", NULL },
	[ASL_WAIT] = { "InputPath", "OutputPath", "Next", "End", "Seconds",
	               "SecondsPath", "Timestamp", "TimestampPath", "Assign",
	               "Output", NULL },
	[ASL_SUCCEED] = { "InputPath", "OutputPath", "Output", NULL },
	[ASL_FAIL] = { "Error", "ErrorPath", "Cause", "CausePath", NULL },
	[ASL_PARALLEL] = { "InputPath", "OutputPath", "Next", "End",
	                   "Parameters", "ResultSelector", "ResultPath", "Retry",
	                   "Catch", "Assign", "Branches", "Arguments", "Output",
	                   NULL },
	[ASL_MAP] = { "InputPath", "OutputPath", "Next", "End", "Parameters",
	              "ResultSelector", "ResultPath", "Retry", "Catch", "Assign",
	              "Iterator", "ItemProcessor", "ItemsPath", "ItemSelector",
	              "MaxConcurrency", "MaxConcurrencyPath", "ItemReader",
	              "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage",
	              "ToleratedFailurePercentagePath", "ToleratedFailureCount",
	              "ToleratedFailureCountPath", "Label", "Items", "Arguments",
	              "Output", NULL },
};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* ------------------------------------------------------------- the table */

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int model_find(const model *m, const char *name)
{
	if (!m->table_size)
		return -1;
	for (size_t i = hash(name) & (m->table_size - 1);;
	     i = (i + 1) & (m->table_size - 1)) {
		int v = m->table[i];
		if (!v)
			return -1;
		if (!strcmp(m->states[v - 1].name, name))
			return v - 1;
	}
}

static void table_build(model *m)
{
	m->table_size = 16;
	while (m->table_size < 2 * m->n_states)
		m->table_size *= 2;
	m->table = xcalloc(m->table_size, sizeof *m->table);
	for (size_t k = 0; k < m->n_states; k++) {
		size_t i = hash(m->states[k].name) & (m->table_size - 1);
		bool dup = false;
		while (m->table[i]) {
			const mstate *o = &m->states[m->table[i] - 1];
			if (!strcmp(o->name, m->states[k].name)) {
				dup = true;
				diag_error(m->d, m->states[k].key->line,
				           m->states[k].key->col, "DUPLICATE_STATE_NAME",
				           "Duplicate State name: %s (first defined at "
				           "line %d)", m->states[k].name, o->key->line);
				break;
			}
			i = (i + 1) & (m->table_size - 1);
		}
		if (!dup)
			m->table[i] = (int)k + 1;
	}
}

/* -------------------------------------------------------------- checking */

static void schema(model *m, const jnode *at, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
static void schema(model *m, const jnode *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(m->d, at->line, at->col, "SCHEMA_VALIDATION_FAILED", fmt,
	            ap);
	va_end(ap);
}

static const jnode *field(model *m, const jnode *obj, const char *name,
                          jkind kind, bool required, const char *where)
{
	const jnode *v = jobject_get(obj, name);

	if (!v) {
		if (required)
			diag_error(m->d, obj->line, obj->col,
			           "SCHEMA_VALIDATION_FAILED",
			           "The field '%s' is required but was missing at %s",
			           name, where);
		return NULL;
	}
	if (v->kind != kind && !(kind == J_TRUE && v->kind == J_FALSE)) {
		diag_error(m->d, v->line, v->col, "SCHEMA_VALIDATION_FAILED",
		           "The value of the field '%s' must be %s %s", name,
		           kind == J_OBJECT || kind == J_ARRAY ? "an" : "a",
		           kind == J_TRUE ? "boolean" : jkind_name(kind));
		return NULL;
	}
	return v;
}

bool model_parse_expr(model *m, const jnode *at, const char *fld,
                      const char *text, ir_parse *out)
{
	ir_parse_text(text, out);
	if (out->error) {
		diag_error(m->d, at->line, at->col + out->error_col,
		           "SCHEMA_VALIDATION_FAILED",
		           "The value for the field '%s' must be a valid JSONPath "
		           "or a valid intrinsic function call: %s", fld,
		           out->error);
		return false;
	}
	return true;
}

static void check_call(model *m, const jnode *at, const char *fld,
                       const ir_call *c)
{
	const ir_fn_info *fi = ir_fn(c->fn);

	if (!fi) {
		diag_error(m->d, at->line, at->col + c->col,
		           "SCHEMA_VALIDATION_FAILED",
		           "The value for the field '%s' must be a valid JSONPath or "
		           "a valid intrinsic function call: unknown function %s",
		           fld, c->name);
		return;
	}
	if ((int)c->n_args < fi->min_args ||
	    (fi->max_args >= 0 && (int)c->n_args > fi->max_args)) {
		diag_error(m->d, at->line, at->col + c->col,
		           "SCHEMA_VALIDATION_FAILED",
		           "%s takes %d%s argument%s, not %u", c->name, fi->min_args,
		           fi->max_args < 0 ? " or more"
		           : fi->max_args > fi->min_args ? " to 3" : "",
		           fi->min_args == 1 && fi->max_args == 1 ? "" : "s",
		           c->n_args);
	}
	for (unsigned i = 0; i < c->n_args; i++)
		if (c->args[i].call)
			check_call(m, at, fld, c->args[i].call);
}

/* A Path (InputPath, OutputPath) or a Reference Path (ResultPath, ...). */
static void check_path(model *m, const jnode *obj, const char *name,
                       bool reference, bool nullable)
{
	const jnode *v = jobject_get(obj, name);
	ir_parse p;

	if (!v || (nullable && v->kind == J_NULL))
		return;
	if (v->kind != J_STRING) {
		diag_error(m->d, v->line, v->col, "SCHEMA_VALIDATION_FAILED",
		           "The value of the field '%s' must be a string%s", name,
		           nullable ? " or null" : "");
		return;
	}
	ir_parse_text(v->str, &p);
	if (p.error || !p.path) {
		diag_error(m->d, v->line, v->col, "SCHEMA_VALIDATION_FAILED",
		           reference ? "Value is not a Reference Path: %s"
		                     : "Value must be a valid JSONPath: %s",
		           p.error ? p.error : "not a path");
	} else if (reference && !p.path->definite &&
	           !strcmp(name, "ResultPath")) {
		diag_error(m->d, v->line, v->col, "SCHEMA_VALIDATION_FAILED",
		           "Value is not a Reference Path: '%s' selects more than "
		           "one node", v->str);
	} else if (!strcmp(name, "ResultPath") &&
	           p.path->root != ASL_ROOT_INPUT) {
		diag_error(m->d, v->line, v->col, "SCHEMA_VALIDATION_FAILED",
		           "ResultPath must refer to the state's input ($), "
		           "not to the context object or a variable");
	}
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);
}

/* A payload template: every "x.$" value is a path or an intrinsic call. */
static void check_template(model *m, const jnode *v)
{
	if (v->kind == J_ARRAY) {
		for (size_t i = 0; i < v->n; i++)
			check_template(m, v->items[i]);
		return;
	}
	if (v->kind != J_OBJECT)
		return;
	for (size_t i = 0; i < v->n; i++) {
		const jmember *mb = &v->members[i];
		size_t kl = strlen(mb->key);
		if (kl >= 2 && !strcmp(mb->key + kl - 2, ".$")) {
			ir_parse p;
			if (mb->value->kind != J_STRING) {
				diag_error(m->d, mb->value->line, mb->value->col,
				           "SCHEMA_VALIDATION_FAILED",
				           "The value for the field '%s' must be a valid "
				           "JSONPath or a valid intrinsic function call",
				           mb->key);
				continue;
			}
			if (model_parse_expr(m, mb->value, mb->key, mb->value->str,
			                     &p) && p.call)
				check_call(m, mb->value, mb->key, p.call);
			ir_path_free(p.path);
			ir_call_free(p.call);
			free(p.error);
		} else {
			check_template(m, mb->value);
		}
	}
}

static void check_transition(model *m, const mstate *s, const jnode *v,
                             const char *fld)
{
	int t;

	if (!v || v->kind != J_STRING)
		return;
	t = model_find(m, v->str);
	if (t < 0 || m->states[t].scope != s->scope)
		diag_error(m->d, v->line, v->col, "MISSING_TRANSITION_TARGET",
		           "Missing '%s' target: %s at /States/%s/%s", fld, v->str,
		           s->name, fld);
}

static void check_errors_list(model *m, const jnode *list, bool last,
                              const char *what)
{
	const jnode *e = jobject_get(list, "ErrorEquals");

	if (!e || e->kind != J_ARRAY || e->n == 0) {
		diag_error(m->d, list->line, list->col, "SCHEMA_VALIDATION_FAILED",
		           "%s: the field 'ErrorEquals' is required and must be a "
		           "non-empty array of strings", what);
		return;
	}
	for (size_t i = 0; i < e->n; i++) {
		if (e->items[i]->kind != J_STRING) {
			diag_error(m->d, e->items[i]->line, e->items[i]->col,
			           "SCHEMA_VALIDATION_FAILED",
			           "%s: error names must be strings", what);
		} else if (!strcmp(e->items[i]->str, "States.ALL") &&
		           (e->n > 1 || !last)) {
			diag_error(m->d, e->items[i]->line, e->items[i]->col,
			           "SCHEMA_VALIDATION_FAILED",
			           "%s: States.ALL must appear alone in the last "
			           "ErrorEquals", what);
		}
	}
}

static void check_state(model *m, int i)
{
	mstate *s = &m->states[i];
	const jnode *o = s->node, *v;
	char where[512];
	bool terminal;

	snprintf(where, sizeof where, "/States/%s", s->name);
	for (size_t k = 0; k < o->n; k++) {
		const jmember *f = &o->members[k];
		if (!in_list(common_fields, f->key) &&
		    !in_list(fields_of[s->type], f->key))
			diag_error(m->d, f->line, f->col, "SCHEMA_VALIDATION_FAILED",
			           "Field '%s' is not supported by a %s state at %s",
			           f->key, state_type_name(s->type), where);
	}

	v = jobject_get(o, "End");
	terminal = v && v->kind == J_TRUE;
	if (v && v->kind != J_TRUE)
		schema(m, v, "The field 'End' must be true%s%s", "", "");
	if (fields_of[s->type][0] && in_list(fields_of[s->type], "Next")) {
		const jnode *nx = jobject_get(o, "Next");
		if (nx && terminal)
			diag_error(m->d, nx->line, nx->col, "SCHEMA_VALIDATION_FAILED",
			           "A state cannot have both 'Next' and 'End' at %s",
			           where);
		else if (!nx && !terminal)
			diag_error(m->d, s->key->line, s->key->col,
			           "SCHEMA_VALIDATION_FAILED",
			           "The state '%s' needs either 'Next' or "
			           "\"End\": true", s->name);
		if (nx && nx->kind != J_STRING)
			schema(m, nx, "The value of the field '%s' must be a %s",
			       "Next", "string");
		check_transition(m, s, nx, "Next");
	}

	check_path(m, o, "InputPath", false, true);
	check_path(m, o, "OutputPath", false, true);
	check_path(m, o, "ResultPath", true, true);
	if ((v = jobject_get(o, "Parameters")))
		check_template(m, v);
	if ((v = jobject_get(o, "ResultSelector")))
		check_template(m, v);
	if ((v = jobject_get(o, "ItemSelector")))
		check_template(m, v);
	if ((v = jobject_get(o, "Assign")))
		check_template(m, v);

	if ((v = jobject_get(o, "Retry"))) {
		if (v->kind != J_ARRAY)
			schema(m, v, "The value of the field '%s' must be an %s",
			       "Retry", "array");
		else
			for (size_t k = 0; k < v->n; k++)
				check_errors_list(m, v->items[k], k + 1 == v->n, "Retry");
	}
	if ((v = jobject_get(o, "Catch"))) {
		if (v->kind != J_ARRAY)
			schema(m, v, "The value of the field '%s' must be an %s",
			       "Catch", "array");
		else
			for (size_t k = 0; k < v->n; k++) {
				const jnode *ct = v->items[k];
				check_errors_list(m, ct, k + 1 == v->n, "Catch");
				check_transition(m, s, field(m, ct, "Next", J_STRING, true,
				                             where), "Next");
				check_path(m, ct, "ResultPath", true, true);
			}
	}

	switch (s->type) {
	case ASL_TASK:
		field(m, o, "Resource", J_STRING, true, where);
		break;
	case ASL_CHOICE:
		if ((v = field(m, o, "Choices", J_ARRAY, true, where))) {
			if (v->n == 0)
				schema(m, v, "Value cannot be empty at %s%s", where,
				       "/Choices");
			for (size_t k = 0; k < v->n; k++)
				check_transition(m, s, field(m, v->items[k], "Next",
				                 J_STRING, true, where), "Next");
		}
		check_transition(m, s, field(m, o, "Default", J_STRING, false,
		                             where), "Default");
		break;
	case ASL_PARALLEL:
		if ((v = field(m, o, "Branches", J_ARRAY, true, where))) {
			if (v->n == 0)
				schema(m, v, "Value cannot be empty at %s%s", where,
				       "/Branches");
			for (size_t k = 0; k < v->n; k++)
				if (v->items[k]->kind != J_OBJECT)
					schema(m, v->items[k], "A branch must be an %s%s",
					       "object", "");
		}
		break;
	case ASL_MAP: {
		const jnode *it = jobject_get(o, "ItemProcessor"),
		            *legacy = jobject_get(o, "Iterator");
		if (it && legacy)
			schema(m, legacy, "The fields '%s' and '%s' exclude each other",
			       "ItemProcessor", "Iterator");
		if (!it)
			it = legacy;
		if (!it)
			diag_error(m->d, s->key->line, s->key->col,
			           "SCHEMA_VALIDATION_FAILED",
			           "The field 'ItemProcessor' is required but was "
			           "missing at %s", where);
		else if (it->kind != J_OBJECT)
			schema(m, it, "The value of the field '%s' must be an %s",
			       "ItemProcessor", "object");
		if (jobject_get(o, "ItemSelector") && jobject_get(o, "Parameters"))
			schema(m, jobject_get(o, "Parameters"),
			       "The fields '%s' and '%s' exclude each other",
			       "ItemSelector", "Parameters");
		check_path(m, o, "ItemsPath", true, false);
		break;
	}
	case ASL_WAIT: {
		int n = !!jobject_get(o, "Seconds") + !!jobject_get(o, "SecondsPath")
		        + !!jobject_get(o, "Timestamp")
		        + !!jobject_get(o, "TimestampPath");
		if (n != 1)
			diag_error(m->d, s->key->line, s->key->col,
			           "SCHEMA_VALIDATION_FAILED",
			           "A Wait state needs exactly one of 'Seconds', "
			           "'SecondsPath', 'Timestamp', 'TimestampPath' at %s",
			           where);
		break;
	}
	default:
		break;
	}
}

/* Collect the states of obj (with StartAt and States) as a new scope. */
static void collect_scope(model *m, const jnode *obj, int owner,
                          const char *where)
{
	const jnode *states = jobject_get(obj, "States");
	const jnode *start = jobject_get(obj, "StartAt");
	int scope = (int)m->n_scopes;

	if (!start || !states) {
		diag_error(m->d, obj->line, obj->col, "SCHEMA_VALIDATION_FAILED",
		           "These fields are required: [States, StartAt]%s%s",
		           *where ? " at " : "", where);
		return;
	}
	if (start->kind != J_STRING)
		schema(m, start, "The value of the field '%s' must be a %s",
		       "StartAt", "string");
	if (states->kind != J_OBJECT) {
		schema(m, states, "The value of the field '%s' must be an %s",
		       "States", "object");
		return;
	}
	if (states->n == 0)
		schema(m, states, "Value cannot be empty at %s%s", where, "/States");

	if (m->n_scopes == m->cap_scopes) {
		m->cap_scopes = m->cap_scopes ? 2 * m->cap_scopes : 8;
		m->scopes = xrealloc(m->scopes, m->cap_scopes * sizeof *m->scopes);
	}
	m->scopes[m->n_scopes++] = (mscope){ obj, -1, owner };

	for (size_t k = 0; k < states->n; k++) {
		const jmember *mb = &states->members[k];
		const jnode *o = mb->value, *t;
		mstate *s;

		if (m->n_states == m->cap_states) {
			m->cap_states = m->cap_states ? 2 * m->cap_states : 16;
			m->states = xrealloc(m->states,
			                     m->cap_states * sizeof *m->states);
		}
		s = &m->states[m->n_states++];
		memset(s, 0, sizeof *s);
		s->name = mb->key;
		s->key = mb;
		s->node = o;
		s->scope = scope;
		s->type = -1;
		s->next = -1;
		if (strlen(mb->key) != mb->klen || mb->klen == 0) {
			diag_error(m->d, mb->line, mb->col, "INVALID_STATE_NAME",
			           "State names must be 1 to 80 characters without "
			           "NUL");
		} else if (utf8_chars(mb->key) > 80) {
			diag_error(m->d, mb->line, mb->col, "INVALID_STATE_NAME",
			           "State name is longer than 80 characters: %s",
			           mb->key);
		}
		if (o->kind != J_OBJECT) {
			schema(m, o, "A state must be an %s%s", "object", "");
			continue;
		}
		t = jobject_get(o, "Type");
		if (!t || t->kind != J_STRING || (s->type = type_lookup(t->str)) < 0)
			diag_error(m->d, t ? t->line : o->line, t ? t->col : o->col,
			           "SCHEMA_VALIDATION_FAILED",
			           "The field 'Type' should have one of these values: "
			           "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, "
			           "Map] at /States/%s", mb->key);

		/* The scopes inside: a Map's processor, a Parallel's branches. */
		int idx = (int)m->n_states - 1;
		char inner[512];
		snprintf(inner, sizeof inner, "/States/%s", mb->key);
		if (s->type == ASL_MAP) {
			const jnode *it = jobject_get(o, "ItemProcessor");
			if (!it)
				it = jobject_get(o, "Iterator");
			if (it && it->kind == J_OBJECT)
				collect_scope(m, it, idx, inner);
		} else if (s->type == ASL_PARALLEL) {
			const jnode *br = jobject_get(o, "Branches");
			for (size_t b = 0; br && br->kind == J_ARRAY && b < br->n; b++)
				if (br->items[b]->kind == J_OBJECT)
					collect_scope(m, br->items[b], idx, inner);
		}
	}
}

static void check_scope(model *m, int scope)
{
	mscope *sc = &m->scopes[scope];
	const jnode *start = jobject_get(sc->node, "StartAt");
	bool terminal = false;

	if (start && start->kind == J_STRING) {
		int t = model_find(m, start->str);
		if (t < 0 || m->states[t].scope != scope)
			diag_error(m->d, start->line, start->col,
			           "MISSING_TRANSITION_TARGET",
			           "Missing 'Next' target: %s at /StartAt", start->str);
		else
			sc->start = t;
	}
	for (size_t i = 0; i < m->n_states; i++) {
		const mstate *s = &m->states[i];
		const jnode *end = jobject_get(s->node, "End");
		if (s->scope != scope)
			continue;
		if (s->type == ASL_SUCCEED || s->type == ASL_FAIL ||
		    (end && end->kind == J_TRUE) || s->type < 0)
			terminal = true;
	}
	if (!terminal && sc->start >= 0)
		diag_error(m->d, sc->node->line, sc->node->col, "MISSING_END_STATE",
		           "Workflow has no terminal state");
}

int model_build(model *m, const jnode *root, diag *d)
{
	int errors = d->errors;

	memset(m, 0, sizeof *m);
	m->root = root;
	m->d = d;
	if (root->kind != J_OBJECT) {
		diag_error(d, root->line, root->col, "SCHEMA_VALIDATION_FAILED",
		           "Definition must be a valid JSON object");
		return d->errors - errors;
	}
	for (size_t k = 0; k < root->n; k++) {
		static const char *const top[] = {
			"StartAt", "States", "Comment", "Version", "TimeoutSeconds",
			"QueryLanguage", NULL
		};
		if (!in_list(top, root->members[k].key))
			diag_error(d, root->members[k].line, root->members[k].col,
			           "SCHEMA_VALIDATION_FAILED",
			           "Field '%s' is not supported at the top level",
			           root->members[k].key);
	}
	const jnode *t = jobject_get(root, "TimeoutSeconds");
	if (t && !(jnode_is_integer(t) && t->str[0] != '-' && strcmp(t->str, "0")))
		diag_error(d, t->line, t->col, "SCHEMA_VALIDATION_FAILED",
		           "TimeoutSeconds must be a positive integer");

	collect_scope(m, root, -1, "");
	table_build(m);
	for (size_t i = 0; i < m->n_states; i++)
		if (m->states[i].type >= 0)
			check_state(m, (int)i);
	for (size_t sc = 0; sc < m->n_scopes; sc++)
		check_scope(m, (int)sc);
	for (size_t i = 0; i < m->n_states; i++) {
		const jnode *nx = jobject_get(m->states[i].node, "Next");
		if (nx && nx->kind == J_STRING)
			m->states[i].next = model_find(m, nx->str);
	}
	cgen_idents(m);
	return d->errors - errors;
}

void model_free(model *m)
{
	for (size_t i = 0; i < m->n_states; i++)
		free(m->states[i].ident);
	free(m->states);
	free(m->scopes);
	free(m->table);
	free(m->name);
}
