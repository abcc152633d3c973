/*
 * exec.c - contexts, the run loop, errors, the clock and the seeded
 * random generator.
 */
#include "internal.h"
#include "clock.h"
#include "strbuf.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

/* ------------------------------------------------------------- utilities */

/* Out of memory is never a wrong answer: the program stops at once with
 * exit status 71 (asl2c-run(7)).  Nothing is half written: the output
 * files are unnamed until committed (outfile.c), stdout is printed last. */
void asl_oom(void)
{
	static const char msg[] = "asl2c runtime: out of memory\n";

	if (write(2, msg, sizeof msg - 1) < 0) {
		/* nothing more to do */
	}
	_exit(ASL_EXIT_OOM);
}

/* Every allocation of the runtime and of jansson goes through alloc():
 * one that fails stops the program (asl_oom), so no constructor ever
 * returns NULL for want of memory and no result is built from a failed
 * one.  (jansson's parser, for one, keeps going when its string buffer
 * cannot grow, and hands back a wrong string.)
 *
 * A test-only hook (doc/reliability.md, "Allocation failures"): with
 * ASL2C_TEST_FAIL_ALLOC=N in the environment, the Nth allocation fails
 * (the count is the process's: run with OMP_NUM_THREADS=1 to make it
 * reproducible).  tests/hostile/alloc_fail.sh runs a machine for every N
 * and requires the right output or exit 71. */
static atomic_long test_allocs, test_fail_at;

static void *alloc(size_t n)
{
	long at = atomic_load(&test_fail_at);
	void *p;

	if (at > 0 && atomic_fetch_add(&test_allocs, 1) + 1 == at)
		p = NULL;
	else
		p = malloc(n ? n : 1);
	if (!p)
		asl_oom();
	return p;
}

void asl_alloc_init(void)
{
	const char *e = getenv("ASL2C_TEST_FAIL_ALLOC");
	long n = e ? strtol(e, NULL, 10) : 0;

	if (n > 0)
		atomic_store(&test_fail_at, n);
	json_set_alloc_funcs(alloc, free);
	sb_set_oom(asl_oom);
}

void asl_test_alloc_hook_end(void)
{
	long n = atomic_load(&test_fail_at), made = atomic_load(&test_allocs);

	if (n > 0 && made < n)
		fprintf(stderr, "asl2c runtime: test hook: allocation %ld not "
		        "reached (%ld made)\n", n, made);
}

void *asl_xmalloc(size_t n)
{
	return alloc(n);
}

char *asl_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(asl_xmalloc(n), s, n);
}

char *asl_vsprintf(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *s;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		asl_oom();
	s = asl_xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *asl_sprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = asl_vsprintf(fmt, ap);
	va_end(ap);
	return s;
}

const char *asl_version(void)
{
	return ASL2C_VERSION;
}

/* ---------------------------------------------------------------- errors */

#define ASL_ERROR_TEXT_(n, name) name,
const char *const asl_error_names[ASL_E_COUNT] = {
	ASL_ERROR_NAMES(ASL_ERROR_TEXT_)
};
#undef ASL_ERROR_TEXT_

void asl_set_error(asl_ctx *c, const char *error, const char *cause)
{
	char *e = asl_strdup(error), *k = cause ? asl_strdup(cause) : NULL;

	asl_clear_error(c);
	c->error = e;
	c->cause = k;
}

void asl_clear_error(asl_ctx *c)
{
	free(c->error);
	free(c->cause);
	c->error = c->cause = NULL;
}

void asl_raise(asl_ctx *c, const char *error, const char *fmt, ...)
{
	va_list ap;
	char *cause;

	va_start(ap, fmt);
	cause = asl_vsprintf(fmt, ap);
	va_end(ap);
	asl_clear_error(c);
	c->error = asl_strdup(error);
	c->cause = cause;
}

static void state_error(asl_ctx *c, const char *error, const char *fmt,
                        va_list ap) ASL_PRINTF(3, 0);
static void state_error(asl_ctx *c, const char *error, const char *fmt,
                        va_list ap)
{
	char *msg = asl_vsprintf(fmt, ap);

	asl_raise(c, error, "An error occurred while executing the state '%s' "
	          "(entered at the event id #%ld). %s",
	          c->state ? c->state : "", c->entered_event, msg);
	free(msg);
}

void asl_state_error(asl_ctx *c, const char *error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	state_error(c, error, fmt, ap);
	va_end(ap);
}

void asl_runtime_error(asl_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	state_error(c, ASL_ERR(RUNTIME), fmt, ap);
	va_end(ap);
}

bool asl_error_is_uncatchable(const char *error)
{
	return !error || !strcmp(error, ASL_ERR(RUNTIME)) ||
	       !strcmp(error, ASL_ERR(DATA_LIMIT_EXCEEDED));
}

bool asl_error_matches(const char *error, const char *const *names,
                       unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!strcmp(names[i], error))
			return true;
		if (!strcmp(names[i], ASL_ERR(ALL)))
			return !asl_error_is_uncatchable(error);
		/* States.Timeout is also a heartbeat's timeout (AWS's
		 * matcher before States.HeartbeatTimeout existed) */
		if (!strcmp(names[i], ASL_ERR(TIMEOUT)) &&
		    !strcmp(error, ASL_ERR(HEARTBEAT_TIMEOUT)))
			return true;
		if (!strcmp(names[i], ASL_ERR(TASK_FAILED)) &&
		    strcmp(error, ASL_ERR(TIMEOUT)) &&
		    strcmp(error, ASL_ERR(HEARTBEAT_TIMEOUT)) &&
		    !asl_error_is_uncatchable(error))
			return true;
	}
	return false;
}

/* ----------------------------------------------------------------- clock */

long long asl_now_ms(const asl_ctx *c)
{
	const asl_exec *x = c->x;
	long long t = x->start_ms + c->offset_ms;

	if (!x->virtual_clock)
		t += monotonic_ms() - x->real0_ms;
	return t;
}

static bool past_deadline(asl_ctx *c)
{
	asl_exec *x = c->x;

	if (atomic_load(&x->timed_out))
		return true;
	if (x->deadline_ms && asl_now_ms(c) - x->start_ms >= x->deadline_ms) {
		atomic_store(&x->timed_out, 1);
		return true;
	}
	return false;
}

/* Whether child a at time ta comes before child b at time tb. */
static bool precedes(const asl_stop *s, long long ta, size_t a, long long tb,
                     size_t b)
{
	if (a < s->wave && b < s->wave)
		return ta < tb || (ta == tb && a < b);
	return a < b;
}

void asl_stop_post(asl_stop *s, long long t, size_t i)
{
	pthread_mutex_lock(&s->lock);
	if (!atomic_load(&s->posted) || precedes(s, t, i, s->at, s->index)) {
		s->at = t;
		s->index = i;
		atomic_store(&s->posted, 1);
	}
	pthread_mutex_unlock(&s->lock);
}

/* Whether child i at time t is past the stop point: 0 no, else 1, and the
 * stop's time in *at. */
static bool stop_past(asl_stop *s, long long t, size_t i, long long *at)
{
	bool past;

	if (!atomic_load(&s->posted))
		return false;
	pthread_mutex_lock(&s->lock);
	past = precedes(s, s->at, s->index, t, i);
	/* ordered by index: past from the start (stopped where it is) */
	*at = i < s->wave && s->index < s->wave ? s->at : LLONG_MIN;
	pthread_mutex_unlock(&s->lock);
	return past;
}

/* Whether c (or a context enclosing it) is past a stop point at time t;
 * *at: the earliest such point's time (LLONG_MIN: from the start). */
static bool stop_at(const asl_ctx *c, long long t, long long *at)
{
	bool past = false;
	long long a;

	*at = LLONG_MAX;
	for (; c; c = c->parent) {
		if (c->cancel && atomic_load(c->cancel)) {
			*at = LLONG_MIN;
			return true;
		}
		if (c->stop && stop_past(c->stop, t, c->index, &a)) {
			past = true;
			if (a < *at)
				*at = a;
		}
	}
	return past;
}

/* Whether a sibling failure of c or of a context enclosing it is posted. */
static bool stop_posted(const asl_ctx *c)
{
	for (; c; c = c->parent)
		if ((c->stop && atomic_load(&c->stop->posted)) ||
		    (c->cancel && atomic_load(c->cancel)))
			return true;
	return false;
}

bool asl_stop_passed(asl_stop *s, long long t, size_t i)
{
	long long at;
	return stop_past(s, t, i, &at);
}

bool asl_stop_get(asl_stop *s, long long *at, size_t *index)
{
	if (!atomic_load(&s->posted))
		return false;
	pthread_mutex_lock(&s->lock);
	*at = s->at;
	*index = s->index;
	pthread_mutex_unlock(&s->lock);
	return true;
}

bool asl_past_stop(const asl_ctx *c, long long t)
{
	long long at;
	return stop_at(c, t, &at);
}

bool asl_cancelled(const asl_ctx *c)
{
	return asl_past_stop(c, asl_now_ms(c));
}

/* Whether c or a context enclosing it can be stopped by a sibling. */
static bool may_stop(const asl_ctx *c)
{
	for (; c; c = c->parent)
		if (c->cancel || c->stop)
			return true;
	return false;
}

static bool stopped(asl_ctx *c)
{
	if (past_deadline(c)) {
		asl_set_error(c, ASL_ERR(TIMEOUT), NULL);
		return true;
	}
	if (atomic_load(&c->x->aborted)) {
		asl_set_error(c, ASL_ERR(ABORTED), "The execution was aborted");
		return true;
	}
	if (atomic_load(&c->x->history_full)) {
		asl_set_error(c, ASL_ERR(RUNTIME), ASL_HISTORY_FULL_CAUSE);
		return true;
	}
	/* The clock is read only where a stop point can be posted (in a Map
	 * or Parallel's children), not on every transition of the top level. */
	if (may_stop(c) && asl_cancelled(c)) {
		asl_set_error(c, ASL_ERR(CANCELLED), "A sibling failed");
		return true;
	}
	return false;
}

/* A wait of ms from now: whether a sibling's failure cuts it (the wait's
 * end is past a stop point), and where (*at: that point's time, or
 * LLONG_MIN: at once). */
static bool wait_cut(const asl_ctx *c, long long ms, long long *at)
{
	return stop_at(c, asl_now_ms(c) + ms, at);
}

/* Whether w is ready (NULL: never). */
static bool waiter_ready(const asl_waiter *w)
{
	bool ready;

	if (!w)
		return false;
	pthread_mutex_lock(w->lock);
	ready = w->ready(w->arg);
	pthread_mutex_unlock(w->lock);
	return ready;
}

/* Wait *real ms of real time, less when the execution is aborted, a
 * sibling's failure is posted or w is ready (w's cond is on the monotonic
 * clock); *real is what was left.  Whether w is ready. */
static bool wait_real(asl_ctx *c, long long *real, const asl_waiter *w)
{
	asl_exec *x = c->x;
	long long end = monotonic_ms() + *real;
	bool ready = waiter_ready(w);

	while (!ready && *real > 0 && !atomic_load(&x->aborted) &&
	       !stop_posted(c)) {
		long long slice = *real < 100 ? *real : 100;
		struct timespec ts = { slice / 1000, (slice % 1000) * 1000000 };
		if (!w) {
			while (nanosleep(&ts, &ts) < 0 && errno == EINTR &&
			       !atomic_load(&x->aborted))
				;
			*real -= slice;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += slice / 1000;
		ts.tv_nsec += (slice % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(w->lock);
		if (!(ready = w->ready(w->arg))) {
			pthread_cond_timedwait(w->cond, w->lock, &ts);
			ready = w->ready(w->arg);
		}
		pthread_mutex_unlock(w->lock);
		*real = end - monotonic_ms();
	}
	return ready;
}

/* A wait a sibling's failure cut at cut: stopped at the failure's time,
 * no further.  -1. */
static int cut_short(asl_ctx *c, long long cut)
{
	long long now = asl_now_ms(c);

	if (cut > now)
		c->offset_ms += cut - now;
	if (!stopped(c))
		asl_set_error(c, ASL_ERR(CANCELLED), "A sibling failed");
	return -1;
}

/* A wait that ended early, w ready after waited ms of real time: the
 * clock advances by the virtual time that stands for (never less than
 * the real time a real clock counted already), unless a sibling's
 * failure came first.  1, or -1 stopped. */
static int ended_early(asl_ctx *c, long long left, long long waited)
{
	asl_exec *x = c->x;
	long long spent = x->virtual_clock ? 0 : waited, cut, v = 0;

	if (x->time_scale > 0)
		v = (long long)((double)waited / x->time_scale);
	if (v > left)
		v = left;
	if (v < spent)
		v = spent;
	if (wait_cut(c, v - spent, &cut) && cut < asl_now_ms(c) + v - spent)
		return cut_short(c, cut);
	c->offset_ms += v - spent;
	return stopped(c) ? -1 : 1;
}

int asl_wait_for(asl_ctx *c, long long ms, const asl_waiter *w)
{
	asl_exec *x = c->x;
	long long left = ms, cut;
	bool clock_end = false;

	/* Never wait past the execution's deadline: it times out at once. */
	if (x->deadline_ms) {
		long long until = x->start_ms + x->deadline_ms - asl_now_ms(c);
		if (until < left)
			left = until < 0 ? 0 : until;
	}
	/* Nor past the clock's last instant: the execution times out there
	 * (AWS's one-year limit would have ended it long before). */
	long long room = ASL_CLOCK_MAX_MS - asl_now_ms(c);
	if (room < left) {
		left = room < 0 ? 0 : room;
		clock_end = true;
	}
	/* --time-scale is at most ASL_TIME_SCALE_MAX: no overflow here. */
	long long real = (long long)((double)left * x->time_scale), real0 = real;
	long long t0 = monotonic_ms(), now0 = asl_now_ms(c);
	/* A sibling's failure cuts the wait where it happened on the clock;
	 * once one is known, the waits that remain take no real time: their
	 * outcome is known (doc/semantics.md). */
	if (wait_real(c, &real, w))
		return ended_early(c, left, monotonic_ms() - t0);
	/* The virtual clock advances by the whole interval, unless the
	 * execution was aborted in the middle: its clock stops there. */
	long long spent = x->virtual_clock ? 0 : monotonic_ms() - t0;
	if (atomic_load(&x->aborted) && (real > 0 || !real0)) {
		if (x->virtual_clock && real0) {
			double v = (double)(monotonic_ms() - t0) / x->time_scale;
			c->offset_ms += v < (double)left ? (long long)v : left;
		}
		return stopped(c) ? -1 : 0;
	}
	if (wait_cut(c, left - spent, &cut) && cut < now0 + left)
		return cut_short(c, cut);
	c->offset_ms += left - spent;
	if (clock_end)
		atomic_store(&x->timed_out, 1);
	else if (left < ms)
		c->offset_ms += 1; /* step onto the deadline */
	return stopped(c) ? -1 : 0;
}

bool asl_sleep_ms(asl_ctx *c, long long ms)
{
	return asl_wait_for(c, ms, NULL) == 0;
}

/* Epoch ms as seconds and ms, floored: -500 is second -1 and 500 ms
 * (1969-12-31T23:59:59.500Z), not second 0 and -500. */
static int split_ms(long long ms, time_t *s)
{
	long long sec = ms / 1000, frac = ms % 1000;

	if (frac < 0) {
		frac += 1000;
		sec--;
	}
	*s = (time_t)sec;
	return (int)frac;
}

static void format_time(long long ms, char *buf, size_t n, bool millis)
{
	time_t s;
	struct tm tm;
	int frac = split_ms(ms, &s);

	gmtime_r(&s, &tm);
	if (frac || millis)
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		         tm.tm_min, tm.tm_sec, frac);
	else
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		         tm.tm_min, tm.tm_sec);
}

void asl_format_time(long long ms, char *buf, size_t n)
{
	format_time(ms, buf, n, false);
}

void asl_format_time_millis(long long ms, char *buf, size_t n)
{
	format_time(ms, buf, n, true);
}

void asl_format_http_date(long long ms, char *buf, size_t n)
{
	time_t s;
	struct tm tm;

	split_ms(ms, &s);
	gmtime_r(&s, &tm);
	strftime(buf, n, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

long long asl_epoch_seconds(long long ms)
{
	time_t s;

	split_ms(ms, &s);
	return (long long)s;
}

/* ---------------------------------------------------------------- random */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t asl_random(asl_ctx *c)
{
	return splitmix(&c->rng);
}

void asl_uuid(asl_ctx *c, char out[37])
{
	uuid_t u;
	uint64_t a = asl_random(c), b = asl_random(c);

	memcpy(u, &a, 8);
	memcpy(u + 8, &b, 8);
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40); /* version 4 */
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	uuid_unparse_lower(u, out);
}

/* -------------------------------------------------------------- contexts */

void asl_ctx_child(asl_ctx *child, asl_ctx *parent, uint64_t stream,
                   atomic_int *cancel)
{
	uint64_t seed = parent->rng ^ (stream * 0xd1b54a32d192ed03ULL);

	memset(child, 0, sizeof *child);
	child->x = parent->x;
	child->parent = parent;
	child->state = parent->state;
	child->entered_ms = parent->entered_ms;
	child->entered_event = parent->entered_event;
	child->offset_ms = parent->offset_ms;
	child->rng = splitmix(&seed);
	child->cancel = cancel;
	child->hist = parent->hist; /* a Map iteration gets its own (map.c) */
}

void asl_ctx_release(asl_ctx *c)
{
	json_decref(c->vars);
	c->vars = NULL;
	asl_clear_error(c);
}

void asl_enter_state(asl_ctx *c, const asl_state *s)
{
	c->state = s->name;
	/* Only $$.State.EnteredTime ($states.context.State.EnteredTime)
	 * reads it: no clock when nothing can. */
	c->entered_ms = c->x->prog->context_unused &&
	                !c->x->jsonata_reads_context ? 0 : asl_now_ms(c);
	c->retry_count = 0; /* entered_event: asl_run records the entry */
	c->task_token[0] = '\0'; /* a callback task's attempts draw theirs */
}

void asl_inspect(asl_ctx *c, const char *field, const json_t *v)
{
	json_t *copy;

	if (!c->x->inspect || !c->state || !v)
		return;
	if (!(copy = json_deep_copy(v)))
		asl_oom();
	/* Map iterations and Parallel branches record from their threads. */
#pragma omp critical(asl_inspect)
	{
		json_t *st = json_object_get(c->x->inspect, c->state);
		if (!st) {
			st = json_object();
			json_object_set_new(c->x->inspect, c->state, st);
		}
		json_object_set_new(st, field, copy);
	}
}

/* The context object's Map member, in an iteration's ItemSelector. */
static json_t *map_member(const asl_ctx *c)
{
	json_t *item = json_object(), *m = json_object();

	if (!item || !m)
		asl_oom();
	json_object_set_new_nocheck(item, "Index",
	                            json_integer((json_int_t)c->item_index));
	json_object_set_nocheck(item, "Value", c->item_value);
	if (c->item_source)
		json_object_set_new_nocheck(item, "Source",
		                            json_string(c->item_source));
	json_object_set_new_nocheck(m, "Item", item);
	return m;
}

json_t *asl_context_map_object(const asl_ctx *c)
{
	json_t *o = json_object();

	if (!o)
		asl_oom();
	if (c->in_item)
		json_object_set_new_nocheck(o, "Map", map_member(c));
	return o;
}

json_t *asl_context_object(const asl_ctx *c)
{
	char when[40];
	json_t *o;

	asl_format_time(c->entered_ms, when, sizeof when);
	o = json_pack("{s:O, s:{s:s, s:s, s:I}, s:O}",
	              "Execution", c->x->ctx_execution,
	              "State", "EnteredTime", when, "Name", c->state ? c->state : "",
	              "RetryCount", (json_int_t)c->retry_count,
	              "StateMachine", c->x->ctx_machine);
	if (c->in_item)
		json_object_set_new(o, "Map", map_member(c));
	if (c->task_token[0])
		json_object_set_new(o, "Task", json_pack("{s:s}", "Token",
		                                         c->task_token));
	return o;
}

/* -------------------------------------------------------------- run loop */

int asl_run(asl_ctx *c, int start, json_t **io)
{
	const asl_program *p = c->x->prog;
	int s = start;

	while (s >= 0) {
		const asl_state *d = p->descs[s];
		if (stopped(c))
			return ASL_ERROR;
		asl_hist_enter(c, d, *io); /* <Type>StateEntered: entered_event */
		s = p->states[s](c, io);
		if (s != ASL_FAILED)
			asl_hist_exit(c, d, *io);
	}
	return s == ASL_END ? ASL_OK : ASL_ERROR;
}
