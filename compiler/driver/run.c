/*
 * run.c - `asl2c run`: compile a definition, build the program with the C
 * compiler and run it, in one command.
 *
 *     asl2c run DEFINITION.json [OPTIONS] [-- PROGRAM OPTIONS]
 *
 * The definition is compiled by asl2c itself, run as a child with -o, so
 * the diagnostics and the exit status of an invalid definition are the
 * compiler's.  The program is then built by the C compiler in a temporary
 * folder inside the cache and renamed into place (atomic), under the
 * SHA-256 of everything that determines it: the generated C (which follows
 * from the definition's content and the options that change the output;
 * its first line, a comment naming the definition's path, left out),
 * asl2c's version, the C compiler, its flags and the runtime's flags.  Two
 * runs building the same definition at once each build their own copy;
 * the last rename wins and both copies are the same program.  A cached
 * program is not built again.  Finally the program replaces asl2c
 * (execv), so the exit status, the signals, stdin and stdout are the
 * program's own.  With --no-cache the program is built in $TMPDIR, opened,
 * removed, and run from the open file (fexecve).
 */
#include "config.h"
#include "build.h"
#include "run.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { EXIT_INVALID = 1, EXIT_FAIL = 2 };

static const char *progname = "asl2c";

typedef struct run_cli {
	const char *def;
	bool no_cache, verbose;
	char **copts;       /* the compiler's argv: self, options, definition */
	size_t n_copts;
	char **pargs;       /* the program's options (after --) */
	int n_pargs;
} run_cli;

static void usage(FILE *f)
{
	fprintf(f,
"Usage: %s run DEFINITION.json [OPTIONS] [-- PROGRAM OPTIONS]\n"
"Compile the state machine, build the program with the C compiler and run\n"
"it. The program is cached, keyed by the generated C (the definition's\n"
"content and the options that change it), asl2c's version and the build\n"
"command, under $XDG_CACHE_HOME/asl2c (default ~/.cache/asl2c).\n"
"\n"
"  --name NAME, --type=STANDARD|EXPRESS, -Werror, -Wno-FLAG, -w,\n"
"  --no-version     as when compiling (see %s --help)\n"
"  --no-cache       build in $TMPDIR; neither use nor fill the cache\n"
"  -v, --verbose    say on stderr whether the cache was used, and how the\n"
"                   program is built\n"
"  -h, --help       show this help and exit\n"
"\n"
"PROGRAM OPTIONS, after --, are the program's (asl2c-run(7)): --input JSON,\n"
"--input-file FILE, --time-scale 0, --history FILE, --handlers-lib LIB...\n"
"\n"
"Environment:\n"
"  ASL2C_CC             the C compiler (default: cc)\n"
"  ASL2C_CFLAGS         its flags (default: -O2)\n"
"  ASL2C_RUNTIME_FLAGS  the flags that compile and link with libasl2c\n"
"                       (default: pkg-config --cflags --libs asl2c; from\n"
"                       its build tree, asl2c uses the build tree's)\n"
"\n"
"Exit status: the program's (0 succeeded, 1 failed, 2 timed out, ...);\n"
"before the program runs, 1 invalid definition, 2 usage, I/O or build\n"
"error.\n",
	        progname, progname);
}

/* What a signal removes while the program is built: the temporary folder
 * and the two files put in it. */
static char *tmp_dir, *tmp_c, *tmp_prog;

static void remove_tmp(void)
{
	if (!tmp_dir)
		return;
	unlink(tmp_c);
	unlink(tmp_prog);
	rmdir(tmp_dir);
}

static void on_signal(int sig)
{
	remove_tmp();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void drop_tmp(void)
{
	char *d = tmp_dir, *c = tmp_c, *p = tmp_prog;

	remove_tmp();
	tmp_dir = tmp_c = tmp_prog = NULL;
	free(d);
	free(c);
	free(p);
}

/* Whether a is the option NAME (-NAME or --NAME), alone (*value NULL) or
 * as NAME=VALUE. */
static bool is_opt(const char *a, const char *name, const char **value)
{
	size_t n = strlen(name);

	if (a[0] != '-')
		return false;
	a += a[1] == '-' ? 2 : 1;
	if (strncmp(a, name, n))
		return false;
	*value = a[n] == '=' ? a + n + 1 : NULL;
	return a[n] == '\0' || a[n] == '=';
}

static bool is_flag(const char *a, const char *name)
{
	const char *v;
	return is_opt(a, name, &v) && !v;
}

/* 0, 1 for --help, -1 (with a message) for a usage error. */
static int parse(int argc, char **argv, run_cli *c)
{
	int i;

	memset(c, 0, sizeof *c);
	c->copts = xcalloc((size_t)argc + 4, sizeof *c->copts);
	c->n_copts = 1; /* [0]: asl2c, set when it runs */
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-h") || is_flag(a, "help")) {
			return 1;
		} else if (is_flag(a, "no-cache")) {
			c->no_cache = true;
		} else if (!strcmp(a, "-v") || is_flag(a, "verbose")) {
			c->verbose = true;
		} else if (is_opt(a, "name", &v) || is_opt(a, "type", &v)) {
			c->copts[c->n_copts++] = argv[i];
			if (v)
				continue;
			if (i + 1 == argc || !strcmp(argv[i + 1], "--")) {
				fprintf(stderr, "%s: run: option '%s' needs an argument\n",
				        progname, a);
				return -1;
			}
			c->copts[c->n_copts++] = argv[++i];
		} else if (!strcmp(a, "-w") || !strncmp(a, "-W", 2) ||
		           is_flag(a, "no-version")) {
			c->copts[c->n_copts++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "%s: run: unknown option '%s' (the program's "
			        "options go after --)\n", progname, a);
			return -1;
		} else if (c->def) {
			fprintf(stderr, "%s: run: one definition at a time: unexpected "
			        "'%s'\n", progname, a);
			return -1;
		} else {
			c->def = a;
			c->copts[c->n_copts++] = argv[i];
		}
	}
	c->pargs = argv + i;
	c->n_pargs = argc - i;
	if (!c->def) {
		fprintf(stderr, "%s: run: no definition given\n", progname);
		return -1;
	}
	return 0;
}

/* $XDG_CACHE_HOME/asl2c or ~/.cache/asl2c, made if missing; it must be the
 * user's own and not writable by others (its programs are run). */
static char *cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct stat st;
	char *dir;

	if (x && x[0] == '/')
		dir = xasprintf("%s/asl2c", x);
	else if (home && home[0] == '/')
		dir = xasprintf("%s/.cache/asl2c", home);
	else {
		fprintf(stderr, "%s: run: no cache folder: set XDG_CACHE_HOME or "
		        "HOME (an absolute path), or use --no-cache\n", progname);
		return NULL;
	}
	if (asl2c_make_dirs(dir) < 0 || stat(dir, &st) < 0) {
		fprintf(stderr, "%s: run: cannot make the cache folder %s: %s\n",
		        progname, dir, strerror(errno));
		free(dir);
		return NULL;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		fprintf(stderr, "%s: run: the cache folder %s is not a folder of "
		        "yours that only you can write: fix it, or use "
		        "--no-cache\n", progname, dir);
		free(dir);
		return NULL;
	}
	return dir;
}

/* Runs argv[0] as path (looked up in PATH when it has no slash) with
 * argv; its stdout goes to stderr when to_stderr (stdout is the
 * program's).  Returns the wait status, or -1 when it could not start. */
static int spawn(const char *path, char *const *argv, bool to_stderr)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (to_stderr)
			dup2(STDERR_FILENO, STDOUT_FILENO);
		if (strchr(path, '/'))
			execv(path, argv);
		else
			execvp(path, argv);
		fprintf(stderr, "%s: run: cannot run %s: %s\n", progname, path,
		        strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

/* The child died of a signal: clean up and die of the same. */
static void die_as(int st)
{
	drop_tmp();
	signal(WTERMSIG(st), SIG_DFL);
	raise(WTERMSIG(st));
	exit(EXIT_FAIL);
}

/* asl2c itself, -o the temporary C file: 0, or the compiler's status. */
static int compile(const char *self, run_cli *c)
{
	const char *path = access("/proc/self/exe", X_OK) == 0 ? "/proc/self/exe"
	                                                        : self;
	int st;

	c->copts[0] = (char *)self;
	c->copts[c->n_copts] = (char *)"-o";
	c->copts[c->n_copts + 1] = tmp_c;
	c->copts[c->n_copts + 2] = NULL;
	if ((st = spawn(path, c->copts, false)) < 0) {
		fprintf(stderr, "%s: run: cannot run the compiler: %s\n", progname,
		        strerror(errno));
		return EXIT_FAIL;
	}
	if (WIFSIGNALED(st))
		die_as(st);
	return WEXITSTATUS(st) == 0 ? 0 :
	       WEXITSTATUS(st) == EXIT_INVALID ? EXIT_INVALID : EXIT_FAIL;
}

/* The generated C, whole; NULL (with a message) when it cannot be read. */
static char *read_c(size_t *len)
{
	FILE *f = fopen(tmp_c, "rb");
	struct stat st;
	char *s = NULL;

	if (f && fstat(fileno(f), &st) == 0) {
		s = xmalloc((size_t)st.st_size + 1);
		*len = fread(s, 1, (size_t)st.st_size, f);
		s[*len] = '\0';
		if (ferror(f) || *len != (size_t)st.st_size) {
			free(s);
			s = NULL;
		}
	}
	if (f)
		fclose(f);
	if (!s)
		fprintf(stderr, "%s: run: cannot read %s\n", progname, tmp_c);
	return s;
}

/* cc CFLAGS program.c RUNTIME_FLAGS -o program: 0 or -1. */
static int build_program(const asl2c_build *b, bool verbose)
{
	char *shown = verbose ? xasprintf("%s: run: building:", progname) : NULL;
	int st = asl2c_build_cc(b, tmp_c, tmp_prog, STDERR_FILENO, shown);

	free(shown);
	if (st >= 0 && WIFSIGNALED(st))
		die_as(st);
	if (st == -2) {
		fprintf(stderr, "%s: run: ASL2C_CC is empty\n", progname);
		return -1;
	}
	if (st < 0 || WEXITSTATUS(st) != 0) {
		if (st < 0)
			fprintf(stderr, "%s: run: cannot run %s: %s\n", progname, b->cc,
			        strerror(errno));
		else
			fprintf(stderr, "%s: run: the C compiler failed (%s, exit "
			            "status %d); -v shows the command\n", progname,
			        b->cc, WEXITSTATUS(st));
		return -1;
	}
	return 0;
}

/* The program's argv: the definition's base name without .json, then the
 * program's options. */
static char **program_argv(const run_cli *c)
{
	char **av = xcalloc((size_t)c->n_pargs + 2, sizeof *av);
	const char *base = strrchr(c->def, '/');
	size_t n;

	base = base ? base + 1 : c->def;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".json"))
		n -= 5;
	av[0] = strcmp(c->def, "-") && n ? xstrndup(base, n)
	                                 : xstrdup("state-machine");
	for (int i = 0; i < c->n_pargs; i++)
		av[i + 1] = c->pargs[i];
	return av;
}

/* Compiles, builds unless cached, and runs the program: returns only when
 * something fails, with the exit status. */
static int run(const char *self, run_cli *c, const asl2c_build *b,
               const char *cache)
{
	const char *base = cache ? cache : getenv("TMPDIR");
	char *dir, *text, *key, *final = NULL, **av;
	size_t len, skip = 0;
	int status, fd = -1;

	if (!base || base[0] != '/')
		base = "/tmp";
	dir = xasprintf("%s/%s", base, cache ? "tmp-XXXXXX" : "asl2c-run-XXXXXX");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "%s: run: cannot make a folder in %s: %s\n",
		        progname, base, strerror(errno));
		free(dir);
		return EXIT_FAIL;
	}
	tmp_c = xasprintf("%s/program.c", dir);
	tmp_prog = xasprintf("%s/program", dir);
	tmp_dir = dir; /* last: remove_tmp() needs all three */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	if ((status = compile(self, c)) != 0)
		return status;
	if (!(text = read_c(&len)))
		return EXIT_FAIL;
	/* The stamp's first line names the definition's path: a comment,
	 * left out so that the same definition anywhere is one program. */
	if (!strncmp(text, "/* Generated by asl2c", 21) && strchr(text, '\n'))
		skip = (size_t)(strchr(text, '\n') - text) + 1;
	key = asl2c_build_key(b, text + skip, len - skip);
	free(text);
	if (!key) {
		fprintf(stderr, "%s: run: cannot compute SHA-256 (OpenSSL)\n",
		        progname);
		return EXIT_FAIL;
	}
	if (cache)
		final = xasprintf("%s/%s", cache, key);
	free(key);
	if (final && access(final, X_OK) == 0) {
		if (c->verbose)
			fprintf(stderr, "%s: run: cached: %s\n", progname, final);
	} else if (build_program(b, c->verbose) < 0) {
		free(final);
		return EXIT_FAIL;
	} else if (final && rename(tmp_prog, final) < 0) {
		fprintf(stderr, "%s: run: cannot rename %s to %s: %s\n", progname,
		        tmp_prog, final, strerror(errno));
		free(final);
		return EXIT_FAIL;
	}

	if (!final)
		fd = open(tmp_prog, O_RDONLY | O_CLOEXEC);
	drop_tmp();
	av = program_argv(c);
	if (final)
		execv(final, av);
	else if (fd >= 0)
		fexecve(fd, av, environ);
	fprintf(stderr, "%s: run: cannot run %s: %s\n", progname,
	        final ? final : "the program", strerror(errno));
	if (fd >= 0)
		close(fd);
	free(av[0]);
	free(av);
	free(final);
	return EXIT_FAIL;
}

int asl2c_run(const char *self, const char *pn, int argc, char **argv)
{
	run_cli c;
	asl2c_build b;
	char err[1024];
	char *cache = NULL;
	int status = EXIT_FAIL, r;

	memset(&b, 0, sizeof b);
	progname = pn;
	if ((r = parse(argc, argv, &c)) > 0) {
		usage(stdout);
		status = 0;
	} else if (r < 0) {
		fprintf(stderr, "Try '%s run --help'.\n", progname);
	} else if (asl2c_build_init(&b, err, sizeof err) < 0) {
		fprintf(stderr, "%s: run: %s\n", progname, err);
	} else {
		if (c.verbose)
			fprintf(stderr, "%s: run: the runtime's flags are %s\n",
			        progname, b.flags_from);
		if (c.no_cache || (cache = cache_dir()))
			status = run(self, &c, &b, cache);
	}
	drop_tmp();
	free(cache);
	asl2c_build_free(&b);
	free(c.copts);
	return status;
}
