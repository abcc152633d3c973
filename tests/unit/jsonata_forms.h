/*
 * jsonata_forms.h - for the unit tests of the runtime's JSONata fields and
 * states: a program's expression table (asl_jsonata_src) made from the
 * expressions' texts as the compiler makes it, each parsed and written in
 * its compiled form, and freed again.
 */
#ifndef TESTS_JSONATA_FORMS_H
#define TESTS_JSONATA_FORMS_H

#include "jsonata.h"

#include <stdlib.h>

/* srcs[i] from texts[i]: 0, or 1 when one does not parse. */
static inline int forms_make(asl_jsonata_src *srcs, const char *const *texts,
                             size_t n)
{
	for (size_t i = 0; i < n; i++) {
		asl_jsonata_error err;
		asl_jsonata_expr *e = asl_jsonata_parse(texts[i], &err);
		size_t len;
		if (!e)
			return 1;
		srcs[i].text = texts[i];
		srcs[i].form = asl_jsonata_encode(e, &len);
		srcs[i].form_len = len;
		asl_jsonata_free(e);
	}
	return 0;
}

static inline void forms_free(asl_jsonata_src *srcs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)srcs[i].form);
}

#endif
