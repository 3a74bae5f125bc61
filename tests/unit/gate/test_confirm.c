/*
 * test_confirm.c - check --confirm's pieces on verdicts built by hand: the
 * screen (looser than the gate's rule, never an improvement, a new or a
 * failed result), the A/B verdict replacing the history one, the text every
 * report shows, and the JSON report carrying both back (with hostile
 * "confirm" fields refused).
 */
#include "buf.h"
#include "confirm.h"
#include "error.h"
#include "helpers.h"
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const pg_thresholds T = PG_THRESHOLDS_DEFAULT;

static pg_result_row row_of(pg_method m, double change, double z, double p, pg_severity sev)
{
	pg_result_row row;
	memset(&row, 0, sizeof(row));
	row.metric = "wall_time";
	row.v.method = m;
	row.v.change_pct = change;
	row.v.z = z;
	row.v.p = p;
	row.v.severity = sev;
	return row;
}

static void test_confirm__screen(void **state)
{
	(void)state;
	pg_result_row r;
	/* what the gate's rule flags at the level passes */
	r = row_of(PG_METHOD_SIGMA, 12, 4, NAN, PG_SEV_WARNING);
	assert_true(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	assert_true(pg_confirm_screen(&r, PG_SEV_WARNING, &T));
	/* looser: +4 % at z 1.2 is ok for the gate, screened in at notice */
	r = row_of(PG_METHOD_SIGMA, 4, 1.2, NAN, PG_SEV_OK);
	assert_true(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	/* ... not below half the threshold, nor below the screening z */
	r = row_of(PG_METHOD_SIGMA, 2.4, 5, NAN, PG_SEV_OK);
	assert_false(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	r = row_of(PG_METHOD_SIGMA, 9, 0.9, NAN, PG_SEV_OK);
	assert_false(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	/* at warning, the floor is half of 10 % */
	r = row_of(PG_METHOD_SIGMA, 4.9, 3, NAN, PG_SEV_OK);
	assert_false(pg_confirm_screen(&r, PG_SEV_WARNING, &T));
	r = row_of(PG_METHOD_SIGMA, 7, 3, NAN, PG_SEV_NOTICE);
	assert_true(pg_confirm_screen(&r, PG_SEV_WARNING, &T));
	/* no spread: z is +inf */
	r = row_of(PG_METHOD_SIGMA, 3, INFINITY, NAN, PG_SEV_OK);
	assert_true(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	/* a short history: Welch p < 0.1 */
	r = row_of(PG_METHOD_WELCH, 6, NAN, 0.05, PG_SEV_OK);
	assert_true(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	r = row_of(PG_METHOD_WELCH, 6, NAN, 0.2, PG_SEV_OK);
	assert_false(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	r = row_of(PG_METHOD_WELCH, 6, NAN, NAN, PG_SEV_OK);
	assert_false(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	/* never: improvements, non-finite or absent changes, new, A/B, failed */
	r = row_of(PG_METHOD_SIGMA, -12, -4, NAN, PG_SEV_IMPROVED);
	assert_false(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	r = row_of(PG_METHOD_SIGMA, NAN, NAN, NAN, PG_SEV_OK);
	assert_false(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	r = row_of(PG_METHOD_NONE, NAN, NAN, NAN, PG_SEV_NEW);
	assert_false(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	r = row_of(PG_METHOD_AB, 30, NAN, 0.0001, PG_SEV_CRITICAL);
	assert_false(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	r = row_of(PG_METHOD_SIGMA, 30, 9, NAN, PG_SEV_CRITICAL);
	r.reason = "failed";
	assert_false(pg_confirm_screen(&r, PG_SEV_NOTICE, &T));
	/* a change of +inf (from 0) with significance passes */
	r = row_of(PG_METHOD_SIGMA, INFINITY, INFINITY, NAN, PG_SEV_CRITICAL);
	assert_true(pg_confirm_screen(&r, PG_SEV_CRITICAL, &T));
}

static pg_result_row *add(pg_report *r, const char *bench, const char *metric, pg_method m,
			  double change, pg_severity sev)
{
	pg_result_row *row = pg_report_add_row(r, bench);
	row->metric = pg_strdup(metric);
	row->unit = pg_strdup("ns");
	row->v.method = m;
	row->v.change_pct = change;
	row->v.z = m == PG_METHOD_SIGMA ? 5 : NAN;
	row->v.p = row->v.baseline = row->v.current = row->v.sd = NAN;
	row->v.ci_low = row->v.ci_high = row->v.cv_current = row->v.cv_baseline = NAN;
	row->v.mdc_pct = NAN;
	row->v.severity = sev;
	row->v.significant = sev != PG_SEV_OK;
	return row;
}

static pg_report *history_report(void)
{
	pg_report *r = pg_calloc(1, sizeof(*r));
	r->commit = pg_strdup("0123456789abcdef0123456789abcdef01234567");
	r->testbed = pg_strdup("t");
	r->base_ref = pg_strdup("main");
	r->base_commit = pg_strdup("89abcdef0123456789abcdef0123456789abcdef");
	r->fail_on = PG_SEV_WARNING;
	add(r, "drift<&>*", "wall_time", PG_METHOD_SIGMA, 12, PG_SEV_WARNING);
	add(r, "real", "wall_time", PG_METHOD_SIGMA, 12, PG_SEV_WARNING);
	add(r, "quiet", "wall_time", PG_METHOD_SIGMA, 0.3, PG_SEV_OK);
	add(r, "gone", "wall_time", PG_METHOD_SIGMA, 30, PG_SEV_CRITICAL);
	return r;
}

static void test_confirm__apply_and_show(void **state)
{
	(void)state;
	pg_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.thresholds = T;
	pg_report *r = history_report(), *ab = pg_calloc(1, sizeof(*ab));
	assert_int_equal(pg_confirm_mark(r, &cfg, PG_SEV_NOTICE), 3);
	pg_result_row *a = add(ab, "drift<&>*", "wall_time", PG_METHOD_AB, 0.8, PG_SEV_OK);
	a->v.ci_low = -0.4, a->v.ci_high = 2.1, a->v.significant = 0;
	a = add(ab, "real", "wall_time", PG_METHOD_AB, 11.6, PG_SEV_WARNING);
	a->v.ci_low = 10.9, a->v.ci_high = 12.4;
	pg_report_add_status(ab, "gone", PG_SEV_FAILED, "base run 1/1: exited with status 3");
	th_capture_warnings();
	pg_confirm_apply(r, ab);
	pg_report_finish(r);
	r->confirm_level = PG_SEV_NOTICE;
	r->confirm_base = pg_strdup(r->base_commit);
	r->confirm_pairs = 30;
	/* "gone" failed on a side: its history verdict stands, said */
	assert_non_null(strstr(th_warnings(), "gone wall_time: not confirmed: the A/B re-measurement "
					      "failed: base run 1/1: exited with status 3"));
	pg_buf text = PG_BUF_INIT;
	for (size_t i = 0; i < r->nrows; i++) {
		pg_result_row *row = &r->rows[i];
		pg_buf_clear(&text);
		pg_report_confirm_text(&text, row);
		if (!strcmp(row->bench, "real")) {
			assert_int_equal(row->confirm, PG_CONFIRM_YES);
			assert_int_equal(row->v.method, PG_METHOD_AB);
			assert_string_equal(text.ptr, "history +12.0% warning; confirmed by A/B: +11.6% "
						      "[10.9, 12.4]");
		} else if (!strcmp(row->bench, "drift<&>*")) {
			assert_int_equal(row->confirm, PG_CONFIRM_NO);
			assert_int_equal(row->v.severity, PG_SEV_OK);
			assert_string_equal(text.ptr, "history +12.0% warning; not confirmed: +0.8% "
						      "[-0.4, 2.1] (runner drift)");
		} else {
			assert_int_equal(row->confirm, PG_CONFIRM_NONE);
			assert_string_equal(text.ptr, "");
		}
	}
	/* the gate: "real" and "gone" fail it, "drift" no longer does */
	assert_false(r->passed);
	assert_int_equal(r->counts[PG_SEV_WARNING], 1);
	/* escaped for each format */
	pg_buf_clear(&text);
	pg_report_write_markdown(&text, r);
	assert_non_null(strstr(text.ptr, "**drift&lt;&amp;&gt;\\* wall\\_time**: history +12.0% "));
	pg_buf_clear(&text);
	pg_report_write_html(&text, r);
	assert_non_null(strstr(text.ptr, "<li><b>drift&lt;&amp;&gt;* wall_time</b>: history"));
	assert_null(strstr(text.ptr, "drift<&>"));

	/* JSON carries both back (perfgate post) */
	char *dir = th_tempdir();
	pg_buf path = PG_BUF_INIT;
	pg_buf_clear(&text);
	pg_report_write_json(&text, r);
	th_write(dir, "r.json", text.ptr);
	pg_buf_printf(&path, "%s/r.json", dir);
	pg_report *back = NULL;
	assert_int_equal(pg_report_load_json(&back, path.ptr), 0);
	assert_int_equal(back->confirm_level, PG_SEV_NOTICE);
	assert_string_equal(back->confirm_base, r->base_commit);
	assert_int_equal(back->confirm_pairs, 30);
	for (size_t i = 0; i < r->nrows; i++) {
		assert_int_equal(back->rows[i].confirm, r->rows[i].confirm);
		if (r->rows[i].confirm) {
			assert_int_equal(back->rows[i].hist_severity, r->rows[i].hist_severity);
			assert_true(fabs(back->rows[i].hist_change - r->rows[i].hist_change) < 1e-6);
		}
	}
	pg_buf b1 = PG_BUF_INIT, b2 = PG_BUF_INIT;
	pg_report_write_markdown(&b1, r);
	pg_report_write_markdown(&b2, back);
	assert_string_equal(b1.ptr, b2.ptr);

	/* hostile "confirm" fields are refused, naming the field */
	static const struct { const char *from, *to, *msg; } bad[] = {
		{ "\"history_severity\": \"warning\"", "\"history_severity\": \"failed\"",
		  "results[1].confirm.history_severity: expected ok" },
		{ "\"history_severity\": \"warning\"", "\"history_severity\": 3", "history_severity" },
		{ "\"confirmed\": true", "\"confirmed\": \"yes\"", "results[1].confirm.confirmed" },
		{ "\"level\": \"notice\"", "\"level\": \"never\"", "confirm.level: expected notice" },
		{ "\"level\": \"notice\"", "\"level\": null", "confirm.level" },
		{ "\"pairs\": 30", "\"pairs\": -1", "confirm.pairs" },
		{ "\"pairs\": 30", "\"pairs\": 1e400", "bad.json" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pg_buf edited = PG_BUF_INIT;
		const char *at = strstr(text.ptr, bad[i].from);
		assert_non_null(at);
		pg_buf_put(&edited, text.ptr, (size_t)(at - text.ptr));
		pg_buf_puts(&edited, bad[i].to);
		pg_buf_puts(&edited, at + strlen(bad[i].from));
		th_write(dir, "bad.json", edited.ptr);
		pg_buf_clear(&path);
		pg_buf_printf(&path, "%s/bad.json", dir);
		pg_report *rb = NULL;
		assert_int_equal(pg_report_load_json(&rb, path.ptr), PG_ECORRUPT);
		if (!strstr(pg_error_last(), bad[i].msg))
			fail_msg("case %zu: '%s' not in '%s'", i, bad[i].msg, pg_error_last());
		pg_buf_free(&edited);
	}
	pg_report_free(back);
	pg_buf_free(&b1);
	pg_buf_free(&b2);
	pg_buf_free(&path);
	th_rmrf(dir);
	free(dir);
	pg_buf_free(&text);
	pg_report_free(r);
	pg_report_free(ab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_confirm__screen),
		cmocka_unit_test(test_confirm__apply_and_show),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
