/*
 * json-parse.y - the grammar of a JSON definition.  Builds located jnodes.
 */
%define api.pure full
%define api.prefix {aslj_}
%define parse.error verbose
%locations
%expect 0

%code top {
#include "config.h"
}

%code requires {
#include "ast.h"
#include "json.h"
typedef void *yyscan_t;
}

%code provides {
int aslj_lex(ASLJ_STYPE *lval, ASLJ_LTYPE *lloc, yyscan_t scanner);
}

%param {yyscan_t scanner}
%parse-param {struct jlex *L} {jnode **result}

%union {
	jnode *node;
}

%code {
#include <stdlib.h>
#include <string.h>

static void aslj_error(ASLJ_LTYPE *loc, yyscan_t scanner, struct jlex *L,
                       jnode **result, const char *msg)
{
	(void)scanner;
	(void)result;
	diag_error(L->d, loc->first_line, loc->first_column,
	           L->error_code ? L->error_code : "INVALID_JSON_DESCRIPTION",
	           "%s", L->error ? L->error : msg);
}

/* jansson, which holds every JSON value at run time, cannot hold a key
 * with U+0000 in it: say so at compile time, where the key was written. */
static void check_key(struct jlex *L, const jnode *key)
{
	if (memchr(key->str, '\0', key->len))
		diag_error(L->d, key->line, key->col, "SCHEMA_VALIDATION_FAILED",
		           "object keys holding U+0000 are not supported");
}

/* A key written twice in one object is an error (as Jackson's
 * STRICT_DUPLICATE_DETECTION): sort the members by key, compare neighbours.
 * Members are one array, so their addresses give the order written. */
static int by_key(const void *a, const void *b)
{
	const jmember *x = *(const jmember *const *)a,
	              *y = *(const jmember *const *)b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void duplicates(struct jlex *L, const jnode *o)
{
	const jmember **ix;

	if (o->n < 2)
		return;
	ix = malloc(o->n * sizeof *ix);
	if (!ix)
		return;
	for (size_t i = 0; i < o->n; i++)
		ix[i] = &o->members[i];
	qsort(ix, o->n, sizeof *ix, by_key);
	for (size_t i = 1; i < o->n; i++) {
		const jmember *x = ix[i - 1], *y = ix[i];
		if (x->klen == y->klen && !memcmp(x->key, y->key, x->klen))
			diag_report(L->d, DIAG_ERROR, y->line, y->col, NULL,
			            "INVALID_JSON_DESCRIPTION", NULL,
			            "Duplicate field '%s'", y->key);
	}
	free(ix);
}
}

%token <node> STRING "string" NUMBER "number" TRUE "true" FALSE "false"
%token <node> NUL "null"
%token ASLJ_ERROR "invalid token"
%token END 0 "end of file"
%type <node> value object members array elements
%destructor { jnode_free($$); } <node>

%%

document: value                { *result = $1; }
        ;

value: object | array | STRING | NUMBER | TRUE | FALSE | NUL
     ;

object: '{' '}'                { $$ = jnode_new(J_OBJECT, @1.first_line, @1.first_column); }
      | '{' members '}'        { $$ = $2; $$->line = @1.first_line; $$->col = @1.first_column;
                                 duplicates(L, $$); }
      ;

members: STRING ':' value      { check_key(L, $1); $$ = jnode_new(J_OBJECT, 0, 0); jobject_add($$, $1, $3); }
       | members ',' STRING ':' value
                               { check_key(L, $3); $$ = $1; jobject_add($$, $3, $5); }
       ;

array: '[' ']'                 { $$ = jnode_new(J_ARRAY, @1.first_line, @1.first_column); }
     | '[' elements ']'        { $$ = $2; $$->line = @1.first_line; $$->col = @1.first_column; }
     ;

elements: value                { $$ = jnode_new(J_ARRAY, 0, 0); jarray_add($$, $1); }
        | elements ',' value   { $$ = $1; jarray_add($$, $3); }
        ;

%%
