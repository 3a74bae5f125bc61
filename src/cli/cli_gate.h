/*
 * cli_gate.h - what `check` and `compare` share: their options, the order
 * in which those are checked (the GitHub token is taken before anything
 * runs, so no benchmark inherits it), the opened context, and A/B.
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

/* After parsing: takes the token (--github), opens the context, rejects a
 * bad --format or --fail-on, and with --ab runs the A/B comparison.
 * Returns -1 to go on with history mode, or the exit status to return
 * (after cli_gate_close). */
int cli_gate_open(cli_gate *g);
void cli_gate_close(cli_gate *g);

#endif
