/*
 * cli_github.h - the GitHub options of `check --github` and `post`, and
 * publishing a report with them (comment, status, summary, annotations).
 */
#ifndef PG_CLI_GITHUB_H
#define PG_CLI_GITHUB_H

#include "cli.h"
#include "report.h"

typedef struct cli_github_opts {
	const char *repo, *pr, *sha, *api_url;
	const char *token_env;      /* default GITHUB_TOKEN */
	const char *comment_on;     /* notice|warning|critical|always */
	const char *comment_id;     /* marker id, default "default" */
	const char *comment_author; /* default: the token's login */
	const char *stale;          /* update|delete|keep */
	const char *context;        /* status context, default "perfgate" */
	int no_comment, no_status, require_post;
	int report_is_artifact;     /* the report was read from a file (post): its
				     * commit and pull request are claims only */
	const char *token;          /* taken by cli_github_check (cli_take_token) */
} cli_github_opts;

#define CLI_GITHUB_OPTIONS(g)                                                                  \
	OPT_STRING(0, "repo", &(g)->repo, "OWNER/NAME", "repository (default: $GITHUB_REPOSITORY)"), \
	OPT_STRING(0, "pr", &(g)->pr, "N", "pull request number (default: from the event, or looked up for a workflow_run; never from a report)"),     \
	OPT_STRING(0, "sha", &(g)->sha, "SHA", "commit for the status, 40 hex digits (default: PR head or $GITHUB_SHA)"), \
	OPT_STRING(0, "api-url", &(g)->api_url, "URL", "API URL, https (default: $GITHUB_API_URL or https://api.github.com)"), \
	OPT_STRING(0, "token-env", &(g)->token_env, "VAR", "environment variable holding the token (default: GITHUB_TOKEN)"), \
	OPT_STRING(0, "comment-on", &(g)->comment_on, "SEV", "comment only when a result reaches notice|warning|critical, or always (default)"), \
	OPT_STRING(0, "comment-id", &(g)->comment_id, "ID", "sticky comment id, one comment per id (default: default)"), \
	OPT_STRING(0, "comment-author", &(g)->comment_author, "LOGIN", "login whose comments are ours (default: the token's)"), \
	OPT_STRING(0, "stale", &(g)->stale, "MODE", "our old comment when nothing is worth one: update (default), delete, keep"), \
	OPT_STRING(0, "status-context", &(g)->context, "NAME", "commit status context (default: perfgate)"), \
	OPT_FLAG(0, "no-comment", &(g)->no_comment, "do not comment on the pull request"), \
	OPT_FLAG(0, "no-status", &(g)->no_status, "do not set a commit status"),              \
	OPT_FLAG(0, "require-post", &(g)->require_post, "exit 3 when posting fails (default: only report it)")

/* Rejects bad values, and takes the token out of the environment
 * (cli_take_token: no process perfgate starts sees it), before any work is
 * done: call it before cli_ctx_open. */
int cli_github_check(cli_github_opts *g);

/* Publishes `r`: annotations on stderr (stdout stays the report), the job
 * summary, the sticky comment and the commit status, to the pull request
 * and commit the options, the Actions environment and event (and, for a
 * workflow_run, the API) name; what the report says is only compared.
 * Failures are printed; returns 0 when all went well, else the error code
 * of the first failure. */
int cli_github_publish(const pg_report *r, const cli_github_opts *g);

/* Records the pull request and head SHA of the Actions event (if any) in
 * the report, so that `perfgate post` can find them later. */
void cli_github_note_context(pg_report *r);

#endif
