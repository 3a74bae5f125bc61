/*
 * test_import_console.c - the console-log importers (libtest, criterion's
 * console report, Catch2's console reporter, benchmark.js, iai-callgrind,
 * wrk, hey, ab) on the real tools' output (fixtures/tools/regen-console.sh),
 * the values checked against what the tools printed; and hostile input:
 * names with odd characters, truncated logs, another format's file,
 * non-finite numbers, CRLF.
 */
#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "helpers.h"
#include "import.h"
#include "loadtest.h"

#include <stdlib.h>
#include <string.h>

/* The error of importing `text` as `f`: nothing is imported and the
 * message holds `expect`. */
static void parse_fails(pg_import_format f, const char *text, const char *expect)
{
	pg_run *run = pg_run_new();
	int err = pg_import_parse(run, f, text, strlen(text), "x", "in.txt");
	if (err == 0)
		fail_msg("imported as %s: %.60s", pg_import_format_name(f), text);
	assert_int_equal(err, PG_ECORRUPT);
	assert_int_equal(run->nbenches, 0);
	if (!strstr(pg_error_last(), expect))
		fail_msg("expected '%s' in: %s", expect, pg_error_last());
	assert_null(strchr(pg_error_last(), '\n'));
	pg_run_free(run);
}

static void file_fails(pg_import_format f, const char *file, const char *expect)
{
	char *text = th_fixture(file);
	parse_fails(f, text, expect);
	free(text);
}

static double value(const pg_run *run, const char *bench, const char *m, size_t i)
{
	pg_bench_result *b = pg_run_find_bench(run, bench);
	if (!b)
		fail_msg("no benchmark '%s'", bench);
	const pg_metric_result *r = pg_bench_find_metric(b, m);
	if (!r)
		fail_msg("no metric '%s' in '%s'", m, bench);
	if (i >= r->samples.n)
		fail_msg("'%s' %s has %zu samples", bench, m, r->samples.n);
	return r->samples.v[i];
}

static int has_metric(const pg_run *run, const char *bench, const char *m)
{
	pg_bench_result *b = pg_run_find_bench(run, bench);
	return b && pg_bench_find_metric(b, m);
}


/* ---- libtest ---------------------------------------------------------- */

/* As libtest and cargo print them: two bench targets, thousands
 * separators, decimals (newer libtest), MB/s, an ignored benchmark, CRLF. */
static const char libtest_doc[] =
	"   Compiling pgfix v0.1.0\n"
	"     Running benches/a.rs (target/release/deps/a-0123456789abcdef)\n"
	"\n"
	"running 3 tests\n"
	"test parse::small  ... bench:       1,234 ns/iter (+/- 56)\n"
	"test parse::large  ... bench:   1,234,567.50 ns/iter (+/- 8,901.25) = 830 MB/s\r\n"
	"test slow ... ignored\n"
	"test result: ok. 0 passed; 0 failed; 1 ignored; 2 measured; 0 filtered out\n"
	"     Running benches/b.rs (target/release/deps/b-fedcba9876543210)\n"
	"test fib 20/[n=3] <\"x\"> ... bench:           5 ns/iter (+/- 1)\n";

static void test_libtest_doc(void **state)
{
	(void)state;
	pg_run *run = th_parse_ok(PG_IMPORT_LIBTEST, libtest_doc, "doc");
	assert_int_equal(run->nbenches, 3);
	assert_float_equal(value(run, "parse::small", "time_per_op", 0), 1234, 0);
	assert_float_equal(value(run, "parse::large", "time_per_op", 0), 1234567.5, 0);
	assert_float_equal(value(run, "parse::large", "mb_per_second", 0), 830, 0);
	assert_float_equal(value(run, "fib 20/[n=3] <\"x\">", "time_per_op", 0), 5, 0);
	assert_null(pg_run_find_bench(run, "slow"));
	pg_run_free(run);
	/* the same target run twice: two samples */
	pg_buf twice = PG_BUF_INIT;
	pg_buf_printf(&twice, "%s%s", libtest_doc, libtest_doc);
	run = th_parse_ok(PG_IMPORT_LIBTEST, twice.ptr, "twice");
	assert_float_equal(value(run, "parse::small", "time_per_op", 1), 1234, 0);
	pg_run_free(run);
	pg_buf_free(&twice);
	/* one name in two targets: refused, not pooled */
	parse_fails(PG_IMPORT_LIBTEST, "     Running x (target/release/deps/a-0123)\n"
		    "test t ... bench: 1 ns/iter (+/- 1)\n"
		    "     Running y (target/release/deps/b-4567)\n"
		    "test t ... bench: 2 ns/iter (+/- 1)\n",
		    "line 4: 't' is reported by two bench targets, a and b");
}

/* cargo bench over two bench targets, compiler lines and all */
static void test_libtest_cargo_bench(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_LIBTEST, "libtest/cargo-bench.txt");
	assert_int_equal(run->nbenches, 5);
	assert_float_equal(value(run, "fnv1a_4k", "time_per_op", 0), 23670, 0);
	assert_float_equal(value(run, "fnv1a_4k", "mb_per_second", 0), 173, 0);
	assert_float_equal(value(run, "fnv1a_64", "time_per_op", 0), 249, 0);
	assert_float_equal(value(run, "nested::fib_20", "time_per_op", 0), 92780, 0);
	assert_false(has_metric(run, "nested::fib_20", "mb_per_second"));
	assert_float_equal(value(run, "parse_large", "time_per_op", 0), 217233, 0);
	assert_float_equal(value(run, "parse_large", "mb_per_second", 0), 40, 0);
	assert_float_equal(value(run, "parse_small", "time_per_op", 0), 133, 0);
	assert_null(pg_run_find_bench(run, "parse_ignored"));
	pg_run_free(run);
}

/* criterion 0.3.6 --output-format bencher: no thousands separators, names
 * with blanks, slashes and quotes, criterion's warnings around */
static void test_libtest_criterion_bencher(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_LIBTEST, "libtest/criterion-bencher.txt");
	assert_int_equal(run->nbenches, 5);
	assert_float_equal(value(run, "fib 15", "time_per_op", 0), 9913, 0);
	assert_float_equal(value(run, "a benchmark name longer than the column", "time_per_op", 0),
			   233, 0);
	assert_float_equal(value(run, "fnv1a/4096", "time_per_op", 0), 28403, 0);
	assert_float_equal(value(run, "parse/csv: 5 fields, \"quoted\"", "time_per_op", 0), 942, 0);
	pg_run_free(run);
}

static void test_libtest_hostile(void **state)
{
	(void)state;
	parse_fails(PG_IMPORT_LIBTEST, "test a ... bench: NaN ns/iter (+/- 1)\n", "line 1: 'NaN' is not a number");
	parse_fails(PG_IMPORT_LIBTEST, "test a ... bench: 1e999 ns/iter (+/- 1)\n", "'1e999' is not");
	parse_fails(PG_IMPORT_LIBTEST, "test a ... bench: 1,23 ns/iter (+/- 1)\n", "'1,23' is not");
	parse_fails(PG_IMPORT_LIBTEST, "test a ... bench: 0x10 ns/iter (+/- 1)\n", "'0x10' is not");
	parse_fails(PG_IMPORT_LIBTEST, "test a ... bench:       1,2", "line 1: 'a': expected");
	parse_fails(PG_IMPORT_LIBTEST, "test a ... bench: 5 ms/iter (+/- 1)\n", "expected");
	parse_fails(PG_IMPORT_LIBTEST, "test a ... bench: 5 ns/iter (+/- 1) = x MB/s\n", "= N MB/s");
	parse_fails(PG_IMPORT_LIBTEST, "test \x01\xff ... bench: 5 ns/iter (+/- 1)\n", "benchmark name");
	parse_fails(PG_IMPORT_LIBTEST, "", "no \"test NAME ... bench:");
	file_fails(PG_IMPORT_LIBTEST, "catch2/console-v2.txt", "(use --format catch2)");
	file_fails(PG_IMPORT_LIBTEST, "gotest.txt", "(use --format gotest)");
	file_fails(PG_IMPORT_LIBTEST, "bmf.json", "it is JSON");
}

/* ---- criterion's console --------------------------------------------- */

static const char criterion_doc[] =
	"Benchmarking fib 20\r\n"
	"Benchmarking fib 20: Warming up for 3.0000 s\r\n"
	"fib 20                  time:   [23.871 \xc2\xb5s 23.912 \xc2\xb5s 23.958 \xc2\xb5s]\r\n"
	"                        change: [-1.2010% -0.6545% -0.1092%] (p = 0.02 < 0.05)\r\n"
	"                        Performance has regressed.\r\n"
	"Found 11 outliers among 100 measurements (11.00%)\r\n"
	"  7 (7.00%) high mild\r\n"
	"a_benchmark_name_longer_than_the_column/x=1\r\n"
	"                        time:   [999.10 ns 1.0001 \xc2\xb5s 1.0012 \xc2\xb5s]\r\n"
	"                        thrpt:  [40.834 MiB/s 40.900 MiB/s 40.956 MiB/s]\r\n"
	"                 change:\r\n"
	"                        time:   [-2.0% +0.5000% +2.0%] (p = 0.50 > 0.05)\r\n"
	"                        thrpt:  [-1.9608% -0.4975% +2.0408%]\r\n"
	"                        No change in performance detected.\r\n"
	"parse/5                 time:   [1.5 ms 2.5 ms 3.5 ms]\r\n"
	"                        thrpt:  [1.4286 Kelem/s 2.0000 Kelem/s 3.3333 Kelem/s]\r\n";

static void test_criterion_console_doc(void **state)
{
	(void)state;
	pg_run *run = th_parse_ok(PG_IMPORT_CRITERION, criterion_doc, "doc");
	assert_int_equal(run->nbenches, 3);
	assert_float_equal(value(run, "fib 20", "time_per_op", 0), 23912, 1e-6);
	const char *lng = "a_benchmark_name_longer_than_the_column/x=1";
	assert_float_equal(value(run, lng, "time_per_op", 0), 1000.1, 1e-9);
	assert_float_equal(value(run, lng, "bytes_per_second", 0), 40.9 * 1048576, 1e-3);
	assert_int_equal(pg_bench_find_metric(pg_run_find_bench(run, lng), "time_per_op")->samples.n, 1);
	assert_float_equal(value(run, "parse/5", "elements_per_second", 0), 2000, 1e-9);
	assert_float_equal(value(run, "parse/5", "time_per_op", 0), 2.5e6, 1e-6);
	pg_run_free(run);
}

/* criterion 0.3.6's report of tests/fixtures/tools/rust/benches/crit.rs,
 * with its change lines (a previous run existed) and warnings */
static void test_criterion_console_real(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_CRITERION, "criterion/console.txt");
	assert_int_equal(run->nbenches, 5);
	assert_float_equal(value(run, "fib 15", "time_per_op", 0), 9023.3, 1e-9);
	assert_float_equal(value(run, "a benchmark name longer than the column", "time_per_op", 0),
			   1116.5, 1e-9);
	assert_float_equal(value(run, "fnv1a/64", "time_per_op", 0), 511.37, 1e-9);
	assert_float_equal(value(run, "fnv1a/64", "bytes_per_second", 0), 119.36 * 1048576, 1e-3);
	assert_float_equal(value(run, "fnv1a/4096", "bytes_per_second", 0), 191.25 * 1048576, 1e-3);
	const char *csv = "parse/csv: 5 fields, \"quoted\"";
	assert_float_equal(value(run, csv, "time_per_op", 0), 396.72, 1e-9);
	assert_float_equal(value(run, csv, "elements_per_second", 0), 12.603e6, 1e-3);
	/* one sample each: the change lines' percentages are not read */
	assert_int_equal(pg_bench_find_metric(pg_run_find_bench(run, "fnv1a/64"),
					      "time_per_op")->samples.n, 1);
	pg_run_free(run);
	run = th_import_ok(PG_IMPORT_CRITERION, "criterion/console-change.txt");
	assert_int_equal(run->nbenches, 5);
	assert_float_equal(value(run, "fib 15", "time_per_op", 0), 32812, 1e-9);
	assert_float_equal(value(run, "fnv1a/64", "time_per_op", 0), 1106.5, 1e-9);
	pg_run_free(run);
}

static void test_criterion_console_hostile(void **state)
{
	(void)state;
	parse_fails(PG_IMPORT_CRITERION, "x  time:   [1 ns nan ns 3 ns]\n", "line 1: expected \"time: [LOW");
	parse_fails(PG_IMPORT_CRITERION, "x  time:   [1 ns 2 ns 3 ns\n", "line 1: expected");
	parse_fails(PG_IMPORT_CRITERION, "x  time:   [1 ns 2 fortnights 3 ns]\n", "'fortnights' is not a unit of time");
	parse_fails(PG_IMPORT_CRITERION, "        time:   [1 ns 2 ns 3 ns]\n", "without a benchmark name");
	parse_fails(PG_IMPORT_CRITERION, "  thrpt:  [1 B/s 2 B/s 3 B/s]\n", "\"thrpt:\" before any");
	parse_fails(PG_IMPORT_CRITERION, "x  time:   [1 ns 2 ns 3 ns]\n  thrpt:  [1 B/h 2 B/h 3 B/h]\n",
		    "'B/h' is not a criterion throughput unit");
	parse_fails(PG_IMPORT_CRITERION, "Benchmarking fib 20\nBenchmarking fib 20: Analyzing\n",
		    "not criterion output: no results");
	file_fails(PG_IMPORT_CRITERION, "hey/summary.txt", "(use --format hey)");
	file_fails(PG_IMPORT_CRITERION, "benchmarkjs/suite.txt", "(use --format benchmarkjs)");
}

/* ---- Catch2 console -------------------------------------------------- */

static void test_catch2_console_v2(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_CATCH2, "catch2/console-v2.txt");
	assert_int_equal(run->nbenches, 5);
	/* "60.6625 ns", "4.20625 us" as Catch2 printed them */
	assert_float_equal(value(run, "fnv1a <64 bytes>", "time_per_op", 0), 60.6625, 1e-9);
	assert_float_equal(value(run, "sum_1k", "time_per_op", 0), 4206.25, 1e-9);
	assert_float_equal(value(run, "collatz_27", "time_per_op", 0), 54.056, 1e-9);
	/* wrapped at a blank, and a word broken with '-' */
	assert_float_equal(value(run, "sum of one thousand and twenty-four integers, n=1024",
				 "time_per_op", 0), 187.454, 1e-9);
	assert_float_equal(value(run, "collatz_27_with_a_single_word_name_that_is_too_long",
				 "time_per_op", 0), 130.803, 1e-9);
	pg_run_free(run);
}

static void test_catch2_console_layouts(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_CATCH2, "catch2/console-v2-no-analysis.txt");
	assert_int_equal(run->nbenches, 5);
	assert_float_equal(value(run, "fnv1a <64 bytes>", "time_per_op", 0), 82.0228, 1e-9);
	assert_float_equal(value(run, "sum of one thousand and twenty-four integers, n=1024",
				 "time_per_op", 0), 3531.85, 1e-9);
	pg_run_free(run);
	run = th_import_ok(PG_IMPORT_CATCH2, "catch2/console-v3.txt");
	assert_int_equal(run->nbenches, 2);
	assert_float_equal(value(run, "parse small", "time_per_op", 0), 2413.65, 1e-9);
	assert_float_equal(value(run, "parse <large> & \"quoted\", n=4096", "time_per_op", 0),
			   123456, 1e-6);
	pg_run_free(run);
	/* a Windows log: CRLF line ends give the same results */
	pg_run *crlf = th_import_ok(PG_IMPORT_CATCH2, "catch2/console-v2-crlf.txt");
	assert_int_equal(crlf->nbenches, 5);
	assert_true(value(crlf, "collatz_27_with_a_single_word_name_that_is_too_long",
			  "time_per_op", 0) > 0);
	pg_run_free(crlf);
}

static void test_catch2_console_hostile(void **state)
{
	(void)state;
	char *text = th_fixture("catch2/console-v2.txt");
	/* cut inside the table: after a benchmark's first row */
	char *cut = strstr(text, "collatz_27                  ");
	assert_non_null(cut);
	strchr(cut, '\n')[1] = '\0';
	parse_fails(PG_IMPORT_CATCH2, text, "ends before the result of the last benchmark");
	free(text);
	text = th_fixture("catch2/console-v3.txt");
	char *mean = strstr(text, "2.41365 us");
	memcpy(mean, "   nan   ", 9);
	parse_fails(PG_IMPORT_CATCH2, text, "line 17: expected the mean");
	free(text);
	file_fails(PG_IMPORT_CATCH2, "gbench.json", "not Catch2 output: no benchmark table");
	file_fails(PG_IMPORT_CATCH2, "libtest/cargo-bench.txt", "(use --format libtest)");
	file_fails(PG_IMPORT_CATCH2, "wrk/latency.txt", "it looks like wrk output (use --format wrk)");
}

/* ---- load testers ---------------------------------------------------- */

static void test_wrk(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_WRK, "wrk/latency.txt");
	assert_int_equal(run->nbenches, 1);
	const char *b = PG_LOAD_RESULT;
	assert_float_equal(value(run, b, PG_LOAD_P50, 0), 9.87e6, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_P75, 0), 38.47e6, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_P90, 0), 64.40e6, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_P99, 0), 110.41e6, 1e-3);
	assert_false(has_metric(run, b, PG_LOAD_P95)); /* wrk has none: not invented */
	assert_float_equal(value(run, b, PG_LOAD_MAX, 0), 158.81e6, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_MEAN, 0), 24.04e6, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_RPS, 0), 248.91, 1e-9);
	assert_float_equal(value(run, b, PG_LOAD_BPS, 0), 543.28 * 1024, 1e-6);
	assert_float_equal(value(run, b, PG_LOAD_ERRORS, 0), 0, 0);
	assert_float_equal(value(run, b, PG_LOAD_ERROR_RATE, 0), 0, 0);
	assert_true(pg_run_find_bench(run, b)->metrics[0].samples.n == 1);
	pg_run_free(run);

	run = th_import_ok(PG_IMPORT_WRK, "wrk/non2xx.txt");
	assert_float_equal(value(run, b, PG_LOAD_NON_2XX, 0), 354, 0);
	assert_float_equal(value(run, b, PG_LOAD_ERROR_RATE, 0), 1.0, 1e-12);
	pg_run_free(run);

	run = th_import_ok(PG_IMPORT_WRK, "wrk/no-latency.txt"); /* without --latency */
	assert_false(has_metric(run, b, PG_LOAD_P50));
	assert_true(has_metric(run, b, PG_LOAD_MAX));
	pg_run_free(run);

	/* socket errors count, as errors of the requests */
	char *text = th_fixture("wrk/latency.txt");
	pg_buf edited = PG_BUF_INIT;
	char *at = strstr(text, "Requests/sec:");
	pg_buf_put(&edited, text, (size_t)(at - text));
	pg_buf_puts(&edited, "  Socket errors: connect 1, read 2, write 0, timeout 22\r\n");
	pg_buf_puts(&edited, at);
	run = th_parse_ok(PG_IMPORT_WRK, edited.ptr, "edited");
	assert_float_equal(value(run, b, PG_LOAD_ERRORS, 0), 25, 0);
	assert_float_equal(value(run, b, PG_LOAD_ERROR_RATE, 0), 25.0 / (775 + 25), 1e-12);
	pg_run_free(run);
	pg_buf_free(&edited);
	free(text);
}

static void test_hey(void **state)
{
	(void)state;
	const char *b = PG_LOAD_RESULT;
	pg_run *run = th_import_ok(PG_IMPORT_HEY, "hey/non2xx.txt");
	assert_float_equal(value(run, b, PG_LOAD_P50, 0), 0.0085e9, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_P95, 0), 0.0878e9, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_P99, 0), 0.1122e9, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_MAX, 0), 0.1290e9, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_MEAN, 0), 0.0211e9, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_RPS, 0), 170.1809, 1e-9);
	assert_float_equal(value(run, b, PG_LOAD_BPS, 0), 67000 / 1.1752, 1e-6);
	assert_float_equal(value(run, b, PG_LOAD_NON_2XX, 0), 200, 0);
	assert_float_equal(value(run, b, PG_LOAD_ERROR_RATE, 0), 1.0, 1e-12);
	pg_run_free(run);

	run = th_import_ok(PG_IMPORT_HEY, "hey/summary.txt");
	assert_float_equal(value(run, b, PG_LOAD_NON_2XX, 0), 0, 0);
	assert_float_equal(value(run, b, PG_LOAD_ERRORS, 0), 0, 0);
	pg_run_free(run);

	/* every request refused: hey prints "NaN secs" and zero latencies */
	run = th_import_ok(PG_IMPORT_HEY, "hey/errors.txt");
	assert_float_equal(value(run, b, PG_LOAD_ERRORS, 0), 20, 0);
	assert_float_equal(value(run, b, PG_LOAD_ERROR_RATE, 0), 1.0, 1e-12);
	assert_false(has_metric(run, b, PG_LOAD_MEAN));
	assert_false(has_metric(run, b, PG_LOAD_MAX));
	pg_run_free(run);
}

static void test_ab(void **state)
{
	(void)state;
	const char *b = PG_LOAD_RESULT;
	pg_run *run = th_import_ok(PG_IMPORT_AB, "ab/non2xx.txt");
	assert_float_equal(value(run, b, PG_LOAD_RPS, 0), 156.14, 1e-9);
	assert_float_equal(value(run, b, PG_LOAD_MEAN, 0), 25.618e6, 1e-3);
	assert_float_equal(value(run, b, PG_LOAD_BPS, 0), 79.29 * 1024, 1e-6);
	assert_float_equal(value(run, b, PG_LOAD_P50, 0), 10e6, 0);
	assert_float_equal(value(run, b, PG_LOAD_P95, 0), 79e6, 0);
	assert_float_equal(value(run, b, PG_LOAD_P99, 0), 136e6, 0);
	assert_float_equal(value(run, b, PG_LOAD_MAX, 0), 136e6, 0);
	assert_float_equal(value(run, b, PG_LOAD_NON_2XX, 0), 200, 0);
	assert_float_equal(value(run, b, PG_LOAD_ERRORS, 0), 0, 0);
	assert_float_equal(value(run, b, PG_LOAD_ERROR_RATE, 0), 1.0, 1e-12);
	pg_run_free(run);
	run = th_import_ok(PG_IMPORT_AB, "ab/ok.txt");
	assert_float_equal(value(run, b, PG_LOAD_NON_2XX, 0), 0, 0);
	assert_float_equal(value(run, b, PG_LOAD_ERROR_RATE, 0), 0, 0);
	pg_run_free(run);
}

static void test_load_hostile(void **state)
{
	(void)state;
	/* truncated: the summary's end is missing */
	char *text = th_fixture("wrk/latency.txt");
	*strstr(text, "Requests/sec:") = '\0';
	parse_fails(PG_IMPORT_WRK, text, "cut short (truncated?)");
	free(text);
	text = th_fixture("ab/ok.txt");
	*strstr(text, "Requests per second:") = '\0';
	parse_fails(PG_IMPORT_AB, text, "cut short (truncated?)");
	free(text);
	/* non-finite and hexadecimal numbers */
	parse_fails(PG_IMPORT_WRK, "Requests/sec:  nan\nTransfer/sec: 1.00KB\n", "'nan' is not a rate");
	parse_fails(PG_IMPORT_WRK, "Requests/sec:  1e999\n", "'1e999' is not a rate");
	parse_fails(PG_IMPORT_HEY, "Summary:\n  Requests/sec:\t0x1p4\n", "'0x1p4' is not a rate");
	parse_fails(PG_IMPORT_AB, "Requests per second:    inf [#/sec] (mean)\n", "'inf' is not a rate");
	/* hey's distributions, cut or mangled */
	parse_fails(PG_IMPORT_HEY, "Summary:\n  Requests/sec:\t1.5\nStatus code distribution:\n  [200",
		    "line 4: '[200' is not");
	parse_fails(PG_IMPORT_HEY, "Summary:\n  Requests/sec:\t1.5\nStatus code distribution:\n  [200]",
		    "line 4: '' is not a count of responses");
	parse_fails(PG_IMPORT_HEY, "Summary:\n  Requests/sec:\t1.5\nError distribution:\n  []\tGet",
		    "line 4: '[]");
	pg_buf huge = PG_BUF_INIT; /* a count beyond a double */
	pg_buf_puts(&huge, "Summary:\n  Requests/sec:\t1.5\nError distribution:\n  [");
	for (int i = 0; i < 400; i++)
		pg_buf_putc(&huge, '9');
	pg_buf_puts(&huge, "]\tGet x: refused\n");
	parse_fails(PG_IMPORT_HEY, huge.ptr, "line 4: '9999");
	pg_buf_free(&huge);
	/* two runs in one file */
	text = th_fixture("wrk/latency.txt");
	pg_buf two = PG_BUF_INIT;
	pg_buf_printf(&two, "%s%s", text, text);
	parse_fails(PG_IMPORT_WRK, two.ptr, "line 17: a second value of latency_mean (line 4): give "
		    "perfgate one run of wrk per file");
	pg_buf_free(&two);
	free(text);
	/* another tool's output */
	file_fails(PG_IMPORT_WRK, "hey/summary.txt", "it looks like hey output (use --format hey)");
	file_fails(PG_IMPORT_HEY, "ab/ok.txt", "it looks like ApacheBench output (use --format ab)");
	file_fails(PG_IMPORT_AB, "wrk/latency.txt", "not ApacheBench output: no \"Requests per second:\" "
		   "summary found; it looks like wrk output (use --format wrk)");
	file_fails(PG_IMPORT_AB, "gbench.json", "it is JSON");
}

/* ---- benchmark.js, iai-callgrind ------------------------------------- */

static void test_benchmarkjs(void **state)
{
	(void)state;
	const char *text = "RegExp#test x 4,161,532 ops/sec \xc2\xb1" "0.99% (59 runs sampled)\n"
			   "String#indexOf x 6,139,623 ops/sec \xc2\xb1" "1.00% (131 runs sampled)\r\n"
			   "a x b [n=4096] <\"odd\"> x 12.34 ops/sec \xc2\xb1" "12.00% (1 run sampled)\n"
			   "Fastest is String#indexOf\n";
	pg_run *run = th_parse_ok(PG_IMPORT_BENCHMARKJS, text, "doc");
	assert_int_equal(run->nbenches, 3);
	assert_float_equal(value(run, "RegExp#test", "ops_per_second", 0), 4161532, 0);
	assert_float_equal(value(run, "a x b [n=4096] <\"odd\">", "ops_per_second", 0), 12.34, 1e-12);
	assert_true(pg_run_find_bench(run, "String#indexOf")->metrics[0].higher_is_better);
	pg_run_free(run);
	parse_fails(PG_IMPORT_BENCHMARKJS, "a x 1,23,4 ops/sec \xc2\xb1" "1% (5 runs sampled)\n",
		    "line 1: expected \"NAME x N ops/sec");
	parse_fails(PG_IMPORT_BENCHMARKJS, "a x NaN ops/sec \xc2\xb1" "1% (5 runs sampled)\n", "line 1");
	parse_fails(PG_IMPORT_BENCHMARKJS, "a x 1,234 ops/sec \xc2\xb1" "1% (5 runs", "line 1");
	file_fails(PG_IMPORT_BENCHMARKJS, "catch2/console-v3.txt", "(use --format catch2)");
}

static void test_iai_callgrind(void **state)
{
	(void)state;
	pg_run *run = th_import_ok(PG_IMPORT_IAI_CALLGRIND, "iai-callgrind/summary.txt");
	const char *b = "lib_bench::bench_fibonacci_group::bench_fibonacci short:10";
	assert_float_equal(value(run, b, "instructions", 0), 2804, 0);
	assert_float_equal(value(run, b, "l1_hits", 0), 3815, 0);
	assert_float_equal(value(run, b, "ll_hits", 0), 0, 0);
	assert_float_equal(value(run, b, "ram_hits", 0), 2, 0);
	assert_float_equal(value(run, b, "total_read_write", 0), 3817, 0);
	assert_float_equal(value(run, b, "estimated_cycles", 0), 3885, 0);
	/* the comparison block's numbers are another benchmark's: not read */
	b = "lib_bench::bench_group::bench_bubble_sort_worst_case case_3:vec! [3, 2, 1]";
	assert_int_equal(pg_bench_find_metric(pg_run_find_bench(run, b), "instructions")->samples.n, 1);
	assert_float_equal(value(run, b, "instructions", 0), 103, 0);
	/* newer layout: "LL Hits", a CALLGRIND section, other tools skipped */
	b = "lib_bench_perf::my_group::bench_library fibonacci_25:(25)";
	assert_float_equal(value(run, b, "ll_hits", 0), 2, 0);
	assert_float_equal(value(run, b, "estimated_cycles", 0), 3485012, 0);
	assert_false(has_metric(run, b, "total_bytes"));
	pg_run_free(run);
	parse_fails(PG_IMPORT_IAI_CALLGRIND, "x\n  Instructions:   12e3|N/A\n", "line 2: Instructions:");
	parse_fails(PG_IMPORT_IAI_CALLGRIND, "x\n  Instructions:   -1|N/A\n", "is not a count");
	file_fails(PG_IMPORT_IAI_CALLGRIND, "hey/summary.txt", "(use --format hey)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libtest_doc),
		cmocka_unit_test(test_libtest_cargo_bench),
		cmocka_unit_test(test_libtest_criterion_bencher),
		cmocka_unit_test(test_libtest_hostile),
		cmocka_unit_test(test_criterion_console_doc),
		cmocka_unit_test(test_criterion_console_real),
		cmocka_unit_test(test_criterion_console_hostile),
		cmocka_unit_test(test_catch2_console_v2),
		cmocka_unit_test(test_catch2_console_layouts),
		cmocka_unit_test(test_catch2_console_hostile),
		cmocka_unit_test(test_wrk),
		cmocka_unit_test(test_hey),
		cmocka_unit_test(test_ab),
		cmocka_unit_test(test_load_hostile),
		cmocka_unit_test(test_benchmarkjs),
		cmocka_unit_test(test_iai_callgrind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
