/*
 * repo.h - the git repository, through libgit2: commits, ancestry, state.
 *
 * SHAs cross this interface as 40-hex strings (char[PG_SHA_LEN + 1]) so
 * the rest of perfgate never sees a libgit2 type.
 */
#ifndef PG_REPO_H
#define PG_REPO_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

#define PG_SHA_LEN 40

typedef struct pg_repo pg_repo;

/* Finds the repository containing `path`.  PG_ERUNTIME with a message
 * when there is none or it has no work tree. */
int pg_repo_open(pg_repo **out, const char *path);
void pg_repo_free(pg_repo *repo);

/* Top of the work tree, with a trailing '/'. */
const char *pg_repo_workdir(const pg_repo *repo);
int pg_repo_is_shallow(const pg_repo *repo);

/* HEAD's commit; PG_ERUNTIME when HEAD is unborn (no commits yet). */
int pg_repo_head(pg_repo *repo, char sha[PG_SHA_LEN + 1]);
/* The checked-out branch's short name (caller frees; valid UTF-8, bytes
 * that are not repaired), or NULL when HEAD is detached. */
char *pg_repo_branch(pg_repo *repo);
/* Whether tracked files differ from HEAD (untracked files do not count). */
int pg_repo_is_dirty(pg_repo *repo, int *dirty);

/* Resolves a revision (branch, tag, SHA, "HEAD~3", ...) to a commit.
 * PG_ENOTFOUND when it names nothing. */
int pg_repo_resolve(pg_repo *repo, const char *rev, char sha[PG_SHA_LEN + 1]);
/* Like pg_repo_resolve, but a branch missing locally is also looked for
 * as origin/BRANCH (CI checkouts often only have the remote one). */
int pg_repo_resolve_branch(pg_repo *repo, const char *branch, char sha[PG_SHA_LEN + 1]);
int pg_repo_merge_base(pg_repo *repo, const char *a, const char *b, char sha[PG_SHA_LEN + 1]);
/* 1 when `ancestor` is an ancestor of (or equal to) `of`. */
int pg_repo_is_ancestor(pg_repo *repo, const char *ancestor, const char *of);

/* Calls `fn` for `start` and then its first parents, newest first, until
 * `fn` returns non-zero (which is returned), `max` commits were visited, or
 * the root.  When a parent is missing (a shallow clone) the walk stops and
 * *truncated is set to 1. */
typedef int (*pg_walk_fn)(const char *sha, void *payload);
int pg_repo_walk_first_parent(pg_repo *repo, const char *start, size_t max, pg_walk_fn fn,
			      void *payload, int *truncated);

/* Subject and author are valid UTF-8: converted from the commit's
 * ISO-8859-1, else repaired (U+FFFD for bytes that are not UTF-8). */
typedef struct pg_commit_info {
	char *subject;
	char *author;   /* "Name <email>" */
	int64_t time;   /* seconds since the epoch */
} pg_commit_info;
int pg_repo_commit_info(pg_repo *repo, const char *sha, pg_commit_info *info);
void pg_commit_info_free(pg_commit_info *info);

/* The git note on commit `sha` under notes ref `ref` ("refs/notes/x"),
 * appended to `out`.  PG_ENOTFOUND when there is none. */
int pg_repo_note_read(pg_repo *repo, const char *ref, const char *sha, pg_buf *out);
/* Rewrites that note atomically, safe against other processes doing the
 * same: `fn` gets the note's text (NULL when there is none) and appends the
 * new text to `out`, or returns a negative PG_E* code (nothing is written,
 * and that code is returned).  The new notes commit is made on top of the
 * tip that was read, and the ref moves only if it still points there
 * (compare-and-swap); when another writer moved or locked it first, all of
 * it is done again after a short random pause, so `fn` may be called more
 * than once.  PG_ERUNTIME after PG_NOTE_ATTEMPTS attempts or
 * PG_NOTE_PATIENCE seconds.  The ref keeps every earlier version in its
 * history.  The author is git's configured identity, else
 * "perfgate <perfgate@localhost>". */
typedef int (*pg_note_edit_fn)(const char *old, pg_buf *out, void *payload);
#define PG_NOTE_ATTEMPTS 200
#define PG_NOTE_PATIENCE 30.0
int pg_repo_note_edit(pg_repo *repo, const char *ref, const char *sha, pg_note_edit_fn fn,
		      void *payload);

/* Appends the content of the regular file `path` (relative to the top of
 * the repository, '/'-separated) as it is in commit `sha` to `out`; a NUL
 * is always written after it, so `out->len` tells whether the file holds
 * NUL bytes.  PG_ENOTFOUND (message set) when the commit has no such file,
 * or something else at that path (a directory, a symbolic link, a
 * submodule); PG_ERUNTIME when the commit or the blob cannot be read. */
int pg_repo_read_file(pg_repo *repo, const char *sha, const char *path, pg_buf *out);

/* Writes the files of commit `sha` into the existing directory `dir`
 * (libgit2 checkout with a target directory).  The repository's HEAD,
 * index, branches and work tree are not touched. */
int pg_repo_checkout_to(pg_repo *repo, const char *sha, const char *dir);

/* The commits reachable from `bad` and not from `good`, oldest first,
 * `bad` last: along first parents only (stopping at the first commit that
 * `good` reaches), or with all_parents every such commit in topological
 * order.  Caller frees each string and the array. */
int pg_repo_range(pg_repo *repo, const char *good, const char *bad, int all_parents,
		  char ***shas, size_t *n);

#endif
