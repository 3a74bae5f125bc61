/*
 * import_json.c - the JSON-based formats: perfgate, gbench, hyperfine,
 * criterion (JSON lines, and one target/criterion sample.json), pytest-benchmark
 * and bmf.
 */
#include "buf.h"
#include "error.h"
#include "import.h"
#include "metric.h"
#include "import_json.h"
#include "utf8.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(const char *where, const char *format, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int vbad(const char *where, const char *format, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int vbad(const char *where, const char *format, const char *fmt, va_list ap)
{
	char detail[512];
	vsnprintf(detail, sizeof(detail), fmt, ap);
	return pg_error_set(PG_ECORRUPT, "%s: not %s output: %s", where, format, detail);
}

static int bad(const char *where, const char *format, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int err = vbad(where, format, fmt, ap);
	va_end(ap);
	return err;
}

static json_t *load(const char *text, const char *where, const char *format, int *err)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	*err = 0;
	if (!doc)
		*err = bad(where, format, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
	return doc;
}

static int number(json_t *v, double *out)
{
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return 0;
	*out = json_number_value(v);
	return 1;
}

/* Adds every element of `arr` (times `scale`) as a sample; an element
 * that is not a finite number is an error naming `path`[index]. */
static int add_numbers(pg_run *run, const char *bench, const char *metric, const char *unit,
		       int higher, json_t *arr, double scale, const char *where, const char *format,
		       const char *path)
{
	json_t *v;
	size_t j;
	double x;
	json_array_foreach(arr, j, v) {
		if (!number(v, &x))
			return bad(where, format, "%s[%zu]: not a number", path, j);
		pg_import_sample(run, bench, metric, unit, higher, x * scale);
	}
	return 0;
}

/* Nanoseconds per unit for the time units the formats use. */
static double ns_per(const char *unit)
{
	static const struct { const char *u; double f; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "µs", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	for (size_t i = 0; unit && i < sizeof(units) / sizeof(*units); i++)
		if (!strcmp(unit, units[i].u))
			return units[i].f;
	return 0;
}

/* ---- perfgate: {"format": "perfgate-bench", "benchmarks": [...]} ------ */

int pg_import_perfgate(pg_run *run, const char *text, const char *where)
{
	const char *F = "perfgate harness";
	int err;
	json_t *doc = load(text, where, F, &err), *b;
	size_t i;
	char path[96];
	if (!doc)
		return err;
	json_t *fmt = json_object_get(doc, "format"), *list = json_object_get(doc, "benchmarks");
	if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "perfgate-bench") ||
	    !json_is_array(list))
		err = bad(where, F, "no \"format\": \"perfgate-bench\" with a \"benchmarks\" array");
	else if (json_integer_value(json_object_get(doc, "version")) > 1)
		err = bad(where, F, "format version %lld is newer than this perfgate reads",
			  (long long)json_integer_value(json_object_get(doc, "version")));
	json_array_foreach(list, i, b) {
		json_t *name = json_object_get(b, "name"), *samples = json_object_get(b, "samples"), *v;
		const char *cname, *n = json_string_value(name);
		if (err)
			break;
		if (!n || !json_is_array(samples) || !json_array_size(samples)) {
			err = bad(where, F, "benchmarks[%zu]: needs \"name\" and \"samples\"", i);
			break;
		}
		snprintf(path, sizeof(path), "benchmarks[%zu].samples", i);
		err = add_numbers(run, n, "time_per_op", "ns", 0, samples, 1, where, F, path);
		snprintf(path, sizeof(path), "benchmarks[%zu].instructions", i);
		if (!err)
			err = add_numbers(run, n, "instructions_per_op", PG_UNIT_INSTR_PERF, 0,
					  json_object_get(b, "instructions"), 1, where, F, path);
		json_object_foreach(json_object_get(b, "counters"), cname, v) {
			snprintf(path, sizeof(path), "benchmarks[%zu].counters.%.40s", i, cname);
			if (!err)
				err = add_numbers(run, n, cname, "1/s", 1, v, 1, where, F, path);
		}
	}
	json_decref(doc);
	return err;
}

/* ---- Google Benchmark --benchmark_format=json ------------------------- */

int pg_import_gbench(pg_run *run, const char *text, const char *where)
{
	const char *F = "Google Benchmark JSON";
	int err;
	json_t *doc = load(text, where, F, &err), *b;
	size_t i;
	if (!doc)
		return err;
	json_t *list = json_object_get(doc, "benchmarks");
	if (!json_is_array(list) || !json_is_object(json_object_get(doc, "context")))
		err = bad(where, F, "no \"context\" object and \"benchmarks\" array");
	json_array_foreach(list, i, b) {
		json_t *name = json_object_get(b, "run_name");
		const char *type = json_string_value(json_object_get(b, "run_type"));
		double real, cpu, rate, f = ns_per(json_string_value(json_object_get(b, "time_unit")));
		if (err)
			break;
		if (type && !strcmp(type, "aggregate"))
			continue; /* mean/median/stddev rows: we keep the repetitions */
		if (!json_is_string(name))
			name = json_object_get(b, "name");
		if (json_is_true(json_object_get(b, "error_occurred"))) {
			const char *msg = json_string_value(json_object_get(b, "error_message"));
			err = bad(where, F, "benchmarks[%zu] (%s) reports an error: %s", i,
				  json_string_value(name) ? json_string_value(name) : "?", msg ? msg : "");
			break;
		}
		if (!json_is_string(name) || !f || !number(json_object_get(b, "real_time"), &real) ||
		    !number(json_object_get(b, "cpu_time"), &cpu)) {
			err = bad(where, F, "benchmarks[%zu]: needs name, real_time, cpu_time and a "
					    "time_unit of ns, us, ms or s", i);
			break;
		}
		pg_import_sample(run, json_string_value(name), "time_per_op", "ns", 0, real * f);
		pg_import_sample(run, json_string_value(name), "cpu_time_per_op", "ns", 0, cpu * f);
		if (number(json_object_get(b, "bytes_per_second"), &rate))
			pg_import_sample(run, json_string_value(name), "bytes_per_second", "B/s", 1, rate);
		if (number(json_object_get(b, "items_per_second"), &rate))
			pg_import_sample(run, json_string_value(name), "items_per_second", "1/s", 1, rate);
	}
	json_decref(doc);
	return err;
}

/* ---- hyperfine --export-json -------------------------------------------- */

int pg_import_hyperfine(pg_run *run, const char *text, const char *where)
{
	const char *F = "hyperfine JSON";
	int err;
	json_t *doc = load(text, where, F, &err), *r;
	size_t i;
	char path[64];
	if (!doc)
		return err;
	json_t *list = json_object_get(doc, "results");
	if (!json_is_array(list) || !json_array_size(list))
		err = bad(where, F, "no \"results\" array");
	json_array_foreach(list, i, r) {
		json_t *cmd = json_object_get(r, "command"), *times = json_object_get(r, "times");
		if (err)
			break;
		if (!json_is_string(cmd) || !json_is_array(times) || !json_array_size(times)) {
			err = bad(where, F, "results[%zu]: needs \"command\" and \"times\" (hyperfine "
					    ">= 1.11 exports them)", i);
			break;
		}
		snprintf(path, sizeof(path), "results[%zu].times", i);
		err = add_numbers(run, json_string_value(cmd), "wall_time", "ns", 0, times, 1e9, where,
				  F, path);
	}
	json_decref(doc);
	return err;
}

/* ---- criterion: cargo-criterion JSON lines, or target/criterion files --- */

/* A throughput per iteration adds a *_per_second sample for `ns` per op. */
static void criterion_rate(pg_run *run, const char *id, int bytes, double per_iter, double ns)
{
	if (ns > 0 && per_iter > 0)
		pg_import_sample(run, id, bytes ? "bytes_per_second" : "elements_per_second",
				 bytes ? "B/s" : "1/s", 1, per_iter * 1e9 / ns);
}

static int criterion_line(pg_run *run, json_t *msg, size_t line, const char *where)
{
	const char *F = "criterion JSON lines";
	json_t *id = json_object_get(msg, "id"), *vals = json_object_get(msg, "measured_values");
	json_t *iters = json_object_get(msg, "iteration_count"), *tp;
	double f = ns_per(json_string_value(json_object_get(msg, "unit"))), v, n, per_iter;
	size_t k;
	if (!json_is_string(id) || !json_is_array(vals) || !json_is_array(iters) ||
	    json_array_size(vals) != json_array_size(iters) || !json_array_size(vals) || !f)
		return bad(where, F, "line %zu: a benchmark-complete message needs id, unit and "
				     "measured_values matching iteration_count", line);
	tp = json_object_get(msg, "throughput");
	for (k = 0; k < json_array_size(vals); k++) {
		if (!number(json_array_get(vals, k), &v) || !number(json_array_get(iters, k), &n) ||
		    n <= 0)
			return bad(where, F, "line %zu: measured_values[%zu] is not a number", line, k);
		double ns = v * f / n;
		pg_import_sample(run, json_string_value(id), "time_per_op", "ns", 0, ns);
		json_t *first = json_array_get(tp, 0);
		if (json_is_object(first) && number(json_object_get(first, "per_iteration"), &per_iter)) {
			const char *u = json_string_value(json_object_get(first, "unit"));
			criterion_rate(run, json_string_value(id), u && !strcmp(u, "bytes"), per_iter, ns);
		}
	}
	return 0;
}

int pg_import_criterion(pg_run *run, const char *text, const char *where)
{
	const char *p = text;
	size_t line = 0;
	int err = 0;
	if (text[strspn(text, " \t\r\n")] != '{') /* not JSON lines: the console report */
		return pg_import_criterion_console(run, text, where);
	while (*p && !err) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		json_error_t jerr;
		line++;
		if (strspn(p, " \t\r") < len) {
			json_t *msg = json_loadb(p, len, 0, &jerr);
			const char *reason = json_string_value(json_object_get(msg, "reason"));
			if (!msg)
				err = bad(where, "criterion JSON lines", "line %zu: %s", line, jerr.text);
			else if (reason && !strcmp(reason, "benchmark-complete"))
				err = criterion_line(run, msg, line, where);
			json_decref(msg);
		}
		p += len + (end ? 1 : 0);
	}
	return err;
}

int pg_import_criterion_sample(pg_run *run, const char *sample, const char *benchmark,
			       const char *fallback_id, const char *where)
{
	const char *F = "criterion sample.json";
	int err;
	json_t *doc = load(sample, where, F, &err), *meta = NULL, *tp;
	if (!doc)
		return err;
	if (benchmark && !(meta = json_loads(benchmark, 0, NULL)))
		err = bad(where, F, "its benchmark.json is not JSON");
	const char *id = json_string_value(json_object_get(meta, "full_id"));
	json_t *iters = json_object_get(doc, "iters"), *times = json_object_get(doc, "times");
	if (!err && (!json_is_array(iters) || !json_is_array(times) || !json_array_size(times) ||
		     json_array_size(iters) != json_array_size(times)))
		err = bad(where, F, "needs \"iters\" and \"times\" arrays of the same length");
	/* Throughput is serde's externally tagged enum: {"Bytes": 1024} */
	tp = json_object_get(meta, "throughput");
	int bytes = json_object_get(tp, "Bytes") || json_object_get(tp, "BytesDecimal");
	double per_iter = 0, t, n;
	if (json_is_object(tp) && json_object_size(tp) == 1 && !json_object_get(tp, "Bits") &&
	    !number(json_object_iter_value(json_object_iter(tp)), &per_iter))
		per_iter = 0;
	for (size_t k = 0; !err && k < json_array_size(times); k++) {
		if (!number(json_array_get(times, k), &t) || !number(json_array_get(iters, k), &n) ||
		    n <= 0) {
			err = bad(where, F, "times[%zu] / iters[%zu] is not a positive number", k, k);
			break;
		}
		pg_import_sample(run, id ? id : fallback_id, "time_per_op", "ns", 0, t / n);
		criterion_rate(run, id ? id : fallback_id, bytes, per_iter, t / n);
	}
	json_decref(meta);
	json_decref(doc);
	return err;
}

/* ---- pytest-benchmark --benchmark-json ---------------------------------- */

int pg_import_pytest(pg_run *run, const char *text, const char *where)
{
	const char *F = "pytest-benchmark JSON";
	int err;
	json_t *doc = load(text, where, F, &err), *b;
	size_t i;
	double x;
	char path[64];
	if (!doc)
		return err;
	json_t *list = json_object_get(doc, "benchmarks");
	if (!json_is_array(list) || !json_is_object(json_object_get(doc, "machine_info")))
		err = bad(where, F, "no \"machine_info\" object and \"benchmarks\" array");
	json_array_foreach(list, i, b) {
		json_t *name = json_object_get(b, "fullname"), *stats = json_object_get(b, "stats");
		json_t *data = json_object_get(stats, "data");
		if (err)
			break;
		if (!json_is_string(name))
			name = json_object_get(b, "name");
		if (!json_is_string(name) || !json_is_object(stats)) {
			err = bad(where, F, "benchmarks[%zu]: needs name and stats", i);
			break;
		}
		if (json_is_array(data) && json_array_size(data)) {
			/* every round's time: present with --benchmark-save-data */
			snprintf(path, sizeof(path), "benchmarks[%zu].stats.data", i);
			err = add_numbers(run, json_string_value(name), "time_per_op", "ns", 0, data, 1e9,
					  where, F, path);
		} else if (number(json_object_get(stats, "median"), &x)) {
			pg_import_sample(run, json_string_value(name), "time_per_op", "ns", 0, x * 1e9);
		} else {
			err = bad(where, F, "benchmarks[%zu].stats: neither data nor median", i);
		}
	}
	json_decref(doc);
	return err;
}

/* ---- Bencher Metric Format: {"name": {"measure": {"value": x}}} ------- */

int pg_import_bmf(pg_run *run, const char *text, const char *where)
{
	const char *F = "Bencher Metric Format";
	int err;
	json_t *doc = load(text, where, F, &err), *measures, *m;
	const char *name, *measure;
	double x;
	if (!doc)
		return err;
	if (!json_is_object(doc) || !json_object_size(doc))
		err = bad(where, F, "expected an object of benchmark names");
	json_object_foreach(doc, name, measures) {
		if (err)
			break;
		if (!json_is_object(measures) || !json_object_size(measures)) {
			err = bad(where, F, "%s: expected an object of measures", name);
			break;
		}
		json_object_foreach(measures, measure, m) {
			if (!number(json_object_get(m, "value"), &x)) {
				err = bad(where, F, "%s.%s.value: not a number", name, measure);
				break;
			}
			/* Bencher's built-in measures; any other is taken as lower-is-better */
			int higher = !strcmp(measure, "throughput");
			const char *unit = !strcmp(measure, "latency") ? "ns" : higher ? "ops/s" : "";
			pg_import_sample(run, name, measure, unit, higher, x);
		}
	}
	json_decref(doc);
	return err;
}

/* ---- shared with the other JSON importers (import_json.h) --------------- */

int pg_import_json_bad(const char *where, const char *format, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int err = vbad(where, format, fmt, ap);
	va_end(ap);
	return err;
}

json_t *pg_import_json_load(const char *text, const char *where, const char *format,
			    const char *how, int *err)
{
	const char *p = text + strspn(text, " \t\r\n");
	if (how && *p && *p != '{' && *p != '[') {
		pg_buf start = PG_BUF_INIT;
		char *line = pg_strndup(p, strcspn(p, "\r\n"));
		pg_utf8_printable(&start, line, 24);
		*err = bad(where, format, "it is text, not JSON (it starts '%s'): %s", start.ptr, how);
		free(line);
		pg_buf_free(&start);
		return NULL;
	}
	return load(text, where, format, err);
}

int pg_import_json_number(json_t *v, double *out)
{
	return number(v, out);
}

int pg_import_json_numbers(pg_run *run, const char *bench, const char *metric, const char *unit,
			   int higher, json_t *arr, double scale, const char *where,
			   const char *format, const char *path)
{
	return add_numbers(run, bench, metric, unit, higher, arr, scale, where, format, path);
}
