/*
 * cmd_check.c - `perfgate check`: run + compare, the step CI calls.
 */
#include "cli.h"
#include "cli_confirm.h"
#include "cli_gate.h"
#include "cmd.h"
#include "error.h"

static const cli_command_help help = {
	"perfgate check [options]",
	"Runs every benchmark, stores the results under HEAD (unless --no-store), and judges\n"
	"this run against the base branch's history, as `run` followed by `compare`.\n"
	"With --ab, instead measures the base commit (checked out and built in a scratch\n"
	"directory) and HEAD interleaved on this machine and judges the paired ratios.\n"
	"Working directory: each benchmark runs in the root of the checkout measured (the\n"
	"work tree for HEAD; the base's scratch checkout $TMPDIR/perfgate-SHA-XXXXXX for the\n"
	"base side), or its \"cwd\" under it, after \"setup\" ran once in that checkout.\n"
	"With --confirm (or \"confirm\" in perfgate.json), judges by history first and, only\n"
	"when a result passes the screen (a slowdown of half the level's threshold with z >= 1,\n"
	"or p < 0.1 with a short history), re-measures those benchmarks as A/B against the\n"
	"baseline's merge-base; their A/B verdicts replace the history ones.\n"
	"Exit status: 0 pass, 1 a result reached fail_on or a benchmark failed, 2 usage or\n"
	"configuration error, 3 runtime error."
};

int cmd_check(int argc, char **argv)
{
	cli_gate g = { 0 };
	cli_confirm_opts co = { 0 };
	const char *results = NULL, *shard = NULL;
	int no_store = 0, level = 0, err, status;
	const cli_option opts[] = {
		CLI_GATE_OPTIONS(&g),
		CLI_SHARD_OPTION(&shard),
		CLI_CONFIRM_OPTIONS(&co),
		OPT_FLAG(0, "explain", &g.ab.explain, "with --ab or --confirm: explain each flagged "
			 "benchmark by callgrind (perfgate explain)"),
		OPT_FLAG(0, "no-store", &no_store, "do not add this run's results to the history"),
		OPT_STRING(0, "results", &results, "FILE", "also write the results document (JSON) to FILE"),
		OPT_END(),
	};
	pg_run *run = NULL;

	if ((status = cli_parse_no_args(argc, argv, opts, &help)) >= 0)
		return status;
	g.ab.no_store = no_store;
	if ((err = cli_gate_open(&g)) < 0 || (err = cli_shard_apply(&g.ctx, shard)) < 0 ||
	    (err = cli_confirm_level(&co, g.ctx.cfg, &level)) < 0 ||
	    (err = cli_ab_check_pairs(&g.ab)) < 0)
		status = cli_error(err);
	else if (g.ab.enabled && (co.enabled || co.level))
		status = cli_error(pg_error_set(PG_EUSAGE, "--ab and --confirm exclude each other: "
							   "--ab measures every benchmark as A/B already"));
	else if (g.ab.explain && !g.ab.enabled && !level)
		status = cli_error(pg_error_set(PG_EUSAGE, "--explain needs --ab or --confirm: it "
							   "explains what A/B flags"));
	else if (g.ab.enabled)
		status = cli_ab(&g.ctx, &g.jo, &g.ab);
	else if ((err = cli_measure(&g.ctx, no_store, &run)) < 0)
		status = cli_error(err);
	else {
		/* stored first: --results that cannot be written loses nothing */
		int saved = cli_save_results(run, results);
		status = level ? cli_confirm_and_report(&g.ctx, run, &g.jo, &g.ab, level)
			       : cli_judge_and_report(&g.ctx, run, &g.jo);
		if (saved)
			status = saved;
	}
	pg_run_free(run);
	cli_gate_close(&g);
	return status;
}
