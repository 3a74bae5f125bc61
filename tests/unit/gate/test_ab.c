/*
 * test_ab.c - the A/B rules on seeded pairs whose answer is known by
 * construction: the 95 % interval of the paired change covers the true
 * change about 95 % of the time, and the adaptive stopping rule stops early
 * on changes far from the notice threshold (and on no change at all) but
 * not while the interval straddles it.  pg_ab_report's rows (new, missing,
 * retired, failed on either side), and pg_ab_measure on real short
 * processes in a real repository (counts, reasons and refusals only).
 */
#include "ab.h"
#include "error.h"
#include "helpers.h"
#include "judge.h"

#include <math.h>
#include <stdlib.h>
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

/* A side of an A/B run: results with `n` seeded pairs around `mean`. */
static void side_add(pg_run *run, const char *bench, const double *x, size_t n)
{
	pg_bench_result *b = pg_run_add_bench(run, bench);
	pg_metric_result *m = pg_bench_metric(b, "wall_time", "ns", 0);
	for (size_t i = 0; i < n; i++)
		pg_samples_push(&m->samples, x[i]);
}

static const pg_result_row *row_of(const pg_report *r, const char *bench)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].bench, bench))
			return &r->rows[i];
	return NULL;
}

static void test_ab__report_rows(void **state)
{
	(void)state;
	pg_config *cfg;
	assert_int_equal(pg_config_parse(&cfg, "{\"benchmarks\": [{\"name\": \"slow\", \"command\": "
					       "\"true\"}, {\"name\": \"same\", \"command\": \"true\"}], "
					       "\"retired\": [\"old\"]}", "perfgate.json"), 0);
	const char *base_sha = "1234567890123456789012345678901234567890";
	pg_run *head = pg_run_new(), *base = pg_run_new();
	head->commit = pg_strdup("abcdefabcdefabcdefabcdefabcdefabcdefabcd");
	head->testbed = pg_strdup("tb");
	base->commit = pg_strdup(base_sha);
	base->testbed = pg_strdup("tb");
	double h[30], b[30];
	th_rng_seed(21);
	pairs(h, b, 30, 0.40);
	side_add(head, "slow", h, 30);
	side_add(base, "slow", b, 30);
	pairs(h, b, 30, 0);
	side_add(head, "same", h, 30);
	side_add(base, "same", b, 30);
	side_add(head, "fresh", h, 20);          /* head only: new */
	side_add(base, "gone", b, 20);           /* base only: missing */
	side_add(base, "old", b, 20);            /* base only, retired: a warning */
	pg_run_add_failed(base, "crashy", "base pair 1/30: exited with status 3");
	side_add(head, "crashy", h, 1);
	th_capture_warnings();
	pg_report *r = pg_ab_report(head, base, cfg, base_sha, PG_SEV_CRITICAL, 1);
	assert_true(r->ab);
	assert_true(r->ab_adaptive);
	assert_string_equal(r->base_commit, base_sha);
	assert_int_equal(r->ab_pairs, 30);
	assert_false(r->passed);
	assert_int_equal(row_of(r, "slow")->v.severity, PG_SEV_CRITICAL);
	assert_int_equal(row_of(r, "slow")->v.method, PG_METHOD_AB);
	assert_true(row_of(r, "slow")->v.change_pct > 30);
	assert_true(row_of(r, "same")->v.severity <= PG_SEV_NOTICE);
	assert_int_equal(row_of(r, "fresh")->v.severity, PG_SEV_NEW);
	const pg_result_row *gone = row_of(r, "gone"), *crashy = row_of(r, "crashy");
	assert_int_equal(gone->v.severity, PG_SEV_MISSING);
	assert_non_null(strstr(gone->reason, "base side (123456789012)"));
	assert_null(row_of(r, "old"));
	assert_non_null(strstr(th_warnings(), "old: retired"));
	/* a failure on the base side fails the benchmark, without numbers:
	 * no cv or minimum detectable change of 0 (the drift) */
	assert_int_equal(crashy->v.severity, PG_SEV_FAILED);
	assert_string_equal(crashy->reason, "base pair 1/30: exited with status 3");
	assert_null(crashy->metric);
	assert_true(isnan(crashy->v.cv_current) && isnan(crashy->v.cv_baseline));
	assert_true(isnan(crashy->v.mdc_pct) && isnan(crashy->v.change_pct));
	pg_report_free(r);
	pg_run_free(head);
	pg_run_free(base);
	pg_config_free(cfg);
}

/* Real processes in a real repository: the base commit's bench.sh fails,
 * the head's works; "true" works on both sides.  Asserted: what load
 * cannot change (pairs, reasons, refusals). */
static void test_ab__measure_real_processes(void **state)
{
	(void)state;
	char *dir = th_git_repo();
	char base_sha[PG_SHA_LEN + 1], head_sha[PG_SHA_LEN + 1];
	th_write(dir, "bench.sh", "echo base >&2; exit 3\n");
	th_sh(dir, "git add bench.sh && git commit -q -m base");
	th_write(dir, "bench.sh", "exit 0\n");
	th_sh(dir, "git commit -q -am head");
	pg_repo *repo;
	pg_config *cfg;
	assert_int_equal(pg_repo_open(&repo, dir), 0);
	assert_int_equal(pg_repo_resolve(repo, "HEAD~1", base_sha), 0);
	assert_int_equal(pg_repo_resolve(repo, "HEAD", head_sha), 0);
	assert_int_equal(pg_config_parse(&cfg, "{\"benchmarks\": [{\"name\": \"script\", "
					       "\"command\": \"sh bench.sh\"}, {\"name\": \"t\", "
					       "\"command\": [\"true\"]}]}", "perfgate.json"), 0);
	pg_gate_env env = { cfg, repo, NULL, head_sha, "tb" };
	pg_ab_opts o = { .base = base_sha, .build_timeout = 60, .pairs = 12 };
	pg_run *head = NULL, *base = NULL;
	if (pg_ab_measure(&head, &base, &env, &o) < 0)
		fail_msg("%s", pg_error_last());
	assert_string_equal(head->commit, head_sha);
	assert_string_equal(base->commit, base_sha);
	/* one side failed: both are failed, the reason naming the base */
	const pg_bench_result *hs = pg_run_find_bench(head, "script");
	const pg_bench_result *bs = pg_run_find_bench(base, "script");
	assert_true(hs && hs->failed && bs && bs->failed);
	assert_non_null(strstr(bs->reason, "base"));
	assert_non_null(strstr(bs->reason, "3"));
	assert_string_equal(hs->reason, bs->reason);
	/* "true": 12 pairs, aligned, stamped with the head's definition */
	const pg_bench_result *ht = pg_run_find_bench(head, "t"), *bt = pg_run_find_bench(base, "t");
	assert_true(ht && bt && !ht->failed && !bt->failed);
	const pg_metric_result *hm = pg_bench_find_metric(ht, "wall_time");
	const pg_metric_result *bm = pg_bench_find_metric(bt, "wall_time");
	assert_true(hm && bm);
	assert_int_equal(hm->samples.n, 12);
	assert_int_equal(bm->samples.n, 12);
	assert_string_equal(hm->unit, "ns");
	assert_non_null(ht->definition);
	assert_string_equal(ht->definition, bt->definition);
	pg_report *r = pg_ab_report(head, base, cfg, base_sha, PG_SEV_CRITICAL, 0);
	assert_int_equal(row_of(r, "script")->v.severity, PG_SEV_FAILED);
	assert_int_equal(r->ab_pairs, 12);
	pg_report_free(r);
	pg_run_free(head);
	pg_run_free(base);

	/* a base that does not build: an error naming it, no runs */
	o.build = "echo nope >&2; exit 7";
	assert_int_equal(pg_ab_measure(&head, &base, &env, &o), PG_ERUNTIME);
	assert_null(head);
	assert_null(base);
	assert_non_null(strstr(pg_error_last(), "failed to build"));
	/* nor one that does not exist */
	o.build = NULL;
	o.base = "0000000000000000000000000000000000000001";
	assert_int_equal(pg_ab_measure(&head, &base, &env, &o), PG_ERUNTIME);
	assert_null(head);
	pg_config_free(cfg);
	pg_repo_free(repo);
	th_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ab__interval_covers_the_truth),
		cmocka_unit_test(test_ab__adaptive_rule),
		cmocka_unit_test(test_ab__adaptive_from_zero),
		cmocka_unit_test(test_ab__pairs_for),
		cmocka_unit_test(test_ab__report_rows),
		cmocka_unit_test(test_ab__measure_real_processes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
