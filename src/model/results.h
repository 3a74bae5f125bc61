/*
 * results.h - the result of one `perfgate run`: a versioned document.
 *
 * On disk (and with `run --output`) it is JSON:
 *   {"format": "perfgate-run", "version": 1,
 *    "commit": SHA, "dirty": bool, "branch": NAME|null, "testbed": NAME,
 *    "timestamp": "2026-11-22T21:00:00Z", "environment": {...},
 *    "shard": {"index": K, "count": N} (optional),
 *    "durations": {"benchmark": seconds} (optional),
 *    "benchmarks": [{"name": N, "status": "ok"|"failed", "reason": TEXT,
 *                    "definition": 16 hex digits (optional),
 *                    "metrics": {"wall_time": {"unit": "ns",
 *                                "direction": "lower"|"higher",
 *                                "samples": [...],
 *                                "counts": [...] (optional)}}}]}
 * A document with a higher version than PG_RESULTS_VERSION is refused with
 * a message asking for a newer perfgate.
 */
#ifndef PG_RESULTS_H
#define PG_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#define PG_RESULTS_VERSION 1
/* Hex digits of a benchmark definition's fingerprint (see gate.h). */
#define PG_DEFINITION_LEN 16

typedef struct pg_samples {
	double *v;
	size_t n, alloc;
} pg_samples;

typedef struct pg_metric_result {
	char *name;            /* first member: indexed by name (results.c) */
	char *unit;
	int higher_is_better;
	pg_samples samples;
	pg_samples counts;     /* empty, or for each sample how many observations it
				* summarises (rss_growth: the memory samples of its
				* run); stored as "counts" only when one per sample */
} pg_metric_result;

struct pg_name_index; /* name_index.h: a name -> position cache */

typedef struct pg_bench_result {
	char *name;            /* first member: indexed by name (results.c) */
	int failed;
	char *reason;          /* why it failed; NULL otherwise */
	char *definition;      /* fingerprint of what determined its measurement
				* (PG_DEFINITION_LEN hex digits); NULL: unknown */
	/* Read freely; change only through the functions below, which keep
	 * the private name index of the metrics in step. */
	pg_metric_result *metrics;
	size_t nmetrics, alloc;
	struct pg_name_index *index;
} pg_bench_result;

typedef struct pg_run {
	char *commit;
	int dirty;
	char *branch;          /* NULL on a detached HEAD */
	char *testbed;
	char *timestamp;
	json_t *environment;   /* owned reference, may be NULL */
	/* "shard": {"index": K, "count": N}: the run measured share K of N
	 * (`run --shard K/N`); 0 and 0 for a whole run. */
	int shard_index, shard_count;
	/* "durations": {benchmark: seconds}: how long measuring each configured
	 * benchmark took (what `--shard` balances by); owned, may be NULL. */
	json_t *durations;
	/* Read freely; change only through the pg_run_* functions below,
	 * which keep the private name index (results.c) in step. */
	pg_bench_result *benches;
	size_t nbenches, alloc;
	struct pg_name_index *index;
} pg_run;

pg_run *pg_run_new(void);
void pg_run_free(pg_run *run);

void pg_samples_push(pg_samples *s, double v);
void pg_samples_extend(pg_samples *s, const pg_samples *from);
void pg_samples_free(pg_samples *s);

/* Adds a benchmark result (names are not checked for uniqueness here). */
pg_bench_result *pg_run_add_bench(pg_run *run, const char *name);
/* Adds a failed result `name` with a copy of `reason`. */
pg_bench_result *pg_run_add_failed(pg_run *run, const char *name, const char *reason);
/* Removes the most recently added benchmark result. */
void pg_run_drop_last_bench(pg_run *run);
/* Whether result `name` belongs to benchmark `family`: it is "FAMILY" or
 * "FAMILY/..." (an imported harness's results). */
int pg_name_in_family(const char *name, const char *family);
/* Removes every result of `family`; the others keep their order. */
void pg_run_remove_family(pg_run *run, const char *family);
/* Removes every result that is not of `family`. */
void pg_run_keep_family(pg_run *run, const char *family);
/* Sets the definition fingerprint of every result of `family`. */
void pg_run_set_definition(pg_run *run, const char *family, const char *definition);
/* Frees every metric of `b` (a failed benchmark keeps none). */
void pg_bench_clear_metrics(pg_bench_result *b);
/* Finds or adds the metric called `name`. */
pg_metric_result *pg_bench_metric(pg_bench_result *b, const char *name, const char *unit,
				  int higher_is_better);
/* Adds a sample that summarises `count` observations (metric.counts). */
void pg_metric_add_counted(pg_metric_result *m, double v, size_t count);
pg_bench_result *pg_run_find_bench(const pg_run *run, const char *name);
pg_metric_result *pg_bench_find_metric(const pg_bench_result *b, const char *name);

/* Whether `s` has the shape of a definition fingerprint. */
int pg_definition_valid(const char *s);

/* Serialises the run; returns a new reference. */
json_t *pg_run_to_json(const pg_run *run);
/* Parses a run document.  `where` (a file name) prefixes error messages;
 * PG_ECORRUPT for anything malformed or from a newer version. */
int pg_run_from_json(pg_run **out, json_t *doc, const char *where);
/* The run's shard mark from "shard" (index 1..count, count 1..PG_SHARD_MAX);
 * anything else is PG_ECORRUPT. */
#define PG_SHARD_MAX 1000
/* Reads a run document from a file. */
int pg_run_load(pg_run **out, const char *path);
/* Writes it (atomically) as indented JSON. */
int pg_run_save(const pg_run *run, const char *path);
/* The run as JSON text (caller frees). */
char *pg_run_dump(const pg_run *run);

#endif
