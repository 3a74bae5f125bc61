/*
 * github_text.c - the text perfgate hands to GitHub (see github.h): the
 * comment body, workflow commands (annotations) and the job summary.
 */
#include "error.h"
#include "format.h"
#include "github.h"

#include <stdio.h>
#include <string.h>

void pg_github_comment_body(pg_buf *out, const pg_report *r, const char *marker,
			    const char *run_url, size_t max_len)
{
	pg_markdown_opts mo = { marker, run_url, max_len };
	pg_report_write_markdown_opts(out, r, &mo);
}

void pg_github_escape_data(pg_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '%')
			pg_buf_puts(out, "%25");
		else if (*s == '\r')
			pg_buf_puts(out, "%0D");
		else if (*s == '\n')
			pg_buf_puts(out, "%0A");
		else
			pg_buf_putc(out, *s);
	}
}

void pg_github_escape_property(pg_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == ':')
			pg_buf_puts(out, "%3A");
		else if (*s == ',')
			pg_buf_puts(out, "%2C");
		else {
			char one[2] = { *s, 0 };
			pg_github_escape_data(out, one);
		}
	}
}

static const char *annotation_level(pg_severity s)
{
	switch (s) {
	case PG_SEV_FAILED:
	case PG_SEV_MISSING:
	case PG_SEV_CRITICAL:
		return "error";
	case PG_SEV_WARNING:
		return "warning";
	case PG_SEV_NOTICE:
	case PG_SEV_IMPROVED:
		return "notice";
	default:
		return NULL;
	}
}

/* One workflow command: both texts made inert (terminal escapes) and
 * escaped for the command's property and data. */
static void annotate(pg_buf *out, const char *level, const char *title, const char *msg)
{
	pg_buf clean = PG_BUF_INIT;
	pg_buf_printf(out, "::%s title=", level);
	pg_escape_term(&clean, title);
	pg_github_escape_property(out, clean.ptr);
	pg_buf_puts(out, "::");
	pg_buf_clear(&clean);
	pg_escape_term(&clean, msg);
	pg_github_escape_data(out, clean.ptr);
	pg_buf_putc(out, '\n');
	pg_buf_free(&clean);
}

void pg_github_annotations(pg_buf *out, const pg_report *r)
{
	pg_buf title = PG_BUF_INIT, msg = PG_BUF_INIT;
	for (size_t i = 0; i < r->nrows; i++) {
		const pg_result_row *row = &r->rows[i];
		const char *level = annotation_level(row->v.severity);
		if (!level)
			continue;
		pg_buf_clear(&title);
		pg_buf_clear(&msg);
		pg_buf_printf(&title, "perfgate: %s", row->bench);
		if (row->reason || !row->metric) {
			pg_buf_printf(&msg, "%s %s: %s", row->bench, pg_severity_name(row->v.severity),
				      row->reason ? row->reason : "no reason given");
		} else {
			pg_buf_printf(&msg, "%s %s %s: ", row->bench, row->metric,
				      pg_severity_name(row->v.severity));
			pg_fmt_change(&msg, row->v.change_pct);
			pg_buf_puts(&msg, " (");
			pg_fmt_value(&msg, row->v.baseline, row->unit);
			pg_buf_puts(&msg, " -> ");
			pg_fmt_value(&msg, row->v.current, row->unit);
			pg_buf_puts(&msg, ")");
		}
		annotate(out, level, title.ptr, msg.ptr);
	}
	/* breached budgets, and complexity classes that changed */
	for (size_t i = 0; i < r->nbudgets; i++) {
		const pg_budget_row *b = &r->budgets[i];
		if (!b->breached)
			continue;
		pg_buf_clear(&title);
		pg_buf_clear(&msg);
		pg_buf_printf(&title, "perfgate: %s", b->bench);
		pg_buf_printf(&msg, "%s %s budget: ", b->bench, b->metric);
		pg_budget_describe(&msg, b);
		annotate(out, annotation_level(b->severity), title.ptr, msg.ptr);
	}
	for (size_t i = 0; i < r->ncomplexity; i++) {
		const pg_complexity_row *c = &r->complexity[i];
		const char *level = annotation_level(c->severity);
		if (!level)
			continue;
		pg_buf_clear(&title);
		pg_buf_clear(&msg);
		pg_buf_printf(&title, "perfgate: %s", c->family);
		pg_buf_printf(&msg, "%s %s complexity: ", c->family, c->metric);
		pg_complexity_describe(&msg, c);
		annotate(out, level, title.ptr, msg.ptr);
	}
	pg_buf_free(&title);
	pg_buf_free(&msg);
}

int pg_github_append_summary(const char *path, const char *markdown)
{
	FILE *f = fopen(path, "a");
	if (!f)
		return pg_error_set(PG_ERUNTIME, "%s: cannot open the job summary", path);
	int ok = fputs(markdown, f) >= 0 && fputc('\n', f) != EOF;
	if (fclose(f) != 0 || !ok)
		return pg_error_set(PG_ERUNTIME, "%s: cannot write the job summary", path);
	return 0;
}
