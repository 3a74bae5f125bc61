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

/* Runs `bc` (cwd relative to `root`) and appends its result to `run`:
 * `runs` runs, or with "runs": "auto" until the median's 95 % interval is
 * within "precision" % (at least "min_runs", at most "max_time" seconds).
 * A benchmark that fails (non-zero exit, signal, timeout, cannot start)
 * is recorded as failed with the reason and no samples; that is not an
 * error here.  Returns PG_EINTERRUPT when interrupted (nothing is added),
 * or another negative code when perfgate itself could not run it. */
int pg_measure_bench(pg_run *run, const pg_bench_config *bc, const char *root,
		     pg_progress_fn progress, void *payload);

/* One invocation of a benchmark, for pg_measure_invocation(). */
typedef struct pg_invocation {
	const char *root;     /* where the benchmark's cwd is relative to */
	int keep;             /* record what it measured (not a warm-up) */
	int collapse;         /* imported format: one value (the median) per result */
	int valgrind;         /* when valgrind counts instructions: count this run too */
	const char *label;    /* "run 3/10": prefixes a failure's reason */
	double *wall_ns;      /* NULL, or gets the wall time */
} pg_invocation;

/* Runs `bc` once and, with keep, adds what it measured to `run`: one sample
 * per metric under NAME (instructions and cycles from perf, or with
 * inv->valgrind from a second run under valgrind), or for an imported format
 * its results under NAME/result.  A failure (of the process or of parsing
 * its results) replaces the benchmark's results by one failed NAME whose
 * reason starts with the label.  PG_EINTERRUPT when interrupted;
 * PG_ERUNTIME when instruction counts were asked for and nothing can count
 * them. */
int pg_measure_invocation(pg_run *run, const pg_bench_config *bc, const pg_invocation *inv);

/* Marks benchmark `family` failed in `run`: its results ("NAME" and
 * "NAME/...") are replaced by one failed "NAME" carrying `reason`. */
void pg_measure_fail(pg_run *run, const char *family, const char *reason);

/* The failed result of benchmark `family` in `run`, or NULL. */
pg_bench_result *pg_run_family_failed(const pg_run *run, const char *family);

#endif
