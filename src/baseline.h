/*
 * baseline.h - what a result is compared against: stored results along
 * the first-parent chain.
 *
 * pg_baseline_collect() walks first parents from `start` and keeps the
 * first `window` commits that have results for the testbed.  Per commit,
 * the samples of all its clean runs (dirty work trees excluded) are pooled
 * per benchmark and metric; failed benchmarks contribute nothing.
 */
#ifndef PG_BASELINE_H
#define PG_BASELINE_H

#include "repo.h"
#include "results.h"
#include "store.h"

/* Walks at most this many commits looking for results. */
#define PG_BASELINE_MAX_WALK 10000

typedef struct pg_commit_results {
	char sha[PG_SHA_LEN + 1];
	pg_run *pooled;         /* one pooled run for the commit */
} pg_commit_results;

typedef struct pg_baseline {
	pg_commit_results *commits; /* newest first */
	size_t n, alloc;
	int truncated;              /* the walk hit missing history (shallow clone) */
	size_t walked;              /* commits visited */
} pg_baseline;

typedef struct pg_baseline_opts {
	const char *start;          /* first commit to consider */
	int skip_start;             /* do not use `start` itself (HEAD) */
	const char *testbed;
	size_t window;
	int include_dirty;          /* also use runs made on dirty trees */
} pg_baseline_opts;

int pg_baseline_collect(pg_baseline *out, pg_repo *repo, pg_store *store,
			const pg_baseline_opts *opts);
void pg_baseline_free(pg_baseline *b);
/* Drops the commits that `since` reaches, except `since` itself. */
void pg_baseline_keep_since(pg_baseline *b, pg_repo *repo, const char *since);

/* Appends, per commit from oldest to newest, the median of the commit's
 * samples to `medians` and every sample to `pooled` (either may be NULL).
 * Commits without the benchmark/metric, or (when `unit` is given) with the
 * metric in another unit, are passed over: instruction counts from perf
 * and from valgrind are never compared. */
void pg_baseline_series(const pg_baseline *b, const char *bench, const char *metric,
			const char *unit, pg_samples *medians, pg_samples *pooled);

/* Pools the samples of several runs into one new run (same commit):
 * benchmarks that failed in a run are left out of that run's share; with
 * skip_dirty, runs made on a dirty tree are left out.  Returns NULL when
 * nothing is left. */
pg_run *pg_runs_pool(pg_run *const *runs, size_t n, int skip_dirty);

#endif
