/*
 * gate.c - measuring, baselining and judging (see gate.h).
 */
#include "gate.h"
#include "gate_drift.h"
#include "baseline.h"
#include "budget.h"
#include "complexity_check.h"
#include "error.h"
#include "counters.h"
#include "import.h"
#include "metric.h"
#include "runner.h"
#include "setup.h"
#include "sha256.h"
#include "testbed.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One field of the definition: its tag, then the value with its length
 * ("-" for none), so that no two definitions hash the same bytes. */
static void def_field(pg_sha256 *c, const char *tag, const char *value)
{
	char len[32];
	snprintf(len, sizeof(len), " %zu:", value ? strlen(value) : 0);
	pg_sha256_update(c, tag, strlen(tag));
	if (!value) {
		pg_sha256_update(c, " -\n", 3);
		return;
	}
	pg_sha256_update(c, len, strlen(len));
	pg_sha256_update(c, value, strlen(value));
	pg_sha256_update(c, "\n", 1);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void pg_gate_definition(const pg_bench_config *bc, char out[PG_DEFINITION_LEN + 1])
{
	pg_sha256 c;
	unsigned char digest[32];
	size_t nenv = 0;
	pg_sha256_init(&c);
	def_field(&c, "perfgate-definition", "1");
	for (size_t i = 0; bc->argv && bc->argv[i]; i++)
		def_field(&c, "argv", bc->argv[i]);
	def_field(&c, "cwd", bc->cwd);
	while (bc->env && bc->env[nenv])
		nenv++;
	char **env = pg_calloc(nenv + 1, sizeof(*env));
	memcpy(env, bc->env ? bc->env : env, nenv * sizeof(*env));
	qsort(env, nenv, sizeof(*env), cmp_str);
	for (size_t i = 0; i < nenv; i++)
		def_field(&c, "env", env[i]);
	free(env);
	def_field(&c, "format", bc->format ? pg_import_format_name((pg_import_format)bc->format) : NULL);
	def_field(&c, "output", bc->output);
	for (int id = 0; id < PG_METRIC_COUNT; id++)
		if (!bc->format && (bc->metrics & (1u << id)))
			def_field(&c, "metric", pg_metric_info_get((pg_metric_id)id)->name);
	pg_sha256_final(&c, digest);
	for (int i = 0; i < PG_DEFINITION_LEN / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

void pg_gate_stamp_definition(pg_run *run, const pg_bench_config *bc)
{
	char def[PG_DEFINITION_LEN + 1];
	pg_gate_definition(bc, def);
	pg_run_set_definition(run, bc->name, def);
}

pg_run *pg_gate_new_run(const char *commit, const char *testbed)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	pg_run *run = pg_run_new();
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	run->commit = pg_strdup(commit);
	run->testbed = pg_strdup(testbed);
	run->timestamp = pg_strdup(stamp);
	run->environment = pg_testbed_environment();
	return run;
}

/* Runs the config's "environment" commands and records the first line of
 * each one's output (repaired to UTF-8: a Latin-1 compiler banner must not
 * vanish); which benchmarks are pinned to a CPU. */
static void capture_environment(json_t *e, const pg_config *cfg)
{
	json_t *pinned = json_object();
	for (size_t i = 0; i < cfg->nenv; i++) {
		char *argv[] = { "/bin/sh", "-c", cfg->env_commands[i], NULL };
		pg_buf out = PG_BUF_INIT;
		pg_proc_spec spec = { .argv = argv, .timeout = 10, .capture = &out, .capture_max = 4096 };
		pg_proc_result r;
		if (pg_proc_run(&r, &spec) == 0 && r.status == PG_PROC_OK) {
			/* the command's bytes, repaired: JSON holds only UTF-8 */
			pg_buf line = PG_BUF_INIT;
			out.ptr[strcspn(out.ptr, "\n")] = '\0';
			pg_utf8_repair(&line, out.ptr);
			json_object_set_new(e, cfg->env_names[i], json_stringn(line.ptr, line.len));
			pg_buf_free(&line);
		} else {
			pg_warn("environment \"%s\": `%s` failed; not recorded", cfg->env_names[i],
				cfg->env_commands[i]);
		}
		pg_proc_result_free(&r);
		pg_buf_free(&out);
	}
	for (size_t i = 0; i < cfg->nbenches; i++)
		if (cfg->benches[i].cpu >= 0)
			json_object_set_new(pinned, cfg->benches[i].name, json_integer(cfg->benches[i].cpu));
	json_object_set_new(e, "pinned", pinned);
}

/* Fails fast when a benchmark wants instruction counts nothing can give. */
static int check_counters(const pg_config *cfg)
{
	for (size_t i = 0; i < cfg->nbenches; i++) {
		const pg_bench_config *b = &cfg->benches[i];
		pg_counter_source src;
		int err;
		if (!(b->metrics & PG_METRICS_COUNTED))
			continue;
		err = pg_counters_probe(&src, !!(b->metrics & (1u << PG_METRIC_CYCLES)));
		if (err < 0)
			return pg_error_wrap(err, "benchmark '%s'", b->name);
	}
	return 0;
}

int pg_gate_run(pg_run **out, const pg_gate_env *env, pg_progress_fn progress, void *payload)
{
	int err;
	pg_run *run = pg_gate_new_run(env->head, env->testbed);
	*out = NULL;
	run->branch = pg_repo_branch(env->repo);
	if ((err = check_counters(env->cfg)) < 0 || (err = pg_repo_is_dirty(env->repo, &run->dirty)) < 0)
		goto fail;
	capture_environment(run->environment, env->cfg);
	pg_testbed_warn(run->environment);
	if ((err = pg_setup_side(env->cfg->setup, NULL, pg_repo_workdir(env->repo), "HEAD")) < 0)
		goto fail;
	run->durations = json_object();
	for (size_t i = 0; i < env->cfg->nbenches; i++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		err = pg_setup_side(NULL, &env->cfg->benches[i], pg_repo_workdir(env->repo), "HEAD");
		if (err == 0)
			err = pg_measure_bench(run, &env->cfg->benches[i], pg_repo_workdir(env->repo),
					       progress, payload);
		if (err < 0)
			goto fail;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* how long it took: what `run --shard` balances by next time */
		json_object_set_new(run->durations, env->cfg->benches[i].name,
				    json_real((double)(t1.tv_sec - t0.tv_sec) +
					      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9));
		pg_gate_stamp_definition(run, &env->cfg->benches[i]);
	}
	*out = run;
	return 0;
fail:
	pg_run_free(run);
	return err;
}

int pg_gate_stored_current(pg_run **out, const pg_gate_env *env)
{
	pg_run **runs, *pooled = NULL;
	pg_baseline pool;
	size_t n;
	int err = pg_store_load(env->store, env->head, env->testbed, &runs, &n);
	*out = NULL;
	if (err < 0)
		return err;
	/* The newest run's definitions and units are the reference: older runs
	 * measured otherwise (an edited perfgate.json on a dirty tree) are left
	 * out, and said so. */
	pg_baseline_init(&pool, NULL, NULL);
	if (pg_baseline_add(&pool, env->head, runs, n, 1)) {
		pooled = pool.commits[0].pooled;
		pg_run_free(pool.commits[0].failed);
		pool.n = 0;
	}
	pg_baseline_warn(&pool, PG_NOTES_HEAD);
	pg_baseline_free(&pool);
	if (!pooled && n) {
		/* Every stored result failed: the failures are what to report. */
		pooled = pg_run_new();
		pooled->commit = pg_strdup(runs[n - 1]->commit);
		pooled->testbed = pg_strdup(runs[n - 1]->testbed);
		for (size_t i = 0; i < n; i++)
			pooled->dirty |= runs[i]->dirty;
	}
	if (pooled) {
		/* Describe the pooled result by its newest run. */
		const pg_run *last = runs[n - 1];
		pooled->branch = last->branch ? pg_strdup(last->branch) : NULL;
		pooled->timestamp = last->timestamp ? pg_strdup(last->timestamp) : NULL;
		/* Failed benchmarks of the newest run still count as failed, even
		 * where an older run of HEAD has samples of them. */
		for (size_t i = 0; i < last->nbenches; i++) {
			const pg_bench_result *b = &last->benches[i];
			if (b->failed)
				pg_measure_fail(pooled, b->name, b->reason ? b->reason : "failed");
		}
	}
	pg_runs_free(runs, n);
	if (!pooled)
		return pg_error_set(PG_ENOTFOUND,
				    "no results stored for HEAD (%.12s) on testbed '%s'; run "
				    "`perfgate run` first, or use `perfgate check`",
				    env->head, env->testbed);
	*out = pooled;
	return 0;
}

/* Whether the run has anything to judge (a result that did not fail). */
static int has_results(const pg_run *run)
{
	for (size_t i = 0; i < run->nbenches; i++)
		if (!run->benches[i].failed)
			return 1;
	return 0;
}

/* No commit had results to compare with (and nothing was left out for
 * another definition or unit): every result is `new` and the gate passes
 * having judged nothing, which must not go unseen. */
static void warn_no_history(const pg_gate_env *env, const pg_baseline *base, const char *start)
{
	pg_buf store = PG_BUF_INIT, testbed = PG_BUF_INIT;
	pg_utf8_printable(&store, env->cfg->store, 80);
	pg_utf8_printable(&testbed, env->testbed, 80);
	int notes = !strncmp(env->cfg->store, "notes:", 6);
	pg_warn("nothing was judged: no results for testbed '%s' in the %zu commit%s of history "
		"from %.12s, so every result is new; was the history restored? (%s%s%s) Or did the "
		"testbed change (this run's is '%s')?", testbed.ptr, base->walked,
		base->walked == 1 ? "" : "s", start, notes ? "fetch the notes: git fetch origin "
		"'refs/notes/*:refs/notes/*'; store " : "restore the store ", store.ptr,
		notes ? "" : " in CI: check the cache key", testbed.ptr);
	pg_buf_free(&store);
	pg_buf_free(&testbed);
}

/* The complexity of `current`'s families against the baseline's commits. */
static void check_complexity(pg_report *r, const pg_run *current, const pg_baseline *base,
			     const pg_config *cfg)
{
	const pg_run **before = pg_calloc(base->n + 1, sizeof(*before));
	for (size_t i = 0; i < base->n; i++)
		before[i] = base->commits[i].pooled;
	pg_gate_check_complexity(r, current, before, base->n, cfg);
	free(before);
}

int pg_gate_judge(pg_report **out, const pg_gate_env *env, const pg_run *current,
		  const char *base_rev, int fail_on)
{
	char base_sha[PG_SHA_LEN + 1], start[PG_SHA_LEN + 1];
	const char *ref = base_rev ? base_rev : env->cfg->base;
	const char *head = current->commit ? current->commit : env->head;
	pg_baseline base;
	pg_gate_base gb = { 0 };
	int err;
	*out = NULL;
	err = base_rev ? pg_repo_resolve(env->repo, base_rev, base_sha)
		       : pg_repo_resolve_branch(env->repo, env->cfg->base, base_sha);
	if (err < 0)
		return err == PG_ENOTFOUND ? pg_error_wrap(PG_ERUNTIME, "baseline") : err;
	if ((err = pg_repo_merge_base(env->repo, head, base_sha, start)) < 0)
		return err;

	pg_baseline_opts bo = { start, 1, env->testbed, (size_t)env->cfg->window, 0, current, NULL };
	bo.skip_start = !strcmp(start, head);
	if ((err = pg_baseline_collect(&base, env->repo, env->store, &bo)) < 0)
		return err;
	pg_baseline_warn(&base, PG_NOTES_HISTORY);
	if (base.truncated)
		pg_warn("the git history ends after %zu commits (a shallow clone?); the baseline "
			"has %zu commits; fetch the full history (fetch-depth: 0) for more",
			base.walked, base.n);
	if (!base.n && !base.nnotes && has_results(current))
		warn_no_history(env, &base, start);

	pg_report_opts ro = { env->cfg, ref, start, fail_on };
	*out = pg_report_build(current, &base, &ro);
	/* the merge-base's perfgate.json: what a pull request deletes or
	 * weakens (on the base branch itself, its own parent was gated) */
	if (!bo.skip_start)
		pg_gate_base_load(&gb, env, start);
	pg_report_add_redefined(*out, current, &base, env->cfg, gb.cfg);
	pg_gate_compare_base(*out, env, &gb, current, &base);
	/* on the base branch itself: a drift this commit completes */
	if (bo.skip_start)
		pg_gate_drift(*out, env, current, &base);
	pg_gate_check_budgets(*out, current, env->cfg);
	check_complexity(*out, current, &base, env->cfg);
	pg_report_finish(*out);
	pg_gate_base_free(&gb);
	pg_baseline_free(&base);
	return 0;
}
