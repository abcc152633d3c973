/*
 * jast.c - building the JSONata syntax tree and the post-parse pass that
 * jsonata-js calls processAST: paths flattened into steps, predicates and
 * index bindings turned into stages, group-by and order-by attached,
 * parent (%) references resolved to the step they name, tail calls marked.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "parse.h"
#include "jsontext.h"
#include "parse-jn.h"
#define YYSTYPE JN_YYSTYPE
#include "lex-jn.h"

int jn_lex_wrap(JN_YYSTYPE *lval, void *scanner, jn_pstate *ps);

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- arena */
/* Chunks of the standard size are not given back to malloc when an arena
 * is freed but kept, up to SPARE_MAX of them, on a list private to the
 * thread, for its next evaluation: an evaluation then costs no malloc.
 * The list is freed when the thread ends (the key's destructor). */
struct jn_chunk { struct jn_chunk *next; size_t size; };
#define CHUNK 65536
#define SPARE_MAX 32
struct spare { struct jn_chunk *list; int n; bool registered; };
static _Thread_local struct spare spare;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spare_free(void *p)
{
	struct spare *s = p;
	while (s->list) { struct jn_chunk *nx = s->list->next; free(s->list); s->list = nx; }
	s->n = 0;
}

static void spare_init(void) { (void)pthread_key_create(&spare_key, spare_free); }

void *jn_aalloc_slow(jn_arena *a, size_t n)
{
	size_t size = n + sizeof(struct jn_chunk) + 16 > CHUNK ? n + sizeof(struct jn_chunk) + 16 : CHUNK;
	if (a->chunks && size < 1048576 && a->total > 1048576) size = 1048576 > n + 64 ? 1048576 : size;
	if (a->limit && a->total + size > a->limit) return NULL;
	struct jn_chunk *ch;
	if (size == CHUNK && spare.list) {
		ch = spare.list;
		spare.list = ch->next;
		spare.n--;
	} else if (!(ch = malloc(size))) return NULL;
	ch->next = a->chunks; ch->size = size;
	a->chunks = ch;
	a->total += size;
	a->p = (char *)ch + ((sizeof *ch + 15) & ~(size_t)15);
	a->end = (char *)ch + size;
	void *r = a->p;
	a->p += n;
	memset(r, 0, n);
	return r;
}

void jn_arena_free(jn_arena *a)
{
	struct jn_chunk *ch = a->chunks;
	if (ch && !spare.registered) {
		pthread_once(&spare_once, spare_init);
		spare.registered = pthread_setspecific(spare_key, &spare) == 0;
	}
	while (ch) {
		struct jn_chunk *nx = ch->next;
		if (ch->size == CHUNK && spare.n < SPARE_MAX) {
			ch->next = spare.list;
			spare.list = ch;
			spare.n++;
		} else free(ch);
		ch = nx;
	}
	a->chunks = NULL; a->p = a->end = NULL; a->total = 0;
}

/* ---------------------------------------------------------------- errors */
static const struct { const char *code, *msg; } messages[] = {
	{"S0101", "String literal must be terminated by a matching quote"},
	{"S0102", "Number out of range: {{token}}"},
	{"S0103", "Unsupported escape sequence: \\{{token}}"},
	{"S0104", "The escape sequence \\u must be followed by 4 hex digits"},
	{"S0105", "Quoted property name must be terminated with a backquote (`)"},
	{"S0106", "Comment has no closing tag"},
	{"S0201", "Syntax error: {{token}}"},
	{"S0202", "Expected {{value}}, got {{token}}"},
	{"S0203", "Expected {{value}} before end of expression"},
	{"S0204", "Unknown operator: {{token}}"},
	{"S0205", "Unexpected token: {{token}}"},
	{"S0206", "Unknown expression type: {{token}}"},
	{"S0207", "Unexpected end of expression"},
	{"S0208", "Parameter {{value}} of function definition must be a variable name (start with $)"},
	{"S0209", "A predicate cannot follow a grouping expression in a step"},
	{"S0210", "Each step can only have one grouping expression"},
	{"S0211", "The symbol {{token}} cannot be used as a unary operator"},
	{"S0212", "The left side of := must be a variable name (start with $)"},
	{"S0213", "The literal value {{value}} cannot be used as a step within a path expression"},
	{"S0214", "The right side of {{token}} must be a variable name (start with $)"},
	{"S0215", "A context variable binding must precede any predicates on a step"},
	{"S0216", "A context variable binding must precede the 'order-by' clause on a step"},
	{"S0217", "The object representing the 'parent' cannot be derived from this expression"},
	{"S0301", "Empty regular expressions are not allowed"},
	{"S0302", "No terminating / in regular expression"},
	{"S0402", "Choice groups containing parameterized types are not supported"},
	{"S0401", "Type parameters can only be applied to functions and arrays"},
	{"S0500", "Attempted to evaluate an expression containing syntax error(s)"},
	{"T0410", "Argument {{index}} of function {{token}} does not match function signature"},
	{"T0411", "Context value is not a compatible type with argument {{index}} of function {{token}}"},
	{"T0412", "Argument {{index}} of function {{token}} must be an array of {{type}}"},
	{"D1001", "Number out of range: {{value}}"},
	{"D1002", "Cannot negate a non-numeric value: {{value}}"},
	{"T1003", "Key in object structure must evaluate to a string; got: {{value}}"},
	{"D1004", "Regular expression matches zero length string"},
	{"T1005", "Attempted to invoke a non-function. Did you mean ${{{token}}}?"},
	{"T1006", "Attempted to invoke a non-function"},
	{"T1007", "Attempted to partially apply a non-function. Did you mean ${{{token}}}?"},
	{"T1008", "Attempted to partially apply a non-function"},
	{"D1009", "Multiple key definitions evaluate to same key: {{value}}"},
	{"T1010", "The matcher function argument passed to function {{token}} does not return the correct object structure"},
	{"T2001", "The left side of the {{token}} operator must evaluate to a number"},
	{"T2002", "The right side of the {{token}} operator must evaluate to a number"},
	{"T2003", "The left side of the range operator (..) must evaluate to an integer"},
	{"T2004", "The right side of the range operator (..) must evaluate to an integer"},
	{"D2005", "The left side of := must be a variable name (start with $)"},
	{"T2006", "The right side of the function application operator ~> must be a function"},
	{"T2007", "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause"},
	{"T2008", "The expressions within an order-by clause must evaluate to numeric or string values"},
	{"T2009", "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type"},
	{"T2010", "The expressions either side of operator {{token}} must evaluate to numeric or string values"},
	{"T2011", "The insert/update clause of the transform expression must evaluate to an object: {{value}}"},
	{"T2012", "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}"},
	{"T2013", "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function."},
	{"D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {{value}}."},
	{"D3001", "Attempting to invoke string function on Infinity or NaN"},
	{"D3010", "Second argument of replace function cannot be an empty string"},
	{"D3011", "Fourth argument of replace function must evaluate to a positive number"},
	{"D3012", "Attempted to replace a matched string with a non-string value"},
	{"D3020", "Third argument of split function must evaluate to a positive number"},
	{"D3030", "Unable to cast value to a number: {{value}}"},
	{"D3040", "Third argument of match function must evaluate to a positive number"},
	{"D3050", "The second argument of reduce function must be a function with at least two arguments"},
	{"D3060", "The sqrt function cannot be applied to a negative number: {{value}}"},
	{"D3061", "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}"},
	{"D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"},
	{"D3080", "The picture string must only contain a maximum of two sub-pictures"},
	{"D3100", "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}"},
	{"D3110", "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}"},
	{"D3121", "Unknown component specifier {{value}} in date/time picture string"},
	{"D3137", "{{{message}}}"},
	{"D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more."},
	{"D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0."},
	{"D3140", "Malformed URL passed to ${{{functionName}}}(): {{value}}"},
	{"D3141", "{{{message}}}"},
	{"U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."},
	{"U1002", "Expression evaluation timeout: Check for infinite loop"},
	{"U1010", "Out of memory"},
	{NULL, NULL}
};

/* S as a JSON string (common/jsontext's writer) into BUF, truncated to
 * SIZE bytes: the bytes written. */
static size_t quoted(char *buf, size_t size, const char *s)
{
	strbuf b = SB_INIT;
	jt_string(&b, s, strlen(s));
	int n = snprintf(buf, size, "%s", b.s);
	sb_free(&b);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

void jn_set_error(asl_jsonata_error *e, const char *code, int pos,
		  const char *token, const char *value, const char *value2)
{
	if (!e) return;
	snprintf(e->code, sizeof e->code, "%s", code);
	e->position = pos;
	snprintf(e->token, sizeof e->token, "%s", token ? token : "");
	const char *msg = NULL;
	for (int i = 0; messages[i].code; i++)
		if (!strcmp(messages[i].code, code)) { msg = messages[i].msg; break; }
	if (!strcmp(code, "U1002")) snprintf(e->code, sizeof e->code, "U1001");
	if (!msg) msg = value ? "{{value}}" : code;
	/* substitute {{token}}, {{value}}, {{value2}} and the rest */
	size_t o = 0;
	for (const char *p = msg; *p && o + 1 < sizeof e->message;) {
		if (p[0] == '{' && p[1] == '{') {
			const char *q = strstr(p, "}}");
			if (!q) break;
			const char *name = p + 2;
			bool raw = *name == '{';
			while (*name == '{') name++;
			size_t nl = (size_t)(q - name);
			const char *sub = "";
			if (nl == 5 && !strncmp(name, "token", 5)) sub = token ? token : "";
			else if ((nl == 6 && !strncmp(name, "value2", 6)) || (nl == 5 && !strncmp(name, "index", 5)) ||
				 (nl == 3 && !strncmp(name, "exp", 3)))
				sub = value2 ? value2 : "";
			else sub = value ? value : "";
			/* jsonata-js writes {{x}} as JSON.stringify(x), {{{x}}} as is:
			 * a token and the parser's expected token in quotes (the
			 * evaluator's values come as JSON already: jn_throw). */
			bool quote = !raw && ((nl == 5 && !strncmp(name, "token", 5)) ||
					      (nl == 5 && !strncmp(name, "value", 5) &&
					       (!strcmp(code, "S0202") || !strcmp(code, "S0203") ||
						!strcmp(code, "S0208"))));
			if (quote) o += quoted(e->message + o, sizeof e->message - o, sub);
			else o += (size_t)snprintf(e->message + o, sizeof e->message - o, "%s", sub);
			if (o >= sizeof e->message) o = sizeof e->message - 1;
			p = q + 2;
			while (*p == '}') p++;
		} else e->message[o++] = *p++;
	}
	e->message[o] = 0;
}

void jn_lex_error(jn_pstate *ps, const char *code, int pos, const char *token)
{
	if (ps->failed) return;
	ps->failed = true;
	jn_set_error(ps->err, code, pos, token, NULL, NULL);
}

int jn_chars(jn_pstate *ps, size_t off)
{
	if (off > ps->srclen) off = ps->srclen;
	return (int)jn_utf16_len(ps->src, off);
}

jn_node *jn_node_new(jn_pstate *ps, int type, int pos)
{
	jn_node *n = jn_aalloc(ps->arena, sizeof *n);
	if (!n) { jn_lex_error(ps, "U1010", pos, NULL); return NULL; }
	n->type = type; n->pos = pos;
	return n;
}

jn_node *jn_mk_binary(jn_pstate *ps, int op, jn_node *l, jn_node *r, int pos)
{
	jn_node *n = jn_node_new(ps, N_BINARY, pos);
	n->op = op; n->lhs = l; n->rhs = r;
	return n;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) { o[0] = (char)cp; return 1; }
	if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 63)); return 2; }
	if (cp < 0x10000) { o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 63));
		o[2] = (char)(0x80 | (cp & 63)); return 3; }
	o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 63));
	o[2] = (char)(0x80 | ((cp >> 6) & 63)); o[3] = (char)(0x80 | (cp & 63)); return 4;
}

static int hex4(const char *p, const char *end)
{
	if (end - p < 4) return -1;
	int v = 0;
	for (int i = 0; i < 4; i++) { int h = hexval((unsigned char)p[i]); if (h < 0) return -1; v = v * 16 + h; }
	return v;
}

/* A string literal's value: escapes as JSON's (and JavaScript's). */
static bool unescape(jn_pstate *ps, jn_tok t, jn_node *n)
{
	const char *p = t.s + 1, *end = t.s + t.len - 1;
	char *o = jn_aalloc(ps->arena, t.len + 1), *o0 = o;
	while (p < end) {
		if (*p != '\\') { *o++ = *p++; continue; }
		p++;
		switch (*p) {
		case '"': case '\\': case '/': case '\'': *o++ = *p++; break;
		case 'b': *o++ = '\b'; p++; break;
		case 'f': *o++ = '\f'; p++; break;
		case 'n': *o++ = '\n'; p++; break;
		case 'r': *o++ = '\r'; p++; break;
		case 't': *o++ = '\t'; p++; break;
		case 'u': {
			int cp = hex4(p + 1, end);
			if (cp < 0) { jn_lex_error(ps, "S0104", t.pos, NULL); return false; }
			p += 5;
			if (cp >= 0xD800 && cp < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
				int lo = hex4(p + 2, end);
				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				}
			}
			o += put_utf8(o, (unsigned)cp);
			break;
		}
		default: {
			char tk[2] = {*p, 0};
			jn_lex_error(ps, "S0103", t.pos, tk);
			return false;
		}
		}
	}
	*o = 0;
	n->str = o0; n->len = (size_t)(o - o0);
	return true;
}

uint32_t jn_regex_options(int flags)
{
	uint32_t opts = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_MATCH_UNSET_BACKREF |
		PCRE2_DOLLAR_ENDONLY;
	if (flags & 1) opts |= PCRE2_CASELESS;
	if (flags & 2) opts |= PCRE2_MULTILINE;
	return opts;
}

jn_node *jn_mk_tok(jn_pstate *ps, int type, jn_tok t)
{
	jn_node *n = jn_node_new(ps, type, t.pos);
	if (!n) return NULL;
	switch (type) {
	case N_NAME: {
		const char *b = t.s; size_t l = t.len;
		if (b[0] == '`') { b++; l -= 2; }
		char *s = jn_aalloc(ps->arena, l + 1);
		memcpy(s, b, l);
		n->str = s; n->len = l;
		break;
	}
	case N_VAR: {
		char *s = jn_aalloc(ps->arena, t.len);
		memcpy(s, t.s + 1, t.len - 1);
		n->str = s; n->len = t.len - 1;
		break;
	}
	case N_STRING:
		if (!unescape(ps, t, n)) return NULL;
		break;
	case N_NUMBER:
		n->num = t.num;
		break;
	case N_VALUE:
		n->op = t.s[0] == 't' ? 1 : t.s[0] == 'f' ? 0 : 2;
		break;
	case N_REGEX: {
		char *s = jn_aalloc(ps->arena, t.len + 1);
		memcpy(s, t.s, t.len);
		n->str = s; n->len = t.len; n->regex_flags = t.flags;
		int ec; PCRE2_SIZE eo;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)s, t.len,
					       jn_regex_options(t.flags), &ec, &eo, NULL);
		if (!re) {
			PCRE2_UCHAR buf[200];
			pcre2_get_error_message(ec, buf, sizeof buf);
			jn_lex_error(ps, "S0303", t.pos, (const char *)buf);
			return NULL;
		}
		struct jn_relist *r = jn_aalloc(ps->arena, sizeof *r);
		r->code = re; r->next = ps->regexes; ps->regexes = r;
		n->regex = re;
		break;
	}
	}
	return n;
}

jn_node *jn_mk_lambda(jn_pstate *ps, struct jn_list *params, jn_tok *sig,
		      jn_node *body, int pos)
{
	jn_node *n = jn_node_new(ps, N_LAMBDA, pos);
	n->items = params->v; n->nitems = params->n;
	n->rhs = body;
	if (sig) {
		char *s = jn_aalloc(ps->arena, sig->len + 1);
		memcpy(s, sig->s, sig->len);
		n->sig = s;
		n->sigp = sig->sig;
	}
	return n;
}

/* ------------------------------------------------------- post-parse pass */
typedef struct pp {
	jn_pstate *ps;
	jmp_buf jb;
	int label, index;
	jn_node **ancestry; int nanc, canc;
} pp;

static _Noreturn void pp_fail(pp *p, const char *code, int pos, const char *token)
{
	jn_lex_error(p->ps, code, pos, token);
	longjmp(p->jb, 1);
}

static void *grow(pp *p, void *v, int n, size_t size)
{
	void *nv = jn_aalloc(p->ps->arena, (size_t)(n + 1) * size);
	if (!nv) pp_fail(p, "U1010", -1, NULL);
	if (n) memcpy(nv, v, (size_t)n * size);
	return nv;
}
#define PUSH(p, arr, n, x) do { (arr) = grow((p), (arr), (n), sizeof *(arr)); (arr)[(n)++] = (x); } while (0)

static jn_node *new_node(pp *p, int type, int pos)
{
	jn_node *n = jn_node_new(p->ps, type, pos);
	if (!n) longjmp(p->jb, 1);
	return n;
}

static const char *type_name(jn_node *n)
{
	switch (n->type) {
	case N_PATH: return "path"; case N_NAME: return "name"; case N_STRING: return "string";
	case N_NUMBER: return "number"; case N_VALUE: return "value"; case N_VAR: return "variable";
	case N_WILDCARD: return "wildcard"; case N_DESCENDANT: return "descendant";
	case N_PARENT: return "parent"; case N_REGEX: return "regex"; case N_BINARY: return "binary";
	case N_NEG: case N_ARRAY: case N_OBJECT: return "unary"; case N_BLOCK: return "block";
	case N_COND: return "condition"; case N_BIND: return "bind"; case N_CALL: return "function";
	case N_PARTIAL: return "partial"; case N_LAMBDA: return "lambda"; case N_APPLY: return "apply";
	case N_TRANSFORM: return "transform"; case N_SORT: return "sort";
	}
	return "?";
}

static jn_slot *seek_parent(pp *p, jn_node *node, jn_slot *slot)
{
	switch (node->type) {
	case N_NAME: case N_WILDCARD:
		slot->level--;
		if (slot->level == 0) {
			if (!node->ancestor) node->ancestor = slot;
			else {
				p->ancestry[slot->index]->ancestor->label = node->ancestor->label;
				node->ancestor = slot;
			}
			node->tuple = true;
		}
		break;
	case N_PARENT:
		slot->level++;
		break;
	case N_BLOCK:
		if (node->nitems > 0) {
			node->tuple = true;
			slot = seek_parent(p, node->items[node->nitems - 1], slot);
		}
		break;
	case N_PATH: {
		node->tuple = true;
		int i = node->nitems - 1;
		slot = seek_parent(p, node->items[i--], slot);
		while (slot->level > 0 && i >= 0) slot = seek_parent(p, node->items[i--], slot);
		break;
	}
	default:
		pp_fail(p, "S0217", node->pos, type_name(node));
	}
	return slot;
}

static void push_ancestry(pp *p, jn_node *result, jn_node *value)
{
	if (!value) return;
	if (value->nseeking || value->type == N_PARENT) {
		for (int i = 0; i < value->nseeking; i++) PUSH(p, result->seeking, result->nseeking, value->seeking[i]);
		if (value->type == N_PARENT) PUSH(p, result->seeking, result->nseeking, value->ancestor);
	}
}

static void resolve_ancestry(pp *p, jn_node *path)
{
	int index = path->nitems - 1;
	jn_node *last = path->items[index];
	jn_slot **slots = NULL; int ns = 0;
	for (int i = 0; i < last->nseeking; i++) PUSH(p, slots, ns, last->seeking[i]);
	if (last->type == N_PARENT) PUSH(p, slots, ns, last->ancestor);
	for (int is = 0; is < ns; is++) {
		jn_slot *slot = slots[is];
		index = path->nitems - 2;
		while (slot->level > 0) {
			if (index < 0) {
				PUSH(p, path->seeking, path->nseeking, slot);
				break;
			}
			jn_node *step = path->items[index--];
			while (index >= 0 && step->focus && path->items[index]->focus)
				step = path->items[index--];
			slot = seek_parent(p, step, slot);
		}
	}
}

static jn_node *tail_call(pp *p, jn_node *e)
{
	if (e->type == N_CALL && !e->npreds) {
		jn_node *t = new_node(p, N_LAMBDA, e->pos);
		t->thunk = true; t->rhs = e;
		return t;
	}
	if (e->type == N_COND) {
		e->then = tail_call(p, e->then);
		if (e->els) e->els = tail_call(p, e->els);
	} else if (e->type == N_BLOCK && e->nitems > 0) {
		e->items[e->nitems - 1] = tail_call(p, e->items[e->nitems - 1]);
	}
	return e;
}

static jn_node *process(pp *p, jn_node *e);

static jn_node *as_path(pp *p, jn_node *n)
{
	if (n->type == N_PATH) return n;
	jn_node *r = new_node(p, N_PATH, n->pos);
	PUSH(p, r->items, r->nitems, n);
	return r;
}

/* a.b: one path of steps; its ancestry resolved */
static jn_node *process_dot(pp *p, jn_node *e)
{
	jn_node *result;
	jn_node *l = process(p, e->lhs);
	result = l->type == N_PATH ? l : as_path(p, l);
	if (l->type == N_PARENT) PUSH(p, result->seeking, result->nseeking, l->ancestor);
	jn_node *rest = process(p, e->rhs);
	if (rest->type == N_PATH) {
		for (int i = 0; i < rest->nitems; i++) PUSH(p, result->items, result->nitems, rest->items[i]);
	} else {
		if (rest->npreds) {
			rest->stages = rest->preds; rest->nstages = rest->npreds;
			rest->preds = NULL; rest->npreds = 0;
		}
		PUSH(p, result->items, result->nitems, rest);
	}
	for (int i = 0; i < result->nitems; i++) {
		jn_node *s = result->items[i];
		if (s->type == N_NUMBER || s->type == N_VALUE) {
			char v[32];
			if (s->type == N_NUMBER) jn_fmt_num(s->num, v);
			else snprintf(v, sizeof v, "%s", s->op == 1 ? "true" : s->op == 0 ? "false" : "null");
			jn_set_error(p->ps->err, "S0213", s->pos, NULL, v, NULL);
			p->ps->failed = true;
			longjmp(p->jb, 1);
		}
		if (s->type == N_STRING) s->type = N_NAME;
		if (s->keep_array) result->keep_singleton = true;
	}
	jn_node *first = result->items[0], *last = result->items[result->nitems - 1];
	if (first->type == N_ARRAY) first->cons_array = true;
	if (last->type == N_ARRAY) last->cons_array = true;
	resolve_ancestry(p, result);
	return result;
}

/* The step a postfix operator applies to: a path's last, or the node. */
static jn_node *last_step(jn_node *n)
{
	return n->type == N_PATH ? n->items[n->nitems - 1] : n;
}

/* a[p]: a predicate, or a stage of the path's last step */
static jn_node *process_filter(pp *p, jn_node *e)
{
	jn_node *result, *step;
	result = process(p, e->lhs);
	step = last_step(result);
	bool stages = result->type == N_PATH;
	if (step->group) pp_fail(p, "S0209", e->pos, NULL);
	jn_node *pred = process(p, e->rhs);
	if (pred->nseeking) {
		for (int i = 0; i < pred->nseeking; i++) {
			jn_slot *slot = pred->seeking[i];
			if (slot->level == 1) seek_parent(p, step, slot);
			else slot->level--;
		}
		push_ancestry(p, step, pred);
	}
	jn_stage st = { pred, NULL, e->pos };
	if (stages) PUSH(p, step->stages, step->nstages, st);
	else PUSH(p, step->preds, step->npreds, st);
	return result;
}

/* a{k: v}: the group-by of a step */
static jn_node *process_group(pp *p, jn_node *e)
{
	jn_node *result;
	result = process(p, e->lhs);
	if (result->group) pp_fail(p, "S0210", e->pos, NULL);
	jn_node *g = new_node(p, N_OBJECT, e->pos);
	g->npairs = e->npairs;
	g->keys = e->keys; g->vals = e->vals;
	for (int i = 0; i < e->npairs; i++) {
		g->keys[i] = process(p, e->keys[i]);
		g->vals[i] = process(p, e->vals[i]);
	}
	result->group = g;
	return result;
}

/* a^(k): a sort step */
static jn_node *process_order(pp *p, jn_node *e)
{
	jn_node *result;
	result = as_path(p, process(p, e->lhs));
	jn_node *s = new_node(p, N_SORT, e->pos);
	s->items = e->items; s->nitems = e->nitems; s->desc = e->desc;
	for (int i = 0; i < s->nitems; i++) {
		s->items[i] = process(p, s->items[i]);
		push_ancestry(p, s, s->items[i]);
	}
	PUSH(p, result->items, result->nitems, s);
	resolve_ancestry(p, result);
	return result;
}

/* a@$v: the focus variable of a step */
static jn_node *process_focus(pp *p, jn_node *e)
{
	jn_node *result, *step;
	result = process(p, e->lhs);
	step = last_step(result);
	if (step->nstages || step->npreds) pp_fail(p, "S0215", e->pos, NULL);
	if (step->type == N_SORT) pp_fail(p, "S0216", e->pos, NULL);
	if (e->keep_array) step->keep_array = true;
	step->focus = e->str;
	step->tuple = true;
	return result;
}

/* a#$i: the index variable of a step */
static jn_node *process_index(pp *p, jn_node *e)
{
	jn_node *result, *step;
	result = process(p, e->lhs);
	step = last_step(result);
	if (result->type != N_PATH) {
		result = as_path(p, result);
		if (step->npreds) {
			step->stages = step->preds; step->nstages = step->npreds;
			step->preds = NULL; step->npreds = 0;
		}
	}
	if (!step->nstages) step->index = e->str;
	else {
		jn_stage st = { NULL, e->str, e->pos };
		PUSH(p, step->stages, step->nstages, st);
	}
	step->tuple = true;
	return result;
}

/* The nodes whose processing is their operands': each processed, its
 * ancestry pushed up (the parent operator's slots). */
static void process_operands(pp *p, jn_node *e)
{
	switch (e->type) {
	case N_APPLY:
		e->lhs = process(p, e->lhs);
		e->rhs = process(p, e->rhs);
		if (e->lhs->keep_array || e->rhs->keep_array) e->keep_array = true;
		push_ancestry(p, e, e->lhs);
		push_ancestry(p, e, e->rhs);
		break;
	case N_BINARY:
		e->lhs = process(p, e->lhs);
		e->rhs = process(p, e->rhs);
		push_ancestry(p, e, e->lhs);
		push_ancestry(p, e, e->rhs);
		break;
	case N_ARRAY:
		for (int i = 0; i < e->nitems; i++) {
			e->items[i] = process(p, e->items[i]);
			push_ancestry(p, e, e->items[i]);
		}
		break;
	case N_OBJECT:
		for (int i = 0; i < e->npairs; i++) {
			e->keys[i] = process(p, e->keys[i]);
			push_ancestry(p, e, e->keys[i]);
			e->vals[i] = process(p, e->vals[i]);
			push_ancestry(p, e, e->vals[i]);
		}
		break;
	case N_CALL: case N_PARTIAL:
		for (int i = 0; i < e->nitems; i++) {
			e->items[i] = process(p, e->items[i]);
			push_ancestry(p, e, e->items[i]);
		}
		e->lhs = process(p, e->lhs);
		break;
	case N_COND:
		e->lhs = process(p, e->lhs);
		push_ancestry(p, e, e->lhs);
		e->then = process(p, e->then);
		push_ancestry(p, e, e->then);
		if (e->els) {
			e->els = process(p, e->els);
			push_ancestry(p, e, e->els);
		}
		break;
	case N_TRANSFORM:
		e->lhs = process(p, e->lhs);
		e->rhs = process(p, e->rhs);
		if (e->els) e->els = process(p, e->els);
		break;
	case N_BLOCK:
		for (int i = 0; i < e->nitems; i++) {
			e->items[i] = process(p, e->items[i]);
			push_ancestry(p, e, e->items[i]);
			jn_node *part = e->items[i];
			if (part->cons_array || (part->type == N_PATH && part->items[0]->cons_array))
				e->cons_array = true;
		}
		break;
	default:
		break;
	}
}

/* A parent operator (%): its slot, labelled, to be bound by the step it
 * reaches. */
static void parent_slot(pp *p, jn_node *e)
{
	jn_slot *s = jn_aalloc(p->ps->arena, sizeof *s);
	char lb[16];
	snprintf(lb, sizeof lb, "!%d", p->label++);
	s->label = jn_aalloc(p->ps->arena, strlen(lb) + 1);
	strcpy(s->label, lb);
	s->level = 1; s->index = p->index++;
	e->ancestor = s;
	PUSH(p, p->ancestry, p->nanc, e);
}

static jn_node *process(pp *p, jn_node *e)
{
	jn_node *result = e;
	switch (e->type) {
	case N_DOT:
		result = process_dot(p, e);
		break;
	case N_FILTER:
		result = process_filter(p, e);
		break;
	case N_GROUP:
		result = process_group(p, e);
		break;
	case N_ORDER:
		result = process_order(p, e);
		break;
	case N_BIND:
		if (e->lhs->type != N_VAR) pp_fail(p, "S0212", e->lhs->pos, NULL);
		e->rhs = process(p, e->rhs);
		push_ancestry(p, e, e->rhs);
		break;
	case N_FOCUS:
		result = process_focus(p, e);
		break;
	case N_INDEX:
		result = process_index(p, e);
		break;
	case N_NEG:
		e->lhs = process(p, e->lhs);
		if (e->lhs->type == N_NUMBER) {
			result = e->lhs;
			result->num = -result->num;
		} else push_ancestry(p, e, e->lhs);
		break;
	case N_LAMBDA:
		if (!e->thunk) e->rhs = tail_call(p, process(p, e->rhs));
		break;
	case N_NAME:
		result = as_path(p, e);
		if (e->keep_array) result->keep_singleton = true;
		break;
	case N_PARENT:
		parent_slot(p, e);
		break;
	default:
		process_operands(p, e);
		break;
	}
	if (e->keep_array) result->keep_array = true;
	return result;
}

jn_node *jn_process(jn_pstate *ps, jn_node *n)
{
	pp p;
	memset(&p, 0, sizeof p);
	p.ps = ps;
	if (setjmp(p.jb)) return NULL;
	jn_node *r = process(&p, n);
	if (r->type == N_PARENT || r->nseeking) pp_fail(&p, "S0217", r->pos, type_name(r));
	return r;
}

/* The scanner, with what the error reports need: the last two tokens. */
int jn_lex_wrap(JN_YYSTYPE *lval, void *scanner, jn_pstate *ps)
{
	int k = jn_raw_lex(lval, scanner);
	ps->prev_kind = ps->cur_kind;
	ps->cur_kind = k;
	ps->last_text = lval->tok.s;
	ps->last_len = k > 0 ? lval->tok.len : 0;
	return k;
}

/* The deepest a syntax tree may be: the passes after the grammar (the
 * post-parse processing, the annotations, the compiled form) recurse once
 * per level, and a left-leaning chain (1+1+1+...) builds one level per
 * term without growing the parser's own stack. */
#define JN_TREE_DEPTH_MAX 10000

/* Whether the tree below N is at most JN_TREE_DEPTH_MAX deep: walked with
 * a stack of its own, so that the check cannot overflow the C stack. */
static bool shallow_enough(jn_node *n)
{
	typedef struct { jn_node *n; int depth; } item;
	size_t cap = 256, top = 0;
	item *st = malloc(cap * sizeof *st);
	bool ok = st != NULL;
	if (ok) st[top++] = (item){ n, 1 };
	while (ok && top) {
		item it = st[--top];
		if (!it.n) continue;
		if (it.depth > JN_TREE_DEPTH_MAX) { ok = false; break; }
		jn_node *kids[] = { it.n->lhs, it.n->rhs, it.n->then, it.n->els, it.n->group };
		size_t need = top + 5 + (size_t)it.n->nitems + 2 * (size_t)it.n->npairs +
			      (size_t)it.n->nstages + (size_t)it.n->npreds;
		if (need > cap) {
			while (cap < need) cap *= 2;
			item *ns = realloc(st, cap * sizeof *st);
			if (!ns) { ok = false; break; }
			st = ns;
		}
		for (int i = 0; i < 5; i++) st[top++] = (item){ kids[i], it.depth + 1 };
		for (int i = 0; i < it.n->nitems; i++) st[top++] = (item){ it.n->items[i], it.depth + 1 };
		for (int i = 0; i < it.n->npairs; i++) {
			st[top++] = (item){ it.n->keys[i], it.depth + 1 };
			st[top++] = (item){ it.n->vals[i], it.depth + 1 };
		}
		for (int i = 0; i < it.n->nstages; i++) st[top++] = (item){ it.n->stages[i].expr, it.depth + 1 };
		for (int i = 0; i < it.n->npreds; i++) st[top++] = (item){ it.n->preds[i].expr, it.depth + 1 };
	}
	free(st);
	return ok;
}

jn_node *jn_parse(const char *src, jn_arena *a, asl_jsonata_error *err, struct jn_relist **regexes)
{
	jn_pstate ps;
	memset(&ps, 0, sizeof ps);
	ps.src = src; ps.srclen = strlen(src); ps.arena = a; ps.err = err;
	yyscan_t sc;
	if (jn_yylex_init_extra(&ps, &sc)) { jn_set_error(err, "U1010", -1, NULL, NULL, NULL); return NULL; }
	YY_BUFFER_STATE b = jn_yy_scan_bytes(src, (int)ps.srclen, sc);
	(void)b;
	int rc = jn_yyparse(sc, &ps);
	jn_yylex_destroy(sc);
	*regexes = ps.regexes;
	if (rc || ps.failed || !ps.root) {
		if (!ps.failed) jn_set_error(err, "S0201", -1, NULL, NULL, NULL);
		return NULL;
	}
	if (!shallow_enough(ps.root)) {
		jn_set_error(err, "U1021", -1, NULL, "The expression is nested too "
			     "deeply: more than 10000 levels", NULL);
		return NULL;
	}
	return jn_process(&ps, ps.root);
}
