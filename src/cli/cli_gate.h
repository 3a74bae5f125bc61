/*
 * cli_gate.h - what `check` and `compare` share: their options, the order
 * in which those are checked (the GitHub token is taken before anything
 * runs, so no benchmark inherits it) and the opened context.
 */
#ifndef CLI_GATE_H
#define CLI_GATE_H

#include "cli.h"
#include "cli_github.h"

typedef struct cli_gate {
	cli_common common;
	cli_github_opts gh;
	cli_judge_opts jo;
	cli_ab_opts ab;
	cli_ctx ctx;
} cli_gate;

/* The options of both commands, before their own. */
#define CLI_GATE_OPTIONS(g)                                                       \
	CLI_COMMON_OPTIONS(&(g)->common), CLI_JUDGE_OPTIONS(&(g)->jo),            \
	CLI_GITHUB_OPTIONS(&(g)->gh), CLI_AB_OPTIONS(&(g)->ab)

/* After parsing: takes the token (--github), opens the context and rejects
 * a bad --format or --fail-on.  0, or a negative error code (for
 * cli_error); call cli_gate_close in both cases.  With --ab the caller
 * then runs cli_ab(). */
int cli_gate_open(cli_gate *g);
void cli_gate_close(cli_gate *g);

#endif
