/*
 * measure.h - run one configured benchmark: warm-up, repetitions, metrics.
 */
#ifndef PG_MEASURE_H
#define PG_MEASURE_H

#include "config.h"
#include "results.h"

/* Called before each warm-up (warmup = 1) or measured run, so the CLI can
 * draw a progress line.  `i` counts from 1 to `n`. */
typedef void (*pg_progress_fn)(void *payload, const char *bench, int warmup, int i, int n);

/* Runs `bc` (cwd relative to `root`) and appends its result to `run`.
 * A benchmark that fails (non-zero exit, signal, timeout, cannot start)
 * is recorded as failed with the reason and no samples; that is not an
 * error here.  Returns PG_EINTERRUPT when interrupted (nothing is added),
 * or another negative code when perfgate itself could not run it. */
int pg_measure_bench(pg_run *run, const pg_bench_config *bc, const char *root,
		     pg_progress_fn progress, void *payload);

/* Runs `bc` once in `root` and, with keep, adds what it measured to
 * `run`: one sample per metric under NAME, or for an imported format its
 * results under NAME/result (all their samples, or with collapse the median
 * of this invocation's, one value per invocation as A/B needs).  A failure
 * (of the process or of parsing its results) replaces the benchmark's
 * results by one failed NAME whose reason starts with `label`.  *wall_ns
 * (if given) gets the wall time.  Returns PG_EINTERRUPT when interrupted. */
int pg_measure_invocation(pg_run *run, const pg_bench_config *bc, const char *root, int keep,
			  int collapse, const char *label, double *wall_ns);

/* Marks benchmark `family` failed in `run`: its results ("NAME" and
 * "NAME/...") are replaced by one failed "NAME" carrying `reason`. */
void pg_measure_fail(pg_run *run, const char *family, const char *reason);

/* The failed result of benchmark `family` in `run`, or NULL. */
pg_bench_result *pg_run_family_failed(const pg_run *run, const char *family);

#endif
