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
	/* a newline cannot start a new workflow command, nor can any control
	 * character reach the log */
	assert_string_equal(b.ptr, "::error title=perfgate%3A a%2Cb%3Ac 0::a,b:c 0 wall_time "
				   "critical: +30.0%25 (1.00 ms -> 1.30 ms)\n");
	pg_report_free(r);
	r = report_with(2, PG_SEV_OK, "fine");
	pg_buf_clear(&b);
	pg_github_annotations(&b, r);
	assert_string_equal(b.ptr, ""); /* nothing flagged, nothing said */
	pg_report_free(r);

	/* a failed benchmark's reason (a process's stderr: any bytes) stays one
	 * line of text; a row with neither reason nor metric does not crash */
	r = report_with(2, PG_SEV_FAILED, "x");
	for (size_t i = 0; i < 2; i++) {
		free(r->rows[i].metric);
		r->rows[i].metric = NULL;
	}
	r->rows[0].reason = pg_strdup("boom\n::error::forged\x1b[31m\xff \xe2\x80\xae");
	pg_buf_clear(&b);
	pg_github_annotations(&b, r);
	assert_string_equal(b.ptr, "::error title=perfgate%3A x0::x0 failed: boom ::error::forged "
				   "[31m\xef\xbf\xbd \xef\xbf\xbd\n"
				   "::error title=perfgate%3A x1::x1 failed: no reason given\n");
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
	assert_true(pg_http_url_allowed("HTTP://LocalHost:8080/x"));
	assert_true(pg_http_url_allowed("http://[::1]:8080/"));
	assert_false(pg_http_url_allowed("http://api.github.com"));
	assert_false(pg_http_url_allowed("http://127.0.0.1.evil.com"));
	assert_false(pg_http_url_allowed("ftp://x"));
	assert_false(pg_http_url_allowed("https://"));
}

/* Every URL perfgate is given (--api-url, GITHUB_API_URL) or follows (a
 * pagination link) goes through one policy, parsed by libcurl itself. */
static void test_github__hostile_urls(void **state)
{
	(void)state;
	static const char *const refused[] = {
		/* userinfo: curl would connect to the host after the '@' */
		"http://127.0.0.1:1@evil.example",
		"http://localhost@evil.example/",
		"http://[::1]:80@evil.example/",
		"https://api.github.com@evil.example",
		"https://user:secret@api.github.com/",
		"https://:@api.github.com/",
		"http://@127.0.0.1/",
		"http://127.0.0.1\\@evil.example",
		"http://u;opt@127.0.0.1/",
		/* cleartext to anything but exactly the loopback names */
		"http://evil.example",
		"http://127.0.0.1.evil.example",
		"http://localhost.evil.example/",
		"http://localhost./",
		"http://127.0.0.2/",
		"http://[::2]/",
		"http://[fe80::1%25eth0]/",
		/* not http(s), not absolute, not a URL */
		"file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1/",
		"//evil.example/x", "api.github.com", "", "https://", "https://a b",
		"https://api.github.com\r\nX-Injected: 1",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		if (!pg_http_url_problem(refused[i], NULL))
			fail_msg("allowed: %s", refused[i]);
	assert_ptr_equal(pg_http_url_problem("http://127.0.0.1:1@evil.example", NULL),
			 pg_http_url_has_userinfo);

	/* a link must be on the API's origin: scheme, host and port exactly */
	static const char *const api = "https://api.github.com/";
	static const char *const elsewhere[] = {
		"https://api.github.com.evil.example/repos",
		"https://evil.example/api.github.com/repos",
		"https://api.github.com:444/repos",
		"http://api.github.com/repos",
		"https://x@api.github.com/repos",
		"https://evil.example#https://api.github.com/",
		"https://evil.example?https://api.github.com/",
	};
	for (size_t i = 0; i < sizeof(elsewhere) / sizeof(*elsewhere); i++)
		if (!pg_http_url_problem(elsewhere[i], api))
			fail_msg("followed: %s", elsewhere[i]);
	assert_null(pg_http_url_problem("https://api.github.com/repos/a/b?page=2", api));
	assert_null(pg_http_url_problem("https://API.GitHub.com:443/repos/a/b?page=2", api));
	assert_null(pg_http_url_problem("http://127.0.0.1:8080/x?page=2", "http://127.0.0.1:8080"));
	assert_non_null(pg_http_url_problem("http://127.0.0.1:8081/x", "http://127.0.0.1:8080"));
	assert_non_null(pg_http_url_problem("http://localhost:8080/x", "http://127.0.0.1:8080"));

	/* and pg_http_create refuses them too, without echoing credentials */
	pg_http_opts o = PG_HTTP_OPTS_INIT;
	pg_http *h = NULL;
	o.api_url = "http://127.0.0.1:1@evil.example";
	assert_int_equal(pg_http_create(&h, &o), PG_EUSAGE);
	assert_null(h);
	assert_null(strstr(pg_error_last(), "evil.example"));
	o.api_url = "https://user:ghp_secret@api.github.com";
	assert_int_equal(pg_http_create(&h, &o), PG_EUSAGE);
	assert_null(strstr(pg_error_last(), "ghp_secret"));
	o.api_url = "https://api.github.com/?x=1";
	assert_int_equal(pg_http_create(&h, &o), PG_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github__workflow_command_escaping),
		cmocka_unit_test(test_github__annotations),
		cmocka_unit_test(test_github__marker),
		cmocka_unit_test(test_github__comment_body_fits),
		cmocka_unit_test(test_github__api_urls),
		cmocka_unit_test(test_github__hostile_urls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
