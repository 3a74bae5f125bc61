/*
 * standalone.c - runs a fuzz target once on each file named (or each file
 * in each directory named), without libFuzzer: how the plain and sanitizer
 * builds replay tests/fuzz/corpus/<target> as a regression test, with gcc.
 * Exit status 0 when every input ran (1 when none did: an empty corpus is
 * no test); a crash or a failed oracle aborts.
 */
#include "buf.h"
#include "fsutil.h"
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(const char *path)
{
	pg_buf data = PG_BUF_INIT;
	if (pg_file_read(&data, path) < 0) {
		fprintf(stderr, "%s: cannot read it\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data.ptr, data.len);
	pg_buf_free(&data);
	return 0;
}

/* Every regular file in `dir`, in name order. */
static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int err = 0;
	if (!d) {
		fprintf(stderr, "%s: cannot open the directory\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = pg_array_grow(names, &alloc, n + 1, sizeof(*names));
		names[n++] = pg_strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		pg_buf path = PG_BUF_INIT;
		struct stat st;
		pg_path_join(&path, dir, names[i]);
		if (stat(path.ptr, &st) == 0 && S_ISREG(st.st_mode) && !err) {
			err = run_file(path.ptr);
			*count += err == 0;
		}
		pg_buf_free(&path);
		free(names[i]);
	}
	free(names);
	return err;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int err;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			err = run_dir(argv[i], &count);
		} else {
			err = run_file(argv[i]);
			count += err == 0;
		}
		if (err < 0)
			return 1;
	}
	printf("%s: %zu inputs ran\n", argv[0], count);
	return count ? 0 : 1;
}
