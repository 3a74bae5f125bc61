/*
 * cmd_compare.c - `perfgate compare`: judge stored (or given) results.
 */
#include "cli.h"
#include "cli_gate.h"
#include "cmd.h"
#include "error.h"
#include "gate.h"

static const cli_command_help help = {
	"perfgate compare [options]",
	"Judges HEAD's stored results (all its runs pooled), or the results document given\n"
	"with --input, against the base branch's history: the `window` most recent commits\n"
	"with results on the first-parent chain from the merge-base of HEAD and the base,\n"
	"HEAD excluded.  With --ab, measures the base and HEAD interleaved on this machine\n"
	"instead (as check --ab: benchmarks run in each checkout's root, or their \"cwd\"\n"
	"under it, after \"setup\").  Exit status 1 when a result reaches fail_on or a\n"
	"benchmark failed."
};

int cmd_compare(int argc, char **argv)
{
	cli_gate g = { 0 };
	const char *input = NULL;
	int err, status;
	const cli_option opts[] = {
		CLI_GATE_OPTIONS(&g),
		OPT_FLAG(0, "no-store", &g.ab.no_store, "A/B: do not store the measured samples"),
		OPT_STRING('i', "input", &input, "FILE", "judge this results document (from run --output)"),
		OPT_END(),
	};
	pg_run *current = NULL;

	if ((status = cli_parse_no_args(argc, argv, opts, &help)) >= 0)
		return status;
	if ((err = cli_gate_open(&g)) < 0) {
		status = cli_error(err);
		goto out;
	}
	if (g.ab.enabled) {
		status = cli_ab(&g.ctx, &g.jo, &g.ab);
		goto out;
	}
	if (input) {
		err = pg_run_load(&current, input);
	} else {
		pg_gate_env env = CLI_GATE_ENV(&g.ctx);
		err = pg_gate_stored_current(&current, &env);
	}
	if (err == 0)
		err = cli_shard_complete(&g.ctx, current, input != NULL);
	if (err < 0)
		status = cli_error(err == PG_ENOTFOUND || err == PG_ECORRUPT ? PG_ERUNTIME : err);
	else
		status = cli_judge_and_report(&g.ctx, current, &g.jo);
out:
	pg_run_free(current);
	cli_gate_close(&g);
	return status;
}
