/*
 * report_budget.c - the budget rows of a report ("budgets" in
 * perfgate.json) and their "targets versus actual" table, written once
 * for the terminal, Markdown (the PR comment) and HTML, every field
 * escaped for its format.
 */
#include "format.h"
#include "report.h"
#include "utf8.h"

#include <math.h>
#include <string.h>

pg_budget_row *pg_report_add_budget(pg_report *r, const char *bench, const char *metric,
				    const char *unit, int is_max, const char *target)
{
	r->budgets = pg_array_grow(r->budgets, &r->balloc, r->nbudgets + 1, sizeof(*r->budgets));
	pg_budget_row *b = &r->budgets[r->nbudgets++];
	memset(b, 0, sizeof(*b));
	b->bench = pg_strdup(bench);
	b->metric = pg_strdup(metric);
	b->unit = unit ? pg_strdup(unit) : NULL;
	b->is_max = is_max;
	b->target = pg_strdup(target);
	b->limit = b->actual = NAN;
	b->severity = PG_SEV_CRITICAL;
	return b;
}

int pg_budget_fails_gate(const pg_report *r, const pg_budget_row *b)
{
	return b->breached && r->fail_on != PG_FAIL_NEVER && (int)b->severity >= r->fail_on;
}

size_t pg_report_breaches(const pg_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nbudgets; i++)
		n += !!r->budgets[i].breached;
	return n;
}

#define NCOLS 5

static void cells(const pg_budget_row *b, pg_buf c[NCOLS]);
static void free_cells(pg_buf c[NCOLS]);

void pg_budget_describe(pg_buf *out, const pg_budget_row *b)
{
	pg_buf c[NCOLS];
	cells(b, c);
	pg_buf_printf(out, "%s, actual %s: %s", c[2].ptr, c[3].ptr, c[4].ptr);
	free_cells(c);
}

/* The five cells of a budget row, as plain text (escaped by the caller). */
static void cells(const pg_budget_row *b, pg_buf c[NCOLS])
{
	for (int i = 0; i < NCOLS; i++)
		pg_buf_init(&c[i]);
	pg_buf_puts(&c[0], b->bench);
	pg_buf_puts(&c[1], b->metric);
	pg_buf_printf(&c[2], "%s %s", b->is_max ? "max" : "min", b->target);
	if (isfinite(b->actual) && b->unit)
		pg_fmt_value(&c[3], b->actual, b->unit);
	else
		pg_buf_puts(&c[3], "-");
	if (!b->breached)
		pg_buf_puts(&c[4], "met");
	else
		pg_buf_printf(&c[4], "BREACHED (%s)%s%s", pg_severity_name(b->severity),
			      b->reason ? ": " : "", b->reason ? b->reason : "");
}

static void free_cells(pg_buf c[NCOLS])
{
	for (int i = 0; i < NCOLS; i++)
		pg_buf_free(&c[i]);
}

static const char *const headers[NCOLS] = { "benchmark", "metric", "target", "actual",
					    "status" };

static void write_plain(pg_buf *out, const pg_report *r)
{
	size_t width[NCOLS];
	pg_buf c[NCOLS], esc = PG_BUF_INIT;
	for (int k = 0; k < NCOLS; k++)
		width[k] = strlen(headers[k]);
	for (size_t i = 0; i < r->nbudgets; i++) {
		cells(&r->budgets[i], c);
		for (int k = 0; k < NCOLS - 1; k++) {
			pg_buf_clear(&esc);
			pg_escape_term(&esc, c[k].ptr);
			if (pg_utf8_width(esc.ptr) > width[k])
				width[k] = pg_utf8_width(esc.ptr);
		}
		free_cells(c);
	}
	pg_buf_puts(out, "\ntargets versus actual (budgets):\n");
	for (size_t i = 0; i <= r->nbudgets; i++) {
		if (i)
			cells(&r->budgets[i - 1], c);
		pg_buf_puts(out, " ");
		for (int k = 0; k < NCOLS; k++) {
			pg_buf_clear(&esc);
			pg_escape_term(&esc, i ? c[k].ptr : headers[k]);
			pg_buf_printf(out, " %s", esc.ptr);
			for (size_t w = pg_utf8_width(esc.ptr); k < NCOLS - 1 && w < width[k]; w++)
				pg_buf_putc(out, ' ');
		}
		pg_buf_putc(out, '\n');
		if (i)
			free_cells(c);
	}
	pg_buf_free(&esc);
}

void pg_report_write_budgets(pg_buf *out, const pg_report *r, pg_text_style style)
{
	pg_buf c[NCOLS];
	if (!r->nbudgets)
		return;
	if (style == PG_TEXT_PLAIN) {
		write_plain(out, r);
		return;
	}
	int md = style == PG_TEXT_MARKDOWN;
	pg_buf_puts(out, md ? "\n#### Targets versus actual\n\n| Benchmark | Metric | Target | "
			      "Actual | Status |\n|---|---|---|---:|---|\n"
			    : "<h2>Targets versus actual</h2>\n<table>\n<tr><th>Benchmark</th>"
			      "<th>Metric</th><th>Target</th><th>Actual</th><th>Status</th></tr>\n");
	for (size_t i = 0; i < r->nbudgets; i++) {
		cells(&r->budgets[i], c);
		pg_buf_puts(out, md ? "|" : "<tr>");
		for (int k = 0; k < NCOLS; k++) {
			pg_buf_puts(out, md ? " " : k == 3 ? "<td class=\"num\">" : "<td>");
			if (md && k == 4 && r->budgets[i].breached)
				pg_buf_puts(out, ":x: ");
			(md ? pg_escape_markdown : pg_escape_html)(out, c[k].ptr);
			pg_buf_puts(out, md ? " |" : "</td>");
		}
		pg_buf_puts(out, md ? "\n" : "</tr>\n");
		free_cells(c);
	}
	if (!md)
		pg_buf_puts(out, "</table>\n");
}
