/*
 * util.c - what the parts of asl2c serve share: the clock, ids, files.
 */
#define _GNU_SOURCE
#include "serve.h"
#include "build.h"
#include "util.h"
#include "names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

long long serve_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

json_t *serve_time(long long ms)
{
	return json_real((double)ms / 1000.0);
}

void serve_uuid(char out[37])
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

char *serve_shell_quote(const char *s)
{
	strbuf b = SB_INIT;

	sb_putc(&b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_puts(&b, "'\\''");
		else
			sb_putc(&b, *s);
	}
	sb_putc(&b, '\'');
	return sb_steal(&b);
}

int serve_mkdirs(const char *path)
{
	return asl2c_make_dirs(path);
}

/* Remove the entries of the folder fd (closed), then nothing else. */
static int remove_in(int fd)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY |
			                 O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0 || remove_in(sub) < 0 ||
			    unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) < 0)
				rc = -1;
		} else if (unlinkat(dirfd(d), e->d_name, 0) < 0) {
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

int serve_remove_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (remove_in(fd) < 0)
		return -1;
	return rmdir(path);
}

char *serve_read_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	strbuf b = SB_INIT;
	char chunk[65536];
	ssize_t n;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || b.len + (size_t)n > max) {
			close(fd);
			sb_free(&b);
			return NULL;
		}
		sb_put(&b, chunk, (size_t)n);
	}
	close(fd);
	sb_putc(&b, '\0');
	if (len)
		*len = b.len - 1;
	return sb_steal(&b);
}

int serve_write_file(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC), err = 0;
	size_t off = 0;

	if (fd < 0) {
		free(tmp);
		return -1;
	}
	while (off < len) {
		ssize_t w = write(fd, (const char *)data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : ENOSPC;
			break;
		}
		off += (size_t)w;
	}
	if (!err && fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) < 0)
		err = errno;
	if (err)
		unlink(tmp);
	free(tmp);
	errno = err;
	return err ? -1 : 0;
}

bool serve_valid_name(const char *s, size_t max)
{
	return asl_valid_name(s, max); /* AWS's rule (runtime/names.c) */
}

static int b64val(int c, bool url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	return c == (url ? '_' : '/') ? 63 : -1;
}

unsigned char *serve_base64_decode(const char *s, size_t *n, bool url)
{
	size_t len = strlen(s), k = 0;
	unsigned acc = 0;
	int bits = 0;
	unsigned char *out = xmalloc(len / 4 * 3 + 4);

	while (len && s[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++) {
		int v = b64val((unsigned char)s[i], url);
		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)((acc >> bits) & 0xff);
		}
	}
	out[k] = '\0';
	*n = k;
	return out;
}
