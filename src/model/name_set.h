/*
 * name_set.h - a set of names (hashed through name_index), for the checks
 * that ask "is there a row/result called X, or of family X?" once per
 * benchmark: linear scans there made reports quadratic in the number of
 * benchmarks.
 */
#ifndef PG_NAME_SET_H
#define PG_NAME_SET_H

#include <stddef.h>

typedef struct pg_name_set pg_name_set;

pg_name_set *pg_name_set_new(void);
void pg_name_set_free(pg_name_set *s);
/* Adds a copy of `name` (a name already there is not added twice). */
void pg_name_set_add(pg_name_set *s, const char *name);
/* Adds `name` and each family it belongs to: "a/b/c" adds "a/b/c", "a/b"
 * and "a", so that pg_name_set_has(s, F) tells whether some added name is
 * in family F (pg_name_in_family). */
void pg_name_set_add_family(pg_name_set *s, const char *name);
/* 0 when `s` is NULL.  (Not const: the first lookup may build the index.) */
int pg_name_set_has(pg_name_set *s, const char *name);

#endif
