/*
 * check_state.c - the fields of the machine and of each state type
 * (as AWS checks them): which are accepted in which query
 * language, their values, the pairs that exclude each other, Retry and
 * Catch, Task resources, Map and Parallel.
 */
#include "check.h"
#include "keywords.h"
#include "integrations.h" /* runtime/: the optimized integrations */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TASK (1u << ASL_TASK)
#define PASS (1u << ASL_PASS)
#define CHOICE (1u << ASL_CHOICE)
#define WAIT (1u << ASL_WAIT)
#define SUCCEED (1u << ASL_SUCCEED)
#define FAIL (1u << ASL_FAIL)
#define PARALLEL (1u << ASL_PARALLEL)
#define MAP (1u << ASL_MAP)
#define ALL 0xFFu
#define FLOW (TASK | PASS | WAIT | PARALLEL | MAP) /* Next or End */

#define MAX_SECONDS 99999999LL
#define EXPRESS_SECONDS 300     /* an EXPRESS execution runs 5 minutes */

enum fkind {
	F_SPECIAL,     /* checked by the state's own code */
	F_STRING,
	F_BOOL,
	F_NAME,        /* a state name: a transition */
	F_PATH,        /* Path or null */
	F_REF,         /* Reference Path */
	F_RESULT,      /* ResultPath: Reference Path into the input, or null */
	F_TEMPLATE,    /* payload template (JSONPath) */
	F_JSONATA,     /* any JSON, "{% %}" strings are expressions */
	F_ASSIGN,
	F_RESULTVAL,   /* Pass's Result */
	F_POSINT,      /* 1..99999999 */
	F_NONNEG,      /* 0..99999999 */
	F_PERCENT,     /* 0..100 */
	F_TIMESTAMP,
	F_ERRSTR,      /* Fail's Error and Cause */
	F_STREXPR,     /* Fail's ErrorPath and CausePath */
	F_QL           /* QueryLanguage */
};

typedef struct fspec {
	const char *name;
	unsigned states;
	unsigned char ql;
	unsigned char kind;
} fspec;

static const fspec state_fields[] = {
	{ "Type", ALL, QL_BOTH, F_SPECIAL },
	{ "Comment", ALL, QL_BOTH, F_STRING },
	{ "QueryLanguage", ALL, QL_BOTH, F_QL },
	{ "Next", FLOW, QL_BOTH, F_NAME },
	{ "End", FLOW, QL_BOTH, F_BOOL },
	{ "InputPath", ALL & ~FAIL, QL_PATH, F_PATH },
	{ "OutputPath", ALL & ~FAIL, QL_PATH, F_PATH },
	{ "Parameters", TASK | PASS | PARALLEL | MAP, QL_PATH, F_TEMPLATE },
	{ "ResultSelector", TASK | PARALLEL | MAP, QL_PATH, F_TEMPLATE },
	{ "ResultPath", TASK | PASS | PARALLEL | MAP, QL_PATH, F_RESULT },
	{ "Retry", TASK | PARALLEL | MAP, QL_BOTH, F_SPECIAL },
	{ "Catch", TASK | PARALLEL | MAP, QL_BOTH, F_SPECIAL },
	{ "Assign", ALL & ~(SUCCEED | FAIL), QL_BOTH, F_ASSIGN },
	{ "Output", ALL & ~FAIL, QL_ATA, F_JSONATA },
	{ "Arguments", TASK | PARALLEL, QL_ATA, F_JSONATA },
	{ "Resource", TASK, QL_BOTH, F_SPECIAL },
	{ "TimeoutSeconds", TASK, QL_BOTH, F_POSINT },
	{ "TimeoutSecondsPath", TASK, QL_PATH, F_REF },
	{ "HeartbeatSeconds", TASK, QL_BOTH, F_POSINT },
	{ "HeartbeatSecondsPath", TASK, QL_PATH, F_REF },
	{ "Credentials", TASK, QL_BOTH, F_SPECIAL },
	{ "Result", PASS, QL_PATH, F_RESULTVAL },
	{ "Choices", CHOICE, QL_BOTH, F_SPECIAL },
	{ "Default", CHOICE, QL_BOTH, F_NAME },
	{ "Seconds", WAIT, QL_BOTH, F_NONNEG },
	{ "SecondsPath", WAIT, QL_PATH, F_REF },
	{ "Timestamp", WAIT, QL_BOTH, F_TIMESTAMP },
	{ "TimestampPath", WAIT, QL_PATH, F_REF },
	{ "Error", FAIL, QL_BOTH, F_ERRSTR },
	{ "ErrorPath", FAIL, QL_PATH, F_STREXPR },
	{ "Cause", FAIL, QL_BOTH, F_ERRSTR },
	{ "CausePath", FAIL, QL_PATH, F_STREXPR },
	{ "Branches", PARALLEL, QL_BOTH, F_SPECIAL },
	{ "ItemProcessor", MAP, QL_BOTH, F_SPECIAL },
	{ "Iterator", MAP, QL_BOTH, F_SPECIAL },
	{ "ItemsPath", MAP, QL_PATH, F_REF },
	{ "Items", MAP, QL_ATA, F_JSONATA },
	{ "ItemSelector", MAP, QL_BOTH, F_TEMPLATE },
	{ "MaxConcurrency", MAP, QL_BOTH, F_NONNEG },
	{ "MaxConcurrencyPath", MAP, QL_PATH, F_REF },
	{ "ItemReader", MAP, QL_BOTH, F_SPECIAL },
	{ "ItemBatcher", MAP, QL_BOTH, F_SPECIAL },
	{ "ResultWriter", MAP, QL_BOTH, F_SPECIAL },
	{ "ToleratedFailurePercentage", MAP, QL_BOTH, F_PERCENT },
	{ "ToleratedFailurePercentagePath", MAP, QL_PATH, F_REF },
	{ "ToleratedFailureCount", MAP, QL_BOTH, F_NONNEG },
	{ "ToleratedFailureCountPath", MAP, QL_PATH, F_REF },
	{ "Label", MAP, QL_BOTH, F_SPECIAL },
	{ NULL, 0, 0, 0 }
};

/* Fields that exclude each other, in any state. */
static const char *const exclusive[][2] = {
	{ "TimeoutSeconds", "TimeoutSecondsPath" },
	{ "HeartbeatSeconds", "HeartbeatSecondsPath" },
	{ "Error", "ErrorPath" },
	{ "Cause", "CausePath" },
	{ "MaxConcurrency", "MaxConcurrencyPath" },
	{ "ToleratedFailurePercentage", "ToleratedFailurePercentagePath" },
	{ "ToleratedFailureCount", "ToleratedFailureCountPath" },
	{ "ItemProcessor", "Iterator" },
	{ "ItemSelector", "Parameters" },
	{ "MaxItemsPerBatch", "MaxItemsPerBatchPath" },
	{ "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath" },
	{ "MaxItems", "MaxItemsPath" },
	{ NULL, NULL }
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

static const fspec *spec_of(const char *name)
{
	for (const fspec *f = state_fields; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

void ck_fields(checker *c, const jnode *obj, const char *const *known,
               const char *what)
{
	for (size_t i = 0; i < obj->n; i++)
		if (!in_list(known, obj->members[i].key))
			ck_error_key(c, &obj->members[i], "SCHEMA_VALIDATION_FAILED",
			             "Field '%s' is not supported in %s",
			             obj->members[i].key, what);
}

/* Both of a pair given: the later one is reported. */
static void exclusive_pairs(checker *c, const jnode *o)
{
	for (size_t k = 0; exclusive[k][0]; k++) {
		const jmember *a = jobject_member(o, exclusive[k][0]),
		              *b = jobject_member(o, exclusive[k][1]);
		if (a && b)
			ck_error_key(c, a > b ? a : b, "SCHEMA_VALIDATION_FAILED",
			             "The fields '%s' and '%s' are mutually exclusive",
			             exclusive[k][0], exclusive[k][1]);
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

static void check_value(checker *c, const jnode *v, const char *field,
                        int kind, bool jsonata)
{
	/* JSONata states may compute most values. */
	if (jsonata && ck_is_jsonata(v) && kind != F_NAME && kind != F_QL &&
	    kind != F_BOOL && kind != F_STRING) {
		ck_jsonata(c, v, field);
		return;
	}
	switch (kind) {
	case F_STRING:
		want(c, v, field, J_STRING);
		break;
	case F_BOOL:
		want(c, v, field, J_TRUE);
		break;
	case F_NAME:
		want(c, v, field, J_STRING);
		break;
	case F_PATH:
		if (v->kind != J_NULL)
			ck_path(c, v, field, PK_PATH);
		break;
	case F_REF:
		ck_path(c, v, field, PK_REFERENCE);
		break;
	case F_RESULT:
		if (v->kind != J_NULL)
			ck_path(c, v, field, PK_RESULT);
		break;
	case F_TEMPLATE:
		if (jsonata)
			ck_jsonata(c, v, field);
		else
			ck_template(c, v);
		break;
	case F_JSONATA:
		ck_jsonata(c, v, field);
		break;
	case F_ASSIGN:
		ck_assign(c, v, jsonata);
		break;
	case F_RESULTVAL:
		ck_static_result(c, v);
		break;
	case F_POSINT:
		integer(c, v, field, 1, MAX_SECONDS);
		break;
	case F_NONNEG:
		integer(c, v, field, 0, MAX_SECONDS);
		break;
	case F_PERCENT:
		number(c, v, field, 0, 100);
		break;
	case F_TIMESTAMP:
		if (want(c, v, field, J_STRING) && !ck_rfc3339(v->str)) {
			if (ck_looks_like_path(v->str))
				ck_warning(c, v, "missing-path", "NO_PATH",
				           "The value of the field '%s' looks like a "
				           "path: did you mean '%sPath'?", field, field);
			ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
			         "String does not match RFC3339 timestamp");
		}
		break;
	case F_ERRSTR:
		if (want(c, v, field, J_STRING) && !jsonata &&
		    ck_looks_like_path(v->str))
			ck_warning(c, v, "missing-path", "NO_PATH",
			           "The value of the field '%s' looks like a path, "
			           "but it is a plain string: did you mean '%sPath'?",
			           field, field);
		break;
	case F_STREXPR:
		ck_string_expr(c, v, field);
		break;
	case F_QL: {
		static const char *const ql[] = { "JSONPath", "JSONata", NULL };
		one_of(c, v, field, ql);
		break;
	}
	default:
		break;
	}
}

/* ------------------------------------------------------------- the top */

static const jnode *lookup_ql(const jnode *o)
{
	const jnode *q = jobject_get(o, "QueryLanguage");
	return q && q->kind == J_STRING ? q : NULL;
}

bool ck_state_jsonata(checker *c, const jnode *state)
{
	const jnode *q = lookup_ql(state);
	return q ? !strcmp(q->str, "JSONata") : c->jsonata;
}

void ck_top(checker *c)
{
	static const char *const top[] = {
		"StartAt", "States", "Comment", "Version", "TimeoutSeconds",
		"QueryLanguage", NULL
	};
	const jnode *root = c->m->root, *v;

	ck_fields(c, root, top, "a state machine");
	if ((v = jobject_get(root, "Comment")))
		want(c, v, "Comment", J_STRING);
	if ((v = jobject_get(root, "Version")))
		want(c, v, "Version", J_STRING);
	if ((v = jobject_get(root, "TimeoutSeconds")) &&
	    integer(c, v, "TimeoutSeconds", 1, MAX_SECONDS) && c->express &&
	    strtoll(v->str, NULL, 10) > EXPRESS_SECONDS)
		ck_error(c, v, "SCHEMA_VALIDATION_FAILED",
		         "The value of the field 'TimeoutSeconds' must be at most "
		         "%d for an Express state machine (5 minutes)",
		         EXPRESS_SECONDS);
	if ((v = jobject_get(root, "QueryLanguage")))
		check_value(c, v, "QueryLanguage", F_QL, false);
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
	const jnode *e = jobject_get(rule, "ErrorEquals");

	if (!e) {
		ck_error_obj(c, rule, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [ErrorEquals]");
		return;
	}
	if (!want(c, e, "ErrorEquals", J_ARRAY))
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
	static const char *const known[] = {
		"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
		"MaxDelaySeconds", "JitterStrategy", "Comment", NULL
	};
	static const char *const jitter[] = { "FULL", "NONE", NULL };

	if (!want(c, v, "Retry", J_ARRAY))
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
		if ((x = jobject_get(r, "IntervalSeconds")))
			integer(c, x, "IntervalSeconds", 1, MAX_SECONDS);
		if ((x = jobject_get(r, "MaxAttempts")))
			integer(c, x, "MaxAttempts", 0, MAX_SECONDS);
		if ((x = jobject_get(r, "BackoffRate")))
			number(c, x, "BackoffRate", 1.0, HUGE_VAL);
		if ((x = jobject_get(r, "MaxDelaySeconds")))
			integer(c, x, "MaxDelaySeconds", 1, 31622400);
		if ((x = jobject_get(r, "JitterStrategy")))
			one_of(c, x, "JitterStrategy", jitter);
		if ((x = jobject_get(r, "Comment")))
			want(c, x, "Comment", J_STRING);
	}
}

static void catch_list(checker *c, const mstate *s, const jnode *v,
                       bool jsonata)
{
	static const char *const path_fields[] = {
		"ErrorEquals", "Next", "ResultPath", "Assign", "Comment", NULL
	};
	static const char *const ata_fields[] = {
		"ErrorEquals", "Next", "Output", "Assign", "Comment", NULL
	};

	if (!want(c, v, "Catch", J_ARRAY)) {
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
		if (!(x = jobject_get(r, "Next"))) {
			ck_error_obj(c, r, "SCHEMA_VALIDATION_FAILED",
			             "These fields are required: [ErrorEquals, Next]");
			c->m->scopes[s->scope].broken = true;
		} else if (want(c, x, "Next", J_STRING)) {
			ck_transition(c, s, x, "Next");
		} else {
			c->m->scopes[s->scope].broken = true;
		}
		if ((x = jobject_get(r, "ResultPath")) && !jsonata &&
		    x->kind != J_NULL)
			ck_path(c, x, "ResultPath", PK_RESULT);
		c->states_ok = ST_ERROR;   /* $states.errorOutput */
		if ((x = jobject_get(r, "Assign")))
			ck_assign(c, x, jsonata);
		if ((x = jobject_get(r, "Output")) && jsonata)
			ck_jsonata(c, x, "Output");
		c->states_ok = 0;
		if ((x = jobject_get(r, "Comment")))
			want(c, x, "Comment", J_STRING);
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

	if (!want(c, v, "Resource", J_STRING))
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
	const jnode *v, *t = jobject_get(o, "TimeoutSeconds"),
	            *h = jobject_get(o, "HeartbeatSeconds");

	if (!(v = jobject_get(o, "Resource")))
		ck_error_obj(c, o, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Resource]");
	else
		resource(c, v);
	if (t && h && jnode_is_integer(t) && jnode_is_integer(h) &&
	    strtoll(h->str, NULL, 10) >= strtoll(t->str, NULL, 10) &&
	    strtoll(h->str, NULL, 10) > 0)
		ck_error(c, h, "SCHEMA_VALIDATION_FAILED",
		         "HeartbeatSeconds must be smaller than TimeoutSeconds");
	if ((v = jobject_get(o, "Credentials"))) {
		static const char *const path_fields[] = {
			"RoleArn", "RoleArn.$", NULL
		};
		static const char *const ata_fields[] = { "RoleArn", NULL };
		const jnode *a, *b;
		if (!want(c, v, "Credentials", J_OBJECT))
			return;
		ck_fields(c, v, jsonata ? ata_fields : path_fields, "Credentials");
		a = jobject_get(v, "RoleArn");
		b = jsonata ? NULL : jobject_get(v, "RoleArn.$");
		/* Both: ck_template() reports the key given twice. */
		if (!a && !b)
			ck_error_obj(c, v, "SCHEMA_VALIDATION_FAILED",
			             "The field 'RoleArn' is required but was missing");
		if (a && want(c, a, "RoleArn", J_STRING) && jsonata)
			ck_jsonata(c, a, "RoleArn");
		if (b)
			ck_template(c, v);
	}
}

/* ------------------------------------------------------------------ Wait */

static void wait_state(checker *c, const jnode *o)
{
	static const char *const four[] = {
		"Seconds", "SecondsPath", "Timestamp", "TimestampPath", NULL
	};
	const jmember *first = NULL;

	for (const char *const *f = four; *f; f++) {
		const jmember *mb = jobject_member(o, *f);
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

static const char *const scope_fields[] = {
	"StartAt", "States", "Comment", NULL
};

static void parallel_state(checker *c, const jnode *o)
{
	const jnode *b = jobject_get(o, "Branches");

	if (!b) {
		ck_error_obj(c, o, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Branches]");
		return;
	}
	if (!want(c, b, "Branches", J_ARRAY))
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
	if (!want(c, v, "Label", J_STRING))
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
	static const char *const path_fields[] = {
		"Resource", "Parameters", "ReaderConfig", NULL
	};
	static const char *const ata_fields[] = {
		"Resource", "Arguments", "ReaderConfig", NULL
	};
	static const char *const config_fields[] = {
		"InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter",
		"MaxItems", "MaxItemsPath", "ManifestType", "Transformation",
		"ItemsPointer", NULL
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

	if (!want(c, v, "ItemReader", J_OBJECT))
		return;
	ck_fields(c, v, jsonata ? ata_fields : path_fields, "an ItemReader");
	if (!(x = jobject_get(v, "Resource")))
		ck_error_obj(c, v, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Resource]");
	else if (want(c, x, "Resource", J_STRING) &&
	         strcmp(x->str, "arn:aws:states:::s3:getObject") &&
	         strcmp(x->str, "arn:aws:states:::s3:listObjectsV2"))
		ck_error(c, x, "SCHEMA_VALIDATION_FAILED",
		         "The resource provided %s is not recognized. An "
		         "ItemReader reads with arn:aws:states:::s3:getObject or "
		         "arn:aws:states:::s3:listObjectsV2.", x->str);
	if ((x = jobject_get(v, "Parameters")) && !jsonata)
		ck_template(c, x);
	if ((x = jobject_get(v, "Arguments")) && jsonata)
		ck_jsonata(c, x, "Arguments");
	if (!(cfg = jobject_get(v, "ReaderConfig")) ||
	    !want(c, cfg, "ReaderConfig", J_OBJECT))
		return;
	ck_fields(c, cfg, config_fields, "a ReaderConfig");
	exclusive_pairs(c, cfg);
	if ((x = jobject_get(cfg, "InputType")))
		one_of(c, x, "InputType", input_types);
	if ((x = jobject_get(cfg, "CSVHeaderLocation")) &&
	    one_of(c, x, "CSVHeaderLocation", header_locations) &&
	    !strcmp(x->str, "GIVEN") && !jobject_get(cfg, "CSVHeaders"))
		ck_error(c, x, "SCHEMA_VALIDATION_FAILED",
		         "CSVHeaderLocation GIVEN needs the field 'CSVHeaders'");
	if ((x = jobject_get(cfg, "CSVHeaders")) &&
	    want(c, x, "CSVHeaders", J_ARRAY))
		for (size_t i = 0; i < x->n; i++)
			want(c, x->items[i], "CSVHeaders", J_STRING);
	if ((x = jobject_get(cfg, "CSVDelimiter")))
		one_of(c, x, "CSVDelimiter", delimiters);
	if ((x = jobject_get(cfg, "MaxItems")) &&
	    !(jsonata && ck_is_jsonata(x)))
		integer(c, x, "MaxItems", 1, 100000000);
	if ((x = jobject_get(cfg, "MaxItemsPath")))
		ck_path(c, x, "MaxItemsPath", PK_REFERENCE);
	if ((x = jobject_get(cfg, "ManifestType")))
		one_of(c, x, "ManifestType", manifests);
	if ((x = jobject_get(cfg, "Transformation")))
		one_of(c, x, "Transformation", transformations);
	if ((x = jobject_get(cfg, "ItemsPointer")))
		want(c, x, "ItemsPointer", J_STRING);
}

static void batcher(checker *c, const jnode *v, bool jsonata)
{
	static const char *const fields[] = {
		"MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch",
		"MaxInputBytesPerBatchPath", "BatchInput", NULL
	};
	const jnode *x;

	if (!want(c, v, "ItemBatcher", J_OBJECT))
		return;
	ck_fields(c, v, fields, "an ItemBatcher");
	exclusive_pairs(c, v);
	if (!jobject_get(v, "MaxItemsPerBatch") &&
	    !jobject_get(v, "MaxItemsPerBatchPath") &&
	    !jobject_get(v, "MaxInputBytesPerBatch") &&
	    !jobject_get(v, "MaxInputBytesPerBatchPath"))
		ck_error_obj(c, v, "SCHEMA_VALIDATION_FAILED",
		             "An ItemBatcher needs at least one of the fields "
		             "'MaxItemsPerBatch', 'MaxItemsPerBatchPath', "
		             "'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'");
	if ((x = jobject_get(v, "MaxItemsPerBatch")) &&
	    !(jsonata && ck_is_jsonata(x)))
		integer(c, x, "MaxItemsPerBatch", 1, MAX_SECONDS);
	if ((x = jobject_get(v, "MaxInputBytesPerBatch")) &&
	    !(jsonata && ck_is_jsonata(x)))
		integer(c, x, "MaxInputBytesPerBatch", 1, 262144);
	if ((x = jobject_get(v, "MaxItemsPerBatchPath")))
		ck_path(c, x, "MaxItemsPerBatchPath", PK_REFERENCE);
	if ((x = jobject_get(v, "MaxInputBytesPerBatchPath")))
		ck_path(c, x, "MaxInputBytesPerBatchPath", PK_REFERENCE);
	if ((x = jobject_get(v, "BatchInput"))) {
		if (jsonata)
			ck_jsonata(c, x, "BatchInput");
		else
			ck_template(c, x);
	}
}

static void writer(checker *c, const jnode *v, bool jsonata)
{
	static const char *const path_fields[] = {
		"Resource", "Parameters", "WriterConfig", NULL
	};
	static const char *const ata_fields[] = {
		"Resource", "Arguments", "WriterConfig", NULL
	};
	const jnode *x;

	if (!want(c, v, "ResultWriter", J_OBJECT))
		return;
	ck_fields(c, v, jsonata ? ata_fields : path_fields, "a ResultWriter");
	if (!(x = jobject_get(v, "Resource"))) {
		if (!jobject_get(v, "WriterConfig"))
			ck_error_obj(c, v, "SCHEMA_VALIDATION_FAILED",
			             "These fields are required: [Resource]");
	} else if (want(c, x, "Resource", J_STRING) &&
	           strcmp(x->str, "arn:aws:states:::s3:putObject")) {
		ck_error(c, x, "SCHEMA_VALIDATION_FAILED",
		         "The resource provided %s is not recognized. A "
		         "ResultWriter writes with arn:aws:states:::s3:putObject.",
		         x->str);
	}
	if ((x = jobject_get(v, "Parameters")) && !jsonata)
		ck_template(c, x);
	if ((x = jobject_get(v, "Arguments")) && jsonata)
		ck_jsonata(c, x, "Arguments");
	if ((x = jobject_get(v, "WriterConfig")))
		want(c, x, "WriterConfig", J_OBJECT);
}

static void map_state(checker *c, const jnode *o, bool jsonata)
{
	static const char *const distributed_only[] = {
		"ItemReader", "ItemBatcher", "ResultWriter",
		"ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
		"ToleratedFailureCount", "ToleratedFailureCountPath", "Label", NULL
	};
	static const char *const processor_fields[] = {
		"ProcessorConfig", "StartAt", "States", "Comment", NULL
	};
	static const char *const config_fields[] = {
		"Mode", "ExecutionType", NULL
	};
	static const char *const modes[] = { "INLINE", "DISTRIBUTED", NULL };
	static const char *const exec_types[] = { "STANDARD", "EXPRESS", NULL };
	const char *field;
	const jnode *it = model_map_processor(o, &field), *x;
	bool distributed = false, mode_known = true;

	if (!it) {
		ck_error_obj(c, o, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [ItemProcessor]");
	} else if (want(c, it, field, J_OBJECT)) {
		ck_fields(c, it, processor_fields, strcmp(field, "Iterator")
		          ? "an ItemProcessor" : "an Iterator");
		if ((x = jobject_get(it, "ProcessorConfig")) &&
		    want(c, x, "ProcessorConfig", J_OBJECT)) {
			const jnode *mode = jobject_get(x, "Mode"),
			            *et = jobject_get(x, "ExecutionType");
			ck_fields(c, x, config_fields, "a ProcessorConfig");
			if (mode && one_of(c, mode, "Mode", modes))
				distributed = !strcmp(mode->str, "DISTRIBUTED");
			else if (mode)
				mode_known = false;
			if (distributed && c->express)
				ck_error(c, mode, "SCHEMA_VALIDATION_FAILED",
				         "Express state machine does not support "
				         "Distributed Map");
			if (et)
				one_of(c, et, "ExecutionType", exec_types);
			else if (distributed)
				ck_error_obj(c, x, "SCHEMA_VALIDATION_FAILED",
				             "The field 'ExecutionType' is required but "
				             "was missing: a DISTRIBUTED Map runs STANDARD "
				             "or EXPRESS child executions");
		}
	}
	for (const char *const *f = distributed_only; *f && mode_known; f++) {
		const jmember *mb = jobject_member(o, *f);
		if (mb && !distributed)
			ck_error_key(c, mb, "SCHEMA_VALIDATION_FAILED",
			             "The field '%s' is supported only by a Map state "
			             "whose ProcessorConfig Mode is DISTRIBUTED", *f);
	}
	if ((x = jobject_get(o, "ItemReader")))
		reader(c, x, jsonata);
	if ((x = jobject_get(o, "ItemBatcher")))
		batcher(c, x, jsonata);
	if ((x = jobject_get(o, "ResultWriter")))
		writer(c, x, jsonata);
	if ((x = jobject_get(o, "Label")))
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
		const fspec *f = spec_of(mb->key);
		if (!f) {
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
		} else if (f->kind != F_SPECIAL) {
			/* $states.result: in a Task's, Map's, Parallel's own
			 * Output and Assign. */
			if ((f->kind == F_ASSIGN || !strcmp(mb->key, "Output")) &&
			    ((1u << s->type) & (TASK | MAP | PARALLEL)))
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
	const jnode *nx = jobject_get(o, "Next"), *v = jobject_get(o, "End");
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
		ck_transition(c, s, nx, "Next");
	}
}

void ck_state(checker *c, int i)
{
	mstate *s = &c->m->states[i];
	const jnode *o = s->node, *v, *q;
	bool jsonata = s->jsonata;

	/* A JSONPath state cannot be in a JSONata machine [AWS-rec]. */
	q = lookup_ql(o);
	if (q && c->jsonata && !strcmp(q->str, "JSONPath"))
		ck_error(c, q, "SCHEMA_VALIDATION_FAILED",
		         "'QueryLanguage' can not be 'JSONPath' if set to "
		         "'JSONata' for whole state machine");
	check_fields(c, s);
	exclusive_pairs(c, o);
	if ((1u << s->type) & FLOW)
		next_or_end(c, s);

	if ((v = jobject_get(o, "Retry")))
		retry_list(c, v);
	if ((v = jobject_get(o, "Catch")))
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
	const jnode *t = jobject_get(state, "Type");

	if (!t)
		ck_error_obj(c, state, "SCHEMA_VALIDATION_FAILED",
		             "These fields are required: [Type]");
	else
		ck_error(c, t, "SCHEMA_VALIDATION_FAILED",
		         "The field 'Type' should have one of these values: %s",
		         type_list);
}
