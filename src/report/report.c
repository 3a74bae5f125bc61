/*
 * report.c - judging a run into a report, and dispatching to writers.
 */
#include "report.h"
#include "error.h"
#include "format.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

pg_result_row *pg_report_add_row(pg_report *r, const char *bench)
{
	r->rows = pg_array_grow(r->rows, &r->alloc, r->nrows + 1, sizeof(*r->rows));
	pg_result_row *row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	row->bench = pg_strdup(bench);
	return row;
}

static void judge_metric(pg_report *r, const pg_bench_result *b, const pg_metric_result *m,
			 const pg_baseline *base, const pg_report_opts *o)
{
	const pg_bench_config *bc = pg_config_owner(o->cfg, b->name);
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
	in.thresholds = bc ? bc->thresholds : o->cfg->thresholds;
	row->notice = in.thresholds.notice;
	row->outliers = pg_stats_outliers(m->samples.v, m->samples.n);
	pg_judge(&row->v, &in);

	pg_samples_extend(&row->history, &medians);
	pg_samples_push(&row->history, row->v.current);
	pg_samples_free(&medians);
	pg_samples_free(&pooled);
}

pg_result_row *pg_report_add_status(pg_report *r, const char *bench, pg_severity severity,
				    const char *reason)
{
	pg_result_row *row = pg_report_add_row(r, bench);
	row->reason = pg_strdup(reason);
	row->v.severity = severity;
	row->v.current = row->v.baseline = row->v.change_pct = NAN;
	row->v.z = row->v.sd = row->v.p = row->v.ci_low = row->v.ci_high = NAN;
	row->v.cv_current = row->v.cv_baseline = row->v.mdc_pct = NAN;
	return row;
}

static double row_rank_change(const pg_result_row *row)
{
	return isnan(row->v.change_pct) ? -1 : fabs(row->v.change_pct);
}

static int cmp_rows(const void *a, const void *b)
{
	const pg_result_row *x = a, *y = b;
	if (x->v.severity != y->v.severity)
		return (int)y->v.severity - (int)x->v.severity;
	double cx = row_rank_change(x), cy = row_rank_change(y);
	if (cx != cy)
		return cx < cy ? 1 : -1;
	int c = strcmp(x->bench, y->bench);
	return c ? c : strcmp(x->metric ? x->metric : "", y->metric ? y->metric : "");
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

/* Whether the report has a row of `name` (exactly) without numbers: it is
 * missing or failed already. */
static int has_status_row(const pg_report *r, const char *name)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!r->rows[i].metric && !strcmp(r->rows[i].bench, name))
			return 1;
	return 0;
}

/* Whether `run` has a result of benchmark `family`, or the report a row. */
static int family_seen(const pg_report *r, const pg_run *run, const char *family)
{
	for (size_t i = 0; run && i < run->nbenches; i++)
		if (pg_name_in_family(run->benches[i].name, family))
			return 1;
	for (size_t i = 0; r && i < r->nrows; i++)
		if (pg_name_in_family(r->rows[i].bench, family))
			return 1;
	return 0;
}

#define RETIRE_HOW "to retire it on purpose, list it in \"retired\" in perfgate.json"

/* Results stored at the newest baseline commit, those that failed there
 * included: a flaky benchmark deleted after a failure is missing too. */
static void missing_from_newest(pg_report *r, const pg_run *current, const pg_baseline *base,
				const pg_config *cfg)
{
	const pg_commit_results *newest = base && base->n ? &base->commits[0] : NULL;
	pg_buf why = PG_BUF_INIT;
	for (int failed = 0; newest && failed < 2; failed++) {
		const pg_run *run = failed ? newest->failed : newest->pooled;
		for (size_t i = 0; run && i < run->nbenches; i++) {
			const pg_bench_result *b = &run->benches[i];
			if (pg_run_find_bench(current, b->name) || family_failed(current, b->name) ||
			    (!b->definition && !pg_config_owner(cfg, b->name)) ||
			    has_status_row(r, b->name))
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
			pg_report_add_status(r, b->name, PG_SEV_MISSING, why.ptr);
		}
	}
	pg_buf_free(&why);
}

/* Benchmarks the base commit's perfgate.json has and `cfg` does not. */
static void missing_from_base_config(pg_report *r, const pg_run *current, const pg_baseline *base,
				     const pg_config *cfg, const pg_config *base_cfg,
				     const char *base_sha)
{
	const pg_commit_results *newest = base && base->n ? &base->commits[0] : NULL;
	pg_buf why = PG_BUF_INIT;
	for (size_t i = 0; base_cfg && i < base_cfg->nbenches; i++) {
		const char *name = base_cfg->benches[i].name;
		if (pg_config_find(cfg, name) || family_seen(r, current, name))
			continue;
		if (pg_config_retired(cfg, name)) {
			/* said already when the newest stored results had it */
			if (!newest || (!family_seen(NULL, newest->pooled, name) &&
					!family_seen(NULL, newest->failed, name)))
				pg_warn("%s: retired (perfgate.json \"retired\"): in perfgate.json at "
					"%.12s, no longer judged", name, base_sha);
			continue;
		}
		pg_buf_clear(&why);
		pg_buf_printf(&why, "in perfgate.json at %.12s (the base) but not in this one "
				    "(renamed or deleted? " RETIRE_HOW ")", base_sha);
		pg_report_add_status(r, name, PG_SEV_MISSING, why.ptr);
	}
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
	for (size_t i = 0; i < base->nnotes; i++) {
		const pg_baseline_note *n = &base->notes[i];
		for (size_t k = 0; n->definition && k < n->seen->nbenches; k++) {
			const char *name = n->seen->benches[k].name;
			const pg_bench_result *cb = pg_run_find_bench(current, name);
			if (!cb || cb->failed || has_history(base, name) || has_status_row(r, name))
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
			pg_report_add_status(r, name, PG_SEV_MISSING, why.ptr);
		}
	}
	pg_buf_free(&why);
	pg_buf_free(&fields);
}

int pg_row_fails_gate(const pg_report *r, const pg_result_row *row)
{
	pg_severity s = row->v.severity;
	return s == PG_SEV_FAILED ||
	       (r->fail_on != PG_FAIL_NEVER && s >= PG_SEV_NOTICE && (int)s >= r->fail_on);
}

void pg_report_finish(pg_report *r)
{
	if (r->nrows) /* rows is NULL without any: qsort's pointer must not be */
		qsort(r->rows, r->nrows, sizeof(*r->rows), cmp_rows);
	memset(r->counts, 0, sizeof(r->counts));
	r->passed = 1;
	for (size_t i = 0; i < r->nrows; i++) {
		r->counts[r->rows[i].v.severity]++;
		if (pg_row_fails_gate(r, &r->rows[i]))
			r->passed = 0;
	}
}

void pg_report_add_warning(pg_report *r, const char *msg)
{
	r->warnings = pg_array_grow(r->warnings, &r->walloc, r->nwarnings + 1, sizeof(*r->warnings));
	r->warnings[r->nwarnings++] = pg_strdup(msg);
}

void pg_report_free(pg_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows; i++) {
		free(r->rows[i].bench);
		free(r->rows[i].metric);
		free(r->rows[i].unit);
		free(r->rows[i].reason);
		pg_samples_free(&r->rows[i].history);
	}
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->rows);
	free(r->commit);
	free(r->branch);
	free(r->testbed);
	free(r->base_ref);
	free(r->base_commit);
	free(r->github_sha);
	free(r->confirm_base);
	for (size_t i = 0; i < r->nexplains; i++)
		pg_explain_free(&r->explains[i]);
	free(r->explains);
	free(r);
}

void pg_report_summary(pg_buf *out, const pg_report *r)
{
	static const pg_severity order[] = { PG_SEV_FAILED, PG_SEV_MISSING, PG_SEV_CRITICAL,
					     PG_SEV_WARNING, PG_SEV_NOTICE, PG_SEV_IMPROVED,
					     PG_SEV_NEW };
	size_t start = out->len;
	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		if (!r->counts[order[i]])
			continue;
		pg_buf_printf(out, "%s%zu %s", out->len > start ? ", " : "", r->counts[order[i]],
			      pg_severity_name(order[i]));
	}
	if (out->len == start)
		pg_buf_puts(out, "no change");
	pg_buf_printf(out, " of %zu", r->nrows);
}

int pg_format_parse(const char *name, pg_format *out)
{
	if (!strcmp(name, "term"))
		*out = PG_FORMAT_TERM;
	else if (!strcmp(name, "markdown") || !strcmp(name, "md"))
		*out = PG_FORMAT_MARKDOWN;
	else if (!strcmp(name, "json"))
		*out = PG_FORMAT_JSON;
	else if (!strcmp(name, "junit"))
		*out = PG_FORMAT_JUNIT;
	else if (!strcmp(name, "html"))
		*out = PG_FORMAT_HTML;
	else
		return -1;
	return 0;
}

void pg_report_render(pg_buf *out, const pg_report *r, pg_format fmt, const pg_write_opts *o)
{
	switch (fmt) {
	case PG_FORMAT_TERM:
		pg_report_write_term(out, r, o);
		break;
	case PG_FORMAT_MARKDOWN:
		pg_report_write_markdown(out, r);
		break;
	case PG_FORMAT_JSON:
		pg_report_write_json(out, r);
		break;
	case PG_FORMAT_JUNIT:
		pg_report_write_junit(out, r);
		break;
	case PG_FORMAT_HTML:
		pg_report_write_html(out, r);
		break;
	}
}

int pg_report_write(FILE *out, const pg_report *r, pg_format fmt, const pg_write_opts *o)
{
	pg_buf b = PG_BUF_INIT;
	pg_report_render(&b, r, fmt, o);
	size_t len = b.len, n = fwrite(b.ptr, 1, len, out);
	pg_buf_free(&b);
	if (n != len || fflush(out) != 0 || ferror(out))
		return pg_error_set(PG_ERUNTIME, "cannot write the report");
	return 0;
}

int pg_row_too_noisy(const pg_result_row *row)
{
	return !row->reason && isfinite(row->v.mdc_pct) && row->v.mdc_pct > row->notice;
}
