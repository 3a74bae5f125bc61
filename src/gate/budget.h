/*
 * budget.h - checking the "budgets" of perfgate.json (absolute limits on a
 * metric's median) against a run: on every run, with or without history,
 * in every mode (run, check, compare, A/B).  A breach is a row of its own
 * in the report's "targets versus actual" table and fails the gate at or
 * above fail_on whatever the relative judgement says.
 */
#ifndef PG_BUDGET_H
#define PG_BUDGET_H

#include "config.h"
#include "report.h"
#include "results.h"

/* Adds to `r` one budget row per result of `current` (failed results
 * excepted), budget and bound that `cfg` gives it (pg_config_budgets): the
 * median of its samples against the bound, converted to the result's unit.
 * A benchmark's own budget for a metric it did not produce, and a bound
 * whose unit cannot be converted to the result's ("2 s" for a result in
 * KiB), are breaches with a reason; a top-level budget applies only to
 * results that have the metric.  Rows are sorted breaches first.  Call
 * pg_report_finish() after. */
void pg_gate_check_budgets(pg_report *r, const pg_run *current, const pg_config *cfg);

/* A report of the budgets alone, for a run judged against nothing else
 * (`perfgate run`): finished, passed unless a breach fails at `fail_on`. */
pg_report *pg_gate_budget_report(const pg_run *current, const pg_config *cfg, int fail_on);

#endif
