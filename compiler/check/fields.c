/*
 * fields.c - the table of the fields of ASL_FIELDS (fields.h).
 */
#include "fields.h"

#include <string.h>

static const field_info fields[FLD_COUNT] = {
#define FLD_INFO_(id, name, states, ql, kind) { name, states, ql, kind },
	ASL_FIELDS(FLD_INFO_)
#undef FLD_INFO_
};

const field_info *field_info_of(enum asl_field f)
{
	return &fields[f];
}

const char *field_name(enum asl_field f)
{
	return fields[f].name;
}

int field_lookup(const char *key)
{
	for (int f = 0; f < FLD_COUNT; f++)
		if (fields[f].name[0] == key[0] && !strcmp(fields[f].name, key))
			return f;
	return -1;
}
