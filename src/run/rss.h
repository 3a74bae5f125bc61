/*
 * rss.h - the resident memory of a command's whole process tree, sampled
 * while it runs (for the metric rss_growth: is it leaking?).
 *
 * Every PG_RSS_INTERVAL_NS (from one interval after the start) the
 * runner's wait loop asks for a sample: one
 * pass over /proc/<pid>/stat finds the command's tree (descendants, those
 * in its session, and orphans reparented to perfgate, the child
 * subreaper) and sums their proportional set sizes (Pss, smaps_rollup:
 * a page shared by k processes counts 1/k in each, so forked workers do
 * not count their parent's pages again; the resident set where Pss cannot
 * be read).  The samples are
 * not kept: a running least-squares fit of bytes against seconds gives
 * the slope (bytes per second) in constant memory, however long the run.
 * Only benchmarks that ask for rss_growth are sampled.
 */
#ifndef PG_RSS_H
#define PG_RSS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PG_RSS_INTERVAL_NS 100000000ull /* 100 ms */
#define PG_RSS_MIN_SAMPLES 3            /* fewer give no slope */

typedef struct pg_rss_sampler {
	pid_t root;          /* the command */
	pid_t self;          /* perfgate: its orphans' new parent */
	uint64_t start_ns, next_ns;
	size_t n;            /* samples taken */
	double mean_t, mean_b, m2_t, c_tb; /* running means and sums of products */
} pg_rss_sampler;

void pg_rss_sampler_init(pg_rss_sampler *s, pid_t root, uint64_t start_ns);
/* Takes a sample when one is due at `now_ns` (none while the command is a
 * zombie: it has exited).  Returns the milliseconds until the next one is
 * due (at least 1), for the caller's poll(). */
int pg_rss_sampler_tick(pg_rss_sampler *s, uint64_t now_ns);
/* Adds one sample: `bytes` resident `t` seconds in (what tick does). */
void pg_rss_sampler_add(pg_rss_sampler *s, double t, double bytes);
/* The least-squares slope in bytes per second; NAN with fewer than
 * PG_RSS_MIN_SAMPLES samples. */
double pg_rss_sampler_slope(const pg_rss_sampler *s);

/* The resident bytes of `root`'s tree now (see above; `self` is perfgate's
 * pid).  0 when root is gone; -1 when root is a zombie. */
int64_t pg_rss_tree_bytes(pid_t root, pid_t self);

#endif
