/*
 * report_explain.c - writing the outcome of `perfgate explain`
 * (explained.h): a table for the terminal, JSON, and in a report's
 * Markdown (collapsed) and HTML.
 */
#include "explained.h"
#include "format.h"
#include "report.h"
#include "utf8.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_int_t clamp(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (json_int_t)v;
}

static json_t *text(const char *s)
{
	pg_buf fixed = PG_BUF_INIT;
	pg_utf8_repair(&fixed, s);
	json_t *j = json_stringn(fixed.ptr, fixed.len);
	pg_buf_free(&fixed);
	return j;
}

static void count(pg_buf *out, uint64_t v)
{
	pg_buf_printf(out, "%llu", (unsigned long long)v);
}

void pg_explain_write_term(pg_buf *out, const pg_explain *e)
{
	pg_buf_puts(out, "explain ");
	pg_escape_term(out, e->bench);
	pg_buf_printf(out, ": instructions (callgrind Ir) per function, base %.12s -> HEAD\n",
		      e->base);
	if (e->note) {
		pg_buf_puts(out, "  not explained: ");
		pg_escape_term(out, e->note);
		pg_buf_putc(out, '\n');
		return;
	}
	pg_buf_puts(out, "  total: ");
	count(out, e->total_before);
	pg_buf_puts(out, " -> ");
	count(out, e->total_after);
	pg_buf_printf(out, "\n  %-10s %14s %14s %14s %14s  %s\n", "self", "before", "after",
		      "incl before", "incl after", "function (file:line)");
	for (size_t i = 0; i < e->n; i++) {
		const pg_explain_fn *f = &e->fns[i];
		pg_buf c = PG_BUF_INIT;
		pg_fmt_change(&c, f->change_pct);
		pg_buf_printf(out, "  %-10s %14llu %14llu %14llu %14llu  ", c.ptr,
			      (unsigned long long)f->self_before, (unsigned long long)f->self_after,
			      (unsigned long long)f->incl_before, (unsigned long long)f->incl_after);
		pg_escape_term(out, f->name);
		if (strcmp(f->file, "???")) {
			pg_buf_puts(out, " (");
			pg_escape_term(out, f->file);
			if (f->line)
				pg_buf_printf(out, ":%ld", f->line);
			pg_buf_putc(out, ')');
		}
		pg_buf_putc(out, '\n');
		pg_buf_free(&c);
	}
}

void *pg_explain_to_json(const pg_explain *e)
{
	json_t *fns = json_array();
	for (size_t i = 0; i < e->n; i++) {
		const pg_explain_fn *f = &e->fns[i];
		json_array_append_new(fns, json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:o}",
			"function", text(f->name), "file", text(f->file), "line", (json_int_t)f->line,
			"self_before", clamp(f->self_before), "self_after", clamp(f->self_after),
			"incl_before", clamp(f->incl_before), "incl_after", clamp(f->incl_after),
			"change_pct", isfinite(f->change_pct) ? json_real(f->change_pct) : json_null()));
	}
	return json_pack("{s:o, s:s, s:o, s:I, s:I, s:o}", "benchmark", text(e->bench), "base",
			 e->base, "note", e->note ? text(e->note) : json_null(), "total_before",
			 clamp(e->total_before), "total_after", clamp(e->total_after), "functions",
			 fns);
}

void pg_explain_write_json(pg_buf *out, const pg_explain *e)
{
	json_t *doc = pg_explain_to_json(e);
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	if (!s) {
		fputs("perfgate: fatal: out of memory\n", stderr);
		abort();
	}
	pg_buf_puts(out, s);
	pg_buf_putc(out, '\n');
	free(s);
	json_decref(doc);
}

/* "prog.c:3", or "" when unknown */
static void where(pg_buf *out, const pg_explain_fn *f)
{
	if (!strcmp(f->file, "???"))
		return;
	pg_buf_puts(out, f->file);
	if (f->line)
		pg_buf_printf(out, ":%ld", f->line);
}

static void explain_table(pg_buf *out, const pg_explain *e, pg_text_style style)
{
	void (*esc)(pg_buf *, const char *) = style == PG_TEXT_HTML ? pg_escape_html
								   : pg_escape_markdown;
	pg_buf cell = PG_BUF_INIT;
	if (style == PG_TEXT_HTML)
		pg_buf_puts(out, "<table>\n<thead><tr><th>Change (self)</th><th>Self before</th>"
				 "<th>Self after</th><th>Incl. before</th><th>Incl. after</th>"
				 "<th>Function</th><th>Where</th></tr></thead>\n<tbody>\n");
	else
		pg_buf_puts(out, "| Change (self) | Self before | Self after | Incl. before | "
				 "Incl. after | Function | Where |\n|--:|--:|--:|--:|--:|---|---|\n");
	for (size_t i = 0; i < e->n; i++) {
		const pg_explain_fn *f = &e->fns[i];
		const char *sep = style == PG_TEXT_HTML ? "</td><td>" : " | ";
		pg_buf_puts(out, style == PG_TEXT_HTML ? "<tr><td>" : "| ");
		pg_buf_clear(&cell);
		pg_fmt_change(&cell, f->change_pct);
		pg_buf_printf(out, "%s%s%llu%s%llu%s%llu%s%llu%s", cell.ptr, sep,
			      (unsigned long long)f->self_before, sep, (unsigned long long)f->self_after,
			      sep, (unsigned long long)f->incl_before, sep,
			      (unsigned long long)f->incl_after, sep);
		esc(out, f->name);
		pg_buf_puts(out, sep);
		pg_buf_clear(&cell);
		where(&cell, f);
		esc(out, cell.ptr);
		pg_buf_puts(out, style == PG_TEXT_HTML ? "</td></tr>\n" : " |\n");
	}
	pg_buf_puts(out, style == PG_TEXT_HTML ? "</tbody>\n</table>\n" : "");
	pg_buf_free(&cell);
}

void pg_report_write_explains(pg_buf *out, const pg_report *r, pg_text_style style)
{
	void (*esc)(pg_buf *, const char *) = style == PG_TEXT_HTML ? pg_escape_html
								   : pg_escape_markdown;
	if (!r->nexplains)
		return;
	if (style == PG_TEXT_PLAIN) {
		for (size_t i = 0; i < r->nexplains; i++) {
			pg_buf_putc(out, '\n');
			pg_explain_write_term(out, &r->explains[i]);
		}
		return;
	}
	pg_buf_puts(out, style == PG_TEXT_HTML ? "<h2>Where the instructions went (callgrind)</h2>\n"
					      : "\n#### Where the instructions went (callgrind)\n\n");
	for (size_t i = 0; i < r->nexplains; i++) {
		const pg_explain *e = &r->explains[i];
		pg_buf_puts(out, style == PG_TEXT_HTML ? "<details><summary>" : "<details><summary>");
		pg_escape_html(out, e->bench); /* HTML in both: it is inside <summary> */
		pg_buf_printf(out, ": %s, base %.12s &rarr; HEAD</summary>\n\n",
			      e->note ? "not explained" : "top functions by change in instructions",
			      e->base);
		if (e->note) {
			esc(out, e->note);
			pg_buf_puts(out, "\n");
		} else {
			explain_table(out, e, style);
		}
		pg_buf_puts(out, "\n</details>\n");
	}
}
