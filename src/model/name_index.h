/*
 * name_index.h - a name -> position hash index over an array of structs
 * whose first member is their name (char *): a run's benchmarks, a
 * benchmark's metrics, a config's benchmarks.
 *
 * The index is a cache owned by the array's owner: it is made at the
 * first lookup that needs one, kept in step by pg_name_index_appended, and
 * rebuilt after pg_name_index_invalidate.  Whoever changes the array
 * (other than appending through pg_name_index_appended) must invalidate.
 */
#ifndef PG_NAME_INDEX_H
#define PG_NAME_INDEX_H

#include <stddef.h>

struct pg_name_index;

/* What pg_name_index_find returns when no item has the name. */
#define PG_NAME_NONE ((size_t)-1)

/* The position of the first-indexed item called `name` among the `n`
 * items of `size` bytes at `items`, or PG_NAME_NONE.  Small arrays are
 * scanned; larger ones get an index in *xp (allocated here, freed with
 * pg_name_index_free).  With duplicate names, which one is found is
 * unspecified. */
size_t pg_name_index_find(struct pg_name_index **xp, const void *items, size_t size, size_t n,
			  const char *name);
/* Item n - 1, `name`, was just appended.  x may be NULL. */
void pg_name_index_appended(struct pg_name_index *x, const char *name, size_t n);
/* The array changed otherwise: rebuilt at the next lookup.  x may be NULL. */
void pg_name_index_invalidate(struct pg_name_index *x);
void pg_name_index_free(struct pg_name_index *x);

#endif
