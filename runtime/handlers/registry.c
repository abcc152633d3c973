/*
 * registry.c - the handler registry: the handlers a program can call, by
 * function name (asl2c/handler.h).
 */
#include "local.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------------- registry */

struct asl_registry {
	struct entry {
		char *name;
		asl_handler h;
	} *v;
	size_t n, cap;
};

asl_registry *asl_registry_new_empty(void)
{
	return calloc(1, sizeof(asl_registry));
}

asl_registry *asl_registry_new(void)
{
	asl_registry *r = asl_registry_new_empty();
	if (!r)
		return NULL;
	asl_register_builtins(r);
	return r;
}

void asl_registry_free(asl_registry *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
	free(r);
}

int asl_registry_add(asl_registry *r, const char *name, asl_handler_fn fn,
                     void *user)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name)) {
			r->v[i].h.fn = fn;
			r->v[i].h.user = user;
			return 0;
		}
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct entry *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	if (!(r->v[r->n].name = strdup(name)))
		return -1;
	r->v[r->n].h.fn = fn;
	r->v[r->n].h.user = user;
	r->n++;
	return 0;
}

const asl_handler *asl_registry_find(const asl_registry *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name))
			return &r->v[i].h;
	return NULL;
}
