/*
 * confirm.h - check --confirm: judge by history, then re-measure only what
 * the history rule flags as A/B against the base before failing.
 *
 * A history verdict on a shared CI runner carries the runner's drift; A/B
 * cancels it but costs a build of the base and many runs.  So the history
 * rule screens, and A/B decides: when no result passes the screen, nothing
 * more is built or run; otherwise the base (the baseline's merge-base) is
 * checked out and built in a scratch directory and the benchmarks of the
 * flagged results are measured in pairs with HEAD (ab.h), and for each
 * flagged result the A/B verdict replaces the history verdict.
 *
 * The screen is looser than the gate's own rule, since A/B filters what it
 * lets through and detection can never exceed what it flags.  A result
 * passes the screen at level L (notice, warning or critical) when it is a
 * slowdown and
 *   - the history rule itself gave it L or worse, or
 *   - its change is at least PG_CONFIRM_SCREEN_FLOOR x L's threshold and
 *     the history evidence reaches a screening level: z >= PG_CONFIRM_SCREEN_Z
 *     under the sigma rule (sd 0: any change), Welch p < PG_CONFIRM_SCREEN_P
 *     with a short history.
 * New, failed and missing results, improvements and results already judged
 * as A/B are never screened in.
 */
#ifndef PG_CONFIRM_H
#define PG_CONFIRM_H

#include "ab.h"
#include "gate.h"
#include "report.h"

#define PG_CONFIRM_SCREEN_Z 1.0
#define PG_CONFIRM_SCREEN_P 0.1
#define PG_CONFIRM_SCREEN_FLOOR 0.5

/* Whether `row` passes the screen at `level` with thresholds `t`. */
int pg_confirm_screen(const pg_result_row *row, int level, const pg_thresholds *t);

/* The screen over a report: the thresholds of each row's benchmark
 * (cfg's when it has none); sets row->confirm to PG_CONFIRM_NO on those
 * that pass (a mark, until pg_confirm_apply) and returns how many do. */
size_t pg_confirm_mark(pg_report *r, const pg_config *cfg, int level);

/* For each marked row of `r` (pg_confirm_mark), the A/B verdict of the
 * same result and metric in `ab` replaces its verdict (the history one is
 * kept in hist_change/hist_severity) and the mark becomes YES (a
 * regression, notice or worse) or NO.  A marked row that `ab` does not
 * judge (the benchmark failed on a side, or no longer reports the result)
 * keeps its history verdict, unmarked, and gets a warning saying why.
 * Call pg_report_finish() after. */
void pg_confirm_apply(pg_report *r, const pg_report *ab);

/* The whole step on a history report `r` of env->head: marks at `level`;
 * when anything is marked, measures those benchmarks as A/B against
 * o->base (o->only is set here) and applies the verdicts; records level,
 * base and pairs in `r`.  *remeasured gets the number of benchmarks
 * measured again (0: no extra build, no extra run).  Errors are
 * pg_ab_measure's (a base that fails to build or set up: PG_ERUNTIME
 * naming it; PG_EINTERRUPT), and leave `r` as the history judged it. */
int pg_confirm_run(pg_report *r, const pg_gate_env *env, int level, const pg_ab_opts *o,
		   size_t *remeasured);

#endif
