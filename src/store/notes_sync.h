/*
 * notes_sync.h - sharing the "notes:" store through a git remote.
 *
 * pull: fetch the remote's notes ref and merge it into the local one.
 * push: pull, then push the merged ref; when another job pushed in
 * between (non-fast-forward, or the remote's ref moved under its lock),
 * all of it is done again after a random, growing pause, at most
 * `attempts` times.
 *
 * The merge is the union of runs (pg_notes_union): runs are only ever
 * added, so two histories never conflict.  A merge commit has both tips as
 * parents, so every earlier version of every note stays in the history.
 * When one side's note of a commit does not parse, the merge keeps the
 * other side's (and warns); when neither parses, the local one.
 *
 * Every ref moves by compare-and-swap under its lock, locally and on the
 * remote (a smart remote checks the old value itself; for a remote that is
 * a local path or file:// URL, whose libgit2 transport overwrites the ref
 * without that check, the objects go to a temporary ref and perfgate moves
 * the ref itself), so a process killed at any point leaves both stores as
 * they were before or after a whole step.
 */
#ifndef PG_NOTES_SYNC_H
#define PG_NOTES_SYNC_H

#include "repo.h"

#include <stddef.h>

#define PG_SYNC_ATTEMPTS 20

typedef struct pg_sync_opts {
	const char *remote;     /* a configured remote's name, or a URL or path */
	/* An HTTPS password (a GitHub token), sent with the user name
	 * "x-access-token" only when the remote asks for credentials over
	 * https and the URL's host is `token_host` (case-insensitive,
	 * "host" or "host:port"), and the TLS connection that asks is to that
	 * host (not to another one a redirect led to).  NULL: no token. */
	const char *token;
	const char *token_host;
	int attempts;           /* push attempts; 0: PG_SYNC_ATTEMPTS */
	/* Certificate authorities to trust for https remotes instead of the
	 * system's (a file and/or a directory, as SSL_CERT_FILE and
	 * SSL_CERT_DIR name them); NULL: the system's. */
	const char *ca_file, *ca_dir;
} pg_sync_opts;

typedef struct pg_sync_result {
	int remote_has_ref;     /* the remote had the notes ref */
	int local_changed;      /* the local ref moved (fast-forward or merge) */
	size_t notes_merged;    /* notes whose two versions were merged */
	int pushed;             /* push: the remote's ref moved */
	int attempts;           /* push: attempts made */
} pg_sync_result;

/* `ref` is the notes ref ("refs/notes/perfgate").  PG_ERUNTIME (message
 * set, never containing the token) when the remote cannot be reached or
 * read, the local ref cannot be updated, or push ran out of attempts;
 * PG_ECONFIG when `remote` names no remote and is not a URL or path. */
int pg_notes_pull(pg_repo *repo, const char *ref, const pg_sync_opts *o, pg_sync_result *res);
int pg_notes_push(pg_repo *repo, const char *ref, const pg_sync_opts *o, pg_sync_result *res);

#endif
