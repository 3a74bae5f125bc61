/*
 * setup.c - running "setup" commands in a checkout (see setup.h).
 */
#include "setup.h"
#include "error.h"
#include "runner.h"
#include "utf8.h"

/* Runs one setup command `cmd` in root[/cwd]; bc names the benchmark it
 * belongs to (NULL: the top-level one). */
static int run_one(const char *cmd, const pg_bench_config *bc, const char *root, pg_buf *why)
{
	const char *cwd = bc ? bc->cwd : NULL;
	pg_buf dir = PG_BUF_INIT;
	pg_proc_result r;
	int err;
	if (cwd)
		pg_buf_printf(&dir, "%s/%s", root, cwd);
	else
		pg_buf_puts(&dir, root);
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	pg_proc_spec spec = { .argv = argv, .cwd = dir.ptr, .env = bc ? bc->env : NULL,
			      .timeout = PG_SETUP_TIMEOUT };
	err = pg_proc_run(&r, &spec);
	if (err == 0 && r.status == PG_PROC_INTERRUPTED) {
		err = pg_error_set(PG_EINTERRUPT, "interrupted during setup");
	} else if (err == 0 && r.status != PG_PROC_OK) {
		if (bc) {
			pg_buf_puts(why, "benchmark '");
			pg_utf8_printable(why, bc->name, 80);
			pg_buf_puts(why, "': ");
		}
		pg_buf_puts(why, "setup `");
		pg_utf8_printable(why, cmd, 120);
		pg_buf_puts(why, "` (");
		if (cwd) {
			pg_buf_puts(why, "in ");
			pg_utf8_printable(why, cwd, 80);
		} else {
			pg_buf_puts(why, "at the checkout's root");
		}
		pg_buf_puts(why, ") ");
		pg_proc_describe(why, &r, PG_SETUP_TIMEOUT);
		err = PG_EBENCH;
	}
	pg_proc_result_free(&r);
	pg_buf_free(&dir);
	return err;
}

int pg_setup_run(const char *setup, const pg_bench_config *bc, const char *root, pg_buf *why)
{
	int err = setup ? run_one(setup, NULL, root, why) : 0;
	if (err == 0 && bc && bc->setup)
		err = run_one(bc->setup, bc, root, why);
	return err;
}

int pg_setup_side(const char *setup, const pg_bench_config *bc, const char *root,
		  const char *side)
{
	pg_buf why = PG_BUF_INIT;
	int err = pg_setup_run(setup, bc, root, &why);
	if (err == PG_EBENCH)
		err = pg_error_set(PG_ERUNTIME, "setup of %s failed: %s", side, why.ptr);
	else if (err < 0 && err != PG_EINTERRUPT)
		err = pg_error_wrap(PG_ERUNTIME, "setup of %s", side);
	pg_buf_free(&why);
	return err;
}
