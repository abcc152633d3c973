/*
 * task_events.c - a Task's history events: TaskScheduled, TaskStarted,
 * TaskSubmitted (a callback task), TaskSucceeded, TaskFailed, TaskTimedOut;
 * their LambdaFunction* forms for a Lambda function ARN; ActivityScheduled,
 * ActivityStarted, ActivitySucceeded, ActivityFailed, ActivityTimedOut for
 * an activity.
 */
#include "local.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- history events */

void asl_task_ev_init(task_ev *t, asl_ctx *c, const asl_state *s)
{
	static const char prefix[] = "arn:aws:states:::";
	const char *r = s->resource ? s->resource : "";

	t->legacy = s->resource_kind == ASL_RES_LAMBDA_ARN;
	t->activity = asl_is_activity(s);
	t->record = c->x->history;
	t->resource = r;
	if (!strncmp(r, prefix, sizeof prefix - 1)) {
		const char *p = r + sizeof prefix - 1;
		size_t n = strcspn(p, ":");
		asl_copy_cut(t->type, sizeof t->type, p, n);
		t->resource = p[n] ? p + n + 1 : p + n;
	} else {
		asl_copy_cut(t->type, sizeof t->type, "local", 5);
	}
}

/* The task's TimeoutSeconds and HeartbeatSeconds, when set, into a
 * scheduled event's details. */
static void timeouts(json_t *d, const asl_state *s)
{
	if (s->timeout_seconds)
		json_object_set_new(d, "timeoutInSeconds",
		                    json_integer(s->timeout_seconds));
	if (s->heartbeat_seconds)
		json_object_set_new(d, "heartbeatInSeconds",
		                    json_integer(s->heartbeat_seconds));
}

/* ActivityScheduled: the ARN, the input, the timeouts. */
static void activity_scheduled(asl_ctx *c, const task_ev *t,
                               const asl_state *s, json_t *input)
{
	json_t *d = NULL;

	if (t->record) {
		char *in = asl_dump(input);
		d = json_pack("{s:s, s:s, s:{s:b}}", "resource", s->resource,
		              "input", in, "inputDetails", "truncated", 0);
		free(in);
		timeouts(d, s);
	}
	asl_event(c, "ActivityScheduled", "activityScheduledEventDetails", d);
}

void asl_task_ev_activity_started(asl_ctx *c, const task_ev *t,
                                  const char *worker)
{
	json_t *d = NULL;

	if (t->record && worker && *worker)
		d = json_pack("{s:s}", "workerName", worker);
	asl_event(c, "ActivityStarted", d ? "activityStartedEventDetails"
	                                  : NULL, d);
}

void asl_task_ev_scheduled(asl_ctx *c, const task_ev *t,
                           const asl_state *s, const char *fn, json_t *input)
{
	json_t *d = NULL;
	char *in;

	if (t->activity) {
		activity_scheduled(c, t, s, input);
		return;
	}
	if (t->legacy) {
		if (t->record) {
			in = asl_dump(input);
			d = json_pack("{s:s, s:s, s:{s:b}}", "resource", fn,
			              "input", in, "inputDetails", "truncated", 0);
			free(in);
			if (s->timeout_seconds)
				json_object_set_new(d, "timeoutInSeconds",
				    json_integer(s->timeout_seconds));
		}
		asl_event(c, "LambdaFunctionScheduled",
		          "lambdaFunctionScheduledEventDetails", d);
		asl_event(c, "LambdaFunctionStarted", NULL, NULL);
		return;
	}
	if (t->record) {
		in = asl_dump(input);
		d = json_pack("{s:s, s:s, s:s, s:s}", "resourceType", t->type,
		              "resource", t->resource, "region", c->x->region,
		              "parameters", in);
		free(in);
		timeouts(d, s);
	}
	asl_event(c, "TaskScheduled", "taskScheduledEventDetails", d);
	d = t->record ? json_pack("{s:s, s:s}", "resourceType", t->type,
	                          "resource", t->resource) : NULL;
	asl_event(c, "TaskStarted", "taskStartedEventDetails", d);
}

void asl_task_ev_succeeded(asl_ctx *c, const task_ev *t, json_t *output)
{
	json_t *d = NULL;
	char *out;

	if (t->record) {
		out = asl_dump(output);
		if (t->legacy || t->activity)
			d = json_pack("{s:s, s:{s:b}}", "output", out,
			              "outputDetails", "truncated", 0);
		else
			d = json_pack("{s:s, s:s, s:s, s:{s:b}}", "resourceType",
			              t->type, "resource", t->resource, "output", out,
			              "outputDetails", "truncated", 0);
		free(out);
	}
	if (t->legacy)
		asl_event(c, "LambdaFunctionSucceeded",
		          "lambdaFunctionSucceededEventDetails", d);
	else if (t->activity)
		asl_event(c, "ActivitySucceeded", "activitySucceededEventDetails",
		          d);
	else
		asl_event(c, "TaskSucceeded", "taskSucceededEventDetails", d);
}

void asl_task_ev_submitted(asl_ctx *c, const task_ev *t, json_t *response)
{
	json_t *d = NULL;
	char *out;

	if (t->record) {
		d = json_pack("{s:s, s:s}", "resourceType", t->type, "resource",
		              t->resource);
		if (response) {
			out = asl_dump(response);
			json_object_set_new(d, "output", json_string(out));
			json_object_set_new(d, "outputDetails",
			                    json_pack("{s:b}", "truncated", 0));
			free(out);
		}
	}
	asl_event(c, "TaskSubmitted", "taskSubmittedEventDetails", d);
}

/* After c's error was set. */
void asl_task_ev_failed(asl_ctx *c, const task_ev *t)
{
	bool timeout = !strcmp(c->error, ASL_ERR(TIMEOUT)) ||
	               !strcmp(c->error, ASL_ERR(HEARTBEAT_TIMEOUT));
	json_t *d = NULL;

	if (atomic_load(&c->x->aborted) ||
	    asl_cancelled(c))
		return; /* the execution's end says it */
	if (t->record) {
		d = t->legacy || t->activity
		  ? json_object()
		  : json_pack("{s:s, s:s}", "resourceType", t->type, "resource",
		              t->resource);
		/* SendTaskFailure without an error: none, as AWS records it. */
		if (*c->error)
			json_object_set_new(d, "error", json_string(c->error));
		if (c->cause)
			json_object_set_new(d, "cause", json_string(c->cause));
	}
	if (t->activity)
		asl_event(c, timeout ? "ActivityTimedOut" : "ActivityFailed",
		          timeout ? "activityTimedOutEventDetails"
		                  : "activityFailedEventDetails", d);
	else if (t->legacy)
		asl_event(c, timeout ? "LambdaFunctionTimedOut"
		                     : "LambdaFunctionFailed",
		          timeout ? "lambdaFunctionTimedOutEventDetails"
		                  : "lambdaFunctionFailedEventDetails", d);
	else
		asl_event(c, timeout ? "TaskTimedOut" : "TaskFailed",
		          timeout ? "taskTimedOutEventDetails"
		                  : "taskFailedEventDetails", d);
}
