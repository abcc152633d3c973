/*
 * callback.c - the callback pattern (.waitForTaskToken): task tokens
 * ($$.Task.Token), the execution's table of them, SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat (asl2c/handler.h; the endpoint
 * answers with the same), and a callback task's wait for its outcome on
 * the execution's clock.
 *
 * A token is drawn from the context's seeded generator at each attempt
 * of the task, before its Parameters are evaluated: runs with one --seed
 * draw the same tokens, and a retry draws a new one.  The table lives as
 * long as the execution; one lock guards it and one condition variable
 * (on the monotonic clock) wakes the tasks that wait on it.
 */
#include "local.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

enum { CB_WAITING, CB_SUCCEEDED, CB_FAILED, CB_CLOSED };

struct asl_callback {
	char token[ASL_TOKEN_LEN + 1];
	int status;
	json_t *output;        /* CB_SUCCEEDED */
	char *error, *cause;   /* CB_FAILED */
	long heartbeats;
	struct asl_callback *next;
};

#define CB_BUCKETS 256

struct asl_callbacks {
	pthread_mutex_t lock;
	pthread_cond_t cond;   /* broadcast on every change */
	asl_callback *bucket[CB_BUCKETS];
	char *endpoint;        /* the endpoint's URL, or NULL */
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
	return cb;
}

static void entry_clear(asl_callback *e)
{
	json_decref(e->output);
	free(e->error);
	free(e->cause);
	e->output = NULL;
	e->error = e->cause = NULL;
}

void asl_callbacks_free(asl_callbacks *cb)
{
	if (!cb)
		return;
	for (size_t i = 0; i < CB_BUCKETS; i++)
		for (asl_callback *e = cb->bucket[i], *n; e; e = n) {
			n = e->next;
			entry_clear(e);
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
	if (!asl_is_callback(s))
		return;
	for (size_t i = 0; i < sizeof raw; i += 8) {
		uint64_t r = asl_random(c);
		memcpy(raw + i, &r, 8);
	}
	EVP_EncodeBlock((unsigned char *)c->task_token, raw, sizeof raw);
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

asl_callback *asl_callback_open(asl_ctx *c)
{
	asl_callbacks *cb = c->x->callbacks;
	asl_callback *e = calloc(1, sizeof *e), **b;

	if (!e)
		asl_oom();
	memcpy(e->token, c->task_token, sizeof e->token);
	e->status = CB_WAITING;
	pthread_mutex_lock(&cb->lock);
	b = slot(cb, e->token);
	e->next = *b;
	*b = e;
	pthread_mutex_unlock(&cb->lock);
	return e;
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
	e->error = asl_strdup(error ? error : "");
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
} watch;

static bool changed(void *arg)
{
	const watch *w = arg;

	return w->e->status != CB_WAITING || w->e->heartbeats != w->seen;
}

/* The outcome that came: 0 with *result, or -1 with c's error.  Under
 * the lock. */
static int outcome(asl_ctx *c, asl_callback *e, json_t **result)
{
	if (e->status == CB_SUCCEEDED) {
		*result = json_incref(e->output);
		return 0;
	}
	asl_set_error(c, e->error, e->cause);
	return -1;
}

int asl_callback_wait(asl_ctx *c, asl_callback *e, long long deadline,
                      long long heartbeat_ms, json_t **result)
{
	asl_callbacks *cb = c->x->callbacks;
	watch w = { e, 0 };
	asl_waiter wt = { &cb->lock, &cb->cond, changed, &w };
	long long beat_at = heartbeat_ms ? asl_now_ms(c) + heartbeat_ms
	                                 : deadline;
	int rc = -1;

	for (;;) {
		long long until = beat_at < deadline ? beat_at : deadline;
		long long now = asl_now_ms(c);
		int r = asl_wait_for(c, until > now ? until - now : 0, &wt);
		if (r < 0)
			break; /* stopped: c's error says why */
		pthread_mutex_lock(&cb->lock);
		int status = e->status;
		long beats = e->heartbeats;
		if (status == CB_SUCCEEDED || status == CB_FAILED)
			rc = outcome(c, e, result);
		pthread_mutex_unlock(&cb->lock);
		if (status != CB_WAITING)
			break;
		if (beats != w.seen) {
			w.seen = beats;
			if (heartbeat_ms)
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
