/*
 * gate.h - the pipeline behind run, compare and check:
 * config -> run -> results -> store/history -> judge -> report.
 */
#ifndef PG_GATE_H
#define PG_GATE_H

#include "baseline.h"
#include "config.h"
#include "measure.h"
#include "repo.h"
#include "report_build.h"
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

/* The base commit's own perfgate.json: the reference for what the base
 * measured and how it was gated.  It is the file at the same path,
 * relative to the repository, as the config in use (env->cfg->path), as
 * committed in the base.  There is none when that config is outside the
 * repository, or the base has no such file, or it does not parse. */
typedef struct pg_gate_base {
	char sha[PG_SHA_LEN + 1];
	pg_config *cfg;        /* NULL: no reference */
	char *path;            /* the config's path in the repository ("perfgate.json"),
				* or NULL when it is outside */
	char *why;             /* without a reference: why, for a warning */
} pg_gate_base;

/* Reads the base's config at commit `sha`; never fails (`cfg` NULL and
 * `why` set instead).  Free with pg_gate_base_free(). */
void pg_gate_base_load(pg_gate_base *b, const pg_gate_env *env, const char *sha);
void pg_gate_base_free(pg_gate_base *b);

/* What the base's config says about the run `current` judged in `r`: its
 * benchmarks that env->cfg no longer has are `missing` (pg_report_add_missing,
 * `newest` is the baseline whose retired results were said already, may be
 * NULL), and every policy field env->cfg changes is a warning through
 * pg_warn() ("perfgate.json: fail_on changed from critical to never in this
 * pull request ..."); env->cfg's policy is the one used.  Nothing without
 * a reference.  Call pg_report_finish() after. */
void pg_gate_compare_base(pg_report *r, const pg_gate_env *env, const pg_gate_base *base,
			  const pg_run *current, const pg_baseline *newest);

/* Whether the base side of an A/B run, measured with env->cfg's
 * benchmarks, is what the base itself would have measured, so that it can
 * be stored as the base commit's history: the base's config has exactly
 * the same benchmarks, each with the same definition, and the same
 * "build" command.  1 if so; else 0, with the reason appended to `why`
 * ("the base side was measured with this pull request's definition of X;
 * not stored as history of abc1234"). */
int pg_gate_base_comparable(const pg_gate_env *env, const pg_gate_base *base, pg_buf *why);

/* Judges `current` against the baseline: the first-parent history from
 * the merge-base of the current commit and `base_rev` (default: the
 * config's base branch), the current commit itself excluded.  Beyond
 * pg_report_build(): the checks against the merge-base's perfgate.json
 * (pg_gate_compare_base, unless the current commit is the merge-base),
 * the `missing` rows of changed definitions (pg_report_add_redefined),
 * and a warning when no commit at all had results to compare with. */
int pg_gate_judge(pg_report **out, const pg_gate_env *env, const pg_run *current,
		  const char *base_rev, int fail_on);

#endif
