/*
 * report_changes.c - the writers of `perfgate changes` (report_changes.h): term,
 * markdown and json.
 */
#include "report_changes.h"
#include "json_value.h"
#include "error.h"
#include "format.h"
#include "utf8.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

pg_change_row *pg_changes_add(pg_changes *c)
{
	if (c->n == c->alloc) {
		c->alloc = c->alloc ? 2 * c->alloc : 16;
		c->rows = pg_realloc(c->rows, c->alloc * sizeof(*c->rows));
	}
	memset(&c->rows[c->n], 0, sizeof(c->rows[c->n]));
	return &c->rows[c->n++];
}

void pg_changes_free(pg_changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->rows[i].bench);
		free(c->rows[i].metric);
		free(c->rows[i].unit);
		free(c->rows[i].subject);
	}
	free(c->rows);
	free(c->testbed);
	memset(c, 0, sizeof(*c));
}

static void fmt_date(pg_buf *out, int64_t t)
{
	char s[32];
	time_t tt = (time_t)t;
	struct tm tm;
	if (t > 0 && gmtime_r(&tt, &tm) && strftime(s, sizeof(s), "%Y-%m-%d", &tm))
		pg_buf_puts(out, s);
	else
		pg_buf_puts(out, "-");
}

static void fmt_p(pg_buf *out, double p)
{
	if (isnan(p))
		pg_buf_puts(out, "-");
	else
		pg_buf_printf(out, "%.2g", p);
}

static void summary(pg_buf *out, const pg_changes *c)
{
	pg_buf_printf(out, "%zu change point%s in %zu series over %zu commit%s", c->n,
		      c->n == 1 ? "" : "s", c->series, c->commits, c->commits == 1 ? "" : "s");
}

/* The commit, its date, the change and the levels before and after:
 * `after_sha` follows the commit, `sep` the date and the change, `arrow`
 * stands between the levels. */
static void change_cells(pg_buf *out, const pg_change_row *r, const char *after_sha,
			 const char *sep, const char *arrow)
{
	pg_fmt_short_sha(out, r->sha);
	pg_buf_puts(out, after_sha);
	fmt_date(out, r->time);
	pg_buf_puts(out, sep);
	pg_fmt_change(out, r->change_pct);
	pg_buf_puts(out, sep);
	pg_fmt_value(out, r->before, r->unit);
	pg_buf_puts(out, arrow);
	pg_fmt_value(out, r->after, r->unit);
}

static void write_term(pg_buf *out, const pg_changes *c)
{
	pg_buf_puts(out, "perfgate changes on testbed ");
	pg_escape_term(out, c->testbed ? c->testbed : "");
	pg_buf_puts(out, ": ");
	summary(out, c);
	pg_buf_puts(out, c->truncated ? " (history ends early: shallow clone)\n" : "\n");
	for (size_t i = 0; i < c->n; i++) {
		const pg_change_row *r = &c->rows[i];
		if (!i || strcmp(r->bench, c->rows[i - 1].bench) || strcmp(r->metric, c->rows[i - 1].metric)) {
			pg_buf_puts(out, "\n");
			pg_escape_term(out, r->bench);
			pg_buf_puts(out, " ");
			pg_escape_term(out, r->metric);
			pg_buf_puts(out, ":\n");
		}
		pg_buf_printf(out, "  %-8s  ", pg_severity_name(r->severity));
		change_cells(out, r, "  ", "  ", " -> ");
		pg_buf_printf(out, "  (%zu/%zu commits, p ", r->n_before, r->n_after);
		fmt_p(out, r->p);
		pg_buf_puts(out, ")  ");
		pg_escape_term(out, r->subject ? r->subject : "");
		pg_buf_puts(out, "\n");
	}
}

static void write_markdown(pg_buf *out, const pg_changes *c)
{
	pg_buf_puts(out, "### perfgate: change points on testbed ");
	pg_escape_markdown(out, c->testbed ? c->testbed : "");
	pg_buf_puts(out, "\n\n");
	summary(out, c);
	pg_buf_puts(out, c->truncated ? " (history ends early: shallow clone).\n" : ".\n");
	if (!c->n)
		return;
	pg_buf_puts(out, "\n| Severity | Benchmark | Metric | Commit | Date | Change | Before | After "
			 "| Commits | p | Subject |\n|---|---|---|---|---|---:|---:|---:|---:|---:|---|\n");
	for (size_t i = 0; i < c->n; i++) {
		const pg_change_row *r = &c->rows[i];
		pg_buf_printf(out, "| %s | ", pg_severity_name(r->severity));
		pg_escape_markdown(out, r->bench);
		pg_buf_puts(out, " | ");
		pg_escape_markdown(out, r->metric);
		pg_buf_puts(out, " | `");
		change_cells(out, r, "` | ", " | ", " | ");
		pg_buf_printf(out, " | %zu / %zu | ", r->n_before, r->n_after);
		fmt_p(out, r->p);
		pg_buf_puts(out, " | ");
		pg_escape_markdown(out, r->subject ? r->subject : "");
		pg_buf_puts(out, " |\n");
	}
}

static void write_json(pg_buf *out, const pg_changes *c)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < c->n; i++) {
		const pg_change_row *r = &c->rows[i];
		json_t *o = json_object();
		json_object_set_new(o, "benchmark", pg_json_text(r->bench));
		json_object_set_new(o, "metric", pg_json_text(r->metric));
		json_object_set_new(o, "unit", pg_json_text(r->unit ? r->unit : ""));
		json_object_set_new(o, "direction",
				    json_string(r->higher_is_better ? "higher_is_better"
								    : "lower_is_better"));
		json_object_set_new(o, "commit", json_string(r->sha));
		json_object_set_new(o, "subject", pg_json_text(r->subject));
		json_object_set_new(o, "time", json_integer((json_int_t)r->time));
		json_object_set_new(o, "before", pg_json_number(r->before));
		json_object_set_new(o, "after", pg_json_number(r->after));
		json_object_set_new(o, "change_pct", pg_json_number(r->change_pct));
		json_object_set_new(o, "p", pg_json_number(r->p));
		json_object_set_new(o, "commits_before", json_integer((json_int_t)r->n_before));
		json_object_set_new(o, "commits_after", json_integer((json_int_t)r->n_after));
		json_object_set_new(o, "severity", json_string(pg_severity_name(r->severity)));
		json_array_append_new(rows, o);
	}
	json_t *doc = json_object();
	json_object_set_new(doc, "format", json_string("perfgate-changes"));
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "testbed", pg_json_text(c->testbed ? c->testbed : ""));
	json_object_set_new(doc, "head", json_string(c->head));
	json_object_set_new(doc, "since", c->since[0] ? json_string(c->since) : json_null());
	json_object_set_new(doc, "commits", json_integer((json_int_t)c->commits));
	json_object_set_new(doc, "series", json_integer((json_int_t)c->series));
	json_object_set_new(doc, "truncated", json_boolean(c->truncated));
	json_object_set_new(doc, "changes", rows);
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	pg_buf_puts(out, s ? s : "{}");
	pg_buf_putc(out, '\n');
	free(s);
	json_decref(doc);
}

int pg_changes_write(pg_buf *out, const pg_changes *c, const char *format)
{
	if (!strcmp(format, "term"))
		write_term(out, c);
	else if (!strcmp(format, "markdown"))
		write_markdown(out, c);
	else if (!strcmp(format, "json"))
		write_json(out, c);
	else
		return pg_error_set(PG_EUSAGE, "--format: expected term, markdown or json");
	return 0;
}
