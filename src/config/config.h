/*
 * config.h - perfgate.json: what to run and how to judge it.
 *
 * Every field has a default (see pg_config_parse) and every number a
 * range; unknown keys, wrong types, values out of range, duplicate or bad
 * names, and "cwd" or "output" paths that are absolute or climb out with
 * ".." are errors whose message names the file and the field's path, e.g.
 * "perfgate.json: benchmarks[1].runs: expected an integer from 1 to
 * 100000".  A config with several problems gets one line for each (up to
 * 20, then a count of the rest) in one message.
 */
#ifndef PG_CONFIG_H
#define PG_CONFIG_H

#include "buf.h"
#include "judge.h"
#include "unit.h"
#include "validate.h"
#include <stddef.h>


/* "budgets": {"max_rss": {"max": "100 MiB"}, ...} (config_policy.c): an
 * absolute limit on a metric's median, checked on every run. */
typedef struct pg_budget {
	char *metric;
	int has_max, has_min;
	pg_quantity max, min;
	char *max_text, *min_text; /* as written ("100 MiB"; a number as %.17g) */
	int severity;              /* pg_severity of a breach (default critical) */
	int inherited;             /* from the top level, not the benchmark's own */
} pg_budget;

/* "thresholds": {"metrics": {"items_per_second": {...}}}: one metric's
 * thresholds, resolved (see pg_config_thresholds). */
typedef struct pg_metric_thresholds {
	char *metric;
	pg_thresholds t;
} pg_metric_thresholds;

typedef struct pg_bench_config {
	char *name;
	char **argv;       /* NULL-terminated; a string command becomes sh -c */
	char *cwd;         /* NULL: the repository root; relative to it otherwise */
	char **env;        /* NULL-terminated "KEY=VALUE" added to the environment */
	int warmup;
	int runs;          /* with runs_auto: the most runs allowed */
	int runs_auto;     /* "runs": "auto": until the median is precise enough */
	int min_runs;      /* auto: at least this many (default 5) */
	double precision;  /* auto: 95 % CI half-width of the median, in % (default 1) */
	double max_time;   /* auto: seconds of measuring at most (default 30) */
	int cpu;           /* pin to this CPU (sched_setaffinity); -1: not pinned */
	double timeout;    /* seconds per run */
	unsigned metrics;  /* bit set of pg_metric_id */
	int ab_pairs;      /* A/B pairs; 0: automatic */
	int format;        /* pg_import_format: results parsed from the output */
	char *output;      /* file the tool writes its results to (else stdout) */
	char *setup;       /* "setup": shell command run once per checkout before this
			    * benchmark, in its working directory (not timed), or NULL */
	pg_thresholds thresholds;
	pg_metric_thresholds *mthresholds; /* per metric, resolved */
	size_t nmthresholds;
	pg_budget *budgets;  /* its own, then the top level's it does not override */
	size_t nbudgets;
	int complexity;      /* "complexity": "n log n": the worst pg_complexity its
			      * families may fit; -1: none */
} pg_bench_config;

typedef struct pg_config {
	char *path;        /* file it was read from, for messages */
	char *base;        /* base branch */
	char *store;       /* store spec, "dir:PATH" */
	char *testbed;     /* NULL: derived from the machine */
	char *build;       /* shell command that builds a checkout (A/B base), or NULL */
	char *setup;       /* "setup": shell command run once per checkout before any
			    * benchmark, at its root (not timed), or NULL */
	int confirm;       /* "confirm": 0 off, else the pg_severity from which a
			    * history verdict is re-measured as A/B (gate/confirm.h) */
	char **env_commands; /* "environment": {name: command}: recorded with every run */
	char **env_names;
	size_t nenv;
	char **retired;    /* "retired": benchmarks removed on purpose, NULL-terminated
			    * (a name also retires its "NAME/..." results) */
	int window;
	int min_history;
	int fail_on;       /* pg_severity, or PG_FAIL_NEVER */
	pg_thresholds thresholds;
	pg_metric_thresholds *mthresholds; /* per metric, resolved with the global ones */
	size_t nmthresholds;
	pg_budget *budgets;  /* the top level's, for every benchmark */
	size_t nbudgets;
	pg_bench_config *benches;
	size_t nbenches;
	/* name_index.h: made at the first lookup; whoever changes benches[]
	 * after that must pg_name_index_invalidate() it */
	struct pg_name_index *index;
} pg_config;

/* The largest perfgate.json read (100,000 benchmarks take about 10 MiB):
 * beyond it, or for a link to /dev/zero, PG_ECONFIG. */
#define PG_CONFIG_MAX ((size_t)64 << 20)
/* Reads and validates `path`.  PG_ENOTFOUND if it does not exist,
 * PG_ECONFIG for any problem in it (the message lists all of them, one per
 * line). */
int pg_config_load(pg_config **out, const char *path);
/* Parses `text`; `path` is only used in messages. */
int pg_config_parse(pg_config **out, const char *text, const char *path);
void pg_config_free(pg_config *cfg);

/* The benchmark called `name`, or NULL; hashed (name_index.h). */
const pg_bench_config *pg_config_find(const pg_config *cfg, const char *name);
/* Whether result `name` was retired ("retired" lists it or its family). */
int pg_config_retired(const pg_config *cfg, const char *name);
/* The benchmark a result belongs to: the one of that name, or the
 * imported-format benchmark whose name prefixes it ("NAME/micro"; the
 * first in the file when several do).  One hashed lookup per '/' in
 * `result`, whatever the number of benchmarks. */
const pg_bench_config *pg_config_owner(const pg_config *cfg, const char *result);
/* config_owner.c: the imported-format benchmark whose name followed by
 * '/' starts `result` (the first in the file when several do), or NULL. */
const pg_bench_config *pg_config_family_owner(const pg_config *cfg, const char *result);
/* The thresholds that judge `metric` of result `result`: from weakest to
 * strongest, the global ones, the global "metrics" entry of `metric`, the
 * owning benchmark's own (pg_config_owner), and its "metrics" entry of
 * `metric`, field by field. */
pg_thresholds pg_config_thresholds(const pg_config *cfg, const char *result, const char *metric);
/* The same for benchmark `bc`'s results. */
pg_thresholds pg_bench_thresholds(const pg_bench_config *bc, const char *metric);
/* The budgets that apply to result `result`: its benchmark's (own and
 * inherited), or the top level's when no benchmark owns it. */
const pg_budget *pg_config_budgets(const pg_config *cfg, const char *result, size_t *n);


/* config_diff.c: comparing two configs. */
typedef void (*pg_config_change_fn)(const char *change, void *payload);
/* Calls `fn` once per policy field that differs from `from` to `to`, with
 * a line such as "fail_on changed from critical to never": fail_on,
 * thresholds (the global ones, and a benchmark's own unless they just
 * follow the global ones), window, min_history, base, store, testbed and
 * retired.  Strings are quoted and shown printable. */
void pg_config_policy_diff(const pg_config *from, const pg_config *to, pg_config_change_fn fn,
			   void *payload);
/* config_policy.c: the same for the per-metric thresholds (global, and a
 * benchmark's unless they follow the global ones) and the budgets (the
 * top level's, and a benchmark's own), e.g. "budgets changed from
 * {max_rss max 100 MiB critical} to none". */
void pg_config_policy_diff_metrics(const pg_config *from, const pg_config *to,
				   pg_config_change_fn fn, void *payload);
/* Appends the fields of a benchmark's definition (gate.h) that differ
 * between `a` and `b`, as "command, env" (in the order command, cwd, env,
 * format, output, metrics; env compared as a set); nothing when none do. */
void pg_config_definition_diff(const pg_bench_config *a, const pg_bench_config *b, pg_buf *out);

#endif
