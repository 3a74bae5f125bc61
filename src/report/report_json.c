/*
 * report_json.c - the JSON report, a stable format for tools.
 *
 * {"format": "perfgate-report", "version": 1, "verdict": "pass"|"fail",
 *  "fail_on", "summary", "commit", "branch", "dirty", "testbed",
 *  "base": {"ref", "commit", "window", "commits", "truncated"},
 *  "counts": {"critical": N, ...},
 *  "results": [{"benchmark", "metric", "unit", "direction", "baseline",
 *               "current", "change_pct", "z", "p", "sd", "ci_low", "ci_high",
 *               "cv_current", "cv_baseline", "mdc_pct", "notice", "too_noisy",
 *               "outliers",
 *               "significant",
 *               "method", "baseline_commits", "samples", "severity",
 *               "reason", "note"}],
 *  "mode": "history"|"ab", "ab": {"base", "pairs"} (A/B only),
 *  "warnings": [...], "github": {"pull_request", "head_sha"} (in Actions)}
 * Rows also carry "history": per-commit medians, oldest first, then current.
 * Numbers that are undefined or infinite are null.  Documented in
 * docs/report-json.md; fields are only ever added.  The reader, the trust
 * boundary for report artifacts, is report_read.c.
 */
#include "error.h"
#include "json_value.h"
#include "report.h"
#include "utf8.h"

#include "complexity.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *row_json(const pg_result_row *row)
{
	json_t *j = json_object();
	json_object_set_new(j, "benchmark", pg_json_text(row->bench));
	json_object_set_new(j, "metric", pg_json_text(row->metric));
	json_object_set_new(j, "unit", pg_json_text(row->unit));
	json_object_set_new(j, "direction", json_string(row->higher_is_better ? "higher" : "lower"));
	json_object_set_new(j, "baseline", pg_json_number(row->v.baseline));
	json_object_set_new(j, "current", pg_json_number(row->v.current));
	json_object_set_new(j, "change_pct", pg_json_number(row->v.change_pct));
	json_object_set_new(j, "z", pg_json_number(row->v.z));
	json_object_set_new(j, "p", pg_json_number(row->v.p));
	json_object_set_new(j, "sd", pg_json_number(row->v.sd));
	json_object_set_new(j, "ci_low", pg_json_number(row->v.ci_low));
	json_object_set_new(j, "ci_high", pg_json_number(row->v.ci_high));
	json_object_set_new(j, "cv_current", pg_json_number(row->v.cv_current));
	json_object_set_new(j, "cv_baseline", pg_json_number(row->v.cv_baseline));
	json_object_set_new(j, "mdc_pct", pg_json_number(row->v.mdc_pct));
	json_object_set_new(j, "notice", pg_json_number(row->notice));
	json_object_set_new(j, "too_noisy", json_boolean(pg_row_too_noisy(row)));
	json_object_set_new(j, "outliers", json_integer((json_int_t)row->outliers));
	json_object_set_new(j, "significant", json_boolean(row->v.significant));
	json_object_set_new(j, "method", json_string(pg_method_name(row->v.method)));
	json_object_set_new(j, "baseline_commits", json_integer((json_int_t)row->v.n_baseline));
	json_object_set_new(j, "samples", json_integer((json_int_t)row->v.n_current));
	json_object_set_new(j, "severity", json_string(pg_severity_name(row->v.severity)));
	if (row->reason)
		json_object_set_new(j, "reason", pg_json_text(row->reason));
	if (row->v.note)
		json_object_set_new(j, "note", json_string(row->v.note));
	if (row->confirm)
		json_object_set_new(j, "confirm", json_pack("{s:b, s:o, s:s}", "confirmed",
							    row->confirm == PG_CONFIRM_YES,
							    "history_change_pct", pg_json_number(row->hist_change),
							    "history_severity",
							    pg_severity_name(row->hist_severity)));
	json_t *hist = json_array();
	for (size_t i = 0; i < row->history.n; i++)
		json_array_append_new(hist, pg_json_number(row->history.v[i]));
	json_object_set_new(j, "history", hist);
	return j;
}

/* A budget row: the target as written, the limit and the actual value
 * in the metric's unit (null when unknown). */
static json_t *budget_json(const pg_budget_row *b)
{
	return json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:s, s:b, s:o}", "benchmark",
			 pg_json_text(b->bench), "metric", pg_json_text(b->metric), "unit", pg_json_text(b->unit), "bound",
			 b->is_max ? "max" : "min", "target", pg_json_text(b->target), "limit",
			 pg_json_number(b->limit), "actual", pg_json_number(b->actual), "severity",
			 pg_severity_name(b->severity), "breached", b->breached, "reason",
			 pg_json_text(b->reason));
}

static json_t *cls_json(int c)
{
	return c < 0 ? json_null() : json_string(pg_complexity_name((pg_complexity)c));
}

/* A complexity row: classes as "O(n log n)", null when none or undecided. */
static json_t *complexity_json(const pg_complexity_row *c)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:s, s:o}", "family",
			 pg_json_text(c->family), "metric", pg_json_text(c->metric), "baseline", cls_json(c->base_cls),
			 "current", cls_json(c->cls), "budget", cls_json(c->budget), "coefficient",
			 pg_json_number(c->coef), "nrms", pg_json_number(c->nrms), "sizes", (json_int_t)c->sizes,
			 "severity", pg_severity_name(c->severity), "note", pg_json_text(c->note));
}

void pg_report_write_json(pg_buf *out, const pg_report *r)
{
	json_t *results = json_array(), *warnings = json_array(), *counts = json_object();
	pg_buf summary = PG_BUF_INIT;
	for (size_t i = 0; i < r->nrows; i++)
		json_array_append_new(results, row_json(&r->rows[i]));
	for (size_t i = 0; i < r->nwarnings; i++)
		json_array_append_new(warnings, pg_json_text(r->warnings[i]));
	for (int s = PG_SEV_OK; s <= PG_SEV_FAILED; s++)
		json_object_set_new(counts, pg_severity_name((pg_severity)s),
				    json_integer((json_int_t)r->counts[s]));
	pg_report_summary(&summary, r);
	json_t *base = json_pack("{s:o, s:o, s:i, s:I, s:b}", "ref", pg_json_text(r->base_ref), "commit",
				 pg_json_text(r->base_commit), "window", r->window, "commits",
				 (json_int_t)r->baseline_commits, "truncated", r->history_truncated);
	json_t *doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o}",
				"format", "perfgate-report", "version", 1, "verdict",
				r->passed ? "pass" : "fail", "fail_on", pg_fail_on_name(r->fail_on),
				"summary", summary.ptr, "commit", pg_json_text(r->commit), "branch",
				pg_json_text(r->branch), "dirty", r->dirty, "testbed", pg_json_text(r->testbed),
				"base", base, "counts", counts, "results", results, "warnings",
				warnings);
	json_object_set_new(doc, "mode", json_string(r->ab ? "ab" : "history"));
	json_t *budgets = json_array();
	for (size_t i = 0; i < r->nbudgets; i++)
		json_array_append_new(budgets, budget_json(&r->budgets[i]));
	json_object_set_new(doc, "budgets", budgets);
	json_t *cx = json_array();
	for (size_t i = 0; i < r->ncomplexity; i++)
		json_array_append_new(cx, complexity_json(&r->complexity[i]));
	json_object_set_new(doc, "complexity", cx);
	if (r->ab)
		json_object_set_new(doc, "ab", json_pack("{s:o, s:I, s:b}", "base", pg_json_text(r->base_commit),
							 "pairs", (json_int_t)r->ab_pairs, "adaptive",
							 r->ab_adaptive));
	if (r->confirm_level)
		json_object_set_new(doc, "confirm", json_pack("{s:s, s:o, s:I}", "level",
							      pg_severity_name((pg_severity)r->confirm_level),
							      "base", pg_json_text(r->confirm_base), "pairs",
							      (json_int_t)r->confirm_pairs));
	if (r->nexplains) {
		json_t *ex = json_array();
		for (size_t i = 0; i < r->nexplains; i++)
			json_array_append_new(ex, pg_explain_to_json(&r->explains[i]));
		json_object_set_new(doc, "explain", ex);
	}
	if (r->github_pr > 0 || r->github_sha)
		json_object_set_new(doc, "github", json_pack("{s:I, s:o}", "pull_request",
							     (json_int_t)r->github_pr, "head_sha",
							     pg_json_text(r->github_sha)));
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	if (!s) {
		fputs("perfgate: fatal: out of memory\n", stderr);
		abort();
	}
	pg_buf_puts(out, s);
	pg_buf_putc(out, '\n');
	free(s);
	json_decref(doc);
	pg_buf_free(&summary);
}
