/*
 * report_html.c - the report as one self-contained HTML page (no scripts,
 * no external files), for a CI artifact or a browser on a laptop.
 *
 * Verdict first, then failed benchmarks, then one table of every result,
 * most severe first, each row tinted by severity with an inline SVG
 * sparkline of its history; then noise advice, the baseline and warnings.
 * Every text that came from the user goes through pg_escape_html().
 */
#include "format.h"
#include "report.h"

#include <math.h>

static const char style_sheet[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1f2328}"
	"table{border-collapse:collapse}th,td{padding:4px 10px;border-bottom:1px solid #d0d7de}"
	"th{text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.failed,tr.missing,tr.critical{background:#ffebe9}tr.warning{background:#fff8c5}"
	"tr.notice{background:#f6f8fa}tr.improved{background:#dafbe1}"
	"polyline{fill:none;stroke:#0969da;stroke-width:1.5}";

/* The history as an SVG polyline, 100x20, last point = current. */
static void sparkline(pg_buf *out, const pg_samples *h)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < h->n; i++) {
		lo = fmin(lo, h->v[i]);
		hi = fmax(hi, h->v[i]);
	}
	if (h->n < 2 || !isfinite(lo) || !isfinite(hi))
		return;
	pg_buf_puts(out, "<svg width=\"100\" height=\"20\" viewBox=\"0 0 100 20\" role=\"img\">"
			 "<polyline points=\"");
	for (size_t i = 0; i < h->n; i++) {
		double x = 100.0 * (double)i / (double)(h->n - 1);
		double y = hi > lo ? 18 - 16 * (h->v[i] - lo) / (hi - lo) : 10;
		pg_buf_printf(out, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
	pg_buf_puts(out, "\"/></svg>");
}

static void cell(pg_buf *out, int numeric, const char *text)
{
	pg_buf_puts(out, numeric ? "<td class=\"n\">" : "<td>");
	pg_escape_html(out, text);
	pg_buf_puts(out, "</td>");
}

static void table_row(pg_buf *out, const pg_result_row *row)
{
	pg_buf v = PG_BUF_INIT;
	const char *sev = pg_severity_name(row->v.severity);
	pg_buf_printf(out, "<tr class=\"%s\">", sev);
	cell(out, 0, row->bench);
	cell(out, 0, row->metric ? row->metric : "-");
	pg_fmt_value(&v, row->v.baseline, row->unit);
	cell(out, 1, v.ptr);
	pg_buf_clear(&v);
	pg_fmt_value(&v, row->v.current, row->unit);
	cell(out, 1, v.ptr);
	pg_buf_clear(&v);
	pg_fmt_change_ci(&v, row->v.change_pct, row->v.ci_low, row->v.ci_high);
	cell(out, 1, v.ptr);
	pg_buf_clear(&v);
	pg_fmt_z(&v, row->v.z);
	cell(out, 1, v.ptr);
	cell(out, 0, sev);
	pg_buf_puts(out, "<td>");
	sparkline(out, &row->history);
	pg_buf_puts(out, "</td></tr>\n");
	pg_buf_free(&v);
}

static void write_warnings(pg_buf *out, const pg_report *r)
{
	if (!r->nwarnings)
		return;
	pg_buf_puts(out, "<h2>Warnings</h2>\n<ul>\n");
	for (size_t i = 0; i < r->nwarnings; i++) {
		pg_buf_puts(out, "<li>");
		pg_escape_html(out, r->warnings[i]);
		pg_buf_puts(out, "</li>\n");
	}
	pg_buf_puts(out, "</ul>\n");
}

void pg_report_write_html(pg_buf *out, const pg_report *r)
{
	pg_buf title = PG_BUF_INIT;
	pg_buf_printf(&title, "perfgate: %s — ", r->passed ? "pass" : "fail");
	pg_report_summary(&title, r);
	pg_buf_printf(&title, " (fail on %s)", pg_fail_on_name(r->fail_on));

	pg_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<title>");
	pg_escape_html(out, title.ptr);
	pg_buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>%s ", style_sheet,
		      r->passed ? "✅" : "❌");
	pg_escape_html(out, title.ptr);
	pg_buf_puts(out, "</h1>\n");
	pg_report_list_failures(out, r, PG_TEXT_HTML);
	pg_buf_puts(out, "<table>\n<thead><tr><th>Benchmark</th><th>Metric</th><th>Baseline</th>"
			 "<th>Current</th><th>Change</th><th>z</th><th>Severity</th><th>Trend</th>"
			 "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nrows; i++)
		table_row(out, &r->rows[i]);
	pg_buf_puts(out, "</tbody>\n</table>\n");
	pg_report_write_budgets(out, r, PG_TEXT_HTML);
	pg_report_write_complexity(out, r, PG_TEXT_HTML);
	if (r->confirm_level)
		pg_buf_puts(out, "<h2>Confirmed by A/B (--confirm)</h2>\n");
	pg_report_list_confirmations(out, r, PG_TEXT_HTML);
	pg_report_write_explains(out, r, PG_TEXT_HTML);
	pg_report_noise_advice(out, r, PG_TEXT_HTML);
	pg_buf_puts(out, "<p>");
	pg_report_describe_baseline(out, r, PG_TEXT_HTML);
	pg_buf_puts(out, "</p>\n");
	write_warnings(out, r);
	pg_buf_puts(out, "</body>\n</html>\n");
	pg_buf_free(&title);
}
