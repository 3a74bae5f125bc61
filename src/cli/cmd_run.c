/*
 * cmd_run.c - `perfgate run`: measure every benchmark, store under HEAD.
 */
#include "cli.h"
#include "cmd.h"
#include "error.h"
#include "budget.h"
#include "gate.h"

#include <string.h>

static const cli_command_help help = {
	"perfgate run [options]",
	"Runs every benchmark in perfgate.json (warm-up, then repetitions, each in its own\n"
	"process group) and stores the samples in the history under HEAD's commit and the\n"
	"testbed.  A second run for the same commit adds its samples.  Checks the\n"
	"\"budgets\" of perfgate.json and prints their table.  Exits 1 when a benchmark\n"
	"failed (its failure is stored too) or a budget is breached at fail_on, 3 when\n"
	"-o FILE cannot be written (the run is stored first), 0 otherwise.\n"
	"Each benchmark runs in the work tree's root, or its \"cwd\" under it, after the\n"
	"\"setup\" commands (the top-level one at the root, its own in its directory)."
};

/* The budgets, checked without history: their table (always when one is
 * breached), and exit status 1 when a breach fails at fail_on. */
static int check_budgets(cli_ctx *ctx, const pg_run *run, int quiet, int status)
{
	pg_report *r = pg_gate_budget_report(run, ctx->cfg, ctx->cfg->fail_on);
	pg_buf b = PG_BUF_INIT;
	if ((r->nbudgets || r->ncomplexity) && (!quiet || !r->passed)) {
		pg_report_write_budgets(&b, r, PG_TEXT_PLAIN);
		pg_report_write_complexity(&b, r, PG_TEXT_PLAIN);
		if (!r->passed)
			pg_buf_printf(&b, "FAIL: %zu budget(s) breached, %zu complexity regression(s) "
				      "(fail_on: %s)\n", pg_report_breaches(r),
				      pg_report_complexity_regressions(r), pg_fail_on_name(r->fail_on));
		fputs(b.ptr, stdout);
	}
	if (!r->passed)
		status = PG_EXIT_GATE_FAILED;
	pg_buf_free(&b);
	pg_report_free(r);
	return status;
}

int cmd_run(int argc, char **argv)
{
	cli_common common = { 0 };
	int no_store = 0, quiet = 0, saved = 0, err, status;
	const char *output = NULL, *shard = NULL;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		CLI_SHARD_OPTION(&shard),
		OPT_FLAG(0, "no-store", &no_store, "do not add the results to the history"),
		OPT_STRING('o', "output", &output, "FILE", "also write the results document (JSON) to FILE"),
		OPT_FLAG('q', "quiet", &quiet, "print nothing but errors"),
		OPT_END(),
	};
	cli_ctx ctx;
	pg_run *run = NULL;

	if ((status = cli_parse_no_args(argc, argv, opts, &help)) >= 0)
		return status;
	status = PG_EXIT_PASS;
	if ((err = cli_ctx_open(&ctx, &common)) < 0 || (err = cli_shard_apply(&ctx, shard)) < 0 ||
	    (err = cli_measure(&ctx, no_store, &run)) < 0) {
		status = cli_error(err);
		goto out;
	}
	/* stored first: an -o file that cannot be written loses nothing */
	saved = cli_save_results(run, output);
	if (!quiet) {
		pg_buf b = PG_BUF_INIT;
		pg_run_write_summary(&b, run);
		if (!no_store)
			pg_buf_printf(&b, "stored under %.12s%s for testbed %s in %s\n", run->commit,
				      run->dirty ? " (dirty tree)" : "", run->testbed,
				      pg_store_path(ctx.store));
		fputs(b.ptr, stdout);
		pg_buf_free(&b);
	}
	for (size_t i = 0; i < run->nbenches; i++)
		if (run->benches[i].failed)
			status = PG_EXIT_GATE_FAILED;
	status = check_budgets(&ctx, run, quiet, status);
	if (saved)
		status = saved;
out:
	pg_run_free(run);
	cli_ctx_close(&ctx);
	return status;
}
