/*
 * build.c - a definition compiled by the compiler library (in process:
 * its diagnostics become InvalidDefinition's message) and built by the C
 * compiler into a program cached under DIR/programs/KEY, KEY being the
 * SHA-256 of asl2c's version, the build command and the generated C.  A
 * cached program is not built again; two builds of one program at once
 * each build their own copy and rename it into place (the same program).
 *
 * The build command is the build tree's (from its tree) or pkg-config's
 * (installed); ASL2C_CC, ASL2C_CFLAGS and ASL2C_RUNTIME_FLAGS override it,
 * as for `asl2c run`.
 */
#define _GNU_SOURCE
#include "config.h"
#include "serve.h"
#include "compile.h"
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

#if !defined(ASL2C_BUILD_DIR) || !defined(ASL2C_TREE_FLAGS) || \
    !defined(ASL2C_TREE_CC) || !defined(ASL2C_PKGCONFIG_DIR)
#error "serve/build.c needs the build tree's settings (see Makefile.am)"
#endif

extern char **environ;

struct builder {
	char *dir;       /* DIR/programs */
	char *cc, *cflags, *rtflags;
};

/* ------------------------------------------------------------ compiling */

char *build_compile(const char *definition, const char *name, bool express,
                    json_t **diagnostics)
{
	diag d;
	char *json = NULL, *out;
	size_t json_len = 0;
	FILE *f = open_memstream(&json, &json_len);
	compile_options o = { "definition", name, true, false };

	if (!f)
		abort();
	memset(&d, 0, sizeof d);
	d.file = "definition";
	d.out = NULL;
	d.format = DIAG_JSON;
	d.json_out = f;
	out = asl2c_compile_type(definition, strlen(definition), &o, ASL2C_OUT_C,
	                         express, &d);
	fclose(f);
	json_error_t e;
	*diagnostics = json_loadb(json, json_len, 0, &e);
	free(json);
	if (!*diagnostics) /* the compiler always prints the JSON */
		*diagnostics = json_pack("{s:s, s:[]}", "result", "FAIL",
		                         "diagnostics");
	/* AWS's shape: line and column are asl2c's additions. */
	json_t *v;
	size_t i;
	json_array_foreach(json_object_get(*diagnostics, "diagnostics"), i, v) {
		json_object_del(v, "line");
		json_object_del(v, "column");
	}
	if (d.errors) {
		free(out);
		return NULL;
	}
	return out;
}

/* ------------------------------------------------------------ building */

static bool in_build_tree(void)
{
	struct stat self, tree;

	return stat("/proc/self/exe", &self) == 0 &&
	       stat(ASL2C_BUILD_DIR "/compiler/asl2c", &tree) == 0 &&
	       self.st_dev == tree.st_dev && self.st_ino == tree.st_ino;
}

static char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return xstrdup(v && *v ? v : dflt);
}

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
	for (char *s = b.s; *s; s++)
		if (*s == '\n')
			*s = ' ';
	return sb_steal(&b);
}

builder *builder_new(const char *state_dir, char *err, size_t errlen)
{
	builder *b = xcalloc(1, sizeof *b);
	bool tree = in_build_tree();
	const char *rt = getenv("ASL2C_RUNTIME_FLAGS");

	b->dir = xasprintf("%s/programs", state_dir);
	b->cc = env_or("ASL2C_CC", tree ? ASL2C_TREE_CC : "cc");
	b->cflags = env_or("ASL2C_CFLAGS", "-O2");
	if (rt && *rt)
		b->rtflags = xstrdup(rt);
	else if (tree)
		b->rtflags = xstrdup(ASL2C_TREE_FLAGS);
	else if (!(b->rtflags = pkg_config_flags())) {
		snprintf(err, errlen, "'pkg-config --cflags --libs asl2c' failed: "
		         "is asl2c installed (asl2c.pc under %s or "
		         "PKG_CONFIG_PATH)? Or set ASL2C_RUNTIME_FLAGS",
		         ASL2C_PKGCONFIG_DIR);
		builder_free(b);
		return NULL;
	}
	if (serve_mkdirs(b->dir) < 0) {
		snprintf(err, errlen, "cannot make %s: %s", b->dir, strerror(errno));
		builder_free(b);
		return NULL;
	}
	return b;
}

void builder_free(builder *b)
{
	if (!b)
		return;
	free(b->dir);
	free(b->cc);
	free(b->cflags);
	free(b->rtflags);
	free(b);
}

static void hash_part(EVP_MD_CTX *m, const char *s, size_t n, bool *ok)
{
	unsigned char len[8];

	for (int k = 0; k < 8; k++)
		len[k] = (unsigned char)((unsigned long long)n >> (8 * k));
	*ok = *ok && EVP_DigestUpdate(m, len, sizeof len) &&
	      EVP_DigestUpdate(m, s, n);
}

static bool cache_key(const builder *b, const char *text, char hex[65])
{
	static const char version[] = "asl2c " PACKAGE_VERSION;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	bool ok = m && EVP_DigestInit_ex(m, EVP_sha256(), NULL);

	hash_part(m, version, strlen(version), &ok);
	hash_part(m, b->cc, strlen(b->cc), &ok);
	hash_part(m, b->cflags, strlen(b->cflags), &ok);
	hash_part(m, b->rtflags, strlen(b->rtflags), &ok);
	hash_part(m, text, strlen(text), &ok);
	ok = ok && EVP_DigestFinal_ex(m, md, &n) && n == 32;
	EVP_MD_CTX_free(m);
	for (unsigned i = 0; ok && i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return ok;
}

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

/* cc CFLAGS tmp/program.c RUNTIME_FLAGS -o tmp/program, its output in
 * tmp/cc.log: 0, or -1 with a message. */
static int run_cc(const builder *b, const char *tmp, char *err, size_t errlen)
{
	char *c = xasprintf("%s/program.c", tmp), *p = xasprintf("%s/program",
	                                                           tmp);
	char *log = xasprintf("%s/cc.log", tmp);
	words v = { NULL, 0, 0 };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = 0, rc = -1;

	words_split(&v, b->cc);
	words_split(&v, b->cflags);
	words_add(&v, c, strlen(c));
	words_split(&v, b->rtflags);
	words_add(&v, "-o", 2);
	words_add(&v, p, strlen(p));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT |
	                                 O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	int e = posix_spawnp(&pid, v.w[0], &fa, NULL, v.w, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e) {
		snprintf(err, errlen, "cannot run the C compiler %s: %s", v.w[0],
		         strerror(e));
		goto out;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "cannot wait for the C compiler: %s",
			         strerror(errno));
			goto out;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		size_t n = 0;
		char *text = serve_read_file(log, 1 << 20, &n);
		const char *tail = text ? text : "";
		if (n > 1500)
			tail = text + n - 1500;
		snprintf(err, errlen, "the C compiler failed (%s): %s", v.w[0],
		         tail);
		free(text);
		goto out;
	}
	rc = 0;
out:
	words_free(&v);
	free(c);
	free(p);
	free(log);
	return rc;
}

char *build_program(builder *b, const char *c_text, char *err, size_t errlen)
{
	char key[65];
	char *dir, *final, *tmp, *c = NULL, *p = NULL, *result = NULL;

	if (!cache_key(b, c_text, key)) {
		snprintf(err, errlen, "cannot compute SHA-256 (OpenSSL)");
		return NULL;
	}
	dir = xasprintf("%s/%s", b->dir, key);
	final = xasprintf("%s/program", dir);
	if (access(final, X_OK) == 0) {
		free(dir);
		return final;
	}
	tmp = xasprintf("%s/tmp-XXXXXX", b->dir);
	if (!mkdtemp(tmp)) {
		snprintf(err, errlen, "cannot make a folder in %s: %s", b->dir,
		         strerror(errno));
		goto out;
	}
	c = xasprintf("%s/program.c", tmp);
	p = xasprintf("%s/program", tmp);
	if (serve_write_file(c, c_text, strlen(c_text)) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", c, strerror(errno));
		goto out;
	}
	if (run_cc(b, tmp, err, errlen) < 0)
		goto out;
	/* The folder's name is the key: renamed whole, or kept by the build
	 * that got there first. */
	if (rename(tmp, dir) < 0 && errno != ENOTEMPTY && errno != EEXIST) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, dir,
		         strerror(errno));
		goto out;
	}
	if (access(final, X_OK) == 0)
		result = xstrdup(final);
	else
		snprintf(err, errlen, "the program %s is missing", final);
out:
	serve_remove_tree(tmp); /* gone when renamed */
	free(tmp);
	free(c);
	free(p);
	free(dir);
	free(final);
	return result;
}
