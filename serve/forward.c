/*
 * forward.c - calls forwarded to the programs of running executions.
 *
 * Each execution's program serves the Step Functions API of its own
 * execution on a loopback endpoint (exec.c runs it with --listen
 * 127.0.0.1:0 --listen-file DIR/listen).  A call the service cannot answer
 * from its store (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) is
 * posted, with libcurl, to the running programs; the first program that
 * knows the task answers, and its answer is relayed as it is.
 */
#include "serve.h"
#include "util.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

int serve_forward_init(void)
{
	return curl_global_init(CURL_GLOBAL_NOTHING) == CURLE_OK ? 0 : -1;
}

void serve_forward_cleanup(void)
{
	curl_global_cleanup();
}

/* A program's answer, bounded: a program's endpoint answers these calls
 * with a small JSON object. */
#define ANSWER_MAX (64 * 1024)

typedef struct answer {
	char *s;
	size_t len;
	bool over;
} answer;

static size_t take(char *p, size_t size, size_t n, void *user)
{
	answer *a = user;
	size_t k = size * n;

	if (a->len + k > ANSWER_MAX) {
		a->over = true;
		return 0;
	}
	a->s = xrealloc(a->s, a->len + k + 1);
	memcpy(a->s + a->len, p, k);
	a->len += k;
	a->s[a->len] = '\0';
	return k;
}

/* POST the call to url: 0 with *status and *body (malloc'd), or -1 when
 * the program did not answer (it ended meanwhile). */
static int post(const char *url, const char *target, const char *extra,
                const char *body, size_t len, long *status, char **out)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hd = NULL;
	answer a = { NULL, 0, false };
	char *t = xasprintf("X-Amz-Target: AWSStepFunctions.%s", target);
	CURLcode rc;

	if (!h) {
		free(t);
		return -1;
	}
	hd = curl_slist_append(hd, t);
	hd = curl_slist_append(hd, "Content-Type: application/x-amz-json-1.0");
	if (extra)
		hd = curl_slist_append(hd, extra);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, take);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http");
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	free(t);
	if (rc != CURLE_OK || a.over) {
		free(a.s);
		return -1;
	}
	*out = a.s ? a.s : xstrdup("");
	return 0;
}

/* The __type of an error answer, or "". */
static const char *error_type(json_t *v)
{
	const char *t = json_string_value(json_object_get(v, "__type"));
	return t ? t : "";
}

/* Whether a program's answer to SendTask* is its own: it knows the
 * task (any answer but "no such task"). */
static bool task_answer(long status, const char *type, json_t *v)
{
	(void)v;
	return status == 200 || (strcmp(type, "TaskDoesNotExist") &&
	                         strcmp(type, "InvalidToken"));
}

/* Whether a program's answer to GetActivityTask hands out a task. */
static bool activity_answer(long status, const char *type, json_t *v)
{
	(void)type;
	return status == 200 && json_is_string(json_object_get(v, "taskToken"));
}

/* Post the call to each running program until one's answer is accepted:
 * 0 with it in rs, or -1. */
static int post_all(serve *sv, const char *target, const char *extra,
                    const char *body, size_t len,
                    bool (*accept)(long, const char *, json_t *),
                    asl_http_response *rs)
{
	json_t *urls = exec_endpoints(sv->ex), *u;
	size_t i;
	int found = -1;

	json_array_foreach(urls, i, u) {
		long status = 0;
		char *out = NULL;
		if (post(json_string_value(u), target, extra, body, len, &status,
		         &out))
			continue;
		json_t *v = json_loads(out, 0, NULL);
		const char *type = error_type(v);
		bool theirs = accept(status, type, v);
		if (theirs) {
			asl_http_raw(rs, (int)status, "application/x-amz-json-1.0",
			             out, strlen(out));
			if (*type)
				asl_http_add_header(rs, "x-amzn-ErrorType", type);
			found = 0;
		}
		json_decref(v);
		free(out);
		if (theirs)
			break;
	}
	json_decref(urls);
	return found;
}

int serve_forward(serve *sv, const char *target, const char *body,
                  size_t len, asl_http_response *rs)
{
	return post_all(sv, target, NULL, body, len, task_answer, rs);
}

int serve_forward_activity(serve *sv, const char *body, size_t len,
                           asl_http_response *rs)
{
	/* The programs answer at once (no poll of their own): the service
	 * holds the worker's poll and asks again. */
	return post_all(sv, "GetActivityTask", "X-Asl2c-Poll-Ms: 0", body, len,
	                activity_answer, rs);
}
