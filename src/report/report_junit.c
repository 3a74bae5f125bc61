/*
 * report_junit.c - the report as JUnit XML, the test-report format CI
 * systems display (GitLab's merge request widget, Jenkins, Buildkite...).
 *
 * One <testcase> per benchmark and metric (classname = benchmark, name =
 * metric).  What fails the gate is a <failure> whose type is the severity;
 * a benchmark that failed to run is an <error>; everything else passes,
 * with the judgement in <system-out>.  Every text goes through
 * pg_escape_xml().
 */
#include "format.h"
#include "report.h"

static void attr(pg_buf *out, const char *name, const char *value)
{
	pg_buf_printf(out, " %s=\"", name);
	pg_escape_xml(out, value ? value : "");
	pg_buf_putc(out, '"');
}

static void property(pg_buf *out, const char *name, const char *value)
{
	pg_buf_puts(out, "      <property");
	attr(out, "name", name);
	attr(out, "value", value);
	pg_buf_puts(out, "/>\n");
}

/* "+29.7% (critical), 1.00 ms -> 1.30 ms, z +188.5" */
static void judgement(pg_buf *out, const pg_result_row *row)
{
	pg_fmt_change_ci(out, row->v.change_pct, row->v.ci_low, row->v.ci_high);
	pg_buf_printf(out, " (%s), ", pg_severity_name(row->v.severity));
	pg_fmt_value(out, row->v.baseline, row->unit);
	pg_buf_puts(out, " -> ");
	pg_fmt_value(out, row->v.current, row->unit);
	pg_buf_puts(out, ", z ");
	pg_fmt_z(out, row->v.z);
	if (row->confirm) {
		pg_buf_puts(out, "; ");
		pg_report_confirm_text(out, row);
	}
}

static void testcase(pg_buf *out, const pg_report *r, const pg_result_row *row)
{
	pg_buf text = PG_BUF_INIT;
	pg_buf_puts(out, "    <testcase");
	attr(out, "classname", row->bench);
	attr(out, "name", row->metric ? row->metric : "run");
	pg_buf_puts(out, ">\n");
	if (row->v.severity == PG_SEV_FAILED) {
		pg_buf_puts(out, "      <error type=\"failed\"");
		attr(out, "message", row->reason ? row->reason : "the benchmark failed");
		pg_buf_puts(out, "/>\n");
	} else {
		if (row->reason) /* missing */
			pg_buf_puts(&text, row->reason);
		else
			judgement(&text, row);
		if (pg_row_fails_gate(r, row)) {
			pg_buf_printf(out, "      <failure type=\"%s\"", pg_severity_name(row->v.severity));
			attr(out, "message", text.ptr);
			pg_buf_puts(out, ">");
		} else {
			pg_buf_puts(out, "      <system-out>");
		}
		pg_escape_xml(out, text.ptr);
		pg_buf_puts(out, pg_row_fails_gate(r, row) ? "</failure>\n" : "</system-out>\n");
	}
	pg_buf_puts(out, "    </testcase>\n");
	pg_buf_free(&text);
}

/* A testcase of its own for a check beside the rows (a budget, a complexity
 * fit): failed at `severity` with `text` as the message, else passed with
 * `text` as its output. */
static void check_testcase(pg_buf *out, const char *classname, const char *name, int fails,
			   const char *kind, pg_severity severity, const char *text)
{
	pg_buf_puts(out, "    <testcase");
	attr(out, "classname", classname);
	attr(out, "name", name);
	pg_buf_puts(out, ">\n");
	if (fails) {
		pg_buf_printf(out, "      <failure type=\"%s %s\"", kind, pg_severity_name(severity));
		attr(out, "message", text);
		pg_buf_puts(out, ">");
	} else {
		pg_buf_puts(out, "      <system-out>");
	}
	pg_escape_xml(out, text);
	pg_buf_puts(out, fails ? "</failure>\n    </testcase>\n" : "</system-out>\n    </testcase>\n");
}

/* A budget: classname the benchmark, name "budget METRIC max". */
static void budget_testcase(pg_buf *out, const pg_report *r, const pg_budget_row *b)
{
	pg_buf text = PG_BUF_INIT, name = PG_BUF_INIT;
	pg_buf_printf(&name, "budget %s %s", b->metric, b->is_max ? "max" : "min");
	pg_budget_describe(&text, b);
	check_testcase(out, b->bench, name.ptr, pg_budget_fails_gate(r, b), "budget", b->severity,
		       text.ptr);
	pg_buf_free(&text);
	pg_buf_free(&name);
}

/* A complexity fit: classname the family, name "complexity METRIC". */
static void complexity_testcase(pg_buf *out, const pg_report *r, const pg_complexity_row *c)
{
	pg_buf text = PG_BUF_INIT, name = PG_BUF_INIT;
	pg_buf_printf(&name, "complexity %s", c->metric);
	pg_complexity_describe(&text, c);
	check_testcase(out, c->family, name.ptr, pg_complexity_fails_gate(r, c), "complexity",
		       c->severity, text.ptr);
	pg_buf_free(&text);
	pg_buf_free(&name);
}

void pg_report_write_junit(pg_buf *out, const pg_report *r)
{
	size_t failures = 0, errors = r->counts[PG_SEV_FAILED];
	size_t tests = r->nrows + r->nbudgets + r->ncomplexity;
	pg_buf summary = PG_BUF_INIT;
	for (size_t i = 0; i < r->nrows; i++)
		failures += r->rows[i].v.severity != PG_SEV_FAILED && pg_row_fails_gate(r, &r->rows[i]);
	for (size_t i = 0; i < r->nbudgets; i++)
		failures += !!pg_budget_fails_gate(r, &r->budgets[i]);
	for (size_t i = 0; i < r->ncomplexity; i++)
		failures += !!pg_complexity_fails_gate(r, &r->complexity[i]);
	pg_report_summary(&summary, r);

	pg_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	pg_buf_printf(out, "<testsuites name=\"perfgate\" tests=\"%zu\" failures=\"%zu\" "
			   "errors=\"%zu\">\n", tests, failures, errors);
	pg_buf_puts(out, "  <testsuite name=\"perfgate\"");
	pg_buf_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\"", tests,
		      failures, errors);
	attr(out, "hostname", r->testbed);
	pg_buf_puts(out, ">\n    <properties>\n");
	property(out, "verdict", r->passed ? "pass" : "fail");
	property(out, "summary", summary.ptr);
	property(out, "fail_on", pg_fail_on_name(r->fail_on));
	property(out, "commit", r->commit);
	property(out, "branch", r->branch);
	property(out, "mode", r->ab ? "ab" : "history");
	property(out, "base_ref", r->base_ref);
	property(out, "base_commit", r->base_commit);
	property(out, "testbed", r->testbed);
	pg_buf_puts(out, "    </properties>\n");
	for (size_t i = 0; i < r->nrows; i++)
		testcase(out, r, &r->rows[i]);
	for (size_t i = 0; i < r->nbudgets; i++)
		budget_testcase(out, r, &r->budgets[i]);
	for (size_t i = 0; i < r->ncomplexity; i++)
		complexity_testcase(out, r, &r->complexity[i]);
	if (r->nwarnings) {
		pg_buf_puts(out, "    <system-err>");
		for (size_t i = 0; i < r->nwarnings; i++) {
			pg_escape_xml(out, r->warnings[i]);
			pg_buf_putc(out, '\n');
		}
		pg_buf_puts(out, "</system-err>\n");
	}
	pg_buf_puts(out, "  </testsuite>\n</testsuites>\n");
	pg_buf_free(&summary);
}
