/*
 * cli_explain.c - `check --explain`: explain (callgrind, src/gate/explain.h)
 * each benchmark whose result A/B or --confirm flags, into the report.
 */
#include "cli.h"
#include "error.h"
#include "explain.h"

#include <string.h>

/* Whether the row is a regression that A/B judged (check --ab, or a
 * result --confirm re-measured). */
static int flagged(const pg_result_row *row)
{
	return row->metric && row->v.method == PG_METHOD_AB && row->v.severity >= PG_SEV_NOTICE &&
	       row->v.severity <= PG_SEV_CRITICAL;
}

void cli_explain_flagged(cli_ctx *ctx, pg_report *r, const char *base, const char *build,
			 int keep)
{
	pg_gate_env env = CLI_GATE_ENV(ctx);
	for (size_t i = 0; i < ctx->cfg->nbenches; i++) {
		const pg_bench_config *bc = &ctx->cfg->benches[i];
		int any = 0;
		for (size_t k = 0; k < r->nrows && !any; k++)
			any = flagged(&r->rows[k]) && pg_config_owner(ctx->cfg, r->rows[k].bench) == bc;
		if (!any)
			continue;
		fprintf(stderr, "perfgate: --explain: %s under callgrind on both sides\n", bc->name);
		r->explains = pg_realloc(r->explains, (r->nexplains + 1) * sizeof(*r->explains));
		pg_explain *e = &r->explains[r->nexplains];
		int err = pg_explain_bench(e, &env, bc, base, build, keep, PG_EXPLAIN_TOP);
		if (err == PG_EINTERRUPT) {
			pg_explain_free(e);
			return;
		}
		if (err < 0) {
			/* explaining is a help: its failure does not fail the gate */
			pg_explain_free(e);
			memset(e, 0, sizeof(*e));
			e->bench = pg_strdup(bc->name);
			snprintf(e->base, sizeof(e->base), "%s", base);
			e->note = pg_strdup(pg_error_last());
		}
		r->nexplains++;
	}
}
