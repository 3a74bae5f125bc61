/*
 * config_priv.h - what config.c shares with the parsers of its other
 * files (config_policy.c, config_setup.c): the parse context and its
 * problem list, so every message has the same JSON path.  Not for use
 * outside src/config/.
 */
#ifndef PG_CONFIG_PRIV_H
#define PG_CONFIG_PRIV_H

#include "buf.h"
#include "config.h"

#include <jansson.h>

typedef struct parse_ctx {
	const char *file;
	pg_buf path;     /* JSON path of the value under inspection */
	pg_buf problems; /* the problems listed so far, each ending in NUL */
	size_t nproblems, listed;
	int full;        /* no more lines fit */
} parse_ctx;

/* Records a problem with `key` (NULL: the path itself) under the current
 * path; returns PG_ECONFIG.  Parsing goes on. */
int pg_config_problem(parse_ctx *c, const char *key, const char *what);
/* Rejects keys of `obj` not in the NULL-terminated `allowed` list. */
int pg_config_check_keys(parse_ctx *c, json_t *obj, const char *const *allowed);
/* A non-empty string without NUL characters into *out (freed first). */
int pg_config_get_string(parse_ctx *c, json_t *obj, const char *key, char **out);

/* config_policy.c: "budgets" and "thresholds"."metrics" of `obj`, the top
 * level (`bc` NULL; call before the benchmarks) or a benchmark's entry. */
void pg_config_parse_policy(parse_ctx *c, json_t *obj, pg_config *cfg, pg_bench_config *bc);
void pg_config_free_budgets(pg_budget *b, size_t n);
void pg_config_free_mthresholds(pg_metric_thresholds *t, size_t n);

/* config_setup.c: "setup" (top level and per benchmark) and "confirm". */
void pg_config_parse_root_setup(parse_ctx *c, json_t *root, pg_config *cfg);
void pg_config_parse_bench_setup(parse_ctx *c, json_t *b, pg_bench_config *bc);

#endif
