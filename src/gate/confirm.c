/*
 * confirm.c - check --confirm: the history rule screens, A/B decides (see
 * confirm.h).
 */
#include "confirm.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double level_threshold(int level, const pg_thresholds *t)
{
	return level >= PG_SEV_CRITICAL ? t->critical : level == PG_SEV_WARNING ? t->warning
										 : t->notice;
}

int pg_confirm_screen(const pg_result_row *row, int level, const pg_thresholds *t)
{
	const pg_verdict *v = &row->v;
	if (!row->metric || row->reason || (v->method != PG_METHOD_SIGMA &&
					    v->method != PG_METHOD_WELCH))
		return 0;
	if (!(v->change_pct > 0))
		return 0;
	if ((int)v->severity >= level && v->severity <= PG_SEV_CRITICAL)
		return 1;
	if (!(v->change_pct >= PG_CONFIRM_SCREEN_FLOOR * level_threshold(level, t)))
		return 0;
	if (v->method == PG_METHOD_SIGMA)
		return v->z >= PG_CONFIRM_SCREEN_Z; /* +inf with no spread */
	return v->p < PG_CONFIRM_SCREEN_P;
}

size_t pg_confirm_mark(pg_report *r, const pg_config *cfg, int level)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nrows; i++) {
		pg_result_row *row = &r->rows[i];
		const pg_bench_config *bc = pg_config_owner(cfg, row->bench);
		row->confirm = pg_confirm_screen(row, level, bc ? &bc->thresholds : &cfg->thresholds)
				       ? PG_CONFIRM_NO : PG_CONFIRM_NONE;
		n += row->confirm != PG_CONFIRM_NONE;
	}
	return n;
}

static const pg_result_row *find_row(const pg_report *r, const char *bench, const char *metric)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].bench, bench) &&
		    (!r->rows[i].metric || !strcmp(r->rows[i].metric, metric)))
			return &r->rows[i];
	return NULL;
}

void pg_confirm_apply(pg_report *r, const pg_report *ab)
{
	for (size_t i = 0; i < r->nrows; i++) {
		pg_result_row *row = &r->rows[i];
		if (row->confirm == PG_CONFIRM_NONE)
			continue;
		const pg_result_row *a = find_row(ab, row->bench, row->metric);
		if (!a || !a->metric || a->v.method != PG_METHOD_AB) {
			pg_warn("%s %s: not confirmed: the A/B re-measurement %s%s; the history "
				"verdict stands", row->bench, row->metric,
				a && a->reason ? "failed: " : "has no such result",
				a && a->reason ? a->reason : "");
			row->confirm = PG_CONFIRM_NONE;
			continue;
		}
		row->hist_change = row->v.change_pct;
		row->hist_severity = row->v.severity;
		row->v = a->v;
		row->outliers = a->outliers;
		row->confirm = a->v.severity >= PG_SEV_NOTICE && a->v.severity <= PG_SEV_CRITICAL
				       ? PG_CONFIRM_YES : PG_CONFIRM_NO;
	}
}

typedef struct bench_set {
	const pg_report *r;
	const pg_config *cfg;
} bench_set;

/* pg_ab_opts.only: the benchmarks that own a marked row. */
static int is_marked(void *payload, const char *bench)
{
	const bench_set *s = payload;
	for (size_t i = 0; i < s->r->nrows; i++) {
		const pg_bench_config *bc = pg_config_owner(s->cfg, s->r->rows[i].bench);
		if (s->r->rows[i].confirm != PG_CONFIRM_NONE && bc && !strcmp(bc->name, bench))
			return 1;
	}
	return 0;
}

int pg_confirm_run(pg_report *r, const pg_gate_env *env, int level, const pg_ab_opts *o,
		   size_t *remeasured)
{
	pg_run *head = NULL, *base = NULL;
	bench_set set = { r, env->cfg };
	pg_ab_opts ao = *o;
	int err;
	*remeasured = 0;
	r->confirm_level = level;
	if (!pg_confirm_mark(r, env->cfg, level))
		return 0;
	for (size_t i = 0; i < env->cfg->nbenches; i++)
		*remeasured += is_marked(&set, env->cfg->benches[i].name);
	ao.only = is_marked;
	ao.only_payload = &set;
	ao.head_set_up = 1; /* by the history run, in this same work tree */
	if ((err = pg_ab_measure(&head, &base, env, &ao)) < 0) {
		for (size_t i = 0; i < r->nrows; i++)
			r->rows[i].confirm = PG_CONFIRM_NONE;
		*remeasured = 0;
		return err;
	}
	pg_report *ab = pg_ab_report(head, base, env->cfg, o->base, r->fail_on, o->adaptive);
	pg_confirm_apply(r, ab);
	r->confirm_base = pg_strdup(o->base);
	r->confirm_pairs = ab->ab_pairs;
	pg_report_free(ab);
	pg_run_free(head);
	pg_run_free(base);
	return 0;
}
