/*
 * check.c - reporting what the checks find: at the line and column of the
 * offending value or key, with AWS's location ("/States/A/Retry/0/Next").
 * Locations come from a table of every value's parent, built the first
 * time one is needed.
 */
#include "check.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t ptr_hash(const void *p)
{
	uintptr_t v = (uintptr_t)p;
	v ^= v >> 17;
	v *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(v ^ (v >> 29));
}

static void link_add(checker *c, const jnode *n, const jnode *parent,
                     size_t index)
{
	size_t i = ptr_hash(n) & (c->links_size - 1);

	while (c->links[i].node)
		i = (i + 1) & (c->links_size - 1);
	c->links[i] = (ck_link){ n, parent, index };
}

static size_t count_nodes(const jnode *n)
{
	size_t k = 1;

	for (size_t i = 0; i < n->n; i++)
		k += count_nodes(n->kind == J_ARRAY ? n->items[i]
		                                    : n->members[i].value);
	return k;
}

static void link_all(checker *c, const jnode *n)
{
	for (size_t i = 0; i < n->n; i++) {
		const jnode *v = n->kind == J_ARRAY ? n->items[i]
		                                    : n->members[i].value;
		link_add(c, v, n, i);
		link_all(c, v);
	}
}

static const ck_link *link_of(checker *c, const jnode *n)
{
	if (!c->links) {
		size_t total = count_nodes(c->m->root);
		c->links_size = 16;
		while (c->links_size < 2 * total)
			c->links_size *= 2;
		c->links = xcalloc(c->links_size, sizeof *c->links);
		link_all(c, c->m->root);
	}
	for (size_t i = ptr_hash(n) & (c->links_size - 1); c->links[i].node;
	     i = (i + 1) & (c->links_size - 1))
		if (c->links[i].node == n)
			return &c->links[i];
	return NULL;
}

static void location(checker *c, strbuf *b, const jnode *v)
{
	const ck_link *l = link_of(c, v);

	if (!l)
		return;
	location(c, b, l->parent);
	if (l->parent->kind == J_ARRAY)
		sb_printf(b, "/%zu", l->index);
	else
		sb_printf(b, "/%s", l->parent->members[l->index].key);
}

char *ck_location(checker *c, const jnode *v)
{
	strbuf b = SB_INIT;

	location(c, &b, v);
	if (!b.len)
		sb_putc(&b, '/');
	return sb_steal(&b);
}

const jmember *ck_member_of(const jnode *obj, const jnode *v)
{
	for (size_t i = 0; obj && obj->kind == J_OBJECT && i < obj->n; i++)
		if (obj->members[i].value == v)
			return &obj->members[i];
	return NULL;
}

static void vreport(checker *c, int severity, int line, int col,
                    const jnode *loc, const char *code, const char *flag,
                    const char *fmt, va_list ap) PRINTF_LIKE(8, 0);
static void vreport(checker *c, int severity, int line, int col,
                    const jnode *loc, const char *code, const char *flag,
                    const char *fmt, va_list ap)
{
	char *where;

	if (severity == DIAG_WARNING && !diag_warning_enabled(c->d, flag))
		return;
	where = ck_location(c, loc);
	diag_vreport(c->d, severity, line, col, where, code, flag, fmt, ap);
	free(where);
}

void ck_error(checker *c, const jnode *v, const char *code, const char *fmt,
              ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, DIAG_ERROR, v->line, v->col, v, code, NULL, fmt, ap);
	va_end(ap);
}

void ck_numbers(checker *c, const jnode *v)
{
	const char *why;

	if (v->kind == J_ARRAY) {
		for (size_t i = 0; i < v->n; i++)
			ck_numbers(c, v->items[i]);
	} else if (v->kind == J_OBJECT) {
		for (size_t i = 0; i < v->n; i++)
			ck_numbers(c, v->members[i].value);
	} else if (v->kind == J_NUMBER && (why = num_unholdable(v->str)) &&
	           !diag_error_at(c->d, v->line, v->col)) {
		ck_error(c, v, "UNSUPPORTED", "The number %s cannot be held: %s",
		         v->str, why);
	}
}

void ck_error_col(checker *c, const jnode *v, int col_offset,
                  const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, DIAG_ERROR, v->line, v->col + col_offset, v, code, NULL, fmt,
	        ap);
	va_end(ap);
}

void ck_error_key(checker *c, const jmember *mb, const char *code,
                  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, DIAG_ERROR, mb->line, mb->col, mb->value, code, NULL, fmt,
	        ap);
	va_end(ap);
}

void ck_error_obj(checker *c, const jnode *obj, const char *code,
                  const char *fmt, ...)
{
	const ck_link *l = link_of(c, obj);
	int line = obj->line, col = obj->col;
	va_list ap;

	if (l && l->parent->kind == J_OBJECT) {
		line = l->parent->members[l->index].line;
		col = l->parent->members[l->index].col;
	}
	va_start(ap, fmt);
	vreport(c, DIAG_ERROR, line, col, obj, code, NULL, fmt, ap);
	va_end(ap);
}

void ck_warning(checker *c, const jnode *v, const char *flag,
                const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, DIAG_WARNING, v->line, v->col, v, code, flag, fmt, ap);
	va_end(ap);
}

void ck_warning_col(checker *c, const jnode *v, int col_offset,
                    const char *flag, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, DIAG_WARNING, v->line, v->col + col_offset, v, code, flag,
	        fmt, ap);
	va_end(ap);
}

void ck_free(checker *c)
{
	free(c->links);
	free(c->labels);
}
