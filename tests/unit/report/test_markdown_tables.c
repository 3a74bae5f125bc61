/*
 * test_markdown_tables.c - the PR comment's tables stay apart: in GitHub's
 * Markdown a table runs on until a blank line, so a table written right
 * after the budgets or complexity table would be read as more rows of it
 * (its header a row, its extra columns - severity, trend - dropped).
 */
#include "buf.h"
#include "helpers.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROW_CRITICAL                                                                         \
	"{\"benchmark\": \"a\", \"metric\": \"time_per_op\", \"unit\": \"ns\", \"direction\": " \
	"\"lower\", \"baseline\": 10.0, \"current\": 100.0, \"change_pct\": 900.0, "         \
	"\"severity\": \"critical\"}"
#define BUDGET                                                                               \
	"{\"benchmark\": \"a\", \"metric\": \"time_per_op\", \"unit\": \"ns\", \"bound\": "   \
	"\"max\", \"target\": \"40 ns\", \"limit\": 40.0, \"actual\": 100.0, \"severity\": " \
	"\"critical\", \"breached\": true}"
#define COMPLEXITY                                                                           \
	"{\"family\": \"f\", \"metric\": \"time_per_op\", \"severity\": \"critical\", "      \
	"\"baseline\": \"O(n)\", \"current\": \"O(n^2)\"}"

/* Every table header ("| ... |" followed by "|---") starts after a blank
 * line (or at the very start). */
static void assert_tables_apart(const char *md)
{
	for (const char *p = md; (p = strstr(p, "\n|---")); p++) {
		const char *head = p; /* the header line ends at p */
		while (head > md && head[-1] != '\n')
			head--;
		if (head > md && !(head - md >= 2 && head[-1] == '\n' && head[-2] == '\n'))
			fail_msg("a table header follows another block without a blank line:\n%s", md);
	}
}

static void check(const char *dir, const char *json)
{
	char path[512];
	pg_report *r = NULL;
	pg_buf md = PG_BUF_INIT;
	th_write(dir, "report.json", json);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	assert_int_equal(pg_report_load_json(&r, path), 0);
	pg_report_write_markdown(&md, r);
	assert_tables_apart(md.ptr);
	pg_buf_free(&md);
	pg_report_free(r);
}

static void test_markdown__tables_apart(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	check(dir, "{\"format\": \"perfgate-report\", \"version\": 1, \"results\": [" ROW_CRITICAL
		   "], \"budgets\": [" BUDGET "]}");
	check(dir, "{\"format\": \"perfgate-report\", \"version\": 1, \"results\": [" ROW_CRITICAL
		   "], \"complexity\": [" COMPLEXITY "]}");
	check(dir, "{\"format\": \"perfgate-report\", \"version\": 1, \"results\": [" ROW_CRITICAL
		   "], \"budgets\": [" BUDGET "], \"complexity\": [" COMPLEXITY "]}");
	th_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown__tables_apart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
