/*
 * main.c - `asl2c serve`: the command line, start-up and shutdown.
 *
 *     asl2c serve [--listen 127.0.0.1:8083] [--state DIR] [OPTIONS]
 *     asl2c serve --logs FUNCTION [--state DIR]
 *
 * Exit status: 0 after SIGTERM or SIGINT (a clean stop), 1 when it cannot
 * start (the address, the state folder), 2 for a usage error.
 */
#define _GNU_SOURCE
#include "config.h"
#include "serve.h"
#include "build.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#if !defined(ASL2C_SRC_DIR) || !defined(ASL2C_PKGDATA_DIR)
#error "serve/main.c needs ASL2C_SRC_DIR and ASL2C_PKGDATA_DIR (Makefile.am)"
#endif

int asl2c_serve(const char *progname, int argc, char **argv);

static void usage(FILE *f, const char *pn)
{
	fprintf(f,
"Usage: %s serve [--listen ADDR:PORT] [--state DIR] [OPTIONS]\n"
"       %s serve --logs FUNCTION [--state DIR]\n"
"A local Step Functions and Lambda service for the AWS CLI and the SDKs:\n"
"each state machine is compiled to a program on creation, each execution\n"
"runs as a child process, Python functions run on the local python3.\n"
"\n"
"  --listen ADDR:PORT   where to listen (default 127.0.0.1:8083; port 0\n"
"                       picks one); the address is IPv4 or [IPv6]\n"
"  --listen-file FILE   write http://ADDR:PORT to FILE once listening\n"
"  --state DIR          state machines, executions, histories, functions\n"
"                       and logs (default $XDG_DATA_HOME/asl2c/serve, or\n"
"                       ~/.local/share/asl2c/serve)\n"
"  --region REGION      the region in ARNs (default us-east-1)\n"
"  --account ID         the account in ARNs (default 000000000000)\n"
"  --max-running N      executions running at once; the others wait\n"
"                       (default 4 per processor, 4 to 64)\n"
"  --python PATH        the Python of Python functions (default python3)\n"
"  --handlers-lib PATH  C handlers for every execution (asl2c-run(7));\n"
"                       may be repeated\n"
"  --builtin-handlers   keep the programs' built-in handlers (the fan-in\n"
"                       example's); by default a function must be created\n"
"  --mock-config FILE   Step Functions Local's MockConfigFile: StartExecution\n"
"                       on STATE_MACHINE_ARN#TEST_CASE runs that test case\n"
"  --s3-root DIR        S3 as a folder for Distributed Maps (default\n"
"                       DIR/s3)\n"
"  --poll-seconds N     how long GetActivityTask waits (default 60)\n"
"  --logs FUNCTION      print the function's log (DIR/logs/FUNCTION.log)\n"
"                       and exit\n"
"  -h, --help           show this help and exit\n"
"  --version            show the version and exit\n"
"\n"
"No request is authenticated: any credentials and signature are accepted.\n"
"SIGTERM or SIGINT stops it: running executions get 5 seconds, then are\n"
"aborted; queued ones run after the next start.\n"
"\n"
"Exit status: 0 stopped by a signal, 1 cannot start, 2 usage error.\n",
	        pn, pn);
}

static int parse_uint(const char *pn, const char *opt, const char *s,
                      unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);

	if (errno || *end || !*s || v < lo || v > hi) {
		fprintf(stderr, "%s serve: %s takes a number from %u to %u, not "
		        "'%s'\n", pn, opt, lo, hi, s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* An absolute path for a file named on the command line (the programs
 * run in folders of their own). */
static const char *absolute(const char *pn, const char *opt, const char *p)
{
	char *r = realpath(p, NULL);

	if (!r)
		fprintf(stderr, "%s serve: %s %s: %s\n", pn, opt, p, strerror(errno));
	return r;
}

/* What parse() allocated. */
static void config_free(serve_config *c)
{
	for (size_t i = 0; i < c->n_libs; i++)
		free((char *)c->libs[i]);
	free(c->libs);
	free((char *)c->mock_config);
	free((char *)c->s3_root);
	free(c->state_dir);
}

static char *default_state_dir(void)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (x && x[0] == '/')
		return xasprintf("%s/asl2c/serve", x);
	if (home && home[0] == '/')
		return xasprintf("%s/.local/share/asl2c/serve", home);
	return NULL;
}

typedef struct cli {
	serve_config c;
	const char *logs;
} cli;

/* The long options' codes. */
enum { O_LISTEN = 256, O_STATE, O_REGION, O_ACCOUNT, O_MAX, O_PYTHON,
       O_LIB, O_BUILTINS, O_MOCK, O_S3, O_POLL, O_LOGS, O_LFILE,
       O_VERSION };

/* The configuration before any option: room for a --handlers-lib in each
 * of argc arguments. */
static void set_defaults(serve_config *c, int argc)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	c->listen = "127.0.0.1:8083";
	c->region = "us-east-1";
	c->account = "000000000000";
	c->python = "python3";
	c->poll_seconds = 60;
	c->max_running = cpus > 0 ? (unsigned)(cpus * 4) : 4;
	if (c->max_running < 4)
		c->max_running = 4;
	if (c->max_running > 64)
		c->max_running = 64;
	c->libs = xcalloc((size_t)argc + 1, sizeof *c->libs);
}

/* The option ch that getopt_long() returned (its argument in optarg) into
 * *o: 0, or -1 after a message.  --help and --version exit. */
static int take_option(const char *pn, int ch, char **argv, cli *o)
{
	serve_config *c = &o->c;

	switch (ch) {
	case O_LISTEN: c->listen = optarg; break;
	case O_LFILE: c->listen_file = optarg; break;
	case O_STATE: free(c->state_dir); c->state_dir = xstrdup(optarg); break;
	case O_REGION:
	case O_ACCOUNT:
		if (!serve_valid_name(optarg, 64)) {
			fprintf(stderr, "%s serve: --%s: not a valid %s: '%s'\n", pn,
			        ch == O_REGION ? "region" : "account",
			        ch == O_REGION ? "region" : "account", optarg);
			return -1;
		}
		*(ch == O_REGION ? &c->region : &c->account) = optarg;
		break;
	case O_MAX:
		return parse_uint(pn, "--max-running", optarg, 1, 1024,
		                  &c->max_running);
	case O_POLL:
		return parse_uint(pn, "--poll-seconds", optarg, 0, 3600,
		                  &c->poll_seconds);
	case O_PYTHON: c->python = optarg; break;
	case O_BUILTINS: c->builtins = true; break;
	case O_LOGS: o->logs = optarg; break;
	case O_LIB:
		if (!(c->libs[c->n_libs] = absolute(pn, "--handlers-lib", optarg)))
			return -1;
		c->n_libs++;
		break;
	case O_MOCK:
		if (!(c->mock_config = absolute(pn, "--mock-config", optarg)))
			return -1;
		break;
	case O_S3:
		if (!(c->s3_root = absolute(pn, "--s3-root", optarg)))
			return -1;
		break;
	case 'h':
		usage(stdout, pn);
		exit(0);
	case O_VERSION:
		printf("asl2c serve %s\n", PACKAGE_VERSION);
		exit(0);
	case ':':
		fprintf(stderr, "%s serve: option '%s' needs an argument\n", pn,
		        argv[optind - 1]);
		return -1;
	default:
		fprintf(stderr, "%s serve: unknown option '%s'\n", pn,
		        argv[optind - 1]);
		return -1;
	}
	return 0;
}

static int parse(const char *pn, int argc, char **argv, cli *o)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "listen-file", required_argument, NULL, O_LFILE },
		{ "state", required_argument, NULL, O_STATE },
		{ "region", required_argument, NULL, O_REGION },
		{ "account", required_argument, NULL, O_ACCOUNT },
		{ "max-running", required_argument, NULL, O_MAX },
		{ "python", required_argument, NULL, O_PYTHON },
		{ "handlers-lib", required_argument, NULL, O_LIB },
		{ "builtin-handlers", no_argument, NULL, O_BUILTINS },
		{ "mock-config", required_argument, NULL, O_MOCK },
		{ "s3-root", required_argument, NULL, O_S3 },
		{ "poll-seconds", required_argument, NULL, O_POLL },
		{ "logs", required_argument, NULL, O_LOGS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	serve_config *c = &o->c;
	int ch;

	memset(o, 0, sizeof *o);
	set_defaults(c, argc);
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1)
		if (take_option(pn, ch, argv, o) < 0)
			return -1;
	if (optind < argc) {
		fprintf(stderr, "%s serve: unexpected argument '%s'\n", pn,
		        argv[optind]);
		return -1;
	}
	if (!c->state_dir && !(c->state_dir = default_state_dir())) {
		fprintf(stderr, "%s serve: no state folder: set XDG_DATA_HOME or "
		        "HOME (an absolute path), or use --state DIR\n", pn);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ start-up */

static void oom(void)
{
	fputs("asl2c serve: out of memory\n", stderr);
	abort();
}

static void *json_alloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		oom();
	return p;
}

static char *bootstrap_path(void)
{
	if (asl2c_in_build_tree())
		return xstrdup(ASL2C_SRC_DIR "/serve/lambda_bootstrap.py");
	return xstrdup(ASL2C_PKGDATA_DIR "/lambda_bootstrap.py");
}

/* Remove what no row names: leftovers of earlier runs (function code
 * replaced or deleted, builds interrupted). */
static void collect(serve *sv)
{
	DIR *d = opendir(sv->functions_dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *fdir = xasprintf("%s/%s", sv->functions_dir, e->d_name);
		json_t *f = store_row(sv->db, "SELECT code_dir FROM functions WHERE "
		                      "name = ?", "s", e->d_name);
		const char *keep = json_string_value(json_object_get(f, "code_dir"));
		DIR *r = opendir(fdir);
		struct dirent *v;
		while (r && (v = readdir(r))) {
			if (v->d_name[0] == '.')
				continue;
			char *rdir = xasprintf("%s/%s", fdir, v->d_name);
			if (!keep || strcmp(keep, rdir))
				serve_remove_tree(rdir);
			free(rdir);
		}
		if (r)
			closedir(r);
		if (!keep)
			rmdir(fdir);
		json_decref(f);
		free(fdir);
	}
	if (d)
		closedir(d);
	char *programs = xasprintf("%s/programs", sv->cfg.state_dir);
	d = opendir(programs);
	while (d && (e = readdir(d))) {
		if (!strncmp(e->d_name, "tmp-", 4)) {
			char *t = xasprintf("%s/%s", programs, e->d_name);
			serve_remove_tree(t);
			free(t);
		}
	}
	if (d)
		closedir(d);
	free(programs);
	d = opendir(sv->executions_dir);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *t = xasprintf("%s/%s", sv->executions_dir, e->d_name);
		serve_remove_tree(t);
		free(t);
	}
	if (d)
		closedir(d);
}

static int write_listen_file(serve *sv)
{
	const char *l = sv->cfg.listen, *colon = strrchr(l, ':');
	int hl = colon ? (int)(colon - l) : 0;
	char *url;

	/* The address a client uses: loopback for a wildcard. */
	if (!hl || !strncmp(l, "0.0.0.0:", 8) || !strncmp(l, "localhost:", 10))
		url = xasprintf("http://127.0.0.1:%u\n", asl_endpoint_port(sv->ep));
	else if (!strncmp(l, "[::]:", 5))
		url = xasprintf("http://[::1]:%u\n", asl_endpoint_port(sv->ep));
	else
		url = xasprintf("http://%.*s:%u\n", hl, l,
		                asl_endpoint_port(sv->ep));
	int rc = serve_write_file(sv->cfg.listen_file, url, strlen(url));
	free(url);
	return rc;
}

/* The state folder (made absolute: the programs run in folders of their
 * own) and its logs, functions, executions and S3 folders made; *s3 the
 * S3 folder when it is the default one. */
static int make_folders(const char *pn, serve *sv, char **s3)
{
	if (serve_mkdirs(sv->cfg.state_dir) == 0) {
		char *abs = realpath(sv->cfg.state_dir, NULL);
		if (abs) {
			free(sv->cfg.state_dir);
			sv->cfg.state_dir = abs;
		}
	}
	sv->logs_dir = xasprintf("%s/logs", sv->cfg.state_dir);
	sv->functions_dir = xasprintf("%s/functions", sv->cfg.state_dir);
	sv->executions_dir = xasprintf("%s/executions", sv->cfg.state_dir);
	if (!sv->cfg.s3_root)
		sv->cfg.s3_root = *s3 = xasprintf("%s/s3", sv->cfg.state_dir);
	if (serve_mkdirs(sv->cfg.state_dir) < 0 ||
	    serve_mkdirs(sv->logs_dir) < 0 ||
	    serve_mkdirs(sv->functions_dir) < 0 ||
	    serve_mkdirs(sv->executions_dir) < 0 ||
	    serve_mkdirs(sv->cfg.s3_root) < 0) {
		fprintf(stderr, "%s serve: cannot make the state folder %s: %s\n",
		        pn, sv->cfg.state_dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The state folder locked (one service per folder, *lock_fd) and its
 * database and builder opened. */
static int open_state(const char *pn, serve *sv, int *lock_fd)
{
	char err[1024];
	char *lock = xasprintf("%s/lock", sv->cfg.state_dir);

	*lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lock);
	if (*lock_fd < 0 || flock(*lock_fd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "%s serve: %s is in use by another asl2c serve (or "
		        "cannot be locked: %s)\n", pn, sv->cfg.state_dir,
		        strerror(errno));
		return -1;
	}
	char *db = xasprintf("%s/state.db", sv->cfg.state_dir);
	sv->db = store_open(db, err, sizeof err);
	free(db);
	if (!sv->db) {
		fprintf(stderr, "%s serve: %s\n", pn, err);
		return -1;
	}
	if (!(sv->build = builder_new(sv->cfg.state_dir, err, sizeof err))) {
		fprintf(stderr, "%s serve: %s\n", pn, err);
		return -1;
	}
	sv->bootstrap = bootstrap_path();
	if (access(sv->bootstrap, R_OK) < 0)
		fprintf(stderr, "%s serve: warning: the Python bootstrap %s is "
		        "missing: Python functions will fail\n", pn, sv->bootstrap);
	return 0;
}

/* The executions' workers and the HTTP endpoint started, after what the
 * last run left is recovered and collected; the --listen-file written.
 * On failure nothing runs. */
static int start_service(const char *pn, serve *sv)
{
	char err[1024];

	if (serve_forward_init() < 0) {
		fprintf(stderr, "%s serve: libcurl cannot start\n", pn);
		return -1;
	}
	sv->ex = exec_new(sv);
	exec_recover(sv->ex);
	collect(sv);
	if (exec_start(sv->ex, err, sizeof err) < 0 ||
	    serve_http_start(sv, err, sizeof err) < 0) {
		fprintf(stderr, "%s serve: %s\n", pn, err);
		exec_shutdown(sv->ex, 0);
		return -1;
	}
	if (sv->cfg.listen_file && write_listen_file(sv) < 0) {
		fprintf(stderr, "%s serve: --listen-file %s: %s\n", pn,
		        sv->cfg.listen_file, strerror(errno));
		asl_endpoint_stop(sv->ep);
		sv->ep = NULL;
		exec_shutdown(sv->ex, 0);
		return -1;
	}
	fprintf(stderr, "%s serve: listening on %s (port %u), state in %s\n", pn,
	        sv->cfg.listen, asl_endpoint_port(sv->ep), sv->cfg.state_dir);
	return 0;
}

/* A clean stop: running executions get 5 seconds, the endpoint stops,
 * asynchronous invocations end. */
static void stop_service(serve *sv)
{
	pthread_mutex_lock(&sv->lock);
	sv->stopping = true;
	pthread_cond_broadcast(&sv->wake);
	pthread_mutex_unlock(&sv->lock);
	exec_shutdown(sv->ex, 5000);
	asl_endpoint_stop(sv->ep);
	sv->ep = NULL;
	lambda_wait_async(sv);
}

/* All that sv holds, lock_fd and the default S3 folder's name s3. */
static void serve_free(serve *sv, int lock_fd, char *s3)
{
	if (sv->ep)
		asl_endpoint_stop(sv->ep);
	exec_free(sv->ex);
	serve_forward_cleanup();
	builder_free(sv->build);
	store_close(sv->db);
	if (lock_fd >= 0)
		close(lock_fd);
	if (s3) {
		free(s3);
		sv->cfg.s3_root = NULL;
	}
	config_free(&sv->cfg);
	free(sv->bootstrap);
	free(sv->logs_dir);
	free(sv->functions_dir);
	free(sv->executions_dir);
	pthread_mutex_destroy(&sv->lock);
	pthread_cond_destroy(&sv->wake);
	pthread_cond_destroy(&sv->async_done);
}

int asl2c_serve(const char *pn, int argc, char **argv)
{
	cli o;
	serve sv;
	char *s3 = NULL;
	int lock_fd = -1, status = 1;
	sigset_t sigs;

	json_set_alloc_funcs(json_alloc, free);
	if (parse(pn, argc, argv, &o) < 0) {
		fprintf(stderr, "Try '%s serve --help'.\n", pn);
		config_free(&o.c);
		return 2;
	}
	if (o.logs) {
		int rc = lambda_print_log(o.c.state_dir, o.logs);
		config_free(&o.c);
		return rc;
	}
	memset(&sv, 0, sizeof sv);
	sv.cfg = o.c;
	pthread_mutex_init(&sv.lock, NULL);
	pthread_cond_init(&sv.wake, NULL);
	pthread_cond_init(&sv.async_done, NULL);
	if (make_folders(pn, &sv, &s3) < 0 || open_state(pn, &sv, &lock_fd) < 0)
		goto out;

	/* Signals: taken by sigwait() below; every thread blocks them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (start_service(pn, &sv) < 0)
		goto out;
	int sig = 0;
	while (sigwait(&sigs, &sig) != 0)
		;
	fprintf(stderr, "%s serve: %s: stopping\n", pn, strsignal(sig));
	stop_service(&sv);
	status = 0;
out:
	serve_free(&sv, lock_fd, s3);
	return status;
}
