/*
 * bridge.c - external commands as handlers: --handler NAME=COMMAND.
 *
 * Each invocation runs `/bin/sh -c COMMAND` in a process group of its own,
 * with the event as JSON on its stdin; it answers with JSON on its stdout,
 * as a Lambda function returns its value.  Its stderr is ours.  It fails by
 * exiting non-zero, or by printing a Lambda error object
 * {"errorType": ..., "errorMessage": ..., "stackTrace": [...]}.
 *
 * The task's TimeoutSeconds, the execution's deadline, an abort (SIGINT,
 * SIGTERM) or a failed sibling iteration kill the process group.  Every
 * descriptor is close-on-exec and every child is waited for: concurrent Map
 * iterations leak nothing into each other's commands.
 */
#define _GNU_SOURCE
#include "command.h"
#include "local.h"
#include "clock.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Stop the command's process group: SIGTERM, then SIGKILL after a grace
 * period; reap the command.  Returns its wait status. */
static int stop_group(pid_t pid, long long grace_ms)
{
	int st = 0;
	long long until = monotonic_ms() + grace_ms;

	kill(-pid, SIGTERM);
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			break;
		if (monotonic_ms() >= until) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			break;
		}
		struct timespec ts = { 0, 10 * 1000000 };
		nanosleep(&ts, NULL);
	}
	kill(-pid, SIGKILL); /* what is left of the group */
	return st;
}

/* Lambda's limit on a synchronous invocation's response, in bytes: a
 * command that prints more is stopped (Function.ResponseSizeTooLarge). */
#define LAMBDA_RESPONSE_MAX 6291556

typedef struct buf {
	char *p;
	size_t n, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			asl_oom();
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

typedef struct bridge_run {
	asl_invocation *inv;
	long long deadline, exec_deadline;
} bridge_run;

/* Why the command must stop now, or NULL. */
static const char *must_stop(void *arg)
{
	bridge_run *b = arg;
	asl_ctx *c = b->inv->c;
	long long now = monotonic_ms();

	if (atomic_load(&c->x->aborted))
		return ASL_ERR(ABORTED);
	if (asl_cancelled(c))
		return ASL_ERR(CANCELLED);
	if (b->deadline && now >= b->deadline)
		return ASL_ERR(TIMEOUT);
	if (b->exec_deadline && now >= b->exec_deadline) {
		atomic_store(&c->x->timed_out, 1);
		return ASL_ERR(TIMEOUT);
	}
	return NULL;
}

/* The JSON text of a command's output as it wrote it: without the white
 * space around it (the line end print() adds).  *n is its length. */
static const char *written_text(const char *p, size_t len, size_t *n)
{
	static const char ws[] = " \t\r\n";

	while (len && strchr(ws, p[len - 1]))
		len--;
	while (len && strchr(ws, *p)) {
		p++;
		len--;
	}
	*n = len;
	return p;
}

/* A Lambda error object from the command's output: the error is its
 * errorType, the cause the document exactly as the command (the function's
 * runtime) wrote it, as AWS passes it on: Python's runtime writes
 * {"errorMessage": "...", "errorType": "...", "requestId": ..., ...}. */
static void error_object(asl_invocation *inv, json_t *o, const char *text,
                         size_t len)
{
	json_t *type = json_object_get(o, "errorType");
	size_t n;

	text = written_text(text, len, &n);
	free(inv->error);
	free(inv->cause);
	free(inv->error_text);
	inv->error = asl_strdup(json_is_string(type) ? json_string_value(type)
	                                             : "Lambda.Unknown");
	inv->cause = NULL;
	inv->error_text = asl_xmalloc(n + 1);
	memcpy(inv->error_text, text, n);
	inv->error_text[n] = '\0';
}

static bool is_error_object(json_t *o)
{
	return json_is_object(o) &&
	       json_is_string(json_object_get(o, "errorType")) &&
	       json_object_get(o, "errorMessage");
}

/* The command's environment: ours, and ASL2C_REQUEST_ID, the invocation's
 * request id (what a Lambda runtime knows as the context's aws_request_id,
 * for the error documents it writes); for a callback task,
 * ASL2C_TASK_TOKEN, its token, and ASL2C_ENDPOINT, the URL of the
 * program's endpoint (--listen), when there are.  A NULL-terminated copy
 * to free(), whose strings from owned[0] on are to free() too (owned[3]). */
static char **command_env(const asl_invocation *inv, char *owned[3])
{
	static const char *const keys[] = {
		"ASL2C_REQUEST_ID=", "ASL2C_TASK_TOKEN=", "ASL2C_ENDPOINT="
	};
	const char *token = asl_invocation_task_token(inv);
	const char *url = token ? asl_callbacks_endpoint(inv->c->x->callbacks)
	                        : NULL;
	const char *vals[3] = { inv->request_id, token, url };
	size_t n = 0, k = 0, m = 0;
	char **env;

	while (environ[n])
		n++;
	env = asl_xmalloc((n + 4) * sizeof *env);
	for (size_t i = 0; i < n; i++) {
		bool ours = false;
		for (size_t j = 0; j < 3; j++)
			ours |= !strncmp(environ[i], keys[j], strlen(keys[j]));
		if (!ours)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < 3; j++)
		owned[j] = NULL;
	for (size_t j = 0; j < 3; j++)
		if (vals[j])
			env[k++] = owned[m++] = asl_sprintf("%s%s", keys[j], vals[j]);
	env[k] = NULL;
	return env;
}

/* LogType "Tail": what the command writes on its stderr still goes to
 * ours, and its last bytes are kept for the response's LogResult. */
static void pass_log(void *arg, const char *chunk, size_t n)
{
	bridge_run *b = arg;

	for (size_t off = 0; off < n;) {
		ssize_t w = write(2, chunk + off, n - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	asl_log_tail(b->inv, chunk, n);
}

/* ------------------------------------------------ running a command */

/* Read what is there of the command's stderr (fd non-blocking) and pass
 * it on.  1: some was read, 0: none for now, -1: closed (*fd too). */
static int drain_stderr(asl_command *c, int *fd)
{
	char chunk[4096];
	ssize_t r = read(*fd, chunk, sizeof chunk);

	if (r > 0) {
		c->on_stderr(c->arg, chunk, (size_t)r);
		return 1;
	}
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	close(*fd);
	*fd = -1;
	return -1;
}

/* One command under way: its pipes (-1 when closed), its process and
 * what it wrote on its stdout. */
typedef struct cmd_run {
	asl_command *c;
	int to[2], from[2];   /* its stdin, its stdout */
	int logs[2];          /* its stderr, when on_stderr is given */
	size_t in_off;        /* input written so far */
	pid_t pid;
	int st;               /* its wait status */
	buf out;
} cmd_run;

/* Start `sh -c cmd` in a process group of its own, with the signals a
 * shell expects, its stdin, stdout (and stderr) on our pipes.  0, or -1
 * with c->spawn_error. */
static int cmd_spawn(cmd_run *r)
{
	asl_command *c = r->c;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	char *argv[] = { "sh", "-c", (char *)c->cmd, NULL };

	if (pipe2(r->to, O_CLOEXEC) < 0 || pipe2(r->from, O_CLOEXEC) < 0 ||
	    (c->on_stderr && pipe2(r->logs, O_CLOEXEC) < 0)) {
		c->spawn_error = errno;
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, r->to[0], 0);
	posix_spawn_file_actions_adddup2(&fa, r->from[1], 1);
	if (r->logs[1] >= 0)
		posix_spawn_file_actions_adddup2(&fa, r->logs[1], 2);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	                         POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int err = posix_spawn(&r->pid, "/bin/sh", &fa, &at, argv,
	                      c->env ? c->env : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(r->to[0]);
	close(r->from[1]);
	r->to[0] = r->from[1] = -1;
	if (r->logs[1] >= 0) {
		close(r->logs[1]);
		r->logs[1] = -1;
		fcntl(r->logs[0], F_SETFL, O_NONBLOCK);
	}
	if (err) {
		c->spawn_error = err;
		return -1;
	}
	fcntl(r->to[1], F_SETFL, O_NONBLOCK);
	fcntl(r->from[0], F_SETFL, O_NONBLOCK);
	if (!c->input_len) {
		close(r->to[1]);
		r->to[1] = -1;
	}
	return 0;
}

/* Write what the command's stdin takes of the rest of the input; close
 * it at the end, or when the command stopped reading. */
static void cmd_feed(cmd_run *r)
{
	asl_command *c = r->c;
	ssize_t w = write(r->to[1], c->input + r->in_off,
	                  c->input_len - r->in_off);

	if (w > 0)
		r->in_off += (size_t)w;
	if ((w < 0 && errno != EAGAIN && errno != EINTR) ||
	    r->in_off == c->input_len) {
		close(r->to[1]); /* EOF, or it stopped reading */
		r->to[1] = -1;
	}
}

/* Read a chunk of its stdout.  1: more may come, 0: closed (or broken),
 * -1: over max_output (c->too_big; memory stays bounded). */
static int cmd_collect(cmd_run *r)
{
	char chunk[65536];
	ssize_t n = read(r->from[0], chunk, sizeof chunk);

	if (n > 0 && r->out.n + (size_t)n > r->c->max_output) {
		r->c->too_big = true;
		return -1;
	}
	if (n > 0) {
		buf_add(&r->out, chunk, (size_t)n);
		return 1;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	return 0;
}

/* Feed the input, collect the answer, until its stdout is closed or it
 * has exited (true): a process it left in the background may hold the
 * pipe open for ever, and the task ends with the command.  Stops early
 * when too big or must_stop says so. */
static bool cmd_pump(cmd_run *r)
{
	asl_command *c = r->c;

	while (r->from[0] >= 0) {
		struct pollfd p[3];
		nfds_t n = 0, ti = 0, li = 0; /* ti, li: 0 when not polled */

		if (c->must_stop && (c->stopped = c->must_stop(c->arg)))
			return false;
		p[n].fd = r->from[0];
		p[n].events = POLLIN;
		n++;
		if (r->to[1] >= 0) {
			p[n].fd = r->to[1];
			p[n].events = POLLOUT;
			ti = n++;
		}
		if (r->logs[0] >= 0) {
			p[n].fd = r->logs[0];
			p[n].events = POLLIN;
			li = n++;
		}
		if (poll(p, n, 50) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (li && p[li].revents)
			drain_stderr(c, &r->logs[0]);
		if (ti && p[ti].revents)
			cmd_feed(r);
		if (p[0].revents) {
			int k = cmd_collect(r);
			if (k < 0)
				return false;
			if (k == 0) {
				close(r->from[0]);
				r->from[0] = -1;
			}
		}
		if (r->from[0] >= 0 && waitpid(r->pid, &r->st, WNOHANG) == r->pid)
			return true;
	}
	return false;
}

/* It has exited: its result is what it wrote before.  End what it left
 * behind, then take what is in the pipe (no EOF to wait for: a process
 * outside its group may still hold it). */
static int cmd_take_rest(cmd_run *r)
{
	kill(-r->pid, SIGKILL);
	r->c->status = r->st;
	for (;;) {
		char chunk[65536];
		ssize_t n = read(r->from[0], chunk, sizeof chunk);
		if (n > 0 && r->out.n + (size_t)n > r->c->max_output) {
			r->c->too_big = true;
			return -1;
		}
		if (n > 0)
			buf_add(&r->out, chunk, (size_t)n);
		else if (n < 0 && errno == EINTR)
			continue;
		else
			return 0;
	}
}

/* Its stdout is closed: wait for it to exit.  It usually does within
 * microseconds, so the sleeps start short (50 us) and double up to 5 ms:
 * a fixed 5 ms made 100,000 short commands take 4 minutes.  0, or -1
 * when it was stopped (c->stopped, c->too_big). */
static int cmd_wait_exit(cmd_run *r)
{
	asl_command *c = r->c;

	for (long sleep_ns = 50000; !c->stopped && !c->too_big;) {
		pid_t w = waitpid(r->pid, &r->st, WNOHANG);
		if (w == r->pid)
			break;
		if (w < 0 && errno != EINTR) {
			c->stopped = ASL_ERR(ABORTED);
			break;
		}
		if (c->must_stop && (c->stopped = c->must_stop(c->arg)))
			break;
		while (r->logs[0] >= 0 && drain_stderr(c, &r->logs[0]) > 0)
			; /* a full stderr pipe would hold it up */
		struct timespec ts = { 0, sleep_ns };
		nanosleep(&ts, NULL);
		if (sleep_ns < 5 * 1000000)
			sleep_ns *= 2;
	}
	if (c->too_big || c->stopped) {
		c->status = stop_group(r->pid, c->too_big ? 0 : c->grace_ms);
		return -1;
	}
	kill(-r->pid, SIGKILL); /* background processes it left behind */
	c->status = r->st;
	return 0;
}

int asl_command_run(asl_command *c)
{
	cmd_run r = { .c = c, .to = { -1, -1 }, .from = { -1, -1 },
	              .logs = { -1, -1 } };
	int rc = -1;

	c->output = NULL;
	c->output_len = 0;
	c->status = 0;
	c->too_big = false;
	c->stopped = NULL;
	c->spawn_error = 0;
	if (cmd_spawn(&r) == 0)
		rc = cmd_pump(&r) ? cmd_take_rest(&r) : cmd_wait_exit(&r);
	/* What is left of its stderr (a process it left behind may hold the
	 * pipe: only what is there already). */
	while (r.logs[0] >= 0 && drain_stderr(c, &r.logs[0]) > 0)
		;
	for (int i = 0; i < 2; i++) {
		if (r.to[i] >= 0)
			close(r.to[i]);
		if (r.from[i] >= 0)
			close(r.from[i]);
		if (r.logs[i] >= 0)
			close(r.logs[i]);
	}
	if (!r.out.p)
		buf_add(&r.out, "", 0);
	c->output = r.out.p;
	c->output_len = r.out.n;
	return rc;
}

/* ---------------------------------------------------- the --handler bridge */

/* As Lambda answers a response over its 6 MB limit. */
static void response_too_large(asl_invocation *inv)
{
	free(inv->error);
	free(inv->cause);
	inv->error = asl_strdup("Function.ResponseSizeTooLarge");
	inv->cause = NULL;
	json_decref(inv->error_payload);
	inv->error_payload = json_pack(
		"{s:s, s:s, s:s, s:[]}", "errorMessage",
		"Response payload size exceeded maximum allowed payload "
		"size (6291556 bytes).", "errorType", inv->error,
		"requestId", inv->request_id, "stackTrace");
	if (!inv->error_payload)
		asl_oom();
}

/* The command did not answer a result: it wrote an error document, exited
 * with a status or a signal, or wrote what is not JSON (v: its output
 * parsed, NULL with *jerr). */
static void command_failed(asl_invocation *inv, const char *cmd,
                           const asl_command *c, json_t *v,
                           const json_error_t *jerr)
{
	int st = c->status;

	if (is_error_object(v)) {
		error_object(inv, v, c->output, c->output_len);
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char how[64];
		if (WIFEXITED(st))
			snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(st));
		else /* Go's names, as Lambda prints them: "segmentation fault" */
			snprintf(how, sizeof how, "signal: %c%s",
			         tolower((unsigned char)*strsignal(WTERMSIG(st))),
			         strsignal(WTERMSIG(st)) + 1);
		asl_fail(inv, "Runtime.ExitError", "RequestId: %s Error: Runtime "
		         "exited with error: %s", inv->request_id, how);
	} else if (json_error_code(jerr) == json_error_numeric_overflow) {
		/* Valid JSON that AWS would take (Jackson holds integers of any
		 * size): asl2c cannot, and says so (doc/semantics.md). */
		asl_fail(inv, "Runtime.MarshalError", "Unable to marshal "
		         "response: the output of '%s' holds a number asl2c "
		         "cannot hold (64-bit integers, finite reals): %s", cmd,
		         jerr->text);
	} else {
		asl_fail(inv, "Runtime.MarshalError", "Unable to marshal "
		         "response: the output of '%s' is not JSON: %s", cmd,
		         jerr->text);
	}
}

static int bridge_handler(asl_invocation *inv, json_t *event, json_t **result,
                          void *user)
{
	const char *cmd = user;
	asl_exec *x = inv->c->x;
	/* A string Payload is the request body as written (lambda.c). */
	char *in = inv->raw_event ? strdup(inv->raw_event)
	                          : json_dumps(event, JSON_COMPACT | JSON_ENCODE_ANY);
	int rc = -1;
	char *env_owned[3], **env = command_env(inv, env_owned);
	long long start = monotonic_ms();
	bridge_run b = { inv, 0, 0 };

	if (!in)
		asl_oom();
	if (inv->timeout_ms)
		b.deadline = start + inv->timeout_ms;
	if (x->deadline_ms && !x->virtual_clock)
		b.exec_deadline = start + (x->start_ms + x->deadline_ms -
		                           asl_now_ms(inv->c));
	asl_command c = { cmd, in, strlen(in), env, LAMBDA_RESPONSE_MAX,
	                  must_stop, inv->want_log ? pass_log : NULL, &b, 500,
	                  NULL, 0, 0, false, NULL, 0 };
	int ran = asl_command_run(&c);
	int st = c.status;
	if (c.spawn_error) {
		asl_fail(inv, "Lambda.ServiceException", "cannot run '%s': %s",
		         cmd, strerror(c.spawn_error));
		goto out;
	}
	if (c.too_big) {
		response_too_large(inv);
		goto out;
	}
	if (ran < 0) {
		if (!strcmp(c.stopped, ASL_ERR(TIMEOUT)))
			inv->timed_out = true;
		else
			asl_fail(inv, c.stopped, "The command '%s' was stopped", cmd);
		goto out;
	}

	json_error_t jerr;
	json_t *v = c.output_len ? json_loadb(c.output, c.output_len,
	                                      JSON_DECODE_ANY, &jerr)
	                         : json_null();
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && v && !is_error_object(v)) {
		size_t n;
		written_text(c.output, c.output_len, &n);
		/* Content-Length: the response as written ("null", as Python's
		 * runtime writes None, when it wrote nothing) */
		inv->written = n ? (long long)n : 4;
		*result = v;
		rc = 0;
		goto out;
	}
	command_failed(inv, cmd, &c, v, &jerr);
	json_decref(v);
out:
	free(env);
	for (size_t i = 0; i < 3; i++)
		free(env_owned[i]);
	free(c.output);
	free(in);
	return rc;
}

bool asl_handler_is_command(const asl_handler *h)
{
	return h->fn == bridge_handler;
}

int asl_bridge_add(asl_registry *reg, const char *argv0, const char *spec)
{
	const char *eq = strchr(spec, '=');
	char name[256];

	if (!eq || eq == spec || !eq[1] || (size_t)(eq - spec) >= sizeof name) {
		fprintf(stderr, "%s: --handler: expected NAME=COMMAND, got '%s'\n",
		        argv0, spec);
		return -1;
	}
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = '\0';
	if (asl_registry_add(reg, name, bridge_handler, (void *)(eq + 1)) < 0)
		asl_oom();
	return 0;
}
