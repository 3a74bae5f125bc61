/*
 * gate_drift.c - change points completed by the judged commit on the base
 * branch (gate_drift.h).
 */
#include "gate_drift.h"
#include "changepoint.h"
#include "error.h"
#include "format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The change points of x[0..n) (errors are warnings: none). */
static size_t find(const double *x, size_t n, const pg_cp_options *o, pg_cp **cps)
{
	size_t k = 0;
	if (pg_cp_detect(x, n, o, cps, &k) < 0) {
		pg_warn("change points not looked for: %s", pg_error_last());
		return 0;
	}
	return k;
}

/* A drift: from the level before `first` to the level after the newest
 * change point, `commits` commits ago at `sha`. */
typedef struct drift {
	double before, after, change_pct, p;
	size_t commits;
	const char *sha;
} drift;

static void say(const pg_result_row *row, const drift *d, pg_severity sev)
{
	int worse = row->higher_is_better ? d->change_pct < 0 : d->change_pct > 0;
	int time = !row->higher_is_better && row->unit && !strcmp(row->unit, "ns");
	const char *verb = time ? (worse ? "slowed down" : "sped up") : (worse ? "got worse" : "improved");
	pg_buf before = PG_BUF_INIT, after = PG_BUF_INIT;
	pg_fmt_value(&before, d->before, row->unit);
	pg_fmt_value(&after, d->after, row->unit);
	pg_warn("%s %s: %s %.1f %% over %zu commit%s since %.12s (change points: %s before, %s "
		"now, p = %.2g; %s)", row->bench, row->metric, verb, fabs(d->change_pct), d->commits,
		d->commits == 1 ? "" : "s", d->sha, before.ptr, after.ptr, d->p,
		pg_severity_name(sev));
	pg_buf_free(&before);
	pg_buf_free(&after);
}

/* The commit of series index `idx` (oldest first, only the points in the
 * row's unit, as pg_baseline_series gives them); NULL past the end. */
static const char *commit_at(const pg_baseline *b, const pg_result_row *row, size_t idx)
{
	pg_series_point *pts = pg_malloc((b->n ? b->n : 1) * sizeof(*pts));
	size_t np = pg_baseline_points(b, row->bench, row->metric, pts), at = 0;
	const char *sha = NULL;
	for (size_t i = np; i-- > 0 && !sha;)
		if (!strcmp(pts[i].m->unit, row->unit) && at++ == idx)
			sha = pts[i].sha;
	free(pts);
	return sha;
}

static void drift_row(pg_result_row *row, const pg_baseline *b, const pg_gate_env *env,
		      const pg_cp_options *o)
{
	pg_samples med = { 0 };
	pg_cp *now = NULL, *then = NULL;
	size_t k, kb, first;

	pg_baseline_series(b, row->bench, row->metric, row->unit, &med, NULL);
	pg_samples_push(&med, row->v.current);
	if (!(k = find(med.v, med.n, o, &now)))
		goto out;
	/* completed now: without the newest value, no change point near it */
	kb = find(med.v, med.n - 1, o, &then);
	for (size_t i = 0; i < kb; i++)
		if ((then[i].index > now[k - 1].index ? then[i].index - now[k - 1].index
						       : now[k - 1].index - then[i].index) <= o->min_size)
			goto out;
	/* the drift: back through the change points that went the same way */
	first = k - 1;
	while (first > 0 && (now[first - 1].change_pct > 0) == (now[k - 1].change_pct > 0))
		first--;
	drift d = { now[first].mean_before, now[k - 1].mean_after, 0, now[k - 1].p,
		    med.n - now[first].index, commit_at(b, row, now[first].index) };
	for (size_t i = first; i < k; i++)
		d.p = now[i].p > d.p ? now[i].p : d.p;
	if (!d.sha)
		goto out;
	if (d.before != 0)
		d.change_pct = (d.after - d.before) / fabs(d.before) * 100;
	else
		d.change_pct = d.after == 0 ? 0 : copysign(INFINITY, d.after);
	const pg_bench_config *bc = pg_config_owner(env->cfg, row->bench);
	double worse = row->higher_is_better ? -d.change_pct : d.change_pct;
	pg_severity sev = pg_judge_severity(1, worse, bc ? &bc->thresholds : &env->cfg->thresholds);
	say(row, &d, sev);
	if (sev >= PG_SEV_NOTICE && sev <= PG_SEV_CRITICAL && sev > row->v.severity)
		row->v.severity = sev;
out:
	free(now);
	free(then);
	pg_samples_free(&med);
}

void pg_gate_drift(pg_report *r, const pg_gate_env *env, const pg_run *current,
		   const pg_baseline *base)
{
	pg_cp_options o = PG_CP_OPTIONS_DEFAULT;
	pg_baseline own;
	const pg_baseline *b = base;
	pg_baseline_opts bo = { current->commit ? current->commit : env->head, 1, env->testbed,
				o.window, 0, current, NULL };

	/* too short a history for any change point, or `base` is enough */
	if (base->n + 1 < 2 * o.min_size)
		return;
	if (base->n == (size_t)env->cfg->window && base->n < o.window) {
		if (pg_baseline_collect(&own, env->repo, env->store, &bo) < 0) {
			pg_warn("change points not looked for: %s", pg_error_last());
			return;
		}
		b = &own;
	}
	for (size_t i = 0; i < r->nrows; i++) {
		pg_result_row *row = &r->rows[i];
		if (row->metric && row->unit && isfinite(row->v.current) &&
		    row->v.severity <= PG_SEV_CRITICAL && row->v.severity != PG_SEV_NEW)
			drift_row(row, b, env, &o);
	}
	if (b == &own)
		pg_baseline_free(&own);
}
