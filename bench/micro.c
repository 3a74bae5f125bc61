/*
 * micro.c - perfgate's own micro benchmarks, written with perfgate's
 * harness and gated by perfgate (root perfgate.json, "format": "perfgate").
 *
 *   stats/median/N      median of N samples (sorting a copy)
 *   stats/welch/N       Welch's t-test on two samples of N
 *   history/parse/N     parsing a results document with N benchmarks
 *   judge/report/N      judging N benchmarks against a 20-commit baseline
 */
#include <perfgate/bench.h>

#include "baseline.h"
#include "buf.h"
#include "config.h"
#include "report_build.h"
#include "results.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

static double *noisy(size_t n, unsigned seed)
{
	double *v = pg_malloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = 1e6 + (double)(seed >> 8 & 0xffff);
	}
	return v;
}

PG_BENCH_ARGS(stats_median, 1000, 100000)
{
	size_t n = (size_t)pg_bench_arg(st);
	double *v = noisy(n, 1);
	PG_BENCH_LOOP(st) pg_bench_keep(pg_stats_median(v, n));
	pg_bench_counter(st, "samples", (double)n);
	free(v);
}

PG_BENCH_ARGS(stats_welch, 1000, 100000)
{
	size_t n = (size_t)pg_bench_arg(st);
	double *a = noisy(n, 1), *b = noisy(n, 2);
	PG_BENCH_LOOP(st) pg_bench_keep(pg_stats_welch(a, n, b, n, NULL, NULL));
	free(a);
	free(b);
}

static pg_run *big_run(size_t nbench, double scale)
{
	pg_run *run = pg_run_new();
	run->commit = pg_strdup("0123456789012345678901234567890123456789");
	run->testbed = pg_strdup("bench");
	for (size_t i = 0; i < nbench; i++) {
		char name[64];
		snprintf(name, sizeof(name), "suite/bench_%05zu", i);
		pg_bench_result *b = pg_run_add_bench(run, name);
		pg_metric_result *m = pg_bench_metric(b, "wall_time", "ns", 0);
		for (int k = 0; k < 10; k++)
			pg_samples_push(&m->samples, scale * (1e6 + (double)((i * 7919 + (size_t)k * 104729) % 5000)));
	}
	return run;
}

PG_BENCH_ARGS(history_parse, 100, 10000)
{
	size_t n = (size_t)pg_bench_arg(st);
	pg_run *run = big_run(n, 1);
	char *text = pg_run_dump(run);
	PG_BENCH_LOOP(st) {
		json_t *doc = json_loads(text, 0, NULL);
		pg_run *back = NULL;
		pg_run_from_json(&back, doc, "bench");
		pg_bench_keep(back);
		pg_run_free(back);
		json_decref(doc);
	}
	pg_bench_counter(st, "bytes", (double)strlen(text));
	free(text);
	pg_run_free(run);
}

PG_BENCH_ARGS(judge_report, 100, 10000)
{
	size_t n = (size_t)pg_bench_arg(st);
	pg_config *cfg;
	pg_baseline base = { 0 };
	pg_config_parse(&cfg, "{\"benchmarks\": []}", "bench");
	for (int c = 0; c < 20; c++) {
		base.commits = pg_array_grow(base.commits, &base.alloc, base.n + 1, sizeof(*base.commits));
		snprintf(base.commits[base.n].sha, sizeof(base.commits[0].sha), "%040d", c);
		base.commits[base.n++].pooled = big_run(n, 1 + c * 0.001);
	}
	pg_run *cur = big_run(n, 1.05);
	pg_report_opts o = { cfg, "main", NULL, PG_SEV_CRITICAL };
	PG_BENCH_LOOP(st) {
		pg_report *r = pg_report_build(cur, &base, &o);
		pg_bench_keep(r->passed);
		pg_report_free(r);
	}
	pg_bench_counter(st, "benchmarks", (double)n);
	pg_run_free(cur);
	pg_baseline_free(&base);
	pg_config_free(cfg);
}

PG_BENCH_MAIN()
