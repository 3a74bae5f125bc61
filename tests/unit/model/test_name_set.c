/*
 * test_name_set.c - the name set: membership, families, duplicates, and
 * many names (past the size where name_index builds its hash table and
 * rebuilds it while growing).
 */
#include "helpers.h"
#include "name_set.h"

#include <stdio.h>

static void test_name_set__families(void **state)
{
	(void)state;
	pg_name_set *s = pg_name_set_new();
	assert_false(pg_name_set_has(s, "a"));
	assert_false(pg_name_set_has(NULL, "a"));
	pg_name_set_add_family(s, "sort/1M/random");
	pg_name_set_add(s, "parse");
	pg_name_set_add(s, "parse");
	assert_true(pg_name_set_has(s, "sort/1M/random"));
	assert_true(pg_name_set_has(s, "sort/1M"));
	assert_true(pg_name_set_has(s, "sort"));
	assert_true(pg_name_set_has(s, "parse"));
	assert_false(pg_name_set_has(s, "sort/1"));   /* a prefix that is no family */
	assert_false(pg_name_set_has(s, "so"));
	assert_false(pg_name_set_has(s, "parse/x"));
	assert_false(pg_name_set_has(s, ""));
	pg_name_set_free(s);
	pg_name_set_free(NULL);
}

static void test_name_set__many(void **state)
{
	(void)state;
	pg_name_set *s = pg_name_set_new();
	char name[64];
	for (int i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "g%d/b%d", i % 97, i);
		pg_name_set_add_family(s, name);
		if (i % 1000 == 0)  /* lookups while growing: the index is rebuilt */
			assert_true(pg_name_set_has(s, name));
	}
	for (int i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "g%d/b%d", i % 97, i);
		assert_true(pg_name_set_has(s, name));
		snprintf(name, sizeof(name), "g%d/b%d", (i + 1) % 97, i);
		assert_false(pg_name_set_has(s, name));
	}
	assert_true(pg_name_set_has(s, "g96"));
	assert_false(pg_name_set_has(s, "g97"));
	pg_name_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_set__families),
		cmocka_unit_test(test_name_set__many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
