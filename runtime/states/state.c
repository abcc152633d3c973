/*
 * state.c - what every state does with its input and output, Retry and
 * Catch, and the executors of Task, Pass, Wait, Succeed and Fail.
 *
 * The order is AWS's: InputPath, Parameters, the work, ResultSelector,
 * ResultPath, OutputPath (see doc/semantics.md).
 */
#include "internal.h"
#include "rfc3339.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Select with a Path field (InputPath, OutputPath); NULL after raising. */
static json_t *select_path(asl_ctx *c, const asl_path *p, bool is_null,
                           json_t *doc)
{
	json_t *out;

	if (is_null)
		return json_object();
	if (!p)
		return json_incref(doc);
	if (!asl_path_need(c, p, doc, &out))
		return NULL;
	return out;
}

/* InputPath then Parameters: the effective input.  inspect: record both
 * steps (--inspect). */
static json_t *effective_input(asl_ctx *c, const asl_state *s, json_t *raw,
                               bool with_parameters, bool inspect)
{
	json_t *in = select_path(c, s->input_path, s->input_null, raw), *eff;

	if (inspect)
		asl_inspect(c, "afterInputPath", in);
	if (!in || !with_parameters || !s->parameters) {
		if (inspect)
			asl_inspect(c, "afterParameters", in);
		return in;
	}
	eff = asl_eval(c, s->parameters, in, "Parameters");
	json_decref(in);
	if (inspect)
		asl_inspect(c, "afterParameters", eff);
	return eff;
}

/* An evaluated Assign, not yet stored.  An object template of up to
 * VARS_DIRECT members keeps its members' values (members[i] in v[i]),
 * stored straight into the variables: no object of them built, hashed
 * and merged.  Any other Assign is its value, an object, in whole. */
#define VARS_DIRECT 8
typedef struct vars {
	const asl_value *a; /* NULL: no Assign, or not evaluated */
	json_t *whole;
	json_t *v[VARS_DIRECT];
} vars;

static void drop_vars(vars *p)
{
	if (p->a && !p->whole)
		for (unsigned i = 0; i < p->a->count; i++)
			json_decref(p->v[i]);
	json_decref(p->whole);
	p->a = NULL;
	p->whole = NULL;
}

/* Evaluate Assign a with $ = doc into *p; false after raising.  Every
 * value is evaluated before any is stored: they all read the variables
 * as they were when the state was entered. */
static bool eval_vars(asl_ctx *c, const asl_value *a, json_t *doc, vars *p)
{
	p->a = NULL;
	p->whole = NULL;
	if (a->kind != ASL_V_OBJECT || a->count > VARS_DIRECT) {
		if (!(p->whole = asl_eval(c, a, doc, "Assign")))
			return false;
		p->a = a;
		return true;
	}
	for (unsigned i = 0; i < a->count; i++) {
		const asl_member *m = &a->members[i];
		if (!(p->v[i] = asl_eval(c, &m->value, doc, m->field))) {
			while (i--)
				json_decref(p->v[i]);
			return false;
		}
	}
	p->a = a;
	return true;
}

/* Store the variables of an evaluated Assign (consumed). */
static void commit_vars(asl_ctx *c, vars *p)
{
	if (!p->a)
		return;
	if (!c->vars)
		c->vars = json_object();
	if (p->whole) {
		json_object_update(c->vars, p->whole);
		json_decref(p->whole);
	} else {
		/* The keys are the definition's, valid UTF-8: set as a
		 * template sets them, in order (a key given twice keeps the
		 * later value, as the object of them did). */
		for (unsigned i = 0; i < p->a->count; i++)
			json_object_set_new_nocheck(c->vars, p->a->members[i].key,
			                            p->v[i]);
	}
	p->a = NULL;
	p->whole = NULL;
	asl_inspect(c, "variables", c->vars);
}

/* Evaluate Assign with $ = doc, then store the variables. */
static int assign(asl_ctx *c, const asl_value *a, json_t *doc)
{
	vars vals;

	if (!a)
		return 0;
	if (!eval_vars(c, a, doc, &vals))
		return -1;
	commit_vars(c, &vals);
	return 0;
}

/* States.DataLimitExceeded when v is over the payload limit (256 KiB of
 * JSON, unless --no-payload-limit).  who: the task's resource or the
 * state's name, as AWS names it. */
static bool too_big(asl_ctx *c, const json_t *v, const char *who)
{
	if (!c->x->payload_limit || !v ||
	    asl_json_size(v, c->x->payload_limit) <= c->x->payload_limit)
		return false;
	asl_raise(c, ASL_ERR(DATA_LIMIT_EXCEEDED), "The state/task '%s' returned "
	          "a result with a size exceeding the maximum number of bytes "
	          "service limit.", who);
	return true;
}

/* Assign's values (*vals; vals->a NULL without an Assign) and
 * ResultSelector's result, which replaces *result.  A lambda:invoke
 * response built lazily (its Payload alone: lambda.c) is built whole and
 * both evaluated again when either fails, with the generator as it was:
 * the error's message prints the whole response, and the run stays as it
 * would have been. */
static int select_result(asl_ctx *c, const asl_state *s, json_t **result,
                         vars *vals)
{
	uint64_t rng = c->rng;
	json_t *sel = NULL;

	for (;;) {
		bool lazy = c->lazy.pending;
		vals->a = NULL;
		vals->whole = NULL;
		if ((!s->assign || eval_vars(c, s->assign, *result, vals)) &&
		    (!s->result_selector ||
		     (sel = asl_eval(c, s->result_selector, *result,
		                     "ResultSelector")))) {
			c->lazy.pending = false;
			if (sel) {
				json_decref(*result);
				*result = sel;
			}
			return 0;
		}
		drop_vars(vals);
		if (!lazy)
			return -1;
		json_t *whole = asl_whole_response(c, *result);
		json_decref(*result);
		*result = whole;
		c->rng = rng;
		asl_clear_error(c);
	}
}

/* VALUE placed into RAW by ResultPath (PATH; NULL: $, the value itself;
 * NULLED: "ResultPath": null, RAW unchanged): a new reference, or NULL
 * after raising States.ResultPathMatchFailure. */
static json_t *place_result(asl_ctx *c, const asl_path *path, bool nulled,
                            json_t *raw, json_t *value)
{
	json_t *out;

	if (nulled)
		return json_incref(raw);
	if (!path)
		return json_incref(value);
	if (asl_path_set(path, raw, value, &out) < 0) {
		char *d = asl_dump(raw);
		asl_raise(c, ASL_ERR(RESULT_PATH_MATCH_FAILURE),
		          "Unable to apply ReferencePath %s to input %s",
		          path->text, d);
		free(d);
		return NULL;
	}
	return out;
}

/* ResultSelector, ResultPath, OutputPath.  Consumes result; measured:
 * its size was checked already. */
static json_t *process_result(asl_ctx *c, const asl_state *s, json_t *raw,
                              json_t *result, bool measured, bool is_result)
{
	json_t *merged, *out;
	vars vals;
	/* Held, so that the comparison below cannot meet a new value at the
	 * same address. */
	json_t *checked = measured ? json_incref(result) : NULL;

	/* Assign reads $ = the raw result and the variables as they were on
	 * entry (ResultSelector too): evaluated now, stored at the end, and
	 * only when the state succeeds. */
	if (is_result)
		asl_inspect(c, "result", result);
	if (select_result(c, s, &result, &vals) < 0) {
		json_decref(result);
		json_decref(checked);
		return NULL;
	}
	if (!(merged = place_result(c, s->result_path, s->result_null, raw,
	                            result))) {
		json_decref(result);
		drop_vars(&vals);
		json_decref(checked);
		return NULL;
	}
	asl_inspect(c, "afterResultSelector", result);
	asl_inspect(c, "afterResultPath", merged);
	json_decref(result);
	out = select_path(c, s->output_path, s->output_null, merged);
	json_decref(merged);
	/* An output that is the state's input, or its measured result, was
	 * measured already. */
	if (out && out != raw && out != checked && too_big(c, out, s->name)) {
		json_decref(out);
		out = NULL;
	}
	json_decref(checked);
	if (!out) {
		drop_vars(&vals);
		return NULL;
	}
	commit_vars(c, &vals);
	return out;
}

/* The catcher's output: the error output placed into the raw input. */
static json_t *catch_output(asl_ctx *c, const asl_catcher *k, json_t *raw)
{
	/* An error given as none (SendTaskFailure without one) is null, as
	 * AWS gives it (localstack#10750). */
	json_t *err = json_pack("{s:o, s:s}", "Error",
	                        c->error && *c->error ? json_string(c->error)
	                                              : json_null(),
	                        "Cause", c->cause ? c->cause : "");
	json_t *out = NULL;

	if (assign(c, k->assign, err) < 0) {
		json_decref(err);
		return NULL;
	}
	out = place_result(c, k->result_path, k->result_null, raw, err);
	json_decref(err);
	return out;
}

static long long retry_delay_ms(asl_ctx *c, const asl_retrier *r,
                                long attempt)
{
	double d = r->interval * pow(r->backoff, (double)attempt);

	/* Saturated: Interval x Backoff^n can pass any clock (or be inf). */
	if (!(d <= ASL_RETRY_MAX_S))
		d = ASL_RETRY_MAX_S;
	if (r->max_delay > 0 && d > r->max_delay)
		d = r->max_delay;
	if (r->jitter_full)
		d = d * (double)(asl_random(c) >> 11) / 9007199254740992.0;
	return (long long)(d * 1000.0 + 0.5);
}

typedef int (*work_fn)(asl_ctx *c, const asl_state *s, json_t *eff,
                       json_t **result);

/* Run a state that may retry and catch: Task, Parallel, Map. */
static int run_with_retry(asl_ctx *c, const asl_state *s, json_t **io,
                          work_fn work, bool with_parameters)
{
	json_t *raw = *io, *eff, *result, *out;
	long counts[32] = {0};
	unsigned n_retry = s->n_retry < 32 ? s->n_retry : 32;

	asl_enter_state(c, s);
	asl_inspect(c, "input", raw);
	for (;;) {
		asl_task_attempt(c, s); /* $$.Task.Token: a new one each attempt */
		if (!(eff = effective_input(c, s, raw, with_parameters, true)))
			return ASL_ERROR;
		result = NULL;
		int rc = work(c, s, eff, &result);
		json_decref(eff);
		/* A lazy lambda:invoke response was measured (lambda.c). */
		if (rc == ASL_OK && !c->lazy.pending &&
		    too_big(c, result, s->type == ASL_TASK ?
		                            s->resource : s->name)) {
			json_decref(result);
			rc = ASL_ERROR;
		}
		if (rc == ASL_OK &&
		    (out = process_result(c, s, raw, result, true, true))) {
			json_decref(raw);
			*io = out;
			return ASL_OK;
		}
		if (asl_error_is_uncatchable(c->error) ||
		    atomic_load(&c->x->timed_out) || atomic_load(&c->x->aborted) ||
		    asl_cancelled(c)) /* stopped: a sibling failed */
			return ASL_ERROR;

		unsigned k;
		for (k = 0; k < n_retry; k++)
			if (asl_error_matches(c->error, s->retry[k].errors,
			                      s->retry[k].n_errors))
				break;
		if (k < n_retry && counts[k] < s->retry[k].max_attempts) {
			long long ms = retry_delay_ms(c, &s->retry[k], counts[k]);
			counts[k]++;
			c->retry_count++;
			if (!asl_sleep_ms(c, ms))
				return ASL_ERROR;
			asl_clear_error(c);
			continue;
		}
		for (k = 0; k < s->n_catch; k++) {
			const asl_catcher *ct = &s->catchers[k];
			if (!asl_error_matches(c->error, ct->errors, ct->n_errors))
				continue;
			if (!(out = catch_output(c, ct, raw)))
				return ASL_ERROR;
			json_decref(raw);
			*io = out;
			asl_clear_error(c);
			return ASL_CATCH((int)k);
		}
		return ASL_ERROR;
	}
}

/* ------------------------------------------------------------------ Task */

static int task_work(asl_ctx *c, const asl_state *s, json_t *eff,
                     json_t **result)
{
	return asl_invoke(c, s, eff, result);
}

int asl_task(asl_ctx *c, const asl_state *s, json_t **io)
{
	return run_with_retry(c, s, io, task_work, true);
}

int asl_run_compound(asl_ctx *c, const asl_state *s, json_t **io,
                     int (*work)(asl_ctx *, const asl_state *, json_t *,
                                 json_t **),
                     bool with_parameters)
{
	return run_with_retry(c, s, io, work, with_parameters);
}

/* ------------------------------------------------------------------ Pass */

int asl_pass(asl_ctx *c, const asl_state *s, json_t **io)
{
	json_t *raw = *io, *eff, *result, *out;

	asl_enter_state(c, s);
	asl_inspect(c, "input", raw);
	/* A Pass with a Result shows no effective input (AWS's TestState). */
	if (!(eff = effective_input(c, s, raw, true, s->result < 0)))
		return ASL_ERROR;
	if (s->result >= 0) {
		result = json_incref(asl_literal(c, s->result));
		json_decref(eff);
	} else {
		result = eff;
	}
	if (!(out = process_result(c, s, raw, result, false, s->result >= 0)))
		return ASL_ERROR;
	json_decref(raw);
	*io = out;
	return ASL_OK;
}

/* The end of a Succeed, Wait or Choice state: the Assign a (none if
 * NULL), then OutputPath over in, which replaces the document in *io.
 * Takes in. */
static int finish(asl_ctx *c, const asl_state *s, const asl_value *a,
                  json_t *in, json_t **io)
{
	json_t *out;

	if (a && assign(c, a, in) < 0) {
		json_decref(in);
		return ASL_ERROR;
	}
	out = select_path(c, s->output_path, s->output_null, in);
	json_decref(in);
	if (!out)
		return ASL_ERROR;
	json_decref(*io);
	*io = out;
	return ASL_OK;
}

/* --------------------------------------------------------------- Succeed */

int asl_succeed(asl_ctx *c, const asl_state *s, json_t **io)
{
	json_t *in;

	asl_enter_state(c, s);
	asl_inspect(c, "input", *io);
	if (!(in = select_path(c, s->input_path, s->input_null, *io)))
		return ASL_ERROR;
	asl_inspect(c, "afterInputPath", in);
	return finish(c, s, NULL, in, io);
}

/* ------------------------------------------------------------------ Fail */

/* ErrorPath / CausePath: a path or a string-returning intrinsic, on the raw
 * input.  NULL after raising. */
static char *fail_field(asl_ctx *c, const asl_value *v, const char *field,
                        json_t *raw)
{
	json_t *r;
	char *s;

	if (v->kind == ASL_V_PATH) {
		int rc = asl_path_get(c, v->path, raw, &r);
		if (rc == ASL_PATH_ERROR)
			return NULL; /* raised */
		if (rc != ASL_FOUND) {
			char *d = asl_dump(raw);
			asl_runtime_error(c, "The JSONPath '%s' specified for the field "
			                  "'%s' could not be found in the input '%s'",
			                  v->path->text, field, d);
			free(d);
			return NULL;
		}
	} else if (!(r = asl_eval(c, v, raw, field))) {
		return NULL;
	}
	if (!json_is_string(r)) {
		char *d = asl_dump(r);
		asl_runtime_error(c, "The value for the field '%s' must be a STRING, "
		                  "but was '%s'", field, d);
		free(d);
		json_decref(r);
		return NULL;
	}
	s = asl_strdup(json_string_value(r));
	json_decref(r);
	return s;
}

int asl_fail_state(asl_ctx *c, const asl_state *s, json_t **io)
{
	char *error = NULL, *cause = NULL;

	asl_enter_state(c, s);
	asl_inspect(c, "input", *io);
	asl_inspect(c, "afterInputPath", *io);
	if (s->error_path && !(error = fail_field(c, s->error_path, "ErrorPath",
	                                          *io)))
		return ASL_ERROR;
	if (s->cause_path && !(cause = fail_field(c, s->cause_path, "CausePath",
	                                          *io))) {
		free(error);
		return ASL_ERROR;
	}
	asl_set_error(c, error ? error : s->error ? s->error : "",
	              cause ? cause : s->cause);
	free(error);
	free(cause);
	return ASL_ERROR;
}

/* ------------------------------------------------------------------ Wait */


int asl_wait(asl_ctx *c, const asl_state *s, json_t **io)
{
	json_t *raw = *io, *in, *v;
	long long ms = 0;

	asl_enter_state(c, s);
	asl_inspect(c, "input", raw);
	if (!(in = select_path(c, s->input_path, s->input_null, raw)))
		return ASL_ERROR;
	asl_inspect(c, "afterInputPath", in);
	if (s->seconds >= 0) {
		ms = s->seconds * 1000LL;
	} else if (s->timestamp) {
		long long t = 0;
		rfc3339_parse_ms(s->timestamp, &t);
		ms = t - asl_now_ms(c);
	} else if (s->seconds_path || s->timestamp_path) {
		const asl_path *p = s->seconds_path ? s->seconds_path
		                                    : s->timestamp_path;
		if (!asl_path_need(c, p, in, &v)) {
			json_decref(in);
			return ASL_ERROR;
		}
		/* AWS quotes the value bare: "$.p == tomorrow". */
		char *d = asl_dump_bare(v);
		long long t;
		if (s->seconds_path) {
			if (!json_is_integer(v)) {
				asl_runtime_error(c, "The SecondsPath parameter cannot be "
				                  "parsed as a long value: %s == %s",
				                  p->text, d);
				ms = -1;
			} else if (json_integer_value(v) < 0) {
				asl_runtime_error(c, "The SecondsPath parameter references "
				                  "a negative value: %s == %s", p->text, d);
				ms = -1;
			} else if (json_integer_value(v) > ASL_WAIT_MAX_S) {
				ms = ASL_WAIT_MAX_S * 1000LL + 1; /* too long, below */
			} else {
				ms = json_integer_value(v) * 1000LL;
			}
		} else if (!json_is_string(v) ||
		           rfc3339_parse_ms(json_string_value(v), &t) < 0) {
			asl_runtime_error(c, "The TimestampPath parameter does not "
			                  "reference a valid ISO-8601 extended offset "
			                  "date-time format string: %s == %s",
			                  p->text, d);
			ms = -1;
		} else {
			ms = t - asl_now_ms(c);
			if (ms < 0)
				ms = 0;
		}
		free(d);
		json_decref(v);
		if (ms < 0) {
			json_decref(in);
			return ASL_ERROR;
		}
	}
	/* AWS waits at most 2^31 - 1 seconds (doc/semantics.md). */
	if (ms > ASL_WAIT_MAX_S * 1000LL) {
		asl_runtime_error(c, "Wait state delay is too long.");
		json_decref(in);
		return ASL_ERROR;
	}
	if (ms > 0 && !asl_sleep_ms(c, ms)) {
		json_decref(in);
		return ASL_ERROR;
	}
	return finish(c, s, s->assign, in, io);
}

/* ---------------------------------------------------------------- Choice */


int asl_choice(asl_ctx *c, const asl_state *s, json_t **io)
{
	json_t *raw = *io, *in;
	bool failed = false;
	unsigned i;
	const asl_value *as = s->assign;

	asl_enter_state(c, s);
	asl_inspect(c, "input", raw);
	if (!(in = select_path(c, s->input_path, s->input_null, raw)))
		return ASL_ERROR;
	asl_inspect(c, "afterInputPath", in);
	for (i = 0; i < s->n_rules; i++) {
		bool t = asl_rule_test(c, &s->rules[i], in, &failed);
		if (failed) {
			json_decref(in);
			return ASL_ERROR;
		}
		if (t) {
			as = s->rules[i].assign;
			break;
		}
	}
	if (i == s->n_rules && !s->has_default) {
		json_decref(in);
		asl_runtime_error(c, "No Choice Rule matched and no Default was "
		                  "given");
		return ASL_ERROR;
	}
	return finish(c, s, as, in, io) == ASL_OK ? (int)i : ASL_ERROR;
}
