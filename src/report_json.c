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
 *               "reason"}],
 *  "mode": "history"|"ab", "ab": {"base", "pairs"} (A/B only),
 *  "warnings": [...], "github": {"pull_request", "head_sha"} (in Actions)}
 * Rows also carry "history": per-commit medians, oldest first, then current.
 * Numbers that are undefined or infinite are null.  Documented in
 * docs/report-json.md; fields are only ever added.
 */
#include "error.h"
#include "report.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *row_json(const pg_result_row *row)
{
	json_t *j = json_object();
	json_object_set_new(j, "benchmark", json_string(row->bench));
	json_object_set_new(j, "metric", str(row->metric));
	json_object_set_new(j, "unit", str(row->unit));
	json_object_set_new(j, "direction", json_string(row->higher_is_better ? "higher" : "lower"));
	json_object_set_new(j, "baseline", num(row->v.baseline));
	json_object_set_new(j, "current", num(row->v.current));
	json_object_set_new(j, "change_pct", num(row->v.change_pct));
	json_object_set_new(j, "z", num(row->v.z));
	json_object_set_new(j, "p", num(row->v.p));
	json_object_set_new(j, "sd", num(row->v.sd));
	json_object_set_new(j, "ci_low", num(row->v.ci_low));
	json_object_set_new(j, "ci_high", num(row->v.ci_high));
	json_object_set_new(j, "cv_current", num(row->v.cv_current));
	json_object_set_new(j, "cv_baseline", num(row->v.cv_baseline));
	json_object_set_new(j, "mdc_pct", num(row->v.mdc_pct));
	json_object_set_new(j, "notice", num(row->notice));
	json_object_set_new(j, "too_noisy", json_boolean(pg_row_too_noisy(row)));
	json_object_set_new(j, "outliers", json_integer((json_int_t)row->outliers));
	json_object_set_new(j, "significant", json_boolean(row->v.significant));
	json_object_set_new(j, "method", json_string(pg_method_name(row->v.method)));
	json_object_set_new(j, "baseline_commits", json_integer((json_int_t)row->v.n_baseline));
	json_object_set_new(j, "samples", json_integer((json_int_t)row->v.n_current));
	json_object_set_new(j, "severity", json_string(pg_severity_name(row->v.severity)));
	if (row->reason)
		json_object_set_new(j, "reason", json_string(row->reason));
	json_t *hist = json_array();
	for (size_t i = 0; i < row->history.n; i++)
		json_array_append_new(hist, num(row->history.v[i]));
	json_object_set_new(j, "history", hist);
	return j;
}

void pg_report_write_json(pg_buf *out, const pg_report *r)
{
	json_t *results = json_array(), *warnings = json_array(), *counts = json_object();
	pg_buf summary = PG_BUF_INIT;
	for (size_t i = 0; i < r->nrows; i++)
		json_array_append_new(results, row_json(&r->rows[i]));
	for (size_t i = 0; i < r->nwarnings; i++)
		json_array_append_new(warnings, json_string(r->warnings[i]));
	for (int s = PG_SEV_OK; s <= PG_SEV_FAILED; s++)
		json_object_set_new(counts, pg_severity_name((pg_severity)s),
				    json_integer((json_int_t)r->counts[s]));
	pg_report_summary(&summary, r);
	json_t *base = json_pack("{s:o, s:o, s:i, s:I, s:b}", "ref", str(r->base_ref), "commit",
				 str(r->base_commit), "window", r->window, "commits",
				 (json_int_t)r->baseline_commits, "truncated", r->history_truncated);
	json_t *doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o}",
				"format", "perfgate-report", "version", 1, "verdict",
				r->passed ? "pass" : "fail", "fail_on", pg_fail_on_name(r->fail_on),
				"summary", summary.ptr, "commit", str(r->commit), "branch",
				str(r->branch), "dirty", r->dirty, "testbed", str(r->testbed),
				"base", base, "counts", counts, "results", results, "warnings",
				warnings);
	json_object_set_new(doc, "mode", json_string(r->ab ? "ab" : "history"));
	if (r->ab)
		json_object_set_new(doc, "ab", json_pack("{s:o, s:I, s:b}", "base", str(r->base_commit),
							 "pairs", (json_int_t)r->ab_pairs, "adaptive",
							 r->ab_adaptive));
	if (r->github_pr > 0 || r->github_sha)
		json_object_set_new(doc, "github", json_pack("{s:I, s:o}", "pull_request",
							     (json_int_t)r->github_pr, "head_sha",
							     str(r->github_sha)));
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

/* ---- reading a report back ------------------------------------------- */

static double get_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? pg_strdup(json_string_value(v)) : NULL;
}

static int parse_method(const char *m)
{
	return !m ? PG_METHOD_NONE : !strcmp(m, "sigma") ? PG_METHOD_SIGMA
		: !strcmp(m, "welch") ? PG_METHOD_WELCH : !strcmp(m, "ab") ? PG_METHOD_AB
		: PG_METHOD_NONE;
}

static int parse_row(pg_report *r, json_t *j, const char *path)
{
	json_t *bench = json_object_get(j, "benchmark"), *hist = json_object_get(j, "history"), *v;
	const char *sev_name = json_string_value(json_object_get(j, "severity"));
	int sev = sev_name ? pg_severity_parse(sev_name) : -1;
	size_t i;
	if (!json_is_string(bench) || sev < 0)
		return pg_error_set(PG_ECORRUPT, "%s: a result lacks benchmark or severity", path);
	pg_result_row *row = pg_report_add_row(r, json_string_value(bench));
	row->metric = get_str(j, "metric");
	row->unit = get_str(j, "unit");
	row->reason = get_str(j, "reason");
	/* the writers take a row without a failure reason to have both */
	if (!row->reason && (!row->metric || !row->unit))
		return pg_error_set(PG_ECORRUPT, "%s: a result lacks metric or unit", path);
	row->higher_is_better = json_is_string(json_object_get(j, "direction")) &&
				!strcmp(json_string_value(json_object_get(j, "direction")), "higher");
	row->v.baseline = get_num(j, "baseline");
	row->v.current = get_num(j, "current");
	row->v.change_pct = get_num(j, "change_pct");
	row->v.z = get_num(j, "z");
	row->v.p = get_num(j, "p");
	row->v.sd = get_num(j, "sd");
	row->v.ci_low = get_num(j, "ci_low");
	row->v.ci_high = get_num(j, "ci_high");
	row->v.cv_current = get_num(j, "cv_current");
	row->v.cv_baseline = get_num(j, "cv_baseline");
	row->v.mdc_pct = get_num(j, "mdc_pct");
	row->notice = get_num(j, "notice");
	row->outliers = (size_t)json_integer_value(json_object_get(j, "outliers"));
	row->v.significant = json_is_true(json_object_get(j, "significant"));
	row->v.method = (pg_method)parse_method(json_string_value(json_object_get(j, "method")));
	row->v.n_baseline = (size_t)json_integer_value(json_object_get(j, "baseline_commits"));
	row->v.n_current = (size_t)json_integer_value(json_object_get(j, "samples"));
	row->v.severity = (pg_severity)sev;
	json_array_foreach(hist, i, v)
		if (json_is_number(v))
			pg_samples_push(&row->history, json_number_value(v));
	return 0;
}

int pg_report_load_json(pg_report **out, const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr), *results, *base, *v;
	size_t i;
	int err = 0;
	*out = NULL;
	if (!doc)
		return pg_error_set(PG_ECORRUPT, "%s:%d:%d: not a JSON report: %s", path, jerr.line,
				    jerr.column, jerr.text);
	results = json_object_get(doc, "results");
	base = json_object_get(doc, "base");
	if (!json_is_string(json_object_get(doc, "format")) ||
	    strcmp(json_string_value(json_object_get(doc, "format")), "perfgate-report") ||
	    !json_is_array(results)) {
		json_decref(doc);
		return pg_error_set(PG_ECORRUPT, "%s: not a perfgate JSON report (make one with "
						 "--format json)", path);
	}
	if (json_integer_value(json_object_get(doc, "version")) > 1) {
		json_decref(doc);
		return pg_error_set(PG_ECORRUPT, "%s: written by a newer perfgate; upgrade perfgate",
				    path);
	}
	pg_report *r = pg_calloc(1, sizeof(*r));
	r->commit = get_str(doc, "commit");
	r->branch = get_str(doc, "branch");
	r->testbed = get_str(doc, "testbed");
	r->dirty = json_is_true(json_object_get(doc, "dirty"));
	r->base_ref = get_str(base, "ref");
	r->base_commit = get_str(base, "commit");
	r->window = (int)json_integer_value(json_object_get(base, "window"));
	r->baseline_commits = (size_t)json_integer_value(json_object_get(base, "commits"));
	r->history_truncated = json_is_true(json_object_get(base, "truncated"));
	const char *fail_on = json_string_value(json_object_get(doc, "fail_on"));
	if (!fail_on || pg_fail_on_parse(fail_on, &r->fail_on) < 0)
		r->fail_on = PG_SEV_CRITICAL;
	json_t *mode = json_object_get(doc, "mode");
	r->ab = json_is_string(mode) && !strcmp(json_string_value(mode), "ab");
	r->ab_pairs = (size_t)json_integer_value(json_object_get(json_object_get(doc, "ab"), "pairs"));
	r->ab_adaptive = json_is_true(json_object_get(json_object_get(doc, "ab"), "adaptive"));
	json_t *gh = json_object_get(doc, "github");
	r->github_pr = (long)json_integer_value(json_object_get(gh, "pull_request"));
	r->github_sha = get_str(gh, "head_sha");
	json_array_foreach(results, i, v) {
		if ((err = parse_row(r, v, path)) < 0)
			break;
	}
	json_array_foreach(json_object_get(doc, "warnings"), i, v)
		if (json_is_string(v))
			pg_report_add_warning(r, json_string_value(v));
	json_decref(doc);
	if (err < 0) {
		pg_report_free(r);
		return err;
	}
	pg_report_finish(r);
	*out = r;
	return 0;
}
