/*
 * loadtest.h - the one naming of load testers' results, shared by every
 * load-test importer (wrk, hey, ab in import_load.c; k6): a user who moves
 * from one tool to another keeps the same series.
 *
 * A load test's output is one result, named PG_LOAD_RESULT (so the
 * benchmark "api" with format wrk stores "api/load"), with one value per
 * run; perfgate's repeated runs give the samples.  Latencies are in ns,
 * whatever unit the tool printed.  error_rate is a fraction (0.01 = 1 %)
 * of the requests: (errors + non_2xx) / requests, where requests is
 * the responses received plus the errors (for ab, its "Complete
 * requests").  A metric the tool
 * does not report (wrk has no p95) is left out, never invented.
 */
#ifndef PG_LOADTEST_H
#define PG_LOADTEST_H

#define PG_LOAD_RESULT "load"

/* lower is better, unit PG_LOAD_TIME_UNIT */
#define PG_LOAD_P50 "latency_p50"
#define PG_LOAD_P75 "latency_p75"
#define PG_LOAD_P90 "latency_p90"
#define PG_LOAD_P95 "latency_p95"
#define PG_LOAD_P99 "latency_p99"
#define PG_LOAD_MAX "latency_max"
#define PG_LOAD_MEAN "latency_mean"
#define PG_LOAD_TIME_UNIT "ns"

/* higher is better */
#define PG_LOAD_RPS "requests_per_second" /* unit "1/s" */
#define PG_LOAD_BPS "bytes_per_second"    /* unit "B/s": what was received */

/* lower is better, unit "" */
#define PG_LOAD_ERRORS "errors"           /* requests that got no response, or a bad one */
#define PG_LOAD_NON_2XX "non_2xx"         /* responses with a status outside 200-299 (wrk: 200-399) */
#define PG_LOAD_ERROR_RATE "error_rate"   /* (errors + non_2xx) / requests */

#endif
