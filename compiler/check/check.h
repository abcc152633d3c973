/*
 * check.h - the checks of a definition, as AWS makes them at
 * CreateStateMachine (doc/diagnostics.md), shared by check*.c and
 * model.c.  Private to the compiler.
 *
 *     check.c         reporting: positions and AWS locations
 *     check_expr.c    paths, payload templates, intrinsic calls,
 *                     timestamps, JSONata expressions, warnings
 *     check_state.c   the fields of each state type, Retry and Catch,
 *                     Map and Parallel
 *     check_choice.c  Choice rules
 */
#ifndef ASL2C_CHECK_H
#define ASL2C_CHECK_H

#include "model.h"

#include <stdbool.h>

/* Where a value sits in the definition: its parent and its key/index. */
typedef struct ck_link {
	const jnode *node;
	const jnode *parent;
	size_t index;            /* member or item of parent */
} ck_link;

typedef struct checker {
	model *m;
	diag *d;
	bool jsonata;            /* the machine's QueryLanguage is JSONata */
	bool express;            /* --type=EXPRESS */
	unsigned states_ok;      /* the $states members the JSONata field being
	                            checked may read: ST_RESULT, ST_ERROR */
	bool json_errors;        /* the JSON reader complained (duplicates) */
	ck_link *links;          /* node -> parent, built when first needed */
	size_t links_size;
	/* Map labels seen, for DUPLICATE_LABEL_NAME. */
	const jnode **labels;
	size_t n_labels;
} checker;

/* $states.result (Task, Map, Parallel: their own Output and Assign) and
 * $states.errorOutput (a Catcher's Output and Assign). */
enum { ST_RESULT = 1, ST_ERROR = 2 };

/* ------------------------------------------------------------ check.c */

/* AWS's location of v ("/States/A/Next"), malloc'd. */
char *ck_location(checker *c, const jnode *v);
/* Error at value v (col_offset characters into it). */
void ck_error(checker *c, const jnode *v, const char *code, const char *fmt,
              ...) PRINTF_LIKE(4, 5);
void ck_error_col(checker *c, const jnode *v, int col_offset,
                  const char *code, const char *fmt, ...) PRINTF_LIKE(5, 6);
/* Error at the key of member mb of obj (location: the member). */
void ck_error_key(checker *c, const jmember *mb, const char *code,
                  const char *fmt, ...) PRINTF_LIKE(4, 5);
/* Error about obj as a whole (a missing field): at the key naming obj
 * when there is one. */
void ck_error_obj(checker *c, const jnode *obj, const char *code,
                  const char *fmt, ...) PRINTF_LIKE(4, 5);
void ck_warning(checker *c, const jnode *v, const char *flag,
                const char *code, const char *fmt, ...) PRINTF_LIKE(5, 6);
void ck_warning_col(checker *c, const jnode *v, int col_offset,
                    const char *flag, const char *code, const char *fmt,
                    ...) PRINTF_LIKE(6, 7);
/* Every JSON number of the definition the runtime can hold (64-bit
 * integers, finite doubles): UNSUPPORTED otherwise, unless the number's
 * own field reported it already (a range check). */
void ck_numbers(checker *c, const jnode *v);
/* The member of obj holding v, or NULL. */
const jmember *ck_member_of(const jnode *obj, const jnode *v);
void ck_free(checker *c);

/* ------------------------------------------------------- check_expr.c */

enum path_kind {
	PK_PATH,       /* InputPath, OutputPath: any JSONPath */
	PK_REFERENCE,  /* ItemsPath, SecondsPath, Variable, ...: no .., no
	                  regular expressions */
	PK_RESULT      /* ResultPath: a definite reference into the input */
};

bool ck_path(checker *c, const jnode *v, const char *field, int kind);
/* A payload template (Parameters, ResultSelector, ItemSelector, ...). */
void ck_template(checker *c, const jnode *v);
/* Pass's Result: static, warns about paths in it. */
void ck_static_result(checker *c, const jnode *v);
/* Assign: variable names and a template (JSONPath) or JSONata values. */
void ck_assign(checker *c, const jnode *v, bool jsonata);
/* Fail's ErrorPath/CausePath: a Reference Path or a string-valued
 * intrinsic call. */
void ck_string_expr(checker *c, const jnode *v, const char *field);
/* Every string of v: "{% ... %}" expressions well-formed. */
void ck_jsonata(checker *c, const jnode *v, const char *field);
bool ck_is_jsonata(const jnode *v);
/* RFC 3339 date-time, as AWS accepts it. */
bool ck_rfc3339(const char *s);
/* A string that a user meant as a path or an intrinsic call. */
bool ck_looks_like_path(const char *s);
/* Valid variable name (Assign keys). */
bool ck_variable_name(const char *s, size_t len);

/* ------------------------------------------------------ check_state.c */

/* Check the fields of state i (its type is valid). */
void ck_state(checker *c, int i);
void ck_top(checker *c);
/* The state's query language is JSONata. */
bool ck_state_jsonata(checker *c, const mobj *state);
/* Report an unsupported field of obj; known lists the accepted ones (up
 * to FLD_COUNT). */
void ck_fields(checker *c, const jnode *obj, const enum asl_field *known,
               const char *what);
/* A transition (Next, Default, Catch Next) of state s. */
void ck_transition(checker *c, const mstate *s, const jnode *v,
                   const char *field);

/* The resources AWS recognises for a Task. */
bool ck_resource(const char *arn);
/* The error for a state whose Type is missing or unknown. */
void ck_bad_type(checker *c, const jnode *state);

/* ----------------------------------------------------- check_choice.c */

void ck_choice(checker *c, int i, bool jsonata);

#endif
