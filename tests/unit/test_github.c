/*
 * test_github.c - the text perfgate sends to GitHub: workflow-command
 * escaping, annotations, markers, the size-limited comment body, and which
 * API URLs are allowed.
 */
#include "buf.h"
#include "config.h"
#include "error.h"
#include "github.h"
#include "helpers.h"
#include "http.h"

#include <math.h>
#include <string.h>

static void test_github__workflow_command_escaping(void **state)
{
	(void)state;
	pg_buf b = PG_BUF_INIT;
	pg_github_escape_data(&b, "50% a:b,c\r\nd");
	assert_string_equal(b.ptr, "50%25 a:b,c%0D%0Ad");
	pg_buf_clear(&b);
	pg_github_escape_property(&b, "50% a:b,c\r\nd");
	assert_string_equal(b.ptr, "50%25 a%3Ab%2Cc%0D%0Ad");
	pg_buf_free(&b);
}

static pg_report *report_with(size_t n, pg_severity sev, const char *name)
{
	pg_report *r = pg_calloc(1, sizeof(*r));
	r->fail_on = PG_SEV_CRITICAL;
	for (size_t i = 0; i < n; i++) {
		char bench[64];
		snprintf(bench, sizeof(bench), "%s%zu", name, i);
		pg_result_row *row = pg_report_add_row(r, bench);
		row->metric = pg_strdup("wall_time");
		row->unit = pg_strdup("ns");
		row->v.baseline = 1e6;
		row->v.current = 1.3e6;
		row->v.change_pct = 30;
		row->v.z = 9;
		row->v.p = row->v.sd = row->v.ci_low = row->v.ci_high = NAN;
		row->v.severity = sev;
	}
	pg_report_finish(r);
	return r;
}

static void test_github__annotations(void **state)
{
	(void)state;
	pg_report *r = report_with(1, PG_SEV_CRITICAL, "a,b:c\n");
	pg_buf b = PG_BUF_INIT;
	pg_github_annotations(&b, r);
	assert_string_equal(b.ptr, "::error title=perfgate%3A a%2Cb%3Ac%0A0::a,b:c%0A0 wall_time "
				   "critical: +30.0%25 (1.00 ms -> 1.30 ms)\n");
	pg_report_free(r);
	r = report_with(2, PG_SEV_OK, "fine");
	pg_buf_clear(&b);
	pg_github_annotations(&b, r);
	assert_string_equal(b.ptr, ""); /* nothing flagged, nothing said */
	pg_report_free(r);
	pg_buf_free(&b);
}

static void test_github__marker(void **state)
{
	(void)state;
	pg_buf b = PG_BUF_INIT;
	assert_int_equal(pg_github_marker(&b, "linux-x86.64_a"), 0);
	assert_string_equal(b.ptr, "<!-- perfgate:linux-x86.64_a -->\n");
	assert_int_equal(pg_github_marker(&b, "x -->"), PG_EUSAGE);
	assert_int_equal(pg_github_marker(&b, ""), PG_EUSAGE);
	pg_buf_free(&b);
}

static void test_github__comment_body_fits(void **state)
{
	(void)state;
	pg_report *r = report_with(5000, PG_SEV_OK, "some/rather/long/benchmark/name/");
	pg_buf b = PG_BUF_INIT;
	pg_github_comment_body(&b, r, "<!-- perfgate:default -->\n", "https://example.com/run",
			       PG_GITHUB_COMMENT_MAX - 512);
	assert_true(b.len < PG_GITHUB_COMMENT_MAX);
	assert_true(b.len > PG_GITHUB_COMMENT_MAX / 2); /* it uses the room it has */
	assert_non_null(strstr(b.ptr, "more results not shown"));
	assert_non_null(strstr(b.ptr, "</details>"));
	assert_non_null(strstr(b.ptr, "[Workflow run](https://example.com/run)"));
	assert_int_equal(strncmp(b.ptr, "<!-- perfgate:default -->\n### ✅", 30), 0);
	pg_buf_free(&b);
	pg_report_free(r);
}

static void test_github__api_urls(void **state)
{
	(void)state;
	assert_true(pg_http_url_allowed("https://api.github.com"));
	assert_true(pg_http_url_allowed("https://ghe.example.com/api/v3"));
	assert_true(pg_http_url_allowed("http://127.0.0.1:8080"));
	assert_true(pg_http_url_allowed("http://localhost/api"));
	assert_false(pg_http_url_allowed("http://api.github.com"));
	assert_false(pg_http_url_allowed("http://127.0.0.1.evil.com"));
	assert_false(pg_http_url_allowed("ftp://x"));
	assert_false(pg_http_url_allowed("https://"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github__workflow_command_escaping),
		cmocka_unit_test(test_github__annotations),
		cmocka_unit_test(test_github__marker),
		cmocka_unit_test(test_github__comment_body_fits),
		cmocka_unit_test(test_github__api_urls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
