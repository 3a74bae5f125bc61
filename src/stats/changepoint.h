/*
 * changepoint.h - change points in a series of per-commit values.
 *
 * The method (README, "Change points"):
 *
 *  1. Candidates: e-divisive means (Matteson and James, JASA 2014; as
 *     MongoDB uses it, Daly et al., ICPE 2020) with alpha = 1, run on
 *     overlapping windows of `window` commits (step window / 2) so that the
 *     cost is linear in the length of the series.  In each window the series
 *     is bisected recursively at the split that maximises the divergence
 *     statistic Q; a split is kept when a permutation test (the segment's
 *     values shuffled `permutations` times, Q recomputed) gives p <= alpha.
 *  2. Confirmation (as Apache Otava does, Fleming et al., ICPE 2023): every
 *     candidate is tested with Student's t-test (pooled variance) between
 *     the segments either side of it (up to the neighbouring candidates, at most `window`
 *     commits each); the candidate with the largest p is dropped while that
 *     p exceeds max_p, and the test is repeated with the new neighbours.
 *  3. Location: each survivor is moved to the split of largest Q between
 *     its neighbours, and its p-value, means and change computed again.
 *
 * Deterministic: the permutations come from a generator seeded with
 * `seed` and the window's first index, so the change points of a prefix of
 * a series are found the same way when the series grows.
 *
 * Pure functions on arrays: no I/O, no global state.
 */
#ifndef PG_CHANGEPOINT_H
#define PG_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>

/* A small seeded generator (splitmix64): the same seed gives the same
 * sequence on every platform. */
typedef struct pg_rng {
	uint64_t state;
} pg_rng;

void pg_rng_seed(pg_rng *r, uint64_t seed);
uint64_t pg_rng_next(pg_rng *r);
/* Uniform in [0, bound) without modulo bias; bound > 0. */
uint64_t pg_rng_below(pg_rng *r, uint64_t bound);

typedef struct pg_cp_options {
	size_t window;         /* commits per e-divisive window (>= 4 * min_size) */
	size_t min_size;       /* fewest commits on each side of a change (>= 2) */
	unsigned permutations; /* permutations per test (>= 1) */
	double alpha;          /* permutation p a candidate must reach */
	double max_p;          /* t-test p a change point must reach */
	uint64_t seed;
} pg_cp_options;

#define PG_CP_OPTIONS_DEFAULT { 100, 5, 99, 0.05, 0.0001, 0x70657266676174ULL }

typedef struct pg_cp {
	size_t index;        /* the first value of the new level */
	size_t start;        /* the segment before: [start, index) */
	size_t end;          /* the segment after: [index, end) */
	double mean_before;  /* means of those segments */
	double mean_after;
	double change_pct;   /* (after - before) / |before| * 100; +-inf from 0 */
	double p;            /* the two-sided t-test p between the segments */
	double q;            /* the e-divisive statistic at `index` */
} pg_cp;

/* Finds the change points of x[0..n).  On success *out is a malloc'd array
 * of *n_out change points in increasing index order (NULL when none; the
 * caller frees it) and 0 is returned.  PG_EUSAGE (message set) when a value
 * is not finite or the options are out of range; PG_ERUNTIME when out of
 * memory.  Series shorter than 2 * min_size have no change point. */
int pg_cp_detect(const double *x, size_t n, const pg_cp_options *opt, pg_cp **out,
		 size_t *n_out);

/* The e-divisive statistic Q of splitting x[0..n) before each index: q[t]
 * for t in [min_size, n - min_size], the others set to 0.  `scratch` holds
 * 2 n doubles.  Returns the t of the largest Q (0 when there is none). */
size_t pg_cp_qscan(const double *x, size_t n, size_t min_size, double *q, double *scratch);

#endif
