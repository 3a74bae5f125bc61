/*
 * report.h - the judged outcome of a run, and the writers that show it.
 *
 * pg_report_build() judges every benchmark and metric of the current run
 * against the baseline and decides the verdict; the writers only format.
 * Rows are sorted most severe first (failed, missing, critical, warning,
 * notice, improved, new, ok), then by the size of the change.
 *
 * A result that the baseline's newest commit has (or had, and it failed
 * there) and the current run does not is `missing` (one row per result,
 * metric NULL, with a reason): a benchmark that disappears must not pass
 * unseen.  Only results the run could have produced count: those of a
 * benchmark in the config, or stored with a definition (made by `perfgate
 * run`, not imported), unless the config lists them in "retired", and not
 * those of a benchmark that failed (already `failed`).  A benchmark that
 * the base commit's own perfgate.json has and the config does not is
 * `missing` too (one row for the benchmark), whatever is stored.  A result
 * whose baseline has samples measured with another definition only (none
 * with its own) is `missing` as well: its history ends there (its metrics
 * are `new`).  `missing` is above every regression, so it fails the gate
 * unless fail_on is never; "retired" acknowledges each case.
 */
#ifndef PG_REPORT_H
#define PG_REPORT_H

#include "baseline.h"
#include "explained.h"
#include "config.h"
#include "judge.h"
#include "results.h"

#include <stdio.h>

typedef struct pg_result_row {
	char *bench;
	char *metric;           /* NULL for a failed benchmark */
	char *unit;
	int higher_is_better;
	char *reason;           /* why the benchmark failed, or is missing */
	double notice;          /* its notice threshold, % */
	size_t outliers;        /* current samples flagged by the median/MAD rule (kept) */
	pg_verdict v;
	pg_samples history;     /* per-commit medians, oldest first, then current */
	int confirm;            /* pg_confirm_state: re-measured as A/B by --confirm */
	double hist_change;     /* with confirm: the history verdict it replaced, */
	pg_severity hist_severity; /* change in % and severity */
} pg_result_row;

/* check --confirm (src/gate/confirm.h): what became of a row the history
 * rule flagged.  YES and NO: `v` is the A/B verdict now, the history one
 * is in hist_change/hist_severity. */
typedef enum pg_confirm_state {
	PG_CONFIRM_NONE = 0,  /* not re-measured */
	PG_CONFIRM_YES,       /* A/B found a regression (notice or worse) */
	PG_CONFIRM_NO         /* A/B did not: runner drift */
} pg_confirm_state;

typedef struct pg_report {
	char *commit;
	char *branch;
	int dirty;
	char *testbed;
	char *base_ref;         /* what the user asked to compare with, e.g. "main" */
	char *base_commit;      /* where the baseline walk started */
	int window;
	size_t baseline_commits;
	int history_truncated;
	int fail_on;
	int passed;
	size_t counts[PG_SEV_FAILED + 1];
	pg_result_row *rows;
	size_t nrows, alloc;
	char **warnings;
	size_t nwarnings, walloc;
	int ab;                 /* A/B mode: base_commit measured on this runner */
	size_t ab_pairs;        /* pairs used (the most of any benchmark) */
	int ab_adaptive;        /* pairs stopped early once the answer was clear */
	int confirm_level;      /* --confirm: 0 off, else the pg_severity screened from */
	char *confirm_base;     /* --confirm: the base re-measured against, NULL when
				 * nothing was flagged */
	size_t confirm_pairs;   /* the most pairs of any re-measured result */
	pg_explain *explains;   /* check --explain: one per flagged benchmark */
	size_t nexplains;
	long github_pr;         /* pull request the report was made for, 0 if none */
	char *github_sha;       /* its head commit, or NULL */
} pg_report;

typedef struct pg_report_opts {
	const pg_config *cfg;
	const char *base_ref;
	const char *base_commit;
	int fail_on;
} pg_report_opts;

/* Judges `current` against `base` into a new report, with the `missing`
 * rows of `base`'s newest commit (the checks against the base's
 * perfgate.json and of changed definitions are the caller's: gate.c). */
pg_report *pg_report_build(const pg_run *current, const pg_baseline *base,
			   const pg_report_opts *opts);
/* Adds the `missing` rows (above) for `current` against `base`'s newest
 * commit (base may be NULL) and against `base_cfg`, the perfgate.json of
 * commit `base_sha` (NULL: none known); `cfg` is the config in use.  A
 * result that has a status row already gets no other.  Call
 * pg_report_finish() after.  Retired results are said through pg_warn(). */
void pg_report_add_missing(pg_report *r, const pg_run *current, const pg_baseline *base,
			   const pg_config *cfg, const pg_config *base_cfg, const char *base_sha);
/* Adds a `missing` row for each result of `current` whose baseline holds
 * samples under another definition only (base's notes), naming the
 * fields that changed when `base_cfg` (may be NULL) has the benchmark. */
void pg_report_add_redefined(pg_report *r, const pg_run *current, const pg_baseline *base,
			     const pg_config *cfg, const pg_config *base_cfg);
void pg_report_free(pg_report *r);
/* Adds an empty row (for builders and parsers). */
pg_result_row *pg_report_add_row(pg_report *r, const char *bench);
/* Adds a row without numbers: a failed or missing result and why. */
pg_result_row *pg_report_add_status(pg_report *r, const char *bench, pg_severity severity,
				    const char *reason);
/* Sorts the rows, counts severities and decides the verdict. */
void pg_report_finish(pg_report *r);
void pg_report_add_warning(pg_report *r, const char *msg);
/* Whether the row fails the gate: a failed benchmark, or a regression (or
 * a missing result) at or above fail_on. */
int pg_row_fails_gate(const pg_report *r, const pg_result_row *row);
/* Whether the row's noise hides changes as small as its notice threshold. */
int pg_row_too_noisy(const pg_result_row *row);
/* The text formats that embed shared pieces of a report. */
typedef enum pg_text_style { PG_TEXT_PLAIN, PG_TEXT_MARKDOWN, PG_TEXT_HTML } pg_text_style;
/* "- **bench** failed: reason", one per failed (or missing) benchmark. */
void pg_report_list_failures(pg_buf *out, const pg_report *r, pg_text_style style);
/* "Compared <head> against 6 baseline commits (window 20) from main at
 * <sha> on testbed T." (or the A/B base), names escaped for `style`. */
void pg_report_describe_baseline(pg_buf *out, const pg_report *r, pg_text_style style);
/* One item per warning (a baseline that restarts at a changed benchmark
 * definition, samples left out for another unit, a shallow clone...). */
void pg_report_list_warnings(pg_buf *out, const pg_report *r, pg_text_style style);
/* With --confirm: "history +12.0 % warning; confirmed by A/B: +11.6 %
 * [10.9, 12.4]" or "... not confirmed: +0.8 % [-0.4, 2.1] (runner
 * drift)" (or "(an improvement)", "(significant, below notice)") for a
 * row re-measured (unescaped: the caller escapes). */
void pg_report_confirm_text(pg_buf *out, const pg_result_row *row);
/* One item per re-measured row, "bench metric: " and the text above; and
 * with nothing flagged, one line saying so. */
void pg_report_list_confirmations(pg_buf *out, const pg_report *r, pg_text_style style);
/* `perfgate explain`'s outcome: a table for the terminal; a JSON object. */
void pg_explain_write_term(pg_buf *out, const pg_explain *e);
void pg_explain_write_json(pg_buf *out, const pg_explain *e);
/* json_t of one outcome (for the JSON report). */
void *pg_explain_to_json(const pg_explain *e);
/* The report's explanations (check --explain): the terminal tables, or a
 * Markdown section with each benchmark's top functions collapsed in a
 * <details>, or HTML; nothing without any. */
void pg_report_write_explains(pg_buf *out, const pg_report *r, pg_text_style style);
/* One line per too-noisy row, with what to do about it. */
void pg_report_noise_advice(pg_buf *out, const pg_report *r, pg_text_style style);
/* The noise table of `perfgate noise`: CVs and minimum detectable change. */
void pg_report_write_noise(pg_buf *out, const pg_report *r);
/* "2 critical, 1 warning, 3 improved of 41" */
void pg_report_summary(pg_buf *out, const pg_report *r);

typedef enum pg_format {
	PG_FORMAT_TERM,
	PG_FORMAT_MARKDOWN,
	PG_FORMAT_JSON,
	PG_FORMAT_JUNIT,
	PG_FORMAT_HTML
} pg_format;
int pg_format_parse(const char *name, pg_format *out);

typedef struct pg_write_opts {
	int color;              /* ANSI colours (terminal format) */
} pg_write_opts;

/* Appends the report in format `fmt` to `out`. */
void pg_report_render(pg_buf *out, const pg_report *r, pg_format fmt, const pg_write_opts *o);
/* Writes the report; returns 0 or PG_ERUNTIME if the stream failed. */
int pg_report_write(FILE *out, const pg_report *r, pg_format fmt, const pg_write_opts *o);
void pg_report_write_term(pg_buf *out, const pg_report *r, const pg_write_opts *o);
void pg_report_write_markdown(pg_buf *out, const pg_report *r);

typedef struct pg_markdown_opts {
	const char *preamble;  /* written first (e.g. a hidden comment marker) */
	const char *run_url;   /* link to the CI run, or NULL */
	size_t max_len;        /* 0: no limit; else cut the collapsed table to fit */
} pg_markdown_opts;
void pg_report_write_markdown_opts(pg_buf *out, const pg_report *r, const pg_markdown_opts *o);
void pg_report_write_json(pg_buf *out, const pg_report *r);
/* JUnit XML (for CI systems that show test reports, e.g. GitLab, Jenkins):
 * one testcase per benchmark and metric; what fails the gate is a
 * <failure>, a failed benchmark an <error>. */
void pg_report_write_junit(pg_buf *out, const pg_report *r);
/* One self-contained HTML page (no scripts, no external files). */
void pg_report_write_html(pg_buf *out, const pg_report *r);
/* Reads a JSON report back (for `perfgate post`), checking every field it
 * takes (report_read.c): PG_ECORRUPT with the file, the field and what is
 * wrong ("report.json: results[3].unit: ..."). */
int pg_report_load_json(pg_report **out, const char *path);
/* One line per benchmark of a run: medians, or why it failed. */
void pg_run_write_summary(pg_buf *out, const pg_run *run);

#endif
