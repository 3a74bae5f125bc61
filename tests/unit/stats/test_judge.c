/*
 * test_judge.c - the severity table and the judgement rule, table-driven
 * (jq-style: input, expected output, one row per case).
 */
#include "helpers.h"
#include "judge.h"
#include "stats.h"

#include <math.h>

typedef struct severity_case {
	int significant;
	double change;
	pg_severity expect;
} severity_case;

static void test_judge__severity_table(void **state)
{
	(void)state;
	const pg_thresholds t = { 3, 5, 10, 20 };
	static const severity_case cases[] = {
		{ 0, 50, PG_SEV_OK },        /* not significant: ok however large */
		{ 0, -50, PG_SEV_OK },
		{ 1, 0, PG_SEV_OK },
		{ 1, 4.99, PG_SEV_OK },      /* significant but below notice */
		{ 1, 5, PG_SEV_NOTICE },     /* boundaries are inclusive */
		{ 1, 9.99, PG_SEV_NOTICE },
		{ 1, 10, PG_SEV_WARNING },
		{ 1, 19.99, PG_SEV_WARNING },
		{ 1, 20, PG_SEV_CRITICAL },
		{ 1, 300, PG_SEV_CRITICAL },
		{ 1, INFINITY, PG_SEV_CRITICAL },
		{ 1, -4.99, PG_SEV_OK },     /* better, but by less than notice */
		{ 1, -5, PG_SEV_IMPROVED },
		{ 1, -80, PG_SEV_IMPROVED },
		{ 1, NAN, PG_SEV_OK },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		pg_severity got = pg_judge_severity(cases[i].significant, cases[i].change, &t);
		if (got != cases[i].expect)
			fail_msg("case %zu: significant=%d change=%g: got %s, want %s", i,
				 cases[i].significant, cases[i].change, pg_severity_name(got),
				 pg_severity_name(cases[i].expect));
	}
}

typedef struct judge_case {
	const char *what;
	double cur[6];
	size_t ncur;
	double med[6];
	size_t nmed;
	double pooled[12];
	size_t npooled;
	int higher_is_better;
	pg_method method;
	pg_severity expect;
	double change;  /* expected change_pct, NAN to skip */
	double z;       /* expected z, NAN to skip */
} judge_case;

static void test_judge__rule(void **state)
{
	(void)state;
	static const judge_case cases[] = {
		{ "no baseline is new", { 100, 101 }, 2, { 0 }, 0, { 0 }, 0, 0,
		  PG_METHOD_NONE, PG_SEV_NEW, NAN, NAN },
		/* medians 98..102: mu 100, sd 1.5811; x = 130 -> +30 %, z = 18.97 */
		{ "30 % slower is critical", { 129, 130, 131 }, 3, { 98, 99, 100, 101, 102 }, 5,
		  { 0 }, 0, 0, PG_METHOD_SIGMA, PG_SEV_CRITICAL, 30, 30 / sqrt(2.5) },
		{ "12 % slower is warning", { 112 }, 1, { 98, 99, 100, 101, 102 }, 5, { 0 }, 0, 0,
		  PG_METHOD_SIGMA, PG_SEV_WARNING, 12, 12 / sqrt(2.5) },
		{ "7 % slower is notice", { 107 }, 1, { 98, 99, 100, 101, 102 }, 5, { 0 }, 0, 0,
		  PG_METHOD_SIGMA, PG_SEV_NOTICE, 7, NAN },
		/* noisy baseline: sd 7.9, so +10 % is only z = 1.26 */
		{ "within 3 sigma is ok", { 110 }, 1, { 90, 95, 100, 105, 110 }, 5, { 0 }, 0, 0,
		  PG_METHOD_SIGMA, PG_SEV_OK, 10, 10 / sqrt(62.5) },
		{ "20 % faster is improved", { 80 }, 1, { 98, 99, 100, 101, 102 }, 5, { 0 }, 0, 0,
		  PG_METHOD_SIGMA, PG_SEV_IMPROVED, -20, NAN },
		{ "sd 0: any change is significant", { 106 }, 1, { 100, 100, 100, 100, 100 }, 5,
		  { 0 }, 0, 0, PG_METHOD_SIGMA, PG_SEV_NOTICE, 6, INFINITY },
		{ "sd 0 and no change is ok", { 100 }, 1, { 100, 100, 100, 100, 100 }, 5, { 0 }, 0,
		  0, PG_METHOD_SIGMA, PG_SEV_OK, 0, 0 },
		{ "higher is better: a drop is worse", { 70 }, 1, { 98, 99, 100, 101, 102 }, 5,
		  { 0 }, 0, 1, PG_METHOD_SIGMA, PG_SEV_CRITICAL, 30, NAN },
		{ "higher is better: a rise improves", { 130 }, 1, { 98, 99, 100, 101, 102 }, 5,
		  { 0 }, 0, 1, PG_METHOD_SIGMA, PG_SEV_IMPROVED, -30, NAN },
		/* 2 commits < min_history 5: Welch on pooled samples */
		{ "short history uses Welch: clear shift", { 130, 131, 129, 130, 130, 131 }, 6,
		  { 100, 101 }, 2, { 100, 101, 99, 100, 101, 102, 100, 101 }, 8, 0,
		  PG_METHOD_WELCH, PG_SEV_CRITICAL, NAN, NAN },
		{ "short history uses Welch: noise", { 98, 103, 100, 97, 104, 101 }, 6,
		  { 100, 101 }, 2, { 96, 104, 100, 99, 105, 95, 101, 102 }, 8, 0,
		  PG_METHOD_WELCH, PG_SEV_OK, NAN, NAN },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const judge_case *c = &cases[i];
		pg_judge_input in = { c->cur, c->ncur, c->med, c->nmed, c->pooled, c->npooled,
				      c->higher_is_better, 5, PG_THRESHOLDS_DEFAULT };
		pg_verdict v;
		pg_judge(&v, &in);
		if (v.severity != c->expect || v.method != c->method)
			fail_msg("%s: got %s/%s, want %s/%s (change %g, z %g, p %g)", c->what,
				 pg_severity_name(v.severity), pg_method_name(v.method),
				 pg_severity_name(c->expect), pg_method_name(c->method),
				 v.change_pct, v.z, v.p);
		if (!isnan(c->change))
			assert_float_equal(v.change_pct, c->change, 1e-9);
		if (isinf(c->z))
			assert_true(isinf(v.z) && v.z > 0);
		else if (!isnan(c->z))
			assert_float_equal(v.z, c->z, 1e-9);
	}
}

static void test_judge__names(void **state)
{
	(void)state;
	assert_int_equal(pg_severity_parse("warning"), PG_SEV_WARNING);
	assert_int_equal(pg_severity_parse("bogus"), -1);
	assert_string_equal(pg_severity_name(PG_SEV_IMPROVED), "improved");
	/* the order fail_on relies on */
	assert_true(PG_SEV_NOTICE < PG_SEV_WARNING && PG_SEV_WARNING < PG_SEV_CRITICAL);
	assert_true(PG_SEV_CRITICAL < PG_SEV_FAILED && PG_SEV_IMPROVED < PG_SEV_NOTICE);
}

static void test_judge__ab(void **state)
{
	(void)state;
	const pg_thresholds t = PG_THRESHOLDS_DEFAULT;
	double base[30], head[30], same[30];
	pg_verdict v;
	for (int i = 0; i < 30; i++) {
		base[i] = 100 + (i % 5);            /* drifting machine */
		head[i] = base[i] * (1.12 + 0.001 * (i % 3)); /* 12-12.2 % slower, paired */
		same[i] = base[i] * (i % 2 ? 1.002 : 0.998);
	}
	pg_judge_ab(&v, head, base, 30, 0, &t);
	assert_int_equal(v.method, PG_METHOD_AB);
	assert_int_equal(v.severity, PG_SEV_WARNING);
	assert_float_equal(v.change_pct, 12.1, 0.11);
	assert_true(v.p < 1e-4); /* tied ratios: exact, conditional on the ranks */
	assert_true(v.ci_low >= 11.9 && v.ci_high <= 12.3 && v.ci_low <= v.change_pct);
	pg_judge_ab(&v, same, base, 30, 0, &t);
	assert_int_equal(v.severity, PG_SEV_OK);
	/* higher is better: a 12 % rise is an improvement */
	pg_judge_ab(&v, head, base, 30, 1, &t);
	assert_int_equal(v.severity, PG_SEV_IMPROVED);
	/* too few pairs for an interval: none is claimed */
	pg_judge_ab(&v, head, base, 3, 0, &t);
	assert_true(isnan(v.ci_low) && isnan(v.mdc_pct));
	assert_int_equal(v.severity, PG_SEV_OK); /* p >= 0.25 with 3 pairs */
}

/* A/B on many pairs (an adaptive cap or ab_pairs in the thousands): the
 * interval stays ordered around the change and the mdc positive; before
 * the median interval was computed in log space, 2^-n underflowed from
 * 1,075 pairs on and the report read "+10.3% [10.6, 10.0]". */
static void test_judge__ab_many_pairs(void **state)
{
	(void)state;
	const pg_thresholds t = PG_THRESHOLDS_DEFAULT;
	static const size_t sizes[] = { 1074, 1075, 5000 };
	static double head[5000], base[5000], noise[5000];
	th_rng_seed(11);
	th_samples(base, 5000, 1e7, 0.05);
	th_samples(noise, 5000, 1, 0.02);
	for (size_t i = 0; i < 5000; i++)
		head[i] = base[i] * 1.12 * noise[i];
	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		pg_verdict v;
		pg_judge_ab(&v, head, base, sizes[s], 0, &t);
		if (!(v.ci_low <= v.change_pct && v.change_pct <= v.ci_high) || !(v.mdc_pct > 0))
			fail_msg("%zu pairs: %+.2f%% [%.2f, %.2f], mdc %.2f%%", sizes[s], v.change_pct,
				 v.ci_low, v.ci_high, v.mdc_pct);
		assert_true(fabs(v.change_pct - 12) < 0.5 && v.ci_high - v.ci_low < 1);
		assert_int_equal(v.severity, PG_SEV_WARNING);
	}
}

/* PG_AB_MIN_PAIRS is the fewest pairs the signed-rank test can decide on:
 * n differences of one sign give the smallest p there is. */
static void test_judge__ab_min_pairs(void **state)
{
	(void)state;
	double d[PG_AB_MIN_PAIRS];
	for (int i = 0; i < PG_AB_MIN_PAIRS; i++)
		d[i] = i + 1;
	assert_true(pg_stats_wilcoxon(d, PG_AB_MIN_PAIRS) < PG_WELCH_ALPHA);
	assert_false(pg_stats_wilcoxon(d, PG_AB_MIN_PAIRS - 1) < PG_WELCH_ALPHA);
}

/* `sleep 1.05` against `sleep 1.5`, +42.7 % in every pair.  10 pairs (the
 * old default for benchmarks over a second) cannot reach p < 0.001: the
 * verdict says so instead of a bare "ok"; 11 can.  A deterministic metric
 * (every pair exactly doubled: tied ratios) is decided by 11 pairs too. */
static void test_judge__ab_says_why_not(void **state)
{
	(void)state;
	const pg_thresholds t = PG_THRESHOLDS_DEFAULT;
	double base[12], head[12], ibase[12], ihead[12];
	pg_verdict v;
	th_rng_seed(5);
	th_samples(base, 12, 1.05e9, 0.002);
	th_samples(head, 12, 1.5e9, 0.002);
	for (int i = 0; i < 12; i++) {
		ibase[i] = 1e6;
		ihead[i] = 2e6;
	}
	pg_judge_ab(&v, head, base, 10, 0, &t);
	assert_true(v.change_pct > 40 && v.ci_low > 40 && !v.significant);
	assert_int_equal(v.severity, PG_SEV_OK);
	assert_non_null(v.note);
	assert_string_equal(v.note, PG_NOTE_AB_UNREACHABLE);
	pg_judge_ab(&v, head, base, 11, 0, &t);
	assert_int_equal(v.severity, PG_SEV_CRITICAL);
	assert_null(v.note);
	/* the other way round: -30 %, its interval below zero around it */
	pg_judge_ab(&v, base, head, 11, 0, &t);
	assert_int_equal(v.severity, PG_SEV_IMPROVED);
	assert_true(v.ci_low <= v.change_pct && v.change_pct <= v.ci_high && v.ci_high < -25);
	pg_judge_ab(&v, ihead, ibase, 10, 0, &t);
	assert_int_equal(v.severity, PG_SEV_OK);
	assert_ptr_equal(v.note, pg_judge_note_lookup(PG_NOTE_AB_UNREACHABLE));
	pg_judge_ab(&v, ihead, ibase, 11, 0, &t);
	assert_int_equal(v.severity, PG_SEV_CRITICAL);
	/* a small change nobody would flag needs no note; no change neither */
	pg_judge_ab(&v, base, base, 10, 0, &t);
	assert_null(v.note);
	assert_null(pg_judge_note_lookup("bogus"));
	assert_null(pg_judge_note_lookup(NULL));
}

/* Zero values (counts): no ratio exists, so the pairs are judged on their
 * differences.  Allocations from 0 to 5000 were `new` (every pair
 * dropped), history mode calls them critical +inf %; a throughput that
 * drops to 0 is a 100 % regression, not nothing. */
static void test_judge__ab_zeros(void **state)
{
	(void)state;
	const pg_thresholds t = PG_THRESHOLDS_DEFAULT;
	double zero[12] = { 0 }, allocs[12], tput[12], few[12], more[12];
	pg_verdict v;
	th_rng_seed(21);
	th_samples(tput, 12, 1000, 0.02);
	for (int i = 0; i < 12; i++) {
		allocs[i] = 5000;
		few[i] = i % 3;        /* 0, 1, 2 allocations */
		more[i] = few[i] + 3;  /* three more in every pair */
	}
	/* 0 -> 5000 allocations: critical, +inf % as in history mode, and no
	 * interval in % of a median of 0 */
	pg_judge_ab(&v, allocs, zero, 11, 0, &t);
	assert_int_equal(v.severity, PG_SEV_CRITICAL);
	assert_true(v.significant && isinf(v.change_pct) && v.change_pct > 0);
	assert_true(isnan(v.ci_low) && isnan(v.ci_high) && isnan(v.mdc_pct));
	assert_float_equal(v.baseline, 0, 0);
	assert_float_equal(v.current, 5000, 0);
	/* and back: -100 %, an improvement with an interval around it */
	pg_judge_ab(&v, zero, allocs, 11, 0, &t);
	assert_int_equal(v.severity, PG_SEV_IMPROVED);
	assert_float_equal(v.change_pct, -100, 1e-9);
	assert_true(v.ci_low <= v.change_pct && v.change_pct <= v.ci_high);
	/* nothing on either side: no change */
	pg_judge_ab(&v, zero, zero, 11, 0, &t);
	assert_int_equal(v.severity, PG_SEV_OK);
	assert_float_equal(v.change_pct, 0, 0);
	assert_false(v.significant);
	/* a throughput (higher is better) that drops to 0: +100 % worse */
	pg_judge_ab(&v, zero, tput, 12, 1, &t);
	assert_int_equal(v.severity, PG_SEV_CRITICAL);
	assert_float_equal(v.change_pct, 100, 1e-9);
	assert_true(v.p < PG_WELCH_ALPHA);
	assert_true(v.ci_low > 90 && v.ci_high < 110);
	/* counts that include 0: 3 more in every pair is significant; the
	 * change is that of the medians (1 -> 4: +300 %) */
	pg_judge_ab(&v, more, few, 12, 0, &t);
	assert_int_equal(v.severity, PG_SEV_CRITICAL);
	assert_float_equal(v.change_pct, 300, 1e-9);
	assert_true(v.ci_low <= v.change_pct && v.change_pct <= v.ci_high);
	pg_judge_ab(&v, few, few, 12, 0, &t);
	assert_int_equal(v.severity, PG_SEV_OK);
	/* 10 pairs cannot decide 0 -> 5000, and say so */
	pg_judge_ab(&v, allocs, zero, 10, 0, &t);
	assert_int_equal(v.severity, PG_SEV_OK);
	assert_string_equal(v.note, PG_NOTE_AB_UNREACHABLE);
	/* no pairs at all: new */
	pg_judge_ab(&v, allocs, zero, 0, 0, &t);
	assert_int_equal(v.severity, PG_SEV_NEW);
}

/* Welch's rule with one value on a side (runs: 1, or one baseline run):
 * the value is tested against the other side's; one value on each side
 * cannot be tested and says so.  +100 % with 3 baseline commits of one run
 * each was silently "ok" (Welch gave NaN). */
static void test_judge__welch_few_values(void **state)
{
	(void)state;
	const double cur1[] = { 200 }, med3[] = { 100, 101, 99 }, cur5[] = { 200, 201, 199, 202, 198 };
	const double one[] = { 100 };
	pg_judge_input in = { cur1, 1, med3, 3, med3, 3, 0, 5, PG_THRESHOLDS_DEFAULT };
	pg_verdict v;
	pg_judge(&v, &in);
	assert_int_equal(v.method, PG_METHOD_WELCH);
	assert_int_equal(v.severity, PG_SEV_CRITICAL);
	assert_true(v.p < 0.001 && isfinite(v.mdc_pct));
	assert_null(v.note);
	/* one baseline run, five current runs: the other way round */
	pg_judge_input rev = { cur5, 5, one, 1, one, 1, 0, 5, PG_THRESHOLDS_DEFAULT };
	pg_judge(&v, &rev);
	assert_int_equal(v.severity, PG_SEV_CRITICAL);
	/* one and one: not judged, and the verdict says why */
	pg_judge_input each = { cur1, 1, one, 1, one, 1, 0, 5, PG_THRESHOLDS_DEFAULT };
	pg_judge(&v, &each);
	assert_int_equal(v.severity, PG_SEV_OK);
	assert_float_equal(v.change_pct, 100, 1e-9);
	assert_non_null(v.note);
	assert_string_equal(v.note, PG_NOTE_ONE_EACH);
	/* two and two: t = 14.1 on 2 df is p = 0.005, not significant, yet
	 * the +10 % is beyond the (normal) mdc of 2.3 %: the verdict says so */
	const double c2[] = { 110, 111 }, b2[] = { 100, 101 };
	pg_judge_input two = { c2, 2, b2, 2, b2, 2, 0, 5, PG_THRESHOLDS_DEFAULT };
	pg_judge(&v, &two);
	assert_int_equal(v.severity, PG_SEV_OK);
	assert_true(v.p > 0.001 && v.change_pct > v.mdc_pct);
	assert_non_null(v.note);
	assert_string_equal(v.note, PG_NOTE_UNDECIDED);
}

static void test_judge__noise(void **state)
{
	(void)state;
	const double cur[] = { 100, 102, 98 }, med[] = { 98, 99, 100, 101, 102 };
	pg_judge_input in = { cur, 3, med, 5, NULL, 0, 0, 5, PG_THRESHOLDS_DEFAULT };
	pg_verdict v;
	pg_judge(&v, &in);
	/* mdc = sigma * sd / mu = 3 * 1.5811 / 100 */
	assert_float_equal(v.mdc_pct, 3 * sqrt(2.5), 1e-9);
	assert_float_equal(v.cv_baseline, sqrt(2.5), 1e-9);
	assert_float_equal(v.cv_current, 2, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge__severity_table),
		cmocka_unit_test(test_judge__rule),
		cmocka_unit_test(test_judge__names),
		cmocka_unit_test(test_judge__ab),
		cmocka_unit_test(test_judge__ab_many_pairs),
		cmocka_unit_test(test_judge__ab_min_pairs),
		cmocka_unit_test(test_judge__ab_says_why_not),
		cmocka_unit_test(test_judge__ab_zeros),
		cmocka_unit_test(test_judge__welch_few_values),
		cmocka_unit_test(test_judge__noise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
