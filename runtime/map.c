/*
 * map.c - Map and Parallel: OpenMP parallel loops over the iterations and
 * the branches, results kept in item and branch order.
 */
#include "internal.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

int asl_dmap_work(asl_ctx *c, const asl_state *s, json_t *eff,
                  json_t **result);
int asl_run_compound(asl_ctx *c, const asl_state *s, json_t **io,
                     int (*work)(asl_ctx *, const asl_state *, json_t *,
                                 json_t **),
                     bool with_parameters);

/*
 * The outcome of the children of one Map or Parallel run.
 *
 * A failing child cancels only the children after it: those before it run
 * to their end.  So the failure the Map reports, the first in item order,
 * is the same on every run whatever the threads did (AWS reports the first
 * in time, which a parallel run cannot reproduce).
 */
typedef struct fanout {
	json_t **results;     /* per child: output, or NULL when it failed */
	asl_ctx *kids;
	size_t upto;          /* after the run: the children that count */
	atomic_int *cancel;   /* per child: a child before it failed */
	atomic_size_t first_failed; /* lowest failed index, or n */
	size_t n;
	bool tolerate;        /* tolerated failures: do not cancel siblings */
} fanout;

static void fanout_init(fanout *f, size_t n, bool tolerate)
{
	f->n = n;
	f->results = calloc(n ? n : 1, sizeof *f->results);
	f->kids = calloc(n ? n : 1, sizeof *f->kids);
	f->cancel = calloc(n ? n : 1, sizeof *f->cancel);
	if (!f->results || !f->kids || !f->cancel)
		asl_oom();
	for (size_t i = 0; i < n; i++)
		atomic_init(&f->cancel[i], 0);
	atomic_init(&f->first_failed, n);
	f->tolerate = tolerate;
}

static void fanout_free(fanout *f)
{
	for (size_t i = 0; i < f->n; i++) {
		json_decref(f->results[i]);
		asl_ctx_release(&f->kids[i]);
	}
	free(f->results);
	free(f->kids);
	free(f->cancel);
}

/* Child i failed: cancel the children after it (unless failures are
 * tolerated). */
static void fanout_failed(fanout *f, size_t i)
{
	size_t first = atomic_load(&f->first_failed);

	if (f->tolerate)
		return;
	while (i < first &&
	       !atomic_compare_exchange_weak(&f->first_failed, &first, i))
		;
	if (i >= first)
		return; /* an earlier failure has cancelled these already */
	for (size_t j = i + 1; j < f->n && j < first; j++)
		atomic_store(&f->cancel[j], 1);
}

/* Whether child i need not start: a child before it failed. */
static bool fanout_skip(fanout *f, size_t i)
{
	return atomic_load(&f->first_failed) < i;
}

/* After the loop.  Returns the index of the first failed child that is
 * not a cancellation (or of the first cancelled one, or n), and counts the
 * failed ones in *n_failed.  Only the children up to the first failure
 * count from then on, f->upto of them (all, when failures are tolerated):
 * those after it may or may not have run, depending on the threads.  So
 * the parent's clock is the latest of those children's, and only their
 * history is kept (asl_hist_merge with f->upto). */
static size_t fanout_join(asl_ctx *c, fanout *f, size_t *n_failed)
{
	size_t first = f->n, cancelled = f->n, upto;

	*n_failed = 0;
	for (size_t i = 0; i < f->n; i++) {
		asl_ctx *k = &f->kids[i];
		if (f->results[i] || !k->x)
			continue;
		(*n_failed)++;
		if (k->error && !strcmp(k->error, "States.Cancelled")) {
			if (cancelled == f->n)
				cancelled = i;
		} else if (first == f->n) {
			first = i;
		}
	}
	f->upto = upto = f->tolerate || first == f->n ? f->n : first + 1;
	for (size_t i = 0; i < f->n; i++) {
		asl_ctx *k = &f->kids[i];
		if (i >= upto) {
			if (k->hist != c->hist) /* not the parent's own */
				asl_hist_free(k->hist);
			k->hist = NULL;
		} else if (k->x && k->offset_ms > c->offset_ms) {
			c->offset_ms = k->offset_ms;
		}
	}
	return first < f->n ? first : cancelled;
}

/* Run child i from state start on input (consumed). */
static void run_child(asl_ctx *c, fanout *f, size_t i, int start,
                      json_t *input)
{
	asl_ctx *k = &f->kids[i];
	json_t *io = input;

	asl_ctx_child(k, c, i + 1, &f->cancel[i]);
	k->hist = asl_hist_new(c->x->history); /* merged by asl_hist_merge */
	if (asl_run(k, start, &io) == ASL_OK) {
		f->results[i] = io;
		return;
	}
	json_decref(io);
	fanout_failed(f, i);
}

static int num_threads(long cap, size_t n)
{
	int t = omp_get_max_threads();

	if (cap > 0 && cap < t)
		t = (int)cap;
	if ((size_t)t > n)
		t = (int)n;
	return t < 1 ? 1 : t;
}

bool asl_int_field(asl_ctx *c, const char *field, long value,
                   const asl_path *p, json_t *in, long *out)
{
	json_t *v;

	*out = value;
	if (!p)
		return true;
	if (asl_path_get(c, p, in, &v) != ASL_FOUND) {
		asl_missing_path(c, p);
		return false;
	}
	if (!json_is_integer(v)) {
		char *d = asl_dump_bare(v);
		asl_runtime_error(c, "The %s field refers to value \"%s\" which is "
		                  "not a valid integer: %s", field, d, p->text);
		free(d);
		json_decref(v);
		return false;
	}
	*out = (long)json_integer_value(v);
	json_decref(v);
	return true;
}

bool asl_map_limits(asl_ctx *c, const asl_state *s, json_t *eff, long *mc,
                    long *tol_count, double *tol_pct)
{
	const asl_path *pp = s->tolerated_percentage_path;

	if (!asl_int_field(c, "MaxConcurrencyPath", s->max_concurrency,
	                   s->max_concurrency_path, eff, mc) ||
	    !asl_int_field(c, "ToleratedFailureCountPath", s->tolerated_count,
	                   s->tolerated_count_path, eff, tol_count))
		return false;
	*tol_pct = s->tolerated_percentage;
	if (pp) {
		json_t *v;
		if (asl_path_get(c, pp, eff, &v) != ASL_FOUND) {
			asl_missing_path(c, pp);
			return false;
		}
		if (!json_is_number(v)) {
			char *d = asl_dump_bare(v);
			asl_runtime_error(c, "The ToleratedFailurePercentagePath field "
			                  "refers to value \"%s\" which is not a valid "
			                  "float: %s", d, pp->text);
			free(d);
			json_decref(v);
			return false;
		}
		*tol_pct = json_number_value(v);
		json_decref(v);
	}
	/* AWS's causes (LS's snapshots, recorded on AWS). */
	if (*tol_pct > 100 || (pp && *tol_pct < 0)) {
		asl_runtime_error(c, "ToleratedFailurePercentage must be between 0 "
		                  "and 100.");
		return false;
	}
	if (s->tolerated_count_path && *tol_count < 0) {
		asl_runtime_error(c, "ToleratedFailureCount cannot be negative.");
		return false;
	}
	if (s->max_concurrency_path && *mc < 0) {
		asl_runtime_error(c, "Expected non-negative integer for "
		                  "MaxConcurrency, got '%ld' instead.", *mc);
		return false;
	}
	return true;
}

/* The virtual time a Map takes when at most mc iterations run at once:
 * each iteration, in item order, takes the slot that frees up first. */
static long long map_makespan(const fanout *f, long long start, long mc)
{
	long long *slot = calloc((size_t)mc, sizeof *slot), end = start;

	if (!slot)
		asl_oom();
	for (long i = 0; i < mc; i++)
		slot[i] = start;
	for (size_t i = 0; i < f->upto; i++) {
		const asl_ctx *k = &f->kids[i];
		long best = 0;
		for (long j = 1; j < mc; j++)
			if (slot[j] < slot[best])
				best = j;
		if (k->x && k->offset_ms > start)
			slot[best] += k->offset_ms - start;
		if (slot[best] > end)
			end = slot[best];
	}
	free(slot);
	return end;
}

/* ------------------------------------------------------------------- Map */

json_t *asl_map_items(asl_ctx *c, const asl_state *s, json_t *eff)
{
	json_t *items;

	if (!s->items_path) {
		items = json_incref(eff);
	} else if (asl_path_get(c, s->items_path, eff, &items) != ASL_FOUND) {
		asl_missing_path(c, s->items_path);
		return NULL;
	}
	if (!json_is_array(items)) {
		char *d = asl_dump(items);
		asl_runtime_error(c, "Map state input must be an array but was: %s",
		                  d);
		free(d);
		json_decref(items);
		return NULL;
	}
	return items;
}

static int map_work(asl_ctx *c, const asl_state *s, json_t *eff,
                    json_t **result)
{
	json_t *items;
	long mc, tol_count = s->tolerated_count;
	double tol_pct = s->tolerated_percentage;
	fanout f;
	size_t n, failed, first;
	long long start_ms;
	int rc = ASL_OK;

	if (s->distributed)
		return asl_dmap_work(c, s, eff, result); /* dmap.c */
	if (!(items = asl_map_items(c, s, eff)))
		return ASL_ERROR;
	if (!asl_map_limits(c, s, eff, &mc, &tol_count, &tol_pct)) {
		json_decref(items);
		return ASL_ERROR;
	}

	n = json_array_size(items);
	start_ms = c->offset_ms;
	fanout_init(&f, n, tol_pct >= 0 || tol_count >= 0);
	int threads = num_threads(mc, n);
	const long long count = (long long)n;
	asl_hist_started(c, s, n);

#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
	for (long long i = 0; i < count; i++) {
		json_t *item = json_array_get(items, (size_t)i), *in;
		asl_ctx sel;

		if (fanout_skip(&f, (size_t)i))
			continue;
		if (s->parameters) {
			/* ItemSelector: $ is the Map's input, $$.Map.Item the item. */
			asl_ctx_child(&sel, c, 0, NULL);
			sel.in_item = true;
			sel.item_index = i;
			sel.item_value = item;
			in = asl_eval(&sel, s->parameters, eff, "ItemSelector");
			if (!in) {
				asl_ctx *k = &f.kids[i];
				asl_ctx_child(k, c, (uint64_t)i + 1, &f.cancel[i]);
				asl_set_error(k, sel.error, sel.cause);
				fanout_failed(&f, (size_t)i);
				asl_ctx_release(&sel);
				continue;
			}
			asl_ctx_release(&sel);
		} else {
			in = json_incref(item);
		}
		run_child(c, &f, (size_t)i, s->processor, in);
	}

	first = fanout_join(c, &f, &failed);
	if (mc > 0 && (size_t)mc < n) {
		c->offset_ms = map_makespan(&f, start_ms, mc);
		/* Queued behind MaxConcurrency, the last iterations may end past
		 * the execution's deadline: it times out there. */
		if (c->x->deadline_ms && c->offset_ms >= c->x->deadline_ms) {
			c->offset_ms = c->x->deadline_ms;
			atomic_store(&c->x->timed_out, 1);
			asl_set_error(c, "States.Timeout", NULL);
			rc = ASL_ERROR;
		}
	}
	asl_hist_merge(c, s, f.kids, f.results, f.upto);
	if (rc == ASL_ERROR) {
		/* timed out */
	} else if (failed && !f.tolerate) {
		asl_set_error(c, f.kids[first].error, f.kids[first].cause);
		rc = ASL_ERROR;
	} else if (failed && ((tol_count >= 0 && (long)failed > tol_count) ||
	                      (tol_pct >= 0 &&
	                       (double)failed * 100.0 > tol_pct * (double)n))) {
		asl_raise(c, "States.ExceedToleratedFailureThreshold",
		          "The specified tolerated failure threshold was exceeded");
		rc = ASL_ERROR;
	} else {
		json_t *out = json_array();
		for (size_t i = 0; i < n; i++) {
			if (f.results[i]) {
				json_array_append(out, f.results[i]);
			} else {
				asl_ctx *k = &f.kids[i];
				json_array_append_new(out, json_pack("{s:s, s:s}",
				    "Error", k->error ? k->error : "",
				    "Cause", k->cause ? k->cause : ""));
			}
		}
		*result = out;
	}
	asl_hist_end(c, s, rc == ASL_OK);
	fanout_free(&f);
	json_decref(items);
	return rc;
}

int asl_map(asl_ctx *c, const asl_state *s, json_t **io)
{
	/* ItemSelector (s->parameters) is evaluated per item, not here. */
	return asl_run_compound(c, s, io, map_work, false);
}

/* -------------------------------------------------------------- Parallel */

static int parallel_work(asl_ctx *c, const asl_state *s, json_t *eff,
                         json_t **result)
{
	fanout f;
	size_t failed, first;
	int rc = ASL_OK;
	const long long count = (long long)s->n_branches;

	fanout_init(&f, s->n_branches, false);
	asl_hist_started(c, s, s->n_branches);
#pragma omp parallel for schedule(static, 1) num_threads((int)(count ? count : 1))
	for (long long i = 0; i < count; i++)
		run_child(c, &f, (size_t)i, s->branches[i], json_incref(eff));

	first = fanout_join(c, &f, &failed);
	asl_hist_merge(c, s, f.kids, f.results, f.upto);
	if (failed) {
		asl_set_error(c, f.kids[first].error, f.kids[first].cause);
		rc = ASL_ERROR;
	} else {
		json_t *out = json_array();
		for (size_t i = 0; i < f.n; i++)
			json_array_append(out, f.results[i]);
		*result = out;
	}
	asl_hist_end(c, s, rc == ASL_OK);
	fanout_free(&f);
	return rc;
}

int asl_parallel(asl_ctx *c, const asl_state *s, json_t **io)
{
	return asl_run_compound(c, s, io, parallel_work, true);
}
