/*
 * import_js.c - JSON from the JavaScript ecosystem's tools:
 * github-action-benchmark's custom arrays (gab, gab-bigger), `vitest
 * bench --outputJson` and k6's `--summary-export`.
 */
#include "buf.h"
#include "error.h"
#include "import.h"
#include "import_json.h"
#include "loadtest.h"

#include <stdio.h>
#include <string.h>

/* ---- github-action-benchmark: [{"name", "unit", "value", ...}] --------- */

/* The action's `tool: customSmallerIsBetter` or `customBiggerIsBetter`:
 * the file does not say which, so the format name does. */
static int gab(pg_run *run, const char *text, const char *where, int higher)
{
	const char *F = higher ? "github-action-benchmark customBiggerIsBetter JSON"
			       : "github-action-benchmark customSmallerIsBetter JSON";
	int err;
	json_t *doc = pg_import_json_load(text, where, F,
					  "give the JSON file written for the action", &err), *e;
	size_t i;
	double v;
	if (!doc)
		return err;
	if (!json_is_array(doc) || !json_array_size(doc))
		err = pg_import_json_bad(where, F, "expected a non-empty array of {\"name\", \"unit\", "
					 "\"value\"} objects");
	json_array_foreach(doc, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *unit = json_string_value(json_object_get(e, "unit"));
		if (err)
			break;
		if (!name || !unit || !pg_import_json_number(json_object_get(e, "value"), &v)) {
			err = pg_import_json_bad(where, F, "[%zu]: needs \"name\", \"unit\" (strings) "
						 "and \"value\" (a finite number)", i);
			break;
		}
		pg_bench_result *b = pg_run_find_bench(run, name);
		const pg_metric_result *m = b ? pg_bench_find_metric(b, "value") : NULL;
		if (m && strcmp(m->unit, unit)) {
			err = pg_import_json_bad(where, F, "[%zu] (%.60s): unit '%.20s' differs from an "
						 "earlier entry's '%.20s'", i, name, unit, m->unit);
			break;
		}
		pg_import_sample(run, name, "value", unit, higher, v);
	}
	json_decref(doc);
	return err;
}

int pg_import_gab(pg_run *run, const char *text, const char *where)
{
	return gab(run, text, where, 0);
}

int pg_import_gab_bigger(pg_run *run, const char *text, const char *where)
{
	return gab(run, text, where, 1);
}

/* ---- vitest bench --outputJson: files[].groups[].benchmarks[] ---------- */

#define FV "vitest bench --outputJson"
#define HOWV "run vitest bench --outputJson FILE and give FILE"

static int vitest_bench(pg_run *run, const char *group, json_t *b, const char *path,
			const char *where)
{
	const char *bname = json_string_value(json_object_get(b, "name"));
	json_t *samples = json_object_get(b, "samples");
	double mean, hz, p;
	char at[160];
	int err = 0;
	if (!bname || !pg_import_json_number(json_object_get(b, "mean"), &mean) ||
	    !pg_import_json_number(json_object_get(b, "hz"), &hz))
		return pg_import_json_bad(where, FV, "%s: needs name, mean and hz", path);
	pg_buf name = PG_BUF_INIT;
	pg_buf_printf(&name, "%s > %s", group, bname);
	/* times in ms; every iteration's time when vitest kept them (it writes
	 * "samples": [] since 2.0), else the mean */
	if (json_is_array(samples) && json_array_size(samples)) {
		snprintf(at, sizeof(at), "%s.samples", path);
		err = pg_import_json_numbers(run, name.ptr, "time_per_op", "ns", 0, samples, 1e6,
					     where, FV, at);
	} else {
		pg_import_sample(run, name.ptr, "time_per_op", "ns", 0, mean * 1e6);
	}
	pg_import_sample(run, name.ptr, "ops_per_second", "ops/s", 1, hz);
	if (pg_import_json_number(json_object_get(b, "p75"), &p))
		pg_import_sample(run, name.ptr, "time_p75", "ns", 0, p * 1e6);
	if (pg_import_json_number(json_object_get(b, "p99"), &p))
		pg_import_sample(run, name.ptr, "time_p99", "ns", 0, p * 1e6);
	pg_buf_free(&name);
	return err;
}

int pg_import_vitest(pg_run *run, const char *text, const char *where)
{
	int err;
	json_t *doc = pg_import_json_load(text, where, FV, HOWV, &err), *file, *g, *b;
	size_t i, j, k;
	char path[96];
	if (!doc)
		return err;
	json_t *files = json_object_get(doc, "files");
	if (!json_is_array(files))
		err = pg_import_json_bad(where, FV, "no \"files\" array");
	json_array_foreach(files, i, file) {
		json_t *groups = json_object_get(file, "groups");
		if (err)
			break;
		if (!json_is_array(groups)) {
			err = pg_import_json_bad(where, FV, "files[%zu]: no \"groups\" array", i);
			break;
		}
		json_array_foreach(groups, j, g) {
			const char *group = json_string_value(json_object_get(g, "fullName"));
			json_t *list = json_object_get(g, "benchmarks");
			if (err)
				break;
			if (!group || !json_is_array(list)) {
				err = pg_import_json_bad(where, FV, "files[%zu].groups[%zu]: needs "
							 "fullName and benchmarks", i, j);
				break;
			}
			json_array_foreach(list, k, b) {
				snprintf(path, sizeof(path), "files[%zu].groups[%zu].benchmarks[%zu]", i,
					 j, k);
				if ((err = vitest_bench(run, group, b, path, where)))
					break;
			}
		}
	}
	json_decref(doc);
	return err;
}

/* ---- k6 --summary-export (or handleSummary's data as JSON) ------------- */

#define FK "k6 --summary-export JSON"
#define HOWK "run k6 with --summary-export FILE and give FILE"

/* A metric's values: the export has them at the top of the metric, the
 * handleSummary data under "values" (with "rate" for the export's "value"). */
static json_t *k6_values(json_t *metrics, const char *name)
{
	json_t *m = json_object_get(metrics, name), *v = json_object_get(m, "values");
	return json_is_object(v) ? v : m;
}

static int k6_number(json_t *values, const char *key, double *out)
{
	return pg_import_json_number(json_object_get(values, key), out);
}

/* A trend of times (ms): the percentiles k6 summarised and avg, those in
 * --summary-trend-stats (by default avg, min, med, max, p(90), p(95)). */
static void k6_trend(pg_run *run, const char *bench, json_t *values)
{
	static const struct { const char *stat, *metric; } stats[] = {
		{ "med", PG_LOAD_P50 }, { "p(50)", PG_LOAD_P50 }, { "p(75)", PG_LOAD_P75 },
		{ "p(90)", PG_LOAD_P90 }, { "p(95)", PG_LOAD_P95 }, { "p(99)", PG_LOAD_P99 },
		{ "max", PG_LOAD_MAX }, { "avg", PG_LOAD_MEAN },
	};
	double v;
	for (size_t i = 0; i < sizeof(stats) / sizeof(*stats); i++) {
		pg_bench_result *b = pg_run_find_bench(run, bench);
		if (b && pg_bench_find_metric(b, stats[i].metric))
			continue; /* med and p(50) both */
		if (k6_number(values, stats[i].stat, &v))
			pg_import_sample(run, bench, stats[i].metric, PG_LOAD_TIME_UNIT, 0, v * 1e6);
	}
}

/* A rate metric's failures: the count under `count_key` ("passes" of
 * http_req_failed, whose true values are failed requests: no response or
 * an unexpected status; "fails" of checks) and the failing fraction (the
 * rate, or 1 - the rate when `invert`: checks' rate is the passing share).
 * The export calls the rate "value", handleSummary's data "rate". */
static void k6_failures(pg_run *run, const char *bench, json_t *values, const char *count_key,
			int invert)
{
	double n, rate;
	if (k6_number(values, count_key, &n))
		pg_import_sample(run, bench, PG_LOAD_ERRORS, "", 0, n);
	if (k6_number(values, "value", &rate) || k6_number(values, "rate", &rate))
		pg_import_sample(run, bench, PG_LOAD_ERROR_RATE, "", 0, invert ? 1 - rate : rate);
}

int pg_import_k6(pg_run *run, const char *text, const char *where)
{
	int err;
	json_t *doc = pg_import_json_load(text, where, FK, HOWK, &err), *m;
	const char *key;
	double x;
	pg_buf name = PG_BUF_INIT;
	if (!doc)
		return err;
	json_t *metrics = json_object_get(doc, "metrics");
	if (!json_is_object(metrics) || !json_is_object(json_object_get(doc, "root_group")))
		err = pg_import_json_bad(where, FK, "no \"metrics\" and \"root_group\" objects");
	json_object_foreach(metrics, key, m) {
		if (err)
			break;
		if (!json_is_object(m))
			err = pg_import_json_bad(where, FK, "metrics.%.60s: not an object", key);
	}
	if (!err) {
		/* "load" (as wrk's, hey's and ab's): the HTTP requests;
		 * "load{tag:value}": a sub-metric's latencies */
		json_object_foreach(metrics, key, m) {
			if (!strncmp(key, "http_req_duration", 17) && (!key[17] || key[17] == '{')) {
				pg_buf_clear(&name);
				pg_buf_printf(&name, "%s%s", PG_LOAD_RESULT, key + 17);
				k6_trend(run, name.ptr, k6_values(metrics, key));
			}
		}
		if (k6_number(k6_values(metrics, "http_reqs"), "rate", &x))
			pg_import_sample(run, PG_LOAD_RESULT, PG_LOAD_RPS, "1/s", 1, x);
		if (k6_number(k6_values(metrics, "data_received"), "rate", &x))
			pg_import_sample(run, PG_LOAD_RESULT, PG_LOAD_BPS, "B/s", 1, x);
		if (json_object_get(metrics, "http_req_failed"))
			k6_failures(run, PG_LOAD_RESULT, k6_values(metrics, "http_req_failed"), "passes",
				    0);
		/* "iteration": the script's iterations */
		k6_trend(run, "iteration", k6_values(metrics, "iteration_duration"));
		if (k6_number(k6_values(metrics, "iterations"), "rate", &x))
			pg_import_sample(run, "iteration", "iterations_per_second", "1/s", 1, x);
		/* "checks": the failed checks */
		if (json_object_get(metrics, "checks"))
			k6_failures(run, "checks", k6_values(metrics, "checks"), "fails", 1);
		if (!run->nbenches)
			err = pg_import_json_bad(where, FK, "none of http_req_duration, http_reqs, "
						 "iteration_duration, iterations, checks in \"metrics\"");
	}
	pg_buf_free(&name);
	json_decref(doc);
	return err;
}
