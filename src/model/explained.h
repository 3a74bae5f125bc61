/*
 * explained.h - the outcome of `perfgate explain` for one benchmark (made
 * by src/gate/explain.c, shown by the report writers): the functions whose
 * instruction counts changed most between the base and HEAD, or why none
 * are listed.
 */
#ifndef PG_EXPLAINED_H
#define PG_EXPLAINED_H

#include "buf.h"
#include "validate.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pg_explain_fn {
	char *name;
	char *file;              /* relative to the checkout when inside it */
	long line;               /* 0: unknown */
	uint64_t self_before, self_after, incl_before, incl_after;
	double change_pct;       /* of self; +inf from 0 */
} pg_explain_fn;

typedef struct pg_explain {
	char *bench;
	char base[41];           /* the base commit id (40 hex digits) */
	uint64_t total_before, total_after;
	pg_explain_fn *fns;      /* most changed first (by |self after - before|) */
	size_t n;
	char *note;              /* why nothing is listed, or NULL */
} pg_explain;

void pg_explain_free(pg_explain *e);


#endif
