/*
 * ab.c - interleaved A/B measurement and its judgement (see ab.h).
 */
#include "ab.h"
#include "budget.h"
#include "complexity_check.h"
#include "error.h"
#include "scratch.h"
#include "setup.h"
#include "stats.h"
#include "testbed.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pg_run *side_run(const pg_gate_env *env, const char *sha, int dirty, char *branch)
{
	pg_run *run = pg_gate_new_run(sha, env->testbed);
	run->dirty = dirty;
	run->branch = branch;
	return run;
}

typedef struct side {
	pg_run *run;
	const char *root;
	const char *name;   /* "base" or "head" */
} side;

static int once(side *s, const pg_bench_config *bc, int keep, const char *what, int i, int n,
		double *wall)
{
	char label[64];
	pg_invocation inv = { s->root, keep, 1, keep && i <= 3, label, wall };
	snprintf(label, sizeof(label), "%s %s %d/%d", s->name, what, i, n);
	return pg_measure_invocation(s->run, bc, &inv);
}

static int failed(const side *s, const pg_bench_config *bc)
{
	return pg_run_family_failed(s->run, bc->name) != NULL;
}

/* Pairs for one benchmark (the rule is in ab.h). */
int pg_ab_pairs_for(const pg_bench_config *bc, const pg_ab_opts *o, double first_wall_ns)
{
	int n = o->pairs > 0 ? o->pairs : bc->ab_pairs > 0 ? bc->ab_pairs
		: first_wall_ns < 1e9 ? PG_AB_DEFAULT_PAIRS : bc->runs;
	return n > PG_AB_MIN_PAIRS ? n : PG_AB_MIN_PAIRS;
}

/* Adaptive stopping for one result: with at least 12 pairs, the answer is
 * clear once the 95 % interval of its primary metric's paired change is
 * clearly above the notice threshold and the change significant (a real
 * regression), likewise below minus it (a real improvement), or clearly
 * inside (-notice, +notice) (nothing to report); it is not while the
 * interval straddles a threshold.  The primary metric is wall time, else
 * the first one recorded. */
static int result_is_clear(const pg_bench_result *ba, const pg_run *brun,
			   const pg_bench_config *bc)
{
	pg_thresholds t;
	const pg_bench_result *bb = pg_run_find_bench(brun, ba->name);
	if (!bb || !ba->nmetrics)
		return 0;
	const pg_metric_result *ma = pg_bench_find_metric(ba, "wall_time");
	if (!ma)
		ma = &ba->metrics[0];
	const pg_metric_result *mb = pg_bench_find_metric(bb, ma->name);
	if (!mb)
		return 0;
	size_t n = mb->samples.n < ma->samples.n ? mb->samples.n : ma->samples.n;
	t = pg_bench_thresholds(bc, ma->name);
	return pg_ab_answer_is_clear(mb->samples.v, ma->samples.v, n, ma->higher_is_better, &t);
}

int pg_ab_answer_is_clear(const double *head, const double *base, size_t n,
			  int higher_is_better, const pg_thresholds *t)
{
	pg_verdict v;
	if (n < PG_AB_ADAPTIVE_MIN)
		return 0;
	pg_judge_ab(&v, head, base, n, higher_is_better, t);
	/* from a median of 0 there is no interval in %: a significant change
	 * (to anything but 0) is all there is to know */
	return (v.significant && (v.ci_low >= t->notice || v.ci_high <= -t->notice ||
				  isinf(v.change_pct))) ||
	       (v.ci_low > -t->notice && v.ci_high < t->notice);
}

/* Whether every result of benchmark `bc` (one for a command, each of an
 * imported harness's) has a clear answer. */
static int answer_is_clear(const side *a, const side *b, const pg_bench_config *bc)
{
	size_t n = 0;
	for (size_t i = 0; i < a->run->nbenches; i++) {
		const pg_bench_result *ba = &a->run->benches[i];
		if (!pg_name_in_family(ba->name, bc->name))
			continue;
		if (!result_is_clear(ba, b->run, bc))
			return 0;
		n++;
	}
	return n > 0;
}

/* A failure on one side fails the benchmark on both: the pairs are gone. */
static void fail_both(side *a, side *b, const pg_bench_config *bc)
{
	pg_bench_result *fa = pg_run_family_failed(a->run, bc->name);
	pg_bench_result *fb = pg_run_family_failed(b->run, bc->name);
	side *other = fa ? b : a;
	const char *why = fa ? fa->reason : fb ? fb->reason : NULL;
	if (!why || (fa && fb))
		return;
	char *copy = pg_strdup(why);
	pg_measure_fail(other->run, bc->name, copy);
	free(copy);
}

static int measure_bench(const pg_bench_config *bc, side *a, side *b, const pg_ab_opts *o)
{
	int err = 0, n = 0, warmup = bc->warmup ? bc->warmup : 0;
	double wall = 0;
	if (!bc->format) {
		pg_run_add_bench(a->run, bc->name);
		pg_run_add_bench(b->run, bc->name);
	}
	for (int w = 1; w <= warmup && !err && !failed(a, bc) && !failed(b, bc); w++) {
		if (o->progress)
			o->progress(o->payload, bc->name, 1, w, warmup);
		if ((err = once(b, bc, 0, "warm-up", w, warmup, &wall)) == 0)
			err = once(a, bc, 0, "warm-up", w, warmup, NULL);
	}
	for (int i = 0; !err && !failed(a, bc) && !failed(b, bc) && (n == 0 || i < n); i++) {
		/* AB, BA, AB, ...: neither side always goes first */
		side *first = i % 2 ? b : a, *second = i % 2 ? a : b;
		double w1 = 0, w2 = 0;
		if (o->progress)
			o->progress(o->payload, bc->name, 0, i + 1, n ? n : 1);
		if ((err = once(first, bc, 1, "pair", i + 1, n ? n : 1, &w1)) == 0 && !failed(first, bc))
			err = once(second, bc, 1, "pair", i + 1, n ? n : 1, &w2);
		if (n == 0)
			n = o->adaptive ? (o->max_pairs > 0 ? o->max_pairs : PG_AB_ADAPTIVE_MAX)
					: pg_ab_pairs_for(bc, o, warmup ? wall : (first == b ? w1 : w2));
		if (o->adaptive && !err && answer_is_clear(a, b, bc))
			break;
	}
	fail_both(a, b, bc);
	/* Both sides were measured with this (the head's) definition, and
	 * say so (cli_ab.c stores the base side only when it is the base's
	 * own: gate.h, pg_gate_base_comparable). */
	pg_gate_stamp_definition(a->run, bc);
	pg_gate_stamp_definition(b->run, bc);
	return err;
}

int pg_ab_measure(pg_run **head, pg_run **base, const pg_gate_env *env, const pg_ab_opts *o)
{
	pg_scratch *scratch = NULL;
	pg_buf why = PG_BUF_INIT;
	int dirty = 0, err;
	*head = *base = NULL;
	if ((err = pg_repo_is_dirty(env->repo, &dirty)) < 0)
		return err;
	if ((err = pg_scratch_create(&scratch, env->repo, o->base, o->keep)) < 0)
		return pg_error_wrap(PG_ERUNTIME, "base %.12s", o->base);
	if (o->build && (err = pg_scratch_build(scratch, o->build, o->build_timeout, &why)) < 0) {
		if (err == PG_EBENCH)
			err = pg_error_set(PG_ERUNTIME, "the base %.12s failed to build (%s): %s", o->base,
					   o->build, why.ptr);
		goto out;
	}
	char base_side[64];
	snprintf(base_side, sizeof(base_side), "the base %.12s", o->base);
	if ((err = pg_setup_side(env->cfg->setup, NULL, pg_scratch_dir(scratch), base_side)) < 0 ||
	    (!o->head_set_up &&
	     (err = pg_setup_side(env->cfg->setup, NULL, pg_repo_workdir(env->repo), "HEAD")) < 0))
		goto out;
	pg_run *h = side_run(env, env->head, dirty, pg_repo_branch(env->repo));
	pg_run *b = side_run(env, o->base, 0, NULL);
	for (size_t i = 0; i < env->cfg->nbenches && err == 0; i++) {
		const pg_bench_config *bc = &env->cfg->benches[i];
		side sa = { b, pg_scratch_dir(scratch), "base" };
		side sb = { h, pg_repo_workdir(env->repo), "head" };
		if (o->only && !o->only(o->only_payload, bc->name))
			continue;
		if ((err = pg_setup_side(NULL, bc, sa.root, base_side)) == 0 &&
		    (o->head_set_up || (err = pg_setup_side(NULL, bc, sb.root, "HEAD")) == 0))
			err = measure_bench(bc, &sa, &sb, o);
	}
	if (err < 0) {
		pg_run_free(h);
		pg_run_free(b);
	} else {
		*head = h;
		*base = b;
	}
out:
	pg_scratch_free(scratch);
	pg_buf_free(&why);
	return err;
}

/* Judges the pairs of every metric of `hb` against `bb` (NULL: the base
 * side has no such result); a metric without pairs is `new`, as in
 * history mode without a baseline. */
static void judge_pairs(pg_report *r, const pg_bench_result *hb, const pg_bench_result *bb,
			const pg_config *cfg)
{
	for (size_t m = 0; m < hb->nmetrics; m++) {
		const pg_metric_result *hm = &hb->metrics[m];
		pg_thresholds th = pg_config_thresholds(cfg, hb->name, hm->name), *t = &th;
		const pg_metric_result *bm = bb ? pg_bench_find_metric(bb, hm->name) : NULL;
		pg_result_row *row = pg_report_add_row(r, hb->name);
		size_t n = bm ? (hm->samples.n < bm->samples.n ? hm->samples.n : bm->samples.n) : 0;
		row->metric = pg_strdup(hm->name);
		row->unit = pg_strdup(hm->unit);
		row->higher_is_better = hm->higher_is_better;
		row->notice = t->notice;
		if (!n) {
			pg_judge_input in = { hm->samples.v, hm->samples.n, NULL, 0, NULL, 0,
					      hm->higher_is_better, 2, *t };
			pg_judge(&row->v, &in);
			row->outliers = pg_stats_outliers(hm->samples.v, hm->samples.n);
			continue;
		}
		pg_judge_ab(&row->v, hm->samples.v, bm->samples.v, n, hm->higher_is_better, t);
		row->outliers = pg_stats_outliers(hm->samples.v, n);
		if (r->ab_pairs < n)
			r->ab_pairs = n;
	}
}

/* Results the base side produced and the head side did not (a harness
 * result the pull request no longer has) are `missing`, unless retired. */
static void base_only(pg_report *r, const pg_run *head, const pg_run *base, const pg_config *cfg,
		      const char *base_sha)
{
	pg_buf why = PG_BUF_INIT;
	for (size_t i = 0; i < base->nbenches; i++) {
		const pg_bench_result *bb = &base->benches[i];
		const pg_bench_config *bc = pg_config_owner(cfg, bb->name);
		if (bb->failed || pg_run_find_bench(head, bb->name) ||
		    (bc && pg_run_family_failed(head, bc->name)))
			continue;
		if (pg_config_retired(cfg, bb->name)) {
			pg_warn("%s: retired (perfgate.json \"retired\"): measured on the base side "
				"(%.12s) only, not judged", bb->name, base_sha);
			continue;
		}
		pg_buf_clear(&why);
		pg_buf_printf(&why, "measured on the base side (%.12s) but not on the head side "
				    "(renamed or deleted? to retire it on purpose, list it in "
				    "\"retired\" in perfgate.json)", base_sha);
		pg_report_add_status(r, bb->name, PG_SEV_MISSING, why.ptr);
	}
	pg_buf_free(&why);
}

pg_report *pg_ab_report(const pg_run *head, const pg_run *base, const pg_config *cfg,
			const char *base_sha, int fail_on, int adaptive)
{
	pg_report *r = pg_calloc(1, sizeof(*r));
	r->commit = pg_strdup(head->commit);
	r->branch = head->branch ? pg_strdup(head->branch) : NULL;
	r->dirty = head->dirty;
	r->testbed = pg_strdup(head->testbed);
	r->base_ref = pg_strdup("A/B");
	r->base_commit = pg_strdup(base_sha);
	r->window = cfg->window;
	r->fail_on = fail_on;
	r->ab = 1;
	r->ab_adaptive = adaptive;
	for (size_t i = 0; i < head->nbenches; i++) {
		const pg_bench_result *hb = &head->benches[i];
		const pg_bench_result *bb = pg_run_find_bench(base, hb->name);
		if (hb->failed || (bb && bb->failed)) {
			const char *why = hb->failed ? hb->reason : bb->reason;
			pg_report_add_status(r, hb->name, PG_SEV_FAILED, why ? why : "failed");
			continue;
		}
		judge_pairs(r, hb, bb, cfg);
	}
	base_only(r, head, base, cfg, base_sha);
	pg_gate_check_budgets(r, head, cfg);
	pg_gate_check_complexity(r, head, &base, 1, cfg);
	pg_report_finish(r);
	return r;
}
