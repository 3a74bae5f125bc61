/*
 * test_harness.c - perfgate's micro-benchmark harness, through a real
 * benchmark program built at -O3 (harness_bench.c): the do-not-optimise
 * barrier keeps a pure call that the compiler would delete, pause/resume
 * keeps set-up out of the timing, and --list, --filter and the JSON that
 * perfgate imports all work.
 */
#include "buf.h"
#include "helpers.h"
#include "import.h"
#include "results.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

static pg_run *run_bench(const char *args)
{
	char *out = th_sh_out("/", "'%s' %s", HARNESS_BENCH, args);
	pg_run *run = pg_run_new();
	assert_int_equal(pg_import_parse(run, PG_IMPORT_PERFGATE, out, strlen(out), NULL, "bench"), 0);
	free(out);
	return run;
}

static double median_of(pg_run *run, const char *bench, const char *metric)
{
	pg_bench_result *b = pg_run_find_bench(run, bench);
	assert_non_null(b);
	pg_metric_result *m = pg_bench_find_metric(b, metric);
	assert_non_null(m);
	return pg_stats_median(m->samples.v, m->samples.n);
}

static void test_harness__barrier_keeps_pure_calls(void **state)
{
	(void)state;
	pg_run *run = run_bench("--format json --min-time 0.02 --repetitions 3 --filter '^(kept|deleted)$'");
	double kept = median_of(run, "kept", "time_per_op");
	double deleted = median_of(run, "deleted", "time_per_op");
	/* 200 dependent multiply-adds cost tens of ns; a deleted call ~1 ns */
	if (!(kept > 30 && kept > 10 * deleted))
		fail_msg("kept %.2f ns/op, deleted %.2f ns/op: the barrier did not hold", kept, deleted);
	assert_int_equal(run->nbenches, 2);
	pg_run_free(run);
}

static void test_harness__pause_and_counters(void **state)
{
	(void)state;
	pg_run *run = run_bench("--format json --min-time 0.01 --repetitions 3 --filter with_setup");
	double small = median_of(run, "with_setup/10", "time_per_op");
	double large = median_of(run, "with_setup/1000", "time_per_op");
	/* the set-up grows 100x but is paused: the timed part stays tiny
	 * (timer overhead only, far below the ~100,000-step set-up) */
	if (!(large < 20 * small + 2000))
		fail_msg("paused set-up leaked into the timing: %.1f vs %.1f ns/op", large, small);
	double rate = median_of(run, "with_setup/1000", "items_per_second");
	assert_true(rate > 0);
	pg_bench_result *b = pg_run_find_bench(run, "with_setup/1000");
	assert_true(pg_bench_find_metric(b, "items_per_second")->higher_is_better);
	assert_int_equal(pg_bench_find_metric(b, "time_per_op")->samples.n, 3);
	pg_run_free(run);
}

static void test_harness__list_and_filter(void **state)
{
	(void)state;
	char *out = th_sh_out("/", "'%s' --list", HARNESS_BENCH);
	assert_string_equal(out, "kept\ndeleted\nwith_setup/10\nwith_setup/1000");
	free(out);
	out = th_sh_out("/", "'%s' --list --filter 'setup/1'", HARNESS_BENCH);
	assert_string_equal(out, "with_setup/10\nwith_setup/1000");
	free(out);
	out = th_sh_out("/", "'%s' --bogus 1 2>&1; echo rc=$?", HARNESS_BENCH);
	assert_non_null(strstr(out, "rc=2"));
	free(out);
	out = th_sh_out("/", "'%s' --min-time 0.001 --repetitions 2 --filter kept", HARNESS_BENCH);
	assert_non_null(strstr(out, "ns/op"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_harness__barrier_keeps_pure_calls),
		cmocka_unit_test(test_harness__pause_and_counters),
		cmocka_unit_test(test_harness__list_and_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
