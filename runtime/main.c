/*
 * main.c - the command line of every generated program (asl_main), and one
 * execution from start to end.
 */
#include "internal.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* Exit statuses, documented in asl2c-run(7) and --help. */
enum {
	EXIT_SUCCEEDED = 0,
	EXIT_FAILED = 1,
	EXIT_TIMED_OUT = 2,
	EXIT_ABORTED = 3,
	EXIT_USAGE = 64,
	EXIT_BAD_INPUT = 65
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
"  --time-scale X       multiply real waiting by X (0: never wait); the\n"
"                       virtual clock still advances by the full interval\n"
"  --no-payload-limit   lift the 256 KiB payload limit\n"
"  --pretty             indent the output\n"
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
"  3   the execution was aborted (SIGINT, SIGTERM)\n"
"  64  usage error\n"
"  65  invalid execution input\n",
	        argv0, p->name);
}

static int parse_options(int argc, char **argv, const asl_program *p,
                         run_options *o)
{
	enum { O_INPUT = 256, O_INPUT_FILE, O_NAME, O_SEED, O_START, O_SCALE,
	       O_NOLIMIT, O_PRETTY, O_VERSION };
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, O_INPUT },
		{ "input-file", required_argument, NULL, O_INPUT_FILE },
		{ "name", required_argument, NULL, O_NAME },
		{ "seed", required_argument, NULL, O_SEED },
		{ "start-time", required_argument, NULL, O_START },
		{ "time-scale", required_argument, NULL, O_SCALE },
		{ "no-payload-limit", no_argument, NULL, O_NOLIMIT },
		{ "pretty", no_argument, NULL, O_PRETTY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	int ch;
	char *end;

	memset(o, 0, sizeof *o);
	o->time_scale = 1.0;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case O_INPUT: o->input = optarg; break;
		case O_INPUT_FILE: o->input_file = optarg; break;
		case O_NAME: o->name = optarg; break;
		case O_START: o->start_time = optarg; break;
		case O_NOLIMIT: o->no_payload_limit = true; break;
		case O_PRETTY: o->pretty = true; break;
		case O_SEED:
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg) {
				fprintf(stderr, "%s: --seed: not a number: '%s'\n",
				        argv[0], optarg);
				return EXIT_USAGE;
			}
			o->seeded = true;
			break;
		case O_SCALE:
			errno = 0;
			o->time_scale = strtod(optarg, &end);
			if (errno || *end || !*optarg || !(o->time_scale >= 0)) {
				fprintf(stderr, "%s: --time-scale: not a number >= 0: "
				        "'%s'\n", argv[0], optarg);
				return EXIT_USAGE;
			}
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
	if (o->input && o->input_file) {
		fprintf(stderr, "%s: --input and --input-file exclude each other\n",
		        argv[0]);
		return EXIT_USAGE;
	}
	return 0;
}

/* Read the execution input; NULL after printing why. */
static json_t *read_input(const char *argv0, const run_options *o)
{
	json_error_t err;
	json_t *in;
	const char *what = o->input_file ? o->input_file : "--input";

	if (o->input)
		in = json_loads(o->input, JSON_DECODE_ANY, &err);
	else if (!o->input_file)
		return json_object();
	else if (!strcmp(o->input_file, "-"))
		in = json_loadf(stdin, JSON_DECODE_ANY, &err);
	else
		in = json_load_file(o->input_file, JSON_DECODE_ANY, &err);
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

static void print_error(const char *error, const char *cause)
{
	json_t *e = json_pack("{s:s}", "Error", error);
	if (cause)
		json_object_set_new(e, "Cause", json_string(cause));
	json_dumpf(e, stderr, JSON_COMPACT);
	fputc('\n', stderr);
	json_decref(e);
}

int asl_parse_timestamp(const char *s, long long *ms);

int asl_main(int argc, char **argv, const asl_program *p,
             asl_register_fn register_handlers)
{
	run_options o;
	asl_exec x;
	asl_ctx c;
	json_t *io;
	char when[40], uuid[37];
	int rc, status;

	if (p->abi != ASL2C_ABI) {
		fprintf(stderr, "%s: compiled for runtime ABI %u, this runtime has "
		        "ABI %u\n", argv[0], p->abi, ASL2C_ABI);
		return EXIT_USAGE;
	}
	if ((rc = parse_options(argc, argv, p, &o)) != 0)
		return rc < 0 ? EXIT_SUCCEEDED : rc;

	/* Before any thread starts. */
	json_object_seed(0);

	memset(&x, 0, sizeof x);
	memset(&c, 0, sizeof c);
	x.prog = p;
	x.region = "us-east-1";
	x.account = "000000000000";
	x.time_scale = o.time_scale;
	x.payload_limit = o.no_payload_limit ? 0 : 256 * 1024;
	x.deadline_ms = p->timeout_seconds * 1000LL;
	{
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		x.real0_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	if (o.start_time) {
		if (asl_parse_timestamp(o.start_time, &x.start_ms) < 0) {
			fprintf(stderr, "%s: --start-time: not an RFC 3339 timestamp: "
			        "'%s'\n", argv[0], o.start_time);
			return EXIT_USAGE;
		}
		x.virtual_clock = true;
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		x.start_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	if (o.seeded) {
		c.rng = o.seed;
	} else if (getrandom(&c.rng, sizeof c.rng, 0) != sizeof c.rng) {
		c.rng = (uint64_t)x.start_ms ^ (uint64_t)x.real0_ms;
	}
	c.x = &x;

	if (!(x.input = read_input(argv[0], &o)))
		return EXIT_BAD_INPUT;
	/* StartExecution refuses an input over the payload limit. */
	if (x.payload_limit) {
		size_t size = json_dumpb(x.input, NULL, 0,
		                         JSON_COMPACT | JSON_ENCODE_ANY);
		if (size > x.payload_limit) {
			fprintf(stderr, "%s: invalid execution input: %zu bytes, over "
			        "the %zu KiB payload limit (--no-payload-limit lifts "
			        "it)\n", argv[0], size, x.payload_limit / 1024);
			json_decref(x.input);
			return EXIT_BAD_INPUT;
		}
	}

	x.lits = calloc(p->n_literals ? p->n_literals : 1, sizeof *x.lits);
	if (!x.lits)
		asl_oom();
	for (unsigned i = 0; i < p->n_literals; i++) {
		json_error_t err;
		x.lits[i] = json_loads(p->literals[i], JSON_DECODE_ANY, &err);
		if (!x.lits[i]) {
			fprintf(stderr, "%s: corrupt literal %u: %s\n", argv[0], i,
			        err.text);
			return EXIT_USAGE;
		}
	}

	x.reg = asl_registry_new();
	if (!x.reg || (register_handlers && register_handlers(x.reg) != 0)) {
		fprintf(stderr, "%s: cannot register the handlers\n", argv[0]);
		return EXIT_USAGE;
	}

	asl_uuid(&c, uuid);
	const char *name = o.name ? o.name : uuid;
	char *sm_arn = asl_sprintf("arn:aws:states:%s:%s:stateMachine:%s",
	                           x.region, x.account, p->name);
	char *ex_arn = asl_sprintf("arn:aws:states:%s:%s:execution:%s:%s",
	                           x.region, x.account, p->name, name);
	asl_format_time(x.start_ms, when, sizeof when);
	x.ctx_execution = json_pack("{s:s, s:O, s:s, s:s, s:s, s:i}",
	                            "Id", ex_arn, "Input", x.input,
	                            "StartTime", when, "Name", name,
	                            "RoleArn", "arn:aws:iam::000000000000:role/"
	                            "asl2c-local", "RedriveCount", 0);
	x.ctx_machine = json_pack("{s:s, s:s}", "Id", sm_arn, "Name", p->name);
	atomic_store(&x.next_event, 1); /* #1 is ExecutionStarted */

	abort_flag = &x.aborted;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	io = json_incref(x.input);
	if (asl_run(&c, p->start, &io) == ASL_OK) {
		size_t flags = JSON_ENCODE_ANY | (o.pretty ? JSON_INDENT(2)
		                                           : JSON_COMPACT);
		json_dumpf(io, stdout, flags);
		fputc('\n', stdout);
		status = fflush(stdout) == 0 ? EXIT_SUCCEEDED : EXIT_FAILED;
	} else if (atomic_load(&x.timed_out)) {
		print_error("States.Timeout", NULL);
		status = EXIT_TIMED_OUT;
	} else if (atomic_load(&x.aborted)) {
		print_error("States.Aborted", "The execution was aborted");
		status = EXIT_ABORTED;
	} else {
		print_error(c.error ? c.error : "States.Runtime", c.cause);
		status = EXIT_FAILED;
	}
	abort_flag = NULL;

	json_decref(io);
	asl_ctx_release(&c);
	for (unsigned i = 0; i < p->n_literals; i++)
		json_decref(x.lits[i]);
	free(x.lits);
	json_decref(x.input);
	json_decref(x.ctx_execution);
	json_decref(x.ctx_machine);
	free(sm_arn);
	free(ex_arn);
	asl_registry_free(x.reg);
	return status;
}
