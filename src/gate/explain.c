/*
 * explain.c - callgrind on both sides, and the functions that changed (see
 * explain.h).
 */
#include "explain.h"
#include "error.h"
#include "format.h"
#include "fsutil.h"
#include "host.h"
#include "runner.h"
#include "scratch.h"
#include "setup.h"
#include "utf8.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t self_of(const pg_cg_profile *p, const char *name, uint64_t *incl)
{
	const pg_cg_fn *f = pg_callgrind_find(p, name);
	*incl = f ? f->incl : 0;
	return f ? f->self : 0;
}

static uint64_t delta(const pg_explain_fn *f)
{
	return f->self_after > f->self_before ? f->self_after - f->self_before
					      : f->self_before - f->self_after;
}

static int by_change(const void *a, const void *b)
{
	const pg_explain_fn *x = a, *y = b;
	uint64_t dx = delta(x), dy = delta(y);
	if (dx != dy)
		return dx < dy ? 1 : -1;
	uint64_t cx = x->self_after > x->self_before ? x->self_after : x->self_before;
	uint64_t cy = y->self_after > y->self_before ? y->self_after : y->self_before;
	if (cx != cy)
		return cx < cy ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* `file` relative to `root` when it lies inside it. */
static char *relative(const char *file, const char *root)
{
	size_t n = root ? strlen(root) : 0;
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n && !strncmp(file, root, n) && file[n] == '/')
		return pg_strdup(file + n + 1);
	return pg_strdup(file);
}

void pg_explain_diff(pg_explain *out, const pg_cg_profile *before, const pg_cg_profile *after,
		     const char *root_before, const char *root_after, size_t top)
{
	size_t cap = before->n + after->n, n = 0;
	pg_explain_fn *all = pg_calloc(cap ? cap : 1, sizeof(*all));
	const pg_cg_profile *sides[] = { after, before };
	const char *roots[] = { root_after, root_before };
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->n; i++) {
			const pg_cg_fn *f = &sides[s]->fns[i];
			if (s == 1 && pg_callgrind_find(after, f->name))
				continue; /* listed from HEAD's side */
			pg_explain_fn *e = &all[n++];
			e->name = f->name;
			e->line = f->line;
			e->file = relative(f->file, roots[s]);
			e->self_before = self_of(before, f->name, &e->incl_before);
			e->self_after = self_of(after, f->name, &e->incl_after);
			e->change_pct = e->self_before ? ((double)e->self_after - (double)e->self_before) /
								 (double)e->self_before * 100
					: e->self_after ? INFINITY : 0;
		}
	qsort(all, n, sizeof(*all), by_change);
	for (size_t i = top; i < n; i++)
		free(all[i].file);
	out->n = n < top ? n : top;
	for (size_t i = 0; i < out->n; i++)
		all[i].name = pg_strdup(all[i].name);
	out->fns = all;
	out->total_before = before->total;
	out->total_after = after->total;
}

/* Reads and merges every callgrind file of `dir` into `p`. */
static int read_profiles(pg_cg_profile *p, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t used = 0;
	int err = 0;
	memset(p, 0, sizeof(*p));
	if (!d)
		return pg_error_set(PG_ERUNTIME, "%s: cannot list the callgrind output", dir);
	while (err == 0 && (de = readdir(d))) {
		pg_buf path = PG_BUF_INIT, text = PG_BUF_INIT;
		pg_cg_profile one;
		if (strncmp(de->d_name, "cg.", 3))
			continue;
		pg_buf_printf(&path, "%s/%s", dir, de->d_name);
		err = pg_file_read_limited(&text, path.ptr, PG_EXPLAIN_MAX_OUTPUT - used,
					   PG_READ_PLAIN_FILE);
		used += text.len;
		if (err == 0 && (err = pg_callgrind_parse(&one, text.ptr, text.len, de->d_name)) == 0)
			pg_callgrind_merge(p, &one);
		if (err == 0 || err == PG_ECORRUPT)
			pg_callgrind_free(&one);
		pg_buf_free(&path);
		pg_buf_free(&text);
	}
	closedir(d);
	return err;
}

/* One side: the command once under callgrind in root[/cwd].  A profile, or
 * a note in `why` (return 1); negative when perfgate itself failed. */
static int profile_side(pg_cg_profile *p, const pg_bench_config *bc, const char *root,
			const char *side, pg_buf *why)
{
	pg_buf dir = PG_BUF_INIT, cwd = PG_BUF_INIT, outfile = PG_BUF_INIT;
	pg_proc_result r;
	size_t n = 0;
	int err;
	memset(p, 0, sizeof(*p));
	pg_buf_printf(&dir, "%s/perfgate-explain-XXXXXX", pg_host()->tmpdir);
	if (!mkdtemp(dir.ptr)) {
		err = pg_error_set(PG_ERUNTIME, "%s: cannot create a directory", dir.ptr);
		pg_buf_free(&dir);
		return err;
	}
	pg_buf_printf(&outfile, "--callgrind-out-file=%s/cg.%%p", dir.ptr);
	while (bc->argv[n])
		n++;
	char **argv = pg_calloc(n + 7, sizeof(*argv));
	argv[0] = "valgrind";
	argv[1] = "--tool=callgrind";
	argv[2] = "--trace-children=yes";
	argv[3] = "-q";
	argv[4] = outfile.ptr;
	argv[5] = "--";
	memcpy(argv + 6, bc->argv, n * sizeof(*argv));
	if (bc->cwd)
		pg_buf_printf(&cwd, "%s/%s", root, bc->cwd);
	else
		pg_buf_puts(&cwd, root);
	double timeout = bc->timeout * PG_EXPLAIN_SLOWDOWN;
	pg_proc_spec spec = { .argv = argv, .cwd = cwd.ptr, .env = bc->env, .timeout = timeout };
	err = pg_proc_run(&r, &spec);
	if (err == 0 && r.status == PG_PROC_INTERRUPTED) {
		err = pg_error_set(PG_EINTERRUPT, "interrupted");
	} else if (err == 0 && r.status == PG_PROC_EXEC_FAILED && r.stage && !strcmp(r.stage, "exec")) {
		pg_buf_puts(why, "valgrind is not installed (or not in PATH): nothing to explain with");
		err = 1;
	} else if (err == 0 && r.status == PG_PROC_TIMEOUT) {
		pg_buf_printf(why, "too slow under callgrind on %s: still running after %.0f s (the "
				   "benchmark's timeout x %d)", side, timeout, PG_EXPLAIN_SLOWDOWN);
		err = 1;
	} else if (err == 0 && r.status != PG_PROC_OK) {
		pg_buf_printf(why, "the command failed under callgrind on %s: ", side);
		pg_proc_describe(why, &r, timeout);
		err = 1;
	} else if (err == 0 && (err = read_profiles(p, dir.ptr)) == PG_ECORRUPT) {
		pg_buf_printf(why, "unreadable callgrind output on %s: %s", side, pg_error_last());
		err = 1;
	} else if (err == 0 && p->total && p->unnamed > p->total / 2) {
		pg_buf_printf(why, "no symbols on %s: most instructions are in functions known only "
				   "by address (a stripped binary? build with -g, do not strip)", side);
		err = 1;
	}
	pg_proc_result_free(&r);
	pg_rmtree(dir.ptr);
	free(argv);
	pg_buf_free(&dir);
	pg_buf_free(&cwd);
	pg_buf_free(&outfile);
	return err;
}

int pg_explain_bench(pg_explain *out, const pg_gate_env *env, const pg_bench_config *bc,
		     const char *base, const char *build, int keep, size_t top)
{
	pg_scratch *scratch = NULL;
	pg_cg_profile before = { 0 }, after = { 0 };
	pg_buf why = PG_BUF_INIT;
	char base_side[64];
	int err, eb = 0, ea = 0;
	memset(out, 0, sizeof(*out));
	out->bench = pg_strdup(bc->name);
	snprintf(out->base, sizeof(out->base), "%s", base);
	snprintf(base_side, sizeof(base_side), "the base %.12s", base);
	if ((err = pg_scratch_create(&scratch, env->repo, base, keep)) < 0)
		return pg_error_wrap(PG_ERUNTIME, "base %.12s", base);
	if (build && (err = pg_scratch_build(scratch, build, 3600, &why)) < 0) {
		if (err == PG_EBENCH)
			err = pg_error_set(PG_ERUNTIME, "the base %.12s failed to build (%s): %s", base,
					   build, why.ptr);
		goto done;
	}
	if ((err = pg_setup_side(env->cfg->setup, bc, pg_scratch_dir(scratch), base_side)) < 0 ||
	    (err = pg_setup_side(env->cfg->setup, bc, pg_repo_workdir(env->repo), "HEAD")) < 0)
		goto done;
	if ((eb = err = profile_side(&before, bc, pg_scratch_dir(scratch), base_side, &why)) < 0)
		goto done;
	if (eb == 0 && (ea = err = profile_side(&after, bc, pg_repo_workdir(env->repo), "HEAD",
						    &why)) < 0)
		goto done;
	err = 0;
	if (eb || ea)
		out->note = pg_buf_detach(&why);
	else
		pg_explain_diff(out, &before, &after, pg_scratch_dir(scratch),
				pg_repo_workdir(env->repo), top);
done:
	pg_callgrind_free(&before);
	pg_callgrind_free(&after);
	pg_scratch_free(scratch);
	pg_buf_free(&why);
	return err;
}

