/*
 * sig.c - function signatures (<s-n?:s>): parsed once, then each call's
 * arguments matched against them as jsonata-js does, with its coercions
 * (a value where an array is wanted becomes a singleton array, a missing
 * argument marked '-' takes the context) and its errors T0410-T0412.
 */
#include "jn.h"

#include <stdio.h>
#include <string.h>

/* What jsonata-js calls an array of SUB items in T0412. */
static const char *array_of(char sub)
{
	switch (sub) {
	case 'a': return "arrays";
	case 'b': return "booleans";
	case 'f': return "functions";
	case 'n': return "numbers";
	case 'o': return "objects";
	case 's': return "strings";
	default: return "values";
	}
}

static const char *expand(char t)
{
	switch (t) {
	case 'x': return "asnblfom";
	case 'j': return "asnblom";
	case 'a': return "asnblfom";
	case 'u': return "snblm";
	case 's': return "sm";
	case 'n': return "nm";
	case 'b': return "bm";
	case 'l': return "lm";
	case 'o': return "om";
	case 'f': return "fm";
	}
	return NULL;
}

struct jn_sig *jn_sig_parse(jn_arena *a, const char *s, int pos, asl_jsonata_error *err)
{
	struct jn_sig *sig = jn_aalloc(a, sizeof *sig);
	size_t len = strlen(s);
	sig->p = jn_aalloc(a, (len + 1) * sizeof *sig->p);
	size_t i = 1;   /* after '<' */
	while (i < len && s[i] != ':' && s[i] != '>') {
		char ch = s[i];
		jn_param *p = &sig->p[sig->n];
		if (ch == '?' || ch == '+') {
			if (!sig->n) break;
			sig->p[sig->n - 1].q = ch; i++; continue;
		}
		if (ch == '-') {
			if (!sig->n) break;
			sig->p[sig->n - 1].context = true; sig->p[sig->n - 1].q = '?'; i++; continue;
		}
		if (ch == '(') {
			size_t j = i + 1;
			int k = 0;
			while (j < len && s[j] != ')') {
				if (s[j] == '<') {
					jn_set_error(err, "S0402", pos, NULL, NULL, NULL);
					return NULL;
				}
				const char *ex = expand(s[j]);
				if (ex) { for (; *ex && k < 10; ex++) if (!strchr(p->types, *ex)) p->types[k++] = *ex; }
				else if (k < 10 && !strchr(p->types, s[j])) p->types[k++] = s[j];
				j++;
			}
			i = j + 1;
			sig->n++;
			continue;
		}
		if (ch == '<') {
			/* a type parameter: on the previous param */
			if (!sig->n) break;
			jn_param *q = &sig->p[sig->n - 1];
			if (!q->is_array && !strchr(q->types, 'f')) {
				jn_set_error(err, "S0401", pos, NULL, NULL, NULL);
				return NULL;
			}
			int depth = 1;
			size_t j = i + 1;
			if (q->is_array && j < len) q->sub = s[j];
			while (j < len && depth) { if (s[j] == '<') depth++; else if (s[j] == '>') depth--; j++; }
			i = j;
			continue;
		}
		const char *ex = expand(ch);
		if (ex) snprintf(p->types, sizeof p->types, "%s", ex);
		else { p->types[0] = ch; p->types[1] = 0; }
		p->is_array = ch == 'a';
		sig->n++;
		i++;
	}
	return sig;
}

static char symbol(jn_value *v)
{
	if (!v) return 'm';
	switch (v->t) {
	case JV_FUNC: return 'f';
	case JV_STR: return 's';
	case JV_NUM: return 'n';
	case JV_BOOL: return 'b';
	case JV_NULL: return 'l';
	case JV_ARR: return 'a';
	case JV_OBJ: return 'o';
	}
	return 'm';
}

/* Backtracking match of SYM[si..] against params from pi; counts[] gets
 * how many symbols each param took. */
static bool match(struct jn_sig *sig, int pi, const char *sym, int si, int *counts)
{
	if (pi == sig->n) return sym[si] == 0;
	jn_param *p = &sig->p[pi];
	int max = 0;
	while (sym[si + max] && strchr(p->types, sym[si + max]) && (p->q == '+' || max < 1)) max++;
	int min = p->q == '+' ? 1 : p->q == '?' ? 0 : 1;
	for (int k = max; k >= min; k--) {
		counts[pi] = k;
		if (match(sig, pi + 1, sym, si + k, counts)) return true;
	}
	return false;
}

jn_value **jn_sig_validate(jn_ctx *c, struct jn_sig *sig, jn_value **args,
			   int *nargs, jn_value *input, int pos, const char *name)
{
	char *sym = jn_alloc(c, (size_t)*nargs + 1);
	for (int i = 0; i < *nargs; i++) sym[i] = symbol(args[i]);
	sym[*nargs] = 0;
	int *counts = jn_alloc(c, (size_t)(sig->n + 1) * sizeof *counts);
	if (!match(sig, 0, sym, 0, counts)) {
		/* the first argument that does not fit */
		int bad = 0;
		for (int k = *nargs; k >= 0; k--) {
			char save = sym[k];
			sym[k] = 0;
			/* a prefix matches if some completion could: approximate by
			 * testing the params one by one */
			sym[k] = save;
		}
		int si = 0;
		for (int pi = 0; pi < sig->n && si < *nargs; pi++) {
			jn_param *p = &sig->p[pi];
			if (strchr(p->types, sym[si])) { si++; if (p->q == '+') while (si < *nargs && strchr(p->types, sym[si])) si++; }
			else if (p->q != '?') break;
		}
		bad = si + 1;
		char ix[16];
		snprintf(ix, sizeof ix, "%d", bad);
		jn_throw(c, "T0410", pos, name, bad <= *nargs ? args[bad - 1] : NULL, jn_num(c, bad));
		(void)ix;
	}
	jn_value **out = jn_alloc(c, (size_t)(*nargs + sig->n + 1) * sizeof *out);
	int ai = 0, o = 0;
	for (int pi = 0; pi < sig->n; pi++) {
		jn_param *p = &sig->p[pi];
		if (counts[pi] == 0) {
			if (p->context) {
				char s = symbol(input);
				if (!strchr(p->types, s)) jn_throw(c, "T0411", pos, name, input, jn_num(c, ai + 1));
				out[o++] = input;
			} else if (ai < *nargs && 0) {
				out[o++] = args[ai++];
			} else out[o++] = NULL;
			continue;
		}
		for (int k = 0; k < counts[pi]; k++) {
			jn_value *a = args[ai++];
			if (p->is_array && a) {
				if (p->sub) {
					bool ok = true;
					if (a->t == JV_ARR) {
						for (size_t q = 0; q < a->u.a.n; q++)
							if (symbol(a->u.a.v[q]) != p->sub) { ok = false; break; }
					} else ok = symbol(a) == p->sub;
					if (!ok) jn_throw(c, "T0412", pos, name, jn_strz(c, array_of(p->sub)), jn_num(c, ai));
				}
				if (a->t != JV_ARR) {
					jn_value *w = jn_seq(c, 1);
					jn_push(c, w, a);
					a = w;
				}
			}
			out[o++] = a;
		}
	}
	*nargs = o;
	return out;
}

int jn_sig_nparams(struct jn_sig *s) { return s->n; }

/* The arity a higher-order function sees: the parameters that are not
 * optional (JavaScript's Function.length of the implementation). */
int jn_sig_arity(struct jn_sig *s)
{
	int n = 0;
	for (int i = 0; i < s->n; i++) if (s->p[i].q != '?' || s->p[i].context) n++;
	return n;
}
