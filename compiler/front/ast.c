/*
 * ast.c - the located JSON values of a definition.
 */
#include "ast.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

jnode *jnode_new(jkind kind, int line, int col)
{
	jnode *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

void jnode_free(jnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == J_ARRAY) {
			jnode_free(n->items[i]);
		} else {
			free(n->members[i].key);
			jnode_free(n->members[i].value);
		}
	}
	free(n->items);
	free(n->members);
	free(n->str);
	free(n);
}

void jarray_add(jnode *a, jnode *v)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 4;
		a->items = xrealloc(a->items, a->cap * sizeof *a->items);
	}
	a->items[a->n++] = v;
}

void jobject_add(jnode *o, jnode *key, jnode *v)
{
	jmember *m;

	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 4;
		o->members = xrealloc(o->members, o->cap * sizeof *o->members);
	}
	m = &o->members[o->n++];
	m->key = key->str;
	m->klen = key->len;
	m->line = key->line;
	m->col = key->col;
	m->value = v;
	key->str = NULL;
	jnode_free(key);
}

const jmember *jobject_member(const jnode *o, const char *key)
{
	if (!o || o->kind != J_OBJECT)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->members[i].key, key) &&
		    strlen(o->members[i].key) == o->members[i].klen)
			return &o->members[i];
	return NULL;
}

const jnode *jobject_get(const jnode *o, const char *key)
{
	const jmember *m = jobject_member(o, key);
	return m ? m->value : NULL;
}

bool jnode_is_integer(const jnode *n)
{
	return n && n->kind == J_NUMBER && !strpbrk(n->str, ".eE");
}

const char *jkind_name(jkind k)
{
	static const char *const names[] = {
		"null", "boolean", "boolean", "number", "string", "array", "object"
	};
	return names[k];
}

static void dump_string(strbuf *b, const char *s, size_t len)
{
	sb_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		switch (ch) {
		case '"': sb_puts(b, "\\\""); break;
		case '\\': sb_puts(b, "\\\\"); break;
		case '\n': sb_puts(b, "\\n"); break;
		case '\t': sb_puts(b, "\\t"); break;
		case '\r': sb_puts(b, "\\r"); break;
		case '\b': sb_puts(b, "\\b"); break;
		case '\f': sb_puts(b, "\\f"); break;
		default:
			if (ch < 0x20)
				sb_printf(b, "\\u%04x", ch);
			else
				sb_putc(b, (char)ch);
		}
	}
	sb_putc(b, '"');
}

static void dump(strbuf *b, const jnode *n)
{
	switch (n->kind) {
	case J_NULL: sb_puts(b, "null"); break;
	case J_TRUE: sb_puts(b, "true"); break;
	case J_FALSE: sb_puts(b, "false"); break;
	case J_NUMBER: sb_puts(b, n->str); break;
	case J_STRING: dump_string(b, n->str, n->len); break;
	case J_ARRAY:
		sb_putc(b, '[');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				sb_putc(b, ',');
			dump(b, n->items[i]);
		}
		sb_putc(b, ']');
		break;
	case J_OBJECT:
		sb_putc(b, '{');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				sb_putc(b, ',');
			dump_string(b, n->members[i].key, n->members[i].klen);
			sb_putc(b, ':');
			dump(b, n->members[i].value);
		}
		sb_putc(b, '}');
		break;
	}
}

char *jnode_dump(const jnode *n)
{
	strbuf b = SB_INIT;
	dump(&b, n);
	return sb_steal(&b);
}
