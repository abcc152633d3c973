/*
 * test_s3jail.c - CUnit tests of --s3-root as a jail (runtime/s3local.c):
 * both ways of opening a path beneath a folder (openat2, and the walk of
 * openat(..., O_NOFOLLOW) that older kernels and seccomp filters fall back
 * to) refuse a symbolic link wherever it is on the path, and the UTF-8
 * check of keys and CSV fields.  tests/dmap/jail.sh checks the behaviour
 * of whole programs.
 */
#define _DEFAULT_SOURCE /* mkdtemp, symlink */
#include "data/data.h"

#include <CUnit/Basic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static int dfd = -1;

static int put(const char *path, const char *text)
{
	int fd = openat(dfd, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0 && write(fd, text, strlen(text)) ==
	                     (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/*
 * dir/
 *   a/b/file         a regular file
 *   a/link-file -> b/file     a link to a file inside
 *   a/link-dir -> b           a link to a folder inside
 *   a/dot -> .                a loop
 *   a/out -> /                a link out of the tree
 *   a/dangling -> nowhere
 *   a/plain                   a file where a folder could be
 */
static int setup(void)
{
	snprintf(dir, sizeof dir, "%s", "/tmp/asl2c-s3jail.XXXXXX");
	if (!mkdtemp(dir) || (dfd = open(dir, O_RDONLY | O_DIRECTORY)) < 0)
		return -1;
	if (mkdirat(dfd, "a", 0755) < 0 || mkdirat(dfd, "a/b", 0755) < 0)
		return -1;
	if (put("a/b/file", "x") < 0 || put("a/plain", "y") < 0 ||
	    symlinkat("b/file", dfd, "a/link-file") < 0 ||
	    symlinkat("b", dfd, "a/link-dir") < 0 ||
	    symlinkat(".", dfd, "a/dot") < 0 ||
	    symlinkat("/", dfd, "a/out") < 0 ||
	    symlinkat("nowhere", dfd, "a/dangling") < 0)
		return -1;
	return 0;
}

static int teardown(void)
{
	char cmd[128];

	if (dfd >= 0)
		close(dfd);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

typedef int (*opener)(int, const char *, int);

/* open path with f: the fd is closed; returns 0 or the errno. */
static int try(opener f, const char *path, int flags)
{
	int fd = f(dfd, path, flags);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static void check_opener(opener f)
{
	CU_ASSERT_EQUAL(try(f, "a/b/file", O_RDONLY), 0);
	CU_ASSERT_EQUAL(try(f, "a/b", O_RDONLY | O_DIRECTORY), 0);
	CU_ASSERT_EQUAL(try(f, "a", O_RDONLY | O_DIRECTORY), 0);
	/* a link as the last component, or on the way */
	CU_ASSERT_EQUAL(try(f, "a/link-file", O_RDONLY), ELOOP);
	CU_ASSERT_EQUAL(try(f, "a/link-dir", O_RDONLY | O_DIRECTORY), ELOOP);
	CU_ASSERT_EQUAL(try(f, "a/link-dir/file", O_RDONLY), ELOOP);
	CU_ASSERT_EQUAL(try(f, "a/dot/b/file", O_RDONLY), ELOOP);
	CU_ASSERT_EQUAL(try(f, "a/dot/dot/dot", O_RDONLY), ELOOP);
	CU_ASSERT_EQUAL(try(f, "a/out/etc/passwd", O_RDONLY), ELOOP);
	CU_ASSERT_EQUAL(try(f, "a/out", O_RDONLY | O_DIRECTORY), ELOOP);
	CU_ASSERT_EQUAL(try(f, "a/dangling", O_RDONLY), ELOOP);
	/* no link: the usual errors */
	CU_ASSERT_EQUAL(try(f, "a/missing", O_RDONLY), ENOENT);
	CU_ASSERT_EQUAL(try(f, "a/plain/x", O_RDONLY), ENOTDIR);
}

static void test_openat2(void)
{
	check_opener(asl_s3_open_beneath);
}

static void test_walk(void)
{
	check_opener(asl_s3_walk);
	/* the walk takes no empty component: keys are checked before */
	CU_ASSERT_EQUAL(try(asl_s3_walk, "a//b", O_RDONLY | O_DIRECTORY),
	                ENOENT);
}

static void test_utf8(void)
{
	CU_ASSERT_TRUE(asl_utf8_valid("", 0));
	CU_ASSERT_TRUE(asl_utf8_valid("plain", 5));
	CU_ASSERT_TRUE(asl_utf8_valid("caf\xc3\xa9", 5));
	CU_ASSERT_TRUE(asl_utf8_valid("\xe2\x82\xac", 3));
	CU_ASSERT_TRUE(asl_utf8_valid("\xf0\x9f\x98\x80", 4));
	CU_ASSERT_TRUE(asl_utf8_valid("a\0b", 3));
	CU_ASSERT_FALSE(asl_utf8_valid("\xff", 1));
	CU_ASSERT_FALSE(asl_utf8_valid("\xc3", 1));          /* cut short */
	CU_ASSERT_FALSE(asl_utf8_valid("\xc0\xaf", 2));      /* overlong '/' */
	CU_ASSERT_FALSE(asl_utf8_valid("\xe0\x80\xaf", 3));  /* overlong */
	CU_ASSERT_FALSE(asl_utf8_valid("\xed\xa0\x80", 3));  /* surrogate */
	CU_ASSERT_FALSE(asl_utf8_valid("\xf4\x90\x80\x80", 4)); /* > 10FFFF */
	CU_ASSERT_FALSE(asl_utf8_valid("\xe2\x28\xa1", 3));
}

int main(void)
{
	CU_pSuite s;
	unsigned fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("s3 jail", setup, teardown);
	CU_add_test(s, "openat2 beneath, no links", test_openat2);
	CU_add_test(s, "the walk, no links", test_walk);
	CU_add_test(s, "UTF-8", test_utf8);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
