/*
 * import_load.c - load testers' text summaries: wrk (with --latency), hey
 * and ApacheBench (ab).  One run of the tool per file, one result
 * (PG_LOAD_RESULT) with the metrics of loadtest.h.
 */
#include "error.h"
#include "import.h"
#include "import_lines.h"
#include "loadtest.h"
#include "utf8.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { L_P50, L_P75, L_P90, L_P95, L_P99, L_MAX, L_MEAN, L_RPS, L_BPS, L_ERRORS, L_NON2XX,
       L_REQUESTS, L_N };

static const struct { const char *metric, *unit; int higher; } load_metrics[] = {
	[L_P50] = { PG_LOAD_P50, PG_LOAD_TIME_UNIT, 0 },
	[L_P75] = { PG_LOAD_P75, PG_LOAD_TIME_UNIT, 0 },
	[L_P90] = { PG_LOAD_P90, PG_LOAD_TIME_UNIT, 0 },
	[L_P95] = { PG_LOAD_P95, PG_LOAD_TIME_UNIT, 0 },
	[L_P99] = { PG_LOAD_P99, PG_LOAD_TIME_UNIT, 0 },
	[L_MAX] = { PG_LOAD_MAX, PG_LOAD_TIME_UNIT, 0 },
	[L_MEAN] = { PG_LOAD_MEAN, PG_LOAD_TIME_UNIT, 0 },
	[L_RPS] = { PG_LOAD_RPS, "1/s", 1 },
	[L_BPS] = { PG_LOAD_BPS, "B/s", 1 },
	[L_ERRORS] = { PG_LOAD_ERRORS, "", 0 },
	[L_NON2XX] = { PG_LOAD_NON_2XX, "", 0 },
	[L_REQUESTS] = { NULL, NULL, 0 }, /* only for error_rate */
};

typedef struct load_run {
	const char *what, *where; /* the tool (for messages), the file */
	double v[L_N];
	int has[L_N];
	size_t line[L_N];
} load_run;

/* Sets value `k` read on line `lineno`; a second one is an error (one run
 * of the tool per file). */
static int load_set(load_run *r, int k, double x, size_t lineno)
{
	if (r->has[k])
		return pg_import_line_error(r->where, r->what, lineno, "a second value of %s (line "
					    "%zu): give perfgate one run of %s per file",
					    k == L_REQUESTS ? "the request count" :
					    k == L_NON2XX ? "the non-2xx count" : load_metrics[k].metric,
					    r->line[k], r->what);
	r->v[k] = x;
	r->has[k] = 1;
	r->line[k] = lineno;
	return 0;
}

static int load_bad(load_run *r, size_t lineno, const char *token, const char *expected)
{
	pg_buf q = PG_BUF_INIT;
	pg_utf8_printable(&q, token, 40);
	int err = pg_import_line_error(r->where, r->what, lineno, "'%s' is not %s", q.ptr, expected);
	pg_buf_free(&q);
	return err;
}

/* A count: decimal digits only.  0 and *x set, or -1. */
static int load_int(const char *tok, double *x)
{
	if (!tok || !*tok || strspn(tok, "0123456789") != strlen(tok))
		return -1;
	return pg_import_decimal(tok, x);
}

static int load_count(load_run *r, int k, const char *tok, size_t lineno)
{
	double x;
	if (load_int(tok, &x) < 0)
		return load_bad(r, lineno, tok ? tok : "", "a count");
	return load_set(r, k, x, lineno);
}

/* A number then its unit, glued ("635.91us", "4.89MB") or after a blank
 * ("0.0345 secs"), or with the unit given apart (`unit` not NULL): in the
 * units of `units` (name/factor pairs ending with a NULL name), times the
 * unit's factor.  0 and *x set, or -1. */
typedef struct load_unit { const char *name; double factor; } load_unit;

static int load_number(const char *num, const char *unit, const load_unit *units, double *x)
{
	pg_buf n = PG_BUF_INIT;
	if (!unit) {
		size_t len = 0;
		while (num[len] && !isalpha((unsigned char)num[len]))
			len++;
		pg_buf_put(&n, num, len);
		unit = num + len;
	} else {
		pg_buf_puts(&n, num);
	}
	size_t u = 0;
	while (units[u].name && strcmp(units[u].name, unit))
		u++;
	int err = !units[u].name || pg_import_decimal(pg_import_trim(n.ptr), x) < 0 ? -1 : 0;
	pg_buf_free(&n);
	if (!err)
		*x *= units[u].factor;
	return err;
}

static int load_value(load_run *r, int k, const char *num, const char *unit, const load_unit *units,
		      size_t lineno, const char *expected)
{
	double x;
	if (load_number(num, unit, units, &x) < 0)
		return load_bad(r, lineno, num, expected);
	return load_set(r, k, x, lineno);
}

static const load_unit wrk_times[] = { { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 },
				       { "h", 3600e9 }, { NULL, 0 } };
static const load_unit wrk_bytes[] = { { "B", 1 }, { "KB", 1024.0 }, { "MB", 1048576.0 },
				       { "GB", 1073741824.0 }, { "TB", 1099511627776.0 },
				       { NULL, 0 } };
static const load_unit secs[] = { { "secs", 1e9 }, { NULL, 0 } };
static const load_unit plain[] = { { "", 1 }, { NULL, 0 } };
static const load_unit ms[] = { { "", 1e6 }, { NULL, 0 } };
static const load_unit kbytes[] = { { "", 1024.0 }, { NULL, 0 } };

/* The result, once every line was read: `need` (one of L_*) must be
 * there, or the output was cut short. */
static int load_finish(pg_run *run, load_run *r, const char *text, const char *self,
		       const char *expected)
{
	if (!r->has[L_RPS]) {
		int any = 0;
		for (int k = 0; k < L_N; k++)
			any |= r->has[k];
		if (!any)
			return pg_import_none_found(r->where, self, r->what, expected, text);
		return pg_import_line_error(r->where, r->what, 0, "no requests per second in it: the "
					    "summary is cut short (truncated?)");
	}
	for (int k = 0; k < L_REQUESTS; k++)
		if (r->has[k])
			pg_import_sample(run, PG_LOAD_RESULT, load_metrics[k].metric, load_metrics[k].unit,
					 load_metrics[k].higher, r->v[k]);
	double bad = r->v[L_ERRORS] + r->v[L_NON2XX];
	if (r->has[L_REQUESTS] && r->v[L_REQUESTS] > 0)
		pg_import_sample(run, PG_LOAD_RESULT, PG_LOAD_ERROR_RATE, "", 0, bad / r->v[L_REQUESTS]);
	return 0;
}

/* "Word1 Word2:" at the start of trimmed `t`: what follows it, or NULL. */
static char *after(char *t, const char *key)
{
	return pg_import_starts(t, key) ? pg_import_trim(t + strlen(key)) : NULL;
}

/* ---- wrk ----------------------------------------------------------------
 *   Thread Stats   Avg      Stdev     Max   +/- Stdev
 *     Latency   635.91us    0.89ms  12.92ms   93.69%
 *   Latency Distribution
 *      50%  491.00us
 *   183914 requests in 10.01s, 48.98MB read
 *   Socket errors: connect 0, read 0, write 0, timeout 5
 *   Non-2xx or 3xx responses: 12
 * Requests/sec:  18373.46
 * Transfer/sec:      4.89MB
 * KB, MB are powers of 1024 (wrk's units).  requests: the responses
 * counted, plus the socket errors. */

int pg_import_wrk(pg_run *run, const char *text, const char *where)
{
	load_run r = { .what = "wrk", .where = where };
	pg_text_lines l;
	int err = 0;
	double completed = -1;
	int stats = 0; /* the line before was "Thread Stats   Avg ..." */
	pg_text_lines_split(&l, text);
	for (size_t i = 0; i < l.n && !err; i++) {
		char *t = pg_import_trim(l.v[i]), *v, *tok[8];
		int n;
		size_t no = i + 1;
		if ((v = after(t, "Requests/sec:"))) {
			err = load_value(&r, L_RPS, v, "", plain, no, "a rate");
		} else if ((v = after(t, "Transfer/sec:"))) {
			err = load_value(&r, L_BPS, v, NULL, wrk_bytes, no, "a size");
		} else if ((v = after(t, "Non-2xx or 3xx responses:"))) {
			err = load_count(&r, L_NON2XX, v, no);
		} else if ((v = after(t, "Socket errors:"))) {
			/* connect N, read N, write N, timeout N */
			double sum = 0, x = 0;
			n = pg_import_tokens(v, tok, 8);
			for (int k = 0; k + 1 < 8 && k + 1 < n && !err; k += 2) {
				tok[k + 1][strcspn(tok[k + 1], ",")] = '\0';
				if (pg_import_decimal(tok[k + 1], &x) < 0)
					err = load_bad(&r, no, tok[k + 1], "a count");
				sum += x;
			}
			if (!err && n != 8)
				err = pg_import_line_error(where, "wrk", no, "expected \"Socket errors: "
							   "connect N, read N, write N, timeout N\"");
			if (!err)
				err = load_set(&r, L_ERRORS, sum, no);
		} else if (pg_import_starts(t, "Thread Stats ")) {
			stats = 1;
		} else if (stats && (v = after(t, "Latency "))) {
			stats = 0;
			/* Avg Stdev Max +/-Stdev */
			if ((n = pg_import_tokens(v, tok, 4)) != 4)
				err = pg_import_line_error(where, "wrk", no, "expected \"Latency AVG STDEV "
							   "MAX +/-STDEV\"");
			else if (!(err = load_value(&r, L_MEAN, tok[0], NULL, wrk_times, no, "a time")))
				err = load_value(&r, L_MAX, tok[2], NULL, wrk_times, no, "a time");
		} else if (strstr(t, " requests in ") && isdigit((unsigned char)t[0])) {
			n = pg_import_tokens(t, tok, 8);
			if ((err = load_count(&r, L_REQUESTS, tok[0], no)) == 0)
				completed = r.v[L_REQUESTS];
		} else if ((n = pg_import_tokens(t, tok, 3)) == 2 && tok[0][strlen(tok[0]) - 1] == '%' &&
			   isdigit((unsigned char)tok[0][0])) {
			/* the latency distribution: "50%  491.00us" */
			static const struct { const char *p; int k; } pct[] = {
				{ "50%", L_P50 }, { "75%", L_P75 }, { "90%", L_P90 }, { "99%", L_P99 },
			};
			for (size_t k = 0; k < sizeof(pct) / sizeof(*pct); k++)
				if (!strcmp(tok[0], pct[k].p))
					err = load_value(&r, pct[k].k, tok[1], NULL, wrk_times, no, "a time");
		}
	}
	if (!err && completed < 0) /* no "N requests in": not wrk's (or cut short) */
		r.has[L_RPS] = 0;
	if (!err && r.has[L_RPS]) {
		r.has[L_ERRORS] = r.has[L_NON2XX] = 1; /* wrk prints them only when not 0 */
		r.v[L_REQUESTS] = completed + r.v[L_ERRORS];
	}
	pg_text_lines_free(&l);
	return err ? err : load_finish(run, &r, text, "wrk", "\"Requests/sec:\" summary");
}

/* A percentile line "NN% in X secs" (hey) or "NN%  X" (ab): the L_*
 * index of NN, or -1 for one that is not stored. */
static int load_percentile(const char *p)
{
	static const struct { const char *p; int k; } pct[] = {
		{ "50%", L_P50 }, { "75%", L_P75 }, { "90%", L_P90 }, { "95%", L_P95 }, { "99%", L_P99 },
	};
	for (size_t k = 0; k < sizeof(pct) / sizeof(*pct); k++)
		if (!strcmp(p, pct[k].p))
			return pct[k].k;
	return -1;
}

/* ---- hey ----------------------------------------------------------------
 * Summary:
 *   Total:	1.0148 secs
 *   Slowest:	0.0345 secs
 *   Average:	0.0049 secs
 *   Requests/sec:	197.0828
 *   Total data:	1000 bytes
 * Latency distribution:
 *   50% in 0.0030 secs
 * Status code distribution:
 *   [200]	200 responses
 * Error distribution:
 *   [10]	Get "http://...": dial tcp ...: connection refused
 * bytes_per_second is Total data / Total. */

int pg_import_hey(pg_run *run, const char *text, const char *where)
{
	load_run r = { .what = "hey", .where = where };
	pg_text_lines l;
	int err = 0, section = 0; /* 's': status codes, 'e': errors */
	double total_ns = 0, data = -1, responses = 0, x;
	pg_text_lines_split(&l, text);
	for (size_t i = 0; i < l.n && !err; i++) {
		char *t = pg_import_trim(l.v[i]), *v, *tok[4];
		size_t no = i + 1;
		int n, k;
		if (!*t)
			continue;
		if (l.v[i][0] != ' ' && l.v[i][0] != '\t')
			section = !strcmp(t, "Status code distribution:") ? 's' :
				  !strcmp(t, "Error distribution:") ? 'e' : 0;
		else if ((v = after(t, "Total:"))) {
			if (load_number(v, NULL, secs, &total_ns) < 0)
				err = load_bad(&r, no, v, "a time in secs");
		}
		else if ((v = after(t, "Slowest:")))
			err = load_value(&r, L_MAX, v, NULL, secs, no, "a time in secs");
		else if ((v = after(t, "Average:")) && strcmp(v, "NaN secs")) /* NaN: no responses */
			err = load_value(&r, L_MEAN, v, NULL, secs, no, "a time in secs");
		else if ((v = after(t, "Requests/sec:")))
			err = load_value(&r, L_RPS, v, "", plain, no, "a rate");
		else if ((v = after(t, "Total data:"))) {
			if (pg_import_tokens(v, tok, 2) != 2 || strcmp(tok[1], "bytes") ||
			    pg_import_decimal(tok[0], &data) < 0)
				err = load_bad(&r, no, v, "a size in bytes");
		} else if (section && t[0] == '[') {
			/* "[200]	400 responses" or "[20]	Get ...: the error" */
			v = t + 1 + strspn(t + 1, "0123456789");
			if (*v != ']' || v == t + 1) {
				err = load_bad(&r, no, t, "\"[CODE] N responses\" or \"[N] error\"");
				continue;
			}
			*v = '\0';
			n = section == 's' ? pg_import_tokens(v + 1, tok, 3) : 0;
			if (section == 'e') {
				if (load_int(t + 1, &x) < 0)
					err = load_bad(&r, no, t + 1, "a count of errors");
				else
					r.v[L_ERRORS] += x;
			} else if (n != 2 || strcmp(tok[1], "responses") || load_int(tok[0], &x) < 0) {
				err = load_bad(&r, no, n ? tok[0] : "", "a count of responses");
			} else {
				responses += x;
				if (t[1] != '2' || strlen(t + 1) != 3)
					r.v[L_NON2XX] += x;
			}
		} else if ((n = pg_import_tokens(t, tok, 4)) == 4 && !strcmp(tok[1], "in") &&
			   (k = load_percentile(tok[0])) >= 0) {
			err = load_value(&r, k, tok[2], tok[3], secs, no, "a time in secs");
		}
	}
	if (!err && r.has[L_RPS]) {
		if (data >= 0 && total_ns > 0)
			load_set(&r, L_BPS, data * 1e9 / total_ns, 0);
		r.has[L_NON2XX] = r.has[L_ERRORS] = 1; /* a summary without them had none */
		if (responses == 0) /* every request failed: hey's latencies are zeros */
			for (int k = L_P50; k <= L_MEAN; k++)
				r.has[k] = 0;
		load_set(&r, L_REQUESTS, responses + r.v[L_ERRORS], 0);
	}
	pg_text_lines_free(&l);
	return err ? err : load_finish(run, &r, text, "hey", "\"Summary:\" with \"Requests/sec:\"");
}

/* ---- ApacheBench --------------------------------------------------------
 * Complete requests:      1000
 * Failed requests:        0
 * Non-2xx responses:      1000      (only when there are)
 * Write errors:           0         (only when there are)
 * Requests per second:    8130.08 [#/sec] (mean)
 * Time per request:       1.230 [ms] (mean)
 * Transfer rate:          1234.56 [Kbytes/sec] received
 * Percentage of the requests served within a certain time (ms)
 *   50%      1
 *  100%      5 (longest request)
 * Percentiles are whole milliseconds (ab's resolution); Kbytes are 1024
 * bytes; errors are the failed requests plus the write errors; requests
 * is ab's "Complete requests". */

int pg_import_ab(pg_run *run, const char *text, const char *where)
{
	load_run r = { .what = "ApacheBench", .where = where };
	pg_text_lines l;
	int err = 0, in_pct = 0;
	double failed = 0, write_errors = 0;
	pg_text_lines_split(&l, text);
	for (size_t i = 0; i < l.n && !err; i++) {
		char *t = pg_import_trim(l.v[i]), *v, *tok[4];
		size_t no = i + 1;
		int n, k;
		if ((v = after(t, "Complete requests:"))) {
			err = load_count(&r, L_REQUESTS, v, no);
		} else if ((v = after(t, "Failed requests:"))) {
			if (load_int(v, &failed) < 0)
				err = load_bad(&r, no, v, "a count");
		} else if ((v = after(t, "Write errors:"))) {
			if (load_int(v, &write_errors) < 0)
				err = load_bad(&r, no, v, "a count");
		} else if ((v = after(t, "Non-2xx responses:"))) {
			err = load_count(&r, L_NON2XX, v, no);
		} else if ((v = after(t, "Requests per second:"))) {
			n = pg_import_tokens(v, tok, 3);
			err = n < 2 || strcmp(tok[1], "[#/sec]") ? load_bad(&r, no, v, "\"N [#/sec]\"")
				: load_value(&r, L_RPS, tok[0], "", plain, no, "a rate");
		} else if ((v = after(t, "Time per request:")) && !strstr(v, "across all")) {
			n = pg_import_tokens(v, tok, 3);
			err = n < 2 || strcmp(tok[1], "[ms]") ? load_bad(&r, no, v, "\"N [ms]\"")
				: load_value(&r, L_MEAN, tok[0], "", ms, no, "a time in ms");
		} else if ((v = after(t, "Transfer rate:"))) {
			n = pg_import_tokens(v, tok, 3);
			err = n < 2 || strcmp(tok[1], "[Kbytes/sec]") ? load_bad(&r, no, v, "\"N [Kbytes/sec]\"")
				: load_value(&r, L_BPS, tok[0], "", kbytes, no, "a rate");
		} else if (pg_import_starts(t, "Percentage of the requests served within")) {
			in_pct = 1;
		} else if (in_pct && (n = pg_import_tokens(t, tok, 4)) >= 2 &&
			   tok[0][strlen(tok[0]) - 1] == '%') {
			k = !strcmp(tok[0], "100%") ? L_MAX : load_percentile(tok[0]);
			if (k >= 0)
				err = load_value(&r, k, tok[1], "", ms, no, "a time in ms");
		} else {
			in_pct = 0;
		}
	}
	if (!err && r.has[L_RPS]) {
		r.v[L_ERRORS] = failed + write_errors;
		r.has[L_ERRORS] = r.has[L_NON2XX] = 1; /* ab prints them only when not 0 */
	}
	pg_text_lines_free(&l);
	return err ? err : load_finish(run, &r, text, "ab", "\"Requests per second:\" summary");
}
