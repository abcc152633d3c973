/*
 * listen.h - the generated program's local Step Functions endpoint
 * (listen.c).  Not installed.
 */
#ifndef ASL2C_LISTEN_H
#define ASL2C_LISTEN_H

#include "internal.h"

/* The endpoint and what it knows of the execution. */
typedef struct asl_listener asl_listener;

/* Listen at addr (ADDR:PORT; port 0 picks one) for x: its URL is told to
 * command handlers at once; NULL after saying why on stderr. */
asl_listener *asl_listen_start(asl_exec *x, const char *addr,
                               const char *argv0);
/* The execution started, with these ARNs and name (copied), at
 * x->start_ms: DescribeExecution and the rest answer for it from now on;
 * the URL is written to file (when not NULL).  False after saying why. */
bool asl_listen_begin(asl_listener *l, const char *sm_arn,
                      const char *ex_arn, const char *name,
                      const char *file, const char *argv0);
/* A final event of the history (history.c's shape; borrowed): kept for
 * GetExecutionHistory.  Called on one thread at a time. */
void asl_listen_event(asl_listener *l, json_t *event);
/* What StopExecution asked (the error and cause given, each NULL when
 * absent, borrowed until asl_listen_close): false when it was not
 * called. */
bool asl_listen_stopped(asl_listener *l, const char **error,
                        const char **cause);
/* The execution ended with status ("SUCCEEDED", "FAILED", "TIMED_OUT",
 * "ABORTED") at stop_ms: output (SUCCEEDED), error and cause (each NULL
 * or "" when absent). */
void asl_listen_end(asl_listener *l, const char *status, long long stop_ms,
                    json_t *output, const char *error, const char *cause);
/* Keep answering, the execution ended, for up to seconds or until *quit
 * is set (a signal). */
void asl_listen_linger(asl_listener *l, unsigned seconds,
                       const atomic_int *quit);
/* Let the clients read their answers (2 s at most), stop, free. */
void asl_listen_close(asl_listener *l);

#endif /* ASL2C_LISTEN_H */
