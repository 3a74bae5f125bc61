/*
 * import_jvm.c - JMH's JSON results (`java -jar benchmarks.jar -rf json
 * -rff FILE`, JSONResultFormat): an array with one object per benchmark,
 * mode and parameter set.
 */
#include "buf.h"
#include "error.h"
#include "import.h"
#include "import_json.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

#define F "JMH JSON (-rf json)"
#define HOW "run JMH with -rf json -rff FILE and give FILE"

/* Seconds in one of JMH's time units (TimeUnit's short labels); 0 for
 * another. */
static double seconds_in(const char *unit)
{
	static const struct { const char *u; double s; } units[] = {
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "µs", 1e-6 }, { "ms", 1e-3 }, { "s", 1 },
		{ "min", 60 }, { "hr", 3600 }, { "day", 86400 },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (!strcmp(unit, units[i].u))
			return units[i].s;
	return 0;
}

/* A score unit as perfgate stores it: "T/op" is a time per operation (ns,
 * lower is better), "ops/T" a throughput (ops/s, higher is better).
 * Returns the factor to multiply scores by, 0 for another unit. */
static double score_unit(const char *unit, const char **out, int *higher)
{
	size_t n = strlen(unit);
	double s;
	if (n > 3 && !strcmp(unit + n - 3, "/op")) {
		char t[8];
		if (n - 3 >= sizeof(t))
			return 0;
		memcpy(t, unit, n - 3);
		t[n - 3] = '\0';
		*out = "ns";
		*higher = 0;
		return seconds_in(t) * 1e9;
	}
	if (!strncmp(unit, "ops/", 4) && (s = seconds_in(unit + 4)) > 0) {
		*out = "ops/s";
		*higher = 1;
		return 1 / s;
	}
	return 0;
}

/* "benchmark:param=value,param=value" (the params in JMH's order). */
static void jmh_name(pg_buf *name, const char *benchmark, json_t *params)
{
	const char *key;
	json_t *v;
	int first = 1;
	pg_buf_puts(name, benchmark);
	json_object_foreach(params, key, v) {
		pg_buf_printf(name, "%s%s=%s", first ? ":" : ",", key,
			      json_is_string(v) ? json_string_value(v) : "?");
		first = 0;
	}
}

/* rawData: forks x iterations of scores. */
static int raw_scores(pg_run *run, const char *bench, const char *metric, const char *unit,
		      int higher, double scale, json_t *raw, const char *where, const char *path)
{
	json_t *fork;
	size_t i;
	char p[160];
	if (!json_is_array(raw))
		return pg_import_json_bad(where, F, "%s: not an array of forks", path);
	json_array_foreach(raw, i, fork) {
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if (!json_is_array(fork))
			return pg_import_json_bad(where, F, "%s: not an array of iterations", p);
		int err = pg_import_json_numbers(run, bench, metric, unit, higher, fork, scale, where,
						 F, p);
		if (err)
			return err;
	}
	return 0;
}

/* rawDataHistogram (sample mode): forks x iterations x [value, count]
 * pairs; each iteration gives one sample, its mean. */
static int histogram(pg_run *run, const char *bench, double scale, json_t *raw,
		     const char *where)
{
	json_t *fork, *iter, *pair;
	size_t i, j, k;
	if (!json_is_array(raw))
		return pg_import_json_bad(where, F, "%s: primaryMetric.rawDataHistogram is not an "
					  "array of forks", bench);
	json_array_foreach(raw, i, fork) {
		if (!json_is_array(fork) || !json_array_size(fork))
			return pg_import_json_bad(where, F, "%s: rawDataHistogram[%zu]: no iterations",
						  bench, i);
		json_array_foreach(fork, j, iter) {
			double sum = 0, count = 0, v, c;
			json_array_foreach(iter, k, pair) {
				if (!pg_import_json_number(json_array_get(pair, 0), &v) ||
				    !pg_import_json_number(json_array_get(pair, 1), &c) || c < 0)
					return pg_import_json_bad(where, F, "%s: rawDataHistogram[%zu][%zu]"
								  "[%zu]: not a [value, count] pair",
								  bench, i, j, k);
				sum += v * c;
				count += c;
			}
			if (count <= 0)
				return pg_import_json_bad(where, F, "%s: rawDataHistogram[%zu][%zu] is "
							  "empty", bench, i, j);
			pg_import_sample(run, bench, "time_per_op", "ns", 0, sum / count * scale);
		}
	}
	return 0;
}

/* secondaryMetrics: each with a unit perfgate can store is imported under
 * its own name (JMH before 1.36 starts profilers' names with "·"); time
 * and throughput units are converted like the primary metric's. */
static int secondaries(pg_run *run, const char *bench, json_t *sec, const char *where)
{
	const char *key;
	json_t *m;
	char path[160];
	json_object_foreach(sec, key, m) {
		const char *unit = json_string_value(json_object_get(m, "scoreUnit")), *to = unit;
		const char *metric = !strncmp(key, "\xc2\xb7", 2) ? key + 2 : key;
		int higher = 0;
		double scale = 1;
		json_t *raw = json_object_get(m, "rawData");
		if (!unit || !json_is_array(raw))
			return pg_import_json_bad(where, F, "%s: secondaryMetrics.%.40s: needs "
						  "scoreUnit and rawData", bench, key);
		double f = score_unit(unit, &to, &higher);
		if (f > 0)
			scale = f;
		else if (pg_unit_problem(unit))
			continue; /* "#/op" and the like: not a unit perfgate stores */
		if (!strcmp(unit, "B/op"))
			to = "B";
		snprintf(path, sizeof(path), "%.60s: secondaryMetrics.%.40s.rawData", bench, key);
		int err = raw_scores(run, bench, metric, to, higher, scale, raw, where, path);
		if (err)
			return err;
	}
	return 0;
}

static int jmh_entry(pg_run *run, json_t *b, size_t i, const char *where)
{
	json_t *pm = json_object_get(b, "primaryMetric");
	const char *bench = json_string_value(json_object_get(b, "benchmark"));
	const char *mode = json_string_value(json_object_get(b, "mode"));
	const char *unit = json_string_value(json_object_get(pm, "scoreUnit")), *to;
	pg_buf name = PG_BUF_INIT;
	char path[160];
	int higher = 0, err;
	double scale;
	if (!bench || !mode || !json_is_object(pm) || !unit)
		return pg_import_json_bad(where, F, "[%zu]: needs benchmark, mode and primaryMetric "
					  "with scoreUnit", i);
	if (strcmp(mode, "thrpt") && strcmp(mode, "avgt") && strcmp(mode, "sample") &&
	    strcmp(mode, "ss"))
		return pg_import_json_bad(where, F, "[%zu]: mode '%.20s' is not thrpt, avgt, sample "
					  "or ss", i, mode);
	if (!(scale = score_unit(unit, &to, &higher)) || higher != !strcmp(mode, "thrpt"))
		return pg_import_json_bad(where, F, "[%zu]: scoreUnit '%.20s' does not go with mode "
					  "%s (ops/T for thrpt, T/op for the others; T one of ns, "
					  "us, ms, s, min, hr)", i, unit, mode);
	jmh_name(&name, bench, json_object_get(b, "params"));
	if (!strcmp(mode, "sample")) {
		err = histogram(run, name.ptr, scale, json_object_get(pm, "rawDataHistogram"), where);
	} else {
		snprintf(path, sizeof(path), "[%zu].primaryMetric.rawData", i);
		err = raw_scores(run, name.ptr, higher ? "ops_per_second" : "time_per_op", to, higher,
				 scale, json_object_get(pm, "rawData"), where, path);
	}
	if (!err && !pg_run_find_bench(run, name.ptr))
		err = pg_import_json_bad(where, F, "[%zu] (%.60s): no raw data (primaryMetric.rawData "
					 "is empty)", i, name.ptr);
	if (!err)
		err = secondaries(run, name.ptr, json_object_get(b, "secondaryMetrics"), where);
	pg_buf_free(&name);
	return err;
}

int pg_import_jmh(pg_run *run, const char *text, const char *where)
{
	int err;
	json_t *doc = pg_import_json_load(text, where, F, HOW, &err), *b;
	size_t i;
	if (!doc)
		return err;
	if (!json_is_array(doc) || !json_array_size(doc))
		err = pg_import_json_bad(where, F, "expected an array of benchmark results");
	json_array_foreach(doc, i, b) {
		if (err)
			break;
		err = jmh_entry(run, b, i, where);
	}
	json_decref(doc);
	return err;
}
