/*
 * stats.c - medians and their intervals, moments, Welch's t-test and the
 * Wilcoxon signed-rank test.
 *
 * The incomplete beta function uses the Lentz continued fraction (as in
 * Numerical Recipes, "betacf"); it converges in a few dozen iterations for
 * the sample sizes benchmarks have, so no cleverer method is needed.
 */
#include "stats.h"
#include "buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double pg_stats_median(const double *x, size_t n)
{
	if (!n)
		return NAN;
	double *c = pg_malloc(n * sizeof(*c));
	memcpy(c, x, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	double m = (n % 2) ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2.0;
	free(c);
	return m;
}

double pg_stats_mean(const double *x, size_t n)
{
	if (!n)
		return NAN;
	/* Kahan summation: history can hold thousands of ns-sized values. */
	double sum = 0, comp = 0;
	for (size_t i = 0; i < n; i++) {
		double y = x[i] - comp;
		double t = sum + y;
		comp = (t - sum) - y;
		sum = t;
	}
	return sum / (double)n;
}

double pg_stats_sd(const double *x, size_t n)
{
	if (n < 2)
		return NAN;
	double mu = pg_stats_mean(x, n), ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - mu) * (x[i] - mu);
	return sqrt(ss / (double)(n - 1));
}

double pg_stats_min(const double *x, size_t n)
{
	double m = n ? x[0] : NAN;
	for (size_t i = 1; i < n; i++)
		if (x[i] < m)
			m = x[i];
	return m;
}

double pg_stats_max(const double *x, size_t n)
{
	double m = n ? x[0] : NAN;
	for (size_t i = 1; i < n; i++)
		if (x[i] > m)
			m = x[i];
	return m;
}

/* One modified-Lentz update of the continued fraction's C and D terms;
 * returns the factor by which the fraction changes. */
static double lentz_step(double aa, double *c, double *d)
{
	const double tiny = 1e-300;
	*d = 1 + aa * *d;
	if (fabs(*d) < tiny)
		*d = tiny;
	*c = 1 + aa / *c;
	if (fabs(*c) < tiny)
		*c = tiny;
	*d = 1 / *d;
	return *d * *c;
}

static double betacf(double a, double b, double x)
{
	const double eps = 3e-16;
	double qab = a + b, qap = a + 1, qam = a - 1;
	double c = 1, d = 1 - qab * x / qap;
	if (fabs(d) < 1e-300)
		d = 1e-300;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= 300; m++) {
		int m2 = 2 * m;
		h *= lentz_step(m * (b - m) * x / ((qam + m2) * (a + m2)), &c, &d);
		double del = lentz_step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)), &c, &d);
		h *= del;
		if (fabs(del - 1) < eps)
			break;
	}
	return h;
}

double pg_stats_betai(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	double bt = exp(lbt);
	if (x < (a + 1) / (a + b + 2))
		return bt * betacf(a, b, x) / a;
	return 1 - bt * betacf(b, a, 1 - x) / b;
}

double pg_stats_t_p2(double t, double df)
{
	if (isnan(t) || isnan(df) || df <= 0)
		return NAN;
	if (isinf(t))
		return 0;
	return pg_stats_betai(df / 2, 0.5, df / (df + t * t));
}

double pg_stats_welch(const double *a, size_t na, const double *b, size_t nb,
		      double *t_out, double *df_out)
{
	double t = NAN, df = NAN, p = NAN;
	if (na >= PG_STATS_WELCH_MIN && nb >= PG_STATS_WELCH_MIN) {
		double ma = pg_stats_mean(a, na), mb = pg_stats_mean(b, nb);
		double sa = pg_stats_sd(a, na), sb = pg_stats_sd(b, nb);
		double va = sa * sa / (double)na, vb = sb * sb / (double)nb;
		if (va + vb == 0) {
			t = ma == mb ? 0 : copysign(INFINITY, ma - mb);
			p = ma == mb ? 1 : 0;
		} else {
			t = (ma - mb) / sqrt(va + vb);
			df = (va + vb) * (va + vb) /
			     (va * va / (double)(na - 1) + vb * vb / (double)(nb - 1));
			p = pg_stats_t_p2(t, df);
		}
	}
	if (t_out)
		*t_out = t;
	if (df_out)
		*df_out = df;
	return p;
}

double pg_stats_t_single(double x, const double *b, size_t nb, double *t_out, double *df_out)
{
	double t = NAN, df = NAN, p = NAN;
	if (nb >= 2) {
		double mb = pg_stats_mean(b, nb), se = pg_stats_sd(b, nb) * sqrt(1 + 1 / (double)nb);
		if (se == 0) {
			t = x == mb ? 0 : copysign(INFINITY, x - mb);
			p = x == mb ? 1 : 0;
		} else {
			t = (x - mb) / se;
			df = (double)(nb - 1);
			p = pg_stats_t_p2(t, df);
		}
	}
	if (t_out)
		*t_out = t;
	if (df_out)
		*df_out = df;
	return p;
}

typedef struct ranked {
	double abs;
	int positive;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const ranked *)a)->abs, y = ((const ranked *)b)->abs;
	return (x > y) - (x < y);
}

/* Two-sided exact p-value of W+ = w2 / 2 for n ranks given as twice their
 * value (integers: tied ranks are averages, halves at most).  Every sign
 * pattern is equally likely under the null, so count the subsets of ranks
 * with each sum (dynamic programming; exact in doubles for n <= 50).  With
 * ties this is the conditional distribution given the ranks: all n
 * differences equal and positive give 2 / 2^n, as without ties. */
static double wilcoxon_exact(const size_t *rank2, size_t n, size_t w2)
{
	size_t max = 0;
	for (size_t i = 0; i < n; i++)
		max += rank2[i];
	double *count = pg_calloc(max + 1, sizeof(*count));
	double total = pow(2, (double)n), le = 0, ge = 0;
	count[0] = 1;
	for (size_t r = 0; r < n; r++)
		for (size_t s = max; s >= rank2[r]; s--)
			count[s] += count[s - rank2[r]];
	for (size_t s = 0; s <= max; s++) {
		if (s <= w2)
			le += count[s];
		if (s >= w2)
			ge += count[s];
	}
	free(count);
	double p = 2 * (le < ge ? le : ge) / total;
	return p > 1 ? 1 : p;
}

double pg_stats_wilcoxon(const double *d, size_t n)
{
	ranked *r = pg_malloc((n ? n : 1) * sizeof(*r));
	size_t m = 0, w2 = 0, *rank2;
	double tie_term = 0;
	if (!n) {
		free(r);
		return NAN;
	}
	for (size_t i = 0; i < n; i++)
		if (d[i] != 0)
			r[m++] = (ranked){ fabs(d[i]), d[i] > 0 };
	if (!m) {
		free(r);
		return 1;
	}
	qsort(r, m, sizeof(*r), cmp_ranked);
	rank2 = pg_malloc(m * sizeof(*rank2));
	for (size_t i = 0; i < m;) {
		size_t j = i;
		while (j + 1 < m && r[j + 1].abs == r[i].abs)
			j++;
		double t = (double)(j - i + 1);
		if (t > 1)
			tie_term += t * t * t - t;
		for (size_t k = i; k <= j; k++) {
			rank2[k] = i + j + 2; /* twice the average of ranks i+1 .. j+1 */
			if (r[k].positive)
				w2 += rank2[k];
		}
		i = j + 1;
	}
	free(r);
	if (m <= 50) {
		double p = wilcoxon_exact(rank2, m, w2);
		free(rank2);
		return p;
	}
	free(rank2);
	double mean = (double)m * (double)(m + 1) / 4;
	double var = (double)m * (double)(m + 1) * (double)(2 * m + 1) / 24 - tie_term / 48;
	if (var <= 0)
		return 1;
	double diff = (double)w2 / 2 - mean;
	double z = (fabs(diff) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	return erfc(z / sqrt(2));
}

/* log P(X = j) for X ~ Binomial(n, 1/2). */
static double binom_half_logpmf(size_t n, size_t j)
{
	return lgamma((double)n + 1) - lgamma((double)j + 1) - lgamma((double)(n - j) + 1) -
	       (double)n * log(2.0);
}

/* P(X <= j) for X ~ Binomial(n, 1/2) and j < n / 2.  The first term comes
 * from lgamma, so it is exact however small 2^-n gets (2^-1075 is 0 in a
 * double); the others follow it down, P(X = i - 1) = P(X = i) i / (n - i + 1),
 * each smaller than the last below the mean, until they no longer change
 * the sum: a few hundred terms even for n = 100,000. */
static double binom_half_cdf(size_t n, size_t j)
{
	double term = exp(binom_half_logpmf(n, j)), sum = 0;
	for (size_t i = j + 1; i-- > 0 && term > sum * 1e-17;) {
		sum += term;
		term *= (double)i / (double)(n - i + 1);
	}
	return sum;
}

size_t pg_stats_median_ci_rank(size_t n, double conf)
{
	double alpha = (1 - conf) / 2;
	/* k - 1 < n / 2 keeps the interval ordered: x(k) <= x(n - k + 1) */
	size_t lo = 0, hi = (n + 1) / 2;
	/* the largest k with P(X < k) = P(X <= k - 1) <= alpha: P(X <= j)
	 * grows with j, so halve [lo, hi] keeping lo such a k */
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (binom_half_cdf(n, mid - 1) <= alpha)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

void pg_stats_median_ci(const double *x, size_t n, double conf, double *lo, double *hi)
{
	double *c;
	size_t k = pg_stats_median_ci_rank(n, conf);
	*lo = *hi = NAN;
	if (!n)
		return;
	c = pg_malloc(n * sizeof(*c));
	memcpy(c, x, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	if (k == 0)
		k = 1; /* too few values: the full range */
	*lo = c[k - 1];
	*hi = c[n - k];
	free(c);
}

int pg_stats_median_precise(const double *x, size_t n, double precision_pct)
{
	double lo, hi, med = pg_stats_median(x, n);
	/* below 6 values the order statistics give no 95 % interval at all */
	if (n < PG_STATS_CI_MIN || !(med > 0))
		return 0;
	pg_stats_median_ci(x, n, 0.95, &lo, &hi);
	return (hi - lo) / 2 / med * 100 <= precision_pct;
}

size_t pg_stats_outliers(const double *x, size_t n)
{
	if (n < 3)
		return 0;
	double med = pg_stats_median(x, n), *dev = pg_malloc(n * sizeof(*dev));
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(x[i] - med);
	double mad = pg_stats_median(dev, n);
	for (size_t i = 0; mad > 0 && i < n; i++)
		count += 0.6745 * dev[i] / mad > 3.5;
	free(dev);
	return count;
}
