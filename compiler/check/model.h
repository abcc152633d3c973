/*
 * model.h - the state machine as the compiler sees it: states, their
 * scopes (the machine, each Parallel branch, each Map processor) and the
 * checks that reject invalid definitions.
 */
#ifndef ASL2C_MODEL_H
#define ASL2C_MODEL_H

#include "ast.h"
#include "diag.h"
#include "ir.h"

#include <stdbool.h>

typedef struct mstate {
	const char *name;
	const jmember *key;   /* where the name is written */
	const jnode *node;    /* the state's object */
	int type;             /* enum asl_state_type, -1 if invalid */
	int scope;
	char *ident;          /* unique C identifier */
	int next;             /* index of Next, -1 */
	bool duplicate;       /* its name was used before */
	bool jsonata;         /* its QueryLanguage is JSONata */
} mstate;

typedef struct mscope {
	const jnode *node;    /* the object holding StartAt and States */
	int start;            /* index of the StartAt state, -1 */
	int owner;            /* the Map or Parallel state, -1 for the top */
	bool broken;          /* a transition could not be read: no
	                         reachability errors (they would cascade) */
} mscope;

typedef struct model {
	const jnode *root;
	mstate *states;
	size_t n_states, cap_states;
	mscope *scopes;
	size_t n_scopes, cap_scopes;
	int *table;           /* hash of names: index + 1, 0 empty */
	size_t table_size;
	diag *d;
	char *name;           /* the state machine's name */
} model;

/* Build and check the model of root.  Returns the number of errors. */
int model_build(model *m, const jnode *root, diag *d);
/* The same, for a machine of type EXPRESS when express is true
 * (CreateStateMachine's type; STANDARD otherwise). */
int model_build_type(model *m, const jnode *root, diag *d, bool express);
void model_free(model *m);
/* Index of the state called name, or -1. */
int model_find(const model *m, const char *name);
/* Index of the state called name in scope (names used twice included), or
 * -1. */
int model_find_in(const model *m, const char *name, int scope);

/* Whether nothing in scope can wait or loop (only Pass, Succeed and Fail
 * states in a chain, and Parallel states of such branches): its branches
 * may run one after another. */
bool model_scope_instant(const model *m, int scope);
/* A Map state's processor: its ItemProcessor, else its Iterator (the
 * older name), or NULL; *field (when given) names the one found. */
const jnode *model_map_processor(const jnode *map, const char **field);
/* The scope whose object is node, or -1. */
int model_scope_of(const model *m, const jnode *node);

#endif
