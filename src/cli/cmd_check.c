/*
 * cmd_check.c - `perfgate check`: run + compare, the step CI calls.
 */
#include "cli.h"
#include "cli_gate.h"
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
	cli_gate g = { 0 };
	const char *results = NULL;
	int no_store = 0, err, status;
	const cli_option opts[] = {
		CLI_GATE_OPTIONS(&g),
		OPT_FLAG(0, "no-store", &no_store, "do not add this run's results to the history"),
		OPT_STRING(0, "results", &results, "FILE", "also write the results document (JSON) to FILE"),
		OPT_END(),
	};
	pg_run *run = NULL;

	if ((status = cli_parse_no_args(argc, argv, opts, &help)) >= 0)
		return status;
	g.ab.no_store = no_store;
	if ((status = cli_gate_open(&g)) >= 0)
		;
	else if ((err = cli_measure(&g.ctx, no_store, &run)) < 0)
		status = cli_error(err);
	else {
		/* stored first: --results that cannot be written loses nothing */
		int saved = cli_save_results(run, results);
		status = cli_judge_and_report(&g.ctx, run, &g.jo);
		if (saved)
			status = saved;
	}
	pg_run_free(run);
	cli_gate_close(&g);
	return status;
}
