/*
 * cli_confirm.c - `check --confirm`: judge by history, then re-measure what
 * it flags as A/B against the base before failing (src/gate/confirm.h).
 */
#include "cli_confirm.h"
#include "confirm.h"
#include "error.h"

#include <string.h>

int cli_confirm_level(const cli_confirm_opts *c, const pg_config *cfg, int *level)
{
	int sev;
	*level = 0;
	if (c->off)
		return c->enabled || c->level ? pg_error_set(PG_EUSAGE, "--no-confirm and --confirm "
							      "(or --confirm-on) exclude each other")
					      : 0;
	if (c->level) {
		if (pg_fail_on_parse(c->level, &sev) < 0 || sev == PG_FAIL_NEVER)
			return pg_error_set(PG_EUSAGE, "--confirm-on: expected notice, warning or "
						       "critical");
		*level = sev;
	} else if (c->enabled) {
		*level = cfg->confirm ? cfg->confirm : PG_SEV_NOTICE;
	} else {
		*level = cfg->confirm;
	}
	return 0;
}

/* The base of the A/B re-measurement: the baseline's merge-base, or on the
 * base branch itself (where that is HEAD) HEAD's first parent. */
static int confirm_base(cli_ctx *ctx, const pg_report *r, char sha[PG_SHA_LEN + 1])
{
	if (!r->base_commit || strlen(r->base_commit) != PG_SHA_LEN)
		return pg_error_set(PG_ERUNTIME, "--confirm: no base commit to measure against");
	if (strcmp(r->base_commit, ctx->head)) {
		memcpy(sha, r->base_commit, PG_SHA_LEN + 1);
		return 0;
	}
	if (pg_repo_resolve(ctx->repo, "HEAD^", sha) < 0)
		return pg_error_set(PG_ERUNTIME, "--confirm: HEAD is the base and has no parent: "
						 "nothing to confirm against");
	return 0;
}

int cli_confirm_and_report(cli_ctx *ctx, const pg_run *current, const cli_judge_opts *o,
			   const cli_ab_opts *ab, int level)
{
	pg_gate_env env = CLI_GATE_ENV(ctx);
	pg_report *report = NULL;
	char base[PG_SHA_LEN + 1];
	size_t remeasured = 0;
	int fail_on, err;
	if ((err = cli_ab_check_pairs(ab)) < 0 || (err = cli_fail_on(o->fail_on, ctx->cfg, &fail_on)) < 0 ||
	    (err = pg_gate_judge(&report, &env, current, o->base, fail_on)) < 0)
		return cli_error(err);
	if (pg_confirm_mark(report, ctx->cfg, level) == 0) {
		/* nothing flagged: no build, no extra run */
		report->confirm_level = level;
		return cli_finish_report(ctx, report, o);
	}
	if ((err = confirm_base(ctx, report, base)) < 0) {
		pg_report_free(report);
		return cli_error(err);
	}
	pg_ab_opts ao = { base, ab->build ? ab->build : ctx->cfg->build, 3600, ab->pairs,
			  ab->adaptive, ab->max_pairs, ab->keep, cli_progress, NULL, NULL, NULL, 0 };
	fprintf(stderr, "perfgate: --confirm: re-measuring what history flags as A/B against "
			"%.12s%s\n", base, ao.build ? " (building it in a scratch checkout)" : "");
	err = pg_confirm_run(report, &env, level, &ao, &remeasured);
	cli_progress_done();
	if (err < 0) {
		pg_report_free(report);
		return cli_error(pg_error_wrap(err, "--confirm"));
	}
	pg_report_finish(report);
	if (ab->explain)
		cli_explain_flagged(ctx, report, base, ao.build, ab->keep);
	return cli_finish_report(ctx, report, o);
}
