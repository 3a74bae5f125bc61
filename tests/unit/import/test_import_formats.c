/*
 * test_import_formats.c - the importers of JMH, BenchmarkDotNet,
 * github-action-benchmark, vitest and k6 on their fixtures
 * (tests/fixtures/<format>/, README.md there says where each comes from),
 * values checked against the numbers the tool printed in them; hostile
 * and wrong-format input; `--format auto` and the "it looks like" hint.
 */
#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "helpers.h"
#include "import.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

/* Expects `text` refused as PG_ECORRUPT with a one-line message holding
 * `expect`, and nothing imported. */
static void parse_bad(pg_import_format f, const char *text, const char *expect)
{
	pg_run *run = pg_run_new();
	int err = pg_import_parse(run, f, text, strlen(text), "p", "in.json");
	if (err != PG_ECORRUPT || !strstr(pg_error_last(), expect) ||
	    strchr(pg_error_last(), '\n'))
		fail_msg("%s: err %d, '%s' lacks '%s' (or is not one line)",
			 pg_import_format_name(f), err, pg_error_last(), expect);
	assert_int_equal(run->nbenches, 0);
	pg_run_free(run);
}

static double mean_of(const pg_metric_result *m)
{
	double s = 0;
	for (size_t i = 0; i < m->samples.n; i++)
		s += m->samples.v[i];
	return s / (double)m->samples.n;
}

/* ---- JMH --------------------------------------------------------------- */

static void test_jmh__fixture(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_JMH, "jmh/jmh-1.37.json");
	assert_int_equal(run->nbenches, 5);
	/* thrpt, params in the name in JMH's order, 2 forks x 3 iterations;
	 * their mean is JMH's score */
	const char *murmur = "org.example.HashBench.murmur:size=100,kind=a b/c";
	const pg_metric_result *m = th_metric(run, murmur, "ops_per_second");
	assert_int_equal(m->samples.n, 6);
	assert_true(m->higher_is_better);
	assert_string_equal(m->unit, "ops/s");
	assert_float_equal(mean_of(m), 1514790.2083333333, 1e-6);
	assert_float_equal(mean_of(th_metric(run, "org.example.HashBench.murmur:size=1000,kind=a b/c",
					  "ops_per_second")), 151479.0, 1e-6);
	/* secondary metrics: B/op as B, other units as JMH wrote them */
	m = th_metric(run, murmur, "gc.alloc.rate.norm");
	assert_string_equal(m->unit, "B");
	assert_false(m->higher_is_better);
	assert_float_equal(m->samples.v[0], 24, 0);
	assert_string_equal(th_metric(run, murmur, "gc.alloc.rate")->unit, "MB/sec");
	assert_int_equal(th_metric(run, murmur, "gc.count")->samples.n, 6);
	/* avgt in us/op -> ns */
	m = th_metric(run, "org.example.ListBench.add", "time_per_op");
	assert_false(m->higher_is_better);
	assert_string_equal(m->unit, "ns");
	assert_int_equal(m->samples.n, 5);
	assert_float_equal(mean_of(m), 0.1268 * 1e3, 1e-9);
	/* sample mode: one sample per iteration, its histogram's mean (ms/op) */
	m = th_metric(run, "org.example.ListBench.sort", "time_per_op");
	assert_int_equal(m->samples.n, 2);
	assert_float_equal(m->samples.v[0], (1.25 * 40 + 1.5 * 55 + 2.0 * 5) / 100 * 1e6, 1e-6);
	assert_float_equal(mean_of(m), 1.43 * 1e6, 1e-3);
	/* single shot in s/op */
	assert_float_equal(mean_of(th_metric(run, "org.example.StartupBench.coldStart", "time_per_op")),
			   0.52975 * 1e9, 1e-3);
	pg_run_free(run);
}

static void test_jmh__older_and_hostile(void **state)
{
	(void)state;
	/* JMH before 1.36 names profiler metrics "·gc..."; "#/op" is not a
	 * unit perfgate stores: left out */
	const char *old = "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\", \"primaryMetric\": "
			  "{\"score\": 2, \"scoreUnit\": \"ns/op\", \"rawData\": [[1, 3]]}, "
			  "\"secondaryMetrics\": {\"\xc2\xb7gc.alloc.rate.norm\": {\"scoreUnit\": "
			  "\"B/op\", \"rawData\": [[8, 8]]}, \"\xc2\xb7" "cycles\": {\"scoreUnit\": "
			  "\"#/op\", \"rawData\": [[5, 5]]}}}]\r\n";
	pg_run *run = th_parse_ok(PG_IMPORT_JMH, old, "old.json");
	assert_int_equal(th_metric(run, "a.B.c", "gc.alloc.rate.norm")->samples.n, 2);
	assert_null(pg_bench_find_metric(pg_run_find_bench(run, "a.B.c"), "cycles"));
	pg_run_free(run);

	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\", \"mode\": \"avgt\", \"primaryMetric\": "
		  "{\"scoreUnit\": \"ns/op\", \"rawData\": [[1, \"NaN\"]]}}]",
		  "[0].primaryMetric.rawData[0][1]: not a number");
	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\", \"mode\": \"avgt\", \"primaryMetric\": "
		  "{\"scoreUnit\": \"ns/op\", \"rawData\": [[1, 1e999]]}}]", "not JMH JSON");
	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\", \"mode\": \"thrpt\", \"primaryMetric\": "
		  "{\"scoreUnit\": \"ns/op\", \"rawData\": [[1]]}}]",
		  "scoreUnit 'ns/op' does not go with mode thrpt");
	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\", \"mode\": \"fast\", \"primaryMetric\": "
		  "{\"scoreUnit\": \"ns/op\", \"rawData\": [[1]]}}]", "mode 'fast' is not thrpt");
	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\", \"mode\": \"sample\", \"primaryMetric\": "
		  "{\"scoreUnit\": \"ns/op\", \"rawDataHistogram\": [[[[1, -1]]]]}}]",
		  "not a [value, count] pair");
	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\", \"mode\": \"avgt\", \"primaryMetric\": "
		  "{\"scoreUnit\": \"ns/op\", \"rawData\": []}}]", "no raw data");
	/* JMH's console table, and BenchmarkDotNet's, in a CI log (CRLF) */
	parse_bad(PG_IMPORT_JMH, "\r\nBenchmark        Mode  Cnt  Score   Error  Units\r\n"
		  "Hash.murmur     thrpt    5  1.515 \xc2\xb1 0.1  ops/us\r\n",
		  "not JMH JSON (-rf json) output: it is text, not JSON (it starts 'Benchmark        "
		  "Mode  C...'): run JMH with -rf json -rff FILE and give FILE");
	parse_bad(PG_IMPORT_BENCHMARKDOTNET, "| Method |     Mean |\r\n|------- |---------:|\r\n",
		  "it is text, not JSON (it starts '| Method |     Mean |'): add the JSON exporter "
		  "(--exporters json)");
	/* a finite score that is not once converted (ops/ns to ops/s) */
	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\", \"mode\": \"thrpt\", \"primaryMetric\": "
		  "{\"scoreUnit\": \"ops/ns\", \"rawData\": [[1e300]]}}]",
		  "'a' ops_per_second: a value is not a finite number (inf)");
	/* a negative time or rate is refused; a negative count is kept */
	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\", \"mode\": \"avgt\", \"primaryMetric\": "
		  "{\"scoreUnit\": \"ns/op\", \"rawData\": [[5, -2]]}}]",
		  "'a' time_per_op: a value is negative (-2 ns), which a time, size or rate cannot be");
	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\", \"mode\": \"thrpt\", \"primaryMetric\": "
		  "{\"scoreUnit\": \"ops/s\", \"rawData\": [[-1]]}}]", "a value is negative (-1 ops/s)");
	parse_bad(PG_IMPORT_JMH, "[{\"benchmark\": \"a\\u0007b\", \"mode\": \"avgt\", "
		  "\"primaryMetric\": {\"scoreUnit\": \"ns/op\", \"rawData\": [[1]]}}]",
		  "contains a control character");
}

/* ---- BenchmarkDotNet --------------------------------------------------- */

static void test_benchmarkdotnet__fixture(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_BENCHMARKDOTNET, "benchmarkdotnet/Md5VsSha256-report-full.json");
	assert_int_equal(run->nbenches, 4);
	/* Workload/Result measurements per operation: their mean is the
	 * Statistics.Mean BenchmarkDotNet printed */
	const pg_metric_result *m = th_metric(run, "Perf.Samples.Md5VsSha256.Sha256(N: 1000)",
					   "time_per_op");
	assert_int_equal(m->samples.n, 6);
	assert_string_equal(m->unit, "ns");
	assert_float_equal(mean_of(m), 3512.875, 1e-9);
	assert_float_equal(th_metric(run, "Perf.Samples.Md5VsSha256.Sha256(N: 1000)",
				  "allocated_bytes_per_op")->samples.v[0], 112, 0);
	/* one FullName, two jobs: named by their display info */
	assert_float_equal(mean_of(th_metric(run, "Md5VsSha256.Md5: .NET 8.0(Runtime=.NET 8.0) [N=1000]",
					  "time_per_op")), 1894.4, 1e-9);
	assert_float_equal(mean_of(th_metric(run, "Md5VsSha256.Md5: .NET 6.0(Runtime=.NET 6.0) [N=1000]",
					  "time_per_op")), 2004.4, 1e-9);
	assert_float_equal(mean_of(th_metric(run, "Perf.Samples.Md5VsSha256.Parse(Text: \"a, b\")",
					  "time_per_op")), 45.1875, 1e-9);
	pg_run_free(run);
}

static void test_benchmarkdotnet__variants_and_hostile(void **state)
{
	(void)state;
	/* the brief exporter: no Measurements, the statistics' values */
	const char *brief = "{\"HostEnvironmentInfo\": {}, \"Benchmarks\": [{\"FullName\": \"A.b\", "
			    "\"Statistics\": {\"OriginalValues\": [10, 12], \"Mean\": 11}}, "
			    "{\"FullName\": \"A.c\", \"Statistics\": {\"Mean\": 7.5}}]}";
	pg_run *run = th_parse_ok(PG_IMPORT_BENCHMARKDOTNET, brief, "brief.json");
	assert_int_equal(th_metric(run, "A.b", "time_per_op")->samples.n, 2);
	assert_float_equal(th_metric(run, "A.c", "time_per_op")->samples.v[0], 7.5, 0);
	pg_run_free(run);

	parse_bad(PG_IMPORT_BENCHMARKDOTNET, "{\"HostEnvironmentInfo\": {}, \"Benchmarks\": "
		  "[{\"FullName\": \"A.b\", \"Statistics\": null}]}", "(A.b) has no Statistics: it failed");
	parse_bad(PG_IMPORT_BENCHMARKDOTNET, "{\"HostEnvironmentInfo\": {}, \"Benchmarks\": "
		  "[{\"FullName\": \"A.b\", \"Statistics\": {}, \"Measurements\": [{\"IterationMode\": "
		  "\"Workload\", \"IterationStage\": \"Result\", \"Operations\": 0, \"Nanoseconds\": 5}]}]}",
		  "Benchmarks[0].Measurements[0]: needs Nanoseconds and a positive Operations");
	parse_bad(PG_IMPORT_BENCHMARKDOTNET, "{\"HostEnvironmentInfo\": {}, \"Benchmarks\": "
		  "[{\"FullName\": \"A.b\", \"Statistics\": {\"OriginalValues\": [1, \"NaN\"]}}]}",
		  "Statistics.OriginalValues[1]: not a number");
}

/* ---- github-action-benchmark ------------------------------------------- */

static void test_gab__both_directions(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_GAB, "gab/custom-smaller.json");
	const pg_metric_result *m = th_metric(run, "My Custom Smaller Is Better Benchmark - CPU Load",
					   "value");
	assert_false(m->higher_is_better);
	assert_string_equal(m->unit, "Percent");
	assert_float_equal(m->samples.v[0], 50, 0);
	assert_float_equal(th_metric(run, "parse(\"a, b\") [n=1000] \xe2\x9c\x93", "value")->samples.v[0],
			   1234.5, 0);
	pg_run_free(run);
	run = th_import_ok(PG_IMPORT_GAB_BIGGER, "gab/custom-bigger.json");
	m = th_metric(run, "My Custom Bigger Is Better Benchmark - Throughput", "value");
	assert_true(m->higher_is_better);
	assert_string_equal(m->unit, "req/s");
	assert_float_equal(m->samples.v[0], 70, 0);
	pg_run_free(run);

	parse_bad(PG_IMPORT_GAB, "[{\"name\": \"a\", \"unit\": \"ms\", \"value\": \"12\"}]",
		  "[0]: needs \"name\", \"unit\" (strings) and \"value\" (a finite number)");
	parse_bad(PG_IMPORT_GAB, "[{\"name\": \"a\", \"unit\": \"ms per op\", \"value\": 1}]",
		  "the unit may only hold");
	parse_bad(PG_IMPORT_GAB, "[{\"name\": \"a\", \"unit\": \"ms\", \"value\": 1}, "
		  "{\"name\": \"a\", \"unit\": \"s\", \"value\": 1}]", "unit 's' differs");
	parse_bad(PG_IMPORT_GAB, "[]", "expected a non-empty array");
}

/* ---- vitest (real output: fixtures/vitest/regen.sh) -------------------- */

static void test_vitest__real_output(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_VITEST, "vitest/vitest-4.1.12.json");
	assert_int_equal(run->nbenches, 3);
	/* vitest printed: fib(10) hz 233,146.61, mean 0.0043 ms, p99 0.0017 */
	const char *fib = "bench/sample.bench.ts > fib > fib(10)";
	assert_float_equal(th_metric(run, fib, "time_per_op")->samples.v[0], 4289.146643094183, 1e-6);
	assert_float_equal(th_metric(run, fib, "ops_per_second")->samples.v[0], 233146.61, 0.01);
	assert_true(th_metric(run, fib, "ops_per_second")->higher_is_better);
	assert_float_equal(th_metric(run, fib, "time_p99")->samples.v[0], 1653.0000000329892, 1e-6);
	th_metric(run, "bench/sample.bench.ts > fib > fib(15) \"quoted\" & odd/chars", "time_p75");
	/* array sort 1e3: 887.43 hz, mean 1.1268 ms */
	assert_float_equal(th_metric(run, "bench/sample.bench.ts > array sort 1e3", "time_per_op")
			   ->samples.v[0], 1.1268431573033963e6, 1e-3);
	pg_run_free(run);
	run = th_import_ok(PG_IMPORT_VITEST, "vitest/vitest-2.1.9.json");
	assert_int_equal(run->nbenches, 3);
	pg_run_free(run);
}

static void test_vitest__samples_and_hostile(void **state)
{
	(void)state;
	/* vitest 1.x kept every iteration's time (ms) */
	const char *doc = "{\"files\": [{\"groups\": [{\"fullName\": \"a.bench.ts > g\", "
			  "\"benchmarks\": [{\"name\": \"x\", \"hz\": 500, \"mean\": 2, "
			  "\"samples\": [1.5, 2.5, 2]}]}]}]}";
	pg_run *run = th_parse_ok(PG_IMPORT_VITEST, doc, "v1.json");
	const pg_metric_result *m = th_metric(run, "a.bench.ts > g > x", "time_per_op");
	assert_int_equal(m->samples.n, 3);
	assert_float_equal(m->samples.v[0], 1.5e6, 0);
	pg_run_free(run);
	parse_bad(PG_IMPORT_VITEST, "{\"files\": [{\"groups\": [{\"fullName\": \"g\", \"benchmarks\": "
		  "[{\"name\": \"x\", \"hz\": 500}]}]}]}",
		  "files[0].groups[0].benchmarks[0]: needs name, mean and hz");
	parse_bad(PG_IMPORT_VITEST, "{\"files\": [{\"groups\": [{\"fullName\": \"g\", \"benchmarks\": "
		  "[{\"name\": \"x\", \"hz\": 5, \"mean\": 1, \"samples\": [1, null]}]}]}]}",
		  "benchmarks[0].samples[1]: not a number");
	parse_bad(PG_IMPORT_VITEST, "{\"files\": []}", "no vitest results found");
}

/* ---- k6 ---------------------------------------------------------------- */

static void test_k6__summary_export(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_K6, "k6/summary-export.json");
	const pg_metric_result *m = th_metric(run, "load", "latency_p95");
	assert_string_equal(m->unit, "ns");
	assert_false(m->higher_is_better);
	assert_float_equal(m->samples.v[0], 41.11025714999998e6, 1e-3);
	assert_float_equal(th_metric(run, "load", "latency_p50")->samples.v[0], 21.3645e6, 1e-3);
	assert_float_equal(th_metric(run, "load", "latency_p99")->samples.v[0], 88.43014731e6, 1e-3);
	assert_float_equal(th_metric(run, "load", "latency_max")->samples.v[0], 212.532013e6, 1e-3);
	m = th_metric(run, "load", "requests_per_second");
	assert_true(m->higher_is_better);
	assert_float_equal(m->samples.v[0], 39.78051367452657, 1e-9);
	assert_float_equal(th_metric(run, "load", "bytes_per_second")->samples.v[0],
			   459385.3390066478, 1e-6);
	assert_float_equal(th_metric(run, "load", "errors")->samples.v[0], 13, 0);
	m = th_metric(run, "load", "error_rate"); /* a fraction, as wrk's, hey's and ab's */
	assert_string_equal(m->unit, "");
	assert_float_equal(m->samples.v[0], 0.010833333333333334, 1e-12);
	assert_float_equal(th_metric(run, "load{expected_response:true}", "latency_p90")->samples.v[0],
			   33.2116054e6, 1e-3);
	assert_float_equal(th_metric(run, "iteration", "iterations_per_second")->samples.v[0],
			   39.78051367452657, 1e-9);
	assert_float_equal(th_metric(run, "checks", "errors")->samples.v[0], 13, 0);
	assert_float_equal(th_metric(run, "checks", "error_rate")->samples.v[0],
			   1 - 0.9891666666666666, 1e-12);
	pg_run_free(run);
}

static void test_k6__handle_summary_and_hostile(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_K6, "k6/handle-summary.json");
	assert_float_equal(th_metric(run, "load", "latency_p90")->samples.v[0], 18.25e6, 1e-6);
	assert_float_equal(th_metric(run, "load", "error_rate")->samples.v[0], 0, 0);
	assert_null(pg_bench_find_metric(pg_run_find_bench(run, "load"), "latency_p99"));
	pg_run_free(run);
	parse_bad(PG_IMPORT_K6, "{\"root_group\": {}, \"metrics\": {\"vus\": {\"value\": 1}}}",
		  "none of http_req_duration");
	parse_bad(PG_IMPORT_K6, "{\"root_group\": {}, \"metrics\": {\"http_reqs\": 5}}",
		  "metrics.http_reqs: not an object");
	parse_bad(PG_IMPORT_K6, "{\"metrics\": {}}", "no \"metrics\" and \"root_group\" objects");
}

/* ---- every new format: truncated, CRLF, another format's file ---------- */

static const struct {
	pg_import_format f;
	const char *file;
} fixtures[] = {
	{ PG_IMPORT_JMH, "jmh/jmh-1.37.json" },
	{ PG_IMPORT_BENCHMARKDOTNET, "benchmarkdotnet/Md5VsSha256-report-full.json" },
	{ PG_IMPORT_BENCHMARKDOTNET, "benchmarkdotnet/Parser-report-full-compressed.json" },
	{ PG_IMPORT_GAB, "gab/custom-smaller.json" },
	{ PG_IMPORT_GAB_BIGGER, "gab/custom-bigger.json" },
	{ PG_IMPORT_VITEST, "vitest/vitest-4.1.12.json" },
	{ PG_IMPORT_VITEST, "vitest/vitest-2.1.9.json" },
	{ PG_IMPORT_K6, "k6/summary-export.json" },
	{ PG_IMPORT_K6, "k6/handle-summary.json" },
};
#define NFIXTURES (sizeof(fixtures) / sizeof(*fixtures))

static void test_formats__truncated_and_crlf(void **state)
{
	(void)state;
	for (size_t i = 0; i < NFIXTURES; i++) {
		char *text = th_fixture(fixtures[i].file);
		pg_buf crlf = PG_BUF_INIT;
		for (const char *p = text; *p; p++)
			*p == '\n' ? pg_buf_puts(&crlf, "\r\n") : pg_buf_putc(&crlf, *p);
		pg_run *a = th_parse_ok(fixtures[i].f, text, fixtures[i].file);
		pg_run *b = th_parse_ok(fixtures[i].f, crlf.ptr, fixtures[i].file);
		assert_int_equal(a->nbenches, b->nbenches);
		pg_run_free(a);
		pg_run_free(b);
		text[strlen(text) * 2 / 3] = '\0';
		parse_bad(fixtures[i].f, text, "line");
		pg_buf_free(&crlf);
		free(text);
	}
}

/* A file of another format says what it looks like and which flag reads it. */
static void test_formats__wrong_format_names_the_right_one(void **state)
{
	(void)state;
	for (size_t i = 0; i < NFIXTURES; i++) {
		pg_import_format wrong = fixtures[i].f == PG_IMPORT_JMH ? PG_IMPORT_K6 : PG_IMPORT_JMH;
		char *text = th_fixture(fixtures[i].file);
		pg_buf expect = PG_BUF_INIT;
		if (fixtures[i].f == PG_IMPORT_GAB || fixtures[i].f == PG_IMPORT_GAB_BIGGER)
			pg_buf_puts(&expect, "(it looks like gab or gab-bigger output: name the one it "
					     "is with --format)");
		else
			pg_buf_printf(&expect, "(it looks like %s output: use --format %s)",
				      pg_import_format_name(fixtures[i].f),
				      pg_import_format_name(fixtures[i].f));
		parse_bad(wrong, text, expect.ptr);
		pg_buf_free(&expect);
		free(text);
	}
	/* and the older formats' files too */
	char *text = th_fixture("gotest.txt");
	parse_bad(PG_IMPORT_VITEST, text, "not vitest bench --outputJson output: it is text, not JSON "
		  "(it starts 'goos: linux'): run vitest bench --outputJson FILE and give FILE (it "
		  "looks like gotest output: use --format gotest)");
	free(text);
}

/* ---- auto --------------------------------------------------------------- */

static void test_auto__detects_every_fixture(void **state)
{
	(void)state;
	static const struct {
		pg_import_format f;
		const char *file;
	} all[] = {
		{ PG_IMPORT_PERFGATE, "perfgate-bench.json" }, { PG_IMPORT_GBENCH, "gbench.json" },
		{ PG_IMPORT_HYPERFINE, "hyperfine.json" }, { PG_IMPORT_CRITERION, "criterion.jsonl" },
		{ PG_IMPORT_PYTEST, "pytest-benchmark.json" }, { PG_IMPORT_GOTEST, "gotest.txt" },
		{ PG_IMPORT_CATCH2, "catch2.xml" }, { PG_IMPORT_BMF, "bmf.json" },
	};
	for (size_t i = 0; i < sizeof(all) / sizeof(*all) + NFIXTURES; i++) {
		int old = i < sizeof(all) / sizeof(*all);
		pg_import_format f = old ? all[i].f : fixtures[i - sizeof(all) / sizeof(*all)].f;
		const char *file = old ? all[i].file : fixtures[i - sizeof(all) / sizeof(*all)].file;
		if (f == PG_IMPORT_GAB || f == PG_IMPORT_GAB_BIGGER)
			continue; /* the file does not say its direction: below */
		char *text = th_fixture(file);
		pg_run *want = th_parse_ok(f, text, file), *got = th_parse_ok(PG_IMPORT_AUTO, text, file);
		assert_int_equal(got->nbenches, want->nbenches);
		for (size_t b = 0; b < want->nbenches; b++) {
			assert_string_equal(got->benches[b].name, want->benches[b].name);
			assert_int_equal(got->benches[b].nmetrics, want->benches[b].nmetrics);
		}
		pg_run_free(want);
		pg_run_free(got);
		free(text);
	}
	/* a directory: criterion's */
	pg_run *run = pg_run_new();
	if (pg_import_path(run, PG_IMPORT_AUTO, FIXTURES "/criterion-dir", "rs", NULL) != 0)
		fail_msg("%s", pg_error_last());
	assert_int_equal(run->nbenches, 2);
	pg_run_free(run);
}

static void test_auto__none_or_several(void **state)
{
	(void)state;
	/* several: gab's two directions both read it */
	char *text = th_fixture("gab/custom-smaller.json");
	pg_run *run = pg_run_new();
	pg_import_sample(run, "existing", "m", "ns", 0, 1);
	assert_int_equal(pg_import_parse(run, PG_IMPORT_AUTO, text, strlen(text), NULL, "g.json"),
			 PG_ECORRUPT);
	if (!strstr(pg_error_last(), "g.json: --format auto: 2 formats read it (gab, gab-bigger); "
				     "name the one it is with --format"))
		fail_msg("%s", pg_error_last());
	assert_int_equal(run->nbenches, 1);
	free(text);

	/* none: one line per format of the table, each with its reason */
	const char *junk = "hello\r\nworld\n";
	assert_int_equal(pg_import_parse(run, PG_IMPORT_AUTO, junk, strlen(junk), NULL, "junk.txt"),
			 PG_ECORRUPT);
	const char *msg = pg_error_last();
	pg_buf want = PG_BUF_INIT;
	pg_buf_printf(&want, "junk.txt: --format auto: no format reads it; tried %d:",
		      pg_import_format_count() - 1);
	if (strncmp(msg, want.ptr, want.len))
		fail_msg("%s", msg);
	for (int f = 1; f < pg_import_format_count(); f++) {
		pg_buf_clear(&want);
		pg_buf_printf(&want, "\n  %s: ", pg_import_format_name((pg_import_format)f));
		if (!strstr(msg, want.ptr))
			fail_msg("no line for %s in '%s'", pg_import_format_name((pg_import_format)f),
				 msg);
	}
	assert_non_null(strstr(msg, "\n  jmh: it is text, not JSON (it starts 'hello'): run JMH "));
	assert_int_equal(run->nbenches, 1);
	/* a directory nothing reads */
	assert_int_equal(pg_import_path(run, PG_IMPORT_AUTO, FIXTURES "/jmh", NULL, NULL),
			 PG_ECORRUPT);
	if (!strstr(pg_error_last(), "no format reads it; tried 1 that read a directory:\n"
				     "  criterion: "))
		fail_msg("%s", pg_error_last());
	pg_buf_free(&want);
	pg_run_free(run);
}

static void test_auto__format_names(void **state)
{
	(void)state;
	assert_int_equal(pg_import_format_parse("auto"), PG_IMPORT_AUTO);
	assert_string_equal(pg_import_format_name(PG_IMPORT_AUTO), "auto");
	assert_int_equal(pg_import_format_parse("benchmarkdotnet"), PG_IMPORT_BENCHMARKDOTNET);
	assert_int_equal(pg_import_format_parse("gab-bigger"), PG_IMPORT_GAB_BIGGER);
	/* the list is the table's: every format, then auto */
	const char *list = pg_import_format_list();
	for (int f = 1; f < pg_import_format_count(); f++)
		assert_non_null(strstr(list, pg_import_format_name((pg_import_format)f)));
	assert_string_equal(list + strlen(list) - 6, ", auto");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jmh__fixture),
		cmocka_unit_test(test_jmh__older_and_hostile),
		cmocka_unit_test(test_benchmarkdotnet__fixture),
		cmocka_unit_test(test_benchmarkdotnet__variants_and_hostile),
		cmocka_unit_test(test_gab__both_directions),
		cmocka_unit_test(test_vitest__real_output),
		cmocka_unit_test(test_vitest__samples_and_hostile),
		cmocka_unit_test(test_k6__summary_export),
		cmocka_unit_test(test_k6__handle_summary_and_hostile),
		cmocka_unit_test(test_formats__truncated_and_crlf),
		cmocka_unit_test(test_formats__wrong_format_names_the_right_one),
		cmocka_unit_test(test_auto__detects_every_fixture),
		cmocka_unit_test(test_auto__none_or_several),
		cmocka_unit_test(test_auto__format_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
