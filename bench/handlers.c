/*
 * handlers.c - the bench's C handlers (bench/handlers.h does their work),
 * for the workloads whose Task states call them: map-cpu, fan-in-map
 * and retry-chain.  Built two ways by bench/run:
 *   linked into the generated program (compiled with -DASL2C_NO_MAIN): this
 *     file's main() runs the program with the handlers registered;
 *   -DBENCH_HANDLERS_LIB -shared -fPIC: a handler library for
 *     --handlers-lib (asl2c run's edit-to-result measurement).
 * sha256_work (map-cpu) only with -DBENCH_SHA256, and then -lcrypto: the
 * other workloads' programs do not load libcrypto, as the runtime does
 * not until a hash is asked for.
 */
#include <asl2c/asl2c.h>

#include "handlers.h"

typedef json_t *work_fn(json_t *event, const char **error, char *cause,
                        size_t n);

/* Each handler is one function of bench/handlers.h, passed as user. */
typedef struct work {
	const char *name;
	work_fn *fn;
} work;

static const work works[] = {
	{ "process_partition", work_process_partition },
	{ "flaky_fetch", work_flaky_fetch },
	{ "validate_record", work_validate_record },
	{ "store_record", work_store_record },
#ifdef BENCH_SHA256
	{ "sha256_work", work_sha256 },
#endif
};

static int call(asl_invocation *inv, json_t *event, json_t **result,
                void *user)
{
	const char *error = "Error";
	char cause[160];

	*result = ((const work *)user)->fn(event, &error, cause, sizeof cause);
	return *result ? 0 : asl_fail(inv, error, "%s", cause);
}

int asl2c_register(asl_registry *reg)
{
	for (size_t i = 0; i < sizeof works / sizeof *works; i++)
		if (asl_registry_add(reg, works[i].name, call, (void *)&works[i]))
			return -1;
	return 0;
}

#ifndef BENCH_HANDLERS_LIB
const asl_program *asl2c_program(void);

int main(int argc, char **argv)
{
	return asl_main(argc, argv, asl2c_program(), asl2c_register);
}
#endif
