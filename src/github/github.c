/*
 * github.c - the GitHub REST calls perfgate makes (see github.h); the text
 * it sends is made in github_text.c.
 */
#include "github.h"
#include "error.h"
#include "validate.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *dup_set(const char *v)
{
	return v && *v ? pg_strdup(v) : NULL;
}

static void replace(char **field, const char *value)
{
	if (!value)
		return;
	free(*field);
	*field = pg_strdup(value);
}

static char *json_str_dup(json_t *v)
{
	return json_is_string(v) ? pg_strdup(json_string_value(v)) : NULL;
}

/* The workflow_run's head, for looking its pull request up: the event
 * names it only for pull requests from the same repository (a fork's
 * run has "pull_requests": []), and even then without the head repository,
 * so the pull request is always looked up through the API. */
static void read_workflow_run(pg_github_target *t, json_t *wr)
{
	json_t *sha = json_object_get(wr, "head_sha"), *hr = json_object_get(wr, "head_repository");
	json_t *kind = json_object_get(wr, "event"), *prs = json_object_get(wr, "pull_requests"), *p;
	size_t i;
	if (json_is_string(sha))
		replace(&t->sha, json_string_value(sha));
	/* a run for a push has no pull request to find */
	if (json_is_string(kind) && strcmp(json_string_value(kind), "pull_request") &&
	    strcmp(json_string_value(kind), "pull_request_target"))
		return;
	t->pr_lookup = 1;
	t->head_branch = json_str_dup(json_object_get(wr, "head_branch"));
	t->head_repo = json_str_dup(json_object_get(hr, "full_name"));
	t->head_owner = json_str_dup(json_object_get(json_object_get(hr, "owner"), "login"));
	json_array_foreach(prs, i, p) {
		json_t *n = json_object_get(p, "number");
		if (!json_is_integer(n) || json_integer_value(n) <= 0)
			continue;
		t->event_prs = pg_realloc(t->event_prs, (t->nevent_prs + 1) * sizeof(*t->event_prs));
		t->event_prs[t->nevent_prs++] = (long)json_integer_value(n);
	}
}

/* Pull request number and head SHA from the event payload, when the event
 * has them. */
static void read_event(pg_github_target *t, const char *path)
{
	json_error_t jerr;
	json_t *ev = path ? json_load_file(path, 0, &jerr) : NULL;
	json_t *pr, *wr;
	if (!ev) {
		if (path)
			pg_warn("%s: cannot read the GitHub event (%s); pass --pr and --sha", path,
				jerr.text);
		return;
	}
	if ((pr = json_object_get(ev, "pull_request")) && json_is_object(pr)) {
		json_t *n = json_object_get(pr, "number");
		json_t *sha = json_object_get(json_object_get(pr, "head"), "sha");
		if (json_is_integer(n) && json_integer_value(n) > 0 &&
		    json_integer_value(n) <= LONG_MAX)
			t->pr = (long)json_integer_value(n);
		if (json_is_string(sha))
			replace(&t->sha, json_string_value(sha));
	} else if ((wr = json_object_get(ev, "workflow_run")) && json_is_object(wr)) {
		read_workflow_run(t, wr);
	}
	json_decref(ev);
}

static int valid_repo(const char *r)
{
	const char *slash = strchr(r, '/');
	if (!slash || slash == r || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	/* "." and ".." would walk out of /repos/ */
	if (r[0] == '.' || slash[1] == '.')
		return 0;
	for (; *r; r++)
		if (!(*r == '/' || *r == '-' || *r == '_' || *r == '.' || (*r >= 'a' && *r <= 'z') ||
		      (*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9')))
			return 0;
	return 1;
}

/* The link to the workflow run, when the environment names a sound one. */
static char *run_url(const char *server, const char *repo, const char *run)
{
	pg_buf u = PG_BUF_INIT;
	if (!server || !*server || !run || !*run || strspn(run, "0123456789") != strlen(run) ||
	    strlen(run) > 20 || pg_http_url_problem(server, NULL) ||
	    strcspn(server, "?#()<>[]\"'` ") != strlen(server))
		return NULL;
	pg_buf_puts(&u, server);
	while (u.len && u.ptr[u.len - 1] == '/')
		pg_buf_truncate(&u, u.len - 1);
	pg_buf_printf(&u, "/%s/actions/runs/%s", repo, run);
	return pg_buf_detach(&u);
}

int pg_github_target_resolve(pg_github_target *t, const pg_github_env *env,
			     const pg_github_overrides *o)
{
	memset(t, 0, sizeof(*t));
	t->api_url = dup_set(env->api_url);
	t->repo = dup_set(env->repo);
	t->sha = dup_set(env->sha);
	t->event = dup_set(env->event_name);
	read_event(t, env->event_path);
	replace(&t->api_url, o->api_url);
	replace(&t->repo, o->repo);
	replace(&t->sha, o->sha);
	if (!t->api_url)
		t->api_url = pg_strdup("https://api.github.com");
	if (o->pr) {
		char *end;
		errno = 0;
		t->pr = strtol(o->pr, &end, 10);
		if (*end || end == o->pr || t->pr <= 0 || errno)
			return pg_error_set(PG_EUSAGE, "--pr: expected a pull request number, got '%s'",
					    o->pr);
		t->pr_lookup = 0; /* named by whoever runs perfgate */
	}
	if (t->sha && !pg_sha_valid(t->sha))
		return pg_error_set(PG_EUSAGE, "%s: expected a 40-digit lowercase hex commit id, got "
				    "'%.50s'", o->sha ? "--sha" : "the commit from the environment",
				    t->sha);
	if (!t->repo)
		return pg_error_set(PG_EUSAGE, "no GitHub repository: set GITHUB_REPOSITORY or pass "
					       "--repo OWNER/NAME");
	if (!valid_repo(t->repo))
		return pg_error_set(PG_EUSAGE, "repository '%s' is not OWNER/NAME", t->repo);
	t->run_url = run_url(env->server_url, t->repo, env->run_id);
	return 0;
}

void pg_github_target_free(pg_github_target *t)
{
	free(t->api_url);
	free(t->repo);
	free(t->sha);
	free(t->run_url);
	free(t->event);
	free(t->head_branch);
	free(t->head_repo);
	free(t->head_owner);
	free(t->event_prs);
	memset(t, 0, sizeof(*t));
}

/* "the limit resets at 2024-05-01 12:00:00 UTC, in 42 min 5 s", or what
 * GitHub asked for instead. */
static void rate_limit_reset(pg_buf *out, const pg_http_response *res)
{
	time_t now = time(NULL), reset = (time_t)res->ratelimit_reset;
	struct tm tm;
	char when[32];
	if (res->ratelimit_reset > 0 && gmtime_r(&reset, &tm) &&
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm)) {
		long left = reset > now ? (long)(reset - now) : 0;
		pg_buf_printf(out, "the limit resets at %s, in %ld min %ld s", when, left / 60,
			      left % 60);
	} else if (res->retry_after >= 0) {
		pg_buf_printf(out, "GitHub asks to wait %.0f s", res->retry_after);
	} else {
		pg_buf_puts(out, "GitHub gives no reset time; wait a few minutes");
	}
}

/* One line for a failed call, naming the permission a workflow must grant.
 * Never includes request headers (the token). */
static int api_error(const pg_http_response *res, const char *what, const char *permission)
{
	json_t *doc = json_loads(res->body.ptr, 0, NULL);
	const char *msg = json_string_value(json_object_get(doc, "message"));
	pg_buf m = PG_BUF_INIT, reset = PG_BUF_INIT;
	for (const char *p = msg ? msg : ""; *p && m.len < 200; p++)
		pg_buf_putc(&m, (*p >= 0x20 && *p < 0x7f) ? *p : ' ');
	json_decref(doc);
	int err;
	if (res->rate_limited) {
		rate_limit_reset(&reset, res);
		err = pg_error_set(PG_ERUNTIME, "GitHub API: %s: rate limited (HTTP %ld): %s%s%s%s",
				   what, res->status, reset.ptr, m.len ? " (GitHub says: " : "", m.ptr,
				   m.len ? ")" : "");
		goto out;
	}
	switch (res->status) {
	case 401:
		err = pg_error_set(PG_ERUNTIME, "GitHub API: %s: 401 Unauthorized: the token is missing, "
				   "invalid or expired (set GITHUB_TOKEN, or name its variable with "
				   "--token-env)", what);
		break;
	case 403:
		err = pg_error_set(PG_ERUNTIME, "GitHub API: %s: 403 Forbidden: the token lacks "
				   "permission; grant the workflow `permissions: %s`%s%s%s", what,
				   permission, m.len ? " (GitHub says: " : "", m.ptr, m.len ? ")" : "");
		break;
	case 404:
		err = pg_error_set(PG_ERUNTIME, "GitHub API: %s: 404 Not Found: the repository or pull "
				   "request does not exist, or the token cannot see it (it needs "
				   "`permissions: %s`)", what, permission);
		break;
	default:
		err = pg_error_set(PG_ERUNTIME, "GitHub API: %s: HTTP %ld%s%s", what, res->status,
				   m.len ? ": " : "", m.ptr);
	}
out:
	pg_buf_free(&m);
	pg_buf_free(&reset);
	return err;
}

int pg_github_whoami(pg_http *http, char **login)
{
	pg_http_response res;
	int err = pg_http_request(http, &res, "GET", "/user", NULL);
	*login = NULL;
	if (err == 0 && res.status == 200) {
		json_t *doc = json_loads(res.body.ptr, 0, NULL);
		const char *l = json_string_value(json_object_get(doc, "login"));
		if (l)
			*login = pg_strdup(l);
		json_decref(doc);
	} else if (err == 0 && (res.status == 401 || res.rate_limited)) {
		err = api_error(&res, "GET /user", "pull-requests: write");
	} else if (err == 0) {
		/* An Actions GITHUB_TOKEN may not read /user: it acts as the bot. */
		*login = pg_strdup(PG_GITHUB_ACTIONS_BOT);
	}
	if (err == 0 && !*login)
		*login = pg_strdup(PG_GITHUB_ACTIONS_BOT);
	pg_http_response_free(&res);
	return err;
}

int pg_github_marker(pg_buf *out, const char *id)
{
	size_t n = strlen(id);
	if (!n || n > 64 || strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789._-") != n)
		return pg_error_set(PG_EUSAGE, "comment id '%s': use 1 to 64 of A-Z a-z 0-9 . _ -", id);
	pg_buf_printf(out, "<!-- perfgate:%s -->\n", id);
	return 0;
}

/* Calls each(item, payload) on the items of a listing, page after page
 * (Link rel="next", at most 100 pages), until it returns non-zero. */
static int list_each(pg_http *http, const char *first, const char *what, const char *permission,
		     int (*each)(json_t *item, void *payload), void *payload)
{
	pg_buf path = PG_BUF_INIT;
	int err = 0, pages = 0, done = 0;
	pg_buf_puts(&path, first);
	while (path.len && !err && !done && pages++ < 100) {
		pg_http_response res;
		json_t *list = NULL, *item;
		size_t i;
		if ((err = pg_http_request(http, &res, "GET", path.ptr, NULL)) == 0 &&
		    res.status != 200)
			err = api_error(&res, what, permission);
		if (!err)
			list = json_loads(res.body.ptr, 0, NULL);
		if (!err && !json_is_array(list))
			err = pg_error_set(PG_ERUNTIME, "GitHub API: %s: the answer is not a JSON "
					   "array", what);
		json_array_foreach(err ? NULL : list, i, item)
			if ((done = each(item, payload)) != 0)
				break;
		json_decref(list);
		pg_buf_clear(&path);
		if (!err && !done && res.link_next)
			pg_buf_puts(&path, res.link_next);
		pg_http_response_free(&res);
	}
	pg_buf_free(&path);
	return err;
}

typedef struct comment_search {
	const char *marker, *author;
	long id;
} comment_search;

/* Our comment: starts with the exact marker line and was written by us. */
static int is_ours(json_t *c, void *payload)
{
	comment_search *s = payload;
	const char *body = json_string_value(json_object_get(c, "body"));
	const char *login = json_string_value(json_object_get(json_object_get(c, "user"), "login"));
	json_t *id = json_object_get(c, "id");
	if (!body || !login || strncmp(body, s->marker, strlen(s->marker)) ||
	    strcmp(login, s->author) || !json_is_integer(id) || json_integer_value(id) <= 0)
		return 0;
	s->id = (long)json_integer_value(id);
	return 1;
}

static int find_comment(pg_http *http, const pg_github_target *t, const char *marker,
			const char *author, long *id)
{
	comment_search s = { marker, author, 0 };
	pg_buf path = PG_BUF_INIT;
	pg_buf_printf(&path, "/repos/%s/issues/%ld/comments?per_page=100", t->repo, t->pr);
	int err = list_each(http, path.ptr, "listing pull request comments", "pull-requests: write",
			    is_ours, &s);
	*id = err ? 0 : s.id;
	pg_buf_free(&path);
	return err;
}

typedef struct pr_search {
	const pg_github_target *t;
	long found;
} pr_search;

/* An open pull request whose head is the run's commit in the run's head
 * repository; the event's pull_requests decide between several. */
static int is_the_pr(json_t *p, void *payload)
{
	pr_search *s = payload;
	json_t *head = json_object_get(p, "head"), *n = json_object_get(p, "number");
	const char *sha = json_string_value(json_object_get(head, "sha"));
	const char *repo = json_string_value(json_object_get(json_object_get(head, "repo"),
							     "full_name"));
	if (!json_is_integer(n) || json_integer_value(n) <= 0 || json_integer_value(n) > LONG_MAX ||
	    !sha || strcmp(sha, s->t->sha) || !repo || strcmp(repo, s->t->head_repo))
		return 0;
	for (size_t i = 0; i < s->t->nevent_prs; i++)
		if (s->t->event_prs[i] == (long)json_integer_value(n)) {
			s->found = (long)json_integer_value(n);
			return 1;
		}
	if (!s->found)
		s->found = (long)json_integer_value(n);
	return 0;
}

int pg_github_resolve_pr(pg_http *http, pg_github_target *t)
{
	pr_search s = { t, 0 };
	pg_buf path = PG_BUF_INIT;
	int err;
	if (!t->sha || !t->head_branch || !t->head_repo || !t->head_owner)
		return pg_error_set(PG_ERUNTIME, "the workflow_run event lacks head_sha, head_branch "
				    "or head_repository: cannot tell which pull request it was for; "
				    "pass --pr N and --sha SHA");
	pg_buf_printf(&path, "/repos/%s/pulls?state=open&per_page=100&head=", t->repo);
	pg_http_query_escape(&path, t->head_owner);
	pg_buf_putc(&path, ':');
	pg_http_query_escape(&path, t->head_branch);
	err = list_each(http, path.ptr, "looking up the pull request", "pull-requests: read",
			is_the_pr, &s);
	pg_buf_free(&path);
	if (err < 0)
		return err;
	if (!s.found)
		return pg_error_set(PG_ERUNTIME, "no open pull request of %s has head %.100s:%.100s at "
				    "commit %.12s (from %.100s): it was updated or closed since, or "
				    "the run was not for a pull request; refusing to post",
				    t->repo, t->head_owner, t->head_branch, t->sha, t->head_repo);
	t->pr = s.found;
	return 0;
}

/* Sends a comment request; `once` for a create, which must not run twice
 * (the caller looks before retrying: res->uncertain). */
static int send_comment(pg_http *http, const char *method, const char *path, const char *body,
			long expect, long *id, const char *what, int once, int *uncertain)
{
	pg_http_response res;
	char *payload = NULL;
	json_t *doc = body ? json_pack("{s:s}", "body", body) : NULL;
	if (uncertain)
		*uncertain = 0;
	if (body && !doc)
		return pg_error_set(PG_ERUNTIME, "GitHub API: %s: the comment is not valid UTF-8",
				    what);
	if (doc)
		payload = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	int err = once ? pg_http_request_once(http, &res, method, path, payload)
		       : pg_http_request(http, &res, method, path, payload);
	if (uncertain)
		*uncertain = res.uncertain;
	/* a retried DELETE whose first attempt went through */
	if (err == 0 && !strcmp(method, "DELETE") && res.status == 404 && res.attempts > 1)
		res.status = expect;
	if (err == 0 && res.status != expect)
		err = api_error(&res, what, "pull-requests: write");
	if (err == 0 && id) {
		json_t *r = json_loads(res.body.ptr, 0, NULL);
		*id = (long)json_integer_value(json_object_get(r, "id"));
		json_decref(r);
	}
	free(payload);
	pg_http_response_free(&res);
	return err;
}

/* Creates the comment.  After a 5xx or a lost connection the create may
 * have gone through: look again, and update ours if it is there now. */
static int create_comment(pg_http *http, const pg_github_target *t, const char *marker,
			  const char *author, const char *body, long *id)
{
	pg_buf path = PG_BUF_INIT;
	int err, uncertain;
	for (int attempt = 1;; attempt++) {
		pg_buf_clear(&path);
		pg_buf_printf(&path, "/repos/%s/issues/%ld/comments", t->repo, t->pr);
		err = send_comment(http, "POST", path.ptr, body, 201, id, "creating the comment", 1,
				   &uncertain);
		if (!uncertain || pg_http_backoff(http, attempt) < 0)
			break;
		if ((err = find_comment(http, t, marker, author, id)) < 0)
			break;
		if (*id) {
			pg_buf_clear(&path);
			pg_buf_printf(&path, "/repos/%s/issues/comments/%ld", t->repo, *id);
			err = send_comment(http, "PATCH", path.ptr, body, 200, NULL,
					   "updating the comment", 0, NULL);
			break;
		}
	}
	pg_buf_free(&path);
	return err;
}

int pg_github_sync_comment(pg_http *http, const pg_github_target *t, const pg_comment_opts *o,
			   const char *body, pg_comment_action *action, long *comment_id)
{
	pg_buf marker = PG_BUF_INIT, path = PG_BUF_INIT;
	long id = 0;
	int err;
	*action = PG_COMMENT_NONE;
	if (t->pr <= 0)
		return pg_error_set(PG_EUSAGE, "no pull request to comment on: not a pull_request "
					       "event; pass --pr N");
	if ((err = pg_github_marker(&marker, o->marker_id)) < 0 ||
	    (err = find_comment(http, t, marker.ptr, o->author, &id)) < 0)
		goto out;
	if (id && (o->want_post || o->stale == PG_STALE_UPDATE)) {
		pg_buf_printf(&path, "/repos/%s/issues/comments/%ld", t->repo, id);
		err = send_comment(http, "PATCH", path.ptr, body, 200, NULL, "updating the comment",
				   0, NULL);
		*action = PG_COMMENT_UPDATED;
	} else if (id && o->stale == PG_STALE_DELETE) {
		pg_buf_printf(&path, "/repos/%s/issues/comments/%ld", t->repo, id);
		err = send_comment(http, "DELETE", path.ptr, NULL, 204, NULL, "deleting the comment",
				   0, NULL);
		*action = PG_COMMENT_DELETED;
	} else if (!id && o->want_post) {
		err = create_comment(http, t, marker.ptr, o->author, body, &id);
		*action = PG_COMMENT_CREATED;
	}
	if (err < 0)
		*action = PG_COMMENT_NONE;
	if (comment_id)
		*comment_id = id;
out:
	pg_buf_free(&marker);
	pg_buf_free(&path);
	return err;
}

int pg_github_set_status(pg_http *http, const pg_github_target *t, const char *context,
			 const char *state, const char *description)
{
	pg_buf path = PG_BUF_INIT, desc = PG_BUF_INIT;
	pg_http_response res;
	if (!t->sha)
		return pg_error_set(PG_EUSAGE, "no commit for the status: set GITHUB_SHA or pass --sha");
	/* GitHub rejects descriptions over 140 characters. */
	pg_buf_put(&desc, description, strlen(description) > 140 ? 137 : strlen(description));
	if (strlen(description) > 140)
		pg_buf_puts(&desc, "...");
	json_t *doc = json_pack("{s:s, s:s, s:s}", "state", state, "context", context,
				"description", desc.ptr);
	if (t->run_url)
		json_object_set_new(doc, "target_url", json_string(t->run_url));
	char *payload = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	pg_buf_printf(&path, "/repos/%s/statuses/%s", t->repo, t->sha);
	int err = pg_http_request(http, &res, "POST", path.ptr, payload);
	if (err == 0 && res.status != 201)
		err = api_error(&res, "setting the commit status", "statuses: write");
	pg_http_response_free(&res);
	free(payload);
	pg_buf_free(&path);
	pg_buf_free(&desc);
	return err;
}
