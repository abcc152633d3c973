/*
 * listen.h - the generated program's local Step Functions endpoint
 * (listen.c).  Not installed.
 */
#ifndef ASL2C_LISTEN_H
#define ASL2C_LISTEN_H

#include "internal.h"

struct asl_endpoint;
/* Serve SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat on x's
 * tokens at addr (ADDR:PORT; port 0 picks one); its URL is told to
 * command handlers and written to file (when not NULL).  NULL after
 * saying why on stderr.  Stop it with asl_endpoint_stop. */
struct asl_endpoint *asl_listen_start(asl_exec *x, const char *addr,
                                      const char *file, const char *argv0);

#endif /* ASL2C_LISTEN_H */
