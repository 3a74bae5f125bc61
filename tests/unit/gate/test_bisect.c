/*
 * test_bisect.c - the statistical bisection (bisect.h) on a real git
 * repository whose commits all have seeded results in a real store, so no
 * probe is built or measured: the answer is known by construction (a step
 * of +20 % at a known commit).  The probe classification (good, bad,
 * ambiguous, skipped), the search around a failed commit, the refusal when
 * good and bad do not differ, and --history-only.
 */
#include "bisect.h"
#include "config.h"
#include "error.h"
#include "gate.h"
#include "helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NCOMMITS 12
#define STEP 7     /* c7 is the first commit 20 % slower */
#define RUNS 10

typedef struct fixture {
	char *dir;
	pg_repo *repo;
	pg_store *store;
	pg_config *cfg;
	char sha[NCOMMITS][PG_SHA_LEN + 1];
	char def[PG_DEFINITION_LEN + 1];
} fixture;

static fixture fx;

/* Stores a run of the benchmark at commit i: RUNS seeded samples around
 * `mean` (1 % noise) in `unit`, or a failure when mean is 0. */
static void store_at(int i, double mean, const char *unit)
{
	pg_run *run = pg_run_new();
	run->commit = pg_strdup(fx.sha[i]);
	run->testbed = pg_strdup("tb");
	if (mean == 0) {
		pg_run_add_failed(run, "b", "build broke: boom");
	} else {
		pg_bench_result *b = pg_run_add_bench(run, "b");
		pg_metric_result *m = pg_bench_metric(b, "wall_time", unit, 0);
		double x[RUNS];
		th_samples(x, RUNS, mean, 0.01);
		for (int k = 0; k < RUNS; k++)
			pg_samples_push(&m->samples, x[k]);
	}
	pg_gate_stamp_definition(run, pg_config_find(fx.cfg, "b"));
	assert_int_equal(pg_store_save(fx.store, run), 0);
	pg_run_free(run);
}

/* The usual history: 1 ms, then 1.2 ms from c7 on; `n` commits changed
 * from it (index, mean; 0 for a failure), in another unit when `unit`. */
static void store_history(uint64_t seed, const double (*changed)[2], size_t n, const char *unit)
{
	th_rng_seed(seed);
	for (int i = 0; i < NCOMMITS; i++) {
		double mean = i < STEP ? 1e6 : 1.2e6;
		const char *u = "ns";
		for (size_t k = 0; k < n; k++)
			if ((int)changed[k][0] == i) {
				mean = changed[k][1];
				u = unit ? unit : u;
			}
		store_at(i, mean, u);
	}
}

static int setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	fx.dir = th_git_repo();
	th_sh(fx.dir, "for i in $(seq 0 %d); do git commit -q --allow-empty -m c$i; done",
	      NCOMMITS - 1);
	assert_int_equal(pg_repo_open(&fx.repo, fx.dir), 0);
	assert_int_equal(pg_store_open(&fx.store, "dir:.perfgate/history", fx.dir, NULL), 0);
	/* any measurement would fail ("false"): every answer comes from the store */
	assert_int_equal(pg_config_parse(&fx.cfg, "{\"benchmarks\": [{\"name\": \"b\", "
						  "\"command\": \"false\", \"runs\": 10}]}",
					 "perfgate.json"),
			 0);
	for (int i = 0; i < NCOMMITS; i++) {
		char rev[16];
		snprintf(rev, sizeof(rev), "HEAD~%d", NCOMMITS - 1 - i);
		assert_int_equal(pg_repo_resolve(fx.repo, rev, fx.sha[i]), 0);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pg_config_free(fx.cfg);
	pg_store_free(fx.store);
	pg_repo_free(fx.repo);
	th_rmrf(fx.dir);
	free(fx.dir);
	return 0;
}

static pg_bisect_opts opts(int good, int bad)
{
	pg_bisect_opts o;
	memset(&o, 0, sizeof(o));
	o.good = good >= 0 ? fx.sha[good] : NULL;
	o.bad = bad >= 0 ? fx.sha[bad] : NULL;
	o.bench = pg_config_find(fx.cfg, "b");
	o.result = "b";
	o.metric = "wall_time";
	o.testbed = "tb";
	o.max_remeasure = 0;
	return o;
}

static const pg_probe *probe_of(const pg_bisect_result *r, int i)
{
	for (size_t k = 0; k < r->nprobes; k++)
		if (!strcmp(r->probes[k].sha, fx.sha[i]))
			return &r->probes[k];
	return NULL;
}

/* Nothing measured, nothing built: every probe came from the store. */
static void assert_from_store(const pg_bisect_result *r)
{
	assert_int_equal(r->builds, 0);
	for (size_t k = 0; k < r->nprobes; k++)
		assert_false(r->probes[k].measured);
}

static void test_bisect__finds_the_step(void **state)
{
	(void)state;
	pg_bisect_result r;
	store_history(11, NULL, 0, NULL);
	pg_bisect_opts o = opts(0, NCOMMITS - 1);
	if (pg_bisect_run(&r, fx.repo, fx.store, &o) < 0)
		fail_msg("%s", pg_error_last());
	if (!r.found)
		fail_msg("not found: %s", r.message ? r.message : "(no message)");
	assert_false(r.refused);
	assert_string_equal(r.first_bad, fx.sha[STEP]);
	assert_string_equal(r.last_good, fx.sha[STEP - 1]);
	assert_int_equal(r.candidates, NCOMMITS - 1);
	assert_true(r.change_pct > 15 && r.change_pct < 25);
	assert_true(r.p < PG_BISECT_ALPHA);
	assert_from_store(&r);
	/* the endpoints, then a binary search: far fewer probes than commits */
	assert_int_equal(probe_of(&r, 0)->verdict, PG_PROBE_GOOD);
	assert_int_equal(probe_of(&r, NCOMMITS - 1)->verdict, PG_PROBE_BAD);
	assert_int_equal(probe_of(&r, STEP)->verdict, PG_PROBE_BAD);
	assert_int_equal(probe_of(&r, STEP - 1)->verdict, PG_PROBE_GOOD);
	assert_true(r.nprobes <= 2 + 5);
	for (size_t k = 0; k < r.nprobes; k++)
		assert_int_equal(r.probes[k].samples, RUNS);
	pg_bisect_result_free(&r);
}

/* A probe is good when closer to good and within a quarter of the step,
 * even if significantly different (quiet benchmarks drift); bad when
 * significantly worse and closer to bad (worse than bad too); ambiguous
 * when closer to good but significantly off by more than a quarter of the
 * step (here: much faster); skipped when it failed, and the search goes
 * around it. */
static void test_bisect__probe_classification(void **state)
{
	(void)state;
	pg_bisect_result r;
	/* the first probe (the middle of c1..c11) fails; its neighbours drift */
	static const double changed[][2] = { { 5, 0 }, { 4, 1.02e6 }, { 6, 1.02e6 }, { 8, 1.5e6 } };
	store_history(12, changed, 4, NULL);
	pg_bisect_opts o = opts(0, NCOMMITS - 1);
	assert_int_equal(pg_bisect_run(&r, fx.repo, fx.store, &o), 0);
	if (!r.found)
		fail_msg("not found: %s", r.message ? r.message : "(no message)");
	assert_string_equal(r.first_bad, fx.sha[STEP]);
	const pg_probe *p5 = probe_of(&r, 5);
	assert_non_null(p5);
	assert_int_equal(p5->verdict, PG_PROBE_SKIPPED);
	assert_true(isnan(p5->median));
	assert_non_null(strstr(p5->reason, "boom"));
	assert_int_equal(probe_of(&r, 6)->verdict, PG_PROBE_GOOD);
	assert_from_store(&r);
	pg_bisect_result_free(&r);
}

static void test_bisect__ambiguous_is_not_guessed(void **state)
{
	(void)state;
	pg_bisect_result r;
	/* 20 % faster than good: closer to good, but not good */
	static const double changed[][2] = { { 5, 0.8e6 } };
	store_history(13, changed, 1, NULL);
	pg_bisect_opts o = opts(0, NCOMMITS - 1);
	assert_int_equal(pg_bisect_run(&r, fx.repo, fx.store, &o), 0);
	assert_false(r.found);
	assert_false(r.refused);
	assert_int_equal(probe_of(&r, 5)->verdict, PG_PROBE_AMBIGUOUS);
	assert_non_null(r.message);
	assert_non_null(strstr(r.message, "ambiguous"));
	char short_sha[13];
	snprintf(short_sha, sizeof(short_sha), "%.12s", fx.sha[5]);
	assert_non_null(strstr(r.message, short_sha));
	assert_from_store(&r);
	pg_bisect_result_free(&r);
}

static void test_bisect__refusals(void **state)
{
	(void)state;
	pg_bisect_result r;
	store_history(14, NULL, 0, NULL);
	/* good and bad do not differ: refused, nothing searched */
	pg_bisect_opts o = opts(0, STEP - 1);
	assert_int_equal(pg_bisect_run(&r, fx.repo, fx.store, &o), 0);
	assert_true(r.refused);
	assert_false(r.found);
	assert_non_null(strstr(r.message, "nothing to find"));
	assert_int_equal(r.nprobes, 2); /* the endpoints only */
	assert_from_store(&r);
	pg_bisect_result_free(&r);
	/* good must be a strict ancestor of bad */
	o = opts(NCOMMITS - 1, 0);
	assert_int_equal(pg_bisect_run(&r, fx.repo, fx.store, &o), PG_EUSAGE);
	assert_non_null(strstr(pg_error_last(), "not an ancestor"));
	pg_bisect_result_free(&r);
	o = opts(3, 3);
	assert_int_equal(pg_bisect_run(&r, fx.repo, fx.store, &o), PG_EUSAGE);
	pg_bisect_result_free(&r);
	/* one run per commit can never reach significance */
	o = opts(0, NCOMMITS - 1);
	o.runs = 1;
	assert_int_equal(pg_bisect_run(&r, fx.repo, fx.store, &o), PG_EUSAGE);
	assert_non_null(strstr(pg_error_last(), "--runs 1"));
	pg_bisect_result_free(&r);
}

static void test_bisect__history_only(void **state)
{
	(void)state;
	pg_bisect_result r;
	store_history(15, NULL, 0, NULL);
	/* between good and bad */
	pg_bisect_opts o = opts(0, NCOMMITS - 1);
	assert_int_equal(pg_bisect_history(&r, fx.repo, fx.store, &o, fx.sha[NCOMMITS - 1]), 0);
	if (!r.found)
		fail_msg("not found: %s", r.message ? r.message : "(no message)");
	assert_string_equal(r.first_bad, fx.sha[STEP]);
	assert_string_equal(r.last_good, fx.sha[STEP - 1]);
	assert_int_equal(r.candidates, NCOMMITS);
	assert_true(r.change_pct > 15 && r.change_pct < 25);
	assert_true(r.p < PG_BISECT_ALPHA);
	for (int i = 0; i < NCOMMITS; i++)
		assert_int_equal(probe_of(&r, i)->verdict, i < STEP ? PG_PROBE_GOOD : PG_PROBE_BAD);
	assert_from_store(&r);
	pg_bisect_result_free(&r);

	/* without good and bad: the window before HEAD */
	o = opts(-1, -1);
	o.window = 100;
	assert_int_equal(pg_bisect_history(&r, fx.repo, fx.store, &o, fx.sha[NCOMMITS - 1]), 0);
	assert_true(r.found);
	assert_string_equal(r.first_bad, fx.sha[STEP]);
	pg_bisect_result_free(&r);

	/* no step in the range: no culprit, and why */
	o = opts(0, STEP - 1);
	assert_int_equal(pg_bisect_history(&r, fx.repo, fx.store, &o, fx.sha[NCOMMITS - 1]), 0);
	assert_false(r.found);
	assert_non_null(strstr(r.message, "no significant step change"));
	pg_bisect_result_free(&r);

	/* too little history */
	o = opts(NCOMMITS - 2, NCOMMITS - 1);
	assert_int_equal(pg_bisect_history(&r, fx.repo, fx.store, &o, fx.sha[NCOMMITS - 1]), 0);
	assert_false(r.found);
	assert_int_equal(r.candidates, 2);
	pg_bisect_result_free(&r);
	/* good after bad */
	o = opts(NCOMMITS - 1, 0);
	assert_int_equal(pg_bisect_history(&r, fx.repo, fx.store, &o, fx.sha[NCOMMITS - 1]),
			 PG_EUSAGE);
	pg_bisect_result_free(&r);
}

/* An improvement is nothing to find: bad faster than good is refused. */
static void test_bisect__improvement_is_refused(void **state)
{
	(void)state;
	pg_bisect_result r;
	static const double changed[][2] = { { 10, 0.8e6 }, { 11, 0.8e6 } };
	store_history(16, changed, 2, NULL);
	pg_bisect_opts o = opts(STEP, NCOMMITS - 1);
	assert_int_equal(pg_bisect_run(&r, fx.repo, fx.store, &o), 0);
	assert_true(r.refused);
	assert_false(r.found);
	assert_from_store(&r);
	pg_bisect_result_free(&r);
	/* and --history-only finds no step up in it */
	o = opts(STEP, NCOMMITS - 1);
	assert_int_equal(pg_bisect_history(&r, fx.repo, fx.store, &o, fx.sha[NCOMMITS - 1]), 0);
	assert_false(r.found);
	pg_bisect_result_free(&r);
}

/* Results in another unit (another counter source) are never mixed in:
 * c5 in us would look like a 1000x improvement before the step.  The
 * search measures it again instead (and "false" fails: skipped). */
static void test_bisect__units_never_mix(void **state)
{
	(void)state;
	pg_bisect_result r;
	static const double changed[][2] = { { 5, 1e3 } };
	store_history(17, changed, 1, "us");
	th_capture_warnings();
	pg_bisect_opts o = opts(0, NCOMMITS - 1);
	assert_int_equal(pg_bisect_history(&r, fx.repo, fx.store, &o, fx.sha[NCOMMITS - 1]), 0);
	assert_true(r.found);
	assert_string_equal(r.first_bad, fx.sha[STEP]);
	assert_int_equal(r.candidates, NCOMMITS - 1);
	assert_null(probe_of(&r, 5));
	pg_bisect_result_free(&r);
	assert_int_equal(pg_bisect_run(&r, fx.repo, fx.store, &o), 0);
	assert_true(r.found);
	assert_string_equal(r.first_bad, fx.sha[STEP]);
	const pg_probe *p5 = probe_of(&r, 5);
	assert_non_null(p5);
	assert_int_equal(p5->verdict, PG_PROBE_SKIPPED);
	assert_true(p5->measured);
	assert_int_equal(r.builds, 1);
	pg_bisect_result_free(&r);
}

int main(void)
{
	/* each test starts from a fresh repository and store */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bisect__finds_the_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bisect__probe_classification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bisect__ambiguous_is_not_guessed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bisect__refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bisect__history_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bisect__improvement_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bisect__units_never_mix, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
