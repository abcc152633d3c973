/*
 * local.h - the generated program as a local Step Functions: what the
 * handlers/ files (registry, invocation, task events, bridge, mocks) and
 * program/main.c share.  Not installed.
 */
#ifndef ASL2C_LOCAL_H
#define ASL2C_LOCAL_H

#include "internal.h"

/* One call of a handler (asl/handler.h keeps it opaque). */
struct asl_invocation {
	asl_ctx *c;
	const char *function;
	const char *request_id;
	long long timeout_ms;  /* the task's TimeoutSeconds in real time; 0 */
	char *error, *cause;
	json_t *error_payload; /* a Lambda error object, as the function gave
	                        * it: becomes the cause as AWS builds it */
	char *error_text;      /* or the error document as the function's
	                        * runtime wrote it (a command's output): the
	                        * cause, byte for byte */
	bool timed_out;        /* the handler ran out of time: States.Timeout */
	const atomic_int *told; /* on a thread of its own (timed.c): set when
	                         * its result is not wanted any more; NULL */

	/* lambda:invoke as Lambda answers it (lambda.c) */
	const char *raw_event; /* the request body when Payload was a string:
	                        * what a command reads, as written */
	long long written;     /* the bytes of the response as the function
	                        * wrote them (Content-Length), or -1: the
	                        * result's compact JSON */
	bool want_log;         /* LogType "Tail": keep the function's log */
	char *log;             /* its last bytes (at most ASL_LOG_TAIL) */
	size_t log_len;
};

/* Lambda's LogType "Tail": the last 4 KB of the invocation's log. */
#define ASL_LOG_TAIL 4096
/* Append n bytes to the invocation's log tail (when it is wanted). */
void asl_log_tail(asl_invocation *inv, const char *s, size_t n);

/* ---- a Task's history events (task_events.c) */
/* How the history names a task's resource: "arn:aws:states:::lambda:invoke"
 * is resourceType "lambda", resource "invoke". */
typedef struct task_ev {
	bool legacy;     /* arn:aws:lambda:...: LambdaFunction* events */
	bool activity;   /* an activity ARN: Activity* events */
	bool record;     /* --history: build the details */
	char type[64];
	const char *resource;
} task_ev;

void asl_task_ev_init(task_ev *t, asl_ctx *c, const asl_state *s);
/* TaskScheduled and TaskStarted (LambdaFunctionScheduled, ...Started). */
void asl_task_ev_scheduled(asl_ctx *c, const task_ev *t,
                           const asl_state *s, const char *fn, json_t *input);
/* A callback task's TaskSubmitted: the service's response (NULL: none,
 * a mock's). */
void asl_task_ev_submitted(asl_ctx *c, const task_ev *t, json_t *response);
/* ActivityStarted: a worker (its name, or NULL: a handler or a mock)
 * took the activity's task. */
void asl_task_ev_activity_started(asl_ctx *c, const task_ev *t,
                                  const char *worker);
void asl_task_ev_succeeded(asl_ctx *c, const task_ev *t, json_t *output);
/* TaskFailed or TaskTimedOut, after c's error was set; nothing when the
 * execution's end says it (aborted, cancelled). */
void asl_task_ev_failed(asl_ctx *c, const task_ev *t);

/* ---- C handlers under a TimeoutSeconds (timed.c) */
/* Run h on a thread of its own until inv->timeout_ms: its return value,
 * or -1 with inv->timed_out when the timeout passed first (it is left
 * running, told; its result dropped). */
int asl_call_timed(asl_invocation *inv, const asl_handler *h, json_t *event,
                   json_t **result);
/* Whether h is an external command's (bridge.c). */
bool asl_handler_is_command(const asl_handler *h);

/* ---- nested executions (nested.c) */
/* Whether the task starts an execution (states:startExecution, .sync,
 * .sync:2). */
bool asl_is_nested(const asl_state *s);
/* Run it: ASL_OK with *result, or ASL_ERROR; the task's events after
 * TaskScheduled. */
int asl_nested_invoke(asl_ctx *c, const asl_state *s, const task_ev *t,
                      json_t *input, json_t **result);

/* ---- the external-command bridge (bridge.c) */
/* Register "NAME=COMMAND"; -1 after printing why. */
int asl_bridge_add(asl_registry *reg, const char *argv0, const char *spec);

/* ---- the callback pattern (callback.c) */
asl_callbacks *asl_callbacks_new(void);
void asl_callbacks_free(asl_callbacks *cb);
/* The URL command handlers are told (ASL2C_ENDPOINT), or NULL. */
void asl_callbacks_set_endpoint(asl_callbacks *cb, const char *url);
const char *asl_callbacks_endpoint(const asl_callbacks *cb);
/* One task's token, waiting for its outcome. */
typedef struct asl_callback asl_callback;
/* c->task_token's entry, waiting (before the handler is called). */
asl_callback *asl_callback_open(asl_ctx *c);
/* Its task ended: the token answers TaskTimedOut from now on. */
void asl_callback_close(asl_ctx *c, asl_callback *e);
/* An activity's task (c->task_token), queued for GetActivityTask with
 * its input (asl_is_activity). */
asl_callback *asl_activity_open(asl_ctx *c, const char *arn, json_t *input);
/* How a task waits for its token's outcome: until deadline (epoch ms on
 * c's clock), with a heartbeat every heartbeat_ms (0: none), counted from
 * the wait's start (a callback) or from a worker's taking it (an
 * activity: started is called then, on c's thread, with the worker's
 * name). */
typedef struct asl_cb_wait {
	long long deadline, heartbeat_ms;
	void (*started)(asl_ctx *c, const char *worker, void *arg);
	void *arg;
} asl_cb_wait;
/* Wait for e's outcome: 0 with *result (the output sent), or -1 with c's
 * error (the error sent, "" when none was, States.Timeout,
 * States.HeartbeatTimeout, or the execution's stop).  Closes e. */
int asl_callback_wait(asl_ctx *c, asl_callback *e, const asl_cb_wait *how,
                      json_t **result);
/* The execution ended: GetActivityTask hands out nothing from now on. */
void asl_callbacks_end(asl_callbacks *cb);
/* GetActivityTask: the oldest task of the activity arn no worker has
 * taken, waiting up to max_ms of real time for one: 1 with its token and
 * *input (its input's JSON text, to free), taken by worker; 0 when none
 * came (or the execution ended). */
int asl_get_activity_task(asl_callbacks *cb, const char *arn,
                          const char *worker, long long max_ms,
                          char token[ASL_TOKEN_LEN + 1], char **input);

/* ---- mocked tasks (mock.c) */
typedef struct asl_mock asl_mock;
/* Load the test case of the state machine from a MockConfigFile; NULL
 * after printing why. */
asl_mock *asl_mock_load(const char *argv0, const char *file,
                        const char *test_case, const asl_program *prog);
void asl_mock_free(asl_mock *m);
/* The state's next mocked response ({"Return": ...} or {"Throw": ...},
 * borrowed); NULL when the state is not mocked.  *past_end is set when the
 * mocked responses are used up; *index is the invocation's number. */
json_t *asl_mock_next(asl_mock *m, const char *state, long *index,
                      bool *past_end);
const char *asl_mock_test_case(const asl_mock *m);

#endif /* ASL2C_LOCAL_H */
