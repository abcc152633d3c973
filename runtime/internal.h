/*
 * internal.h - the runtime's private interface between its modules.
 * Not installed.  Every exported symbol starts with asl_.
 */
#ifndef ASL2C_INTERNAL_H
#define ASL2C_INTERNAL_H

#include <asl2c/asl2c.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Where the children of one Map or Parallel stop (map.c): at the failure
 * that comes first.  The children that start together (all the branches;
 * the first MaxConcurrency iterations, or all) are ordered on the clock,
 * ties going to the lower index: a child is past a failure once it is
 * later on the clock, or at the same instant with a higher index.  A child
 * that starts later, when a slot frees up at a time the run cannot know in
 * advance, is ordered by index only: after every child that started
 * before it, before those after it.  (doc/semantics.md) */
typedef struct asl_stop {
	atomic_int posted;       /* a failure was posted: at, index are set */
	pthread_mutex_t lock;    /* at and index change together */
	long long at;            /* the failure's time, epoch ms */
	size_t index;            /* the failed child's index */
	size_t wave;             /* the children below it start together */
} asl_stop;

/* One execution: shared, read-only once started, by all its threads. */
typedef struct asl_exec {
	const asl_program *prog;
	json_t **lits;           /* prog->literals, parsed */
	json_t *input;           /* execution input */
	json_t *ctx_execution;   /* $$.Execution */
	json_t *ctx_machine;     /* $$.StateMachine */
	const char *region, *account;
	asl_registry *reg;

	/* The clock.  now = start + offset of the context (virtual waits) +
	 * real time elapsed, unless the clock is fully virtual. */
	long long start_ms;      /* epoch ms of the execution's start */
	long long real0_ms;      /* monotonic ms at the start */
	bool virtual_clock;      /* ignore real time (deterministic runs) */
	double time_scale;       /* real sleep = scale x virtual wait */
	long long deadline_ms;   /* execution timeout, ms after start; 0 none */
	size_t payload_limit;    /* 0: unlimited */

	atomic_int timed_out;    /* the execution timed out */
	atomic_int aborted;      /* SIGINT/SIGTERM */
	atomic_long next_event;  /* unused: event ids are per history (history.c) */
	/* AWS's quota of history events (history.c): 0 with
	 * --no-history-limit.  n_events counts every thread's. */
	long history_limit;
	atomic_long n_events;
	atomic_int history_full; /* the quota was reached: the execution fails */
	int spill_fd;            /* children's events until merged, or -1 */
	atomic_llong spill_end;
	bool history;            /* keep the events (--history), not only ids */
	struct asl_mock *mock;   /* --mock-config and --test-case, or NULL */
	json_t *inspect;         /* --inspect: {state: {field: value}}, or NULL */
	struct asl_jsonata_expr **jsonata; /* prog->jsonata, read back */
	/* The state machines compiled in (prog->machines), read back at
	 * start, and how deep this execution is among nested ones
	 * (nested.c). */
	struct asl_machine *machines;
	unsigned n_machines;
	int nest_depth;
	/* Per expression, worked out when the program starts: what of
	 * $states.context it may read (asl_jsonata_reads; the context is
	 * built only for those), and ASL_READS_BEYOND_PAYLOAD. */
	unsigned char *jsonata_reads;
	bool jsonata_reads_context; /* one of them does: the clock is read
	                               when a state is entered */
	struct asl_callbacks *callbacks; /* the task tokens (callback.c), or
	                                    NULL: no callback task can run */
} asl_exec;

/* A lambda:invoke response of which only the Payload was built, because
 * the state reads nothing else (lambda.c): what the rest of it is made
 * of, for when something needs the whole response after all. */
typedef struct asl_lazy_response {
	bool pending;
	long long now;              /* the Date header's virtual time */
	unsigned long long hi, lo;  /* the trace id's draws */
	long long written;          /* the function's bytes, or -1 */
	char request_id[37];
} asl_lazy_response;

/* A task token's length: base64 of 48 bytes from the seeded generator
 * (callback.c). */
#define ASL_TOKEN_LEN 64

/* One thread of control: the execution, a Parallel branch or a Map
 * iteration.  Never shared between threads. */
struct asl_ctx {
	asl_exec *x;
	const asl_ctx *parent;   /* enclosing scope (variables) */
	json_t *vars;            /* this scope's variables, or NULL */
	const char *state;       /* state being run */
	long long entered_ms;    /* virtual time of entry */
	long entered_event;      /* history id of the StateEntered event */
	long retry_count;
	long long offset_ms;     /* virtual time gained by scaled waits */
	uint64_t rng;            /* splitmix64 state */
	atomic_int *cancel;      /* set to stop at once (Distributed Map), or
	                            NULL */
	asl_stop *stop;          /* the siblings' stop point (Map, Parallel),
	                            or NULL; index: this child's */
	size_t index;
	struct asl_hist *hist;   /* the events of this thread of control */

	/* $$.Map.Item while evaluating ItemSelector */
	json_t *item_value;
	long long item_index;
	bool in_item;
	const char *item_source; /* Distributed Map: s3://bucket/key, or NULL */

	json_t *doc;             /* the document a filter's $ refers to */
	/* JSONata: the input of the Task, Map or Parallel being run
	 * ($states.input of TimeoutSeconds, ItemReader, ...; borrowed), or
	 * NULL */
	json_t *state_input;
	asl_lazy_response lazy;  /* the last Task's result, when lazy */
	/* $$.Task.Token of the callback task being run ("": none) */
	char task_token[ASL_TOKEN_LEN + 1];

	/* the error, once failed */
	char *error;
	char *cause;   /* NULL: no cause */
};

/* ---- errors (exec.c) */
/* AWS's predefined error names (asl2c/lists.h) by their enum:
 * ASL_ERR(TIMEOUT) is "States.Timeout". */
extern const char *const asl_error_names[ASL_E_COUNT];
#define ASL_ERR(n) (asl_error_names[ASL_E_##n])
void asl_set_error(asl_ctx *c, const char *error, const char *cause);
void asl_raise(asl_ctx *c, const char *error, const char *fmt, ...)
    ASL_PRINTF(3, 4);
/* ERROR with AWS's prefix naming the state ("An error occurred while
 * executing the state 'S' (entered at the event id #N). "). */
void asl_state_error(asl_ctx *c, const char *error, const char *fmt, ...)
    ASL_PRINTF(3, 4);
/* States.Runtime with that prefix. */
void asl_runtime_error(asl_ctx *c, const char *fmt, ...) ASL_PRINTF(2, 3);
void asl_clear_error(asl_ctx *c);
bool asl_error_is_uncatchable(const char *error);
bool asl_error_matches(const char *error, const char *const *names,
                       unsigned n);

/* ---- nested executions (nested.c) */
/* In asl_exec.jsonata_reads: what the expression may read of
 * $states.context, only its Map member (a Map's ItemSelector) or more,
 * and whether it may read more of $states.result than .Payload (a
 * lambda:invoke response is then built whole: lambda.c). */
enum {
	ASL_READS_CONTEXT_MAP = 1,
	ASL_READS_CONTEXT_WHOLE = 2,
	ASL_READS_CONTEXT = 3, /* the two above */
	ASL_READS_BEYOND_PAYLOAD = 4
};

/* A state machine compiled into the program, its tables read back. */
typedef struct asl_machine {
	const asl_program *prog;
	json_t **lits;
	struct asl_jsonata_expr **jsonata;
	unsigned char *jsonata_reads; /* as asl_exec's */
	bool jsonata_reads_context;
	bool owned;                 /* not the execution's own */
} asl_machine;
/* x->machines from the program's list; false, said on stderr, when one
 * is corrupt. */
bool asl_nested_load(asl_exec *x, const char *argv0);
void asl_nested_free(asl_exec *x);
/* The program's literal table, parsed (x->lits): false, said on stderr,
 * when one is not JSON (main.c). */
bool asl_load_literals(asl_exec *x, const char *argv0);
void asl_free_literals(json_t **lits, unsigned n);
/* A parsed value made to live until asl_unpin (which frees it): json_incref
 * and json_decref no longer touch it or anything in it (main.c).  Only for
 * a value nothing else holds, never changed once pinned. */
void asl_pin(json_t *v);
void asl_unpin(json_t *v);

/* ---- JSONata fields (jsonata_value.c) */
/* What $states holds besides the context: borrowed; NULL members are
 * absent (result: Task, Map, Parallel; errorOutput: Catchers). */
typedef struct asl_states {
	json_t *input;
	json_t *result;
	json_t *error_output;
} asl_states;
/* The value of the field FIELD of a JSONata state (V: its literal parts
 * and JSONATA leaves), a new reference; NULL with the error set
 * (States.QueryEvaluationError). */
json_t *asl_jsonata_value(asl_ctx *c, const asl_value *v, const char *field,
                          const asl_states *st);
/* A field's name for messages ("Choices[2]/Condition"): HEAD, then "[I]"
 * unless I is negative, then TAIL, cut to fit N bytes; returns buf.  No
 * printf: one is made for every evaluation, and snprintf took a third of
 * a JSONata Choice loop's instructions. */
const char *asl_field_name(char *buf, size_t n, const char *head, long i,
                           const char *tail);
/* A field of state S that is a payload template in a JSONPath state and
 * a JSONata value in a JSONata one: asl_eval with $ = doc and the field
 * PATH_FIELD, or asl_jsonata_value with $states.input = doc and the field
 * ATA_FIELD.  A new reference, or NULL after raising. */
json_t *asl_state_value(asl_ctx *c, const asl_state *s, const asl_value *v,
                        json_t *doc, const char *path_field,
                        const char *ata_field);
/* A number from a JSONata field (V, with $states.input = DOC): one with
 * no fraction when INTEGER, from MIN to MAX, else
 * States.QueryEvaluationError (doc/semantics.md).  False after raising. */
bool asl_jsonata_number(asl_ctx *c, const asl_value *v, const char *field,
                        json_t *doc, bool integer, double min, double max,
                        double *out);
/* An integer field written as a number (VALUE), a path (P, on DOC:
 * asl_int_field, PATH_FIELD, no range) or a JSONata value (ATA, with
 * $states.input = DOC: asl_jsonata_number from MIN to MAX).  False after
 * raising. */
bool asl_state_int(asl_ctx *c, const char *path_field, long value,
                   const asl_path *p, const asl_value *ata,
                   const char *ata_field, json_t *doc, long min, long max,
                   long *out);
/* The value of a JSONata field that must be of one JSON type (JSON_TRUE
 * for a boolean, JSON_INTEGER for any number): a new reference, or NULL
 * after raising States.QueryEvaluationError. */
json_t *asl_jsonata_typed(asl_ctx *c, const asl_value *v, const char *field,
                          const asl_states *st, json_type type);
/* A JSONata state's Assign (A, with $states ST; FIELD: "Assign",
 * "Choices[0]/Assign", ...) evaluated: the object of the new values, a
 * new reference (an empty object for no Assign), or NULL after raising. */
json_t *asl_jsonata_assign(asl_ctx *c, const asl_value *a, const char *field,
                           const asl_states *st);
/* The members' values of V (an object value) evaluated in order into
 * OUT[0 .. V->count - 1] (new references), with one $states among them,
 * the places named as asl_jsonata_value names them (FIELD/KEY): an
 * Assign's variables without the object of them.  False after raising,
 * nothing left in OUT. */
bool asl_jsonata_members(asl_ctx *c, const asl_value *v, const char *field,
                         const asl_states *st, json_t **out);
/* x->jsonata from the program's compiled forms; false, said on stderr,
 * when one does not read. */
bool asl_jsonata_load_all(asl_exec *x, const char *argv0);
void asl_jsonata_free_all(asl_exec *x);

/* ---- contexts and the run loop (exec.c) */
void asl_ctx_child(asl_ctx *child, asl_ctx *parent, uint64_t stream,
                   atomic_int *cancel);
void asl_ctx_release(asl_ctx *c);
/* Whether c, or a context enclosing it, is past a sibling's failure (or
 * was told to stop): it is cancelled. */
bool asl_cancelled(const asl_ctx *c);
/* The same at time t (epoch ms) on c's clock. */
bool asl_past_stop(const asl_ctx *c, long long t);
/* Post child i's failure at time t to its siblings' stop point. */
void asl_stop_post(asl_stop *s, long long t, size_t i);
/* Whether child i at time t is past the stop point. */
bool asl_stop_passed(asl_stop *s, long long t, size_t i);
/* The stop point, when a failure was posted. */
bool asl_stop_get(asl_stop *s, long long *at, size_t *index);
/* Run states from start until the end; ASL_OK or ASL_ERROR. */
int asl_run(asl_ctx *c, int start, json_t **io);
long long asl_now_ms(const asl_ctx *c);
/* Wait ms of virtual time (scaled in real time); false when the execution
 * timed out or was cancelled meanwhile. */
bool asl_sleep_ms(asl_ctx *c, long long ms);
/* What a wait can end early on: ready(arg), called with lock held, turns
 * true; whoever makes it so signals cond (broadcast). */
typedef struct asl_waiter {
	pthread_mutex_t *lock;
	pthread_cond_t *cond;
	bool (*ready)(void *arg);
	void *arg;
} asl_waiter;
/* asl_sleep_ms that ends once w is ready: 1 ready (the clock advanced by
 * the real time waited, scaled: nothing at --time-scale 0), 0 the whole
 * ms waited, -1 stopped (asl_sleep_ms's false: c's error is set). */
int asl_wait_for(asl_ctx *c, long long ms, const asl_waiter *w);
uint64_t asl_random(asl_ctx *c);
void asl_uuid(asl_ctx *c, char out[37]);
/* The longest Wait AWS runs (2^31 - 1 s; longer: "Wait state delay is too
 * long."), the longest retry interval (IntervalSeconds' maximum: the
 * backoff saturates there), the last instant of the clock (RFC 3339's
 * 9999-12-31T23:59:59.999Z: a wait past it times the execution out). */
#define ASL_WAIT_MAX_S 2147483647LL
/* TimeoutSeconds(Path), HeartbeatSeconds(Path): 1 to 99999999. */
#define ASL_DURATION_MAX_S 99999999LL
#define ASL_RETRY_MAX_S 99999999.0
#define ASL_CLOCK_MAX_MS 253402300799999LL
/* --time-scale's range: 0 (never wait) to 1000 (doc/asl2c-run.7). */
#define ASL_TIME_SCALE_MAX 1000.0

void asl_format_time(long long ms, char *buf, size_t n); /* RFC 3339 Z */
/* An HTTP Date header's form: "Thu, 01 Jan 2026 00:00:00 GMT". */
void asl_format_http_date(long long ms, char *buf, size_t n);
/* The same with the milliseconds always written (AWS's history). */
void asl_format_time_millis(long long ms, char *buf, size_t n);
/* Epoch ms as whole seconds, floored (times before 1970 too). */
long long asl_epoch_seconds(long long ms);
void asl_enter_state(asl_ctx *c, const asl_state *s);
/* --inspect (TestState's inspectionData): record a copy of v as the field
 * of the state being run.  Nothing when the execution keeps no record. */
void asl_inspect(asl_ctx *c, const char *field, const json_t *v);
json_t *asl_context_object(const asl_ctx *c);
/* The same with its Map member only (what an expression that reads only
 * $states.context.Map sees of it). */
json_t *asl_context_map_object(const asl_ctx *c);

/* ---- execution history (history.c).  Each thread of control (the
 * execution, a Map iteration, a Parallel branch) numbers its own events;
 * a Map or Parallel merges its children's in item order when they end, so
 * ids are deterministic.  c->entered_event is in c->hist's numbering. */
typedef struct asl_hist asl_hist;
asl_hist *asl_hist_new(bool record);
void asl_hist_free(asl_hist *h);
/* Record an event; details (consumed, may be NULL) go under key.  Returns
 * its id. */
long asl_event(asl_ctx *c, const char *type, const char *key,
               json_t *details);
void asl_hist_enter(asl_ctx *c, const asl_state *s, json_t *input);
void asl_hist_exit(asl_ctx *c, const asl_state *s, json_t *output);
void asl_hist_started(asl_ctx *c, const asl_state *s, size_t n);
/* What a Map or Parallel keeps of a child once it has run (map.c): its
 * context is released as soon as it ends, so that a Map of many items
 * holds a few words per item, not a context each. */
typedef struct asl_child {
	bool started;            /* it ran (or its ItemSelector did) */
	char *error, *cause;     /* its failure (owned), or NULL */
	asl_hist *hist;          /* its events, until merged */
	bool counted;            /* only counted: no hist, these instead */
	long n_events, last_event;
	long long offset_ms;     /* its clock's gain from scaled waits */
	long long end_at;        /* its clock when it ended, epoch ms */
} asl_child;
/* A child's history H once it ended, kept in R: one that only counts its
 * events (no --history) is folded into R's counts and freed, so that no
 * block is kept per child. */
void asl_hist_keep(asl_child *r, asl_hist *h);
/* After a Map's or Parallel's children ended: merge their histories in
 * order (kids[i].hist is freed); then, once the outcome is known, record
 * Map/ParallelStateSucceeded or Failed. */
void asl_hist_merge(asl_ctx *c, const asl_state *s, asl_child *kids,
                    json_t *const *results, size_t n);
void asl_hist_end(asl_ctx *c, const asl_state *s, bool ok);
/* The execution's history goes to sink, event by event (borrowed), as
 * its events become final. */
typedef void (*asl_hist_sink)(void *arg, json_t *event);
void asl_hist_set_sink(asl_hist *h, asl_hist_sink sink, void *arg);
/* A child that ended: its events to the spill file (x->spill_fd), so that
 * only where they are stays in memory until the merge. */
void asl_hist_spill(asl_ctx *k);

/* ---- output files (outfile.c): opened before the execution, written,
 * then put in place whole; see outfile.c for the rules (links, modes,
 * devices, temporaries).  -1 with errno on failure. */
typedef struct asl_outfile {
	int fd;
	bool in_place;  /* a device or FIFO, written where it is */
	bool named;     /* tmp exists on disk */
	char *path;     /* the file replaced (a link's target) */
	char *tmp;      /* the temporary's derived name */
} asl_outfile;
int asl_outfile_open(asl_outfile *f, const char *path);
int asl_outfile_write(asl_outfile *f, const void *data, size_t len);
int asl_outfile_commit(asl_outfile *f); /* closes it either way */
void asl_outfile_discard(asl_outfile *f); /* nothing written; idempotent */
/* An unnamed scratch file beside f's target (gone when closed), or -1:
 * a device, or no O_TMPFILE there. */
int asl_outfile_scratch(const asl_outfile *f);

/* Parse JSON from f as it is read, at most max bytes (infile.c): NULL with
 * *too_big past max, *failed on a read error, else jansson's error in e. */
json_t *asl_load_bounded(FILE *f, size_t max, size_t flags, json_error_t *e,
                         bool *too_big, bool *failed);

/* ---- paths (path.c) */
/* ASL_PATH_ERROR: the path could not be evaluated (a limit, doc/semantics.md)
 * and States.Runtime is raised on c already: the caller only fails. */
enum { ASL_FOUND = 0, ASL_MISSING = -1, ASL_PATH_ERROR = -2 };
/* Select with path from root (or the context object or a variable).
 * On ASL_FOUND *out is a new reference: the node, or for an indefinite path
 * the array of nodes. */
int asl_path_get(asl_ctx *c, const asl_path *p, json_t *root, json_t **out);
/* asl_path_get without a reference taken where none is needed: *out is a
 * new reference when *owned, else a node of root, of a variable or of the
 * context, valid while they are unchanged (no atomic add and subtract per
 * read: a Choice rule, an intrinsic's argument). */
int asl_path_lookup(asl_ctx *c, const asl_path *p, json_t *root,
                    json_t **out, bool *owned);
/* SRC's first N bytes, cut to SIZE - 1, into DST, NUL-terminated (SIZE >
 * 0): snprintf's "%.*s" without printf, for what every task copies. */
static inline void asl_copy_cut(char *dst, size_t size, const char *src,
                                size_t n)
{
	if (n > size - 1)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}
/* Let go of a value from asl_path_lookup or asl_eval_lookup. */
static inline void asl_let_go(json_t *v, bool owned)
{
	if (owned)
		json_decref(v);
}
/* Copy-on-write store of value at reference path p in root; new reference
 * in *out.  -1 when the path cannot be applied. */
int asl_path_set(const asl_path *p, json_t *root, json_t *value, json_t **out);

/* States.Runtime for a path that selects nothing:
 * "Invalid path '$.x' : No results for path: $['x']" (path.c). */
void asl_missing_path(asl_ctx *c, const asl_path *p);
/* asl_path_get, raising asl_missing_path when it selects nothing: false
 * after raising. */
bool asl_path_need(asl_ctx *c, const asl_path *p, json_t *doc, json_t **out);
/* An integer field given as a number (value) or a path (p, on in); false
 * after raising (path.c). */
bool asl_int_field(asl_ctx *c, const char *field, long value,
                   const asl_path *p, json_t *in, long *out);
/* A Map's MaxConcurrency(Path), ToleratedFailureCount(Path) and
 * ToleratedFailurePercentage(Path), resolved on eff and range-checked with
 * AWS's causes; false after raising (map.c, for map.c and dmap.c). */
bool asl_map_limits(asl_ctx *c, const asl_state *s, json_t *eff, long *mc,
                    long *tol_count, double *tol_pct);
/* A Map's items: the array at ItemsPath of eff; NULL after raising
 * (itemreader.c). */
json_t *asl_map_items(asl_ctx *c, const asl_state *s, json_t *eff);
/* Run a Map or Parallel (work: its iterations or branches) with the
 * machinery of every state: paths, Retry and Catch (state.c). */
int asl_run_compound(asl_ctx *c, const asl_state *s, json_t **io,
                     int (*work)(asl_ctx *, const asl_state *, json_t *,
                                 json_t **),
                     bool with_parameters);
/* One Choice rule on the state's input; *failed when it raised (choice.c). */
bool asl_rule_test(asl_ctx *c, const asl_rule *r, json_t *in, bool *failed);
/* A JSONata Choice rule (the I-th): its Condition over $states.input (in),
 * which must be a boolean; *failed when it raised (choice.c). */
bool asl_rule_condition(asl_ctx *c, const asl_rule *r, unsigned i, json_t *in,
                        bool *failed);

/* ---- values: templates and intrinsic calls (value.c) */
/* Evaluate v with $ = input; new reference or NULL after raising. */
json_t *asl_eval(asl_ctx *c, const asl_value *v, json_t *input,
                 const char *field);
/* asl_eval, with a literal or a path's node borrowed (*owned false: valid
 * while input, the variables and the context are unchanged), as
 * asl_path_lookup. */
json_t *asl_eval_lookup(asl_ctx *c, const asl_value *v, json_t *input,
                        const char *field, bool *owned);
/* An intrinsic call; field: the field it is written in ("x.$"), for
 * messages. */
json_t *asl_eval_call(asl_ctx *c, const asl_call *call, json_t *input,
                      const char *field);
/* A JSON value as AWS prints it inside messages. */
char *asl_dump(const json_t *v);
/* The same, but a string is its bare text: AWS quotes a value that way
 * where its causes put it between their own quotes ("The MaxConcurrencyPath
 * field refers to value \"{}\" ...") or after "==" (Wait). */
char *asl_dump_bare(const json_t *v);

/* ---- state processing (state.c) */
json_t *asl_literal(const asl_ctx *c, int index);

/* ---- handlers (registry.c, lambda.c) */
typedef struct asl_handler {
	asl_handler_fn fn;
	void *user;
} asl_handler;
const asl_handler *asl_registry_find(const asl_registry *reg,
                                     const char *name);
void asl_register_builtins(asl_registry *reg);
/* A registry without the built-in handlers (--no-builtins); NULL when out
 * of memory. */
asl_registry *asl_registry_new_empty(void);
/* Whether s is a callback task (.waitForTaskToken) (callback.c). */
bool asl_is_callback(const asl_state *s);
/* Whether s is an activity task: its Resource an activity ARN,
 * arn:aws:states:REGION:ACCOUNT:activity:NAME (callback.c). */
bool asl_is_activity(const asl_state *s);
bool asl_is_activity_arn(const char *resource);
/* Before each attempt of a Task: a callback or activity task's new token
 * in c->task_token, none for another task. */
void asl_task_attempt(asl_ctx *c, const asl_state *s);
/* Run a Task's work: invoke its handler. */
int asl_invoke(asl_ctx *c, const asl_state *s, json_t *input,
               json_t **result);
/* The size of v's compact JSON text, or budget + 1 when over budget
 * (value.c). */
size_t asl_json_size(const json_t *v, size_t budget);
/* The whole lambda:invoke response for a lazy one (c->lazy.pending), a new
 * reference; clears c->lazy.pending. */
json_t *asl_whole_response(asl_ctx *c, json_t *lazy);
/* The function name in a FunctionName: "f", "acct:function:f",
 * "arn:...:function:f:alias".  Writes into buf. */
const char *asl_function_name(const char *function_name, char *buf,
                              size_t n);

/* ---- utilities */
/* Is s[0..n) UTF-8: no overlong form, no surrogate, nothing past
 * U+10FFFF?  (NUL bytes are UTF-8.)  (s3local.c) */
bool asl_utf8_valid(const char *s, size_t n);
/* s (malloc'd, taken) as UTF-8: s itself when it is, else a new string in
 * which each byte that does not begin a valid sequence is U+FFFD, as a
 * decoder that replaces does (s freed). */
char *asl_utf8_repair(char *s);
char *asl_strdup(const char *s);
char *asl_vsprintf(const char *fmt, va_list ap) ASL_PRINTF(1, 0);
char *asl_sprintf(const char *fmt, ...) ASL_PRINTF(1, 2);
void *asl_xmalloc(size_t n);
/* Out of memory: exit status ASL_EXIT_OOM at once (exec.c). */
#define ASL_EXIT_OOM 71
/* AWS's hard quota of events in a STANDARD execution's history, and the
 * cause of the States.Runtime that ends an execution reaching it. */
#define ASL_HISTORY_LIMIT 25000
#define ASL_HISTORY_FULL_CAUSE \
	"The execution reached the maximum number of history events (25000)."
void asl_oom(void) __attribute__((noreturn));
/* jansson allocates through the runtime's allocator, which stops the
 * program when memory runs out; and the test-only allocation-failure hook
 * (exec.c).  Before any JSON is built. */
void asl_alloc_init(void);
void asl_test_alloc_hook_end(void);

#endif /* ASL2C_INTERNAL_H */
