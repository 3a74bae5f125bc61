/*
 * test_repo.c - ancestry walking and repository state on real git
 * repositories built in temporary directories.
 */
#include "buf.h"
#include "error.h"
#include "helpers.h"
#include "repo.h"

#include <stdlib.h>
#include <string.h>

typedef struct walk_log {
	pg_buf subjects;
	pg_repo *repo;
} walk_log;

static int log_subject(const char *sha, void *payload)
{
	walk_log *w = payload;
	pg_commit_info info;
	assert_int_equal(pg_repo_commit_info(w->repo, sha, &info), 0);
	pg_buf_printf(&w->subjects, "%s%s", w->subjects.len ? " " : "", info.subject);
	pg_commit_info_free(&info);
	return 0;
}

/* main: c0 - c1 - c2 - c3 ------------- merge - c6
 *                       \              /
 * feature:               f4 --------- f5          */
static char *history_repo(void)
{
	char *dir = th_git_repo();
	th_sh(dir, "for i in 0 1 2 3; do echo $i > f; git add f; git commit -qm c$i; done;"
		   "git checkout -qb feature; echo 4 > g; git add g; git commit -qm f4;"
		   "echo 5 > g; git commit -qam f5; git checkout -q main;"
		   "git merge -q --no-ff -m merge feature; echo 6 > f; git commit -qam c6");
	return dir;
}

static void test_repo__first_parent_walk(void **state)
{
	(void)state;
	char *dir = history_repo();
	char head[PG_SHA_LEN + 1];
	pg_repo *repo;
	int truncated = 1;
	walk_log w = { PG_BUF_INIT, NULL };
	assert_int_equal(pg_repo_open(&repo, dir), 0);
	w.repo = repo;
	assert_int_equal(pg_repo_head(repo, head), 0);
	assert_int_equal(pg_repo_walk_first_parent(repo, head, 100, log_subject, &w, &truncated), 0);
	/* the merged branch's commits are not on the first-parent chain */
	assert_string_equal(w.subjects.ptr, "c6 merge c3 c2 c1 c0");
	assert_int_equal(truncated, 0);
	/* the limit is honoured */
	pg_buf_clear(&w.subjects);
	assert_int_equal(pg_repo_walk_first_parent(repo, head, 2, log_subject, &w, &truncated), 0);
	assert_string_equal(w.subjects.ptr, "c6 merge");
	pg_buf_free(&w.subjects);
	pg_repo_free(repo);
	th_rmrf(dir);
	free(dir);
}

static void test_repo__merge_base_and_resolve(void **state)
{
	(void)state;
	char *dir = history_repo();
	char a[PG_SHA_LEN + 1], b[PG_SHA_LEN + 1], base[PG_SHA_LEN + 1], c3[PG_SHA_LEN + 1];
	pg_repo *repo;
	th_sh(dir, "git checkout -qb topic main~1^2; echo 7 > h; git add h; git commit -qm t7");
	assert_int_equal(pg_repo_open(&repo, dir), 0);
	assert_int_equal(pg_repo_resolve(repo, "HEAD", a), 0);
	assert_int_equal(pg_repo_resolve_branch(repo, "main", b), 0);
	assert_int_equal(pg_repo_merge_base(repo, a, b, base), 0);
	char *f5 = th_sh_out(dir, "git rev-parse main~1^2");
	assert_string_equal(base, f5);
	assert_int_equal(pg_repo_resolve(repo, "main~3", c3), 0); /* c3 via first parents */
	assert_true(pg_repo_is_ancestor(repo, c3, a));
	assert_false(pg_repo_is_ancestor(repo, a, c3));
	assert_int_equal(pg_repo_resolve(repo, "no-such-rev", a), PG_ENOTFOUND);
	assert_non_null(strstr(pg_error_last(), "no-such-rev"));
	assert_int_equal(pg_repo_resolve_branch(repo, "develop", a), PG_ENOTFOUND);
	assert_non_null(strstr(pg_error_last(), "git fetch origin develop"));
	char *branch = pg_repo_branch(repo);
	assert_string_equal(branch, "topic");
	free(branch);
	free(f5);
	pg_repo_free(repo);
	th_rmrf(dir);
	free(dir);
}

/* A clone of history_repo() in a new directory: `git clone OPTS SRC c`,
 * then the shell command `then` inside it; the clone's path goes to `path`. */
typedef struct cloned {
	char *src, *dir;
	pg_buf path;
} cloned;

static void clone_history(cloned *c, const char *opts, const char *then)
{
	c->src = history_repo();
	c->dir = th_tempdir();
	pg_buf_init(&c->path);
	th_sh(c->dir, "git clone -q %s 'file://%s' c && cd c && %s", opts, c->src, then);
	pg_buf_printf(&c->path, "%s/c", c->dir);
}

static void cloned_free(cloned *c)
{
	th_rmrf(c->src);
	th_rmrf(c->dir);
	free(c->src);
	free(c->dir);
	pg_buf_free(&c->path);
}

static void test_repo__origin_branch_fallback_and_detached(void **state)
{
	(void)state;
	char sha[PG_SHA_LEN + 1];
	pg_repo *repo;
	cloned c;
	/* a CI-like checkout: detached HEAD, only origin/main */
	clone_history(&c, "", "git checkout -q --detach HEAD~1 && git branch -q -D main");
	assert_int_equal(pg_repo_open(&repo, c.path.ptr), 0);
	assert_null(pg_repo_branch(repo));
	assert_int_equal(pg_repo_resolve_branch(repo, "main", sha), 0);
	char *want = th_sh_out(c.path.ptr, "git rev-parse origin/main");
	assert_string_equal(sha, want);
	free(want);
	pg_repo_free(repo);
	cloned_free(&c);
}

static void test_repo__shallow_clone_truncates(void **state)
{
	(void)state;
	char head[PG_SHA_LEN + 1];
	pg_repo *repo;
	int truncated = 0;
	walk_log w = { PG_BUF_INIT, NULL };
	cloned c;
	clone_history(&c, "--depth 3", "true");
	assert_int_equal(pg_repo_open(&repo, c.path.ptr), 0);
	w.repo = repo;
	assert_true(pg_repo_is_shallow(repo));
	assert_int_equal(pg_repo_head(repo, head), 0);
	assert_int_equal(pg_repo_walk_first_parent(repo, head, 100, log_subject, &w, &truncated), 0);
	assert_int_equal(truncated, 1);
	assert_string_equal(w.subjects.ptr, "c6 merge c3");
	pg_buf_free(&w.subjects);
	pg_repo_free(repo);
	cloned_free(&c);
}

static void test_repo__dirty_and_errors(void **state)
{
	(void)state;
	char *dir = th_git_repo(), *empty = th_git_repo(), *plain = th_tempdir();
	char sha[PG_SHA_LEN + 1];
	pg_repo *repo;
	int dirty = -1;
	th_sh(dir, "echo a > f && git add f && git commit -qm one");
	assert_int_equal(pg_repo_open(&repo, dir), 0);
	assert_int_equal(pg_repo_is_dirty(repo, &dirty), 0);
	assert_int_equal(dirty, 0);
	th_sh(dir, "echo new > untracked"); /* untracked files do not count */
	assert_int_equal(pg_repo_is_dirty(repo, &dirty), 0);
	assert_int_equal(dirty, 0);
	th_sh(dir, "echo b > f");
	assert_int_equal(pg_repo_is_dirty(repo, &dirty), 0);
	assert_int_equal(dirty, 1);
	pg_repo_free(repo);

	assert_int_equal(pg_repo_open(&repo, plain), PG_ERUNTIME);
	assert_non_null(strstr(pg_error_last(), "not inside a git repository"));
	assert_int_equal(pg_repo_open(&repo, empty), 0);
	assert_int_equal(pg_repo_head(repo, sha), PG_ERUNTIME);
	assert_non_null(strstr(pg_error_last(), "commit something first"));
	pg_repo_free(repo);
	th_rmrf(dir);
	th_rmrf(empty);
	th_rmrf(plain);
	free(dir);
	free(empty);
	free(plain);
}

/* A file as it is in a commit, whatever the work tree holds; what is not a
 * regular file there is not found. */
static void test_repo__read_file(void **state)
{
	(void)state;
	char *dir = th_git_repo(), *one, *two;
	pg_repo *repo;
	pg_buf b = PG_BUF_INIT;
	th_sh(dir, "mkdir -p sub && printf 'first' > sub/c.json && printf 'a\\0b' > nul &&"
		   "ln -s sub/c.json link && git add -A && git commit -qm one");
	one = th_sh_out(dir, "git rev-parse HEAD");
	th_sh(dir, "printf 'second' > sub/c.json && git commit -qam two && printf 'dirty' > sub/c.json");
	two = th_sh_out(dir, "git rev-parse HEAD");
	assert_int_equal(pg_repo_open(&repo, dir), 0);
	assert_int_equal(pg_repo_read_file(repo, one, "sub/c.json", &b), 0);
	assert_string_equal(b.ptr, "first");
	pg_buf_clear(&b);
	assert_int_equal(pg_repo_read_file(repo, two, "sub/c.json", &b), 0);
	assert_string_equal(b.ptr, "second");
	pg_buf_clear(&b);
	assert_int_equal(pg_repo_read_file(repo, one, "nul", &b), 0);
	assert_int_equal(b.len, 3); /* NUL bytes kept: the caller can tell */
	pg_buf_clear(&b);
	assert_int_equal(pg_repo_read_file(repo, one, "absent.json", &b), PG_ENOTFOUND);
	assert_non_null(strstr(pg_error_last(), "has no absent.json"));
	assert_int_equal(pg_repo_read_file(repo, one, "sub", &b), PG_ENOTFOUND);
	assert_int_equal(pg_repo_read_file(repo, one, "link", &b), PG_ENOTFOUND);
	assert_non_null(strstr(pg_error_last(), "not a regular file"));
	assert_int_equal(b.len, 0);
	assert_int_equal(pg_repo_read_file(repo, "0123456789012345678901234567890123456789", "f", &b),
			 PG_ERUNTIME);
	pg_repo_free(repo);
	pg_buf_free(&b);
	th_rmrf(dir);
	free(dir);
	free(one);
	free(two);
}

/* A note edit that another writer overtakes is done again on top of what
 * that writer stored: nothing is lost.  The other writer here is a nested
 * edit made while the first one is between reading and writing. */
typedef struct racing_edit {
	pg_repo *repo;
	const char *sha;
	int calls;
} racing_edit;

static int append_b(const char *old, pg_buf *out, void *payload)
{
	(void)payload;
	pg_buf_printf(out, "%sB", old ? old : "");
	return 0;
}

static int append_a_racing(const char *old, pg_buf *out, void *payload)
{
	racing_edit *r = payload;
	if (r->calls++ == 0) /* overtaken: another writer moves the ref now */
		assert_int_equal(pg_repo_note_edit(r->repo, "refs/notes/t", r->sha, append_b, NULL), 0);
	pg_buf_printf(out, "%sA", old ? old : "");
	return 0;
}

static int refuse(const char *old, pg_buf *out, void *payload)
{
	(void)out;
	(void)payload;
	return pg_error_set(PG_ERUNTIME, "not touching '%s'", old);
}

static void test_repo__note_edit_compare_and_swap(void **state)
{
	(void)state;
	char *dir = th_git_repo();
	char head[PG_SHA_LEN + 1];
	pg_repo *repo;
	pg_buf got = PG_BUF_INIT;
	th_sh(dir, "git commit -q --allow-empty -m one");
	assert_int_equal(pg_repo_open(&repo, dir), 0);
	assert_int_equal(pg_repo_head(repo, head), 0);
	/* the ref does not exist yet: the overtaking writer creates it */
	racing_edit r = { repo, head, 0 };
	assert_int_equal(pg_repo_note_edit(repo, "refs/notes/t", head, append_a_racing, &r), 0);
	assert_int_equal(r.calls, 2);
	assert_int_equal(pg_repo_note_read(repo, "refs/notes/t", head, &got), 0);
	assert_string_equal(got.ptr, "BA");
	/* the ref exists: the overtaking writer moves it */
	r.calls = 0;
	assert_int_equal(pg_repo_note_edit(repo, "refs/notes/t", head, append_a_racing, &r), 0);
	assert_int_equal(r.calls, 2);
	pg_buf_clear(&got);
	assert_int_equal(pg_repo_note_read(repo, "refs/notes/t", head, &got), 0);
	assert_string_equal(got.ptr, "BABA");
	char *n = th_sh_out(dir, "git rev-list refs/notes/t | wc -l");
	assert_string_equal(n, "4"); /* every version in the ref's history */
	free(n);
	/* an edit that refuses writes nothing and says why */
	assert_int_equal(pg_repo_note_edit(repo, "refs/notes/t", head, refuse, NULL), PG_ERUNTIME);
	assert_string_equal(pg_error_last(), "not touching 'BABA'");
	n = th_sh_out(dir, "git rev-list refs/notes/t | wc -l");
	assert_string_equal(n, "4");
	free(n);
	pg_buf_free(&got);
	pg_repo_free(repo);
	th_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repo__first_parent_walk),
		cmocka_unit_test(test_repo__merge_base_and_resolve),
		cmocka_unit_test(test_repo__origin_branch_fallback_and_detached),
		cmocka_unit_test(test_repo__shallow_clone_truncates),
		cmocka_unit_test(test_repo__dirty_and_errors),
		cmocka_unit_test(test_repo__read_file),
		cmocka_unit_test(test_repo__note_edit_compare_and_swap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
