/*
 * report_text.c - the pieces of a report that the plain, Markdown and
 * HTML writers share (failures, noise advice, the baseline sentence), each
 * written once and marked up per format from one table.
 */
#include "format.h"
#include "report.h"

#include <string.h>

typedef struct markup {
	const char *list, *item, *item_end, *list_end;  /* a bulleted list */
	const char *strong, *strong_end, *code, *code_end;
	const char *noisy_head, *noisy_head_end;        /* around "(N)" */
	void (*escape)(pg_buf *out, const char *s);
} markup;

static const markup markups[] = {
	[PG_TEXT_PLAIN] = { "", "  ", "\n", "", "", "", "", "",
			    "\ntoo noisy to see a change at the notice threshold (", "):\n",
			    pg_escape_term },
	[PG_TEXT_MARKDOWN] = { "", "- ", "\n", "", "**", "**", "`", "`",
			       "\n**Too noisy to see every change** (", "):\n", pg_escape_markdown },
	[PG_TEXT_HTML] = { "<ul>\n", "<li>", "</li>\n", "</ul>\n", "<b>", "</b>", "<code>", "</code>",
			   "<h2>Too noisy to see every change (", ")</h2>\n", pg_escape_html },
};

void pg_report_list_failures(pg_buf *out, const pg_report *r, pg_text_style style)
{
	const markup *m = &markups[style];
	if (!r->counts[PG_SEV_FAILED] && !r->counts[PG_SEV_MISSING])
		return;
	pg_buf_puts(out, m->list);
	for (size_t i = 0; i < r->nrows; i++) {
		if (!r->rows[i].reason)
			continue;
		pg_buf_printf(out, "%s%s", m->item, m->strong);
		m->escape(out, r->rows[i].bench);
		pg_buf_printf(out, "%s %s: ", m->strong_end, pg_severity_name(r->rows[i].v.severity));
		m->escape(out, r->rows[i].reason);
		pg_buf_puts(out, m->item_end);
	}
	pg_buf_puts(out, m->list_end);
}

void pg_report_list_warnings(pg_buf *out, const pg_report *r, pg_text_style style)
{
	const markup *m = &markups[style];
	if (!r->nwarnings)
		return;
	pg_buf_puts(out, m->list);
	for (size_t i = 0; i < r->nwarnings; i++) {
		pg_buf_puts(out, m->item);
		m->escape(out, r->warnings[i]);
		pg_buf_puts(out, m->item_end);
	}
	pg_buf_puts(out, m->list_end);
}

void pg_report_noise_advice(pg_buf *out, const pg_report *r, pg_text_style style)
{
	const markup *m = &markups[style];
	size_t n = 0;
	for (size_t i = 0; i < r->nrows; i++)
		n += pg_row_too_noisy(&r->rows[i]);
	if (!n)
		return;
	pg_buf_printf(out, "%s%zu%s%s", m->noisy_head, n, m->noisy_head_end, m->list);
	for (size_t i = 0; i < r->nrows; i++) {
		const pg_result_row *row = &r->rows[i];
		if (!pg_row_too_noisy(row))
			continue;
		pg_buf_puts(out, m->item);
		m->escape(out, row->bench);
		pg_buf_putc(out, ' ');
		m->escape(out, row->metric ? row->metric : "-");
		pg_buf_printf(out, ": detects only changes above %.1f%% (notice is %.1f%%); ",
			      row->v.mdc_pct, row->notice);
		m->escape(out, row->unit && strstr(row->unit, "instr") ? "add runs"
			  : "add runs, pin it to a CPU (\"cpu\"), or gate on instructions");
		pg_buf_puts(out, m->item_end);
	}
	pg_buf_puts(out, m->list_end);
}

/* A commit id in a code span, when it is hex; escaping does not work
 * inside a Markdown code span, so anything else is written as escaped
 * text (the readers refuse such ids; this is the writers' own guard). */
static void short_sha_code(pg_buf *out, const char *sha, const markup *m)
{
	pg_buf s = PG_BUF_INIT;
	pg_fmt_short_sha(&s, sha);
	if (sha && strspn(s.ptr, "0123456789abcdef") == s.len) {
		pg_buf_printf(out, "%s%s%s", m->code, s.ptr, m->code_end);
	} else {
		m->escape(out, s.ptr);
	}
	pg_buf_free(&s);
}

void pg_report_describe_baseline(pg_buf *out, const pg_report *r, pg_text_style style)
{
	const markup *m = &markups[style];
	pg_buf_puts(out, "Compared ");
	short_sha_code(out, r->commit, m);
	pg_buf_puts(out, r->dirty ? " (dirty tree) against " : " against ");
	if (r->ab) {
		short_sha_code(out, r->base_commit, m);
		pg_buf_printf(out, " in A/B mode: %s%zu pairs, interleaved on the same runner,",
			      r->ab_adaptive ? "adaptive, up to " : "", r->ab_pairs);
	} else {
		pg_buf_printf(out, "%zu baseline commit%s (window %d) from ", r->baseline_commits,
			      r->baseline_commits == 1 ? "" : "s", r->window);
		m->escape(out, r->base_ref ? r->base_ref : "?");
		pg_buf_puts(out, " at ");
		short_sha_code(out, r->base_commit, m);
	}
	pg_buf_puts(out, " on testbed ");
	m->escape(out, r->testbed ? r->testbed : "?");
	pg_buf_puts(out, r->history_truncated ? ". History ends early (shallow clone?)." : ".");
}

void pg_report_confirm_text(pg_buf *out, const pg_result_row *row)
{
	if (row->confirm == PG_CONFIRM_NONE)
		return;
	pg_buf_puts(out, "history ");
	pg_fmt_change(out, row->hist_change);
	pg_buf_printf(out, " %s; %s: ", pg_severity_name(row->hist_severity),
		      row->confirm == PG_CONFIRM_YES ? "confirmed by A/B" : "not confirmed");
	pg_fmt_change_ci(out, row->v.change_pct, row->v.ci_low, row->v.ci_high);
	if (row->confirm == PG_CONFIRM_NO)
		pg_buf_puts(out, !row->v.significant ? " (runner drift)"
				 : row->v.severity == PG_SEV_IMPROVED ? " (an improvement)"
				 : " (significant, below notice)");
}

void pg_report_list_confirmations(pg_buf *out, const pg_report *r, pg_text_style style)
{
	const markup *m = &markups[style];
	pg_buf text = PG_BUF_INIT;
	if (!r->confirm_level)
		return;
	if (!r->confirm_base) {
		pg_buf_printf(out, "%s%snothing reached %s: nothing re-measured (--confirm)%s%s", m->list,
			      m->item, pg_severity_name((pg_severity)r->confirm_level), m->item_end,
			      m->list_end);
		return;
	}
	pg_buf_printf(out, "%s%sre-measured as A/B against ", m->list, m->item);
	short_sha_code(out, r->confirm_base, m);
	pg_buf_printf(out, ", %zu pairs, interleaved on this runner%s", r->confirm_pairs, m->item_end);
	for (size_t i = 0; i < r->nrows; i++) {
		const pg_result_row *row = &r->rows[i];
		if (row->confirm == PG_CONFIRM_NONE)
			continue;
		pg_buf_printf(out, "%s%s", m->item, m->strong);
		m->escape(out, row->bench);
		pg_buf_putc(out, ' ');
		m->escape(out, row->metric ? row->metric : "-");
		pg_buf_printf(out, "%s: ", m->strong_end);
		pg_buf_clear(&text);
		pg_report_confirm_text(&text, row);
		m->escape(out, text.ptr);
		pg_buf_puts(out, m->item_end);
	}
	pg_buf_puts(out, m->list_end);
	pg_buf_free(&text);
}
