/*
 * cli_ab.c - `check --ab` / `compare --ab`: measure the base and the head
 * interleaved on this machine, then report as usual.
 */
#include "ab.h"
#include "baseline.h"
#include "cli.h"
#include "error.h"

#include <string.h>

/* The base: --base REV, else the merge-base of HEAD and the base branch;
 * on the base branch itself (merge-base == HEAD), HEAD's first parent. */
static int ab_base(cli_ctx *ctx, const char *rev, char sha[PG_SHA_LEN + 1])
{
	char branch[PG_SHA_LEN + 1];
	int err;
	if (rev)
		return pg_repo_resolve(ctx->repo, rev, sha) < 0 ? pg_error_wrap(PG_EUSAGE, "--base")
								 : 0;
	if ((err = pg_repo_resolve_branch(ctx->repo, ctx->cfg->base, branch)) < 0 ||
	    (err = pg_repo_merge_base(ctx->repo, ctx->head, branch, sha)) < 0)
		return err;
	if (!strcmp(sha, ctx->head) && pg_repo_resolve(ctx->repo, "HEAD^", sha) < 0)
		return pg_error_set(PG_ERUNTIME, "HEAD is the base branch and has no parent: nothing "
						 "to compare against; pass --base REV");
	return 0;
}

/* --pairs N and --max-pairs N: 0 (the default) or at least PG_AB_MIN_PAIRS,
 * since fewer pairs can never be significant. */
static int check_pairs(const char *option, int n)
{
	if (n == 0 || n >= PG_AB_MIN_PAIRS)
		return 0;
	return pg_error_set(PG_EUSAGE, "--%s %d: at least %d pairs are needed: %s", option, n,
			    PG_AB_MIN_PAIRS, PG_AB_MIN_PAIRS_WHY);
}

int cli_ab_base(cli_ctx *ctx, const char *rev, char sha[PG_SHA_LEN + 1])
{
	return ab_base(ctx, rev, sha);
}

int cli_ab_check_pairs(const cli_ab_opts *ab)
{
	int err = check_pairs("pairs", ab->pairs);
	return err < 0 ? err : check_pairs("max-pairs", ab->max_pairs);
}

/* Stores the head side under HEAD, and the base side under the base
 * commit only when it is what the base itself would have measured (the
 * base's perfgate.json has the same definitions and "build" command):
 * else it would become the base's history, measured otherwise. */
static int store_sides(cli_ctx *ctx, const pg_gate_base *gb, pg_run *head, pg_run *baserun)
{
	pg_gate_env env = CLI_GATE_ENV(ctx);
	pg_buf why = PG_BUF_INIT;
	head->shard_index = ctx->shard_index;
	head->shard_count = ctx->shard_count;
	int err = pg_store_save(ctx->store, head);
	if (err == 0 && pg_gate_base_comparable(&env, gb, &why))
		err = pg_store_save(ctx->store, baserun);
	else if (err == 0)
		pg_warn("%s", why.ptr);
	pg_buf_free(&why);
	return err;
}

int cli_ab(cli_ctx *ctx, const cli_judge_opts *o, const cli_ab_opts *ab)
{
	pg_gate_env env = CLI_GATE_ENV(ctx);
	char base[PG_SHA_LEN + 1];
	pg_run *head = NULL, *baserun = NULL;
	pg_report *report = NULL;
	pg_gate_base gb;
	pg_baseline newest;
	int fail_on, err;
	if ((err = check_pairs("pairs", ab->pairs)) < 0 ||
	    (err = check_pairs("max-pairs", ab->max_pairs)) < 0 ||
	    (err = cli_fail_on(o->fail_on, ctx->cfg, &fail_on)) < 0 ||
	    (err = ab_base(ctx, o->base, base)) < 0)
		return cli_error(err);
	pg_ab_opts ao = { base, ab->build ? ab->build : ctx->cfg->build, 3600, ab->pairs,
			  ab->adaptive, ab->max_pairs, ab->keep, cli_progress, NULL, NULL, NULL, 0 };
	fprintf(stderr, "perfgate: A/B against %.12s%s\n", base,
		ao.build ? " (building it in a scratch checkout)" : "");
	/* the base's own perfgate.json says what the base measures */
	pg_gate_base_load(&gb, &env, base);
	if (!gb.cfg)
		pg_warn("no perfgate.json of the base %.12s to compare with (%s): benchmarks deleted "
			"from it are looked for in its stored results only, and the base side is not "
			"stored", base, gb.why);
	err = pg_ab_measure(&head, &baserun, &env, &ao);
	cli_progress_done();
	if (err < 0)
		goto out;
	report = pg_ab_report(head, baserun, ctx->cfg, base, fail_on, ab->adaptive);
	/* what the base has and the head lacks is missing: in the base's
	 * stored results (read before anything of this run is stored) and in
	 * its perfgate.json; deleting a benchmark is no way around */
	pg_baseline_opts bo = { base, 0, ctx->testbed, 1, 0, head, NULL };
	if ((err = pg_baseline_collect(&newest, ctx->repo, ctx->store, &bo)) < 0)
		goto out;
	pg_report_add_missing(report, head, &newest, ctx->cfg, NULL, NULL);
	pg_gate_compare_base(report, &env, &gb, head, &newest);
	pg_baseline_free(&newest);
	pg_report_finish(report);
	if (!ab->no_store)
		err = store_sides(ctx, &gb, head, baserun);
	if (err == 0 && ab->explain)
		cli_explain_flagged(ctx, report, base, ao.build, ab->keep);
out:
	pg_gate_base_free(&gb);
	pg_run_free(head);
	pg_run_free(baserun);
	if (err < 0) {
		pg_report_free(report);
		return cli_error(err);
	}
	return cli_finish_report(ctx, report, o);
}
