/*
 * report_fixture.h - the judged report the report tests share: five
 * baseline commits near 1 ms, a run with a +30 % and a -30 % change, a
 * noisy benchmark of a hostile name and a crash (static: each test program
 * uses what it needs).
 */
#ifndef PG_TEST_REPORT_FIXTURE_H
#define PG_TEST_REPORT_FIXTURE_H

#include "config.h"
#include "helpers.h"
#include "report_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __attribute__((unused)) pg_config *config(void)
{
	pg_config *cfg;
	assert_int_equal(pg_config_parse(&cfg, "{\"benchmarks\": []}", "t.json"), 0);
	return cfg;
}

static __attribute__((unused)) void add(pg_run *run, const char *bench, double value)
{
	pg_bench_result *b = pg_run_find_bench(run, bench);
	if (!b)
		b = pg_run_add_bench(run, bench);
	pg_metric_result *m = pg_bench_metric(b, "wall_time", "ns", 0);
	pg_samples_push(&m->samples, value);
}

/* Five baseline commits where "slow" and "fast" and "steady" all sit
 * near 1 ms; the current run makes slow +30 %, fast -30 %. */
static __attribute__((unused)) void fixture(pg_baseline *base, pg_run **cur, const char *hostile)
{
	memset(base, 0, sizeof(*base));
	for (int i = 0; i < 5; i++) {
		pg_run *r = pg_run_new();
		r->commit = pg_strdup("0000000000000000000000000000000000000000");
		add(r, "slow", 1000000 + i * 1000);
		add(r, "fast", 1000000 + i * 1000);
		add(r, "steady", 1000000 + i * 1000);
		add(r, hostile, 1000000 + (i % 2) * 200000); /* noisy: listed so, by name */
		base->commits = pg_array_grow(base->commits, &base->alloc, base->n + 1,
					      sizeof(*base->commits));
		snprintf(base->commits[base->n].sha, sizeof(base->commits[0].sha), "%040d", i);
		base->commits[base->n].failed = NULL;
		base->commits[base->n++].pooled = r;
	}
	pg_run *c = pg_run_new();
	c->commit = pg_strdup("abcdefabcdefabcdefabcdefabcdefabcdefabcd");
	c->testbed = pg_strdup("tb");
	add(c, "steady", 1002000);
	add(c, "fast", 700000);
	add(c, "slow", 1300000);
	add(c, hostile, 1002000);
	pg_bench_result *f = pg_run_add_bench(c, "crashy");
	f->failed = 1;
	f->reason = pg_strdup("run 1/10 killed by signal 11");
	*cur = c;
}


/* The fixture judged: a hostile name, and a crash with the given reason. */
typedef struct judged {
	pg_config *cfg;
	pg_baseline base;
	pg_run *cur;
	pg_report *r;
} judged;

static __attribute__((unused)) void judged_build(judged *j, const char *hostile, const char *crash_reason, int fail_on)
{
	j->cfg = config();
	fixture(&j->base, &j->cur, hostile);
	free(pg_run_find_bench(j->cur, "crashy")->reason);
	pg_run_find_bench(j->cur, "crashy")->reason = pg_strdup(crash_reason);
	pg_report_opts o = { j->cfg, "main", "1234567890123456789012345678901234567890", fail_on };
	j->r = pg_report_build(j->cur, &j->base, &o);
}

static __attribute__((unused)) void judged_free(judged *j)
{
	pg_report_free(j->r);
	pg_run_free(j->cur);
	pg_baseline_free(&j->base);
	pg_config_free(j->cfg);
}

/* JUnit XML: counts, a <failure> for what fails the gate, an <error> for
 * the crash, and names and reasons that cannot break out of the XML. */

#endif
