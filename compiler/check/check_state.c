/*
 * check_state.c - the fields of the machine and of each state type
 * (as AWS checks them): which are accepted in which query
 * language, their values, the pairs that exclude each other, Retry and
 * Catch, Task resources, Map and Parallel.  The fields are fields.h's,
 * read from the model by enum.
 */
#include "check.h"
#include "keywords.h"
#include "integrations.h" /* runtime/: the optimized integrations */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECONDS 99999999LL
#define EXPRESS_SECONDS 300     /* an EXPRESS execution runs 5 minutes */

/* Fields that exclude each other, in any object. */
static const enum asl_field exclusive[][2] = {
	{ FLD_TIMEOUT_SECONDS, FLD_TIMEOUT_SECONDS_PATH },
	{ FLD_HEARTBEAT_SECONDS, FLD_HEARTBEAT_SECONDS_PATH },
	{ FLD_ERROR, FLD_ERROR_PATH },
	{ FLD_CAUSE, FLD_CAUSE_PATH },
	{ FLD_MAX_CONCURRENCY, FLD_MAX_CONCURRENCY_PATH },
	{ FLD_TOLERATED_FAILURE_PERCENTAGE,
	  FLD_TOLERATED_FAILURE_PERCENTAGE_PATH },
	{ FLD_TOLERATED_FAILURE_COUNT, FLD_TOLERATED_FAILURE_COUNT_PATH },
	{ FLD_ITEM_PROCESSOR, FLD_ITERATOR },
	{ FLD_ITEM_SELECTOR, FLD_PARAMETERS },
	{ FLD_MAX_ITEMS_PER_BATCH, FLD_MAX_ITEMS_PER_BATCH_PATH },
	{ FLD_MAX_INPUT_BYTES_PER_BATCH, FLD_MAX_INPUT_BYTES_PER_BATCH_PATH },
	{ FLD_MAX_ITEMS, FLD_MAX_ITEMS_PATH },
};

static const char *const type_list =
	"[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]";

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static bool in_fields(const enum asl_field *list, const char *s)
{
	int f = field_lookup(s);

	for (; f >= 0 && *list != FLD_COUNT; list++)
		if (*list == (enum asl_field)f)
			return true;
	return false;
}

void ck_fields(checker *c, const jnode *obj, const enum asl_field *known,
               const char *what)
{
	for (size_t i = 0; i < obj->n; i++)
		if (!in_fields(known, obj->members[i].key))
			ck_error_key(c, &obj->members[i], "SCHEMA_VALIDATION_FAILED",
			             "Field '%s' is not supported in %s",
			             obj->members[i].key, what);
}

/* Both of a pair given: the later one is reported. */
static void exclusive_pairs(checker *c, const mobj *o)
{
	for (size_t k = 0; k < sizeof exclusive / sizeof *exclusive; k++) {
		const jmember *a = mobj_member(o, exclusive[k][0]),
		              *b = mobj_member(o, exclusive[k][1]);
		if (a && b)
			ck_error_key(c, a > b ? a : b, "SCHEMA_VALIDATION_FAILED",
			             "The fields '%s' and '%s' are mutually exclusive",
			             field_name(exclusive[k][0]),
			             field_name(exclusive[k][1]));
	}
}

/* ---------------------------------------------------------------- values */

static const char *kind_article(jkind k)
{
	return k == J_OBJECT || k == J_ARRAY ? "an" : "a";
}

static bool want(checker *c, const jnode *v, const char *field, jkind kind)
{
	if (v->kind == kind || (kind == J_TRUE && v->kind == J_FALSE))
		return true;
	ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
	         "The value of the field '%s' must be %s %s", field,
	         kind_article(kind), jkind_name(kind));
	return false;
}

/* An integer lo..hi; false (reported) if not. */
static bool integer(checker *c, const jnode *v, const char *field,
                    long long lo, long long hi)
{
	long long n;

	if (v->kind != J_NUMBER || !jnode_is_integer(v)) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field '%s' must be an integer", field);
		return false;
	}
	errno = 0;
	n = strtoll(v->str, NULL, 10);
	if (errno || n < lo || n > hi) {
		if (lo == 1 && hi == MAX_SECONDS)
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "The value of the field '%s' must be a positive "
			         "integer (at most %lld)", field, hi);
		else
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "The value of the field '%s' must be between %lld "
			         "and %lld", field, lo, hi);
		return false;
	}
	return true;
}

static bool number(checker *c, const jnode *v, const char *field,
                   double lo, double hi)
{
	double x;

	if (v->kind != J_NUMBER) {
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field '%s' must be a number", field);
		return false;
	}
	x = strtod(v->str, NULL);
	if (!isfinite(x) || x < lo || x > hi) {
		if (hi == HUGE_VAL)
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "The value of the field '%s' must be a number of at "
			         "least %g", field, lo);
		else
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "The value of the field '%s' must be between %g and "
			         "%g", field, lo, hi);
		return false;
	}
	return true;
}

/* One of the strings of list (NULL-terminated); listed as "[A, B]". */
static bool one_of(checker *c, const jnode *v, const char *field,
                   const char *const *list)
{
	strbuf b = SB_INIT;

	if (!want(c, v, field, J_STRING))
		return false;
	if (in_list(list, v->str))
		return true;
	for (const char *const *l = list; *l; l++)
		sb_printf(&b, "%s%s", l == list ? "" : ", ", *l);
	ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
	         "The field '%s' should have one of these values: [%s]", field,
	         b.s);
	sb_free(&b);
	return false;
}

/* A Timestamp: RFC 3339 (a path there is a likely slip: said). */
static void check_timestamp(checker *c, const jnode *v, const char *field)
{
	if (want(c, v, field, J_STRING) && !ck_rfc3339(v->str)) {
		if (ck_looks_like_path(v->str))
			ck_warning(c, v, "missing-path", "NO_PATH",
			           "The value of the field '%s' looks like a "
			           "path: did you mean '%sPath'?", field, field);
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "String does not match RFC3339 timestamp");
	}
}

/* A Fail state's Error or Cause: any string (in JSONPath, one that looks
 * like a path was likely meant for ErrorPath or CausePath: said). */
static void check_error_string(checker *c, const jnode *v, const char *field,
                               bool jsonata)
{
	if (want(c, v, field, J_STRING) && !jsonata &&
	    ck_looks_like_path(v->str))
		ck_warning(c, v, "missing-path", "NO_PATH",
		           "The value of the field '%s' looks like a path, "
		           "but it is a plain string: did you mean '%sPath'?",
		           field, field);
}

static void check_value(checker *c, const jnode *v, const char *field,
                        int kind, bool jsonata)
{
	/* JSONata states may compute most values. */
	if (jsonata && ck_is_jsonata(v) && kind != FK_NAME && kind != FK_QL &&
	    kind != FK_BOOL && kind != FK_STRING) {
		ck_jsonata(c, v, field);
		return;
	}
	switch (kind) {
	case FK_STRING:
		want(c, v, field, J_STRING);
		break;
	case FK_BOOL:
		want(c, v, field, J_TRUE);
		break;
	case FK_NAME:
		want(c, v, field, J_STRING);
		break;
	case FK_PATH:
		if (v->kind != J_NULL)
			ck_path(c, v, field, PK_PATH);
		break;
	case FK_REF:
		ck_path(c, v, field, PK_REFERENCE);
		break;
	case FK_RESULT:
		if (v->kind != J_NULL)
			ck_path(c, v, field, PK_RESULT);
		break;
	case FK_TEMPLATE:
		if (jsonata)
			ck_jsonata(c, v, field);
		else
			ck_template(c, v);
		break;
	case FK_JSONATA:
		ck_jsonata(c, v, field);
		break;
	case FK_ASSIGN:
		ck_assign(c, v, jsonata);
		break;
	case FK_RESULTVAL:
		ck_static_result(c, v);
		break;
	case FK_POSINT:
		integer(c, v, field, 1, MAX_SECONDS);
		break;
	case FK_NONNEG:
		integer(c, v, field, 0, MAX_SECONDS);
		break;
	case FK_PERCENT:
		number(c, v, field, 0, 100);
		break;
	case FK_TIMESTAMP:
		check_timestamp(c, v, field);
		break;
	case FK_ERRSTR:
		check_error_string(c, v, field, jsonata);
		break;
	case FK_STREXPR:
		ck_string_expr(c, v, field);
		break;
	case FK_QL: {
		static const char *const ql[] = { "JSONPath", "JSONata", NULL };
		one_of(c, v, field, ql);
		break;
	}
	default:
		break;
	}
}

/* ------------------------------------------------------------- the top */

static const jnode *lookup_ql(const mobj *o)
{
	const jnode *q = mobj_get(o, FLD_QUERY_LANGUAGE);
	return q && q->kind == J_STRING ? q : NULL;
}

bool ck_state_jsonata(checker *c, const mobj *state)
{
	const jnode *q = lookup_ql(state);
	return q ? !strcmp(q->str, "JSONata") : c->jsonata;
}

void ck_top(checker *c)
{
	static const enum asl_field top[] = {
		FLD_START_AT, FLD_STATES, FLD_COMMENT, FLD_VERSION,
		FLD_TIMEOUT_SECONDS, FLD_QUERY_LANGUAGE, FLD_COUNT
	};
	const jnode *root = c->m->root, *v;

	ck_fields(c, root, top, "a state machine");
	if ((v = model_get(c->m, root, FLD_COMMENT)))
		want(c, v, field_name(FLD_COMMENT), J_STRING);
	if ((v = model_get(c->m, root, FLD_VERSION)))
		want(c, v, field_name(FLD_VERSION), J_STRING);
	if ((v = model_get(c->m, root, FLD_TIMEOUT_SECONDS)) &&
	    integer(c, v, field_name(FLD_TIMEOUT_SECONDS), 1, MAX_SECONDS) &&
	    c->express &&
	    strtoll(v->str, NULL, 10) > EXPRESS_SECONDS)
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field 'TimeoutSeconds' must be at most "
		         "%d for an Express state machine (5 minutes)",
		         EXPRESS_SECONDS);
	if ((v = model_get(c->m, root, FLD_QUERY_LANGUAGE)))
		check_value(c, v, field_name(FLD_QUERY_LANGUAGE), FK_QL, false);
}

/* ---------------------------------------------------------- transitions */

void ck_transition(checker *c, const mstate *s, const jnode *v,
                   const char *field)
{
	model *m = c->m;

	if (!v || v->kind != J_STRING) {
		m->scopes[s->scope].broken = true;
		return;
	}
	if (model_find_in(m, v->str, s->scope) < 0) {
		m->scopes[s->scope].broken = true;
		ck_error(c, v, "MISSING_TRANSITION_TARGET",
		         "Missing '%s' target: %s", field, v->str);
	}
}

/* --------------------------------------------------------- Retry, Catch */

static void error_names(checker *c, const jnode *rule, bool last,
                        const char *what)
{
	const jnode *e = model_get(c->m, rule, FLD_ERROR_EQUALS);

	if (!e) {
		ck_error_obj(c, rule, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [ErrorEquals]");
		return;
	}
	if (!want(c, e, field_name(FLD_ERROR_EQUALS), J_ARRAY))
		return;
	if (e->n == 0) {
		ck_error(c, e, "SCHEMA_VALIDATION_FAILED", "Value cannot be empty");
		return;
	}
	for (size_t i = 0; i < e->n; i++) {
		const jnode *n = e->items[i];
		if (n->kind != J_STRING) {
			ck_error(c, n, "SCHEMA_VALIDATION_FAILED",
			         "The values of the field 'ErrorEquals' must be "
			         "strings");
		} else if (!strcmp(n->str, error_name(ASL_E_ALL)) && e->n > 1) {
			ck_error(c, n, "SCHEMA_VALIDATION_FAILED",
			         "'States.ALL' must appear alone in 'ErrorEquals'");
		} else if (!strcmp(n->str, error_name(ASL_E_ALL)) && !last) {
			ck_error(c, n, "SCHEMA_VALIDATION_FAILED",
			         "'States.ALL' must appear in the last %s", what);
		}
	}
}

static void retry_list(checker *c, const jnode *v)
{
	static const enum asl_field known[] = {
		FLD_ERROR_EQUALS, FLD_INTERVAL_SECONDS, FLD_MAX_ATTEMPTS,
		FLD_BACKOFF_RATE, FLD_MAX_DELAY_SECONDS, FLD_JITTER_STRATEGY,
		FLD_COMMENT, FLD_COUNT
	};
	static const char *const jitter[] = { "FULL", "NONE", NULL };

	if (!want(c, v, field_name(FLD_RETRY), J_ARRAY))
		return;
	for (size_t k = 0; k < v->n; k++) {
		const jnode *r = v->items[k], *x;
		if (r->kind != J_OBJECT) {
			ck_error(c, r, "SCHEMA_VALIDATION_FAILED",
			         "A Retrier must be an object");
			continue;
		}
		ck_fields(c, r, known, "a Retrier");
		error_names(c, r, k + 1 == v->n, "Retrier");
		if ((x = model_get(c->m, r, FLD_INTERVAL_SECONDS)))
			integer(c, x, field_name(FLD_INTERVAL_SECONDS), 1,
			        MAX_SECONDS);
		if ((x = model_get(c->m, r, FLD_MAX_ATTEMPTS)))
			integer(c, x, field_name(FLD_MAX_ATTEMPTS), 0,
			        MAX_SECONDS);
		if ((x = model_get(c->m, r, FLD_BACKOFF_RATE)))
			number(c, x, field_name(FLD_BACKOFF_RATE), 1.0,
			       HUGE_VAL);
		if ((x = model_get(c->m, r, FLD_MAX_DELAY_SECONDS)))
			integer(c, x, field_name(FLD_MAX_DELAY_SECONDS), 1,
			        31622400);
		if ((x = model_get(c->m, r, FLD_JITTER_STRATEGY)))
			one_of(c, x, field_name(FLD_JITTER_STRATEGY), jitter);
		if ((x = model_get(c->m, r, FLD_COMMENT)))
			want(c, x, field_name(FLD_COMMENT), J_STRING);
	}
}

static void catch_list(checker *c, const mstate *s, const jnode *v,
                       bool jsonata)
{
	static const enum asl_field path_fields[] = {
		FLD_ERROR_EQUALS, FLD_NEXT, FLD_RESULT_PATH, FLD_ASSIGN,
		FLD_COMMENT, FLD_COUNT
	};
	static const enum asl_field ata_fields[] = {
		FLD_ERROR_EQUALS, FLD_NEXT, FLD_OUTPUT, FLD_ASSIGN,
		FLD_COMMENT, FLD_COUNT
	};

	if (!want(c, v, field_name(FLD_CATCH), J_ARRAY)) {
		c->m->scopes[s->scope].broken = true;
		return;
	}
	for (size_t k = 0; k < v->n; k++) {
		const jnode *r = v->items[k], *x;
		if (r->kind != J_OBJECT) {
			ck_error(c, r, "SCHEMA_VALIDATION_FAILED",
			         "A Catcher must be an object");
			c->m->scopes[s->scope].broken = true;
			continue;
		}
		ck_fields(c, r, jsonata ? ata_fields : path_fields, "a Catcher");
		error_names(c, r, k + 1 == v->n, "Catcher");
		if (!(x = model_get(c->m, r, FLD_NEXT))) {
			ck_error_obj(c, r, "SCHEMA_VALIDATION_FAILED",
			             "These fields are required: [ErrorEquals, Next]");
			c->m->scopes[s->scope].broken = true;
		} else if (want(c, x, field_name(FLD_NEXT), J_STRING)) {
			ck_transition(c, s, x, field_name(FLD_NEXT));
		} else {
			c->m->scopes[s->scope].broken = true;
		}
		if ((x = model_get(c->m, r, FLD_RESULT_PATH)) && !jsonata &&
		    x->kind != J_NULL)
			ck_path(c, x, field_name(FLD_RESULT_PATH), PK_RESULT);
		c->states_ok = ST_ERROR;   /* $states.errorOutput */
		if ((x = model_get(c->m, r, FLD_ASSIGN)))
			ck_assign(c, x, jsonata);
		if ((x = model_get(c->m, r, FLD_OUTPUT)) && jsonata)
			ck_jsonata(c, x, field_name(FLD_OUTPUT));
		c->states_ok = 0;
		if ((x = model_get(c->m, r, FLD_COMMENT)))
			want(c, x, field_name(FLD_COMMENT), J_STRING);
	}
}

/* ------------------------------------------------------------------ Task */

static bool span(const char **p, const char *set, size_t min, size_t max)
{
	size_t n = strspn(*p, set);
	*p += n;
	return n >= min && n <= max;
}

static bool skip(const char **p, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*p, lit, n))
		return false;
	*p += n;
	return true;
}

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT "0123456789"

/* The integration pattern a resource's suffix asks for (ASL_PAT_*), or 0
 * for an unknown suffix; *len is the length before the suffix. */
static int pattern_of(const char *p, size_t *len)
{
	static const struct { const char *suffix; int pattern; } suffixes[] = {
		{ ".waitForTaskToken", ASL_PAT_TOKEN }, { ".sync:2", ASL_PAT_SYNC2 },
		{ ".sync", ASL_PAT_SYNC }
	};
	const char *dot = strchr(p, '.');

	*len = strlen(p);
	if (!dot)
		return ASL_PAT_RESPONSE;
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
		if (!strcmp(dot, suffixes[i].suffix)) {
			*len = (size_t)(dot - p);
			return suffixes[i].pattern;
		}
	return 0;
}

/* SERVICE:ACTION[.suffix] after arn:aws:states:::, as the table of
 * optimized integrations has it (runtime/integrations.h). */
static bool optimized(const char *p)
{
#define ASL_ROW(svc, act, pats) { svc, act, pats },
	static const struct {
		const char *service, *action;
		int patterns;
	} table[] = { ASL_INTEGRATIONS(ASL_ROW) };
#undef ASL_ROW
	size_t len, n;
	int pattern = pattern_of(p, &len);
	const char *colon = memchr(p, ':', len);

	if (!pattern || !colon)
		return false;
	n = (size_t)(colon - p);
	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		if (strlen(table[i].service) == n &&
		    !strncmp(table[i].service, p, n) &&
		    strlen(table[i].action) == len - n - 1 &&
		    !strncmp(table[i].action, colon + 1, len - n - 1))
			return (table[i].patterns & pattern) != 0;
	return false;
}

bool ck_resource(const char *r)
{
	static const char *const parts[] = {
		"arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:", "arn:aws-iso:",
		"arn:aws-iso-b:", NULL
	};
	const char *p = r;
	const char *const *pt;

	for (pt = parts; *pt && !skip(&p, *pt); pt++)
		;
	if (!*pt)
		return false;
	if (skip(&p, "lambda:")) {
		/* arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] */
		if (!span(&p, LOWER DIGIT "-", 1, 32) || !skip(&p, ":") ||
		    !span(&p, DIGIT, 12, 12) || !skip(&p, ":function:") ||
		    !span(&p, LOWER UPPER DIGIT "-_", 1, 64))
			return false;
		if (skip(&p, ":") && !span(&p, LOWER UPPER DIGIT "-_$", 1, 128))
			return false;
		return *p == '\0';
	}
	if (!skip(&p, "states:"))
		return false;
	if (skip(&p, "::aws-sdk:")) {
		/* aws-sdk:SERVICE:ACTION[.waitForTaskToken]: any service and
		 * action; no .sync */
		if (!(span(&p, LOWER DIGIT "-", 1, 64) && skip(&p, ":") &&
		      span(&p, LOWER UPPER DIGIT, 1, 128)))
			return false;
		return *p == '\0' || !strcmp(p, ".waitForTaskToken");
	}
	if (skip(&p, "::"))
		return optimized(p); /* the optimized integrations' table */
	/* arn:aws:states:REGION:ACCOUNT:activity:NAME */
	return span(&p, LOWER DIGIT "-", 1, 32) && skip(&p, ":") &&
	       span(&p, DIGIT, 12, 12) && skip(&p, ":activity:") &&
	       span(&p, LOWER UPPER DIGIT "-_", 1, 80) && *p == '\0';
}

/* What an EXPRESS machine cannot run (as AWS refuses it): NULL if r is
 * fine, else the name of the integration pattern. */
static const char *express_unsupported(const char *r)
{
	size_t n = strlen(r);
	const char *act = strstr(r, ":activity:");

	if (n >= 5 && !strcmp(r + n - 5, ".sync"))
		return "'.sync' service integration";
	if (n >= 7 && !strcmp(r + n - 7, ".sync:2"))
		return "'.sync' service integration";
	if (n >= 17 && !strcmp(r + n - 17, ".waitForTaskToken"))
		return "'.waitForTaskToken' service integration";
	if (act && !strncmp(r, "arn:", 4) && strstr(r, ":states:") &&
	    !strstr(r, ":states:::"))
		return "Activity ARN"; /* AWS's words (LS's snapshots) */
	return NULL;
}

static void resource(checker *c, const jnode *v)
{
	const char *what;

	if (!want(c, v, field_name(FLD_RESOURCE), J_STRING))
		return;
	if (!ck_resource(v->str))
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The resource provided %s is not recognized. The value is "
		         "not a valid resource ARN, or the resource is not "
		         "available in this region.", v->str);
	else if (c->express && (what = express_unsupported(v->str)))
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "Express state machine does not support %s", what);
}

static void task_state(checker *c, const jnode *o, bool jsonata)
{
	const jnode *v, *t = model_get(c->m, o, FLD_TIMEOUT_SECONDS),
	            *h = model_get(c->m, o, FLD_HEARTBEAT_SECONDS);

	if (!(v = model_get(c->m, o, FLD_RESOURCE)))
		ck_error_obj(c, o, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Resource]");
	else
		resource(c, v);
	if (t && h && jnode_is_integer(t) && jnode_is_integer(h) &&
	    strtoll(h->str, NULL, 10) >= strtoll(t->str, NULL, 10) &&
	    strtoll(h->str, NULL, 10) > 0)
		ck_error(c, h, "SCHEMA_VALIDATION_FAILED",
		         "HeartbeatSeconds must be smaller than TimeoutSeconds");
	if ((v = model_get(c->m, o, FLD_CREDENTIALS))) {
		static const enum asl_field path_fields[] = {
			FLD_ROLE_ARN, FLD_ROLE_ARN_DOLLAR, FLD_COUNT
		};
		static const enum asl_field ata_fields[] = {
			FLD_ROLE_ARN, FLD_COUNT
		};
		const jnode *a, *b;
		if (!want(c, v, field_name(FLD_CREDENTIALS), J_OBJECT))
			return;
		ck_fields(c, v, jsonata ? ata_fields : path_fields,
		          field_name(FLD_CREDENTIALS));
		a = model_get(c->m, v, FLD_ROLE_ARN);
		b = jsonata ? NULL : model_get(c->m, v, FLD_ROLE_ARN_DOLLAR);
		/* Both: ck_template() reports the key given twice. */
		if (!a && !b)
			ck_error_obj(c, v, "SCHEMA_VALIDATION_FAILED",
			             "The field 'RoleArn' is required but was missing");
		if (a && want(c, a, field_name(FLD_ROLE_ARN), J_STRING) &&
		    jsonata)
			ck_jsonata(c, a, field_name(FLD_ROLE_ARN));
		if (b)
			ck_template(c, v);
	}
}

/* ------------------------------------------------------------------ Wait */

static void wait_state(checker *c, const jnode *o)
{
	static const enum asl_field four[] = {
		FLD_SECONDS, FLD_SECONDS_PATH, FLD_TIMESTAMP,
		FLD_TIMESTAMP_PATH, FLD_COUNT
	};
	const jmember *first = NULL;

	for (const enum asl_field *f = four; *f != FLD_COUNT; f++) {
		const jmember *mb = mobj_member(model_obj(c->m, o), *f);
		if (!mb)
			continue;
		if (!first)
			first = mb;
		else
			ck_error_key(c, first > mb ? first : mb,
			             "SCHEMA_VALIDATION_FAILED",
			             "A Wait state takes exactly one of the fields "
			             "'Seconds', 'SecondsPath', 'Timestamp', "
			             "'TimestampPath'");
	}
	if (!first)
		ck_error_obj(c, o, "SCHEMA_VALIDATION_FAILED",
		             "A Wait state needs one of the fields 'Seconds', "
		             "'SecondsPath', 'Timestamp', 'TimestampPath'");
}

/* -------------------------------------------------------- Map, Parallel */

static const enum asl_field scope_fields[] = {
	FLD_START_AT, FLD_STATES, FLD_COMMENT, FLD_COUNT
};

static void parallel_state(checker *c, const jnode *o)
{
	const jnode *b = model_get(c->m, o, FLD_BRANCHES);

	if (!b) {
		ck_error_obj(c, o, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Branches]");
		return;
	}
	if (!want(c, b, field_name(FLD_BRANCHES), J_ARRAY))
		return;
	if (b->n == 0)
		ck_error(c, b, "SCHEMA_VALIDATION_FAILED", "Value cannot be empty");
	for (size_t k = 0; k < b->n; k++) {
		if (b->items[k]->kind != J_OBJECT)
			ck_error(c, b->items[k], "SCHEMA_VALIDATION_FAILED",
			         "A branch must be an object");
		else
			ck_fields(c, b->items[k], scope_fields, "a branch");
	}
}

static bool label_char(unsigned char ch)
{
	return ch > 0x20 && ch != 0x7f && !strchr("?*<>{}[]:;,|^~$#%&`\"", ch);
}

static void label(checker *c, const jnode *v)
{
	if (!want(c, v, field_name(FLD_LABEL), J_STRING))
		return;
	bool ok = v->len > 0 && strlen(v->str) == v->len &&
	          utf8_chars(v->str) <= 40;
	for (size_t i = 0; ok && i < v->len; i++)
		ok = label_char((unsigned char)v->str[i]) ||
		     (unsigned char)v->str[i] >= 0x80;
	/* Unicode white space and controls: U+0085, U+00A0, U+2000-U+200A,
	 * U+2028, U+2029, U+3000 and the C1 controls. */
	for (const unsigned char *p = (const unsigned char *)v->str;
	     ok && *p; p++)
		if ((p[0] == 0xC2 && (p[1] < 0xA1)) ||
		    (p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8A ||
		                                      p[2] == 0xA8 ||
		                                      p[2] == 0xA9)) ||
		    (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80))
			ok = false;
	if (!ok) {
		ck_error(c, v, "INVALID_LABEL_NAME",
		         "A Map label is 1 to 40 characters without white space, "
		         "control characters or any of ? * < > { } [ ] : ; , | ^ "
		         "~ $ # %% & ` \"");
		return;
	}
	for (size_t i = 0; i < c->n_labels; i++)
		if (!strcmp(c->labels[i]->str, v->str)) {
			ck_error(c, v, "DUPLICATE_LABEL_NAME",
			         "Duplicate Map label: %s (first used at line %d)",
			         v->str, c->labels[i]->line);
			return;
		}
	c->labels = xrealloc(c->labels, (c->n_labels + 1) * sizeof *c->labels);
	c->labels[c->n_labels++] = v;
}

static void reader(checker *c, const jnode *v, bool jsonata)
{
	static const enum asl_field path_fields[] = {
		FLD_RESOURCE, FLD_PARAMETERS, FLD_READER_CONFIG, FLD_COUNT
	};
	static const enum asl_field ata_fields[] = {
		FLD_RESOURCE, FLD_ARGUMENTS, FLD_READER_CONFIG, FLD_COUNT
	};
	static const enum asl_field config_fields[] = {
		FLD_INPUT_TYPE, FLD_CSV_HEADER_LOCATION, FLD_CSV_HEADERS,
		FLD_CSV_DELIMITER, FLD_MAX_ITEMS, FLD_MAX_ITEMS_PATH,
		FLD_MANIFEST_TYPE, FLD_TRANSFORMATION, FLD_ITEMS_POINTER,
		FLD_COUNT
	};
	static const char *const input_types[] = {
		"CSV", "JSON", "JSONL", "PARQUET", "MANIFEST", NULL
	};
	static const char *const header_locations[] = {
		"FIRST_ROW", "GIVEN", NULL
	};
	static const char *const delimiters[] = {
		"COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB", NULL
	};
	static const char *const manifests[] = {
		"ATHENA_DATA", "S3_INVENTORY", NULL
	};
	static const char *const transformations[] = {
		"NONE", "LOAD_AND_FLATTEN", NULL
	};
	const jnode *x, *cfg;

	if (!want(c, v, field_name(FLD_ITEM_READER), J_OBJECT))
		return;
	ck_fields(c, v, jsonata ? ata_fields : path_fields, "an ItemReader");
	if (!(x = model_get(c->m, v, FLD_RESOURCE)))
		ck_error_obj(c, v, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Resource]");
	else if (want(c, x, field_name(FLD_RESOURCE), J_STRING) &&
	         strcmp(x->str, "arn:aws:states:::s3:getObject") &&
	         strcmp(x->str, "arn:aws:states:::s3:listObjectsV2"))
		ck_error(c, x, "SCHEMA_VALIDATION_FAILED",
		         "The resource provided %s is not recognized. An "
		         "ItemReader reads with arn:aws:states:::s3:getObject or "
		         "arn:aws:states:::s3:listObjectsV2.", x->str);
	if ((x = model_get(c->m, v, FLD_PARAMETERS)) && !jsonata)
		ck_template(c, x);
	if ((x = model_get(c->m, v, FLD_ARGUMENTS)) && jsonata)
		ck_jsonata(c, x, field_name(FLD_ARGUMENTS));
	if (!(cfg = model_get(c->m, v, FLD_READER_CONFIG)) ||
	    !want(c, cfg, field_name(FLD_READER_CONFIG), J_OBJECT))
		return;
	ck_fields(c, cfg, config_fields, "a ReaderConfig");
	exclusive_pairs(c, model_obj(c->m, cfg));
	if ((x = model_get(c->m, cfg, FLD_INPUT_TYPE)))
		one_of(c, x, field_name(FLD_INPUT_TYPE), input_types);
	if ((x = model_get(c->m, cfg, FLD_CSV_HEADER_LOCATION)) &&
	    one_of(c, x, field_name(FLD_CSV_HEADER_LOCATION),
	           header_locations) &&
	    !strcmp(x->str, "GIVEN") && !model_get(c->m, cfg, FLD_CSV_HEADERS))
		ck_error(c, x, "SCHEMA_VALIDATION_FAILED",
		         "CSVHeaderLocation GIVEN needs the field 'CSVHeaders'");
	if ((x = model_get(c->m, cfg, FLD_CSV_HEADERS)) &&
	    want(c, x, field_name(FLD_CSV_HEADERS), J_ARRAY))
		for (size_t i = 0; i < x->n; i++)
			want(c, x->items[i], field_name(FLD_CSV_HEADERS),
			     J_STRING);
	if ((x = model_get(c->m, cfg, FLD_CSV_DELIMITER)))
		one_of(c, x, field_name(FLD_CSV_DELIMITER), delimiters);
	if ((x = model_get(c->m, cfg, FLD_MAX_ITEMS)) &&
	    !(jsonata && ck_is_jsonata(x)))
		integer(c, x, field_name(FLD_MAX_ITEMS), 1, 100000000);
	if ((x = model_get(c->m, cfg, FLD_MAX_ITEMS_PATH)))
		ck_path(c, x, field_name(FLD_MAX_ITEMS_PATH), PK_REFERENCE);
	if ((x = model_get(c->m, cfg, FLD_MANIFEST_TYPE)))
		one_of(c, x, field_name(FLD_MANIFEST_TYPE), manifests);
	if ((x = model_get(c->m, cfg, FLD_TRANSFORMATION)))
		one_of(c, x, field_name(FLD_TRANSFORMATION), transformations);
	if ((x = model_get(c->m, cfg, FLD_ITEMS_POINTER)))
		want(c, x, field_name(FLD_ITEMS_POINTER), J_STRING);
}

static void batcher(checker *c, const jnode *v, bool jsonata)
{
	static const enum asl_field fields[] = {
		FLD_MAX_ITEMS_PER_BATCH, FLD_MAX_ITEMS_PER_BATCH_PATH,
		FLD_MAX_INPUT_BYTES_PER_BATCH,
		FLD_MAX_INPUT_BYTES_PER_BATCH_PATH, FLD_BATCH_INPUT, FLD_COUNT
	};
	const jnode *x;

	if (!want(c, v, field_name(FLD_ITEM_BATCHER), J_OBJECT))
		return;
	ck_fields(c, v, fields, "an ItemBatcher");
	exclusive_pairs(c, model_obj(c->m, v));
	if (!model_get(c->m, v, FLD_MAX_ITEMS_PER_BATCH) &&
	    !model_get(c->m, v, FLD_MAX_ITEMS_PER_BATCH_PATH) &&
	    !model_get(c->m, v, FLD_MAX_INPUT_BYTES_PER_BATCH) &&
	    !model_get(c->m, v, FLD_MAX_INPUT_BYTES_PER_BATCH_PATH))
		ck_error_obj(c, v, "SCHEMA_VALIDATION_FAILED",
		             "An ItemBatcher needs at least one of the fields "
		             "'MaxItemsPerBatch', 'MaxItemsPerBatchPath', "
		             "'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'");
	if ((x = model_get(c->m, v, FLD_MAX_ITEMS_PER_BATCH)) &&
	    !(jsonata && ck_is_jsonata(x)))
		integer(c, x, field_name(FLD_MAX_ITEMS_PER_BATCH), 1,
		        MAX_SECONDS);
	if ((x = model_get(c->m, v, FLD_MAX_INPUT_BYTES_PER_BATCH)) &&
	    !(jsonata && ck_is_jsonata(x)))
		integer(c, x, field_name(FLD_MAX_INPUT_BYTES_PER_BATCH), 1,
		        262144);
	if ((x = model_get(c->m, v, FLD_MAX_ITEMS_PER_BATCH_PATH)))
		ck_path(c, x, field_name(FLD_MAX_ITEMS_PER_BATCH_PATH),
		        PK_REFERENCE);
	if ((x = model_get(c->m, v, FLD_MAX_INPUT_BYTES_PER_BATCH_PATH)))
		ck_path(c, x, field_name(FLD_MAX_INPUT_BYTES_PER_BATCH_PATH),
		        PK_REFERENCE);
	if ((x = model_get(c->m, v, FLD_BATCH_INPUT))) {
		if (jsonata)
			ck_jsonata(c, x, field_name(FLD_BATCH_INPUT));
		else
			ck_template(c, x);
	}
}

static void writer(checker *c, const jnode *v, bool jsonata)
{
	static const enum asl_field path_fields[] = {
		FLD_RESOURCE, FLD_PARAMETERS, FLD_WRITER_CONFIG, FLD_COUNT
	};
	static const enum asl_field ata_fields[] = {
		FLD_RESOURCE, FLD_ARGUMENTS, FLD_WRITER_CONFIG, FLD_COUNT
	};
	const jnode *x;

	if (!want(c, v, field_name(FLD_RESULT_WRITER), J_OBJECT))
		return;
	ck_fields(c, v, jsonata ? ata_fields : path_fields, "a ResultWriter");
	if (!(x = model_get(c->m, v, FLD_RESOURCE))) {
		if (!model_get(c->m, v, FLD_WRITER_CONFIG))
			ck_error_obj(c, v, "SCHEMA_VALIDATION_FAILED",
			             "These fields are required: [Resource]");
	} else if (want(c, x, field_name(FLD_RESOURCE), J_STRING) &&
	           strcmp(x->str, "arn:aws:states:::s3:putObject")) {
		ck_error(c, x, "SCHEMA_VALIDATION_FAILED",
		         "The resource provided %s is not recognized. A "
		         "ResultWriter writes with arn:aws:states:::s3:putObject.",
		         x->str);
	}
	if ((x = model_get(c->m, v, FLD_PARAMETERS)) && !jsonata)
		ck_template(c, x);
	if ((x = model_get(c->m, v, FLD_ARGUMENTS)) && jsonata)
		ck_jsonata(c, x, field_name(FLD_ARGUMENTS));
	if ((x = model_get(c->m, v, FLD_WRITER_CONFIG)))
		want(c, x, field_name(FLD_WRITER_CONFIG), J_OBJECT);
}

static void map_state(checker *c, const jnode *o, bool jsonata)
{
	static const enum asl_field distributed_only[] = {
		FLD_ITEM_READER, FLD_ITEM_BATCHER, FLD_RESULT_WRITER,
		FLD_TOLERATED_FAILURE_PERCENTAGE,
		FLD_TOLERATED_FAILURE_PERCENTAGE_PATH,
		FLD_TOLERATED_FAILURE_COUNT, FLD_TOLERATED_FAILURE_COUNT_PATH,
		FLD_LABEL, FLD_COUNT
	};
	static const enum asl_field processor_fields[] = {
		FLD_PROCESSOR_CONFIG, FLD_START_AT, FLD_STATES, FLD_COMMENT,
		FLD_COUNT
	};
	static const enum asl_field config_fields[] = {
		FLD_MODE, FLD_EXECUTION_TYPE, FLD_COUNT
	};
	static const char *const modes[] = { "INLINE", "DISTRIBUTED", NULL };
	static const char *const exec_types[] = { "STANDARD", "EXPRESS", NULL };
	enum asl_field field;
	const jnode *it = model_map_processor(model_obj(c->m, o), &field), *x;
	bool distributed = false, mode_known = true;

	if (!it) {
		ck_error_obj(c, o, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [ItemProcessor]");
	} else if (want(c, it, field_name(field), J_OBJECT)) {
		ck_fields(c, it, processor_fields, field != FLD_ITERATOR
		          ? "an ItemProcessor" : "an Iterator");
		if ((x = model_get(c->m, it, FLD_PROCESSOR_CONFIG)) &&
		    want(c, x, field_name(FLD_PROCESSOR_CONFIG), J_OBJECT)) {
			const mobj *pc = model_obj(c->m, x);
			const jnode *mode = mobj_get(pc, FLD_MODE),
			            *et = mobj_get(pc, FLD_EXECUTION_TYPE);
			ck_fields(c, x, config_fields, "a ProcessorConfig");
			if (mode && one_of(c, mode, field_name(FLD_MODE),
			                   modes))
				distributed = !strcmp(mode->str, "DISTRIBUTED");
			else if (mode)
				mode_known = false;
			if (distributed && c->express)
				ck_error(c, mode, "SCHEMA_VALIDATION_FAILED",
				         "Express state machine does not support "
				         "Distributed Map");
			if (et)
				one_of(c, et, field_name(FLD_EXECUTION_TYPE),
				       exec_types);
			else if (distributed)
				ck_error_obj(c, x, "SCHEMA_VALIDATION_FAILED",
				             "The field 'ExecutionType' is required but "
				             "was missing: a DISTRIBUTED Map runs STANDARD "
				             "or EXPRESS child executions");
		}
	}
	for (const enum asl_field *f = distributed_only;
	     *f != FLD_COUNT && mode_known; f++) {
		const jmember *mb = mobj_member(model_obj(c->m, o), *f);
		if (mb && !distributed)
			ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
			             "The field '%s' is supported only by a Map state "
			             "whose ProcessorConfig Mode is DISTRIBUTED",
			             field_name(*f));
	}
	if ((x = model_get(c->m, o, FLD_ITEM_READER)))
		reader(c, x, jsonata);
	if ((x = model_get(c->m, o, FLD_ITEM_BATCHER)))
		batcher(c, x, jsonata);
	if ((x = model_get(c->m, o, FLD_RESULT_WRITER)))
		writer(c, x, jsonata);
	if ((x = model_get(c->m, o, FLD_LABEL)))
		label(c, x);
}

/* ------------------------------------------------------------ the state */

/* Each field of the state: known, allowed for its type and query
 * language, and its value of the field's kind. */
static void check_fields(checker *c, const mstate *s)
{
	const jnode *o = s->node;
	const char *tname = state_type_name(s->type);
	bool jsonata = s->jsonata;

	for (size_t k = 0; k < o->n; k++) {
		const jmember *mb = &o->members[k];
		int id = field_lookup(mb->key);
		const field_info *f = id >= 0 ? field_info_of(id) : NULL;
		if (!f || !f->states) {
			ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
			             "Field '%s' is not supported", mb->key);
		} else if (!(f->states & (1u << s->type))) {
			ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
			             "Field '%s' is not supported by a %s state",
			             mb->key, tname);
		} else if (!(f->ql & (jsonata ? QL_ATA : QL_PATH))) {
			ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
			             "Field '%s' is not supported when the "
			             "QueryLanguage is %s", mb->key,
			             jsonata ? "JSONata" : "JSONPath");
		} else if (f->kind != FK_SPECIAL) {
			/* $states.result: in a Task's, Map's, Parallel's own
			 * Output and Assign. */
			if ((f->kind == FK_ASSIGN || id == FLD_OUTPUT) &&
			    ((1u << s->type) & FS_RUNS))
				c->states_ok = ST_RESULT;
			check_value(c, mb->value, mb->key, f->kind, jsonata);
			c->states_ok = 0;
		}
	}
}

/* A state that goes on has Next or End, not both. */
static void next_or_end(checker *c, mstate *s)
{
	const jnode *o = s->node;
	const jnode *nx = mobj_get(s->obj, FLD_NEXT),
	            *v = mobj_get(s->obj, FLD_END);
	bool end = v && v->kind == J_TRUE;

	if (nx && end) {
		ck_error_key(c, ck_member_of(o, nx) > ck_member_of(o, v)
		             ? ck_member_of(o, nx) : ck_member_of(o, v),
		             "SCHEMA_VALIDATION_FAILED",
		             "The fields 'Next' and 'End' are mutually "
		             "exclusive");
	} else if (!nx && !end) {
		ck_error_obj(c, o, "SCHEMA_VALIDATION_FAILED",
		             "A %s state needs either 'Next' or \"End\": "
		             "true", state_type_name(s->type));
		c->m->scopes[s->scope].broken = true;
	} else if (nx) {
		ck_transition(c, s, nx, field_name(FLD_NEXT));
	}
}

void ck_state(checker *c, int i)
{
	mstate *s = &c->m->states[i];
	const jnode *o = s->node, *v, *q;
	bool jsonata = s->jsonata;

	/* A JSONPath state cannot be in a JSONata machine [AWS-rec]. */
	q = lookup_ql(s->obj);
	if (q && c->jsonata && !strcmp(q->str, "JSONPath"))
		ck_error(c, q, "SCHEMA_VALIDATION_FAILED",
		         "'QueryLanguage' can not be 'JSONPath' if set to "
		         "'JSONata' for whole state machine");
	check_fields(c, s);
	exclusive_pairs(c, s->obj);
	if ((1u << s->type) & FS_FLOW)
		next_or_end(c, s);

	if ((v = model_get(c->m, o, FLD_RETRY)))
		retry_list(c, v);
	if ((v = model_get(c->m, o, FLD_CATCH)))
		catch_list(c, s, v, jsonata);

	switch (s->type) {
	case ASL_TASK:
		task_state(c, o, jsonata);
		break;
	case ASL_WAIT:
		wait_state(c, o);
		break;
	case ASL_CHOICE:
		ck_choice(c, i, jsonata);
		break;
	case ASL_PARALLEL:
		parallel_state(c, o);
		break;
	case ASL_MAP:
		map_state(c, o, jsonata);
		break;
	default:
		break;
	}
}

void ck_bad_type(checker *c, const jnode *state)
{
	const jnode *t = model_get(c->m, state, FLD_TYPE);

	if (!t)
		ck_error_obj(c, state, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Type]");
	else
		ck_error(c, t, "SCHEMA_VALIDATION_FAILED",
		         "The field 'Type' should have one of these values: %s",
		         type_list);
}
