/*
 * zip.c - a function's zip file unpacked into its folder, with libzip.
 * Nothing is written outside the folder: entries whose names are absolute,
 * hold "..", a backslash or an empty part are refused, and so are symbolic
 * links, devices, FIFOs and sockets; every folder is opened without
 * following a link, every file created (never opened: O_EXCL) in it.
 * Bounded: 20,000 entries, 1,024 bytes a name, Lambda's 262,144,000
 * bytes unzipped (counted as written, not as the entries claim).  On any
 * refusal the folder is removed whole.
 */
#define _GNU_SOURCE
#include "serve.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#define MAX_ENTRIES 20000
#define MAX_NAME 1024
#define MAX_UNZIPPED 262144000ULL

#define UNZIP_FAILED "Could not unzip uploaded file. Please check your " \
	"file, then try to upload again."

/* The folder fd/parts[0]/.../parts[n-1], made as needed; a new fd. */
static int open_dirs(int root, char **parts, size_t n)
{
	int fd = dup(root);

	for (size_t i = 0; fd >= 0 && i < n; i++) {
		if (mkdirat(fd, parts[i], 0755) < 0 && errno != EEXIST) {
			close(fd);
			return -1;
		}
		int sub = openat(fd, parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		                 O_CLOEXEC);
		close(fd);
		fd = sub;
	}
	return fd;
}

/* Split a name into its parts (in buf); -1 when it is not safe.  dir is
 * set when it names a folder (a trailing slash). */
static int split(char *buf, char **parts, size_t *n, bool *dir)
{
	size_t len = strlen(buf);

	*n = 0;
	*dir = len && buf[len - 1] == '/';
	if (*dir)
		buf[--len] = '\0';
	if (!len || buf[0] == '/' || strchr(buf, '\\'))
		return -1;
	for (char *p = buf, *q; p; p = q) {
		q = strchr(p, '/');
		if (q)
			*q++ = '\0';
		if (!*p || !strcmp(p, ".."))
			return -1;
		if (!strcmp(p, "."))
			continue;
		if (*n == 64)
			return -1;
		parts[(*n)++] = p;
	}
	return *n ? 0 : -1;
}

/* One entry of the zip file: its name, split into parts, and its mode. */
struct entry {
	zip_stat_t st;
	char name[MAX_NAME + 1], *parts[64];
	size_t n;
	bool is_dir;
	mode_t mode;
};

/* Entry i of z read into e and checked: a safe name, a file or a folder
 * (no link, device, FIFO or socket), not encrypted.  -1 with err set when
 * it is refused. */
static int read_entry(zip_t *z, zip_int64_t i, struct entry *e, char *err,
                      size_t errlen)
{
	zip_uint8_t os;
	zip_uint32_t attr;

	if (zip_stat_index(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &e->st) < 0 ||
	    !(e->st.valid & ZIP_STAT_NAME)) {
		snprintf(err, errlen, "%s", UNZIP_FAILED);
		return -1;
	}
	if (strlen(e->st.name) > MAX_NAME) {
		snprintf(err, errlen, "%s (an entry's name is over %d bytes)",
		         UNZIP_FAILED, MAX_NAME);
		return -1;
	}
	strcpy(e->name, e->st.name);
	if (split(e->name, e->parts, &e->n, &e->is_dir) < 0) {
		snprintf(err, errlen, "The zip file's entry '%.200s' is "
		         "refused: its name would be outside the function's "
		         "folder (absolute, '..', a backslash or an empty "
		         "part)", e->st.name);
		return -1;
	}
	e->mode = 0;
	if (zip_file_get_external_attributes(z, (zip_uint64_t)i, 0, &os,
	                                      &attr) == 0 &&
	    os == ZIP_OPSYS_UNIX)
		e->mode = (mode_t)(attr >> 16);
	if ((e->mode & S_IFMT) && !S_ISREG(e->mode) && !S_ISDIR(e->mode)) {
		snprintf(err, errlen, "The zip file's entry '%.200s' is "
		         "refused: it is a %s, not a file or a folder", e->st.name,
		         S_ISLNK(e->mode) ? "symbolic link" : "device, FIFO or "
		                                              "socket");
		return -1;
	}
	if (S_ISDIR(e->mode))
		e->is_dir = true;
	if ((e->st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    e->st.encryption_method != ZIP_EM_NONE) {
		snprintf(err, errlen, "%s (the entry '%.200s' is encrypted)",
		         UNZIP_FAILED, e->st.name);
		return -1;
	}
	return 0;
}

/* The data of entry i (named name) written to fd, which is closed; the
 * bytes are counted into *total, which may not pass MAX_UNZIPPED.  -1 with
 * err set on failure. */
static int copy_entry(zip_t *z, zip_int64_t i, int fd, const char *name,
                      unsigned long long *total, char *err, size_t errlen)
{
	char buf[65536];
	zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
	zip_int64_t got = 0;
	int rc = f ? 0 : -1;

	while (f && (got = zip_fread(f, buf, sizeof buf)) > 0) {
		*total += (unsigned long long)got;
		if (*total > MAX_UNZIPPED) {
			snprintf(err, errlen, "Unzipped size must be smaller than "
			         "%llu bytes", MAX_UNZIPPED);
			rc = -2;
			break;
		}
		if (write(fd, buf, (size_t)got) != got) {
			snprintf(err, errlen, "cannot write the function's code: "
			         "%s", strerror(errno));
			rc = -2;
			break;
		}
	}
	if (got < 0)
		rc = -1;
	if (f)
		zip_fclose(f);
	if (close(fd) < 0 && !rc) {
		snprintf(err, errlen, "cannot write the function's code: %s",
		         strerror(errno));
		rc = -2;
	}
	if (rc == -1)
		snprintf(err, errlen, "%s (the entry '%.200s' cannot be read)",
		         UNZIP_FAILED, name);
	return rc ? -1 : 0;
}

/* Every entry of z made under the folder root: folders made, files
 * created and filled. */
static int unpack(zip_t *z, int root, char *err, size_t errlen,
                  unsigned long long *total)
{
	zip_int64_t entries = zip_get_num_entries(z, 0);

	if (entries < 0 || entries > MAX_ENTRIES) {
		snprintf(err, errlen, "%s (the zip file has over %d entries)",
		         UNZIP_FAILED, MAX_ENTRIES);
		return -1;
	}
	for (zip_int64_t i = 0; i < entries; i++) {
		struct entry e;

		if (read_entry(z, i, &e, err, errlen) < 0)
			return -1;
		int dfd = open_dirs(root, e.parts, e.is_dir ? e.n : e.n - 1);
		if (dfd < 0) {
			snprintf(err, errlen, "%s (the folder of '%.200s': %s)",
			         UNZIP_FAILED, e.st.name, strerror(errno));
			return -1;
		}
		if (e.is_dir) {
			close(dfd);
			continue;
		}
		int fd = openat(dfd, e.parts[e.n - 1], O_WRONLY | O_CREAT | O_EXCL |
		                O_NOFOLLOW | O_CLOEXEC,
		                (e.mode & 0111) ? 0755 : 0644);
		close(dfd);
		if (fd < 0) {
			snprintf(err, errlen, "%s (the entry '%.200s': %s)",
			         UNZIP_FAILED, e.st.name, errno == EEXIST
			         ? "it is in the zip file twice" : strerror(errno));
			return -1;
		}
		if (copy_entry(z, i, fd, e.st.name, total, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int zip_unpack(const void *data, size_t len, const char *dir, char *err,
               size_t errlen, unsigned long long *unzipped)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	int root, rc;

	*unzipped = 0;
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(data, len, 0, &ze)) ||
	    !(z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze))) {
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		snprintf(err, errlen, "%s", UNZIP_FAILED);
		return -1;
	}
	zip_error_fini(&ze);
	if (mkdir(dir, 0755) < 0 ||
	    (root = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "cannot make the function's folder %s: %s",
		         dir, strerror(errno));
		zip_discard(z);
		return -1;
	}
	rc = unpack(z, root, err, errlen, unzipped);
	close(root);
	zip_discard(z); /* frees src */
	if (rc < 0)
		serve_remove_tree(dir);
	return rc;
}
