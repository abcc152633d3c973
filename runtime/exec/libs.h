/*
 * libs.h - the libraries the runtime loads on first use instead of at
 * start-up: libcrypto (hashes and base64) and libmicrohttpd (the endpoint
 * of --listen, and with it GnuTLS and its dependencies).
 *
 * Linked as usual they cost every program 2.6 and 3.8 million
 * instructions of relocation in the dynamic loader before main, four
 * times the whole of a 1,000-transition run (BENCHMARKS.md), though most
 * programs call neither.  Each table below is filled by dlopen and dlsym
 * the first time it is asked for, once for all threads; its members have
 * the types of the functions the library's own header declares, so a
 * call through them is checked as a direct call would be.  A library
 * that cannot be loaded stops the program with exit status
 * ASL_EXIT_LIBRARY and dlerror's message (asl2c-run(7)).
 */
#ifndef ASL2C_LIBS_H
#define ASL2C_LIBS_H

#include <microhttpd.h>
#include <openssl/evp.h>

/* Exit status when a library cannot be loaded (EX_OSFILE). */
#define ASL_EXIT_LIBRARY 72

/* The libcrypto functions the runtime calls. */
#define ASL_CRYPTO_FUNCTIONS(X) \
	X(EVP_md5) X(EVP_sha1) X(EVP_sha256) X(EVP_sha384) X(EVP_sha512) \
	X(EVP_Digest) X(EVP_MD_CTX_new) X(EVP_MD_CTX_free) \
	X(EVP_DigestInit_ex) X(EVP_DigestUpdate) X(EVP_DigestFinal_ex) \
	X(EVP_EncodeBlock) X(EVP_DecodeBlock)

/* The libmicrohttpd functions the endpoint calls. */
#define ASL_MHD_FUNCTIONS(X) \
	X(MHD_start_daemon) X(MHD_stop_daemon) X(MHD_get_daemon_info) \
	X(MHD_lookup_connection_value) X(MHD_create_response_from_buffer) \
	X(MHD_add_response_header) X(MHD_queue_response) \
	X(MHD_destroy_response)

#define ASL_LIB_MEMBER(f) __typeof__(f) *f;
typedef struct asl_crypto_lib {
	ASL_CRYPTO_FUNCTIONS(ASL_LIB_MEMBER)
} asl_crypto_lib;
typedef struct asl_mhd_lib {
	ASL_MHD_FUNCTIONS(ASL_LIB_MEMBER)
} asl_mhd_lib;
#undef ASL_LIB_MEMBER

/* The tables, loaded on the first call (thread-safe). */
const asl_crypto_lib *asl_crypto(void);
const asl_mhd_lib *asl_mhd(void);

/* The digest of States.Hash and $hash by its AWS name (MD5, SHA-1,
 * SHA-256, SHA-384, SHA-512), or NULL. */
const EVP_MD *asl_digest_named(const char *name);

#endif
