/*
 * config_parse.h - what config.c shares with the files that parse more of
 * perfgate.json (config_setup.c), so that config.c stays one file of the
 * basics: the same problem list, the same JSON path in every message.
 * Internal to src/model.
 */
#ifndef PG_CONFIG_PARSE_H
#define PG_CONFIG_PARSE_H

#include "config.h"

#include <jansson.h>

typedef struct parse_ctx parse_ctx;

/* Records a problem with `key` of the value under inspection (see
 * config.c: field_error) and returns PG_ECONFIG; parsing goes on. */
int pg_config_problem(parse_ctx *c, const char *key, const char *what);
/* A non-empty string without NUL characters into *out (freed first). */
int pg_config_get_string(parse_ctx *c, json_t *obj, const char *key, char **out);

/* config_setup.c: "setup" (top level and per benchmark) and "confirm". */
void pg_config_parse_root_setup(parse_ctx *c, json_t *root, pg_config *cfg);
void pg_config_parse_bench_setup(parse_ctx *c, json_t *b, pg_bench_config *bc);

#endif
