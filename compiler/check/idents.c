/*
 * idents.c - the C identifiers of the states (idents.h): made once, when
 * the model is built, and printed by the emitters.
 */
#include "idents.h"
#include "model.h"
#include "util.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *c_ident(const char *s)
{
	strbuf b = SB_INIT;
	bool under = false;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) && c < 0x80) {
			sb_putc(&b, (char)c);
			under = false;
		} else if (!under && b.len) {
			sb_putc(&b, '_');
			under = true;
		}
	}
	while (b.len && b.s[b.len - 1] == '_')
		b.s[--b.len] = '\0';
	if (!b.len)
		sb_puts(&b, "state");
	if (b.len > 48) {
		b.len = 48;
		b.s[48] = '\0';
	}
	return sb_steal(&b);
}

/* Identifiers are unique: a name that collides with an earlier one (case
 * and punctuation folded) takes a numeric suffix, in file order. */
void model_idents(model *m)
{
	size_t size = 16;
	while (size < 4 * m->n_states)
		size *= 2;
	char **seen = xcalloc(size, sizeof *seen);

	for (size_t i = 0; i < m->n_states; i++) {
		char *base = c_ident(m->states[i].name), *id = xstrdup(base);
		for (unsigned k = 2;; k++) {
			size_t h = 5381;
			for (const char *p = id; *p; p++)
				h = h * 33 + (unsigned char)tolower((unsigned char)*p);
			size_t j = h & (size - 1);
			bool taken = false;
			for (; seen[j]; j = (j + 1) & (size - 1))
				if (!strcasecmp(seen[j], id)) {
					taken = true;
					break;
				}
			if (!taken) {
				seen[j] = id;
				break;
			}
			free(id);
			id = xasprintf("%s_%u", base, k);
		}
		free(base);
		m->states[i].ident = xstrdup(id);
	}
	for (size_t j = 0; j < size; j++)
		free(seen[j]);
	free(seen);
}
