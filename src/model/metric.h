/*
 * metric.h - the metrics perfgate knows how to measure for a command.
 */
#ifndef PG_METRIC_H
#define PG_METRIC_H

typedef enum pg_metric_id {
	PG_METRIC_WALL_TIME = 0, /* ns, monotonic clock around the process */
	PG_METRIC_CPU_TIME,      /* ns, user + system from wait4() */
	PG_METRIC_MAX_RSS,       /* KiB, peak resident set from wait4() */
	PG_METRIC_INSTRUCTIONS,  /* user-space instructions (perf or valgrind) */
	PG_METRIC_CYCLES,        /* user-space cycles (perf only) */
	PG_METRIC_RSS_GROWTH,    /* B/s, least-squares slope of the process tree's resident
				  * memory, sampled every 100 ms (run/rss.h) */
	PG_METRIC_COUNT
} pg_metric_id;

/* What a benchmark records when its config names no "metrics". */
/* Units of counted metrics: the source is part of the unit, so counts from
 * perf and from valgrind are never compared (see run/counters.h). */
#define PG_UNIT_INSTR_PERF "instr@perf"
#define PG_UNIT_INSTR_VALGRIND "instr@valgrind"
#define PG_UNIT_CYCLES_PERF "cycles@perf"

#define PG_METRICS_DEFAULT ((1u << PG_METRIC_WALL_TIME) | (1u << PG_METRIC_CPU_TIME) | \
			    (1u << PG_METRIC_MAX_RSS))
#define PG_METRICS_COUNTED ((1u << PG_METRIC_INSTRUCTIONS) | (1u << PG_METRIC_CYCLES))

typedef struct pg_metric_info {
	const char *name;
	const char *unit;
	int higher_is_better;
} pg_metric_info;

const pg_metric_info *pg_metric_info_get(pg_metric_id id);
/* Returns the id for a metric name, or -1. */
int pg_metric_lookup(const char *name);

#endif
