/*
 * unit.h - quantities with units, as perfgate.json's budgets spell them
 * ("2 s", "100 MiB", "10000/s", "50 MB/h", "1%"), and their conversion to
 * the unit a metric is stored in ("ns", "KiB", "B/s", "ops/s").
 *
 * A quantity has a kind (a count, a time, a size in bytes, a percentage),
 * optionally "per time" (a rate), and a value in the kind's base unit
 * (seconds, bytes, per second).  A word that is no known unit ("items",
 * "ops", "instr", "1") is a count.  Converting is refused between kinds.
 */
#ifndef PG_UNIT_H
#define PG_UNIT_H

#include "buf.h"

typedef enum pg_unit_kind {
	PG_KIND_COUNT = 0,
	PG_KIND_TIME,
	PG_KIND_BYTES,
	PG_KIND_PERCENT
} pg_unit_kind;

typedef struct pg_quantity {
	double value;      /* in base units: seconds, bytes, per second */
	pg_unit_kind kind;
	int per_time;      /* a rate: "/s", "/min", "/h" */
	int bare;          /* no unit written: `value` is in the metric's own unit */
} pg_quantity;

/* Parses "NUMBER [UNIT]" (a finite decimal number; spaces between are
 * allowed).  Returns 0, or -1 with `why` (may be NULL) set to a static
 * description of what is wrong. */
int pg_quantity_parse(const char *text, pg_quantity *out, const char **why);
/* Parses a unit alone ("ns", "KiB", "B/s", "items/s", ""), as stored with
 * a metric; `out->value` is one of it in base units.  A unit with a
 * source ("instr@perf") is a count.  -1 when it is not a unit at all. */
int pg_unit_parse(const char *unit, pg_quantity *out);
/* `q` expressed in `unit`: 0 and *out set, or -1 when the kinds differ
 * (a time against "KiB") or `unit` is not a unit.  A bare quantity is
 * taken as is. */
int pg_quantity_convert(const pg_quantity *q, const char *unit, double *out);
/* "a time", "a size in bytes", "a rate per second", "a percentage",
 * "a count", "a size per second"... for messages. */
void pg_quantity_describe(pg_buf *out, const pg_quantity *q);

#endif
