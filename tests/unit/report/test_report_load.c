/*
 * test_report_load.c - reading a report back (report_read.c, what `post`
 * trusts): forged and sparse reports refused with one line naming the
 * field, and every report perfgate writes read back the same.
 */
#include "buf.h"
#include "error.h"
#include "format.h"
#include "helpers.h"
#include "report_build.h"
#include "report_fixture.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading a report back: the trust boundary for report artifacts ---- */

static int load_text(const char *dir, const char *json, pg_report **r)
{
	char path[512];
	th_write(dir, "report.json", json);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	return pg_report_load_json(r, path);
}

#define DOC(rest) "{\"format\": \"perfgate-report\", \"version\": 1" rest "}"
#define BARE(fields) DOC(", \"results\": [{\"benchmark\": \"b\"" fields "}]")
#define ROW(fields) BARE(", \"metric\": \"m\", \"unit\": \"ns\", \"severity\": \"ok\"" fields)

/* Forged and sparse reports: one clear error naming the file and the
 * field, never a crash. */
static void test_report__load_rejects_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *json, *error;
	} cases[] = {
		/* the crash: a sparse row that the noise advice read */
		{ DOC(", \"results\": [{\"benchmark\": \"x\", \"severity\": \"ok\", \"mdc_pct\": 50, "
		      "\"notice\": 5}]"), "results[0].metric: missing" },
		{ DOC(", \"results\": [{\"benchmark\": \"x\", \"severity\": \"ok\", \"metric\": \"m\"}]"),
		  "results[0].unit: missing" },
		{ BARE(", \"metric\": \"m\", \"severity\": \"ok\", "
		       "\"unit\": \"ms | **forged** [click](https://evil.example)\""),
		  "results[0].unit: is longer than 32 bytes" },
		{ BARE(", \"metric\": \"m\", \"severity\": \"ok\", \"unit\": \"ms|[x](y)\""),
		  "results[0].unit: may only hold" },
		{ DOC(", \"commit\": \"`<b>x</b>`x\", \"results\": []"), "report.json: commit: is not a "
		  "commit id" },
		{ DOC(", \"commit\": \"ABCDEF0123456789ABCDEF0123456789ABCDEF01\", \"results\": []"),
		  "report.json: commit: is not a commit id" },
		{ DOC(", \"base\": {\"commit\": \"abc\"}, \"results\": []"), "base.commit: is not" },
		{ DOC(", \"base\": {\"ref\": \"main\\n| x |\"}, \"results\": []"),
		  "base.ref: contains a control character" },
		{ DOC(", \"base\": {\"window\": -3}, \"results\": []"), "base.window: expected a "
		  "non-negative integer" },
		{ DOC(", \"base\": [], \"results\": []"), "report.json: base: expected an object" },
		{ DOC(", \"github\": {\"head_sha\": \"zz\"}, \"results\": []"), "github.head_sha: is not" },
		{ DOC(", \"github\": {\"pull_request\": -1}, \"results\": []"), "github.pull_request: "
		  "expected a non-negative integer" },
		{ DOC(", \"github\": {\"pull_request\": \"42\"}, \"results\": []"), "github.pull_request" },
		{ DOC(", \"github\": \"x\", \"results\": []"), "report.json: github: expected an object" },
		{ DOC(", \"ab\": {\"pairs\": \"many\"}, \"results\": []"), "ab.pairs" },
		{ DOC(", \"mode\": \"fast\", \"results\": []"), "report.json: mode: expected" },
		{ DOC(", \"testbed\": \"\", \"results\": []"), "report.json: testbed: must not be empty" },
		{ DOC(", \"testbed\": \"tb\\u001b[2J\", \"results\": []"), "testbed: contains a control" },
		{ DOC(", \"branch\": 5, \"results\": []"), "report.json: branch: expected a string" },
		{ DOC(", \"dirty\": \"no\", \"results\": []"), "report.json: dirty: expected true" },
		{ DOC(", \"verdict\": \"maybe\", \"results\": []"), "report.json: verdict: expected" },
		{ DOC(", \"fail_on\": \"sometimes\", \"results\": []"), "report.json: fail_on: expected" },
		{ DOC(", \"warnings\": [1], \"results\": []"), "report.json: warnings[0]: expected a "
		  "string" },
		{ DOC(", \"warnings\": \"x\", \"results\": []"), "report.json: warnings: expected an array" },
		{ DOC(", \"counts\": 3, \"results\": []"), "report.json: counts: expected an object" },
		{ DOC(", \"results\": [5]"), "report.json: results[0].: expected an object" },
		{ DOC(", \"results\": [{\"severity\": \"ok\"}]"), "results[0].benchmark: missing" },
		{ DOC(", \"results\": [{\"benchmark\": \"a\\u0007b\", \"severity\": \"ok\"}]"),
		  "results[0].benchmark: contains a control character" },
		{ DOC(", \"results\": [{\"benchmark\": \"a\\u0085b\", \"severity\": \"ok\"}]"),
		  "results[0].benchmark: contains a control character" },
		{ DOC(", \"results\": [{\"benchmark\": \"\", \"severity\": \"ok\"}]"),
		  "results[0].benchmark: must not be empty" },
		{ DOC(", \"results\": [{\"benchmark\": 7, \"severity\": \"ok\"}]"),
		  "results[0].benchmark: expected a string" },
		{ DOC(", \"results\": [{\"benchmark\": \"b\"}]"), "results[0].severity: missing, or not" },
		{ BARE(", \"metric\": \"m\", \"unit\": \"ns\", \"severity\": \"bogus\""),
		  "results[0].severity" },
		{ BARE(", \"metric\": \"m\", \"unit\": \"ns\", \"severity\": 3"), "results[0].severity" },
		{ BARE(", \"unit\": \"ns\", \"severity\": \"ok\", \"metric\": \"m\\u001b]8;;https://e\""),
		  "results[0].metric: contains a control character" },
		{ ROW(", \"method\": \"magic\""), "results[0].method: expected" },
		{ ROW(", \"direction\": \"sideways\""), "results[0].direction: expected" },
		{ ROW(", \"baseline\": \"12\""), "results[0].baseline: expected a finite number or null" },
		{ ROW(", \"z\": true"), "results[0].z: expected a finite number" },
		{ ROW(", \"outliers\": -1"), "results[0].outliers: expected a non-negative integer" },
		{ ROW(", \"samples\": 1.5"), "results[0].samples: expected a non-negative integer" },
		{ ROW(", \"baseline_commits\": 1e30"), "results[0].baseline_commits" },
		{ ROW(", \"significant\": \"yes\""), "results[0].significant: expected true" },
		{ ROW(", \"history\": [1, \"x\"]"), "results[0].history: expected finite numbers" },
		{ ROW(", \"history\": {}"), "results[0].history: expected an array" },
		{ ROW(", \"reason\": \"made up\""), "results[0].reason: only a failed or missing result" },
		{ DOC(", \"results\": [{\"benchmark\": \"ok\", \"severity\": \"ok\", \"metric\": \"m\", "
		      "\"unit\": \"ns\"}, {\"benchmark\": \"b\", \"severity\": \"ok\", \"metric\": \"m\", "
		      "\"unit\": \"n s\"}]"), "report.json: results[1].unit: may only hold" },
		/* the document itself */
		{ "{\"format\": \"perfgate-report\", \"version\": 2, \"results\": []}",
		  "report.json: written by a newer perfgate" },
		{ "{\"format\": \"perfgate-report\", \"version\": \"1\", \"results\": []}",
		  "report.json: version: expected 1" },
		{ "{\"format\": \"perfgate-report\", \"format\": \"perfgate-report\", \"version\": 1, "
		  "\"results\": []}", "duplicate object key" },
		{ "[]", "not a perfgate JSON report" },
		{ DOC(""), "not a perfgate JSON report" },
		{ DOC(", \"results\": [], \"x\": 1e999"), "not a JSON report" },
		{ DOC(", \"results\": [], \"testbed\": \"a\\u0000b\""), "not a JSON report" },
		{ "{\"format\": \"perfgate-report\", \"version\": 1, \"results\": [", "not a JSON report" },
	};
	char *dir = th_tempdir();
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		pg_report *r = (pg_report *)1;
		int err = load_text(dir, cases[i].json, &r);
		if (err != PG_ECORRUPT || r != NULL || !strstr(pg_error_last(), cases[i].error) ||
		    !strstr(pg_error_last(), "/report.json"))
			fail_msg("case %zu: %s\n  got %d: %s\n  expected: %s", i, cases[i].json, err,
				 pg_error_last(), cases[i].error);
	}
	/* a reason or warning longer than any stderr tail */
	pg_buf big = PG_BUF_INIT;
	pg_buf_puts(&big, DOC(", \"results\": [{\"benchmark\": \"b\", \"severity\": \"failed\", "
			      "\"reason\": \""));
	for (int i = 0; i < 20000; i++)
		pg_buf_putc(&big, 'r');
	pg_buf_puts(&big, "\"}]}");
	pg_report *r = NULL;
	int err = load_text(dir, big.ptr, &r);
	assert_int_equal(err, PG_ECORRUPT);
	assert_non_null(strstr(pg_error_last(), "results[0].reason: is longer than 16384 bytes"));
	/* git refs may be long: up to 1024 bytes, then one clear line */
	for (int len = 1024; len <= 1025; len++) {
		for (int field = 0; field < 2; field++) {
			pg_buf_clear(&big);
			pg_buf_puts(&big, field ? DOC(", \"base\": {\"ref\": \"") : DOC(", \"branch\": \""));
			pg_buf_truncate(&big, big.len - 1); /* DOC's closing brace */
			for (int i = 0; i < len; i++)
				pg_buf_putc(&big, 'b');
			pg_buf_puts(&big, field ? "\"}" : "\"");
			pg_buf_puts(&big, ", \"results\": [{\"benchmark\": \"b\", \"severity\": "
				    "\"failed\"}]}");
			r = NULL;
			err = load_text(dir, big.ptr, &r);
			if (len == 1024 && err == 0)
				assert_int_equal(strlen(field ? r->base_ref : r->branch), 1024);
			else if (len == 1024 || err != PG_ECORRUPT ||
				 !strstr(pg_error_last(), field ? "base.ref: is longer than 1024 bytes"
							     : "branch: is longer than 1024 bytes"))
				fail_msg("ref of %d bytes: %d %s", len, err, pg_error_last());
			pg_report_free(r);
		}
	}
	pg_buf_free(&big);
	th_rmrf(dir);
	free(dir);
}

/* Sparse but sound reports load, with defaults every writer can print. */
static void test_report__load_sparse_and_round_trip(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	pg_report *r = NULL;
	assert_int_equal(load_text(dir, DOC(", \"results\": [{\"benchmark\": \"x\", \"severity\": "
					    "\"failed\"}, {\"benchmark\": \"y\", \"severity\": \"ok\", "
					    "\"metric\": \"m\", \"unit\": \"\", \"mdc_pct\": 50, "
					    "\"notice\": 5, \"history\": [1, null, 2]}, "
					    "{\"benchmark\": \"z\", \"severity\": \"new\", \"metric\": "
					    "\"m\", \"unit\": \"ns\", \"base\": null, \"z\": null}]"),
				 &r), 0);
	assert_int_equal(r->nrows, 3);
	assert_string_equal(r->rows[0].reason, "failed");
	pg_report *empty = NULL;
	assert_int_equal(load_text(dir, DOC(", \"results\": []"), &empty), 0);
	assert_true(empty->passed);
	pg_report_free(empty);
	assert_int_equal(r->counts[PG_SEV_FAILED], 1);
	assert_false(r->passed);
	assert_int_equal(r->fail_on, PG_SEV_CRITICAL);
	const pg_result_row *y = r->rows[1].bench[0] == 'y' ? &r->rows[1] : &r->rows[2];
	assert_int_equal(y->history.n, 2);
	assert_true(pg_row_too_noisy(y));
	for (pg_format f = PG_FORMAT_TERM; f <= PG_FORMAT_HTML; f++) {
		pg_buf out = PG_BUF_INIT;
		pg_write_opts wo = { 1 };
		pg_report_render(&out, r, f, &wo);
		assert_true(out.len > 0);
		pg_buf_free(&out);
	}
	pg_report_free(r);

	/* what perfgate writes, it reads back */
	judged j;
	pg_buf js = PG_BUF_INIT, again = PG_BUF_INIT;
	judged_build(&j, "h|x", "exit 3: \x1b[31mred\xff", PG_SEV_CRITICAL);
	j.r->github_pr = 7;
	j.r->github_sha = pg_strdup("abcdefabcdefabcdefabcdefabcdefabcdefabcd");
	pg_report_add_warning(j.r, "a warning");
	pg_report_write_json(&js, j.r);
	assert_int_equal(load_text(dir, js.ptr, &r), 0);
	assert_int_equal(r->nrows, j.r->nrows);
	assert_int_equal(r->github_pr, 7);
	assert_string_equal(r->base_ref, "main");
	/* the writer repaired what JSON cannot hold; the reader keeps the rest */
	assert_string_equal(r->rows[0].reason, "exit 3: \x1b[31mred\xef\xbf\xbd");
	pg_report_write_json(&again, r);
	assert_string_equal(js.ptr, again.ptr);
	pg_report_free(r);
	pg_buf_free(&js);
	pg_buf_free(&again);
	judged_free(&j);
	th_rmrf(dir);
	free(dir);
}

/* ---- what perfgate writes, it reads back and shows the same ------------- */

/* A row with every number of the verdict set. */
static pg_result_row *rt_row(pg_report *r, const char *bench, const char *metric, const char *unit,
			     pg_severity sev, pg_method method, double baseline, double current,
			     double change, double z, double sd)
{
	pg_result_row *row = pg_report_add_row(r, bench);
	row->metric = pg_strdup(metric);
	row->unit = pg_strdup(unit);
	row->notice = 5;
	row->v = (pg_verdict){ .current = current, .baseline = baseline, .sd = sd,
			       .change_pct = change, .z = z, .p = NAN, .ci_low = NAN, .ci_high = NAN,
			       .cv_current = 1.5, .cv_baseline = 2.25, .mdc_pct = 3.5,
			       .n_baseline = 8, .n_current = 10, .method = method,
			       .significant = sev >= PG_SEV_IMPROVED, .severity = sev };
	for (int i = 0; i < 8 && !isnan(baseline); i++)
		pg_samples_push(&row->history, baseline + i * 10);
	pg_samples_push(&row->history, current);
	return row;
}

/* Every kind of row, note and field the writers can produce. */
static pg_report *rt_report(int ab)
{
	pg_report *r = pg_calloc(1, sizeof(*r));
	pg_buf ref = PG_BUF_INIT;
	r->commit = pg_strdup("abcdefabcdefabcdefabcdefabcdefabcdefabcd");
	for (int i = 0; i < 60; i++)
		pg_buf_puts(&ref, "feature/"); /* a 480-byte branch: git allows it */
	r->branch = pg_buf_detach(&ref);
	r->dirty = 1;
	r->testbed = pg_strdup("ci-x86 @team #1");
	r->base_ref = pg_strdup("main");
	r->base_commit = pg_strdup("1234567890123456789012345678901234567890");
	r->window = 20;
	r->baseline_commits = 8;
	r->history_truncated = !ab;
	r->fail_on = PG_SEV_WARNING;
	r->ab = ab;
	r->ab_pairs = ab ? 31 : 0;
	r->ab_adaptive = ab;
	r->github_pr = ab ? 0 : 42;
	r->github_sha = ab ? NULL : pg_strdup("fedcbafedcbafedcbafedcbafedcbafedcbafedc");
	pg_method m = ab ? PG_METHOD_AB : PG_METHOD_SIGMA;
	rt_row(r, "ok | *x*", "wall_time", "ns", PG_SEV_OK, m, 1000000, 1010000, 1, 0.5, 20000);
	rt_row(r, "fresh", "wall_time", "ns", PG_SEV_NEW, PG_METHOD_NONE, NAN, 5000000, NAN, NAN,
	       NAN);
	rt_row(r, "faster", "throughput", "B/s", PG_SEV_IMPROVED, m, 2e9, 2.6e9, -30, -12.5, 4e7)
		->higher_is_better = 1;
	rt_row(r, "a bit", "max_rss", "KiB", PG_SEV_NOTICE, m, 2048, 2181, 6.5, 4.25, 32);
	rt_row(r, "slower", "wall_time", "ns", PG_SEV_WARNING, m, 1000000, 1122500, 12.25, 6, 20000);
	rt_row(r, "GH-1 @octocat www.x.com", "instructions", "instr@valgrind", PG_SEV_CRITICAL, m,
	       1e9, 1.25e9, 25, ab ? NAN : INFINITY, 0);
	if (!ab) {
		/* from a zero baseline: an infinite change (and z), both ways */
		rt_row(r, "from zero", "errors", "", PG_SEV_CRITICAL, m, 0, 3, INFINITY, INFINITY, 0);
		rt_row(r, "rate from zero", "ops", "1/s", PG_SEV_IMPROVED, m, 0, 7, -INFINITY,
		       -INFINITY, 0)->higher_is_better = 1;
		pg_result_row *w = rt_row(r, "welch", "wall_time", "ns", PG_SEV_OK, PG_METHOD_WELCH,
					  1000000, 1080000, 8, NAN, NAN);
		w->v.p = 0.0125;
		w->v.significant = 0;
		w->v.note = PG_NOTE_ONE_EACH;
		pg_result_row *n = rt_row(r, "noisy", "wall_time", "ns", PG_SEV_OK, m, 1000000,
					  1070000, 7, 1.5, 46000);
		n->v.mdc_pct = 13.75;
		n->v.note = PG_NOTE_UNDECIDED;
	} else {
		pg_result_row *a = rt_row(r, "paired", "wall_time", "ns", PG_SEV_OK, m, 1000000,
					  1060000, 6, NAN, NAN);
		a->v.p = 0.0625;
		a->v.ci_low = -1.5;
		a->v.ci_high = 13.25;
		a->v.mdc_pct = 21.5;
		a->v.note = PG_NOTE_AB_UNREACHABLE;
	}
	pg_report_add_status(r, "crashy", PG_SEV_FAILED, "run 1/10 exited with status 3: "
			     "boom | `x` <b> #12 \x1b[31mred\xff");
	pg_report_add_status(r, "gone/op", PG_SEV_MISSING, "in the baseline at 123456789012 but not "
			     "in this run (renamed or deleted?)");
	pg_report_add_warning(r, "the baseline restarts at 0123456789ab: the definition changed");
	pg_report_add_warning(r, "a warning with <html> and @someone");
	pg_report_finish(r);
	return r;
}

static void test_report__every_report_round_trips(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	for (int ab = 0; ab <= 1; ab++) {
		pg_report *r = rt_report(ab), *back = NULL;
		pg_buf js = PG_BUF_INIT, again = PG_BUF_INIT;
		pg_report_write_json(&js, r);
		if (load_text(dir, js.ptr, &back) < 0)
			fail_msg("A/B %d: %s", ab, pg_error_last());
		assert_int_equal(back->nrows, r->nrows);
		assert_int_equal(back->passed, r->passed);
		for (pg_format f = PG_FORMAT_TERM; f <= PG_FORMAT_HTML; f++) {
			pg_buf a = PG_BUF_INIT, b = PG_BUF_INIT;
			pg_write_opts wo = { 0 };
			pg_report_render(&a, r, f, &wo);
			pg_report_render(&b, back, f, &wo);
			size_t at = 0;
			while (a.ptr[at] && a.ptr[at] == b.ptr[at])
				at++;
			if (a.ptr[at] || b.ptr[at])
				fail_msg("A/B %d, format %d differs after reading back, at\n%.300s\n----\n"
					 "%.300s", ab, (int)f, a.ptr + (at > 100 ? at - 100 : 0),
					 b.ptr + (at > 100 ? at - 100 : 0));
			pg_buf_free(&a);
			pg_buf_free(&b);
		}
		/* and the comment, cut to a size */
		pg_markdown_opts mo = { "<!-- perfgate:x -->\n", "https://example.com/run/1", 1500 };
		pg_buf_clear(&js);
		pg_report_write_markdown_opts(&js, r, &mo);
		pg_report_write_markdown_opts(&again, back, &mo);
		assert_string_equal(js.ptr, again.ptr);
		pg_buf_free(&js);
		pg_buf_free(&again);
		pg_report_free(r);
		pg_report_free(back);
	}
	th_rmrf(dir);
	free(dir);
}

/* Count the cell separators of a Markdown table line: unescaped pipes. */
static int load_report(pg_report **r, const char *json)
{
	char *dir = th_tempdir();
	pg_buf path = PG_BUF_INIT;
	th_write(dir, "report.json", json);
	pg_buf_printf(&path, "%s/report.json", dir);
	int err = pg_report_load_json(r, path.ptr);
	pg_buf_free(&path);
	th_rmrf(dir);
	free(dir);
	return err;
}

/* Found by tests/fuzz: a report without results was sorted with qsort on
 * a NULL array (undefined, caught by UBSan). */
static void test_report__empty_report_reads(void **state)
{
	(void)state;
	pg_report *r;
	assert_int_equal(load_report(&r, "{\"format\": \"perfgate-report\", \"version\": 1, "
					  "\"results\": []}"), 0);
	assert_int_equal(r->nrows, 0);
	assert_true(r->passed);
	pg_report_free(r);
}

/* Found by tests/fuzz: a result that did not fail but has no metric or
 * unit crashed `perfgate post` (the noise advice names both); the reader
 * refuses it, as it refuses every malformed result. */
static void test_report__result_without_metric_is_refused(void **state)
{
	(void)state;
	pg_report *r = NULL;
	int err = load_report(&r, "{\"format\": \"perfgate-report\", \"version\": 1, \"results\": "
				  "[{\"benchmark\": \"a\", \"severity\": \"ok\", \"mdc_pct\": 50, "
				  "\"notice\": 5}]}");
	if (r) { /* before the fix: read, then publishing it crashed */
		pg_buf md = PG_BUF_INIT;
		pg_report_write_markdown(&md, r);
		pg_buf_free(&md);
		pg_report_free(r);
	}
	assert_int_equal(err, PG_ECORRUPT);
	assert_non_null(strstr(pg_error_last(), "results[0].metric: missing"));
}

/* Found by fuzzing the report reader: a history spanning more than
 * DBL_MAX (-1e308 to 1e308) made the sparkline cast NaN to int (UBSan),
 * drawing every bar at the bottom. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report__load_rejects_malformed),
		cmocka_unit_test(test_report__load_sparse_and_round_trip),
		cmocka_unit_test(test_report__every_report_round_trips),
		cmocka_unit_test(test_report__empty_report_reads),
		cmocka_unit_test(test_report__result_without_metric_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
