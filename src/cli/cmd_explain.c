/*
 * cmd_explain.c - `perfgate explain BENCH [--base REV]`: the functions
 * whose instruction counts changed between the base and HEAD (callgrind).
 */
#include "cli.h"
#include "cmd.h"
#include "error.h"
#include "explain.h"

#include <string.h>

static const cli_command_help help = {
	"perfgate explain BENCH [--base REV] [options]",
	"Runs benchmark BENCH's command once on each side under valgrind's callgrind, which\n"
	"counts the instructions (Ir) every function executes (deterministic; no hardware\n"
	"counters needed), and lists the functions whose own count changed most: self and\n"
	"inclusive counts before and after, the change, and file:line where symbols allow.\n"
	"The base is --base REV, else the merge-base with the base branch, checked out and\n"
	"built (--build, else the config's \"build\") in $TMPDIR/perfgate-SHA-XXXXXX; HEAD is\n"
	"the work tree.  The command runs in each checkout's root, or its \"cwd\" under it,\n"
	"after \"setup\".  Without valgrind, without symbols (a stripped binary), or slower\n"
	"than the benchmark's timeout x 100 under callgrind, it says so and exits 0.\n"
	"Exit status: 0 explained or said why not, 2 usage, 3 runtime error."
};

int cmd_explain(int argc, char **argv)
{
	cli_common common = { 0 };
	const char *base = NULL, *build = NULL, *format = "term";
	int top = PG_EXPLAIN_TOP, keep = 0, npos = 0, status, err;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		OPT_STRING(0, "base", &base, "REV", "compare with REV (default: the merge-base with the base branch)"),
		OPT_STRING(0, "build", &build, "CMD", "build command for the base checkout (default: config \"build\")"),
		OPT_INT(0, "top", &top, "N", "list the N functions that changed most (default: 10)"),
		OPT_FLAG(0, "keep", &keep, "keep the base's scratch checkout"),
		OPT_STRING('f', "format", &format, "FMT", "term (default) or json"),
		OPT_END(),
	};
	cli_ctx ctx = { 0 };
	char sha[PG_SHA_LEN + 1];
	pg_explain ex = { 0 };
	pg_buf out = PG_BUF_INIT;

	if ((status = cli_parse(argc, argv, opts, &help, &npos)) != 0)
		return status > 0 ? 0 : cli_error(status);
	if (npos != 1)
		return cli_error(pg_error_set(PG_EUSAGE, "explain: expected one benchmark name"));
	if (strcmp(format, "term") && strcmp(format, "json"))
		return cli_error(pg_error_set(PG_EUSAGE, "--format: expected term or json"));
	if (top < 1 || top > 100000)
		return cli_error(pg_error_set(PG_EUSAGE, "--top: expected 1 to 100000"));
	if ((err = cli_ctx_open(&ctx, &common)) < 0)
		goto fail;
	const pg_bench_config *bc = pg_config_owner(ctx.cfg, argv[1]);
	if (!bc) {
		err = pg_error_set(PG_EUSAGE, "%s: no benchmark named '%s'", ctx.cfg->path, argv[1]);
		goto fail;
	}
	if ((err = cli_ab_base(&ctx, base, sha)) < 0)
		goto fail;
	pg_gate_env env = CLI_GATE_ENV(&ctx);
	fprintf(stderr, "perfgate: explaining %s against %.12s under callgrind\n", bc->name, sha);
	if ((err = pg_explain_bench(&ex, &env, bc, sha, build ? build : ctx.cfg->build, keep,
				    (size_t)top)) < 0)
		goto fail;
	if (!strcmp(format, "json"))
		pg_explain_write_json(&out, &ex);
	else
		pg_explain_write_term(&out, &ex);
	fwrite(out.ptr, 1, out.len, stdout);
	pg_buf_free(&out);
	pg_explain_free(&ex);
	cli_ctx_close(&ctx);
	return 0;
fail:
	pg_explain_free(&ex);
	cli_ctx_close(&ctx);
	return cli_error(err);
}
