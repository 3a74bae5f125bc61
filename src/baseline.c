/*
 * baseline.c - collecting and pooling history along first parents.
 */
#include "baseline.h"
#include "buf.h"
#include "error.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

static void pool_bench(pg_run *pooled, const pg_bench_result *b)
{
	pg_bench_result *dst = pg_run_find_bench(pooled, b->name);
	if (!dst)
		dst = pg_run_add_bench(pooled, b->name);
	for (size_t m = 0; m < b->nmetrics; m++) {
		const pg_metric_result *src = &b->metrics[m];
		pg_metric_result *d = pg_bench_metric(dst, src->name, src->unit, src->higher_is_better);
		pg_samples_extend(&d->samples, &src->samples);
	}
}

pg_run *pg_runs_pool(pg_run *const *runs, size_t n, int skip_dirty)
{
	pg_run *pooled = NULL;
	for (size_t i = 0; i < n; i++) {
		const pg_run *r = runs[i];
		if (skip_dirty && r->dirty)
			continue;
		if (!pooled) {
			pooled = pg_run_new();
			pooled->commit = pg_strdup(r->commit);
			pooled->testbed = r->testbed ? pg_strdup(r->testbed) : NULL;
		}
		pooled->dirty |= r->dirty;
		for (size_t b = 0; b < r->nbenches; b++)
			if (!r->benches[b].failed)
				pool_bench(pooled, &r->benches[b]);
	}
	if (pooled && !pooled->nbenches) {
		pg_run_free(pooled);
		pooled = NULL;
	}
	return pooled;
}

typedef struct walk_state {
	pg_baseline *out;
	pg_store *store;
	const pg_baseline_opts *opts;
	int err;
} walk_state;

static int visit(const char *sha, void *payload)
{
	walk_state *w = payload;
	pg_run **runs;
	size_t n;
	w->out->walked++;
	if (w->opts->skip_start && !strcmp(sha, w->opts->start))
		return 0;
	if ((w->err = pg_store_load(w->store, sha, w->opts->testbed, &runs, &n)) < 0)
		return 1;
	pg_run *pooled = pg_runs_pool(runs, n, !w->opts->include_dirty);
	pg_runs_free(runs, n);
	if (pooled) {
		pg_baseline *b = w->out;
		b->commits = pg_array_grow(b->commits, &b->alloc, b->n + 1, sizeof(*b->commits));
		memcpy(b->commits[b->n].sha, sha, PG_SHA_LEN + 1);
		b->commits[b->n++].pooled = pooled;
	}
	return w->out->n >= w->opts->window;
}

int pg_baseline_collect(pg_baseline *out, pg_repo *repo, pg_store *store,
			const pg_baseline_opts *opts)
{
	walk_state w = { out, store, opts, 0 };
	memset(out, 0, sizeof(*out));
	if (!opts->window)
		return 0;
	int rc = pg_repo_walk_first_parent(repo, opts->start, PG_BASELINE_MAX_WALK, visit, &w,
					   &out->truncated);
	if (w.err < 0)
		return w.err;
	return rc < 0 ? rc : 0;
}

void pg_baseline_free(pg_baseline *b)
{
	for (size_t i = 0; i < b->n; i++)
		pg_run_free(b->commits[i].pooled);
	free(b->commits);
	memset(b, 0, sizeof(*b));
}

void pg_baseline_keep_since(pg_baseline *b, pg_repo *repo, const char *since)
{
	size_t keep = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (strcmp(b->commits[i].sha, since) && pg_repo_is_ancestor(repo, b->commits[i].sha, since))
			pg_run_free(b->commits[i].pooled);
		else
			b->commits[keep++] = b->commits[i];
	}
	b->n = keep;
}

void pg_baseline_series(const pg_baseline *b, const char *bench, const char *metric,
			const char *unit, pg_samples *medians, pg_samples *pooled)
{
	for (size_t i = b->n; i-- > 0;) {
		pg_bench_result *br = pg_run_find_bench(b->commits[i].pooled, bench);
		pg_metric_result *m = br ? pg_bench_find_metric(br, metric) : NULL;
		if (!m || !m->samples.n || (unit && strcmp(m->unit, unit)))
			continue;
		if (medians)
			pg_samples_push(medians, pg_stats_median(m->samples.v, m->samples.n));
		if (pooled)
			pg_samples_extend(pooled, &m->samples);
	}
}
