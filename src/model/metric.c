/*
 * metric.c - the table of measurable metrics.
 */
#include "metric.h"

#include <string.h>

static const pg_metric_info metrics[PG_METRIC_COUNT] = {
	[PG_METRIC_WALL_TIME] = { "wall_time", "ns", 0 },
	[PG_METRIC_CPU_TIME] = { "cpu_time", "ns", 0 },
	[PG_METRIC_MAX_RSS] = { "max_rss", "KiB", 0 },
	[PG_METRIC_INSTRUCTIONS] = { "instructions", "instr", 0 }, /* unit names the source */
	[PG_METRIC_CYCLES] = { "cycles", "cycles", 0 },
	[PG_METRIC_RSS_GROWTH] = { "rss_growth", "B/s", 0 },
};

const pg_metric_info *pg_metric_info_get(pg_metric_id id)
{
	return (unsigned)id < PG_METRIC_COUNT ? &metrics[id] : NULL;
}

int pg_metric_lookup(const char *name)
{
	for (int i = 0; i < PG_METRIC_COUNT; i++)
		if (!strcmp(metrics[i].name, name))
			return i;
	return -1;
}
