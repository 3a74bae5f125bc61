/*
 * cmd_sync.c - `perfgate pull` and `perfgate push`: the notes store shared
 * through a git remote (src/store/notes_sync.h).
 */
#include "cli.h"
#include "cmd.h"
#include "error.h"
#include "notes_sync.h"

#include <stdlib.h>
#include <string.h>

static const cli_command_help pull_help = {
	"perfgate pull [options]",
	"Fetches the notes store's ref (\"store\": \"notes:NAME\", refs/notes/NAME) from a\n"
	"remote and merges it into the local one: the union of the runs, by run id (the\n"
	"SHA-256 of the run document), so nothing conflicts and nothing is lost.  The\n"
	"credentials: the token in $GITHUB_TOKEN (or --token-env VAR), sent only over\n"
	"https to the host of $GITHUB_SERVER_URL (default github.com), else an ssh agent.\n"
	"$SSL_CERT_FILE and $SSL_CERT_DIR, when set, name the certificate authorities to\n"
	"trust for https remotes instead of the system's."
};

static const cli_command_help push_help = {
	"perfgate push [options]",
	"Pulls (see perfgate pull --help), then pushes the merged notes ref to the\n"
	"remote.  When another job pushed in between, fetches, merges and pushes again\n"
	"after a random, growing pause, at most --attempts times (exit 3 after that;\n"
	"the runs stay in the local notes)."
};

/* "host[:port]" of $GITHUB_SERVER_URL, else "github.com". */
static char *token_host(void)
{
	const char *url = getenv("GITHUB_SERVER_URL"), *p;
	if (!url || !(p = strstr(url, "://")))
		return pg_strdup("github.com");
	p += 3;
	return pg_strndup(p, strcspn(p, "/"));
}

static int sync_main(int argc, char **argv, int push)
{
	cli_common common = { 0 };
	cli_ctx ctx;
	pg_sync_opts so = { .remote = "origin" };
	pg_sync_result res;
	const char *token_env = NULL;
	int status, err;
	const cli_option opts[] = {
		CLI_COMMON_OPTIONS(&common),
		OPT_STRING(0, "remote", &so.remote, "NAME|URL",
			   "the remote's name, URL or path (default: origin)"),
		OPT_STRING(0, "token-env", &token_env, "VAR",
			   "the environment variable holding the token (default: GITHUB_TOKEN)"),
		OPT_INT(0, "attempts", &so.attempts, "N",
			"push: attempts before giving up (default: 20)"),
		OPT_END()
	};
	if ((status = cli_parse_no_args(argc, argv, opts, push ? &push_help : &pull_help)) >= 0)
		return status;
	if (so.attempts < 0 || so.attempts > 100) {
		pg_error_set(PG_EUSAGE, "--attempts must be between 1 and 100");
		return cli_error(PG_EUSAGE);
	}
	so.token = cli_take_token(token_env);
	if ((err = cli_ctx_open(&ctx, &common)) < 0) {
		cli_ctx_close(&ctx);
		return cli_error(err);
	}
	if (strncmp(ctx.cfg->store, "notes:", 6)) {
		pg_error_set(PG_ECONFIG, "perfgate %s shares the notes store, and the store is '%s'; "
			     "set \"store\": \"notes:perfgate\" in perfgate.json (a dir: store is shared "
			     "with a CI cache instead, see the README)", push ? "push" : "pull",
			     ctx.cfg->store);
		cli_ctx_close(&ctx);
		return cli_error(PG_ECONFIG);
	}
	char *host = token_host();
	so.token_host = host;
	so.ca_file = getenv("SSL_CERT_FILE");
	so.ca_dir = getenv("SSL_CERT_DIR");
	const char *ref = pg_store_path(ctx.store);
	err = push ? pg_notes_push(ctx.repo, ref, &so, &res) : pg_notes_pull(ctx.repo, ref, &so, &res);
	free(host);
	if (err < 0) {
		cli_ctx_close(&ctx);
		return cli_error(err);
	}
	if (!res.remote_has_ref)
		fprintf(stderr, "perfgate: %s has no %s yet\n", so.remote, ref);
	else if (res.local_changed)
		fprintf(stderr, "perfgate: merged %s from %s (%zu note%s merged)\n", ref, so.remote,
			res.notes_merged, res.notes_merged == 1 ? "" : "s");
	else
		fprintf(stderr, "perfgate: nothing new in %s on %s\n", ref, so.remote);
	if (push && res.pushed)
		fprintf(stderr, "perfgate: pushed %s to %s (%d attempt%s)\n", ref, so.remote,
			res.attempts, res.attempts == 1 ? "" : "s");
	else if (push)
		fprintf(stderr, "perfgate: nothing to push to %s\n", so.remote);
	cli_ctx_close(&ctx);
	return PG_EXIT_PASS;
}

int cmd_pull(int argc, char **argv)
{
	return sync_main(argc, argv, 0);
}

int cmd_push(int argc, char **argv)
{
	return sync_main(argc, argv, 1);
}
