/*
 * loadtest.h - the metric names load testers' results are stored under
 * (wrk, hey, ab, k6), so that every load tester's latency p99 is one
 * series whichever tool measured it.  Latencies are lower-is-better,
 * rates higher-is-better, errors and the error rate lower-is-better.
 */
#ifndef PG_LOADTEST_H
#define PG_LOADTEST_H

#define PG_LOAD_P50 "latency_p50"
#define PG_LOAD_P90 "latency_p90"
#define PG_LOAD_P95 "latency_p95"
#define PG_LOAD_P99 "latency_p99"
#define PG_LOAD_MAX "latency_max"
#define PG_LOAD_RPS "requests_per_second"
#define PG_LOAD_TRANSFER "transfer_per_second"
#define PG_LOAD_ERRORS "errors"
#define PG_LOAD_ERROR_RATE "error_rate"

#endif
