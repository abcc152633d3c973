/*
 * serve.h - `asl2c serve`: a local Step Functions and Lambda service for
 * the AWS CLI and the SDKs (doc/serve.md, asl2c-serve(1)).
 *
 *   main.c       the command line, start-up, signals, --logs
 *   http.c       the endpoint: JSON 1.0 actions and the Lambda REST routes
 *   sfn.c        the Step Functions actions
 *   lambda.c     the Lambda actions, and functions as handlers
 *   store.c      durable state in SQLite
 *   exec.c       executions: a queue, workers, the child programs
 *   build.c      definitions compiled and built into cached programs
 *   zip.c        a function's zip file, unpacked inside its folder
 *   teststate.c  TestState
 */
#ifndef ASL2C_SERVE_H
#define ASL2C_SERVE_H

#include "program/endpoint.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* ------------------------------------------------------------ options */

typedef struct serve_config {
	const char *listen;        /* --listen ADDR:PORT */
	char *state_dir;           /* --state DIR */
	const char *region;        /* --region */
	const char *account;       /* --account */
	const char *python;        /* --python */
	unsigned max_running;      /* --max-running */
	const char *listen_file;   /* --listen-file: the address, once bound */
	const char **libs;         /* --handlers-lib, in order */
	size_t n_libs;
	const char *mock_config;   /* --mock-config */
	const char *s3_root;       /* --s3-root (default DIR/s3) */
	bool builtins;             /* --builtin-handlers */
	unsigned poll_seconds;     /* --poll-seconds: GetActivityTask */
} serve_config;

/* ------------------------------------------------------------ store.c */

typedef struct store store;

/* Open (create) DIR/state.db; NULL with a message in err. */
store *store_open(const char *path, char *err, size_t errlen);
void store_close(store *st);

/* Every row as a JSON object of its columns (integers, reals, strings,
 * NULL as null).  Parameters: types is a string of 's' (const char *),
 * 'i' (long long), 'n' (NULL), 'j' (json_t *, stored as its text). */
json_t *store_rows(store *st, const char *sql, const char *types, ...);
/* The first row, or NULL. */
json_t *store_row(store *st, const char *sql, const char *types, ...);
/* Run a statement: the number of rows changed, or -1 (constraint). */
int store_exec(store *st, const char *sql, const char *types, ...);
/* A transaction: what runs between begin and commit is atomic; other
 * threads' store calls wait.  commit(st, false) rolls it back. */
void store_begin(store *st);
void store_commit(store *st, bool ok);

/* ------------------------------------------------------------ build.c */

typedef struct builder builder;

builder *builder_new(const char *state_dir, char *err, size_t errlen);
void builder_free(builder *b);
/* Compile a definition: NULL with the diagnostics (AWS's
 * ValidateStateMachineDefinition shape: {"result", "diagnostics"}) in
 * *diagnostics, or the C program (malloc'd).  *diagnostics is set in both
 * cases (warnings). */
char *build_compile(const char *definition, const char *name, bool express,
                    json_t **diagnostics);
/* Build the C program into the cache: its path (malloc'd), or NULL with
 * a message in err. */
char *build_program(builder *b, const char *c_text, char *err,
                    size_t errlen);

/* ------------------------------------------------------------ the service */

typedef struct executor executor;

typedef struct serve {
	serve_config cfg;
	store *db;
	builder *build;
	executor *ex;
	asl_endpoint *ep;
	char *bootstrap;           /* the Python bootstrap (lambda_bootstrap.py) */
	char *logs_dir;            /* DIR/logs */
	char *functions_dir;       /* DIR/functions */
	char *executions_dir;      /* DIR/executions */
	pthread_mutex_t lock;      /* the fields below */
	pthread_cond_t wake;       /* stopping: long polls end */
	pthread_cond_t async_done; /* an Event invocation ended */
	unsigned async_running;    /* Event invocations under way */
	bool stopping;
} serve;

/* Milliseconds since the epoch (CLOCK_REALTIME). */
long long serve_now_ms(void);
/* A timestamp as the JSON 1.0 protocol sends it: epoch seconds. */
json_t *serve_time(long long ms);
/* A random UUID (v4). */
void serve_uuid(char out[37]);
/* s quoted for /bin/sh: '...' (malloc'd). */
char *serve_shell_quote(const char *s);
/* mkdir -p, mode 0700 for each folder made: 0 or -1 (errno). */
int serve_mkdirs(const char *path);
/* rm -r of a folder we made (no link followed): 0 or -1. */
int serve_remove_tree(const char *path);
/* Read a whole file up to max bytes: malloc'd, NUL-terminated; NULL. */
char *serve_read_file(const char *path, size_t max, size_t *len);
/* Write a file whole, through a temporary file renamed over it: 0 or -1. */
int serve_write_file(const char *path, const void *data, size_t len);

/* Base64 (url: the URL-safe alphabet), padding optional, nothing else:
 * the bytes (malloc'd, NUL after them), or NULL. */
unsigned char *serve_base64_decode(const char *s, size_t *n, bool url);

/* An AWS resource name (1..80 of letters, digits, - and _ ...). */
bool serve_valid_name(const char *s, size_t max);

/* ------------------------------------------------------------ http.c */

/* Start the endpoint: 0, or -1 with a message in err. */
int serve_http_start(serve *sv, char *err, size_t errlen);
/* Largest request body for a route. */
size_t serve_body_limit(void *user, const char *method, const char *path);

/* A request field: the string, or NULL (absent); a field present but of
 * the wrong type answers ValidationException (*bad set). */
const char *serve_field_str(json_t *in, const char *name, bool required,
                            asl_http_response *rs, bool *bad);

/* ------------------------------------------------------------ sfn.c */

extern const asl_http_action serve_sfn_actions[];
extern const size_t serve_n_sfn_actions;

/* Answer InvalidDefinition with the errors of a compile's diagnostics. */
void sfn_invalid_definition(json_t *diagnostics, asl_http_response *rs);

/* The ARN of a state machine, an execution, an activity. */
char *sfn_arn(const serve *sv, const char *kind, const char *name);

/* ------------------------------------------------------------ lambda.c */

/* The Lambda REST routes (/2015-03-31/functions...). */
void serve_lambda_route(serve *sv, const asl_http_request *rq,
                        asl_http_response *rs);
/* The --handler NAME=COMMAND arguments of every function (a JSON array
 * of strings). */
json_t *lambda_handler_args(serve *sv);
/* `asl2c serve --logs FUNCTION`: print its log. */
int lambda_print_log(const char *state_dir, const char *name);
/* Wait for the Event (asynchronous) invocations under way. */
void lambda_wait_async(serve *sv);

/* What a Lambda path names (a pure function: fuzzed). */
enum lambda_op {
	LAMBDA_NONE, LAMBDA_CREATE, LAMBDA_LIST, LAMBDA_GET, LAMBDA_DELETE,
	LAMBDA_UPDATE_CODE, LAMBDA_GET_CONFIG, LAMBDA_INVOKE
};
typedef struct lambda_path {
	enum lambda_op op;
	char name[65];           /* the function's name (from a name or ARN) */
	char qualifier[130];     /* ":QUALIFIER" of the name, or "" */
	bool bad_name;           /* op set, but the name is not a function's */
} lambda_path;
void lambda_parse_path(const char *method, const char *path, lambda_path *p);
/* A function name or ARN of len bytes into p (bad_name when it is not). */
void lambda_parse_name(const char *s, size_t len, lambda_path *p);
/* 1..64 of letters, digits, - and _. */
bool lambda_name_ok(const char *s, size_t n);

/* ------------------------------------------------------------ zip.c */

/* Unpack a zip file (in memory) into the folder dir, which must not
 * exist: 0, or -1 with Lambda's message in err (nothing left behind). */
int zip_unpack(const void *data, size_t len, const char *dir, char *err,
               size_t errlen, unsigned long long *unzipped);

/* ------------------------------------------------------------ exec.c */

executor *exec_new(serve *sv);
/* Finish what the last run left: executions that were running are
 * FAILED (or taken from their files, when their program ended), queued
 * ones are queued again.  Before exec_start. */
void exec_recover(executor *ex);
/* Start the --max-running workers: 0, or -1 with a message. */
int exec_start(executor *ex, char *err, size_t errlen);
/* Queue an execution (its row is in the store, RUNNING). */
void exec_queue(executor *ex, const char *arn);
/* StopExecution: 0, or -1 when it is not running. */
int exec_stop(executor *ex, const char *arn, const char *error,
              const char *cause);
/* Wait until the execution has ended (StartSyncExecution). */
void exec_wait(executor *ex, const char *arn);
/* Run a program (argv) in dir, as an execution runs (its stdout in
 * dir/describe.json, stderr in dir/stderr.log), outside the queue: its
 * wait status, -1 when it could not run, -2 when it was killed after
 * timeout_ms (TestState). */
int exec_run_program(executor *ex, json_t *args, const char *dir,
                     long long timeout_ms);
/* A program's arguments as the service runs it (a JSON array of
 * strings): its files in dir (input.json, history.json), the region,
 * account and role, the handlers of the functions and --handlers-lib. */
json_t *exec_args(serve *sv, const char *program, const char *dir,
                  const char *name, const char *role);
/* The endpoint URLs of the running executions' programs (a JSON array
 * of strings). */
json_t *exec_endpoints(executor *ex);

/* ------------------------------------------------------------ forward.c */

/* libcurl's set-up, before any thread starts; its clean-up. */
int serve_forward_init(void);
void serve_forward_cleanup(void);
/* Forward the call TARGET (body, len) to the running programs: 0 when one
 * of them knew the task, its answer in rs; -1 when none did. */
int serve_forward(serve *sv, const char *target, const char *body,
                  size_t len, asl_http_response *rs);
/* GetActivityTask asked of the running programs, each answering at once:
 * 0 when one handed out a task (its answer in rs), -1 when none did. */
int serve_forward_activity(serve *sv, const char *body, size_t len,
                           asl_http_response *rs);

/* Stop the workers: running children get SIGTERM after grace_ms. */
void exec_shutdown(executor *ex, long long grace_ms);
void exec_free(executor *ex);

/* ------------------------------------------------------------ teststate.c */

void sfn_test_state(void *user, const asl_http_request *rq, json_t *in,
                    asl_http_response *rs);

#endif /* ASL2C_SERVE_H */
