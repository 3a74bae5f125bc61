/*
 * test_changepoint.c - change points on series whose answer is known by
 * construction (seeded noise from th_samples), and hostile input.
 */
#include "helpers.h"
#include "changepoint.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t detect(const double *x, size_t n, pg_cp **cps)
{
	pg_cp_options o = PG_CP_OPTIONS_DEFAULT;
	size_t k = 99;
	assert_int_equal(pg_cp_detect(x, n, &o, cps, &k), 0);
	assert_true(k == 0 || *cps);
	return k;
}

/* Level `base` before `at`, base * (1 + pct / 100) from it, cv noise. */
static void step(double *x, size_t from, size_t to, double level, double cv)
{
	th_samples(x + from, to - from, level, cv);
}

static void test_changepoint__flat_noisy_series_has_none(void **state)
{
	(void)state;
	double x[1000];
	for (uint64_t seed = 1; seed <= 10; seed++) {
		pg_cp *cps = NULL;
		th_rng_seed(seed);
		th_samples(x, 1000, 100, 0.03);
		size_t k = detect(x, 1000, &cps);
		if (k)
			print_error("seed %llu: change point at %zu (p %g)\n", (unsigned long long)seed,
				    cps[0].index, cps[0].p);
		assert_int_equal(k, 0);
		free(cps);
	}
}

static void test_changepoint__step_of_5_percent(void **state)
{
	(void)state;
	double x[300];
	for (uint64_t seed = 1; seed <= 5; seed++) {
		pg_cp *cps = NULL;
		th_rng_seed(seed);
		step(x, 0, 137, 100, 0.01);
		step(x, 137, 300, 105, 0.01);
		size_t k = detect(x, 300, &cps);
		assert_int_equal(k, 1);
		assert_true(cps[0].index >= 136 && cps[0].index <= 138);
		assert_true(fabs(cps[0].change_pct - 5) < 1);
		assert_true(fabs(cps[0].mean_before - 100) < 1 && fabs(cps[0].mean_after - 105) < 1);
		assert_true(cps[0].p < 0.001);
		assert_true(cps[0].start < cps[0].index && cps[0].index < cps[0].end);
		assert_true(cps[0].end <= 300);
		free(cps);
	}
}

static void test_changepoint__two_steps(void **state)
{
	(void)state;
	double x[400];
	pg_cp *cps = NULL;
	th_rng_seed(7);
	step(x, 0, 90, 100, 0.01);
	step(x, 90, 250, 105, 0.01);
	step(x, 250, 400, 97, 0.01);
	size_t k = detect(x, 400, &cps);
	assert_int_equal(k, 2);
	assert_true(cps[0].index >= 89 && cps[0].index <= 91);
	assert_true(cps[1].index >= 249 && cps[1].index <= 251);
	assert_true(cps[0].change_pct > 4 && cps[0].change_pct < 6);
	assert_true(cps[1].change_pct < -6.5 && cps[1].change_pct > -8.5);
	free(cps);
}

/* 0.5 % per commit over 20 commits: each commit alone is inside the
 * noise (3 %), the whole is 10 %. */
static void test_changepoint__drift(void **state)
{
	(void)state;
	double x[300];
	for (uint64_t seed = 1; seed <= 5; seed++) {
		pg_cp *cps = NULL;
		th_rng_seed(seed);
		double level = 100;
		for (size_t i = 0; i < 300; i++) {
			if (i >= 150 && i < 170)
				level *= 1.005;
			x[i] = level * (1 + 0.03 * th_normal());
		}
		size_t k = detect(x, 300, &cps);
		assert_true(k >= 1);
		for (size_t i = 0; i < k; i++) {
			assert_true(cps[i].index >= 145 && cps[i].index <= 175);
			assert_true(cps[i].change_pct > 0);
		}
		free(cps);
	}
}

/* Without noise: the exact index, Welch's p of two constant segments is
 * 0, and a constant series has nothing. */
static void test_changepoint__noiseless(void **state)
{
	(void)state;
	double x[60];
	pg_cp *cps = NULL;
	for (size_t i = 0; i < 60; i++)
		x[i] = 10;
	assert_int_equal(detect(x, 60, &cps), 0);
	for (size_t i = 25; i < 60; i++)
		x[i] = 11;
	assert_int_equal(detect(x, 60, &cps), 1);
	assert_int_equal(cps[0].index, 25);
	assert_float_equal(cps[0].change_pct, 10, 1e-9);
	free(cps);
	/* from 0: the change is infinite, not a division by zero */
	for (size_t i = 0; i < 60; i++)
		x[i] = i < 30 ? 0 : 3;
	assert_int_equal(detect(x, 60, &cps), 1);
	assert_true(isinf(cps[0].change_pct) && cps[0].change_pct > 0);
	free(cps);
}

static void test_changepoint__deterministic(void **state)
{
	(void)state;
	double x[500];
	pg_cp *a = NULL, *b = NULL;
	th_rng_seed(3);
	th_samples(x, 500, 100, 0.03);
	for (size_t i = 200; i < 500; i++)
		x[i] *= 1.03;
	size_t ka = detect(x, 500, &a), kb = detect(x, 500, &b);
	assert_int_equal(ka, kb);
	for (size_t i = 0; i < ka; i++) {
		assert_int_equal(a[i].index, b[i].index);
		assert_float_equal(a[i].p, b[i].p, 0);
	}
	free(a);
	free(b);
}

/* pg_cp_qscan against the definition (Matteson and James, alpha = 1). */
static void test_changepoint__qscan_matches_definition(void **state)
{
	(void)state;
	const double x[] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8 };
	const size_t n = 12, m = 2;
	double q[12], scratch[24];
	size_t best = pg_cp_qscan(x, n, m, q, scratch), arg = 0;
	double top = -INFINITY;
	for (size_t t = m; t + m <= n; t++) {
		double a = (double)t, b = (double)(n - t), cross = 0, wl = 0, wr = 0;
		for (size_t i = 0; i < t; i++)
			for (size_t j = t; j < n; j++)
				cross += fabs(x[i] - x[j]);
		for (size_t i = 0; i < t; i++)
			for (size_t j = i + 1; j < t; j++)
				wl += fabs(x[i] - x[j]);
		for (size_t i = t; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				wr += fabs(x[i] - x[j]);
		double e = 2 * cross / (a * b) - wl / (a * (a - 1) / 2) - wr / (b * (b - 1) / 2);
		double want = a * b / (a + b) * e;
		assert_float_equal(q[t], want, 1e-9);
		if (want > top) {
			top = want;
			arg = t;
		}
	}
	assert_int_equal(best, arg);
	assert_float_equal(q[0], 0, 0);
	assert_int_equal(pg_cp_qscan(x, 3, 2, q, scratch), 0);
}

static void test_changepoint__hostile_input(void **state)
{
	(void)state;
	double x[40];
	pg_cp *cps = (pg_cp *)1;
	size_t k = 7;
	pg_cp_options o = PG_CP_OPTIONS_DEFAULT;
	for (size_t i = 0; i < 40; i++)
		x[i] = (double)i;
	x[17] = NAN;
	assert_int_equal(pg_cp_detect(x, 40, &o, &cps, &k), PG_EUSAGE);
	assert_null(cps);
	assert_int_equal(k, 0);
	assert_non_null(strstr(pg_error_last(), "value 18"));
	x[17] = INFINITY;
	assert_int_equal(pg_cp_detect(x, 40, &o, &cps, &k), PG_EUSAGE);
	x[17] = 17;
	/* huge values: no overflow into inf/nan distances */
	for (size_t i = 0; i < 40; i++)
		x[i] = i < 20 ? 1e300 : -1e300;
	assert_int_equal(pg_cp_detect(x, 40, &o, &cps, &k), 0);
	free(cps);
	/* too short, empty */
	assert_int_equal(pg_cp_detect(x, 9, &o, &cps, &k), 0);
	assert_int_equal(k, 0);
	assert_int_equal(pg_cp_detect(NULL, 0, &o, &cps, &k), 0);
	assert_int_equal(k, 0);
	/* options out of range */
	pg_cp_options bad = o;
	bad.min_size = 1;
	assert_int_equal(pg_cp_detect(x, 40, &bad, &cps, &k), PG_EUSAGE);
	bad = o;
	bad.window = 10;
	assert_int_equal(pg_cp_detect(x, 40, &bad, &cps, &k), PG_EUSAGE);
	bad = o;
	bad.alpha = NAN;
	assert_int_equal(pg_cp_detect(x, 40, &bad, &cps, &k), PG_EUSAGE);
	bad = o;
	bad.permutations = 0;
	assert_int_equal(pg_cp_detect(x, 40, &bad, &cps, &k), PG_EUSAGE);
}

static void test_changepoint__rng(void **state)
{
	(void)state;
	pg_rng a, b;
	pg_rng_seed(&a, 42);
	pg_rng_seed(&b, 42);
	for (int i = 0; i < 100; i++)
		assert_true(pg_rng_next(&a) == pg_rng_next(&b));
	for (int i = 0; i < 1000; i++)
		assert_true(pg_rng_below(&a, 7) < 7);
	assert_true(pg_rng_below(&a, 1) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changepoint__flat_noisy_series_has_none),
		cmocka_unit_test(test_changepoint__step_of_5_percent),
		cmocka_unit_test(test_changepoint__two_steps),
		cmocka_unit_test(test_changepoint__drift),
		cmocka_unit_test(test_changepoint__noiseless),
		cmocka_unit_test(test_changepoint__deterministic),
		cmocka_unit_test(test_changepoint__qscan_matches_definition),
		cmocka_unit_test(test_changepoint__hostile_input),
		cmocka_unit_test(test_changepoint__rng),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
