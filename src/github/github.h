/*
 * github.h - publishing a report to GitHub: the pull request's one sticky
 * comment, the commit status, workflow annotations and the job summary.
 *
 * The comment is recognised by a hidden marker on its first line,
 * "<!-- perfgate:ID -->", *and* by its author (the token's own login, or
 * github-actions[bot] for the Actions GITHUB_TOKEN), so a comment someone
 * else wrote that quotes the marker is never touched.
 */
#ifndef PG_GITHUB_H
#define PG_GITHUB_H

#include "buf.h"
#include "http.h"
#include "report.h"

#define PG_GITHUB_COMMENT_MAX 65536  /* GitHub's limit for a comment body */
/* The job summary's budget, in characters: GitHub takes at most 1 MiB per
 * step summary, and a character is at most 4 bytes of UTF-8. */
#define PG_GITHUB_SUMMARY_MAX 250000
#define PG_GITHUB_ACTIONS_BOT "github-actions[bot]"

/* Where a report goes.  Only trusted sources fill it: the options, the
 * Actions environment and event, and the API itself; never the report (in
 * the fork-safe split the report is the pull request's own artifact). */
typedef struct pg_github_target {
	char *api_url;   /* default https://api.github.com */
	char *repo;      /* owner/name */
	long pr;         /* pull request number; 0 when none */
	char *sha;       /* commit the status goes on (40 hex digits) */
	char *run_url;   /* link to the workflow run, or NULL */
	char *event;     /* GITHUB_EVENT_NAME, or NULL */
	/* A workflow_run event for a pull request, and no --pr: the pull request
	 * is looked up (pg_github_resolve_pr) from the run's head. */
	int pr_lookup;
	char *head_branch;   /* workflow_run.head_branch */
	char *head_repo;     /* workflow_run.head_repository.full_name */
	char *head_owner;    /* workflow_run.head_repository.owner.login */
	long *event_prs;     /* workflow_run.pull_requests[].number, a hint only */
	size_t nevent_prs;
} pg_github_target;

typedef struct pg_github_overrides {
	const char *api_url, *repo, *pr, *sha;
} pg_github_overrides;

/* What the Actions environment says, as the CLI read it (NULL or "" when
 * unset): GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_EVENT_NAME,
 * GITHUB_EVENT_PATH, GITHUB_SERVER_URL, GITHUB_RUN_ID. */
typedef struct pg_github_env {
	const char *api_url, *repo, *sha, *event_name, *event_path, *server_url, *run_id;
} pg_github_env;

/* Fills `t` from `env` (the event file at env->event_path is read as
 * untrusted JSON), then applies the overrides.  The pull request number and
 * head SHA come from the event JSON: pull_request and pull_request_target
 * name both; workflow_run names the head SHA, and its pull request is
 * looked up later (pr_lookup) unless --pr names it.  PG_EUSAGE when the
 * repository is unknown or malformed, or --pr/--sha are not a number and a
 * 40-hex commit id. */
int pg_github_target_resolve(pg_github_target *t, const pg_github_env *env,
			     const pg_github_overrides *o);
void pg_github_target_free(pg_github_target *t);

/* For pr_lookup: finds the open pull request of t->repo whose head is
 * t->head_owner:t->head_branch, whose head commit is t->sha and whose head
 * repository is t->head_repo (GET /repos/{repo}/pulls?state=open&head=...)
 * and sets t->pr.  PG_ERUNTIME when none is (the pull request was updated
 * or closed since, or the run was not for one): nothing may be posted. */
int pg_github_resolve_pr(pg_http *http, pg_github_target *t);

/* The login the token acts as (caller frees): GET /user, or
 * github-actions[bot] when the token cannot ask (an Actions token). */
int pg_github_whoami(pg_http *http, char **login);

typedef enum pg_stale_mode { PG_STALE_UPDATE = 0, PG_STALE_DELETE, PG_STALE_KEEP } pg_stale_mode;
typedef enum pg_comment_action {
	PG_COMMENT_NONE = 0, PG_COMMENT_CREATED, PG_COMMENT_UPDATED, PG_COMMENT_DELETED
} pg_comment_action;

typedef struct pg_comment_opts {
	const char *marker_id;  /* [A-Za-z0-9._-]+, default "default" */
	const char *author;     /* whose comments are ours */
	int want_post;          /* the report is worth a comment */
	pg_stale_mode stale;    /* what to do with our old comment otherwise */
} pg_comment_opts;

/* Creates, updates or deletes our sticky comment on t->pr with `body`
 * (which must start with the marker line).  Follows pagination.  A create
 * that got a 5xx or lost its connection is not blindly repeated: the
 * comments are listed again and ours, if the create went through after
 * all, is updated instead. */
int pg_github_sync_comment(pg_http *http, const pg_github_target *t, const pg_comment_opts *o,
			   const char *body, pg_comment_action *action, long *comment_id);

/* Sets the commit status (state success|failure|error) on t->sha. */
int pg_github_set_status(pg_http *http, const pg_github_target *t, const char *context,
			 const char *state, const char *description);

/* The marker line for an id; PG_EUSAGE for an id that is not
 * [A-Za-z0-9._-]{1,64}. */
int pg_github_marker(pg_buf *out, const char *id);

/* The comment body: marker, then the Markdown report with a link to the
 * run, kept under GitHub's limit by cutting the collapsed table. */
void pg_github_comment_body(pg_buf *out, const pg_report *r, const char *marker,
			    const char *run_url, size_t max_len);

/* ::error / ::warning / ::notice workflow commands for flagged results;
 * every field without control characters (pg_escape_term), then escaped
 * as workflow-command data or property. */
void pg_github_annotations(pg_buf *out, const pg_report *r);
/* Workflow-command escaping: data escapes % CR LF; properties also : , */
void pg_github_escape_data(pg_buf *out, const char *s);
void pg_github_escape_property(pg_buf *out, const char *s);

/* Appends `markdown` to the file $GITHUB_STEP_SUMMARY names. */
int pg_github_append_summary(const char *path, const char *markdown);

#endif
