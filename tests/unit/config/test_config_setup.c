/*
 * test_config_setup.c - perfgate.json's "setup" (top level and per
 * benchmark) and "confirm": values taken, and hostile ones refused with one
 * line naming the field.
 */
#include "config.h"
#include "error.h"
#include "helpers.h"
#include "judge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH "{\"name\": \"a\", \"command\": \"x\""

static void test_config_setup__taken(void **state)
{
	(void)state;
	pg_config *cfg;
	const char *text = "{\"setup\": \"make data && ./gen 'x y'\", \"confirm\": \"warning\", "
			   "\"benchmarks\": [" BENCH ", \"cwd\": \"sub\", \"setup\": \"cp ../c d\"}, "
			   "{\"name\": \"b\", \"command\": \"y\"}]}";
	assert_int_equal(pg_config_parse(&cfg, text, "cfg.json"), 0);
	assert_string_equal(cfg->setup, "make data && ./gen 'x y'");
	assert_int_equal(cfg->confirm, PG_SEV_WARNING);
	assert_string_equal(cfg->benches[0].setup, "cp ../c d");
	assert_null(cfg->benches[1].setup);
	pg_config_free(cfg);

	static const struct { const char *v; int level; } confirms[] = {
		{ "true", PG_SEV_NOTICE }, { "false", 0 }, { "\"notice\"", PG_SEV_NOTICE },
		{ "\"critical\"", PG_SEV_CRITICAL },
	};
	for (size_t i = 0; i < sizeof(confirms) / sizeof(confirms[0]); i++) {
		char buf[256];
		snprintf(buf, sizeof(buf), "{\"confirm\": %s, \"benchmarks\": [" BENCH "}]}", confirms[i].v);
		assert_int_equal(pg_config_parse(&cfg, buf, "cfg.json"), 0);
		assert_int_equal(cfg->confirm, confirms[i].level);
		assert_null(cfg->setup);
		pg_config_free(cfg);
	}
	/* absent: off */
	assert_int_equal(pg_config_parse(&cfg, "{\"benchmarks\": [" BENCH "}]}", "cfg.json"), 0);
	assert_int_equal(cfg->confirm, 0);
	pg_config_free(cfg);
}

static void test_config_setup__hostile(void **state)
{
	(void)state;
	static const struct { const char *text, *msg; } cases[] = {
		{ "{\"setup\": 3, \"benchmarks\": []}", "cfg.json: setup: expected a shell command" },
		{ "{\"setup\": \"\", \"benchmarks\": []}", "cfg.json: setup: expected a non-empty string" },
		{ "{\"setup\": [\"make\"], \"benchmarks\": []}", "cfg.json: setup: expected a shell command" },
		{ "{\"setup\": \"a\\u0000b\", \"benchmarks\": []}", "is not allowed" },
		{ "{\"setup\": null, \"benchmarks\": []}", "cfg.json: setup: expected a shell command" },
		{ "{\"benchmarks\": [" BENCH ", \"setup\": {}}]}", "cfg.json: benchmarks[0].setup: expected a shell command" },
		{ "{\"benchmarks\": [" BENCH ", \"setup\": \"\"}]}", "cfg.json: benchmarks[0].setup: expected a non-empty" },
		{ "{\"confirm\": 1, \"benchmarks\": []}", "cfg.json: confirm: expected true, false" },
		{ "{\"confirm\": \"never\", \"benchmarks\": []}", "cfg.json: confirm: expected true, false" },
		{ "{\"confirm\": \"warning\\u0000\", \"benchmarks\": []}", "is not allowed" },
		{ "{\"confirm\": \"Warning\", \"benchmarks\": []}", "cfg.json: confirm: expected" },
		{ "{\"confirm\": null, \"benchmarks\": []}", "cfg.json: confirm: expected" },
		{ "{\"benchmarks\": [" BENCH ", \"confirm\": true}]}", "benchmarks[0].confirm: unknown key" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pg_config *cfg = NULL;
		assert_int_equal(pg_config_parse(&cfg, cases[i].text, "cfg.json"), PG_ECONFIG);
		assert_null(cfg);
		if (!strstr(pg_error_last(), cases[i].msg))
			fail_msg("case %zu: '%s' not in '%s'", i, cases[i].msg, pg_error_last());
	}
	/* a huge setup command is taken whole (it is the user's own command) */
	pg_buf text = PG_BUF_INIT;
	pg_buf_puts(&text, "{\"setup\": \"");
	for (int i = 0; i < 100000; i++)
		pg_buf_puts(&text, "x");
	pg_buf_puts(&text, "\", \"benchmarks\": [" BENCH "}]}");
	pg_config *cfg;
	assert_int_equal(pg_config_parse(&cfg, text.ptr, "cfg.json"), 0);
	assert_int_equal(strlen(cfg->setup), 100000);
	pg_config_free(cfg);
	pg_buf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_setup__taken),
		cmocka_unit_test(test_config_setup__hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
