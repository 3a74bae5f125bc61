/*
 * cli_gate.c - the start that `check` and `compare` share (see cli_gate.h).
 */
#include "cli_gate.h"

int cli_gate_open(cli_gate *g)
{
	int err;
	g->jo.gh = &g->gh;
	if ((g->jo.github && (err = cli_github_check(&g->gh)) < 0) ||
	    (err = cli_ctx_open(&g->ctx, &g->common)) < 0 ||
	    (err = cli_judge_opts_check(&g->ctx, &g->jo)) < 0)
		return err;
	return 0;
}

void cli_gate_close(cli_gate *g)
{
	cli_ctx_close(&g->ctx);
}
