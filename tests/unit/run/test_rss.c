/*
 * test_rss.c - rss_growth: the least-squares slope of a process tree's
 * resident memory (run/rss.h).  The fit is checked on numbers known by
 * construction; real processes (pg_testbench leak) only against generous
 * bands that load cannot flip: a 20 MB/s leak measures between 8 and 40
 * MB/s, a process that does not leak within 2 MB/s of 0.
 */
#include "error.h"
#include "helpers.h"
#include "results.h"
#include "rss.h"
#include "runner.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_rss__fit(void **state)
{
	(void)state;
	pg_rss_sampler s;
	pg_rss_sampler_init(&s, 1, 0);
	assert_true(isnan(pg_rss_sampler_slope(&s)));
	pg_rss_sampler_add(&s, 0.1, 1e6);
	pg_rss_sampler_add(&s, 0.2, 3e6);
	assert_true(isnan(pg_rss_sampler_slope(&s))); /* two samples: no slope */
	pg_rss_sampler_add(&s, 0.3, 5e6);
	assert_float_equal(pg_rss_sampler_slope(&s), 20e6, 1e-3);
	/* noise around a line: the least-squares slope, exactly */
	pg_rss_sampler_init(&s, 1, 0);
	static const double t[] = { 1, 2, 3, 4, 5 }, b[] = { 100, 90, 130, 110, 150 };
	for (int i = 0; i < 5; i++)
		pg_rss_sampler_add(&s, t[i] + 1e6, b[i] + 1e12); /* large offsets: stable */
	assert_float_equal(pg_rss_sampler_slope(&s), 12.0, 1e-3); /* sum(dt*db)/sum(dt^2) = 120/10 */
	/* constant memory: 0 */
	pg_rss_sampler_init(&s, 1, 0);
	for (int i = 0; i < 1000; i++)
		pg_rss_sampler_add(&s, i * 0.1, 5e8);
	assert_float_equal(pg_rss_sampler_slope(&s), 0, 1e-6);
}

static void test_rss__tree_bytes(void **state)
{
	(void)state;
	/* this process is its own tree: some memory, not absurd */
	int64_t self = pg_rss_tree_bytes(getpid(), getppid());
	assert_true(self > 100 * 1024);
	assert_true(self < (int64_t)64 << 30);
	assert_int_equal(pg_rss_tree_bytes(0x7ffffff0, getpid()), 0); /* no such process */
}

/* A process that touches 64 MiB and then forks 3 workers that share its
 * pages: the tree holds 64 MiB, not 4 x 64 (each worker's resident set
 * counts the shared pages again; their proportional set sizes do not). */
static void test_rss__shared_pages_count_once(void **state)
{
	(void)state;
	const size_t size = (size_t)64 << 20;
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t root = fork();
	assert_true(root >= 0);
	if (root == 0) {
		char *p = malloc(size);
		if (!p)
			_exit(1);
		memset(p, 1, size);
		setpgid(0, 0);
		for (int i = 0; i < 3; i++)
			if (fork() == 0) {
				if (write(ready[1], "w", 1) != 1)
					_exit(1);
				pause();
				_exit(p[i]);
			}
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(p[5]);
	}
	close(ready[1]);
	char c;
	for (int i = 0; i < 4; i++)
		assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	int64_t bytes = pg_rss_tree_bytes(root, getpid());
	kill(-root, SIGKILL);
	kill(root, SIGKILL);
	while (waitpid(root, NULL, 0) < 0 && errno == EINTR)
		;
	if (bytes < (int64_t)(size * 9 / 10) || bytes > (int64_t)(size * 2))
		fail_msg("a 64 MiB tree of 4 processes sharing it measured %.1f MiB", bytes / 1048576.0);
}

static void run_leak(const char *shell, double *slope, size_t *n)
{
	char *argv[] = { "/bin/sh", "-c", (char *)shell, NULL };
	pg_proc_spec spec = { .argv = argv, .timeout = 60, .sample_rss = 1 };
	pg_proc_result r;
	assert_int_equal(pg_proc_run(&r, &spec), 0);
	assert_int_equal(r.status, PG_PROC_OK);
	*slope = r.rss_growth;
	*n = r.rss_samples;
	pg_proc_result_free(&r);
}

static void test_rss__leaking_process(void **state)
{
	(void)state;
	double slope;
	size_t n;
	/* the leaker is a child of the shell: the whole tree is sampled */
	run_leak(TESTBENCH " leak 20 2; true", &slope, &n);
	if (!(slope > 8e6 && slope < 40e6))
		fail_msg("a 20 MB/s leak measured %.0f B/s from %zu samples", slope, n);
	assert_true(n >= PG_RSS_MIN_SAMPLES);
	run_leak("exec " TESTBENCH " leak 0 2", &slope, &n);
	if (!(fabs(slope) < 2e6))
		fail_msg("no leak measured %.0f B/s from %zu samples", slope, n);
	/* too short for three samples: no slope */
	run_leak("true", &slope, &n);
	assert_true(isnan(slope));
	assert_true(n < PG_RSS_MIN_SAMPLES);
}

/* Without sample_rss nothing is sampled. */
static void test_rss__off_by_default(void **state)
{
	(void)state;
	char *argv[] = { "/bin/sh", "-c", "sleep 0.5", NULL };
	pg_proc_spec spec = { .argv = argv, .timeout = 60 };
	pg_proc_result r;
	assert_int_equal(pg_proc_run(&r, &spec), 0);
	assert_int_equal(r.rss_samples, 0);
	pg_proc_result_free(&r);
}

static int parse_doc(const char *metric, pg_run **out)
{
	pg_buf text = PG_BUF_INIT;
	json_error_t jerr;
	pg_buf_printf(&text, "{\"format\": \"perfgate-run\", \"version\": 1, \"commit\": "
			     "\"%040d\", \"testbed\": \"t\", \"benchmarks\": [{\"name\": \"b\", "
			     "\"status\": \"ok\", \"metrics\": {\"rss_growth\": %s}}]}", 0, metric);
	json_t *doc = json_loads(text.ptr, 0, &jerr);
	assert_non_null(doc);
	int err = pg_run_from_json(out, doc, "r.json");
	json_decref(doc);
	pg_buf_free(&text);
	return err;
}

/* "counts" in a results document: one per sample, kept through a round
 * trip; anything else is malformed. */
static void test_rss__counts_in_results(void **state)
{
	(void)state;
	pg_run *run;
	assert_int_equal(parse_doc("{\"unit\": \"B/s\", \"direction\": \"lower\", \"samples\": "
				   "[1.5, -2], \"counts\": [15, 0]}", &run), 0);
	pg_metric_result *m = pg_bench_find_metric(&run->benches[0], "rss_growth");
	assert_int_equal(m->counts.n, 2);
	assert_float_equal(m->counts.v[0], 15, 0);
	char *text = pg_run_dump(run);
	assert_non_null(strstr(text, "\"counts\""));
	free(text);
	/* no counts: none written */
	pg_run_free(run);
	assert_int_equal(parse_doc("{\"unit\": \"B/s\", \"direction\": \"lower\", \"samples\": "
				   "[1.5]}", &run), 0);
	text = pg_run_dump(run);
	assert_null(strstr(text, "counts"));
	free(text);
	pg_run_free(run);
	static const char *const bad[] = { "[15]", "[15, 1, 2]", "[-1, 2]", "[1.5, 2]", "[\"1\", 2]",
					   "{}", "[1e13, 1]", "[10000000000000, 1]", NULL };
	for (int i = 0; bad[i]; i++) {
		pg_buf m2 = PG_BUF_INIT;
		pg_buf_printf(&m2, "{\"unit\": \"B/s\", \"direction\": \"lower\", \"samples\": "
				   "[1, 2], \"counts\": %s}", bad[i]);
		run = NULL;
		if (parse_doc(m2.ptr, &run) != PG_ECORRUPT)
			fail_msg("accepted counts %s", bad[i]);
		assert_non_null(strstr(pg_error_last(), "count"));
		pg_buf_free(&m2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rss__fit),
		cmocka_unit_test(test_rss__tree_bytes),
		cmocka_unit_test(test_rss__shared_pages_count_once),
		cmocka_unit_test(test_rss__leaking_process),
		cmocka_unit_test(test_rss__off_by_default),
		cmocka_unit_test(test_rss__counts_in_results),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
