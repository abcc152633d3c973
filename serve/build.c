/*
 * build.c - a definition compiled by the compiler library (in process:
 * its diagnostics become InvalidDefinition's message) and built by the C
 * compiler into a program cached under DIR/programs/KEY, KEY being the
 * SHA-256 of asl2c's version, the build command and the generated C.  A
 * cached program is not built again; two builds of one program at once
 * each build their own copy and rename it into place (the same program).
 *
 * The build command and the key are `asl2c run`'s (compiler/driver/build.c): the
 * build tree's flags (from its tree) or pkg-config's (installed);
 * ASL2C_CC, ASL2C_CFLAGS and ASL2C_RUNTIME_FLAGS override them.
 */
#define _GNU_SOURCE
#include "config.h"
#include "serve.h"
#include "build.h"
#include "compile.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct builder {
	char *dir;       /* DIR/programs */
	asl2c_build cmd; /* the build command: asl2c run's */
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

builder *builder_new(const char *state_dir, char *err, size_t errlen)
{
	builder *b = xcalloc(1, sizeof *b);

	b->dir = xasprintf("%s/programs", state_dir);
	if (asl2c_build_init(&b->cmd, err, errlen) < 0) {
		free(b->dir);
		free(b);
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
	asl2c_build_free(&b->cmd);
	free(b);
}

/* The C compiler on tmp/program.c, its output in tmp/cc.log: 0, or -1
 * with a message. */
static int run_cc(const builder *b, const char *tmp, char *err, size_t errlen)
{
	char *c = xasprintf("%s/program.c", tmp), *p = xasprintf("%s/program",
	                                                           tmp);
	char *log = xasprintf("%s/cc.log", tmp);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int st = fd < 0 ? -1 : asl2c_build_cc(&b->cmd, c, p, fd, NULL), rc = -1;

	if (fd >= 0)
		close(fd);
	if (st == -2) {
		snprintf(err, errlen, "ASL2C_CC is empty");
	} else if (st < 0) {
		snprintf(err, errlen, "cannot run the C compiler %s: %s", b->cmd.cc,
		         strerror(errno));
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		size_t n = 0;
		char *text = serve_read_file(log, 1 << 20, &n);
		const char *tail = text ? text : "";
		if (n > 1500)
			tail = text + n - 1500;
		snprintf(err, errlen, "the C compiler failed (%s): %s", b->cmd.cc,
		         tail);
		free(text);
	} else {
		rc = 0;
	}
	free(c);
	free(p);
	free(log);
	return rc;
}

char *build_program(builder *b, const char *c_text, char *err, size_t errlen)
{
	char *key = asl2c_build_key(&b->cmd, c_text, strlen(c_text));
	char *dir, *final, *tmp, *c = NULL, *result = NULL;

	if (!key) {
		snprintf(err, errlen, "cannot compute SHA-256 (OpenSSL)");
		return NULL;
	}
	dir = xasprintf("%s/%s", b->dir, key);
	final = xasprintf("%s/program", dir);
	free(key);
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
	free(dir);
	free(final);
	return result;
}
