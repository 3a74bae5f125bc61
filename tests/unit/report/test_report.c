/*
 * test_report.c - building a report (sorting, verdict, fail_on) and the
 * writers, including escaping of hostile benchmark names (reading reports
 * back: test_report_load.c).
 */
#include "buf.h"
#include "config.h"
#include "error.h"
#include "format.h"
#include "helpers.h"
#include "report_build.h"
#include "report_fixture.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	assert_non_null(strstr(md.ptr, "a\\|b\\`c\\` &lt;script&gt;@\u2060octocat \\*x\\* "
				       "\\[l\\](http:\u2060//e)"));
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

static size_t pipes(const char *line, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
	return n;
}

/* Every writer escapes every field it prints, whatever a reader let in (the
 * writers are the last guard: these values bypass the readers). */
static void test_report__writers_escape_every_field(void **state)
{
	(void)state;
	judged j;
	pg_buf md = PG_BUF_INIT, html = PG_BUF_INIT, xml = PG_BUF_INIT, term = PG_BUF_INIT;
	judged_build(&j, "b|x", "boom `</code>` | **x** \x1b[31m\xff", PG_SEV_CRITICAL);
	pg_report *r = j.r;
	for (size_t i = 0; i < r->nrows; i++) {
		free(r->rows[i].unit);
		r->rows[i].unit = pg_strdup("ms | **forged** [click](https://evil.example) \x1b[2J");
	}
	free(r->commit);
	r->commit = pg_strdup("`<b>x</b>`x");
	free(r->base_commit);
	r->base_commit = pg_strdup("` | [y](https://evil.example)");
	free(r->base_ref);
	r->base_ref = pg_strdup("main | [x](https://evil.example) @team www.evil.example");
	free(r->testbed);
	r->testbed = pg_strdup("tb <img src=x> \x1b]8;;https://evil.example\x07");
	free(r->branch);
	r->branch = pg_strdup("br\x1b[2J");
	pg_report_add_warning(r, "warn <script>x</script> \x1b[1m");

	pg_report_write_markdown(&md, r);
	assert_null(strstr(md.ptr, "[click]("));
	assert_null(strstr(md.ptr, "[x]("));
	assert_null(strstr(md.ptr, "[y]("));
	assert_null(strstr(md.ptr, "https://"));       /* no bare URL to autolink */
	assert_null(strstr(md.ptr, "www.evil"));
	assert_null(strstr(md.ptr, "**forged**"));
	assert_null(strstr(md.ptr, "<b>"));
	assert_null(strstr(md.ptr, "<img"));
	assert_null(strstr(md.ptr, "`<"));
	assert_null(strstr(md.ptr, "@team"));
	assert_null(strstr(md.ptr, "\x1b"));
	assert_null(strstr(md.ptr, "\xff"));
	assert_non_null(strstr(md.ptr, "ms \\| \\*\\*forged\\*\\* \\[click\\](https:\u2060//evil.example)"));
	assert_non_null(strstr(md.ptr, "Compared \\`&lt;b&gt;x&lt;/b&gt;\\`x against"));
	assert_non_null(strstr(md.ptr, "on testbed tb &lt;img src=x&gt;"));
	/* every table line has its 9 separators: no cell was split */
	for (const char *p = md.ptr; *p;) {
		size_t len = strcspn(p, "\n");
		if (*p == '|' && pipes(p, len) != 9)
			fail_msg("split table line: %.*s", (int)len, p);
		p += len + (p[len] == '\n');
	}

	pg_report_write_html(&html, r);
	assert_null(strstr(html.ptr, "<img"));
	assert_null(strstr(html.ptr, "<b>x"));
	assert_null(strstr(html.ptr, "<script"));
	assert_null(strstr(html.ptr, "\x1b"));
	assert_null(strstr(html.ptr, "\xff"));
	assert_non_null(strstr(html.ptr, "<p>Compared `&lt;b&gt;x&lt;/b&gt;`x against"));

	pg_report_write_junit(&xml, r);
	assert_null(strstr(xml.ptr, "<b>"));
	assert_null(strstr(xml.ptr, "<img"));
	assert_null(strstr(xml.ptr, "<script"));
	assert_null(strstr(xml.ptr, "\x1b"));
	assert_null(strstr(xml.ptr, "\xff"));

	pg_write_opts wo = { 0 };
	pg_report_write_term(&term, r, &wo);
	assert_null(strstr(term.ptr, "\x1b"));
	assert_null(strstr(term.ptr, "\xff"));
	assert_null(strstr(term.ptr, "\x07"));
	assert_non_null(strstr(term.ptr, "perfgate: `<b>x</b>`x (br [2J)"));
	pg_buf_clear(&term);
	pg_report_write_noise(&term, r);
	assert_null(strstr(term.ptr, "\x1b"));

	pg_buf_free(&md);
	pg_buf_free(&html);
	pg_buf_free(&xml);
	pg_buf_free(&term);
	judged_free(&j);
}

static void test_report__markdown_escape(void **state)
{
	(void)state;
	pg_buf b = PG_BUF_INIT;
	pg_escape_markdown(&b, "see https://evil.example, WWW.evil.example or a@b.example\n|\xff");
	assert_string_equal(b.ptr, "see https:\u2060//evil.example, WWW\u2060.evil.example or "
				   "a@\u2060b.example \\|\xef\xbf\xbd");
	/* issue references: a backslash does not stop GitHub linking them */
	pg_buf_clear(&b);
	pg_escape_markdown(&b, "#1 acme/widgets#2 GH-3 gh-4 gh-test # heading ##");
	assert_string_equal(b.ptr, "#\u20601 acme/widgets#\u20602 GH\u2060-3 gh\u2060-4 gh-test "
				   "#\u2060 heading #\u2060#\u2060");
	pg_buf_clear(&b);
	pg_escape_markdown(&b, "right-to-left \xe2\x80\xae override; \xc2\x9b control");
	assert_string_equal(b.ptr, "right-to-left \xef\xbf\xbd override;   control");
	pg_buf_clear(&b);
	pg_escape_html(&b, "<a>\x01\xff");
	assert_string_equal(b.ptr, "&lt;a&gt; \xef\xbf\xbd");
	pg_buf_clear(&b);
	pg_escape_term(&b, "a\tb\x1b[0m\xc2\x85\xe2\x81\xa6z");
	assert_string_equal(b.ptr, "a b [0m \xef\xbf\xbdz");
	pg_buf_free(&b);
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
	/* extremes: 4 significant digits, never hundreds of digits nor a 0 */
	pg_fmt_value(&b, 1e300, "ns");
	pg_buf_puts(&b, "|");
	pg_fmt_value(&b, 0.0042, "ns");
	pg_buf_puts(&b, "|");
	pg_fmt_value(&b, 0, "ns");
	pg_buf_puts(&b, "|");
	pg_fmt_value(&b, 3e12, "KiB");
	assert_string_equal(b.ptr, "1e+291 s|0.0042 ns|0 ns|2.861e+06 GiB");
	pg_buf_clear(&b);
	pg_fmt_sparkline(&b, v, 8, 20);
	assert_string_equal(b.ptr, "▁▂▃▄▅▆▇█");
	pg_buf_free(&b);
}

/* Reads `json` as `perfgate post` reads a report artifact. */
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
		cmocka_unit_test(test_report__writers_escape_every_field),
		cmocka_unit_test(test_report__markdown_escape),
		cmocka_unit_test(test_report__sparkline_of_extremes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

