/*
 * json.h - the definition's JSON reader (flex + bison), keeping the line
 * and column of every value.
 */
#ifndef ASL2C_JSON_H
#define ASL2C_JSON_H

#include "ast.h"
#include "diag.h"

#define JSON_MAX_DEPTH 512
/* AWS: a definition is at most 1 MB. */
#define JSON_MAX_SIZE 1048576

/* Parse src; NULL after reporting INVALID_JSON_DESCRIPTION. */
jnode *json_parse(const char *src, size_t len, diag *d);

/* Decode the n bytes of a JSON string's body (s, escapes and all) into
 * out (json.c, called by the scanner): -1 and *err on an error. */
int aslj_string_decode(const char *s, size_t n, jnode *out, const char **err);

/* What the scanner shares with the parser. */
struct jlex {
	int line, col;   /* position of the next character */
	int depth;       /* open arrays and objects */
	diag *d;
	const char *src;
	size_t len;
	size_t pos;
	const char *error; /* a lexical error, reported by the parser */
	const char *error_code; /* its code, if not INVALID_JSON_DESCRIPTION */
};

#endif
