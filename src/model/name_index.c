/*
 * name_index.c - the name -> position index (see name_index.h): open
 * addressing with linear probing over a power-of-two table kept at most
 * half full.  Lookups were linear scans: judging 10,000 benchmarks against
 * 20 commits took seconds (bench/micro.c judge_report), importing a tool's
 * 20,000 metrics of one benchmark 5 s (found by tests/fuzz), and every
 * result-to-benchmark lookup in a config of 100,000 benchmarks scanned it
 * whole (bench/gen_config.py).  Items are inserted in order, so among
 * equal names the first is found.
 */
#include "name_index.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

struct pg_name_index {
	size_t *slots;
	size_t nslots;
	int ok;
};

#define INDEX_MIN 16

static const char *item_name(const void *items, size_t size, size_t i)
{
	return *(char *const *)((const char *)items + i * size);
}

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void index_insert(struct pg_name_index *x, const char *name, size_t i)
{
	size_t mask = x->nslots - 1, slot = name_hash(name) & mask;
	while (x->slots[slot] != PG_NAME_NONE)
		slot = (slot + 1) & mask;
	x->slots[slot] = i;
}

static void index_rebuild(struct pg_name_index *x, const void *items, size_t size, size_t n)
{
	size_t k = INDEX_MIN;
	while (k < 2 * n + 2)
		k *= 2;
	free(x->slots);
	x->slots = pg_malloc(k * sizeof(*x->slots));
	x->nslots = k;
	for (size_t i = 0; i < k; i++)
		x->slots[i] = PG_NAME_NONE;
	for (size_t i = 0; i < n; i++)
		index_insert(x, item_name(items, size, i), i);
	x->ok = 1;
}

void pg_name_index_invalidate(struct pg_name_index *x)
{
	if (x)
		x->ok = 0;
}

void pg_name_index_free(struct pg_name_index *x)
{
	if (x)
		free(x->slots);
	free(x);
}

/* Item n - 1, `name`, was just appended. */
void pg_name_index_appended(struct pg_name_index *x, const char *name, size_t n)
{
	if (x && x->ok && 2 * n + 2 <= x->nslots)
		index_insert(x, name, n - 1);
	else
		pg_name_index_invalidate(x);
}

/* The position of the item called `name`, or PG_NAME_NONE; the index is
 * made at the first lookup that needs one. */
size_t pg_name_index_find(struct pg_name_index **xp, const void *items, size_t size, size_t n,
			  const char *name)
{
	if (n < INDEX_MIN) {
		for (size_t i = 0; i < n; i++)
			if (!strcmp(item_name(items, size, i), name))
				return i;
		return PG_NAME_NONE;
	}
	if (!*xp)
		*xp = pg_calloc(1, sizeof(**xp));
	struct pg_name_index *x = *xp;
	if (!x->ok)
		index_rebuild(x, items, size, n);
	size_t mask = x->nslots - 1;
	for (size_t slot = name_hash(name) & mask; x->slots[slot] != PG_NAME_NONE;
	     slot = (slot + 1) & mask)
		if (!strcmp(item_name(items, size, x->slots[slot]), name))
			return x->slots[slot];
	return PG_NAME_NONE;
}

