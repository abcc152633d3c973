/*
 * ir.c - building, printing and freeing parsed paths and calls.
 */
#include "ir.h"
#include "ir-build.h"
#include "path-parse.h"
#define YYSTYPE ASLP_STYPE
#define YYLTYPE ASLP_LTYPE
#include "path-lex.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>


#define FN_(n, name, min, max) [ASL_FN_##n] = { name, min, max },
static const ir_fn_info fns[ASL_FN_COUNT] = { ASL_FNS(FN_) };
#undef FN_

const ir_fn_info *ir_fn(int fn)
{
	return fn >= 0 && fn < ASL_FN_COUNT ? &fns[fn] : NULL;
}

int ir_fn_lookup(const char *name)
{
	for (int i = 0; i < ASL_FN_COUNT; i++)
		if (!strcmp(fns[i].name, name))
			return i;
	return -1;
}

ir_path *ir_new_path(int root, char *var)
{
	ir_path *p = xcalloc(1, sizeof *p);
	p->root = root;
	p->var = var;
	p->definite = true;
	return p;
}

void ir_path_add(ir_path *p, ir_seg *s)
{
	p->segs = xrealloc(p->segs, (p->n_segs + 1) * sizeof *p->segs);
	p->segs[p->n_segs++] = *s;
	if (s->deep || (s->kind != ASL_SEG_MEMBER && s->kind != ASL_SEG_INDEX))
		p->definite = false;
	free(s);
}

ir_seg *ir_new_seg(int kind)
{
	ir_seg *s = xcalloc(1, sizeof *s);
	s->kind = kind;
	s->step = 1;
	return s;
}

ir_expr *ir_new_expr(int op, ir_expr *a, ir_expr *b)
{
	ir_expr *e = xcalloc(1, sizeof *e);
	e->op = op;
	e->a = a;
	e->b = b;
	return e;
}

ir_expr *ir_lit_expr(char *json)
{
	ir_expr *e = ir_new_expr(ASL_X_LIT, NULL, NULL);
	e->lit = json;
	return e;
}

ir_call *ir_new_call(char *name, int col)
{
	ir_call *c = xcalloc(1, sizeof *c);
	c->name = name;
	c->fn = ir_fn_lookup(name);
	c->col = col;
	return c;
}

void ir_call_add(ir_call *c, ir_arg *a)
{
	c->args = xrealloc(c->args, (c->n_args + 1) * sizeof *c->args);
	c->args[c->n_args++] = *a;
	free(a);
}

ir_arg *ir_new_arg(int kind, int col)
{
	ir_arg *a = xcalloc(1, sizeof *a);
	a->kind = kind;
	a->col = col;
	return a;
}

/* JSON text of a UTF-8 string. */
static void json_quote(strbuf *b, const char *s, size_t n)
{
	sb_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			sb_putc(b, '\\');
			sb_putc(b, (char)c);
		} else if (c < 0x20) {
			sb_printf(b, "\\u%04x", c);
		} else {
			sb_putc(b, (char)c);
		}
	}
	sb_putc(b, '"');
}

/*
 * A quoted string of a path or call: mode 0, a plain string (member
 * names); 1, JSON text (filter literals); 2, JSON text of an intrinsic
 * argument, which also keeps the text as written minus the quote escapes
 * in *raw, for States.Format.
 * In intrinsic arguments, \' \{ \} \\ are the escapes and a lone backslash
 * is an error.
 */
char *ir_quote_string(const char *q, int mode, char **raw,
                      const char **err)
{
	strbuf v = SB_INIT, r = SB_INIT;
	size_t n = strlen(q);

	for (size_t i = 1; i + 1 < n; i++) {
		char c = q[i];
		if (c != '\\') {
			sb_putc(&v, c);
			sb_putc(&r, c);
			continue;
		}
		c = q[++i];
		if (i + 1 >= n) {
			*err = "unterminated escape sequence in a string";
			break;
		}
		if (mode == 2 && c != '\'' && c != '{' && c != '}' && c != '\\') {
			*err = "invalid escape sequence in an intrinsic function's "
			       "string: only \\', \\{, \\} and \\\\ are allowed";
			break;
		}
		sb_putc(&v, c);
		if (c != '\'' && c != '"')
			sb_putc(&r, '\\');
		sb_putc(&r, c);
	}
	if (raw)
		*raw = sb_steal(&r);
	else
		sb_free(&r);
	if (mode == 0)
		return sb_steal(&v);
	strbuf j = SB_INIT;
	json_quote(&j, v.s ? v.s : "", v.len);
	sb_free(&v);
	return sb_steal(&j);
}

void ir_seg_free(ir_seg *s)
{
	if (!s)
		return;
	free(s->name);
	for (unsigned i = 0; s->names && i < s->count; i++)
		free(s->names[i]);
	free(s->names);
	free(s->indexes);
	ir_expr_free(s->filter);
	free(s);
}

void ir_expr_free(ir_expr *e)
{
	if (!e)
		return;
	ir_expr_free(e->a);
	ir_expr_free(e->b);
	ir_path_free(e->path);
	free(e->lit);
	free(e->regex);
	free(e);
}

void ir_path_free(ir_path *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->n_segs; i++) {
		ir_seg *s = &p->segs[i];
		free(s->name);
		for (unsigned j = 0; s->names && j < s->count; j++)
			free(s->names[j]);
		free(s->names);
		free(s->indexes);
		ir_expr_free(s->filter);
	}
	free(p->segs);
	free(p->var);
	free(p->text);
	free(p);
}

void ir_call_free(ir_call *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->n_args; i++) {
		free(c->args[i].lit);
		free(c->args[i].raw);
		ir_path_free(c->args[i].path);
		ir_call_free(c->args[i].call);
	}
	free(c->args);
	free(c->name);
	free(c->text);
	free(c);
}

char *ir_path_norm(const ir_path *p)
{
	strbuf b = SB_INIT;

	sb_puts(&b, p->root == ASL_ROOT_CONTEXT ? "$$"
	            : p->root == ASL_ROOT_CURRENT ? "@" : "$");
	if (p->root == ASL_ROOT_VAR)
		sb_puts(&b, p->var);
	for (unsigned i = 0; i < p->n_segs; i++) {
		const ir_seg *s = &p->segs[i];
		if (s->deep)
			sb_puts(&b, "..");
		switch (s->kind) {
		case ASL_SEG_MEMBER: sb_printf(&b, "['%s']", s->name); break;
		case ASL_SEG_INDEX: sb_printf(&b, "[%lld]", s->index); break;
		case ASL_SEG_WILDCARD: sb_puts(&b, "[*]"); break;
		case ASL_SEG_SLICE:
			sb_putc(&b, '[');
			if (s->has_start) sb_printf(&b, "%lld", s->index);
			sb_putc(&b, ':');
			if (s->has_end) sb_printf(&b, "%lld", s->end);
			sb_putc(&b, ']');
			break;
		case ASL_SEG_NAMES:
			sb_putc(&b, '[');
			for (unsigned j = 0; j < s->count; j++)
				sb_printf(&b, "%s'%s'", j ? "," : "", s->names[j]);
			sb_putc(&b, ']');
			break;
		case ASL_SEG_INDEXES:
			sb_putc(&b, '[');
			for (unsigned j = 0; j < s->count; j++)
				sb_printf(&b, "%s%lld", j ? "," : "", s->indexes[j]);
			sb_putc(&b, ']');
			break;
		case ASL_SEG_FILTER: sb_puts(&b, "[?]"); break;
		}
	}
	return sb_steal(&b);
}



void ir_parse_text(const char *text, ir_parse *out)
{
	struct plex L = { text, strlen(text), 0, 1, 0 };
	yyscan_t scanner;

	memset(out, 0, sizeof *out);
	out->src = text;
	if (aslp_lex_init_extra(&L, &scanner) != 0) {
		out->error = xstrdup("out of memory");
		return;
	}
	if (aslp_parse(scanner, out) != 0) {
		ir_path_free(out->path);
		ir_call_free(out->call);
		out->path = NULL;
		out->call = NULL;
		if (!out->error)
			out->error = xstrdup("syntax error");
	}
	aslp_lex_destroy(scanner);
	if (out->path)
		out->path->text = xstrdup(text);
	if (out->call)
		out->call->text = xstrdup(text); /* arguments: their own */
}

/* ------------------------------------------------------------- the memo */

typedef struct memo_entry {
	char *text;
	size_t hash;
	ir_parse p;
} memo_entry;

struct ir_memo {
	memo_entry **table;   /* open addressing; NULL empty */
	size_t size, n;
};

static size_t text_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

ir_memo *ir_memo_new(void)
{
	ir_memo *mm = xcalloc(1, sizeof *mm);

	mm->size = 64;
	mm->table = xcalloc(mm->size, sizeof *mm->table);
	return mm;
}

void ir_memo_free(ir_memo *mm)
{
	if (!mm)
		return;
	for (size_t i = 0; i < mm->size; i++)
		if (mm->table[i]) {
			ir_path_free(mm->table[i]->p.path);
			ir_call_free(mm->table[i]->p.call);
			free(mm->table[i]->p.error);
			free(mm->table[i]->text);
			free(mm->table[i]);
		}
	free(mm->table);
	free(mm);
}

static void memo_grow(ir_memo *mm)
{
	size_t size = 2 * mm->size;
	memo_entry **t = xcalloc(size, sizeof *t);

	for (size_t i = 0; i < mm->size; i++) {
		memo_entry *e = mm->table[i];
		size_t k;
		if (!e)
			continue;
		for (k = e->hash & (size - 1); t[k]; k = (k + 1) & (size - 1))
			;
		t[k] = e;
	}
	free(mm->table);
	mm->table = t;
	mm->size = size;
}

const ir_parse *ir_memo_parse(ir_memo *mm, const char *text)
{
	size_t h = text_hash(text), k;
	memo_entry *e;

	for (k = h & (mm->size - 1); (e = mm->table[k]);
	     k = (k + 1) & (mm->size - 1))
		if (e->hash == h && !strcmp(e->text, text))
			return &e->p;
	e = xmalloc(sizeof *e);
	e->text = xstrdup(text);
	e->hash = h;
	ir_parse_text(e->text, &e->p);
	mm->table[k] = e;
	if (2 * ++mm->n > mm->size)
		memo_grow(mm);
	return &e->p;
}
