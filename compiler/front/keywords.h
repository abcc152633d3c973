/*
 * keywords.h - the names of a definition the compiler recognises, made from
 * the lists the runtime's enumerations are made from (asl2c/lists.h):
 * state types, Choice operators, error names.
 */
#ifndef ASL2C_KEYWORDS_H
#define ASL2C_KEYWORDS_H

#include <asl2c/program.h>
#include <stdbool.h>

const char *state_type_name(int type);
/* The state type called s, or -1. */
int state_type_lookup(const char *s);

/* A Choice data-test operator (asl2c/lists.h's ASL_CHOICE_OPERATORS). */
typedef struct choice_op_info {
	const char *name;
	unsigned char op;    /* enum asl_rule_op */
	unsigned char type;  /* enum asl_cmp_type */
	unsigned char rel;   /* enum asl_rel */
} choice_op_info;

/* The operator called key ("NumericEquals", "NumericEqualsPath"), *path
 * set for the "...Path" forms of the comparisons; NULL if none. */
const choice_op_info *choice_operator(const char *key, bool *path);

/* The predefined error names (States.ALL, ...; enum asl_error_name is
 * asl2c/program.h's). */
const char *error_name(enum asl_error_name e);

#endif
