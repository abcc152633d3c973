/*
 * serial.c - an expression's compiled form: the tree the parser built,
 * written out as text by the compiler and read back by a generated program,
 * so that a program never parses an expression that was known when it was
 * compiled (no scanner, no grammar, no processing of the parse: the tree
 * is the processed one).
 *
 * The form is a list of tokens separated by single spaces:
 *
 *   J1 NODES SLOTS ROOT  slot...  node...
 *
 * A slot (a parent-operator reference, shared by the nodes that seek it) is
 * LABEL LEVEL INDEX.  A node is its fields in the order of write_node();
 * references to other nodes and slots are their numbers (-1: none), so a
 * tree whose nodes or slots are shared reads back with the same sharing.
 * Integers are decimal, numbers C's hexadecimal floats (exact), strings
 * LENGTH:BYTES (any bytes, NUL included) or '-' for none.  Only the
 * annotations (literal values, plain steps, scoping blocks) are not
 * written: they are worked out again from the tree, as after a parse.
 *
 * Reading checks the form's shape: every count within what the rest can
 * hold, every reference in range, no node type that only the parse uses,
 * no loop among the nodes, nothing after the last node.
 */
#define _POSIX_C_SOURCE 200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "jn.h"
#include "strbuf.h"

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORM_MAGIC "J1"

/* ------------------------------------------------------------- writing */

typedef struct writer {
	strbuf b;
	const jn_node **nodes;    /* node number -> node */
	size_t n_nodes, cap_nodes;
	const jn_slot **slots;
	size_t n_slots, cap_slots;
} writer;

static long find_ptr(const void **v, size_t n, const void *p)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == p) return (long)i;
	return -1;
}

static void add_ptr(const void ***v, size_t *n, size_t *cap, const void *p)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		const void **nv = realloc(*v, *cap * sizeof **v);
		if (!nv) sb_oom();
		*v = nv;
	}
	(*v)[(*n)++] = p;
}

static void number_slot(writer *w, const jn_slot *s)
{
	if (s && find_ptr((const void **)w->slots, w->n_slots, s) < 0)
		add_ptr((const void ***)&w->slots, &w->n_slots, &w->cap_slots, s);
}

/* Number N and every node and slot it reaches, each once. */
static void number(writer *w, const jn_node *n)
{
	if (!n || find_ptr((const void **)w->nodes, w->n_nodes, n) >= 0) return;
	add_ptr((const void ***)&w->nodes, &w->n_nodes, &w->cap_nodes, n);
	const jn_node *kids[] = { n->lhs, n->rhs, n->then, n->els, n->group };
	for (size_t i = 0; i < sizeof kids / sizeof *kids; i++) number(w, kids[i]);
	for (int i = 0; i < n->nitems; i++) number(w, n->items[i]);
	for (int i = 0; i < n->npairs; i++) { number(w, n->keys[i]); number(w, n->vals[i]); }
	for (int i = 0; i < n->nstages; i++) number(w, n->stages[i].expr);
	for (int i = 0; i < n->npreds; i++) number(w, n->preds[i].expr);
	number_slot(w, n->ancestor);
	for (int i = 0; i < n->nseeking; i++) number_slot(w, n->seeking[i]);
}

static void put_int(writer *w, long long v) { sb_printf(&w->b, " %lld", v); }

static void put_str(writer *w, const char *s, size_t len)
{
	if (!s) { sb_puts(&w->b, " -"); return; }
	sb_printf(&w->b, " %zu:", len);
	sb_put(&w->b, s, len);
}

static void put_strz(writer *w, const char *s) { put_str(w, s, s ? strlen(s) : 0); }

static void put_node(writer *w, const jn_node *n)
{
	put_int(w, n ? find_ptr((const void **)w->nodes, w->n_nodes, n) : -1);
}

static void put_slot(writer *w, const jn_slot *s)
{
	put_int(w, s ? find_ptr((const void **)w->slots, w->n_slots, s) : -1);
}

static void put_stages(writer *w, const jn_stage *st, int n)
{
	put_int(w, n);
	for (int i = 0; i < n; i++) {
		put_node(w, st[i].expr);
		put_strz(w, st[i].index);
		put_int(w, st[i].pos);
	}
}

/* A parsed signature: its parameter count (-1: none), then each one. */
static void put_sig(writer *w, const struct jn_sig *sig)
{
	put_int(w, sig ? sig->n : -1);
	for (int i = 0; sig && i < sig->n; i++) {
		const jn_param *p = &sig->p[i];
		put_strz(w, p->types);
		put_int(w, p->q); put_int(w, p->context);
		put_int(w, p->sub); put_int(w, p->is_array);
	}
}

static void write_node(writer *w, const jn_node *n)
{
	put_int(w, n->type); put_int(w, n->op); put_int(w, n->pos);
	sb_printf(&w->b, " %a", n->num);
	put_str(w, n->str, n->len);
	put_node(w, n->lhs); put_node(w, n->rhs); put_node(w, n->then);
	put_node(w, n->els); put_node(w, n->group);
	put_int(w, n->nitems);
	for (int i = 0; i < n->nitems; i++) put_node(w, n->items[i]);
	put_int(w, n->desc != NULL);
	for (int i = 0; n->desc && i < n->nitems; i++) put_int(w, n->desc[i]);
	put_int(w, n->npairs);
	for (int i = 0; i < n->npairs; i++) { put_node(w, n->keys[i]); put_node(w, n->vals[i]); }
	put_stages(w, n->stages, n->nstages);
	put_stages(w, n->preds, n->npreds);
	put_strz(w, n->focus); put_strz(w, n->index);
	put_slot(w, n->ancestor);
	put_int(w, n->nseeking);
	for (int i = 0; i < n->nseeking; i++) put_slot(w, n->seeking[i]);
	put_int(w, n->keep_array | n->keep_singleton << 1 | n->cons_array << 2 |
		   n->tuple << 3 | n->thunk << 4);
	put_strz(w, n->sig);
	put_sig(w, n->sigp);
	put_int(w, n->regex_flags);
}

char *jn_encode(const jn_node *root, size_t *len)
{
	writer w;
	memset(&w, 0, sizeof w);
	number(&w, root);
	sb_printf(&w.b, FORM_MAGIC " %zu %zu 0", w.n_nodes, w.n_slots);
	for (size_t i = 0; i < w.n_slots; i++) {
		put_strz(&w, w.slots[i]->label);
		put_int(&w, w.slots[i]->level);
		put_int(&w, w.slots[i]->index);
	}
	for (size_t i = 0; i < w.n_nodes; i++) write_node(&w, w.nodes[i]);
	free(w.nodes);
	free(w.slots);
	*len = w.b.len;
	return sb_steal(&w.b);
}

/* ------------------------------------------------------------- reading */

typedef struct reader {
	const char *p, *end;
	jn_arena *a;
	jn_node *nodes;
	long n_nodes;
	jn_slot *slots;
	long n_slots;
	bool bad;            /* malformed, or out of memory */
	bool oom;
} reader;

static void *ralloc(reader *r, size_t n)
{
	void *p = jn_aalloc(r->a, n ? n : 1);
	if (!p) r->bad = r->oom = true;
	return p;
}

/* The next token's text (after its one leading space, but the first). */
static bool space(reader *r)
{
	if (r->bad) return false;
	if (r->p < r->end && *r->p == ' ') { r->p++; return true; }
	r->bad = true;
	return false;
}

static long long get_int(reader *r, long long lo, long long hi)
{
	if (!space(r)) return lo;
	char buf[24];
	size_t n = 0;
	while (r->p < r->end && *r->p != ' ' && n < sizeof buf - 1) buf[n++] = *r->p++;
	buf[n] = '\0';
	char *e;
	errno = 0;
	long long v = strtoll(buf, &e, 10);
	if (!n || *e || errno || v < lo || v > hi) { r->bad = true; return lo; }
	return v;
}

static double get_num(reader *r)
{
	if (!space(r)) return 0;
	char buf[64];
	size_t n = 0;
	while (r->p < r->end && *r->p != ' ' && n < sizeof buf - 1) buf[n++] = *r->p++;
	buf[n] = '\0';
	char *e;
	double v = strtod(buf, &e);
	if (!n || *e) r->bad = true;
	return v;
}

/* A string, NUL-terminated in the arena (*len: its bytes), or NULL. */
static const char *get_str(reader *r, size_t *len)
{
	if (len) *len = 0;
	if (!space(r)) return NULL;
	if (r->p < r->end && *r->p == '-') { r->p++; return NULL; }
	size_t n = 0;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9' && n < (size_t)1 << 40)
		n = n * 10 + (size_t)(*r->p++ - '0');
	if (r->p >= r->end || *r->p != ':' || (size_t)(r->end - r->p - 1) < n) {
		r->bad = true;
		return NULL;
	}
	r->p++;
	char *s = ralloc(r, n + 1);
	if (!s) return NULL;
	memcpy(s, r->p, n);
	s[n] = '\0';
	r->p += n;
	if (len) *len = n;
	return s;
}

static jn_node *get_node(reader *r)
{
	long long i = get_int(r, -1, r->n_nodes - 1);
	return i < 0 || r->bad ? NULL : &r->nodes[i];
}

static jn_slot *get_slot(reader *r)
{
	long long i = get_int(r, -1, r->n_slots - 1);
	return i < 0 || r->bad ? NULL : &r->slots[i];
}

/* A count of things of SIZE bytes each that the rest of the form can hold
 * (each takes at least two bytes), and room for them. */
static int get_count(reader *r, size_t size, void **room)
{
	int n = (int)get_int(r, 0, (r->end - r->p) / 2);
	*room = NULL;
	if (n && !r->bad) *room = ralloc(r, (size_t)n * size);
	return r->bad ? 0 : n;
}

static int get_stages(reader *r, jn_stage **out)
{
	int n = get_count(r, sizeof **out, (void **)out);
	for (int i = 0; i < n && !r->bad; i++) {
		(*out)[i].expr = get_node(r);
		(*out)[i].index = get_str(r, NULL);
		(*out)[i].pos = (int)get_int(r, -1, 1 << 30);
	}
	return n;
}

static void read_children(reader *r, jn_node *n)
{
	n->lhs = get_node(r); n->rhs = get_node(r); n->then = get_node(r);
	n->els = get_node(r); n->group = get_node(r);
	n->nitems = get_count(r, sizeof *n->items, (void **)&n->items);
	for (int i = 0; i < n->nitems; i++) n->items[i] = get_node(r);
	if (get_int(r, 0, 1)) {
		n->desc = ralloc(r, (size_t)n->nitems * sizeof *n->desc);
		for (int i = 0; n->desc && i < n->nitems; i++) n->desc[i] = get_int(r, 0, 1);
	}
	n->npairs = get_count(r, sizeof *n->keys, (void **)&n->keys);
	if (n->npairs) n->vals = ralloc(r, (size_t)n->npairs * sizeof *n->vals);
	for (int i = 0; n->vals && i < n->npairs; i++) {
		n->keys[i] = get_node(r);
		n->vals[i] = get_node(r);
	}
	n->nstages = get_stages(r, &n->stages);
	n->npreds = get_stages(r, &n->preds);
}

/* A regular expression's code, compiled as the scanner compiles it. */
static void compile_regex(reader *r, jn_node *n, struct jn_relist **regexes)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)n->str, n->len,
				       jn_regex_options(n->regex_flags), &ec, &eo, NULL);
	struct jn_relist *l = re ? ralloc(r, sizeof *l) : NULL;
	if (!l) { pcre2_code_free(re); r->bad = true; return; }
	l->code = re; l->next = *regexes; *regexes = l;
	n->regex = re;
}

static struct jn_sig *get_sig(reader *r)
{
	int n = (int)get_int(r, -1, (r->end - r->p) / 2);
	if (n < 0 || r->bad) return NULL;
	struct jn_sig *sig = ralloc(r, sizeof *sig);
	if (!sig) return NULL;
	sig->n = n;
	sig->p = n ? ralloc(r, (size_t)n * sizeof *sig->p) : NULL;
	for (int i = 0; i < n && !r->bad; i++) {
		jn_param *p = &sig->p[i];
		size_t len;
		const char *t = get_str(r, &len);
		if (!t || len >= sizeof p->types) { r->bad = true; break; }
		memcpy(p->types, t, len + 1);
		p->q = (char)get_int(r, 0, 127);
		p->context = get_int(r, 0, 1);
		p->sub = (char)get_int(r, 0, 127);
		p->is_array = get_int(r, 0, 1);
	}
	return sig;
}

static void read_node(reader *r, jn_node *n, struct jn_relist **regexes)
{
	n->type = (int)get_int(r, N_PATH, N_SORT);   /* no parse-only node */
	n->op = (int)get_int(r, 0, OP_RANGE);
	n->pos = (int)get_int(r, -1, 1 << 30);
	n->num = get_num(r);
	n->str = get_str(r, &n->len);
	read_children(r, n);
	n->focus = get_str(r, NULL);
	n->index = get_str(r, NULL);
	n->ancestor = get_slot(r);
	n->nseeking = get_count(r, sizeof *n->seeking, (void **)&n->seeking);
	for (int i = 0; i < n->nseeking; i++) n->seeking[i] = get_slot(r);
	int f = (int)get_int(r, 0, 31);
	n->keep_array = f & 1; n->keep_singleton = f >> 1 & 1; n->cons_array = f >> 2 & 1;
	n->tuple = f >> 3 & 1; n->thunk = f >> 4 & 1;
	n->sig = get_str(r, NULL);
	n->sigp = get_sig(r);
	n->regex_flags = (int)get_int(r, 0, 3);
	if (n->type == N_REGEX && !r->bad) {
		if (n->str) compile_regex(r, n, regexes);
		else r->bad = true;
	}
}

/* Whether the nodes reachable from N form no loop (COLOR per node: 0 not
 * seen, 1 on the way down, 2 done). */
static bool acyclic(reader *r, const jn_node *n, unsigned char *color)
{
	if (!n) return true;
	unsigned char *c = &color[n - r->nodes];
	if (*c) return *c == 2;
	*c = 1;
	const jn_node *kids[] = { n->lhs, n->rhs, n->then, n->els, n->group };
	bool ok = true;
	for (size_t i = 0; ok && i < sizeof kids / sizeof *kids; i++) ok = acyclic(r, kids[i], color);
	for (int i = 0; ok && i < n->nitems; i++) ok = acyclic(r, n->items[i], color);
	for (int i = 0; ok && i < n->npairs; i++)
		ok = acyclic(r, n->keys[i], color) && acyclic(r, n->vals[i], color);
	for (int i = 0; ok && i < n->nstages; i++) ok = acyclic(r, n->stages[i].expr, color);
	for (int i = 0; ok && i < n->npreds; i++) ok = acyclic(r, n->preds[i].expr, color);
	*c = 2;
	return ok;
}

jn_node *jn_decode(const char *form, size_t len, jn_arena *a,
		   struct jn_relist **regexes, bool *oom)
{
	reader r = { form, form + len, a, NULL, 0, NULL, 0, false, false };
	size_t magic = strlen(FORM_MAGIC);
	if (len < magic || memcmp(form, FORM_MAGIC, magic)) return NULL;
	r.p += magic;
	r.n_nodes = (long)get_int(&r, 1, (long long)len);
	r.n_slots = (long)get_int(&r, 0, (long long)len);
	long root = (long)get_int(&r, 0, r.n_nodes - 1);
	if (!r.bad) r.nodes = ralloc(&r, (size_t)r.n_nodes * sizeof *r.nodes);
	if (!r.bad && r.n_slots) r.slots = ralloc(&r, (size_t)r.n_slots * sizeof *r.slots);
	for (long i = 0; i < r.n_slots && !r.bad; i++) {
		r.slots[i].label = (char *)get_str(&r, NULL);
		r.slots[i].level = (int)get_int(&r, -1, 1 << 30);
		r.slots[i].index = (int)get_int(&r, -1, 1 << 30);
	}
	for (long i = 0; i < r.n_nodes && !r.bad; i++) read_node(&r, &r.nodes[i], regexes);
	if (r.p != r.end) r.bad = true;
	if (!r.bad) {
		unsigned char *color = calloc((size_t)r.n_nodes, 1);
		if (!color) r.bad = r.oom = true;
		else if (!acyclic(&r, &r.nodes[root], color)) r.bad = true;
		free(color);
	}
	*oom = r.oom;
	return r.bad ? NULL : &r.nodes[root];
}
