/*
 * cmd_check.c - `perfgate check`: run + compare, the step CI calls.
 */
#include "cli.h"
#include "cli_github.h"
#include "cmd.h"
#include "error.h"

static const cli_command_help help = {
	"perfgate check [options]",
	"Runs every benchmark, stores the results under HEAD (unless --no-store), and judges\n"
	"this run against the base branch's history, as `run` followed by `compare`.\n"
	"With --ab, instead measures the base commit (checked out and built in a scratch\n"
	"directory) and HEAD interleaved on this machine and judges the paired ratios.\n"
	"Exit status: 0 pass, 1 a result reached fail_on or a benchmark failed, 2 usage or\n"
	"configuration error, 3 runtime error."
};

int cmd_check(int argc, char **argv)
{
	cli_common common = { 0 };
	cli_github_opts gh = { 0 };
	cli_judge_opts jo = { 0 };
	cli_ab_opts ab = { 0 };
	const char *results = NULL, *shard = NULL;
	int no_store = 0, err, status;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		CLI_SHARD_OPTION(&shard),
		CLI_JUDGE_OPTIONS(&jo),
		CLI_GITHUB_OPTIONS(&gh),
		CLI_AB_OPTIONS(&ab),
		OPT_FLAG(0, "no-store", &no_store, "do not add this run's results to the history"),
		OPT_STRING(0, "results", &results, "FILE", "also write the results document (JSON) to FILE"),
		OPT_END(),
	};
	cli_ctx ctx = { 0 };
	jo.gh = &gh;
	pg_run *run = NULL;

	if ((status = cli_parse_no_args(argc, argv, opts, &help)) >= 0)
		return status;
	ab.no_store = no_store;
	/* the token is taken before anything runs */
	if ((jo.github && (err = cli_github_check(&gh)) < 0) || (err = cli_ctx_open(&ctx, &common)) < 0 ||
	    (err = cli_judge_opts_check(&ctx, &jo)) < 0 || (err = cli_shard_apply(&ctx, shard)) < 0)
		status = cli_error(err);
	else if (ab.enabled)
		status = cli_ab(&ctx, &jo, &ab);
	else if ((err = cli_measure(&ctx, no_store, &run)) < 0)
		status = cli_error(err);
	else {
		/* stored first: --results that cannot be written loses nothing */
		int saved = cli_save_results(run, results);
		status = cli_judge_and_report(&ctx, run, &jo);
		if (saved)
			status = saved;
	}
	pg_run_free(run);
	cli_ctx_close(&ctx);
	return status;
}
