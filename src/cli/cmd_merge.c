/*
 * cmd_merge.c - `perfgate merge FILES... -o OUT`: the result documents of
 * the shards of one run (artifacts of a CI matrix) made one document, to
 * judge with `perfgate compare --input OUT`.
 */
#include "cli.h"
#include "cmd.h"
#include "error.h"
#include "shard.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

static const cli_command_help help = {
	"perfgate merge FILE... -o OUT [options]",
	"Merges result documents (perfgate run --shard K/N -o FILE, one per matrix job)\n"
	"into one, OUT, for `perfgate compare --input OUT`.  Each file is read as untrusted\n"
	"input and checked; all must be of one commit and testbed, and no benchmark may be\n"
	"in two of them.  When the files are shards and some shard is missing, every\n"
	"configured benchmark without a result is written as failed (\"not measured: shard\n"
	"2 of 3 missing\"), so the judgement fails; merge itself exits 0 once OUT is written.\n"
	"A FILE that does not exist counts as a missing shard (its job uploaded nothing)\n"
	"when the others are shards; shards of different counts (2/3 and 1/4) are refused."
};

/*
 * A file that does not exist is a shard whose job failed or was cancelled
 * (its artifact was never uploaded): it is judged missing, as a shard absent
 * from the store is, so the gate fails with the reason in the report rather
 * than for want of a merged file.  That holds only when the files that do
 * exist are shards; otherwise (or when none exists) it is an error.
 */
static int check_absent(const char *absent, pg_run *const *docs, size_t n)
{
	if (!absent)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (docs[i]->shard_count)
			return 0;
	return pg_error_set(PG_ENOTFOUND, "%s: no such file%s", absent,
			    n ? " (the other files are not shards, so nothing says what it held)" : "");
}

int cmd_merge(int argc, char **argv)
{
	cli_common common = { 0 };
	const char *output = NULL;
	int npos, err, status;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		OPT_STRING('o', "output", &output, "OUT", "where to write the merged document"),
		OPT_END(),
	};
	cli_ctx ctx = { 0 };
	pg_run **docs = NULL, *merged = NULL;
	const char **names = NULL, *absent = NULL;
	size_t n = 0;

	if ((status = cli_parse(argc, argv, opts, &help, &npos)) != 0)
		return status == 1 ? 0 : cli_error(status);
	if (!npos || !output) {
		pg_error_set(PG_EUSAGE, "merge: give the result files and -o OUT (see perfgate merge --help)");
		return cli_error(PG_EUSAGE);
	}
	if ((err = cli_ctx_open(&ctx, &common)) < 0)
		goto out;
	docs = pg_calloc((size_t)npos, sizeof(*docs));
	names = pg_calloc((size_t)npos, sizeof(*names));
	for (int i = 0; i < npos; i++) {
		struct stat st;
		if (stat(argv[1 + i], &st) < 0 && errno == ENOENT) {
			absent = absent ? absent : argv[1 + i];
			continue;
		}
		names[n] = argv[1 + i];
		if ((err = pg_run_load(&docs[n], names[n])) < 0)
			goto out;
		n++;
	}
	if ((err = check_absent(absent, docs, n)) < 0)
		goto out;
	if ((err = pg_shard_merge(&merged, docs, names, n)) < 0)
		goto out;
	cli_redact_run(merged);
	int missing = pg_shard_complete(merged, docs, n, ctx.cfg);
	if ((err = pg_run_save(merged, output)) < 0)
		goto out;
	fprintf(stderr, "perfgate: merged %zu file%s into %s (%zu results%s)\n", n, n == 1 ? "" : "s",
		output, merged->nbenches, missing ? "; shards missing: see the warning" : "");
out:
	if (err < 0)
		status = cli_error(err == PG_ENOTFOUND || err == PG_ECORRUPT ? PG_ERUNTIME : err);
	for (size_t i = 0; i < n; i++)
		pg_run_free(docs[i]);
	free(docs);
	free(names);
	pg_run_free(merged);
	cli_ctx_close(&ctx);
	return status;
}
