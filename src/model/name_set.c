/*
 * name_set.c - a set of names: an array of owned strings and its
 * name_index (see name_set.h).
 */
#include "name_set.h"
#include "buf.h"
#include "name_index.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char *name; /* first member: indexed by name_index */
} entry;

struct pg_name_set {
	entry *v;
	size_t n, alloc;
	struct pg_name_index *index;
};

pg_name_set *pg_name_set_new(void)
{
	return pg_calloc(1, sizeof(pg_name_set));
}

void pg_name_set_free(pg_name_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	pg_name_index_free(s->index);
	free(s);
}

int pg_name_set_has(pg_name_set *s, const char *name)
{
	return s && pg_name_index_find(&s->index, s->v, sizeof(*s->v), s->n, name) != PG_NAME_NONE;
}

void pg_name_set_add(pg_name_set *s, const char *name)
{
	if (pg_name_set_has(s, name))
		return;
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 16;
		s->v = pg_realloc(s->v, s->alloc * sizeof(*s->v));
	}
	s->v[s->n++].name = pg_strdup(name);
	pg_name_index_appended(s->index, name, s->n);
}

void pg_name_set_add_family(pg_name_set *s, const char *name)
{
	pg_buf prefix = PG_BUF_INIT;
	pg_buf_puts(&prefix, name);
	for (;;) {
		pg_name_set_add(s, prefix.ptr);
		char *slash = strrchr(prefix.ptr, '/');
		if (!slash)
			break;
		pg_buf_truncate(&prefix, (size_t)(slash - prefix.ptr));
	}
	pg_buf_free(&prefix);
}
