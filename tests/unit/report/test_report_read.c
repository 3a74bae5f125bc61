/*
 * test_report_read.c - reading a JSON report back (report_read.c), the
 * trust boundary of `perfgate post`: what the JSON writer writes reads back
 * equal, field by field (numbers are written with 10 significant digits:
 * the values here have fewer); the verdict and the counts are the reader's own
 * (a forged "pass" does not pass); hostile fields are refused with one line
 * naming the file and the field.  (test_report_load.c holds the older cases:
 * the table of malformed reports and the rendering round trips.)
 */
#include "buf.h"
#include "error.h"
#include "helpers.h"
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = th_tempdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_rmrf(dir);
	free(dir);
	return 0;
}

/* Writes `json` to DIR/report.json and reads it as `perfgate post` does. */
static int load(const char *json, pg_report **r)
{
	char path[512];
	th_write(dir, "report.json", json);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	*r = (pg_report *)1;
	return pg_report_load_json(r, path);
}

#define DOC(rest) "{\"format\": \"perfgate-report\", \"version\": 1" rest "}"
/* One result, b's m in ns, with `fields`; ROW's is ok. */
#define BARE(fields) DOC(", \"results\": [{\"benchmark\": \"b\", \"unit\": \"ns\"" fields "}]")
#define ROW(fields) BARE(", \"metric\": \"m\", \"severity\": \"ok\"" fields)

/* Refused: PG_ECORRUPT, no report, one line naming the file and `what`. */
static void refused(const char *json, const char *what)
{
	pg_report *r;
	int err = load(json, &r);
	const char *msg = pg_error_last();
	if (err != PG_ECORRUPT || r || !strstr(msg, "/report.json") || !strstr(msg, what) ||
	    strchr(msg, '\n'))
		fail_msg("%.200s\n  got %d: %s\n  expected: %s", json, err, msg, what);
}

static void same_text(const char *a, const char *b)
{
	if (a || b) {
		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(a, b);
	}
}

/* Equal, or both NaN (null in JSON). */
static void same_number(double a, double b)
{
	if (!(isnan(a) && isnan(b)) && a != b)
		fail_msg("%.17g != %.17g", a, b);
}

static pg_result_row *row(pg_report *r, const char *bench, pg_severity sev, double base,
			  double cur, double change, double z)
{
	pg_result_row *w = pg_report_add_row(r, bench);
	w->metric = pg_strdup("wall_time");
	w->unit = pg_strdup("ns");
	w->notice = 5;
	w->outliers = 2;
	w->v = (pg_verdict){ .current = cur, .baseline = base, .sd = 1250.5, .change_pct = change,
			     .z = z, .p = 0.03125, .ci_low = -1.5, .ci_high = 7.25,
			     .cv_current = 1.5, .cv_baseline = 2.25, .mdc_pct = 3.5,
			     .n_baseline = 8, .n_current = 10, .method = PG_METHOD_SIGMA,
			     .significant = sev >= PG_SEV_IMPROVED, .severity = sev };
	for (int i = 0; i < 5; i++)
		pg_samples_push(&w->history, base + i * base / 8);
	pg_samples_push(&w->history, cur);
	return w;
}

static pg_report *sample_report(void)
{
	pg_report *r = pg_calloc(1, sizeof(*r));
	r->commit = pg_strdup("abcdefabcdefabcdefabcdefabcdefabcdefabcd");
	r->branch = pg_strdup("feature/x y");
	r->dirty = 1;
	r->testbed = pg_strdup("ci-x86 @team #1");
	r->base_ref = pg_strdup("main");
	r->base_commit = pg_strdup("1234567890123456789012345678901234567890");
	r->window = 20;
	r->baseline_commits = 8;
	r->history_truncated = 1;
	r->fail_on = PG_SEV_WARNING;
	r->github_pr = 42;
	r->github_sha = pg_strdup("fedcbafedcbafedcbafedcbafedcbafedcbafedc");
	row(r, "ok", PG_SEV_OK, 1000000, 1010000, 1, 0.5);
	row(r, "slower | x", PG_SEV_CRITICAL, 1000000, 1250000, 25, 12.75);
	row(r, "faster", PG_SEV_IMPROVED, 2e9, 1.4e9, -30, -12.5)->higher_is_better = 0;
	pg_result_row *t = row(r, "throughput", PG_SEV_WARNING, 3e9, 2.6e9, 13.25, 6);
	t->higher_is_better = 1;
	t->unit = (free(t->unit), pg_strdup("B/s"));
	t->v.note = PG_NOTE_UNDECIDED;
	row(r, "from zero", PG_SEV_CRITICAL, 0, 3, INFINITY, INFINITY)->v.sd = 0;
	pg_report_add_status(r, "crashy", PG_SEV_FAILED, "run 1/10 exited with status 3: boom");
	pg_report_add_status(r, "gone/op", PG_SEV_MISSING, "in the baseline but not in this run");
	pg_report_add_warning(r, "the baseline restarts at 0123456789ab");
	pg_report_add_warning(r, "a warning with <html> and @someone");
	pg_report_finish(r);
	return r;
}

static void test_report_read__reads_back_equal(void **state)
{
	(void)state;
	pg_report *r = sample_report(), *b = NULL;
	pg_buf js = PG_BUF_INIT;
	pg_report_write_json(&js, r);
	if (load(js.ptr, &b) < 0)
		fail_msg("%s", pg_error_last());
	same_text(b->commit, r->commit);
	same_text(b->branch, r->branch);
	same_text(b->testbed, r->testbed);
	same_text(b->base_ref, r->base_ref);
	same_text(b->base_commit, r->base_commit);
	same_text(b->github_sha, r->github_sha);
	assert_int_equal(b->dirty, r->dirty);
	assert_int_equal(b->window, r->window);
	assert_int_equal(b->baseline_commits, r->baseline_commits);
	assert_int_equal(b->history_truncated, r->history_truncated);
	assert_int_equal(b->fail_on, r->fail_on);
	assert_int_equal(b->passed, r->passed);
	assert_int_equal(b->github_pr, r->github_pr);
	assert_int_equal(b->ab, 0);
	assert_memory_equal(b->counts, r->counts, sizeof(r->counts));
	assert_int_equal(b->nwarnings, r->nwarnings);
	for (size_t i = 0; i < r->nwarnings; i++)
		assert_string_equal(b->warnings[i], r->warnings[i]);
	assert_int_equal(b->nrows, r->nrows);
	for (size_t i = 0; i < r->nrows; i++) {
		const pg_result_row *x = &r->rows[i], *y = &b->rows[i];
		same_text(y->bench, x->bench);
		same_text(y->metric, x->metric);
		same_text(y->unit, x->unit);
		same_text(y->reason, x->reason);
		assert_int_equal(y->higher_is_better, x->higher_is_better);
		assert_int_equal(y->v.severity, x->v.severity);
		if (x->v.severity == PG_SEV_FAILED || x->v.severity == PG_SEV_MISSING)
			continue; /* no numbers */
		same_number(y->notice, x->notice);
		assert_int_equal(y->outliers, x->outliers);
		assert_int_equal(y->v.method, x->v.method);
		assert_int_equal(y->v.significant, x->v.significant);
		assert_int_equal(y->v.n_baseline, x->v.n_baseline);
		assert_int_equal(y->v.n_current, x->v.n_current);
		same_text(y->v.note, x->v.note);
		same_number(y->v.baseline, x->v.baseline);
		same_number(y->v.current, x->v.current);
		same_number(y->v.change_pct, x->v.change_pct); /* +inf: null, restored */
		same_number(y->v.z, x->v.z);
		same_number(y->v.p, x->v.p);
		same_number(y->v.sd, x->v.sd);
		same_number(y->v.ci_low, x->v.ci_low);
		same_number(y->v.ci_high, x->v.ci_high);
		same_number(y->v.cv_current, x->v.cv_current);
		same_number(y->v.cv_baseline, x->v.cv_baseline);
		same_number(y->v.mdc_pct, x->v.mdc_pct);
		assert_int_equal(y->history.n, x->history.n);
		for (size_t k = 0; k < x->history.n; k++)
			same_number(y->history.v[k], x->history.v[k]);
	}
	pg_buf_free(&js);
	pg_report_free(r);
	pg_report_free(b);
}

/* The verdict and the counts in the file are not trusted: the reader
 * judges the rows again, with the file's fail_on. */
static void test_report_read__forged_verdict_does_not_pass(void **state)
{
	(void)state;
	pg_report *r;
	assert_int_equal(load(DOC(", \"verdict\": \"pass\", \"counts\": {\"critical\": 0, "
				  "\"ok\": 9}, \"results\": [{\"benchmark\": \"b\", \"metric\": "
				  "\"m\", \"unit\": \"ns\", \"severity\": \"critical\"}]"),
			      &r),
			 0);
	assert_false(r->passed);
	assert_int_equal(r->counts[PG_SEV_CRITICAL], 1);
	assert_int_equal(r->counts[PG_SEV_OK], 0);
	pg_report_free(r);
	/* a failed benchmark fails whatever fail_on says */
	assert_int_equal(load(DOC(", \"verdict\": \"pass\", \"fail_on\": \"never\", \"results\": "
				  "[{\"benchmark\": \"b\", \"severity\": \"failed\"}]"),
			      &r),
			 0);
	assert_false(r->passed);
	assert_string_equal(r->rows[0].reason, "failed");
	pg_report_free(r);
	/* and a forged "fail" over clean rows passes */
	assert_int_equal(load(DOC(", \"verdict\": \"fail\", \"results\": [{\"benchmark\": "
				  "\"b\", \"metric\": \"m\", \"unit\": \"ns\", \"severity\": "
				  "\"ok\"}]"),
			      &r),
			 0);
	assert_true(r->passed);
	pg_report_free(r);
}

/* Absent, null and unknown fields: defaults, and newer fields ignored. */
static void test_report_read__nulls_and_unknown_fields(void **state)
{
	(void)state;
	pg_report *r;
	assert_int_equal(load(DOC(", \"results\": [{\"benchmark\": \"b\", \"severity\": \"new\", "
				  "\"metric\": \"m\", \"unit\": \"µs\", \"baseline\": null, "
				  "\"method\": null, \"note\": null, \"history\": null, "
				  "\"outliers\": null, \"future\": {\"x\": [1, \"y\"]}}], "
				  "\"base\": null, \"ab\": null, \"github\": null, "
				  "\"commit\": null, \"mode\": null, \"newer\": 1e300"),
			      &r),
			 0);
	assert_int_equal(r->nrows, 1);
	assert_true(isnan(r->rows[0].v.baseline));
	assert_int_equal(r->rows[0].v.method, PG_METHOD_NONE);
	assert_null(r->rows[0].v.note);
	assert_int_equal(r->rows[0].history.n, 0);
	assert_null(r->commit);
	assert_null(r->base_commit);
	assert_int_equal(r->fail_on, PG_SEV_CRITICAL);
	assert_int_equal(r->github_pr, 0);
	assert_int_equal(r->ab, 0);
	pg_report_free(r);
}

static void test_report_read__hostile_fields(void **state)
{
	(void)state;
	/* wrong types */
	refused(ROW(", \"notice\": \"5\""), "results[0].notice: expected a finite number");
	refused(ROW(", \"history\": [1, [2]]"), "results[0].history: expected finite numbers");
	refused(ROW(", \"note\": 3"), "results[0].note: not one of perfgate's judgement notes");
	refused(ROW(", \"note\": \"trust me\""), "results[0].note");
	refused(DOC(", \"base\": {\"truncated\": \"yes\"}, \"results\": []"),
		"base.truncated: expected true");
	refused(DOC(", \"base\": {\"commits\": 1.5}, \"results\": []"), "base.commits");
	refused(DOC(", \"ab\": {\"adaptive\": 1}, \"results\": []"), "ab.adaptive: expected true");
	refused(DOC(", \"summary\": [], \"results\": []"), "report.json: summary: expected a string");
	/* counts out of range */
	refused(DOC(", \"github\": {\"pull_request\": 2147483648}, \"results\": []"),
		"github.pull_request: expected a non-negative integer");
	refused(ROW(", \"samples\": 9223372036854775807"), "results[0].samples");
	refused("{\"format\": \"perfgate-report\", \"version\": 0, \"results\": []}",
		"version: expected 1");
	/* non-finite numbers: JSON has none, and jansson refuses an overflow */
	refused(ROW(", \"current\": 1e999"), "not a JSON report");
	refused(ROW(", \"current\": -1e999"), "not a JSON report");
	refused(ROW(", \"current\": NaN"), "not a JSON report");
	refused(ROW(", \"current\": Infinity"), "not a JSON report");
	refused(ROW(", \"history\": [1, -Infinity]"), "not a JSON report");
	/* commit ids */
	refused(DOC(", \"commit\": \"abcdefabcdefabcdefabcdefabcdefabcdefabc\", \"results\": []"),
		"report.json: commit: is not a commit id");
	refused(DOC(", \"commit\": \"abcdefabcdefabcdefabcdefabcdefabcdefabcda\", \"results\": []"),
		"report.json: commit: is not a commit id");
	refused(DOC(", \"commit\": \"abcdefabcdefabcdefabcdefabcdefabcdefabcg\", \"results\": []"),
		"report.json: commit: is not a commit id");
	refused(DOC(", \"ab\": {\"base\": \"../../etc/passwd\"}, \"results\": []"),
		"ab.base: is not a commit id");
	refused(DOC(", \"mode\": \"ab\", \"base\": {\"commit\": "
		    "\"1234567890123456789012345678901234567890\"}, \"ab\": {\"base\": "
		    "\"abcdefabcdefabcdefabcdefabcdefabcdefabcd\"}, \"results\": []"),
		"ab.base: differs from base.commit");
	/* control characters and other bad names */
	refused(DOC(", \"results\": [{\"benchmark\": \"a\\nb\", \"severity\": \"failed\"}]"),
		"results[0].benchmark: contains a control character");
	refused(DOC(", \"results\": [{\"benchmark\": \"a\\u007fb\", \"severity\": \"failed\"}]"),
		"results[0].benchmark: contains a control character");
	refused(BARE(", \"severity\": \"ok\", \"metric\": \"m\\rX\""),
		"results[0].metric: contains a control character");
	refused(DOC(", \"branch\": \"main\\u001b[2J\", \"results\": []"),
		"report.json: branch: contains a control character");
	refused(DOC(", \"testbed\": \"t\\u009bb\", \"results\": []"),
		"report.json: testbed: contains a control character");
	refused(DOC(", \"results\": [{\"benchmark\": \"a\\u0000b\", \"severity\": \"failed\"}]"),
		"not a JSON report");
	/* unknown severities (and the ones only perfgate itself may set) */
	refused(BARE(", \"metric\": \"m\", \"severity\": \"CRITICAL\""),
		"results[0].severity: missing, or not");
	refused(BARE(", \"metric\": \"m\", \"severity\": \"\""), "results[0].severity");
	refused(BARE(", \"metric\": \"m\", \"severity\": null"), "results[0].severity");
	refused(DOC(", \"fail_on\": \"ok\", \"results\": []"), "report.json: fail_on: expected");
	refused(DOC(", \"fail_on\": \"failed\", \"results\": []"), "report.json: fail_on: expected");
	/* the second bad row is named by its index */
	refused(DOC(", \"results\": [{\"benchmark\": \"a\", \"severity\": \"failed\"}, {\"benchmark\": "
		    "\"b\", \"severity\": \"failed\"}, {\"benchmark\": \"c\", \"severity\": \"ok\"}]"),
		"results[2].metric: missing");
}

/* Names, texts and arrays at and past their limits. */
static void test_report_read__sizes(void **state)
{
	(void)state;
	pg_buf j = PG_BUF_INIT;
	pg_report *r;
	/* a name of 200 bytes is one, of 201 is not */
	for (int len = 200; len <= 201; len++) {
		pg_buf_clear(&j);
		pg_buf_puts(&j, DOC(", \"results\": [{\"severity\": \"failed\", \"benchmark\": \""));
		pg_buf_truncate(&j, j.len - 1);
		for (int i = 0; i < len; i++)
			pg_buf_putc(&j, 'n');
		pg_buf_puts(&j, "\"}]}");
		if (len == 200) {
			assert_int_equal(load(j.ptr, &r), 0);
			assert_int_equal(strlen(r->rows[0].bench), 200);
			pg_report_free(r);
		} else {
			refused(j.ptr, "results[0].benchmark: is longer than 200 bytes");
		}
	}
	/* warnings and the summary: 16384 bytes at most */
	for (int field = 0; field < 2; field++) {
		pg_buf_clear(&j);
		pg_buf_puts(&j, field ? DOC(", \"results\": [], \"summary\": \"")
				      : DOC(", \"results\": [], \"warnings\": [\"ok\", \""));
		pg_buf_truncate(&j, j.len - 1);
		for (int i = 0; i < 16385; i++)
			pg_buf_putc(&j, 'w');
		pg_buf_puts(&j, field ? "\"}" : "\"]}");
		refused(j.ptr, field ? "report.json: summary: is longer than 16384 bytes"
				     : "report.json: warnings[1]: expected a string of at most 16384");
	}
	/* many rows and a long history are read whole */
	pg_buf_clear(&j);
	pg_buf_puts(&j, DOC(", \"results\": ["));
	pg_buf_truncate(&j, j.len - 1);
	for (int i = 0; i < 2000; i++)
		pg_buf_printf(&j, "%s{\"benchmark\": \"b%d\", \"severity\": \"failed\"}", i ? ", " : "",
			      i);
	pg_buf_puts(&j, "]}");
	assert_int_equal(load(j.ptr, &r), 0);
	assert_int_equal(r->nrows, 2000);
	assert_int_equal(r->counts[PG_SEV_FAILED], 2000);
	pg_report_free(r);
	pg_buf_free(&j);
}

/* The file itself: absent, empty, truncated, not JSON. */
static void test_report_read__bad_files(void **state)
{
	(void)state;
	pg_report *r = (pg_report *)1;
	char path[512];
	snprintf(path, sizeof(path), "%s/absent.json", dir);
	assert_int_equal(pg_report_load_json(&r, path), PG_ECORRUPT);
	assert_null(r);
	assert_non_null(strstr(pg_error_last(), "absent.json"));
	refused("", "not a JSON report");
	refused("{\"format\": \"perfgate-report\", \"version\": 1, \"results\": [{\"bench",
		"not a JSON report");
	refused("\xff\xfe{}", "not a JSON report");
	refused("{\"format\": \"perfgate-results\", \"version\": 1, \"results\": []}",
		"not a perfgate JSON report");
	refused("{\"format\": \"perfgate-report\", \"version\": 1, \"results\": {}}",
		"not a perfgate JSON report");
	refused("{\"format\": \"perfgate-report\", \"version\": 1.0, \"results\": []}",
		"version: expected 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_read__reads_back_equal),
		cmocka_unit_test(test_report_read__forged_verdict_does_not_pass),
		cmocka_unit_test(test_report_read__nulls_and_unknown_fields),
		cmocka_unit_test(test_report_read__hostile_fields),
		cmocka_unit_test(test_report_read__sizes),
		cmocka_unit_test(test_report_read__bad_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
