/*
 * cli_github.c - `--github` publishing for check and post (see
 * cli_github.h).  The token is read here from the environment and handed
 * only to pg_http; it is never printed.
 */
#include "cli_github.h"
#include "error.h"
#include "github.h"
#include "http.h"

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

int cli_github_check(const cli_github_opts *g)
{
	int sev;
	pg_stale_mode st;
	pg_buf m = PG_BUF_INIT;
	if (parse_comment_on(g->comment_on, &sev) < 0)
		return pg_error_set(PG_EUSAGE, "--comment-on: expected notice, warning, critical or "
					       "always, got '%s'", g->comment_on);
	if (parse_stale(g->stale, &st) < 0)
		return pg_error_set(PG_EUSAGE, "--stale: expected update, delete or keep, got '%s'",
				    g->stale);
	int err = pg_github_marker(&m, g->comment_id ? g->comment_id : "default");
	pg_buf_free(&m);
	if (err == 0 && g->api_url && !pg_http_url_allowed(g->api_url))
		err = pg_error_set(PG_EUSAGE, "--api-url '%s' refused: it must be https:// (http:// "
					      "only to 127.0.0.1 or localhost)", g->api_url);
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
	fprintf(stderr, "perfgate: error: %s\n", pg_error_last());
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

static int publish_remote(const pg_report *r, const cli_github_opts *g, pg_github_target *t)
{
	pg_http_opts ho = PG_HTTP_OPTS_INIT;
	pg_http *http = NULL;
	int first = 0, err;
	const char *token_env = g->token_env ? g->token_env : "GITHUB_TOKEN";
	ho.api_url = t->api_url;
	ho.token = getenv(token_env);
	if (!ho.token || !*ho.token)
		err = pg_error_set(PG_EUSAGE, "no GitHub token: $%s is empty (give the step "
					      "`env: GITHUB_TOKEN: ${{ github.token }}`, or --token-env VAR)",
				   token_env);
	else
		err = pg_http_create(&http, &ho);
	if (err < 0) {
		step_failed(err, &first);
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

int cli_github_publish(const pg_report *r, const cli_github_opts *g)
{
	pg_github_overrides ov = { g->api_url, g->repo, g->pr, g->sha };
	pg_github_target t;
	pg_buf text = PG_BUF_INIT;
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	int first = 0, err;

	pg_github_annotations(&text, r);
	fputs(text.ptr, stdout);
	fflush(stdout);
	if (summary && *summary) {
		pg_buf_clear(&text);
		pg_report_write_markdown(&text, r);
		if ((err = pg_github_append_summary(summary, text.ptr)) < 0)
			step_failed(err, &first);
	}
	pg_buf_free(&text);

	err = pg_github_target_from_env(&t, &ov);
	if (err == 0) {
		if (t.pr <= 0 && r->github_pr > 0)
			t.pr = r->github_pr;
		if (!g->sha && r->github_sha && t.sha && strcmp(t.sha, r->github_sha) &&
		    t.event && !strcmp(t.event, "workflow_run"))
			err = pg_error_set(PG_ERUNTIME, "the report is for commit %.12s but this run was "
							"triggered by %.12s; refusing to post it", r->github_sha, t.sha);
		else if (!t.sha && r->github_sha)
			t.sha = pg_strdup(r->github_sha);
		if (!t.sha && r->commit) /* the commit that was measured */
			t.sha = pg_strdup(r->commit);
	}
	if (err < 0) {
		step_failed(err, &first);
	} else if ((err = publish_remote(r, g, &t)) < 0 && !first) {
		first = err;
	}
	pg_github_target_free(&t);
	return first;
}

void cli_github_note_context(pg_report *r)
{
	pg_github_overrides none = { 0 };
	pg_github_target t;
	if (!getenv("GITHUB_EVENT_PATH"))
		return;
	if (pg_github_target_from_env(&t, &none) == 0 || t.pr > 0) {
		r->github_pr = t.pr;
		if (t.sha && t.pr > 0)
			r->github_sha = pg_strdup(t.sha);
	}
	pg_github_target_free(&t);
}
