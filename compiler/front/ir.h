/*
 * ir.h - paths, filters and intrinsic calls as the compiler parsed them.
 * The kinds are the runtime's (asl2c/program.h): the emitter writes these
 * structures out as the runtime's constant tables.
 */
#ifndef ASL2C_IR_H
#define ASL2C_IR_H

#include <asl2c/program.h>
#include <stdbool.h>

typedef struct ir_expr ir_expr;
typedef struct ir_call ir_call;

typedef struct ir_seg {
	int kind;            /* enum asl_seg_kind */
	bool deep;
	bool has_start, has_end;
	char *name;
	long long index, end, step;
	char **names;
	long long *indexes;
	unsigned count;
	ir_expr *filter;
} ir_seg;

typedef struct ir_path {
	int root;            /* enum asl_root */
	char *var;
	ir_seg *segs;
	unsigned n_segs;
	bool definite;
	char *text;          /* as written */
} ir_path;

struct ir_expr {
	int op;              /* enum asl_expr_op */
	ir_expr *a, *b;
	ir_path *path;
	char *lit;           /* X_LIT: JSON text */
	char *regex;
	bool icase;
};

typedef struct ir_arg {
	int kind;            /* ASL_V_LIT, ASL_V_PATH, ASL_V_CALL */
	char *lit;           /* JSON text */
	char *raw;           /* string literals: the text as written */
	ir_path *path;
	ir_call *call;
	int col;             /* offset in the expression, 1-based */
} ir_arg;

struct ir_call {
	int fn;              /* enum asl_fn, or -1 when unknown */
	char *name;
	ir_arg *args;
	unsigned n_args;
	char *text;
	int col;
};

/* What a path-or-call text parsed into. */
typedef struct ir_parse {
	const char *src;     /* the text parsed */
	ir_path *path;
	ir_call *call;
	char *error;         /* when parsing failed */
	int error_col;       /* 1-based offset of the error in the text */
	int unsupported;     /* the error: a number asl2c cannot hold (AWS
	                        accepts it: UNSUPPORTED, not a schema error) */
} ir_parse;

/* Parse text as a path or an intrinsic call. */
void ir_parse_text(const char *text, ir_parse *out);
/* The parses of texts, each text parsed once: the first time it is asked
 * for (the checks), and the same parse after (the lowering). */
typedef struct ir_memo ir_memo;
ir_memo *ir_memo_new(void);
void ir_memo_free(ir_memo *mm);
const ir_parse *ir_memo_parse(ir_memo *mm, const char *text);
void ir_path_free(ir_path *p);
void ir_call_free(ir_call *c);
void ir_expr_free(ir_expr *e);
/* Jayway's normal form of a path: $['a'][0][*] */
char *ir_path_norm(const ir_path *p);

/* Intrinsic functions: name, argument counts. */
typedef struct ir_fn_info {
	const char *name;
	int min_args, max_args; /* max -1: any */
} ir_fn_info;
const ir_fn_info *ir_fn(int fn);
int ir_fn_lookup(const char *name);

#endif
