/*
 * shard.h - a deterministic share of the benchmarks for one job of a CI
 * matrix (`--shard K/N`), and putting the shares back together.
 */
#ifndef PG_SHARD_H
#define PG_SHARD_H

#include "gate.h"

/* Parses "K/N" (decimal, 1 <= K <= N <= PG_SHARD_MAX); PG_EUSAGE else. */
int pg_shard_parse(const char *spec, int *k, int *n);

/* Reorders cfg->benches so that share k of n comes first and returns how
 * many benchmarks it has (possibly 0).  The shares are made the same way
 * by every job of one commit: the benchmarks, longest first (then by name),
 * each go to the share with the least total so far (ties: the lowest K),
 * where a benchmark's length is its duration in the newest run stored for
 * the first commit with results on the first-parent history from the
 * merge-base of HEAD and the base branch (HEAD's own runs, which other
 * shards may be adding, are never read; at most `window` commits), and the
 * mean known duration (or 1 s when none is known) otherwise.  *balanced
 * says whether any duration was known (else the shares are by name). */
size_t pg_shard_order(pg_config *cfg, const pg_gate_env *env, int k, int n, int *balanced);

/* After pooling `runs` (stored for one commit, or files) into `current`:
 * when any of them is a shard, every configured benchmark with no result
 * in `current` gets a failed result saying which shards are missing (or
 * that no shard measured it), so that a missing shard fails the gate.
 * Returns the number of missing shards (of the newest run's count) and
 * warns about them through pg_warn(). */
int pg_shard_complete(pg_run *current, pg_run *const *runs, size_t n, const pg_config *cfg);

/* Merges result documents (`perfgate run -o` of each shard): one commit
 * and one testbed; a benchmark in two documents, or two documents of one
 * shard, is PG_ECORRUPT naming the files.  The merged run has no shard
 * mark; pg_shard_complete() is the caller's.  names[i] names docs[i]. */
int pg_shard_merge(pg_run **out, pg_run *const *docs, const char *const *names, size_t n);

#endif
