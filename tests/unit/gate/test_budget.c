/*
 * test_budget.c - budgets (issue 16) checked against a run, the "targets
 * versus actual" table in every format (escaped), and the JSON report read
 * back.  (test_budget_config.c: parsing budgets and thresholds.)
 */
#include "budget.h"
#include "buf.h"
#include "config.h"
#include "error.h"
#include "fsutil.h"
#include "github.h"
#include "helpers.h"
#include "report.h"
#include "unit.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(pg_run *run, const char *bench, const char *metric, const char *unit, double v)
{
	pg_bench_result *b = pg_run_find_bench(run, bench);
	if (!b)
		b = pg_run_add_bench(run, bench);
	pg_metric_result *m = pg_bench_metric(b, metric, unit, 0);
	pg_samples_push(&m->samples, v);
}

#define HOSTILE "x|<b>@evil`#1 **z**"

static pg_config *check_config(void)
{
	return th_config_ok(
		"{\"fail_on\": \"critical\","
		" \"budgets\": {\"rate\": {\"min\": \"10000/s\", \"severity\": \"warning\"}},"
		" \"benchmarks\": ["
		"  {\"name\": \"" HOSTILE "\", \"command\": \"x\", \"format\": \"gbench\","
		"   \"budgets\": {\"time_per_op\": {\"max\": \"2 ms\"}, \"mem\": {\"max\": \"1 MiB\"},"
		"                 \"gone\": {\"min\": 1}}},"
		"  {\"name\": \"ok\", \"command\": \"x\", \"format\": \"gbench\","
		"   \"budgets\": {\"time_per_op\": {\"max\": \"2 ms\", \"min\": \"1 us\"}}}]}");
}

static pg_run *check_run(void)
{
	pg_run *run = pg_run_new();
	run->commit = pg_strdup("1111111111111111111111111111111111111111");
	/* 3 ms > 2 ms: breached (critical) */
	add(run, HOSTILE "/a", "time_per_op", "ns", 2.9e6);
	add(run, HOSTILE "/a", "time_per_op", "ns", 3e6);
	add(run, HOSTILE "/a", "time_per_op", "ns", 3.1e6);
	/* "1 MiB" against a rate: cannot be compared, breached */
	add(run, HOSTILE "/a", "mem", "ops/s", 5);
	/* 9000/s < 10000/s: breached (warning) */
	add(run, HOSTILE "/a", "rate", "items/s", 9000);
	/* "gone" is not measured: breached */
	add(run, "ok/a", "time_per_op", "ns", 1.5e6);
	add(run, "ok/a", "rate", "items/s", 20000);
	pg_run_add_failed(run, "ok/b", "crashed"); /* a failed result has no budget rows */
	return run;
}

static const pg_budget_row *find_row(const pg_report *r, const char *bench, const char *metric,
				     int is_max)
{
	for (size_t i = 0; i < r->nbudgets; i++)
		if (!strcmp(r->budgets[i].bench, bench) && !strcmp(r->budgets[i].metric, metric) &&
		    r->budgets[i].is_max == is_max)
			return &r->budgets[i];
	fail_msg("no budget row %s %s", bench, metric);
	return NULL;
}

static void test_budget__check(void **state)
{
	(void)state;
	pg_config *cfg = check_config();
	pg_run *run = check_run();
	pg_report *r = pg_gate_budget_report(run, cfg, PG_SEV_CRITICAL);
	const pg_budget_row *b;
	assert_int_equal(r->nbudgets, 7);
	b = find_row(r, HOSTILE "/a", "time_per_op", 1);
	assert_true(b->breached);
	assert_int_equal(b->severity, PG_SEV_CRITICAL);
	assert_float_equal(b->limit, 2e6, 1e-6);
	assert_float_equal(b->actual, 3e6, 1e-6);
	assert_string_equal(b->unit, "ns");
	b = find_row(r, HOSTILE "/a", "mem", 1);
	assert_true(b->breached);
	assert_non_null(strstr(b->reason, "budgets.mem.max: \"1 MiB\" is a size in bytes, which "
				  "cannot be compared with this result's unit \"ops/s\""));
	b = find_row(r, HOSTILE "/a", "rate", 0);
	assert_true(b->breached);
	assert_int_equal(b->severity, PG_SEV_WARNING);
	b = find_row(r, HOSTILE "/a", "gone", 0);
	assert_true(b->breached);
	assert_non_null(strstr(b->reason, "not measured"));
	assert_false(find_row(r, "ok/a", "time_per_op", 1)->breached);
	assert_false(find_row(r, "ok/a", "time_per_op", 0)->breached);
	assert_false(find_row(r, "ok/a", "rate", 0)->breached);
	/* breaches first, the most severe first */
	assert_true(r->budgets[0].breached && r->budgets[0].severity == PG_SEV_CRITICAL);
	assert_false(r->budgets[r->nbudgets - 1].breached);
	assert_int_equal(pg_report_breaches(r), 4);
	assert_false(r->passed);
	pg_report_free(r);

	/* fail_on never: shown, not failing; a warning breach alone passes
	 * at critical */
	r = pg_gate_budget_report(run, cfg, PG_FAIL_NEVER);
	assert_true(r->passed);
	assert_int_equal(pg_report_breaches(r), 4);
	pg_report_free(r);
	pg_run_free(run);
	run = pg_run_new();
	add(run, "nobody/a", "rate", "items/s", 9000);
	r = pg_gate_budget_report(run, cfg, PG_SEV_CRITICAL);
	assert_true(r->passed);
	assert_int_equal(pg_report_breaches(r), 1);
	pg_report_free(r);
	r = pg_gate_budget_report(run, cfg, PG_SEV_WARNING);
	assert_false(r->passed);
	pg_report_free(r);
	pg_run_free(run);
	pg_config_free(cfg);
}

/* A passing relative judgement never hides a breach. */
static void test_budget__breach_not_hidden(void **state)
{
	(void)state;
	pg_config *cfg = check_config();
	pg_run *run = check_run();
	pg_report *r = pg_calloc(1, sizeof(*r));
	r->fail_on = PG_SEV_CRITICAL;
	pg_result_row *row = pg_report_add_row(r, "ok/a");
	row->metric = pg_strdup("time_per_op");
	row->unit = pg_strdup("ns");
	row->v.severity = PG_SEV_IMPROVED;
	pg_report_finish(r);
	assert_true(r->passed);
	pg_gate_check_budgets(r, run, cfg);
	pg_report_finish(r);
	assert_false(r->passed);
	pg_buf s = PG_BUF_INIT;
	pg_report_summary(&s, r);
	assert_string_equal(s.ptr, "4 budgets breached, 1 improved of 1");
	pg_buf_free(&s);
	pg_report_free(r);
	pg_run_free(run);
	pg_config_free(cfg);
}

static pg_report *hostile_report(void)
{
	pg_config *cfg = check_config();
	pg_run *run = check_run();
	pg_report *r = pg_gate_budget_report(run, cfg, PG_SEV_CRITICAL);
	pg_run_free(run);
	pg_config_free(cfg);
	return r;
}

static void test_budget__formats_escape(void **state)
{
	(void)state;
	pg_report *r = hostile_report();
	pg_buf out = PG_BUF_INIT;

	pg_report_render(&out, r, PG_FORMAT_TERM, NULL);
	assert_non_null(strstr(out.ptr, "targets versus actual"));
	assert_non_null(strstr(out.ptr, "max 2 ms"));
	assert_non_null(strstr(out.ptr, "BREACHED (critical)"));
	assert_non_null(strstr(out.ptr, "FAIL: 4 budgets breached"));

	pg_buf_clear(&out);
	pg_report_render(&out, r, PG_FORMAT_MARKDOWN, NULL);
	assert_non_null(strstr(out.ptr, "#### Targets versus actual"));
	assert_non_null(strstr(out.ptr, "| Benchmark | Metric | Target | Actual | Status |"));
	assert_null(strstr(out.ptr, "x|<b>"));
	assert_null(strstr(out.ptr, "@evil"));
	assert_null(strstr(out.ptr, "`#1"));
	assert_non_null(strstr(out.ptr, ":x: BREACHED (critical)"));

	pg_buf_clear(&out);
	pg_report_render(&out, r, PG_FORMAT_HTML, NULL);
	assert_non_null(strstr(out.ptr, "<h2>Targets versus actual</h2>"));
	assert_null(strstr(out.ptr, "<b>@evil"));
	assert_non_null(strstr(out.ptr, "x|&lt;b&gt;"));

	pg_buf_clear(&out);
	pg_report_render(&out, r, PG_FORMAT_JUNIT, NULL);
	assert_non_null(strstr(out.ptr, "tests=\"7\" failures=\"3\""));
	assert_non_null(strstr(out.ptr, "name=\"budget time_per_op max\""));
	assert_non_null(strstr(out.ptr, "<failure type=\"budget critical\""));
	assert_null(strstr(out.ptr, "x|<b>"));

	pg_buf_clear(&out);
	pg_report_render(&out, r, PG_FORMAT_JSON, NULL);
	json_error_t jerr;
	json_t *doc = json_loads(out.ptr, 0, &jerr);
	assert_non_null(doc);
	json_t *b = json_object_get(doc, "budgets");
	assert_int_equal(json_array_size(b), 7);
	json_t *first = json_array_get(b, 0);
	assert_string_equal(json_string_value(json_object_get(first, "severity")), "critical");
	assert_true(json_is_true(json_object_get(first, "breached")));
	assert_string_equal(json_string_value(json_object_get(doc, "verdict")), "fail");
	json_decref(doc);

	/* GitHub annotations: one per breach, at the breach's level */
	pg_buf_clear(&out);
	pg_github_annotations(&out, r);
	assert_non_null(strstr(out.ptr, "::error title=perfgate%3A x|<b>@evil`#1 **z**/a::"));
	assert_non_null(strstr(out.ptr, "time_per_op budget: max 2 ms, actual"));
	assert_non_null(strstr(out.ptr, "::warning title="));
	assert_null(strstr(out.ptr, "ok/a time_per_op")); /* met: no annotation */
	pg_buf_free(&out);
	pg_report_free(r);
}

static char *write_temp(const char *dir, const char *text)
{
	pg_buf path = PG_BUF_INIT;
	pg_buf_printf(&path, "%s/report.json", dir);
	th_write(dir, "report.json", text);
	return pg_buf_detach(&path);
}

/* The JSON report read back (perfgate post) keeps the budgets and the
 * verdict they decide; what a hostile report puts there is checked. */
static void test_budget__json_round_trip(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	pg_report *r = hostile_report(), *back;
	pg_buf out = PG_BUF_INIT, again = PG_BUF_INIT;
	pg_report_write_json(&out, r);
	char *path = write_temp(dir, out.ptr);
	assert_int_equal(pg_report_load_json(&back, path), 0);
	assert_int_equal(back->nbudgets, r->nbudgets);
	assert_false(back->passed);
	for (size_t i = 0; i < r->nbudgets; i++) {
		assert_string_equal(back->budgets[i].bench, r->budgets[i].bench);
		assert_string_equal(back->budgets[i].target, r->budgets[i].target);
		assert_int_equal(back->budgets[i].breached, r->budgets[i].breached);
		assert_int_equal(back->budgets[i].severity, r->budgets[i].severity);
	}
	pg_report_write_markdown(&again, back);
	assert_non_null(strstr(again.ptr, ":x: BREACHED (critical)"));
	pg_report_free(back);

	static const char *const bad[] = {
		"[{\"benchmark\": \"a\", \"metric\": \"m\", \"bound\": \"max\", \"target\": \"1 s\"}]",
		"[{\"benchmark\": \"a\", \"metric\": \"m\", \"bound\": \"max\", \"target\": \"1 s\", "
		"\"severity\": \"ok\"}]",
		"[{\"benchmark\": \"a\", \"metric\": \"m\", \"bound\": \"up\", \"target\": \"1 s\", "
		"\"severity\": \"critical\"}]",
		"[{\"benchmark\": \"a\", \"metric\": \"m\", \"bound\": \"max\", \"target\": "
		"\"<script>\", \"severity\": \"critical\"}]",
		"[{\"benchmark\": \"a\\u0007\", \"metric\": \"m\", \"bound\": \"max\", \"target\": "
		"\"1 s\", \"severity\": \"critical\"}]",
		"[{\"benchmark\": \"a\", \"metric\": \"m\", \"bound\": \"max\", \"target\": \"1 s\", "
		"\"severity\": \"critical\", \"actual\": \"big\"}]",
		"[{\"benchmark\": \"a\", \"metric\": \"m\", \"bound\": \"max\", \"target\": \"1 s\", "
		"\"severity\": \"critical\", \"unit\": \"a b\"}]",
		"[{\"metric\": \"m\", \"bound\": \"max\", \"target\": \"1 s\", \"severity\": \"critical\"}]",
		"[3]", "{}", NULL };
	for (int i = 0; bad[i]; i++) {
		pg_buf doc = PG_BUF_INIT;
		pg_buf_printf(&doc, "{\"format\": \"perfgate-report\", \"version\": 1, \"results\": [], "
				    "\"budgets\": %s}", bad[i]);
		free(path);
		path = write_temp(dir, doc.ptr);
		back = NULL;
		if (pg_report_load_json(&back, path) != PG_ECORRUPT)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(pg_error_last(), "budgets"));
		pg_buf_free(&doc);
	}
	free(path);
	th_rmrf(dir);
	free(dir);
	pg_buf_free(&out);
	pg_buf_free(&again);
	pg_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_budget__check),
		cmocka_unit_test(test_budget__breach_not_hidden),
		cmocka_unit_test(test_budget__formats_escape),
		cmocka_unit_test(test_budget__json_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
