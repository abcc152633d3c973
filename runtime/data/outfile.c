/*
 * outfile.c - every file a program writes on the command line's demand
 * (--history, --inspect): opened before the execution starts, written,
 * then put in place whole (doc/reliability.md, "Output files").
 *
 * - A regular file (or none yet) is written to an unnamed temporary file
 *   (O_TMPFILE) in the same folder, synced, given a name derived from the
 *   target (.NAME.asl2c-tmp) and renamed over the target: the target is
 *   never seen half written, and a program killed at any point leaves at
 *   most that one name, which the next run on the same target removes and
 *   reuses.  Where the file system has no O_TMPFILE, the derived name is
 *   created directly (the same rule: the next run removes it).
 * - The file replaced keeps its mode (and, where we may, its owner); a new
 *   file gets 0666 less the umask, as a shell redirection gives it.
 * - A symbolic link is followed, as a shell redirection and gcc -o follow
 *   it: the file it names is replaced, the link stays.  A link that names
 *   nothing is refused (ENOENT).
 * - A folder is refused (EISDIR) before the execution starts.
 * - A device or a FIFO (/dev/stdout, /dev/null) is written in place: a
 *   file renamed over it would replace the device.
 */
#define _GNU_SOURCE /* O_TMPFILE, linkat's AT_EMPTY_PATH */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *tmp_name(const char *path)
{
	char *d = asl_strdup(path), *b = asl_strdup(path), *t;

	t = asl_sprintf("%s/.%s.asl2c-tmp", dirname(d), basename(b));
	free(d);
	free(b);
	return t;
}

int asl_outfile_open(asl_outfile *f, const char *path)
{
	struct stat st;
	bool exists;
	int err;

	memset(f, 0, sizeof *f);
	f->fd = -1;
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	exists = stat(path, &st) == 0; /* follows a link */
	if (!exists && errno != ENOENT)
		return -1;
	if (!exists) {
		struct stat lst;
		if (lstat(path, &lst) == 0) { /* a dangling link */
			errno = ENOENT;
			return -1;
		}
	}
	if (exists && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		f->in_place = true;
		f->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		return f->fd < 0 ? -1 : 0;
	}
	/* The file itself, not the link: the link stays. */
	if (exists) {
		char *real = realpath(path, NULL);
		if (!real)
			return -1;
		f->path = real;
	} else {
		f->path = asl_strdup(path);
	}
	f->tmp = tmp_name(f->path);
	{
		char *d = asl_strdup(f->path);
		f->fd = open(dirname(d), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
		free(d);
	}
	if (f->fd < 0 && errno != EOPNOTSUPP && errno != EISDIR &&
	    errno != EINVAL)
		goto fail;
	if (f->fd < 0) {
		/* No O_TMPFILE here: the derived name, removed first (what a
		 * killed run left). */
		unlink(f->tmp);
		f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		             O_CLOEXEC, 0666);
		if (f->fd < 0)
			goto fail;
		f->named = true;
	}
	if (exists) {
		/* The mode (and owner) of the file replaced. */
		if (fchown(f->fd, st.st_uid, st.st_gid) < 0) {
			/* not ours to give: keep ours */
		}
		if (fchmod(f->fd, st.st_mode & 07777) < 0)
			goto fail;
	}
	return 0;
fail:
	err = errno;
	asl_outfile_discard(f);
	errno = err;
	return -1;
}

int asl_outfile_write(asl_outfile *f, const void *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t w = write(f->fd, (const char *)data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

/* Give the unnamed file its derived name. */
static int link_tmp(asl_outfile *f)
{
	char proc[64];

	unlink(f->tmp); /* what a killed run left */
	if (linkat(f->fd, "", AT_FDCWD, f->tmp, AT_EMPTY_PATH) == 0)
		return 0;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp, AT_SYMLINK_FOLLOW);
}

int asl_outfile_commit(asl_outfile *f)
{
	int err = 0;

	if (f->fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (!f->in_place && fsync(f->fd) < 0)
		err = errno; /* a delayed ENOSPC or EIO */
	if (!err && !f->in_place && !f->named) {
		if (link_tmp(f) < 0)
			err = errno;
		else
			f->named = true;
	}
	if (close(f->fd) < 0 && !err)
		err = errno;
	f->fd = -1;
	if (!err && !f->in_place && rename(f->tmp, f->path) < 0)
		err = errno;
	if (!err)
		f->named = false; /* renamed: nothing to remove */
	asl_outfile_discard(f);
	errno = err;
	return err ? -1 : 0;
}

int asl_outfile_scratch(const asl_outfile *f)
{
	char *d;
	int fd;

	if (f->in_place || !f->path)
		return -1;
	d = asl_strdup(f->path);
	fd = open(dirname(d), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	free(d);
	return fd;
}

void asl_outfile_discard(asl_outfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->named)
		unlink(f->tmp);
	f->named = false;
	free(f->tmp);
	free(f->path);
	f->tmp = f->path = NULL;
}
