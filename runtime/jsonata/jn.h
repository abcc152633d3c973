/*
 * jn.h - the JSONata engine's internals: the syntax tree, values, the
 * arena and the evaluator's context.  Not installed.
 */
#ifndef ASL2C_JN_H
#define ASL2C_JN_H

#include "jsonata.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- the arena */
typedef struct jn_arena {
	struct jn_chunk *chunks;
	char *p, *end;
	size_t total, limit;
} jn_arena;

/* ------------------------------------------------------------- the AST */
enum {
	N_PATH = 1, N_NAME, N_STRING, N_NUMBER, N_VALUE, N_VAR, N_WILDCARD,
	N_DESCENDANT, N_PARENT, N_REGEX, N_BINARY, N_NEG, N_ARRAY, N_OBJECT,
	N_BLOCK, N_COND, N_BIND, N_CALL, N_PARTIAL, N_PLACEHOLDER, N_LAMBDA,
	N_APPLY, N_TRANSFORM, N_SORT,
	/* parse-only nodes, gone after processing */
	N_DOT, N_FILTER, N_GROUP, N_ORDER, N_FOCUS, N_INDEX
};
enum {
	OP_ADD = 1, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_EQ, OP_NE, OP_LT, OP_LE,
	OP_GT, OP_GE, OP_CONCAT, OP_AND, OP_OR, OP_IN, OP_RANGE
};

typedef struct jn_value jn_value;
typedef struct jn_node jn_node;

typedef struct jn_slot {  /* a parent (%) reference */
	char *label;
	int level, index;
} jn_slot;

typedef struct jn_stage {  /* a predicate or an index binding (#) */
	jn_node *expr;         /* NULL: an index binding */
	const char *index;
	int pos;
} jn_stage;

struct jn_node {
	int type, op, pos;
	double num;
	const char *str;       /* names, strings, variables, regex source */
	size_t len;
	jn_value *lit;         /* a string's or a number's value, built once
	                          at parse time (read-only, shared) */
	jn_node *lhs, *rhs, *then, *els;
	jn_node **items;       /* steps, arguments, expressions, params */
	int nitems;
	jn_node **keys, **vals; /* object constructor / group-by pairs */
	int npairs;
	bool *desc;             /* sort terms: descending */
	/* step annotations */
	jn_stage *stages; int nstages;   /* on a path step */
	jn_stage *preds; int npreds;     /* on any other expression */
	jn_node *group;                  /* an N_OBJECT applied as group-by */
	const char *focus, *index;
	jn_slot *ancestor;
	jn_slot **seeking; int nseeking;
	bool keep_array, keep_singleton, cons_array, tuple, thunk;
	bool plain;            /* a step that is a name or a variable alone */
	bool scope;            /* a block with a binding: it needs its frame */
	bool annotated;        /* jn_annotate has been here */
	const char *sig;       /* lambda signature text */
	struct jn_sig *sigp;
	void *regex;           /* pcre2_code */
	int regex_flags;
};

/* ------------------------------------------------------------- values */
enum { JV_NULL = 1, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ, JV_FUNC };
/* array flags */
#define JA_SEQ 1        /* a sequence (flattens, unwraps singletons) */
#define JA_KEEP 2       /* keep a singleton sequence as an array */
#define JA_CONS 4       /* built by an array constructor */
#define JA_TUPLES 8     /* a tuple stream */
#define JA_OUTER 16
#define JA_LAZY 32      /* an input container not yet converted: src holds it */

typedef struct jn_frame jn_frame;
typedef struct jn_ctx jn_ctx;
typedef jn_value *(*jn_native)(jn_ctx *c, jn_value **args, int nargs,
			       jn_value *input, int pos);

typedef struct jn_func {
	int kind;              /* FN_LAMBDA, FN_NATIVE, FN_PARTIAL, FN_REGEX, FN_THUNK */
	jn_node *node;         /* lambda / thunk call node */
	jn_frame *env;
	jn_value *input;
	jn_native native;
	const char *name;
	struct jn_sig *sig;
	jn_value *target;      /* partial: the function */
	jn_value **args; int nargs;  /* partial: bound arguments (NULL = placeholder) */
	int arity;
	bool lazy_args;        /* a native that takes input arrays unconverted */
	int agg;               /* JN_AGG_*: a numeric aggregate eval_call can fuse
	                          with a name step over an input array */
} jn_func;
enum { JN_AGG_SUM = 1, JN_AGG_MAX, JN_AGG_MIN, JN_AGG_AVERAGE };
enum { FN_LAMBDA = 1, FN_NATIVE, FN_PARTIAL, FN_REGEX, FN_THUNK };

typedef struct jn_tuple {
	jn_value *at;
	int n;
	const char **names;
	jn_value **vals;
} jn_tuple;

struct jn_value {
	uint8_t t, flags;
	json_t *src;          /* JA_LAZY: the jansson container; a number or a
	                         string read from the input: its jansson value
	                         (borrowed: the input outlives the evaluation) */
	union {
		bool b;
		double n;
		struct { const char *s; size_t len; } s;
		struct { jn_value **v; size_t n, cap; } a;
		struct { const char **k; size_t *kl; jn_value **v; size_t n, cap; } o;
		jn_func *f;
		struct { jn_tuple **v; size_t n, cap; } tu;
	} u;
};

/* ------------------------------------------------------------- evaluation */
struct jn_frame {
	jn_frame *parent;
	int n, cap;
	bool shared;
	const char **names;
	jn_value **vals;
};

struct jn_ctx {
	jn_arena arena;
	jmp_buf *jb;
	asl_jsonata_error *err;
	const asl_jsonata_env *env;
	int depth, max_depth;
	char *stack_base;
	size_t max_stack;
	long timelimit_ms;
	double start_ms;
	unsigned ticks;
	double now;            /* $now/$millis reading, NAN if none */
	uint64_t rng;          /* fallback generator state */
	jn_frame *root;
};

/* memcpy for possibly empty arrays (whose pointers may be NULL) */
#include <string.h>
static inline void jn_memcpy(void *d, const void *s, size_t n) { if (n) memcpy(d, s, n); }

/* jast.c: the arena */
void *jn_aalloc_slow(jn_arena *a, size_t n);
/* N zeroed bytes from arena A, or NULL past its limit. */
static inline void *jn_aalloc(jn_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (a->p && (size_t)(a->end - a->p) >= n) {
		void *r = a->p;
		a->p += n;
		memset(r, 0, n);
		return r;
	}
	return jn_aalloc_slow(a, n);
}
/* The same, not zeroed: for memory the caller writes in full. */
static inline void *jn_aalloc_raw(jn_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (a->p && (size_t)(a->end - a->p) >= n) {
		void *r = a->p;
		a->p += n;
		return r;
	}
	return jn_aalloc_slow(a, n);
}

/* jvalue.c */
void jn_arena_free(jn_arena *a);
char *jn_strdup(jn_ctx *c, const char *s, size_t n);
extern jn_value jn_null, jn_true, jn_false;
jn_value *jn_num(jn_ctx *c, double d);
jn_value *jn_str(jn_ctx *c, const char *s, size_t n);
jn_value *jn_strz(jn_ctx *c, const char *s);
jn_value *jn_arr(jn_ctx *c, size_t cap);
jn_value *jn_seq(jn_ctx *c, size_t cap);
void jn_push_grow(jn_ctx *c, jn_value *a, jn_value *v);
/* V appended to array A. */
static inline void jn_push(jn_ctx *c, jn_value *a, jn_value *v)
{
	if (a->u.a.n < a->u.a.cap) a->u.a.v[a->u.a.n++] = v;
	else jn_push_grow(c, a, v);
}
jn_value *jn_obj(jn_ctx *c, size_t cap);
void jn_set(jn_ctx *c, jn_value *o, const char *k, size_t kl, jn_value *v);
jn_value *jn_get(jn_ctx *c, jn_value *o, const char *k, size_t kl);
jn_value *jn_from_json(jn_ctx *c, json_t *j);
jn_value *jn_force_lazy(jn_ctx *c, jn_value *v);
/* A container's members, converted from the input on first use. */
static inline jn_value *jn_force(jn_ctx *c, jn_value *v)
{
	return v && (v->flags & JA_LAZY) ? jn_force_lazy(c, v) : v;
}
/* An array's members converted; an input object stays as it is (jn_get
 * looks its members up in jansson). */
static inline jn_value *jn_force_arr(jn_ctx *c, jn_value *v)
{
	return v && (v->flags & JA_LAZY) && v->t == JV_ARR ? jn_force_lazy(c, v) : v;
}
json_t *jn_to_json(jn_value *v);
void jn_fmt_num(double d, char *buf);
/* Whether ROOT is of a shape quick.c evaluates (worked out once, when an
 * expression is parsed or loaded). */
bool jn_quick_shape(const jn_node *root);
/* ROOT (of a quick shape) evaluated without the engine where it needs
 * nothing of it (quick.c): true with *result (a new reference); false
 * when the engine must evaluate it. */
bool jn_quick_eval(const jn_node *root, json_t *input, json_t *bindings,
                   const asl_jsonata_env *env, json_t **result);
bool jn_is_seq(jn_value *v);
bool jn_is_arr(jn_value *v);
bool jn_is_func(jn_value *v);
bool jn_is_int(jn_value *v);
bool jn_num_is_integer(double d);
bool jn_deep_equal(jn_ctx *c, jn_value *a, jn_value *b);
jn_value *jn_bool(bool b);
bool jn_truthy(jn_ctx *c, jn_value *v);    /* $boolean */

/* errors: longjmp out with jsonata-js's code */
_Noreturn void jn_throw(jn_ctx *c, const char *code, int pos,
			const char *token, jn_value *value, jn_value *value2);
void jn_set_error(asl_jsonata_error *e, const char *code, int pos,
		  const char *token, const char *value, const char *value2);

/* N zeroed bytes of the evaluation's arena; U1010 past its limit. */
static inline void *jn_alloc(jn_ctx *c, size_t n)
{
	void *p = jn_aalloc(&c->arena, n);
	if (!p) jn_throw(c, "U1010", -1, NULL, NULL, NULL);
	return p;
}
static inline void *jn_alloc_raw(jn_ctx *c, size_t n)
{
	void *p = jn_aalloc_raw(&c->arena, n);
	if (!p) jn_throw(c, "U1010", -1, NULL, NULL, NULL);
	return p;
}

/* string builder */
typedef struct jn_buf { char *p; size_t len, cap; jn_ctx *c; } jn_buf;
void jb_put(jn_buf *b, const char *s, size_t n);
void jb_putc(jn_buf *b, char ch);
void jn_stringify(jn_buf *b, jn_value *v, bool pretty, int indent, bool top);
jn_value *jn_string_of(jn_ctx *c, jn_value *v);   /* $string */

/* eval.c */
jn_value *jn_eval(jn_ctx *c, jn_node *n, jn_value *input, jn_frame *env);
jn_value *jn_apply(jn_ctx *c, jn_value *fn, jn_value **args, int nargs,
		   jn_value *input, int pos);
jn_frame *jn_frame_new(jn_ctx *c, jn_frame *parent);
void jn_bind(jn_ctx *c, jn_frame *f, const char *name, jn_value *v);
jn_value *jn_lookup(jn_frame *f, const char *name, bool *found);
int jn_arity(jn_value *fn);
jn_value *jn_append(jn_ctx *c, jn_value *a, jn_value *b);
jn_value *jn_regex_exec(jn_ctx *c, jn_value *re, const char *s, size_t len,
			size_t start, int pos);
void jn_sort(jn_ctx *c, jn_value **v, size_t n,
	     bool (*swap)(jn_ctx *, void *, jn_value *, jn_value *), void *ud);

/* functions.c */
jn_value *jn_builtin(jn_ctx *c, const char *name);
size_t jn_utf16_len(const char *s, size_t n);

/* parse: the bison parser and the post-parse processing */
struct jn_relist { void *code; struct jn_relist *next; };
jn_node *jn_parse(const char *src, jn_arena *a, asl_jsonata_error *err,
		  struct jn_relist **regexes);
/* PCRE2's options for a regex literal with FLAGS (1: i, 2: m). */
uint32_t jn_regex_options(int flags);

/* serial.c: the compiled form of a processed tree (asl_jsonata_encode,
 * asl_jsonata_load).  jn_decode returns NULL on a malformed form, or when
 * memory runs out (*oom). */
char *jn_encode(const jn_node *root, size_t *len);
jn_node *jn_decode(const char *form, size_t len, jn_arena *a,
		   struct jn_relist **regexes, bool *oom);

/* signatures: each parameter's accepted types, as parsed once */
typedef struct jn_param {
	char types[12];   /* symbols accepted: a b f l n o s m */
	char q;           /* 0, '?', '+' */
	bool context;     /* '-' */
	char sub;         /* array item type, 0 if none */
	bool is_array;
} jn_param;

struct jn_sig {
	jn_param *p;
	int n;
};

struct jn_sig *jn_sig_parse(jn_arena *a, const char *s, int pos,
			    asl_jsonata_error *err);
int jn_sig_nparams(struct jn_sig *s);
int jn_sig_arity(struct jn_sig *s);
jn_value **jn_sig_validate(jn_ctx *c, struct jn_sig *sig, jn_value **args,
			   int *nargs, jn_value *input, int pos, const char *name);

#endif
