/*
 * lower.h - the one lowering from what the compiler parsed to the
 * runtime's tables (asl2c/program.h), in memory.  The C emitter prints
 * what it produces; the unit tests and the fuzzers run it.
 *
 * Every table a lowering builds lives until lower_free(); literals are
 * JSON texts, numbered in the order the lowering meets them (the index an
 * asl_value, asl_expr or asl_rule holds).
 */
#ifndef ASL2C_LOWER_H
#define ASL2C_LOWER_H

#include "ast.h"
#include "ir.h"

#include <asl2c/program.h>
#include <stdbool.h>

struct model;

typedef struct lowering {
	void **blocks;       /* every allocation */
	size_t n_blocks, cap_blocks;
	char **lits;         /* the literal table: JSON texts */
	unsigned n_lits, cap_lits;
	bool failed;         /* a dynamic value did not parse, or a call is
	                        unknown or has the wrong number of arguments
	                        (never after the checks passed) */
	const struct model *m; /* the model lowered (its fields, its parses),
	                          NULL for a template lowered alone */
	ir_memo *own_memo;   /* the parses of a lowering without a model */
	/* The JSONata expressions (asl_program.jsonata): each distinct text
	 * once, with the compiled form of the checks' parse; text and form
	 * owned by the lowering.  ata_index: by model_ata id, the table's
	 * index + 1 (0: not in it yet). */
	asl_jsonata_src *ata;
	unsigned n_ata, cap_ata;
	unsigned *ata_index;
	size_t n_ata_index;
} lowering;

void lower_init(lowering *l);
void lower_free(lowering *l);

asl_path *lower_path(lowering *l, const ir_path *p);
asl_expr *lower_expr(lowering *l, const ir_expr *x);
/* NULL (and l->failed) for an unknown function or a wrong argument
 * count. */
asl_call *lower_call(lowering *l, const ir_call *c);
/* A payload template (Parameters, ResultSelector, ItemSelector, Assign,
 * ...): "x.$" members hold paths or calls.  A dynamic value that does not
 * parse is the literal -1, and l->failed is set. */
asl_value *lower_template(lowering *l, const jnode *v);

/* A JSONata value (the fields of a JSONata state): JSON whose "{% EXPR %}"
 * strings, at any depth, are ASL_V_JSONATA leaves (their index in l->ata),
 * anything else literal; keys as written.  NULL when v is NULL.  Needs
 * the model (l->m) that checked v: l->failed without it, or when an
 * expression does not parse (never after the checks passed). */
asl_value *lower_jsonata(lowering *l, const jnode *v);

/* A state as the emitter prints it: the runtime's descriptor, its
 * transitions, and what the descriptor cannot show (the numbers as the
 * definition writes them, which fields were given). */
typedef struct lw_state {
	asl_state d;
	int next;                 /* the state index of Next, -1: the end */
	int *catch_next;          /* per catcher */
	int *rule_next;           /* Choice: per rule */
	int default_next;         /* Choice: Default, -1 */
	/* Per retrier: IntervalSeconds, BackoffRate, MaxDelaySeconds,
	 * MaxAttempts as written (or their defaults). */
	const char *(*retry_text)[4];
	const char *tolerated_percentage_text;
	bool reader_config;       /* ItemReader's ReaderConfig given */
	bool reader_input_type;   /* its InputType given */
} lw_state;

typedef struct lw_program {
	lowering l;
	lw_state *states;         /* the model's states, in order */
	size_t n_states;
	int start;
	const char *timeout_text; /* the machine's TimeoutSeconds, "0" */
} lw_program;

/* Lower a checked model. */
void lower_program(lw_program *p, const struct model *m);
void lower_program_free(lw_program *p);

#endif
