/*
 * jsontext.h - the one JSON text writer of the runtime and the compiler
 * (its JSON diagnostics): compact JSON as
 * AWS (Java) prints it, object keys in their order, reals as Java's
 * Double.toString writes them (0.1, 1.0, 1.0E20; doc/semantics.md).
 * Every JSON a program prints goes through it: the execution's output,
 * --describe, --history, causes, intrinsic results.  Not installed.
 */
#ifndef ASL2C_JSONTEXT_H
#define ASL2C_JSONTEXT_H

#include <stddef.h>

#include <jansson.h>

#include "strbuf.h"

/* v as compact JSON; malloc'd. */
char *jt_text(const json_t *v);

/* Append v as compact JSON. */
void jt_value(strbuf *b, const json_t *v);
/* Append the n bytes of UTF-8 at s as a JSON string, quotes included. */
void jt_string(strbuf *b, const char *s, size_t n);
/* Append a real as Java's Double.toString writes it. */
void jt_double(strbuf *b, double x);
/* Append an integer. */
void jt_integer(strbuf *b, json_int_t i);

#endif /* ASL2C_JSONTEXT_H */
