/*
 * replay.c - a main for a libFuzzer harness without libFuzzer: calls its
 * LLVMFuzzerTestOneInput on every file named, or on every file of every
 * folder named (in name order), once.  Linked with each fuzz_*.c by
 * `make check` (fuzz/Makefile.inc) so that the corpora, and the crash
 * regressions among them, run in every build, gcc's included.
 *
 *   replay_definition fuzz/corpus/definition [FILE...]
 *
 * Exits 0 after all inputs; a crash or an abort in the harness ends it
 * with that signal, after naming the input on stderr.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Only some harnesses define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			uint8_t *p = realloc(data, cap);
			if (!p) {
				fprintf(stderr, "replay: out of memory\n");
				exit(1);
			}
			data = p;
		}
		size_t r = fread(data + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		perror(path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	/* The harness gets exactly n bytes: a copy, so that ASan and
	 * valgrind see a read past the end. */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact) {
		fprintf(stderr, "replay: out of memory\n");
		exit(1);
	}
	memcpy(exact, data, n);
	free(data);
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int visible(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	int files = 0, errors = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		struct dirent **names;
		int n;

		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			errors++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			errors += replay_file(argv[i]) < 0;
			files++;
			continue;
		}
		if ((n = scandir(argv[i], &names, visible, alphasort)) < 0) {
			perror(argv[i]);
			errors++;
			continue;
		}
		for (int j = 0; j < n; j++) {
			char *path;
			if (asprintf(&path, "%s/%s", argv[i], names[j]->d_name) < 0)
				exit(1);
			errors += replay_file(path) < 0;
			files++;
			free(path);
			free(names[j]);
		}
		free(names);
	}
	fprintf(stderr, "replay: %d inputs, %d unreadable\n", files, errors);
	return errors ? 1 : 0;
}
