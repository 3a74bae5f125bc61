/*
 * complexity_check.h - complexity as a judgement: each family of results
 * that differ by one size parameter ("sort/1024", "sort/4096", ...: the
 * last part of the name a number, or NAME=number / NAME:number) with at
 * least PG_COMPLEXITY_MIN_SIZES members is fitted to O(1) ... O(n^3)
 * (stats/complexity.h) on its cost: the median of its wall_time, else
 * time_per_op, else its first lower-is-better metric.  A class worse than
 * the baseline's is a critical regression of its own ("sort: O(n log n) ->
 * O(n^2)"), even when no single size crosses a threshold; a class worse
 * than the benchmark's "complexity" budget is critical too; a fit that
 * cannot tell (too noisy, too few sizes) says so and judges nothing.
 */
#ifndef PG_COMPLEXITY_CHECK_H
#define PG_COMPLEXITY_CHECK_H

#include "config.h"
#include "report.h"
#include "results.h"

/* Adds one complexity row per family of `current`.  `before` holds the
 * baseline's runs, newest first (`nbefore` may be 0): the newest that has
 * the family is its reference.  Call pg_report_finish() after. */
void pg_gate_check_complexity(pg_report *r, const pg_run *current, const pg_run *const *before,
			      size_t nbefore, const pg_config *cfg);

#endif
