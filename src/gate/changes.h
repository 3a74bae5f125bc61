/*
 * changes.h - change points along the first-parent history (`perfgate
 * changes`): per benchmark, metric and testbed, the per-commit medians go
 * to pg_cp_detect() (src/stats/changepoint.h) and every change point
 * becomes a row of a pg_changes list (src/report/report_changes.h).
 */
#ifndef PG_GATE_CHANGES_H
#define PG_GATE_CHANGES_H

#include "changepoint.h"
#include "report_changes.h"
#include "config.h"
#include "repo.h"
#include "store.h"

typedef struct pg_changes_opts {
	const pg_config *cfg;  /* thresholds (per benchmark) and retired names */
	const char *start;     /* the newest commit (a SHA) */
	const char *since;     /* NULL, or the oldest commit to look at (a SHA
				* that `start` reaches; it is the first point) */
	const char *testbed;
	const char *bench;     /* only this result, or NULL: all */
	const char *metric;    /* only this metric, or NULL: all */
	size_t max_commits;    /* at most this many commits with results
				* (0: PG_BASELINE_MAX_WALK) */
	pg_cp_options cp;
} pg_changes_opts;

/* Walks the first parents of o->start (clean runs only, comparable
 * results only: baseline.h) and fills `out` (an empty, zeroed list) with
 * the change points of every series, sorted by benchmark and metric, each
 * oldest first.  Severity: pg_judge_severity() of the change (signed so
 * that positive is worse) with the benchmark's thresholds.  Results left
 * out as not comparable are said through pg_warn().  Errors from the
 * store or the repository; on error `out` holds what was found so far
 * (free it either way). */
int pg_changes_find(pg_changes *out, pg_repo *repo, pg_store *store, const pg_changes_opts *o);

#endif
