/* parse.y - the JSONata grammar: operator precedence as jsonata-js's
 * binding powers give it; a pure parser, its state in a jn_pstate. */
%define api.pure full
%define api.prefix {jn_yy}
%define parse.error custom
%define parse.lac full
%param {void *scanner} {jn_pstate *ps}

%code requires {
#include "parse.h"
}
%union {
	jn_tok tok;
	jn_node *node;
	struct jn_list list;
}
%code {
#include <string.h>
#undef yylex
#define yylex jn_lex_wrap
int jn_lex_wrap(JN_YYSTYPE *lval, void *scanner, jn_pstate *ps);
static void jn_yyerror(void *scanner, jn_pstate *ps, const char *msg)
{
	(void)scanner; (void)msg;
	if (!ps->failed) jn_lex_error(ps, "S0201", -1, NULL);
}
#define NEW(t, p) jn_node_new(ps, (t), (p))
static void lpush(jn_pstate *ps, struct jn_list *l, jn_node *a, jn_node *b, bool d)
{
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 4;
		jn_node **v = jn_aalloc(ps->arena, cap * sizeof *v);
		jn_node **v2 = jn_aalloc(ps->arena, cap * sizeof *v2);
		bool *dd = jn_aalloc(ps->arena, cap * sizeof *dd);
		if (l->n) {
			memcpy(v, l->v, l->n * sizeof *v);
			memcpy(v2, l->v2, l->n * sizeof *v2);
			memcpy(dd, l->d, l->n * sizeof *dd);
		}
		l->v = v; l->v2 = v2; l->d = dd; l->cap = cap;
	}
	l->v[l->n] = a; l->v2[l->n] = b; l->d[l->n] = d; l->n++;
}
static struct jn_list lnew(void) { struct jn_list l = {0}; return l; }
}

%token <tok> NAME QNAME VAR STRING NUMBER REGEX SIG
%token <tok> TRUE FALSE NUL FUNCTION AND OR IN
%token <tok> ASSIGN NE LE GE CHAIN DOTDOT DESC
%token <tok> '.' '[' ']' '{' '}' '(' ')' ',' '@' '#' ';' ':' '?'
%token <tok> '+' '-' '*' '/' '%' '|' '=' '<' '>' '^' '&' '!' '~'
%type <node> expr primary arg
%type <list> items items1 pairs pairs1 args args1 params params1 block terms

%precedence THEN
%precedence ':'
%right ASSIGN
%precedence '?'
%left DOTDOT
%left OR
%left AND
%left '=' NE '<' LE '>' GE IN CHAIN '^'
%left '+' '-' '&'
%left '*' '/' '%'
%left '{' UMINUS
%left '.'
%precedence '[' '(' '@' '#'

%%

top: expr { ps->root = $1; } ;

expr: primary
	| expr '.' expr		{ $$ = NEW(N_DOT, $2.pos); $$->lhs = $1; $$->rhs = $3; }
	| expr '[' ']'		{ /* on the step, under its predicates */
				  jn_node *s = $1;
				  while (s->type == N_FILTER) s = s->lhs;
				  s->keep_array = true; $$ = $1; }
	| expr '[' expr ']'	{ $$ = NEW(N_FILTER, $2.pos); $$->lhs = $1; $$->rhs = $3; }
	| expr '{' pairs '}'	{ $$ = NEW(N_GROUP, $2.pos); $$->lhs = $1;
				  $$->keys = $3.v; $$->vals = $3.v2; $$->npairs = $3.n; }
	| expr '(' args ')'	{ $$ = NEW(N_CALL, $2.pos); $$->lhs = $1;
				  $$->items = $3.v; $$->nitems = $3.n;
				  for (int i = 0; i < $3.n; i++)
					if ($3.v[i]->type == N_PLACEHOLDER) $$->type = N_PARTIAL; }
	| expr '^' '(' terms ')' { $$ = NEW(N_ORDER, $2.pos); $$->lhs = $1;
				  $$->items = $4.v; $$->nitems = $4.n; $$->desc = $4.d; }
	| expr '@' VAR		{ $$ = NEW(N_FOCUS, $2.pos); $$->lhs = $1; $$->str = jn_mk_tok(ps, N_VAR, $3)->str; }
	| expr '#' VAR		{ $$ = NEW(N_INDEX, $2.pos); $$->lhs = $1; $$->str = jn_mk_tok(ps, N_VAR, $3)->str; }
	| expr '+' expr		{ $$ = jn_mk_binary(ps, OP_ADD, $1, $3, $2.pos); }
	| expr '-' expr		{ $$ = jn_mk_binary(ps, OP_SUB, $1, $3, $2.pos); }
	| expr '*' expr		{ $$ = jn_mk_binary(ps, OP_MUL, $1, $3, $2.pos); }
	| expr '/' expr		{ $$ = jn_mk_binary(ps, OP_DIV, $1, $3, $2.pos); }
	| expr '%' expr		{ $$ = jn_mk_binary(ps, OP_MOD, $1, $3, $2.pos); }
	| expr '=' expr		{ $$ = jn_mk_binary(ps, OP_EQ, $1, $3, $2.pos); }
	| expr NE expr		{ $$ = jn_mk_binary(ps, OP_NE, $1, $3, $2.pos); }
	| expr '<' expr		{ $$ = jn_mk_binary(ps, OP_LT, $1, $3, $2.pos); }
	| expr LE expr		{ $$ = jn_mk_binary(ps, OP_LE, $1, $3, $2.pos); }
	| expr '>' expr		{ $$ = jn_mk_binary(ps, OP_GT, $1, $3, $2.pos); }
	| expr GE expr		{ $$ = jn_mk_binary(ps, OP_GE, $1, $3, $2.pos); }
	| expr '&' expr		{ $$ = jn_mk_binary(ps, OP_CONCAT, $1, $3, $2.pos); }
	| expr AND expr		{ $$ = jn_mk_binary(ps, OP_AND, $1, $3, $2.pos); }
	| expr OR expr		{ $$ = jn_mk_binary(ps, OP_OR, $1, $3, $2.pos); }
	| expr IN expr		{ $$ = jn_mk_binary(ps, OP_IN, $1, $3, $2.pos); }
	| expr DOTDOT expr	{ $$ = jn_mk_binary(ps, OP_RANGE, $1, $3, $2.pos); }
	| expr CHAIN expr	{ $$ = NEW(N_APPLY, $2.pos); $$->lhs = $1; $$->rhs = $3; }
	| expr ASSIGN expr	{ $$ = NEW(N_BIND, $2.pos); $$->lhs = $1; $$->rhs = $3; }
	| expr '?' expr ':' expr { $$ = NEW(N_COND, $2.pos); $$->lhs = $1; $$->then = $3; $$->els = $5; }
	| expr '?' expr %prec THEN { $$ = NEW(N_COND, $2.pos); $$->lhs = $1; $$->then = $3; }
	| '-' expr %prec UMINUS	{ $$ = NEW(N_NEG, $1.pos); $$->lhs = $2; }
	;

primary: NAME			{ $$ = jn_mk_tok(ps, N_NAME, $1); }
	| QNAME			{ $$ = jn_mk_tok(ps, N_NAME, $1); }
	| AND			{ $$ = jn_mk_tok(ps, N_NAME, $1); }
	| OR			{ $$ = jn_mk_tok(ps, N_NAME, $1); }
	| IN			{ $$ = jn_mk_tok(ps, N_NAME, $1); }
	| STRING		{ $$ = jn_mk_tok(ps, N_STRING, $1); if (!$$) YYERROR; }
	| NUMBER		{ $$ = jn_mk_tok(ps, N_NUMBER, $1); }
	| TRUE			{ $$ = jn_mk_tok(ps, N_VALUE, $1); }
	| FALSE			{ $$ = jn_mk_tok(ps, N_VALUE, $1); }
	| NUL			{ $$ = jn_mk_tok(ps, N_VALUE, $1); }
	| VAR			{ $$ = jn_mk_tok(ps, N_VAR, $1); }
	| REGEX			{ $$ = jn_mk_tok(ps, N_REGEX, $1); if (!$$) YYERROR; }
	| '*'			{ $$ = NEW(N_WILDCARD, $1.pos); }
	| DESC			{ $$ = NEW(N_DESCENDANT, $1.pos); }
	| '%'			{ $$ = NEW(N_PARENT, $1.pos); }
	| '(' block ')'		{ $$ = NEW(N_BLOCK, $1.pos); $$->items = $2.v; $$->nitems = $2.n; }
	| '[' items ']'		{ $$ = NEW(N_ARRAY, $1.pos); $$->items = $2.v; $$->nitems = $2.n; }
	| '{' pairs '}'		{ $$ = NEW(N_OBJECT, $1.pos); $$->keys = $2.v; $$->vals = $2.v2; $$->npairs = $2.n; }
	| FUNCTION '(' params ')' '{' expr '}'
				{ $$ = jn_mk_lambda(ps, &$3, NULL, $6, $1.pos); if (!$$) YYERROR; }
	| FUNCTION '(' params ')' SIG '{' expr '}'
				{ $$ = jn_mk_lambda(ps, &$3, &$5, $7, $1.pos); if (!$$) YYERROR; }
	| '|' expr '|' expr '|'	{ $$ = NEW(N_TRANSFORM, $1.pos); $$->lhs = $2; $$->rhs = $4; }
	| '|' expr '|' expr ',' expr '|'
				{ $$ = NEW(N_TRANSFORM, $1.pos); $$->lhs = $2; $$->rhs = $4; $$->els = $6; }
	;

block: %empty			{ $$ = lnew(); }
	| expr			{ $$ = lnew(); lpush(ps, &$$, $1, NULL, false); }
	| block ';' expr	{ $$ = $1; lpush(ps, &$$, $3, NULL, false); }
	| block ';'		{ $$ = $1; }
	;
items: %empty			{ $$ = lnew(); }
	| items1
	;
items1: expr			{ $$ = lnew(); lpush(ps, &$$, $1, NULL, false); }
	| items1 ',' expr	{ $$ = $1; lpush(ps, &$$, $3, NULL, false); }
	;
pairs: %empty			{ $$ = lnew(); }
	| pairs1
	;
pairs1: expr ':' expr		{ $$ = lnew(); lpush(ps, &$$, $1, $3, false); }
	| pairs1 ',' expr ':' expr { $$ = $1; lpush(ps, &$$, $3, $5, false); }
	;
args: %empty			{ $$ = lnew(); }
	| args1
	;
args1: arg			{ $$ = lnew(); lpush(ps, &$$, $1, NULL, false); }
	| args1 ',' arg		{ $$ = $1; lpush(ps, &$$, $3, NULL, false); }
	;
arg: expr
	| '?'			{ $$ = NEW(N_PLACEHOLDER, $1.pos); }
	;
params: %empty			{ $$ = lnew(); }
	| params1
	;
params1: VAR			{ $$ = lnew(); lpush(ps, &$$, jn_mk_tok(ps, N_VAR, $1), NULL, false); }
	| params1 ',' VAR	{ $$ = $1; lpush(ps, &$$, jn_mk_tok(ps, N_VAR, $3), NULL, false); }
	;
terms: expr			{ $$ = lnew(); lpush(ps, &$$, $1, NULL, false); }
	| '<' expr		{ $$ = lnew(); lpush(ps, &$$, $2, NULL, false); }
	| '>' expr		{ $$ = lnew(); lpush(ps, &$$, $2, NULL, true); }
	| terms ',' expr	{ $$ = $1; lpush(ps, &$$, $3, NULL, false); }
	| terms ',' '<' expr	{ $$ = $1; lpush(ps, &$$, $4, NULL, false); }
	| terms ',' '>' expr	{ $$ = $1; lpush(ps, &$$, $4, NULL, true); }
	;

%%

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, jn_pstate *ps)
{
	(void)scanner;
	if (ps->failed) return 0;
	yysymbol_kind_t la = yypcontext_token(ctx);
	yysymbol_kind_t exp[64];
	int ne = yypcontext_expected_tokens(ctx, exp, 64);
	bool operand = false, var = false, eof = false;
	for (int i = 0; i < ne; i++) {
		if (exp[i] == YYSYMBOL_NAME) operand = true;
		if (exp[i] == YYSYMBOL_VAR) var = true;
		if (exp[i] == YYSYMBOL_YYEOF) eof = true;
	}
	char expected[32] = "";
	int pick = -1;
	for (int i = 0; i < ne && pick < 0; i++) {
		const char *nm = yysymbol_name(exp[i]);
		if (!strcmp(nm, "')'") || !strcmp(nm, "']'") || !strcmp(nm, "'}'") || !strcmp(nm, "'|'")) pick = i;
	}
	if (pick < 0 && ne == 1) pick = 0;
	if (pick >= 0) {
		const char *nm = yysymbol_name(exp[pick]);
		size_t l = strlen(nm);
		if (nm[0] == '\'' && l >= 3) { memcpy(expected, nm + 1, l - 2); expected[l - 2] = 0; }
		else snprintf(expected, sizeof expected, "%s", nm);
	}
	int pos = jn_chars(ps, (size_t)ps->offset);
	if (la == YYSYMBOL_YYEOF) {
		if (!operand && expected[0]) { ps->failed = true; jn_set_error(ps->err, "S0203", pos, NULL, expected, NULL); }
		else jn_lex_error(ps, "S0207", pos, NULL);
		return 0;
	}
	char tok[64];
	size_t tl = ps->last_len < sizeof tok - 1 ? ps->last_len : sizeof tok - 1;
	memcpy(tok, ps->last_text, tl);
	tok[tl] = 0;
	if (ps->prev_kind == '@' || ps->prev_kind == '#') {
		char op[2] = { (char)ps->prev_kind, 0 };
		jn_lex_error(ps, "S0214", pos, op);
	} else if (la == YYSYMBOL_YYUNDEF || ps->cur_kind == '!' || ps->cur_kind == '~')
		jn_lex_error(ps, "S0204", pos, tok);
	else if (operand) jn_lex_error(ps, "S0211", pos, tok);
	else if (var && !operand) {
		ps->failed = true;
		jn_set_error(ps->err, "S0208", pos, tok, tok, NULL);
	} else if (eof) jn_lex_error(ps, "S0201", pos, tok);
	else {
		ps->failed = true;
		jn_set_error(ps->err, "S0202", pos, tok, expected[0] ? expected : ")", NULL);
	}
	return 0;
}
