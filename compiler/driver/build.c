/*
 * build.c - building generated programs with the C compiler (build.h):
 * what `asl2c run` (run.c) and `asl2c serve` (serve/build.c) share.
 */
#define _GNU_SOURCE
#include "config.h"
#include "build.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Set by Makefile.am: where the build tree is, and how a program builds
 * against the runtime there (headers in the source tree, the static
 * library in the build tree). */
#if !defined(ASL2C_BUILD_DIR) || !defined(ASL2C_TREE_FLAGS) || \
    !defined(ASL2C_TREE_CC) || !defined(ASL2C_PKGCONFIG_DIR)
#error "compiler/driver/build.c needs the build tree's settings (see compiler/Makefile.inc)"
#endif

extern char **environ;

/* A list of words, NULL-terminated. */
typedef struct words {
	char **w;
	size_t n, cap;
} words;

static void words_add(words *v, const char *s, size_t n)
{
	if (v->n + 2 > v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->w = xrealloc(v->w, v->cap * sizeof *v->w);
	}
	v->w[v->n++] = xstrndup(s, n);
	v->w[v->n] = NULL;
}

/* The white-space separated words of s (no quoting, as documented). */
static void words_split(words *v, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, " \t\n");
		if (n)
			words_add(v, s, n);
		s += n;
		s += strspn(s, " \t\n");
	}
}

static void words_free(words *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->w[i]);
	free(v->w);
}

bool asl2c_in_build_tree(void)
{
	struct stat self, tree;

	return stat("/proc/self/exe", &self) == 0 &&
	       stat(ASL2C_BUILD_DIR "/compiler/asl2c", &tree) == 0 &&
	       self.st_dev == tree.st_dev && self.st_ino == tree.st_ino;
}

/* pkg-config --cflags --libs asl2c, the installed asl2c.pc's folder
 * searched after PKG_CONFIG_PATH's and before pkg-config's own (given to
 * pkg-config alone: the environment is not changed); NULL when it fails. */
static char *pkg_config_flags(void)
{
	char *cmd = xasprintf("PKG_CONFIG_PATH=\"${PKG_CONFIG_PATH:+$PKG_CONFIG_"
	                      "PATH:}%s\" pkg-config --cflags --libs asl2c "
	                      "2>/dev/null", ASL2C_PKGCONFIG_DIR);
	strbuf b = SB_INIT;
	char line[4096];
	FILE *p = popen(cmd, "r");
	int st = -1;

	free(cmd);
	if (p) {
		while (fgets(line, sizeof line, p))
			sb_puts(&b, line);
		st = pclose(p);
	}
	if (st != 0) {
		sb_free(&b);
		return NULL;
	}
	sb_putc(&b, '\0');
	return sb_steal(&b);
}

static char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return xstrdup(v && *v ? v : dflt);
}

int asl2c_build_init(asl2c_build *b, char *err, size_t errlen)
{
	bool tree = asl2c_in_build_tree();
	const char *rt = getenv("ASL2C_RUNTIME_FLAGS");
	struct stat st;

	memset(b, 0, sizeof *b);
	b->cc = env_or("ASL2C_CC", tree ? ASL2C_TREE_CC : "cc");
	b->cflags = env_or("ASL2C_CFLAGS", "-O2");
	b->lib_id = xstrdup("");
	if (rt && *rt) {
		b->rtflags = xstrdup(rt);
		b->flags_from = "ASL2C_RUNTIME_FLAGS's";
	} else if (tree) {
		b->rtflags = xstrdup(ASL2C_TREE_FLAGS);
		b->flags_from = "the build tree's (" ASL2C_BUILD_DIR ")";
		if (stat(ASL2C_BUILD_DIR "/runtime/.libs/libasl2c.a", &st) == 0) {
			free(b->lib_id);
			b->lib_id = xasprintf("%lld %lld.%09ld", (long long)st.st_size,
			                      (long long)st.st_mtim.tv_sec,
			                      (long)st.st_mtim.tv_nsec);
		}
	} else if ((b->rtflags = pkg_config_flags())) {
		b->flags_from = "pkg-config's";
	} else {
		snprintf(err, errlen, "'pkg-config --cflags --libs asl2c' failed: "
		         "is asl2c installed (asl2c.pc under %s or "
		         "PKG_CONFIG_PATH)? Or set ASL2C_RUNTIME_FLAGS",
		         ASL2C_PKGCONFIG_DIR);
		asl2c_build_free(b);
		return -1;
	}
	return 0;
}

void asl2c_build_free(asl2c_build *b)
{
	free(b->cc);
	free(b->cflags);
	free(b->rtflags);
	free(b->lib_id);
	memset(b, 0, sizeof *b);
}

static void hash_part(EVP_MD_CTX *m, const char *s, size_t n, bool *ok)
{
	unsigned char len[8];

	for (int k = 0; k < 8; k++)
		len[k] = (unsigned char)((unsigned long long)n >> (8 * k));
	*ok = *ok && EVP_DigestUpdate(m, len, sizeof len) &&
	      EVP_DigestUpdate(m, s, n);
}

char *asl2c_build_key(const asl2c_build *b, const char *text, size_t len)
{
	static const char version[] = "asl2c " PACKAGE_VERSION;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	bool ok = m && EVP_DigestInit_ex(m, EVP_sha256(), NULL);
	char *hex;

	hash_part(m, version, strlen(version), &ok);
	hash_part(m, b->cc, strlen(b->cc), &ok);
	hash_part(m, b->cflags, strlen(b->cflags), &ok);
	hash_part(m, b->rtflags, strlen(b->rtflags), &ok);
	hash_part(m, b->lib_id, strlen(b->lib_id), &ok);
	hash_part(m, text, len, &ok);
	ok = ok && EVP_DigestFinal_ex(m, md, &n);
	EVP_MD_CTX_free(m);
	if (!ok)
		return NULL;
	hex = xmalloc(2 * n + 1);
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return hex;
}

int asl2c_build_cc(const asl2c_build *b, const char *c_path,
                   const char *prog_path, int out_fd, const char *verbose)
{
	words v = { NULL, 0, 0 };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = 0, rc;

	words_split(&v, b->cc);
	words_split(&v, b->cflags);
	words_add(&v, c_path, strlen(c_path));
	words_split(&v, b->rtflags);
	words_add(&v, "-o", 2);
	words_add(&v, prog_path, strlen(prog_path));
	if (!strcmp(v.w[0], c_path)) {
		words_free(&v);
		return -2;
	}
	if (verbose) {
		fprintf(stderr, "%s", verbose);
		for (size_t i = 0; i < v.n; i++)
			fprintf(stderr, " %s", v.w[i]);
		fputc('\n', stderr);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
	int e = posix_spawnp(&pid, v.w[0], &fa, NULL, v.w, environ);
	posix_spawn_file_actions_destroy(&fa);
	words_free(&v);
	if (e) {
		errno = e;
		return -1;
	}
	while ((rc = (int)waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	return rc < 0 ? -1 : st;
}

int asl2c_make_dirs(const char *path)
{
	char *p = xstrdup(path);

	for (char *q = p + 1;; q++) {
		if (*q && *q != '/')
			continue;
		char ch = *q;
		*q = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*q = ch;
		if (!ch)
			break;
	}
	free(p);
	return 0;
}
