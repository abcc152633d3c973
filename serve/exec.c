/*
 * exec.c - executions as child processes: StartExecution writes the
 * execution's row (RUNNING) and queues it; one of --max-running workers
 * runs its program (built by CreateStateMachine) in a folder of its own,
 * DIR/executions/SEQ:
 *
 *     PROGRAM --input-file input.json --name NAME --describe
 *             --history history.json --region R --account A --role-arn ROLE
 *             --no-builtins --handler FUNCTION=COMMAND... [--handlers-lib]
 *             [--mock-config FILE --test-case NAME]
 *
 * with its stdout (DescribeExecution's answer) in describe.json, waits for
 * it, and writes how it ended and its whole history in one transaction.
 * A program that crashes fails its execution (States.Runtime); the service
 * goes on.  Children die with the service (PR_SET_PDEATHSIG): after a
 * crash of the service, exec_recover() takes the executions whose program
 * had finished from their files and fails the others, with a cause that
 * says so; queued executions that never ran are queued again.
 */
#define _GNU_SOURCE
#include "serve.h"
#include "util.h"
#include "clock.h"
#include "rfc3339.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COL(row, name) json_string_value(json_object_get(row, name))
#define ICOL(row, name) json_integer_value(json_object_get(row, name))

/* The cause of an execution that was running when the service died. */
#define INTERRUPTED_CAUSE \
	"asl2c serve stopped while this execution was running (it was " \
	"killed or it crashed); an execution is not resumed after a restart"

typedef struct job {
	char *arn;
	pid_t pid;            /* its program, while it runs; 0 */
	bool queued;          /* waiting for a worker */
	bool stop;            /* StopExecution (or shutdown) asked */
	char *stop_error, *stop_cause;
	char *listen_file;    /* its program's endpoint URL is there, once it
	                         runs (forward.c) */
	struct job *next;
} job;

struct executor {
	serve *sv;
	pthread_mutex_t mu;
	pthread_cond_t work;  /* a job is queued, or stopping */
	pthread_cond_t done;  /* a job ended */
	job *jobs, **tail;    /* queued and running, oldest first */
	pthread_t *workers;
	unsigned n_workers;
	bool stopping;
	pid_t self;
};

/* ----------------------------------------------------- the history */

static json_t *event(long id, long prev, const char *when, const char *type,
                     const char *key, json_t *details)
{
	json_t *e = json_pack("{s:s, s:s, s:i, s:i}", "timestamp", when, "type",
	                      type, "id", (json_int_t)id, "previousEventId",
	                      (json_int_t)prev);
	if (key && details)
		json_object_set_new(e, key, details);
	else
		json_decref(details);
	return e;
}

static void iso(long long ms, char out[64])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         (int)(ms % 1000));
}

/* A history of two events, for an execution whose program left none:
 * ExecutionStarted and its end. */
static json_t *short_history(json_t *x, long long stop_ms, const char *status,
                             const char *output, const char *error,
                             const char *cause)
{
	char t0[64], t1[64];
	json_t *ev = json_array(), *d;

	iso(ICOL(x, "start_ms"), t0);
	iso(stop_ms, t1);
	json_array_append_new(ev, event(1, 0, t0, "ExecutionStarted",
	                      "executionStartedEventDetails",
	                      json_pack("{s:s, s:{s:b}, s:s}", "input",
	                                COL(x, "input"), "inputDetails",
	                                "truncated", 0, "roleArn",
	                                COL(x, "role_arn"))));
	if (!strcmp(status, "SUCCEEDED")) {
		d = json_pack("{s:s, s:{s:b}}", "output", output ? output : "null",
		              "outputDetails", "truncated", 0);
		json_array_append_new(ev, event(2, 1, t1, "ExecutionSucceeded",
		                      "executionSucceededEventDetails", d));
		return ev;
	}
	d = json_object();
	if (error)
		json_object_set_new(d, "error", json_string(error));
	if (cause)
		json_object_set_new(d, "cause", json_string(cause));
	const char *type = !strcmp(status, "ABORTED") ? "ExecutionAborted"
	                 : !strcmp(status, "TIMED_OUT") ? "ExecutionTimedOut"
	                 : "ExecutionFailed";
	const char *key = !strcmp(status, "ABORTED")
	                ? "executionAbortedEventDetails"
	                : !strcmp(status, "TIMED_OUT")
	                ? "executionTimedOutEventDetails"
	                : "executionFailedEventDetails";
	json_array_append_new(ev, event(2, 1, t1, type, key, d));
	return ev;
}

/* Write how the execution ended, and its events, in one transaction. */
static void finish(serve *sv, json_t *x, const char *status, long long stop_ms,
                   const char *output, const char *error, const char *cause,
                   json_t *events)
{
	json_t *e;
	size_t i;

	store_begin(sv->db);
	store_exec(sv->db, "UPDATE executions SET status = ?, stop_ms = ?, "
	           "output = ?, error = ?, cause = ?, pid = NULL WHERE seq = ?",
	           "sisssi", status, stop_ms, output, error, cause,
	           ICOL(x, "seq"));
	store_exec(sv->db, "DELETE FROM events WHERE execution = ?", "i",
	           ICOL(x, "seq"));
	json_array_foreach(events, i, e)
		store_exec(sv->db, "INSERT INTO events VALUES (?, ?, ?)", "iij",
		           ICOL(x, "seq"),
		           (long long)json_integer_value(json_object_get(e, "id")), e);
	store_commit(sv->db, true);
}

/* What the program left in dir: describe.json and history.json, both
 * whole (a program writes them at its very end, the history renamed into
 * place).  NULL when either is missing or incomplete. */
static json_t *results(const char *dir, json_t **events)
{
	char *dpath = xasprintf("%s/describe.json", dir);
	char *hpath = xasprintf("%s/history.json", dir);
	char *d = serve_read_file(dpath, 64u << 20, NULL);
	char *h = serve_read_file(hpath, 1u << 30, NULL);
	json_t *desc = d ? json_loads(d, 0, NULL) : NULL;
	json_t *hist = h ? json_loads(h, 0, NULL) : NULL;

	free(d);
	free(h);
	free(dpath);
	free(hpath);
	*events = json_incref(json_object_get(hist, "events"));
	json_decref(hist);
	if (!json_is_object(desc) || !COL(desc, "status") ||
	    !json_is_array(*events)) {
		json_decref(desc);
		json_decref(*events);
		*events = NULL;
		return NULL;
	}
	return desc;
}

/* The execution ended: its program's wait status is st (-1: unknown). */
static void ingest(serve *sv, json_t *x, const job *j, int st,
                   const char *dir)
{
	json_t *events = NULL;
	json_t *desc = results(dir, &events);
	long long stop = serve_now_ms();

	if (!desc) {
		char cause[2048];
		if (st == -1) {
			snprintf(cause, sizeof cause, "%s", INTERRUPTED_CAUSE);
		} else {
			/* What the program said last, on its stderr. */
			char *epath = xasprintf("%s/stderr.log", dir);
			size_t n = 0;
			char *text = serve_read_file(epath, 64u << 20, &n);
			const char *tail = text ? text : "";
			while (n && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
				n--;
			size_t from = n > 1500 ? n - 1500 : 0;
			if (WIFSIGNALED(st))
				snprintf(cause, sizeof cause, "The execution's program ended "
				         "with signal %d (%s) before it finished",
				         WTERMSIG(st), strsignal(WTERMSIG(st)));
			else
				snprintf(cause, sizeof cause, "The execution's program ended "
				         "with exit status %d before it finished",
				         WEXITSTATUS(st));
			if (n)
				snprintf(cause + strlen(cause), sizeof cause - strlen(cause),
				         ": %.*s", (int)(n - from), tail + from);
			free(text);
			free(epath);
		}
		json_t *ev = short_history(x, stop, "FAILED", NULL, "States.Runtime",
		                           cause);
		finish(sv, x, "FAILED", stop, NULL, "States.Runtime", cause, ev);
		json_decref(ev);
		return;
	}
	const char *status = COL(desc, "status");
	const char *error = COL(desc, "error"), *cause = COL(desc, "cause");
	rfc3339_parse_ms(COL(desc, "stopDate"), &stop);
	if (!strcmp(status, "ABORTED") && j && (j->stop_error || j->stop_cause)) {
		/* StopExecution's error and cause, as AWS keeps them. */
		error = j->stop_error;
		cause = j->stop_cause;
		json_t *last = json_array_get(events, json_array_size(events) - 1);
		if (last && !strcmp(COL(last, "type"), "ExecutionAborted")) {
			json_t *d = json_object();
			if (error)
				json_object_set_new(d, "error", json_string(error));
			if (cause)
				json_object_set_new(d, "cause", json_string(cause));
			json_object_set_new(last, "executionAbortedEventDetails", d);
		}
	}
	finish(sv, x, status, stop, COL(desc, "output"), error, cause, events);
	json_decref(events);
	json_decref(desc);
}

/* ----------------------------------------------------- running one */

static char *exec_dir(serve *sv, json_t *x)
{
	return xasprintf("%s/%lld", sv->executions_dir, ICOL(x, "seq"));
}

static void arg(json_t *a, const char *s)
{
	json_array_append_new(a, json_string(s));
}

json_t *exec_args(serve *sv, const char *program, const char *dir,
                  const char *name, const char *role)
{
	json_t *a = json_array();
	char *p;

	arg(a, program);
	arg(a, "--input-file");
	arg(a, p = xasprintf("%s/input.json", dir));
	free(p);
	arg(a, "--name");
	arg(a, name);
	arg(a, "--describe");
	arg(a, "--history");
	arg(a, p = xasprintf("%s/history.json", dir));
	free(p);
	arg(a, "--region");
	arg(a, sv->cfg.region);
	arg(a, "--account");
	arg(a, sv->cfg.account);
	arg(a, "--role-arn");
	arg(a, role);
	arg(a, "--s3-root");
	arg(a, sv->cfg.s3_root);
	if (!sv->cfg.builtins)
		arg(a, "--no-builtins");
	for (size_t i = 0; i < sv->cfg.n_libs; i++) {
		arg(a, "--handlers-lib");
		arg(a, sv->cfg.libs[i]);
	}
	/* Functions created through the Lambda API, as they are now. */
	json_t *h = lambda_handler_args(sv), *v;
	size_t i;
	json_array_foreach(h, i, v) {
		arg(a, "--handler");
		arg(a, json_string_value(v));
	}
	json_decref(h);
	return a;
}

/* The strings of a, NULL-terminated (borrowed from a). */
static char **argv_of(json_t *a)
{
	char **v = xcalloc(json_array_size(a) + 1, sizeof *v);
	json_t *s;
	size_t i;

	json_array_foreach(a, i, s)
		v[i] = (char *)json_string_value(s);
	return v;
}

/* fork and exec the program in dir.  Only async-signal-safe calls
 * between fork and exec. */
static pid_t spawn(executor *ex, char **argv, const char *dir)
{
	char *out = xasprintf("%s/describe.json", dir);
	char *err = xasprintf("%s/stderr.log", dir);
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t none;
		/* Die with the service; it may have died already. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != ex->self)
			_exit(127);
		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		int in = open("/dev/null", O_RDONLY);
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || o < 0 || e < 0 || chdir(dir) < 0 ||
		    dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid); /* before any kill(-pid) */
	free(out);
	free(err);
	return pid;
}

int exec_run_program(executor *ex, json_t *args, const char *dir,
                     long long timeout_ms)
{
	int st = 0;
	char **argv = argv_of(args);
	pid_t pid = spawn(ex, argv, dir);
	long long t0;

	free(argv);
	if (pid < 0)
		return -1;
	t0 = monotonic_ms();
	for (long ns = 100000;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return -1;
		if (monotonic_ms() - t0 > timeout_ms) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			return -2;
		}
		struct timespec d = { 0, ns };
		nanosleep(&d, NULL);
		if (ns < 10000000)
			ns *= 2;
	}
	kill(-pid, SIGKILL);
	return st;
}

/* An execution that ends without its program having run to the end:
 * its short history and its row, status with error and cause. */
static void end_early(serve *sv, json_t *x, const char *status,
                      const char *error, const char *cause)
{
	long long now = serve_now_ms();
	json_t *ev = short_history(x, now, status, NULL, error, cause);

	finish(sv, x, status, now, NULL, error, cause, ev);
	json_decref(ev);
}

/* The execution x's program run in dir, with arguments a, until it ends
 * (j->pid while it runs, for a stop): its wait status, or -2 when it
 * cannot start (errno set). */
static int run_program(executor *ex, job *j, json_t *x, json_t *a,
                       const char *dir)
{
	serve *sv = ex->sv;
	char **argv = argv_of(a);
	pid_t pid = spawn(ex, argv, dir);
	int st = 0;

	free(argv);
	if (pid < 0)
		return -2;
	pthread_mutex_lock(&ex->mu);
	j->pid = pid;
	if (j->stop)
		kill(-pid, SIGTERM);
	pthread_mutex_unlock(&ex->mu);
	store_exec(sv->db, "UPDATE executions SET pid = ? WHERE seq = ?",
	           "ii", (long long)pid, ICOL(x, "seq"));
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&ex->mu);
	j->pid = 0;
	pthread_mutex_unlock(&ex->mu);
	kill(-pid, SIGKILL); /* what it left behind in its group */
	return st;
}

static void run(executor *ex, job *j)
{
	serve *sv = ex->sv;
	json_t *x = store_row(sv->db, "SELECT * FROM executions WHERE arn = ?",
	                      "s", j->arn);
	json_t *a = NULL;

	if (!x || strcmp(COL(x, "status"), "RUNNING")) {
		json_decref(x);
		return;
	}
	char *dir = exec_dir(sv, x);
	pthread_mutex_lock(&ex->mu);
	bool stopped = j->stop;
	pthread_mutex_unlock(&ex->mu);
	if (stopped) {
		/* Stopped before it ran. */
		end_early(sv, x, "ABORTED", j->stop_error, j->stop_cause);
		goto out;
	}
	char *input = xasprintf("%s/input.json", dir);
	serve_remove_tree(dir);
	if (serve_mkdirs(dir) < 0 ||
	    serve_write_file(input, COL(x, "input"), strlen(COL(x, "input")))) {
		char cause[512];
		snprintf(cause, sizeof cause, "asl2c serve cannot write %s: %s",
		         input, strerror(errno));
		end_early(sv, x, "FAILED", "States.Runtime", cause);
		free(input);
		goto out;
	}
	free(input);
	a = exec_args(sv, COL(x, "program"), dir, COL(x, "name"),
	              COL(x, "role_arn"));
	/* Its endpoint, for the calls forwarded to it (forward.c). */
	char *listen = xasprintf("%s/listen", dir);
	arg(a, "--listen");
	arg(a, "127.0.0.1:0");
	arg(a, "--listen-file");
	arg(a, listen);
	pthread_mutex_lock(&ex->mu);
	j->listen_file = listen;
	pthread_mutex_unlock(&ex->mu);
	if (COL(x, "test_case")) {
		arg(a, "--mock-config");
		arg(a, sv->cfg.mock_config);
		arg(a, "--test-case");
		arg(a, COL(x, "test_case"));
	}
	int st = run_program(ex, j, x, a, dir);
	pthread_mutex_lock(&ex->mu);
	j->listen_file = NULL;
	pthread_mutex_unlock(&ex->mu);
	free(listen);
	if (st == -2) {
		char cause[256];
		snprintf(cause, sizeof cause, "asl2c serve cannot start the "
		         "execution's program: %s", strerror(errno));
		end_early(sv, x, "FAILED", "States.Runtime", cause);
	} else {
		ingest(sv, x, j, st, dir);
	}
	serve_remove_tree(dir);
out:
	json_decref(a);
	free(dir);
	json_decref(x);
}

/* ----------------------------------------------------- the workers */

static void job_free(job *j)
{
	free(j->arn);
	free(j->stop_error);
	free(j->stop_cause);
	free(j);
}

static void *worker(void *arg)
{
	executor *ex = arg;

	pthread_mutex_lock(&ex->mu);
	for (;;) {
		job *j = NULL;
		while (!ex->stopping) {
			for (j = ex->jobs; j && !j->queued; j = j->next)
				;
			if (j)
				break;
			pthread_cond_wait(&ex->work, &ex->mu);
		}
		if (ex->stopping)
			break;
		j->queued = false;
		pthread_mutex_unlock(&ex->mu);
		run(ex, j);
		pthread_mutex_lock(&ex->mu);
		for (job **p = &ex->jobs; *p; p = &(*p)->next)
			if (*p == j) {
				*p = j->next;
				break;
			}
		ex->tail = &ex->jobs;
		while (*ex->tail)
			ex->tail = &(*ex->tail)->next;
		job_free(j);
		pthread_cond_broadcast(&ex->done);
	}
	pthread_mutex_unlock(&ex->mu);
	return NULL;
}

executor *exec_new(serve *sv)
{
	executor *ex = xcalloc(1, sizeof *ex);

	ex->sv = sv;
	ex->self = getpid();
	ex->tail = &ex->jobs;
	pthread_mutex_init(&ex->mu, NULL);
	pthread_cond_init(&ex->work, NULL);
	pthread_cond_init(&ex->done, NULL);
	ex->workers = xcalloc(sv->cfg.max_running, sizeof *ex->workers);
	return ex;
}

int exec_start(executor *ex, char *err, size_t errlen)
{
	pthread_attr_t at;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 256 * 1024);
	for (unsigned i = 0; i < ex->sv->cfg.max_running; i++) {
		if (pthread_create(&ex->workers[i], &at, worker, ex)) {
			snprintf(err, errlen, "cannot start a worker thread");
			pthread_attr_destroy(&at);
			return -1;
		}
		ex->n_workers++;
	}
	pthread_attr_destroy(&at);
	return 0;
}

void exec_queue(executor *ex, const char *arn)
{
	job *j = xcalloc(1, sizeof *j);

	j->arn = xstrdup(arn);
	j->queued = true;
	pthread_mutex_lock(&ex->mu);
	*ex->tail = j;
	ex->tail = &j->next;
	pthread_cond_signal(&ex->work);
	pthread_mutex_unlock(&ex->mu);
}

json_t *exec_endpoints(executor *ex)
{
	json_t *urls = json_array();

	pthread_mutex_lock(&ex->mu);
	for (job *j = ex->jobs; j; j = j->next) {
		char url[128];
		FILE *f;
		if (!j->pid || !j->listen_file ||
		    !(f = fopen(j->listen_file, "r")))
			continue;
		if (fgets(url, sizeof url, f)) {
			url[strcspn(url, "\r\n")] = '\0';
			if (!strncmp(url, "http://127.0.0.1:", 17))
				json_array_append_new(urls, json_string(url));
		}
		fclose(f);
	}
	pthread_mutex_unlock(&ex->mu);
	return urls;
}

static job *find(executor *ex, const char *arn)
{
	for (job *j = ex->jobs; j; j = j->next)
		if (!strcmp(j->arn, arn))
			return j;
	return NULL;
}

int exec_stop(executor *ex, const char *arn, const char *error,
              const char *cause)
{
	pthread_mutex_lock(&ex->mu);
	job *j = find(ex, arn);
	if (!j) {
		pthread_mutex_unlock(&ex->mu);
		return -1;
	}
	if (!j->stop) {
		j->stop = true;
		j->stop_error = error ? xstrdup(error) : NULL;
		j->stop_cause = cause ? xstrdup(cause) : NULL;
	}
	if (j->pid > 0)
		kill(-j->pid, SIGTERM);
	pthread_mutex_unlock(&ex->mu);
	return 0;
}

void exec_wait(executor *ex, const char *arn)
{
	job *j;

	pthread_mutex_lock(&ex->mu);
	/* Until it ends; a queued one does not run once the service stops. */
	while ((j = find(ex, arn)) && !(ex->stopping && j->queued))
		pthread_cond_wait(&ex->done, &ex->mu);
	pthread_mutex_unlock(&ex->mu);
}

void exec_recover(executor *ex)
{
	serve *sv = ex->sv;
	json_t *rows = store_rows(sv->db, "SELECT * FROM executions WHERE "
	                          "status = 'RUNNING' ORDER BY seq", "");
	json_t *x;
	size_t i;

	json_array_foreach(rows, i, x) {
		if (json_is_null(json_object_get(x, "pid"))) {
			exec_queue(ex, COL(x, "arn")); /* it never ran */
			continue;
		}
		/* Its program died with the service (PR_SET_PDEATHSIG), or had
		 * finished before the service could take its results. */
		char *dir = exec_dir(sv, x);
		ingest(sv, x, NULL, -1, dir);
		serve_remove_tree(dir);
		free(dir);
	}
	json_decref(rows);
}

static bool running_any(executor *ex)
{
	for (job *j = ex->jobs; j; j = j->next)
		if (j->pid > 0)
			return true;
	return false;
}

static void wait_running(executor *ex, long long ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)(ms / 1000);
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	while (running_any(ex) &&
	       pthread_cond_timedwait(&ex->done, &ex->mu, &until) != ETIMEDOUT)
		;
}

void exec_shutdown(executor *ex, long long grace_ms)
{
	pthread_mutex_lock(&ex->mu);
	/* No new job starts; queued ones stay RUNNING in the store and run
	 * after the next start. */
	ex->stopping = true;
	pthread_cond_broadcast(&ex->work);
	pthread_cond_broadcast(&ex->done);
	wait_running(ex, grace_ms);
	for (job *j = ex->jobs; j; j = j->next)
		if (j->pid > 0) {
			if (!j->stop) {
				j->stop = true;
				j->stop_cause = xstrdup("asl2c serve was stopped");
			}
			kill(-j->pid, SIGTERM);
		}
	wait_running(ex, 10000);
	for (job *j = ex->jobs; j; j = j->next)
		if (j->pid > 0)
			kill(-j->pid, SIGKILL);
	pthread_mutex_unlock(&ex->mu);
	for (unsigned i = 0; i < ex->n_workers; i++)
		pthread_join(ex->workers[i], NULL);
	ex->n_workers = 0;
}

void exec_free(executor *ex)
{
	if (!ex)
		return;
	while (ex->jobs) {
		job *j = ex->jobs;
		ex->jobs = j->next;
		job_free(j);
	}
	free(ex->workers);
	pthread_mutex_destroy(&ex->mu);
	pthread_cond_destroy(&ex->work);
	pthread_cond_destroy(&ex->done);
	free(ex);
}
