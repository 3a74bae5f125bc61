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
#include "host.h"
#include "import.h"
#include "metric.h"
#include "counters.h"
#include "runner.h"
#include "rss.h"
#include "stats.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static void record(pg_bench_result *b, const pg_bench_config *bc, const pg_proc_result *r)
{
	const double values[PG_METRIC_COUNT] = {
		[PG_METRIC_WALL_TIME] = (double)r->wall_ns,
		[PG_METRIC_CPU_TIME] = (double)r->cpu_ns,
		[PG_METRIC_MAX_RSS] = (double)r->max_rss_kib,
	};
	for (int id = 0; id < PG_METRIC_COUNT; id++) {
		if (!(bc->metrics & (1u << id)) || (PG_METRICS_COUNTED & (1u << id)) ||
		    id == PG_METRIC_RSS_GROWTH)
			continue;
		const pg_metric_info *mi = pg_metric_info_get((pg_metric_id)id);
		pg_metric_result *m = pg_bench_metric(b, mi->name, mi->unit, mi->higher_is_better);
		pg_samples_push(&m->samples, values[id]);
	}
	/* the slope of the tree's memory, when the run was long enough for one */
	if ((bc->metrics & (1u << PG_METRIC_RSS_GROWTH)) && isfinite(r->rss_growth))
		pg_metric_add_counted(pg_bench_metric(b, "rss_growth", "B/s", 0), r->rss_growth,
				      r->rss_samples);
	/* perf counts, when this run was counted with perf */
	if (r->instructions >= 0)
		pg_samples_push(&pg_bench_metric(b, "instructions", PG_UNIT_INSTR_PERF, 0)->samples,
				(double)r->instructions);
	if (r->cycles >= 0)
		pg_samples_push(&pg_bench_metric(b, "cycles", PG_UNIT_CYCLES_PERF, 0)->samples,
				(double)r->cycles);
}

/* Runs the command once more under valgrind (in a temporary log
 * directory) and records its instruction count. */
static int count_with_valgrind(pg_run *run, const pg_bench_config *bc, const char *cwd,
			       const char *label)
{
	char logopt[4096 + 16];
	const char *vg[8];
	pg_buf dir = PG_BUF_INIT;
	size_t n = 0;
	pg_buf_printf(&dir, "%s/perfgate-vg-XXXXXX", pg_host()->tmpdir);
	if (!mkdtemp(dir.ptr)) {
		int err = pg_error_set(PG_ERUNTIME, "cannot create a directory for valgrind's logs: %s",
				       strerror(errno));
		pg_buf_free(&dir);
		return err;
	}
	pg_valgrind_argv(vg, logopt, dir.ptr);
	while (bc->argv[n])
		n++;
	char **argv = pg_calloc(n + 7, sizeof(*argv));
	for (size_t i = 0; i < 6; i++)
		argv[i] = (char *)vg[i];
	for (size_t i = 0; i < n; i++)
		argv[6 + i] = bc->argv[i];
	/* valgrind is ~50x slower: give it room */
	pg_proc_spec spec = { .argv = argv, .cwd = cwd, .env = bc->env, .timeout = bc->timeout * 100 };
	pg_proc_result r;
	int err = pg_proc_run(&r, &spec);
	int64_t count = err == 0 && r.status == PG_PROC_OK ? pg_valgrind_instructions(dir.ptr) : -1;
	if (err == 0 && r.status == PG_PROC_INTERRUPTED)
		err = pg_error_set(PG_EINTERRUPT, "interrupted while running '%s'", bc->name);
	else if (err == 0 && count < 0) {
		pg_buf why = PG_BUF_INIT;
		pg_buf_printf(&why, "%s under valgrind ", label);
		if (r.status == PG_PROC_OK)
			pg_buf_puts(&why, "reported no instruction count");
		else
			pg_proc_describe(&why, &r, spec.timeout);
		pg_measure_fail(run, bc->name, why.ptr);
		pg_buf_free(&why);
	} else if (err == 0) {
		pg_bench_result *b = pg_run_find_bench(run, bc->name);
		pg_samples_push(&pg_bench_metric(b ? b : pg_run_add_bench(run, bc->name), "instructions",
						 PG_UNIT_INSTR_VALGRIND, 0)->samples, (double)count);
	}
	pg_proc_result_free(&r);
	free(argv);
	pg_rmtree(dir.ptr);
	pg_buf_free(&dir);
	return err;
}

pg_bench_result *pg_run_family_failed(const pg_run *run, const char *family)
{
	pg_bench_result *b = pg_run_find_bench(run, family);
	return b && b->failed ? b : NULL;
}

void pg_measure_fail(pg_run *run, const char *family, const char *reason)
{
	pg_run_remove_family(run, family);
	pg_run_add_failed(run, family, reason);
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

/* Removes the output file an earlier run left, so a stale one is never
 * read (a directory is kept: import_output reads only what this run wrote
 * in it).  The config admits no absolute path and no "..", but the
 * benchmark's cwd or a directory on the way may be a symbolic link: the
 * directory the file is in must resolve to `root` or below, and the file
 * is removed through that resolved path (unlink never follows the last
 * component).  -1 when the output leads out of the tree; 0 otherwise,
 * also when its directory does not resolve (then there is nothing to
 * remove or read). */
static int remove_old_output(const char *path, const char *root)
{
	char *real_root = realpath(root, NULL), *real_dir = NULL;
	pg_buf dir = PG_BUF_INIT, file = PG_BUF_INIT;
	size_t len = strlen(path), n, rn;
	int err = 0;
	while (len > 1 && path[len - 1] == '/')
		len--;
	n = len;
	while (n && path[n - 1] != '/')
		n--;
	pg_buf_put(&dir, path, n);
	if (!dir.len)
		pg_buf_putc(&dir, '.');
	if (!real_root || !(real_dir = realpath(dir.ptr, NULL)))
		goto out; /* no such directory: no file to remove */
	rn = strlen(real_root);
	if (strcmp(real_root, "/") &&
	    (strncmp(real_dir, real_root, rn) || (real_dir[rn] && real_dir[rn] != '/'))) {
		err = -1;
		goto out;
	}
	pg_path_join(&file, real_dir, "");
	pg_buf_put(&file, path + n, len - n);
	if (unlink(file.ptr) < 0 && errno != ENOENT && errno != EISDIR)
		pg_warn("%s: cannot remove the old output file: %s", path, strerror(errno));
out:
	free(real_root);
	free(real_dir);
	pg_buf_free(&dir);
	pg_buf_free(&file);
	return err;
}

/* `since`: when the command started; an output directory's older results
 * are not this run's. */
static int import_output(pg_run *run, const pg_bench_config *bc, const char *cwd,
			 const pg_buf *captured, int truncated, int collapse, const char *label,
			 const struct timespec *since)
{
	pg_buf path = PG_BUF_INIT, why = PG_BUF_INIT;
	pg_run *parsed = pg_run_new();
	int err = 0;
	if (bc->output) {
		pg_path_join(&path, cwd, bc->output);
		err = pg_import_output(parsed, (pg_import_format)bc->format, path.ptr, bc->name, since);
	} else if (truncated) {
		err = pg_error_set(PG_ECORRUPT, "its output exceeded %zu MiB", PG_OUTPUT_MAX >> 20);
	} else {
		err = pg_import_parse(parsed, (pg_import_format)bc->format, captured->ptr,
				      captured->len, bc->name, "stdout");
	}
	if (err == 0) {
		add_parsed(run, parsed, collapse);
	} else {
		/* the message may quote the tool's output or a file name: repaired,
		 * the reason can be stored and reported */
		pg_buf_printf(&why, "%s: cannot import %s results: ", label,
			      pg_import_format_name((pg_import_format)bc->format));
		pg_utf8_repair(&why, pg_error_last());
		pg_measure_fail(run, bc->name, why.ptr);
	}
	pg_run_free(parsed);
	pg_buf_free(&path);
	pg_buf_free(&why);
	return 0;
}

int pg_measure_invocation(pg_run *run, const pg_bench_config *bc, const pg_invocation *inv)
{
	pg_buf cwd = PG_BUF_INIT, captured = PG_BUF_INIT, out = PG_BUF_INIT;
	pg_proc_spec spec = { .argv = bc->argv, .env = bc->env, .timeout = bc->timeout,
			      .pinned = bc->cpu >= 0, .cpu = bc->cpu,
			      .sample_rss = !bc->format && (bc->metrics & (1u << PG_METRIC_RSS_GROWTH)) };
	pg_counter_source src = PG_COUNTERS_NONE;
	struct timespec started;
	pg_proc_result r;
	int err = 0;
	if (bc->cwd && bc->cwd[0] == '/')
		pg_buf_puts(&cwd, bc->cwd);
	else
		pg_path_join(&cwd, inv->root, bc->cwd ? bc->cwd : "");
	spec.cwd = cwd.ptr;
	if (inv->keep && !bc->format && (bc->metrics & PG_METRICS_COUNTED)) {
		if ((err = pg_counters_probe(&src, !!(bc->metrics & (1u << PG_METRIC_CYCLES)))) < 0)
			goto out;
		spec.perf_instructions = src == PG_COUNTERS_PERF &&
					 (bc->metrics & (1u << PG_METRIC_INSTRUCTIONS));
		spec.perf_cycles = src == PG_COUNTERS_PERF && (bc->metrics & (1u << PG_METRIC_CYCLES));
	}
	if (bc->format && !bc->output) {
		spec.capture = &captured;
		spec.capture_max = PG_OUTPUT_MAX;
	}
	if (bc->format && bc->output) {
		pg_path_join(&out, cwd.ptr, bc->output);
		if (remove_old_output(out.ptr, inv->root) < 0) {
			pg_buf why = PG_BUF_INIT;
			pg_buf_printf(&why, "%s: \"output\" '", inv->label);
			pg_utf8_printable(&why, bc->output, 100);
			pg_buf_puts(&why, "' leads out of the repository through a symbolic link: "
				    "not removed, not run");
			pg_measure_fail(run, bc->name, why.ptr);
			pg_buf_free(&why);
			goto out;
		}
	}
	/* The coarse clock is the one the kernel stamps file times with, so a
	 * file written after this point never looks older than `started`. */
	clock_gettime(CLOCK_REALTIME_COARSE, &started);
	err = pg_proc_run(&r, &spec);
	if (err == 0 && r.status == PG_PROC_INTERRUPTED)
		err = pg_error_set(PG_EINTERRUPT, "interrupted while running '%s'", bc->name);
	if (err == 0 && r.status != PG_PROC_OK) {
		fail_process(run, bc, &r, inv->label);
	} else if (err == 0 && inv->keep && bc->format) {
		import_output(run, bc, cwd.ptr, &captured, r.capture_truncated, inv->collapse, inv->label,
			      &started);
	} else if (err == 0 && inv->keep) {
		pg_bench_result *b = pg_run_find_bench(run, bc->name);
		record(b ? b : pg_run_add_bench(run, bc->name), bc, &r);
		if (src == PG_COUNTERS_VALGRIND && inv->valgrind)
			err = count_with_valgrind(run, bc, cwd.ptr, inv->label);
	}
	if (inv->wall_ns)
		*inv->wall_ns = (double)r.wall_ns;
	pg_proc_result_free(&r);
out:
	pg_buf_free(&cwd);
	pg_buf_free(&captured);
	pg_buf_free(&out);
	return err;
}

/* The metric "runs": "auto" watches: wall time, else the first recorded. */
static const pg_metric_result *primary(const pg_run *run, const char *name)
{
	const pg_bench_result *b = pg_run_find_bench(run, name);
	if (!b || !b->nmetrics)
		return NULL;
	const pg_metric_result *m = pg_bench_find_metric(b, "wall_time");
	return m ? m : &b->metrics[0];
}

/* Whether an adaptive benchmark may stop: enough runs and a median known
 * to within `precision` % (95 % order-statistic interval). */
static int precise_enough(const pg_run *run, const pg_bench_config *bc, int done)
{
	const pg_metric_result *m = primary(run, bc->name);
	return done >= bc->min_runs && m &&
	       pg_stats_median_precise(m->samples.v, m->samples.n, bc->precision);
}

/* Valgrind is slow and its count deterministic: a few runs suffice. */
#define VALGRIND_RUNS 3

int pg_measure_bench(pg_run *run, const pg_bench_config *bc, const char *root,
		     pg_progress_fn progress, void *payload)
{
	size_t before = run->nbenches;
	int err = 0, total = bc->warmup + bc->runs;
	char label[64];
	uint64_t start = 0;

	if (!bc->format)
		pg_run_add_bench(run, bc->name); /* keeps the configured order */
	for (int k = 0; k < total && !pg_run_family_failed(run, bc->name) && err == 0; k++) {
		int warm = k < bc->warmup, i = warm ? k + 1 : k - bc->warmup + 1;
		int n = warm ? bc->warmup : bc->runs_auto ? 0 : bc->runs;
		pg_invocation inv = { root, !warm, 0, !warm && i <= VALGRIND_RUNS, label, NULL };
		if (!warm && i == 1)
			start = pg_now_ns();
		if (progress)
			progress(payload, bc->name, warm, i, n);
		if (n)
			snprintf(label, sizeof(label), "%s %d/%d", warm ? "warm-up" : "run", i, n);
		else
			snprintf(label, sizeof(label), "run %d", i);
		err = pg_measure_invocation(run, bc, &inv);
		if (bc->runs_auto && !warm &&
		    (precise_enough(run, bc, i) || (pg_now_ns() - start) / 1e9 >= bc->max_time))
			break;
	}
	/* Leave no half-measured benchmark behind. */
	while (err < 0 && run->nbenches > before)
		pg_run_drop_last_bench(run);
	const pg_bench_result *b = err == 0 ? pg_run_find_bench(run, bc->name) : NULL;
	if (b && !b->failed && !bc->format && (bc->metrics & (1u << PG_METRIC_RSS_GROWTH)) &&
	    !pg_bench_find_metric(b, "rss_growth"))
		pg_warn("%s: no rss_growth: no run lasted long enough for %d samples of its memory "
			"(one every 100 ms, from 100 ms in)", bc->name, PG_RSS_MIN_SAMPLES);
	return err;
}
