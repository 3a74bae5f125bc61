/*
 * explained.c - freeing and writing the outcome of `perfgate explain` (see
 * explained.h).
 */
#include "explained.h"

#include <stdlib.h>
#include <string.h>

void pg_explain_free(pg_explain *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->fns[i].name);
		free(e->fns[i].file);
	}
	free(e->fns);
	free(e->bench);
	free(e->note);
	memset(e, 0, sizeof(*e));
}

