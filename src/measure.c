/*
 * measure.c - warm-up and repetitions of one benchmark (see measure.h).
 *
 * A command benchmark gives one sample per metric per invocation.  A
 * benchmark with a "format" runs another harness: its stdout (or its
 * "output" file) is parsed and every result it reports becomes a benchmark
 * "NAME/result" with the harness's own samples.
 */
#include "measure.h"
#include "error.h"
#include "fsutil.h"
#include "import.h"
#include "metric.h"
#include "runner.h"
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CAPTURE_MAX (256u << 20)

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

static int in_family(const char *name, const char *family)
{
	size_t n = strlen(family);
	return !strcmp(name, family) || (!strncmp(name, family, n) && name[n] == '/');
}

pg_bench_result *pg_run_family_failed(const pg_run *run, const char *family)
{
	pg_bench_result *b = pg_run_find_bench(run, family);
	return b && b->failed ? b : NULL;
}

void pg_measure_fail(pg_run *run, const char *family, const char *reason)
{
	size_t keep = 0;
	for (size_t i = 0; i < run->nbenches; i++) {
		if (in_family(run->benches[i].name, family)) {
			pg_bench_result tmp = run->benches[i];
			pg_bench_clear_metrics(&tmp);
			free(tmp.name);
			free(tmp.reason);
			continue;
		}
		run->benches[keep++] = run->benches[i];
	}
	run->nbenches = keep;
	pg_bench_result *b = pg_run_add_bench(run, family);
	b->failed = 1;
	b->reason = pg_strdup(reason);
}

static void fail_process(pg_run *run, const pg_bench_config *bc, const pg_proc_result *r,
			 const char *label)
{
	pg_buf why = PG_BUF_INIT;
	pg_buf_printf(&why, "%s ", label);
	pg_proc_describe(&why, r, bc->timeout);
	pg_measure_fail(run, bc->name, why.ptr);
	pg_buf_free(&why);
}

/* Adds parsed results to the run: all samples, or (collapse) the median of
 * this invocation's samples, so that A/B gets one value per invocation. */
static void add_parsed(pg_run *run, const pg_run *parsed, int collapse)
{
	for (size_t i = 0; i < parsed->nbenches; i++) {
		const pg_bench_result *b = &parsed->benches[i];
		for (size_t m = 0; m < b->nmetrics; m++) {
			const pg_metric_result *mr = &b->metrics[m];
			if (collapse) {
				pg_import_sample(run, b->name, mr->name, mr->unit, mr->higher_is_better,
						 pg_stats_median(mr->samples.v, mr->samples.n));
				continue;
			}
			for (size_t k = 0; k < mr->samples.n; k++)
				pg_import_sample(run, b->name, mr->name, mr->unit, mr->higher_is_better,
						 mr->samples.v[k]);
		}
	}
}

static int import_output(pg_run *run, const pg_bench_config *bc, const char *cwd,
			 const pg_buf *captured, int truncated, int collapse, const char *label)
{
	pg_buf text = PG_BUF_INIT, path = PG_BUF_INIT, why = PG_BUF_INIT;
	pg_run *parsed = pg_run_new();
	int err = 0;
	if (bc->output) {
		pg_path_join(&path, cwd, bc->output);
		err = pg_file_read(&text, path.ptr);
	} else if (truncated) {
		err = pg_error_set(PG_ECORRUPT, "its output exceeded %u MiB", CAPTURE_MAX >> 20);
	} else {
		pg_buf_put(&text, captured->ptr, captured->len);
		pg_buf_puts(&path, "stdout");
	}
	if (err == 0)
		err = pg_import_parse(parsed, (pg_import_format)bc->format, text.ptr, text.len, bc->name,
				      path.ptr);
	if (err == 0) {
		add_parsed(run, parsed, collapse);
	} else {
		pg_buf_printf(&why, "%s: cannot import %s results: %s", label,
			      pg_import_format_name((pg_import_format)bc->format), pg_error_last());
		pg_measure_fail(run, bc->name, why.ptr);
	}
	pg_run_free(parsed);
	pg_buf_free(&text);
	pg_buf_free(&path);
	pg_buf_free(&why);
	return 0;
}

int pg_measure_invocation(pg_run *run, const pg_bench_config *bc, const char *root, int keep,
			  int collapse, const char *label, double *wall_ns)
{
	pg_buf cwd = PG_BUF_INIT, captured = PG_BUF_INIT, out = PG_BUF_INIT;
	pg_proc_spec spec = { bc->argv, NULL, bc->env, bc->timeout, NULL, 0 };
	pg_proc_result r;
	if (bc->cwd && bc->cwd[0] == '/')
		pg_buf_puts(&cwd, bc->cwd);
	else
		pg_path_join(&cwd, root, bc->cwd ? bc->cwd : "");
	spec.cwd = cwd.ptr;
	if (bc->format && !bc->output) {
		spec.capture = &captured;
		spec.capture_max = CAPTURE_MAX;
	}
	if (bc->format && bc->output) {
		/* never read a stale file from an earlier run */
		pg_path_join(&out, cwd.ptr, bc->output);
		if (unlink(out.ptr) < 0 && errno != ENOENT)
			pg_warn("%s: cannot remove the old output file: %s", out.ptr, strerror(errno));
	}
	int err = pg_proc_run(&r, &spec);
	if (err == 0 && r.status == PG_PROC_INTERRUPTED)
		err = pg_error_set(PG_EINTERRUPT, "interrupted while running '%s'", bc->name);
	if (err == 0 && r.status != PG_PROC_OK) {
		fail_process(run, bc, &r, label);
	} else if (err == 0 && keep && bc->format) {
		import_output(run, bc, cwd.ptr, &captured, r.capture_truncated, collapse, label);
	} else if (err == 0 && keep) {
		pg_bench_result *b = pg_run_find_bench(run, bc->name);
		record(b ? b : pg_run_add_bench(run, bc->name), bc, &r);
	}
	if (wall_ns)
		*wall_ns = (double)r.wall_ns;
	pg_proc_result_free(&r);
	pg_buf_free(&cwd);
	pg_buf_free(&captured);
	pg_buf_free(&out);
	return err;
}

int pg_measure_bench(pg_run *run, const pg_bench_config *bc, const char *root,
		     pg_progress_fn progress, void *payload)
{
	size_t before = run->nbenches;
	int err = 0, total = bc->warmup + bc->runs;
	char label[64];

	if (!bc->format)
		pg_run_add_bench(run, bc->name); /* keeps the configured order */
	for (int k = 0; k < total && !pg_run_family_failed(run, bc->name) && err == 0; k++) {
		int warm = k < bc->warmup;
		int i = warm ? k + 1 : k - bc->warmup + 1, n = warm ? bc->warmup : bc->runs;
		if (progress)
			progress(payload, bc->name, warm, i, n);
		snprintf(label, sizeof(label), "%s %d/%d", warm ? "warm-up" : "run", i, n);
		err = pg_measure_invocation(run, bc, root, !warm, 0, label, NULL);
	}
	/* Leave no half-measured benchmark behind. */
	while (err < 0 && run->nbenches > before)
		pg_run_drop_last_bench(run);
	return err;
}
