/*
 * cli.c - option parsing, command set-up and output shared by the
 * cmd_*.c front ends (see cli.h).
 */
#include "cli.h"
#include "cli_github.h"
#include "error.h"
#include "fsutil.h"
#include "runner.h"
#include "testbed.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- option parsing --------------------------------------------------- */

static const cli_option *find_long(const cli_option *opts, const char *name, size_t len)
{
	for (; opts->type != CLI_OPT_END; opts++)
		if (opts->long_name && strlen(opts->long_name) == len &&
		    !strncmp(opts->long_name, name, len))
			return opts;
	return NULL;
}

static const cli_option *find_short(const cli_option *opts, char c)
{
	for (; opts->type != CLI_OPT_END; opts++)
		if (opts->short_name == c)
			return opts;
	return NULL;
}

static int set_value(const cli_option *o, const char *arg, const char *spelled)
{
	char *end;
	switch (o->type) {
	case CLI_OPT_FLAG:
		*(int *)o->value = 1;
		return 0;
	case CLI_OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case CLI_OPT_INT:
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || *end || end == arg || v < 0 || v > 1000000)
			return pg_error_set(PG_EUSAGE, "%s: expected a whole number, got '%s'",
					    spelled, arg);
		*(int *)o->value = (int)v;
		return 0;
	default:
		return PG_EUSAGE;
	}
}

static int parse_long(char *arg, int argc, char **argv, int *i, const cli_option *opts)
{
	char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const cli_option *o = find_long(opts, name, len);
	if (!o)
		return pg_error_set(PG_EUSAGE, "unknown option '--%.*s' (see --help)", (int)len, name);
	if (o->type == CLI_OPT_FLAG) {
		if (eq)
			return pg_error_set(PG_EUSAGE, "--%s takes no value", o->long_name);
		return set_value(o, NULL, arg);
	}
	if (eq)
		return set_value(o, eq + 1, arg);
	if (*i + 1 >= argc)
		return pg_error_set(PG_EUSAGE, "--%s needs a value (%s)", o->long_name, o->argh);
	return set_value(o, argv[++*i], arg);
}

static int parse_short(char *arg, int argc, char **argv, int *i, const cli_option *opts)
{
	for (char *p = arg + 1; *p; p++) {
		const cli_option *o = find_short(opts, *p);
		char spelled[3] = { '-', *p, 0 };
		if (!o)
			return pg_error_set(PG_EUSAGE, "unknown option '-%c' (see --help)", *p);
		if (o->type == CLI_OPT_FLAG) {
			set_value(o, NULL, spelled);
			continue;
		}
		if (p[1])
			return set_value(o, p + 1, spelled);
		if (*i + 1 >= argc)
			return pg_error_set(PG_EUSAGE, "-%c needs a value (%s)", *p, o->argh);
		return set_value(o, argv[++*i], spelled);
	}
	return 0;
}

int cli_parse(int argc, char **argv, const cli_option *opts, const cli_command_help *help,
	      int *npos)
{
	int n = 0, only_positional = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		int err = 0;
		if (only_positional || a[0] != '-' || !a[1]) {
			argv[1 + n++] = a;
		} else if (!strcmp(a, "--")) {
			only_positional = 1;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			cli_print_help(stdout, opts, help);
			return 1;
		} else if (a[1] == '-') {
			err = parse_long(a, argc, argv, &i, opts);
		} else {
			err = parse_short(a, argc, argv, &i, opts);
		}
		if (err < 0)
			return err;
	}
	*npos = n;
	return 0;
}

int cli_parse_no_args(int argc, char **argv, const cli_option *opts, const cli_command_help *help)
{
	int npos, err = cli_parse(argc, argv, opts, help, &npos);
	if (err > 0)
		return PG_EXIT_PASS;
	if (err == 0 && npos)
		err = pg_error_set(PG_EUSAGE, "'%s' takes no arguments (see --help)", argv[1]);
	return err < 0 ? cli_error(err) : -1;
}

void cli_print_help(FILE *out, const cli_option *opts, const cli_command_help *help)
{
	fprintf(out, "usage: %s\n\n%s\n\noptions:\n", help->usage, help->summary);
	for (; opts->type != CLI_OPT_END; opts++) {
		pg_buf left = PG_BUF_INIT;
		if (opts->short_name)
			pg_buf_printf(&left, "-%c, ", opts->short_name);
		else
			pg_buf_puts(&left, "    ");
		pg_buf_printf(&left, "--%s", opts->long_name);
		if (opts->argh)
			pg_buf_printf(&left, " %s", opts->argh);
		fprintf(out, "  %-26s %s\n", left.ptr, opts->help);
		pg_buf_free(&left);
	}
	fprintf(out, "  %-26s %s\n", "-h, --help", "show this help");
}

/* ---- credentials ------------------------------------------------------ */

/* The credentials a CI runner may put in perfgate's environment, which no
 * process perfgate starts may inherit: the Actions token, and the runner's
 * own (for artifacts, caches and OIDC tokens). */
static const char *const credentials[] = { "GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN",
					   "ACTIONS_ID_TOKEN_REQUEST_TOKEN" };

/* The values taken out of the environment, for cli_redact. */
#define SECRETS_MAX 8
static char *secrets[SECRETS_MAX];
static size_t nsecrets;

/* One shorter than this is no secret, and is not redacted: replacing every
 * "abc" would garble the report (a real token has 40 characters or more). */
#define SECRET_MIN_LEN 8

/* Keeps a copy of `value` for cli_redact, once, and returns it (NULL only
 * without room: at most 4 variables are ever taken). */
static const char *keep_secret(const char *value)
{
	for (size_t i = 0; i < nsecrets; i++)
		if (!strcmp(secrets[i], value))
			return secrets[i];
	return nsecrets < SECRETS_MAX ? (secrets[nsecrets++] = pg_strdup(value)) : NULL;
}

const char *cli_take_token(const char *token_env)
{
	const char *name = token_env ? token_env : "GITHUB_TOKEN";
	const char *v = getenv(name), *token = v && *v ? keep_secret(v) : NULL;
	unsetenv(name);
	for (size_t i = 0; i < sizeof(credentials) / sizeof(*credentials); i++) {
		if ((v = getenv(credentials[i])) && *v)
			keep_secret(v);
		unsetenv(credentials[i]);
	}
	return token;
}

void cli_redact(char **text)
{
	pg_buf out = PG_BUF_INIT;
	for (size_t k = 0; *text && k < nsecrets; k++) {
		const char *p = *text, *hit;
		size_t n = strlen(secrets[k]);
		if (n < SECRET_MIN_LEN || !strstr(p, secrets[k]))
			continue;
		pg_buf_clear(&out);
		while ((hit = strstr(p, secrets[k]))) {
			pg_buf_put(&out, p, (size_t)(hit - p));
			pg_buf_puts(&out, "***");
			p = hit + n;
		}
		pg_buf_puts(&out, p);
		free(*text);
		*text = pg_buf_detach(&out);
	}
	pg_buf_free(&out);
}

void cli_redact_report(pg_report *r)
{
	if (!nsecrets)
		return;
	for (size_t i = 0; i < r->nrows; i++) {
		cli_redact(&r->rows[i].bench);
		cli_redact(&r->rows[i].metric);
		cli_redact(&r->rows[i].reason);
	}
	for (size_t i = 0; i < r->nwarnings; i++)
		cli_redact(&r->warnings[i]);
	cli_redact(&r->branch);
	cli_redact(&r->testbed);
	cli_redact(&r->base_ref);
}

void cli_redact_run(pg_run *run)
{
	const char *key;
	json_t *v;
	if (!nsecrets)
		return;
	for (size_t i = 0; i < run->nbenches; i++)
		cli_redact(&run->benches[i].reason);
	json_object_foreach(run->environment, key, v) {
		char *text = json_is_string(v) ? pg_strdup(json_string_value(v)) : NULL;
		cli_redact(&text);
		if (text && strcmp(text, json_string_value(v)))
			json_string_set(v, text);
		free(text);
	}
}

/* ---- set-up ------------------------------------------------------------ */

/* Warnings may quote what perfgate read (a store file's name, a command):
 * repaired, they go into reports as valid UTF-8. */
static void collect_warning(const char *msg, void *payload)
{
	cli_ctx *ctx = payload;
	pg_buf repaired = PG_BUF_INIT;
	pg_utf8_repair(&repaired, msg);
	char *text = pg_buf_detach(&repaired);
	cli_redact(&text);
	cli_progress_done();
	fprintf(stderr, "perfgate: warning: %s\n", text);
	ctx->warnings = pg_array_grow(ctx->warnings, &ctx->walloc, ctx->nwarnings + 1,
				      sizeof(*ctx->warnings));
	ctx->warnings[ctx->nwarnings++] = text;
}

/* A testbed name from the command line or the environment: checked
 * before anything is opened, created or run. */
static int check_testbed(const char *name, const char *source)
{
	const char *problem = pg_name_problem(name);
	if (!problem)
		return 0;
	pg_buf quoted = PG_BUF_INIT;
	pg_utf8_printable(&quoted, name, 60);
	int err = pg_error_set(PG_EUSAGE, "%s: testbed name '%s' %s", source, quoted.ptr, problem);
	pg_buf_free(&quoted);
	return err;
}

/* --testbed, $PERFGATE_TESTBED (both checked by cli_ctx_open), the
 * config's (checked when it was read), else derived. */
static char *choose_testbed(const cli_common *opts, const pg_config *cfg)
{
	const char *env = getenv("PERFGATE_TESTBED");
	pg_buf b = PG_BUF_INIT;
	if (opts->testbed)
		return pg_strdup(opts->testbed);
	if (env && *env)
		return pg_strdup(env);
	if (cfg && cfg->testbed)
		return pg_strdup(cfg->testbed);
	pg_testbed_derive(&b);
	return pg_buf_detach(&b);
}

int cli_ctx_open(cli_ctx *ctx, const cli_common *opts)
{
	pg_buf path = PG_BUF_INIT;
	const char *env = getenv("PERFGATE_TESTBED");
	int err;
	memset(ctx, 0, sizeof(*ctx));
	cli_take_token(NULL);
	pg_warn_set_handler(collect_warning, ctx);
	if ((opts->testbed && (err = check_testbed(opts->testbed, "--testbed")) < 0) ||
	    (!opts->testbed && env && *env && (err = check_testbed(env, "$PERFGATE_TESTBED")) < 0))
		goto out;
	if ((err = pg_repo_open(&ctx->repo, ".")) < 0 || (err = pg_repo_head(ctx->repo, ctx->head)) < 0)
		goto out;
	if (opts->config)
		pg_buf_puts(&path, opts->config);
	else
		pg_path_join(&path, pg_repo_workdir(ctx->repo), "perfgate.json");
	err = pg_config_load(&ctx->cfg, path.ptr);
	/* a Ctrl-C or SIGTERM during a long load stops here, not after */
	if (pg_runner_interrupted())
		err = pg_error_set(PG_EINTERRUPT, "interrupted while reading %s", path.ptr);
	if (err < 0) {
		if (err == PG_ENOTFOUND)
			err = PG_ECONFIG;
		goto out;
	}
	/* a derived name is built from the machine's strings: checked too */
	ctx->testbed = choose_testbed(opts, ctx->cfg);
	if ((err = check_testbed(ctx->testbed, "derived from this machine (set --testbed)")) < 0)
		goto out;
	err = pg_store_open(&ctx->store, ctx->cfg->store, pg_repo_workdir(ctx->repo), ctx->repo);
out:
	pg_buf_free(&path);
	return err;
}

void cli_ctx_close(cli_ctx *ctx)
{
	if (ctx->cfg && ctx->shard_count)
		ctx->cfg->nbenches = ctx->shard_all; /* every benchmark is freed */
	pg_config_free(ctx->cfg);
	pg_store_free(ctx->store);
	pg_repo_free(ctx->repo);
	free(ctx->testbed);
	for (size_t i = 0; i < ctx->nwarnings; i++)
		free(ctx->warnings[i]);
	free(ctx->warnings);
	pg_warn_set_handler(NULL, NULL);
	memset(ctx, 0, sizeof(*ctx));
}

void cli_ctx_warnings_to_report(const cli_ctx *ctx, pg_report *r)
{
	for (size_t i = 0; i < ctx->nwarnings; i++)
		pg_report_add_warning(r, ctx->warnings[i]);
}

int cli_error(int code)
{
	cli_progress_done();
	if (code == PG_EINTERRUPT) {
		fprintf(stderr, "perfgate: interrupted; nothing was stored\n");
		return 130;
	}
	/* one line per problem (a config with several mistakes lists them all) */
	char *text = pg_strdup(pg_error_last());
	cli_redact(&text);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		fprintf(stderr, "perfgate: error: %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	free(text);
	return pg_error_exit_status(code);
}

/* ---- progress ---------------------------------------------------------- */

static int progress_shown;

void cli_progress(void *payload, const char *bench, int warmup, int i, int n)
{
	(void)payload;
	if (!isatty(2))
		return;
	fprintf(stderr, "\r\033[K%s: %s %d/%d", bench, warmup ? "warm-up" : "run", i, n);
	fflush(stderr);
	progress_shown = 1;
}

void cli_progress_done(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		progress_shown = 0;
	}
}

/* ---- output ------------------------------------------------------------ */

int cli_write_report(const pg_report *r, const char *format, const char *output)
{
	pg_format fmt = PG_FORMAT_TERM;
	pg_write_opts wo = { 0 };
	int to_stdout = !output || !strcmp(output, "-");
	if (format && pg_format_parse(format, &fmt) < 0)
		return PG_EUSAGE; /* rejected earlier by cli_judge_opts_check */
	if (to_stdout) {
		const char *nc = getenv("NO_COLOR");
		wo.color = isatty(1) && !(nc && *nc) && fmt == PG_FORMAT_TERM;
		return pg_report_write(stdout, r, fmt, &wo);
	}
	pg_buf text = PG_BUF_INIT;
	pg_report_render(&text, r, fmt, &wo);
	int err = pg_file_write_atomic(output, text.ptr, text.len);
	pg_buf_free(&text);
	return err;
}

int cli_fail_on(const char *opt, const pg_config *cfg, int *out)
{
	*out = cfg->fail_on;
	if (opt && pg_fail_on_parse(opt, out) < 0)
		return pg_error_set(PG_EUSAGE,
				    "--fail-on: expected notice, warning, critical or never, got '%s'",
				    opt);
	return 0;
}

int cli_measure(cli_ctx *ctx, int no_store, pg_run **out)
{
	pg_gate_env env = CLI_GATE_ENV(ctx);
	int err = pg_gate_run(out, &env, cli_progress, NULL);
	cli_progress_done();
	if (err < 0)
		return err;
	cli_redact_run(*out);
	(*out)->shard_index = ctx->shard_index;
	(*out)->shard_count = ctx->shard_count;
	if (!no_store && (err = pg_store_save(ctx->store, *out)) < 0) {
		pg_run_free(*out);
		*out = NULL;
	}
	return err;
}

int cli_save_results(const pg_run *run, const char *file)
{
	int err = file ? pg_run_save(run, file) : 0;
	return err < 0 ? cli_error(err) : 0;
}

int cli_judge_opts_check(const cli_ctx *ctx, const cli_judge_opts *o)
{
	pg_format fmt;
	int fail_on;
	if (o->format && pg_format_parse(o->format, &fmt) < 0)
		return pg_error_set(PG_EUSAGE,
				    "--format: expected term, markdown, json, junit or html, got '%s'",
				    o->format);
	return cli_fail_on(o->fail_on, ctx->cfg, &fail_on);
}

int cli_finish_report(cli_ctx *ctx, pg_report *report, const cli_judge_opts *o)
{
	cli_shard_filter_report(ctx, report);
	cli_ctx_warnings_to_report(ctx, report);
	cli_github_note_context(report);
	cli_redact_report(report);
	int err = cli_write_report(report, o->format, o->output);
	if (err == 0 && o->report_json)
		err = cli_write_report(report, "json", o->report_json);
	int status = report->passed ? PG_EXIT_PASS : PG_EXIT_GATE_FAILED;
	if (err == 0 && o->github && o->gh && cli_github_publish(report, o->gh) < 0 &&
	    o->gh->require_post)
		status = PG_EXIT_RUNTIME;
	pg_report_free(report);
	return err < 0 ? cli_error(err) : status;
}

int cli_judge_and_report(cli_ctx *ctx, const pg_run *current, const cli_judge_opts *o)
{
	pg_gate_env env = CLI_GATE_ENV(ctx);
	pg_report *report = NULL;
	int fail_on, err;
	if ((err = cli_fail_on(o->fail_on, ctx->cfg, &fail_on)) < 0 ||
	    (err = pg_gate_judge(&report, &env, current, o->base, fail_on)) < 0)
		return cli_error(err);
	return cli_finish_report(ctx, report, o);
}
