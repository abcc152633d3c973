/*
 * dot.c - the state machine as a Graphviz diagram (asl2c --emit=dot), laid
 * out like the AWS console: one node per state, transitions as edges,
 * Choice rules as labelled edges, Catch edges dashed, Map and Parallel
 * states as clusters holding their processor or branches.
 *
 *     asl2c --emit=dot machine.json -o machine.dot
 *     dot -Tsvg machine.dot -o machine.svg
 *
 * Text from the definition reaches the output only through dot_string().
 */
#include "dot.h"
#include "model.h"
#include "keywords.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define LABEL_MAX 60  /* characters of a Choice rule's label */

/* s as a dot string literal: quotes and backslashes escaped, line breaks
 * as \n, other control characters dropped. */
static void dot_string(strbuf *b, const char *s)
{
	sb_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			sb_putc(b, '\\');
			sb_putc(b, (char)c);
		} else if (c == '\n') {
			sb_puts(b, "\\n");
		} else if (c >= 0x20 && c != 0x7f) {
			sb_putc(b, (char)c);
		}
	}
	sb_putc(b, '"');
}

/* Cut s to max characters (UTF-8 aware), adding "...". */
static void shorten(strbuf *s, size_t max)
{
	size_t chars = 0;

	for (size_t i = 0; i < s->len; i++) {
		if (((unsigned char)s->s[i] & 0xC0) == 0x80)
			continue;
		if (++chars > max) {
			s->len = i;
			s->s[i] = '\0';
			sb_puts(s, "...");
			return;
		}
	}
}

/* ------------------------------------------------------------ Choice */

/* The fields of a rule that are neither its operator nor its operand. */
static bool rule_extra(const char *key)
{
	int f = field_lookup(key);
	return f == FLD_VARIABLE || f == FLD_NEXT || f == FLD_COMMENT ||
	       f == FLD_ASSIGN;
}

static void describe(strbuf *b, const model *m, const jnode *r)
{
	const mobj *o = model_obj(m, r);
	const jnode *v;

	if (!o)
		return;
	if ((v = mobj_get(o, FLD_CONDITION))) {
		char *t = v->kind == J_STRING ? xstrdup(v->str) : jnode_dump(v);
		sb_puts(b, t);
		free(t);
		return;
	}
	if ((v = mobj_get(o, FLD_NOT))) {
		sb_puts(b, "not (");
		describe(b, m, v);
		sb_putc(b, ')');
		return;
	}
	if (((v = mobj_get(o, FLD_AND)) || (v = mobj_get(o, FLD_OR))) &&
	    v->kind == J_ARRAY) {
		const char *op = mobj_get(o, FLD_AND) ? " and " : " or ";
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_puts(b, op);
			sb_putc(b, '(');
			describe(b, m, v->items[i]);
			sb_putc(b, ')');
		}
		return;
	}
	v = mobj_get(o, FLD_VARIABLE);
	if (v && v->kind == J_STRING)
		sb_puts(b, v->str);
	for (size_t i = 0; i < r->n; i++) {
		const jmember *mb = &r->members[i];
		if (rule_extra(mb->key))
			continue;
		char *t = jnode_dump(mb->value);
		sb_printf(b, " %s %s", mb->key, t);
		free(t);
		break;
	}
}

/* ------------------------------------------------------------- nodes */

static void node(strbuf *b, const model *m, size_t i, int depth)
{
	const mstate *s = &m->states[i];
	static const char *const attrs[] = {
		[ASL_TASK] = "",
		[ASL_PASS] = ", style=\"rounded,filled,dashed\"",
		[ASL_CHOICE] = ", shape=diamond, style=filled, fillcolor=\"#fff4d6\"",
		[ASL_WAIT] = ", fillcolor=\"#eeeeee\"",
		[ASL_SUCCEED] = ", fillcolor=\"#d6f5d6\"",
		[ASL_FAIL] = ", fillcolor=\"#f8d0d0\"",
		[ASL_PARALLEL] = ", shape=box3d, fillcolor=\"#e0ecff\"",
		[ASL_MAP] = ", shape=box3d, fillcolor=\"#e0ecff\"",
	};
	strbuf label = SB_INIT;

	sb_printf(&label, "%s\n%s", s->name, state_type_name(s->type));
	sb_printf(b, "%*ss%zu [label=", depth, "", i);
	dot_string(b, label.s);
	sb_printf(b, "%s];\n", s->type >= 0 ? attrs[s->type] : "");
	sb_free(&label);
}

static void scope(strbuf *b, const model *m, int sc, int depth);

static void cluster(strbuf *b, const model *m, size_t i, int depth)
{
	const mstate *s = &m->states[i];
	strbuf title = SB_INIT;
	int branch = 0;

	sb_printf(&title, "%s: %s", state_type_name(s->type), s->name);
	sb_printf(b, "%*ssubgraph cluster_%zu {\n%*slabel=", depth, "", i,
	          depth + 1, "");
	dot_string(b, title.s);
	sb_printf(b, ";\n%*sstyle=\"rounded,dashed\";\n", depth + 1, "");
	node(b, m, i, depth + 1);
	for (size_t k = 0; k < m->n_scopes; k++) {
		if (m->scopes[k].owner != (int)i)
			continue;
		if (s->type == ASL_PARALLEL) {
			sb_printf(b, "%*ssubgraph cluster_%zu_%d {\n%*slabel=\"Branch "
			          "%d\";\n%*sstyle=dotted;\n", depth + 1, "", i, branch,
			          depth + 2, "", branch + 1, depth + 2, "");
			scope(b, m, (int)k, depth + 2);
			sb_printf(b, "%*s}\n", depth + 1, "");
			branch++;
		} else {
			scope(b, m, (int)k, depth + 1);
		}
		if (m->scopes[k].start >= 0)
			sb_printf(b, "%*ss%zu -> s%d [style=dotted, arrowhead=none];\n",
			          depth + 1, "", i, m->scopes[k].start);
	}
	sb_printf(b, "%*s}\n", depth, "");
	sb_free(&title);
}

static void scope(strbuf *b, const model *m, int sc, int depth)
{
	for (size_t i = 0; i < m->n_states; i++) {
		const mstate *s = &m->states[i];
		if (s->scope != sc)
			continue;
		if (s->type == ASL_MAP || s->type == ASL_PARALLEL)
			cluster(b, m, i, depth);
		else
			node(b, m, i, depth);
	}
}

/* ------------------------------------------------------------- edges */

static void edge(strbuf *b, size_t from, int to, const char *label,
                 const char *style)
{
	if (to < 0)
		return;
	sb_printf(b, "\ts%zu -> s%d", from, to);
	if (label || style) {
		sb_puts(b, " [");
		if (label) {
			sb_puts(b, "label=");
			dot_string(b, label);
		}
		if (style)
			sb_printf(b, "%s%s", label ? ", " : "", style);
		sb_putc(b, ']');
	}
	sb_puts(b, ";\n");
}

static int target(const model *m, const jnode *v)
{
	return v && v->kind == J_STRING ? model_find(m, v->str) : -1;
}

static void edges(strbuf *b, const model *m, size_t i)
{
	const mstate *s = &m->states[i];
	const mobj *o = s->obj;
	const jnode *v, *end = mobj_get(o, FLD_END);
	bool top = m->scopes[s->scope].owner < 0;

	if (s->type == ASL_CHOICE) {
		v = mobj_get(o, FLD_CHOICES);
		for (size_t k = 0; v && k < v->n; k++) {
			strbuf l = SB_INIT;
			describe(&l, m, v->items[k]);
			shorten(&l, LABEL_MAX);
			edge(b, i, target(m, model_get(m, v->items[k],
			                               FLD_NEXT)),
			     l.s ? l.s : "", NULL);
			sb_free(&l);
		}
		edge(b, i, target(m, mobj_get(o, FLD_DEFAULT)),
		     field_name(FLD_DEFAULT),
		     "style=bold");
	} else {
		edge(b, i, s->next, NULL, NULL);
	}
	if ((v = mobj_get(o, FLD_CATCH)))
		for (size_t k = 0; k < v->n; k++) {
			const mobj *k_ = model_obj(m, v->items[k]);
			const jnode *e = mobj_get(k_, FLD_ERROR_EQUALS);
			strbuf l = SB_INIT;
			sb_puts(&l, "catch ");
			for (size_t j = 0; e && j < e->n; j++)
				sb_printf(&l, "%s%s", j ? ", " : "", e->items[j]->str);
			shorten(&l, LABEL_MAX);
			edge(b, i, target(m, mobj_get(k_, FLD_NEXT)), l.s,
			     "style=dashed, color=\"#b03030\"");
			sb_free(&l);
		}
	if (top && ((end && end->kind == J_TRUE) || s->type == ASL_SUCCEED ||
	            s->type == ASL_FAIL))
		sb_printf(b, "\ts%zu -> end;\n", i);
}

char *dot_program(const model *m)
{
	strbuf b = SB_INIT;

	sb_puts(&b, "digraph asl {\n\tgraph [label=");
	dot_string(&b, m->name ? m->name : "state machine");
	sb_puts(&b, ", labelloc=t, fontname=\"Helvetica\", compound=true];\n"
	            "\tnode [shape=box, style=\"rounded,filled\", "
	            "fillcolor=\"#ffffff\", fontname=\"Helvetica\", "
	            "fontsize=11];\n"
	            "\tedge [fontname=\"Helvetica\", fontsize=9];\n"
	            "\tstart [label=\"Start\", shape=circle, style=filled, "
	            "fillcolor=\"#333333\", fontcolor=white, fontsize=9];\n"
	            "\tend [label=\"End\", shape=doublecircle, style=filled, "
	            "fillcolor=\"#333333\", fontcolor=white, fontsize=9];\n");
	scope(&b, m, 0, 1);
	if (m->n_scopes && m->scopes[0].start >= 0)
		sb_printf(&b, "\tstart -> s%d;\n", m->scopes[0].start);
	for (size_t i = 0; i < m->n_states; i++)
		edges(&b, m, i);
	sb_puts(&b, "}\n");
	return sb_steal(&b);
}
