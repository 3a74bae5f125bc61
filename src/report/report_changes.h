/*
 * report_changes.h - change points found along a branch's history (`perfgate
 * changes`), as a plain list the writers format: the history walk that
 * fills it is src/gate/changes.c.
 */
#ifndef PG_REPORT_CHANGES_H
#define PG_REPORT_CHANGES_H

#include "buf.h"
#include "judge.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pg_change_row {
	char *bench;          /* owned strings */
	char *metric;
	char *unit;
	char sha[41];         /* the first commit of the new level */
	char *subject;        /* may be NULL */
	int64_t time;         /* its commit time, seconds since the epoch; 0: unknown */
	double before;        /* mean of the per-commit medians before and after */
	double after;
	double change_pct;    /* (after - before) / before * 100, as measured */
	double p;             /* the t-test p-value of the change point */
	size_t n_before;      /* commits in those two means */
	size_t n_after;
	int higher_is_better;
	pg_severity severity; /* by the thresholds, worse or improved */
} pg_change_row;

typedef struct pg_changes {
	char *testbed;
	char head[41];        /* the newest commit looked at */
	char since[41];       /* "" or the oldest commit looked at */
	size_t commits;       /* commits with results */
	size_t series;        /* benchmark/metric series looked at */
	int truncated;        /* the history ended early (shallow clone) */
	pg_change_row *rows;  /* per benchmark and metric (sorted by name), oldest first */
	size_t n, alloc;
} pg_changes;

/* A new zeroed row at the end of c->rows (never NULL). */
pg_change_row *pg_changes_add(pg_changes *c);
void pg_changes_free(pg_changes *c);

/* Appends the list in `format`: "term", "markdown" or "json" (PG_EUSAGE
 * for any other).  Every name and subject is escaped for the format.
 * JSON: {"format": "perfgate-changes", "version": 1, "testbed", "head",
 * "since", "commits", "series", "truncated", "changes": [{"benchmark",
 * "metric", "unit", "direction", "commit", "subject", "time", "before",
 * "after", "change_pct", "p", "commits_before", "commits_after",
 * "severity"}]}, numbers that are not finite as null. */
int pg_changes_write(pg_buf *out, const pg_changes *c, const char *format);

#endif
