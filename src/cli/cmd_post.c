/*
 * cmd_post.c - `perfgate post`: publish a JSON report made earlier, e.g.
 * from a privileged workflow_run job when the pull request is from a fork.
 */
#include "cli.h"
#include "cli_github.h"
#include "cmd.h"
#include "error.h"

static const cli_command_help help = {
	"perfgate post --report REPORT.json [options]",
	"Publishes a report made earlier with `perfgate check --format json --output FILE`:\n"
	"the pull request's sticky comment, the commit status, the job summary and\n"
	"annotations, as `check --github` does.  The pull request and head commit come from\n"
	"--pr/--sha or the Actions event, never from the report (a pull request's artifact):\n"
	"for a workflow_run event the pull request is looked up by the run's head branch and\n"
	"commit, and nothing is posted when no open pull request matches, or when the report\n"
	"says another pull request or commit.  Needs no repository.\n"
	"Exit status: 0 posted, 2 usage error, 3 the report is unreadable or invalid, or\n"
	"posting failed or was refused."
};

int cmd_post(int argc, char **argv)
{
	cli_github_opts gh = { 0 };
	const char *report_file = NULL;
	const cli_option opts[] = {
		OPT_STRING('r', "report", &report_file, "FILE", "the JSON report to publish"),
		CLI_GITHUB_OPTIONS(&gh),
		OPT_END(),
	};
	pg_report *report = NULL;
	int status, err;

	if ((status = cli_parse_no_args(argc, argv, opts, &help)) >= 0)
		return status;
	if (!report_file)
		return cli_error(pg_error_set(PG_EUSAGE, "post needs --report FILE (see --help)"));
	gh.report_is_artifact = 1;
	if ((err = cli_github_check(&gh)) < 0)
		return cli_error(err);
	if ((err = pg_report_load_json(&report, report_file)) < 0)
		return cli_error(PG_ERUNTIME);
	cli_redact_report(report);
	status = cli_github_publish(report, &gh) < 0 ? PG_EXIT_RUNTIME : PG_EXIT_PASS;
	pg_report_free(report);
	return status;
}
