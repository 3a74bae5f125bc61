/*
 * test_ab.c - the A/B rules on seeded pairs whose answer is known by
 * construction: the 95 % interval of the paired change covers the true
 * change about 95 % of the time, and the adaptive stopping rule stops early
 * on changes far from the notice threshold (and on no change at all) but
 * not while the interval straddles it.
 */
#include "ab.h"
#include "helpers.h"
#include "judge.h"

#include <math.h>
#include <string.h>

static const pg_thresholds T = PG_THRESHOLDS_DEFAULT;

/* n pairs: base ~ 10 ms, head = base x (1 + change) x noise, 2 % per side. */
static void pairs(double *head, double *base, size_t n, double change)
{
	for (size_t i = 0; i < n; i++) {
		double machine = 1 + 0.05 * th_normal(); /* drift that pairs cancel */
		base[i] = 1e7 * machine * (1 + 0.02 * th_normal());
		head[i] = 1e7 * (1 + change) * machine * (1 + 0.02 * th_normal());
	}
}

static void test_ab__interval_covers_the_truth(void **state)
{
	(void)state;
	double head[30], base[30];
	int covered = 0, trials = 400;
	th_rng_seed(7);
	for (int k = 0; k < trials; k++) {
		pg_verdict v;
		pairs(head, base, 30, 0.10);
		pg_judge_ab(&v, head, base, 30, 0, &T);
		covered += v.ci_low <= 10 && 10 <= v.ci_high;
	}
	/* order statistics of 30: coverage 95.7 %; 400 trials: sd 1 % */
	if (covered < trials * 0.91 || covered > trials * 0.995)
		fail_msg("the 95 %% interval covered +10 %% in %d of %d trials", covered, trials);
}

/* The first pair count (from 1 to `max`) at which the rule stops, 0 if none. */
static size_t stops_after(double change, size_t max, uint64_t seed)
{
	double head[200], base[200];
	th_rng_seed(seed);
	pairs(head, base, max, change);
	for (size_t n = 1; n <= max; n++)
		if (pg_ab_answer_is_clear(head, base, n, 0, &T))
			return n;
	return 0;
}

static void test_ab__adaptive_rule(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		size_t far = stops_after(0.15, 200, seed), none = stops_after(0, 200, seed);
		size_t near = stops_after(0.05, 40, seed);
		/* never before 12 pairs; +15 % and A/A are clear long before 30 */
		if (far < PG_AB_ADAPTIVE_MIN || far > 20 || none < PG_AB_ADAPTIVE_MIN || none > 20)
			fail_msg("seed %llu: +15%% stopped after %zu pairs, A/A after %zu",
				 (unsigned long long)seed, far, none);
		/* exactly at the notice threshold the interval straddles it */
		if (near)
			fail_msg("seed %llu: +5%% (on the threshold) stopped after %zu pairs",
				 (unsigned long long)seed, near);
	}
}

/* From a median of 0 there is no interval in %: a significant change is
 * clear all the same (it used to run to the cap). */
static void test_ab__adaptive_from_zero(void **state)
{
	(void)state;
	double zero[PG_AB_ADAPTIVE_MIN] = { 0 }, allocs[PG_AB_ADAPTIVE_MIN];
	for (int i = 0; i < PG_AB_ADAPTIVE_MIN; i++)
		allocs[i] = 5000;
	assert_true(pg_ab_answer_is_clear(allocs, zero, PG_AB_ADAPTIVE_MIN, 0, &T));
	assert_true(pg_ab_answer_is_clear(zero, zero, PG_AB_ADAPTIVE_MIN, 0, &T));
	assert_false(pg_ab_answer_is_clear(allocs, zero, PG_AB_ADAPTIVE_MIN - 1, 0, &T));
}

/* Pairs per benchmark: never fewer than can reach significance.  A
 * benchmark over a second used its "runs" (10 by default, 1 for an
 * imported harness: then 6), which no signed-rank test could decide. */
static void test_ab__pairs_for(void **state)
{
	(void)state;
	pg_bench_config bc;
	pg_ab_opts o;
	memset(&bc, 0, sizeof(bc));
	memset(&o, 0, sizeof(o));
	bc.runs = 10;
	assert_int_equal(pg_ab_pairs_for(&bc, &o, 0.5e9), PG_AB_DEFAULT_PAIRS);
	assert_int_equal(pg_ab_pairs_for(&bc, &o, 1.05e9), PG_AB_MIN_PAIRS);
	bc.runs = 1; /* "format": the harness repeats itself */
	assert_int_equal(pg_ab_pairs_for(&bc, &o, 2e9), PG_AB_MIN_PAIRS);
	bc.runs = 20;
	assert_int_equal(pg_ab_pairs_for(&bc, &o, 2e9), 20);
	bc.ab_pairs = 15;
	assert_int_equal(pg_ab_pairs_for(&bc, &o, 2e9), 15);
	o.pairs = 12;
	assert_int_equal(pg_ab_pairs_for(&bc, &o, 2e9), 12);
	assert_true(PG_AB_ADAPTIVE_MIN > PG_AB_MIN_PAIRS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ab__interval_covers_the_truth),
		cmocka_unit_test(test_ab__adaptive_rule),
		cmocka_unit_test(test_ab__adaptive_from_zero),
		cmocka_unit_test(test_ab__pairs_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
