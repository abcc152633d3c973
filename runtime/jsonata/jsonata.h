/*
 * jsonata.h - the JSONata 2.0.6 engine: parse an expression once, evaluate
 * it many times, from any number of threads at once.
 *
 * An expression (asl_jsonata_expr) is immutable once parsed.  Each
 * evaluation allocates from its own arena, freed when it returns, so
 * evaluations share nothing but the expression.  Input and bindings are
 * jansson values; so is the result.  Time ($now, $millis) comes from the
 * caller's clock and randomness ($random, $uuid, $shuffle) from the
 * caller's generator: the engine never reads the system clock for values.
 */
#ifndef ASL2C_JSONATA_H
#define ASL2C_JSONATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include <jansson.h>

typedef struct asl_jsonata_expr asl_jsonata_expr;

/* An error: jsonata-js's code (S0201, T2001, D3030, U1001, ...), its
 * message, and the position (characters from the start of the expression,
 * just past the offending token, as jsonata-js counts) or -1. */
typedef struct asl_jsonata_error {
	char code[8];
	char message[512];
	int position;
	char token[64];
} asl_jsonata_error;

/* The caller's services.  now_ms: milliseconds since the epoch, for $now()
 * and $millis() (one reading per evaluation, as jsonata-js).  next_random:
 * a uniform double in [0, 1) from a seeded generator.  NULL members: $now
 * and $millis are undefined, and a fixed-seed generator is used. */
typedef struct asl_jsonata_env {
	double (*now_ms)(void *ctx);
	double (*next_random)(void *ctx);
	void *ctx;
	/* A variable that neither the bindings nor the expression define:
	 * lookup(ctx, NAME) returns the value of $NAME (borrowed: it must
	 * outlive the evaluation) or NULL (undefined).  Called at most once
	 * per name by the evaluator, and before the built-in functions are
	 * looked up (a variable hides a function of its name, as a binding
	 * does); the shortcut (quick.c) may ask again, and the evaluator
	 * after it, so the same name must give the same value throughout an
	 * evaluation.  NULL: none. */
	json_t *(*lookup)(void *ctx, const char *name);
	/* $NAME.MEMBER where the caller has it without making $NAME (the
	 * shortcut's paths): *found and the value (borrowed; NULL:
	 * undefined), or !*found, and $NAME is looked up.  NULL: none. */
	json_t *(*lookup_member)(void *ctx, const char *name,
	                         const char *member, bool *found);
	int max_depth;       /* evaluation depth; 0: the default (10000) */
	long timelimit_ms;   /* wall-clock limit; 0: none */
	size_t max_memory;   /* arena bytes; 0: the default (1 GiB) */
	/* true: the engine evaluates every expression, none by quick.c's
	 * shortcut (the tests compare the two) */
	bool engine_only;
} asl_jsonata_env;

/* Parse EXPR (NUL-terminated UTF-8).  NULL on error, with *err filled. */
asl_jsonata_expr *asl_jsonata_parse(const char *expr, asl_jsonata_error *err);
void asl_jsonata_free(asl_jsonata_expr *e);

/* E's compiled form: the processed tree as text (runtime/jsonata/serial.c)
 * that asl_jsonata_load turns back into the same expression without
 * parsing it; the compiler writes it into the programs it generates.
 * malloc'd and NUL-terminated; *len bytes (a string literal of the
 * expression may put NUL bytes in it).  Memory running out ends the
 * process (strbuf.h's handler). */
char *asl_jsonata_encode(const asl_jsonata_expr *e, size_t *len);
/* The expression of FORM (LEN bytes), as asl_jsonata_encode of the same
 * version of asl2c wrote it.  NULL on error: U1020 for a malformed form,
 * U1010 when memory runs out.  Its shape is checked (counts, references,
 * node types, no loop); what it means is trusted to be what the compiler
 * wrote. */
asl_jsonata_expr *asl_jsonata_load(const char *form, size_t len,
				   asl_jsonata_error *err);
/* The names E reads at the top level, where Step Functions binds no input
 * (AWS refuses such an expression when the state machine is created):
 * FN(CTX, NAME, POSITION) for each path whose first step is a field name,
 * outside predicates, later path steps, lambdas and transforms; POSITION
 * as an error's (just past the name). */
void asl_jsonata_top_names(const asl_jsonata_expr *e,
			   void (*fn)(void *ctx, const char *name, int position),
			   void *ctx);

/* Evaluate against INPUT (NULL: undefined) with BINDINGS (a JSON object of
 * variable names without '$', or NULL).  Returns 0 and *result (a new
 * reference; NULL when the result is undefined), or -1 and *err. */
int asl_jsonata_eval(const asl_jsonata_expr *e, json_t *input,
		     json_t *bindings, const asl_jsonata_env *env,
		     json_t **result, asl_jsonata_error *err);
/* E evaluated by the shortcut alone that asl_jsonata_eval tries first
 * (runtime/jsonata/quick.c: literals, variables, paths of names over
 * scalars, arithmetic, comparisons, and/or/&, ?:, $not, $count): true and
 * *result (a new reference), or false where only the engine can evaluate
 * it.  For the tests, which compare the two. */
bool asl_jsonata_quick(const asl_jsonata_expr *e, json_t *input,
		       json_t *bindings, const asl_jsonata_env *env,
		       json_t **result);

/* Whether E may read the member MEMBER of the variable $VAR: false only
 * when every use of $VAR in E is a path whose next step is another
 * member's name ($states.input.x when MEMBER is "context").  Worked out
 * on the tree, conservatively: any other use of $VAR ($VAR alone, $VAR.*,
 * $keys($VAR), a predicate on it) may read every member. */
bool asl_jsonata_reads(const asl_jsonata_expr *e, const char *var,
		       const char *member);
/* The same for anything of $VAR.MEMBER but $VAR.MEMBER.SUB: false only
 * when every use of $VAR.MEMBER goes on with .SUB ($states.result.Payload.x
 * for MEMBER "result" and SUB "Payload"), and $VAR has no other use that
 * may read MEMBER. */
bool asl_jsonata_reads_beyond(const asl_jsonata_expr *e, const char *var,
			      const char *member, const char *sub);

/* When E is a variable or a path of names from one and nothing else ($VAR,
 * $VAR.a.b: no predicate, filter, sort, grouping, binding, [] or parent
 * step): the variable's name at *var and the names at *names, their count
 * returned (0 for $VAR alone); -1 otherwise.  Worked out once, when E is
 * parsed or loaded.  A caller that holds $VAR as JSON can resolve such a
 * path itself where JSONata would give the value found: objects all the
 * way, and a last value that is not an array (an array's singletons are
 * JSONata's own). */
int asl_jsonata_var_path(const asl_jsonata_expr *e, const char **var,
			 const char *const **names);

/* Write J as JSON to F, numbers as JavaScript prints them (shortest
 * round-trip digits).  PRETTY: two-space indentation.  0 or -1. */
int asl_jsonata_dumpf(json_t *j, int pretty, FILE *f);

/* A deterministic generator for asl_jsonata_env.next_random: splitmix64.
 * STATE points to a uint64_t seed. */
double asl_jsonata_splitmix(void *state);

#endif
