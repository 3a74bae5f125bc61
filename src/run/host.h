/*
 * host.h - what the run layer needs to know about this machine's
 * environment, handed over once by the command line, which alone reads the
 * environment (as libgit2 takes process-wide settings through
 * git_libgit2_opts).  Core code reads these values, never getenv().
 */
#ifndef PG_HOST_H
#define PG_HOST_H

typedef struct pg_host_opts {
	const char *tmpdir;      /* temporary files and scratch checkouts ("": /tmp) */
	const char *path;        /* the search path for valgrind (NULL: not searched) */
	const char *counters;    /* the forced source of counts: "perf", "valgrind",
				  * "none", or NULL to probe */
	const char *outer_guard; /* an outer perfgate's guard tokens, or NULL */
} pg_host_opts;

/* Copies `o` (NULL: back to the defaults: /tmp, no search path, probe,
 * no outer guard).  Call before running anything; not thread-safe. */
void pg_host_configure(const pg_host_opts *o);
/* The settings in force; never NULL, strings never NULL except `path`,
 * `counters` and `outer_guard`.  tmpdir is "/tmp" when unset or empty. */
const pg_host_opts *pg_host(void);

#endif
