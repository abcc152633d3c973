/*
 * driver.c - the main() of a conformance area's program: every case of the
 * area is linked into it (its asl2c_program renamed conf_<area>_<case>),
 * and the first argument names the one to run.  The rest of the command
 * line is the generated program's (asl_main).  cases.h, written by run.sh,
 * lists the cases.
 */
#include <asl2c/asl2c.h>

#include <stdio.h>
#include <string.h>

int conformance_register(asl_registry *reg);

#define CASE(sym) const asl_program *sym(void);
#include "cases.h"
#undef CASE

static const struct {
	const char *name;
	const asl_program *(*program)(void);
} cases[] = {
#define CASE(sym) { #sym, sym },
#include "cases.h"
#undef CASE
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CASE [PROGRAM OPTIONS]\n", argv[0]);
		return 64;
	}
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (!strcmp(cases[i].name, argv[1]))
			return asl_main(argc - 1, argv + 1, cases[i].program(),
			                conformance_register);
	fprintf(stderr, "%s: no case '%s'\n", argv[0], argv[1]);
	return 64;
}
