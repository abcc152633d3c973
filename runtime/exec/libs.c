/*
 * libs.c - libcrypto and libmicrohttpd, loaded on first use (libs.h).
 */
#include "config.h"
#include "libs.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Stop the program: the library NAME (or its symbol) is not there. */
static void __attribute__((noreturn)) missing(const char *name)
{
	const char *why = dlerror();
	char msg[512];
	int n = snprintf(msg, sizeof msg, "asl2c runtime: cannot load %s: %s\n",
	                 name, why ? why : "unknown error");

	if (n > 0 && write(2, msg, (size_t)n < sizeof msg ? (size_t)n
	                                                  : sizeof msg - 1) < 0) {
		/* nothing more to do */
	}
	_exit(ASL_EXIT_LIBRARY);
}

/* dlopen SONAME and fill n pointers at table from names[]. */
static void load(const char *soname, const char *const *names, void **table,
                 size_t n)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!h)
		missing(soname);
	for (size_t i = 0; i < n; i++) {
		dlerror();
		if (!(table[i] = dlsym(h, names[i])))
			missing(names[i]);
	}
	/* h stays open: the functions are used until the program ends */
}

#define ASL_LIB_NAME(f) #f,
#define ASL_LIB_COUNT(f) +1

/* The table LIB of TYPE, for the library SONAME and its FUNCTIONS, and
 * asl_LIB() that loads it once. */
#define ASL_LIB(lib, type, soname, FUNCTIONS)                                \
	static type lib;                                                     \
	static pthread_once_t lib##_once = PTHREAD_ONCE_INIT;                \
	static void load_##lib(void)                                         \
	{                                                                    \
		static const char *const names[] = {                         \
			FUNCTIONS(ASL_LIB_NAME)                              \
		};                                                           \
		void *t[0 FUNCTIONS(ASL_LIB_COUNT)];                         \
		_Static_assert(sizeof lib == sizeof t,                       \
		               "one pointer per function");                  \
		load(soname, names, t, sizeof t / sizeof *t);                \
		/* object to function pointers: POSIX's dlsym contract */    \
		memcpy(&lib, t, sizeof lib);                                 \
	}                                                                    \
	const type *asl_##lib(void)                                          \
	{                                                                    \
		pthread_once(&lib##_once, load_##lib);                       \
		return &lib;                                                 \
	}

ASL_LIB(crypto, asl_crypto_lib, ASL_CRYPTO_SONAME, ASL_CRYPTO_FUNCTIONS)
ASL_LIB(mhd, asl_mhd_lib, ASL_MHD_SONAME, ASL_MHD_FUNCTIONS)

const EVP_MD *asl_digest_named(const char *name)
{
	static const char *const names[] = {
		"MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"
	};
	const asl_crypto_lib *l;
	size_t i = 0;

	while (i < sizeof names / sizeof *names && strcmp(name, names[i]))
		i++;
	if (i == sizeof names / sizeof *names)
		return NULL; /* an unknown name loads nothing */
	l = asl_crypto();
	const EVP_MD *(*const md[])(void) = {
		l->EVP_md5, l->EVP_sha1, l->EVP_sha256, l->EVP_sha384, l->EVP_sha512
	};
	return md[i]();
}
