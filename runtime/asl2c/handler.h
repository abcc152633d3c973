/*
 * asl2c/handler.h - the task handler API of the asl2c runtime.
 *
 * A handler is the local implementation of a Lambda function (or any Task
 * resource): it receives the task's input (the Lambda event) as JSON and
 * returns a JSON result, or fails with an error name and a cause, which the
 * state machine sees exactly as it would see a Lambda function error.
 *
 * Handlers are registered by function name in an asl_registry.  A Task state
 * finds its handler by the last part of the function's name or ARN:
 * "my-fn", "123456789012:function:my-fn" and
 * "arn:aws:lambda:us-east-1:123456789012:function:my-fn:PROD" all call the
 * handler registered as "my-fn".
 *
 * Handlers may run concurrently (Map iterations, Parallel branches): they
 * must not keep unsynchronised state.  They log to stderr (asl_log), never to
 * stdout, which carries the execution's output.  See doc/handlers.md.
 */
#ifndef ASL2C_HANDLER_H
#define ASL2C_HANDLER_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define ASL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ASL_PRINTF(f, a)
#endif

/* One call of a handler: what it may ask of the runtime. */
typedef struct asl_invocation asl_invocation;

/*
 * A handler.  On success it stores a new reference in *result and returns 0.
 * On failure it returns asl_fail(...).  The event is borrowed: a handler that
 * keeps it must json_incref it.
 */
typedef int (*asl_handler_fn)(asl_invocation *inv, json_t *event,
                              json_t **result, void *user);

/* Fail the invocation with an error name and a printf-style cause.  Returns
 * -1, the value a failing handler returns.  Bytes of either that are not
 * UTF-8 become U+FFFD (they end up in JSON). */
int asl_fail(asl_invocation *inv, const char *error, const char *fmt, ...)
    ASL_PRINTF(3, 4);

/* Write one log line to stderr (a newline is added). */
void asl_log(asl_invocation *inv, const char *fmt, ...) ASL_PRINTF(2, 3);

/* The function name the task called (the last part of its ARN). */
const char *asl_invocation_function(const asl_invocation *inv);
/* The name of the Task state that called it. */
const char *asl_invocation_state(const asl_invocation *inv);
/* A random number from the execution's seeded generator (see --seed). */
uint64_t asl_invocation_random(asl_invocation *inv);
/* Non-zero once the invocation's result is no longer wanted: a sibling
 * Map iteration or Parallel branch failed before this one got there, or
 * the execution was aborted or timed out.  A long-running handler may poll
 * it and return early (any return will do: the result is dropped). */
int asl_invocation_cancelled(const asl_invocation *inv);

/* ---- The callback pattern (a Task whose resource ends in
 * .waitForTaskToken, doc/handlers.md): the task's handler is called, then
 * the task waits until its token is completed, as Step Functions'
 * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat complete it. */

/* The token of the task ($$.Task.Token) when it is a callback task, else
 * NULL.  Valid during the call. */
const char *asl_invocation_task_token(const asl_invocation *inv);
/* The execution's tokens: valid until the execution ends, from any
 * thread (a handler may hand a token to a thread of its own). */
typedef struct asl_callbacks asl_callbacks;
asl_callbacks *asl_invocation_callbacks(asl_invocation *inv);
/* What the three return: 0, or one of Step Functions' errors
 * (asl_callback_error names it). */
enum {
	ASL_CALLBACK_OK = 0,
	ASL_INVALID_TOKEN = -1,       /* not a token */
	ASL_TASK_DOES_NOT_EXIST = -2, /* no task of the execution has it */
	ASL_TASK_TIMED_OUT = -3,      /* its task ended (completed, timed out) */
	ASL_INVALID_OUTPUT = -4       /* the output is not JSON */
};
/* output: the task's result, JSON text. */
int asl_send_task_success(asl_callbacks *cb, const char *token,
                          const char *output);
/* error and cause may be NULL. */
int asl_send_task_failure(asl_callbacks *cb, const char *token,
                          const char *error, const char *cause);
int asl_send_task_heartbeat(asl_callbacks *cb, const char *token);
/* "InvalidToken", "TaskDoesNotExist", "TaskTimedOut", "InvalidOutput";
 * NULL for 0. */
const char *asl_callback_error(int rc);

/* ---- S3 as a folder (the program's --s3-root, doc/distributed-map.md):
 * s3://BUCKET/KEY is the file ROOT/BUCKET/KEY.  Keys never escape the
 * bucket's folder ("..", absolute keys) and a link is never followed.
 * On failure each function returns NULL (or -1) and stores in *err S3's
 * error as the AWS SDK prints it ("... (Service: S3, Status Code: 404,
 * Error Code: NoSuchKey, ...)"), to free. */

/* getObject: the object opened for reading (fclose it). */
FILE *asl_s3_object_read(asl_invocation *inv, const char *bucket,
                         const char *key, char **err);
/* putObject: the object (and its folders) created, opened for writing
 * (fclose it); an existing object is replaced. */
FILE *asl_s3_object_write(asl_invocation *inv, const char *bucket,
                          const char *key, char **err);
/* listObjectsV2 over a prefix, in S3's key order: each object is
 * {Key, LastModified, ETag, Size, StorageClass}. */
typedef struct asl_s3_list asl_s3_list;
asl_s3_list *asl_s3_objects_open(asl_invocation *inv, const char *bucket,
                                 const char *prefix, char **err);
/* The next object: 1 with *obj (a new reference), 0 at the end, -1 with
 * *err. */
int asl_s3_objects_next(asl_invocation *inv, asl_s3_list *l, json_t **obj,
                        char **err);
void asl_s3_objects_close(asl_s3_list *l);

/* The set of handlers a program can call. */
typedef struct asl_registry asl_registry;

/* Register fn under name (a later registration replaces an earlier one).
 * Returns 0, or -1 when out of memory. */
int asl_registry_add(asl_registry *reg, const char *name, asl_handler_fn fn,
                     void *user);

/* What a handler library (--handlers-lib) exports: registers its handlers.
 * Returns 0, or non-zero to stop the program (exit status 64). */
typedef int (*asl_register_fn)(asl_registry *reg);
#define ASL_REGISTER_SYMBOL "asl2c_register"
int asl2c_register(asl_registry *reg); /* defined by a handler library */

#ifdef __cplusplus
}
#endif
#endif /* ASL2C_HANDLER_H */
