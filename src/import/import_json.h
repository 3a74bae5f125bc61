/*
 * import_json.h - helpers the JSON importers share (import_json.c), for
 * the files of src/import only.
 */
#ifndef PG_IMPORT_JSON_H
#define PG_IMPORT_JSON_H

#include "results.h"

#include <jansson.h>

/* PG_ECORRUPT with "WHERE: not FORMAT output: DETAIL". */
int pg_import_json_bad(const char *where, const char *format, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Parses `text` (duplicate keys refused); NULL with *err set (line and
 * column) when it is not JSON.  Text that does not even start like JSON
 * (a console log) gets `how` instead (when not NULL): what writes the
 * format, e.g. "write it with -rf json -rff FILE".  The caller owns the
 * document. */
json_t *pg_import_json_load(const char *text, const char *where, const char *format,
			    const char *how, int *err);
/* 1 and *out when `v` is a finite JSON number, else 0. */
int pg_import_json_number(json_t *v, double *out);
/* Adds every element of array `arr` times `scale` as a sample; one that is
 * not a finite number is an error naming `path`[index]. */
int pg_import_json_numbers(pg_run *run, const char *bench, const char *metric, const char *unit,
			   int higher, json_t *arr, double scale, const char *where,
			   const char *format, const char *path);

#endif
