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

/* ---- the URL policy ---------------------------------------------------- */

const char pg_http_url_has_userinfo[] =
	"has a user name or password in it (user@host): refused, curl would connect to the "
	"host after the '@'";

typedef struct url_origin {
	char *scheme, *host, *port;
} url_origin;

static void origin_free(url_origin *o)
{
	curl_free(o->scheme);
	curl_free(o->host);
	curl_free(o->port);
	memset(o, 0, sizeof(*o));
}

static int is_loopback(const char *host)
{
	return !strcasecmp(host, "127.0.0.1") || !strcasecmp(host, "localhost") ||
	       !strcmp(host, "[::1]");
}

/* Parses `url` as libcurl will, into its origin; NULL or the problem. */
static const char *parse_origin(const char *url, url_origin *o)
{
	CURLU *u = curl_url();
	char *part = NULL;
	const char *problem = NULL;
	memset(o, 0, sizeof(*o));
	if (!u)
		return "cannot be parsed (out of memory)";
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &o->host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &o->port, CURLU_DEFAULT_PORT) != CURLUE_OK)
		problem = "is not an absolute http:// or https:// URL";
	else if (strcasecmp(o->scheme, "https") && strcasecmp(o->scheme, "http"))
		problem = "must be https:// (http:// only to 127.0.0.1, localhost or [::1])";
	else if (curl_url_get(u, CURLUPART_USER, &part, 0) != CURLUE_NO_USER ||
		 curl_url_get(u, CURLUPART_PASSWORD, &part, 0) != CURLUE_NO_PASSWORD ||
		 curl_url_get(u, CURLUPART_OPTIONS, &part, 0) != CURLUE_NO_OPTIONS)
		problem = pg_http_url_has_userinfo;
	else if (curl_url_get(u, CURLUPART_ZONEID, &part, 0) == CURLUE_OK)
		problem = "names an IPv6 zone: refused";
	else if (strcasecmp(o->scheme, "https") && !is_loopback(o->host))
		problem = "must be https:// (http:// only to 127.0.0.1, localhost or [::1])";
	curl_free(part); /* at most one was set: each failing get leaves it NULL */
	curl_url_cleanup(u);
	if (problem)
		origin_free(o);
	return problem;
}

const char *pg_http_url_problem(const char *url, const char *api_url)
{
	url_origin o, api;
	const char *problem = parse_origin(url, &o);
	if (problem || !api_url)
		goto out;
	if ((problem = parse_origin(api_url, &api)))
		goto out;
	if (strcasecmp(o.scheme, api.scheme) || strcasecmp(o.host, api.host) ||
	    strcmp(o.port, api.port))
		problem = "is not on the API host (scheme, host and port must be the API URL's)";
	origin_free(&api);
out:
	origin_free(&o);
	return problem;
}

int pg_http_url_allowed(const char *url)
{
	return pg_http_url_problem(url, NULL) == NULL;
}

void pg_http_query_escape(pg_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			pg_buf_putc(out, (char)c);
		else
			pg_buf_printf(out, "%%%02X", c);
	}
}

int pg_http_create(pg_http **out, const pg_http_opts *opts)
{
	const char *problem = NULL;
	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return pg_error_set(PG_ERUNTIME, "cannot initialise libcurl");
	if (!opts->api_url)
		problem = "is missing";
	else if (!(problem = pg_http_url_problem(opts->api_url, NULL)) &&
		 strcspn(opts->api_url, "?#") != strlen(opts->api_url))
		problem = "has a query or fragment (?, #)";
	if (problem) {
		curl_global_cleanup();
		if (!opts->api_url || problem == pg_http_url_has_userinfo)
			return pg_error_set(PG_EUSAGE, "the API URL %s", problem);
		return pg_error_set(PG_EUSAGE, "API URL '%s' refused: it %s", opts->api_url, problem);
	}
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

/* The URL of a request: `path` relative to the API URL when it starts with
 * '/', else an absolute URL (a pagination link); either way it must pass
 * the URL policy against the API URL before the token goes anywhere. */
static int resolve_url(pg_http *h, pg_buf *url, const char *path)
{
	const char *problem;
	if (path[0] == '/')
		pg_buf_puts(url, h->base);
	pg_buf_puts(url, path);
	if (!(problem = pg_http_url_problem(url->ptr, h->base)))
		return 0;
	if (problem == pg_http_url_has_userinfo)
		return pg_error_set(PG_ERUNTIME, "refusing to follow a URL outside the API host: "
				    "it %s", problem);
	return pg_error_set(PG_ERUNTIME, "refusing to follow a URL outside the API host (%.200s): "
			    "it %s", url->ptr, problem);
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

/* `fresh`: a new connection, for a request that must not run twice
 * (libcurl itself sends a request again when a reused connection turns out
 * to be closed). */
static CURLcode perform(pg_http *h, const char *method, const char *url, const char *body,
			int fresh, pg_buf *out, response_headers *rh, long *status)
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
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else /* before 7.85 (Ubuntu 22.04 has 7.81) */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* never carry the token elsewhere */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
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

/* Whether a failed transfer surely never reached the server's application
 * (so even a request that must not run twice may be sent again). */
static int never_sent(CURLcode rc)
{
	return rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
	       rc == CURLE_COULDNT_CONNECT || rc == CURLE_SSL_CONNECT_ERROR;
}

static int request(pg_http *h, pg_http_response *res, const char *method, const char *path,
		   const char *json_body, int once)
{
	pg_buf url = PG_BUF_INIT;
	int err;
	memset(res, 0, sizeof(*res));
	pg_buf_init(&res->body);
	res->ratelimit_reset = -1;
	res->retry_after = -1;
	if ((err = resolve_url(h, &url, path)) < 0)
		goto out;
	for (int attempt = 0;; attempt++) {
		response_headers rh = { -1, -1, -1, NULL };
		long status;
		pg_buf_clear(&res->body);
		CURLcode rc = perform(h, method, url.ptr, json_body, once, &res->body, &rh, &status);
		res->attempts = attempt + 1;
		res->status = status;
		res->rate_limited = rc == CURLE_OK && is_rate_limited(status, &rh, &res->body);
		res->ratelimit_reset = rh.ratelimit_remaining == 0 ? rh.ratelimit_reset : -1;
		res->retry_after = rh.retry_after;
		int retry = rc != CURLE_OK || status >= 500 || res->rate_limited;
		if (retry && once && !res->rate_limited && !(rc != CURLE_OK && never_sent(rc))) {
			res->uncertain = 1;
			retry = 0;
		}
		double wait = retry ? retry_delay(h, &rh, res->rate_limited, attempt + 1) : 0;
		if (!retry || attempt >= h->opts.max_retries || wait > h->opts.max_wait) {
			free(res->link_next);
			res->link_next = rh.link_next;
			if (rc != CURLE_OK)
				err = pg_error_set(PG_ERUNTIME, "%s %s: %s (after %d attempt%s)", method,
						   url.ptr, curl_easy_strerror(rc), attempt + 1,
						   attempt ? "s" : "");
			break;
		}
		free(rh.link_next);
		sleep_seconds(wait);
	}
out:
	pg_buf_free(&url);
	return err;
}

int pg_http_request(pg_http *h, pg_http_response *res, const char *method, const char *path,
		    const char *json_body)
{
	return request(h, res, method, path, json_body, 0);
}

int pg_http_request_once(pg_http *h, pg_http_response *res, const char *method,
			 const char *path, const char *json_body)
{
	return request(h, res, method, path, json_body, 1);
}

int pg_http_backoff(pg_http *h, int attempt)
{
	response_headers none = { -1, -1, -1, NULL };
	if (attempt > h->opts.max_retries)
		return -1;
	sleep_seconds(fmin(retry_delay(h, &none, 0, attempt), h->opts.max_wait));
	return 0;
}
