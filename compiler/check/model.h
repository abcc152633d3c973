/*
 * model.h - the state machine as the compiler sees it: states, their
 * scopes (the machine, each Parallel branch, each Map processor), the
 * fields of every object of the definition by name (fields.h), the
 * parses of its paths and intrinsic calls, and the checks that reject
 * invalid definitions.
 *
 * The builder reads the field names; everything after it (the checks,
 * the lowering, the emitters) asks for a field by its enum asl_field, and
 * for the parse of a path or call by its text, parsed once (the first
 * time it is asked for, by the checks; the lowering reuses it).
 */
#ifndef ASL2C_MODEL_H
#define ASL2C_MODEL_H

#include "ast.h"
#include "diag.h"
#include "fields.h"
#include "ir.h"
#include "jsonata/jsonata.h"

#include <stdbool.h>

/* An object of the definition the builder collected (the machine, a
 * scope, a state, a Retrier, a Catcher, a Choice rule, Credentials,
 * ProcessorConfig, ItemReader and its ReaderConfig, ItemBatcher,
 * ResultWriter and its WriterConfig): each field's member (the first of
 * that name: its value, and where its key is written), NULL when absent. */
typedef struct mobj {
	const jnode *node;
	const jmember *f[FLD_COUNT];
} mobj;

typedef struct mstate {
	const char *name;
	const jmember *key;   /* where the name is written */
	const jnode *node;    /* the state's object */
	const mobj *obj;      /* its fields (NULL if it is not an object) */
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
	const mobj *top;      /* the machine's fields (NULL: not an object) */
	mstate *states;
	size_t n_states, cap_states;
	mscope *scopes;
	size_t n_scopes, cap_scopes;
	int *table;           /* hash of names: index + 1, 0 empty */
	size_t table_size;
	mobj **objs;          /* the objects, by node (open addressing) */
	size_t objs_size, n_objs;
	ir_memo *parsed;      /* the paths' and calls' parses */
	struct model_ata **ata; /* the JSONata expressions' parses, by id */
	size_t n_ata, cap_ata;
	unsigned *ata_table;  /* hash of their texts: index + 1, 0 empty */
	size_t ata_size;
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

/* The fields of obj, NULL when obj is not an object the builder
 * collected. */
const mobj *model_obj(const model *m, const jnode *obj);
/* The value of field f of o (NULL-safe), or NULL. */
const jnode *mobj_get(const mobj *o, enum asl_field f);
const jmember *mobj_member(const mobj *o, enum asl_field f);
/* mobj_get(model_obj(m, obj), f). */
const jnode *model_get(const model *m, const jnode *obj, enum asl_field f);
/* The parse of text (a path or an intrinsic call), parsed once. */
const ir_parse *model_parse(const model *m, const char *text);

/* A JSONata expression of the definition, parsed once (by the checks;
 * the lowering encodes what they parsed). */
typedef struct model_ata {
	unsigned id;             /* distinct texts numbered from 0, in the
	                            order they were first asked for */
	char *text;              /* the expression */
	asl_jsonata_expr *e;     /* NULL: it does not parse (err) */
	asl_jsonata_error err;
} model_ata;

/* Whether v is a JSONata string: it starts with "{%" and ends with "%}"
 * (NULL-safe). */
bool model_is_jsonata(const jnode *v);
/* The expression of the JSONata string v ("{% EXPR %}"), as AWS reads it: EXPR without the white space
 * around it (malloc'd; *lead, when given, the bytes of v before it).
 * NULL when v is no such string, or its expression is empty. */
char *model_jsonata_text(const jnode *v, size_t *lead);
/* The parse of the expression text, parsed once. */
const model_ata *model_jsonata(const model *m, const char *text);

/* Whether nothing in scope can wait or loop (only Pass, Succeed and Fail
 * states in a chain, and Parallel states of such branches): its branches
 * may run one after another. */
bool model_scope_instant(const model *m, int scope);
/* A Map state's processor: its ItemProcessor, else its Iterator (the
 * older name), or NULL; *field (when given) is the one found. */
const jnode *model_map_processor(const mobj *map, enum asl_field *field);
/* The scope whose object is node, or -1. */
int model_scope_of(const model *m, const jnode *node);

#endif
