/*
 * fuzz_definition.c - the compiler's front end and emitter: any bytes as a
 * definition, diagnostics or a C program out, never a crash or a leak.
 */
#include "compile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	compile_options o = { "fuzz.json", "fuzz", true, false };
	diag d;
	char *out;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	memset(&d, 0, sizeof d);
	d.out = devnull;
	d.file = "fuzz.json";
	out = asl2c_compile((const char *)data, size, &o, &d);
	/* A program exactly when there was no error. */
	if ((out != NULL) != (d.errors == 0))
		abort();
	if (out && !strstr(out, "asl2c_program"))
		abort();
	free(out);
	return 0;
}
