/*
 * check_choice.c - Choice states: their rules, as AWS checks them.
 * JSONPath rules are a Variable and exactly one comparison operator, or
 * one of And, Or, Not; only top-level rules have Next (and Assign).
 * JSONata rules are a Condition.
 */
#include "check.h"
#include "keywords.h"
#include "util.h"

#include <string.h>

enum operand { O_STRING, O_NUMBER, O_BOOLEAN, O_TIMESTAMP, O_IS, O_MATCH };

/* The kind of operand the operator called key takes, *path set for
 * "...Path" forms; -1 if key is no operator (keywords.h). */
static int operator_of(const char *key, bool *path)
{
	const choice_op_info *o = choice_operator(key, path);

	if (!o)
		return -1;
	if (o->op == ASL_R_MATCHES)
		return O_MATCH;
	if (o->op != ASL_R_COMPARE)
		return O_IS;
	return o->type == ASL_T_STRING ? O_STRING
	       : o->type == ASL_T_NUMERIC ? O_NUMBER
	       : o->type == ASL_T_BOOLEAN ? O_BOOLEAN : O_TIMESTAMP;
}

static bool boolean_op(const char *key)
{
	int f = field_lookup(key);
	return f == FLD_AND || f == FLD_OR || f == FLD_NOT;
}

static void operand(checker *c, const jmember *mb, int op, bool path)
{
	const jnode *v = mb->value;
	const char *k = mb->key;

	if (path) {
		ck_path(c, v, k, PK_REFERENCE);
		return;
	}
	switch (op) {
	case O_STRING:
	case O_MATCH:
	case O_TIMESTAMP:
		if (v->kind != J_STRING) {
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "The value of the field '%s' must be a string", k);
			return;
		}
		if (ck_looks_like_path(v->str) && op != O_MATCH)
			ck_warning(c, v, "missing-path", "NO_PATH",
			           "The value of the field '%s' looks like a path, "
			           "but it is compared as a plain string: did you "
			           "mean '%sPath'?", k, k);
		if (op == O_TIMESTAMP && !ck_rfc3339(v->str))
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "String does not match RFC3339 timestamp");
		break;
	case O_NUMBER:
		if (v->kind != J_NUMBER)
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "The value of the field '%s' must be a number", k);
		break;
	case O_BOOLEAN:
	case O_IS:
		if (v->kind != J_TRUE && v->kind != J_FALSE)
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "The value of the field '%s' must be a boolean", k);
		break;
	}
}

/* What the fields of rule r name: its operator (NULL if none), *opi its
 * index in the operator table (-1: And, Or, Not), *path for the "...Path"
 * forms; *unknown when a field is not supported (reported here). */
static const jmember *rule_fields(checker *c, const jnode *r, bool top,
                                  int *opi, bool *path, bool *unknown)
{
	const jmember *op = NULL;

	for (size_t i = 0; i < r->n; i++) {
		const jmember *mb = &r->members[i];
		bool p;
		int k = operator_of(mb->key, &p);
		if (k >= 0 || boolean_op(mb->key)) {
			if (op) {
				ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
				             "A Choice rule takes exactly one comparison "
				             "operator: '%s' and '%s' are both given",
				             op->key, mb->key);
				continue;
			}
			op = mb;
			*opi = k;
			*path = p;
		} else if (field_lookup(mb->key) == FLD_NEXT ||
		           field_lookup(mb->key) == FLD_ASSIGN) {
			if (!top)
				ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
				             "The field '%s' is not supported in a "
				             "Choice rule nested in And, Or or Not",
				             mb->key);
		} else if (strcmp(mb->key, field_name(FLD_VARIABLE)) &&
		           strcmp(mb->key, field_name(FLD_COMMENT))) {
			ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
			             "Field '%s' is not supported in a Choice rule",
			             mb->key);
			*unknown = true;
		}
	}
	return op;
}

static void rule(checker *c, const mstate *s, const jnode *r, bool top);

/* And, Or, Not: no Variable, their rules nested. */
static void boolean_rule(checker *c, const mstate *s, const jnode *r,
                         const jmember *op)
{
	const jnode *v = op->value, *var = model_get(c->m, r, FLD_VARIABLE);

	if (var)
		ck_error_key(c, ck_member_of(r, var), "SCHEMA_VALIDATION_FAILED",
		             "Field 'Variable' is not supported with '%s'", op->key);
	if (!strcmp(op->key, field_name(FLD_NOT))) {
		rule(c, s, v, false);
	} else if (v->kind != J_ARRAY) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field '%s' must be an array", op->key);
	} else if (v->n == 0) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED", "Value cannot be empty");
	} else {
		for (size_t i = 0; i < v->n; i++)
			rule(c, s, v->items[i], false);
	}
}

/* A top-level rule's own fields: Next, Assign, Comment. */
/* A top-level rule's Next: required, a string, a state of the scope (a
 * transition that cannot be read breaks the scope's reachability). */
static void rule_next(checker *c, const mstate *s, const jnode *r)
{
	const jnode *v = model_get(c->m, r, FLD_NEXT);

	if (!v) {
		ck_error_obj(c, r, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Next]");
		c->m->scopes[s->scope].broken = true;
	} else if (v->kind != J_STRING) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field 'Next' must be a string");
		c->m->scopes[s->scope].broken = true;
	} else {
		ck_transition(c, s, v, field_name(FLD_NEXT));
	}
}

static void top_rule(checker *c, const mstate *s, const jnode *r)
{
	const jnode *v;

	rule_next(c, s, r);
	if ((v = model_get(c->m, r, FLD_ASSIGN)))
		ck_assign(c, v, false);
	if ((v = model_get(c->m, r, FLD_COMMENT)) && v->kind != J_STRING)
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field 'Comment' must be a string");
}

static void rule(checker *c, const mstate *s, const jnode *r, bool top)
{
	const jmember *op;
	int opi = -1;
	bool path = false, unknown = false;

	if (r->kind != J_OBJECT) {
		ck_error(c, r, "SCHEMA_VALIDATION_FAILED",
		         "A Choice rule must be an object");
		if (top)
			c->m->scopes[s->scope].broken = true;
		return;
	}
	op = rule_fields(c, r, top, &opi, &path, &unknown);
	/* An unknown field is most likely a misspelt operator. */
	if (!op && !unknown) {
		ck_error_obj(c, r, "SCHEMA_VALIDATION_FAILED",
		             "A Choice rule needs a comparison operator, or one of "
		             "And, Or, Not");
	} else if (!op) {
		/* reported above */
	} else if (opi < 0) {
		boolean_rule(c, s, r, op);
	} else {
		const jnode *var = model_get(c->m, r, FLD_VARIABLE);
		if (!var)
			ck_error_obj(c, r, "SCHEMA_VALIDATION_FAILED",
			             "These fields are required: [Variable]");
		else
			ck_path(c, var, field_name(FLD_VARIABLE), PK_REFERENCE);
		operand(c, op, opi, path);
	}
	if (top)
		top_rule(c, s, r);
}

static void jsonata_rule(checker *c, const mstate *s, const jnode *r)
{
	static const enum asl_field fields[] = {
		FLD_CONDITION, FLD_NEXT, FLD_OUTPUT, FLD_ASSIGN, FLD_COMMENT,
		FLD_COUNT
	};
	const jnode *v;

	if (r->kind != J_OBJECT) {
		ck_error(c, r, "SCHEMA_VALIDATION_FAILED",
		         "A Choice rule must be an object");
		c->m->scopes[s->scope].broken = true;
		return;
	}
	ck_fields(c, r, fields, "a JSONata Choice rule");
	if (!(v = model_get(c->m, r, FLD_CONDITION)))
		ck_error_obj(c, r, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Condition]");
	else if (v->kind != J_TRUE && v->kind != J_FALSE && !ck_is_jsonata(v))
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field 'Condition' must be a boolean or "
		         "a JSONata expression '{%% ... %%}'");
	else
		ck_jsonata(c, v, field_name(FLD_CONDITION));
	rule_next(c, s, r);
	if ((v = model_get(c->m, r, FLD_OUTPUT)))
		ck_jsonata(c, v, field_name(FLD_OUTPUT));
	if ((v = model_get(c->m, r, FLD_ASSIGN)))
		ck_assign(c, v, true);
}

void ck_choice(checker *c, int i, bool jsonata)
{
	const mstate *s = &c->m->states[i];
	const jnode *ch = model_get(c->m, s->node, FLD_CHOICES), *df;

	if (!ch) {
		ck_error_obj(c, s->node, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Choices]");
		c->m->scopes[s->scope].broken = true;
	} else if (ch->kind != J_ARRAY) {
		ck_error(c, ch, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field 'Choices' must be an array");
		c->m->scopes[s->scope].broken = true;
	} else if (ch->n == 0) {
		ck_error(c, ch, "SCHEMA_VALIDATION_FAILED", "Value cannot be empty");
	} else {
		for (size_t k = 0; k < ch->n; k++) {
			if (jsonata)
				jsonata_rule(c, s, ch->items[k]);
			else
				rule(c, s, ch->items[k], true);
		}
	}
	if ((df = model_get(c->m, s->node, FLD_DEFAULT)))
		ck_transition(c, s, df, field_name(FLD_DEFAULT));
}
