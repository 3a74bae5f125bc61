/*
 * cmd_changes.c - `perfgate changes [BENCH]`: change points along the
 * base branch's first-parent history (src/gate/changes.h).
 */
#include "changes.h"
#include "cli.h"
#include "cmd.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

static const cli_command_help help = {
	"perfgate changes [BENCH] [options]",
	"Finds the commits where a benchmark's level changed along the first-parent\n"
	"history of the base branch (or, with --since REV, of HEAD back to REV), per\n"
	"benchmark, metric and testbed: e-divisive means with a permutation test finds\n"
	"candidates, and a t-test between the segments either side keeps those with\n"
	"p < 0.0001 (README, \"Change points\").  Each is shown with its commit, subject,\n"
	"the mean of the per-commit medians before and after, the change, its p-value\n"
	"and a severity by the benchmark's thresholds.  Only clean runs and comparable\n"
	"results count (as for the baseline).  BENCH limits it to one result."
};

int cmd_changes(int argc, char **argv)
{
	cli_common common = { 0 };
	const char *metric = NULL, *format = "term", *since = NULL, *base = NULL;
	int npos, err, status = PG_EXIT_PASS, limit = 0;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		OPT_STRING('m', "metric", &metric, "METRIC", "only this metric (default: all)"),
		OPT_STRING(0, "since", &since, "REV",
			   "look at HEAD's history back to REV instead of the base branch's"),
		OPT_STRING('b', "base", &base, "BRANCH", "the branch to look at (default: config \"base\")"),
		OPT_INT('n', "limit", &limit, "N",
			"at most the N newest commits with results (default: 10000)"),
		OPT_STRING('f', "format", &format, "FMT", "term (default), markdown or json"),
		OPT_END(),
	};
	cli_ctx ctx = { 0 };
	pg_changes found = { 0 };
	pg_buf out = PG_BUF_INIT;
	char start[PG_SHA_LEN + 1], since_sha[PG_SHA_LEN + 1];

	if ((err = cli_parse(argc, argv, opts, &help, &npos)) != 0)
		return err > 0 ? PG_EXIT_PASS : cli_error(err);
	if (npos > 1)
		return cli_error(pg_error_set(PG_EUSAGE, "changes takes at most one benchmark name "
							 "(see --help)"));
	if (strcmp(format, "term") && strcmp(format, "markdown") && strcmp(format, "json"))
		return cli_error(pg_error_set(PG_EUSAGE, "--format: expected term, markdown or json"));
	if (limit < 0 || limit > 1000000)
		return cli_error(pg_error_set(PG_EUSAGE, "--limit: expected a number from 1 to 1000000"));
	if (since && base)
		return cli_error(pg_error_set(PG_EUSAGE, "--since and --base: give one of them"));
	if ((err = cli_ctx_open(&ctx, &common)) < 0) {
		status = cli_error(err);
		goto out;
	}
	if (since) {
		memcpy(start, ctx.head, sizeof(start));
		if ((err = pg_repo_resolve(ctx.repo, since, since_sha)) < 0 ||
		    (!pg_repo_is_ancestor(ctx.repo, since_sha, start) &&
		     (err = pg_error_set(PG_EUSAGE, "--since: %s is not an ancestor of HEAD", since_sha)))) {
			status = cli_error(err == PG_ENOTFOUND ? PG_EUSAGE : err);
			goto out;
		}
	} else if ((err = pg_repo_resolve_branch(ctx.repo, base ? base : ctx.cfg->base, start)) < 0) {
		status = cli_error(err == PG_ENOTFOUND ? PG_EUSAGE : err);
		goto out;
	}
	pg_changes_opts o = { ctx.cfg, start, since ? since_sha : NULL, ctx.testbed,
			      npos ? argv[1] : NULL, metric, (size_t)limit, PG_CP_OPTIONS_DEFAULT };
	if ((err = pg_changes_find(&found, ctx.repo, ctx.store, &o)) < 0 ||
	    (err = pg_changes_write(&out, &found, format)) < 0) {
		status = cli_error(err);
		goto out;
	}
	if (npos && !found.series)
		pg_warn("no stored results for '%s'%s%s on testbed '%s' along this history; check "
			"the name%s", argv[1], metric ? " metric " : "", metric ? metric : "",
			ctx.testbed, metric ? " and --metric" : "");
	fputs(out.ptr, stdout);
out:
	pg_buf_free(&out);
	pg_changes_free(&found);
	cli_ctx_close(&ctx);
	return status;
}
