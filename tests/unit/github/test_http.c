/*
 * test_http.c - the URL policy of http.h (pg_http_url_problem), decided on
 * the URL as libcurl parses it, the parser that connects: https only, http
 * only to the loopback names, no userinfo, requests only to the API's
 * origin; pg_http_create's refusals; pg_http_query_escape.  (test_github.c
 * holds the first table of hostile URLs.)
 */
#include "error.h"
#include "helpers.h"
#include "http.h"

#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof(*(a)))

static void allowed(const char *url, const char *api)
{
	const char *problem = pg_http_url_problem(url, api);
	if (problem)
		fail_msg("refused %s (API %s): %s", url, api ? api : "-", problem);
}

static void refused(const char *url, const char *api)
{
	if (!pg_http_url_problem(url, api))
		fail_msg("allowed %s (API %s)", url, api ? api : "-");
}

static void test_http__schemes_and_loopback(void **state)
{
	(void)state;
	/* schemes and host names are case-insensitive */
	static const char *const ok[] = {
		"HTTPS://API.GITHUB.COM", "Https://api.github.com/api/v3/", "hTtP://127.0.0.1:8080/",
		"HTTP://[::1]", "http://LOCALHOST:1/", "http://localhost", "http://[::1]:8080/x",
		/* the IPv6 loopback however written: curl connects to ::1 */
		"http://[0:0:0:0:0:0:0:1]/",
		/* ports: any valid one, on https anywhere and http on loopback */
		"https://ghe.example.com:8443/api/v3", "http://127.0.0.1:65535/",
	};
	for (size_t i = 0; i < N(ok); i++)
		allowed(ok[i], NULL);

	static const char *const bad[] = {
		/* cleartext off the loopback names, however the host is spelled */
		"http://api.github.com", "HTTP://API.GITHUB.COM/", "http://127.0.0.1./",
		"http://localhost./x", "http://localhost%2eevil.example/", "http://[::ffff:127.0.0.1]/",
		"http://[::2]/", "http://127.0.0.1.nip.io/", "http://localhost.localdomain/",
		"http://[::1%25lo]/", "http://[fe80::1%25eth0]:80/",
		/* ports curl refuses */
		"http://127.0.0.1:65536/", "http://127.0.0.1:-1/", "http://127.0.0.1:80a/",
		"https://api.github.com:99999999999999999999/",
		/* other schemes, and no scheme */
		"ws://127.0.0.1/", "httpss://api.github.com", "HTTPS+x://api.github.com",
		"file://localhost/etc/passwd", "ldap://127.0.0.1/", "http:127.0.0.1",
		/* spaces, NUL and line breaks */
		" http://127.0.0.1/", "http://127.0.0.1 /", "http://127.0.0.1%00.evil/",
		"https://api.github.com/\nHost: evil", "https://api.github.com/\t",
	};
	for (size_t i = 0; i < N(bad); i++)
		refused(bad[i], NULL);
}

/* A user name or password is refused wherever curl finds one: the host
 * after the '@' is where curl connects. */
static void test_http__userinfo(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"http://127.0.0.1:1@evil.example", "HTTP://127.0.0.1:1@EVIL.EXAMPLE/",
		"http://127.0.0.1:8080@[::1]/", "http://[::1]@127.0.0.1/",
		"http://127.0.0.1%2f@evil.example/", "http://localhost:@evil.example",
		"https://token@api.github.com/", "https://x-access-token:ghp_x@api.github.com/",
	};
	for (size_t i = 0; i < N(bad); i++) {
		const char *problem = pg_http_url_problem(bad[i], NULL);
		if (problem != pg_http_url_has_userinfo)
			fail_msg("%s: %s", bad[i], problem ? problem : "allowed");
		refused(bad[i], "https://api.github.com");
	}
	/* the problem names userinfo but never repeats the URL */
	assert_null(strstr(pg_http_url_has_userinfo, "evil"));
	/* an encoded '@' in the host, or two '@': no host curl takes */
	refused("https://api.github.com%40evil.example/", NULL);
	refused("http://a@b@127.0.0.1/", NULL);
	/* and an API URL with userinfo allows nothing */
	refused("http://evil.example/", "http://127.0.0.1:1@evil.example");
	refused("http://127.0.0.1:1/", "http://127.0.0.1:1@evil.example");
}

/* A request goes only to the API's origin: scheme, host and port as curl
 * reads them (case, default ports and IP spellings normalised by curl). */
static void test_http__api_origin(void **state)
{
	(void)state;
	static const char *const gh = "https://api.github.com";
	allowed("https://api.github.com/repos/a/b/issues?page=2", gh);
	allowed("HTTPS://API.GITHUB.COM/x", gh);
	allowed("https://api.github.com:443/x", gh);
	allowed("https://api.github.com/x", "https://api.github.com:443/");
	refused("https://api.github.com./x", gh);
	refused("https://api.github.com:8443/x", gh);
	refused("https://api.github.com/x", "https://api.github.com:8443");
	refused("http://api.github.com:443/x", gh);
	refused("https://uploads.github.com/x", gh);
	refused("https://github.com/x", gh);
	refused("https://[::1]/x", gh);
	refused("https://api.github.com.evil.example/x", gh);
	refused("https://evil.example/https://api.github.com/", gh);
	refused("https://evil.example/?u=https://api.github.com", gh);
	refused("/repos/a/b", gh); /* relative: pg_http_request joins those itself */

	/* loopback API: the port and the name must match exactly */
	static const char *const v6 = "http://[::1]:8080";
	allowed("http://[::1]:8080/x", v6);
	allowed("http://[0:0::1]:8080/x", v6);
	refused("http://[::1]/x", v6);
	refused("http://localhost:8080/x", v6);
	refused("http://127.0.0.1:8080/x", v6);
	refused("https://[::1]:8080/x", v6);
	static const char *const v4 = "http://127.0.0.1:8080/api";
	allowed("http://127.0.0.1:8080/other", v4);
	refused("http://127.0.0.1:8081/api", v4);
	refused("https://127.0.0.1:8080/api", v4);
	refused("http://localhost:8080/api", v4);
}

static void test_http__create(void **state)
{
	(void)state;
	pg_http_opts o = PG_HTTP_OPTS_INIT;
	pg_http *h = (pg_http *)1;
	assert_int_equal(pg_http_create(&h, &o), PG_EUSAGE);
	assert_null(h);
	assert_non_null(strstr(pg_error_last(), "API URL is missing"));
	static const char *const bad[] = {
		"https://api.github.com/?per_page=1", "https://api.github.com/#x",
		"http://api.github.com", "ftp://api.github.com", "", "api.github.com",
	};
	for (size_t i = 0; i < N(bad); i++) {
		o.api_url = bad[i];
		h = (pg_http *)1;
		assert_int_equal(pg_http_create(&h, &o), PG_EUSAGE);
		assert_null(h);
		assert_non_null(strstr(pg_error_last(), "API URL"));
		assert_null(strchr(pg_error_last(), '\n'));
	}
	/* a control character in the URL is not echoed raw */
	o.api_url = "http://evil.example/\x1b[2J";
	assert_int_equal(pg_http_create(&h, &o), PG_EUSAGE);
	assert_null(strchr(pg_error_last(), '\x1b'));
	/* the token never appears in a refusal */
	o.api_url = "https://x:ghp_0123456789abcdef@api.github.com/";
	o.token = "ghp_0123456789abcdef";
	assert_int_equal(pg_http_create(&h, &o), PG_EUSAGE);
	assert_null(strstr(pg_error_last(), "ghp_"));
	o.api_url = "https://api.github.com/api/v3//";
	assert_int_equal(pg_http_create(&h, &o), 0);
	assert_non_null(h);
	pg_http_free(h);
	pg_http_free(NULL);
}

static void test_http__query_escape(void **state)
{
	(void)state;
	pg_buf b = PG_BUF_INIT;
	pg_http_query_escape(&b, "AZaz09-._~");
	assert_string_equal(b.ptr, "AZaz09-._~");
	pg_buf_clear(&b);
	pg_http_query_escape(&b, "a b&c=d/e?f#g+h%i@j\n");
	assert_string_equal(b.ptr, "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i%40j%0A");
	pg_buf_clear(&b);
	pg_http_query_escape(&b, "µ\xff");
	assert_string_equal(b.ptr, "%C2%B5%FF");
	pg_buf_clear(&b);
	pg_http_query_escape(&b, "");
	assert_int_equal(b.len, 0);
	pg_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http__schemes_and_loopback),
		cmocka_unit_test(test_http__userinfo),
		cmocka_unit_test(test_http__api_origin),
		cmocka_unit_test(test_http__create),
		cmocka_unit_test(test_http__query_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
