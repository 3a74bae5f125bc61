/*
 * explain.h - `perfgate explain`: where the instructions went.  The
 * benchmark's command runs once per side (the base in a scratch checkout,
 * HEAD in the work tree, each after its "setup") under valgrind's callgrind,
 * which counts the instructions (Ir) each function executes: deterministic,
 * and needs no hardware counters.  The functions whose own (self) count
 * changed most are listed with self and inclusive counts before and after
 * and where they are (file:line, when the binary has symbols).
 *
 * What cannot be explained says so instead of failing: valgrind missing,
 * a binary without symbols, a command slower under callgrind than the
 * benchmark's timeout x PG_EXPLAIN_SLOWDOWN, a command that fails.
 */
#ifndef PG_EXPLAIN_H
#define PG_EXPLAIN_H

#include "callgrind.h"
#include "explained.h"
#include "gate.h"

/* callgrind runs a program some 20 to 100 times slower */
#define PG_EXPLAIN_SLOWDOWN 100
#define PG_EXPLAIN_TOP 10
/* at most this many bytes of callgrind output per side */
#define PG_EXPLAIN_MAX_OUTPUT (256u << 20)


/* Lists the `top` functions of `before` and `after` (profiles of the base
 * and HEAD, whose checkouts are at root_before and root_after) whose self
 * count changed most, ties by the larger count. */
void pg_explain_diff(pg_explain *out, const pg_cg_profile *before, const pg_cg_profile *after,
		     const char *root_before, const char *root_after, size_t top);

/* Explains benchmark `bc` of env->cfg against commit `base` (built with
 * `build`, may be NULL).  0 with the outcome in `out` (functions, or a
 * note); PG_ERUNTIME when the base cannot be checked out, built or set up,
 * or HEAD set up; PG_EINTERRUPT. */
int pg_explain_bench(pg_explain *out, const pg_gate_env *env, const pg_bench_config *bc,
		     const char *base, const char *build, int keep, size_t top);


#endif
