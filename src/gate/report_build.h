/*
 * report_build.h - judging a run against its baseline into a report.
 *
 * pg_report_build() judges every benchmark and metric of the current run
 * against the baseline and decides the verdict.
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
#ifndef PG_REPORT_BUILD_H
#define PG_REPORT_BUILD_H

#include "baseline.h"
#include "config.h"
#include "report.h"

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

#endif
