/*
 * test_stats.c - statistics against values computed by hand or published.
 */
#include "helpers.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static void test_stats__median(void **state)
{
	(void)state;
	const double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };
	assert_float_equal(pg_stats_median(odd, 3), 3, 0);
	assert_float_equal(pg_stats_median(even, 4), 2.5, 0);
	assert_float_equal(pg_stats_median(one, 1), 7, 0);
	assert_true(isnan(pg_stats_median(NULL, 0)));
	/* the input is not reordered */
	assert_float_equal(odd[0], 5, 0);
}

static void test_stats__mean_and_sd(void **state)
{
	(void)state;
	/* Classic example: population sd 2, sample sd sqrt(32/7). */
	const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	assert_float_equal(pg_stats_mean(x, 8), 5, 1e-12);
	assert_float_equal(pg_stats_sd(x, 8), sqrt(32.0 / 7.0), 1e-12);
	assert_true(isnan(pg_stats_sd(x, 1)));
	const double same[] = { 3, 3, 3 };
	assert_float_equal(pg_stats_sd(same, 3), 0, 0);
	assert_float_equal(pg_stats_min(x, 8), 2, 0);
	assert_float_equal(pg_stats_max(x, 8), 9, 0);
}

static void test_stats__mean_is_accurate_for_large_values(void **state)
{
	(void)state;
	/* ns-sized values with tiny differences: naive sums lose digits. */
	double x[1000];
	for (int i = 0; i < 1000; i++)
		x[i] = 1e15 + (i % 2);
	assert_float_equal(pg_stats_mean(x, 1000), 1e15 + 0.5, 1e-3);
}

static void test_stats__incomplete_beta(void **state)
{
	(void)state;
	/* For integers, I_x(a, b) = P(Binomial(a + b - 1, x) >= a):
	 * I_0.4(2, 3) = 1 - 0.6^4 - 4 * 0.4 * 0.6^3 = 0.5248. */
	assert_float_equal(pg_stats_betai(2, 3, 0.4), 0.5248, 1e-10);
	/* I_x(1, 1) = x */
	assert_float_equal(pg_stats_betai(1, 1, 0.3), 0.3, 1e-12);
	assert_float_equal(pg_stats_betai(2, 3, 0), 0, 0);
	assert_float_equal(pg_stats_betai(2, 3, 1), 1, 0);
}

static void test_stats__t_distribution(void **state)
{
	(void)state;
	/* Student's t, two-sided: t = 2.0 with 10 df gives p = 0.07339
	 * (tables; R: 2 * pt(-2, 10) = 0.07338803). */
	assert_float_equal(pg_stats_t_p2(2.0, 10), 0.07338803, 1e-6);
	/* t = 2.228 with 10 df is the 5 % critical value. */
	assert_float_equal(pg_stats_t_p2(2.228139, 10), 0.05, 1e-5);
	/* With many degrees of freedom t tends to the normal: 1.959964 -> 0.05 */
	assert_float_equal(pg_stats_t_p2(1.959964, 1e7), 0.05, 1e-5);
	/* df = 1 is the Cauchy distribution: p = 1 - 2 atan(t) / pi */
	assert_float_equal(pg_stats_t_p2(3.0, 1), 1 - 2 * atan(3.0) / M_PI, 1e-10);
	assert_float_equal(pg_stats_t_p2(0, 5), 1, 1e-12);
	assert_float_equal(pg_stats_t_p2(INFINITY, 5), 0, 0);
}

static void test_stats__welch_published_example(void **state)
{
	(void)state;
	/* Wikipedia, "Welch's t-test", example 1: t = -2.46, df = 25.0,
	 * p = 0.021. */
	const double a[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1,
			     21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4 };
	const double b[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0,
			     24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4 };
	double t, df;
	double p = pg_stats_welch(a, 15, b, 15, &t, &df);
	assert_float_equal(t, -2.46, 0.005);
	assert_float_equal(df, 25.0, 0.05);
	assert_float_equal(p, 0.021, 0.0005);
}

static void test_stats__welch_degenerate(void **state)
{
	(void)state;
	const double a[] = { 1, 1, 1 }, b[] = { 2, 2, 2 }, c[] = { 1, 1 };
	double t;
	assert_float_equal(pg_stats_welch(a, 3, b, 3, &t, NULL), 0, 0);
	assert_true(isinf(t) && t < 0);
	assert_float_equal(pg_stats_welch(a, 3, c, 2, NULL, NULL), 1, 0);
	assert_true(isnan(pg_stats_welch(a, 1, b, 3, NULL, NULL)));
}

static void test_stats__wilcoxon_exact(void **state)
{
	(void)state;
	/* all of n differences positive: P(W+ = max) = 2^-n, two-sided x2 */
	const double five[] = { 1, 2, 3, 4, 5 }, ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	assert_float_equal(pg_stats_wilcoxon(five, 5), 2.0 / 32, 1e-12);
	assert_float_equal(pg_stats_wilcoxon(ten, 10), 2.0 / 1024, 1e-12);
	/* W+ = 1 + 2 (ranks of +1, +2) out of 1..4; subsets of {1,2,3,4} with
	 * sum <= 3: {}, {1}, {2}, {3}, {1,2}: P = 5/16, two-sided 10/16 */
	const double mixed[] = { 1, 2, -3, -4 };
	assert_float_equal(pg_stats_wilcoxon(mixed, 4), 10.0 / 16, 1e-12);
	const double zeros[] = { 0, 0, 0 };
	assert_float_equal(pg_stats_wilcoxon(zeros, 3), 1, 0);
}

/* Ties (a deterministic metric: every pair changed by exactly the same
 * ratio) are exact up to 50 differences too, conditional on the ranks: n
 * equal positive differences give 2 / 2^n, so the 11 pairs that can reach
 * p < 0.001 without ties can with them (the normal approximation gave
 * 0.00108 for 11).  Beyond 50, the normal approximation. */
static void test_stats__wilcoxon_ties(void **state)
{
	(void)state;
	double same[60];
	for (int i = 0; i < 60; i++)
		same[i] = 0.05;
	assert_float_equal(pg_stats_wilcoxon(same, 11), 2.0 / 2048, 1e-15);
	assert_float_equal(pg_stats_wilcoxon(same, 30), 2.0 / 1073741824.0, 1e-18);
	assert_true(pg_stats_wilcoxon(same, 60) < 1e-10);
	/* |d| = 1, 1, 1, 2: doubled ranks 4, 4, 4, 8, W2+ = 16 of sums 0 (1 way),
	 * 4 (3), 8 (4), 12 (4), 16 (3), 20 (1): P(>= 16) = 4/16, two-sided 0.5 */
	const double tied[] = { 1, 1, -1, 2 };
	assert_float_equal(pg_stats_wilcoxon(tied, 4), 0.5, 1e-12);
	/* a zero is dropped, not ranked */
	const double with_zero[] = { 0, 1, 1, -1, 2 };
	assert_float_equal(pg_stats_wilcoxon(with_zero, 5), 0.5, 1e-12);
}

/* A single value against a sample: t = (x - mean) / (sd sqrt(1 + 1/n)),
 * n - 1 df.  For df = 2 the two-sided p is 1 - t / sqrt(t^2 + 2). */
static void test_stats__t_single(void **state)
{
	(void)state;
	const double b[] = { 1, 2, 3 }, flat[] = { 4, 4 };
	double t, df, want = 8 / sqrt(4.0 / 3);
	double p = pg_stats_t_single(10, b, 3, &t, &df);
	assert_float_equal(t, want, 1e-12);
	assert_float_equal(df, 2, 0);
	assert_float_equal(p, 1 - want / sqrt(want * want + 2), 1e-9);
	assert_float_equal(pg_stats_t_single(4, flat, 2, NULL, NULL), 1, 0);
	assert_float_equal(pg_stats_t_single(5, flat, 2, &t, NULL), 0, 0);
	assert_true(isinf(t) && t > 0);
	assert_true(isnan(pg_stats_t_single(5, b, 1, NULL, NULL)));
}

static void test_stats__median_ci(void **state)
{
	(void)state;
	double x[30], lo, hi;
	for (int i = 0; i < 30; i++)
		x[i] = 30 - i; /* 1..30, unsorted */
	/* n = 30 at 95 %: k = 10, the interval is [x(10), x(21)] */
	pg_stats_median_ci(x, 30, 0.95, &lo, &hi);
	assert_float_equal(lo, 10, 0);
	assert_float_equal(hi, 21, 0);
	/* n = 6: k = 1, the full range */
	pg_stats_median_ci(x, 6, 0.95, &lo, &hi);
	assert_float_equal(lo, 25, 0);
	assert_float_equal(hi, 30, 0);
}

/* Large n: 2^-n underflows to 0 from n = 1075 on, which once made k run to
 * n and the interval come out upside down ([x(n), x(1)]).  On 1..n the
 * interval's ends are the ranks themselves: lo = k, hi = n - k + 1, with k
 * from exact binomial sums (Python integers) and near n/2 - 0.98 sqrt(n). */
static void test_stats__median_ci_large_n(void **state)
{
	(void)state;
	static const struct { size_t n, k; } cases[] = {
		{ 100, 40 }, { 1074, 505 }, { 1075, 505 }, { 5000, 2431 }, { 100000, 49690 },
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		size_t n = cases[c].n;
		double *x = malloc(n * sizeof(*x)), lo, hi;
		assert_non_null(x);
		for (size_t i = 0; i < n; i++)
			x[i] = (double)(n - i); /* 1..n, unsorted */
		pg_stats_median_ci(x, n, 0.95, &lo, &hi);
		if (!(lo <= hi) || lo != (double)cases[c].k || hi != (double)(n - cases[c].k + 1))
			fail_msg("n = %zu: interval [%g, %g], expected [%zu, %zu]", n, lo, hi,
				 cases[c].k, n - cases[c].k + 1);
		assert_true(fabs(lo - ((double)n / 2 - 0.98 * sqrt((double)n))) < 1);
		/* any confidence gives an ordered interval, narrower at lower ones */
		pg_stats_median_ci(x, n, 0.01, &lo, &hi);
		assert_true(lo <= hi && lo > (double)cases[c].k && hi < (double)(n - cases[c].k + 1));
		pg_stats_median_ci(x, n, 0.999999, &lo, &hi);
		assert_true(lo <= hi && lo > 1 && lo < (double)cases[c].k);
		free(x);
	}
}

/* "runs": "auto" on many samples: 20 % noise is not known to 0.5 % after
 * 1,075 samples (the 95 % half-width is about 1.5 %), nor to 0.1 % after
 * 5,000 (0.7 %); it is to 3 % and 1 %. */
static void test_stats__median_precise_large_n(void **state)
{
	(void)state;
	static double x[5000];
	th_rng_seed(3);
	th_samples(x, 5000, 5e6, 0.20);
	for (size_t n = 1070; n <= 1080; n++) {
		if (pg_stats_median_precise(x, n, 0.5))
			fail_msg("20 %% noise called precise to 0.5 %% after %zu samples", n);
		assert_true(pg_stats_median_precise(x, n, 3));
	}
	assert_false(pg_stats_median_precise(x, 5000, 0.1));
	assert_true(pg_stats_median_precise(x, 5000, 1));
}

/* The adaptive-runs stopping rule on seeded samples whose answer is known.
 * With a 2 % coefficient of variation, the 95 % interval of the median is
 * about 2 x 1.96 x 1.25 x 2 % / sqrt(n) wide, so its half-width falls below
 * 1 % near n = 24; checked after every sample (as `"runs": "auto"` does),
 * the first n that passes varies from sequence to sequence, so 40 seeded
 * sequences are summarised by their median.  Identical samples are precise
 * at the first n with a 95 % interval (6); 20 % noise never within 400. */
static size_t first_precise(double cv, double precision, uint64_t seed)
{
	double x[400];
	th_rng_seed(seed);
	th_samples(x, 400, 5e6, cv);
	for (size_t n = 1; n <= 400; n++)
		if (pg_stats_median_precise(x, n, precision))
			return n;
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

static void test_stats__median_precise(void **state)
{
	(void)state;
	const double same[] = { 7, 7, 7, 7, 7, 7 };
	assert_true(pg_stats_median_precise(same, 6, 0.01));
	assert_false(pg_stats_median_precise(same, 5, 100)); /* no 95 % interval yet */
	const double zero[] = { 0, 0, 0, 0, 0, 0 };
	assert_false(pg_stats_median_precise(zero, 6, 1));
	/* 1..30: the interval [10, 21] has half-width 5.5 around 15.5: 35.5 % */
	double x[30];
	for (int i = 0; i < 30; i++)
		x[i] = i + 1;
	assert_true(pg_stats_median_precise(x, 30, 35.5));
	assert_false(pg_stats_median_precise(x, 30, 35.4));
	size_t first[40];
	for (uint64_t seed = 1; seed <= 40; seed++) {
		first[seed - 1] = first_precise(0.02, 1, seed);
		if (first[seed - 1] < 6 || first[seed - 1] > 100)
			fail_msg("seed %llu: 2 %% noise was precise to 1 %% after %zu samples",
				 (unsigned long long)seed, first[seed - 1]);
		assert_int_equal(first_precise(0.20, 1, seed), 0);
		assert_int_equal(first_precise(0, 1, seed), 6);
	}
	qsort(first, 40, sizeof(*first), cmp_size);
	size_t median = (first[19] + first[20]) / 2;
	if (median < 15 || median > 40)
		fail_msg("2 %% noise: median stop after %zu samples, expected about 24", median);
}

static void test_stats__outliers(void **state)
{
	(void)state;
	const double x[] = { 10, 10.1, 9.9, 10.05, 9.95, 10.02, 30 };
	assert_int_equal(pg_stats_outliers(x, 7), 1);
	const double flat[] = { 5, 5, 5, 5 };
	assert_int_equal(pg_stats_outliers(flat, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats__median),
		cmocka_unit_test(test_stats__mean_and_sd),
		cmocka_unit_test(test_stats__mean_is_accurate_for_large_values),
		cmocka_unit_test(test_stats__incomplete_beta),
		cmocka_unit_test(test_stats__t_distribution),
		cmocka_unit_test(test_stats__welch_published_example),
		cmocka_unit_test(test_stats__welch_degenerate),
		cmocka_unit_test(test_stats__wilcoxon_exact),
		cmocka_unit_test(test_stats__wilcoxon_ties),
		cmocka_unit_test(test_stats__t_single),
		cmocka_unit_test(test_stats__median_ci),
		cmocka_unit_test(test_stats__median_ci_large_n),
		cmocka_unit_test(test_stats__median_precise_large_n),
		cmocka_unit_test(test_stats__median_precise),
		cmocka_unit_test(test_stats__outliers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
