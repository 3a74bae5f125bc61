/*
 * gate_drift.h - on the base branch itself, the judgement also looks for a
 * change point that the judged commit completes: a drift that no single
 * commit showed ("slowed down 8.1 % over 12 commits since abc1234").
 */
#ifndef PG_GATE_DRIFT_H
#define PG_GATE_DRIFT_H

#include "gate.h"

/* For every judged row of `r` (a metric with a value and a history):
 * the per-commit medians of the last PG_CP window (100) commits with
 * comparable results before `current`, then current's median, go to
 * pg_cp_detect(); the newest change point is "completed" by `current` when
 * the series without it has no change point within min_size commits of
 * it.  The drift runs from the oldest of the change points just before it
 * that went the same way (a slow drift is found as a staircase) to now:
 * its change is the mean after the newest over the mean before the
 * oldest, and a warning says so (pg_warn: "NAME METRIC: slowed down 8.1 %
 * over 12 commits since abc1234 ..."), and when the change is a
 * regression whose severity by the benchmark's thresholds is above the
 * row's, the row takes that severity, so fail_on judges the drift as it
 * judges a step.  `base` is the judgement's baseline (first parents of
 * `current`, skip_start): when it already holds every commit with results
 * (fewer than its window) it is the history looked at, else a longer one
 * is read.  Call before pg_report_finish().  Problems reading the
 * history are warnings: the report stands without this. */
void pg_gate_drift(pg_report *r, const pg_gate_env *env, const pg_run *current,
		   const pg_baseline *base);

#endif
