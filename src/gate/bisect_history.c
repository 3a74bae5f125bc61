/*
 * bisect_history.c - `bisect --history-only`: no builds; the most
 * significant step change along the stored first-parent history.
 *
 * Every split of the series (oldest first) into "before" and "after" is
 * tested with Welch's t-test on the log samples of the two segments; the
 * split with the smallest p-value where "after" is worse by at least the
 * benchmark's notice threshold wins, if that p-value is below
 * PG_BISECT_ALPHA.  (Without the floor, ordinary commit-to-commit drift of
 * a quiet benchmark passes the t-test on pooled samples.)  O(n^2) in commits, fine for the few
 * hundred a window holds.
 */
#include "baseline.h"
#include "bisect.h"
#include "error.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Log samples of points [from, to). */
static void segment(const pg_series_point *pts, size_t from, size_t to, pg_samples *out)
{
	for (size_t i = from; i < to; i++)
		for (size_t j = 0; j < pts[i].m->samples.n; j++)
			pg_samples_push(out, log(pts[i].m->samples.v[j] > 0 ? pts[i].m->samples.v[j]
									    : 1e-300));
}

static double best_split(const pg_series_point *pts, size_t n, double floor_pct, size_t *at,
			 double *change)
{
	double best_p = NAN;
	*at = 0;
	for (size_t k = 1; k < n; k++) {
		pg_samples a = { 0 }, b = { 0 };
		segment(pts, 0, k, &a);
		segment(pts, k, n, &b);
		double p = pg_stats_welch(a.v, a.n, b.v, b.n, NULL, NULL);
		double d = pg_stats_median(b.v, b.n) - pg_stats_median(a.v, a.n);
		if (pts[0].m->higher_is_better)
			d = -d;
		if (d > 0 && (exp(d) - 1) * 100 >= floor_pct && !isnan(p) &&
		    (isnan(best_p) || p < best_p)) {
			best_p = p;
			*at = k;
			*change = (exp(d) - 1) * 100;
		}
		pg_samples_free(&a);
		pg_samples_free(&b);
	}
	return best_p;
}

/* The commits with results between good (inclusive) and bad, oldest
 * first; or the last `window` from head when good and bad are NULL. */
static int collect(pg_baseline *base, pg_repo *repo, pg_store *store, const pg_bisect_opts *o,
		   const char *head)
{
	/* the unit and definition compared are the newest commit's */
	pg_baseline_opts bo = { o->bad ? o->bad : head, 0, o->testbed,
				(size_t)(o->window > 0 ? o->window : 100), 0, NULL, o->result };
	if (o->good)
		bo.window = PG_BASELINE_MAX_WALK;
	int err = pg_baseline_collect(base, repo, store, &bo);
	if (err == 0 && o->good)
		pg_baseline_keep_since(base, repo, o->good);
	return err;
}

int pg_bisect_history(pg_bisect_result *out, pg_repo *repo, pg_store *store,
		      const pg_bisect_opts *o, const char *head)
{
	pg_baseline base;
	pg_series_point *pts;
	size_t n = 0, at = 0;
	double change = NAN;
	memset(out, 0, sizeof(*out));
	if (o->good && o->bad && !pg_repo_is_ancestor(repo, o->good, o->bad))
		return pg_error_set(PG_EUSAGE, "good %.12s is not an ancestor of bad %.12s", o->good,
				    o->bad);
	int err = collect(&base, repo, store, o, head);
	if (err < 0)
		return err;
	pg_baseline_warn(&base, PG_NOTES_HISTORY);
	pts = pg_calloc(base.n + 1, sizeof(*pts));
	n = pg_baseline_points(&base, o->result, o->metric, pts);
	for (size_t i = 0; i < n / 2; i++) { /* oldest first */
		pg_series_point t = pts[i];
		pts[i] = pts[n - 1 - i];
		pts[n - 1 - i] = t;
	}
	out->candidates = n;
	double notice = pg_bench_thresholds(o->bench, o->metric).notice;
	double p = n >= 2 ? best_split(pts, n, notice, &at, &change) : NAN;
	for (size_t i = 0; i < n; i++) {
		out->probes = pg_array_grow(out->probes, &out->alloc, out->nprobes + 1,
					    sizeof(*out->probes));
		pg_probe *pr = &out->probes[out->nprobes++];
		memset(pr, 0, sizeof(*pr));
		memcpy(pr->sha, pts[i].sha, PG_SHA_LEN + 1);
		pr->median = pg_stats_median(pts[i].m->samples.v, pts[i].m->samples.n);
		pr->samples = pts[i].m->samples.n;
		pr->verdict = !isnan(p) && i >= at ? PG_PROBE_BAD : PG_PROBE_GOOD;
	}
	if (n < 2) {
		out->message = pg_strdup("not enough stored history: fewer than two commits have "
					 "results for this benchmark and metric on this testbed");
	} else if (isnan(p) || p >= PG_BISECT_ALPHA) {
		pg_buf m = PG_BUF_INIT;
		pg_buf_printf(&m, "no significant step change of %.1f%% or more in %zu commits of "
				  "history", notice, n);
		out->message = pg_buf_detach(&m);
	} else {
		out->found = 1;
		memcpy(out->first_bad, pts[at].sha, PG_SHA_LEN + 1);
		memcpy(out->last_good, pts[at - 1].sha, PG_SHA_LEN + 1);
		out->change_pct = change;
		out->p = p;
	}
	free(pts);
	pg_baseline_free(&base);
	return 0;
}
