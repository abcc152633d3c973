/*
 * fuzz_input.c - the generated program's input reader and everything the
 * execution input reaches: asl_main runs fuzz/input-machine.json (compiled
 * by asl2c, linked with -DASL2C_NO_MAIN) with the fuzzer's bytes as
 * --input.  Invalid input must exit 65, never crash or leak.
 */
#include <asl2c/asl2c.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const asl_program *asl2c_program(void);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The execution's output is not ours to see. */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	setenv("OMP_NUM_THREADS", "2", 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *input = malloc(size + 1);
	char *argv[] = { "fuzz_input", "--input", input, "--seed", "1",
	                 "--start-time", "2026-01-01T00:00:00Z",
	                 "--time-scale", "0", NULL };
	int status;

	memcpy(input, data, size);
	input[size] = '\0';
	status = asl_main(9, argv, asl2c_program(), NULL);
	if (status != 0 && status != 1 && status != 65)
		abort();
	free(input);
	return 0;
}
