/*
 * test_config.c - perfgate.json: defaults, overrides, and every error
 * naming the file and the field.
 */
#include "buf.h"
#include "config.h"
#include "error.h"
#include "helpers.h"
#include "metric.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void test_config__defaults(void **state)
{
	(void)state;
	pg_config *cfg;
	assert_int_equal(pg_config_parse(&cfg, "{\"benchmarks\": [{\"name\": \"a\", "
					       "\"command\": \"true\"}]}", "p.json"), 0);
	assert_string_equal(cfg->base, "main");
	assert_string_equal(cfg->store, "dir:.perfgate/history");
	assert_int_equal(cfg->window, 20);
	assert_int_equal(cfg->min_history, 5);
	assert_int_equal(cfg->fail_on, PG_SEV_CRITICAL);
	assert_float_equal(cfg->thresholds.sigma, 3, 0);
	assert_float_equal(cfg->thresholds.notice, 5, 0);
	assert_float_equal(cfg->thresholds.warning, 10, 0);
	assert_float_equal(cfg->thresholds.critical, 20, 0);
	const pg_bench_config *b = &cfg->benches[0];
	assert_int_equal(b->warmup, 1);
	assert_int_equal(b->runs, 10);
	assert_float_equal(b->timeout, 120, 0);
	assert_int_equal(b->metrics, PG_METRICS_DEFAULT);
	/* a string command runs through the shell */
	assert_string_equal(b->argv[0], "/bin/sh");
	assert_string_equal(b->argv[1], "-c");
	assert_string_equal(b->argv[2], "true");
	assert_null(b->argv[3]);
	pg_config_free(cfg);
}

static void test_config__the_issue_example(void **state)
{
	(void)state;
	const char *text =
		"{\"base\": \"develop\", \"store\": \"dir:h\", \"window\": 7, \"min_history\": 3,"
		" \"thresholds\": {\"sigma\": 2.5, \"notice\": 4, \"warning\": 8, \"critical\": 16},"
		" \"fail_on\": \"warning\", \"testbed\": \"ci-large\","
		" \"benchmarks\": ["
		"  {\"name\": \"sort/1M\", \"command\": [\"./build/bench_sort\", \"1000000\"],"
		"   \"warmup\": 2, \"runs\": 12, \"timeout\": 30.5, \"cwd\": \"sub\","
		"   \"env\": {\"N\": \"3\"}, \"metrics\": [\"wall_time\", \"max_rss\"]},"
		"  {\"name\": \"BM_Sort<int>/1024\", \"command\": \"./app --version\","
		"   \"thresholds\": {\"critical\": 30}}]}";
	pg_config *cfg;
	assert_int_equal(pg_config_parse(&cfg, text, "p.json"), 0);
	assert_string_equal(cfg->base, "develop");
	assert_int_equal(cfg->fail_on, PG_SEV_WARNING);
	assert_string_equal(cfg->testbed, "ci-large");
	const pg_bench_config *a = pg_config_find(cfg, "sort/1M");
	assert_non_null(a);
	assert_string_equal(a->argv[0], "./build/bench_sort");
	assert_string_equal(a->argv[1], "1000000");
	assert_null(a->argv[2]);
	assert_int_equal(a->warmup, 2);
	assert_int_equal(a->runs, 12);
	assert_float_equal(a->timeout, 30.5, 0);
	assert_string_equal(a->cwd, "sub");
	assert_string_equal(a->env[0], "N=3");
	assert_int_equal(a->metrics, (1u << PG_METRIC_WALL_TIME) | (1u << PG_METRIC_MAX_RSS));
	assert_float_equal(a->thresholds.sigma, 2.5, 0);
	/* a per-benchmark threshold overrides only what it names */
	const pg_bench_config *b = pg_config_find(cfg, "BM_Sort<int>/1024");
	assert_non_null(b);
	assert_float_equal(b->thresholds.critical, 30, 0);
	assert_float_equal(b->thresholds.warning, 8, 0);
	assert_float_equal(b->thresholds.sigma, 2.5, 0);
	pg_config_free(cfg);
}

typedef struct error_case {
	const char *json;
	const char *message; /* expected substring */
} error_case;

#define B(x) "{\"benchmarks\": [" x "]}"
#define OK_BENCH "{\"name\": \"a\", \"command\": \"true\"}"

static void test_config__errors_name_the_field(void **state)
{
	(void)state;
	static const error_case cases[] = {
		{ "{\"benchmarks\": [", "cfg.json:1:" },
		{ "[]", "expected a JSON object at the top level" },
		{ "{}", "cfg.json: benchmarks: missing" },
		{ "{\"benchmark\": []}", "cfg.json: benchmark: unknown key" },
		{ "{\"benchmarks\": {}}", "benchmarks: expected an array" },
		{ "{\"window\": \"20\", \"benchmarks\": []}", "window: expected an integer" },
		{ "{\"window\": 0, \"benchmarks\": []}", "window: expected an integer from 1" },
		{ "{\"min_history\": 1, \"benchmarks\": []}", "min_history: expected an integer from 2" },
		{ "{\"fail_on\": \"sometimes\", \"benchmarks\": []}", "fail_on: expected notice" },
		{ "{\"store\": \"s3:bucket\", \"benchmarks\": []}", "store: expected \"dir:PATH\"" },
		{ "{\"thresholds\": {\"critcal\": 3}, \"benchmarks\": []}", "thresholds.critcal: unknown key" },
		{ "{\"thresholds\": {\"notice\": 30}, \"benchmarks\": []}", "notice <= warning <= critical" },
		{ "{\"thresholds\": {\"sigma\": -1}, \"benchmarks\": []}", "thresholds.sigma: expected a number" },
		{ B(OK_BENCH ", {\"name\": \"b\"}"), "benchmarks[1].command: missing" },
		{ B("{\"command\": \"x\"}"), "benchmarks[0].name: missing" },
		{ B("{\"name\": \"\", \"command\": \"x\"}"), "benchmarks[0].name: must not be empty" },
		{ B("{\"name\": \"a\\nb\", \"command\": \"x\"}"), "benchmarks[0].name: contains a control" },
		{ B("{\"name\": \"a\\u0085b\", \"command\": \"x\"}"), "contains a control" },
		{ B(OK_BENCH ", " OK_BENCH), "benchmarks[1].name: duplicate benchmark name" },
		{ B("{\"name\": \"a\", \"command\": []}"), "benchmarks[0].command: expected a string" },
		{ B("{\"name\": \"a\", \"command\": [\"x\", 3]}"), "every element" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"runs\": 0}"), "benchmarks[0].runs: expected an integer from 1" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"runs\": 2.5}"), "benchmarks[0].runs" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"timeout\": 0}"), "benchmarks[0].timeout" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"metrics\": [\"walltime\"]}"), "benchmarks[0].metrics: unknown metric" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"env\": {\"A\": 1}}"), "benchmarks[0].env" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"thresholds\": {\"warning\": 50}}"), "benchmarks[0].thresholds: need notice" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"comand\": \"y\"}"), "benchmarks[0].comand: unknown key" },
		{ B("3"), "benchmarks[0]: expected an object" },
		{ "{\"base\": \"a\", \"base\": \"b\", \"benchmarks\": []}", "duplicate" },
		/* every number has a documented range, and the message says it */
		{ B("{\"name\": \"a\", \"command\": \"x\", \"timeout\": 2e10}"), "benchmarks[0].timeout: expected a number from 0.001 to 604800 (seconds, a week)" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"timeout\": 604800.5}"), "benchmarks[0].timeout: expected a number from 0.001 to 604800" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"max_time\": 1e300}"), "benchmarks[0].max_time: expected a number from 0.1 to 604800" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"precision\": 101}"), "benchmarks[0].precision: expected a number from 0.01 to 100 (%)" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"cpu\": 1024}"), "benchmarks[0].cpu: expected an integer from 0 to 1023" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"ab_pairs\": 100001}"), "benchmarks[0].ab_pairs: expected an integer from" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"runs\": 100001}"), "benchmarks[0].runs: expected an integer from 1 to 100000" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"warmup\": 10001}"), "benchmarks[0].warmup: expected an integer from 0 to 10000" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"min_runs\": 100001}"), "benchmarks[0].min_runs: expected an integer from 2 to 100000" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"thresholds\": {\"sigma\": 101}}"), "benchmarks[0].thresholds.sigma: expected a number from 0.1 to 100" },
		{ "{\"thresholds\": {\"critical\": 1e7}, \"benchmarks\": []}", "thresholds.critical: expected a number from 0 to 1000000 (%)" },
		{ "{\"window\": 10001, \"benchmarks\": []}", "window: expected an integer from 1 to 10000" },
		{ "{\"min_history\": 10001, \"benchmarks\": []}", "min_history: expected an integer from 2 to 10000" },
		/* "output" and "cwd" stay inside the repository */
		{ B("{\"name\": \"a\", \"command\": \"x\", \"format\": \"gbench\", \"output\": \"../victim.txt\"}"), "benchmarks[0].output: must stay inside the repository" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"format\": \"gbench\", \"output\": \"out/../../v\"}"), "benchmarks[0].output: must stay inside" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"format\": \"gbench\", \"output\": \"/tmp/v\"}"), "benchmarks[0].output: must be a path relative to the repository, not absolute" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"cwd\": \"..\"}"), "benchmarks[0].cwd: must stay inside the repository" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"cwd\": \"/\"}"), "benchmarks[0].cwd: must be a path relative" },
		{ "{\"environment\": {\"cc\\u0007\": \"cc --version\"}, \"benchmarks\": []}", "cfg.json: environment: a name contains a control character" },
		/* a hostile key or value is quoted, not echoed */
		{ "{\"benchmarks\": [], \"x\\u001b[2J\": 1}", "cfg.json: x?[2J: unknown key" },
		{ B("{\"name\": \"a\", \"command\": \"x\", \"format\": \"g\\u001b\"}"), "unknown format 'g?'" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		pg_config *cfg = (pg_config *)1;
		int err = pg_config_parse(&cfg, cases[i].json, "cfg.json");
		if (err != PG_ECONFIG)
			fail_msg("case %zu (%s): expected PG_ECONFIG, got %d", i, cases[i].json, err);
		assert_null(cfg);
		if (!strstr(pg_error_last(), cases[i].message))
			fail_msg("case %zu: message '%s' lacks '%s'", i, pg_error_last(),
				 cases[i].message);
		if (!strstr(pg_error_last(), "cfg.json"))
			fail_msg("case %zu: message '%s' does not name the file", i, pg_error_last());
	}
}

static void test_config__sane_paths_and_ranges_pass(void **state)
{
	(void)state;
	pg_config *cfg;
	const char *text = B("{\"name\": \"a\", \"command\": \"x\", \"format\": \"gbench\","
			     " \"output\": \"..out/x..y/./r.json\", \"cwd\": \"sub/dir\", \"timeout\": 604800,"
			     " \"cpu\": 1023, \"thresholds\": {\"critical\": 1e6}}");
	if (pg_config_parse(&cfg, text, "cfg.json"))
		fail_msg("%s", pg_error_last());
	assert_string_equal(cfg->benches[0].output, "..out/x..y/./r.json");
	assert_float_equal(cfg->benches[0].timeout, 604800, 0);
	pg_config_free(cfg);
}

/* Several mistakes: all of them in one attempt, one line each with the
 * file and the field; past MAX_PROBLEMS, a count of the rest. */
static void test_config__lists_every_problem(void **state)
{
	(void)state;
	pg_config *cfg;
	const char *text = "{\"window\": 0, \"fail_on\": \"x\", \"benchmarks\": ["
			   "{\"name\": \"a\", \"command\": \"x\", \"runs\": 0, \"timeout\": 2e10},"
			   "{\"command\": \"x\", \"format\": \"gbench\", \"output\": \"../v\"}]}";
	assert_int_equal(pg_config_parse(&cfg, text, "cfg.json"), PG_ECONFIG);
	assert_null(cfg);
	assert_string_equal(pg_error_last(),
			    "cfg.json: window: expected an integer from 1 to 10000\n"
			    "cfg.json: fail_on: expected notice, warning, critical or never\n"
			    "cfg.json: benchmarks[0].runs: expected an integer from 1 to 100000\n"
			    "cfg.json: benchmarks[0].timeout: expected a number from 0.001 to 604800 "
			    "(seconds, a week)\n"
			    "cfg.json: benchmarks[1].name: missing or not a string\n"
			    "cfg.json: benchmarks[1].output: must stay inside the repository: no \"..\" "
			    "in the path");

	pg_buf many = PG_BUF_INIT;
	pg_buf_puts(&many, "{\"benchmarks\": [");
	for (int i = 0; i < 30; i++)
		pg_buf_printf(&many, "%s{\"name\": \"b%d\", \"command\": \"x\", \"runs\": 0}", i ? ", " : "", i);
	pg_buf_puts(&many, "]}");
	assert_int_equal(pg_config_parse(&cfg, many.ptr, "cfg.json"), PG_ECONFIG);
	const char *msg = pg_error_last(), *last = strrchr(msg, '\n');
	size_t lines = 1;
	for (const char *p = msg; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 21);
	assert_non_null(strstr(msg, "cfg.json: benchmarks[19].runs: expected an integer"));
	assert_null(strstr(msg, "benchmarks[20]"));
	assert_string_equal(last, "\ncfg.json: 10 more problems not shown");
	pg_buf_free(&many);
}

static void test_config__long_names(void **state)
{
	(void)state;
	char name[202];
	memset(name, 'x', 201);
	name[201] = '\0';
	assert_non_null(pg_name_problem(name));
	name[200] = '\0';
	assert_null(pg_name_problem(name));
	assert_null(pg_name_problem("BM_Sort<int>/1024"));
	assert_null(pg_name_problem("héllo wörld ✓"));
	assert_non_null(pg_name_problem("\xff\xfe"));
}

static void test_config__load_missing_and_binary(void **state)
{
	(void)state;
	pg_config *cfg;
	char *dir = th_tempdir();
	pg_buf path = PG_BUF_INIT;
	pg_buf_printf(&path, "%s/nope.json", dir);
	assert_int_equal(pg_config_load(&cfg, path.ptr), PG_ENOTFOUND);
	assert_non_null(strstr(pg_error_last(), "nope.json"));
	th_sh(dir, "printf '{\\000}' > bin.json");
	pg_buf_clear(&path);
	pg_buf_printf(&path, "%s/bin.json", dir);
	assert_int_equal(pg_config_load(&cfg, path.ptr), PG_ECONFIG);
	pg_buf_free(&path);
	th_rmrf(dir);
	free(dir);
}

static void collect_change(const char *change, void *payload)
{
	pg_buf_printf(payload, "%s\n", change);
}

/* What a pull request changes in the gate's policy, one line per field; a
 * benchmark's thresholds only when they do not just follow the global
 * ones; and which fields of a definition differ. */
static void test_config__diff(void **state)
{
	(void)state;
	pg_config *a, *b;
	pg_buf out = PG_BUF_INIT;
	assert_int_equal(pg_config_parse(&a, "{\"benchmarks\": [{\"name\": \"x\", \"command\": \"true\"},"
					      "{\"name\": \"y\", \"command\": [\"a\", \"b\"], \"env\": {\"K\": \"1\", \"L\": \"2\"},"
					      "\"thresholds\": {\"critical\": 30}}]}", "a.json"), 0);
	assert_int_equal(pg_config_parse(&b, "{\"fail_on\": \"never\", \"window\": 3, \"base\": \"dev\\u001b[2J\","
					      "\"testbed\": \"tb\", \"retired\": [\"z\"], \"thresholds\": {\"critical\": 50},"
					      "\"benchmarks\": [{\"name\": \"x\", \"command\": \"true\"},"
					      "{\"name\": \"y\", \"command\": [\"a\", \"b\"], \"env\": {\"L\": \"2\", \"K\": \"1\"},"
					      "\"thresholds\": {\"critical\": 90}}]}", "b.json"), 0);
	pg_config_policy_diff(a, b, collect_change, &out);
	assert_string_equal(out.ptr,
		"fail_on changed from critical to never\n"
		"thresholds changed from {sigma 3, notice 5, warning 10, critical 20} to "
		"{sigma 3, notice 5, warning 10, critical 50}\n"
		"the thresholds of \"y\" changed from {sigma 3, notice 5, warning 10, critical 30} to "
		"{sigma 3, notice 5, warning 10, critical 90}\n"
		"window changed from 20 to 3\n"
		"base changed from \"main\" to \"dev?[2J\"\n"
		"testbed changed from none (derived from the machine) to \"tb\"\n"
		"retired changed from none to [\"z\"]\n");
	pg_buf_clear(&out);
	pg_config_policy_diff(a, a, collect_change, &out);
	assert_string_equal(out.ptr, "");
	/* env is a set: the same pairs in another order are the same */
	pg_config_definition_diff(&a->benches[1], &b->benches[1], &out);
	assert_string_equal(out.ptr, "");
	pg_config_definition_diff(&a->benches[0], &b->benches[1], &out);
	assert_string_equal(out.ptr, "command, env");
	pg_buf_clear(&out);
	pg_config_free(b);
	/* what builds and prepares the checkouts, and --confirm: a pull
	 * request could slow only the base side of an A/B re-measurement */
	assert_int_equal(pg_config_parse(&b, "{\"build\": \"make CFLAGS=-O0\", \"setup\": \"touch x\","
					      "\"confirm\": true, \"benchmarks\": [{\"name\": \"x\", \"command\": \"true\","
					      "\"setup\": \"sleep 1\"},"
					      "{\"name\": \"y\", \"command\": [\"a\", \"b\"], \"env\": {\"K\": \"1\", \"L\": \"2\"},"
					      "\"thresholds\": {\"critical\": 30}}]}", "b.json"), 0);
	pg_config_policy_diff(a, b, collect_change, &out);
	assert_string_equal(out.ptr,
		"build changed from none to \"make CFLAGS=-O0\"\n"
		"setup changed from none to \"touch x\"\n"
		"the setup of \"x\" changed from none to \"sleep 1\"\n"
		"confirm changed from off to notice\n");
	pg_buf_free(&out);
	pg_config_free(a);
	pg_config_free(b);
}

/* Found by tests/fuzz: jansson's message quotes the bad token, a control
 * character (here ESC, a terminal escape) too; the error stays one line of
 * printable text, naming the place. */
static void test_config__error_is_one_line(void **state)
{
	(void)state;
	pg_config *cfg;
	assert_int_equal(pg_config_parse(&cfg, "{\"base\": \"main\",\x1b[2J \"window\": 1}",
					 "cfg.json"), PG_ECONFIG);
	if (!strstr(pg_error_last(), "cfg.json:1:17: invalid JSON: ") ||
	    !strstr(pg_error_last(), "near '?'"))
		fail_msg("not one printable line: '%s'", pg_error_last());
}

/* Found by tests/fuzz: the duplicate check compared every pair; a
 * perfgate.json of 100,000 benchmarks took 106 s (-O2) to parse.  The
 * bound is CPU time, 30 times what the hashed check takes under ASan. */
static void test_config__many_benchmarks_parse_in_linear_time(void **state)
{
	(void)state;
	pg_buf text = PG_BUF_INIT;
	pg_config *cfg;
	pg_buf_puts(&text, "{\"benchmarks\": [");
	for (int i = 0; i < 100000; i++)
		pg_buf_printf(&text, "%s{\"name\": \"b%d\", \"command\": \"true\"}", i ? ", " : "", i);
	pg_buf_puts(&text, ", {\"name\": \"b7\", \"command\": \"true\"}]}");
	clock_t start = clock();
	assert_int_equal(pg_config_parse(&cfg, text.ptr, "cfg.json"), PG_ECONFIG);
	double cpu = (double)(clock() - start) / CLOCKS_PER_SEC;
	assert_non_null(strstr(pg_error_last(), "benchmarks[100000].name: duplicate benchmark name"));
	if (cpu > 30)
		fail_msg("100,000 benchmarks took %.1f s of CPU time to parse", cpu);
	pg_buf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__defaults),
		cmocka_unit_test(test_config__the_issue_example),
		cmocka_unit_test(test_config__errors_name_the_field),
		cmocka_unit_test(test_config__sane_paths_and_ranges_pass),
		cmocka_unit_test(test_config__lists_every_problem),
		cmocka_unit_test(test_config__long_names),
		cmocka_unit_test(test_config__load_missing_and_binary),
		cmocka_unit_test(test_config__diff),
		cmocka_unit_test(test_config__error_is_one_line),
		cmocka_unit_test(test_config__many_benchmarks_parse_in_linear_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
