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

/* Runs `bc` once in `root`.  With keep, appends one sample per metric to
 * `b`; a failure marks `b` failed with the reason prefixed by `label`
 * ("run 3/10").  *wall_ns (if given) gets the wall time either way.
 * Returns PG_EINTERRUPT when interrupted. */
int pg_measure_once(pg_bench_result *b, const pg_bench_config *bc, const char *root, int keep,
		    const char *label, double *wall_ns);

#endif
