/*
 * cli_shard.c - `--shard K/N` for run and check (and check --ab): the
 * config restricted to the share, and the share's report restricted to it.
 */
#include "cli.h"
#include "error.h"
#include "shard.h"

#include <string.h>

int cli_shard_apply(cli_ctx *ctx, const char *spec)
{
	int k, n, balanced, err;
	if (!spec)
		return 0;
	if ((err = pg_shard_parse(spec, &k, &n)) < 0)
		return err;
	pg_gate_env env = CLI_GATE_ENV(ctx);
	size_t all = ctx->cfg->nbenches;
	size_t mine = pg_shard_order(ctx->cfg, &env, k, n, &balanced);
	ctx->shard_index = k;
	ctx->shard_count = n;
	ctx->shard_all = all;
	ctx->cfg->nbenches = mine;
	fprintf(stderr, "perfgate: shard %d/%d: %zu of %zu benchmarks (%s)\n", k, n, mine, all,
		balanced ? "balanced by their last durations" : "by name: no durations in the history");
	return 0;
}

void cli_shard_filter_report(cli_ctx *ctx, pg_report *r)
{
	size_t kept = 0;
	if (!ctx->shard_count)
		return;
	/* the whole config, to tell the other shares' benchmarks */
	size_t mine = ctx->cfg->nbenches;
	ctx->cfg->nbenches = ctx->shard_all;
	for (size_t i = 0; i < r->nrows; i++) {
		pg_result_row *row = &r->rows[i];
		const pg_bench_config *owner = pg_config_owner(ctx->cfg, row->bench);
		size_t at = owner ? (size_t)(owner - ctx->cfg->benches) : 0;
		/* another share's benchmark: its own job judges it; one no longer
		 * in the config (deleted): shard 1 reports it */
		int other = owner ? at >= mine : ctx->shard_index != 1;
		if (other) {
			free(row->bench);
			free(row->metric);
			free(row->unit);
			free(row->reason);
			pg_samples_free(&row->history);
			continue;
		}
		r->rows[kept++] = *row;
	}
	r->nrows = kept;
	ctx->cfg->nbenches = mine;
	pg_report_finish(r);
}

int cli_shard_complete(cli_ctx *ctx, pg_run *current, int from_input)
{
	pg_run **runs;
	size_t n;
	int err;
	if (from_input) {
		pg_shard_complete(current, &current, 1, ctx->cfg);
		return 0;
	}
	if ((err = pg_store_load(ctx->store, ctx->head, ctx->testbed, &runs, &n)) < 0)
		return err;
	pg_shard_complete(current, runs, n, ctx->cfg);
	pg_runs_free(runs, n);
	return 0;
}
