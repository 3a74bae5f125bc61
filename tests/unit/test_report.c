/*
 * test_report.c - building a report (sorting, verdict, fail_on) and the
 * three formats, including escaping of hostile benchmark names.
 */
#include "buf.h"
#include "config.h"
#include "error.h"
#include "format.h"
#include "helpers.h"
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static pg_config *config(void)
{
	pg_config *cfg;
	assert_int_equal(pg_config_parse(&cfg, "{\"benchmarks\": []}", "t.json"), 0);
	return cfg;
}

static void add(pg_run *run, const char *bench, double value)
{
	pg_bench_result *b = pg_run_find_bench(run, bench);
	if (!b)
		b = pg_run_add_bench(run, bench);
	pg_metric_result *m = pg_bench_metric(b, "wall_time", "ns", 0);
	pg_samples_push(&m->samples, value);
}

/* Five baseline commits where "slow" and "fast" and "steady" all sit
 * near 1 ms; the current run makes slow +30 %, fast -30 %. */
static void fixture(pg_baseline *base, pg_run **cur, const char *hostile)
{
	memset(base, 0, sizeof(*base));
	for (int i = 0; i < 5; i++) {
		pg_run *r = pg_run_new();
		r->commit = pg_strdup("0000000000000000000000000000000000000000");
		add(r, "slow", 1000000 + i * 1000);
		add(r, "fast", 1000000 + i * 1000);
		add(r, "steady", 1000000 + i * 1000);
		add(r, hostile, 1000000 + (i % 2) * 200000); /* noisy: listed so, by name */
		base->commits = pg_array_grow(base->commits, &base->alloc, base->n + 1,
					      sizeof(*base->commits));
		snprintf(base->commits[base->n].sha, sizeof(base->commits[0].sha), "%040d", i);
		base->commits[base->n++].pooled = r;
	}
	pg_run *c = pg_run_new();
	c->commit = pg_strdup("abcdefabcdefabcdefabcdefabcdefabcdefabcd");
	c->testbed = pg_strdup("tb");
	add(c, "steady", 1002000);
	add(c, "fast", 700000);
	add(c, "slow", 1300000);
	add(c, hostile, 1002000);
	pg_bench_result *f = pg_run_add_bench(c, "crashy");
	f->failed = 1;
	f->reason = pg_strdup("run 1/10 killed by signal 11");
	*cur = c;
}

static void test_report__sorted_and_judged(void **state)
{
	(void)state;
	pg_config *cfg = config();
	pg_baseline base;
	pg_run *cur;
	fixture(&base, &cur, "x");
	pg_report_opts o = { cfg, "main", "1234567890123456789012345678901234567890", PG_SEV_CRITICAL };
	pg_report *r = pg_report_build(cur, &base, &o);
	assert_int_equal(r->nrows, 5);
	assert_string_equal(r->rows[0].bench, "crashy");
	assert_int_equal(r->rows[0].v.severity, PG_SEV_FAILED);
	assert_string_equal(r->rows[1].bench, "slow");
	assert_int_equal(r->rows[1].v.severity, PG_SEV_CRITICAL);
	assert_string_equal(r->rows[2].bench, "fast");
	assert_int_equal(r->rows[2].v.severity, PG_SEV_IMPROVED);
	assert_int_equal(r->rows[3].v.severity, PG_SEV_OK);
	assert_false(r->passed);
	pg_buf s = PG_BUF_INIT;
	pg_report_summary(&s, r);
	assert_string_equal(s.ptr, "1 failed, 1 critical, 1 improved of 5");
	pg_buf_free(&s);
	pg_report_free(r);

	/* without the crash, fail_on decides */
	pg_run_drop_last_bench(cur);
	o.fail_on = PG_FAIL_NEVER;
	r = pg_report_build(cur, &base, &o);
	assert_true(r->passed);
	pg_report_free(r);
	o.fail_on = PG_SEV_CRITICAL;
	r = pg_report_build(cur, &base, &o);
	assert_false(r->passed);
	pg_report_free(r);

	pg_run_free(cur);
	pg_baseline_free(&base);
	pg_config_free(cfg);
}

static void test_report__formats_escape_names(void **state)
{
	(void)state;
	const char *hostile = "a|b`c` <script>@octocat *x* [l](http://e)";
	pg_config *cfg = config();
	pg_baseline base;
	pg_run *cur;
	pg_buf md = PG_BUF_INIT, js = PG_BUF_INIT, term = PG_BUF_INIT;
	fixture(&base, &cur, hostile);
	pg_report_opts o = { cfg, "main", "1234567890123456789012345678901234567890", PG_SEV_CRITICAL };
	pg_report *r = pg_report_build(cur, &base, &o);

	pg_report_write_markdown(&md, r);
	assert_null(strstr(md.ptr, "<script>"));
	assert_null(strstr(md.ptr, "@octocat"));
	assert_null(strstr(md.ptr, "a|b"));
	assert_non_null(strstr(md.ptr, "a\\|b\\`c\\` &lt;script&gt;@\u2060octocat \\*x\\* \\[l\\](http://e)"));
	/* verdict first, then the flagged table, then everything collapsed */
	assert_true(strncmp(md.ptr, "### ❌ perfgate: fail", strlen("### ❌ perfgate: fail")) == 0);
	char *flag = strstr(md.ptr, "| slow |"), *details = strstr(md.ptr, "<details>");
	assert_non_null(flag);
	assert_non_null(details);
	assert_true(flag < details);
	assert_non_null(strstr(md.ptr, "#### Improvements"));
	if (!strstr(md.ptr, "**Too noisy to see every change** (1):\n- a\\|b"))
		fail_msg("%s", md.ptr);

	pg_report_write_json(&js, r);
	json_error_t err;
	json_t *doc = json_loads(js.ptr, 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "verdict")), "fail");
	json_t *results = json_object_get(doc, "results");
	assert_int_equal(json_array_size(results), 5);
	json_t *slow = json_array_get(results, 1);
	assert_string_equal(json_string_value(json_object_get(slow, "benchmark")), "slow");
	assert_string_equal(json_string_value(json_object_get(slow, "severity")), "critical");
	assert_float_equal(json_number_value(json_object_get(slow, "change_pct")), 29.74, 0.01);
	assert_true(json_is_number(json_object_get(slow, "z")));
	assert_true(json_is_number(json_object_get(slow, "baseline")));
	assert_true(json_is_number(json_object_get(slow, "current")));
	/* the hostile name round-trips exactly through JSON */
	int found = 0;
	for (size_t i = 0; i < json_array_size(results); i++)
		found |= !strcmp(json_string_value(json_object_get(json_array_get(results, i),
								    "benchmark")), hostile);
	assert_true(found);
	json_decref(doc);

	pg_write_opts wo = { 0 };
	pg_report_write_term(&term, r, &wo);
	assert_non_null(strstr(term.ptr, "benchmark"));
	assert_non_null(strstr(term.ptr, "+29.7%"));
	assert_non_null(strstr(term.ptr, "FAIL: 1 failed, 1 critical, 1 improved of 5"));
	assert_null(strstr(term.ptr, "\033[")); /* no colour unless asked */

	pg_buf_free(&md);
	pg_buf_free(&js);
	pg_buf_free(&term);
	pg_report_free(r);
	pg_run_free(cur);
	pg_baseline_free(&base);
	pg_config_free(cfg);
}

/* The fixture judged: a hostile name, and a crash with the given reason. */
typedef struct judged {
	pg_config *cfg;
	pg_baseline base;
	pg_run *cur;
	pg_report *r;
} judged;

static void judged_build(judged *j, const char *hostile, const char *crash_reason, int fail_on)
{
	j->cfg = config();
	fixture(&j->base, &j->cur, hostile);
	free(pg_run_find_bench(j->cur, "crashy")->reason);
	pg_run_find_bench(j->cur, "crashy")->reason = pg_strdup(crash_reason);
	pg_report_opts o = { j->cfg, "main", "1234567890123456789012345678901234567890", fail_on };
	j->r = pg_report_build(j->cur, &j->base, &o);
}

static void judged_free(judged *j)
{
	pg_report_free(j->r);
	pg_run_free(j->cur);
	pg_baseline_free(&j->base);
	pg_config_free(j->cfg);
}

/* JUnit XML: counts, a <failure> for what fails the gate, an <error> for
 * the crash, and names and reasons that cannot break out of the XML. */
static void test_report__junit(void **state)
{
	(void)state;
	const char *hostile = "a<b>&\"q\" 'x' ]]> </testcase>";
	judged j;
	pg_buf x = PG_BUF_INIT;
	judged_build(&j, hostile, "exit 3: \x1b[31mred\xff\xfe<", PG_SEV_CRITICAL);
	pg_report_write_junit(&x, j.r);
	assert_non_null(strstr(x.ptr, "<testsuites name=\"perfgate\" tests=\"5\" failures=\"1\" "
				      "errors=\"1\">"));
	assert_non_null(strstr(x.ptr, "<testcase classname=\"slow\" name=\"wall_time\">\n"
				      "      <failure type=\"critical\" message=\"+29.7% (critical), "));
	assert_non_null(strstr(x.ptr, "<testcase classname=\"crashy\" name=\"run\">\n"
				      "      <error type=\"failed\" message=\"exit 3: \xef\xbf\xbd[31mred"
				      "\xef\xbf\xbd\xef\xbf\xbd&lt;\"/>"));
	assert_non_null(strstr(x.ptr, "classname=\"a&lt;b&gt;&amp;&quot;q&quot; &apos;x&apos; "
				      "]]&gt; &lt;/testcase&gt;\""));
	/* "fast" improved: it passes, with the judgement as output */
	assert_non_null(strstr(x.ptr, "<testcase classname=\"fast\" name=\"wall_time\">\n"
				      "      <system-out>-30.1% (improved)"));
	assert_non_null(strstr(x.ptr, "<property name=\"verdict\" value=\"fail\"/>"));
	assert_null(strstr(x.ptr, "\x1b"));
	pg_buf_free(&x);
	judged_free(&j);

	/* under fail_on never only the crash is an error; nothing is a failure */
	judged_build(&j, hostile, "boom", PG_FAIL_NEVER);
	pg_report_write_junit(&x, j.r);
	assert_non_null(strstr(x.ptr, "tests=\"5\" failures=\"0\" errors=\"1\""));
	assert_null(strstr(x.ptr, "<failure"));
	pg_buf_free(&x);
	judged_free(&j);
}

/* HTML: one self-contained page; hostile names and reasons stay text. */
static void test_report__html(void **state)
{
	(void)state;
	const char *hostile = "<script>alert(1)</script> \"q\" 'x' @octocat";
	judged j;
	pg_buf h = PG_BUF_INIT;
	judged_build(&j, hostile, "exit 3: <img src=x onerror=y>", PG_SEV_CRITICAL);
	pg_report_write_html(&h, j.r);
	assert_true(strncmp(h.ptr, "<!DOCTYPE html>\n", 16) == 0);
	assert_non_null(strstr(h.ptr, "<title>perfgate: fail — 1 failed, 1 critical, 1 improved of 5 "
				      "(fail on critical)</title>"));
	assert_null(strstr(h.ptr, "<script"));
	assert_null(strstr(h.ptr, "<img"));
	assert_null(strstr(h.ptr, "http"));           /* nothing external */
	assert_non_null(strstr(h.ptr, "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &#39;x&#39;"));
	assert_non_null(strstr(h.ptr, "<li><b>crashy</b> failed: exit 3: &lt;img src=x onerror=y&gt;</li>"));
	assert_non_null(strstr(h.ptr, "<tr class=\"critical\"><td>slow</td><td>wall_time</td>"));
	assert_non_null(strstr(h.ptr, "<td class=\"n\">+29.7%</td>"));
	assert_non_null(strstr(h.ptr, "<polyline points=\"0.0,"));
	assert_non_null(strstr(h.ptr, "<h2>Too noisy to see every change (1)</h2>\n<ul>\n<li>&lt;script"));
	assert_non_null(strstr(h.ptr, "<p>Compared <code>abcdefabcdef</code> against 5 baseline "
				      "commits (window 20) from main at <code>123456789012</code>"));
	assert_non_null(strstr(h.ptr, "</body>\n</html>\n"));
	pg_buf_free(&h);
	judged_free(&j);
}

static void test_report__value_formatting(void **state)
{
	(void)state;
	pg_buf b = PG_BUF_INIT;
	pg_fmt_value(&b, 812, "ns");
	pg_buf_puts(&b, "|");
	pg_fmt_value(&b, 45612345, "ns");
	pg_buf_puts(&b, "|");
	pg_fmt_value(&b, 2.5e9, "ns");
	pg_buf_puts(&b, "|");
	pg_fmt_value(&b, 2048, "KiB");
	pg_buf_puts(&b, "|");
	pg_fmt_value(&b, 1024 * 1e9 / 520, "B/s");
	pg_buf_puts(&b, "|");
	pg_fmt_value(&b, 31250, "1/s");
	pg_buf_puts(&b, "|");
	pg_fmt_change(&b, 12.345);
	pg_buf_puts(&b, "|");
	pg_fmt_change(&b, -3);
	assert_string_equal(b.ptr, "812 ns|45.6 ms|2.50 s|2.00 MiB|1.97 GB/s|31.2 k/s|+12.3%|-3.0%");
	pg_buf_clear(&b);
	const double v[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	pg_fmt_sparkline(&b, v, 8, 20);
	assert_string_equal(b.ptr, "▁▂▃▄▅▆▇█");
	pg_buf_free(&b);
}

/* Reads `json` as `perfgate post` reads a report artifact. */
static int load_report(pg_report **r, const char *json)
{
	char *dir = th_tempdir();
	pg_buf path = PG_BUF_INIT;
	th_write(dir, "report.json", json);
	pg_buf_printf(&path, "%s/report.json", dir);
	int err = pg_report_load_json(r, path.ptr);
	pg_buf_free(&path);
	th_rmrf(dir);
	free(dir);
	return err;
}

/* Found by tests/fuzz: a report without results was sorted with qsort on
 * a NULL array (undefined, caught by UBSan). */
static void test_report__empty_report_reads(void **state)
{
	(void)state;
	pg_report *r;
	assert_int_equal(load_report(&r, "{\"format\": \"perfgate-report\", \"version\": 1, "
					  "\"results\": []}"), 0);
	assert_int_equal(r->nrows, 0);
	assert_true(r->passed);
	pg_report_free(r);
}

/* Found by tests/fuzz: a result that did not fail but has no metric or
 * unit crashed `perfgate post` (the noise advice names both); the reader
 * refuses it, as it refuses every malformed result. */
static void test_report__result_without_metric_is_refused(void **state)
{
	(void)state;
	pg_report *r = NULL;
	int err = load_report(&r, "{\"format\": \"perfgate-report\", \"version\": 1, \"results\": "
				  "[{\"benchmark\": \"a\", \"severity\": \"ok\", \"mdc_pct\": 50, "
				  "\"notice\": 5}]}");
	if (r) { /* before the fix: read, then publishing it crashed */
		pg_buf md = PG_BUF_INIT;
		pg_report_write_markdown(&md, r);
		pg_buf_free(&md);
		pg_report_free(r);
	}
	assert_int_equal(err, PG_ECORRUPT);
	assert_non_null(strstr(pg_error_last(), "report.json: a result lacks metric or unit"));
}

/* Found by fuzzing the report reader: a history spanning more than
 * DBL_MAX (-1e308 to 1e308) made the sparkline cast NaN to int (UBSan),
 * drawing every bar at the bottom. */
static void test_report__sparkline_of_extremes(void **state)
{
	(void)state;
	pg_buf b = PG_BUF_INIT;
	const double v[] = { -1e308, 1e308, 0, NAN, 5e-324, 1 };
	pg_fmt_sparkline(&b, v, 3, 20);
	assert_string_equal(b.ptr, "▁█▅");
	pg_buf_clear(&b);
	pg_fmt_sparkline(&b, v + 3, 3, 20); /* no value in the middle; a span of 1 */
	assert_string_equal(b.ptr, "▄▁█");
	pg_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report__sorted_and_judged),
		cmocka_unit_test(test_report__formats_escape_names),
		cmocka_unit_test(test_report__junit),
		cmocka_unit_test(test_report__html),
		cmocka_unit_test(test_report__value_formatting),
		cmocka_unit_test(test_report__empty_report_reads),
		cmocka_unit_test(test_report__result_without_metric_is_refused),
		cmocka_unit_test(test_report__sparkline_of_extremes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
