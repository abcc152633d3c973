/*
 * command.h - running an external command as a Lambda runtime runs a
 * function: `/bin/sh -c COMMAND` in a process group of its own, the input
 * on its stdin, its stdout collected up to a bound, its stderr inherited.
 * Shared by the --handler bridge (bridge.c) and `asl2c serve`'s Lambda
 * Invoke.  Not installed.
 */
#ifndef ASL2C_COMMAND_H
#define ASL2C_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

typedef struct asl_command {
	/* what to run */
	const char *cmd;             /* given to /bin/sh -c */
	const char *input;           /* written to its stdin, then EOF */
	size_t input_len;
	char *const *env;            /* its environment (NULL-terminated), or
	                              * NULL: ours */
	size_t max_output;           /* stdout past this stops it */
	/* Why it must stop now (a static string), or NULL; polled every
	 * 50 ms while it runs, and while it is waited for. */
	const char *(*must_stop)(void *arg);
	/* Its stderr, chunk by chunk; NULL: it writes to ours. */
	void (*on_stderr)(void *arg, const char *chunk, size_t n);
	void *arg;
	long long grace_ms;          /* SIGTERM to SIGKILL when stopped */

	/* what happened */
	char *output;                /* its stdout (malloc'd, NUL-terminated) */
	size_t output_len;
	int status;                  /* wait status, when it exited */
	bool too_big;                /* stopped: stdout over max_output */
	const char *stopped;         /* stopped: what must_stop said */
	int spawn_error;             /* errno when it could not be started */
} asl_command;

/* Run it to its end (or until stopped).  It ends when /bin/sh exits, not
 * when its stdout reaches EOF: its output is what it wrote before exiting
 * (a background process holding the pipe does not hold the task up).
 * Returns 0 when it exited by itself (status set), -1 otherwise (too_big,
 * stopped or spawn_error set).  Every descriptor is close-on-exec; the
 * command is always waited for, and its process group killed once it is
 * done. */
int asl_command_run(asl_command *c);

#endif /* ASL2C_COMMAND_H */
