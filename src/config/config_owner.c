/*
 * config_owner.c - which benchmark of perfgate.json a result belongs to
 * when its name is not a benchmark's: the imported-format benchmark whose
 * name is one of its '/'-prefixes ("NAME/micro").  One hashed lookup per
 * '/' in the result's name: a scan of every benchmark per result made a
 * run or a report of 100,000 benchmarks quadratic.
 */
#include "config.h"
#include "buf.h"

#include <string.h>

const pg_bench_config *pg_config_family_owner(const pg_config *cfg, const char *result)
{
	const pg_bench_config *best = NULL;
	pg_buf prefix = PG_BUF_INIT;
	for (const char *slash = strchr(result, '/'); slash; slash = strchr(slash + 1, '/')) {
		pg_buf_clear(&prefix);
		pg_buf_put(&prefix, result, (size_t)(slash - result));
		const pg_bench_config *b = pg_config_find(cfg, prefix.ptr);
		/* the first in the file wins, as when every benchmark was scanned */
		if (b && b->format && (!best || b < best))
			best = b;
	}
	pg_buf_free(&prefix);
	return best;
}
