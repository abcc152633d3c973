/*
 * asl2c/program.h - the data a generated program hands to the runtime.
 *
 * asl2c parses every path, payload template, intrinsic call and Choice rule
 * of a definition when it compiles, and emits them as the constant tables
 * below.  The runtime executes these tables; it never parses a path at run
 * time.  Generated code holds these tables and the transitions; the runtime
 * holds the semantics.
 *
 * ASL2C_ABI (asl2c/lists.h) names the layout: a generated program refuses
 * to compile against a runtime header of another layout.  The enumerations
 * are made from the lists of asl2c/lists.h, which the compiler shares.
 */
#ifndef ASL2C_PROGRAM_H
#define ASL2C_PROGRAM_H

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

#include <asl2c/lists.h> /* ASL2C_ABI and the lists of names */

#define ASL_ENUM_(prefix, name) ASL_##prefix##name,

/* ------------------------------------------------------------------ paths */

#define ASL_ROOT_(n) ASL_ENUM_(ROOT_, n)
enum asl_root { ASL_ROOTS(ASL_ROOT_) };
#undef ASL_ROOT_

#define ASL_SEG_(n) ASL_ENUM_(SEG_, n)
enum asl_seg_kind { ASL_SEG_KINDS(ASL_SEG_) };
#undef ASL_SEG_

struct asl_expr;

typedef struct asl_seg {
	unsigned char kind;      /* enum asl_seg_kind */
	unsigned char deep;      /* preceded by "..": applies at every depth */
	unsigned char has_start; /* slice bounds given */
	unsigned char has_end;
	const char *name;        /* MEMBER */
	long long index;         /* INDEX; SLICE start */
	long long end;           /* SLICE end */
	long long step;          /* SLICE step (1 when absent) */
	const char *const *names;   /* NAMES */
	const long long *indexes;   /* INDEXES */
	unsigned count;             /* NAMES, INDEXES */
	const struct asl_expr *filter; /* FILTER */
} asl_seg;

typedef struct asl_path {
	const char *text;    /* as written in the definition */
	const char *norm;    /* Jayway's normal form, for messages: $['a'][0] */
	unsigned char root;  /* enum asl_root */
	unsigned char definite; /* selects at most one node */
	const char *var;     /* ROOT_VAR: the variable's name */
	const asl_seg *segs;
	unsigned n_segs;
} asl_path;

#define ASL_X_(n) ASL_ENUM_(X_, n)
enum asl_expr_op { ASL_EXPR_OPS(ASL_X_) };
#undef ASL_X_

typedef struct asl_expr {
	unsigned char op;
	const struct asl_expr *a, *b;
	const asl_path *path; /* X_PATH, X_EXISTS */
	int lit;              /* X_LIT: literal index */
	const char *regex;    /* X_MATCH */
	unsigned char icase;  /* X_MATCH /i */
} asl_expr;

/* ------------------------------------------- templates, intrinsic calls */

#define ASL_V_(n) ASL_ENUM_(V_, n)
enum asl_value_kind { ASL_VALUE_KINDS(ASL_V_) };
#undef ASL_V_

#define ASL_FN_(n, name, min, max) ASL_ENUM_(FN_, n)
enum asl_fn { ASL_FNS(ASL_FN_) ASL_FN_COUNT };
#undef ASL_FN_

struct asl_member;
struct asl_call;

typedef struct asl_value {
	unsigned char kind; /* enum asl_value_kind */
	int lit;            /* LIT: literal index; JSONATA: expression index */
	const asl_path *path;
	const struct asl_call *call;
	const struct asl_member *members; /* OBJECT */
	const struct asl_value *items;    /* ARRAY */
	unsigned count;
} asl_value;

typedef struct asl_member {
	const char *key;   /* the output key (".$" removed) */
	const char *field; /* the key as written, for messages */
	asl_value value;
} asl_member;

typedef struct asl_call {
	unsigned char fn;  /* enum asl_fn */
	const char *text;  /* the call as written */
	const asl_value *args;
	unsigned n_args;
} asl_call;

/* ------------------------------------------------------- Retry and Catch */

/* The predefined error names (States.ALL, States.Timeout, ...). */
#define ASL_ERROR_ENUM_(n, name) ASL_E_##n,
enum asl_error_name { ASL_ERROR_NAMES(ASL_ERROR_ENUM_) ASL_E_COUNT };
#undef ASL_ERROR_ENUM_

typedef struct asl_retrier {
	const char *const *errors;
	unsigned n_errors;
	double interval;   /* IntervalSeconds */
	double backoff;    /* BackoffRate */
	double max_delay;  /* MaxDelaySeconds, 0 = none */
	long max_attempts; /* MaxAttempts */
	unsigned char jitter_full;
} asl_retrier;

typedef struct asl_catcher {
	const char *const *errors;
	unsigned n_errors;
	const asl_path *result_path; /* NULL = $ */
	unsigned char result_null;   /* "ResultPath": null */
	const asl_value *assign;
	const asl_value *output;     /* JSONata: Output */
} asl_catcher;

/* ------------------------------------------------------------ Choice */

#define ASL_R_(n) ASL_ENUM_(R_, n)
#define ASL_T_(n) ASL_ENUM_(T_, n)
#define ASL_REL_(n) ASL_ENUM_(, n)
enum asl_rule_op { ASL_RULE_OPS(ASL_R_) };
enum asl_cmp_type { ASL_CMP_TYPES(ASL_T_) };
enum asl_rel { ASL_RELS(ASL_REL_) };
#undef ASL_R_
#undef ASL_T_
#undef ASL_REL_

typedef struct asl_rule {
	unsigned char op;    /* enum asl_rule_op */
	unsigned char type;  /* enum asl_cmp_type */
	unsigned char rel;   /* enum asl_rel */
	unsigned char flag;  /* Is*: the boolean operand */
	const char *op_name; /* the operator as written, e.g. "NumericEqualsPath" */
	const asl_path *variable;
	int lit;                 /* the operand, a literal index, or -1 */
	const asl_path *operand; /* the operand of a *Path operator */
	const struct asl_rule *rules; /* And, Or, Not */
	unsigned n_rules;
	const asl_value *assign;      /* top-level rules only */
	/* JSONata rules (top-level only): Condition (an expression, or a
	 * literal true/false) and Output; op, variable and lit unused. */
	const asl_value *condition;
	const asl_value *output;
} asl_rule;

/* ------------------------------------------------- Distributed Map I/O */

#define ASL_READ_(n, action) ASL_ENUM_(READ_, n)
#define ASL_INPUT_(n) ASL_ENUM_(INPUT_, n)
#define ASL_TRANSFORM_(n) ASL_ENUM_(TRANSFORM_, n)
enum asl_reader_resource { ASL_READER_RESOURCES(ASL_READ_) };
enum asl_input_type { ASL_INPUT_TYPES(ASL_INPUT_) };
enum asl_transformation { ASL_TRANSFORMATIONS(ASL_TRANSFORM_) };
#undef ASL_READ_
#undef ASL_INPUT_
#undef ASL_TRANSFORM_

/* ItemReader: where the items come from. */
typedef struct asl_item_reader {
	unsigned char resource;      /* enum asl_reader_resource */
	unsigned char input_type;    /* enum asl_input_type */
	unsigned char csv_given;     /* CSVHeaderLocation GIVEN */
	char csv_delimiter;          /* CSVDelimiter as a character */
	const char *const *csv_headers; /* CSVHeaders */
	unsigned n_csv_headers;
	const asl_value *parameters; /* Bucket, Key / Prefix */
	long max_items;              /* ReaderConfig.MaxItems; 0: all */
	const asl_path *max_items_path;
	const asl_value *max_items_jsonata; /* JSONata: MaxItems "{% %}" */
	const char *items_pointer;   /* ReaderConfig.ItemsPointer, or NULL */
	const char *manifest_type;   /* ReaderConfig.ManifestType, or NULL */
} asl_item_reader;

/* ResultWriter: where the child executions' results go. */
typedef struct asl_result_writer {
	const asl_value *parameters; /* Bucket, Prefix; NULL: WriterConfig only */
	unsigned char jsonl;         /* WriterConfig.OutputType JSONL */
	unsigned char transformation; /* enum asl_transformation */
} asl_result_writer;

/* -------------------------------------------------------------- states */

#define ASL_TYPE_(n, name, exec) ASL_ENUM_(, n)
#define ASL_RES_(n) ASL_ENUM_(RES_, n)
enum asl_state_type { ASL_STATE_TYPES(ASL_TYPE_) };
/* LAMBDA_INVOKE arn:aws:states:::lambda:invoke, LAMBDA_ARN
 * arn:aws:lambda:...:function:NAME, OTHER any other integration (a handler
 * by resource). */
enum asl_resource_kind { ASL_RESOURCE_KINDS(ASL_RES_) };
#undef ASL_TYPE_
#undef ASL_RES_

typedef struct asl_state {
	const char *name;
	unsigned char type; /* enum asl_state_type */

	/* Input and output processing.  A NULL path is the default "$";
	 * *_null is set when the field was JSON null. */
	const asl_path *input_path, *output_path, *result_path;
	unsigned char input_null, output_null, result_null;
	const asl_value *parameters;      /* Parameters; Map: ItemSelector */
	const asl_value *result_selector;
	const asl_value *assign;
	int result;                       /* Pass Result: literal index or -1 */

	const asl_retrier *retry;
	unsigned n_retry;
	const asl_catcher *catchers;
	unsigned n_catch;

	/* Task */
	const char *resource;
	unsigned char resource_kind; /* enum asl_resource_kind */
	const char *function;        /* ASL_RES_LAMBDA_ARN: the function */
	long timeout_seconds;        /* 0: none */
	const asl_path *timeout_path;
	long heartbeat_seconds;
	const asl_path *heartbeat_path;

	/* Map */
	const asl_path *items_path;
	int processor;               /* first state of the iteration */
	long max_concurrency;        /* 0: unbounded */
	const asl_path *max_concurrency_path;
	double tolerated_percentage; /* -1: not set */
	const asl_path *tolerated_percentage_path;
	long tolerated_count;        /* -1: not set */
	const asl_path *tolerated_count_path;
	long batch_max_items;        /* ItemBatcher; 0: not set */
	const asl_path *batch_max_items_path;
	long batch_max_bytes;
	const asl_path *batch_max_bytes_path;
	const asl_value *batch_input;
	unsigned char batched;       /* ItemBatcher present */

	/* Parallel: the first state of each branch */
	const int *branches;
	unsigned n_branches;
	/* No branch can wait or loop (Pass, Succeed and Fail states only):
	 * the branches run one after another on the state's thread. */
	unsigned char instant;

	/* Choice */
	const asl_rule *rules;
	unsigned n_rules;
	unsigned char has_default;

	/* Wait */
	long seconds;                /* -1: not set */
	const asl_path *seconds_path;
	const char *timestamp;
	const asl_path *timestamp_path;

	/* Fail */
	const char *error, *cause;
	const asl_value *error_path, *cause_path; /* a path or a call */

	/* Distributed Map (dmap.c, doc/distributed-map.md) */
	unsigned char distributed;   /* ProcessorConfig.Mode DISTRIBUTED */
	unsigned char express;       /* ProcessorConfig.ExecutionType EXPRESS */
	const char *label;           /* Label, or NULL */
	const struct asl_item_reader *item_reader;     /* or NULL */
	const struct asl_result_writer *result_writer; /* or NULL */

	/* JSONata (QueryLanguage "JSONata", at the top or on the state; see
	 * doc/jsonata.md).  In a JSONata state the JSONPath fields (paths,
	 * result_selector, result) are NULL; parameters holds Arguments (Task,
	 * Parallel) or ItemSelector (Map); assign, batch_input and the
	 * reader's and writer's parameters hold their JSONata values;
	 * error_path and cause_path hold Fail's Error and Cause when they are
	 * expressions (error and cause when they are literal strings).  A
	 * JSONata value is JSON whose "{% EXPR %}" strings are ASL_V_JSONATA
	 * leaves.  A numeric field (or Wait's Timestamp) written as an
	 * expression is in its *_jsonata member; written as a number it is in
	 * the member JSONPath states use. */
	unsigned char jsonata;
	const asl_value *output;            /* Output */
	const asl_value *items;             /* Map: Items */
	const asl_value *timeout_jsonata, *heartbeat_jsonata;
	const asl_value *max_concurrency_jsonata;
	const asl_value *tolerated_percentage_jsonata;
	const asl_value *tolerated_count_jsonata;
	const asl_value *batch_max_items_jsonata, *batch_max_bytes_jsonata;
	const asl_value *seconds_jsonata, *timestamp_jsonata;
} asl_state;

/* --------------------------------------------------------------- program */

typedef struct asl_ctx asl_ctx;

/* A state function: runs one state on *io (owned reference in, owned
 * reference out) and returns the index of the next state, ASL_END or
 * ASL_FAILED. */
typedef int (*asl_state_fn)(asl_ctx *c, json_t **io);

enum {
	ASL_END = -1,   /* the execution (or branch, or iteration) succeeded */
	ASL_FAILED = -2 /* it failed: the error is in the context */
};

/* What the runtime's state executors return. */
enum {
	ASL_ERROR = -1, /* the state failed and no catcher matched */
	ASL_OK = 0      /* the state succeeded */
};
#define ASL_CATCH(k) (1 + (k)) /* the state failed; catcher k matched */

/* A JSONata expression ("{% EXPR %}" in a field of a JSONata state): EXPR
 * as written, for messages, and its compiled form (asl_jsonata_encode),
 * which the program reads back once when it starts, never parsing it. */
typedef struct asl_jsonata_src {
	const char *text;
	const char *form;
	unsigned long form_len;
} asl_jsonata_src;

typedef struct asl_program {
	unsigned abi;               /* ASL2C_ABI */
	const char *name;           /* the state machine's name */
	const char *const *literals; /* JSON texts, parsed once at start */
	unsigned n_literals;
	const asl_state_fn *states;
	const asl_state *const *descs;
	unsigned n_states;
	int start;
	long timeout_seconds;        /* 0: none */
	/* No path reads the context object ($$): the runtime need not read
	 * the clock when a state is entered. */
	unsigned char context_unused;
	const asl_jsonata_src *jsonata; /* the JSONata expressions */
	unsigned n_jsonata;
	/* Every state machine compiled into the program (asl2c A.json B.json
	 * ...: the first is the entry point), this one among them, which
	 * states:startExecution tasks start by name; NULL: this one only. */
	const struct asl_program *const *machines;
	unsigned n_machines;
} asl_program;

/* The state executors generated code calls. */
int asl_task(asl_ctx *c, const asl_state *s, json_t **io);
int asl_pass(asl_ctx *c, const asl_state *s, json_t **io);
int asl_wait(asl_ctx *c, const asl_state *s, json_t **io);
int asl_succeed(asl_ctx *c, const asl_state *s, json_t **io);
int asl_fail_state(asl_ctx *c, const asl_state *s, json_t **io);
int asl_parallel(asl_ctx *c, const asl_state *s, json_t **io);
int asl_map(asl_ctx *c, const asl_state *s, json_t **io);
/* Returns the index of the first matching rule, n_rules for Default, or
 * ASL_ERROR. */
int asl_choice(asl_ctx *c, const asl_state *s, json_t **io);

#ifdef __cplusplus
}
#endif
#endif /* ASL2C_PROGRAM_H */
