/*
 * report_markdown.c - the Markdown report: what a pull request shows.
 *
 * Verdict first, then a table of what changed, then everything else in a
 * collapsed <details> block, then what the baseline was.  Every name that
 * came from the user goes through pg_escape_markdown().
 */
#include "format.h"
#include "report.h"

static void table_header(pg_buf *out)
{
	pg_buf_puts(out, "| Benchmark | Metric | Baseline | Current | Change | z | Severity | Trend |\n"
			 "|---|---|--:|--:|--:|--:|---|---|\n");
}

static void table_row(pg_buf *out, const pg_result_row *row)
{
	pg_buf_puts(out, "| ");
	pg_escape_markdown(out, row->bench);
	pg_buf_puts(out, " | ");
	pg_escape_markdown(out, row->metric ? row->metric : "-");
	pg_buf_puts(out, " | ");
	pg_fmt_value(out, row->v.baseline, row->unit);
	pg_buf_puts(out, " | ");
	pg_fmt_value(out, row->v.current, row->unit);
	pg_buf_puts(out, " | ");
	pg_fmt_change_ci(out, row->v.change_pct, row->v.ci_low, row->v.ci_high);
	pg_buf_puts(out, " | ");
	pg_fmt_z(out, row->v.z);
	pg_buf_printf(out, " | %s | ", pg_severity_name(row->v.severity));
	pg_fmt_sparkline(out, row->history.v, row->history.n, 20);
	pg_buf_puts(out, " |\n");
}

static int is_flagged(const pg_result_row *row)
{
	return row->v.severity >= PG_SEV_NOTICE;
}

static void write_baseline(pg_buf *out, const pg_report *r, const char *run_url)
{
	pg_report_describe_baseline(out, r, PG_TEXT_MARKDOWN);
	if (run_url) {
		pg_buf_puts(out, " [Workflow run](");
		pg_escape_markdown(out, run_url);
		pg_buf_puts(out, ")");
	}
	pg_buf_putc(out, '\n');
}

/* The collapsed table of every result.  With a budget, rows stop where the
 * next one would not fit, and a line says how many were left out. */
static void write_details(pg_buf *out, const pg_report *r, size_t budget)
{
	static const char note_fmt[] = "\n_%zu more results not shown: GitHub limits a comment's "
				       "size; the job summary and the JSON report have them all._\n";
	pg_buf row = PG_BUF_INIT;
	size_t shown = 0, start = out->len;
	pg_buf_printf(out, "\n<details><summary>All %zu results</summary>\n\n", r->nrows);
	table_header(out);
	for (; shown < r->nrows; shown++) {
		pg_buf_clear(&row);
		table_row(&row, &r->rows[shown]);
		if (budget && out->len - start + row.len + sizeof(note_fmt) + 40 > budget)
			break;
		pg_buf_put(out, row.ptr, row.len);
	}
	if (shown < r->nrows)
		pg_buf_printf(out, note_fmt, r->nrows - shown);
	pg_buf_puts(out, "\n</details>\n\n");
	pg_buf_free(&row);
}

void pg_report_write_markdown_opts(pg_buf *out, const pg_report *r, const pg_markdown_opts *o)
{
	size_t flagged = 0, improved = 0, begin = out->len;
	pg_buf tail = PG_BUF_INIT;
	for (size_t i = 0; i < r->nrows; i++) {
		flagged += is_flagged(&r->rows[i]);
		improved += r->rows[i].v.severity == PG_SEV_IMPROVED;
	}
	if (o && o->preamble)
		pg_buf_puts(out, o->preamble);
	pg_buf_printf(out, "### %s perfgate: %s — ", r->passed ? "✅" : "❌",
		      r->passed ? "pass" : "fail");
	pg_report_summary(out, r);
	pg_buf_printf(out, " (fail on %s)\n\n", pg_fail_on_name(r->fail_on));
	pg_report_list_failures(out, r, PG_TEXT_MARKDOWN);
	if (flagged) {
		if (r->counts[PG_SEV_FAILED])
			pg_buf_putc(out, '\n');
		table_header(out);
		for (size_t i = 0; i < r->nrows; i++)
			if (is_flagged(&r->rows[i]))
				table_row(out, &r->rows[i]);
	}
	if (improved) {
		pg_buf_puts(out, "\n#### Improvements\n\n");
		table_header(out);
		for (size_t i = 0; i < r->nrows; i++)
			if (r->rows[i].v.severity == PG_SEV_IMPROVED)
				table_row(out, &r->rows[i]);
	}
	pg_report_noise_advice(out, r, PG_TEXT_MARKDOWN);
	write_baseline(&tail, r, o ? o->run_url : NULL);
	size_t used = out->len - begin + tail.len;
	size_t budget = 0;
	if (o && o->max_len)
		budget = o->max_len > used ? o->max_len - used : 1;
	write_details(out, r, budget);
	pg_buf_put(out, tail.ptr, tail.len);
	pg_buf_free(&tail);
}

void pg_report_write_markdown(pg_buf *out, const pg_report *r)
{
	pg_report_write_markdown_opts(out, r, NULL);
}
