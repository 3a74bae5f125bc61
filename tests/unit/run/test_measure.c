/*
 * test_measure.c - measuring configured benchmarks on real short processes
 * (measure.h): pg_measure_bench and pg_measure_invocation.  Only what load
 * cannot flip is asserted: failed or not, the reasons, sample counts,
 * metric names and units, the files a benchmark writes and reads.
 */
#include "config.h"
#include "error.h"
#include "helpers.h"
#include "measure.h"

#include <stdlib.h>
#include <string.h>

static char *root;

static int setup(void **state)
{
	(void)state;
	root = th_tempdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_rmrf(root);
	free(root);
	return 0;
}

/* The one benchmark of a config holding `bench` (a JSON object). */
static pg_config *one(const char *bench)
{
	pg_buf j = PG_BUF_INIT;
	pg_config *cfg = NULL;
	pg_buf_printf(&j, "{\"benchmarks\": [%s]}", bench);
	if (pg_config_parse(&cfg, j.ptr, "perfgate.json") < 0)
		fail_msg("%s", pg_error_last());
	pg_buf_free(&j);
	assert_int_equal(cfg->nbenches, 1);
	return cfg;
}

typedef struct progress_log {
	int warmups, runs, last_n;
} progress_log;

static void on_progress(void *payload, const char *bench, int warmup, int i, int n)
{
	progress_log *p = payload;
	assert_string_equal(bench, "t");
	if (warmup) {
		assert_int_equal(i, ++p->warmups);
	} else {
		assert_int_equal(i, ++p->runs);
	}
	p->last_n = n;
}

static void test_measure__runs_a_process(void **state)
{
	(void)state;
	pg_config *cfg = one("{\"name\": \"t\", \"command\": [\"true\"], \"runs\": 4, \"warmup\": 2}");
	pg_run *run = pg_run_new();
	progress_log p = { 0, 0, 0 };
	assert_int_equal(pg_measure_bench(run, &cfg->benches[0], root, on_progress, &p), 0);
	assert_int_equal(p.warmups, 2);
	assert_int_equal(p.runs, 4);
	assert_int_equal(p.last_n, 4);
	const pg_bench_result *b = pg_run_find_bench(run, "t");
	assert_non_null(b);
	assert_false(b->failed);
	assert_null(b->reason);
	assert_true(b->nmetrics >= 1);
	const pg_metric_result *w = pg_bench_find_metric(b, "wall_time");
	assert_non_null(w);
	assert_string_equal(w->unit, "ns");
	assert_false(w->higher_is_better);
	/* warm-ups are not kept: one sample per measured run, per metric */
	for (size_t m = 0; m < b->nmetrics; m++)
		if (b->metrics[m].samples.n != 4)
			fail_msg("%s: %zu samples", b->metrics[m].name, b->metrics[m].samples.n);
	for (size_t k = 0; k < w->samples.n; k++)
		assert_true(w->samples.v[k] > 0);
	pg_run_free(run);
	pg_config_free(cfg);
}

static void test_measure__failures(void **state)
{
	(void)state;
	static const struct {
		const char *bench, *reason1, *reason2;
	} cases[] = {
		{ "{\"name\": \"f\", \"command\": \"echo doomed >&2; exit 3\", \"runs\": 5, "
		  "\"warmup\": 0}", "run 1/5", "status 3" },
		{ "{\"name\": \"f\", \"command\": [\"sh\", \"-c\", \"kill -9 $$\"], \"runs\": 5, "
		  "\"warmup\": 0}", "run 1/5", "signal 9" },
		{ "{\"name\": \"f\", \"command\": [\"/nonexistent/perfgate-bench\"], \"runs\": 5, "
		  "\"warmup\": 0}", "run 1/5", "could not exec" },
		{ "{\"name\": \"f\", \"command\": \"exit 4\", \"runs\": 5, \"warmup\": 1}",
		  "warm-up 1/1", "status 4" },
		/* a failure in the third run loses the first two */
		{ "{\"name\": \"f\", \"command\": \"n=$(cat n 2>/dev/null || echo 0); "
		  "echo $((n + 1)) > n; test $n -lt 2\", \"runs\": 5, \"warmup\": 0}", "run 3/5", "status 1" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		pg_config *cfg = one(cases[i].bench);
		pg_run *run = pg_run_new();
		th_sh(root, "rm -f n");
		assert_int_equal(pg_measure_bench(run, &cfg->benches[0], root, NULL, NULL), 0);
		const pg_bench_result *b = pg_run_find_bench(run, "f");
		assert_non_null(b);
		assert_int_equal(run->nbenches, 1);
		if (!b->failed || !b->reason || !strstr(b->reason, cases[i].reason1) ||
		    !strstr(b->reason, cases[i].reason2))
			fail_msg("case %zu: failed %d, reason '%s'", i, b->failed,
				 b->reason ? b->reason : "(none)");
		assert_int_equal(b->nmetrics, 0);
		assert_ptr_equal(pg_run_family_failed(run, "f"), b);
		pg_run_free(run);
		pg_config_free(cfg);
	}
	/* stderr's tail is part of the reason */
	pg_config *cfg = one("{\"name\": \"f\", \"command\": \"echo doomed >&2; exit 3\"}");
	pg_run *run = pg_run_new();
	assert_int_equal(pg_measure_bench(run, &cfg->benches[0], root, NULL, NULL), 0);
	assert_non_null(strstr(pg_run_find_bench(run, "f")->reason, "doomed"));
	pg_run_free(run);
	pg_config_free(cfg);
}

/* cwd is relative to the root; env is added; files are where they belong. */
static void test_measure__cwd_env_and_files(void **state)
{
	(void)state;
	th_sh(root, "mkdir -p sub");
	pg_config *cfg = one("{\"name\": \"t\", \"command\": \"pwd > where; echo \\\"$PG_X\\\" > x\", "
			     "\"cwd\": \"sub\", \"env\": {\"PG_X\": \"a b\"}, \"runs\": 2}");
	pg_run *run = pg_run_new();
	assert_int_equal(pg_measure_bench(run, &cfg->benches[0], root, NULL, NULL), 0);
	assert_false(pg_run_find_bench(run, "t")->failed);
	char *where = th_sh_out(root, "cat sub/where");
	char *x = th_sh_out(root, "cat sub/x");
	assert_true(strstr(where, "/sub") != NULL);
	assert_string_equal(x, "a b");
	free(where);
	free(x);
	pg_run_free(run);
	pg_config_free(cfg);
}

#define HYPERFINE "{\\\"results\\\": [{\\\"command\\\": \\\"fast\\\", \\\"times\\\": " \
		  "[0.001, 0.002, 0.003]}, {\\\"command\\\": \\\"slow\\\", \\\"times\\\": " \
		  "[0.010, 0.020, 0.030]}]}"

/* A harness writing an imported format's file: its results under NAME/. */
static void test_measure__imported_results(void **state)
{
	(void)state;
	pg_config *cfg = one("{\"name\": \"h\", \"command\": \"printf '%s' '" HYPERFINE
			     "' > out.json\", \"format\": \"hyperfine\", \"output\": \"out.json\", "
			     "\"runs\": 2}");
	pg_run *run = pg_run_new();
	assert_int_equal(pg_measure_bench(run, &cfg->benches[0], root, NULL, NULL), 0);
	const pg_bench_result *fast = pg_run_find_bench(run, "h/fast");
	const pg_bench_result *slow = pg_run_find_bench(run, "h/slow");
	if (!fast || !slow)
		fail_msg("results: %zu, first '%s' (%s)", run->nbenches,
			 run->nbenches ? run->benches[0].name : "-",
			 run->nbenches && run->benches[0].reason ? run->benches[0].reason : "");
	assert_null(pg_run_find_bench(run, "h"));
	const pg_metric_result *m = pg_bench_find_metric(fast, "wall_time");
	assert_non_null(m);
	assert_string_equal(m->unit, "ns");
	/* every sample of both runs: 2 x 3 */
	assert_int_equal(m->samples.n, 6);
	assert_float_equal(m->samples.v[0], 1e6, 1);
	assert_int_equal(pg_bench_find_metric(slow, "wall_time")->samples.n, 6);
	pg_run_free(run);

	/* collapsed (A/B): one value per invocation, the median */
	run = pg_run_new();
	char label[] = "base pair 1/1";
	double wall = 0;
	pg_invocation inv = { root, 1, 1, 0, label, &wall };
	assert_int_equal(pg_measure_invocation(run, &cfg->benches[0], &inv), 0);
	m = pg_bench_find_metric(pg_run_find_bench(run, "h/slow"), "wall_time");
	assert_int_equal(m->samples.n, 1);
	assert_float_equal(m->samples.v[0], 2e7, 1);
	assert_true(wall > 0);
	pg_run_free(run);
	pg_config_free(cfg);

	/* a stale file is never read: a run that writes none fails */
	th_write(root, "out.json", "{\"results\": [{\"command\": \"stale\", \"times\": [1, 2]}]}");
	cfg = one("{\"name\": \"h\", \"command\": [\"true\"], \"format\": \"hyperfine\", "
		  "\"output\": \"out.json\", \"runs\": 2}");
	run = pg_run_new();
	assert_int_equal(pg_measure_bench(run, &cfg->benches[0], root, NULL, NULL), 0);
	assert_null(pg_run_find_bench(run, "h/stale"));
	const pg_bench_result *f = pg_run_family_failed(run, "h");
	assert_non_null(f);
	assert_non_null(strstr(f->reason, "run 1/2: cannot import hyperfine results"));
	pg_run_free(run);
	pg_config_free(cfg);

	/* malformed output: failed, naming the format */
	cfg = one("{\"name\": \"h\", \"command\": \"echo '{\\\"results\\\": 5}' > out.json\", "
		  "\"format\": \"hyperfine\", \"output\": \"out.json\"}");
	run = pg_run_new();
	assert_int_equal(pg_measure_bench(run, &cfg->benches[0], root, NULL, NULL), 0);
	f = pg_run_family_failed(run, "h");
	assert_non_null(f);
	assert_non_null(strstr(f->reason, "hyperfine"));
	assert_int_equal(run->nbenches, 1);
	pg_run_free(run);
	pg_config_free(cfg);
}

static void test_measure__invocation(void **state)
{
	(void)state;
	pg_config *cfg = one("{\"name\": \"t\", \"command\": [\"true\"]}");
	pg_run *run = pg_run_new();
	char label[] = "head warm-up 1/1";
	double wall = -1;
	/* not kept: nothing recorded, the wall time still measured */
	pg_invocation inv = { root, 0, 0, 0, label, &wall };
	assert_int_equal(pg_measure_invocation(run, &cfg->benches[0], &inv), 0);
	assert_int_equal(run->nbenches, 0);
	assert_true(wall > 0);
	/* kept: one sample per metric, added to the same result */
	inv.keep = 1;
	assert_int_equal(pg_measure_invocation(run, &cfg->benches[0], &inv), 0);
	assert_int_equal(pg_measure_invocation(run, &cfg->benches[0], &inv), 0);
	assert_int_equal(run->nbenches, 1);
	assert_int_equal(pg_bench_find_metric(&run->benches[0], "wall_time")->samples.n, 2);
	pg_run_free(run);
	pg_config_free(cfg);
	/* a failure's reason starts with the label and replaces the results */
	cfg = one("{\"name\": \"t\", \"command\": \"exit 3\"}");
	run = pg_run_new();
	pg_bench_result *b = pg_run_add_bench(run, "t");
	pg_samples_push(&pg_bench_metric(b, "wall_time", "ns", 0)->samples, 5);
	pg_run_add_bench(run, "t/sub");
	pg_run_add_bench(run, "other");
	assert_int_equal(pg_measure_invocation(run, &cfg->benches[0], &inv), 0);
	b = pg_run_family_failed(run, "t");
	assert_non_null(b);
	assert_int_equal(strncmp(b->reason, "head warm-up 1/1 ", 17), 0);
	assert_null(pg_run_find_bench(run, "t/sub"));
	assert_non_null(pg_run_find_bench(run, "other"));
	assert_null(pg_run_family_failed(run, "other"));
	assert_int_equal(run->nbenches, 2);
	pg_run_free(run);
	pg_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measure__runs_a_process),
		cmocka_unit_test(test_measure__failures),
		cmocka_unit_test(test_measure__cwd_env_and_files),
		cmocka_unit_test(test_measure__imported_results),
		cmocka_unit_test(test_measure__invocation),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
