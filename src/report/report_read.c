/*
 * report_read.c - reading a JSON report back (`perfgate post`): the trust
 * boundary for report artifacts.
 *
 * In the fork-safe split the report is made by the pull request's own code
 * and read by the job that holds the write token, so every field is
 * checked as the results reader checks results: names and units with
 * validate.h, commit ids as 40 hex digits, numbers finite (or null),
 * counts non-negative integers, severity, method, direction, mode and
 * fail_on from their sets; a result that is neither failed nor missing
 * needs a metric and a unit, one that is gets its reason; git refs (branch,
 * base.ref) may be longer than names.  Absent and null optional
 * fields take their defaults (older reports lack newer fields); unknown
 * fields are ignored (newer reports add fields).  The first problem is the
 * error, naming the file and the field: "report.json: results[3].unit: ...".
 * The format is docs/report-json.md; the writer is report_json.c.
 */
#include "error.h"
#include "complexity.h"
#include "report.h"
#include "unit.h"
#include "validate.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 16384  /* a reason or warning: a process's stderr tail and more */

/* Where in the document: the file, and the prefix of the field names. */
typedef struct where {
	const char *path;
	char prefix[48];   /* "", "base.", "results[3]." */
} where;

static int bad(const where *w, const char *key, const char *what)
{
	return pg_error_set(PG_ECORRUPT, "%s: %s%s: %s", w->path, w->prefix, key, what);
}

/* Checks of a string's shape: NULL, or what is wrong. */
static const char *sha_problem(const char *s)
{
	return pg_sha_valid(s) ? NULL : "is not a commit id (40 lowercase hexadecimal digits)";
}

static const char *text_problem(const char *s)
{
	/* jansson has checked UTF-8 and refused NUL; writers escape the rest */
	return strlen(s) > TEXT_MAX ? "is longer than 16384 bytes" : NULL;
}

/* An optional string: absent or null gives NULL; else `check` decides. */
static int get_string(const where *w, json_t *o, const char *key,
		      const char *(*check)(const char *), char **out)
{
	json_t *v = json_object_get(o, key);
	const char *problem;
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(w, key, "expected a string or null");
	if ((problem = check(json_string_value(v))))
		return bad(w, key, problem);
	*out = pg_strdup(json_string_value(v));
	return 0;
}

/* A string from a fixed set: its index in `set`, or -1 when absent/null. */
static int get_enum(const where *w, json_t *o, const char *key, const char *const *set,
		    size_t n, const char *expected, int *out)
{
	json_t *v = json_object_get(o, key);
	*out = -1;
	if (!v || json_is_null(v))
		return 0;
	for (size_t i = 0; json_is_string(v) && i < n; i++)
		if (!strcmp(json_string_value(v), set[i])) {
			*out = (int)i;
			return 0;
		}
	return bad(w, key, expected);
}

/* An optional number: absent or null gives NAN (jansson refuses inf/nan). */
static int get_number(const where *w, json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);
	*out = NAN;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return bad(w, key, "expected a finite number or null");
	*out = json_number_value(v);
	return 0;
}

/* An optional count: absent or null gives 0; at most `max`. */
static int get_count(const where *w, json_t *o, const char *key, json_int_t max, size_t *out)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
		return bad(w, key, "expected a non-negative integer");
	*out = (size_t)json_integer_value(v);
	return 0;
}

static int get_bool(const where *w, json_t *o, const char *key, int *out)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bad(w, key, "expected true, false or null");
	*out = json_is_true(v);
	return 0;
}

/* An optional object: absent or null gives NULL (json_object_get(NULL)
 * is NULL, so its fields read as absent). */
static int get_object(const where *w, json_t *o, const char *key, json_t **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return bad(w, key, "expected an object or null");
	*out = v;
	return 0;
}

static int get_array(const where *w, json_t *o, const char *key, json_t **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return bad(w, key, "expected an array or null");
	*out = v;
	return 0;
}

static int get_severity(const where *w, json_t *o, int *out)
{
	json_t *v = json_object_get(o, "severity");
	*out = json_is_string(v) ? pg_severity_parse(json_string_value(v)) : -1;
	return *out < 0 ? bad(w, "severity", "missing, or not a severity perfgate knows") : 0;
}

/* The method by name; pg_method_name() maps what it does not know to
 * "none" (0), so the first match is the method. */
static int get_method(const where *w, json_t *o, pg_method *out)
{
	json_t *v = json_object_get(o, "method");
	*out = PG_METHOD_NONE;
	if (!v || json_is_null(v))
		return 0;
	for (int m = 0; json_is_string(v) && m < 16; m++)
		if (!strcmp(json_string_value(v), pg_method_name((pg_method)m))) {
			*out = (pg_method)m;
			return 0;
		}
	return bad(w, "method", "expected \"none\", \"sigma\", \"welch\" or \"ab\"");
}

static const char *name_check(const char *s)
{
	return pg_name_problem(s);
}

static const char *unit_check(const char *s)
{
	return pg_unit_problem(s);
}

static const char *ref_check(const char *s)
{
	return pg_ref_problem(s);
}

static int read_history(const where *w, json_t *row, pg_samples *h)
{
	json_t *hist, *v;
	size_t i;
	int err = get_array(w, row, "history", &hist);
	json_array_foreach(hist, i, v) {
		if (json_is_null(v))
			continue; /* the writer's undefined value */
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return bad(w, "history", "expected finite numbers");
		pg_samples_push(h, json_number_value(v));
	}
	return err;
}

/* "note": one of the judgement's fixed explanations (judge.h), or absent. */
static int read_note(const where *w, json_t *row, const char **note)
{
	json_t *v = json_object_get(row, "note");
	*note = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || !(*note = pg_judge_note_lookup(json_string_value(v))))
		return bad(w, "note", "not one of perfgate's judgement notes");
	return 0;
}

/* JSON has no infinity: the writer writes an infinite change or z as null.
 * Where the judgement's rule (judge.c) made them infinite, they are put
 * back, so a report read back shows what the original showed: a change
 * from a baseline of exactly 0, and under the sigma rule a z with no
 * spread (sd 0) and a change.  Signed so that positive is worse. */
static void restore_infinities(pg_result_row *row)
{
	pg_verdict *v = &row->v;
	double worse = (row->higher_is_better ? -1.0 : 1.0) * (v->current - v->baseline);
	if (isnan(v->change_pct) && v->method != PG_METHOD_AB && v->baseline == 0 &&
	    isfinite(worse) && worse != 0)
		v->change_pct = copysign(INFINITY, worse);
	if (isnan(v->z) && v->method == PG_METHOD_SIGMA && v->sd == 0 && !isnan(v->change_pct) &&
	    v->change_pct != 0)
		v->z = copysign(INFINITY, v->change_pct);
}

/* A result's "confirm" (check --confirm): whether A/B confirmed it, and the
 * history verdict it replaced, which must be a slowdown perfgate could
 * have screened (a regression severity or ok). */
static int read_row_confirm(const where *row_w, json_t *j, pg_result_row *row)
{
	where w = *row_w;
	json_t *c, *sev;
	int confirmed, s, err;
	if ((err = get_object(row_w, j, "confirm", &c)) < 0 || !c)
		return err;
	strncat(w.prefix, "confirm.", sizeof(w.prefix) - strlen(w.prefix) - 1);
	sev = json_object_get(c, "history_severity");
	s = json_is_string(sev) ? pg_severity_parse(json_string_value(sev)) : -1;
	if (s != PG_SEV_OK && (s < PG_SEV_NOTICE || s > PG_SEV_CRITICAL))
		return bad(&w, "history_severity", "expected ok, notice, warning or critical");
	if ((err = get_bool(&w, c, "confirmed", &confirmed)) < 0 ||
	    (err = get_number(&w, c, "history_change_pct", &row->hist_change)) < 0)
		return err;
	if (!row->metric)
		return bad(&w, "", "only a judged result can be confirmed");
	row->hist_severity = (pg_severity)s;
	row->confirm = confirmed ? PG_CONFIRM_YES : PG_CONFIRM_NO;
	return 0;
}

static int read_row(pg_report *r, json_t *j, const char *path, size_t index)
{
	static const char *const directions[] = { "lower", "higher" };
	where w = { path, "" };
	char *bench = NULL;
	int sev, dir, err;
	snprintf(w.prefix, sizeof(w.prefix), "results[%zu].", index);
	if (!json_is_object(j))
		return bad(&w, "", "expected an object");
	if ((err = get_string(&w, j, "benchmark", name_check, &bench)) < 0)
		return err;
	if (!bench)
		return bad(&w, "benchmark", "missing");
	pg_result_row *row = pg_report_add_row(r, bench);
	free(bench);
	if ((err = get_severity(&w, j, &sev)) < 0 ||
	    (err = get_string(&w, j, "metric", name_check, &row->metric)) < 0 ||
	    (err = get_string(&w, j, "unit", unit_check, &row->unit)) < 0 ||
	    (err = get_string(&w, j, "reason", text_problem, &row->reason)) < 0 ||
	    (err = get_enum(&w, j, "direction", directions, 2, "expected \"lower\" or \"higher\"",
			    &dir)) < 0 ||
	    (err = get_number(&w, j, "baseline", &row->v.baseline)) < 0 ||
	    (err = get_number(&w, j, "current", &row->v.current)) < 0 ||
	    (err = get_number(&w, j, "change_pct", &row->v.change_pct)) < 0 ||
	    (err = get_number(&w, j, "z", &row->v.z)) < 0 ||
	    (err = get_number(&w, j, "p", &row->v.p)) < 0 ||
	    (err = get_number(&w, j, "sd", &row->v.sd)) < 0 ||
	    (err = get_number(&w, j, "ci_low", &row->v.ci_low)) < 0 ||
	    (err = get_number(&w, j, "ci_high", &row->v.ci_high)) < 0 ||
	    (err = get_number(&w, j, "cv_current", &row->v.cv_current)) < 0 ||
	    (err = get_number(&w, j, "cv_baseline", &row->v.cv_baseline)) < 0 ||
	    (err = get_number(&w, j, "mdc_pct", &row->v.mdc_pct)) < 0 ||
	    (err = get_number(&w, j, "notice", &row->notice)) < 0 ||
	    (err = get_count(&w, j, "outliers", INT_MAX, &row->outliers)) < 0 ||
	    (err = get_bool(&w, j, "significant", &row->v.significant)) < 0 ||
	    (err = get_method(&w, j, &row->v.method)) < 0 ||
	    (err = get_count(&w, j, "baseline_commits", INT_MAX, &row->v.n_baseline)) < 0 ||
	    (err = get_count(&w, j, "samples", INT_MAX, &row->v.n_current)) < 0 ||
	    (err = read_history(&w, j, &row->history)) < 0 || (err = read_note(&w, j, &row->v.note)) < 0)
		return err;
	row->v.severity = (pg_severity)sev;
	row->higher_is_better = dir == 1;
	if (sev == PG_SEV_FAILED || sev == PG_SEV_MISSING) {
		/* no numbers: why it failed, or where it was last seen */
		if (!row->reason)
			row->reason = pg_strdup(pg_severity_name((pg_severity)sev));
	} else if (!row->metric || !row->unit) {
		return bad(&w, row->metric ? "unit" : "metric", "missing: a result that is neither "
			   "failed nor missing has a metric and a unit");
	} else if (row->reason) {
		return bad(&w, "reason", "only a failed or missing result has a reason");
	}
	restore_infinities(row);
	return read_row_confirm(&w, j, row);
}

/* A budget's target, as perfgate.json spelt it: a quantity (unit.h). */
static const char *target_check(const char *s)
{
	pg_quantity q;
	return strlen(s) <= 64 && pg_quantity_parse(s, &q, NULL) == 0
	       ? NULL : "is not a number with a unit (\"100 MiB\")";
}

static int read_budget(pg_report *r, json_t *j, const char *path, size_t index)
{
	static const char *const bounds[] = { "min", "max" };
	where w = { path, "" };
	char *bench = NULL, *metric = NULL, *target = NULL;
	int bound, sev, err;
	pg_budget_row *b;
	snprintf(w.prefix, sizeof(w.prefix), "budgets[%zu].", index);
	if (!json_is_object(j))
		return bad(&w, "", "expected an object");
	if ((err = get_string(&w, j, "benchmark", name_check, &bench)) < 0 ||
	    (err = get_string(&w, j, "metric", name_check, &metric)) < 0 ||
	    (err = get_string(&w, j, "target", target_check, &target)) < 0 ||
	    (err = get_enum(&w, j, "bound", bounds, 2, "expected \"max\" or \"min\"", &bound)) < 0 ||
	    (err = get_severity(&w, j, &sev)) < 0)
		goto out;
	if (!bench || !metric || !target || bound < 0) {
		err = bad(&w, !bench ? "benchmark" : !metric ? "metric" : !target ? "target" : "bound",
			  "missing");
		goto out;
	}
	if (sev != PG_SEV_NOTICE && sev != PG_SEV_WARNING && sev != PG_SEV_CRITICAL) {
		err = bad(&w, "severity", "expected \"notice\", \"warning\" or \"critical\"");
		goto out;
	}
	b = pg_report_add_budget(r, bench, metric, NULL, bound == 1, target);
	b->severity = (pg_severity)sev;
	if ((err = get_string(&w, j, "unit", unit_check, &b->unit)) < 0 ||
	    (err = get_number(&w, j, "limit", &b->limit)) < 0 ||
	    (err = get_number(&w, j, "actual", &b->actual)) < 0 ||
	    (err = get_bool(&w, j, "breached", &b->breached)) < 0 ||
	    (err = get_string(&w, j, "reason", text_problem, &b->reason)) < 0)
		goto out;
out:
	free(bench);
	free(metric);
	free(target);
	return err;
}

/* A class: absent or null gives -1. */
static int get_class(const where *w, json_t *o, const char *key, int *out)
{
	json_t *v = json_object_get(o, key);
	*out = -1;
	if (!v || json_is_null(v))
		return 0;
	for (int c = 0; json_is_string(v) && c < PG_O_COUNT; c++)
		if (!strcmp(json_string_value(v), pg_complexity_name((pg_complexity)c))) {
			*out = c;
			return 0;
		}
	return bad(w, key, "expected one of O(1), O(log n), O(n), O(n log n), O(n^2), O(n^3) or null");
}

static int read_complexity(pg_report *r, json_t *j, const char *path, size_t index)
{
	where w = { path, "" };
	char *family = NULL, *metric = NULL;
	int sev, err;
	snprintf(w.prefix, sizeof(w.prefix), "complexity[%zu].", index);
	if (!json_is_object(j))
		return bad(&w, "", "expected an object");
	if ((err = get_string(&w, j, "family", name_check, &family)) < 0 ||
	    (err = get_string(&w, j, "metric", name_check, &metric)) < 0 ||
	    (err = get_severity(&w, j, &sev)) < 0)
		goto out;
	if (!family || !metric) {
		err = bad(&w, family ? "metric" : "family", "missing");
		goto out;
	}
	if (sev > PG_SEV_CRITICAL) {
		err = bad(&w, "severity", "expected a severity up to \"critical\"");
		goto out;
	}
	pg_complexity_row *c = pg_report_add_complexity(r, family, metric);
	c->severity = (pg_severity)sev;
	if ((err = get_class(&w, j, "baseline", &c->base_cls)) < 0 ||
	    (err = get_class(&w, j, "current", &c->cls)) < 0 ||
	    (err = get_class(&w, j, "budget", &c->budget)) < 0 ||
	    (err = get_number(&w, j, "coefficient", &c->coef)) < 0 ||
	    (err = get_number(&w, j, "nrms", &c->nrms)) < 0 ||
	    (err = get_count(&w, j, "sizes", INT_MAX, &c->sizes)) < 0 ||
	    (err = get_string(&w, j, "note", text_problem, &c->note)) < 0)
		goto out;
out:
	free(family);
	free(metric);
	return err;
}

static int read_base(pg_report *r, json_t *doc, const char *path)
{
	where top = { path, "" }, w = { path, "base." };
	json_t *base;
	size_t window;
	int err;
	if ((err = get_object(&top, doc, "base", &base)) < 0 ||
	    (err = get_string(&w, base, "ref", ref_check, &r->base_ref)) < 0 ||
	    (err = get_string(&w, base, "commit", sha_problem, &r->base_commit)) < 0 ||
	    (err = get_count(&w, base, "window", INT_MAX, &window)) < 0 ||
	    (err = get_count(&w, base, "commits", INT_MAX, &r->baseline_commits)) < 0 ||
	    (err = get_bool(&w, base, "truncated", &r->history_truncated)) < 0)
		return err;
	r->window = (int)window;
	return 0;
}

/* mode, "ab" and "github" */
static int read_extras(pg_report *r, json_t *doc, const char *path)
{
	static const char *const modes[] = { "history", "ab" };
	where w = { path, "" }, wab = { path, "ab." }, wgh = { path, "github." };
	where wc = { path, "confirm." };
	json_t *ab, *gh, *confirm, *level;
	char *ab_base = NULL;
	size_t pr;
	int mode, err;
	if ((err = get_enum(&w, doc, "mode", modes, 2, "expected \"history\" or \"ab\"", &mode)) < 0 ||
	    (err = get_object(&w, doc, "ab", &ab)) < 0 ||
	    (err = get_string(&wab, ab, "base", sha_problem, &ab_base)) < 0 ||
	    (err = get_count(&wab, ab, "pairs", INT_MAX, &r->ab_pairs)) < 0 ||
	    (err = get_bool(&wab, ab, "adaptive", &r->ab_adaptive)) < 0 ||
	    (err = get_object(&w, doc, "github", &gh)) < 0 ||
	    (err = get_count(&wgh, gh, "pull_request", INT_MAX, &pr)) < 0 ||
	    (err = get_string(&wgh, gh, "head_sha", sha_problem, &r->github_sha)) < 0 ||
	    (err = get_object(&w, doc, "confirm", &confirm)) < 0 ||
	    (err = get_string(&wc, confirm, "base", sha_problem, &r->confirm_base)) < 0 ||
	    (err = get_count(&wc, confirm, "pairs", INT_MAX, &r->confirm_pairs)) < 0)
		goto out;
	level = json_object_get(confirm, "level");
	if (confirm && (!json_is_string(level) ||
			(r->confirm_level = pg_severity_parse(json_string_value(level))) < PG_SEV_NOTICE ||
			r->confirm_level > PG_SEV_CRITICAL)) {
		r->confirm_level = 0;
		err = bad(&wc, "level", "expected notice, warning or critical");
		goto out;
	}
	r->ab = mode == 1;
	r->github_pr = (long)pr;
	if (r->ab && ab_base && r->base_commit && strcmp(ab_base, r->base_commit))
		err = bad(&wab, "base", "differs from base.commit");
out:
	free(ab_base);
	return err;
}

static int read_report(pg_report *r, json_t *doc, const char *path)
{
	static const char *const verdicts[] = { "pass", "fail" };
	where w = { path, "" };
	json_t *results, *warnings, *counts, *v;
	char *summary = NULL, *fail_on = NULL;
	int verdict, err;
	size_t i;
	if ((err = get_string(&w, doc, "commit", sha_problem, &r->commit)) < 0 ||
	    (err = get_string(&w, doc, "branch", ref_check, &r->branch)) < 0 ||
	    (err = get_string(&w, doc, "testbed", name_check, &r->testbed)) < 0 ||
	    (err = get_bool(&w, doc, "dirty", &r->dirty)) < 0 ||
	    (err = get_enum(&w, doc, "verdict", verdicts, 2, "expected \"pass\" or \"fail\"",
			    &verdict)) < 0 ||
	    (err = get_string(&w, doc, "summary", text_problem, &summary)) < 0 ||
	    (err = get_string(&w, doc, "fail_on", text_problem, &fail_on)) < 0 ||
	    (err = get_object(&w, doc, "counts", &counts)) < 0 ||
	    (err = read_base(r, doc, path)) < 0 || (err = read_extras(r, doc, path)) < 0 ||
	    (err = get_array(&w, doc, "warnings", &warnings)) < 0)
		goto out;
	r->fail_on = PG_SEV_CRITICAL;
	if (fail_on && pg_fail_on_parse(fail_on, &r->fail_on) < 0) {
		err = bad(&w, "fail_on", "expected \"notice\", \"warning\", \"critical\" or \"never\"");
		goto out;
	}
	json_array_foreach(warnings, i, v) {
		if (!json_is_string(v) || text_problem(json_string_value(v))) {
			snprintf(w.prefix, sizeof(w.prefix), "warnings[%zu]", i);
			err = bad(&w, "", "expected a string of at most 16384 bytes");
			goto out;
		}
		pg_report_add_warning(r, json_string_value(v));
	}
	results = json_object_get(doc, "results");
	json_array_foreach(results, i, v)
		if ((err = read_row(r, v, path, i)) < 0)
			goto out;
	if ((err = get_array(&w, doc, "budgets", &v)) < 0)
		goto out;
	for (i = 0; i < json_array_size(v); i++)
		if ((err = read_budget(r, json_array_get(v, i), path, i)) < 0)
			goto out;
	if ((err = get_array(&w, doc, "complexity", &v)) < 0)
		goto out;
	for (i = 0; i < json_array_size(v); i++)
		if ((err = read_complexity(r, json_array_get(v, i), path, i)) < 0)
			goto out;
out:
	free(summary);
	free(fail_on);
	return err;
}

int pg_report_load_json(pg_report **out, const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr), *fmt, *ver;
	int err;
	*out = NULL;
	if (!doc)
		return pg_error_set(PG_ECORRUPT, "%s:%d:%d: not a JSON report: %s", path, jerr.line,
				    jerr.column, jerr.text);
	fmt = json_object_get(doc, "format");
	ver = json_object_get(doc, "version");
	if (!json_is_object(doc) || !json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), "perfgate-report") ||
	    !json_is_array(json_object_get(doc, "results"))) {
		json_decref(doc);
		return pg_error_set(PG_ECORRUPT, "%s: not a perfgate JSON report (make one with "
						 "--format json)", path);
	}
	if (!json_is_integer(ver) || json_integer_value(ver) < 1) {
		json_decref(doc);
		return pg_error_set(PG_ECORRUPT, "%s: version: expected 1", path);
	}
	if (json_integer_value(ver) > 1) {
		json_decref(doc);
		return pg_error_set(PG_ECORRUPT, "%s: written by a newer perfgate; upgrade perfgate",
				    path);
	}
	pg_report *r = pg_calloc(1, sizeof(*r));
	err = read_report(r, doc, path);
	json_decref(doc);
	if (err < 0) {
		pg_report_free(r);
		return err;
	}
	pg_report_finish(r);
	*out = r;
	return 0;
}
