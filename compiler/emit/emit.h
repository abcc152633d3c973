/*
 * emit.h - the C emitter.
 */
#ifndef ASL2C_EMIT_H
#define ASL2C_EMIT_H

#include <stdbool.h>
#include <stddef.h>

struct model;

typedef struct emit_options {
	const char *source;  /* the definition's file name, for the stamp */
	bool no_version;     /* leave the version out of the stamp */
} emit_options;

/* The whole C program for a checked model (malloc'd). */
char *emit_program(struct model *m, const emit_options *opt);
/* Several state machines in one program (asl2c A.json B.json ...): the
 * first is the entry point; each can start the others
 * (states:startExecution).  Their names must differ. */
char *emit_programs(struct model **ms, size_t n, const emit_options *opt);

#endif
