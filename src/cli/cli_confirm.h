/*
 * cli_confirm.h - the options of `check --confirm` and the step that runs
 * it (cli_confirm.c).
 */
#ifndef PG_CLI_CONFIRM_H
#define PG_CLI_CONFIRM_H

#include "cli.h"

typedef struct cli_confirm_opts {
	int enabled;        /* --confirm */
	const char *level;  /* --confirm-on SEV */
	int off;            /* --no-confirm */
} cli_confirm_opts;

#define CLI_CONFIRM_OPTIONS(c)                                                              \
	OPT_FLAG(0, "confirm", &(c)->enabled,                                               \
		 "re-measure what history flags as A/B against the base before failing"),  \
	OPT_STRING(0, "confirm-on", &(c)->level, "SEV",                                     \
		   "--confirm from this level: notice (default), warning or critical"),     \
	OPT_FLAG(0, "no-confirm", &(c)->off, "judge by history alone (overrides \"confirm\")")

/* The level to confirm from: --confirm-on, else with --confirm the
 * config's "confirm" level or notice, else the config's "confirm"; 0 for
 * none (--no-confirm).  PG_EUSAGE for a bad level or contradicting flags. */
int cli_confirm_level(const cli_confirm_opts *c, const pg_config *cfg, int *level);

/* Judges `current` by history, confirms what passes the screen at `level`
 * as A/B (with the A/B options of `ab`: --build, --pairs, --adaptive,
 * --max-pairs, --keep), writes the report; returns the exit status. */
int cli_confirm_and_report(cli_ctx *ctx, const pg_run *current, const cli_judge_opts *o,
			   const cli_ab_opts *ab, int level);

#endif
