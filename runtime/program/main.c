/*
 * main.c - the command line of every generated program (asl_main), and one
 * execution from start to end.
 */
#include "handlers/local.h"
#include "states/dmap_sched.h" /* --s3-root, MPI workers */
#include "names.h"
#include "program/listen.h"
#include "program/endpoint.h"
#include "clock.h"
#include "jsontext.h"
#include "rfc3339.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Exit statuses, documented in asl2c-run(7) and --help. */
enum {
	EXIT_SUCCEEDED = 0,
	EXIT_FAILED = 1,
	EXIT_TIMED_OUT = 2,
	EXIT_ABORTED = 3,
	EXIT_USAGE = 64,
	EXIT_BAD_INPUT = 65,
	EXIT_IO = 74 /* the history could not be written */
};

typedef struct run_options {
	const char *input;       /* --input */
	const char *input_file;  /* --input-file */
	const char *name;        /* --name */
	const char *start_time;  /* --start-time */
	double time_scale;
	bool seeded;
	uint64_t seed;
	bool pretty;
	bool no_payload_limit;
	bool no_history_limit;   /* --no-history-limit */
	const char *s3_root;     /* --s3-root DIR (s3local.c) */
	bool describe;           /* --describe */
	const char *history;     /* --history FILE */
	const char *mock_config; /* --mock-config FILE (or SFN_MOCK_CONFIG) */
	const char *test_case;   /* --test-case NAME */
	const char **libs;       /* --handlers-lib PATH..., in order */
	size_t n_libs;
	const char **handlers;   /* --handler NAME=COMMAND..., in order */
	size_t n_handlers;
	bool no_builtins;        /* --no-builtins */
	const char *region;      /* --region (default us-east-1) */
	const char *account;     /* --account (default 000000000000) */
	const char *role_arn;    /* --role-arn */
	const char *inspect;     /* --inspect FILE */
	const char *context;     /* --context JSON */
	const char *listen;      /* --listen ADDR:PORT */
	const char *listen_file; /* --listen-file FILE */
	unsigned listen_linger;  /* --listen-linger SECONDS */
} run_options;

static void usage(FILE *f, const char *argv0, const asl_program *p)
{
	fprintf(f,
"Usage: %s [OPTIONS]\n"
"Runs one execution of the state machine '%s' (compiled by asl2c).\n"
"\n"
"Options:\n"
"  --input JSON         the execution input (default: {})\n"
"  --input-file FILE    read the execution input from FILE ('-': stdin)\n"
"  --name NAME          the execution's name (default: a random UUID)\n"
"  --seed N             seed of States.UUID, States.MathRandom, retry jitter\n"
"                       and request ids: runs with one seed are identical\n"
"  --start-time TIME    the execution's start time (RFC 3339); the clock then\n"
"                       only moves with Wait states and retries\n"
"  --time-scale X       multiply real waiting by X, from 0 (never wait) to\n"
"                       1000; the virtual clock still advances by the full\n"
"                       interval\n"
"  --no-payload-limit   lift the 256 KiB payload limit\n"
"  --no-history-limit   lift the quota of 25,000 history events (the\n"
"                       execution fails when it would pass it, as on AWS)\n"
"  --s3-root DIR        S3 as a folder: s3://BUCKET/KEY is DIR/BUCKET/KEY\n"
"                       (Distributed Map ItemReader, ResultWriter; default .)\n"
"  --pretty             indent the output\n"
"  --describe           print the execution as DescribeExecution shows it\n"
"                       (status, dates, input, output or error and cause)\n"
"  --history FILE       write the execution's history to FILE, as\n"
"                       GetExecutionHistory returns it\n"
"\n"
"Handlers (see asl2c-run(7)):\n"
"  --handlers-lib PATH  load handlers from a shared library (its function\n"
"                       asl2c_register); may be repeated\n"
"  --handler NAME=COMMAND\n"
"                       run COMMAND with /bin/sh for each call of the\n"
"                       function NAME: the event as JSON on its stdin, the\n"
"                       result as JSON on its stdout; may be repeated\n"
"  --mock-config FILE   Step Functions Local's MockConfigFile (default:\n"
"                       $SFN_MOCK_CONFIG)\n"
"  --test-case NAME     the test case of the mock config to run\n"
"  --no-builtins        leave out the built-in handlers (the fan-in\n"
"                       example's): only the handlers given here run\n"
"\n"
"Where it runs (ARNs, $$.Execution.RoleArn, the history):\n"
"  --region REGION      the region (default us-east-1)\n"
"  --account ID         the account (default 000000000000)\n"
"  --role-arn ARN       the execution's role\n"
"                       (default arn:aws:iam::ACCOUNT:role/asl2c-local)\n"
"  --context JSON       merged into the context object: its Execution and\n"
"                       StateMachine members into $$.Execution and\n"
"                       $$.StateMachine\n"
"  --listen ADDR:PORT   serve Step Functions' API on the execution\n"
"                       (SendTask*, GetActivityTask, DescribeExecution,\n"
"                       GetExecutionHistory, StopExecution; port 0 picks one)\n"
"  --listen-file FILE   write the endpoint's URL to FILE once it listens\n"
"  --listen-linger SECONDS  keep answering for SECONDS after the end\n"
"                       (until SIGINT or SIGTERM)\n"
"  --inspect FILE       write each state's input and its processing steps\n"
"                       (afterInputPath, afterParameters, result,\n"
"                       afterResultSelector, afterResultPath, variables)\n"
"                       to FILE, as TestState's inspectionData\n"
"  -h, --help           show this help and exit\n"
"  --version            show the runtime's version and exit\n"
"\n"
"The execution's output is printed on stdout as JSON.  Handlers log on\n"
"stderr.  A failed execution prints {\"Error\": ..., \"Cause\": ...} on stderr.\n"
"\n"
"Exit status:\n"
"  0   the execution succeeded\n"
"  1   the execution failed\n"
"  2   the execution timed out (TimeoutSeconds)\n"
"  3   the execution was aborted (SIGINT, SIGTERM, StopExecution)\n"
"  64  usage error (bad option, handler library or mock config)\n"
"  65  invalid execution input\n"
"  70  MPI failed (libasl2c-mpi): the job ended on every rank\n"
"  71  out of memory (nothing on stdout is the output)\n"
"  74  an output file (--history, --inspect) could not be written\n",
	        argv0, p->name);
}

enum { O_INPUT = 256, O_INPUT_FILE, O_NAME, O_SEED, O_START, O_SCALE,
	       O_NOLIMIT, O_PRETTY, O_VERSION, O_DESCRIBE, O_HISTORY, O_MOCK,
	       O_TEST_CASE, O_LIB, O_HANDLER, O_S3_ROOT, O_NO_BUILTINS, O_REGION,
	       O_ACCOUNT, O_ROLE_ARN, O_INSPECT, O_CONTEXT, O_NO_HIST_LIMIT,
	       O_LISTEN, O_LISTEN_FILE, O_LINGER };

/* The options whose values are checked as they are read: --region,
 * --account, --seed, --time-scale.  0, or EXIT_USAGE after saying why. */
static int checked_option(int ch, const char *arg, run_options *o,
                          const char *argv0)
{
	char *end;

	switch (ch) {
	case O_REGION:
	case O_ACCOUNT:
		/* A part of every ARN: no colon, slash or white space. */
		if (!*arg || strcspn(arg, ":/ \t\n") != strlen(arg)) {
			fprintf(stderr, "%s: --%s: not a valid %s: '%s'\n",
			        argv0, ch == O_REGION ? "region" : "account",
			        ch == O_REGION ? "region" : "account", arg);
			return EXIT_USAGE;
		}
		*(ch == O_REGION ? &o->region : &o->account) = arg;
		return 0;
	case O_SEED:
		errno = 0;
		o->seed = strtoull(arg, &end, 0);
		if (errno || *end || !*arg) {
			fprintf(stderr, "%s: --seed: not a number: '%s'\n",
			        argv0, arg);
			return EXIT_USAGE;
		}
		o->seeded = true;
		return 0;
	case O_LINGER: {
		errno = 0;
		unsigned long v = strtoul(arg, &end, 10);
		if (errno || *end || !*arg || *arg == '-' || v > 86400) {
			fprintf(stderr, "%s: --listen-linger: not a number of seconds "
			        "from 0 to 86400: '%s'\n", argv0, arg);
			return EXIT_USAGE;
		}
		o->listen_linger = (unsigned)v;
		return 0;
	}
	default: /* O_SCALE */
		errno = 0;
		o->time_scale = strtod(arg, &end);
		if (errno || *end || !*arg || !(o->time_scale >= 0) ||
		    !(o->time_scale <= ASL_TIME_SCALE_MAX)) {
			fprintf(stderr, "%s: --time-scale: not a number from 0 "
			        "to %g: '%s'\n", argv0, ASL_TIME_SCALE_MAX, arg);
			return EXIT_USAGE;
		}
		return 0;
	}
}

/* The options that go together, once all are read: --name's form,
 * --input or --input-file, --context an object, a mock config and its
 * test case.  0, or EXIT_USAGE after saying why. */
static int check_options(run_options *o, const char *argv0)
{
	if (o->name && !asl_valid_name(o->name, ASL_NAME_MAX)) {
		fprintf(stderr, "%s: --name: not a valid execution name (1 to %d "
		        "characters of UTF-8, no white space, brackets, wildcards, "
		        "control characters or \" # %% \\ ^ | ~ ` $ & , ; : /)\n",
		        argv0, ASL_NAME_MAX);
		return EXIT_USAGE;
	}
	if (o->input && o->input_file) {
		fprintf(stderr, "%s: --input and --input-file exclude each other\n",
		        argv0);
		return EXIT_USAGE;
	}
	if (o->context) {
		json_error_t e;
		json_t *cx = json_loads(o->context, 0, &e);
		bool obj = json_is_object(cx), parsed = cx != NULL;
		json_decref(cx);
		if (!obj) {
			fprintf(stderr, "%s: --context: not a JSON object%s%s\n",
			        argv0, parsed ? "" : ": ", parsed ? "" : e.text);
			return EXIT_USAGE;
		}
	}
	if ((o->listen_file || o->listen_linger) && !o->listen) {
		fprintf(stderr, "%s: --listen-%s needs --listen\n", argv0,
		        o->listen_file ? "file" : "linger");
		return EXIT_USAGE;
	}
	if (o->mock_config && !o->test_case) {
		fprintf(stderr, "%s: --mock-config needs --test-case\n", argv0);
		return EXIT_USAGE;
	}
	if (o->test_case && !o->mock_config &&
	    !(o->mock_config = getenv("SFN_MOCK_CONFIG"))) {
		fprintf(stderr, "%s: --test-case needs --mock-config or "
		        "SFN_MOCK_CONFIG\n", argv0);
		return EXIT_USAGE;
	}
	return 0;
}

static const struct option longopts[] = {
	{ "input", required_argument, NULL, O_INPUT },
	{ "input-file", required_argument, NULL, O_INPUT_FILE },
	{ "name", required_argument, NULL, O_NAME },
	{ "seed", required_argument, NULL, O_SEED },
	{ "start-time", required_argument, NULL, O_START },
	{ "time-scale", required_argument, NULL, O_SCALE },
	{ "no-payload-limit", no_argument, NULL, O_NOLIMIT },
	{ "no-history-limit", no_argument, NULL, O_NO_HIST_LIMIT },
	{ "pretty", no_argument, NULL, O_PRETTY },
	{ "describe", no_argument, NULL, O_DESCRIBE },
	{ "history", required_argument, NULL, O_HISTORY },
	{ "mock-config", required_argument, NULL, O_MOCK },
	{ "test-case", required_argument, NULL, O_TEST_CASE },
	{ "handlers-lib", required_argument, NULL, O_LIB },
	{ "handler", required_argument, NULL, O_HANDLER },
	{ "s3-root", required_argument, NULL, O_S3_ROOT },
	{ "no-builtins", no_argument, NULL, O_NO_BUILTINS },
	{ "region", required_argument, NULL, O_REGION },
	{ "account", required_argument, NULL, O_ACCOUNT },
	{ "role-arn", required_argument, NULL, O_ROLE_ARN },
	{ "inspect", required_argument, NULL, O_INSPECT },
	{ "context", required_argument, NULL, O_CONTEXT },
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "listen-file", required_argument, NULL, O_LISTEN_FILE },
	{ "listen-linger", required_argument, NULL, O_LINGER },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* An option that only records its value: true when CH is one. */
static bool plain_option(int ch, char *arg, run_options *o)
{
	switch (ch) {
	case O_INPUT: o->input = arg; break;
	case O_INPUT_FILE: o->input_file = arg; break;
	case O_NAME: o->name = arg; break;
	case O_START: o->start_time = arg; break;
	case O_NOLIMIT: o->no_payload_limit = true; break;
	case O_NO_HIST_LIMIT: o->no_history_limit = true; break;
	case O_PRETTY: o->pretty = true; break;
	case O_DESCRIBE: o->describe = true; break;
	case O_HISTORY: o->history = arg; break;
	case O_MOCK: o->mock_config = arg; break;
	case O_S3_ROOT: o->s3_root = arg; break;
	case O_TEST_CASE: o->test_case = arg; break;
	case O_LIB: o->libs[o->n_libs++] = arg; break;
	case O_HANDLER: o->handlers[o->n_handlers++] = arg; break;
	case O_NO_BUILTINS: o->no_builtins = true; break;
	case O_ROLE_ARN: o->role_arn = arg; break;
	case O_INSPECT: o->inspect = arg; break;
	case O_CONTEXT: o->context = arg; break;
	case O_LISTEN: o->listen = arg; break;
	case O_LISTEN_FILE: o->listen_file = arg; break;
	default: return false;
	}
	return true;
}

static int parse_options(int argc, char **argv, const asl_program *p,
                         run_options *o)
{
	int ch;

	memset(o, 0, sizeof *o);
	o->time_scale = 1.0;
	o->libs = calloc((size_t)argc + 1, sizeof *o->libs);
	o->handlers = calloc((size_t)argc + 1, sizeof *o->handlers);
	if (!o->libs || !o->handlers)
		asl_oom();
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (plain_option(ch, optarg, o))
			continue;
		switch (ch) {
		case O_REGION: case O_ACCOUNT: case O_SEED: case O_SCALE:
		case O_LINGER:
			if (checked_option(ch, optarg, o, argv[0]))
				return EXIT_USAGE;
			break;
		case 'h':
			usage(stdout, argv[0], p);
			return -1;
		case O_VERSION:
			printf("%s (asl2c runtime %s)\n", p->name, asl_version());
			return -1;
		case ':':
			fprintf(stderr, "%s: option '%s' needs an argument\n"
			        "Try '%s --help'.\n", argv[0], argv[optind - 1],
			        argv[0]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "%s: unknown option '%s'\nTry '%s --help'.\n",
			        argv[0], argv[optind - 1], argv[0]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\nTry '%s --help'.\n",
		        argv[0], argv[optind], argv[0]);
		return EXIT_USAGE;
	}
	return check_options(o, argv[0]);
}

/* An input file (or stdin) is read up to 16 times the payload limit: the
 * limit applies to the compact JSON (whitespace and escapes do not count),
 * and a text 16 times bigger cannot be within it in practice.  With
 * --no-payload-limit, up to 1 GiB. */
#define INPUT_READ_FACTOR 16
#define INPUT_READ_UNLIMITED ((size_t)1 << 30)

/* Read the execution input; NULL after printing why. */
static json_t *read_input(const char *argv0, const run_options *o)
{
	json_error_t err;
	json_t *in;
	const char *what = o->input_file ? o->input_file : "--input";

	if (o->input) {
		in = json_loads(o->input, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	} else if (!o->input_file) {
		return json_object();
	} else {
		FILE *f = strcmp(o->input_file, "-") ? fopen(o->input_file, "rb")
		                                     : stdin;
		size_t max = o->no_payload_limit ? INPUT_READ_UNLIMITED
		                                 : INPUT_READ_FACTOR * 256 * 1024;
		bool too_big, failed;

		if (!f) {
			fprintf(stderr, "%s: %s: invalid execution input: cannot "
			        "open: %s\n", argv0, what,
			        strerror(errno));
			return NULL;
		}
		in = asl_load_bounded(f, max, JSON_DECODE_ANY | JSON_ALLOW_NUL,
		                      &err, &too_big, &failed);
		if (f != stdin)
			fclose(f);
		if (too_big || failed) {
			if (too_big)
				fprintf(stderr, "%s: %s: invalid execution input: over "
				        "%zu bytes, over the %s\n", argv0, what, max,
				        o->no_payload_limit ? "1 GiB an input may have"
				        : "256 KiB payload limit (--no-payload-limit "
				          "lifts it)");
			else
				fprintf(stderr, "%s: %s: invalid execution input: cannot "
				        "read\n", argv0, what);
			return NULL;
		}
	}
	if (!in) {
		if (err.line > 0)
			fprintf(stderr, "%s: %s:%d:%d: invalid execution input: %s\n",
			        argv0, what, err.line, err.column, err.text);
		else
			fprintf(stderr, "%s: %s: invalid execution input: %s\n",
			        argv0, what, err.text);
	}
	return in;
}

static atomic_int *abort_flag; /* the one global: for the signal handler */

static void on_signal(int sig)
{
	(void)sig;
	if (abort_flag)
		atomic_store(abort_flag, 1);
}

/* JSON text as AWS prints it (numbers as Java writes them: 0.1, 1.0E20;
 * see doc/semantics.md), compact, or indented by two spaces. */

static char *json_text_at(const json_t *v, bool pretty, size_t depth)
{
	char *flat = jt_text(v), *out;
	size_t n = strlen(flat), k = 0;
	bool in_str = false;

	if (!pretty)
		return flat;
	/* Re-indent the compact text: at most 1 + 2 x depth more per byte. */
	out = asl_xmalloc(n * 2 + 1);
	size_t cap = n * 2 + 1;
	for (size_t i = 0; i < n; i++) {
		char ch = flat[i];
		size_t need = k + 4 + 2 * (depth + 1);
		if (need >= cap) {
			cap = 2 * need;
			char *bigger = realloc(out, cap);
			if (!bigger)
				asl_oom();
			out = bigger;
		}
		if (in_str) {
			out[k++] = ch;
			if (ch == '\\')
				out[k++] = flat[++i];
			else if (ch == '"')
				in_str = false;
			continue;
		}
		switch (ch) {
		case '"':
			in_str = true;
			out[k++] = ch;
			break;
		case '{': case '[':
			out[k++] = ch;
			if (flat[i + 1] == (ch == '{' ? '}' : ']')) {
				out[k++] = flat[++i];
				break;
			}
			depth++;
			out[k++] = '\n';
			for (size_t d = 0; d < 2 * depth; d++)
				out[k++] = ' ';
			break;
		case '}': case ']':
			depth--;
			out[k++] = '\n';
			for (size_t d = 0; d < 2 * depth; d++)
				out[k++] = ' ';
			out[k++] = ch;
			break;
		case ',':
			out[k++] = ch;
			out[k++] = '\n';
			for (size_t d = 0; d < 2 * depth; d++)
				out[k++] = ' ';
			break;
		case ':':
			out[k++] = ch;
			out[k++] = ' ';
			break;
		default:
			out[k++] = ch;
		}
	}
	out[k] = '\0';
	free(flat);
	return out;
}

static char *json_text(const json_t *v, bool pretty)
{
	return json_text_at(v, pretty, 0);
}

static void print_json(FILE *f, const json_t *v, bool pretty)
{
	char *text = json_text(v, pretty);

	fputs(text, f);
	fputc('\n', f);
	free(text);
}

/* The failure's error and cause under the keys given, as AWS reports them:
 * a Fail state without Error (kept as "") or without Cause (NULL) has no
 * such member, neither in DescribeExecution nor in the history's
 * ExecutionFailed (doc/semantics.md). */
static void add_failure(json_t *o, const char *ekey, const char *error,
                        const char *ckey, const char *cause)
{
	if (error && *error &&
	    json_object_set_new(o, ekey, json_string(error)) < 0)
		asl_oom();
	if (cause && json_object_set_new(o, ckey, json_string(cause)) < 0)
		asl_oom();
}

static void print_error(const char *error, const char *cause)
{
	json_t *e = json_object();

	if (!e)
		asl_oom();
	add_failure(e, "Error", error, "Cause", cause);
	json_dumpf(e, stderr, JSON_COMPACT);
	fputc('\n', stderr);
	json_decref(e);
}


/* ------------------------------------------------- handler libraries */

/* dlopen each --handlers-lib and call its asl2c_register.  Returns the
 * handles (NULL-terminated), or NULL after printing why. */
static void **load_libraries(const char *argv0, const run_options *o,
                             asl_registry *reg)
{
	void **h = calloc(o->n_libs + 1, sizeof *h);

	if (!h)
		asl_oom();
	for (size_t i = 0; i < o->n_libs; i++) {
		asl_register_fn fn;
		if (!(h[i] = dlopen(o->libs[i], RTLD_NOW | RTLD_LOCAL))) {
			fprintf(stderr, "%s: --handlers-lib: %s\n", argv0, dlerror());
			goto fail;
		}
		*(void **)&fn = dlsym(h[i], ASL_REGISTER_SYMBOL);
		if (!fn) {
			fprintf(stderr, "%s: --handlers-lib: %s has no function "
			        "%s\n", argv0, o->libs[i], ASL_REGISTER_SYMBOL);
			goto fail;
		}
		if (fn(reg) != 0) {
			fprintf(stderr, "%s: --handlers-lib: %s: %s failed\n", argv0,
			        o->libs[i], ASL_REGISTER_SYMBOL);
			goto fail;
		}
	}
	return h;
fail:
	for (size_t i = 0; h[i]; i++)
		dlclose(h[i]);
	free(h);
	return NULL;
}

static void unload_libraries(void **h)
{
	for (size_t i = 0; h && h[i]; i++)
		dlclose(h[i]);
	free(h);
}

/* ----------------------------------------------------------- outputs */

/* Open an output file (outfile.c) before the execution: one that cannot be
 * written fails the run at once, with no side effect. */
static int output_open(const char *argv0, const char *opt, const char *path,
                       asl_outfile *f)
{
	if (asl_outfile_open(f, path) == 0)
		return 0;
	fprintf(stderr, "%s: --%s: cannot create %s: %s\n", argv0, opt, path,
	        strerror(errno));
	return -1;
}

/* Write text and a newline, put the file in place. */
static int output_commit(const char *argv0, const char *opt, const char *path,
                         asl_outfile *f, const char *text)
{
	if (asl_outfile_write(f, text, strlen(text)) < 0 ||
	    asl_outfile_write(f, "\n", 1) < 0) {
		int err = errno;
		asl_outfile_discard(f);
		errno = err;
	} else if (asl_outfile_commit(f) == 0) {
		return 0;
	}
	fprintf(stderr, "%s: --%s: cannot write %s: %s\n", argv0, opt, path,
	        strerror(errno));
	return -1;
}

/* The history, written to its file event by event as the events become
 * final (history.c): {"events": [...]} indented by two spaces, as
 * json_text prints it whole. */
typedef struct history_stream {
	asl_outfile *f;          /* or NULL: no --history */
	bool started;
	int err; /* the first write error */
	asl_listener *l;         /* the endpoint's copy (GetExecutionHistory) */
} history_stream;

static void history_put(history_stream *s, const char *text)
{
	if (!s->err && asl_outfile_write(s->f, text, strlen(text)) < 0)
		s->err = errno;
}

static void history_sink(void *arg, json_t *ev)
{
	history_stream *s = arg;
	char *text;

	if (s->l)
		asl_listen_event(s->l, ev);
	if (!s->f || s->err)
		return;
	text = json_text_at(ev, true, 2);
	history_put(s, s->started ? ",\n    " : "{\n  \"events\": [\n    ");
	history_put(s, text);
	s->started = true;
	free(text);
}

static int history_commit(const char *argv0, const char *path,
                          history_stream *s)
{
	history_put(s, s->started ? "\n  ]\n}\n" : "{\n  \"events\": []\n}\n");
	if (!s->err && asl_outfile_commit(s->f) == 0)
		return 0;
	if (s->err) {
		asl_outfile_discard(s->f);
		errno = s->err;
	}
	fprintf(stderr, "%s: --history: cannot write %s: %s\n", argv0, path,
	        strerror(errno));
	return -1;
}

/* The execution's last event. */
static void record_end(asl_ctx *c, int status, json_t *output)
{
	bool rec = c->x->history;
	json_t *d = NULL;

	switch (status) {
	case EXIT_SUCCEEDED:
		if (rec) {
			char *out = asl_dump(output);
			d = json_pack("{s:s, s:{s:b}}", "output", out,
			              "outputDetails", "truncated", 0);
			free(out);
		}
		asl_event(c, "ExecutionSucceeded",
		          "executionSucceededEventDetails", d);
		return;
	case EXIT_TIMED_OUT:
		asl_event(c, "ExecutionTimedOut", "executionTimedOutEventDetails",
		          rec ? json_pack("{s:s}", "error", ASL_ERR(TIMEOUT))
		              : NULL);
		return;
	case EXIT_ABORTED:
		/* StopExecution's error and cause, when it gave them. */
		if (rec && (*c->error || c->cause) &&
		    strcmp(c->error, ASL_ERR(ABORTED))) {
			if (!(d = json_object()))
				asl_oom();
			add_failure(d, "error", c->error, "cause", c->cause);
		}
		asl_event(c, "ExecutionAborted",
		          d ? "executionAbortedEventDetails" : NULL, d);
		return;
	default:
		if (rec) {
			if (!(d = json_object()))
				asl_oom();
			add_failure(d, "error", c->error, "cause", c->cause);
		}
		asl_event(c, "ExecutionFailed", "executionFailedEventDetails", d);
	}
}

/* DescribeExecution's answer. */
static json_t *describe(asl_ctx *c, const char *status, const char *sm_arn,
                        const char *ex_arn, const char *name, json_t *output)
{
	char start[48], stop[48];
	char *in = asl_dump(c->x->input);
	json_t *d;

	asl_format_time(c->x->start_ms, start, sizeof start);
	asl_format_time(asl_now_ms(c), stop, sizeof stop);
	d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:b}}",
	              "executionArn", ex_arn, "stateMachineArn", sm_arn,
	              "name", name, "status", status, "startDate", start,
	              "stopDate", stop, "input", in, "inputDetails",
	              "included", 1);
	free(in);
	if (!strcmp(status, "SUCCEEDED")) {
		char *out = asl_dump(output);
		json_object_set_new(d, "output", json_string(out));
		json_object_set_new(d, "outputDetails",
		                    json_pack("{s:b}", "included", 1));
		free(out);
	} else if (strcmp(status, "ABORTED") ||
	           strcmp(c->error, ASL_ERR(ABORTED))) {
		/* An abort has none, unless StopExecution gave them. */
		add_failure(d, "error", c->error, "cause", c->cause);
	}
	json_object_set_new(d, "redriveCount", json_integer(0));
	return d;
}

/* One execution with options o. */
/* The execution's settings from the options: limits, region and account,
 * its start time (real or --start-time's virtual clock), the seed of its
 * random generator.  False when --start-time is not a timestamp. */
static bool exec_init(asl_exec *x, asl_ctx *c, const asl_program *p,
                      const run_options *o, const char *argv0)
{
	memset(x, 0, sizeof *x);
	memset(c, 0, sizeof *c);
	x->prog = p;
	x->region = o->region ? o->region : "us-east-1";
	x->account = o->account ? o->account : "000000000000";
	x->time_scale = o->time_scale;
	x->payload_limit = o->no_payload_limit ? 0 : 256 * 1024;
	x->history_limit = o->no_history_limit ? 0 : ASL_HISTORY_LIMIT;
	asl_s3_set_root(o->s3_root);
	x->deadline_ms = p->timeout_seconds * 1000LL;
	x->real0_ms = monotonic_ms();
	if (o->start_time) {
		if (rfc3339_parse_ms(o->start_time, &x->start_ms) < 0) {
			fprintf(stderr, "%s: --start-time: not an RFC 3339 timestamp: "
			        "'%s'\n", argv0, o->start_time);
			return false;
		}
		x->virtual_clock = true;
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		x->start_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	if (o->seeded) {
		c->rng = o->seed;
	} else if (getrandom(&c->rng, sizeof c->rng, 0) != sizeof c->rng) {
		c->rng = (uint64_t)x->start_ms ^ (uint64_t)x->real0_ms;
	}
	x->callbacks = asl_callbacks_new();
	c->x = x;
	return true;
}

/* A literal lives as long as its program, and every state reads it: a
 * Map's threads at once.  jansson's json_incref and json_decref (inline in
 * jansson.h) leave a value whose count is (size_t)-1 alone, as they do its
 * null, true and false: each node of a literal is made such a value, so
 * that taking a literal is a comparison, not an atomic add on a cache line
 * every thread writes.  tests/unit/test_runtime checks that jansson still
 * works so. */
#define IMMORTAL ((size_t)-1)

static void set_counts(json_t *v, size_t count)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_object(v))
		json_object_foreach (v, k, e)
			set_counts(e, count);
	else if (json_is_array(v))
		json_array_foreach (v, i, e)
			set_counts(e, count);
	/* every node of a parsed literal is its parent's only reference */
	v->refcount = count;
}

void asl_pin(json_t *v)
{
	set_counts(v, IMMORTAL);
}

void asl_unpin(json_t *v)
{
	if (v && v->refcount == IMMORTAL) {
		set_counts(v, 1);
		json_decref(v);
	}
}

bool asl_load_literals(asl_exec *x, const char *argv0)
{
	const asl_program *p = x->prog;

	x->lits = calloc(p->n_literals ? p->n_literals : 1, sizeof *x->lits);
	if (!x->lits)
		asl_oom();
	for (unsigned i = 0; i < p->n_literals; i++) {
		json_error_t err;
		x->lits[i] = json_loads(p->literals[i],
		                        JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
		if (!x->lits[i]) {
			fprintf(stderr, "%s: corrupt literal %u: %s\n", argv0, i,
			        err.text);
			return false;
		}
		asl_pin(x->lits[i]);
	}
	return true;
}

void asl_free_literals(json_t **lits, unsigned n)
{
	for (unsigned i = 0; lits && i < n; i++)
		asl_unpin(lits[i]);
	free(lits);
}

/* The handlers: built-in ones, the program's, the libraries' (*libs),
 * the commands', in that order (later ones replace earlier ones); then
 * the mocks of --test-case. */
static bool set_up_handlers(asl_exec *x, const asl_program *p,
                            asl_register_fn register_handlers,
                            const run_options *o, const char *argv0,
                            void ***libs)
{
	x->reg = o->no_builtins ? asl_registry_new_empty() : asl_registry_new();
	if (!x->reg || (register_handlers && register_handlers(x->reg) != 0)) {
		fprintf(stderr, "%s: cannot register the handlers\n", argv0);
		return false;
	}
	if (!(*libs = load_libraries(argv0, o, x->reg)))
		return false;
	for (size_t i = 0; i < o->n_handlers; i++)
		if (asl_bridge_add(x->reg, argv0, o->handlers[i]) < 0)
			return false;
	if (o->n_handlers)
		signal(SIGPIPE, SIG_IGN); /* a command that stops reading */
	return !o->test_case ||
	       (x->mock = asl_mock_load(argv0, o->mock_config, o->test_case, p));
}

/* The context object's Execution and StateMachine (x->ctx_execution,
 * x->ctx_machine), --context's members over them; *sm_arn and *ex_arn to
 * free. */
static void context_objects(asl_exec *x, const run_options *o,
                            const char *name, char **sm_arn, char **ex_arn)
{
	const asl_program *p = x->prog;
	char when[40];

	*sm_arn = asl_sprintf("arn:aws:states:%s:%s:stateMachine:%s",
	                      x->region, x->account, p->name);
	*ex_arn = asl_sprintf("arn:aws:states:%s:%s:execution:%s:%s",
	                      x->region, x->account, p->name, name);
	asl_format_time(x->start_ms, when, sizeof when);
	char *role = o->role_arn ? asl_strdup(o->role_arn)
	                         : asl_sprintf("arn:aws:iam::%s:role/asl2c-local",
	                                       x->account);
	x->ctx_execution = json_pack("{s:s, s:O, s:s, s:s, s:s, s:i}",
	                             "Id", *ex_arn, "Input", x->input,
	                             "StartTime", when, "Name", name,
	                             "RoleArn", role, "RedriveCount", 0);
	free(role);
	x->ctx_machine = json_pack("{s:s, s:s}", "Id", *sm_arn, "Name", p->name);
	if (!x->ctx_execution || !x->ctx_machine)
		asl_oom(); /* the names are valid UTF-8: checked */
	if (o->context) { /* an object: checked with the options */
		json_t *cx = json_loads(o->context, 0, NULL);
		json_t *ce = json_object_get(cx, "Execution");
		json_t *cm = json_object_get(cx, "StateMachine");
		if (!cx ||
		    (json_is_object(ce) &&
		     json_object_update(x->ctx_execution, ce) < 0) ||
		    (json_is_object(cm) &&
		     json_object_update(x->ctx_machine, cm) < 0))
			asl_oom();
		json_decref(cx);
	}
}

/* How the execution ended (*status: its exit status), from asl_run's
 * code and the execution's flags; its error set where AWS gives one. */
static const char *outcome(asl_ctx *c, int run_rc, int *status)
{
	asl_exec *x = c->x;

	if (atomic_load(&x->history_full)) {
		/* Past the quota, even if the last state ended: only an
		 * ExecutionSucceeded may be the 25,000th event. */
		*status = EXIT_FAILED;
		asl_set_error(c, ASL_ERR(RUNTIME), ASL_HISTORY_FULL_CAUSE);
		return "FAILED";
	}
	if (run_rc == ASL_OK) {
		*status = EXIT_SUCCEEDED;
		return "SUCCEEDED";
	}
	if (atomic_load(&x->timed_out)) {
		*status = EXIT_TIMED_OUT;
		asl_set_error(c, ASL_ERR(TIMEOUT), NULL);
		return "TIMED_OUT";
	}
	if (atomic_load(&x->aborted)) {
		*status = EXIT_ABORTED;
		asl_set_error(c, ASL_ERR(ABORTED), "The execution was aborted");
		return "ABORTED";
	}
	*status = EXIT_FAILED;
	if (!c->error)
		asl_set_error(c, ASL_ERR(RUNTIME), NULL);
	return "FAILED";
}

/* #1: ExecutionStarted, with SIGINT and SIGTERM from now on aborting
 * the execution. */
static void started(asl_ctx *c)
{
	asl_exec *x = c->x;
	json_t *details = NULL;
	struct sigaction sa;

	abort_flag = &x->aborted;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (x->history) {
		char *in = asl_dump(x->input);
		details = json_pack("{s:s, s:{s:b}, s:O}", "input", in,
		                    "inputDetails", "truncated", 0, "roleArn",
		                    json_object_get(x->ctx_execution, "RoleArn"));
		free(in);
	}
	asl_event(c, "ExecutionStarted", "executionStartedEventDetails",
	          details);
}

/* The ended execution's outputs: its error on stderr, its output (or
 * --describe's) on stdout, the history and --inspect's file committed.
 * Returns the exit status, EXIT_IO or EXIT_FAILED when one could not be
 * written. */
static int write_results(asl_ctx *c, const run_options *o, const char *argv0,
                         int status, const char *st, const char *arns[3],
                         json_t *io, history_stream *hs, asl_outfile *inf)
{
	asl_exec *x = c->x;

	if (status != EXIT_SUCCEEDED)
		print_error(c->error, c->cause);
	if (o->describe) {
		json_t *d = describe(c, st, arns[0], arns[1], arns[2], io);
		print_json(stdout, d, o->pretty);
		json_decref(d);
	} else if (status == EXIT_SUCCEEDED) {
		print_json(stdout, io, o->pretty);
	}
	if (fflush(stdout) != 0 && status == EXIT_SUCCEEDED)
		status = EXIT_FAILED;
	if (o->history && history_commit(argv0, o->history, hs) < 0)
		status = EXIT_IO;
	if (x->spill_fd >= 0)
		close(x->spill_fd);
	if (o->inspect) {
		char *text = json_dumps(x->inspect, JSON_COMPACT);
		if (!text)
			asl_oom();
		if (output_commit(argv0, "inspect", o->inspect, inf, text) < 0)
			status = EXIT_IO;
		free(text);
	}
	return status;
}

/* What the execution's set-up took, given back (each part may be
 * missing: a set-up that stopped half way). */
static void exec_free(asl_exec *x, void **libs)
{
	asl_nested_free(x);
	asl_jsonata_free_all(x);
	json_decref(x->input);
	json_decref(x->ctx_execution);
	json_decref(x->ctx_machine);
	json_decref(x->inspect);
	asl_mock_free(x->mock);
	asl_callbacks_free(x->callbacks);
	asl_registry_free(x->reg);
	unload_libraries(libs);
	/* last: whatever held a literal has let it go */
	asl_free_literals(x->lits, x->prog->n_literals);
}

/* The execution input (an MPI worker's is rank 0's: mpirun gives it the
 * standard input), within the payload limit: 0, or the exit status. */
static int take_input(asl_exec *x, const run_options *o, const char *argv0,
                      bool worker)
{
	if (worker) {
		x->input = json_null();
		return 0;
	}
	if (!(x->input = read_input(argv0, o)))
		return EXIT_BAD_INPUT;
	/* StartExecution refuses an input over the payload limit: its compact
	 * JSON, counted without writing it (written only for the message). */
	if (x->payload_limit &&
	    asl_json_size(x->input, x->payload_limit) > x->payload_limit) {
		size_t size = json_dumpb(x->input, NULL, 0,
		                         JSON_COMPACT | JSON_ENCODE_ANY);
		fprintf(stderr, "%s: invalid execution input: %zu bytes, over the "
		        "%zu KiB payload limit (--no-payload-limit lifts it)\n",
		        argv0, size, x->payload_limit / 1024);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

/* What the execution writes to and listens on, opened before it starts
 * (a history that cannot be written fails it at once): 0, or the exit
 * status. */
static int open_outputs(asl_exec *x, const run_options *o, const char *argv0,
                        asl_outfile *hf, asl_outfile *inf, asl_listener **l)
{
	if ((o->history && output_open(argv0, "history", o->history, hf) < 0) ||
	    (o->inspect && output_open(argv0, "inspect", o->inspect, inf) < 0))
		return EXIT_IO;
	if (o->listen && !(*l = asl_listen_start(x, o->listen, argv0)))
		return EXIT_USAGE;
	return 0;
}

/* How an execution StopExecution stopped ended: with the error and cause
 * it gave (none: States.Aborted on stderr, nothing in the history). */
static void stop_reason(asl_ctx *c, asl_listener *l, int status)
{
	const char *error, *cause;

	if (status == EXIT_ABORTED && l && asl_listen_stopped(l, &error, &cause) &&
	    (error || cause))
		asl_set_error(c, error ? error : "", cause);
}

/* The end, as DescribeExecution tells it: the error and cause of a
 * failure, or of a stop that gave them. */
static void listen_end(asl_ctx *c, asl_listener *l,
                       const char *st, int status, json_t *io)
{
	bool ok = status == EXIT_SUCCEEDED;
	bool said = status != EXIT_ABORTED || strcmp(c->error, ASL_ERR(ABORTED));

	asl_listen_end(l, st, asl_now_ms(c), ok ? io : NULL,
	               ok || !said ? NULL : c->error, ok || !said ? NULL : c->cause);
}

/* The endpoint answers for --listen-linger's seconds more, the results
 * written (SIGINT or SIGTERM cut them). */
static void listen_linger(asl_listener *l, const run_options *o)
{
	atomic_int quit;

	atomic_init(&quit, 0);
	abort_flag = &quit;
	asl_listen_linger(l, o->listen_linger, &quit);
	abort_flag = NULL;
}

/* The execution, once everything is set up: its exit status. */
static int run_execution(asl_exec *x, asl_ctx *c, const run_options *o,
                         const char *argv0, asl_outfile *hf, asl_outfile *inf,
                         asl_listener *l)
{
	const asl_program *p = x->prog;
	char uuid[37], *sm_arn, *ex_arn;
	int status;

	/* The endpoint keeps the history for GetExecutionHistory. */
	x->history = o->history != NULL || l;
	c->hist = asl_hist_new(x->history);
	history_stream hs = { o->history ? hf : NULL, false, 0, l };
	x->spill_fd = -1;
	if (x->history) {
		asl_hist_set_sink(c->hist, history_sink, &hs);
		if (o->history)
			x->spill_fd = asl_outfile_scratch(hf);
	}
	asl_uuid(c, uuid);
	const char *name = o->name ? o->name : uuid;
	context_objects(x, o, name, &sm_arn, &ex_arn);
	if (o->inspect && !(x->inspect = json_object()))
		asl_oom();
	if (l && !asl_listen_begin(l, sm_arn, ex_arn, name, o->listen_file,
	                           argv0)) {
		asl_outfile_discard(hf);
		asl_outfile_discard(inf);
		status = EXIT_USAGE;
		goto out;
	}

	started(c);
	json_t *io = json_incref(x->input);
	const char *st = outcome(c, asl_run(c, p->start, &io), &status);
	abort_flag = NULL;
	stop_reason(c, l, status);
	record_end(c, status, io);
	if (l)
		listen_end(c, l, st, status, io);
	const char *arns[3] = { sm_arn, ex_arn, name };
	status = write_results(c, o, argv0, status, st, arns, io, &hs, inf);
	if (l && o->listen_linger)
		listen_linger(l, o);

	json_decref(io);
out:
	asl_hist_free(c->hist);
	c->hist = NULL;
	asl_ctx_release(c);
	free(sm_arn);
	free(ex_arn);
	return status;
}

static int execute(char **argv, const asl_program *p,
                   asl_register_fn register_handlers, const run_options *op)
{
	const run_options o = *op;
	asl_exec x;
	asl_ctx c;
	asl_outfile hf = { .fd = -1 }, inf = { .fd = -1 };
	void **libs = NULL;
	int setup_status = EXIT_USAGE;
	asl_listener *ep = NULL;

	/* Before any thread starts. */
	json_object_seed(0);

	if (!exec_init(&x, &c, p, &o, argv[0]))
		return EXIT_USAGE;

	bool worker = asl_sched_worker();
	bool ready = false;
	if ((setup_status = take_input(&x, &o, argv[0], worker)) != 0)
		goto setup_failed;
	setup_status = EXIT_USAGE;
	if (!asl_load_literals(&x, argv[0]) ||
	    !asl_jsonata_load_all(&x, argv[0]) || !asl_nested_load(&x, argv[0]) ||
	    !set_up_handlers(&x, p, register_handlers, &o, argv[0], &libs))
		goto setup_failed;
	/* Every rank of an MPI job set up, or the job ends with the status of
	 * one that could not; a worker then runs children until it ends. */
	ready = true;
	if ((setup_status = asl_sched_ready(0)) != 0)
		goto setup_failed;
	if (worker) {
		setup_status = asl_sched_serve(&c);
		goto setup_failed;
	}
	if ((setup_status = open_outputs(&x, &o, argv[0], &hf, &inf, &ep)) != 0)
		goto setup_failed;
	int status = run_execution(&x, &c, &o, argv[0], &hf, &inf, ep);
	asl_listen_close(ep);
	exec_free(&x, libs);
	return status;

setup_failed:
	/* Stopped before the execution (or a worker's end): give back what
	 * was set up. */
	if (!ready)
		setup_status = asl_sched_ready(setup_status);
	asl_outfile_discard(&hf);
	asl_outfile_discard(&inf);
	asl_listen_close(ep);
	exec_free(&x, libs);
	return setup_status;
}

int asl_main(int argc, char **argv, const asl_program *p,
             asl_register_fn register_handlers)
{
	run_options o;
	int rc;

	/* Past RLIMIT_FSIZE (a full quota), write(2) fails with EFBIG
	 * instead of SIGXFSZ killing us with a temporary file left behind;
	 * from the start: clang's OpenMP runtime writes a file of its own
	 * (/dev/shm/__KMP_REGISTERED_LIB_*) on its first call. */
	signal(SIGXFSZ, SIG_IGN);
	if ((rc = asl_sched_init(&argc, &argv)) != 0)
		return rc;
	if (p->abi != ASL2C_ABI) {
		fprintf(stderr, "%s: compiled for runtime ABI %u, this runtime has "
		        "ABI %u\n", argv[0], p->abi, ASL2C_ABI);
		return asl_sched_finish(EXIT_USAGE);
	}
	/* Its name is in every ARN and the context object: a program built
	 * from C written by hand could hold anything. */
	if (!p->name || !asl_valid_name(p->name, ASL_NAME_MAX)) {
		fprintf(stderr, "%s: the state machine's name is not a valid name\n",
		        argv[0]);
		return asl_sched_finish(EXIT_USAGE);
	}
	asl_alloc_init();
	rc = parse_options(argc, argv, p, &o);
	/* Nested Parallel states get threads of their own (map.c); nested
	 * Maps run on their enclosing thread. */
	omp_set_max_active_levels(64);
	if (rc == 0)
		rc = execute(argv, p, register_handlers, &o);
	else if (rc < 0)
		rc = EXIT_SUCCEEDED;
	free(o.libs);
	free(o.handlers);
	/* The OpenMP threads end with the execution, not at exit: nothing
	 * runs behind the program's back (LeakSanitizer's stop-the-world at
	 * exit, an embedding program). */
	omp_pause_resource_all(omp_pause_hard);
	asl_test_alloc_hook_end();
	return asl_sched_finish(rc);
}
