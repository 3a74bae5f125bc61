/*
 * baseline.h - what a result is compared against: stored results along
 * the first-parent chain, only those that are comparable.
 *
 * pg_baseline_collect() walks first parents from `start` and keeps the
 * first `window` commits that have comparable results for the testbed.
 * Per commit, the samples of all its clean runs (dirty work trees
 * excluded) are pooled per benchmark and metric; failed benchmarks
 * contribute nothing.
 *
 * Comparable means: the same benchmark definition (the fingerprint of its
 * command, cwd, env, format, output and metrics, gate.h) and, per metric,
 * the same unit (instruction counts from perf and from valgrind are never
 * mixed).  What a result is compared with is the reference: the current
 * run's result when there is one, else the newest stored result (the
 * newest run of the newest commit that has it).  Stored results with
 * another definition or unit are left out, commit by commit, and noted;
 * pg_baseline_warn() says so.  A result without a definition (written
 * before perfgate recorded them, or imported) is comparable with any.
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
	pg_run *failed;         /* the results that failed in every clean run of
				 * the commit that had them (names and reasons,
				 * no samples), or NULL: present for the missing
				 * check (report.h), never judged against */
} pg_commit_results;

/* Results left out because they were not comparable, grouped: every result
 * that changed the same way (the results of one imported harness) is one
 * note. */
typedef struct pg_baseline_note {
	int definition;         /* 1: another definition; 0: another unit */
	char *bench;            /* the first result it was seen for */
	size_t more;            /* how many other results changed the same way */
	char *metric;           /* unit notes: the metric */
	char *want, *found;     /* the reference's definition/unit, and the other
				 * (for definitions: the first other one seen) */
	char sha[PG_SHA_LEN + 1]; /* the first (newest) commit where it was seen */
	size_t commits;         /* commits where `bench` had it */
	/* private (baseline.c): the last commit counted, the results' names
	 * (a set), how many commits were kept before `sha` was visited */
	char last[PG_SHA_LEN + 1];
	pg_run *seen;
	size_t at;
} pg_baseline_note;

typedef struct pg_baseline {
	pg_commit_results *commits; /* newest first */
	size_t n, alloc;
	int truncated;              /* the walk hit missing history (shallow clone) */
	size_t walked;              /* commits visited */
	pg_baseline_note *notes;
	size_t nnotes, nalloc;
	/* private: what results must be comparable with (a run without
	 * samples), the run being judged, and the one result collected */
	pg_run *ref;
	const pg_run *current;
	char *bench;
} pg_baseline;

typedef struct pg_baseline_opts {
	const char *start;          /* first commit to consider */
	int skip_start;             /* do not use `start` itself (HEAD) */
	const char *testbed;
	size_t window;
	int include_dirty;          /* also use runs made on dirty trees */
	const pg_run *current;      /* the run being judged, or NULL (not owned;
				     * must outlive the baseline) */
	const char *bench;          /* collect only this result, or NULL: all */
} pg_baseline_opts;

/* On error, *out is left empty (freeing it again is harmless). */
int pg_baseline_collect(pg_baseline *out, pg_repo *repo, pg_store *store,
			const pg_baseline_opts *opts);
void pg_baseline_free(pg_baseline *b);
/* Drops the commits that `since` reaches, except `since` itself. */
void pg_baseline_keep_since(pg_baseline *b, pg_repo *repo, const char *since);

/* An empty baseline, for adding commits one by one (collect does this):
 * comparable with `current` (may be NULL), only result `bench` (or NULL). */
void pg_baseline_init(pg_baseline *b, const pg_run *current, const char *bench);
/* Pools the runs of commit `sha` (oldest first, as the store gives them):
 * dirty runs unless include_dirty, failed results and results that are
 * not comparable are left out (failed ones are listed in `failed`).
 * Appends the commit when something is left; returns 1 then, else 0. */
int pg_baseline_add(pg_baseline *b, const char *sha, pg_run *const *runs, size_t n,
		    int include_dirty);
/* The unit that metric `metric` of result `bench` is compared in, or NULL
 * while none was seen. */
const char *pg_baseline_unit(const pg_baseline *b, const char *bench, const char *metric);

/* Says, through pg_warn(), what was left out and why (one line per note),
 * worded for what the commits were: */
typedef enum pg_notes_for {
	PG_NOTES_HISTORY,  /* a baseline or a history: "NAME: definition changed
			    * at <sha>, baseline restarts ...", "NAME METRIC: N
			    * commits measured in UNIT, not UNIT, left out ..." */
	PG_NOTES_HEAD,     /* HEAD's own runs, newest first */
	PG_NOTES_STORED    /* stored results a bisection did not use */
} pg_notes_for;
void pg_baseline_warn(const pg_baseline *b, pg_notes_for what);

/* One commit of a series: the pooled samples of one result's metric. */
typedef struct pg_series_point {
	const char *sha;
	const pg_metric_result *m;
	int dirty;
} pg_series_point;

/* The commits that have samples of `bench` `metric`, newest first, into
 * `pts` (room for b->n); returns how many.  The one walk over a series
 * that the judgement, history and both bisections share. */
size_t pg_baseline_points(const pg_baseline *b, const char *bench, const char *metric,
			  pg_series_point *pts);

/* Appends, per commit from oldest to newest, the median of the commit's
 * samples to `medians` and every sample to `pooled` (either may be NULL).
 * Commits without the benchmark/metric, or (when `unit` is given) with the
 * metric in another unit, are passed over. */
void pg_baseline_series(const pg_baseline *b, const char *bench, const char *metric,
			const char *unit, pg_samples *medians, pg_samples *pooled);

#endif
