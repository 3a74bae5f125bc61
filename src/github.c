/*
 * github.c - the GitHub REST calls perfgate makes, and the text it sends
 * (see github.h).
 */
#include "github.h"
#include "error.h"
#include "format.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *env_dup(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? pg_strdup(v) : NULL;
}

static void replace(char **field, const char *value)
{
	if (!value)
		return;
	free(*field);
	*field = pg_strdup(value);
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
		t->pr = (long)json_integer_value(json_object_get(pr, "number"));
		json_t *sha = json_object_get(json_object_get(pr, "head"), "sha");
		if (json_is_string(sha))
			replace(&t->sha, json_string_value(sha));
	} else if ((wr = json_object_get(ev, "workflow_run")) && json_is_object(wr)) {
		json_t *sha = json_object_get(wr, "head_sha");
		json_t *prs = json_object_get(wr, "pull_requests");
		if (json_is_string(sha))
			replace(&t->sha, json_string_value(sha));
		if (json_array_size(prs) > 0)
			t->pr = (long)json_integer_value(json_object_get(json_array_get(prs, 0), "number"));
	}
	json_decref(ev);
}

static int valid_repo(const char *r)
{
	const char *slash = strchr(r, '/');
	if (!slash || slash == r || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	for (; *r; r++)
		if (!(*r == '/' || *r == '-' || *r == '_' || *r == '.' || (*r >= 'a' && *r <= 'z') ||
		      (*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9')))
			return 0;
	return 1;
}

int pg_github_target_from_env(pg_github_target *t, const pg_github_overrides *o)
{
	const char *server = getenv("GITHUB_SERVER_URL"), *run = getenv("GITHUB_RUN_ID");
	memset(t, 0, sizeof(*t));
	t->api_url = env_dup("GITHUB_API_URL");
	t->repo = env_dup("GITHUB_REPOSITORY");
	t->sha = env_dup("GITHUB_SHA");
	t->event = env_dup("GITHUB_EVENT_NAME");
	read_event(t, getenv("GITHUB_EVENT_PATH"));
	replace(&t->api_url, o->api_url);
	replace(&t->repo, o->repo);
	replace(&t->sha, o->sha);
	if (!t->api_url)
		t->api_url = pg_strdup("https://api.github.com");
	if (o->pr) {
		char *end;
		t->pr = strtol(o->pr, &end, 10);
		if (*end || t->pr <= 0)
			return pg_error_set(PG_EUSAGE, "--pr: expected a pull request number, got '%s'",
					    o->pr);
	}
	if (!t->repo)
		return pg_error_set(PG_EUSAGE, "no GitHub repository: set GITHUB_REPOSITORY or pass "
					       "--repo OWNER/NAME");
	if (!valid_repo(t->repo))
		return pg_error_set(PG_EUSAGE, "repository '%s' is not OWNER/NAME", t->repo);
	if (t->repo && server && *server && run && *run) {
		pg_buf u = PG_BUF_INIT;
		pg_buf_printf(&u, "%s/%s/actions/runs/%s", server, t->repo, run);
		t->run_url = pg_buf_detach(&u);
	}
	return 0;
}

void pg_github_target_free(pg_github_target *t)
{
	free(t->api_url);
	free(t->repo);
	free(t->sha);
	free(t->run_url);
	free(t->event);
	memset(t, 0, sizeof(*t));
}

/* One line for a failed call, naming the permission a workflow must grant.
 * Never includes request headers (the token). */
static int api_error(const pg_http_response *res, const char *what, const char *permission)
{
	json_t *doc = json_loads(res->body.ptr, 0, NULL);
	const char *msg = json_string_value(json_object_get(doc, "message"));
	pg_buf m = PG_BUF_INIT;
	for (const char *p = msg ? msg : ""; *p && m.len < 200; p++)
		pg_buf_putc(&m, (*p >= 0x20 && *p < 0x7f) ? *p : ' ');
	json_decref(doc);
	int err;
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
	pg_buf_free(&m);
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
	} else if (err == 0 && res.status == 401) {
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

/* Our comment: starts with the exact marker line and was written by us. */
static int is_ours(json_t *c, const char *marker, const char *author)
{
	const char *body = json_string_value(json_object_get(c, "body"));
	const char *login = json_string_value(json_object_get(json_object_get(c, "user"), "login"));
	return body && login && !strncmp(body, marker, strlen(marker)) && !strcmp(login, author) &&
	       json_is_integer(json_object_get(c, "id"));
}

static int find_comment(pg_http *http, const pg_github_target *t, const char *marker,
			const char *author, long *id)
{
	pg_buf path = PG_BUF_INIT;
	int err = 0, pages = 0;
	*id = 0;
	pg_buf_printf(&path, "/repos/%s/issues/%ld/comments?per_page=100", t->repo, t->pr);
	while (path.len && !err && pages++ < 100) {
		pg_http_response res;
		if ((err = pg_http_request(http, &res, "GET", path.ptr, NULL)) == 0 &&
		    res.status != 200)
			err = api_error(&res, "listing pull request comments", "pull-requests: write");
		json_t *list = err ? NULL : json_loads(res.body.ptr, 0, NULL);
		if (!err && !json_is_array(list))
			err = pg_error_set(PG_ERUNTIME, "GitHub API: listing comments: the answer is "
							"not a JSON array");
		for (size_t i = 0; !err && i < json_array_size(list) && !*id; i++)
			if (is_ours(json_array_get(list, i), marker, author))
				*id = (long)json_integer_value(json_object_get(json_array_get(list, i), "id"));
		json_decref(list);
		pg_buf_clear(&path);
		if (!err && !*id && res.link_next)
			pg_buf_puts(&path, res.link_next);
		pg_http_response_free(&res);
	}
	pg_buf_free(&path);
	return err;
}

static int send_comment(pg_http *http, const char *method, const char *path, const char *body,
			long expect, long *id, const char *what)
{
	pg_http_response res;
	char *payload = NULL;
	json_t *doc = body ? json_pack("{s:s}", "body", body) : NULL;
	if (doc)
		payload = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	int err = pg_http_request(http, &res, method, path, payload);
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
		err = send_comment(http, "PATCH", path.ptr, body, 200, NULL, "updating the comment");
		*action = PG_COMMENT_UPDATED;
	} else if (id && o->stale == PG_STALE_DELETE) {
		pg_buf_printf(&path, "/repos/%s/issues/comments/%ld", t->repo, id);
		err = send_comment(http, "DELETE", path.ptr, NULL, 204, NULL, "deleting the comment");
		*action = PG_COMMENT_DELETED;
	} else if (!id && o->want_post) {
		pg_buf_printf(&path, "/repos/%s/issues/%ld/comments", t->repo, t->pr);
		err = send_comment(http, "POST", path.ptr, body, 201, &id, "creating the comment");
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

void pg_github_comment_body(pg_buf *out, const pg_report *r, const char *marker,
			    const char *run_url, size_t max_len)
{
	pg_markdown_opts mo = { marker, run_url, max_len };
	pg_report_write_markdown_opts(out, r, &mo);
}

void pg_github_escape_data(pg_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '%')
			pg_buf_puts(out, "%25");
		else if (*s == '\r')
			pg_buf_puts(out, "%0D");
		else if (*s == '\n')
			pg_buf_puts(out, "%0A");
		else
			pg_buf_putc(out, *s);
	}
}

void pg_github_escape_property(pg_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == ':')
			pg_buf_puts(out, "%3A");
		else if (*s == ',')
			pg_buf_puts(out, "%2C");
		else {
			char one[2] = { *s, 0 };
			pg_github_escape_data(out, one);
		}
	}
}

static const char *annotation_level(pg_severity s)
{
	switch (s) {
	case PG_SEV_FAILED:
	case PG_SEV_MISSING:
	case PG_SEV_CRITICAL:
		return "error";
	case PG_SEV_WARNING:
		return "warning";
	case PG_SEV_NOTICE:
	case PG_SEV_IMPROVED:
		return "notice";
	default:
		return NULL;
	}
}

void pg_github_annotations(pg_buf *out, const pg_report *r)
{
	pg_buf title = PG_BUF_INIT, msg = PG_BUF_INIT;
	for (size_t i = 0; i < r->nrows; i++) {
		const pg_result_row *row = &r->rows[i];
		const char *level = annotation_level(row->v.severity);
		if (!level)
			continue;
		pg_buf_clear(&title);
		pg_buf_clear(&msg);
		pg_buf_printf(&title, "perfgate: %s", row->bench);
		if (row->reason) {
			pg_buf_printf(&msg, "%s %s: %s", row->bench, pg_severity_name(row->v.severity),
				      row->reason);
		} else {
			pg_buf_printf(&msg, "%s %s %s: ", row->bench, row->metric,
				      pg_severity_name(row->v.severity));
			pg_fmt_change(&msg, row->v.change_pct);
			pg_buf_puts(&msg, " (");
			pg_fmt_value(&msg, row->v.baseline, row->unit);
			pg_buf_puts(&msg, " -> ");
			pg_fmt_value(&msg, row->v.current, row->unit);
			pg_buf_puts(&msg, ")");
		}
		pg_buf_printf(out, "::%s title=", level);
		pg_github_escape_property(out, title.ptr);
		pg_buf_puts(out, "::");
		pg_github_escape_data(out, msg.ptr);
		pg_buf_putc(out, '\n');
	}
	pg_buf_free(&title);
	pg_buf_free(&msg);
}

int pg_github_append_summary(const char *path, const char *markdown)
{
	FILE *f = fopen(path, "a");
	if (!f)
		return pg_error_set(PG_ERUNTIME, "%s: cannot open the job summary", path);
	int ok = fputs(markdown, f) >= 0 && fputc('\n', f) != EOF;
	if (fclose(f) != 0 || !ok)
		return pg_error_set(PG_ERUNTIME, "%s: cannot write the job summary", path);
	return 0;
}
