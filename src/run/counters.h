/*
 * counters.h - instruction and cycle counts: which source to trust here.
 *
 * Two sources, never mixed: hardware counters through perf_event_open
 * (user-space instructions of the benchmark and its children), or, where
 * the PMU is absent or forbidden (VMs, GitHub-hosted runners), running the
 * command under valgrind's cachegrind (instructions only).  The source is
 * part of the metric's unit ("instr@perf", "instr@valgrind"), and results
 * in different units are never compared.  $PERFGATE_COUNTERS=perf,
 * valgrind or none forces a source (none: counts unavailable).
 */
#ifndef PG_COUNTERS_H
#define PG_COUNTERS_H

#include "metric.h"
#include <stdint.h>

typedef enum pg_counter_source {
	PG_COUNTERS_NONE = 0, PG_COUNTERS_PERF, PG_COUNTERS_VALGRIND
} pg_counter_source;


/* Picks the source for instruction counts (and cycles when need_cycles,
 * which only perf has).  PG_ERUNTIME with what to install or which
 * permission is missing when none works. */
int pg_counters_probe(pg_counter_source *out, int need_cycles);
const char *pg_counter_source_name(pg_counter_source s);

/* Opens a disabled, enable-on-exec, inherited user-space counter of
 * `config` (PERF_COUNT_HW_*) for process `pid`; -1 with errno on failure. */
int pg_perf_open(int pid, int cycles);
/* Reads a counter opened by pg_perf_open; -1 on failure. */
int64_t pg_perf_read(int fd);

/* Sums the "I refs" of every cachegrind log file in `dir`; -1 if none. */
int64_t pg_valgrind_instructions(const char *dir);
/* The argv prefix that runs a command under cachegrind, logging to
 * `dir`/vg.PID; NULL-terminated, static strings except the log option
 * (written to `logopt`, which must hold PATH_MAX + 16 bytes). */
void pg_valgrind_argv(const char **argv, char *logopt, const char *dir);

#endif
