/*
 * test_budget_config.c - budgets and per-metric thresholds in perfgate.json
 * (issue 16): quantities with units, "budgets" and "thresholds"."metrics"
 * with hostile input, the README's seeds table, and the policy diff.
 * (test_budget.c: the check against a run and the reports.)
 */
#include "budget.h"
#include "buf.h"
#include "config.h"
#include "error.h"
#include "fsutil.h"
#include "helpers.h"
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double in_unit(const char *text, const char *unit)
{
	pg_quantity q;
	double v;
	assert_int_equal(pg_quantity_parse(text, &q, NULL), 0);
	if (pg_quantity_convert(&q, unit, &v) < 0)
		return NAN;
	return v;
}

static void test_budget__units(void **state)
{
	(void)state;
	assert_float_equal(in_unit("2 s", "ns"), 2e9, 1e-3);
	assert_float_equal(in_unit("2s", "ns"), 2e9, 1e-3);
	assert_float_equal(in_unit("1.5 ms", "ns"), 1.5e6, 1e-6);
	assert_float_equal(in_unit("100 MiB", "KiB"), 102400, 1e-9);
	assert_float_equal(in_unit("1 GB", "KiB"), 1e9 / 1024, 1e-6);
	assert_float_equal(in_unit("10000/s", "ops/s"), 10000, 1e-9);
	assert_float_equal(in_unit("10000/s", "1/s"), 10000, 1e-9);
	assert_float_equal(in_unit("600 items/min", "/s"), 10, 1e-9);
	assert_float_equal(in_unit("50 MB/h", "B/s"), 50e6 / 3600, 1e-6);
	assert_float_equal(in_unit("200 MB/s", "MB/s"), 200, 1e-9);
	assert_float_equal(in_unit("1%", "%"), 1, 0);
	assert_float_equal(in_unit("3e3", "whatever"), 3000, 0); /* bare: the metric's unit */
	assert_float_equal(in_unit("5 instr", "instr@valgrind"), 5, 0);
	/* kinds never mix */
	assert_true(isnan(in_unit("2 s", "KiB")));
	assert_true(isnan(in_unit("100 MiB", "ns")));
	assert_true(isnan(in_unit("10000/s", "ns")));
	assert_true(isnan(in_unit("10000/s", "B/s")));
	assert_true(isnan(in_unit("1%", "ns")));
	assert_true(isnan(in_unit("50 MB/h", "KiB")));
	assert_true(isnan(in_unit("2 s", "a b")));

	/* hostile text */
	static const char *const bad[] = { "", " ", "s", "nan", "NAN s", "inf", "-inf ms", "1e999",
					   "0x10 s", "1 s extra", "10 furlongs/fortnight", "10k/s",
					   "1 M", "--1", "1e308 TiB", "1 s\n", "1 %/s", "1\xff",
					   "1 µs/", "1 /", "1 s/s/s", NULL };
	for (int i = 0; bad[i]; i++) {
		pg_quantity q;
		const char *why = NULL;
		if (pg_quantity_parse(bad[i], &q, &why) == 0)
			fail_msg("'%s' parsed", bad[i]);
		assert_non_null(why);
	}
}

static void expect_error(const char *text, const char *needle)
{
	pg_config *cfg = NULL;
	assert_int_equal(pg_config_parse(&cfg, text, "p.json"), PG_ECONFIG);
	assert_null(cfg);
	if (!strstr(pg_error_last(), needle))
		fail_msg("'%s' not in: %s", needle, pg_error_last());
}

#define BENCH(extra) "{\"name\": \"a\", \"command\": \"true\"" extra "}"

static void test_budget__config(void **state)
{
	(void)state;
	pg_config *cfg = th_config_ok(
		"{\"budgets\": {\"max_rss\": {\"max\": \"100 MiB\"}, \"items_per_second\": "
		"{\"min\": \"10000/s\", \"severity\": \"warning\"}},"
		" \"benchmarks\": [" BENCH(", \"metrics\": [\"wall_time\", \"max_rss\"], \"budgets\": "
					   "{\"wall_time\": {\"max\": \"2 s\", \"min\": 1000}}") ","
		"{\"name\": \"aX\", \"command\": \"true\"}," "{\"name\": \"h\", \"command\": \"x\", \"format\": \"gbench\", "
		"\"budgets\": {\"max_rss\": {\"max\": \"1 GiB\", \"severity\": \"notice\"}}}]}");
	size_t n;
	const pg_budget *b = pg_config_budgets(cfg, "a", &n);
	/* its own, then the top level's max_rss; items_per_second is built
	 * into nothing it measures... but it is not built in: it applies */
	assert_int_equal(n, 3);
	assert_string_equal(b[0].metric, "wall_time");
	assert_true(b[0].has_max && b[0].has_min);
	assert_string_equal(b[0].max_text, "2 s");
	assert_string_equal(b[0].min_text, "1000");
	assert_int_equal(b[0].severity, PG_SEV_CRITICAL);
	assert_false(b[0].inherited);
	assert_string_equal(b[1].metric, "max_rss");
	assert_true(b[1].inherited);
	assert_string_equal(b[2].metric, "items_per_second");
	assert_int_equal(b[2].severity, PG_SEV_WARNING);
	/* "aX" measures the defaults (max_rss among them) */
	b = pg_config_budgets(cfg, "aX", &n);
	assert_int_equal(n, 2);
	/* an imported harness: its own max_rss replaces the top level's */
	b = pg_config_budgets(cfg, "h/BM_x", &n);
	assert_int_equal(n, 2);
	assert_string_equal(b[0].metric, "max_rss");
	assert_string_equal(b[0].max_text, "1 GiB");
	assert_int_equal(b[0].severity, PG_SEV_NOTICE);
	assert_false(b[0].inherited);
	/* results no benchmark owns: the top level's */
	b = pg_config_budgets(cfg, "elsewhere", &n);
	assert_int_equal(n, 2);
	pg_config_free(cfg);

	/* a built-in metric a command benchmark does not measure: not for it */
	cfg = th_config_ok("{\"budgets\": {\"cycles\": {\"max\": 5}}, \"benchmarks\": [" BENCH("") "]}");
	pg_config_budgets(cfg, "a", &n);
	assert_int_equal(n, 0);
	pg_config_free(cfg);
}

static void test_budget__config_errors(void **state)
{
	(void)state;
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"max_rss\": {\"max\": \"2 s\"}}") "]}",
		     "p.json: benchmarks[0].budgets.max_rss.max: \"2 s\" is a time, but max_rss is "
		     "measured in KiB");
	expect_error("{\"budgets\": {\"wall_time\": {\"min\": \"1 MiB\"}}, \"benchmarks\": []}",
		     "p.json: budgets.wall_time.min: \"1 MiB\" is a size in bytes");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"cycles\": {\"max\": 5}}") "]}",
		     "benchmarks[0].budgets.cycles: this benchmark does not measure this metric");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {}}") "]}",
		     "budgets.wall_time: expected \"max\" and/or \"min\"");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": \"1 s\", "
						"\"min\": \"2 s\"}}") "]}",
		     "budgets.wall_time: \"min\" is above \"max\"");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": \"1 s\", "
						"\"severity\": \"ok\"}}") "]}",
		     "budgets.wall_time.severity: expected notice, warning or critical");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": \"1 s\", "
						"\"maximum\": 3}}") "]}",
		     "budgets.wall_time.maximum: unknown key");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": \"nan\"}}") "]}",
		     "budgets.wall_time.max: expected a number");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": \"1e999 s\"}}") "]}",
		     "budgets.wall_time.max: expected a finite number");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": 1e999}}") "]}",
		     "invalid JSON"); /* jansson refuses it first */
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": true}}") "]}",
		     "budgets.wall_time.max: expected a number, or a string with a unit");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": \"3 parsecs\"}}") "]}",
		     "budgets.wall_time.max: \"3 parsecs\" is a count, but wall_time is measured in ns");
	expect_error("{\"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": \"3 s/kg\"}}") "]}",
		     "budgets.wall_time.max: unknown unit");
	expect_error("{\"budgets\": [1], \"benchmarks\": []}", "p.json: budgets: expected an object");
	expect_error("{\"budgets\": {\"m\": 3}, \"benchmarks\": []}",
		     "p.json: budgets.m: expected an object with \"max\"");
	/* a hostile metric name is shown printable, never raw */
	expect_error("{\"budgets\": {\"a\\u001b[31mb\": {\"max\": 1}}, \"benchmarks\": []}",
		     "p.json: budgets.a?[31mb: a metric name contains a control character");
	pg_config *cfg = NULL;
	assert_int_equal(pg_config_parse(&cfg, "{\"budgets\": {\"a\\u001b[31mb\": {\"max\": 1}}, "
					       "\"benchmarks\": []}", "p.json"), PG_ECONFIG);
	assert_null(strchr(pg_error_last(), '\033'));
}

static void test_budget__metric_thresholds(void **state)
{
	(void)state;
	pg_config *cfg = th_config_ok(
		"{\"thresholds\": {\"notice\": 4, \"warning\": 8, \"critical\": 16, \"metrics\": {"
		"  \"items_per_second\": {\"warning\": 5, \"critical\": 15},"
		"  \"error_rate\": {\"critical\": 100}}},"
		" \"benchmarks\": ["
		BENCH(", \"thresholds\": {\"critical\": 30, \"metrics\": {\"items_per_second\": "
		      "{\"warning\": 6}, \"cpu_time\": {\"sigma\": 4}}}") ","
		"{\"name\": \"a2\", \"command\": \"true\"}]}");
	pg_thresholds t;
	/* global metric entry */
	t = pg_config_thresholds(cfg, "a2", "items_per_second");
	assert_float_equal(t.notice, 4, 0);
	assert_float_equal(t.warning, 5, 0);
	assert_float_equal(t.critical, 15, 0);
	t = pg_config_thresholds(cfg, "a2", "wall_time");
	assert_float_equal(t.critical, 16, 0);
	t = pg_config_thresholds(cfg, "nobody", "error_rate");
	assert_float_equal(t.critical, 100, 0);
	assert_float_equal(t.warning, 8, 0);
	/* a: global < global metric < benchmark < benchmark metric */
	t = pg_config_thresholds(cfg, "a", "items_per_second");
	assert_float_equal(t.warning, 6, 0);   /* its own metric entry */
	assert_float_equal(t.critical, 30, 0); /* its own field beats the global metric's */
	assert_float_equal(t.notice, 4, 0);
	t = pg_config_thresholds(cfg, "a", "error_rate");
	assert_float_equal(t.critical, 30, 0);
	t = pg_config_thresholds(cfg, "a", "cpu_time");
	assert_float_equal(t.sigma, 4, 0);
	assert_float_equal(t.critical, 30, 0);
	t = pg_config_thresholds(cfg, "a", "wall_time");
	assert_float_equal(t.critical, 30, 0);
	assert_float_equal(t.sigma, 3, 0);
	pg_config_free(cfg);

	expect_error("{\"thresholds\": {\"metrics\": {\"x\": {\"warning\": 50}}}, \"benchmarks\": []}",
		     "p.json: thresholds.metrics.x: need notice <= warning <= critical");
	expect_error("{\"thresholds\": {\"metrics\": {\"x\": {\"critical\": 3}}}, \"benchmarks\": ["
		     BENCH(", \"thresholds\": {\"critical\": 2}") "]}",
		     "need notice <= warning <= critical");
	expect_error("{\"thresholds\": {\"metrics\": {\"x\": {\"critical\": -1}}}, \"benchmarks\": []}",
		     "p.json: thresholds.metrics.x.critical: expected a number from 0 to 1000000");
	expect_error("{\"thresholds\": {\"metrics\": {\"x\": {\"sigma\": 0}}}, \"benchmarks\": []}",
		     "thresholds.metrics.x.sigma: expected a number from 0.1 to 100");
	expect_error("{\"thresholds\": {\"metrics\": {\"x\": {\"warn\": 1}}}, \"benchmarks\": []}",
		     "thresholds.metrics.x.warn: unknown key");
	expect_error("{\"thresholds\": {\"metrics\": [1]}, \"benchmarks\": []}",
		     "thresholds.metrics: expected an object");
	expect_error("{\"thresholds\": {\"metrics\": {\"x\": 5}}, \"benchmarks\": []}",
		     "thresholds.metrics.x: expected an object");
	expect_error("{\"benchmarks\": [" BENCH(", \"thresholds\": {\"metrics\": {\"\": {}}}") "]}",
		     "benchmarks[0].thresholds.metrics.\"\": a metric name must not be empty");
}

/* The seeds' table in README.md, as the README shows it, loads. */
static void test_budget__readme_seeds_table(void **state)
{
	(void)state;
	pg_buf readme = PG_BUF_INIT;
	pg_config *cfg;
	assert_int_equal(pg_file_read(&readme, README), 0);
	const char *mark = strstr(readme.ptr, "<!-- seeds-table");
	assert_non_null(mark);
	const char *start = strstr(mark, "```json\n");
	assert_non_null(start);
	start += 8;
	const char *end = strstr(start, "```");
	assert_non_null(end);
	char *text = strndup(start, (size_t)(end - start));
	if (pg_config_parse(&cfg, text, "README.md") < 0)
		fail_msg("%s", pg_error_last());
	pg_thresholds t = pg_config_thresholds(cfg, "ingest", "wall_time");
	assert_float_equal(t.critical, 20, 0);
	assert_float_equal(t.warning, 10, 0);
	assert_float_equal(t.notice, 5, 0);
	t = pg_config_thresholds(cfg, "queue/BM_push", "items_per_second");
	assert_float_equal(t.critical, 15, 0);
	assert_float_equal(t.warning, 5, 0);
	t = pg_config_thresholds(cfg, "queue/BM_push", "error_rate");
	assert_float_equal(t.critical, 100, 0);
	t = pg_config_thresholds(cfg, "ingest", "cpu_time");
	assert_float_equal(t.warning, 10, 0);
	size_t n;
	const pg_budget *b = pg_config_budgets(cfg, "ingest", &n);
	assert_int_equal(n, 2);
	assert_string_equal(b[1].metric, "rss_growth");
	/* 50 MB per hour, in bytes per second */
	double v;
	assert_int_equal(pg_quantity_convert(&b[1].max, "B/s", &v), 0);
	assert_float_equal(v, 50e6 / 3600, 1e-6);
	free(text);
	pg_buf_free(&readme);
	pg_config_free(cfg);
}

static void collect_change(const char *change, void *payload)
{
	pg_buf_printf(payload, "%s\n", change);
}

/* A pull request that drops a budget or loosens a metric's thresholds is
 * said (a report warning, gate.c), as other policy changes are. */
static void test_budget__policy_diff(void **state)
{
	(void)state;
	pg_config *a = th_config_ok(
		"{\"budgets\": {\"max_rss\": {\"max\": \"100 MiB\"}},"
		" \"thresholds\": {\"metrics\": {\"rate\": {\"critical\": 15}}},"
		" \"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": \"2 s\"}}") ","
		"{\"name\": \"b\", \"command\": \"x\", \"format\": \"gbench\"}]}");
	pg_config *b = th_config_ok(
		"{\"thresholds\": {\"metrics\": {\"rate\": {\"critical\": 50}}},"
		" \"benchmarks\": [" BENCH(", \"budgets\": {\"wall_time\": {\"max\": \"20 s\", "
					   "\"severity\": \"notice\"}}") ","
		"{\"name\": \"b\", \"command\": \"x\", \"format\": \"gbench\", \"complexity\": \"n^2\", "
		"\"thresholds\": {\"metrics\": {\"rate\": {\"critical\": 60}}}}]}");
	pg_buf out = PG_BUF_INIT;
	pg_config_policy_diff(a, b, collect_change, &out);
	assert_string_equal(out.ptr,
		"the thresholds for metric rate changed from {sigma 3, notice 5, warning 10, "
		"critical 15} to {sigma 3, notice 5, warning 10, critical 50}\n"
		"budgets changed from {max_rss max 100 MiB critical} to none\n"
		"the budgets of \"a\" changed from {wall_time max 2 s critical} to "
		"{wall_time max 20 s notice}\n"
		"the thresholds of \"b\" for metric rate changed from {sigma 3, notice 5, warning 10, "
		"critical 15} to {sigma 3, notice 5, warning 10, critical 60}\n"
		"the complexity budget of \"b\" changed from none to O(n^2)\n");
	pg_buf_clear(&out);
	pg_config_policy_diff(a, a, collect_change, &out);
	assert_string_equal(out.ptr, "");
	pg_buf_free(&out);
	pg_config_free(a);
	pg_config_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_budget__units),
		cmocka_unit_test(test_budget__config),
		cmocka_unit_test(test_budget__config_errors),
		cmocka_unit_test(test_budget__metric_thresholds),
		cmocka_unit_test(test_budget__readme_seeds_table),
		cmocka_unit_test(test_budget__policy_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
