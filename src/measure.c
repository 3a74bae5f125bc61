/*
 * measure.c - warm-up and repetitions of one benchmark (see measure.h).
 */
#include "measure.h"
#include "error.h"
#include "fsutil.h"
#include "metric.h"
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>

static void record(pg_bench_result *b, const pg_bench_config *bc, const pg_proc_result *r)
{
	const double values[PG_METRIC_COUNT] = {
		[PG_METRIC_WALL_TIME] = (double)r->wall_ns,
		[PG_METRIC_CPU_TIME] = (double)r->cpu_ns,
		[PG_METRIC_MAX_RSS] = (double)r->max_rss_kib,
	};
	for (int id = 0; id < PG_METRIC_COUNT; id++) {
		if (!(bc->metrics & (1u << id)))
			continue;
		const pg_metric_info *mi = pg_metric_info_get((pg_metric_id)id);
		pg_metric_result *m = pg_bench_metric(b, mi->name, mi->unit, mi->higher_is_better);
		pg_samples_push(&m->samples, values[id]);
	}
}

static void mark_failed(pg_bench_result *b, const pg_proc_result *r, double timeout,
			const char *label)
{
	pg_buf why = PG_BUF_INIT;
	pg_buf_printf(&why, "%s ", label);
	pg_proc_describe(&why, r, timeout);
	b->failed = 1;
	b->reason = pg_buf_detach(&why);
	/* Samples of a benchmark that failed would mislead later baselines. */
	pg_bench_clear_metrics(b);
}

int pg_measure_once(pg_bench_result *b, const pg_bench_config *bc, const char *root, int keep,
		    const char *label, double *wall_ns)
{
	pg_buf cwd = PG_BUF_INIT;
	pg_proc_spec spec = { bc->argv, NULL, bc->env, bc->timeout };
	pg_proc_result r;
	if (bc->cwd && bc->cwd[0] == '/')
		pg_buf_puts(&cwd, bc->cwd);
	else
		pg_path_join(&cwd, root, bc->cwd ? bc->cwd : "");
	spec.cwd = cwd.ptr;
	int err = pg_proc_run(&r, &spec);
	if (err == 0 && r.status == PG_PROC_INTERRUPTED)
		err = pg_error_set(PG_EINTERRUPT, "interrupted while running '%s'", bc->name);
	if (err == 0 && r.status != PG_PROC_OK)
		mark_failed(b, &r, bc->timeout, label);
	else if (err == 0 && keep)
		record(b, bc, &r);
	if (wall_ns)
		*wall_ns = (double)r.wall_ns;
	pg_proc_result_free(&r);
	pg_buf_free(&cwd);
	return err;
}

int pg_measure_bench(pg_run *run, const pg_bench_config *bc, const char *root,
		     pg_progress_fn progress, void *payload)
{
	pg_bench_result *b = pg_run_add_bench(run, bc->name);
	int err = 0, total = bc->warmup + bc->runs;
	char label[64];

	for (int k = 0; k < total && !b->failed && err == 0; k++) {
		int warm = k < bc->warmup;
		int i = warm ? k + 1 : k - bc->warmup + 1, n = warm ? bc->warmup : bc->runs;
		if (progress)
			progress(payload, bc->name, warm, i, n);
		snprintf(label, sizeof(label), "%s %d/%d", warm ? "warm-up" : "run", i, n);
		err = pg_measure_once(b, bc, root, !warm, label, NULL);
	}
	if (err < 0) {
		/* Leave no half-measured benchmark behind. */
		pg_run_drop_last_bench(run);
	}
	return err;
}
