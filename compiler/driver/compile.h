/*
 * compile.h - the compiler as a library: definition text in, C text out.
 * main.c is a thin command line around it; the tests call it in-process.
 */
#ifndef ASL2C_COMPILE_H
#define ASL2C_COMPILE_H

#include "diag.h"
#include "emit.h"

#include <stddef.h>

typedef struct compile_options {
	const char *file;     /* name in diagnostics */
	const char *name;     /* state machine name */
	bool no_version;
	bool check_only;      /* validate, emit nothing */
} compile_options;

/* Compile src.  Returns the C program (malloc'd), or NULL when the
 * definition is invalid: the diagnostics went to d. */
char *asl2c_compile(const char *src, size_t len, const compile_options *o,
                    diag *d);

/* What asl2c_compile_to() writes. */
enum asl2c_output { ASL2C_OUT_C, ASL2C_OUT_DOT };
char *asl2c_compile_to(const char *src, size_t len, const compile_options *o,
                       int output, diag *d);
/* The same for a machine of type EXPRESS when express is true (--type):
 * checked as AWS checks one (no .sync, activities, Distributed Map...). */
char *asl2c_compile_type(const char *src, size_t len,
                         const compile_options *o, int output, bool express,
                         diag *d);

/* Several definitions into one program (asl2c A.json B.json ... -o
 * run.c): u[0] is the entry point; the machines start one another by
 * name (states:startExecution).  Diagnostics name each unit's file. */
typedef struct compile_unit {
	const char *file;     /* name in diagnostics */
	const char *name;     /* the state machine's name: distinct */
	const char *src;
	size_t len;
} compile_unit;
char *asl2c_compile_machines(const compile_unit *u, size_t n,
                             const compile_options *o, bool express,
                             diag *d);

#endif
