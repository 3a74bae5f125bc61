/*
 * stats.h - the statistics the judgement rests on.
 *
 * All functions take plain arrays of doubles and never modify them (those
 * that need order sort a private copy).  Empty input gives NAN.
 */
#ifndef PG_STATS_H
#define PG_STATS_H

#include <stddef.h>

double pg_stats_median(const double *x, size_t n);
double pg_stats_mean(const double *x, size_t n);
/* Sample standard deviation (n - 1 in the denominator); NAN for n < 2. */
double pg_stats_sd(const double *x, size_t n);
double pg_stats_min(const double *x, size_t n);
double pg_stats_max(const double *x, size_t n);

/* Welch's unequal-variance t-test.  Writes t and the Welch-Satterthwaite
 * degrees of freedom; returns the two-sided p-value.  When both samples
 * have zero variance the p-value is 1 if the means are equal, else 0.
 * NAN when either sample has fewer than 2 values. */
double pg_stats_welch(const double *a, size_t na, const double *b, size_t nb,
		      double *t_out, double *df_out);

/* The fewest values each sample needs for Welch's t-test (a spread). */
#define PG_STATS_WELCH_MIN 2

/* What Welch's test becomes when one side is a single value `x`, which
 * has no spread of its own: the two-sided p-value of x coming from the
 * normal population sampled by `b` (the prediction-interval t-test),
 * t = (x - mean(b)) / (sd(b) sqrt(1 + 1/nb)) with nb - 1 degrees of
 * freedom.  When b has zero spread, 1 if x equals its mean, else 0.  NAN
 * for nb < 2. */
double pg_stats_t_single(double x, const double *b, size_t nb, double *t_out, double *df_out);

/* Two-sided p-value of Student's t with `df` degrees of freedom. */
double pg_stats_t_p2(double t, double df);

/* Wilcoxon signed-rank test of the differences `d` against zero
 * (zeros dropped, ties given average ranks).  Two-sided p-value: exact for
 * up to 50 non-zero differences (with ties, conditional on the ranks, so
 * n equal differences of one sign give 2 / 2^n as untied ones do), else
 * the normal approximation with tie and continuity corrections.  1 when
 * nothing is left, NAN for n = 0.  The smallest p it can give is that of
 * every difference having the same sign: pg_stats_wilcoxon() of |d|. */
double pg_stats_wilcoxon(const double *d, size_t n);

/* Distribution-free confidence interval for the median (order statistics
 * and the binomial distribution) at confidence `conf` (e.g. 0.95):
 * [x(k), x(n - k + 1)] with k = pg_stats_median_ci_rank(n, conf), so
 * *lo <= *hi always.  With too few values for that confidence, the full
 * range. */
void pg_stats_median_ci(const double *x, size_t n, double conf, double *lo, double *hi);

/* The k of that interval: the largest k <= (n + 1) / 2 with
 * P(Binomial(n, 1/2) < k) <= (1 - conf) / 2, computed in log space (exact
 * for every n: no 2^-n underflow).  About n/2 - 0.98 sqrt(n) at 95 %.
 * 0 when no interval reaches that confidence (n < 6 at 95 %). */
size_t pg_stats_median_ci_rank(size_t n, double conf);

/* The fewest values whose order statistics give a 95 % interval for the
 * median: [x(1), x(6)] covers it with probability 1 - 2/64. */
#define PG_STATS_CI_MIN 6

/* Whether the median of `x` is known to within `precision_pct` % of its
 * value: the half-width of its 95 % interval (pg_stats_median_ci) over the
 * median, in %, is at most that.  0 with fewer than PG_STATS_CI_MIN values
 * (no 95 % interval exists) or a non-positive median. */
int pg_stats_median_precise(const double *x, size_t n, double precision_pct);

/* How many values are outliers by the median/MAD rule: modified z-score
 * 0.6745 |x - median| / MAD above 3.5 (Iglewicz and Hoaglin).  0 when the
 * MAD is 0. */
size_t pg_stats_outliers(const double *x, size_t n);

/* Regularised incomplete beta function I_x(a, b). */
double pg_stats_betai(double a, double b, double x);

#endif
