/*
 * s3local.c - S3 as a folder: s3://BUCKET/KEY is ROOT/BUCKET/KEY, where
 * ROOT is --s3-root (default: the working directory).  A bucket is a
 * folder directly under ROOT; an object is a regular file below it.
 * Errors are S3's: NoSuchBucket and NoSuchKey (404), AccessDenied (403)
 * for a key leaving its bucket.
 */
#define _DEFAULT_SOURCE /* DT_DIR, strdup in <string.h> */
#include "dmap.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *root = "."; /* set once, before any thread starts */

void asl_s3_set_root(const char *dir)
{
	root = dir && *dir ? dir : ".";
}

const char *asl_s3_root(void)
{
	return root;
}

/* ---------------------------------------------------------------- errors */

/* A request id as S3 prints them: 16 upper-case hex digits. */
static void request_id(asl_ctx *c, char out[17])
{
	snprintf(out, 17, "%016llX", c ? (unsigned long long)asl_random(c) : 0);
}

static asl_s3_err s3_error(asl_ctx *c, int status, const char *code,
                           const char *message)
{
	char rid[17], ext[17];

	request_id(c, rid);
	request_id(c, ext);
	return asl_sprintf("%s (Service: S3, Status Code: %d, Error Code: %s, "
	                   "Request ID: %s, Extended Request ID: %s)", message,
	                   status, code, rid, ext);
}

static asl_s3_err no_such_bucket(asl_ctx *c)
{
	return s3_error(c, 404, "NoSuchBucket",
	                "The specified bucket does not exist");
}

static asl_s3_err no_such_key(asl_ctx *c)
{
	return s3_error(c, 404, "NoSuchKey", "The specified key does not exist.");
}

/* A bucket name is one path component; a key never climbs out of its
 * bucket. */
static bool valid_bucket(const char *b)
{
	return *b && !strchr(b, '/') && strcmp(b, ".") && strcmp(b, "..");
}

static bool valid_key(const char *k)
{
	for (const char *p = k; *p;) {
		size_t n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)))
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

char *asl_s3_path(const char *bucket, const char *key)
{
	return asl_sprintf("%s/%s/%s", root, bucket, key);
}

asl_s3_err asl_s3_check_bucket(asl_ctx *c, const char *bucket)
{
	struct stat st;
	char *p;
	int rc;

	if (!valid_bucket(bucket))
		return no_such_bucket(c);
	p = asl_sprintf("%s/%s", root, bucket);
	rc = stat(p, &st);
	free(p);
	if (rc < 0 || !S_ISDIR(st.st_mode))
		return no_such_bucket(c);
	return NULL;
}

/* ------------------------------------------------------------- getObject */

FILE *asl_s3_get(asl_ctx *c, const char *bucket, const char *key,
                 asl_s3_err *err)
{
	struct stat st;
	char *p;
	FILE *f = NULL;

	*err = asl_s3_check_bucket(c, bucket);
	if (*err)
		return NULL;
	if (!valid_key(key)) {
		*err = s3_error(c, 403, "AccessDenied", "Access Denied");
		return NULL;
	}
	p = asl_s3_path(bucket, key);
	if (*key && stat(p, &st) == 0 && S_ISREG(st.st_mode))
		f = fopen(p, "rb");
	free(p);
	if (!f)
		*err = no_such_key(c);
	return f;
}

/* ------------------------------------------------------------- putObject */

/* mkdir -p of the folders of path (not its last component). */
static int make_parents(char *path, size_t from)
{
	for (char *p = path + from; (p = strchr(p, '/')); p++) {
		*p = '\0';
		int rc = mkdir(path, 0777);
		*p = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

FILE *asl_s3_put(asl_ctx *c, const char *bucket, const char *key,
                 asl_s3_err *err)
{
	char *p;
	FILE *f = NULL;

	*err = asl_s3_check_bucket(c, bucket);
	if (*err)
		return NULL;
	if (!*key || !valid_key(key) || key[strlen(key) - 1] == '/') {
		*err = s3_error(c, 400, "InvalidArgument", "Invalid key");
		return NULL;
	}
	p = asl_s3_path(bucket, key);
	if (make_parents(p, strlen(root) + strlen(bucket) + 2) == 0)
		f = fopen(p, "wb");
	if (!f)
		*err = asl_sprintf("%s: %s (Service: S3, Status Code: 500, Error "
		                   "Code: InternalError)", p, strerror(errno));
	free(p);
	return f;
}

/* ---------------------------------------------------------- listObjectsV2 */

/* One folder being listed: its entries in key order.  A folder's name
 * carries its '/', so "a/" sorts after "a-b" and before "a0", as the keys
 * below it do. */
typedef struct level {
	char **names;
	size_t n, next;
	char *key;     /* the key prefix of the folder: "", "visits/" */
} level;

struct asl_s3_list {
	char *bucket_dir;  /* ROOT/BUCKET/ */
	const char *filter; /* the prefix's last part, on the first level */
	char *prefix;
	level *stack;
	size_t depth, cap;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read one folder's entries; the names of folders end with '/'. */
static int read_level(asl_s3_list *l, const char *key, const char *filter)
{
	char *dir = asl_sprintf("%s%s", l->bucket_dir, key);
	DIR *d = opendir(dir);
	struct dirent *e;
	level lv = { NULL, 0, 0, asl_strdup(key) };
	size_t cap = 0;

	if (!d) {
		free(dir);
		free(lv.key);
		return -1;
	}
	while ((e = readdir(d))) {
		struct stat st;
		char *full;
		bool is_dir;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (filter && strncmp(e->d_name, filter, strlen(filter)))
			continue;
		full = asl_sprintf("%s/%s", dir, e->d_name);
		if (stat(full, &st) < 0) {
			free(full);
			continue;
		}
		free(full);
		is_dir = S_ISDIR(st.st_mode);
		if (!is_dir && !S_ISREG(st.st_mode))
			continue;
		if (lv.n == cap) {
			cap = cap ? 2 * cap : 16;
			lv.names = realloc(lv.names, cap * sizeof *lv.names);
			if (!lv.names)
				asl_oom();
		}
		lv.names[lv.n++] = asl_sprintf("%s%s", e->d_name, is_dir ? "/" : "");
	}
	closedir(d);
	free(dir);
	qsort(lv.names, lv.n, sizeof *lv.names, cmp_names);
	if (l->depth == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->stack = realloc(l->stack, l->cap * sizeof *l->stack);
		if (!l->stack)
			asl_oom();
	}
	l->stack[l->depth++] = lv;
	return 0;
}

static void pop_level(asl_s3_list *l)
{
	level *lv = &l->stack[--l->depth];

	for (size_t i = 0; i < lv->n; i++)
		free(lv->names[i]);
	free(lv->names);
	free(lv->key);
}

asl_s3_list *asl_s3_list_open(asl_ctx *c, const char *bucket,
                              const char *prefix, asl_s3_err *err)
{
	asl_s3_list *l;
	const char *slash;
	char *key;

	*err = asl_s3_check_bucket(c, bucket);
	if (*err)
		return NULL;
	l = calloc(1, sizeof *l);
	if (!l)
		asl_oom();
	l->bucket_dir = asl_sprintf("%s/%s/", root, bucket);
	l->prefix = asl_strdup(prefix ? prefix : "");
	/* "visits/hour=" lists the folder visits/ for names from "hour=". */
	slash = strrchr(l->prefix, '/');
	key = slash ? asl_sprintf("%.*s", (int)(slash - l->prefix + 1), l->prefix)
	            : asl_strdup("");
	l->filter = slash ? slash + 1 : l->prefix;
	if (valid_key(key))
		read_level(l, key, l->filter); /* a missing folder: no objects */
	free(key);
	return l;
}

/* The quoted hex MD5 of a file, as S3's ETag of a single-part upload. */
static char *etag(const char *path)
{
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	unsigned int n = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 3];
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	size_t r;

	if (!m)
		asl_oom();
	EVP_DigestInit_ex(m, EVP_md5(), NULL);
	while (f && (r = fread(buf, 1, sizeof buf, f)) > 0)
		EVP_DigestUpdate(m, buf, r);
	if (f)
		fclose(f);
	EVP_DigestFinal_ex(m, md, &n);
	EVP_MD_CTX_free(m);
	hex[0] = '"';
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 1 + 2 * i, 3, "%02x", md[i]);
	hex[1 + 2 * n] = '"';
	hex[2 + 2 * n] = '\0';
	return asl_strdup(hex);
}

json_t *asl_s3_list_next(asl_s3_list *l)
{
	while (l->depth) {
		level *lv = &l->stack[l->depth - 1];
		if (lv->next == lv->n) {
			pop_level(l);
			continue;
		}
		const char *name = lv->names[lv->next++];
		char *key = asl_sprintf("%s%s", lv->key, name);
		size_t len = strlen(key);

		if (key[len - 1] == '/') {
			read_level(l, key, NULL);
			free(key);
			continue;
		}
		char *path = asl_sprintf("%s%s", l->bucket_dir, key);
		struct stat st;
		json_t *o = NULL;
		if (stat(path, &st) == 0) {
			char *tag = etag(path);
			/* As the Distributed Map gives them (DG: ItemReader). */
			o = json_pack("{s:s, s:s, s:I, s:I, s:s}",
			              "Etag", tag, "Key", key,
			              "LastModified", (json_int_t)st.st_mtime,
			              "Size", (json_int_t)st.st_size,
			              "StorageClass", "STANDARD");
			free(tag);
		}
		free(path);
		free(key);
		if (o)
			return o;
	}
	return NULL;
}

void asl_s3_list_close(asl_s3_list *l)
{
	if (!l)
		return;
	while (l->depth)
		pop_level(l);
	free(l->stack);
	free(l->bucket_dir);
	free(l->prefix);
	free(l);
}
