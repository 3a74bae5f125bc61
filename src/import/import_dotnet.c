/*
 * import_dotnet.c - BenchmarkDotNet's JSON exporter (`--exporters json`,
 * JsonExporter.Full: BenchmarkDotNet.Artifacts/results/<Type>-report-full.json;
 * the brief and default variants read the same, from their statistics).
 */
#include "error.h"
#include "import.h"
#include "import_json.h"

#include <stdio.h>
#include <string.h>

#define F "BenchmarkDotNet JSON (--exporters json)"
#define HOW "add the JSON exporter (--exporters json) and give its " \
	    "BenchmarkDotNet.Artifacts/results/*-report-full.json"

/* The Workload/Result measurements: the benchmark's iterations, overhead
 * removed, each Nanoseconds / Operations per operation.  Returns how many
 * were added, or an error. */
static int measurements(pg_run *run, const char *name, json_t *list, size_t i,
			const char *where)
{
	json_t *m;
	size_t k;
	int n = 0;
	json_array_foreach(list, k, m) {
		const char *mode = json_string_value(json_object_get(m, "IterationMode"));
		const char *stage = json_string_value(json_object_get(m, "IterationStage"));
		double ns, ops;
		if (!mode || !stage || strcmp(mode, "Workload") || strcmp(stage, "Result"))
			continue;
		if (!pg_import_json_number(json_object_get(m, "Nanoseconds"), &ns) ||
		    !pg_import_json_number(json_object_get(m, "Operations"), &ops) || ops <= 0)
			return pg_import_json_bad(where, F, "Benchmarks[%zu].Measurements[%zu]: needs "
						  "Nanoseconds and a positive Operations", i, k);
		pg_import_sample(run, name, "time_per_op", "ns", 0, ns / ops);
		n++;
	}
	return n;
}

/* Without measurements (the brief exporter): Statistics.OriginalValues
 * (BenchmarkDotNet 0.13 on), else the mean alone. */
static int statistics(pg_run *run, const char *name, json_t *stats, size_t i, const char *where)
{
	json_t *orig = json_object_get(stats, "OriginalValues");
	double mean;
	char path[64];
	if (json_is_array(orig) && json_array_size(orig)) {
		snprintf(path, sizeof(path), "Benchmarks[%zu].Statistics.OriginalValues", i);
		return pg_import_json_numbers(run, name, "time_per_op", "ns", 0, orig, 1, where, F,
					      path);
	}
	if (!pg_import_json_number(json_object_get(stats, "Mean"), &mean))
		return pg_import_json_bad(where, F, "Benchmarks[%zu].Statistics: no Mean", i);
	pg_import_sample(run, name, "time_per_op", "ns", 0, mean);
	return 0;
}

/* FullName -> how many benchmarks have it (a JSON object: linear). */
static json_t *count_names(json_t *list)
{
	json_t *counts = json_object(), *b;
	size_t i;
	json_array_foreach(list, i, b) {
		const char *s = json_string_value(json_object_get(b, "FullName"));
		if (s)
			json_object_set_new(counts, s, json_integer(json_integer_value(
							       json_object_get(counts, s)) + 1));
	}
	return counts;
}

static int dotnet_entry(pg_run *run, json_t *counts, json_t *b, size_t i, const char *where)
{
	const char *name = json_string_value(json_object_get(b, "FullName"));
	const char *display = json_string_value(json_object_get(b, "DisplayInfo"));
	json_t *stats = json_object_get(b, "Statistics"), *mem = json_object_get(b, "Memory");
	double bytes;
	if (!name)
		return pg_import_json_bad(where, F, "Benchmarks[%zu]: no FullName", i);
	/* one benchmark run by several jobs (runtimes, configurations): the
	 * display info names the job too */
	if (display && json_integer_value(json_object_get(counts, name)) > 1)
		name = display;
	if (!json_is_object(stats))
		return pg_import_json_bad(where, F, "Benchmarks[%zu] (%.80s) has no Statistics: it "
					  "failed (BenchmarkDotNet's log says why)", i, name);
	int n = measurements(run, name, json_object_get(b, "Measurements"), i, where);
	if (n < 0)
		return n;
	if (n == 0 && (n = statistics(run, name, stats, i, where)) < 0)
		return n;
	/* MemoryDiagnoser: present only when it was enabled */
	if (json_is_object(mem)) {
		if (!pg_import_json_number(json_object_get(mem, "BytesAllocatedPerOperation"), &bytes))
			return pg_import_json_bad(where, F, "Benchmarks[%zu].Memory: no "
						  "BytesAllocatedPerOperation", i);
		pg_import_sample(run, name, "allocated_bytes_per_op", "B", 0, bytes);
	}
	return 0;
}

int pg_import_benchmarkdotnet(pg_run *run, const char *text, const char *where)
{
	int err;
	json_t *doc = pg_import_json_load(text, where, F, HOW, &err), *b;
	size_t i;
	if (!doc)
		return err;
	json_t *list = json_object_get(doc, "Benchmarks");
	if (!json_is_array(list) || !json_is_object(json_object_get(doc, "HostEnvironmentInfo")))
		err = pg_import_json_bad(where, F, "no \"HostEnvironmentInfo\" object and "
					 "\"Benchmarks\" array");
	json_t *counts = count_names(list);
	json_array_foreach(list, i, b) {
		if (err)
			break;
		err = dotnet_entry(run, counts, b, i, where);
	}
	json_decref(counts);
	json_decref(doc);
	return err;
}
