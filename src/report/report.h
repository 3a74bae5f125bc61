/*
 * report.h - the judged outcome of a run, and the writers that show it.
 *
 * A report is built by gate/report_build.c (judging a run against its
 * baseline) or read back from a report file (report_read.c); the writers
 * only format it.  pg_report_finish() sorts the rows most severe first
 * (failed, missing, critical, warning, notice, improved, new, ok), then by
 * the size of the change.
 */
#ifndef PG_REPORT_H
#define PG_REPORT_H

#include "buf.h"
#include "explained.h"
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

/* A budget ("budgets" in perfgate.json) against the run: one row per
 * benchmark result, metric and bound (gate/budget.h fills them). */
typedef struct pg_budget_row {
	char *bench;
	char *metric;
	char *unit;             /* the metric's unit; NULL when it was not measured */
	int is_max;             /* a "max" (else a "min") */
	char *target;           /* the bound as written in perfgate.json ("100 MiB") */
	double limit;           /* the bound in `unit`; NAN when it cannot be converted */
	double actual;          /* median of the current samples; NAN when not measured */
	pg_severity severity;   /* of a breach: notice, warning or critical */
	int breached;           /* breached, not measured, or in an incompatible unit */
	char *reason;           /* NULL, or why it could not be checked */
} pg_budget_row;

/* A family of results that differ by one size parameter ("sort/1024",
 * "sort/4096"...), fitted to a complexity class (stats/complexity.h) in
 * this run and in the baseline (gate/complexity_check.h fills them). */
typedef struct pg_complexity_row {
	char *family;           /* "sort" for sort/N */
	char *metric;           /* the cost fitted */
	int base_cls;           /* pg_complexity of the baseline, -1: none or undecided */
	int cls;                /* this run's, -1: undecided */
	int budget;             /* "complexity" in perfgate.json, -1: none */
	double coef;            /* cost = coef * f(n), in the metric's unit; NAN if undecided */
	double nrms;            /* the fit's normalised RMS */
	size_t sizes;           /* points fitted */
	pg_severity severity;   /* critical: worse than the baseline or the budget */
	char *note;             /* NULL, or why something could not be told */
} pg_complexity_row;
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
	pg_budget_row *budgets; /* targets versus actual */
	size_t nbudgets, balloc;
	pg_complexity_row *complexity;
	size_t ncomplexity, calloc;
	int confirm_level;      /* --confirm: 0 off, else the pg_severity screened from */
	char *confirm_base;     /* --confirm: the base re-measured against, NULL when
				 * nothing was flagged */
	size_t confirm_pairs;   /* the most pairs of any re-measured result */
	pg_explain *explains;   /* check --explain: one per flagged benchmark */
	size_t nexplains;
	long github_pr;         /* pull request the report was made for, 0 if none */
	char *github_sha;       /* its head commit, or NULL */
} pg_report;

void pg_report_free(pg_report *r);
/* Adds an empty row (for builders and parsers). */
pg_result_row *pg_report_add_row(pg_report *r, const char *bench);
/* Adds a row without numbers: a failed or missing result and why. */
pg_result_row *pg_report_add_status(pg_report *r, const char *bench, pg_severity severity,
				    const char *reason);
/* Sorts the rows, counts severities and decides the verdict. */
void pg_report_finish(pg_report *r);
void pg_report_add_warning(pg_report *r, const char *msg);
/* Adds a budget row (copies of the strings; `unit` and `reason` may be NULL). */
pg_budget_row *pg_report_add_budget(pg_report *r, const char *bench, const char *metric,
				    const char *unit, int is_max, const char *target);
/* Whether a budget row fails the gate: breached at or above fail_on. */
int pg_budget_fails_gate(const pg_report *r, const pg_budget_row *b);
/* Adds a complexity row (report_complexity.c; copies the strings). */
pg_complexity_row *pg_report_add_complexity(pg_report *r, const char *family, const char *metric);
/* Whether a complexity row fails the gate. */
int pg_complexity_fails_gate(const pg_report *r, const pg_complexity_row *c);
/* "O(n log n) -> O(n^2): worse" and the like, unescaped. */
void pg_complexity_describe(pg_buf *out, const pg_complexity_row *c);
/* How many complexity rows are regressions (critical). */
size_t pg_report_complexity_regressions(const pg_report *r);
/* "max 100 MiB, actual 120.0 MiB: BREACHED (critical)", unescaped. */
void pg_budget_describe(pg_buf *out, const pg_budget_row *b);
/* How many budget rows are breached. */
size_t pg_report_breaches(const pg_report *r);

/* Whether the row fails the gate: a failed benchmark, or a regression (or
 * a missing result) at or above fail_on. */
int pg_row_fails_gate(const pg_report *r, const pg_result_row *row);
/* Whether the row's noise hides changes as small as its notice threshold. */
int pg_row_too_noisy(const pg_result_row *row);
/* The text formats that embed shared pieces of a report. */
typedef enum pg_text_style { PG_TEXT_PLAIN, PG_TEXT_MARKDOWN, PG_TEXT_HTML } pg_text_style;
/* The "targets versus actual" table of the budgets (nothing without any),
 * every field escaped for `style` (plain: for the terminal; report_budget.c). */
void pg_report_write_budgets(pg_buf *out, const pg_report *r, pg_text_style style);
/* The table of complexity fits (nothing without any), escaped for `style`. */
void pg_report_write_complexity(pg_buf *out, const pg_report *r, pg_text_style style);
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
