/*
 * gate.h - the pipeline behind run, compare and check:
 * config -> run -> results -> store/history -> judge -> report.
 */
#ifndef PG_GATE_H
#define PG_GATE_H

#include "config.h"
#include "measure.h"
#include "repo.h"
#include "report.h"
#include "store.h"

typedef struct pg_gate_env {
	const pg_config *cfg;
	pg_repo *repo;
	pg_store *store;
	const char *head;     /* HEAD's SHA */
	const char *testbed;
} pg_gate_env;

/* The fingerprint of what determines a benchmark's measurement, stored
 * with each of its results ("definition"): the first PG_DEFINITION_LEN hex
 * digits of a SHA-256 over its command (argv), cwd, env (sorted), format,
 * output and metrics, as written in perfgate.json.  Runs, warm-up,
 * timeout, thresholds, cpu and the name are not in it: they change how
 * often or how strictly, not what is measured.  Results whose definitions
 * differ are never compared (baseline.h). */
void pg_gate_definition(const pg_bench_config *bc, char out[PG_DEFINITION_LEN + 1]);
/* Sets the definition of every result of `bc` in `run`. */
void pg_gate_stamp_definition(pg_run *run, const pg_bench_config *bc);

/* A new, empty run document for `commit` on `testbed`: timestamp and the
 * machine's environment filled in. */
pg_run *pg_gate_new_run(const char *commit, const char *testbed);

/* Measures every configured benchmark into a new run document for HEAD
 * (commit, dirty flag, branch, testbed, timestamp, environment).
 * Returns PG_EINTERRUPT (and no run) when interrupted. */
int pg_gate_run(pg_run **out, const pg_gate_env *env, pg_progress_fn progress, void *payload);

/* Pools the runs stored for HEAD; the benchmarks that failed in the newest
 * run are failed results of the pool (when every benchmark failed, that is
 * all it holds).  PG_ENOTFOUND when no run is stored. */
int pg_gate_stored_current(pg_run **out, const pg_gate_env *env);

/* Judges `current` against the baseline: the first-parent history from
 * the merge-base of the current commit and `base_rev` (default: the
 * config's base branch), the current commit itself excluded. */
int pg_gate_judge(pg_report **out, const pg_gate_env *env, const pg_run *current,
		  const char *base_rev, int fail_on);

#endif
