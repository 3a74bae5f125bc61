/*
 * report_json.c - the JSON report, a stable format for tools.
 *
 * {"format": "perfgate-report", "version": 1, "verdict": "pass"|"fail",
 *  "fail_on", "summary", "commit", "branch", "dirty", "testbed",
 *  "base": {"ref", "commit", "window", "commits", "truncated"},
 *  "counts": {"critical": N, ...},
 *  "results": [{"benchmark", "metric", "unit", "direction", "baseline",
 *               "current", "change_pct", "z", "p", "sd", "significant",
 *               "method", "baseline_commits", "samples", "severity",
 *               "reason"}],
 *  "warnings": [...]}
 * Numbers that are undefined or infinite are null.  Documented in
 * docs/report-json.md; fields are only ever added.
 */
#include "error.h"
#include "report.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>

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
	json_object_set_new(j, "significant", json_boolean(row->v.significant));
	json_object_set_new(j, "method", json_string(pg_method_name(row->v.method)));
	json_object_set_new(j, "baseline_commits", json_integer((json_int_t)row->v.n_baseline));
	json_object_set_new(j, "samples", json_integer((json_int_t)row->v.n_current));
	json_object_set_new(j, "severity", json_string(pg_severity_name(row->v.severity)));
	if (row->reason)
		json_object_set_new(j, "reason", json_string(row->reason));
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
