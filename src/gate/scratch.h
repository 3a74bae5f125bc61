/*
 * scratch.h - a commit checked out into a temporary directory, built and
 * measured there, so the user's work tree, index, HEAD and branches are
 * never touched (used by bisect, and by A/B runs for the base side).
 */
#ifndef PG_SCRATCH_H
#define PG_SCRATCH_H

#include "buf.h"
#include "repo.h"

typedef struct pg_scratch pg_scratch;

/* Makes $TMPDIR/perfgate-<short sha>-XXXXXX and checks `sha` out there.
 * With keep, pg_scratch_free() leaves the directory in place. */
int pg_scratch_create(pg_scratch **out, pg_repo *repo, const char *sha, int keep);
const char *pg_scratch_dir(const pg_scratch *s);

/* Runs `cmd` with /bin/sh -c in the scratch directory.  PG_EBENCH with the
 * reason in `why` when it fails; PG_EINTERRUPT when interrupted. */
int pg_scratch_build(pg_scratch *s, const char *cmd, double timeout, pg_buf *why);

/* Removes the directory (unless kept) and frees.  Accepts NULL. */
void pg_scratch_free(pg_scratch *s);

#endif
