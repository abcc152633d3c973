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

/* A document on its way through a state: a new reference when own, else
 * borrowed from the state's input (which outlives it).  Most states
 * select nothing with InputPath or OutputPath and place their result at
 * $: their documents pass through without a reference taken and given
 * back at each step, each an atomic add or subtract. */
typedef struct held {
	json_t *v;
	bool own;
} held;

static held owned(json_t *v)
{
	return (held){ v, true };
}

static void let_go(held h)
{
	asl_let_go(h.v, h.own);
}

/* A new reference to h's value (h is given up). */
static json_t *take(held h)
{
	return h.own ? h.v : json_incref(h.v);
}

/* Select with a Path field (InputPath, OutputPath) from doc: the node
 * itself where it can be; NULL after raising. */
static held select_path(asl_ctx *c, const asl_path *p, bool is_null,
                        json_t *doc)
{
	held h = { doc, false };
	int rc;

	if (is_null)
		return owned(json_object());
	if (!p)
		return h;
	if ((rc = asl_path_lookup(c, p, doc, &h.v, &h.own)) == ASL_MISSING)
		asl_missing_path(c, p);
	if (rc != ASL_FOUND)
		h.v = NULL;
	return h;
}

/* InputPath then Parameters over raw: the effective input.  inspect:
 * record both steps (--inspect). */
static held effective_input(asl_ctx *c, const asl_state *s, json_t *raw,
                            bool with_parameters, bool inspect)
{
	held in = select_path(c, s->input_path, s->input_null, raw), eff;

	if (inspect)
		asl_inspect(c, "afterInputPath", in.v);
	if (!in.v || !with_parameters || !s->parameters) {
		if (inspect)
			asl_inspect(c, "afterParameters", in.v);
		return in;
	}
	eff = owned(asl_eval(c, s->parameters, in.v, "Parameters"));
	let_go(in);
	if (inspect)
		asl_inspect(c, "afterParameters", eff.v);
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
static int select_result(asl_ctx *c, const asl_state *s, held *result,
                         vars *vals)
{
	uint64_t rng = c->rng;
	json_t *sel = NULL;

	for (;;) {
		bool lazy = c->lazy.pending;
		vals->a = NULL;
		vals->whole = NULL;
		if ((!s->assign || eval_vars(c, s->assign, result->v, vals)) &&
		    (!s->result_selector ||
		     (sel = asl_eval(c, s->result_selector, result->v,
		                     "ResultSelector")))) {
			c->lazy.pending = false;
			if (sel) {
				let_go(*result);
				*result = owned(sel);
			}
			return 0;
		}
		drop_vars(vals);
		if (!lazy)
			return -1;
		json_t *whole = asl_whole_response(c, result->v);
		let_go(*result);
		*result = owned(whole);
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

/* ResultSelector, ResultPath, OutputPath: the state's output, a new
 * reference.  Consumes result; measured: its size was checked already. */
static json_t *process_result(asl_ctx *c, const asl_state *s, json_t *raw,
                              held result, bool measured, bool is_result)
{
	held merged, sel;
	json_t *out;
	vars vals;
	/* Held, so that the comparison below cannot meet a new value at the
	 * same address. */
	json_t *checked = measured ? json_incref(result.v) : NULL;

	/* Assign reads $ = the raw result and the variables as they were on
	 * entry (ResultSelector too): evaluated now, stored at the end, and
	 * only when the state succeeds. */
	if (is_result)
		asl_inspect(c, "result", result.v);
	if (select_result(c, s, &result, &vals) < 0) {
		let_go(result);
		json_decref(checked);
		return NULL;
	}
	if (s->result_null) {
		merged = (held){ raw, false };
	} else if (!s->result_path) {
		merged = result; /* the result is the document now */
		result.own = false;
	} else if (!(merged = owned(place_result(c, s->result_path, false, raw,
	                                          result.v))).v) {
		let_go(result);
		drop_vars(&vals);
		json_decref(checked);
		return NULL;
	}
	asl_inspect(c, "afterResultSelector", result.v);
	asl_inspect(c, "afterResultPath", merged.v);
	let_go(result);
	sel = select_path(c, s->output_path, s->output_null, merged.v);
	if (!sel.v) {
		out = NULL;
	} else if (!sel.own && sel.v == merged.v) {
		out = take(merged); /* no OutputPath */
		merged.own = false;
	} else {
		out = take(sel);
	}
	let_go(merged);
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

/* ---------------------------------------------------- JSONata states */

/* PLACE's field NAME ("Choices[0]/Assign"); NAME itself at the state's
 * own place (""), with nothing formatted. */
static const char *place_field(char *buf, size_t n, const char *place,
                               const char *name)
{
	return *place ? asl_field_name(buf, n, place, -1, name) : name;
}

/* The end of a JSONata state, or of its rule or catcher at PLACE ("" for
 * the state's own fields, "Choices[0]/", "Catch[1]/"): Assign (A) and
 * Output (O) evaluated with $states ST, both on the variables as they were
 * when the state was entered (AWS), then the variables stored.  The
 * output is O's value, or DFLT's without one (a new reference).  NULL
 * after raising: nothing stored. */
static json_t *ata_finish(asl_ctx *c, const asl_state *s, const char *place,
                          const asl_value *a, const asl_value *o,
                          const asl_states *st, json_t *dflt)
{
	char af[40], of[40];
	vars vals = { NULL, NULL, { NULL } };
	json_t *out;

	if (a) {
		const char *field = place_field(af, sizeof af, place, "Assign");
		if (a->kind == ASL_V_OBJECT && a->count <= VARS_DIRECT) {
			/* each variable's value, stored one by one as a
			 * JSONPath Assign's are: no object of them */
			if (!asl_jsonata_members(c, a, field, st, vals.v))
				return NULL;
		} else if (!(vals.whole = asl_jsonata_assign(c, a, field, st))) {
			return NULL;
		}
	}
	vals.a = a;
	out = o ? asl_jsonata_value(c, o, place_field(of, sizeof of, place,
	                                              "Output"), st)
	        : json_incref(dflt);
	if (out && o && too_big(c, out, s->name)) {
		json_decref(out);
		out = NULL;
	}
	if (!out) {
		drop_vars(&vals);
		return NULL;
	}
	commit_vars(c, &vals);
	return out;
}

/* A JSONata Task's or Parallel's Arguments over $states.input (RAW): the
 * effective input; RAW itself without them (Map: ItemSelector is per
 * item). */
static json_t *ata_arguments(asl_ctx *c, const asl_state *s, json_t *raw,
                             bool with_arguments)
{
	asl_states st = { raw, NULL, NULL };
	json_t *eff;

	if (!with_arguments || !s->parameters)
		return json_incref(raw);
	eff = asl_jsonata_value(c, s->parameters, "Arguments", &st);
	asl_inspect(c, "afterArguments", eff);
	return eff;
}

/* A JSONata Task's, Map's or Parallel's output: its Output (default: the
 * result) and Assign, seeing $states.result.  Consumes result.  A
 * lambda:invoke response built lazily (its Payload alone, which is all
 * the expressions read: lambda.c) is built whole and both evaluated again
 * when either fails, with the generator as it was (select_result). */
static json_t *ata_result(asl_ctx *c, const asl_state *s, json_t *raw,
                          json_t *result)
{
	uint64_t rng = c->rng;
	json_t *out;

	asl_inspect(c, "result", result);
	for (;;) {
		bool lazy = c->lazy.pending;
		asl_states st = { raw, result, NULL };
		out = ata_finish(c, s, "", s->assign, s->output, &st, result);
		if (out || !lazy)
			break;
		json_t *whole = asl_whole_response(c, result);
		json_decref(result);
		result = whole;
		c->rng = rng;
		asl_clear_error(c);
	}
	c->lazy.pending = false;
	json_decref(result);
	return out;
}

/* The catcher's output: the error output placed into the raw input
 * (JSONPath), or the catcher's Output (default: the error output) and
 * Assign, seeing $states.errorOutput (JSONata).  k: its index. */
static json_t *catch_output(asl_ctx *c, const asl_state *s, unsigned k,
                            json_t *raw)
{
	const asl_catcher *ct = &s->catchers[k];
	/* An error given as none (SendTaskFailure without one) is null, as
	 * AWS gives it (localstack#10750). */
	json_t *err = json_pack("{s:o, s:s}", "Error",
	                        c->error && *c->error ? json_string(c->error)
	                                              : json_null(),
	                        "Cause", c->cause ? c->cause : "");
	json_t *out = NULL;

	if (s->jsonata) {
		asl_states st = { raw, NULL, err };
		char place[32];
		asl_field_name(place, sizeof place, "Catch", k, "/");
		out = ata_finish(c, s, place, ct->assign, ct->output, &st, err);
		json_decref(err);
		return out;
	}
	if (assign(c, ct->assign, err) < 0) {
		json_decref(err);
		return NULL;
	}
	out = place_result(c, ct->result_path, ct->result_null, raw, err);
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
static int retry_loop(asl_ctx *c, const asl_state *s, json_t **io,
                      work_fn work, bool with_parameters)
{
	json_t *raw = *io, *result, *out;
	held eff;
	long counts[32] = {0};
	unsigned n_retry = s->n_retry < 32 ? s->n_retry : 32;

	asl_enter_state(c, s);
	asl_inspect(c, "input", raw);
	for (;;) {
		asl_task_attempt(c, s); /* $$.Task.Token: a new one each attempt */
		eff = s->jsonata ? owned(ata_arguments(c, s, raw, with_parameters))
		                 : effective_input(c, s, raw, with_parameters, true);
		/* A JSONPath state's Parameters fail with States.Runtime, never
		 * caught; a JSONata state's Arguments with
		 * States.QueryEvaluationError, which Retry and Catch see (AWS). */
		if (!eff.v && !s->jsonata)
			return ASL_ERROR;
		result = NULL;
		int rc = eff.v ? work(c, s, eff.v, &result) : ASL_ERROR;
		let_go(eff);
		/* A lazy lambda:invoke response was measured (lambda.c). */
		if (rc == ASL_OK && !c->lazy.pending &&
		    too_big(c, result, s->type == ASL_TASK ?
		                            s->resource : s->name)) {
			json_decref(result);
			rc = ASL_ERROR;
		}
		if (rc == ASL_OK &&
		    (out = s->jsonata ? ata_result(c, s, raw, result)
		                      : process_result(c, s, raw, owned(result),
		                                       true, true))) {
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
			if (!(out = catch_output(c, s, k, raw)))
				return ASL_ERROR;
			json_decref(raw);
			*io = out;
			asl_clear_error(c);
			return ASL_CATCH((int)k);
		}
		return ASL_ERROR;
	}
}

/* retry_loop, with $states.input (the raw input) where a JSONata state's
 * handlers and readers see it (TimeoutSeconds, ItemReader, ...). */
static int run_with_retry(asl_ctx *c, const asl_state *s, json_t **io,
                          work_fn work, bool with_parameters)
{
	json_t *saved = c->state_input;
	json_t *raw = json_incref(*io);
	int rc;

	c->state_input = s->jsonata ? raw : NULL;
	rc = retry_loop(c, s, io, work, with_parameters);
	c->state_input = saved;
	json_decref(raw);
	return rc;
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
	json_t *raw = *io, *out;
	held eff, result;

	asl_enter_state(c, s);
	asl_inspect(c, "input", raw);
	if (s->jsonata) {
		asl_states st = { raw, NULL, NULL };
		json_t *dflt = s->result >= 0 ? asl_literal(c, s->result) : raw;
		if (!(out = ata_finish(c, s, "", s->assign, s->output, &st, dflt)))
			return ASL_ERROR;
		json_decref(raw);
		*io = out;
		return ASL_OK;
	}
	/* A Pass with a Result shows no effective input (AWS's TestState). */
	if (!(eff = effective_input(c, s, raw, true, s->result < 0)).v)
		return ASL_ERROR;
	if (s->result >= 0) {
		result = (held){ asl_literal(c, s->result), false };
		let_go(eff);
	} else {
		result = eff;
	}
	if (!(out = process_result(c, s, raw, result, false, s->result >= 0)))
		return ASL_ERROR;
	json_decref(raw);
	*io = out;
	return ASL_OK;
}

/* The end of a JSONata Succeed, Wait or Choice state (or of its rule at
 * PLACE): Assign A and Output O (default: the input, in) replace the
 * document in *io.  Takes in. */
static int ata_end(asl_ctx *c, const asl_state *s, const char *place,
                   const asl_value *a, const asl_value *o, json_t *in,
                   json_t **io)
{
	asl_states st = { in, NULL, NULL };
	json_t *out = ata_finish(c, s, place, a, o, &st, in);

	json_decref(in);
	if (!out)
		return ASL_ERROR;
	json_decref(*io);
	*io = out;
	return ASL_OK;
}

/* The end of a Succeed, Wait or Choice state: the Assign a (none if
 * NULL), then OutputPath over in (selected from *io), which replaces the
 * document in *io.  Takes in. */
static int finish(asl_ctx *c, const asl_state *s, const asl_value *a,
                  held in, json_t **io)
{
	held sel;
	json_t *out;

	if (s->jsonata)
		return ata_end(c, s, "", a, s->output, take(in), io);

	if (a && assign(c, a, in.v) < 0) {
		let_go(in);
		return ASL_ERROR;
	}
	sel = select_path(c, s->output_path, s->output_null, in.v);
	if (!sel.v) {
		let_go(in);
		return ASL_ERROR;
	}
	if (!sel.own && sel.v == *io) {
		let_go(in);
		return ASL_OK; /* the document is the input still */
	}
	if (!sel.own && sel.v == in.v) {
		out = take(in);
	} else {
		out = take(sel);
		let_go(in);
	}
	json_decref(*io);
	*io = out;
	return ASL_OK;
}

/* --------------------------------------------------------------- Succeed */

int asl_succeed(asl_ctx *c, const asl_state *s, json_t **io)
{
	held in;

	asl_enter_state(c, s);
	asl_inspect(c, "input", *io);
	if (!(in = select_path(c, s->input_path, s->input_null, *io)).v)
		return ASL_ERROR;
	asl_inspect(c, "afterInputPath", in.v);
	return finish(c, s, NULL, in, io);
}

/* ------------------------------------------------------------------ Fail */

/* ErrorPath / CausePath: a path or a string-returning intrinsic, on the raw
 * input; in a JSONata state, Error / Cause written as expressions.  NULL
 * after raising. */
static char *fail_field(asl_ctx *c, const asl_value *v, const char *field,
                        bool jsonata, json_t *raw)
{
	json_t *r;
	char *s;

	if (jsonata) {
		asl_states st = { raw, NULL, NULL };
		if (!(r = asl_jsonata_typed(c, v, field, &st, JSON_STRING)))
			return NULL;
	} else if (v->kind == ASL_V_PATH) {
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
	bool ata = s->jsonata;

	asl_enter_state(c, s);
	asl_inspect(c, "input", *io);
	asl_inspect(c, "afterInputPath", *io);
	if (s->error_path &&
	    !(error = fail_field(c, s->error_path, ata ? "Error" : "ErrorPath",
	                         ata, *io)))
		return ASL_ERROR;
	if (s->cause_path &&
	    !(cause = fail_field(c, s->cause_path, ata ? "Cause" : "CausePath",
	                         ata, *io))) {
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


/* SecondsPath or TimestampPath (P) on the effective input: the wait in
 * *ms; false after raising. */
static bool path_wait_ms(asl_ctx *c, const asl_state *s, const asl_path *p,
                         json_t *in, long long *ms)
{
	json_t *v;
	long long t;

	if (!asl_path_need(c, p, in, &v))
		return false;
	/* AWS quotes the value bare: "$.p == tomorrow". */
	char *d = asl_dump_bare(v);
	*ms = 0;
	if (s->seconds_path) {
		if (!json_is_integer(v)) {
			asl_runtime_error(c, "The SecondsPath parameter cannot be "
			                  "parsed as a long value: %s == %s", p->text, d);
			*ms = -1;
		} else if (json_integer_value(v) < 0) {
			asl_runtime_error(c, "The SecondsPath parameter references "
			                  "a negative value: %s == %s", p->text, d);
			*ms = -1;
		} else if (json_integer_value(v) > ASL_WAIT_MAX_S) {
			*ms = ASL_WAIT_MAX_S * 1000LL + 1; /* too long: the caller */
		} else {
			*ms = json_integer_value(v) * 1000LL;
		}
	} else if (!json_is_string(v) ||
	           rfc3339_parse_ms(json_string_value(v), &t) < 0) {
		asl_runtime_error(c, "The TimestampPath parameter does not "
		                  "reference a valid ISO-8601 extended offset "
		                  "date-time format string: %s == %s", p->text, d);
		*ms = -1;
	} else {
		*ms = t - asl_now_ms(c);
		if (*ms < 0)
			*ms = 0;
	}
	free(d);
	json_decref(v);
	return *ms >= 0;
}

/* A JSONata Wait's Seconds or Timestamp written as an expression, over
 * $states.input (in): the wait in *ms; false after raising
 * States.QueryEvaluationError. */
static bool ata_wait_ms(asl_ctx *c, const asl_state *s, json_t *in,
                        long long *ms)
{
	asl_states st = { in, NULL, NULL };
	json_t *v;
	long long t;
	double d;

	if (s->seconds_jsonata) {
		/* past 2^31 - 1 s: "Wait state delay is too long." (the caller) */
		if (!asl_jsonata_number(c, s->seconds_jsonata, "Seconds", in, true,
		                        0, 1e15, &d))
			return false;
		*ms = (long long)d * 1000LL;
		return true;
	}
	if (!(v = asl_jsonata_value(c, s->timestamp_jsonata, "Timestamp", &st)))
		return false;
	if (!json_is_string(v) || rfc3339_parse_ms(json_string_value(v), &t) < 0) {
		char *b = asl_dump_bare(v);
		asl_state_error(c, ASL_ERR(QUERY_EVALUATION_ERROR), "The Timestamp "
		                "field cannot be parsed as an ISO-8601 extended "
		                "offset date-time format string: %s", b);
		free(b);
		json_decref(v);
		return false;
	}
	json_decref(v);
	*ms = t - asl_now_ms(c);
	if (*ms < 0)
		*ms = 0;
	return true;
}

int asl_wait(asl_ctx *c, const asl_state *s, json_t **io)
{
	json_t *raw = *io;
	held in;
	long long ms = 0;
	bool ok = true;

	asl_enter_state(c, s);
	asl_inspect(c, "input", raw);
	if (!(in = select_path(c, s->input_path, s->input_null, raw)).v)
		return ASL_ERROR;
	asl_inspect(c, "afterInputPath", in.v);
	if (s->seconds >= 0) {
		ms = s->seconds * 1000LL;
	} else if (s->timestamp) {
		long long t = 0;
		rfc3339_parse_ms(s->timestamp, &t);
		ms = t - asl_now_ms(c);
	} else if (s->seconds_path || s->timestamp_path) {
		ok = path_wait_ms(c, s, s->seconds_path ? s->seconds_path
		                                        : s->timestamp_path, in.v, &ms);
	} else if (s->seconds_jsonata || s->timestamp_jsonata) {
		ok = ata_wait_ms(c, s, in.v, &ms);
	}
	if (!ok) {
		let_go(in);
		return ASL_ERROR;
	}
	/* AWS waits at most 2^31 - 1 seconds (doc/semantics.md). */
	if (ms > ASL_WAIT_MAX_S * 1000LL) {
		asl_runtime_error(c, "Wait state delay is too long.");
		let_go(in);
		return ASL_ERROR;
	}
	if (ms > 0 && !asl_sleep_ms(c, ms)) {
		let_go(in);
		return ASL_ERROR;
	}
	return finish(c, s, s->assign, in, io);
}

/* ---------------------------------------------------------------- Choice */


int asl_choice(asl_ctx *c, const asl_state *s, json_t **io)
{
	json_t *raw = *io;
	held in;
	bool failed = false;
	unsigned i;
	const asl_value *as = s->assign;

	asl_enter_state(c, s);
	asl_inspect(c, "input", raw);
	if (!(in = select_path(c, s->input_path, s->input_null, raw)).v)
		return ASL_ERROR;
	asl_inspect(c, "afterInputPath", in.v);
	for (i = 0; i < s->n_rules; i++) {
		bool t = s->jsonata
		             ? asl_rule_condition(c, &s->rules[i], i, in.v, &failed)
		             : asl_rule_test(c, &s->rules[i], in.v, &failed);
		if (failed) {
			let_go(in);
			return ASL_ERROR;
		}
		if (t) {
			as = s->rules[i].assign;
			break;
		}
	}
	if (i == s->n_rules && !s->has_default) {
		let_go(in);
		asl_runtime_error(c, "No Choice Rule matched and no Default was "
		                  "given");
		return ASL_ERROR;
	}
	if (s->jsonata && i < s->n_rules) {
		/* the rule's Output and Assign; the state's for Default (AWS) */
		char place[32];
		asl_field_name(place, sizeof place, "Choices", i, "/");
		return ata_end(c, s, place, as, s->rules[i].output, take(in), io) ==
		       ASL_OK ? (int)i : ASL_ERROR;
	}
	return finish(c, s, as, in, io) == ASL_OK ? (int)i : ASL_ERROR;
}
