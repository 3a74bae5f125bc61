/*
 * setup.h - "setup": the commands that prepare a checkout for its
 * benchmarks (test data, a corpus), run once per checkout, not timed.
 *
 * The top-level "setup" runs at the checkout's root; a benchmark's own
 * "setup" runs in that benchmark's working directory (the root, or its
 * "cwd" under it) with the benchmark's "env", right before the benchmark
 * is first measured in that checkout.  The checkouts are: the repository's
 * work tree (run, check, the head side of A/B and --confirm), the base's
 * scratch checkout (A/B, --confirm), and each scratch checkout of bisect.
 */
#ifndef PG_SETUP_H
#define PG_SETUP_H

#include "buf.h"
#include "config.h"

/* Seconds a setup command may take before it is killed. */
#define PG_SETUP_TIMEOUT 3600

/* Runs the top-level `setup` (NULL: none) at the checkout's `root`, then
 * bc's own "setup" (bc NULL or without one: none) in bc's working
 * directory.  PG_EBENCH when one fails, with "setup `CMD` (at the
 * checkout's root) exited with status 2: ..." (led by "benchmark 'NAME': "
 * for bc's) appended to `why`; PG_EINTERRUPT when interrupted; another
 * negative code when perfgate itself could not run it. */
int pg_setup_run(const char *setup, const pg_bench_config *bc, const char *root, pg_buf *why);

/* pg_setup_run() for the checkout of `side` ("HEAD", "the base
 * 0123456789ab"): a failure is PG_ERUNTIME, "setup of HEAD failed: ...". */
int pg_setup_side(const char *setup, const pg_bench_config *bc, const char *root,
		  const char *side);

#endif
