/*
 * ab.h - A/B mode: measure the base and the head interleaved on the same
 * machine, so drift between machines and over time cancels out.
 *
 * The base commit is checked out into a scratch directory and built there
 * (the head is the user's tree as it is).  For each benchmark, after
 * warm-up on both sides, base (A) and head (B) run alternately in pairs,
 * the order flipping every pair (AB, BA, AB, ...) so neither side always
 * goes first.  Each side is one invocation per pair.  The "setup"
 * commands (setup.h) run in each checkout first: the top-level one in both
 * once the base is built, a benchmark's own right before its pairs.
 */
#ifndef PG_AB_H
#define PG_AB_H

#include "gate.h"
#include "report_build.h"

#define PG_AB_DEFAULT_PAIRS 30
/* PG_AB_MIN_PAIRS (judge.h): the fewest pairs that can reach significance */
#define PG_AB_ADAPTIVE_MIN (PG_AB_MIN_PAIRS + 1) /* one past the fewest that can decide */
#define PG_AB_ADAPTIVE_MAX 100

typedef struct pg_ab_opts {
	const char *base;        /* base commit SHA */
	const char *build;       /* shell command for the base checkout, or NULL */
	double build_timeout;
	int pairs;               /* 0: the benchmark's ab_pairs, else automatic */
	int adaptive;            /* stop early once the answer is clear (see ab.c) */
	int max_pairs;           /* adaptive: the cap (default 100) */
	int keep;                /* keep the scratch directory */
	pg_progress_fn progress;
	void *payload;
	/* NULL: every benchmark; else only those for which it returns 1
	 * (--confirm re-measures the flagged ones) */
	int (*only)(void *only_payload, const char *bench);
	void *only_payload;
	int head_set_up;         /* "setup" ran in the work tree already (--confirm) */
} pg_ab_opts;

/* Measures every benchmark in pairs.  *head and *base get one run document
 * each (samples aligned: sample i of both sides is pair i).  A benchmark
 * failing on one side is failed on that side with "base ..." or "head ..."
 * in its reason.  PG_ERUNTIME naming the base when it fails to check out
 * or build; PG_EINTERRUPT when interrupted. */
int pg_ab_measure(pg_run **head, pg_run **base, const pg_gate_env *env, const pg_ab_opts *o);

/* Pairs for benchmark `bc` whose first run took `first_wall_ns`: o->pairs,
 * else its "ab_pairs", else PG_AB_DEFAULT_PAIRS when a run takes under a
 * second, else its "runs"; never fewer than PG_AB_MIN_PAIRS ("runs" is
 * only a default; --pairs and "ab_pairs" below it are refused earlier). */
int pg_ab_pairs_for(const pg_bench_config *bc, const pg_ab_opts *o, double first_wall_ns);

/* The adaptive stopping rule (--adaptive) for one result's primary metric:
 * 1 once at least PG_AB_ADAPTIVE_MIN pairs give a 95 % interval of the
 * paired change that is clearly above +notice with a significant change,
 * clearly below -notice likewise, or clearly inside (-notice, +notice). */
int pg_ab_answer_is_clear(const double *head, const double *base, size_t n,
			  int higher_is_better, const pg_thresholds *t);

/* Judges the pairs (pg_judge_ab) into a report in A/B mode.  A result the
 * head side has and the base side lacks is `new`; one the base side has and
 * the head side lacks is `missing` (retired ones are said through
 * pg_warn()); a failure on either side is `failed`. */
pg_report *pg_ab_report(const pg_run *head, const pg_run *base, const pg_config *cfg,
			const char *base_sha, int fail_on, int adaptive);

#endif
