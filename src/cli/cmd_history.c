/*
 * cmd_history.c - `perfgate history NAME`: one benchmark over time.
 */
#include "baseline.h"
#include "cli.h"
#include "cmd.h"
#include "error.h"
#include "format.h"
#include "stats.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const cli_command_help help = {
	"perfgate history NAME [options]",
	"Shows the stored values of benchmark NAME (median per commit) along HEAD's\n"
	"first-parent history, newest first, with a sparkline (oldest to newest).  Only\n"
	"values comparable with the newest are shown: commits whose results have another\n"
	"benchmark definition or another unit (instructions from perf vs valgrind) are\n"
	"left out, with a warning saying so."
};

static double median(const pg_series_point *p)
{
	return pg_stats_median(p->m->samples.v, p->m->samples.n);
}

static void write_term(pg_buf *out, cli_ctx *ctx, const char *bench, const char *metric,
		       const pg_series_point *pts, size_t n, const char *unit)
{
	double *vals = pg_malloc((n ? n : 1) * sizeof(*vals));
	for (size_t i = 0; i < n; i++)
		vals[i] = median(&pts[n - 1 - i]);
	pg_buf_printf(out, "%s %s on %s: %zu commit%s\n", bench, metric, ctx->testbed, n,
		      n == 1 ? "" : "s");
	pg_fmt_sparkline(out, vals, n, 60);
	pg_buf_puts(out, "\n\n");
	for (size_t i = 0; i < n; i++) {
		pg_commit_info info;
		pg_buf val = PG_BUF_INIT;
		pg_fmt_value(&val, median(&pts[i]), unit);
		pg_fmt_short_sha(out, pts[i].sha);
		pg_buf_printf(out, "  %12s  %4zu sample%s  ", val.ptr, pts[i].m->samples.n,
			      pts[i].m->samples.n == 1 ? " " : "s");
		if (pg_repo_commit_info(ctx->repo, pts[i].sha, &info) == 0) {
			pg_buf_puts(out, info.subject);
			pg_commit_info_free(&info);
		}
		pg_buf_puts(out, pts[i].dirty ? " (dirty)\n" : "\n");
		pg_buf_free(&val);
	}
	free(vals);
}

/* The history as JSON; a median that is not finite is null.  PG_ERUNTIME
 * (and nothing written) when it cannot be encoded: never a bare "{}". */
static int write_json(pg_buf *out, cli_ctx *ctx, const char *bench, const char *metric,
		      const pg_series_point *pts, size_t n, const char *unit)
{
	json_t *commits = json_array();
	int bad = !commits;
	for (size_t i = 0; i < n && !bad; i++) {
		double m = median(&pts[i]);
		bad = json_array_append_new(commits,
			json_pack("{s:s, s:o, s:I, s:b}", "commit", pts[i].sha, "median",
				  isfinite(m) ? json_real(m) : json_null(), "samples",
				  (json_int_t)pts[i].m->samples.n, "dirty", pts[i].dirty)) < 0;
	}
	json_t *doc = bad ? NULL : json_pack("{s:s, s:s, s:s, s:s, s:O}", "benchmark", bench,
					     "metric", metric, "unit", unit ? unit : "", "testbed",
					     ctx->testbed, "commits", commits);
	char *s = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;
	json_decref(commits);
	json_decref(doc);
	if (!s)
		return pg_error_set(PG_ERUNTIME, "history of '%.200s': cannot encode it as JSON",
				    bench);
	pg_buf_puts(out, s);
	pg_buf_putc(out, '\n');
	free(s);
	return 0;
}

int cmd_history(int argc, char **argv)
{
	cli_common common = { 0 };
	const char *metric = "wall_time", *format = "term";
	int limit = 30, npos, err, status = PG_EXIT_PASS;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		OPT_STRING('m', "metric", &metric, "METRIC", "metric to show (default: wall_time)"),
		OPT_INT('n', "limit", &limit, "N", "at most N commits with results (default: 30)"),
		OPT_STRING('f', "format", &format, "FMT", "term (default) or json"),
		OPT_END(),
	};
	cli_ctx ctx;
	pg_baseline base = { 0 };
	pg_buf out = PG_BUF_INIT;

	if ((err = cli_parse(argc, argv, opts, &help, &npos)) != 0)
		return err > 0 ? PG_EXIT_PASS : cli_error(err);
	if (npos != 1)
		return cli_error(pg_error_set(PG_EUSAGE, "history takes one benchmark name (see --help)"));
	if (strcmp(format, "term") && strcmp(format, "json"))
		return cli_error(pg_error_set(PG_EUSAGE, "--format: expected term or json"));
	if ((err = cli_ctx_open(&ctx, &common)) < 0) {
		status = cli_error(err);
		goto out;
	}
	/* the unit and definition compared are the newest commit's */
	pg_baseline_opts bo = { ctx.head, 0, ctx.testbed, (size_t)(limit > 0 ? limit : 1), 1, NULL,
				argv[1] };
	if ((err = pg_baseline_collect(&base, ctx.repo, ctx.store, &bo)) < 0) {
		status = cli_error(err);
		goto out;
	}
	pg_baseline_warn(&base, PG_NOTES_HISTORY);
	pg_series_point *pts = pg_calloc(base.n + 1, sizeof(*pts));
	size_t n = pg_baseline_points(&base, argv[1], metric, pts);
	const char *unit = n ? pts[0].m->unit : NULL;
	if (!n) {
		status = cli_error(pg_error_set(PG_ERUNTIME,
						"no stored results for '%s' (metric %s) on testbed '%s' "
						"along HEAD's history; check the name and --metric",
						argv[1], metric, ctx.testbed));
	} else {
		if (!strcmp(format, "json"))
			err = write_json(&out, &ctx, argv[1], metric, pts, n, unit);
		else
			write_term(&out, &ctx, argv[1], metric, pts, n, unit);
		if (err < 0)
			status = cli_error(err);
		else
			fputs(out.ptr, stdout);
	}
	free(pts);
out:
	pg_buf_free(&out);
	pg_baseline_free(&base);
	cli_ctx_close(&ctx);
	return status;
}
