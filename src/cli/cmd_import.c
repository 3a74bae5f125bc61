/*
 * cmd_import.c - `perfgate import`: store results produced elsewhere (by
 * another CI job, another harness) under the current commit.
 */
#include "cli.h"
#include "cmd.h"
#include "error.h"
#include "gate.h"
#include "import.h"
#include "testbed.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const cli_command_help help = {
	"perfgate import --format FORMAT FILE... [options]",
	"Reads results written by another harness and stores them under HEAD's commit and\n"
	"the testbed, like `perfgate run` does.  FORMAT is one of: perfgate, gbench,\n"
	"hyperfine, criterion, pytest-benchmark, gotest, catch2, bmf, jmh, benchmarkdotnet,\n"
	"gab, gab-bigger, vitest, k6, libtest, benchmarkjs, iai-callgrind, wrk, hey, ab\n"
	"(criterion and catch2 also read their console output; docs/import-formats.md), or\n"
	"auto: the one format that reads each FILE (none or several is an error listing\n"
	"why).  Each result becomes\n"	"a benchmark PREFIX/NAME (--name) or NAME.  For criterion, FILE may also be the\n"
	"target/criterion directory `cargo bench` writes (every */new/sample.json in it).\n"
	"All files are parsed before anything is\n"
	"stored: one bad file imports nothing.  Exit status: 0 imported, 2 usage or\n"
	"configuration error, 3 a file is unreadable or not in the format, or no repository."
};

static pg_run *new_run(cli_ctx *ctx, int *err)
{
	pg_run *run = pg_gate_new_run(ctx->head, ctx->testbed);
	run->branch = pg_repo_branch(ctx->repo);
	*err = pg_repo_is_dirty(ctx->repo, &run->dirty);
	return run;
}

int cmd_import(int argc, char **argv)
{
	cli_common common = { 0 };
	const char *format = NULL, *prefix = NULL, *output = NULL;
	int no_store = 0, npos, err, status = PG_EXIT_PASS;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		OPT_STRING('F', "format", &format, "FORMAT", "the files' format (see above)"),
		OPT_STRING(0, "name", &prefix, "PREFIX", "store results as PREFIX/NAME"),
		OPT_FLAG(0, "no-store", &no_store, "parse and check only; store nothing"),
		OPT_STRING('o', "output", &output, "FILE", "also write the results document (JSON) to FILE"),
		OPT_END(),
	};
	cli_ctx ctx;
	pg_run *run = NULL;
	pg_buf text = PG_BUF_INIT;

	if ((err = cli_parse(argc, argv, opts, &help, &npos)) != 0)
		return err > 0 ? PG_EXIT_PASS : cli_error(err);
	int f = format ? pg_import_format_parse(format) : -1;
	if (f < 0)
		return cli_error(pg_error_set(PG_EUSAGE, "import needs --format, one of: %s",
					      pg_import_format_list()));
	if (!npos)
		return cli_error(pg_error_set(PG_EUSAGE, "import needs at least one FILE"));
	if (prefix && pg_name_problem(prefix)) {
		pg_utf8_printable(&text, prefix, 60);
		err = pg_error_set(PG_EUSAGE, "--name '%s' %s", text.ptr, pg_name_problem(prefix));
		pg_buf_free(&text);
		return cli_error(err);
	}
	if ((err = cli_ctx_open(&ctx, &common)) < 0) {
		status = cli_error(err);
		goto out;
	}
	run = new_run(&ctx, &err);
	for (int i = 1; i <= npos && err == 0; i++)
		err = pg_import_path(run, (pg_import_format)f, argv[i], prefix, NULL);
	if (err == 0 && !no_store)
		err = pg_store_save(ctx.store, run);
	if (err < 0) {
		status = cli_error(err == PG_ECORRUPT || err == PG_ENOTFOUND ? PG_ERUNTIME : err);
		goto out;
	}
	/* stored first: an -o file that cannot be written loses nothing */
	status = cli_save_results(run, output);
	pg_buf_clear(&text);
	pg_run_write_summary(&text, run);
	fputs(text.ptr, stdout);
	printf("imported %zu results from %d file%s%s\n", run->nbenches, npos, npos == 1 ? "" : "s",
	       no_store ? " (not stored)" : "");
out:
	pg_buf_free(&text);
	pg_run_free(run);
	cli_ctx_close(&ctx);
	return status;
}
