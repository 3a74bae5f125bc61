/*
 * testbed.h - what machine a result was measured on.
 *
 * Results are only compared within one testbed.  The name comes from, in
 * order: --testbed, $PERFGATE_TESTBED, "testbed" in perfgate.json, else it
 * is derived from OS, architecture, CPU model and CPU count, e.g.
 * "linux-x86_64-intel-xeon-processor-2cpu".
 */
#ifndef PG_TESTBED_H
#define PG_TESTBED_H

#include "buf.h"
#include <jansson.h>

/* Appends the derived testbed name to `out`. */
void pg_testbed_derive(pg_buf *out);
/* The environment recorded with every run: os, kernel, arch, cpu_model,
 * cpu_count, load_avg (1 min), cpu_governor (when readable).  New
 * reference. */
json_t *pg_testbed_environment(void);

/* Warns (pg_warn) when the environment will make timings noisy: a high
 * load average, or a CPU governor other than "performance". */
void pg_testbed_warn(const json_t *env);

#endif
