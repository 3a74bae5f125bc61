/*
 * complexity.h - fitting a family's cost against its size parameter to
 * O(1), O(log n), O(n), O(n log n), O(n^2) or O(n^3), as Google
 * Benchmark's BigO does: for each class f, the least-squares coefficient
 * c = sum(cost * f(n)) / sum(f(n)^2), the RMS of cost - c * f(n), and that
 * RMS normalised by the mean cost; the class with the smallest RMS wins.
 *
 * Beyond BigO, a fit says when it cannot tell: fewer than
 * PG_COMPLEXITY_MIN_SIZES distinct sizes, or sizes spanning less than a
 * factor PG_COMPLEXITY_MIN_SPAN, or a best normalised RMS above
 * PG_COMPLEXITY_MAX_NRMS (too noisy), or a runner-up whose RMS is within
 * PG_COMPLEXITY_MARGIN of the best (ambiguous): then `decided` is 0 and
 * `why` says which.
 */
#ifndef PG_COMPLEXITY_H
#define PG_COMPLEXITY_H

#include <stddef.h>

typedef enum pg_complexity {
	PG_O_1 = 0,
	PG_O_LOG_N,
	PG_O_N,
	PG_O_N_LOG_N,
	PG_O_N2,
	PG_O_N3,
	PG_O_COUNT
} pg_complexity;

#define PG_COMPLEXITY_MIN_SIZES 4
#define PG_COMPLEXITY_MIN_SPAN 8.0
#define PG_COMPLEXITY_MAX_NRMS 0.25
#define PG_COMPLEXITY_MARGIN 1.25

typedef struct pg_complexity_fit {
	pg_complexity cls;   /* the best fit (also when not decided) */
	double coef;         /* cost = coef * f(n) */
	double nrms;         /* RMS / mean cost of the best fit */
	double runner_nrms;  /* ... of the second best */
	int decided;
	const char *why;     /* when not decided: a static sentence */
} pg_complexity_fit;

/* Fits `n` points (size[i] >= 1, cost[i] > 0, both finite; others are
 * ignored). */
void pg_complexity_fit_points(pg_complexity_fit *out, const double *size, const double *cost,
			      size_t n);
/* "O(n log n)" */
const char *pg_complexity_name(pg_complexity c);
/* Parses "n log n", "O(n log n)", "1", "log n", "n", "n^2", "n^3" (also
 * "nlogn", "n2", "n**2"); -1 when unknown. */
int pg_complexity_parse(const char *s);
/* f(n) of the class. */
double pg_complexity_f(pg_complexity c, double n);

#endif
