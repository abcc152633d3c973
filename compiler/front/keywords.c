/*
 * keywords.c - the names of a definition the compiler recognises
 * (keywords.h), from asl2c/lists.h.
 */
#include "keywords.h"

#include <string.h>

#define TYPE_NAME_(n, name, exec) [ASL_##n] = name,
static const char *const type_names[] = { ASL_STATE_TYPES(TYPE_NAME_) };
#undef TYPE_NAME_
#define N_TYPES (sizeof type_names / sizeof *type_names)

const char *state_type_name(int type)
{
	return type >= 0 && (size_t)type < N_TYPES ? type_names[type] : "?";
}

int state_type_lookup(const char *s)
{
	for (size_t i = 0; i < N_TYPES; i++)
		if (!strcmp(type_names[i], s))
			return (int)i;
	return -1;
}

#define OPERATOR_(name, op, type, rel)                                     \
	{ name, ASL_R_##op, ASL_T_##type, ASL_##rel },
static const choice_op_info operators[] = {
	ASL_CHOICE_OPERATORS(OPERATOR_)
};
#undef OPERATOR_

const choice_op_info *choice_operator(const char *key, bool *path)
{
	size_t n = strlen(key);

	*path = false;
	for (size_t i = 0; i < sizeof operators / sizeof *operators; i++) {
		size_t l = strlen(operators[i].name);
		if (strncmp(key, operators[i].name, l))
			continue;
		if (key[l] == '\0')
			return &operators[i];
		if (n == l + 4 && !strcmp(key + l, "Path") &&
		    operators[i].op == ASL_R_COMPARE) {
			*path = true;
			return &operators[i];
		}
	}
	return NULL;
}

#define ERROR_NAME_(n, name) name,
static const char *const error_names[] = { ASL_ERROR_NAMES(ERROR_NAME_) };
#undef ERROR_NAME_

const char *error_name(enum asl_error_name e)
{
	return e < ASL_E_COUNT ? error_names[e] : "?";
}
