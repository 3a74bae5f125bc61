/*
 * http.c - libcurl behind pg_http (see http.h for the rules it enforces).
 */
#include "http.h"
#include "error.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct pg_http {
	CURL *curl;
	char *origin;   /* scheme://host[:port], no trailing slash */
	char *base;     /* the API URL without trailing slash */
	char *auth;     /* "Authorization: Bearer ..." or NULL */
	pg_http_opts opts;
};

typedef struct response_headers {
	double retry_after;   /* seconds, -1 when absent */
	long ratelimit_remaining; /* -1 when absent */
	long ratelimit_reset;     /* epoch seconds, -1 when absent */
	char *link_next;
} response_headers;

/* Splits "scheme://host[:port]/path" and returns the origin part length. */
static size_t origin_len(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return 0;
	p += 3;
	return (size_t)(p - url) + strcspn(p, "/?#");
}

static int host_is_loopback(const char *url)
{
	const char *h = url + strlen("http://");
	static const char *const hosts[] = { "127.0.0.1", "localhost", "[::1]" };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(hosts[i]);
		if (!strncmp(h, hosts[i], n) && (h[n] == ':' || h[n] == '/' || h[n] == '\0'))
			return 1;
	}
	return 0;
}

int pg_http_url_allowed(const char *url)
{
	if (!strncmp(url, "https://", 8))
		return url[8] != '\0' && url[8] != '/';
	return !strncmp(url, "http://", 7) && host_is_loopback(url);
}

int pg_http_create(pg_http **out, const pg_http_opts *opts)
{
	*out = NULL;
	if (!opts->api_url || !pg_http_url_allowed(opts->api_url))
		return pg_error_set(PG_EUSAGE,
				    "API URL '%s' refused: it must be https:// (http:// only to "
				    "127.0.0.1 or localhost, for tests)", opts->api_url ? opts->api_url : "");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return pg_error_set(PG_ERUNTIME, "cannot initialise libcurl");
	pg_http *h = pg_calloc(1, sizeof(*h));
	h->curl = curl_easy_init();
	if (!h->curl) {
		free(h);
		curl_global_cleanup();
		return pg_error_set(PG_ERUNTIME, "cannot initialise libcurl");
	}
	h->opts = *opts;
	h->base = pg_strdup(opts->api_url);
	size_t n = strlen(h->base);
	while (n && h->base[n - 1] == '/')
		h->base[--n] = '\0';
	h->origin = pg_strndup(h->base, origin_len(h->base));
	if (opts->token && *opts->token) {
		pg_buf a = PG_BUF_INIT;
		pg_buf_printf(&a, "Authorization: Bearer %s", opts->token);
		h->auth = pg_buf_detach(&a);
	}
	*out = h;
	return 0;
}

void pg_http_free(pg_http *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
	if (h->auth) {
		/* Do not leave the token lying around in freed memory. */
		memset(h->auth, 0, strlen(h->auth));
		free(h->auth);
	}
	free(h->origin);
	free(h->base);
	free(h);
	curl_global_cleanup();
}

void pg_http_response_free(pg_http_response *res)
{
	pg_buf_free(&res->body);
	free(res->link_next);
	res->link_next = NULL;
}

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	pg_buf *b = payload;
	/* GitHub answers are small; refuse runaway bodies past 64 MiB. */
	if (b->len + size * n > 64u << 20)
		return 0;
	pg_buf_put(b, data, size * n);
	return size * n;
}

/* Extracts the URL of rel="next" from a Link header value. */
static char *parse_link_next(const char *v)
{
	while (v && *v) {
		const char *lt = strchr(v, '<'), *gt = lt ? strchr(lt, '>') : NULL;
		if (!gt)
			return NULL;
		const char *end = strchr(gt, ',');
		size_t seglen = end ? (size_t)(end - gt) : strlen(gt);
		char *seg = pg_strndup(gt, seglen);
		int is_next = strstr(seg, "rel=\"next\"") != NULL;
		free(seg);
		if (is_next)
			return pg_strndup(lt + 1, (size_t)(gt - lt - 1));
		v = end ? end + 1 : NULL;
	}
	return NULL;
}

static int header_is(const char *line, size_t len, const char *name, const char **value)
{
	size_t n = strlen(name);
	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return 0;
	*value = line + n + 1;
	while (**value == ' ')
		(*value)++;
	return 1;
}

static size_t on_header(char *line, size_t size, size_t n, void *payload)
{
	response_headers *h = payload;
	size_t len = size * n;
	const char *v;
	char *copy = pg_strndup(line, len);
	copy[strcspn(copy, "\r\n")] = '\0';
	if (!strncmp(copy, "HTTP/", 5)) {
		/* a new response (e.g. after a 100 Continue): forget the old one */
		free(h->link_next);
		memset(h, 0, sizeof(*h));
		h->retry_after = -1;
		h->ratelimit_remaining = h->ratelimit_reset = -1;
	} else if (header_is(copy, strlen(copy), "retry-after", &v)) {
		h->retry_after = strtod(v, NULL);
	} else if (header_is(copy, strlen(copy), "x-ratelimit-remaining", &v)) {
		h->ratelimit_remaining = strtol(v, NULL, 10);
	} else if (header_is(copy, strlen(copy), "x-ratelimit-reset", &v)) {
		h->ratelimit_reset = strtol(v, NULL, 10);
	} else if (header_is(copy, strlen(copy), "link", &v)) {
		free(h->link_next);
		h->link_next = parse_link_next(v);
	}
	free(copy);
	return len;
}

static int resolve_url(pg_http *h, pg_buf *url, const char *path)
{
	if (strstr(path, "://")) {
		size_t n = origin_len(path);
		if (n != strlen(h->origin) || strncmp(path, h->origin, n))
			return pg_error_set(PG_ERUNTIME,
					    "refusing to follow a URL outside the API host (%.*s)",
					    (int)n, path);
		pg_buf_puts(url, path);
	} else {
		pg_buf_puts(url, h->base);
		if (path[0] != '/')
			pg_buf_putc(url, '/');
		pg_buf_puts(url, path);
	}
	return 0;
}

static int is_rate_limited(long status, const response_headers *rh, const pg_buf *body)
{
	if (status == 429)
		return 1;
	if (status != 403)
		return 0;
	return rh->retry_after >= 0 || rh->ratelimit_remaining == 0 ||
	       strstr(body->ptr, "rate limit") != NULL;
}

/* How long to wait before attempt `attempt` (1-based retry count). */
static double retry_delay(const pg_http *h, const response_headers *rh, int rate_limited,
			  int attempt)
{
	double backoff = h->opts.backoff * pow(2, attempt - 1);
	if (rh->retry_after >= 0)
		return rh->retry_after;
	if (rh->ratelimit_remaining == 0 && rh->ratelimit_reset > 0) {
		double d = (double)(rh->ratelimit_reset - (long)time(NULL)) + 1;
		return d > 0 ? d : backoff;
	}
	/* GitHub asks for at least a minute on an unexplained secondary limit. */
	return rate_limited ? (backoff > 60 ? backoff : 60) : backoff;
}

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static CURLcode perform(pg_http *h, const char *method, const char *url, const char *body,
			pg_buf *out, response_headers *rh, long *status)
{
	struct curl_slist *hdrs = NULL;
	CURL *c = h->curl;
	curl_easy_reset(c);
	hdrs = curl_slist_append(hdrs, "Accept: application/vnd.github+json");
	hdrs = curl_slist_append(hdrs, "X-GitHub-Api-Version: 2022-11-28");
	if (body)
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	if (h->auth)
		hdrs = curl_slist_append(hdrs, h->auth);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "perfgate/" PERFGATE_VERSION);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* never carry the token elsewhere */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, h->opts.connect_timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, h->opts.total_timeout);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, rh);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	CURLcode rc = curl_easy_perform(c);
	*status = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hdrs);
	return rc;
}

int pg_http_request(pg_http *h, pg_http_response *res, const char *method, const char *path,
		    const char *json_body)
{
	pg_buf url = PG_BUF_INIT;
	int err;
	memset(res, 0, sizeof(*res));
	pg_buf_init(&res->body);
	if ((err = resolve_url(h, &url, path)) < 0)
		goto out;
	for (int attempt = 0;; attempt++) {
		response_headers rh = { -1, -1, -1, NULL };
		long status;
		pg_buf_clear(&res->body);
		CURLcode rc = perform(h, method, url.ptr, json_body, &res->body, &rh, &status);
		res->attempts = attempt + 1;
		res->status = status;
		int rate_limited = rc == CURLE_OK && is_rate_limited(status, &rh, &res->body);
		int retry = rc != CURLE_OK || status >= 500 || rate_limited;
		if (!retry || attempt >= h->opts.max_retries) {
			free(res->link_next);
			res->link_next = rh.link_next;
			if (rc != CURLE_OK)
				err = pg_error_set(PG_ERUNTIME, "%s %s: %s (after %d attempts)", method,
						   url.ptr, curl_easy_strerror(rc), attempt + 1);
			break;
		}
		free(rh.link_next);
		double wait = retry_delay(h, &rh, rate_limited, attempt + 1);
		if (wait > h->opts.max_wait) {
			if (rc != CURLE_OK)
				err = pg_error_set(PG_ERUNTIME, "%s %s: %s", method, url.ptr,
						   curl_easy_strerror(rc));
			else
				pg_error_set(PG_ERUNTIME, "rate limited: GitHub asks to wait %.0f s", wait);
			break;
		}
		sleep_seconds(wait);
	}
out:
	pg_buf_free(&url);
	return err;
}
