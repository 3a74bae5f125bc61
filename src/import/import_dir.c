/*
 * import_dir.c - criterion's results directory (`cargo bench` writes
 * target/criterion/<benchmark>/new/sample.json): every such sample file
 * below the directory, named by the benchmark.json beside it.
 */
#include "import.h"
#include "buf.h"
#include "error.h"
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Deeper than any group/function/value/new layout criterion makes. */
#define WALK_DEPTH_MAX 12

typedef struct walk {
	pg_run *parsed;
	size_t root_len;               /* to name a result by its directory */
	const struct timespec *since;  /* skip samples older than this */
	unsigned flags;                /* for pg_file_read_limited */
	size_t found, stale;
} walk;

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int older_than(const struct stat *st, const struct timespec *since)
{
	return since && (st->st_mtim.tv_sec < since->tv_sec ||
			 (st->st_mtim.tv_sec == since->tv_sec && st->st_mtim.tv_nsec < since->tv_nsec));
}

/* One <benchmark>/new directory. */
static int read_sample(walk *w, const char *bench_dir, const char *new_dir)
{
	pg_buf sample_path = PG_BUF_INIT, meta_path = PG_BUF_INIT;
	pg_buf sample = PG_BUF_INIT, meta = PG_BUF_INIT;
	struct stat st;
	int err = 0, has_meta;
	pg_path_join(&sample_path, new_dir, "sample.json");
	pg_path_join(&meta_path, new_dir, "benchmark.json");
	if (stat(sample_path.ptr, &st) < 0 || !S_ISREG(st.st_mode))
		goto out;               /* a "new" directory that is not criterion's */
	if (older_than(&st, w->since)) {
		w->stale++;
		goto out;
	}
	if ((err = pg_file_read_limited(&sample, sample_path.ptr, PG_OUTPUT_MAX, w->flags)) < 0)
		goto out;
	/* no benchmark.json is fine; one that cannot be read (a FIFO...) is not */
	err = pg_file_read_limited(&meta, meta_path.ptr, PG_OUTPUT_MAX, w->flags);
	if (err < 0 && err != PG_ENOTFOUND)
		goto out;
	has_meta = err == 0;
	/* without benchmark.json, the directory below the root names it */
	const char *fallback = bench_dir + w->root_len + (bench_dir[w->root_len] == '/');
	err = pg_import_criterion_sample(w->parsed, sample.ptr, has_meta ? meta.ptr : NULL,
					 *fallback ? fallback : "criterion", sample_path.ptr);
	w->found += err == 0;
out:
	pg_buf_free(&sample_path);
	pg_buf_free(&meta_path);
	pg_buf_free(&sample);
	pg_buf_free(&meta);
	return err;
}

/* The entries of `dir`, sorted, so results come in a stable order;
 * -1 (errno set) when it cannot be opened. */
static int list_dir(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	*names = NULL;
	*n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (*n == cap)
			*names = pg_realloc(*names, (cap = cap ? 2 * cap : 16) * sizeof(**names));
		(*names)[(*n)++] = pg_strdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

static int walk_dir(walk *w, const char *dir, int depth)
{
	char **names;
	size_t n, i;
	pg_buf path = PG_BUF_INIT;
	int err = 0;
	if (list_dir(dir, &names, &n) < 0)
		return depth ? 0 : pg_error_set(PG_ERUNTIME, "%s: cannot read the directory: %s", dir,
						 strerror(errno));
	for (i = 0; i < n && err == 0; i++) {
		struct stat st;
		pg_buf_clear(&path);
		pg_path_join(&path, dir, names[i]);
		/* lstat: never follow a symlink out of the tree, or round a loop */
		if (lstat(path.ptr, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (!strcmp(names[i], "new"))
			err = read_sample(w, dir, path.ptr);
		else if (depth < WALK_DEPTH_MAX && strcmp(names[i], ".git"))
			err = walk_dir(w, path.ptr, depth + 1);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	pg_buf_free(&path);
	return err;
}

int pg_import_criterion_dir(pg_run *parsed, const char *dir, const struct timespec *since,
			    unsigned read_flags)
{
	walk w = { parsed, strlen(dir), since, read_flags, 0, 0 };
	int err = walk_dir(&w, dir, 0);
	if (err == 0 && !w.found && w.stale)
		err = pg_error_set(PG_ECORRUPT, "%s: no criterion results written by this run (%zu "
				   "older */new/sample.json left from earlier runs)", dir, w.stale);
	else if (err == 0 && !w.found)
		err = pg_error_set(PG_ECORRUPT, "%s: no criterion results found in it (looked for "
				   "*/new/sample.json, as `cargo bench` writes under target/criterion)",
				   dir);
	return err;
}
