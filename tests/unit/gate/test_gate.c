/*
 * test_gate.c - the gate's functions that can be called directly (gate.h,
 * report_build.h): stamping definitions, the `missing` rows of results that
 * disappear (from the newest baseline commit and from the base's
 * perfgate.json), the `missing` rows of changed definitions, the results
 * stored for HEAD, and pg_gate_judge on a real repository and store with
 * seeded results.  (The definition fingerprint itself is in
 * tests/unit/store/test_baseline.c.)
 */
#include "config.h"
#include "error.h"
#include "gate.h"
#include "helpers.h"
#include "report_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static pg_config *config(const char *json)
{
	pg_config *cfg = NULL;
	if (pg_config_parse(&cfg, json, "perfgate.json") < 0)
		fail_msg("%s", pg_error_last());
	return cfg;
}

/* Adds result `name` to `run` with 10 seeded samples around `mean` and
 * definition `def` (NULL: none, as imported), or a failure when mean is 0. */
static void result(pg_run *run, const char *name, double mean, const char *def)
{
	if (mean == 0) {
		pg_bench_result *f = pg_run_add_failed(run, name, "exited with status 3");
		f->definition = def ? pg_strdup(def) : NULL;
		return;
	}
	pg_bench_result *b = pg_run_add_bench(run, name);
	pg_metric_result *m = pg_bench_metric(b, "wall_time", "ns", 0);
	double x[10];
	th_samples(x, 10, mean, 0.01);
	for (int i = 0; i < 10; i++)
		pg_samples_push(&m->samples, x[i]);
	b->definition = def ? pg_strdup(def) : NULL;
}

static pg_run *new_run(const char *sha)
{
	pg_run *run = pg_run_new();
	run->commit = pg_strdup(sha);
	run->testbed = pg_strdup("tb");
	return run;
}

static const pg_result_row *row_of(const pg_report *r, const char *bench)
{
	const pg_result_row *found = NULL;
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].bench, bench)) {
			if (found && !found->metric)
				fail_msg("two status rows for %s", bench);
			found = &r->rows[i];
		}
	return found;
}

static void test_gate__stamp_definition(void **state)
{
	(void)state;
	pg_config *cfg = config("{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}, "
				"{\"name\": \"ab\", \"command\": \"false\"}]}");
	char da[PG_DEFINITION_LEN + 1], dab[PG_DEFINITION_LEN + 1];
	pg_gate_definition(&cfg->benches[0], da);
	pg_gate_definition(&cfg->benches[1], dab);
	assert_true(pg_definition_valid(da));
	assert_string_not_equal(da, dab);
	pg_run *run = new_run(SHA_A);
	th_rng_seed(1);
	result(run, "a", 1e6, NULL);
	result(run, "a/sub", 1e6, NULL);  /* a result of family "a" (a harness's) */
	result(run, "ab", 1e6, NULL);     /* another benchmark, not of family "a" */
	result(run, "a-b", 1e6, NULL);
	pg_gate_stamp_definition(run, &cfg->benches[0]);
	assert_string_equal(pg_run_find_bench(run, "a")->definition, da);
	assert_string_equal(pg_run_find_bench(run, "a/sub")->definition, da);
	assert_null(pg_run_find_bench(run, "ab")->definition);
	assert_null(pg_run_find_bench(run, "a-b")->definition);
	pg_gate_stamp_definition(run, &cfg->benches[1]);
	assert_string_equal(pg_run_find_bench(run, "ab")->definition, dab);
	assert_string_equal(pg_run_find_bench(run, "a")->definition, da);
	pg_run_free(run);
	pg_config_free(cfg);
}

/* A result of the newest baseline commit that this run lacks is missing,
 * unless: the run has it failed, it was imported (no definition) and is
 * not in the config, it is retired, or it has a status row already. */
static void test_gate__missing_rows(void **state)
{
	(void)state;
	pg_config *cfg = config("{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}, "
				"{\"name\": \"crash\", \"command\": \"true\"}, {\"name\": \"cfg\", "
				"\"command\": \"true\"}], \"retired\": [\"old\", \"gonecfg\"]}");
	pg_config *base_cfg = config("{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}, "
				     "{\"name\": \"fromcfg\", \"command\": \"true\"}, {\"name\": "
				     "\"gonecfg\", \"command\": \"true\"}, {\"name\": \"cfg\", "
				     "\"command\": \"true\"}]}");
	const char *def = "00000000000000aa";
	th_rng_seed(2);
	pg_run *newest = new_run(SHA_B), *older = new_run(SHA_A);
	result(newest, "a", 1e6, def);
	result(newest, "gone", 1e6, def);       /* deleted: missing */
	result(newest, "imported", 1e6, NULL);  /* imported, not in the config: not counted */
	result(newest, "old", 1e6, def);        /* retired: a warning */
	result(newest, "flaky", 0, def);        /* failed there, deleted since: missing */
	result(newest, "crash", 1e6, def);      /* failed in this run: failed, not missing */
	result(newest, "listed", 1e6, def);     /* has a status row already */
	result(older, "ancient", 1e6, def);     /* only in an older commit: not counted */
	pg_baseline base;
	pg_baseline_init(&base, NULL, NULL);
	assert_true(pg_baseline_add(&base, SHA_B, &newest, 1, 0));
	assert_true(pg_baseline_add(&base, SHA_A, &older, 1, 0));
	pg_run *cur = new_run("cccccccccccccccccccccccccccccccccccccccc");
	result(cur, "a", 1e6, def);
	result(cur, "crash", 0, NULL);
	pg_report *r = pg_calloc(1, sizeof(*r));
	pg_report_add_status(r, "listed", PG_SEV_FAILED, "said already");
	th_capture_warnings();
	pg_report_add_missing(r, cur, &base, cfg, base_cfg, SHA_A);
	pg_report_finish(r);

	const pg_result_row *gone = row_of(r, "gone"), *flaky = row_of(r, "flaky");
	assert_non_null(gone);
	assert_int_equal(gone->v.severity, PG_SEV_MISSING);
	assert_non_null(strstr(gone->reason, "in the baseline at bbbbbbbbbbbb but not in this run"));
	assert_non_null(strstr(gone->reason, "\"retired\""));
	assert_non_null(flaky);
	assert_int_equal(flaky->v.severity, PG_SEV_MISSING);
	assert_non_null(strstr(flaky->reason, "(where it failed)"));
	assert_null(row_of(r, "imported"));
	assert_null(row_of(r, "old"));
	assert_null(row_of(r, "crash"));
	assert_null(row_of(r, "ancient"));
	assert_null(row_of(r, "a"));
	assert_int_equal(row_of(r, "listed")->v.severity, PG_SEV_FAILED);
	/* the base's perfgate.json: a benchmark it has and this one lacks */
	const pg_result_row *fromcfg = row_of(r, "fromcfg");
	assert_non_null(fromcfg);
	assert_int_equal(fromcfg->v.severity, PG_SEV_MISSING);
	assert_non_null(strstr(fromcfg->reason, "in perfgate.json at aaaaaaaaaaaa (the base)"));
	assert_null(row_of(r, "gonecfg"));
	assert_null(row_of(r, "cfg")); /* in both configs, not run: not the base's to say */
	assert_non_null(strstr(th_warnings(), "old: retired"));
	assert_non_null(strstr(th_warnings(), "gonecfg: retired"));
	/* missing fails the gate */
	assert_false(r->passed);
	pg_report_free(r);

	/* without a baseline or a base config: nothing to miss */
	r = pg_calloc(1, sizeof(*r));
	pg_report_add_missing(r, cur, NULL, cfg, NULL, NULL);
	assert_int_equal(r->nrows, 0);
	pg_report_free(r);
	pg_baseline_free(&base);
	pg_run_free(newest);
	pg_run_free(older);
	pg_run_free(cur);
	pg_config_free(cfg);
	pg_config_free(base_cfg);
}

/* A result whose baseline holds samples under another definition only is
 * missing (its history ends), naming what changed when the base's config
 * has the benchmark; not when some history has its definition. */
static void test_gate__redefined_rows(void **state)
{
	(void)state;
	pg_config *cfg = config("{\"benchmarks\": [{\"name\": \"a\", \"command\": \"sleep 0\"}, "
				"{\"name\": \"b\", \"command\": \"true\"}, {\"name\": \"r\", "
				"\"command\": \"true\"}], \"retired\": [\"r\"]}");
	pg_config *base_cfg = config("{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}, "
				     "{\"name\": \"b\", \"command\": \"true\"}]}");
	char now[PG_DEFINITION_LEN + 1], then[PG_DEFINITION_LEN + 1];
	pg_gate_definition(&cfg->benches[0], now);
	pg_gate_definition(&base_cfg->benches[0], then);
	th_rng_seed(3);
	pg_run *cur = new_run("cccccccccccccccccccccccccccccccccccccccc");
	result(cur, "a", 1e6, now);
	result(cur, "b", 1e6, then); /* b's definition did not change */
	result(cur, "r", 1e6, now);
	pg_run *stored = new_run(SHA_B);
	result(stored, "a", 1e6, then);
	result(stored, "b", 1e6, then);
	result(stored, "r", 1e6, then);
	pg_baseline base;
	pg_baseline_init(&base, cur, NULL);
	pg_baseline_add(&base, SHA_B, &stored, 1, 0);
	pg_report *r = pg_calloc(1, sizeof(*r));
	th_capture_warnings();
	pg_report_add_redefined(r, cur, &base, cfg, base_cfg);
	pg_report_finish(r);
	const pg_result_row *a = row_of(r, "a");
	assert_non_null(a);
	assert_int_equal(a->v.severity, PG_SEV_MISSING);
	assert_non_null(strstr(a->reason, "definition changed at bbbbbbbbbbbb"));
	assert_non_null(strstr(a->reason, "command"));
	assert_null(row_of(r, "b"));
	assert_null(row_of(r, "r"));
	assert_non_null(strstr(th_warnings(), "r: retired"));
	pg_report_free(r);
	/* without the base's config: the row, without the fields */
	r = pg_calloc(1, sizeof(*r));
	pg_report_add_redefined(r, cur, &base, cfg, NULL);
	assert_non_null(row_of(r, "a"));
	assert_null(strstr(row_of(r, "a")->reason, "command"));
	pg_report_free(r);
	/* a failed result in this run gets no such row */
	pg_run_free(cur);
	cur = new_run("cccccccccccccccccccccccccccccccccccccccc");
	result(cur, "a", 0, NULL);
	r = pg_calloc(1, sizeof(*r));
	pg_report_add_redefined(r, cur, &base, cfg, base_cfg);
	assert_int_equal(r->nrows, 0);
	pg_report_free(r);
	pg_baseline_free(&base);
	pg_run_free(stored);
	pg_run_free(cur);
	pg_config_free(cfg);
	pg_config_free(base_cfg);
}

/* A real repository: perfgate.json committed, four commits on main with
 * stored seeded results, HEAD on a branch. */
typedef struct repo_fixture {
	char *dir;
	pg_repo *repo;
	pg_store *store;
	pg_config *cfg;
	char sha[5][PG_SHA_LEN + 1];
} repo_fixture;

#define CONFIG_JSON "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}, " \
		    "{\"name\": \"b\", \"command\": \"true\"}]}"

static void repo_open(repo_fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->dir = th_git_repo();
	th_write(f->dir, "perfgate.json", CONFIG_JSON);
	th_sh(f->dir, "git add perfgate.json && git commit -q -m c0 && "
		      "for i in 1 2 3; do git commit -q --allow-empty -m c$i; done && "
		      "git checkout -q -b feature && git commit -q --allow-empty -m head");
	assert_int_equal(pg_repo_open(&f->repo, f->dir), 0);
	assert_int_equal(pg_store_open(&f->store, "dir:.perfgate/history", f->dir, NULL), 0);
	char path[512];
	snprintf(path, sizeof(path), "%s/perfgate.json", f->dir);
	assert_int_equal(pg_config_load(&f->cfg, path), 0);
	for (int i = 0; i < 5; i++) {
		char rev[16];
		snprintf(rev, sizeof(rev), "HEAD~%d", 4 - i);
		assert_int_equal(pg_repo_resolve(f->repo, rev, f->sha[i]), 0);
	}
}

static void repo_close(repo_fixture *f)
{
	pg_config_free(f->cfg);
	pg_store_free(f->store);
	pg_repo_free(f->repo);
	th_rmrf(f->dir);
	free(f->dir);
}

/* A run at commit i as `perfgate run` stores it: a and b, stamped. */
static pg_run *gate_run(repo_fixture *f, int i, double a, double b)
{
	pg_run *run = new_run(f->sha[i]);
	result(run, "a", a, NULL);
	result(run, "b", b, NULL);
	for (size_t k = 0; k < f->cfg->nbenches; k++)
		pg_gate_stamp_definition(run, &f->cfg->benches[k]);
	return run;
}

static void test_gate__judge(void **state)
{
	(void)state;
	repo_fixture f;
	repo_open(&f);
	pg_gate_env env = { f.cfg, f.repo, f.store, f.sha[4], "tb" };
	th_rng_seed(4);
	/* nothing stored: every result new, and a warning that nothing was judged */
	pg_run *cur = gate_run(&f, 4, 1.5e6, 1e6);
	pg_report *r = NULL;
	th_capture_warnings();
	assert_int_equal(pg_gate_judge(&r, &env, cur, NULL, PG_SEV_CRITICAL), 0);
	assert_int_equal(row_of(r, "a")->v.severity, PG_SEV_NEW);
	assert_true(r->passed);
	assert_non_null(strstr(th_warnings(), "nothing was judged"));
	pg_report_free(r);

	for (int i = 0; i < 4; i++) {
		pg_run *run = gate_run(&f, i, 1e6, 1e6);
		assert_int_equal(pg_store_save(f.store, run), 0);
		pg_run_free(run);
	}
	/* a +50 % on a against main's four commits: critical, the gate fails */
	assert_int_equal(pg_gate_judge(&r, &env, cur, NULL, PG_SEV_CRITICAL), 0);
	assert_string_equal(r->base_ref, "main");
	assert_string_equal(r->base_commit, f.sha[3]);
	assert_int_equal(r->baseline_commits, 4);
	assert_int_equal(row_of(r, "a")->v.severity, PG_SEV_CRITICAL);
	assert_true(row_of(r, "b")->v.severity <= PG_SEV_NOTICE);
	assert_false(r->passed);
	pg_report_free(r);
	/* fail_on never: reported, not failed */
	assert_int_equal(pg_gate_judge(&r, &env, cur, NULL, PG_FAIL_NEVER), 0);
	assert_true(r->passed);
	pg_report_free(r);
	/* against another base revision: only the commits up to it */
	assert_int_equal(pg_gate_judge(&r, &env, cur, f.sha[1], PG_SEV_CRITICAL), 0);
	assert_int_equal(r->baseline_commits, 2);
	assert_string_equal(r->base_commit, f.sha[1]);
	pg_report_free(r);
	/* a base that does not resolve: a runtime error, no report */
	assert_int_equal(pg_gate_judge(&r, &env, cur, "no-such-branch", PG_SEV_CRITICAL),
			 PG_ERUNTIME);
	assert_null(r);
	pg_run_free(cur);

	/* b deleted from the config and the run: missing (stored at main, and
	 * in main's perfgate.json) */
	pg_config *only_a = config("{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}");
	free(only_a->path);
	only_a->path = pg_strdup(f.cfg->path);
	env.cfg = only_a;
	cur = new_run(f.sha[4]);
	result(cur, "a", 1e6, NULL);
	pg_gate_stamp_definition(cur, &only_a->benches[0]);
	assert_int_equal(pg_gate_judge(&r, &env, cur, NULL, PG_SEV_CRITICAL), 0);
	assert_non_null(row_of(r, "b"));
	assert_int_equal(row_of(r, "b")->v.severity, PG_SEV_MISSING);
	assert_false(r->passed);
	pg_report_free(r);
	pg_run_free(cur);
	pg_config_free(only_a);
	repo_close(&f);
}

/* The runs stored for HEAD, pooled; the newest run's failures count. */
static void test_gate__stored_current(void **state)
{
	(void)state;
	repo_fixture f;
	repo_open(&f);
	pg_gate_env env = { f.cfg, f.repo, f.store, f.sha[4], "tb" };
	pg_run *cur = (pg_run *)1;
	assert_int_equal(pg_gate_stored_current(&cur, &env), PG_ENOTFOUND);
	assert_null(cur);
	assert_non_null(strstr(pg_error_last(), "no results stored for HEAD"));
	th_rng_seed(5);
	pg_run *one = gate_run(&f, 4, 1e6, 1e6), *two = gate_run(&f, 4, 1e6, 0);
	assert_int_equal(pg_store_save(f.store, one), 0);
	assert_int_equal(pg_store_save(f.store, two), 0);
	assert_int_equal(pg_gate_stored_current(&cur, &env), 0);
	assert_string_equal(cur->commit, f.sha[4]);
	const pg_bench_result *a = pg_run_find_bench(cur, "a"), *b = pg_run_find_bench(cur, "b");
	assert_int_equal(pg_bench_find_metric(a, "wall_time")->samples.n, 20);
	assert_true(b->failed); /* failed in the newest run */
	pg_run_free(cur);
	/* another testbed has none */
	env.testbed = "other";
	assert_int_equal(pg_gate_stored_current(&cur, &env), PG_ENOTFOUND);
	pg_run_free(one);
	pg_run_free(two);
	repo_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate__stamp_definition),
		cmocka_unit_test(test_gate__missing_rows),
		cmocka_unit_test(test_gate__redefined_rows),
		cmocka_unit_test(test_gate__judge),
		cmocka_unit_test(test_gate__stored_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
