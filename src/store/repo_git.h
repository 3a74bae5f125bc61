/*
 * repo_git.h - the libgit2 side of pg_repo, private to src/store/ (repo.c
 * and notes_sync.c): nothing above the store sees a libgit2 type.
 */
#ifndef PG_REPO_GIT_H
#define PG_REPO_GIT_H

#include "repo.h"

#include <git2.h>

struct pg_repo {
	git_repository *git;
	char *workdir;
};

/* libgit2's last error message, or a placeholder. */
const char *pg_repo_git_msg(void);

#endif
