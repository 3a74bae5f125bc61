/*
 * test_complexity.c - fitting a family's cost to O(1) ... O(n^3) (stats/
 * complexity.h), on data known by construction: each class recovered from
 * its own curve with seeded 3 % noise; a fit that cannot tell says so; and
 * the judgement (gate/complexity_check.h) of a family whose class gets
 * worse, stays, or is too noisy, with a "complexity" budget.
 */
#include "complexity.h"
#include "complexity_check.h"
#include "config.h"
#include "error.h"
#include "helpers.h"
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSIZES 9

static void family_points(double *size, double *cost, pg_complexity c, double coef, double cv)
{
	for (int i = 0; i < NSIZES; i++) {
		size[i] = 256.0 * (1 << i); /* 256 .. 65536 */
		th_samples(&cost[i], 1, coef * pg_complexity_f(c, size[i]), cv);
	}
}

static void test_complexity__every_class(void **state)
{
	(void)state;
	double size[NSIZES], cost[NSIZES];
	th_rng_seed(7);
	for (int c = 0; c < PG_O_COUNT; c++) {
		pg_complexity_fit fit;
		family_points(size, cost, (pg_complexity)c, 3.5, 0.03);
		pg_complexity_fit_points(&fit, size, cost, NSIZES);
		if (!fit.decided || (int)fit.cls != c)
			fail_msg("%s fitted as %s (%s)", pg_complexity_name((pg_complexity)c),
				 pg_complexity_name(fit.cls), fit.why ? fit.why : "decided");
		assert_float_equal(fit.coef, 3.5, 3.5 * 0.1);
		assert_true(fit.nrms < 0.1);
	}
}

static void test_complexity__cannot_tell(void **state)
{
	(void)state;
	double size[NSIZES], cost[NSIZES];
	pg_complexity_fit fit;
	th_rng_seed(3);
	/* costs that do not follow their sizes: 60 % noise around a constant
	 * times n */
	family_points(size, cost, PG_O_N, 1, 0.6);
	for (int i = 0; i < NSIZES; i++)
		cost[i] = fabs(cost[i]) * (i % 2 ? 0.2 : 5) + 1;
	pg_complexity_fit_points(&fit, size, cost, NSIZES);
	assert_false(fit.decided);
	assert_non_null(strstr(fit.why, "too noisy"));
	/* three sizes, or a narrow span: too few */
	family_points(size, cost, PG_O_N, 1, 0);
	pg_complexity_fit_points(&fit, size, cost, 3);
	assert_false(fit.decided);
	assert_non_null(strstr(fit.why, "too few sizes"));
	double narrow[] = { 100, 200, 300, 400, 500 }, c5[] = { 1, 2, 3, 4, 5 };
	pg_complexity_fit_points(&fit, narrow, c5, 5);
	assert_false(fit.decided);
	/* hostile points are ignored, never used */
	double bad_size[] = { NAN, 0, -5, INFINITY, 256, 512, 1024, 2048, 4096 };
	double bad_cost[] = { 1, 1, 1, 1, 256, 512, 1024, 2048, -1 };
	pg_complexity_fit_points(&fit, bad_size, bad_cost, 9);
	assert_true(fit.decided);
	assert_int_equal(fit.cls, PG_O_N);
}

static void test_complexity__parse(void **state)
{
	(void)state;
	assert_int_equal(pg_complexity_parse("n log n"), PG_O_N_LOG_N);
	assert_int_equal(pg_complexity_parse("O(n log n)"), PG_O_N_LOG_N);
	assert_int_equal(pg_complexity_parse("nlogn"), PG_O_N_LOG_N);
	assert_int_equal(pg_complexity_parse("1"), PG_O_1);
	assert_int_equal(pg_complexity_parse("log n"), PG_O_LOG_N);
	assert_int_equal(pg_complexity_parse("N^2"), PG_O_N2);
	assert_int_equal(pg_complexity_parse("n**3"), PG_O_N3);
	assert_int_equal(pg_complexity_parse("n^4"), -1);
	assert_int_equal(pg_complexity_parse(""), -1);
	assert_int_equal(pg_complexity_parse("O()"), -1);
	assert_int_equal(pg_complexity_parse("O(n"), -1);
	char long_text[200];
	memset(long_text, 'n', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	assert_int_equal(pg_complexity_parse(long_text), -1);
}

/* A run holding family NAME/256 ... NAME/65536 of class c. */
static void add_family(pg_run *run, const char *name, pg_complexity c, double cv)
{
	double size[NSIZES], cost[NSIZES];
	family_points(size, cost, c, 2.0, cv);
	for (int i = 0; i < NSIZES; i++) {
		char full[128];
		snprintf(full, sizeof(full), "%s/%.0f", name, size[i]);
		pg_bench_result *b = pg_run_add_bench(run, full);
		pg_samples_push(&pg_bench_metric(b, "time_per_op", "ns", 0)->samples, cost[i]);
	}
}

static void add_one(pg_run *run, const char *name)
{
	pg_bench_result *b = pg_run_add_bench(run, name);
	pg_samples_push(&pg_bench_metric(b, "time_per_op", "ns", 0)->samples, 5);
}

static const pg_complexity_row *row_of(const pg_report *r, const char *family)
{
	for (size_t i = 0; i < r->ncomplexity; i++)
		if (!strcmp(r->complexity[i].family, family))
			return &r->complexity[i];
	fail_msg("no complexity row for %s", family);
	return NULL;
}

static void test_complexity__judged(void **state)
{
	(void)state;
	pg_config *cfg;
	assert_int_equal(pg_config_parse(&cfg, "{\"benchmarks\": [{\"name\": \"lib\", \"command\": "
					       "\"x\", \"format\": \"gbench\", \"complexity\": \"n log n\"}]}",
					 "p.json"), 0);
	th_rng_seed(11);
	pg_run *base = pg_run_new(), *head = pg_run_new();
	add_family(base, "lib/sort", PG_O_N_LOG_N, 0.02);  /* merge sort */
	add_family(head, "lib/sort", PG_O_N2, 0.02);       /* insertion sort */
	add_family(base, "lib/copy", PG_O_N, 0.02);
	add_family(head, "lib/copy", PG_O_N, 0.02);
	add_family(base, "other/find", PG_O_LOG_N, 0.02);
	add_family(head, "other/find", PG_O_1, 0.02);
	add_family(head, "other/noisy", PG_O_N, 0.02);
	for (int i = 0; i < NSIZES; i += 2) /* every other size way off */
		head->benches[head->nbenches - NSIZES + i].metrics[0].samples.v[0] *= 7;
	/* not sizes: hexadecimal, exponents, words; not a family */
	add_one(head, "odd/0x10");
	add_one(head, "odd/0x20");
	add_one(head, "odd/0x40");
	add_one(head, "odd/0x80");
	add_one(head, "odd/1e5");
	add_one(head, "odd/n=");
	const pg_run *before[] = { base };
	pg_report *r = pg_calloc(1, sizeof(*r));
	r->fail_on = PG_SEV_CRITICAL;
	pg_gate_check_complexity(r, head, before, 1, cfg);
	pg_report_finish(r);
	assert_int_equal(r->ncomplexity, 4);
	const pg_complexity_row *c = row_of(r, "lib/sort");
	assert_int_equal(c->base_cls, PG_O_N_LOG_N);
	assert_int_equal(c->cls, PG_O_N2);
	assert_int_equal(c->severity, PG_SEV_CRITICAL);
	assert_int_equal(c->budget, PG_O_N_LOG_N);
	c = row_of(r, "lib/copy");
	assert_int_equal(c->cls, PG_O_N);
	assert_int_equal(c->severity, PG_SEV_OK);
	c = row_of(r, "other/find");
	assert_int_equal(c->severity, PG_SEV_IMPROVED);
	c = row_of(r, "other/noisy");
	assert_int_equal(c->cls, -1);
	assert_int_equal(c->severity, PG_SEV_OK);
	assert_non_null(strstr(c->note, "this run: too noisy"));
	assert_false(r->passed);
	pg_buf s = PG_BUF_INIT;
	pg_report_summary(&s, r);
	assert_string_equal(s.ptr, "1 complexity regression, no change of 0");
	pg_buf_clear(&s);
	pg_report_render(&s, r, PG_FORMAT_TERM, NULL);
	assert_non_null(strstr(s.ptr, "lib/sort (time_per_op): O(n log n) -> O(n^2) (budget O(n log n)): "
				      "critical"));
	pg_buf_clear(&s);
	pg_report_render(&s, r, PG_FORMAT_MARKDOWN, NULL);
	assert_non_null(strstr(s.ptr, "| lib/sort | time\\_per\\_op | O(n log n) | O(n^2) (budget O(n log n)) | critical"));
	pg_buf_clear(&s);
	pg_report_render(&s, r, PG_FORMAT_HTML, NULL);
	assert_non_null(strstr(s.ptr, "<h2>Complexity</h2>"));
	assert_non_null(strstr(s.ptr, "<tr><td>lib/sort</td><td>time_per_op</td><td>O(n log n)</td>"));
	pg_buf_clear(&s);
	pg_report_render(&s, r, PG_FORMAT_JUNIT, NULL);
	assert_non_null(strstr(s.ptr, "<failure type=\"complexity critical\""));
	pg_buf_clear(&s);
	pg_report_render(&s, r, PG_FORMAT_JSON, NULL);
	assert_non_null(strstr(s.ptr, "\"current\": \"O(n^2)\""));
	/* read back */
	char *dir = th_tempdir();
	th_write(dir, "r.json", s.ptr);
	pg_buf path = PG_BUF_INIT;
	pg_buf_printf(&path, "%s/r.json", dir);
	pg_report *back;
	assert_int_equal(pg_report_load_json(&back, path.ptr), 0);
	assert_int_equal(back->ncomplexity, 4);
	assert_false(back->passed);
	pg_report_free(back);
	th_write(dir, "r.json", "{\"format\": \"perfgate-report\", \"version\": 1, \"results\": [], "
				"\"complexity\": [{\"family\": \"f\", \"metric\": \"m\", \"severity\": "
				"\"ok\", \"current\": \"O(n^4)\"}]}");
	assert_int_equal(pg_report_load_json(&back, path.ptr), PG_ECORRUPT);
	assert_non_null(strstr(pg_error_last(), "complexity[0].current"));
	th_rmrf(dir);
	free(dir);
	pg_buf_free(&path);
	pg_buf_free(&s);
	pg_report_free(r);

	/* without a baseline: new, but the budget still holds */
	r = pg_calloc(1, sizeof(*r));
	r->fail_on = PG_SEV_CRITICAL;
	pg_gate_check_complexity(r, head, NULL, 0, cfg);
	pg_report_finish(r);
	assert_int_equal(row_of(r, "lib/sort")->severity, PG_SEV_CRITICAL);
	assert_int_equal(row_of(r, "lib/copy")->severity, PG_SEV_NEW);
	assert_false(r->passed);
	pg_report_free(r);
	pg_run_free(base);
	pg_run_free(head);
	pg_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complexity__every_class),
		cmocka_unit_test(test_complexity__cannot_tell),
		cmocka_unit_test(test_complexity__parse),
		cmocka_unit_test(test_complexity__judged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
