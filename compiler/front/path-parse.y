/*
 * path-parse.y - JSONPath (as AWS Step Functions reads it: Jayway) and
 * intrinsic function calls.  One grammar for every path of a definition:
 * InputPath, OutputPath, ResultPath, "x.$" values, Choice variables,
 * intrinsic arguments.  Parsed once, when compiling.
 */
%define api.pure full
%define api.prefix {aslp_}
%define api.location.type {ploc}
%define parse.error verbose
%locations
%expect 0

%code top {
#include "config.h"
}

%code requires {
#include "ir-build.h"
typedef void *yyscan_t;
struct plex {
	const char *src;
	size_t len, pos;
	int col;
	int byte;       /* offset of the next token in src */
};
/* Locations also hold byte offsets, so a path or call inside a call keeps
 * its own text (for messages). */
typedef struct ploc {
	int first_line, first_column, last_line, last_column;
	int first_byte, last_byte;
} ploc;
}

%code provides {
int aslp_lex(ASLP_STYPE *lval, ASLP_LTYPE *lloc, yyscan_t scanner);
}

%param {yyscan_t scanner}
%parse-param {ir_parse *out}

%union {
	char *str;
	ir_path *path;
	ir_seg *seg;
	ir_expr *expr;
	ir_call *call;
	ir_arg *arg;
}

%code {
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void aslp_error(ASLP_LTYPE *loc, yyscan_t scanner, ir_parse *o,
                       const char *msg)
{
	(void)scanner;
	if (!o->error) {
		o->error = xstrdup(msg);
		o->error_col = loc->first_column;
	}
}


enum { QUOTE_NAME, QUOTE_JSON, QUOTE_INTRINSIC };

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                       \
	do {                                                              \
		if (N) {                                                  \
			(Cur) = YYRHSLOC(Rhs, 1);                         \
			(Cur).last_line = YYRHSLOC(Rhs, N).last_line;     \
			(Cur).last_column = YYRHSLOC(Rhs, N).last_column; \
			(Cur).last_byte = YYRHSLOC(Rhs, N).last_byte;     \
		} else {                                                  \
			(Cur) = YYRHSLOC(Rhs, 0);                         \
			(Cur).first_line = (Cur).last_line;               \
			(Cur).first_column = (Cur).last_column;           \
			(Cur).first_byte = (Cur).last_byte;               \
		}                                                         \
	} while (0)

/* The text of a located piece of the expression. */
#define SPAN(loc) xstrndup(out->src + (loc).first_byte,                   \
                           (size_t)((loc).last_byte - (loc).first_byte))
#define FAIL(loc, msg) do { aslp_error(&(loc), scanner, out, (msg)); YYERROR; } while (0)
/* A number the runtime could not hold (num_unholdable): the text is freed
 * and the parse fails, reported as UNSUPPORTED. */
#define HOLDABLE(loc, text) do {                                            \
		const char *why_ = num_unholdable(text);                  \
		if (why_) {                                               \
			char *m_ = xasprintf("the number %s cannot be held: " \
			                     "%s", (text), why_);             \
			free(text);                                       \
			if (!out->error)                                  \
				out->unsupported = 1;                     \
			aslp_error(&(loc), scanner, out, m_);             \
			free(m_);                                         \
			YYERROR;                                          \
		}                                                         \
	} while (0)
}

%token CONTEXT "$$" ROOT "$" CURRENT "@" DEEPSTAR "..*" DEEP ".."
%token DOTSTAR ".*" TRUE "true" FALSE "false" NUL "null" IN "in" NIN "nin"
%token EQ "==" NE "!=" LE "<=" GE ">=" LT "<" GT ">" AND "&&" OR "||"
%token MATCH "=~" PATH_ERROR "invalid character"
%token END 0 "end of expression"
%token <str> VAR "variable" DEEPNAME "..name" DOTNAME ".name"
%token <str> FUNC "intrinsic function" INT "integer" NUMBER "number"
%token <str> STRING "string" REGEXP "regular expression"

%type <path> path relpath segs
%type <seg> seg bracket sel strlist intlist slice
%type <expr> expr operand pathop
%type <call> call args
%type <arg> arg
%type <str> optint lit litlist

%destructor { free($$); } <str>
%destructor { ir_path_free($$); } <path>
%destructor { ir_seg_free($$); } <seg>
%destructor { ir_expr_free($$); } <expr>
%destructor { ir_call_free($$); } <call>
%destructor { if ($$) { free($$->lit); free($$->raw); ir_path_free($$->path); ir_call_free($$->call); free($$); } } <arg>

%left OR
%left AND
%precedence '!'

%%

top: path                 { out->path = $1; }
   | call                 { out->call = $1; }
   ;

path: ROOT segs           { $$ = $2; $$->root = ASL_ROOT_INPUT; }
    | CONTEXT segs        { $$ = $2; $$->root = ASL_ROOT_CONTEXT; }
    | VAR segs            { $$ = $2; $$->root = ASL_ROOT_VAR; $$->var = $1; }
    ;

relpath: CURRENT segs     { $$ = $2; $$->root = ASL_ROOT_CURRENT; }
       ;

segs: %empty              { $$ = ir_new_path(ASL_ROOT_INPUT, NULL); }
    | segs seg            { $$ = $1; ir_path_add($$, $2); }
    ;

seg: DOTNAME              { $$ = ir_new_seg(ASL_SEG_MEMBER); $$->name = $1; }
   | DOTSTAR              { $$ = ir_new_seg(ASL_SEG_WILDCARD); }
   | DEEPNAME             { $$ = ir_new_seg(ASL_SEG_MEMBER); $$->name = $1; $$->deep = true; }
   | DEEPSTAR             { $$ = ir_new_seg(ASL_SEG_WILDCARD); $$->deep = true; }
   | DEEP bracket         { $$ = $2; $$->deep = true; }
   | bracket              { $$ = $1; }
   ;

bracket: '[' sel ']'      { $$ = $2; }
       ;

sel: '*'                  { $$ = ir_new_seg(ASL_SEG_WILDCARD); }
   | STRING               {
		const char *err = NULL;
		$$ = ir_new_seg(ASL_SEG_MEMBER);
		$$->name = ir_quote_string($1, QUOTE_NAME, NULL, &err);
		free($1);
		if (err) { ir_seg_free($$); $$ = NULL; FAIL(@1, err); }
	}
   | INT                  {
		HOLDABLE(@1, $1);
		$$ = ir_new_seg(ASL_SEG_INDEX);
		$$->index = strtoll($1, NULL, 10);
		free($1);
	}
   | strlist              { $$ = $1; }
   | intlist              { $$ = $1; }
   | slice                { $$ = $1; }
   | '?' '(' expr ')'     { $$ = ir_new_seg(ASL_SEG_FILTER); $$->filter = $3; }
   ;

strlist: STRING ',' STRING {
		const char *e1 = NULL, *e2 = NULL;
		$$ = ir_new_seg(ASL_SEG_NAMES);
		$$->names = xcalloc(2, sizeof *$$->names);
		$$->names[0] = ir_quote_string($1, QUOTE_NAME, NULL, &e1);
		$$->names[1] = ir_quote_string($3, QUOTE_NAME, NULL, &e2);
		$$->count = 2;
		free($1);
		free($3);
		if (e1 || e2) { ir_seg_free($$); $$ = NULL; FAIL(@1, e1 ? e1 : e2); }
	}
       | strlist ',' STRING {
		const char *e = NULL;
		$$ = $1;
		$$->names = xrealloc($$->names, ($$->count + 1) * sizeof *$$->names);
		$$->names[$$->count++] = ir_quote_string($3, QUOTE_NAME, NULL, &e);
		free($3);
		if (e) FAIL(@3, e);
	}
       ;

intlist: INT ',' INT      {
		if (num_unholdable($1)) { free($3); HOLDABLE(@1, $1); }
		if (num_unholdable($3)) { free($1); HOLDABLE(@3, $3); }
		$$ = ir_new_seg(ASL_SEG_INDEXES);
		$$->indexes = xcalloc(2, sizeof *$$->indexes);
		$$->indexes[0] = strtoll($1, NULL, 10);
		$$->indexes[1] = strtoll($3, NULL, 10);
		$$->count = 2;
		free($1);
		free($3);
	}
       | intlist ',' INT  {
		if (num_unholdable($3)) { ir_seg_free($1); HOLDABLE(@3, $3); }
		$$ = $1;
		$$->indexes = xrealloc($$->indexes, ($$->count + 1) * sizeof *$$->indexes);
		$$->indexes[$$->count++] = strtoll($3, NULL, 10);
		free($3);
	}
       ;

optint: %empty            { $$ = NULL; }
      | INT               { HOLDABLE(@1, $1); $$ = $1; }
      ;

slice: optint ':' optint  {
		$$ = ir_new_seg(ASL_SEG_SLICE);
		$$->has_start = $1 != NULL;
		$$->has_end = $3 != NULL;
		$$->index = $1 ? strtoll($1, NULL, 10) : 0;
		$$->end = $3 ? strtoll($3, NULL, 10) : 0;
		$$->step = 1;
		free($1);
		free($3);
	}
     | optint ':' optint ':' optint {
		$$ = ir_new_seg(ASL_SEG_SLICE);
		$$->has_start = $1 != NULL;
		$$->has_end = $3 != NULL;
		$$->index = $1 ? strtoll($1, NULL, 10) : 0;
		$$->end = $3 ? strtoll($3, NULL, 10) : 0;
		$$->step = $5 ? strtoll($5, NULL, 10) : 1;
		free($1);
		free($3);
		free($5);
		if ($$->step <= 0) { ir_seg_free($$); $$ = NULL; FAIL(@5, "a slice's step must be positive"); }
	}
     ;

expr: expr OR expr        { $$ = ir_new_expr(ASL_X_OR, $1, $3); }
    | expr AND expr       { $$ = ir_new_expr(ASL_X_AND, $1, $3); }
    | '!' expr            { $$ = ir_new_expr(ASL_X_NOT, $2, NULL); }
    | '(' expr ')'        { $$ = $2; }
    | pathop              { $$ = ir_new_expr(ASL_X_EXISTS, $1, NULL); }
    | operand EQ operand  { $$ = ir_new_expr(ASL_X_EQ, $1, $3); }
    | operand NE operand  { $$ = ir_new_expr(ASL_X_NE, $1, $3); }
    | operand LT operand  { $$ = ir_new_expr(ASL_X_LT, $1, $3); }
    | operand LE operand  { $$ = ir_new_expr(ASL_X_LE, $1, $3); }
    | operand GT operand  { $$ = ir_new_expr(ASL_X_GT, $1, $3); }
    | operand GE operand  { $$ = ir_new_expr(ASL_X_GE, $1, $3); }
    | operand IN operand  { $$ = ir_new_expr(ASL_X_IN, $1, $3); }
    | operand NIN operand { $$ = ir_new_expr(ASL_X_NIN, $1, $3); }
    | operand MATCH REGEXP {
		char *r = $3, *end = strrchr(r, '/');
		$$ = ir_new_expr(ASL_X_MATCH, $1, NULL);
		$$->icase = end[1] == 'i';
		$$->regex = xstrndup(r + 1, (size_t)(end - r - 1));
		free(r);
	}
    ;

pathop: relpath           { $$ = ir_new_expr(ASL_X_PATH, NULL, NULL); $$->path = $1; }
      | path              { $$ = ir_new_expr(ASL_X_PATH, NULL, NULL); $$->path = $1; }
      ;

operand: pathop           { $$ = $1; }
       | lit              { $$ = ir_lit_expr($1); }
       | '[' ']'          { $$ = ir_lit_expr(xstrdup("[]")); }
       | '[' litlist ']'  { $$ = ir_lit_expr(xasprintf("[%s]", $2)); free($2); }
       ;

/* A literal of a filter, as JSON text. */
lit: STRING               {
		const char *err = NULL;
		$$ = ir_quote_string($1, QUOTE_JSON, NULL, &err);
		free($1);
		if (err) { free($$); $$ = NULL; FAIL(@1, err); }
	}
   | INT                  { HOLDABLE(@1, $1); $$ = $1; }
   | NUMBER               { HOLDABLE(@1, $1); $$ = $1; }
   | TRUE                 { $$ = xstrdup("true"); }
   | FALSE                { $$ = xstrdup("false"); }
   | NUL                  { $$ = xstrdup("null"); }
   ;

/* The items of a literal list (@.x in ['a', 'b']), as JSON text. */
litlist: lit              { $$ = $1; }
       | litlist ',' lit  { $$ = xasprintf("%s,%s", $1, $3); free($1); free($3); }
       ;

call: FUNC '(' ')'        { $$ = ir_new_call($1, @1.first_column); }
    | args ')'            { $$ = $1; }
    ;

args: FUNC '(' arg        { $$ = ir_new_call($1, @1.first_column); ir_call_add($$, $3); }
    | args ',' arg        { $$ = $1; ir_call_add($$, $3); }
    ;

arg: STRING               {
		const char *err = NULL;
		$$ = ir_new_arg(ASL_V_LIT, @1.first_column);
		if ($1[0] != '\'') {
			free($1);
			free($$);
			$$ = NULL;
			FAIL(@1, "string arguments of intrinsic functions are written in single quotes");
		}
		$$->lit = ir_quote_string($1, QUOTE_INTRINSIC, &$$->raw, &err);
		free($1);
		if (err) {
			/* YYERROR pops without destructors: $$ is ours to free. */
			free($$->lit);
			free($$->raw);
			free($$);
			$$ = NULL;
			FAIL(@1, err);
		}
	}
   | INT                  { HOLDABLE(@1, $1); $$ = ir_new_arg(ASL_V_LIT, @1.first_column); $$->lit = $1; }
   | NUMBER               { HOLDABLE(@1, $1); $$ = ir_new_arg(ASL_V_LIT, @1.first_column); $$->lit = $1; }
   | TRUE                 { $$ = ir_new_arg(ASL_V_LIT, @1.first_column); $$->lit = xstrdup("true"); }
   | FALSE                { $$ = ir_new_arg(ASL_V_LIT, @1.first_column); $$->lit = xstrdup("false"); }
   | NUL                  { $$ = ir_new_arg(ASL_V_LIT, @1.first_column); $$->lit = xstrdup("null"); }
   | path                 { $$ = ir_new_arg(ASL_V_PATH, @1.first_column); $$->path = $1; $1->text = SPAN(@1); }
   | call                 { $$ = ir_new_arg(ASL_V_CALL, @1.first_column); $$->call = $1; $1->text = SPAN(@1); }
   ;

%%
