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
	pg_fmt_change(out, row->v.change_pct);
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

static void write_failures(pg_buf *out, const pg_report *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		if (!r->rows[i].reason)
			continue;
		pg_buf_puts(out, "- **");
		pg_escape_markdown(out, r->rows[i].bench);
		pg_buf_puts(out, "** failed: ");
		pg_escape_markdown(out, r->rows[i].reason);
		pg_buf_putc(out, '\n');
	}
}

static void write_baseline(pg_buf *out, const pg_report *r)
{
	pg_buf_puts(out, "Compared `");
	pg_fmt_short_sha(out, r->commit);
	pg_buf_puts(out, r->dirty ? "` (dirty tree) against " : "` against ");
	pg_buf_printf(out, "%zu baseline commit%s (window %d) from ", r->baseline_commits,
		      r->baseline_commits == 1 ? "" : "s", r->window);
	pg_escape_markdown(out, r->base_ref ? r->base_ref : "?");
	pg_buf_puts(out, " at `");
	pg_fmt_short_sha(out, r->base_commit);
	pg_buf_puts(out, "` on testbed ");
	pg_escape_markdown(out, r->testbed ? r->testbed : "?");
	pg_buf_puts(out, r->history_truncated ? ". History ends early (shallow clone?).\n" : ".\n");
}

void pg_report_write_markdown(pg_buf *out, const pg_report *r)
{
	size_t flagged = 0, improved = 0;
	for (size_t i = 0; i < r->nrows; i++) {
		flagged += is_flagged(&r->rows[i]);
		improved += r->rows[i].v.severity == PG_SEV_IMPROVED;
	}
	pg_buf_printf(out, "### %s perfgate: %s — ", r->passed ? "✅" : "❌",
		      r->passed ? "pass" : "fail");
	pg_report_summary(out, r);
	pg_buf_printf(out, " (fail on %s)\n\n", pg_fail_on_name(r->fail_on));
	write_failures(out, r);
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
	pg_buf_printf(out, "\n<details><summary>All %zu results</summary>\n\n", r->nrows);
	table_header(out);
	for (size_t i = 0; i < r->nrows; i++)
		table_row(out, &r->rows[i]);
	pg_buf_puts(out, "\n</details>\n\n");
	write_baseline(out, r);
}
