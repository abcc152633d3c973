/*
 * map.c - Map and Parallel: OpenMP parallel loops over the iterations and
 * the branches, results kept in item and branch order.
 */
#include "dmap.h"

#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/*
 * The children of one Map or Parallel run.
 *
 * A failing child stops the others at once (AWS), where it failed on the
 * execution's clock: the failure first on the clock wins, ties going to
 * the lower index, and every child past that point is stopped (its Waits
 * cut, its command ended, its C handler told, a pending one never
 * started).  Children that ended before that point count; the others are
 * cancelled and leave no history.  On a virtual clock (--start-time) the
 * points are virtual times, so which child wins, the output and the
 * history are the same on every run at any thread count, unless a
 * command's real running time decides (doc/semantics.md).
 */
typedef struct fanout {
	json_t **results;     /* per child: output, or NULL when it failed */
	asl_child *kids;      /* per child: what is kept once it has run */
	asl_stop stop;        /* where the children stop */
	size_t n;
	bool tolerate;        /* tolerated failures: do not stop siblings */
	atomic_bool skipped;  /* a child never started: the Map or Parallel
	                         was cancelled itself (set by any thread) */
} fanout;

static void fanout_init(fanout *f, size_t n, size_t wave, bool tolerate)
{
	f->n = n;
	f->results = calloc(n ? n : 1, sizeof *f->results);
	f->kids = calloc(n ? n : 1, sizeof *f->kids);
	if (!f->results || !f->kids)
		asl_oom();
	atomic_init(&f->stop.posted, 0);
	f->stop.at = 0;
	f->stop.index = 0;
	f->stop.wave = wave;
	if (pthread_mutex_init(&f->stop.lock, NULL) != 0)
		asl_oom();
	f->tolerate = tolerate;
	atomic_init(&f->skipped, false);
}

static void fanout_free(fanout *f)
{
	for (size_t i = 0; i < f->n; i++) {
		json_decref(f->results[i]);
		free(f->kids[i].error);
		free(f->kids[i].cause);
		asl_hist_free(f->kids[i].hist);
	}
	free(f->results);
	free(f->kids);
	pthread_mutex_destroy(&f->stop.lock);
}

/* Child i failed at its end_at: its siblings stop there, unless
 * failures are tolerated or it was stopped itself. */
static void fanout_failed(fanout *f, size_t i)
{
	const char *e = f->kids[i].error;

	if (!f->tolerate && !(e && !strcmp(e, ASL_ERR(CANCELLED))))
		asl_stop_post(&f->stop, f->kids[i].end_at, i);
}

/* Child k's failure is ERROR and CAUSE (copied). */
static void child_set_error(asl_child *k, const char *error,
                            const char *cause)
{
	free(k->error);
	free(k->cause);
	k->error = asl_strdup(error);
	k->cause = cause ? asl_strdup(cause) : NULL;
}

/* Whether child i need not start: the Map (Parallel) is past a failure
 * at the time it would start (its own clock begins at c's), or c itself
 * was cancelled. */
static bool fanout_skip(asl_ctx *c, fanout *f, size_t i)
{
	long long now = asl_now_ms(c);

	if (asl_stop_passed(&f->stop, now, i))
		return true;
	if (asl_past_stop(c, now) || atomic_load(&c->x->aborted)) {
		atomic_store(&f->skipped, true); /* enclosing state: fails too */
		return true;
	}
	return false;
}

/* Child i's context k, set up: its siblings' stop point and index. */
static void fanout_adopt(fanout *f, asl_ctx *k, size_t i)
{
	k->stop = &f->stop;
	k->index = i;
}

/* Child i's context k has ended: what its siblings and the merge need is
 * kept (its error and history move), the rest released. */
static void fanout_keep(fanout *f, asl_ctx *k, size_t i)
{
	asl_child *r = &f->kids[i];

	r->started = true;
	r->end_at = asl_now_ms(k);
	r->offset_ms = k->offset_ms;
	asl_hist_keep(r, k->hist);
	k->hist = NULL;
	free(r->error);
	free(r->cause);
	r->error = k->error;
	r->cause = k->cause;
	k->error = k->cause = NULL;
	asl_ctx_release(k);
}

/* After the loop.  Children past the stop point (those that were stopped,
 * and those that ended after it on the clock while the failure was being
 * posted) are cancelled: their results and histories do not count.
 * Returns the index of the failure the state reports (the stop point's
 * child; else the first cancelled one, or n) and counts the failed
 * children in *n_failed.  The parent's clock is the latest of the
 * children that count. */
static size_t fanout_join(asl_ctx *c, fanout *f, size_t *n_failed)
{
	long long at;
	size_t winner = f->n, cancelled = f->n;
	bool stop = asl_stop_get(&f->stop, &at, &winner);

	*n_failed = 0;
	for (size_t i = 0; i < f->n; i++) {
		asl_child *k = &f->kids[i];
		if (!k->started)
			continue; /* never started */
		if (stop && i != winner &&
		    asl_stop_passed(&f->stop, k->end_at, i)) {
			json_decref(f->results[i]);
			f->results[i] = NULL;
			child_set_error(k, ASL_ERR(CANCELLED), "A sibling failed");
		}
		if (f->results[i])
			continue;
		(*n_failed)++;
		if (!strcmp(k->error ? k->error : "", ASL_ERR(CANCELLED))) {
			if (cancelled == f->n)
				cancelled = i;
		} else if (!stop && winner == f->n) {
			winner = i; /* tolerated failures */
		}
	}
	for (size_t i = 0; i < f->n; i++) {
		asl_child *k = &f->kids[i];
		if (k->started && k->offset_ms > c->offset_ms &&
		    strcmp(k->error ? k->error : "", ASL_ERR(CANCELLED)))
			c->offset_ms = k->offset_ms;
	}
	return winner < f->n ? winner : cancelled;
}

/* Run child i from state start on input (consumed). */
static void run_child(asl_ctx *c, fanout *f, size_t i, int start,
                      json_t *input)
{
	asl_ctx kid, *k = &kid;
	json_t *io = input;

	asl_ctx_child(k, c, i + 1, NULL);
	fanout_adopt(f, k, i);
	k->hist = asl_hist_new(c->x->history); /* merged by asl_hist_merge */
	int rc = asl_run(k, start, &io);
	asl_hist_spill(k);
	fanout_keep(f, k, i);
	if (rc == ASL_OK) {
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

bool asl_map_limits(asl_ctx *c, const asl_state *s, json_t *eff, long *mc,
                    long *tol_count, double *tol_pct)
{
	const asl_path *pp = s->tolerated_percentage_path;

	if (!asl_state_int(c, "MaxConcurrencyPath", s->max_concurrency,
	                   s->max_concurrency_path, s->max_concurrency_jsonata,
	                   "MaxConcurrency", eff, 0, INT_MAX, mc) ||
	    !asl_state_int(c, "ToleratedFailureCountPath", s->tolerated_count,
	                   s->tolerated_count_path, s->tolerated_count_jsonata,
	                   "ToleratedFailureCount", eff, 0, LONG_MAX, tol_count))
		return false;
	*tol_pct = s->tolerated_percentage;
	if (s->tolerated_percentage_jsonata &&
	    !asl_jsonata_number(c, s->tolerated_percentage_jsonata,
	                        "ToleratedFailurePercentage", eff, false, 0, 100,
	                        tol_pct))
		return false;
	if (pp) {
		json_t *v;
		if (!asl_path_need(c, pp, eff, &v))
			return false;
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
	for (size_t i = 0; i < f->n; i++) {
		const asl_child *k = &f->kids[i];
		long best = 0;
		if (!k->started ||
		    !strcmp(k->error ? k->error : "", ASL_ERR(CANCELLED)))
			continue; /* it does not count */
		for (long j = 1; j < mc; j++)
			if (slot[j] < slot[best])
				best = j;
		if (k->offset_ms > start)
			slot[best] += k->offset_ms - start;
		if (slot[best] > end)
			end = slot[best];
	}
	free(slot);
	return end;
}

/* ------------------------------------------------------------------- Map */

/* Iteration i: its input (ItemSelector: $ is the Map's input, $$.Map.Item
 * the item), then its run; an ItemSelector that fails fails it. */
static void map_iteration(asl_ctx *c, const asl_state *s, fanout *f,
                          json_t *eff, json_t *item, size_t i)
{
	json_t *in;
	asl_ctx sel;

	if (!s->parameters) {
		run_child(c, f, i, s->processor, json_incref(item));
		return;
	}
	asl_ctx_child(&sel, c, 0, NULL);
	sel.in_item = true;
	sel.item_index = (long long)i;
	sel.item_value = item;
	in = asl_state_value(&sel, s, s->parameters, eff, "ItemSelector",
	                     "ItemSelector");
	if (!in) {
		asl_child *k = &f->kids[i];
		k->started = true;
		child_set_error(k, sel.error, sel.cause);
		k->end_at = asl_now_ms(c);
		fanout_failed(f, i);
		asl_ctx_release(&sel);
		return;
	}
	asl_ctx_release(&sel);
	run_child(c, f, i, s->processor, in);
}

/* The Map's outcome once its iterations have ended: a sibling's failure,
 * the first failure (or the tolerated failure threshold exceeded), or the
 * results in item order, a tolerated failure as its {"Error", "Cause"}. */
static int map_outcome(asl_ctx *c, fanout *f, size_t failed, size_t first,
                       long tol_count, double tol_pct, json_t **result)
{
	size_t n = f->n;

	if (atomic_load(&f->skipped)) {
		asl_set_error(c, ASL_ERR(CANCELLED), "A sibling failed");
		return ASL_ERROR;
	}
	if (failed && !f->tolerate) {
		asl_set_error(c, f->kids[first].error, f->kids[first].cause);
		return ASL_ERROR;
	}
	if (failed && ((tol_count >= 0 && (long)failed > tol_count) ||
	               (tol_pct >= 0 &&
	                (double)failed * 100.0 > tol_pct * (double)n))) {
		asl_raise(c, "States.ExceedToleratedFailureThreshold",
		          "The specified tolerated failure threshold was exceeded");
		return ASL_ERROR;
	}
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		if (f->results[i]) {
			json_array_append(out, f->results[i]);
		} else {
			const asl_child *k = &f->kids[i];
			json_array_append_new(out, json_pack("{s:s, s:s}",
			    "Error", k->error ? k->error : "",
			    "Cause", k->cause ? k->cause : ""));
		}
	}
	*result = out;
	return ASL_OK;
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
	/* the first MaxConcurrency iterations start together */
	fanout_init(&f, n, mc > 0 && (size_t)mc < n ? (size_t)mc : n,
	            tol_pct >= 0 || tol_count >= 0);
	int threads = num_threads(mc, n);
	const long long count = (long long)n;
	asl_hist_started(c, s, n);

	/* A Map nested in another's iteration (or a branch) runs on the
	 * thread it is on: iterations are independent, and a team per
	 * enclosing thread would multiply the threads.  Iterations start in
	 * item order, as on AWS, each on the next free thread: monotonic, for
	 * OpenMP 5's default dynamic schedule is nonmonotonic, and clang's
	 * libomp then deals each thread a block of items up front, so an item
	 * could wait behind a long one while later items run. */
#pragma omp parallel for schedule(monotonic: dynamic, 1) num_threads(threads) if(!omp_in_parallel())
	for (long long i = 0; i < count; i++)
		if (!fanout_skip(c, &f, (size_t)i))
			map_iteration(c, s, &f, eff,
			              json_array_get(items, (size_t)i), (size_t)i);

	first = fanout_join(c, &f, &failed);
	if (mc > 0 && (size_t)mc < n) {
		c->offset_ms = map_makespan(&f, start_ms, mc);
		/* Queued behind MaxConcurrency, the last iterations may end past
		 * the execution's deadline: it times out there. */
		if (c->x->deadline_ms && c->offset_ms >= c->x->deadline_ms) {
			c->offset_ms = c->x->deadline_ms;
			atomic_store(&c->x->timed_out, 1);
			asl_set_error(c, ASL_ERR(TIMEOUT), NULL);
			rc = ASL_ERROR;
		}
	}
	asl_hist_merge(c, s, f.kids, f.results, f.n);
	if (rc == ASL_OK) /* else: timed out */
		rc = map_outcome(c, &f, failed, first, tol_count, tol_pct, result);
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

	fanout_init(&f, s->n_branches, s->n_branches, false);
	/* Every branch gets a thread, even nested: branches may wait on
	 * each other (one polls until another fails), so they must run at
	 * the same time.  asl_main allows nested teams.  Branches that cannot
	 * wait (s->instant) run in order on this thread: a failure stops the
	 * later ones where it happened on the clock, as it would stop them
	 * on threads (fanout), so the output and history are the same. */
	asl_hist_started(c, s, s->n_branches);
#pragma omp parallel for schedule(static, 1) num_threads((int)(count ? count : 1)) if(!s->instant)
	for (long long i = 0; i < count; i++)
		if (!fanout_skip(c, &f, (size_t)i))
			run_child(c, &f, (size_t)i, s->branches[i], json_incref(eff));

	first = fanout_join(c, &f, &failed);
	asl_hist_merge(c, s, f.kids, f.results, f.n);
	if (atomic_load(&f.skipped)) {
		asl_set_error(c, ASL_ERR(CANCELLED), "A sibling failed");
		rc = ASL_ERROR;
	} else if (failed) {
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
