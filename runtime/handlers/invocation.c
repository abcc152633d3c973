/*
 * invocation.c - the handler API (asl2c/handler.h): what a handler may ask
 * of its invocation.
 */
#include "local.h"
#include "data/data.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ invocation */

int asl_fail(asl_invocation *inv, const char *error, const char *fmt, ...)
{
	va_list ap;

	free(inv->error);
	free(inv->cause);
	/* Both end up in JSON (the error output, the history, Lambda's error
	 * document): bytes that are not UTF-8 become U+FFFD. */
	inv->error = asl_utf8_repair(asl_strdup(error ? error : "Error"));
	va_start(ap, fmt);
	inv->cause = asl_utf8_repair(fmt ? asl_vsprintf(fmt, ap)
	                                 : asl_strdup(""));
	va_end(ap);
	return -1;
}

void asl_log(asl_invocation *inv, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	line = asl_vsprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line); /* one call: lines do not interleave */
	asl_log_tail(inv, line, strlen(line));
	asl_log_tail(inv, "\n", 1);
	free(line);
}

void asl_log_tail(asl_invocation *inv, const char *s, size_t n)
{
	if (!inv->want_log || !n)
		return;
	if (n >= ASL_LOG_TAIL) {
		s += n - ASL_LOG_TAIL;
		n = ASL_LOG_TAIL;
	}
	if (!inv->log)
		inv->log = asl_xmalloc(ASL_LOG_TAIL);
	if (inv->log_len + n > ASL_LOG_TAIL) {
		size_t drop = inv->log_len + n - ASL_LOG_TAIL;
		memmove(inv->log, inv->log + drop, inv->log_len - drop);
		inv->log_len -= drop;
	}
	memcpy(inv->log + inv->log_len, s, n);
	inv->log_len += n;
}

const char *asl_invocation_function(const asl_invocation *inv)
{
	return inv->function;
}

const char *asl_invocation_state(const asl_invocation *inv)
{
	return inv->c->state;
}

uint64_t asl_invocation_random(asl_invocation *inv)
{
	return asl_random(inv->c);
}

int asl_invocation_cancelled(const asl_invocation *inv)
{
	const asl_exec *x = inv->c->x;

	if (atomic_load(&x->aborted) || atomic_load(&x->timed_out))
		return 1;
	/* On a thread of its own, the task that waits tells it (timed.c):
	 * the contexts enclosing the task may be gone. */
	if (inv->told)
		return atomic_load(inv->told);
	return asl_cancelled(inv->c);
}

const char *asl_invocation_task_token(const asl_invocation *inv)
{
	return inv->c->task_token[0] ? inv->c->task_token : NULL;
}

asl_callbacks *asl_invocation_callbacks(asl_invocation *inv)
{
	return inv->c->x->callbacks;
}

/* ------------------------------------------------- S3 as a folder */

FILE *asl_s3_object_read(asl_invocation *inv, const char *bucket,
                         const char *key, char **err)
{
	return asl_s3_get(inv->c, bucket, key, err);
}

FILE *asl_s3_object_write(asl_invocation *inv, const char *bucket,
                          const char *key, char **err)
{
	return asl_s3_put(inv->c, bucket, key, err);
}

asl_s3_list *asl_s3_objects_open(asl_invocation *inv, const char *bucket,
                                 const char *prefix, char **err)
{
	return asl_s3_list_open(inv->c, bucket, prefix, err);
}

int asl_s3_objects_next(asl_invocation *inv, asl_s3_list *l, json_t **obj,
                        char **err)
{
	return asl_s3_list_next(l, inv->c, obj, err);
}

void asl_s3_objects_close(asl_s3_list *l)
{
	asl_s3_list_close(l);
}
