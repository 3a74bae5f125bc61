/*
 * scratch.c - temporary checkouts of a commit (see scratch.h).
 */
#include "scratch.h"
#include "error.h"
#include "fsutil.h"
#include "host.h"
#include "runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pg_scratch {
	char *dir;
	int keep;
};

int pg_scratch_create(pg_scratch **out, pg_repo *repo, const char *sha, int keep)
{
	pg_buf dir = PG_BUF_INIT;
	int err;
	*out = NULL;
	pg_buf_printf(&dir, "%s/perfgate-%.12s-XXXXXX", pg_host()->tmpdir, sha);
	if (!mkdtemp(dir.ptr)) {
		err = pg_error_set(PG_ERUNTIME, "%s: cannot create a scratch directory: %s", dir.ptr,
				   strerror(errno));
		pg_buf_free(&dir);
		return err;
	}
	if ((err = pg_repo_checkout_to(repo, sha, dir.ptr)) < 0) {
		pg_rmtree(dir.ptr);
		pg_buf_free(&dir);
		return err;
	}
	pg_scratch *s = pg_calloc(1, sizeof(*s));
	s->dir = pg_buf_detach(&dir);
	s->keep = keep;
	*out = s;
	return 0;
}

const char *pg_scratch_dir(const pg_scratch *s)
{
	return s->dir;
}

int pg_scratch_build(pg_scratch *s, const char *cmd, double timeout, pg_buf *why)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	pg_proc_spec spec = { .argv = argv, .cwd = s->dir, .timeout = timeout };
	pg_proc_result r;
	int err = pg_proc_run(&r, &spec);
	if (err == 0 && r.status == PG_PROC_INTERRUPTED)
		err = pg_error_set(PG_EINTERRUPT, "interrupted while building");
	else if (err == 0 && r.status != PG_PROC_OK) {
		pg_buf_puts(why, "build ");
		pg_proc_describe(why, &r, timeout);
		err = PG_EBENCH;
	}
	pg_proc_result_free(&r);
	return err;
}

void pg_scratch_free(pg_scratch *s)
{
	if (!s)
		return;
	if (!s->keep)
		pg_rmtree(s->dir);
	free(s->dir);
	free(s);
}
