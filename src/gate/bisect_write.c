/*
 * bisect_write.c - the outcome of a bisection as text and JSON (see bisect.h).
 *
 * JSON: {"found", "refused", "message", "benchmark", "metric",
 *        "first_bad": {"commit", "subject", "author", "date"} | null,
 *        "last_good", "change_pct", "p", "confidence", "candidates",
 *        "builds", "probes": [{"commit", "median", "samples", "verdict",
 *        "source": "measured"|"history", "reason"}]}
 */
#include "bisect.h"
#include "json_value.h"
#include "error.h"
#include "format.h"
#include "report.h"
#include "utf8.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

static void iso_date(char *buf, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* Text perfgate did not write itself (commit subjects and authors, a
 * probe's failure reason) for a terminal: valid UTF-8, no control
 * characters. */
static void put_text(pg_buf *out, const char *s)
{
	pg_utf8_printable(out, s, 500);
}

void pg_bisect_write_term(pg_buf *out, const pg_bisect_result *r, pg_repo *repo,
			  const char *bench, const char *metric, const char *unit)
{
	pg_commit_info info;
	char date[64];
	if (r->found && pg_repo_commit_info(repo, r->first_bad, &info) == 0) {
		iso_date(date, sizeof(date), info.time);
		pg_buf_printf(out, "first bad commit: %s\n  subject: ", r->first_bad);
		put_text(out, info.subject);
		pg_buf_puts(out, "\n  author:  ");
		put_text(out, info.author);
		pg_buf_printf(out, "\n  date:    %s\n", date);
		pg_buf_printf(out, "  step:    ");
		pg_fmt_change(out, r->change_pct);
		pg_buf_printf(out, " in %s %s (p = %.2g, confidence %.4f%%)\n  after:   %.12s (last good)\n",
			      bench, metric, r->p, (1 - r->p) * 100, r->last_good);
		pg_commit_info_free(&info);
	} else {
		pg_buf_printf(out, "%s: ", r->refused ? "refused" : "inconclusive");
		put_text(out, r->message ? r->message : "no answer");
		pg_buf_putc(out, '\n');
	}
	pg_buf_puts(out, "\nprobes (in the order taken):\n");
	for (size_t i = 0; i < r->nprobes; i++) {
		const pg_probe *p = &r->probes[i];
		pg_buf v = PG_BUF_INIT;
		pg_fmt_value(&v, p->median, unit);
		pg_buf_printf(out, "  %.12s  %12s  %4zu  %-9s  %s", p->sha, v.ptr, p->samples,
			      pg_probe_verdict_name(p->verdict), p->measured ? "measured" : "history");
		if (p->reason) {
			pg_buf_puts(out, ": ");
			put_text(out, p->reason);
		}
		pg_buf_putc(out, '\n');
		pg_buf_free(&v);
	}
	pg_buf_printf(out, "\n%zu candidate commit%s, %zu build%s\n", r->candidates,
		      r->candidates == 1 ? "" : "s", r->builds, r->builds == 1 ? "" : "s");
}

int pg_bisect_write_json(pg_buf *out, const pg_bisect_result *r, pg_repo *repo,
			 const char *bench, const char *metric)
{
	json_t *probes = json_array(), *first = json_null();
	pg_commit_info info;
	char date[64];
	for (size_t i = 0; i < r->nprobes; i++) {
		const pg_probe *p = &r->probes[i];
		json_t *j = json_pack("{s:s, s:o, s:I, s:s, s:s}", "commit", p->sha, "median",
				      pg_json_number(p->median), "samples", (json_int_t)p->samples, "verdict",
				      pg_probe_verdict_name(p->verdict), "source",
				      p->measured ? "measured" : "history");
		if (p->reason)
			json_object_set_new(j, "reason", pg_json_text(p->reason));
		json_array_append_new(probes, j);
	}
	if (r->found && pg_repo_commit_info(repo, r->first_bad, &info) == 0) {
		iso_date(date, sizeof(date), info.time);
		first = json_pack("{s:s, s:o, s:o, s:s}", "commit", r->first_bad, "subject",
				  pg_json_text(info.subject), "author", pg_json_text(info.author), "date", date);
		pg_commit_info_free(&info);
	}
	json_t *doc = json_pack("{s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:o}",
				"found", r->found, "refused", r->refused, "message", pg_json_text(r->message),
				"benchmark", pg_json_text(bench), "metric", pg_json_text(metric), "first_bad", first,
				"last_good", r->found ? json_string(r->last_good) : json_null(),
				"change_pct", pg_json_number(r->found ? r->change_pct : NAN), "p",
				pg_json_number(r->found ? r->p : NAN), "confidence", pg_json_number(r->found ? 1 - r->p : NAN),
				"candidates", (json_int_t)r->candidates, "builds",
				(json_int_t)r->builds, "probes", probes);
	char *s = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;
	json_decref(doc);
	if (!s)
		return pg_error_set(PG_ERUNTIME, "cannot write the bisect result as JSON");
	pg_buf_puts(out, s);
	pg_buf_putc(out, '\n');
	free(s);
	return 0;
}
