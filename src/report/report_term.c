/*
 * report_term.c - the terminal table: what a person reads after `check`.
 * Every field that came from results or a report goes through
 * pg_escape_term(), so none can move the cursor or colour the screen.
 */
#include "format.h"
#include "report.h"
#include "stats.h"
#include "utf8.h"

#include <math.h>
#include <string.h>

#define NCOLS 8

static const char *const headers[NCOLS] = { "benchmark", "metric", "baseline", "current",
					    "change", "z", "mdc", "severity" };

static const char *severity_color(pg_severity s)
{
	switch (s) {
	case PG_SEV_FAILED:
	case PG_SEV_MISSING:
	case PG_SEV_CRITICAL:
		return "\033[1;31m";
	case PG_SEV_WARNING:
		return "\033[33m";
	case PG_SEV_NOTICE:
		return "\033[36m";
	case PG_SEV_IMPROVED:
		return "\033[32m";
	default:
		return NULL;
	}
}

/* A value with its unit, without control characters (the unit came with
 * the results). */
static void value(pg_buf *out, double v, const char *unit)
{
	pg_buf text = PG_BUF_INIT;
	pg_fmt_value(&text, v, unit);
	pg_escape_term(out, text.ptr);
	pg_buf_free(&text);
}

/* Fills the NCOLS cells of one row (caller frees each). */
static void row_cells(const pg_result_row *row, pg_buf cells[NCOLS])
{
	for (int i = 0; i < NCOLS; i++)
		pg_buf_init(&cells[i]);
	pg_escape_term(&cells[0], row->bench);
	pg_escape_term(&cells[1], row->metric ? row->metric : "-");
	value(&cells[2], row->v.baseline, row->unit);
	value(&cells[3], row->v.current, row->unit);
	pg_fmt_change_ci(&cells[4], row->v.change_pct, row->v.ci_low, row->v.ci_high);
	pg_fmt_z(&cells[5], row->v.z);
	if (isfinite(row->v.mdc_pct))
		pg_buf_printf(&cells[6], "%.1f%%%s", row->v.mdc_pct, pg_row_too_noisy(row) ? "!" : "");
	else
		pg_buf_puts(&cells[6], "-");
	pg_buf_puts(&cells[7], pg_severity_name(row->v.severity));
}

static void pad(pg_buf *out, const char *s, size_t width, int right)
{
	size_t w = pg_utf8_width(s);
	if (right)
		for (size_t i = w; i < width; i++)
			pg_buf_putc(out, ' ');
	pg_buf_puts(out, s);
	if (!right)
		for (size_t i = w; i < width; i++)
			pg_buf_putc(out, ' ');
}

static void sha(pg_buf *out, const char *commit)
{
	pg_buf s = PG_BUF_INIT;
	pg_fmt_short_sha(&s, commit);
	pg_escape_term(out, s.ptr);
	pg_buf_free(&s);
}

static void write_header(pg_buf *out, const pg_report *r)
{
	pg_buf_puts(out, "perfgate: ");
	sha(out, r->commit);
	if (r->branch) {
		pg_buf_puts(out, " (");
		pg_escape_term(out, r->branch);
		pg_buf_putc(out, ')');
	}
	if (r->dirty)
		pg_buf_puts(out, " +dirty");
	pg_buf_puts(out, " on ");
	pg_escape_term(out, r->testbed ? r->testbed : "?");
	pg_buf_putc(out, '\n');
	if (r->ab) {
		pg_buf_puts(out, "mode: A/B against ");
		sha(out, r->base_commit);
		pg_buf_printf(out, ", %zu pairs%s, interleaved on this runner\n\n", r->ab_pairs,
			      r->ab_adaptive ? " (adaptive: the most any benchmark needed)" : "");
		return;
	}
	pg_buf_printf(out, "baseline: %zu commit%s (window %d) from ", r->baseline_commits,
		      r->baseline_commits == 1 ? "" : "s", r->window);
	pg_escape_term(out, r->base_ref ? r->base_ref : "?");
	if (r->base_commit) {
		pg_buf_puts(out, " @ ");
		sha(out, r->base_commit);
	}
	pg_buf_puts(out, r->history_truncated ? " (history ends early: shallow clone?)\n\n" : "\n\n");
}

void pg_report_write_term(pg_buf *out, const pg_report *r, const pg_write_opts *o)
{
	size_t width[NCOLS];
	pg_buf cells[NCOLS];
	for (int c = 0; c < NCOLS; c++)
		width[c] = strlen(headers[c]);
	for (size_t i = 0; i < r->nrows; i++) {
		row_cells(&r->rows[i], cells);
		for (int c = 0; c < NCOLS; c++) {
			size_t w = pg_utf8_width(cells[c].ptr);
			if (w > width[c])
				width[c] = w;
			pg_buf_free(&cells[c]);
		}
	}
	write_header(out, r);
	for (int c = 0; c < NCOLS; c++) {
		pad(out, headers[c], width[c], c >= 2 && c <= 6);
		pg_buf_puts(out, c + 1 < NCOLS ? "  " : "\n");
	}
	for (size_t i = 0; i < r->nrows; i++) {
		const pg_result_row *row = &r->rows[i];
		const char *color = o && o->color ? severity_color(row->v.severity) : NULL;
		row_cells(row, cells);
		for (int c = 0; c < NCOLS; c++) {
			if (c == NCOLS - 1 && color)
				pg_buf_puts(out, color);
			pad(out, cells[c].ptr, c == NCOLS - 1 ? 0 : width[c], c >= 2 && c <= 6);
			if (c == NCOLS - 1 && color)
				pg_buf_puts(out, "\033[0m");
			pg_buf_puts(out, c + 1 < NCOLS ? "  " : "\n");
			pg_buf_free(&cells[c]);
		}
	}
	for (size_t i = 0; i < r->nrows; i++) {
		const pg_result_row *row = &r->rows[i];
		if (!row->reason && !row->v.note)
			continue;
		pg_buf_putc(out, '\n');
		pg_escape_term(out, row->bench);
		if (!row->reason) {
			pg_buf_putc(out, ' ');
			pg_escape_term(out, row->metric);
		}
		pg_buf_puts(out, ": ");
		pg_escape_term(out, row->reason ? row->reason : row->v.note);
	}
	pg_report_write_budgets(out, r, PG_TEXT_PLAIN);
	pg_report_write_complexity(out, r, PG_TEXT_PLAIN);
	if (r->confirm_level)
		pg_buf_puts(out, "\n--confirm:\n");
	pg_report_list_confirmations(out, r, PG_TEXT_PLAIN);
	pg_report_write_explains(out, r, PG_TEXT_PLAIN);
	pg_report_noise_advice(out, r, PG_TEXT_PLAIN);
	pg_buf_printf(out, "\n%s: ", r->passed ? "PASS" : "FAIL");
	pg_report_summary(out, r);
	pg_buf_printf(out, " (fail_on: %s)\n", pg_fail_on_name(r->fail_on));
}

void pg_run_write_summary(pg_buf *out, const pg_run *run)
{
	for (size_t i = 0; i < run->nbenches; i++) {
		const pg_bench_result *b = &run->benches[i];
		pg_escape_term(out, b->name);
		if (b->failed) {
			pg_buf_puts(out, ": FAILED: ");
			pg_escape_term(out, b->reason ? b->reason : "?");
			pg_buf_putc(out, '\n');
			continue;
		}
		for (size_t m = 0; m < b->nmetrics; m++) {
			const pg_metric_result *mr = &b->metrics[m];
			pg_buf_puts(out, m ? ", " : ": ");
			pg_escape_term(out, mr->name);
			pg_buf_putc(out, ' ');
			value(out, pg_stats_median(mr->samples.v, mr->samples.n), mr->unit);
		}
		if (b->nmetrics)
			pg_buf_printf(out, " (median of %zu)", b->metrics[0].samples.n);
		for (size_t m = 0; m < b->nmetrics; m++) {
			size_t o = pg_stats_outliers(b->metrics[m].samples.v, b->metrics[m].samples.n);
			if (!o)
				continue;
			pg_buf_puts(out, " [");
			pg_escape_term(out, b->metrics[m].name);
			pg_buf_printf(out, ": %zu outlier%s, kept]", o, o == 1 ? "" : "s");
		}
		pg_buf_putc(out, '\n');
	}
}

void pg_report_write_noise(pg_buf *out, const pg_report *r)
{
	pg_buf_printf(out, "%-32s %-14s %8s %9s %10s %10s %8s  %s\n", "benchmark", "metric",
		      "samples", "outliers", "cv run", "cv history", "mdc", "at notice");
	for (size_t i = 0; i < r->nrows; i++) {
		const pg_result_row *row = &r->rows[i];
		pg_buf a = PG_BUF_INIT, b = PG_BUF_INIT, c = PG_BUF_INIT, name = PG_BUF_INIT,
		       metric = PG_BUF_INIT;
		if (row->reason)
			continue;
		pg_escape_term(&name, row->bench);
		pg_escape_term(&metric, row->metric ? row->metric : "-");
		pg_buf_printf(&a, isfinite(row->v.cv_current) ? "%.2f%%" : "-", row->v.cv_current);
		pg_buf_printf(&b, isfinite(row->v.cv_baseline) ? "%.2f%%" : "-", row->v.cv_baseline);
		pg_buf_printf(&c, isfinite(row->v.mdc_pct) ? "%.2f%%" : "-", row->v.mdc_pct);
		pg_buf_printf(out, "%-32s %-14s %8zu %9zu %10s %10s %8s  %s\n", name.ptr, metric.ptr,
			      row->v.n_current, row->outliers, a.ptr, b.ptr, c.ptr,
			      !isfinite(row->v.mdc_pct) ? "no history yet"
			      : pg_row_too_noisy(row) ? "too noisy" : "ok");
		pg_buf_free(&a);
		pg_buf_free(&b);
		pg_buf_free(&c);
		pg_buf_free(&name);
		pg_buf_free(&metric);
	}
	pg_report_noise_advice(out, r, PG_TEXT_PLAIN);
}
