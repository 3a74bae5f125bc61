/*
 * cmd_bisect.c - `perfgate bisect`: find the commit that made a benchmark
 * slower, statistically, in scratch checkouts.
 */
#include "bisect.h"
#include "cli.h"
#include "cmd.h"
#include "error.h"
#include "metric.h"

#include <string.h>

static const cli_command_help help = {
	"perfgate bisect --good REV --bad REV --bench NAME [options]",
	"Finds the first commit between REVs that made benchmark NAME worse.  Each probed\n"
	"commit is checked out into a scratch directory (your work tree, index, HEAD and\n"
	"branches are untouched), built with --build, and measured with the benchmark as\n"
	"configured in the current perfgate.json (-c), so old commits need no config of\n"
	"their own.  Commits with stored results are not rebuilt; new measurements are stored.\n"
	"The benchmark runs in the scratch checkout's root ($TMPDIR/perfgate-SHA-XXXXXX), or\n"
	"its \"cwd\" under it, after \"setup\" ran there once (a failed setup skips the commit).\n"
	"Exit status: 0 found, 1 inconclusive or nothing to find, 2 usage, 3 runtime error."
};

static void show_probe(void *payload, const pg_probe *p)
{
	(void)payload;
	cli_progress_done();
	fprintf(stderr, "bisect: %.12s %-9s (%s, %zu samples)%s%s\n", p->sha,
		pg_probe_verdict_name(p->verdict), p->measured ? "measured" : "history", p->samples,
		p->reason ? ": " : "", p->reason ? p->reason : "");
}

static int resolve(cli_ctx *ctx, const char *rev, const char *what, char sha[PG_SHA_LEN + 1])
{
	int err = pg_repo_resolve(ctx->repo, rev, sha);
	if (err < 0)
		return pg_error_wrap(PG_EUSAGE, "--%s", what);
	return 0;
}

int cmd_bisect(int argc, char **argv)
{
	cli_common common = { 0 };
	const char *good = NULL, *bad = NULL, *bench = NULL, *metric = "wall_time";
	const char *build = NULL, *format = "term";
	int runs = 0, all_parents = 0, keep = 0, history_only = 0, remeasure = 2, status, err;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		OPT_STRING(0, "good", &good, "REV", "a commit without the regression"),
		OPT_STRING(0, "bad", &bad, "REV", "a commit with it"),
		OPT_STRING(0, "bench", &bench, "NAME", "the benchmark (as named in perfgate.json)"),
		OPT_STRING('m', "metric", &metric, "METRIC", "the metric (default: wall_time)"),
		OPT_STRING(0, "build", &build, "CMD", "shell command that builds a checkout, run in it"),
		OPT_INT(0, "runs", &runs, "N", "runs per probe (default: the benchmark's runs)"),
		OPT_INT(0, "max-remeasure", &remeasure, "N", "re-measure an ambiguous probe up to N times with doubled runs (default: 2)"),
		OPT_FLAG(0, "all-parents", &all_parents, "also descend into merged branches"),
		OPT_FLAG(0, "keep", &keep, "keep the scratch directories"),
		OPT_FLAG(0, "history-only", &history_only, "build nothing: find the step in stored history"),
		OPT_STRING('f', "format", &format, "FMT", "term (default) or json"),
		OPT_END(),
	};
	cli_ctx ctx;
	char good_sha[PG_SHA_LEN + 1], bad_sha[PG_SHA_LEN + 1];
	pg_bisect_result res = { 0 };
	pg_buf out = PG_BUF_INIT;

	if ((status = cli_parse_no_args(argc, argv, opts, &help)) >= 0)
		return status;
	if (!bench || (!history_only && (!good || !bad)) || (history_only && !good != !bad))
		return cli_error(pg_error_set(PG_EUSAGE, "bisect needs --bench NAME and --good REV "
						"--bad REV (--history-only: both or neither)"));
	if (strcmp(format, "term") && strcmp(format, "json"))
		return cli_error(pg_error_set(PG_EUSAGE, "--format: expected term or json"));
	if ((err = cli_ctx_open(&ctx, &common)) < 0)
		goto fail;
	const pg_bench_config *bc = pg_config_owner(ctx.cfg, bench);
	if (!bc) {
		err = pg_error_set(PG_EUSAGE, "%s: no benchmark named '%s'", ctx.cfg->path, bench);
		goto fail;
	}
	int mid = pg_metric_lookup(metric);
	if (!bc->format && (mid < 0 || !(bc->metrics & (1u << mid)))) {
		err = pg_error_set(PG_EUSAGE, "benchmark '%s' does not record metric '%s'", bench, metric);
		goto fail;
	}
	if ((good && (err = resolve(&ctx, good, "good", good_sha)) < 0) ||
	    (bad && (err = resolve(&ctx, bad, "bad", bad_sha)) < 0))
		goto fail;
	pg_bisect_opts bo = { good ? good_sha : NULL, bad ? bad_sha : NULL, bc, bench, metric, build,
			      3600, runs, all_parents, keep, remeasure, ctx.cfg->window * 5,
			      ctx.testbed, cli_progress, NULL, show_probe, ctx.cfg->setup };
	err = history_only ? pg_bisect_history(&res, ctx.repo, ctx.store, &bo, ctx.head)
			   : pg_bisect_run(&res, ctx.repo, ctx.store, &bo);
	cli_progress_done();
	if (err < 0)
		goto fail;
	if (!strcmp(format, "json") &&
	    (err = pg_bisect_write_json(&out, &res, ctx.repo, bench, metric)) < 0)
		goto fail;
	if (strcmp(format, "json"))
		pg_bisect_write_term(&out, &res, ctx.repo, bench, metric,
				     mid >= 0 ? pg_metric_info_get((pg_metric_id)mid)->unit : "ns");
	fputs(out.ptr, stdout);
	status = res.found ? PG_EXIT_PASS : PG_EXIT_GATE_FAILED;
	goto out;
fail:
	status = cli_error(err);
out:
	pg_buf_free(&out);
	pg_bisect_result_free(&res);
	cli_ctx_close(&ctx);
	return status;
}
