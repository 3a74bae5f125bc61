/*
 * store.c - the "dir:" history store (layout in store.h).
 */
#include "store.h"
#include "buf.h"
#include "error.h"
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct pg_store {
	char *path;      /* dir: the directory; notes: the notes ref */
	pg_repo *repo;   /* notes: the repository (not owned) */
};

static int valid_notes_name(const char *name)
{
	size_t n = strlen(name);
	return n && n <= 100 && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				      "0123456789-_") == n;
}

int pg_store_open(pg_store **out, const char *spec, const char *repo_root, pg_repo *repo)
{
	pg_buf path = PG_BUF_INIT;
	*out = NULL;
	if (!strncmp(spec, "notes:", 6)) {
		if (!valid_notes_name(spec + 6))
			return pg_error_set(PG_ECONFIG, "store '%s': the notes name must be letters, "
					    "digits, - or _", spec);
		if (!repo)
			return pg_error_set(PG_ECONFIG, "store '%s' needs a repository", spec);
		pg_store *s = pg_calloc(1, sizeof(*s));
		pg_buf_printf(&path, "refs/notes/%s", spec + 6);
		s->path = pg_buf_detach(&path);
		s->repo = repo;
		*out = s;
		return 0;
	}
	if (strncmp(spec, "dir:", 4) || !spec[4])
		return pg_error_set(PG_ECONFIG, "store '%s': expected \"dir:PATH\" or \"notes:NAME\"",
				    spec);
	if (spec[4] == '/')
		pg_buf_puts(&path, spec + 4);
	else
		pg_path_join(&path, repo_root, spec + 4);
	pg_store *s = pg_calloc(1, sizeof(*s));
	s->path = pg_buf_detach(&path);
	*out = s;
	return 0;
}

void pg_store_free(pg_store *store)
{
	if (!store)
		return;
	free(store->path);
	free(store);
}

const char *pg_store_path(const pg_store *store)
{
	return store->path;
}

void pg_store_testbed_key(pg_buf *out, const char *testbed)
{
	uint32_t h = 2166136261u; /* FNV-1a: stable, tiny, good enough for a suffix */
	size_t i;
	for (const unsigned char *p = (const unsigned char *)testbed; *p; p++)
		h = (h ^ *p) * 16777619u;
	for (i = 0; testbed[i] && i < 48; i++) {
		char c = testbed[i];
		int safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '-' || c == '_' || (c == '.' && i > 0);
		pg_buf_putc(out, safe ? c : '_');
	}
	pg_buf_printf(out, "-%08x", h);
}

static void commit_dir(pg_buf *out, const pg_store *s, const char *commit, const char *testbed)
{
	pg_path_join(out, s->path, commit);
	pg_buf_putc(out, '/');
	pg_store_testbed_key(out, testbed);
}

static int is_sha(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == 40 && !s[n];
}

int pg_store_save(pg_store *store, const pg_run *run)
{
	pg_buf dir = PG_BUF_INIT, file = PG_BUF_INIT;
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	int err;
	if (!run->commit || !is_sha(run->commit) || !run->testbed)
		return pg_error_set(PG_ERUNTIME, "cannot store a result without commit and testbed");
	if (store->repo)
		return pg_notes_save(store->repo, store->path, run);
	commit_dir(&dir, store, run->commit, run->testbed);
	if ((err = pg_mkdir_p(dir.ptr, 0755)) < 0)
		goto out;
	/* Run ids sort chronologically; pid and nanoseconds keep two runs in
	 * the same second apart. */
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	pg_buf_printf(&file, "%s/%s-%09ld-%ld.json", dir.ptr, stamp, ts.tv_nsec, (long)getpid());
	err = pg_run_save(run, file.ptr);
	if (err < 0)
		pg_error_wrap(err, "cannot store the results");
out:
	pg_buf_free(&dir);
	pg_buf_free(&file);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* Lists the *.json files in `dir`, sorted; ENOENT is an empty list. */
static int list_run_files(const char *dir, char ***names, size_t *n)
{
	size_t alloc = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	*names = NULL;
	*n = 0;
	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return pg_error_set(PG_ERUNTIME, "%s: cannot read history: %s", dir, strerror(errno));
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".json"))
			continue;
		*names = pg_array_grow(*names, &alloc, *n + 1, sizeof(**names));
		(*names)[(*n)++] = pg_strdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_str);
	return 0;
}

static int run_matches(const pg_run *run, const char *commit, const char *testbed,
		       const char *file)
{
	if (!strcmp(run->commit, commit) && run->testbed && !strcmp(run->testbed, testbed))
		return 1;
	pg_warn("%s: commit or testbed inside does not match its place in the store; skipped",
		file);
	return 0;
}

int pg_store_load(pg_store *store, const char *commit, const char *testbed, pg_run ***runs,
		  size_t *n)
{
	pg_buf dir = PG_BUF_INIT, file = PG_BUF_INIT;
	char **names;
	size_t nnames, alloc = 0;
	*runs = NULL;
	*n = 0;
	if (store->repo)
		return pg_notes_load(store->repo, store->path, commit, testbed, runs, n);
	commit_dir(&dir, store, commit, testbed);
	int err = list_run_files(dir.ptr, &names, &nnames);
	for (size_t i = 0; i < nnames; i++) {
		pg_run *run;
		pg_buf_clear(&file);
		pg_path_join(&file, dir.ptr, names[i]);
		if (pg_run_load(&run, file.ptr) < 0) {
			pg_warn("%s; skipped (the file was left as it is)", pg_error_last());
		} else if (!run_matches(run, commit, testbed, file.ptr)) {
			pg_run_free(run);
		} else {
			*runs = pg_array_grow(*runs, &alloc, *n + 1, sizeof(**runs));
			(*runs)[(*n)++] = run;
		}
		free(names[i]);
	}
	free(names);
	pg_buf_free(&dir);
	pg_buf_free(&file);
	return err;
}

void pg_runs_free(pg_run **runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pg_run_free(runs[i]);
	free(runs);
}
