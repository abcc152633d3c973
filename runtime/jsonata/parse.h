/*
 * parse.h - what the JSONata scanner and parser share.
 */
#ifndef ASL2C_JN_PARSE_H
#define ASL2C_JN_PARSE_H

#include "jn.h"

typedef struct jn_tok {
	const char *s;
	size_t len;
	double num;
	int pos;      /* just past the token, in characters */
	int flags;    /* regex flags */
	struct jn_sig *sig;  /* a parsed signature */
} jn_tok;

typedef struct jn_pstate {
	const char *src;
	size_t srclen;
	jn_arena *arena;
	asl_jsonata_error *err;
	jn_node *root;
	int offset;           /* bytes scanned */
	int fn_paren;         /* parentheses open in a function's header */
	bool fn_pending;      /* 'function' seen, its '(' not yet */
	bool sig_ok;          /* just closed a function's parameters */
	bool operand;         /* the last token ends an operand */
	bool failed;
	int prev_kind, cur_kind;
	const char *last_text;
	size_t last_len;
	struct jn_relist *regexes;
} jn_pstate;

struct jn_list { jn_node **v; int n, cap; jn_node **v2; bool *d; };
jn_node *jn_mk_binary(jn_pstate *ps, int op, jn_node *l, jn_node *r, int pos);
jn_node *jn_mk_tok(jn_pstate *ps, int type, jn_tok t);
jn_node *jn_mk_lambda(jn_pstate *ps, struct jn_list *params, jn_tok *sig,
		      jn_node *body, int pos);
jn_node *jn_node_new(jn_pstate *ps, int type, int pos);
void jn_lex_error(jn_pstate *ps, const char *code, int pos, const char *token);
int jn_chars(jn_pstate *ps, size_t byte_offset);   /* UTF-16 units before */
jn_node *jn_process(jn_pstate *ps, jn_node *n);

#endif
