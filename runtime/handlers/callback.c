/*
 * callback.c - the callback pattern (.waitForTaskToken): task tokens
 * ($$.Task.Token), the execution's table of them, SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat (asl2c/handler.h; the endpoint
 * answers with the same), and a callback task's wait for its outcome on
 * the execution's clock; activities (a Task whose Resource is an activity
 * ARN): their tokens queued for GetActivityTask, in the order their tasks
 * were scheduled.
 *
 * A token is drawn from the context's seeded generator at each attempt
 * of the task, before its Parameters are evaluated: runs with one --seed
 * draw the same tokens, and a retry draws a new one.  The table lives as
 * long as the execution; one lock guards it and one condition variable
 * (on the monotonic clock) wakes the tasks that wait on it.
 */
#include "local.h"
#include "exec/libs.h"

#include <stdlib.h>
#include <string.h>

enum { CB_WAITING, CB_SUCCEEDED, CB_FAILED, CB_CLOSED };

struct asl_callback {
	char token[ASL_TOKEN_LEN + 1];
	int status;
	json_t *output;        /* CB_SUCCEEDED */
	char *error, *cause;   /* CB_FAILED; error NULL: none was sent */
	long heartbeats;
	struct asl_callback *next;
	/* An activity's task: its ARN (the state's, borrowed), the input a
	 * worker gets (until one takes it), the worker's name once taken. */
	const char *activity;
	char *input;
	bool taken;
	char *worker;
	struct asl_callback *q_next; /* the queue of tasks not taken yet */
};

#define CB_BUCKETS 256

struct asl_callbacks {
	pthread_mutex_t lock;
	pthread_cond_t cond;   /* broadcast on every change */
	asl_callback *bucket[CB_BUCKETS];
	char *endpoint;        /* the endpoint's URL, or NULL */
	/* The activity tasks waiting for a worker, oldest first (entries
	 * taken or ended meanwhile are dropped as the queue is walked). */
	asl_callback *q_head, **q_tail;
	bool ended;            /* the execution ended: no more tasks */
};

asl_callbacks *asl_callbacks_new(void)
{
	asl_callbacks *cb = calloc(1, sizeof *cb);
	pthread_condattr_t a;

	if (!cb)
		asl_oom();
	pthread_mutex_init(&cb->lock, NULL);
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&cb->cond, &a);
	pthread_condattr_destroy(&a);
	cb->q_tail = &cb->q_head;
	return cb;
}

static void entry_clear(asl_callback *e)
{
	json_decref(e->output);
	free(e->error);
	free(e->cause);
	free(e->input);
	e->output = NULL;
	e->error = e->cause = e->input = NULL;
}

void asl_callbacks_free(asl_callbacks *cb)
{
	if (!cb)
		return;
	for (size_t i = 0; i < CB_BUCKETS; i++)
		for (asl_callback *e = cb->bucket[i], *n; e; e = n) {
			n = e->next;
			entry_clear(e);
			free(e->worker);
			free(e);
		}
	pthread_cond_destroy(&cb->cond);
	pthread_mutex_destroy(&cb->lock);
	free(cb->endpoint);
	free(cb);
}

void asl_callbacks_set_endpoint(asl_callbacks *cb, const char *url)
{
	free(cb->endpoint);
	cb->endpoint = url ? asl_strdup(url) : NULL;
}

const char *asl_callbacks_endpoint(const asl_callbacks *cb)
{
	return cb ? cb->endpoint : NULL;
}

/* ---------------------------------------------------------------- tokens */

void asl_callbacks_end(asl_callbacks *cb)
{
	pthread_mutex_lock(&cb->lock);
	cb->ended = true;
	pthread_cond_broadcast(&cb->cond);
	pthread_mutex_unlock(&cb->lock);
}

bool asl_is_activity_arn(const char *r)
{
	/* arn:PARTITION:states:REGION:ACCOUNT:activity:NAME; every Task
	 * attempt asks, so the service is looked at first: a Lambda
	 * function's ARN is told apart at its third field. */
	const char *p;
	int field = 2;

	if (!r || strncmp(r, "arn:", 4) || !(p = strchr(r + 4, ':')) ||
	    strncmp(p, ":states:", 8))
		return false;
	for (p += 7; *p; p++)
		if (*p == ':' && ++field == 5)
			break;
	return field == 5 && !strncmp(p, ":activity:", 10) && p[10] &&
	       !strchr(p + 10, ':');
}

bool asl_is_activity(const asl_state *s)
{
	return s->type == ASL_TASK && asl_is_activity_arn(s->resource);
}

bool asl_is_callback(const asl_state *s)
{
	static const char suffix[] = ".waitForTaskToken";
	size_t n = s->resource ? strlen(s->resource) : 0;

	return s->type == ASL_TASK && n >= sizeof suffix - 1 &&
	       !strcmp(s->resource + n - (sizeof suffix - 1), suffix);
}

void asl_task_attempt(asl_ctx *c, const asl_state *s)
{
	unsigned char raw[48];

	c->task_token[0] = '\0';
	if (!asl_is_callback(s) && !asl_is_activity(s))
		return;
	for (size_t i = 0; i < sizeof raw; i += 8) {
		uint64_t r = asl_random(c);
		memcpy(raw + i, &r, 8);
	}
	asl_crypto()->EVP_EncodeBlock((unsigned char *)c->task_token, raw,
	                              sizeof raw);
}

/* Whether t has a token's form (64 characters of base64). */
static bool well_formed(const char *t)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";

	return t && strlen(t) == ASL_TOKEN_LEN &&
	       strspn(t, b64) == ASL_TOKEN_LEN;
}

static asl_callback **slot(asl_callbacks *cb, const char *token)
{
	unsigned h = 5381;

	for (const char *p = token; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return &cb->bucket[h % CB_BUCKETS];
}

/* The entry of a token, under the lock; NULL when there is none. */
static asl_callback *find(asl_callbacks *cb, const char *token)
{
	for (asl_callback *e = *slot(cb, token); e; e = e->next)
		if (!strcmp(e->token, token))
			return e;
	return NULL;
}

/* A new waiting entry for c's token (an activity's when arn is not
 * NULL: queued for a worker with its input). */
static asl_callback *open_entry(asl_ctx *c, const char *arn, json_t *input)
{
	asl_callbacks *cb = c->x->callbacks;
	asl_callback *e = calloc(1, sizeof *e), **b;

	if (!e)
		asl_oom();
	memcpy(e->token, c->task_token, sizeof e->token);
	e->status = CB_WAITING;
	if (arn) {
		e->activity = arn;
		e->input = asl_dump(input);
	}
	pthread_mutex_lock(&cb->lock);
	b = slot(cb, e->token);
	e->next = *b;
	*b = e;
	if (arn) {
		*cb->q_tail = e;
		cb->q_tail = &e->q_next;
		pthread_cond_broadcast(&cb->cond);
	}
	pthread_mutex_unlock(&cb->lock);
	return e;
}

asl_callback *asl_callback_open(asl_ctx *c)
{
	return open_entry(c, NULL, NULL);
}

asl_callback *asl_activity_open(asl_ctx *c, const char *arn, json_t *input)
{
	return open_entry(c, arn, input);
}

/* The oldest task of the activity arn no worker has taken, unqueued;
 * NULL when there is none.  Under the lock. */
static asl_callback *dequeue(asl_callbacks *cb, const char *arn)
{
	asl_callback **pp = &cb->q_head, *e;

	while ((e = *pp)) {
		bool gone = e->status != CB_WAITING || e->taken;
		if (!gone && strcmp(e->activity, arn)) {
			pp = &e->q_next;
			continue;
		}
		*pp = e->q_next;
		if (cb->q_tail == &e->q_next)
			cb->q_tail = pp;
		e->q_next = NULL;
		if (!gone)
			return e;
	}
	return NULL;
}

static bool task_ready(asl_callbacks *cb, const char *arn)
{
	for (asl_callback *e = cb->q_head; e; e = e->q_next)
		if (e->status == CB_WAITING && !e->taken &&
		    !strcmp(e->activity, arn))
			return true;
	return false;
}

int asl_get_activity_task(asl_callbacks *cb, const char *arn,
                          const char *worker, long long max_ms,
                          char token[ASL_TOKEN_LEN + 1], char **input)
{
	struct timespec until;
	asl_callback *e = NULL;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += max_ms / 1000;
	until.tv_nsec += (max_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&cb->lock);
	while (!cb->ended && !task_ready(cb, arn))
		if (pthread_cond_timedwait(&cb->cond, &cb->lock, &until))
			break;
	if (!cb->ended && (e = dequeue(cb, arn))) {
		e->taken = true;
		e->worker = asl_strdup(worker ? worker : "");
		memcpy(token, e->token, ASL_TOKEN_LEN + 1);
		*input = e->input;
		e->input = NULL;
		pthread_cond_broadcast(&cb->cond);
	}
	pthread_mutex_unlock(&cb->lock);
	return e ? 1 : 0;
}

void asl_callback_close(asl_ctx *c, asl_callback *e)
{
	asl_callbacks *cb = c->x->callbacks;

	pthread_mutex_lock(&cb->lock);
	e->status = CB_CLOSED;
	entry_clear(e);
	pthread_mutex_unlock(&cb->lock);
}

/* ------------------------------------------- SendTask* (the API's side) */

/* The waiting entry of token, locked (unlock it), or NULL with the
 * error code. */
static asl_callback *waiting(asl_callbacks *cb, const char *token, int *rc)
{
	asl_callback *e;

	if (!well_formed(token)) {
		*rc = ASL_INVALID_TOKEN;
		return NULL;
	}
	pthread_mutex_lock(&cb->lock);
	if (!(e = find(cb, token)) || e->status != CB_WAITING) {
		*rc = e ? ASL_TASK_TIMED_OUT : ASL_TASK_DOES_NOT_EXIST;
		pthread_mutex_unlock(&cb->lock);
		return NULL;
	}
	return e;
}

static int done(asl_callbacks *cb)
{
	pthread_cond_broadcast(&cb->cond);
	pthread_mutex_unlock(&cb->lock);
	return ASL_CALLBACK_OK;
}

int asl_send_task_success(asl_callbacks *cb, const char *token,
                          const char *output)
{
	json_error_t err;
	json_t *v;
	asl_callback *e;
	int rc;

	if (!(e = waiting(cb, token, &rc)))
		return rc;
	pthread_mutex_unlock(&cb->lock);
	if (!output ||
	    !(v = json_loads(output, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err)))
		return ASL_INVALID_OUTPUT;
	if (!(e = waiting(cb, token, &rc))) { /* completed meanwhile */
		json_decref(v);
		return rc;
	}
	e->output = v;
	e->status = CB_SUCCEEDED;
	return done(cb);
}

int asl_send_task_failure(asl_callbacks *cb, const char *token,
                          const char *error, const char *cause)
{
	asl_callback *e;
	int rc;

	if (!(e = waiting(cb, token, &rc)))
		return rc;
	e->error = error ? asl_strdup(error) : NULL;
	e->cause = cause ? asl_strdup(cause) : NULL;
	e->status = CB_FAILED;
	return done(cb);
}

int asl_send_task_heartbeat(asl_callbacks *cb, const char *token)
{
	asl_callback *e;
	int rc;

	if (!(e = waiting(cb, token, &rc)))
		return rc;
	e->heartbeats++;
	return done(cb);
}

const char *asl_callback_error(int rc)
{
	switch (rc) {
	case ASL_INVALID_TOKEN: return "InvalidToken";
	case ASL_TASK_DOES_NOT_EXIST: return "TaskDoesNotExist";
	case ASL_TASK_TIMED_OUT: return "TaskTimedOut";
	case ASL_INVALID_OUTPUT: return "InvalidOutput";
	default: return NULL;
	}
}

/* ------------------------------------------------- the task's wait */

typedef struct watch {
	const asl_callback *e;
	long seen;             /* the heartbeats already counted */
	bool taken;            /* a worker's taking of it, seen */
} watch;

static bool changed(void *arg)
{
	const watch *w = arg;

	return w->e->status != CB_WAITING || w->e->heartbeats != w->seen ||
	       w->e->taken != w->taken;
}

/* The outcome that came: 0 with *result, or -1 with c's error (no
 * error sent: "", which the history and the execution's failure report
 * as absent).  Under the lock. */
static int outcome(asl_ctx *c, asl_callback *e, json_t **result)
{
	if (e->status == CB_SUCCEEDED) {
		*result = json_incref(e->output);
		return 0;
	}
	asl_set_error(c, e->error ? e->error : "", e->cause);
	return -1;
}

/* What the entry holds now, read under the lock. */
typedef struct seen {
	int status;
	long beats;
	bool taken;
	char *worker;          /* when newly taken: the worker's name */
} seen;

static void look(asl_callbacks *cb, asl_callback *e, const watch *w,
                 seen *now)
{
	pthread_mutex_lock(&cb->lock);
	now->status = e->status;
	now->beats = e->heartbeats;
	now->taken = e->taken;
	now->worker = e->taken && !w->taken ? asl_strdup(e->worker) : NULL;
	pthread_mutex_unlock(&cb->lock);
}

int asl_callback_wait(asl_ctx *c, asl_callback *e, const asl_cb_wait *how,
                      json_t **result)
{
	asl_callbacks *cb = c->x->callbacks;
	watch w = { e, 0, false };
	asl_waiter wt = { &cb->lock, &cb->cond, changed, &w };
	long long deadline = how->deadline, heartbeat_ms = how->heartbeat_ms;
	/* An activity's heartbeats count from a worker's taking it. */
	long long beat_at = heartbeat_ms && !e->activity
	                  ? asl_now_ms(c) + heartbeat_ms : deadline;
	int rc = -1;

	for (;;) {
		long long until = beat_at < deadline ? beat_at : deadline;
		long long now = asl_now_ms(c);
		int r = asl_wait_for(c, until > now ? until - now : 0, &wt);
		seen sn;
		if (r < 0)
			break; /* stopped: c's error says why */
		look(cb, e, &w, &sn);
		if (sn.worker) {
			w.taken = true;
			if (how->started)
				how->started(c, sn.worker, how->arg);
			free(sn.worker);
			if (heartbeat_ms)
				beat_at = asl_now_ms(c) + heartbeat_ms;
			if (sn.status == CB_WAITING)
				continue;
		}
		if (sn.status == CB_SUCCEEDED || sn.status == CB_FAILED) {
			pthread_mutex_lock(&cb->lock);
			rc = outcome(c, e, result);
			pthread_mutex_unlock(&cb->lock);
			break;
		}
		if (sn.beats != w.seen) {
			w.seen = sn.beats;
			if (heartbeat_ms && (w.taken || !e->activity))
				beat_at = asl_now_ms(c) + heartbeat_ms;
			continue;
		}
		if (r == 0) {
			asl_set_error(c, until == deadline && beat_at >= deadline
			                 ? ASL_ERR(TIMEOUT)
			                 : ASL_ERR(HEARTBEAT_TIMEOUT), NULL);
			break;
		}
	}
	asl_callback_close(c, e);
	return rc;
}
