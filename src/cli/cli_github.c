/*
 * cli_github.c - `--github` publishing for check and post (see
 * cli_github.h).  The token is taken out of the environment by
 * cli_github_check (before anything runs: no benchmark inherits it) and
 * handed only to pg_http; it is never printed.
 */
#include "cli_github.h"
#include "error.h"
#include "github.h"
#include "http.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

static int parse_comment_on(const char *s, int *out)
{
	if (!s || !strcmp(s, "always")) {
		*out = PG_SEV_OK;
		return 0;
	}
	int sev = pg_severity_parse(s);
	if (sev != PG_SEV_NOTICE && sev != PG_SEV_WARNING && sev != PG_SEV_CRITICAL)
		return -1;
	*out = sev;
	return 0;
}

static int parse_stale(const char *s, pg_stale_mode *out)
{
	if (!s || !strcmp(s, "update"))
		*out = PG_STALE_UPDATE;
	else if (!strcmp(s, "delete"))
		*out = PG_STALE_DELETE;
	else if (!strcmp(s, "keep"))
		*out = PG_STALE_KEEP;
	else
		return -1;
	return 0;
}

/* --token-env VAR: an environment variable's name. */
static int valid_variable_name(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return 1;
}

int cli_github_check(cli_github_opts *g)
{
	int sev;
	pg_stale_mode st;
	pg_buf m = PG_BUF_INIT;
	if (g->token_env && !valid_variable_name(g->token_env))
		return pg_error_set(PG_EUSAGE, "--token-env: expected the name of an environment "
					       "variable (letters, digits and _)");
	g->token = cli_take_token(g->token_env);
	if (parse_comment_on(g->comment_on, &sev) < 0)
		return pg_error_set(PG_EUSAGE, "--comment-on: expected notice, warning, critical or "
					       "always, got '%s'", g->comment_on);
	if (parse_stale(g->stale, &st) < 0)
		return pg_error_set(PG_EUSAGE, "--stale: expected update, delete or keep, got '%s'",
				    g->stale);
	int err = pg_github_marker(&m, g->comment_id ? g->comment_id : "default");
	pg_buf_free(&m);
	const char *problem = g->api_url ? pg_http_url_problem(g->api_url, NULL) : NULL;
	if (err == 0 && problem == pg_http_url_has_userinfo)
		err = pg_error_set(PG_EUSAGE, "--api-url %s", problem);
	else if (err == 0 && problem)
		err = pg_error_set(PG_EUSAGE, "--api-url '%s' refused: it %s", g->api_url, problem);
	return err;
}

static pg_severity worst(const pg_report *r)
{
	pg_severity w = PG_SEV_OK;
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].v.severity > w)
			w = r->rows[i].v.severity;
	return w;
}

static const char *status_state(const pg_report *r)
{
	if (r->counts[PG_SEV_FAILED])
		return "error";
	return r->passed ? "success" : "failure";
}

/* Reports one failed step and remembers the first error. */
static void step_failed(int err, int *first)
{
	cli_error(err);
	if (!*first)
		*first = err;
}

static int post_comment(pg_http *http, const pg_github_target *t, const pg_report *r,
			const cli_github_opts *g)
{
	pg_comment_opts co = { g->comment_id ? g->comment_id : "default", g->comment_author, 1,
			       PG_STALE_UPDATE };
	pg_buf marker = PG_BUF_INIT, body = PG_BUF_INIT;
	char *login = NULL;
	pg_comment_action action;
	long id = 0;
	int sev = PG_SEV_OK, err;
	parse_comment_on(g->comment_on, &sev);
	parse_stale(g->stale, &co.stale);
	co.want_post = sev == PG_SEV_OK || (worst(r) >= (pg_severity)sev && worst(r) != PG_SEV_IMPROVED);
	if (!co.author && (err = pg_github_whoami(http, &login)) < 0)
		goto out;
	if (!co.author)
		co.author = login;
	pg_github_marker(&marker, co.marker_id);
	pg_github_comment_body(&body, r, marker.ptr, t->run_url, PG_GITHUB_COMMENT_MAX - 512);
	if ((err = pg_github_sync_comment(http, t, &co, body.ptr, &action, &id)) < 0)
		goto out;
	static const char *const said[] = { "left the pull request comment alone",
					    "commented on", "updated the comment on",
					    "deleted the stale comment on" };
	fprintf(stderr, "perfgate: %s %s#%ld\n", said[action], t->repo, t->pr);
out:
	free(login);
	pg_buf_free(&marker);
	pg_buf_free(&body);
	return err;
}

/* The report may say which pull request and commit it was made for; in
 * the fork-safe split it is the pull request's own artifact, so that is a
 * claim, never a target.  A claim that differs from the target is refused,
 * unless --pr/--sha named the target (then it is only a warning). */
static int check_claims(const pg_report *r, const cli_github_opts *g, const pg_github_target *t)
{
	int named = g->pr || g->sha;
	if (r->github_sha && t->sha && strcmp(r->github_sha, t->sha)) {
		if (!named)
			return pg_error_set(PG_ERUNTIME, "the report is for commit %.12s but this run "
					    "is for %.12s; refusing to post it", r->github_sha, t->sha);
		fprintf(stderr, "perfgate: warning: the report says commit %.12s; posting for %.12s "
			"as --sha/--pr say\n", r->github_sha, t->sha);
	}
	if (r->github_pr > 0 && t->pr > 0 && r->github_pr != t->pr) {
		if (!named)
			return pg_error_set(PG_ERUNTIME, "the report is for pull request #%ld but this "
					    "run is for #%ld; refusing to post it", r->github_pr, t->pr);
		fprintf(stderr, "perfgate: warning: the report says pull request #%ld; posting to #%ld "
			"as --pr/--sha say\n", r->github_pr, t->pr);
	}
	return 0;
}

static int publish_remote(const pg_report *r, const cli_github_opts *g, pg_github_target *t)
{
	pg_http_opts ho = PG_HTTP_OPTS_INIT;
	pg_http *http = NULL;
	int first = 0, err;
	const char *token_env = g->token_env ? g->token_env : "GITHUB_TOKEN";
	ho.api_url = t->api_url;
	ho.token = g->token;
	if (!ho.token)
		err = pg_error_set(PG_EUSAGE, "no GitHub token: $%s is empty (give the step "
					      "`env: GITHUB_TOKEN: ${{ github.token }}`, or --token-env VAR)",
				   token_env);
	else
		err = pg_http_create(&http, &ho);
	/* a workflow_run's pull request, from the API: never from the report */
	if (err == 0 && t->pr_lookup && !g->no_comment)
		err = pg_github_resolve_pr(http, t);
	if (err == 0)
		err = check_claims(r, g, t);
	if (err < 0) {
		step_failed(err, &first);
		pg_http_free(http);
		return first;
	}
	if (!g->no_comment) {
		if (t->pr > 0) {
			if ((err = post_comment(http, t, r, g)) < 0)
				step_failed(err, &first);
		} else {
			fprintf(stderr, "perfgate: not a pull request (event %s): no comment\n",
				t->event ? t->event : "unknown");
		}
	}
	if (!g->no_status) {
		pg_buf desc = PG_BUF_INIT;
		pg_report_summary(&desc, r);
		err = pg_github_set_status(http, t, g->context ? g->context : "perfgate",
					   status_state(r), desc.ptr);
		if (err < 0)
			step_failed(err, &first);
		else
			fprintf(stderr, "perfgate: set status %s on %.12s\n", status_state(r), t->sha);
		pg_buf_free(&desc);
	}
	pg_http_free(http);
	return first;
}

/* The Actions environment, for pg_github_target_resolve(). */
static void actions_env(pg_github_env *e)
{
	e->api_url = getenv("GITHUB_API_URL");
	e->repo = getenv("GITHUB_REPOSITORY");
	e->sha = getenv("GITHUB_SHA");
	e->event_name = getenv("GITHUB_EVENT_NAME");
	e->event_path = getenv("GITHUB_EVENT_PATH");
	e->server_url = getenv("GITHUB_SERVER_URL");
	e->run_id = getenv("GITHUB_RUN_ID");
}

int cli_github_publish(const pg_report *r, const cli_github_opts *g)
{
	pg_github_env env;
	pg_github_overrides ov = { g->api_url, g->repo, g->pr, g->sha };
	pg_github_target t;
	pg_buf text = PG_BUF_INIT;
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	int first = 0, err;

	/* on stderr: stdout may be a JSON or XML document (the runner reads
	 * workflow commands from both) */
	pg_github_annotations(&text, r);
	fflush(stdout);
	fputs(text.ptr, stderr);
	fflush(stderr);
	if (summary && *summary) {
		pg_markdown_opts mo = { NULL, NULL, PG_GITHUB_SUMMARY_MAX };
		pg_buf_clear(&text);
		pg_report_write_markdown_opts(&text, r, &mo);
		if ((err = pg_github_append_summary(summary, text.ptr)) < 0)
			step_failed(err, &first);
	}
	pg_buf_free(&text);

	actions_env(&env);
	err = pg_github_target_resolve(&t, &env, &ov);
	/* a report measured in this process: its commit is HEAD's */
	if (err == 0 && !t.sha && !g->report_is_artifact && r->commit && pg_sha_valid(r->commit))
		t.sha = pg_strdup(r->commit);
	if (err < 0)
		step_failed(err, &first);
	else if ((err = publish_remote(r, g, &t)) < 0 && !first)
		first = err;
	pg_github_target_free(&t);
	return first;
}

void cli_github_note_context(pg_report *r)
{
	pg_github_overrides none = { 0 };
	pg_github_env env;
	pg_github_target t;
	actions_env(&env);
	if (!env.event_path)
		return;
	if (pg_github_target_resolve(&t, &env, &none) == 0 || t.pr > 0) {
		r->github_pr = t.pr;
		if (t.sha && t.pr > 0)
			r->github_sha = pg_strdup(t.sha);
	}
	pg_github_target_free(&t);
}
