/*
 * s3local.c - S3 as a folder: s3://BUCKET/KEY is ROOT/BUCKET/KEY, where
 * ROOT is --s3-root (default: the working directory).  A bucket is a
 * folder directly under ROOT; an object is a regular file below it.
 *
 * ROOT is a jail.  Every path beneath it is resolved one component at a
 * time without following a link (openat2 with RESOLVE_BENEATH and
 * RESOLVE_NO_SYMLINKS where the kernel has it, else openat with
 * O_NOFOLLOW per component), files are created with O_CREAT|O_EXCL|
 * O_NOFOLLOW, and a listing never enters a link.  S3 has no links: a link
 * beneath ROOT is refused (AccessDenied) or, in a listing, is no object.
 * ROOT itself may be a link: the user named it.
 *
 * Errors are S3's: NoSuchBucket and NoSuchKey (404), KeyTooLongError
 * (400), AccessDenied (403) for a key that cannot be a file beneath its
 * bucket's folder or a path through a link, InternalError (500) for the
 * file system's other failures, with the reason.
 */
#define _DEFAULT_SOURCE /* fdopendir, O_NOFOLLOW, syscall */
#include "data.h"
#include "exec/libs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__) && defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif
#endif

#ifdef O_PATH
#define DIR_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)
#else
#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif

static const char *root = "."; /* set once, before any thread starts */

void asl_s3_set_root(const char *dir)
{
	root = dir && *dir ? dir : ".";
}

const char *asl_s3_root(void)
{
	return root;
}

/* ------------------------------------------------------------- UTF-8 */

/* The length of the valid UTF-8 sequence at p (before end), or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned c = *p, need, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - p - 1) < need)
		return 0;
	for (unsigned i = 1; i <= need; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return need + 1;
}

bool asl_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t k;

	for (; p < end; p += k)
		if (!(k = utf8_seq(p, end)))
			return false;
	return true;
}

char *asl_utf8_repair(char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end;
	size_t n = strlen(s), k, o = 0;
	char *out;

	if (asl_utf8_valid(s, n))
		return s;
	out = asl_xmalloc(3 * n + 1); /* each byte at worst U+FFFD */
	for (end = p + n; p < end; p += k) {
		if ((k = utf8_seq(p, end))) {
			memcpy(out + o, p, k);
			o += k;
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			k = 1;
		}
	}
	out[o] = '\0';
	free(s);
	return out;
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

/* AccessDenied, with the object and why asl2c refused it. */
static asl_s3_err refused(asl_ctx *c, const char *bucket, const char *key,
                          const char *why)
{
	char *m = asl_sprintf("Access Denied: s3://%s/%s %s", bucket,
	                      key ? key : "", why);
	asl_s3_err e = s3_error(c, 403, "AccessDenied", m);

	free(m);
	return e;
}

static const char *const LINK_REFUSED =
    "is reached through a symbolic link under --s3-root, and asl2c "
    "refuses links (S3 has none)";

asl_s3_err asl_s3_io_error(asl_ctx *c, const char *bucket, const char *key,
                           int errnum)
{
	char *m;
	asl_s3_err e;

	if (errnum == ELOOP)
		return refused(c, bucket, key, LINK_REFUSED);
	if (errnum == EACCES || errnum == EPERM) {
		m = asl_sprintf("(%s)", strerror(errnum));
		e = refused(c, bucket, key, m);
	} else {
		m = asl_sprintf("s3://%s/%s: %s", bucket, key ? key : "",
		                strerror(errnum));
		e = s3_error(c, 500, "InternalError", m);
	}
	free(m);
	return e;
}

/* ------------------------------------------------------- names to files */

/* A bucket is one folder directly under the root. */
static bool valid_bucket(const char *b)
{
	return *b && !strchr(b, '/') && strcmp(b, ".") && strcmp(b, "..") &&
	       strlen(b) <= NAME_MAX;
}

/*
 * Why key cannot be the path of a file beneath its bucket's folder, or
 * NULL.  S3 keys may hold ".." or "//" literally; such a key has no file
 * of its own (the file system would resolve it to another one), so it is
 * refused rather than mapped to a different object.
 */
static const char *key_problem(const char *key)
{
	const char *p = key;

	if (!asl_utf8_valid(key, strlen(key)))
		return "is not UTF-8";
	if (*p == '/')
		return "starts with '/': no file beneath the bucket's folder has "
		       "that name";
	for (;;) {
		size_t n = strcspn(p, "/");
		if (n == 0 && p[0] == '/')
			return "has an empty segment ('//'): no file beneath the "
			       "bucket's folder has that name";
		if ((n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)))
			return "has a '.' or '..' segment: no file beneath the "
			       "bucket's folder has that name";
		if (n > NAME_MAX)
			return "has a segment longer than 255 bytes: no file name is "
			       "that long";
		p += n;
		if (!*p || !p[1])
			return NULL; /* the end, or a final '/' (a folder) */
		p++;
	}
}

/* S3's checks of a key, then asl2c's: NULL when key can be a file. */
asl_s3_err asl_s3_check_key(asl_ctx *c, const char *bucket, const char *key)
{
	const char *why;

	if (strlen(key) > ASL_S3_KEY_MAX)
		return s3_error(c, 400, "KeyTooLongError", "Your key is too long");
	if ((why = key_problem(key)))
		/* a key that is not UTF-8 cannot be quoted in a cause */
		return refused(c, bucket, asl_utf8_valid(key, strlen(key)) ? key
		               : "(a key)", why);
	return NULL;
}

/* --------------------------------------------------- opening beneath */

/* Is name in dirfd a symbolic link (not followed)? */
static bool is_link(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISLNK(st.st_mode);
}

int asl_s3_walk(int dirfd, const char *path, int flags)
{
	char name[NAME_MAX + 1];
	const char *p = path;
	int fd = dirfd, next;

	for (;;) {
		size_t n = strcspn(p, "/");
		bool last = !p[n];
		if (n == 0 || n > NAME_MAX) {
			if (fd != dirfd)
				close(fd);
			errno = n ? ENAMETOOLONG : ENOENT;
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		next = last ? openat(fd, name, flags | O_NOFOLLOW | O_CLOEXEC)
		            : openat(fd, name, DIR_FLAGS | O_NOFOLLOW);
		if (next < 0) {
			int e = errno;
			if (is_link(fd, name))
				e = ELOOP; /* O_DIRECTORY says ENOTDIR for a link */
			if (fd != dirfd)
				close(fd);
			errno = e;
			return -1;
		}
		if (fd != dirfd)
			close(fd);
		fd = next;
		if (last)
			return fd;
		p += n + 1;
	}
}

int asl_s3_open_beneath(int dirfd, const char *path, int flags)
{
#ifdef SYS_openat2
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof how);
	/* not O_NOFOLLOW: with it a final link is not "followed", and
	 * RESOLVE_NO_SYMLINKS would not refuse it (O_DIRECTORY would say
	 * ENOTDIR, O_PATH would open the link) */
	how.flags = (unsigned long long)(flags | O_CLOEXEC);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	              RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
	if (fd >= 0)
		return (int)fd;
	/* No openat2 in this kernel, or a seccomp filter refuses it: walk. */
	if (errno != ENOSYS && errno != EPERM && errno != EINVAL &&
	    errno != E2BIG)
		return -1;
#endif
	return asl_s3_walk(dirfd, path, flags);
}

/* The folder of a bucket, opened beneath the root with flags; -1 with
 * *err. */
static int open_bucket(asl_ctx *c, const char *bucket, int flags,
                       asl_s3_err *err)
{
	int rfd, fd, e;

	*err = NULL;
	if (!valid_bucket(bucket)) {
		*err = no_such_bucket(c);
		return -1;
	}
	rfd = open(root, DIR_FLAGS);
	if (rfd < 0) {
		*err = no_such_bucket(c);
		return -1;
	}
	fd = asl_s3_open_beneath(rfd, bucket, flags | O_DIRECTORY);
	e = errno;
	close(rfd);
	if (fd >= 0)
		return fd;
	if (e == ELOOP)
		*err = refused(c, bucket, NULL, "(the bucket's folder) is a "
		               "symbolic link under --s3-root, and asl2c refuses "
		               "links (S3 has none)");
	else if (e == ENOENT || e == ENOTDIR)
		*err = no_such_bucket(c);
	else
		*err = asl_s3_io_error(c, bucket, NULL, e);
	return -1;
}

asl_s3_err asl_s3_check_bucket(asl_ctx *c, const char *bucket)
{
	asl_s3_err err;
	int fd = open_bucket(c, bucket, DIR_FLAGS, &err);

	if (fd >= 0)
		close(fd);
	return err;
}

/* ------------------------------------------------------------- getObject */

/* Open a regular file with a read-only fd; -1 with errno (ENOENT for
 * anything but a regular file). */
static int open_regular(int dirfd, const char *path, bool walk)
{
	int flags = O_RDONLY | O_NONBLOCK; /* a FIFO must not block us */
	int fd = walk ? asl_s3_walk(dirfd, path, flags)
	              : asl_s3_open_beneath(dirfd, path, flags);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = ENOENT;
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

FILE *asl_s3_get(asl_ctx *c, const char *bucket, const char *key,
                 asl_s3_err *err)
{
	int bfd, fd, e;
	size_t len = strlen(key);
	FILE *f;

	if ((bfd = open_bucket(c, bucket, DIR_FLAGS, err)) < 0)
		return NULL;
	if (len == 0 || key[len - 1] == '/') {
		close(bfd); /* a folder is not an object */
		*err = no_such_key(c);
		return NULL;
	}
	if ((*err = asl_s3_check_key(c, bucket, key))) {
		close(bfd);
		return NULL;
	}
	fd = open_regular(bfd, key, false);
	e = errno;
	close(bfd);
	if (fd < 0) {
		*err = e == ENOENT || e == ENOTDIR ? no_such_key(c)
		                                  : asl_s3_io_error(c, bucket, key, e);
		return NULL;
	}
	if (!(f = fdopen(fd, "rb"))) {
		e = errno;
		close(fd);
		*err = asl_s3_io_error(c, bucket, key, e);
	}
	return f;
}

/* ------------------------------------------------------------- putObject */

/* Make or open the folder name in dirfd, never through a link. */
static int make_folder(int dirfd, const char *name)
{
	int fd, e;

	if (mkdirat(dirfd, name, 0777) < 0 && errno != EEXIST)
		return -1;
	fd = openat(dirfd, name, DIR_FLAGS | O_NOFOLLOW);
	if (fd < 0) {
		e = errno;
		errno = is_link(dirfd, name) ? ELOOP : e;
	}
	return fd;
}

/*
 * Create the file name in dirfd for writing.  An existing regular file is
 * replaced (S3 replaces an object): its name is removed, never written
 * through, so a hard link elsewhere keeps its content.  A link, a folder
 * or any other kind of file is refused.
 */
static int create_file(int dirfd, const char *name, const char **why)
{
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			errno = ELOOP;
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			*why = "is a folder or a special file under --s3-root, not a "
			       "regular file";
			errno = EISDIR;
			return -1;
		}
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			return -1;
	}
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	            O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST && is_link(dirfd, name))
		errno = ELOOP; /* planted meanwhile: still refused */
	return fd;
}

FILE *asl_s3_put(asl_ctx *c, const char *bucket, const char *key,
                 asl_s3_err *err)
{
	char name[NAME_MAX + 1];
	const char *p = key, *why = NULL;
	size_t len = strlen(key);
	int fd, next, e = 0;
	FILE *f;

	if ((fd = open_bucket(c, bucket, DIR_FLAGS, err)) < 0)
		return NULL;
	if (len == 0 || key[len - 1] == '/') {
		close(fd);
		*err = refused(c, bucket, key, "is a folder's name: no file can "
		               "hold the object");
		return NULL;
	}
	if ((*err = asl_s3_check_key(c, bucket, key))) {
		close(fd);
		return NULL;
	}
	for (;;) {
		size_t n = strcspn(p, "/");
		memcpy(name, p, n);
		name[n] = '\0';
		if (!p[n]) {
			next = create_file(fd, name, &why);
		} else {
			next = make_folder(fd, name);
			if (next < 0 && errno == ENOTDIR)
				why = "needs a folder where a file stands under --s3-root";
		}
		e = errno;
		close(fd);
		if (next < 0)
			break;
		fd = next;
		if (!p[n])
			break;
		p += n + 1;
	}
	if (next < 0) {
		*err = why ? refused(c, bucket, key, why)
		           : asl_s3_io_error(c, bucket, key, e);
		return NULL;
	}
	if (!(f = fdopen(fd, "wb"))) {
		e = errno;
		close(fd);
		*err = asl_s3_io_error(c, bucket, key, e);
	}
	return f;
}

/* ---------------------------------------------------------- listObjectsV2 */

/* One folder being listed: its entries in key order.  A folder's name
 * carries its '/', so "a/" sorts after "a-b" and before "a0", as the keys
 * below it do. */
typedef struct level {
	DIR *dir;      /* the folder, opened without following a link */
	char **names;
	size_t n, next;
	char *key;     /* the key prefix of the folder: "", "visits/" */
	dev_t dev;
	ino_t ino;
} level;

struct asl_s3_list {
	char *bucket;
	char *prefix;
	level *stack;
	size_t depth, cap;
	bool failed;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_level(level *lv)
{
	for (size_t i = 0; i < lv->n; i++)
		free(lv->names[i]);
	free(lv->names);
	free(lv->key);
	if (lv->dir)
		closedir(lv->dir);
}

static void pop_level(asl_s3_list *l)
{
	free_level(&l->stack[--l->depth]);
}

static asl_s3_err list_failed(asl_s3_list *l, asl_ctx *c, const char *key,
                              const char *why)
{
	char *m = asl_sprintf("s3://%s/%s: %s", l->bucket, key, why);
	asl_s3_err e = s3_error(c, 500, "InternalError", m);

	free(m);
	l->failed = true;
	return e;
}

/*
 * Push the folder fd (consumed) whose key prefix is key: its entries in
 * key order, the names of folders ending with '/'.  Links, and files that
 * are neither regular files nor folders, are no objects: they are left
 * out.  0, or -1 with *err.
 */
/* The entries of level lv's folder (key) whose names start with filter:
 * its objects and its folders ("name/"), sorted; -1 (*err set) on a name
 * no key can be, too many entries, or a read error. */
static int read_entries(asl_s3_list *l, asl_ctx *c, level *lv, const char *key,
                        const char *filter, asl_s3_err *err)
{
	size_t cap = 0, flen = filter ? strlen(filter) : 0;
	struct dirent *e;
	struct stat st;

	errno = 0;
	while ((e = readdir(lv->dir))) {
		bool is_dir;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (filter && strncmp(e->d_name, filter, flen))
			continue;
		if (fstatat(dirfd(lv->dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* gone since readdir */
		is_dir = S_ISDIR(st.st_mode);
		if (!is_dir && !S_ISREG(st.st_mode))
			continue; /* a link, a FIFO, a device: no object */
		if (!asl_utf8_valid(e->d_name, strlen(e->d_name))) {
			*err = list_failed(l, c, key, "holds a file whose name is not "
			                   "UTF-8, which no S3 key can be");
			return -1;
		}
		if (lv->n == ASL_S3_LIST_FOLDER_MAX) {
			char *why = asl_sprintf("the folder holds more than %d "
			                        "entries, the most a listing reads "
			                        "from one folder",
			                        ASL_S3_LIST_FOLDER_MAX);
			*err = list_failed(l, c, key, why);
			free(why);
			return -1;
		}
		if (lv->n == cap) {
			cap = cap ? 2 * cap : 16;
			lv->names = realloc(lv->names, cap * sizeof *lv->names);
			if (!lv->names)
				asl_oom();
		}
		lv->names[lv->n++] = asl_sprintf("%s%s", e->d_name,
		                                 is_dir ? "/" : "");
		errno = 0;
	}
	if (errno) {
		*err = asl_s3_io_error(c, l->bucket, key, errno);
		l->failed = true;
		return -1;
	}
	if (lv->n)
		qsort(lv->names, lv->n, sizeof *lv->names, cmp_names);
	return 0;
}

static int push_level(asl_s3_list *l, asl_ctx *c, int fd, const char *key,
                      const char *filter, asl_s3_err *err)
{
	level lv = { NULL, NULL, 0, 0, NULL, 0, 0 };
	struct stat st;

	if (fstat(fd, &st) < 0 || !(lv.dir = fdopendir(fd))) {
		int en = errno;
		close(fd);
		*err = asl_s3_io_error(c, l->bucket, key, en);
		l->failed = true;
		return -1;
	}
	lv.dev = st.st_dev;
	lv.ino = st.st_ino;
	lv.key = asl_strdup(key);
	/* A folder that is its own ancestor (a bind mount) would loop. */
	for (size_t i = 0; i < l->depth; i++)
		if (l->stack[i].dev == lv.dev && l->stack[i].ino == lv.ino) {
			*err = list_failed(l, c, key, "the folder is one of its own "
			                   "parents (a mount point); S3 has no loops");
			free_level(&lv);
			return -1;
		}
	if (read_entries(l, c, &lv, key, filter, err) < 0) {
		free_level(&lv);
		return -1;
	}
	if (l->depth == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->stack = realloc(l->stack, l->cap * sizeof *l->stack);
		if (!l->stack)
			asl_oom();
	}
	l->stack[l->depth++] = lv;
	return 0;
}

asl_s3_list *asl_s3_list_open(asl_ctx *c, const char *bucket,
                              const char *prefix, asl_s3_err *err)
{
	asl_s3_list *l;
	const char *slash;
	char *key;
	int bfd, fd;

	if ((bfd = open_bucket(c, bucket, DIR_FLAGS, err)) < 0)
		return NULL;
	l = calloc(1, sizeof *l);
	if (!l)
		asl_oom();
	l->bucket = asl_strdup(bucket);
	l->prefix = asl_strdup(prefix ? prefix : "");
	/* "visits/hour=" lists the folder visits/ for names from "hour=". */
	slash = strrchr(l->prefix, '/');
	key = slash ? asl_sprintf("%.*s", (int)(slash - l->prefix + 1), l->prefix)
	            : asl_strdup("");
	if (!*key) {
		fd = openat(bfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else if (strlen(key) > ASL_S3_KEY_MAX || key_problem(key)) {
		fd = -1; /* no file maps to such keys: no objects */
		errno = ENOENT;
	} else {
		fd = asl_s3_open_beneath(bfd, key, O_RDONLY | O_DIRECTORY);
	}
	/* A missing folder, or a link (no folder in S3): no objects. */
	if (fd >= 0)
		push_level(l, c, fd, key, slash ? slash + 1 : l->prefix, err);
	else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
		*err = asl_s3_io_error(c, bucket, key, errno);
	close(bfd);
	free(key);
	if (*err) {
		asl_s3_list_close(l);
		return NULL;
	}
	return l;
}

/* The object of the file name in the folder at the top of the stack: 1
 * with *out, 0 when it is gone or no longer a regular file, -1 with
 * *err. */
static int object(asl_s3_list *l, asl_ctx *c, const char *name,
                  const char *key, json_t **out, asl_s3_err *err)
{
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	unsigned int n = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 3];
	level *lv = &l->stack[l->depth - 1];
	int fd = open_regular(dirfd(lv->dir), name, true), e = 0;
	struct stat st;
	const asl_crypto_lib *lib = asl_crypto();
	EVP_MD_CTX *m;
	ssize_t r;

	if (fd < 0) {
		if (errno == ENOENT || errno == ELOOP)
			return 0; /* gone, or replaced by a link since listed */
		*err = asl_s3_io_error(c, l->bucket, key, errno);
		l->failed = true;
		return -1;
	}
	/* The quoted hex MD5 of the file, as S3's ETag of a single-part
	 * upload. */
	if (!(m = lib->EVP_MD_CTX_new()))
		asl_oom();
	lib->EVP_DigestInit_ex(m, lib->EVP_md5(), NULL);
	while ((r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			break;
		}
		lib->EVP_DigestUpdate(m, buf, (size_t)r);
	}
	lib->EVP_DigestFinal_ex(m, md, &n);
	lib->EVP_MD_CTX_free(m);
	if (!e && fstat(fd, &st) < 0)
		e = errno;
	close(fd);
	if (e) {
		*err = asl_s3_io_error(c, l->bucket, key, e);
		l->failed = true;
		return -1;
	}
	hex[0] = '"';
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 1 + 2 * i, 3, "%02x", md[i]);
	hex[1 + 2 * n] = '"';
	hex[2 + 2 * n] = '\0';
	/* As the Distributed Map gives them (DG: ItemReader). */
	*out = json_pack("{s:s, s:s, s:I, s:I, s:s}", "Etag", hex, "Key", key,
	                 "LastModified", (json_int_t)st.st_mtime,
	                 "Size", (json_int_t)st.st_size,
	                 "StorageClass", "STANDARD");
	if (!*out)
		asl_oom(); /* the key is valid UTF-8: only memory can fail */
	return 1;
}

/* Enter the folder name ("sub/") of the folder at the top of the stack;
 * one that is gone or became a link since it was listed holds nothing. */
static int descend(asl_s3_list *l, asl_ctx *c, const char *name,
                   const char *key, asl_s3_err *err)
{
	level *lv = &l->stack[l->depth - 1];
	char *dname = asl_sprintf("%.*s", (int)strlen(name) - 1, name);
	int fd = openat(dirfd(lv->dir), dname, O_RDONLY | O_DIRECTORY |
	                O_NOFOLLOW | O_CLOEXEC);
	int en = errno;

	free(dname);
	if (fd >= 0)
		return push_level(l, c, fd, key, NULL, err);
	if (en == ENOENT || en == ENOTDIR || en == ELOOP)
		return 0;
	*err = asl_s3_io_error(c, l->bucket, key, en);
	l->failed = true;
	return -1;
}

int asl_s3_list_next(asl_s3_list *l, asl_ctx *c, json_t **obj,
                     asl_s3_err *err)
{
	*obj = NULL;
	*err = NULL;
	if (l->failed)
		return -1;
	while (l->depth) {
		level *lv = &l->stack[l->depth - 1];
		if (lv->next == lv->n) {
			pop_level(l);
			continue;
		}
		const char *name = lv->names[lv->next++];
		char *key = asl_sprintf("%s%s", lv->key, name);
		size_t len = strlen(key);
		int rc;

		if (len > ASL_S3_KEY_MAX) {
			*err = list_failed(l, c, lv->key, "holds a file or folder whose "
			                   "key would be longer than S3's 1024 bytes");
			free(key);
			return -1;
		}
		if (key[len - 1] == '/') {
			rc = descend(l, c, name, key, err);
			free(key);
			if (rc < 0)
				return -1;
			continue;
		}
		rc = object(l, c, name, key, obj, err);
		free(key);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void asl_s3_list_close(asl_s3_list *l)
{
	if (!l)
		return;
	while (l->depth)
		pop_level(l);
	free(l->stack);
	free(l->bucket);
	free(l->prefix);
	free(l);
}
