/*
 * timed.c - a C handler under a task's TimeoutSeconds (doc/handlers.md):
 * it runs on a thread of its own while the task waits for it until the
 * timeout.  When the timeout passes first, the task fails with
 * States.Timeout at once; the handler is told (asl_invocation_cancelled
 * becomes non-zero) and left to return when it will, and whatever it
 * returns then is dropped.  A thread cannot be stopped safely from
 * outside: the handler has to notice, or to end by itself.
 *
 * The handler's thread owns what it works on: a copy of the event, of
 * its invocation and of the task's context (its state name, task token,
 * random generator), so nothing it touches goes away when the task moves
 * on.  When it returns in time, its invocation and the generator's state
 * are the task's again: a run in time is the same as one on the task's
 * own thread.  (External commands are not run this way: the bridge kills
 * them at the timeout.)
 */
#include "local.h"
#include "clock.h"

#include <stdlib.h>
#include <string.h>

typedef struct timed_call {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs;             /* the task's and the thread's */
	bool done;
	atomic_int told;      /* asl_invocation_cancelled: the result is not
	                         wanted any more */
	const asl_handler *h;
	asl_invocation inv;   /* the handler's */
	asl_ctx shadow;       /* the context it sees */
	json_t *event;        /* its own copy */
	json_t *result;
	int rc;
} timed_call;

static void release(timed_call *t)
{
	bool last;

	pthread_mutex_lock(&t->mu);
	last = --t->refs == 0;
	pthread_mutex_unlock(&t->mu);
	if (!last)
		return;
	if (t->inv.c) { /* abandoned: nobody takes what the handler left */
		free(t->inv.error);
		free(t->inv.cause);
		free(t->inv.error_text);
		free(t->inv.log);
		json_decref(t->inv.error_payload);
		json_decref(t->result);
	}
	json_decref(t->event);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	free(t);
}

static void *run(void *arg)
{
	timed_call *t = arg;

	t->rc = t->h->fn(&t->inv, t->event, &t->result, t->h->user);
	pthread_mutex_lock(&t->mu);
	t->done = true;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	release(t);
	return NULL;
}

/* Wait for the handler until deadline (monotonic ms), telling it when
 * the task's result stops being wanted: true when it returned. */
static bool await(timed_call *t, asl_ctx *c, long long deadline)
{
	bool done;

	pthread_mutex_lock(&t->mu);
	while (!t->done) {
		long long now = monotonic_ms(), until = now + 50;
		if (now >= deadline)
			break;
		if (until > deadline)
			until = deadline;
		/* A sibling's failure or the execution's end: the handler is
		 * told, and still waited for (as a handler on the task's own
		 * thread runs to its end). */
		if (atomic_load(&c->x->aborted) || atomic_load(&c->x->timed_out) ||
		    asl_cancelled(c))
			atomic_store(&t->told, 1);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		long long ms = until - now;
		ts.tv_sec += (time_t)(ms / 1000);
		ts.tv_nsec += (long)(ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&t->cv, &t->mu, &ts);
	}
	done = t->done;
	pthread_mutex_unlock(&t->mu);
	return done;
}

int asl_call_timed(asl_invocation *inv, const asl_handler *h, json_t *event,
                   json_t **result)
{
	timed_call *t = calloc(1, sizeof *t);
	asl_ctx *c = inv->c;
	pthread_t th;
	pthread_attr_t attr;

	if (!t)
		asl_oom();
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	t->refs = 2;
	t->h = h;
	t->shadow = *c;
	t->inv = *inv;
	t->inv.c = &t->shadow;
	t->inv.told = &t->told;
	if (!(t->event = json_deep_copy(event)) && event)
		asl_oom();
	long long deadline = monotonic_ms() + inv->timeout_ms;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &attr, run, t) != 0) {
		/* No thread: the handler runs here, as it would without a
		 * timeout (call_handler then checks its running time). */
		pthread_attr_destroy(&attr);
		t->refs = 1;
		t->inv.c = NULL;
		release(t);
		return h->fn(inv, event, result, h->user);
	}
	pthread_attr_destroy(&attr);
	if (!await(t, c, deadline)) {
		atomic_store(&t->told, 1);
		release(t); /* the thread frees what it leaves */
		inv->timed_out = true;
		return -1;
	}
	/* In time: the handler's invocation and draws are the task's. */
	c->rng = t->shadow.rng;
	*inv = t->inv;
	inv->c = c;
	inv->told = NULL;
	*result = t->result;
	t->result = NULL;
	int rc = t->rc;
	t->inv.c = NULL; /* its fields are the task's now */
	release(t);
	return rc;
}
