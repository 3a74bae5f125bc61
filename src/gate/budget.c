/*
 * budget.c - budgets against a run (budget.h).
 */
#include "budget.h"
#include "complexity_check.h"
#include "stats.h"
#include "unit.h"
#include "utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One bound of budget `bu` against metric `m` (NULL: not measured). */
static void check_bound(pg_report *r, const pg_bench_result *b, const pg_budget *bu,
			const pg_metric_result *m, int is_max)
{
	const pg_quantity *q = is_max ? &bu->max : &bu->min;
	pg_budget_row *row = pg_report_add_budget(r, b->name, bu->metric, m ? m->unit : NULL,
						  is_max, is_max ? bu->max_text : bu->min_text);
	pg_buf why = PG_BUF_INIT;
	row->severity = (pg_severity)bu->severity;
	if (!m || !m->samples.n) {
		row->breached = 1;
		row->reason = pg_strdup("not measured: the benchmark has a budget for this metric "
					"but produced no such result");
		return;
	}
	row->actual = pg_stats_median(m->samples.v, m->samples.n);
	if (pg_quantity_convert(q, m->unit, &row->limit) < 0) {
		row->limit = NAN;
		row->breached = 1;
		pg_buf_printf(&why, "budgets.%s.%s: \"%s\" is ", bu->metric, is_max ? "max" : "min",
			      row->target);
		pg_quantity_describe(&why, q);
		pg_buf_puts(&why, ", which cannot be compared with this result's unit \"");
		pg_utf8_printable(&why, m->unit, 40);
		pg_buf_puts(&why, "\": give the limit in a unit of that kind, or as a plain number");
		row->reason = pg_buf_detach(&why);
		return;
	}
	row->breached = is_max ? row->actual > row->limit : row->actual < row->limit;
}

static int cmp_budget_rows(const void *a, const void *b)
{
	const pg_budget_row *x = a, *y = b;
	int c;
	if (x->breached != y->breached)
		return y->breached - x->breached;
	if (x->breached && x->severity != y->severity)
		return (int)y->severity - (int)x->severity;
	if ((c = strcmp(x->bench, y->bench)) != 0 || (c = strcmp(x->metric, y->metric)) != 0)
		return c;
	return y->is_max - x->is_max;
}

void pg_gate_check_budgets(pg_report *r, const pg_run *current, const pg_config *cfg)
{
	size_t start = r->nbudgets;
	for (size_t i = 0; i < current->nbenches; i++) {
		const pg_bench_result *b = &current->benches[i];
		size_t n;
		const pg_budget *budgets = pg_config_budgets(cfg, b->name, &n);
		if (b->failed)
			continue;
		for (size_t k = 0; k < n; k++) {
			const pg_budget *bu = &budgets[k];
			const pg_metric_result *m = pg_bench_find_metric(b, bu->metric);
			if (!m && bu->inherited)
				continue;
			if (bu->has_max)
				check_bound(r, b, bu, m, 1);
			if (bu->has_min)
				check_bound(r, b, bu, m, 0);
		}
	}
	if (r->nbudgets > start)
		qsort(r->budgets + start, r->nbudgets - start, sizeof(*r->budgets), cmp_budget_rows);
}

pg_report *pg_gate_budget_report(const pg_run *current, const pg_config *cfg, int fail_on)
{
	pg_report *r = pg_calloc(1, sizeof(*r));
	r->commit = current->commit ? pg_strdup(current->commit) : NULL;
	r->testbed = current->testbed ? pg_strdup(current->testbed) : NULL;
	r->fail_on = fail_on;
	pg_gate_check_budgets(r, current, cfg);
	pg_gate_check_complexity(r, current, NULL, 0, cfg);
	pg_report_finish(r);
	return r;
}
