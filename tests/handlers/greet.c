/*
 * greet.c - a C handler, both linked into a program (built with
 * -DGREET_MAIN and a generated program built with -DASL2C_NO_MAIN) and
 * loaded at run time (--handlers-lib greet.so).  doc/handlers.md.
 *
 * greet: {"name": "Ada"} -> {"greeting": "Hello, Ada", "function": ...,
 * "state": ...}; fails with NoName when event.name is not a string.
 */
#include <asl2c/asl2c.h>

#include <stdio.h>

static int greet(asl_invocation *inv, json_t *event, json_t **result,
                 void *user)
{
	const char *name = json_string_value(json_object_get(event, "name"));
	char text[256];

	(void)user;
	if (!name)
		return asl_fail(inv, "NoName", "event.name must be a string");
	asl_log(inv, "greeting %s", name);
	snprintf(text, sizeof text, "Hello, %s", name);
	*result = json_pack("{s:s, s:s, s:s}", "greeting", text,
	                    "function", asl_invocation_function(inv),
	                    "state", asl_invocation_state(inv));
	return 0;
}

int asl2c_register(asl_registry *reg)
{
	return asl_registry_add(reg, "greet", greet, NULL);
}

#ifdef GREET_MAIN
const asl_program *asl2c_program(void);

int main(int argc, char **argv)
{
	return asl_main(argc, argv, asl2c_program(), asl2c_register);
}
#endif
