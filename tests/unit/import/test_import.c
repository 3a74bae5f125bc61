/*
 * test_import.c - every import parser on real tool output (Google
 * Benchmark, hyperfine, Catch2, perfgate's harness: see
 * fixtures/tools/regen.sh) and faithful documented examples (criterion,
 * and its target/criterion directory, pytest-benchmark, go test, Bencher
 * Metric Format); truncated and
 * wrong-format input is refused with file, format and place, and imports
 * nothing.
 */
#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "helpers.h"
#include "import.h"
#include "stats.h"
#include "utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pg_run *import_ok(pg_import_format f, const char *file, const char *prefix)
{
	char *text = th_fixture(file);
	pg_run *run = pg_run_new();
	int err = pg_import_parse(run, f, text, strlen(text), prefix, file);
	if (err)
		fail_msg("%s: %s", file, pg_error_last());
	free(text);
	return run;
}

static void test_import__gbench(void **state)
{
	(void)state;
	pg_run *run = import_ok(PG_IMPORT_GBENCH, "gbench.json", "gb");
	assert_int_equal(run->nbenches, 3);
	/* three repetitions each; the mean/median/stddev/cv aggregates are skipped */
	const pg_metric_result *t = th_metric(run, "gb/BM_fnv1a_64", "time_per_op");
	assert_int_equal(t->samples.n, 3);
	assert_string_equal(t->unit, "ns");
	assert_false(t->higher_is_better);
	assert_true(t->samples.v[0] > 1 && t->samples.v[0] < 10000);
	const pg_metric_result *bps = th_metric(run, "gb/BM_fnv1a_64", "bytes_per_second");
	assert_true(bps->higher_is_better);
	assert_int_equal(th_metric(run, "gb/BM_collatz_27", "cpu_time_per_op")->samples.n, 3);
	pg_run_free(run);
}

static void test_import__hyperfine(void **state)
{
	(void)state;
	pg_run *run = import_ok(PG_IMPORT_HYPERFINE, "hyperfine.json", NULL);
	const pg_metric_result *w = th_metric(run, "sleepy", "wall_time");
	assert_int_equal(w->samples.n, 5);
	/* seconds -> ns: sleep 0.01 takes at least 10 ms */
	assert_true(w->samples.v[0] >= 1e7 && w->samples.v[0] < 1e9);
	assert_int_equal(th_metric(run, "true", "wall_time")->samples.n, 5);
	pg_run_free(run);
}

static void test_import__catch2(void **state)
{
	(void)state;
	pg_run *run = import_ok(PG_IMPORT_CATCH2, "catch2.xml", "c2");
	/* XML entities decoded, and a raw '>' inside the attribute handled */
	const pg_metric_result *m = th_metric(run, "c2/fnv1a <64 bytes>", "time_per_op");
	assert_int_equal(m->samples.n, 1); /* Catch2 XML carries the mean only */
	assert_true(m->samples.v[0] > 1);
	assert_int_equal(run->nbenches, 3);
	pg_run_free(run);
}

static void test_import__perfgate_harness(void **state)
{
	(void)state;
	pg_run *run = import_ok(PG_IMPORT_PERFGATE, "perfgate-bench.json", "micro");
	assert_int_equal(th_metric(run, "micro/sum_1k", "time_per_op")->samples.n, 3);
	const pg_metric_result *r = th_metric(run, "micro/fnv1a_64", "bytes_per_second");
	assert_true(r->higher_is_better);
	pg_run_free(run);
}

static void test_import__criterion(void **state)
{
	(void)state;
	pg_run *run = import_ok(PG_IMPORT_CRITERION, "criterion.jsonl", NULL);
	const pg_metric_result *t = th_metric(run, "parse/small", "time_per_op");
	assert_int_equal(t->samples.n, 5);
	assert_float_equal(t->samples.v[0], 512.0, 1e-9); /* 512000 ns / 1000 iterations */
	assert_float_equal(th_metric(run, "parse/small", "bytes_per_second")->samples.v[0],
			   1024 * 1e9 / 512.0, 1e-3);
	/* microseconds are converted: 254 us / 10 = 25.4 us = 25400 ns */
	assert_float_equal(th_metric(run, "fib 20", "time_per_op")->samples.v[0], 25400, 1e-6);
	pg_run_free(run);
}

/* target/criterion as `cargo bench` leaves it: new/ is this run, base/ the
 * previous one (not imported), report/ and change/ are not samples. */
static void test_import__criterion_directory(void **state)
{
	(void)state;
	pg_run *run = pg_run_new();
	if (pg_import_path(run, PG_IMPORT_CRITERION, FIXTURES "/criterion-dir", "rs", NULL) != 0)
		fail_msg("%s", pg_error_last());
	assert_int_equal(run->nbenches, 2);
	const pg_metric_result *t = th_metric(run, "rs/fib/20", "time_per_op");
	assert_int_equal(t->samples.n, 4);
	assert_float_equal(t->samples.v[0], 25200, 1e-9);   /* 75600 ns / 3 iterations */
	assert_float_equal(t->samples.v[3], 25200, 1e-9);   /* not base/'s 33000 */
	t = th_metric(run, "rs/parse/small", "time_per_op");
	assert_int_equal(t->samples.n, 3);
	assert_float_equal(t->samples.v[1], 520, 1e-9);
	assert_float_equal(th_metric(run, "rs/parse/small", "bytes_per_second")->samples.v[1],
			   1024 * 1e9 / 520, 1e-3);
	assert_null(pg_bench_find_metric(pg_run_find_bench(run, "rs/fib/20"), "bytes_per_second"));
	pg_run_free(run);
}

/* Only samples written since the command started count; a result without
 * benchmark.json is named by its directory; a broken one imports nothing. */
static void test_import__criterion_directory_stale_and_broken(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	const char *sample = "{\"sampling_mode\":\"Linear\",\"iters\":[1,2],\"times\":[10,20]}";
	th_sh(dir, "mkdir -p old/new fresh/one/new");
	th_write(dir, "old/new/sample.json", sample);
	th_sh(dir, "touch -d '2020-01-01' old/new/sample.json");
	struct timespec since;
	clock_gettime(CLOCK_REALTIME_COARSE, &since);
	pg_run *run = pg_run_new();
	assert_int_equal(pg_import_path(run, PG_IMPORT_CRITERION, dir, NULL, &since), PG_ECORRUPT);
	assert_non_null(strstr(pg_error_last(), "no criterion results written by this run (1 older"));

	th_write(dir, "fresh/one/new/sample.json", sample);
	th_sh(dir, "mkdir -p .git/objects/new");             /* never entered */
	th_write(dir, ".git/objects/new/sample.json", "not JSON");
	if (pg_import_path(run, PG_IMPORT_CRITERION, dir, NULL, &since) != 0)
		fail_msg("%s", pg_error_last());
	assert_int_equal(run->nbenches, 1);
	assert_float_equal(th_metric(run, "fresh/one", "time_per_op")->samples.v[1], 10, 1e-9);

	th_sh(dir, "mkdir -p fresh/two/new");
	th_write(dir, "fresh/two/new/sample.json", "{\"iters\":[1,2],\"times\":[10]}");
	assert_int_equal(pg_import_path(run, PG_IMPORT_CRITERION, dir, NULL, NULL), PG_ECORRUPT);
	assert_non_null(strstr(pg_error_last(), "fresh/two/new/sample.json: not criterion sample.json"));
	assert_int_equal(run->nbenches, 1);                 /* nothing more imported */

	assert_int_equal(pg_import_path(run, PG_IMPORT_GBENCH, dir, NULL, NULL), PG_ECORRUPT);
	assert_non_null(strstr(pg_error_last(), "is a directory; only criterion"));
	th_sh(dir, "rm -rf old fresh .git");
	assert_int_equal(pg_import_path(run, PG_IMPORT_CRITERION, dir, NULL, NULL), PG_ECORRUPT);
	assert_non_null(strstr(pg_error_last(), "no criterion results found in it"));
	pg_run_free(run);
	th_rmrf(dir);
	free(dir);
}

static void test_import__pytest(void **state)
{
	(void)state;
	pg_run *run = import_ok(PG_IMPORT_PYTEST, "pytest-benchmark.json", NULL);
	const pg_metric_result *t = th_metric(run, "tests/test_perf.py::test_sort[1000]", "time_per_op");
	assert_int_equal(t->samples.n, 5); /* every round's time */
	assert_float_equal(t->samples.v[0], 101000, 1e-6);
	/* without stored data, the median stands in */
	assert_int_equal(th_metric(run, "tests/test_perf.py::test_parse", "time_per_op")->samples.n, 1);
	pg_run_free(run);
	/* real output of pytest-benchmark 3.2.2 (Debian; fixtures/pytest-benchmark/regen.sh):
	 * every round, in ns; the tool's own "stats": "data" and "median" */
	run = th_import_ok(PG_IMPORT_PYTEST, "pytest-benchmark/pytest-benchmark-3.2.2.json");
	t = th_metric(run, "test_bench.py::test_fib_10", "time_per_op");
	assert_int_equal(t->samples.n, 5);
	assert_float_equal(t->samples.v[0], 1.2683998647844419e-05 * 1e9, 1e-3);
	assert_float_equal(pg_stats_median(t->samples.v, t->samples.n), 12643.999070860445, 1e-3);
	t = th_metric(run, "test_bench.py::test_sha256_4k", "time_per_op");
	assert_float_equal(pg_stats_median(t->samples.v, t->samples.n), 3998.000465799123, 1e-3);
	pg_run_free(run);
}

#define GO_MSG "go/example.com/pgdemo/msg.BenchmarkAppendMsgitem"
#define GO_SORTING "go/example.com/pgdemo/sorting.BenchmarkAppendMsgitem"

/* Real `go test -bench ./...` output over two packages (see
 * fixtures/tools/regen-gotest.sh); the same again as copied from a
 * terminal, with spaces for tabs. */
static void test_import__gotest(void **state)
{
	(void)state;
	char *text = th_fixture("gotest.txt");
	for (int spaces = 0; spaces < 2; spaces++) {
		for (char *p = text; spaces && *p; p++)
			*p = *p == '\t' ? ' ' : *p;
		pg_run *run = pg_run_new();
		if (pg_import_parse(run, PG_IMPORT_GOTEST, text, strlen(text), "go", "gotest.txt"))
			fail_msg("%s", pg_error_last());
		assert_int_equal(run->nbenches, 4);
		/* one name in two packages: two benchmarks, never one series */
		const pg_metric_result *t = th_metric(run, GO_MSG, "time_per_op");
		assert_int_equal(t->samples.n, 3); /* -count 3 */
		assert_float_equal(t->samples.v[1], 4.628, 1e-9);
		assert_true(th_metric(run, GO_MSG, "mb_per_second")->higher_is_better);
		t = th_metric(run, GO_SORTING, "time_per_op");
		assert_int_equal(t->samples.n, 3);
		assert_float_equal(t->samples.v[0], 174.0, 1e-9);
		assert_null(pg_bench_find_metric(pg_run_find_bench(run, GO_SORTING), "mb_per_second"));
		t = th_metric(run, "go/example.com/pgdemo/sorting.BenchmarkSort/n=100", "time_per_op");
		assert_int_equal(t->samples.n, 3);
		assert_float_equal(t->samples.v[1], 5460, 0);
		assert_int_equal(th_metric(run, "go/example.com/pgdemo/sorting.BenchmarkSort/n=100",
					"bytes_per_op")->samples.n, 3);
		/* it printed: each result came on the line after its output */
		t = th_metric(run, "go/example.com/pgdemo/sorting.BenchmarkChatty", "time_per_op");
		assert_int_equal(t->samples.n, 3);
		assert_float_equal(t->samples.v[2], 33.69, 1e-9);
		assert_float_equal(th_metric(run, "go/example.com/pgdemo/sorting.BenchmarkChatty",
					  "hits/op")->samples.v[0], 0.5, 0);
		pg_run_free(run);
	}
	free(text);
	/* without a "pkg:" line, the benchmark's own name */
	const char *bare = "BenchmarkHash-8   \t 100\t  143.2 ns/op\n";
	pg_run *run = pg_run_new();
	assert_int_equal(pg_import_parse(run, PG_IMPORT_GOTEST, bare, strlen(bare), NULL, "in"), 0);
	assert_float_equal(th_metric(run, "BenchmarkHash", "time_per_op")->samples.v[0], 143.2, 1e-9);
	pg_run_free(run);
}

typedef struct text_case {
	pg_import_format format;
	const char *text;
	const char *expect;
} text_case;

#define C2_MEAN(v) "<Catch2TestRun name=\"t\">\n<BenchmarkResults name=\"b\" samples=\"5\">\n" \
	"<mean value=\"" v "\" lowerBound=\"1\" upperBound=\"2\" ci=\"0.95\"/>\n"           \
	"</BenchmarkResults>\n</Catch2TestRun>\n"

/* Numbers are decimal, as the tools print them: strtod's hex floats,
 * nan/inf spellings and overflow to inf are refused with the file, the
 * line and the token; no result is dropped without an error. */
static void test_import__text_formats_parse_strictly(void **state)
{
	(void)state;
	static const text_case cases[] = {
		{ PG_IMPORT_GOTEST, "pkg: x\nBenchmarkA-8  \t 10\t NaN ns/op\n", "line 2: BenchmarkA: 'NaN' is not a decimal number" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8 10 inf ns/op\n", "line 1: BenchmarkA: 'inf' is not a decimal number" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8\t10\t1e999 ns/op\n", "line 1: BenchmarkA: '1e999' is not a decimal number" },
		{ PG_IMPORT_GOTEST, "\nBenchmarkA-8\t10\t0x1p3 ns/op\n", "line 2: BenchmarkA: '0x1p3' is not a decimal number" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8\t10\t5 ns/op\t-nan hits/op\n", "'-nan' is not a decimal" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8\t10\t5 ns/op\t1e hits/op\n", "'1e' is not a decimal" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8   10   12.5\n", "line 1: BenchmarkA: expected value-unit pairs" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8   10   12.5 B/op\n", "line 1: BenchmarkA: no ns/op" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8   1x0   12.5 ns/op\n", "line 1: expected an iteration count after BenchmarkA" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8   0   12.5 ns/op\n", "line 1: expected an iteration count" },
		{ PG_IMPORT_GOTEST, "goos: linux\nBenchmarkA-8 \tprinted\nPASS\n", "line 2: BenchmarkA printed no result" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8 \tprinted\nBenchmarkB-8 \t1\t2 ns/op\n", "line 1: BenchmarkA printed no result" },
		{ PG_IMPORT_GOTEST, "BenchmarkA-8 \tout\n   10\tNaN ns/op\n", "line 2: BenchmarkA: 'NaN' is not" },
		{ PG_IMPORT_GOTEST, "BenchmarkA\x1b[2J\xff-8\t10\t1 s/op\n", "line 1: BenchmarkA?[2J\xef\xbf\xbd: no ns/op" },
		{ PG_IMPORT_CATCH2, C2_MEAN("NaN"), "line 3: BenchmarkResults #1: <mean value=...>: 'NaN' is not a decimal number" },
		{ PG_IMPORT_CATCH2, C2_MEAN("inf"), "line 3: BenchmarkResults #1: <mean value=...>: 'inf' is not" },
		{ PG_IMPORT_CATCH2, C2_MEAN("1e999"), "line 3: BenchmarkResults #1: <mean value=...>: '1e999' is not" },
		{ PG_IMPORT_CATCH2, C2_MEAN("0x1p3"), "line 3: BenchmarkResults #1: <mean value=...>: '0x1p3' is not" },
		{ PG_IMPORT_CATCH2, C2_MEAN(" 12"), "' 12' is not a decimal number" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		pg_run *run = pg_run_new();
		int err = pg_import_parse(run, cases[i].format, cases[i].text, strlen(cases[i].text),
					  "p", "in.txt");
		if (err != PG_ECORRUPT || !strstr(pg_error_last(), cases[i].expect) ||
		    strncmp(pg_error_last(), "in.txt: ", 8))
			fail_msg("case %zu: err %d, message '%s' lacks '%s'", i, err, pg_error_last(),
				 cases[i].expect);
		assert_int_equal(run->nbenches, 0);
		pg_run_free(run);
	}
	/* what is not a result stays quiet; decimal forms the tools print pass */
	const char *go = "BenchmarkA-8 \thi\n--- FAIL: BenchmarkA-8\n    a_test.go:3: boom\n"
			 "Benchmarking is not a result\n=== RUN   BenchmarkB\n--- BENCH: BenchmarkB-8\n"
			 "BenchmarkB-8   \t  10\t  1.5e+03 ns/op\t -2 delta/op\nPASS\nok  \tx\t0.1s\n";
	pg_run *run = pg_run_new();
	if (pg_import_parse(run, PG_IMPORT_GOTEST, go, strlen(go), NULL, "in.txt"))
		fail_msg("%s", pg_error_last());
	assert_int_equal(run->nbenches, 1);
	assert_float_equal(th_metric(run, "BenchmarkB", "time_per_op")->samples.v[0], 1500, 0);
	assert_float_equal(th_metric(run, "BenchmarkB", "delta/op")->samples.v[0], -2, 0);
	const char *c2 = C2_MEAN("1.2345e+06");
	assert_int_equal(pg_import_parse(run, PG_IMPORT_CATCH2, c2, strlen(c2), NULL, "in.xml"), 0);
	assert_float_equal(th_metric(run, "b", "time_per_op")->samples.v[0], 1234500, 0);
	pg_run_free(run);
}

/* A name that is not valid UTF-8 (here a UTF-16 surrogate, which a loose
 * check let through and jansson then refused to store) is refused with a
 * message that is itself valid UTF-8; nothing is imported. */
static void test_import__invalid_utf8_name_is_refused(void **state)
{
	(void)state;
	const char *doc = "<Catch2TestRun name=\"t\">\n<BenchmarkResults name=\"box\xed\xa0\x80\">\n"
			  "<mean value=\"12\"/>\n</BenchmarkResults>\n</Catch2TestRun>\n";
	pg_run *run = pg_run_new();
	assert_int_equal(pg_import_parse(run, PG_IMPORT_CATCH2, doc, strlen(doc), "c2", "in.xml"),
			 PG_ECORRUPT);
	if (!strstr(pg_error_last(), "in.xml: catch2 results: benchmark name 'box\xef\xbf\xbd"))
		fail_msg("%s", pg_error_last());
	assert_non_null(strstr(pg_error_last(), "is not valid UTF-8"));
	assert_true(pg_utf8_valid(pg_error_last()));
	assert_int_equal(run->nbenches, 0);
	pg_run_free(run);
}

static void test_import__bmf(void **state)
{
	(void)state;
	pg_run *run = import_ok(PG_IMPORT_BMF, "bmf.json", NULL);
	assert_float_equal(th_metric(run, "sort/1000", "latency")->samples.v[0], 6021.5, 0);
	assert_true(th_metric(run, "hash", "throughput")->higher_is_better);
	assert_false(th_metric(run, "binary", "file-size")->higher_is_better);
	pg_run_free(run);
}

typedef struct bad_case {
	pg_import_format format;
	const char *file;
	long cut;          /* keep only the first `cut` bytes; 0: the whole file */
	const char *expect;
} bad_case;

static void test_import__refuses_bad_input(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{ PG_IMPORT_GBENCH, "gbench.json", 700, "not Google Benchmark JSON output: line" },
		{ PG_IMPORT_GBENCH, "hyperfine.json", 0, "not Google Benchmark JSON output: no \"context\"" },
		{ PG_IMPORT_HYPERFINE, "gbench.json", 0, "not hyperfine JSON output: no \"results\"" },
		{ PG_IMPORT_HYPERFINE, "hyperfine.json", 300, "not hyperfine JSON" },
		{ PG_IMPORT_CATCH2, "gbench.json", 0, "not Catch2 output: no benchmark table" },
		{ PG_IMPORT_CATCH2, "catch2.xml", 600, "lacks a name or a <mean value=...>" },
		{ PG_IMPORT_PERFGATE, "bmf.json", 0, "not perfgate harness output" },
		{ PG_IMPORT_CRITERION, "criterion.jsonl", 400, "not criterion JSON lines output: line 2" },
		{ PG_IMPORT_PYTEST, "gbench.json", 0, "not pytest-benchmark JSON" },
		{ PG_IMPORT_GOTEST, "bmf.json", 0, "no gotest results found" },
		{ PG_IMPORT_BMF, "gotest.txt", 0, "not Bencher Metric Format output: line 1" },
		{ PG_IMPORT_BMF, "hyperfine.json", 0, "results: expected an object of measures" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = th_fixture(cases[i].file);
		if (cases[i].cut)
			text[cases[i].cut] = '\0';
		pg_run *run = pg_run_new();
		pg_import_sample(run, "existing", "m", "ns", 0, 1); /* must stay alone */
		int err = pg_import_parse(run, cases[i].format, text, strlen(text), "p", cases[i].file);
		if (err != PG_ECORRUPT || !strstr(pg_error_last(), cases[i].expect) ||
		    !strstr(pg_error_last(), cases[i].file))
			fail_msg("case %zu: err %d, message '%s' lacks '%s'", i, err, pg_error_last(),
				 cases[i].expect);
		assert_int_equal(run->nbenches, 1); /* nothing half-imported */
		pg_run_free(run);
		free(text);
	}
}

static void test_import__non_numbers_are_named(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"{\"format\": \"perfgate-bench\", \"version\": 1, \"benchmarks\": "
		"[{\"name\": \"a\", \"samples\": [1, \"x\"]}]}",
		"{\"results\": [{\"command\": \"c\", \"times\": [0.1, null]}]}",
	};
	static const pg_import_format formats[] = { PG_IMPORT_PERFGATE, PG_IMPORT_HYPERFINE };
	static const char *const expect[] = { "benchmarks[0].samples[1]: not a number",
					      "results[0].times[1]: not a number" };
	for (size_t i = 0; i < 2; i++) {
		pg_run *run = pg_run_new();
		assert_int_equal(pg_import_parse(run, formats[i], docs[i], strlen(docs[i]), NULL, "in"),
				 PG_ECORRUPT);
		if (!strstr(pg_error_last(), expect[i]))
			fail_msg("'%s' lacks '%s'", pg_error_last(), expect[i]);
		assert_int_equal(run->nbenches, 0);
		pg_run_free(run);
	}
}

/* Metric names come from the tool (counters, measures): a control
 * character in one is refused like one in a benchmark name. */
static void test_import__hostile_metric_name_is_refused(void **state)
{
	(void)state;
	const char *doc = "{\"hash\": {\"lat\\u001b[2Jency\": {\"value\": 1}}}";
	pg_run *run = pg_run_new();
	assert_int_equal(pg_import_parse(run, PG_IMPORT_BMF, doc, strlen(doc), NULL, "in.json"),
			 PG_ECORRUPT);
	if (!strstr(pg_error_last(), "in.json: bmf results: 'hash' has a metric name that contains "
				     "a control character"))
		fail_msg("%s", pg_error_last());
	assert_int_equal(run->nbenches, 0);
	pg_run_free(run);
}

static void test_import__format_names(void **state)
{
	(void)state;
	assert_int_equal(pg_import_format_parse("gbench"), PG_IMPORT_GBENCH);
	assert_int_equal(pg_import_format_parse("pytest-benchmark"), PG_IMPORT_PYTEST);
	assert_int_equal(pg_import_format_parse("junit"), -1);
	assert_string_equal(pg_import_format_name(PG_IMPORT_BMF), "bmf");
}

/* Found by tests/fuzz: messages quote the tool's output (gbench's
 * error_message, a name that is not UTF-8); each is still one line of
 * valid UTF-8 (the CLI prints it, a failed benchmark stores it). */
static void test_import__errors_are_one_line(void **state)
{
	(void)state;
	const char *gbench = "{\"context\": {}, \"benchmarks\": [{\"name\": \"BM\", \"error_occurred\""
			     ": true, \"error_message\": \"x\\n::error::injected\\u001b[2J\"}]}";
	const char *gotest = "BenchmarkA\xff-8\t1\t5 ns/op\n";
	pg_run *run = pg_run_new();
	assert_int_equal(pg_import_parse(run, PG_IMPORT_GBENCH, gbench, strlen(gbench), NULL, "g.json"),
			 PG_ECORRUPT);
	if (!strstr(pg_error_last(), "reports an error: x?::error::injected?[2J") ||
	    strpbrk(pg_error_last(), "\n\x1b"))
		fail_msg("not one line: '%s'", pg_error_last());
	assert_int_equal(pg_import_parse(run, PG_IMPORT_GOTEST, gotest, strlen(gotest), NULL, "go.txt"),
			 PG_ECORRUPT);
	if (!strstr(pg_error_last(), "benchmark name 'BenchmarkA\xef\xbf\xbd' is not valid UTF-8"))
		fail_msg("not repaired: '%s'", pg_error_last());
	assert_int_equal(run->nbenches, 0);
	pg_run_free(run);
}

/* Found by tests/fuzz: a benchmark's metrics were looked up one by one;
 * a tool's 200,000 metrics of one benchmark (b.ReportMetric) took minutes
 * to import.  The bound is CPU time, far above what the index takes under
 * ASan. */
static void test_import__many_metrics_import_in_linear_time(void **state)
{
	(void)state;
	pg_buf text = PG_BUF_INIT;
	pg_run *run = pg_run_new();
	pg_buf_puts(&text, "BenchmarkA-8\t1\t5 ns/op");
	for (int i = 0; i < 200000; i++)
		pg_buf_printf(&text, "\t%d u%d/op", i, i);
	pg_buf_puts(&text, "\n");
	clock_t start = clock();
	assert_int_equal(pg_import_parse(run, PG_IMPORT_GOTEST, text.ptr, text.len, NULL, "go.txt"), 0);
	double cpu = (double)(clock() - start) / CLOCKS_PER_SEC;
	const pg_bench_result *b = pg_run_find_bench(run, "BenchmarkA");
	assert_non_null(b);
	assert_int_equal(b->nmetrics, 200001);
	assert_float_equal(pg_bench_find_metric(b, "u199999/op")->samples.v[0], 199999, 0);
	assert_null(pg_bench_find_metric(b, "u200000/op"));
	if (cpu > 30)
		fail_msg("200,000 metrics took %.1f s of CPU time to import", cpu);
	pg_run_free(run);
	pg_buf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import__gbench),
		cmocka_unit_test(test_import__hyperfine),
		cmocka_unit_test(test_import__catch2),
		cmocka_unit_test(test_import__perfgate_harness),
		cmocka_unit_test(test_import__criterion),
		cmocka_unit_test(test_import__criterion_directory),
		cmocka_unit_test(test_import__criterion_directory_stale_and_broken),
		cmocka_unit_test(test_import__pytest),
		cmocka_unit_test(test_import__gotest),
		cmocka_unit_test(test_import__text_formats_parse_strictly),
		cmocka_unit_test(test_import__invalid_utf8_name_is_refused),
		cmocka_unit_test(test_import__bmf),
		cmocka_unit_test(test_import__refuses_bad_input),
		cmocka_unit_test(test_import__non_numbers_are_named),
		cmocka_unit_test(test_import__hostile_metric_name_is_refused),
		cmocka_unit_test(test_import__format_names),
		cmocka_unit_test(test_import__errors_are_one_line),
		cmocka_unit_test(test_import__many_metrics_import_in_linear_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
