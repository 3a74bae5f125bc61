/*
 * report_build.c - judging a run against its baseline into a report (see
 * report_build.h): a row per metric, and the `missing` rows.
 */
#include "report_build.h"
#include "error.h"
#include "name_set.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void judge_metric(pg_report *r, const pg_bench_result *b, const pg_metric_result *m,
			 const pg_baseline *base, const pg_report_opts *o)
{
	pg_samples medians = { 0 }, pooled = { 0 };
	pg_judge_input in = { 0 };
	pg_result_row *row = pg_report_add_row(r, b->name);
	row->metric = pg_strdup(m->name);
	row->unit = pg_strdup(m->unit);
	row->higher_is_better = m->higher_is_better;

	pg_baseline_series(base, b->name, m->name, m->unit, &medians, &pooled);
	in.current = m->samples.v;
	in.n_current = m->samples.n;
	in.commit_medians = medians.v;
	in.n_commits = medians.n;
	in.pooled = pooled.v;
	in.n_pooled = pooled.n;
	in.higher_is_better = m->higher_is_better;
	in.min_history = o->cfg->min_history;
	in.thresholds = pg_config_thresholds(o->cfg, b->name, m->name);
	row->notice = in.thresholds.notice;
	row->outliers = pg_stats_outliers(m->samples.v, m->samples.n);
	pg_judge(&row->v, &in);

	pg_samples_extend(&row->history, &medians);
	pg_samples_push(&row->history, row->v.current);
	pg_samples_free(&medians);
	pg_samples_free(&pooled);
}

pg_report *pg_report_build(const pg_run *cur, const pg_baseline *base, const pg_report_opts *o)
{
	pg_report *r = pg_calloc(1, sizeof(*r));
	r->commit = cur->commit ? pg_strdup(cur->commit) : NULL;
	r->branch = cur->branch ? pg_strdup(cur->branch) : NULL;
	r->dirty = cur->dirty;
	r->testbed = cur->testbed ? pg_strdup(cur->testbed) : NULL;
	r->base_ref = o->base_ref ? pg_strdup(o->base_ref) : NULL;
	r->base_commit = o->base_commit ? pg_strdup(o->base_commit) : NULL;
	r->window = o->cfg->window;
	r->baseline_commits = base->n;
	r->history_truncated = base->truncated;
	r->fail_on = o->fail_on;

	for (size_t i = 0; i < cur->nbenches; i++) {
		const pg_bench_result *b = &cur->benches[i];
		if (b->failed) {
			pg_report_add_status(r, b->name, PG_SEV_FAILED, b->reason ? b->reason : "failed");
			continue;
		}
		for (size_t m = 0; m < b->nmetrics; m++)
			judge_metric(r, b, &b->metrics[m], base, o);
	}
	pg_report_add_missing(r, cur, base, o->cfg, NULL, NULL);
	pg_report_finish(r);
	return r;
}

/* Whether `current` failed as a whole benchmark that `name` belongs to
 * ("NAME" failed stands for every "NAME/..." result). */
static int family_failed(const pg_run *current, const char *name)
{
	pg_buf prefix = PG_BUF_INIT;
	int failed = 0;
	pg_buf_puts(&prefix, name);
	for (;;) {
		const pg_bench_result *b = pg_run_find_bench(current, prefix.ptr);
		if ((failed = b && b->failed) != 0)
			break;
		char *slash = strrchr(prefix.ptr, '/');
		if (!slash)
			break;
		pg_buf_truncate(&prefix, (size_t)(slash - prefix.ptr));
	}
	pg_buf_free(&prefix);
	return failed;
}

/* The names of the report's rows without numbers (missing or failed
 * already): one set, so that each check is a lookup, not a scan. */
static pg_name_set *status_rows(const pg_report *r)
{
	pg_name_set *s = pg_name_set_new();
	for (size_t i = 0; i < r->nrows; i++)
		if (!r->rows[i].metric)
			pg_name_set_add(s, r->rows[i].bench);
	return s;
}

/* The families of `run`'s results and of the report's rows (NULL: none). */
static pg_name_set *families(const pg_report *r, const pg_run *run)
{
	pg_name_set *s = pg_name_set_new();
	for (size_t i = 0; run && i < run->nbenches; i++)
		pg_name_set_add_family(s, run->benches[i].name);
	for (size_t i = 0; r && i < r->nrows; i++)
		pg_name_set_add_family(s, r->rows[i].bench);
	return s;
}

/* Whether `run` has a result of benchmark `family` (a rare question:
 * asked for retired benchmarks only, so a scan). */
static int family_seen(const pg_run *run, const char *family)
{
	for (size_t i = 0; run && i < run->nbenches; i++)
		if (pg_name_in_family(run->benches[i].name, family))
			return 1;
	return 0;
}

/* Adds a `missing` row and keeps the sets that say what has rows in step. */
static void add_missing(pg_report *r, const char *name, const char *why, pg_name_set *rows,
			pg_name_set *fams)
{
	pg_report_add_status(r, name, PG_SEV_MISSING, why);
	if (rows)
		pg_name_set_add(rows, name);
	if (fams)
		pg_name_set_add_family(fams, name);
}

#define RETIRE_HOW "to retire it on purpose, list it in \"retired\" in perfgate.json"

/* Results stored at the newest baseline commit, those that failed there
 * included: a flaky benchmark deleted after a failure is missing too. */
static void missing_from_newest(pg_report *r, const pg_run *current, const pg_baseline *base,
				const pg_config *cfg)
{
	const pg_commit_results *newest = base && base->n ? &base->commits[0] : NULL;
	pg_buf why = PG_BUF_INIT;
	pg_name_set *rows = status_rows(r);
	for (int failed = 0; newest && failed < 2; failed++) {
		const pg_run *run = failed ? newest->failed : newest->pooled;
		for (size_t i = 0; run && i < run->nbenches; i++) {
			const pg_bench_result *b = &run->benches[i];
			if (pg_run_find_bench(current, b->name) || family_failed(current, b->name) ||
			    (!b->definition && !pg_config_owner(cfg, b->name)) ||
			    pg_name_set_has(rows, b->name))
				continue;
			if (pg_config_retired(cfg, b->name)) {
				pg_warn("%s: retired (perfgate.json \"retired\"): in the baseline at "
					"%.12s, no longer judged", b->name, newest->sha);
				continue;
			}
			pg_buf_clear(&why);
			pg_buf_printf(&why, "in the baseline at %.12s%s but not in this run (renamed or "
					    "deleted? " RETIRE_HOW ")", newest->sha,
				      failed ? " (where it failed)" : "");
			add_missing(r, b->name, why.ptr, rows, NULL);
		}
	}
	pg_name_set_free(rows);
	pg_buf_free(&why);
}

/* Benchmarks the base commit's perfgate.json has and `cfg` does not. */
static void missing_from_base_config(pg_report *r, const pg_run *current, const pg_baseline *base,
				     const pg_config *cfg, const pg_config *base_cfg,
				     const char *base_sha)
{
	const pg_commit_results *newest = base && base->n ? &base->commits[0] : NULL;
	pg_buf why = PG_BUF_INIT;
	pg_name_set *fams = base_cfg ? families(r, current) : NULL;
	for (size_t i = 0; base_cfg && i < base_cfg->nbenches; i++) {
		const char *name = base_cfg->benches[i].name;
		if (pg_config_find(cfg, name) || pg_name_set_has(fams, name))
			continue;
		if (pg_config_retired(cfg, name)) {
			/* said already when the newest stored results had it */
			if (!newest || (!family_seen(newest->pooled, name) &&
					!family_seen(newest->failed, name)))
				pg_warn("%s: retired (perfgate.json \"retired\"): in perfgate.json at "
					"%.12s, no longer judged", name, base_sha);
			continue;
		}
		pg_buf_clear(&why);
		pg_buf_printf(&why, "in perfgate.json at %.12s (the base) but not in this one "
				    "(renamed or deleted? " RETIRE_HOW ")", base_sha);
		add_missing(r, name, why.ptr, NULL, fams);
	}
	pg_name_set_free(fams);
	pg_buf_free(&why);
}

void pg_report_add_missing(pg_report *r, const pg_run *current, const pg_baseline *base,
			   const pg_config *cfg, const pg_config *base_cfg, const char *base_sha)
{
	missing_from_newest(r, current, base, cfg);
	missing_from_base_config(r, current, base, cfg, base_cfg, base_sha);
}

/* Whether a commit of the baseline has samples of result `name`. */
static int has_history(const pg_baseline *base, const char *name)
{
	for (size_t i = 0; i < base->n; i++)
		if (pg_run_find_bench(base->commits[i].pooled, name))
			return 1;
	return 0;
}

void pg_report_add_redefined(pg_report *r, const pg_run *current, const pg_baseline *base,
			     const pg_config *cfg, const pg_config *base_cfg)
{
	pg_buf why = PG_BUF_INIT, fields = PG_BUF_INIT;
	pg_name_set *rows = status_rows(r);
	for (size_t i = 0; i < base->nnotes; i++) {
		const pg_baseline_note *n = &base->notes[i];
		for (size_t k = 0; n->definition && k < n->seen->nbenches; k++) {
			const char *name = n->seen->benches[k].name;
			const pg_bench_result *cb = pg_run_find_bench(current, name);
			if (!cb || cb->failed || has_history(base, name) ||
			    pg_name_set_has(rows, name))
				continue;
			if (pg_config_retired(cfg, name)) {
				pg_warn("%s: retired (perfgate.json \"retired\"): its definition changed "
					"at %.12s; its history restarts here", name, n->sha);
				continue;
			}
			const pg_bench_config *now = pg_config_owner(cfg, name);
			const pg_bench_config *then = base_cfg ? pg_config_owner(base_cfg, name) : NULL;
			pg_buf_clear(&fields);
			if (now && then)
				pg_config_definition_diff(then, now, &fields);
			pg_buf_clear(&why);
			pg_buf_printf(&why, "definition changed at %.12s%s%s%s: the history of the old "
					    "definition ends here; list it in \"retired\" to restart its "
					    "history, or compare with check --ab", n->sha,
				      fields.len ? " (" : "", fields.ptr, fields.len ? ")" : "");
			add_missing(r, name, why.ptr, rows, NULL);
		}
	}
	pg_name_set_free(rows);
	pg_buf_free(&why);
	pg_buf_free(&fields);
}
