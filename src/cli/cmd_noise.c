/*
 * cmd_noise.c - `perfgate noise [BENCH]`: how far the numbers can be
 * trusted.
 */
#include "cli.h"
#include "cmd.h"
#include "error.h"
#include "gate.h"

#include <stdlib.h>
#include <string.h>

static const cli_command_help help = {
	"perfgate noise [BENCH] [options]",
	"For every benchmark and metric of HEAD's stored results (or only BENCH and its\n"
	"results): the coefficient of variation within the run and across the baseline\n"
	"window, and the minimum detectable change (mdc) - the smallest change the gate can\n"
	"flag as significant with this history at the configured sigma.  Where the notice\n"
	"threshold is below it, says so and what to do (more runs, pinning, instructions)."
};

int cmd_noise(int argc, char **argv)
{
	cli_common common = { 0 };
	const char *base = NULL;
	int npos, err, status = PG_EXIT_PASS;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		OPT_STRING(0, "base", &base, "REV", "baseline from REV instead of the config's base branch"),
		OPT_END(),
	};
	cli_ctx ctx;
	pg_run *current = NULL;
	pg_report *report = NULL;
	pg_buf out = PG_BUF_INIT;

	if ((err = cli_parse(argc, argv, opts, &help, &npos)) != 0)
		return err > 0 ? PG_EXIT_PASS : cli_error(err);
	if (npos > 1)
		return cli_error(pg_error_set(PG_EUSAGE, "noise takes at most one benchmark name"));
	if ((err = cli_ctx_open(&ctx, &common)) < 0)
		goto fail;
	pg_gate_env env = CLI_GATE_ENV(&ctx);
	if ((err = pg_gate_stored_current(&current, &env)) < 0) {
		err = PG_ERUNTIME;
		goto fail;
	}
	if (npos == 1) {
		pg_run_keep_family(current, argv[1]);
		if (!current->nbenches) {
			err = pg_error_set(PG_ERUNTIME, "no stored results for '%s' at HEAD", argv[1]);
			goto fail;
		}
	}
	if ((err = pg_gate_judge(&report, &env, current, base, ctx.cfg->fail_on)) < 0)
		goto fail;
	pg_report_write_noise(&out, report);
	fputs(out.ptr, stdout);
	goto out;
fail:
	status = cli_error(err);
out:
	pg_buf_free(&out);
	pg_report_free(report);
	pg_run_free(current);
	cli_ctx_close(&ctx);
	return status;
}
