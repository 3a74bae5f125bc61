/*
 * gate_base.c - the base commit's own perfgate.json as the reference for
 * what the base measured and how it was gated (see gate.h): benchmarks a
 * change deletes, policy it weakens, and whether an A/B run's base side
 * can be stored as the base's history.
 */
#include "gate.h"
#include "error.h"
#include "utf8.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The path of the config in use relative to the top of the work tree, or
 * PG_ENOTFOUND when it is outside.  Its directory is resolved (symbolic
 * links, "..", a relative -c), its own name is kept: a perfgate.json that
 * is a link is read in the base as the link it is there. */
static int config_path_in_repo(const pg_gate_env *env, pg_buf *rel)
{
	const char *path = env->cfg->path, *slash = strrchr(path, '/');
	char dir[PATH_MAX], top[PATH_MAX];
	pg_buf d = PG_BUF_INIT;
	int err = 0;
	if (slash)
		pg_buf_put(&d, path, slash == path ? 1 : (size_t)(slash - path));
	else
		pg_buf_puts(&d, ".");
	if (!realpath(d.ptr, dir) || !realpath(pg_repo_workdir(env->repo), top)) {
		err = pg_error_set(PG_ENOTFOUND, "%s: cannot resolve its directory", path);
		goto out;
	}
	size_t n = strlen(top);
	if (!strcmp(dir, top))
		pg_buf_puts(rel, slash ? slash + 1 : path);
	else if (!strncmp(dir, top, n) && (dir[n] == '/' || (n == 1 && top[0] == '/')))
		pg_buf_printf(rel, "%s/%s", dir + n + (dir[n] == '/'), slash ? slash + 1 : path);
	else
		err = pg_error_set(PG_ENOTFOUND, "the config %s is outside the repository", path);
out:
	pg_buf_free(&d);
	return err;
}

/* An error message (a config's problems, one per line) as one line of a
 * warning. */
static char *one_line(const char *msg)
{
	pg_buf b = PG_BUF_INIT;
	for (const char *p = msg; *p; p++) {
		if (*p == '\n')
			pg_buf_puts(&b, "; ");
		else
			pg_buf_putc(&b, *p);
	}
	return pg_buf_detach(&b);
}

void pg_gate_base_load(pg_gate_base *b, const pg_gate_env *env, const char *sha)
{
	pg_buf rel = PG_BUF_INIT, text = PG_BUF_INIT, where = PG_BUF_INIT;
	int err;
	memset(b, 0, sizeof(*b));
	memcpy(b->sha, sha, PG_SHA_LEN + 1);
	if ((err = config_path_in_repo(env, &rel)) < 0)
		goto out;
	b->path = pg_strdup(rel.ptr);
	if ((err = pg_repo_read_file(env->repo, sha, rel.ptr, &text)) < 0)
		goto out;
	pg_buf_printf(&where, "%s at %.12s", rel.ptr, sha);
	if (strlen(text.ptr) != text.len)
		err = pg_error_set(PG_ECONFIG, "%s: contains NUL bytes", where.ptr);
	else
		err = pg_config_parse(&b->cfg, text.ptr, where.ptr);
out:
	if (err < 0)
		b->why = one_line(pg_error_last());
	pg_buf_free(&rel);
	pg_buf_free(&text);
	pg_buf_free(&where);
}

void pg_gate_base_free(pg_gate_base *b)
{
	pg_config_free(b->cfg);
	free(b->path);
	free(b->why);
	memset(b, 0, sizeof(*b));
}

typedef struct policy_warning {
	const char *path;
	const char *sha;
} policy_warning;

static void warn_policy(const char *change, void *payload)
{
	const policy_warning *w = payload;
	pg_warn("%s: %s in this pull request (against the base %.12s); this run uses the new value",
		w->path, change, w->sha);
}

void pg_gate_compare_base(pg_report *r, const pg_gate_env *env, const pg_gate_base *base,
			  const pg_run *current, const pg_baseline *newest)
{
	policy_warning w = { base->path, base->sha };
	if (!base->cfg)
		return;
	pg_report_add_missing(r, current, newest, env->cfg, base->cfg, base->sha);
	pg_config_policy_diff(base->cfg, env->cfg, warn_policy, &w);
}

/* Appends `name` to a list of at most 5 shown names; counts the rest. */
static void list_name(pg_buf *list, size_t *n, const char *name)
{
	if ((*n)++ < 5) {
		pg_buf_puts(list, list->len ? ", " : "");
		pg_utf8_printable(list, name, 80);
	}
}

static void end_list(pg_buf *list, size_t n)
{
	if (n > 5)
		pg_buf_printf(list, " and %zu more", n - 5);
}

int pg_gate_base_comparable(const pg_gate_env *env, const pg_gate_base *base, pg_buf *why)
{
	const pg_config *head = env->cfg, *then = base->cfg;
	pg_buf changed = PG_BUF_INIT, gone = PG_BUF_INIT;
	size_t nchanged = 0, ngone = 0;
	int build;
	if (!then) {
		pg_buf_printf(why, "the base side is not stored as history of %.12s: there is no "
				   "perfgate.json of the base to tell what it measured (%s)", base->sha,
			      base->why);
		return 0;
	}
	for (size_t i = 0; i < head->nbenches; i++) {
		const pg_bench_config *bc = &head->benches[i], *old = pg_config_find(then, bc->name);
		char a[PG_DEFINITION_LEN + 1], b[PG_DEFINITION_LEN + 1];
		pg_gate_definition(bc, a);
		if (old)
			pg_gate_definition(old, b);
		if (!old || strcmp(a, b))
			list_name(&changed, &nchanged, bc->name);
	}
	for (size_t i = 0; i < then->nbenches; i++)
		if (!pg_config_find(head, then->benches[i].name))
			list_name(&gone, &ngone, then->benches[i].name);
	end_list(&changed, nchanged);
	end_list(&gone, ngone);
	build = !(head->build == then->build ||
		  (head->build && then->build && !strcmp(head->build, then->build)));
	if (nchanged || ngone || build) {
		pg_buf_puts(why, "the base side was ");
		if (nchanged)
			pg_buf_printf(why, "measured with this pull request's definition of %s",
				      changed.ptr);
		if (build)
			pg_buf_printf(why, "%sbuilt with this pull request's \"build\" command",
				      nchanged ? ", and " : "");
		if (ngone)
			pg_buf_printf(why, "%swithout %s (in the base's %s)",
				      nchanged || build ? ", and " : "measured ", gone.ptr, base->path);
		pg_buf_printf(why, "; not stored as history of %.12s", base->sha);
	}
	pg_buf_free(&changed);
	pg_buf_free(&gone);
	return !(nchanged || ngone || build);
}
