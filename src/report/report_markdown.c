/*
 * report_markdown.c - the Markdown report: what a pull request shows.
 *
 * Verdict first, then the failed benchmarks, a table of what changed, the
 * improvements, noise advice, everything in a collapsed <details> block,
 * then what the baseline was.  Every field that came from a report, a
 * results file or the user (names, units, reasons, refs, the testbed) goes
 * through pg_escape_markdown(); commit ids are code only when hex
 * (report_text.c); the run link through pg_escape_url().
 *
 * With a size limit (a PR comment: GitHub refuses bodies over 65,536
 * characters; a job summary: 1 MiB), every section is budgeted, in
 * characters as GitHub counts them (code points, not bytes: a sparkline
 * bar is 3 bytes).  The verdict and the baseline line are always there;
 * then, in order, the failures (at most half of what is left, so the table
 * below stays visible), the flagged table (rows sorted worst first, so the
 * worst results are the ones kept), the improvements, the noise advice,
 * the warnings and the collapsed table each take what still fits, and a
 * cut section says how much it left out.
 */
#include "format.h"
#include "report.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

static void table_header(pg_buf *out)
{
	pg_buf_puts(out, "| Benchmark | Metric | Baseline | Current | Change | z | Severity | Trend |\n"
			 "|---|---|--:|--:|--:|--:|---|---|\n");
}

/* A value with its unit, escaped: the unit came with the results. */
static void value(pg_buf *out, double v, const char *unit)
{
	pg_buf text = PG_BUF_INIT;
	pg_fmt_value(&text, v, unit);
	pg_escape_markdown(out, text.ptr);
	pg_buf_free(&text);
}

static void table_row(pg_buf *out, const pg_result_row *row)
{
	pg_buf_puts(out, "| ");
	pg_escape_markdown(out, row->bench);
	pg_buf_puts(out, " | ");
	pg_escape_markdown(out, row->metric ? row->metric : "-");
	pg_buf_puts(out, " | ");
	value(out, row->v.baseline, row->unit);
	pg_buf_puts(out, " | ");
	value(out, row->v.current, row->unit);
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

static int is_improved(const pg_result_row *row)
{
	return row->v.severity == PG_SEV_IMPROVED;
}

static int any_row(const pg_result_row *row)
{
	(void)row;
	return 1;
}

/* A table of the rows that pass `want`, header first; "" when none do. */
static void table(pg_buf *out, const pg_report *r, int (*want)(const pg_result_row *))
{
	size_t start = out->len;
	table_header(out);
	for (size_t i = 0; i < r->nrows; i++)
		if (want(&r->rows[i]))
			table_row(out, &r->rows[i]);
	if (out->len - start == strlen("| Benchmark | Metric | Baseline | Current | Change | z | "
				       "Severity | Trend |\n|---|---|--:|--:|--:|--:|---|---|\n"))
		pg_buf_truncate(out, start);
}

/* The line that says a cut section left `n` of `what` out: a list item
 * under a list, a paragraph under a table. */
static void cut_note(pg_buf *out, size_t n, const char *what, int item)
{
	if (item)
		pg_buf_printf(out, "- _%zu more %s not shown_\n", n, what);
	else
		pg_buf_printf(out, "\n_%zu more %s not shown: GitHub limits the size of comments and "
				   "job summaries; the JSON report (`--report-json FILE`) has them "
				   "all._\n", n, what);
}

/* Appends `section` (text made of lines) to `out`: its first `keep` lines
 * always, then whole lines while they fit in *budget characters (with room
 * for the note), then, if lines were left out, a note saying how many of
 * `what` (cut_note).  *budget is reduced by what was written. */
static void append_cut(pg_buf *out, const pg_buf *section, size_t keep, size_t *budget,
		       const char *what, int item)
{
	const char *p = section->ptr, *end = section->ptr + section->len;
	size_t lines = 0, dropped = 0, note_room = 160;
	for (const char *q = p; q < end; q++)
		lines += *q == '\n';
	if (pg_utf8_count(section->ptr, section->len) <= *budget) {
		pg_buf_put(out, section->ptr, section->len);
		*budget -= pg_utf8_count(section->ptr, section->len);
		return;
	}
	for (size_t i = 0; p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		size_t c = pg_utf8_count(p, len);
		if (i >= keep && c + note_room > *budget) {
			dropped = lines - i + (nl ? 0 : 1);
			break;
		}
		pg_buf_put(out, p, len);
		*budget = c < *budget ? *budget - c : 0;
		p += len;
	}
	if (dropped) {
		size_t before = out->len;
		cut_note(out, dropped, what, item);
		size_t c = pg_utf8_count(out->ptr + before, out->len - before);
		*budget = c < *budget ? *budget - c : 0;
	}
}

static void write_baseline(pg_buf *out, const pg_report *r, const char *run_url)
{
	pg_report_describe_baseline(out, r, PG_TEXT_MARKDOWN);
	if (run_url) {
		pg_buf_puts(out, " [Workflow run](");
		pg_escape_url(out, run_url);
		pg_buf_puts(out, ")");
	}
	pg_buf_putc(out, '\n');
}

/* Appends a fixed piece of text, charging it to the budget. */
static void put(pg_buf *out, size_t *budget, const char *text)
{
	size_t c = pg_utf8_count(text, strlen(text));
	pg_buf_puts(out, text);
	*budget = c < *budget ? *budget - c : 0;
}

void pg_report_write_markdown_opts(pg_buf *out, const pg_report *r, const pg_markdown_opts *o)
{
	pg_buf head = PG_BUF_INIT, tail = PG_BUF_INIT, section = PG_BUF_INIT;
	size_t budget = (size_t)-1 / 2;
	char details[96];

	if (o && o->preamble)
		pg_buf_puts(&head, o->preamble);
	pg_buf_printf(&head, "### %s perfgate: %s — ", r->passed ? "✅" : "❌",
		      r->passed ? "pass" : "fail");
	pg_report_summary(&head, r);
	pg_buf_printf(&head, " (fail on %s)\n\n", pg_fail_on_name(r->fail_on));
	write_baseline(&tail, r, o ? o->run_url : NULL);
	if (o && o->max_len) {
		/* + the closing of the collapsed block, always written */
		size_t fixed = pg_utf8_count(head.ptr, head.len) + pg_utf8_count(tail.ptr, tail.len) + 16;
		budget = o->max_len > fixed ? o->max_len - fixed : 0;
	}
	pg_buf_put(out, head.ptr, head.len);

	/* the failures: at most half of the budget */
	size_t half = budget / 2, spent;
	pg_report_list_failures(&section, r, PG_TEXT_MARKDOWN);
	spent = half;
	append_cut(out, &section, 0, &half, "failed benchmarks", 1);
	budget -= spent - half;

	pg_buf_clear(&section);
	pg_report_write_budgets(&section, r, PG_TEXT_MARKDOWN);
	append_cut(out, &section, 5, &budget, "budgets", 0);

	pg_buf_clear(&section);
	pg_report_write_complexity(&section, r, PG_TEXT_MARKDOWN);
	append_cut(out, &section, 5, &budget, "complexity fits", 0);

	pg_buf_clear(&section);
	table(&section, r, is_flagged);
	/* a blank line first unless there is one: a table right after the
	 * failures list or the budgets or complexity table would continue it */
	if (section.len && !(out->len >= 2 && !strcmp(out->ptr + out->len - 2, "\n\n")))
		put(out, &budget, "\n");
	append_cut(out, &section, 2, &budget, "flagged results", 0);

	pg_buf_clear(&section);
	table(&section, r, is_improved);
	if (section.len) {
		put(out, &budget, "\n#### Improvements\n\n");
		append_cut(out, &section, 2, &budget, "improvements", 0);
	}

	pg_buf_clear(&section);
	pg_report_list_confirmations(&section, r, PG_TEXT_MARKDOWN);
	if (section.len) {
		put(out, &budget, "\n#### Confirmed by A/B (--confirm)\n\n");
		append_cut(out, &section, 0, &budget, "confirmations", 1);
	}

	pg_buf_clear(&section);
	pg_report_write_explains(&section, r, PG_TEXT_MARKDOWN);
	if (section.len && section.len <= budget)
		put(out, &budget, section.ptr);
	else if (section.len)
		put(out, &budget, "\n(the callgrind explanations do not fit here: see the JSON report)\n");

	pg_buf_clear(&section);
	pg_report_noise_advice(&section, r, PG_TEXT_MARKDOWN);
	append_cut(out, &section, 2, &budget, "too noisy results", 1);

	pg_buf_clear(&section);
	pg_report_list_warnings(&section, r, PG_TEXT_MARKDOWN);
	if (section.len) {
		put(out, &budget, "\n#### Warnings\n\n");
		append_cut(out, &section, 0, &budget, "warnings", 1);
	}

	/* everything, collapsed; its closing tag is always written */
	snprintf(details, sizeof(details), "\n<details><summary>All %zu results</summary>\n\n",
		 r->nrows);
	put(out, &budget, details);
	pg_buf_clear(&section);
	table(&section, r, any_row);
	append_cut(out, &section, 2, &budget, "results", 0);
	pg_buf_puts(out, "\n</details>\n\n");
	pg_buf_put(out, tail.ptr, tail.len);
	pg_buf_free(&head);
	pg_buf_free(&tail);
	pg_buf_free(&section);
}

void pg_report_write_markdown(pg_buf *out, const pg_report *r)
{
	pg_report_write_markdown_opts(out, r, NULL);
}
