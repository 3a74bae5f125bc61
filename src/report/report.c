/*
 * report.c - the report model (rows, verdict) and dispatching to writers.
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
	for (size_t i = 0; i < r->nbudgets; i++)
		if (pg_budget_fails_gate(r, &r->budgets[i]))
			r->passed = 0;
	for (size_t i = 0; i < r->ncomplexity; i++)
		if (pg_complexity_fails_gate(r, &r->complexity[i]))
			r->passed = 0;
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
	for (size_t i = 0; i < r->nbudgets; i++) {
		free(r->budgets[i].bench);
		free(r->budgets[i].metric);
		free(r->budgets[i].unit);
		free(r->budgets[i].target);
		free(r->budgets[i].reason);
	}
	free(r->budgets);
	for (size_t i = 0; i < r->ncomplexity; i++) {
		free(r->complexity[i].family);
		free(r->complexity[i].metric);
		free(r->complexity[i].note);
	}
	free(r->complexity);
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
	size_t start = out->len, breaches = pg_report_breaches(r);
	size_t worse = pg_report_complexity_regressions(r);
	if (breaches)
		pg_buf_printf(out, "%zu budget%s breached, ", breaches, breaches == 1 ? "" : "s");
	if (worse)
		pg_buf_printf(out, "%zu complexity regression%s, ", worse, worse == 1 ? "" : "s");
	start = out->len;
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
