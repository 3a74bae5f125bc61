/*
 * http.h - the little HTTP client perfgate needs for the GitHub REST API,
 * over libcurl.
 *
 * Safety rules enforced here, not left to callers, by one URL policy
 * (pg_http_url_problem) applied to every URL perfgate is given or follows:
 *  - URLs are parsed by libcurl's own URL parser, the one that connects;
 *  - only https:// URLs, except http:// to exactly 127.0.0.1, localhost or
 *    [::1] (for tests against a local server);
 *  - no user name or password in a URL ("http://127.0.0.1:1@evil.example"
 *    connects to evil.example);
 *  - every request goes to the configured API origin (scheme, host and port
 *    compared exactly); an absolute URL from elsewhere (a forged pagination
 *    link) is refused, so the token is only ever sent to the API host;
 *  - redirects are not followed;
 *  - the token is never part of a message, log or report.
 *
 * Retries: connection errors, 5xx, 429 and rate-limit 403s are retried with
 * exponential backoff, honouring Retry-After and x-ratelimit-reset, each
 * wait bounded by max_wait; then the last failure is returned.
 * pg_http_request_once() is for requests that must not be repeated blindly
 * (creating a comment): it retries only what the server cannot have acted
 * on, and tells the caller when the outcome is unknown.
 */
#ifndef PG_HTTP_H
#define PG_HTTP_H

#include "buf.h"

typedef struct pg_http pg_http;

typedef struct pg_http_opts {
	const char *api_url;     /* e.g. https://api.github.com */
	const char *token;       /* bearer token; may be NULL */
	int max_retries;         /* default 3 */
	double backoff;          /* first backoff in seconds, default 0.5 */
	double max_wait;         /* longest single wait in seconds, default 60 */
	long connect_timeout;    /* seconds, default 10 */
	long total_timeout;      /* seconds per attempt, default 30 */
} pg_http_opts;

#define PG_HTTP_OPTS_INIT { NULL, NULL, 3, 0.5, 60, 10, 30 }

typedef struct pg_http_response {
	long status;             /* 0 when no response at all */
	pg_buf body;
	char *link_next;         /* rel="next" from the Link header, or NULL */
	int attempts;
	int rate_limited;        /* the last answer was 429 or a rate-limit 403 */
	long ratelimit_reset;    /* x-ratelimit-reset (epoch seconds), or -1 */
	double retry_after;      /* Retry-After in seconds, or -1 */
	int uncertain;           /* pg_http_request_once: a 5xx or a connection lost
				  * after sending; the server may have acted on it */
} pg_http_response;

/* PG_EUSAGE for an API URL the policy refuses (pg_http_url_problem) or
 * that has a query or fragment. */
int pg_http_create(pg_http **out, const pg_http_opts *opts);
void pg_http_free(pg_http *http);

/* Sends `method` to `path` (relative to the API URL, or an absolute URL on
 * the same origin) with an optional JSON body.  Returns 0 when a response
 * arrived (any status: check res->status), PG_ERUNTIME when none did after
 * the retries.  `res` must be freed with pg_http_response_free(). */
int pg_http_request(pg_http *http, pg_http_response *res, const char *method, const char *path,
		    const char *json_body);
/* As pg_http_request, but retried only when the server cannot have acted
 * on the request (no connection made, 429, a rate-limit 403).  After a 5xx
 * or a connection lost mid-request it returns at once with res->uncertain
 * set (and 0 for a 5xx, PG_ERUNTIME for no answer): the caller checks what
 * happened before trying again (pg_http_backoff). */
int pg_http_request_once(pg_http *http, pg_http_response *res, const char *method,
			 const char *path, const char *json_body);
void pg_http_response_free(pg_http_response *res);

/* Sleeps before retry number `attempt` (1-based) as the backoff options
 * say; returns -1 without sleeping when max_retries are used up. */
int pg_http_backoff(pg_http *http, int attempt);

/* The URL policy (see above), with libcurl's URL parser: NULL when `url`
 * may be used, else what is wrong with it (a static string).  With
 * `api_url` NULL, whether `url` may be an API URL; else whether a request
 * may go to `url` with the token of that API: same scheme, host and port. */
const char *pg_http_url_problem(const char *url, const char *api_url);
/* The userinfo problem: a message naming it must not repeat the URL. */
extern const char pg_http_url_has_userinfo[];
/* Whether `url` may be used as an API URL: !pg_http_url_problem(url, NULL). */
int pg_http_url_allowed(const char *url);

/* Appends `s` percent-encoded for a query value (all but A-Z a-z 0-9 - . _ ~). */
void pg_http_query_escape(pg_buf *out, const char *s);

#endif
