/*
 * test_baseline.c - collecting the baseline from a real repository and a
 * real store: window, HEAD excluded, dirty runs and failures left out.
 */
#include "baseline.h"
#include "buf.h"
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

static void save(pg_store *s, const char *sha, int dirty, double value, int failed)
{
	pg_run *run = pg_run_new();
	run->commit = pg_strdup(sha);
	run->testbed = pg_strdup("tb");
	run->dirty = dirty;
	pg_bench_result *b = pg_run_add_bench(run, "bench");
	if (failed) {
		b->failed = 1;
		b->reason = pg_strdup("boom");
	} else {
		pg_metric_result *m = pg_bench_metric(b, "wall_time", "ns", 0);
		pg_samples_push(&m->samples, value);
		pg_samples_push(&m->samples, value + 2);
	}
	assert_int_equal(pg_store_save(s, run), 0);
	pg_run_free(run);
}

static void test_baseline__window_and_exclusions(void **state)
{
	(void)state;
	char *dir = th_git_repo();
	char sha[6][PG_SHA_LEN + 1];
	pg_repo *repo;
	pg_store *store;
	pg_baseline b;
	th_sh(dir, "for i in 0 1 2 3 4 5; do git commit -q --allow-empty -m c$i; done");
	assert_int_equal(pg_repo_open(&repo, dir), 0);
	assert_int_equal(pg_store_open(&store, "dir:.perfgate/history", pg_repo_workdir(repo), NULL), 0);
	for (int i = 0; i < 6; i++) {
		char rev[16];
		snprintf(rev, sizeof(rev), "HEAD~%d", 5 - i);
		assert_int_equal(pg_repo_resolve(repo, rev, sha[i]), 0);
	}
	save(store, sha[1], 0, 100, 0);
	save(store, sha[2], 0, 200, 0);
	save(store, sha[2], 0, 210, 0); /* two runs: pooled */
	save(store, sha[3], 1, 999, 0); /* dirty: left out */
	save(store, sha[4], 0, 400, 0);
	save(store, sha[4], 0, 0, 1);   /* a failed run adds nothing */
	save(store, sha[5], 0, 500, 0); /* HEAD: excluded */

	pg_baseline_opts o = { sha[5], 1, "tb", 2, 0 };
	assert_int_equal(pg_baseline_collect(&b, repo, store, &o), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.commits[0].sha, sha[4]);
	assert_string_equal(b.commits[1].sha, sha[2]);
	pg_baseline_free(&b);

	o.window = 10;
	assert_int_equal(pg_baseline_collect(&b, repo, store, &o), 0);
	assert_int_equal(b.n, 3);
	pg_samples med = { 0 }, pooled = { 0 };
	pg_baseline_series(&b, "bench", "wall_time", "ns", &med, &pooled);
	/* oldest first: c1 {100,102}, c2 {200,202,210,212}, c4 {400,402} */
	assert_int_equal(med.n, 3);
	assert_float_equal(med.v[0], 101, 0);
	assert_float_equal(med.v[1], 206, 0);
	assert_float_equal(med.v[2], 401, 0);
	assert_int_equal(pooled.n, 8);
	pg_samples_free(&med);
	pg_samples_free(&pooled);
	/* another unit (another counter source) is never mixed in */
	pg_baseline_series(&b, "bench", "wall_time", "instr@valgrind", &med, NULL);
	assert_int_equal(med.n, 0);
	pg_baseline_free(&b);

	/* with dirty runs allowed and HEAD included (as `history` does) */
	pg_baseline_opts all = { sha[5], 0, "tb", 10, 1 };
	assert_int_equal(pg_baseline_collect(&b, repo, store, &all), 0);
	assert_int_equal(b.n, 5);
	assert_string_equal(b.commits[0].sha, sha[5]);
	assert_true(b.commits[2].pooled->dirty);
	pg_baseline_free(&b);

	pg_store_free(store);
	pg_repo_free(repo);
	th_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline__window_and_exclusions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
