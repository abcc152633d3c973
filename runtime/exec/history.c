/*
 * history.c - the execution history in the shape of AWS's
 * GetExecutionHistory (--history), and the event ids the runtime's messages
 * quote ("entered at the event id #N").
 *
 * Every thread of control (the execution, a Map iteration, a Parallel
 * branch) records into its own buffer, numbered from 1.  When a Map or a
 * Parallel ends, its children's buffers are appended to the parent's in
 * item (branch) order, their ids shifted: the history, and every id, is the
 * same whatever the order in which the iterations really ran.  The ids a
 * child's States.Runtime cause quotes are shifted with them.
 *
 * Without --history only the counters are kept: the ids do not depend on
 * the option.
 *
 * Memory stays flat however long the history: the execution's own events
 * are final when recorded, and go to a sink (the --history file, written
 * as they come) instead of memory; a Map iteration or Parallel branch
 * that ends writes its events, compact, to a spill file (an unnamed file
 * beside the history) and keeps only where they are, until its parent
 * merges them, one child at a time.
 */
#include "internal.h"
#include "jsontext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct asl_hist {
	json_t *events;  /* the events, or NULL when only counting */
	asl_hist_sink sink; /* or, for the execution's own: where they go */
	void *sink_arg;
	long long spill_off; /* a child's events in the spill file, */
	size_t spill_len;    /* once it ended; spill_len 0: in events */
	long n;          /* events recorded */
	long last;       /* id of the last event of this thread, 0: none */
	long started;    /* id of the last Map/ParallelStateStarted */
	long fail_prev;  /* previousEventId of MapStateFailed */
	long exit_prev;  /* previousEventId of the next StateExited, 0: last */
};

asl_hist *asl_hist_new(bool record)
{
	asl_hist *h = calloc(1, sizeof *h);

	if (!h)
		asl_oom();
	if (record && !(h->events = json_array()))
		asl_oom();
	return h;
}

void asl_hist_free(asl_hist *h)
{
	if (!h)
		return;
	json_decref(h->events);
	free(h);
}

void asl_hist_set_sink(asl_hist *h, asl_hist_sink sink, void *arg)
{
	h->sink = sink;
	h->sink_arg = arg;
}

/* One more event for h: to its sink, or kept. */
static void keep(asl_hist *h, json_t *ev)
{
	if (h->sink)
		h->sink(h->sink_arg, ev);
	else if (json_array_append(h->events, ev) < 0)
		asl_oom();
}

void asl_hist_spill(asl_ctx *k)
{
	asl_hist *h = k->hist;
	asl_exec *x = k->x;
	size_t n, len = 0, cap = 0, i;
	char *blob = NULL;
	json_t *ev;

	if (!h || !h->events || x->spill_fd < 0 ||
	    !(n = json_array_size(h->events)))
		return;
	json_array_foreach(h->events, i, ev) {
		char *t = json_dumps(ev, JSON_COMPACT);
		size_t tl;
		if (!t)
			asl_oom();
		tl = strlen(t);
		if (len + tl + 1 > cap) {
			cap = 2 * (len + tl + 1);
			char *bigger = realloc(blob, cap);
			if (!bigger)
				asl_oom();
			blob = bigger;
		}
		memcpy(blob + len, t, tl);
		blob[len + tl] = '\n';
		len += tl + 1;
		free(t);
	}
	long long off = atomic_fetch_add(&x->spill_end, (long long)len);
	for (size_t done = 0; done < len;) {
		ssize_t w = pwrite(x->spill_fd, blob + done, len - done,
		                   (off_t)(off + (long long)done));
		if (w <= 0) {
			/* The spill file failed (full disk): keep them here. */
			free(blob);
			return;
		}
		done += (size_t)w;
	}
	free(blob);
	json_array_clear(h->events);
	h->spill_off = off;
	h->spill_len = len;
}

/* A spilled child's events, back in memory for its merge. */
static void unspill(asl_exec *x, asl_hist *h)
{
	char *blob, *line, *end;

	if (!h->spill_len)
		return;
	blob = asl_xmalloc(h->spill_len + 1);
	for (size_t done = 0; done < h->spill_len;) {
		ssize_t r = pread(x->spill_fd, blob + done, h->spill_len - done,
		                  (off_t)(h->spill_off + (long long)done));
		if (r <= 0) {
			fputs("asl2c runtime: cannot read back the history's spill "
			      "file\n", stderr);
			asl_oom(); /* no history can be written: stop */
		}
		done += (size_t)r;
	}
	blob[h->spill_len] = '\0';
	for (line = blob; *line; line = end + 1) {
		json_t *ev;
		end = strchr(line, '\n');
		*end = '\0';
		if (!(ev = json_loads(line, 0, NULL)) ||
		    json_array_append_new(h->events, ev) < 0)
			asl_oom();
	}
	free(blob);
	h->spill_len = 0;
}

/* AWS's event timestamps, in the CLI's ISO 8601 form, to the millisecond. */
static json_t *timestamp(long long ms)
{
	char buf[48];

	asl_format_time_millis(ms, buf, sizeof buf);
	return json_string(buf);
}

/* The execution's last event: the quota never cuts it. */
static bool final_event(const char *type)
{
	return type[0] == 'E' && !strncmp(type, "Execution", 9) &&
	       strcmp(type, "ExecutionStarted");
}

static long event_prev(asl_ctx *c, long prev, const char *type,
                       const char *key, json_t *details)
{
	asl_hist *h = c->hist;
	long id;

	if (!h) {
		json_decref(details);
		return 0;
	}
	/* AWS's quota: the event that would be the 25,000th is recorded only
	 * if it ends the execution; otherwise the execution fails, and its
	 * ExecutionFailed is that event (doc/semantics.md). */
	if (c->x->history_limit && !final_event(type)) {
		long total = atomic_fetch_add(&c->x->n_events, 1) + 1;
		if (total >= c->x->history_limit ||
		    atomic_load(&c->x->history_full)) {
			atomic_store(&c->x->history_full, 1);
			json_decref(details);
			return h->last;
		}
	}
	id = ++h->n;
	if (h->events) {
		json_t *ev = json_object();
		if (!ev ||
		    json_object_set_new(ev, "timestamp",
		                        timestamp(asl_now_ms(c))) < 0 ||
		    json_object_set_new(ev, "type", json_string(type)) < 0 ||
		    json_object_set_new(ev, "id", json_integer(id)) < 0 ||
		    json_object_set_new(ev, "previousEventId",
		                        json_integer(prev)) < 0 ||
		    (key && !details) ||
		    (details && json_object_set_new(ev, key, details) < 0))
			asl_oom();
		keep(h, ev);
		json_decref(ev);
	} else {
		json_decref(details);
	}
	/* As AWS records it, the first state's entry, like ExecutionStarted,
	 * has previousEventId 0. */
	if (type[0] != 'E' || strcmp(type, "ExecutionStarted"))
		h->last = id;
	return id;
}

long asl_event(asl_ctx *c, const char *type, const char *key,
               json_t *details)
{
	return event_prev(c, c->hist ? c->hist->last : 0, type, key, details);
}

/* A JSON document as the history's details hold it: a string. */
static json_t *doc(const json_t *v)
{
	char *d = jt_text(v);
	json_t *s = json_string(d);

	free(d);
	return s;
}

static bool recording(const asl_ctx *c)
{
	return c->hist && c->hist->events;
}

/* The names of the events of each state type (no formatting on the path
 * every transition takes). */
static const char *const entered[] = {
	[ASL_TASK] = "TaskStateEntered", [ASL_PASS] = "PassStateEntered",
	[ASL_CHOICE] = "ChoiceStateEntered", [ASL_WAIT] = "WaitStateEntered",
	[ASL_SUCCEED] = "SucceedStateEntered", [ASL_FAIL] = "FailStateEntered",
	[ASL_PARALLEL] = "ParallelStateEntered", [ASL_MAP] = "MapStateEntered"
};
static const char *const exited[] = {
	[ASL_TASK] = "TaskStateExited", [ASL_PASS] = "PassStateExited",
	[ASL_CHOICE] = "ChoiceStateExited", [ASL_WAIT] = "WaitStateExited",
	[ASL_SUCCEED] = "SucceedStateExited", [ASL_FAIL] = "FailStateExited",
	[ASL_PARALLEL] = "ParallelStateExited", [ASL_MAP] = "MapStateExited"
};

/* Events counted, not recorded, with no quota to apply (no --history, and
 * --no-history-limit): what event_prev does for a state's event then, on
 * the path every transition takes. */
static bool counting_only(const asl_ctx *c)
{
	return c->hist && !c->hist->events && !c->x->history_limit;
}

void asl_hist_enter(asl_ctx *c, const asl_state *s, json_t *input)
{
	const char *type;
	json_t *d = NULL;

	if (counting_only(c)) {
		c->entered_event = c->hist->last = ++c->hist->n;
		return;
	}
	type = entered[s->type <= ASL_MAP ? s->type : ASL_TASK];
	if (recording(c))
		d = json_pack("{s:s, s:o, s:{s:b}}", "name", s->name,
		              "input", doc(input), "inputDetails", "truncated", 0);
	c->entered_event = asl_event(c, type, "stateEnteredEventDetails", d);
}

void asl_hist_exit(asl_ctx *c, const asl_state *s, json_t *output)
{
	const char *type = exited[s->type <= ASL_MAP ? s->type : ASL_TASK];
	json_t *d = NULL;
	long prev;

	if (!c->hist)
		return;
	if (counting_only(c)) {
		c->hist->exit_prev = 0;
		c->hist->last = ++c->hist->n;
		return;
	}
	prev = c->hist->exit_prev ? c->hist->exit_prev : c->hist->last;
	c->hist->exit_prev = 0;
	if (recording(c))
		d = json_pack("{s:s, s:o, s:{s:b}}", "name", s->name,
		              "output", doc(output), "outputDetails",
		              "truncated", 0);
	event_prev(c, prev, type, "stateExitedEventDetails", d);
}

void asl_hist_started(asl_ctx *c, const asl_state *s, size_t n)
{
	long id;

	if (s->type == ASL_MAP)
		id = asl_event(c, "MapStateStarted", "mapStateStartedEventDetails",
		               json_pack("{s:I}", "length", (json_int_t)n));
	else
		id = asl_event(c, "ParallelStateStarted", NULL, NULL);
	if (c->hist)
		c->hist->started = id;
}

/* A States.Runtime (or States.QueryEvaluationError) cause quotes the id
 * of the state's entry: shift it into the parent's numbering. */
static void shift_cause(asl_child *k, long off)
{
	static const char head[] = "An error occurred while executing the state '";
	static const char mark[] = "' (entered at the event id #";
	const char *p, *q;
	char *end, *fixed;
	long id;

	if (!k->error || (strcmp(k->error, ASL_ERR(RUNTIME)) &&
	                  strcmp(k->error, ASL_ERR(QUERY_EVALUATION_ERROR))) ||
	    !k->cause ||
	    strncmp(k->cause, head, sizeof head - 1))
		return;
	if (!(p = strstr(k->cause, mark)))
		return;
	q = p + sizeof mark - 1;
	id = strtol(q, &end, 10);
	if (end == q)
		return;
	fixed = asl_sprintf("%.*s%ld%s", (int)(q - k->cause), k->cause,
	                    id + off, end);
	free(k->cause);
	k->cause = fixed;
}

void asl_hist_keep(asl_child *r, asl_hist *h)
{
	r->hist = h;
	r->counted = false;
	if (h && !h->events && !h->spill_len && !h->sink) {
		r->n_events = h->n;
		r->last_event = h->last;
		r->counted = true;
		r->hist = NULL;
		asl_hist_free(h);
	}
}

/* The details of a MapIteration* event, when they are recorded. */
static json_t *iteration(const asl_ctx *c, const asl_state *s, size_t i)
{
	if (!recording(c))
		return NULL;
	return json_pack("{s:I, s:s}", "index", (json_int_t)i, "name", s->name);
}

/* Child k's events into the parent's history h, renumbered after its
 * last (off), the first one following start; returns the id of the
 * child's last event in h's numbering, or start when it has none. */
static long take_events(asl_exec *x, asl_hist *h, asl_child *k, long start)
{
	asl_hist *kh = k->hist != h ? k->hist : NULL;
	long off = h->n, last = start;
	size_t j;
	json_t *ev;

	if (!kh && !k->counted)
		return last;
	if (kh)
		unspill(x, kh);
	json_array_foreach(kh ? kh->events : NULL, j, ev) {
		long id = (long)json_integer_value(json_object_get(ev, "id"));
		long pv = (long)json_integer_value(
		    json_object_get(ev, "previousEventId"));
		if (json_object_set_new(ev, "id", json_integer(id + off)) < 0 ||
		    json_object_set_new(ev, "previousEventId",
		                        json_integer(pv ? pv + off : start)) < 0)
			asl_oom();
		keep(h, ev);
	}
	long klast = kh ? kh->last : k->last_event;
	h->n += kh ? kh->n : k->n_events;
	if (klast)
		last = klast + off;
	shift_cause(k, off);
	asl_hist_free(kh);
	k->hist = NULL;
	return last;
}

/* A Map iteration's closing event: Succeeded, Aborted (stopped by a
 * sibling) or Failed. */
static void iteration_end(asl_ctx *c, const asl_state *s, const asl_child *k,
                          bool ok, size_t i, long last)
{
	const char *type = "MapIterationSucceeded";
	const char *key = "mapIterationSucceededEventDetails";

	if (!ok && k->error && !strcmp(k->error, ASL_ERR(CANCELLED))) {
		type = "MapIterationAborted";
		key = "mapIterationAbortedEventDetails";
	} else if (!ok) {
		type = "MapIterationFailed";
		key = "mapIterationFailedEventDetails";
	}
	event_prev(c, last, type, key, iteration(c, s, i));
}

void asl_hist_merge(asl_ctx *c, const asl_state *s, asl_child *kids,
                    json_t *const *results, size_t n)
{
	asl_hist *h = c->hist;
	bool map = s->type == ASL_MAP;
	long prev;

	if (!h) {
		/* Nothing to merge into: the children's own still go. */
		for (size_t i = 0; i < n; i++) {
			asl_hist_free(kids[i].hist);
			kids[i].hist = NULL;
		}
		return;
	}
	prev = h->started;
	h->fail_prev = 0;
	for (size_t i = 0; i < n; i++) {
		asl_child *k = &kids[i];
		long start, last;

		if (!k->started)
			continue; /* cancelled before it started */
		if (k->error && !strcmp(k->error, ASL_ERR(CANCELLED))) {
			/* Stopped because a sibling failed first: how far it got
			 * depends on the threads, so it leaves no events, and the
			 * history (and every id after it) is the same on every
			 * run (doc/semantics.md). */
			if (k->hist != h)
				asl_hist_free(k->hist);
			k->hist = NULL;
			continue;
		}
		start = h->started;
		if (map)
			start = event_prev(c, prev, "MapIterationStarted",
			                   "mapIterationStartedEventDetails",
			                   iteration(c, s, i));
		last = take_events(c->x, h, k, start);
		h->last = last;
		if (!results[i] && !h->fail_prev)
			h->fail_prev = last;
		if (map)
			iteration_end(c, s, k, results[i] != NULL, i, last);
		prev = last;
	}
}

void asl_hist_end(asl_ctx *c, const asl_state *s, bool ok)
{
	asl_hist *h = c->hist;
	const char *what = s->type == ASL_MAP ? "Map" : "Parallel";
	char type[40];

	if (!h)
		return;
	snprintf(type, sizeof type, "%sState%s", what, ok ? "Succeeded"
	                                                   : "Failed");
	if (ok) {
		long prev = h->last;
		event_prev(c, prev, type, NULL, NULL);
		h->exit_prev = prev;
	} else {
		event_prev(c, h->fail_prev ? h->fail_prev : h->last, type, NULL,
		           NULL);
	}
}
