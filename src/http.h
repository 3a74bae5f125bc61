/*
 * http.h - the little HTTP client perfgate needs for the GitHub REST API,
 * over libcurl.
 *
 * Safety rules enforced here, not left to callers:
 *  - only https:// URLs, except http:// to 127.0.0.1, localhost or [::1]
 *    (for tests against a local server);
 *  - every request goes to the configured API origin (scheme, host, port);
 *    an absolute URL from elsewhere (a forged pagination link) is refused,
 *    so the token is only ever sent to the API host;
 *  - the token is never part of a message, log or report.
 *
 * Retries: connection errors, 5xx, 429 and rate-limit 403s are retried with
 * exponential backoff, honouring Retry-After and x-ratelimit-reset, each
 * wait bounded by max_wait; then the last failure is returned.
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
} pg_http_response;

/* PG_EUSAGE for an API URL that is not https (or local http). */
int pg_http_create(pg_http **out, const pg_http_opts *opts);
void pg_http_free(pg_http *http);

/* Sends `method` to `path` (relative to the API URL, or an absolute URL on
 * the same origin) with an optional JSON body.  Returns 0 when a response
 * arrived (any status: check res->status), PG_ERUNTIME when none did after
 * the retries.  `res` must be freed with pg_http_response_free(). */
int pg_http_request(pg_http *http, pg_http_response *res, const char *method, const char *path,
		    const char *json_body);
void pg_http_response_free(pg_http_response *res);

/* Whether `url` may be used as an API URL (https, or http to loopback). */
int pg_http_url_allowed(const char *url);

#endif
