/*
 * changes.c - change points along the first-parent history (changes.h).
 */
#include "changes.h"
#include "baseline.h"
#include "error.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct series_name {
	const char *bench, *metric;
} series_name;

static int cmp_series(const void *a, const void *b)
{
	const series_name *x = a, *y = b;
	int c = strcmp(x->bench, y->bench);
	return c ? c : strcmp(x->metric, y->metric);
}

/* Every benchmark/metric pair of the walked commits, sorted; the strings
 * belong to `set` (a run used as a set of names). */
static series_name *list_series(const pg_baseline *b, const pg_changes_opts *o, pg_run *set,
				size_t *n)
{
	series_name *list = NULL;
	size_t count = 0;
	for (size_t i = 0; i < b->n; i++) {
		const pg_run *run = b->commits[i].pooled;
		for (size_t j = 0; j < run->nbenches; j++) {
			const pg_bench_result *br = &run->benches[j];
			if (br->failed || (o->cfg && pg_config_retired(o->cfg, br->name)))
				continue;
			pg_bench_result *sb = pg_run_find_bench(set, br->name);
			if (!sb)
				sb = pg_run_add_bench(set, br->name);
			for (size_t k = 0; k < br->nmetrics; k++) {
				const pg_metric_result *m = &br->metrics[k];
				if (o->metric && strcmp(o->metric, m->name))
					continue;
				if (!pg_bench_find_metric(sb, m->name)) {
					pg_bench_metric(sb, m->name, m->unit, m->higher_is_better);
					count++;
				}
			}
		}
	}
	list = pg_malloc((count ? count : 1) * sizeof(*list));
	*n = 0;
	for (size_t j = 0; j < set->nbenches; j++)
		for (size_t k = 0; k < set->benches[j].nmetrics; k++)
			list[(*n)++] = (series_name){ set->benches[j].name,
						     set->benches[j].metrics[k].name };
	qsort(list, *n, sizeof(*list), cmp_series);
	return list;
}

static int one_series(pg_changes *out, pg_repo *repo, const pg_baseline *b, const series_name *s,
		      pg_series_point *pts, double *vals, const pg_changes_opts *o)
{
	size_t n = pg_baseline_points(b, s->bench, s->metric, pts), ncp = 0;
	pg_cp *cps = NULL;
	int err;

	if (!n)
		return 0;
	out->series++;
	for (size_t i = 0; i < n; i++) /* oldest first */
		vals[i] = pg_stats_median(pts[n - 1 - i].m->samples.v, pts[n - 1 - i].m->samples.n);
	if ((err = pg_cp_detect(vals, n, &o->cp, &cps, &ncp)) < 0)
		return pg_error_wrap(err, "%s %s", s->bench, s->metric);
	const pg_bench_config *bc = o->cfg ? pg_config_owner(o->cfg, s->bench) : NULL;
	pg_thresholds t = bc ? bc->thresholds : o->cfg ? o->cfg->thresholds
						       : (pg_thresholds)PG_THRESHOLDS_DEFAULT;
	for (size_t i = 0; i < ncp; i++) {
		const pg_series_point *pt = &pts[n - 1 - cps[i].index];
		pg_change_row *r = pg_changes_add(out);
		pg_commit_info info;
		r->bench = pg_strdup(s->bench);
		r->metric = pg_strdup(s->metric);
		r->unit = pg_strdup(pt->m->unit ? pt->m->unit : "");
		memcpy(r->sha, pt->sha, PG_SHA_LEN + 1);
		if (pg_repo_commit_info(repo, pt->sha, &info) == 0) {
			r->subject = info.subject;
			info.subject = NULL;
			r->time = info.time;
			pg_commit_info_free(&info);
		}
		r->before = cps[i].mean_before;
		r->after = cps[i].mean_after;
		r->change_pct = cps[i].change_pct;
		r->p = cps[i].p;
		r->n_before = cps[i].index - cps[i].start;
		r->n_after = cps[i].end - cps[i].index;
		r->higher_is_better = pt->m->higher_is_better;
		r->severity = pg_judge_severity(1, r->higher_is_better ? -r->change_pct : r->change_pct,
						&t);
	}
	free(cps);
	return 0;
}

int pg_changes_find(pg_changes *out, pg_repo *repo, pg_store *store, const pg_changes_opts *o)
{
	pg_baseline b = { 0 };
	pg_baseline_opts bo = { o->start, 0, o->testbed,
				o->max_commits ? o->max_commits : PG_BASELINE_MAX_WALK, 0, NULL,
				o->bench };
	int err;

	out->testbed = pg_strdup(o->testbed);
	snprintf(out->head, sizeof(out->head), "%s", o->start);
	if (o->since)
		snprintf(out->since, sizeof(out->since), "%s", o->since);
	if ((err = pg_baseline_collect(&b, repo, store, &bo)) < 0)
		return err;
	pg_baseline_warn(&b, PG_NOTES_HISTORY);
	if (o->since)
		pg_baseline_keep_since(&b, repo, o->since);
	out->commits = b.n;
	out->truncated = b.truncated;

	pg_run *set = pg_run_new();
	size_t ns = 0;
	series_name *names = list_series(&b, o, set, &ns);
	pg_series_point *pts = pg_malloc((b.n ? b.n : 1) * sizeof(*pts));
	double *vals = pg_malloc((b.n ? b.n : 1) * sizeof(*vals));
	for (size_t i = 0; i < ns && err >= 0; i++)
		err = one_series(out, repo, &b, &names[i], pts, vals, o);
	free(vals);
	free(pts);
	free(names);
	pg_run_free(set);
	pg_baseline_free(&b);
	return err < 0 ? err : 0;
}
