/*
 * test_config_owner.c - result-to-benchmark lookups in perfgate.json
 * (pg_config_find, pg_config_owner): what they find, including odd names
 * and nested families, and that 100,000 lookups in a config of 100,000
 * benchmarks are not quadratic (a generous CPU-time bound: a scan per
 * lookup took minutes).
 */
#include "buf.h"
#include "config.h"
#include "error.h"
#include "helpers.h"
#include "name_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pg_config *parse(const char *text)
{
	pg_config *cfg;
	assert_int_equal(pg_config_parse(&cfg, text, "p.json"), 0);
	return cfg;
}

static void test_owner__families_and_odd_names(void **state)
{
	(void)state;
	/* more than the index's scan threshold, so the hash is used */
	pg_buf t = PG_BUF_INIT;
	pg_buf_puts(&t, "{\"benchmarks\": [");
	for (int i = 0; i < 40; i++)
		pg_buf_printf(&t, "{\"name\": \"pad%d\", \"command\": \"true\"}, ", i);
	pg_buf_puts(&t, "{\"name\": \"x/y\", \"command\": \"true\", \"format\": \"gbench\"},"
			"{\"name\": \"x\", \"command\": \"true\", \"format\": \"gbench\"},"
			"{\"name\": \"plain\", \"command\": \"true\"},"
			"{\"name\": \"sp ace\", \"command\": \"true\", \"format\": \"gbench\"}]}");
	pg_config *cfg = parse(t.ptr);
	const pg_bench_config *xy = pg_config_find(cfg, "x/y"), *x = pg_config_find(cfg, "x");
	assert_non_null(xy);
	assert_non_null(x);
	assert_ptr_equal(pg_config_find(cfg, "pad39"), &cfg->benches[39]);
	assert_null(pg_config_find(cfg, "pad40"));
	assert_null(pg_config_find(cfg, ""));
	/* exact names first, then the first family in the file */
	assert_ptr_equal(pg_config_owner(cfg, "x"), x);
	assert_ptr_equal(pg_config_owner(cfg, "x/y"), xy);
	assert_ptr_equal(pg_config_owner(cfg, "x/y/z"), xy);
	assert_ptr_equal(pg_config_owner(cfg, "x/z"), x);
	assert_ptr_equal(pg_config_owner(cfg, "x//"), x);
	assert_ptr_equal(pg_config_owner(cfg, "sp ace/a b"), pg_config_find(cfg, "sp ace"));
	/* a plain benchmark owns only its own name */
	assert_null(pg_config_owner(cfg, "plain/sub"));
	assert_null(pg_config_owner(cfg, "/x/y"));
	assert_null(pg_config_owner(cfg, "xx/y"));
	assert_null(pg_config_owner(cfg, "/"));
	assert_null(pg_config_owner(cfg, ""));
	pg_config_free(cfg);
	/* a config built by hand (no index yet) is looked up too */
	pg_config hand;
	pg_bench_config b[20];
	char names[20][8];
	memset(&hand, 0, sizeof(hand));
	memset(b, 0, sizeof(b));
	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof(names[i]), "h%d", i);
		b[i].name = names[i];
	}
	b[7].format = 1;
	hand.benches = b;
	hand.nbenches = 20;
	assert_ptr_equal(pg_config_owner(&hand, "h7/q"), &b[7]);
	assert_null(pg_config_owner(&hand, "h8/q"));
	pg_name_index_free(hand.index);
	pg_buf_free(&t);
}

static void test_owner__100000_lookups_are_not_quadratic(void **state)
{
	(void)state;
	pg_buf t = PG_BUF_INIT;
	pg_buf name = PG_BUF_INIT;
	const int n = 100000;
	pg_buf_puts(&t, "{\"benchmarks\": [");
	for (int i = 0; i < n; i++)
		pg_buf_printf(&t, "%s{\"name\": \"s%d/b%d\", \"command\": \"true\"%s}", i ? ", " : "",
			      i % 97, i, i % 3 ? "" : ", \"format\": \"gbench\"");
	pg_buf_puts(&t, "]}");
	pg_config *cfg = parse(t.ptr);
	clock_t start = clock();
	for (int i = 0; i < n; i++) {
		pg_buf_clear(&name);
		pg_buf_printf(&name, "s%d/b%d/case", i % 97, i);
		const pg_bench_config *b = pg_config_owner(cfg, name.ptr);
		if (i % 3)
			assert_null(b);
		else
			assert_ptr_equal(b, &cfg->benches[i]);
	}
	double cpu = (double)(clock() - start) / CLOCKS_PER_SEC;
	if (cpu > 30)
		fail_msg("100,000 owner lookups took %.1f s of CPU time", cpu);
	pg_config_free(cfg);
	pg_buf_free(&name);
	pg_buf_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner__families_and_odd_names),
		cmocka_unit_test(test_owner__100000_lookups_are_not_quadratic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
