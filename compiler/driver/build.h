/*
 * build.h - a generated program built by the C compiler, as `asl2c run`
 * and `asl2c serve` build theirs: the same command (the build tree's or
 * pkg-config's flags, or ASL2C_CC, ASL2C_CFLAGS, ASL2C_RUNTIME_FLAGS) and
 * the same cache key.  Reentrant: serve builds from many threads.
 */
#ifndef ASL2C_BUILD_H
#define ASL2C_BUILD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct asl2c_build {
	char *cc, *cflags, *rtflags;
	char *lib_id;            /* the build tree's libasl2c.a (size, mtime), or "" */
	const char *flags_from;  /* where rtflags came from, for -v */
} asl2c_build;

/* Whether this asl2c is the build tree's (not an installed copy). */
bool asl2c_in_build_tree(void);

/* The build command.  0, or -1 with a message in err (no asl2c.pc). */
int asl2c_build_init(asl2c_build *b, char *err, size_t errlen);
void asl2c_build_free(asl2c_build *b);

/* The cache key of the program that text (the generated C) builds: the
 * SHA-256, in hex, of asl2c's version, the build command and the text.
 * NULL when OpenSSL fails. */
char *asl2c_build_key(const asl2c_build *b, const char *text, size_t len);

/* cc CFLAGS c_path RUNTIME_FLAGS -o prog_path, the compiler's stdout and
 * stderr on out_fd.  Returns its wait status; -1 (errno set) when it could
 * not start; -2 when ASL2C_CC is empty.  verbose, when not NULL, starts a
 * line on stderr that shows the command. */
int asl2c_build_cc(const asl2c_build *b, const char *c_path,
                   const char *prog_path, int out_fd, const char *verbose);

/* mkdir -p, mode 0700 for each folder made: 0 or -1 (errno). */
int asl2c_make_dirs(const char *path);

#endif
