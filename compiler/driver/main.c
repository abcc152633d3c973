/*
 * main.c - the asl2c command line.
 *
 *     asl2c [OPTIONS] DEFINITION.json -o OUTPUT.c
 *
 * Exit status: 0 compiled, 1 invalid definition, 2 usage or I/O error.
 * The output is written to a temporary file beside it and renamed, so a
 * failed or interrupted run never leaves a partial file or damages an
 * existing one.
 */
#include "config.h"
#include "compile.h"
#include "run.h"
#include "util.h"
#include "names.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

int asl2c_serve(const char *progname, int argc, char **argv); /* serve/ */

/* Definitions compiled into one program, at most. */
#define MAX_INPUTS 64

typedef struct cli {
	const char *input;
	const char *inputs[MAX_INPUTS]; /* every definition (input: the first) */
	size_t n_inputs;
	const char *entry;        /* --entry NAME */
	const char *output;
	const char *name;
	bool check;
	bool no_version;
	bool werror;
	bool no_warnings;
	bool emit_dot;            /* --emit=dot */
	bool json;                /* --diagnostics-format=json */
	bool express;             /* --type=EXPRESS */
	const char *wflags[32];   /* -W<flag> and -Wno-<flag>, in order */
	size_t n_wflags;
} cli;

static const char *progname = "asl2c";

static void usage(FILE *f)
{
	fprintf(f,
"Usage: %s [OPTIONS] DEFINITION.json [MORE.json...] -o OUTPUT.c\n"
"       asl2c run DEFINITION.json [OPTIONS] [-- PROGRAM OPTIONS]\n"
"       asl2c serve [--listen ADDR:PORT] [--state DIR] [OPTIONS]\n"
"Compile an Amazon States Language state machine into a C program (run:\n"
"compile, build and run it, the program cached; asl2c run --help; serve:\n"
"a local Step Functions and Lambda service; asl2c serve --help).\n"
"\n"
"  -o FILE          write the C program to FILE ('-': stdout)\n"
"  --name NAME      the state machine's name (default: the definition's\n"
"                   file name without .json)\n"
"  --entry NAME     with several definitions: the one the program runs\n"
"                   (default: the first); the others are the state\n"
"                   machines its states:startExecution tasks can start,\n"
"                   each named by its file name without .json\n"
"  --check          check the definition only; write nothing\n"
"  --emit=c         write the C program (the default)\n"
"  --emit=dot       write a Graphviz diagram of the state machine instead\n"
"  --no-version     leave the version out of the output (stable files)\n"
"  --type=STANDARD|EXPRESS\n"
"                   the state machine's type (default STANDARD): EXPRESS\n"
"                   rejects .sync and .waitForTaskToken integrations,\n"
"                   activities, Distributed Maps and TimeoutSeconds over 300\n"
"  --diagnostics-format=text|json\n"
"                   print diagnostics as compilers do (default) or as the\n"
"                   JSON of AWS ValidateStateMachineDefinition, on stdout\n"
"  -Werror          make warnings errors\n"
"  -Wno-FLAG        silence one warning: missing-dollar (NO_DOLLAR),\n"
"                   missing-path (NO_PATH), static-result\n"
"                   (PASS_RESULT_IS_STATIC), intrinsic-literal (a literal\n"
"                   argument that fails every run); -WFLAG turns it back on\n"
"  -w               silence warnings\n"
"  -h, --help       show this help and exit\n"
"  --version        show the version and exit\n"
"\n"
"DEFINITION '-' reads the definition from stdin.\n"
"Build the program: cc OUTPUT.c $(pkg-config --cflags --libs asl2c) -o run\n"
"\n"
"Exit status: 0 success, 1 invalid definition, 2 usage or I/O error.\n",
	        progname);
}

/* Take the -W<flag> and -Wno-<flag> options out of argv (getopt cannot
 * spell them) into c; the arguments left, or -1. */
static int take_wflags(int argc, char **argv, cli *c)
{
	int kept = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[kept++] = argv[i++];
			break;
		}
		if (strncmp(a, "-W", 2) || !strcmp(a, "-Werror")) {
			argv[kept++] = argv[i];
			continue;
		}
		if (c->n_wflags == sizeof c->wflags / sizeof *c->wflags) {
			fprintf(stderr, "%s: too many -W options\n", progname);
			return -1;
		}
		c->wflags[c->n_wflags++] = a + 2;
	}
	argv[kept] = NULL;
	return kept;
}

/* An option taking one of two words: 0 and *second set, or -1. */
static int one_of_two(const char *opt, const char *first, const char *second,
                      bool *is_second)
{
	if (!strcmp(optarg, first) || !strcmp(optarg, second)) {
		*is_second = !strcmp(optarg, second);
		return 0;
	}
	fprintf(stderr, "%s: %s takes %s or %s, not '%s'\n", progname, opt,
	        first, second, optarg);
	return -1;
}

enum { O_NAME = 256, O_CHECK, O_NOVERSION, O_VERSION, O_WERROR, O_EMIT,
       O_FORMAT, O_TYPE, O_ENTRY };

/* Option ch (getopt's answer): 0, or -1 after a message. */
static int one_option(int ch, char **argv, cli *c)
{
	switch (ch) {
	case 'o': c->output = optarg; return 0;
	case 'w': c->no_warnings = true; return 0;
	case O_NAME: c->name = optarg; return 0;
	case O_ENTRY: c->entry = optarg; return 0;
	case O_CHECK: c->check = true; return 0;
	case O_NOVERSION: c->no_version = true; return 0;
	case O_WERROR: c->werror = true; return 0;
	case O_EMIT: return one_of_two("--emit", "c", "dot", &c->emit_dot);
	case O_FORMAT:
		return one_of_two("--diagnostics-format", "text", "json", &c->json);
	case O_TYPE:
		return one_of_two("--type", "STANDARD", "EXPRESS", &c->express);
	case 'h':
		usage(stdout);
		exit(EXIT_OK);
	case O_VERSION:
		printf("asl2c %s\n", PACKAGE_VERSION);
		exit(EXIT_OK);
	case ':':
		fprintf(stderr, "%s: option '%s' needs an argument\n", progname,
		        argv[optind - 1]);
		return -1;
	default:
		fprintf(stderr, "%s: unknown option '%s'\n", progname,
		        argv[optind - 1]);
		return -1;
	}
}

/* What follows the options: the definitions; and an output or --check. */
static int operands(int argc, char **argv, cli *c)
{
	if (optind >= argc) {
		fprintf(stderr, "%s: no definition given\n", progname);
		return -1;
	}
	for (int i = optind; i < argc; i++) {
		if (c->n_inputs == MAX_INPUTS) {
			fprintf(stderr, "%s: more than %d definitions\n", progname,
			        MAX_INPUTS);
			return -1;
		}
		c->inputs[c->n_inputs++] = argv[i];
	}
	if (c->n_inputs > 1 && (c->emit_dot || c->json)) {
		fprintf(stderr, "%s: %s takes one definition at a time\n", progname,
		        c->emit_dot ? "--emit=dot" : "--diagnostics-format=json");
		return -1;
	}
	if (c->entry && c->n_inputs == 1) {
		fprintf(stderr, "%s: --entry chooses among several definitions\n",
		        progname);
		return -1;
	}
	if (c->name && !asl_valid_name(c->name, ASL_NAME_MAX)) {
		fprintf(stderr, "%s: --name: not a valid state machine name (1 to "
		        "%d characters of UTF-8, no white space, brackets, "
		        "wildcards, control characters or \" # %% \\ ^ | ~ ` $ & , "
		        "; : /)\n", progname, ASL_NAME_MAX);
		return -1;
	}
	c->input = argv[optind];
	if (!c->output && !c->check) {
		fprintf(stderr, "%s: no output file: use -o FILE (-o - for "
		        "stdout), or --check\n", progname);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, cli *c)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, O_NAME },
		{ "entry", required_argument, NULL, O_ENTRY },
		{ "check", no_argument, NULL, O_CHECK },
		{ "emit", required_argument, NULL, O_EMIT },
		{ "diagnostics-format", required_argument, NULL, O_FORMAT },
		{ "no-version", no_argument, NULL, O_NOVERSION },
		{ "type", required_argument, NULL, O_TYPE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ "Werror", no_argument, NULL, O_WERROR },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(c, 0, sizeof *c);
	if ((argc = take_wflags(argc, argv, c)) < 0)
		return -1;
	opterr = 0;
	while ((ch = getopt_long_only(argc, argv, ":o:hw", longopts, NULL)) !=
	       -1)
		if (one_option(ch, argv, c) < 0)
			return -1;
	return operands(argc, argv, c);
}

static char *read_all(FILE *f, size_t *len)
{
	strbuf b = SB_INIT;
	char buf[65536];
	size_t n;

	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_put(&b, buf, n);
	if (ferror(f)) {
		sb_free(&b);
		return NULL;
	}
	*len = b.len;
	return sb_steal(&b);
}

/* The state machine's name: the file's base name without ".json", made a
 * valid name (names.h: what AWS would refuse becomes '_', cut at 80
 * characters). */
static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *stem, *name;
	size_t n;

	if (!strcmp(path, "-"))
		return xstrdup("state-machine");
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".json"))
		n -= 5;
	stem = xstrndup(base, n);
	name = asl_name_sanitize(stem, ASL_NAME_MAX);
	free(stem);
	return name ? name : xstrdup("state-machine");
}

static char *tmp_path; /* removed if a signal interrupts the write */

static void on_signal(int sig)
{
	if (tmp_path)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int write_output(const char *path, const char *text)
{
	size_t len = strlen(text);
	FILE *f;
	int fd;

	if (!strcmp(path, "-")) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, "%s: cannot write to stdout: %s\n", progname,
			        strerror(errno));
			return -1;
		}
		return 0;
	}
	/* A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in
	 * place: a temporary file renamed over it would replace it. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (!(f = fopen(path, "w")) || fwrite(text, 1, len, f) != len ||
		    fflush(f) != 0) {
			fprintf(stderr, "%s: cannot write %s: %s\n", progname, path,
			        strerror(errno));
			if (f)
				fclose(f);
			return -1;
		}
		if (fclose(f) != 0) {
			fprintf(stderr, "%s: cannot write %s: %s\n", progname, path,
			        strerror(errno));
			return -1;
		}
		return 0;
	}
	tmp_path = xasprintf("%s.XXXXXX", path);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if ((fd = mkstemp(tmp_path)) < 0) {
		fprintf(stderr, "%s: cannot create %s: %s\n", progname, tmp_path,
		        strerror(errno));
		free(tmp_path);
		tmp_path = NULL;
		return -1;
	}
	{
		mode_t um = umask(0);
		umask(um);
		fchmod(fd, 0666 & ~um); /* as a file made by fopen() */
	}
	f = fdopen(fd, "w");
	if (!f || fwrite(text, 1, len, f) != len || fflush(f) != 0 ||
	    fsync(fd) != 0 || fclose(f) != 0 || rename(tmp_path, path) != 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", progname, path,
		        strerror(errno));
		unlink(tmp_path);
		free(tmp_path);
		tmp_path = NULL;
		return -1;
	}
	free(tmp_path);
	tmp_path = NULL;
	return 0;
}

/* A definition's text ("-": stdin), or NULL after a message. */
static char *read_definition(const char *path, size_t *len)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *src;

	if (!in) {
		fprintf(stderr, "%s: cannot open %s: %s\n", progname, path,
		        strerror(errno));
		return NULL;
	}
	src = read_all(in, len);
	if (in != stdin)
		fclose(in);
	if (!src)
		fprintf(stderr, "%s: cannot read %s\n", progname, path);
	return src;
}

/* Several definitions into one program: the units in order, --entry's
 * first; names distinct.  The exit status. */
static int compile_several(const cli *c, diag *d)
{
	compile_unit u[MAX_INPUTS];
	size_t n = c->n_inputs, first = 0;
	int status = EXIT_USAGE;
	char *out = NULL;

	memset(u, 0, sizeof u);
	for (size_t i = 0; i < n; i++) {
		u[i].file = strcmp(c->inputs[i], "-") ? c->inputs[i] : "<stdin>";
		u[i].name = i == 0 && c->name ? xstrdup(c->name)
		                              : default_name(c->inputs[i]);
		if (c->entry && !strcmp(u[i].name, c->entry))
			first = i + 1;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(u[k].name, u[i].name)) {
				fprintf(stderr, "%s: %s and %s are both named '%s': each "
				        "state machine of a program has a name of its "
				        "own (its file name without .json)\n", progname,
				        u[k].file, u[i].file, u[i].name);
				goto out;
			}
		if (!(u[i].src = read_definition(c->inputs[i], &u[i].len)))
			goto out;
	}
	if (c->entry && !first) {
		fprintf(stderr, "%s: --entry %s: no definition is named so\n",
		        progname, c->entry);
		goto out;
	}
	if (first > 1) { /* the entry point first, the others in order */
		compile_unit e = u[first - 1];
		memmove(&u[1], &u[0], (first - 1) * sizeof *u);
		u[0] = e;
	}
	compile_options o = { u[0].file, u[0].name, c->no_version, c->check };
	out = asl2c_compile_machines(u, n, &o, c->express, d);
	if (d->errors) {
		fprintf(stderr, "%s: %d error%s in %zu definitions\n", progname,
		        d->errors, d->errors == 1 ? "" : "s", n);
		status = EXIT_INVALID;
	} else {
		status = out && write_output(c->output, out) < 0 ? EXIT_USAGE
		                                                 : EXIT_OK;
	}
out:
	free(out);
	for (size_t i = 0; i < n; i++) {
		free((char *)u[i].name);
		free((char *)u[i].src);
	}
	return status;
}

int main(int argc, char **argv)
{
	cli c;
	char *src, *out, *name;
	size_t len;
	diag d;
	int status = EXIT_OK;

	/* Messages name the program as compilers do: by its base name. */
	if (argc > 0 && argv[0][0]) {
		const char *slash = strrchr(argv[0], '/');
		progname = slash && slash[1] ? slash + 1 : argv[0];
	}
	if (argc > 1 && !strcmp(argv[1], "run")) /* compile, build, run */
		return asl2c_run(argv[0], progname, argc - 2, argv + 2);
	if (argc > 1 && !strcmp(argv[1], "serve")) /* a local service */
		return asl2c_serve(progname, argc - 1, argv + 1);
	if (parse_args(argc, argv, &c) < 0) {
		fprintf(stderr, "Try '%s --help'.\n", progname);
		return EXIT_USAGE;
	}
	src = NULL;
	len = 0;
	if (c.n_inputs == 1 && !(src = read_definition(c.input, &len)))
		return EXIT_USAGE;

	memset(&d, 0, sizeof d);
	d.file = strcmp(c.input, "-") ? c.input : "<stdin>";
	d.out = stderr;
	d.werror = c.werror;
	d.no_warnings = c.no_warnings;
	d.format = c.json ? DIAG_JSON : DIAG_TEXT;
	for (size_t i = 0; i < c.n_wflags; i++) {
		const char *f = c.wflags[i];
		bool on = strncmp(f, "no-", 3) != 0;
		if (!diag_set_warning(&d, on ? f : f + 3, on)) {
			fprintf(stderr, "%s: unknown warning option '-W%s'\n"
			        "Try '%s --help'.\n", progname, f, progname);
			free(src);
			return EXIT_USAGE;
		}
	}
	if (c.n_inputs > 1) {
		free(src);
		status = compile_several(&c, &d);
		for (size_t i = 0; i < d.n_disabled; i++)
			free(d.disabled[i]);
		free(d.disabled);
		return status;
	}
	name = c.name ? xstrdup(c.name) : default_name(c.input);
	compile_options o = { d.file, name, c.no_version, c.check };
	out = asl2c_compile_type(src, len, &o,
	                         c.emit_dot ? ASL2C_OUT_DOT : ASL2C_OUT_C,
	                         c.express, &d);
	for (size_t i = 0; i < d.n_disabled; i++)
		free(d.disabled[i]);
	free(d.disabled);
	if (d.errors) {
		if (!c.json)
			fprintf(stderr, "%s: %d error%s in %s\n", progname, d.errors,
			        d.errors == 1 ? "" : "s", d.file);
		status = EXIT_INVALID;
	} else if (out && write_output(c.output, out) < 0) {
		status = EXIT_USAGE;
	}
	free(out);
	free(src);
	free(name);
	return status;
}
