/*
 * report_complexity.c - the complexity rows of a report (a family of
 * results fitted to O(1) ... O(n^3)) and their table, written once for
 * the terminal, Markdown (the PR comment) and HTML, every field escaped.
 */
#include "complexity.h"
#include "format.h"
#include "report.h"

#include <math.h>
#include <string.h>

pg_complexity_row *pg_report_add_complexity(pg_report *r, const char *family, const char *metric)
{
	r->complexity = pg_array_grow(r->complexity, &r->calloc, r->ncomplexity + 1,
				      sizeof(*r->complexity));
	pg_complexity_row *c = &r->complexity[r->ncomplexity++];
	memset(c, 0, sizeof(*c));
	c->family = pg_strdup(family);
	c->metric = pg_strdup(metric);
	c->base_cls = c->cls = c->budget = -1;
	c->coef = c->nrms = NAN;
	c->severity = PG_SEV_OK;
	return c;
}

int pg_complexity_fails_gate(const pg_report *r, const pg_complexity_row *c)
{
	return r->fail_on != PG_FAIL_NEVER && c->severity >= PG_SEV_NOTICE &&
	       (int)c->severity >= r->fail_on;
}

size_t pg_report_complexity_regressions(const pg_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->ncomplexity; i++)
		n += r->complexity[i].severity >= PG_SEV_NOTICE;
	return n;
}

static const char *cls_name(int c)
{
	return c < 0 ? "-" : pg_complexity_name((pg_complexity)c);
}

void pg_complexity_describe(pg_buf *out, const pg_complexity_row *c)
{
	if (c->cls >= 0 && c->base_cls >= 0 && c->cls != c->base_cls)
		pg_buf_printf(out, "%s -> %s", cls_name(c->base_cls), cls_name(c->cls));
	else
		pg_buf_puts(out, cls_name(c->cls >= 0 ? c->cls : c->base_cls));
	if (c->budget >= 0)
		pg_buf_printf(out, " (budget %s)", cls_name(c->budget));
	pg_buf_printf(out, ": %s", pg_severity_name(c->severity));
	if (c->note)
		pg_buf_printf(out, "; %s", c->note);
}

#define NCOLS 5

static void cells(const pg_complexity_row *c, pg_buf v[NCOLS])
{
	for (int i = 0; i < NCOLS; i++)
		pg_buf_init(&v[i]);
	pg_buf_puts(&v[0], c->family);
	pg_buf_puts(&v[1], c->metric);
	pg_buf_puts(&v[2], cls_name(c->base_cls));
	pg_buf_puts(&v[3], cls_name(c->cls));
	if (c->budget >= 0)
		pg_buf_printf(&v[3], " (budget %s)", cls_name(c->budget));
	pg_buf_puts(&v[4], pg_severity_name(c->severity));
	if (isfinite(c->nrms))
		pg_buf_printf(&v[4], ", fit within %.0f%% (%zu sizes)", c->nrms * 100, c->sizes);
	if (c->note)
		pg_buf_printf(&v[4], ": %s", c->note);
}

void pg_report_write_complexity(pg_buf *out, const pg_report *r, pg_text_style style)
{
	pg_buf v[NCOLS], line = PG_BUF_INIT;
	if (!r->ncomplexity)
		return;
	if (style == PG_TEXT_PLAIN)
		pg_buf_puts(out, "\ncomplexity (each family fitted to O(1) ... O(n^3)):\n");
	else if (style == PG_TEXT_MARKDOWN)
		pg_buf_puts(out, "\n#### Complexity\n\n| Family | Metric | Baseline | Current | Verdict "
				 "|\n|---|---|---|---|---|\n");
	else
		pg_buf_puts(out, "<h2>Complexity</h2>\n<table>\n<tr><th>Family</th><th>Metric</th>"
				 "<th>Baseline</th><th>Current</th><th>Verdict</th></tr>\n");
	for (size_t i = 0; i < r->ncomplexity; i++) {
		cells(&r->complexity[i], v);
		if (style == PG_TEXT_PLAIN) {
			/* "  sort (time_per_op): O(n log n) -> O(n^2): critical, fit ..." */
			pg_buf_clear(&line);
			pg_buf_printf(&line, "  %s (%s): ", v[0].ptr, v[1].ptr);
			if (r->complexity[i].base_cls >= 0)
				pg_buf_printf(&line, "%s -> ", v[2].ptr);
			pg_buf_printf(&line, "%s: %s", v[3].ptr, v[4].ptr);
			pg_escape_term(out, line.ptr);
			pg_buf_putc(out, '\n');
		}
		for (int k = 0; k < NCOLS; k++) {
			if (style == PG_TEXT_MARKDOWN) {
				pg_buf_puts(out, k ? " " : "| ");
				pg_escape_markdown(out, v[k].ptr);
				pg_buf_puts(out, " |");
			} else if (style == PG_TEXT_HTML) {
				pg_buf_puts(out, k ? "<td>" : "<tr><td>");
				pg_escape_html(out, v[k].ptr);
				pg_buf_puts(out, "</td>");
			}
			pg_buf_free(&v[k]);
		}
		if (style != PG_TEXT_PLAIN)
			pg_buf_puts(out, style == PG_TEXT_HTML ? "</tr>\n" : "\n");
	}
	if (style == PG_TEXT_HTML)
		pg_buf_puts(out, "</table>\n");
	pg_buf_free(&line);
}
