/*
 * cli.h - what the command front ends share: option parsing driven by a
 * table (which also prints --help), the set-up every command needs
 * (repository, config, store, testbed), progress and warning output.
 *
 * This is the only layer that prints, besides the report writers.
 */
#ifndef PG_CLI_H
#define PG_CLI_H

#include "config.h"
#include "repo.h"
#include "report.h"
#include "gate.h"
#include "store.h"

#include <stdio.h>

typedef enum cli_opt_type { CLI_OPT_END = 0, CLI_OPT_FLAG, CLI_OPT_STRING, CLI_OPT_INT } cli_opt_type;

typedef struct cli_option {
	cli_opt_type type;
	char short_name;     /* 0 for none */
	const char *long_name;
	void *value;         /* int * for FLAG and INT, const char ** for STRING */
	const char *argh;    /* argument placeholder in --help */
	const char *help;
} cli_option;

#define OPT_FLAG(s, l, v, h) { CLI_OPT_FLAG, (s), (l), (v), NULL, (h) }
#define OPT_STRING(s, l, v, a, h) { CLI_OPT_STRING, (s), (l), (v), (a), (h) }
#define OPT_INT(s, l, v, a, h) { CLI_OPT_INT, (s), (l), (v), (a), (h) }
#define OPT_END() { CLI_OPT_END, 0, NULL, NULL, NULL, NULL }

typedef struct cli_command_help {
	const char *usage;   /* "perfgate run [options]" */
	const char *summary; /* one paragraph */
} cli_command_help;

/* Parses argv[1..] against `opts`; positional arguments are moved to the
 * front of argv[1..] and their count returned in *npos.  Returns 0 to go
 * on, 1 when --help was printed (exit 0), or PG_EUSAGE (message set). */
int cli_parse(int argc, char **argv, const cli_option *opts, const cli_command_help *help,
	      int *npos);
void cli_print_help(FILE *out, const cli_option *opts, const cli_command_help *help);

/* Options every command that reads a config takes. */
typedef struct cli_common {
	const char *config;
	const char *testbed;
	const char *base;
} cli_common;

#define CLI_COMMON_OPTIONS(c)                                                               \
	OPT_STRING('c', "config", &(c)->config, "FILE",                                      \
		   "configuration file (default: perfgate.json at the repository root)"),    \
	OPT_STRING(0, "testbed", &(c)->testbed, "NAME",                                      \
		   "testbed name (default: $PERFGATE_TESTBED, config, or derived)")

typedef struct cli_ctx {
	pg_config *cfg;
	pg_repo *repo;
	pg_store *store;
	char head[PG_SHA_LEN + 1];
	char *testbed;
	char **warnings;
	size_t nwarnings, walloc;
	/* --shard K/N (cli_shard.c): cfg->benches holds this share first and
	 * cfg->nbenches counts it; shard_all is the whole count */
	int shard_index, shard_count;
	size_t shard_all;
} cli_ctx;

/* Opens the repository, the config and the store; decides the testbed.
 * First takes the credentials out of the environment (cli_take_token). */
int cli_ctx_open(cli_ctx *ctx, const cli_common *opts);
void cli_ctx_close(cli_ctx *ctx);
/* Copies the warnings seen so far into a report. */
void cli_ctx_warnings_to_report(const cli_ctx *ctx, pg_report *r);

/* Credentials.  Takes the GitHub token out of perfgate's environment
 * before anything runs: returns the value of $VAR (`token_env`, default
 * GITHUB_TOKEN; NULL when unset or empty) and unsets VAR, GITHUB_TOKEN and
 * the runner's own credentials (ACTIONS_RUNTIME_TOKEN,
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN), so that no process perfgate starts
 * (benchmarks, "build" and "environment" commands) inherits them.  The
 * values are kept until perfgate exits, for the redaction below; the
 * returned string is one of them.  Call it again with another VAR to take
 * that one too. */
const char *cli_take_token(const char *token_env);
/* Defence in depth, should a process have found a token some other way (a
 * file): replaces every taken value (of 8 bytes or more) in *text with
 * "***", reallocating *text; NULL stays NULL. */
void cli_redact(char **text);
/* ... in every text of a report, before it is written or posted. */
void cli_redact_report(pg_report *r);
/* ... in a run's failure reasons and environment, before it is stored or
 * written. */
void cli_redact_run(pg_run *run);

/* Prints "perfgate: error: <last error>" (redacted) and returns the exit
 * status. */
int cli_error(int code);
/* Progress callback for pg_measure_bench (draws on a TTY stderr only). */
void cli_progress(void *payload, const char *bench, int warmup, int i, int n);
void cli_progress_done(void);

/* Opens --output FILE (or stdout for NULL / "-").  The report is written
 * to a temporary file and renamed, so a failure never leaves half a file. */
int cli_write_report(const pg_report *r, const char *format, const char *output);

/* Parses --fail-on, falling back to the config's value. */
int cli_fail_on(const char *opt, const pg_config *cfg, int *out);


/* The end of compare and check: judge `current`, write the report in
 * `format` to `output`, and return the exit status (0 pass, 1 fail). */
typedef struct cli_judge_opts {
	const char *base;
	const char *fail_on;
	const char *format;
	const char *output;
	const char *report_json;  /* also write the JSON report here */
	int github;               /* --github: publish to GitHub too */
	struct cli_github_opts *gh;
} cli_judge_opts;
int cli_judge_and_report(cli_ctx *ctx, const pg_run *current, const cli_judge_opts *o);
/* A/B mode options (check, compare). */
typedef struct cli_ab_opts {
	int enabled;
	const char *build;
	int pairs;
	int adaptive;
	int max_pairs;
	int keep;
	int no_store;
	int explain;             /* check --explain */
} cli_ab_opts;

#define CLI_AB_OPTIONS(a)                                                                   \
	OPT_FLAG(0, "ab", &(a)->enabled,                                                    \
		 "A/B: measure the base and HEAD interleaved on this machine"),            \
	OPT_STRING(0, "build", &(a)->build, "CMD",                                          \
		   "A/B: build command for the base checkout (default: config \"build\")"), \
	OPT_INT(0, "pairs", &(a)->pairs, "N",                                               \
		"A/B: pairs per benchmark, at least 11 (default: ab_pairs, or auto)"),      \
	OPT_FLAG(0, "adaptive", &(a)->adaptive,                                             \
		 "A/B: stop once the interval is clearly above, below or inside the thresholds"), \
	OPT_INT(0, "max-pairs", &(a)->max_pairs, "N",                                       \
		"A/B --adaptive: at most N pairs, at least 11 (default: 100)"),             \
	OPT_FLAG(0, "keep", &(a)->keep, "A/B: keep the base's scratch checkout")

/* The A/B base: REV, else the merge-base of HEAD and the base branch (on
 * that branch itself, HEAD's first parent). */
int cli_ab_base(cli_ctx *ctx, const char *rev, char sha[PG_SHA_LEN + 1]);
/* Refuses --pairs and --max-pairs below PG_AB_MIN_PAIRS (PG_EUSAGE). */
int cli_ab_check_pairs(const cli_ab_opts *ab);
/* check --explain: for each benchmark with a regression judged by A/B in
 * `r`, `perfgate explain` against `base` into r->explains (a failure is
 * its note, not an error). */
void cli_explain_flagged(cli_ctx *ctx, pg_report *r, const char *base, const char *build,
			 int keep);
/* Runs the A/B comparison and reports it; returns the exit status. */
int cli_ab(cli_ctx *ctx, const cli_judge_opts *o, const cli_ab_opts *ab);

/* Writes a built report (and publishes it with --github), frees it, and
 * returns the exit status. */
int cli_finish_report(cli_ctx *ctx, pg_report *report, const cli_judge_opts *o);
/* Rejects a bad --format or --fail-on before any work is done (the GitHub
 * options are cli_github_check's, before cli_ctx_open). */
int cli_judge_opts_check(const cli_ctx *ctx, const cli_judge_opts *o);

/* The gate environment of an opened context. */
#define CLI_GATE_ENV(ctx) { (ctx)->cfg, (ctx)->repo, (ctx)->store, (ctx)->head, (ctx)->testbed }

/* The report options compare and check share. */
#define CLI_JUDGE_OPTIONS(jo)                                                              \
	OPT_STRING(0, "base", &(jo)->base, "REV",                                           \
		   "compare against REV instead of the config's base branch"),              \
	OPT_STRING('f', "format", &(jo)->format, "FMT",                                     \
		   "report format: term (default), markdown, json, junit, html"),           \
	OPT_STRING('o', "output", &(jo)->output, "FILE",                                    \
		   "write the report to FILE instead of stdout"),                           \
	OPT_STRING(0, "fail-on", &(jo)->fail_on, "SEV",                                     \
		   "notice, warning, critical (default) or never"),                         \
	OPT_STRING(0, "report-json", &(jo)->report_json, "FILE",                            \
		   "also write the JSON report to FILE"),                                   \
	OPT_FLAG(0, "github", &(jo)->github,                                                \
		 "publish to GitHub: PR comment, commit status, job summary, annotations")

/* Parses the options of a command that takes no positional arguments.
 * Returns -1 to go on, or the exit status to return at once (0 after
 * --help, 2 after a usage error, which it prints). */
int cli_parse_no_args(int argc, char **argv, const cli_option *opts, const cli_command_help *help);

/* Runs the benchmarks of an opened context and stores the run unless
 * no_store.  The part of `run` that `check` shares. */
int cli_measure(cli_ctx *ctx, int no_store, pg_run **out);
/* --shard K/N (cli_shard.c).  Restricts ctx's config to the share (NULL
 * spec: nothing); prints what it chose. */
int cli_shard_apply(cli_ctx *ctx, const char *spec);
/* compare: when `current` (the runs stored for HEAD, pooled, or the
 * --input document) has shards, the benchmarks of missing shards become
 * failed results (pg_shard_complete). */
int cli_shard_complete(cli_ctx *ctx, pg_run *current, int from_input);
/* Drops the rows of other shares' benchmarks from a shard's report. */
void cli_shard_filter_report(cli_ctx *ctx, pg_report *r);
#define CLI_SHARD_OPTION(s)                                                                 \
	OPT_STRING(0, "shard", (s), "K/N",                                                  \
		   "run share K of N of the benchmarks (a CI matrix job; see perfgate merge)")

/* Writes the run document to `file` (--results, -o) when it is not NULL:
 * called once the run is stored, so that a file that cannot be written
 * loses nothing.  Returns 0, or prints the error and returns
 * PG_EXIT_RUNTIME (the command goes on, and exits with it). */
int cli_save_results(const pg_run *run, const char *file);

#endif
