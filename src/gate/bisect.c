/*
 * bisect.c - the statistical bisection (rules in bisect.h).
 */
#include "bisect.h"
#include "baseline.h"
#include "error.h"
#include "gate.h"
#include "scratch.h"
#include "setup.h"
#include "stats.h"
#include "testbed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What is known about one commit: its samples, or why it cannot run. */
typedef struct known {
	char sha[PG_SHA_LEN + 1];
	pg_samples s;
	int measured;
	int higher_is_better;
	char *failure;
} known;

typedef struct bisect_state {
	pg_repo *repo;
	pg_store *store;
	const pg_bisect_opts *o;
	pg_bisect_result *out;
	known **k;          /* pointers: entries must not move as more are added */
	size_t nk, kalloc;
	/* Built checkouts kept for re-measurement (the two endpoints and the
	 * latest probe are what gets re-measured); the oldest is dropped. */
	pg_scratch *built[3];
	char built_sha[3][PG_SHA_LEN + 1];
	/* Every commit's samples pass through here: only those comparable with
	 * the bisected result (this config's definition, the first unit seen)
	 * are used. */
	pg_run *want;
	pg_baseline hist;
} bisect_state;

const char *pg_probe_verdict_name(pg_probe_verdict v)
{
	static const char *const names[] = { "good", "bad", "ambiguous", "skipped" };
	return (unsigned)v < 4 ? names[v] : "?";
}

static known *find_known(bisect_state *st, const char *sha)
{
	for (size_t i = 0; i < st->nk; i++)
		if (!strcmp(st->k[i]->sha, sha))
			return st->k[i];
	st->k = pg_array_grow(st->k, &st->kalloc, st->nk + 1, sizeof(*st->k));
	known *k = pg_calloc(1, sizeof(*k));
	memcpy(k->sha, sha, PG_SHA_LEN + 1);
	st->k[st->nk++] = k;
	return k;
}

/* The comparable samples of the bisected metric in runs of `sha`, or NULL. */
static const pg_metric_result *comparable(bisect_state *st, const char *sha, pg_run *const *runs,
					  size_t n, int include_dirty)
{
	if (!pg_baseline_add(&st->hist, sha, runs, n, include_dirty))
		return NULL;
	pg_bench_result *b = pg_run_find_bench(st->hist.commits[st->hist.n - 1].pooled,
					       st->o->result);
	pg_metric_result *m = b ? pg_bench_find_metric(b, st->o->metric) : NULL;
	return m && m->samples.n ? m : NULL;
}

/* Takes samples (or a failure) for the benchmark from the store. */
static int load_stored(bisect_state *st, known *k)
{
	pg_run **runs;
	size_t n;
	int err = pg_store_load(st->store, k->sha, st->o->testbed, &runs, &n);
	if (err < 0)
		return err;
	const pg_metric_result *m = comparable(st, k->sha, runs, n, 0);
	if (m) {
		pg_samples_extend(&k->s, &m->samples);
		k->higher_is_better = m->higher_is_better;
	} else {
		for (size_t i = n; i-- > 0 && !k->failure;) {
			pg_bench_result *f = pg_run_find_bench(runs[i], st->o->bench->name);
			if (f && f->failed)
				k->failure = pg_strdup(f->reason ? f->reason : "failed");
		}
	}
	pg_runs_free(runs, n);
	return 0;
}


/* Checks the commit out, builds it and runs the benchmark `runs` times;
 * adds the samples (or the failure) to `k` and stores the result, unless
 * the build or the setup failed (that is not the benchmark's result). */
/* A built checkout of `sha`: one kept from before, or a new one (checked
 * out, built, kept in place of the oldest).  *scratch is NULL when the
 * build failed (reason in `why`, PG_EBENCH). */
static int checkout_built(bisect_state *st, const char *sha, pg_scratch **scratch, pg_buf *why)
{
	int err = 0;
	*scratch = NULL;
	for (int i = 0; i < 3; i++)
		if (st->built[i] && !strcmp(st->built_sha[i], sha)) {
			*scratch = st->built[i];
			return 0;
		}
	st->out->builds++;
	pg_scratch *s;
	if ((err = pg_scratch_create(&s, st->repo, sha, st->o->keep)) < 0)
		return err;
	if ((st->o->build && (err = pg_scratch_build(s, st->o->build, st->o->build_timeout, why)) < 0) ||
	    (err = pg_setup_run(st->o->setup, st->o->bench, pg_scratch_dir(s), why)) < 0) {
		pg_scratch_free(s);
		return err;
	}
	pg_scratch_free(st->built[2]);
	memmove(&st->built[1], &st->built[0], 2 * sizeof(st->built[0]));
	memmove(&st->built_sha[1], &st->built_sha[0], 2 * sizeof(st->built_sha[0]));
	st->built[0] = s;
	memcpy(st->built_sha[0], sha, PG_SHA_LEN + 1);
	*scratch = s;
	return 0;
}

static int measure(bisect_state *st, known *k, int runs)
{
	pg_scratch *scratch = NULL;
	pg_buf why = PG_BUF_INIT;
	pg_bench_config bc = *st->o->bench;
	pg_run *run = pg_gate_new_run(k->sha, st->o->testbed);
	int err;
	int unbuilt = 0; /* the build or setup failed: nothing measured */
	bc.runs = runs;
	err = checkout_built(st, k->sha, &scratch, &why);
	if (err == PG_EBENCH) {
		pg_run_add_failed(run, bc.name, why.ptr);
		unbuilt = 1;
		err = 0;
	} else if (err == 0) {
		err = pg_measure_bench(run, &bc, pg_scratch_dir(scratch), st->o->progress,
				       st->o->payload);
	}
	pg_gate_stamp_definition(run, &bc);
	if (err < 0)
		goto out;
	pg_bench_result *f = pg_run_family_failed(run, bc.name);
	pg_bench_result *b = pg_run_find_bench(run, st->o->result);
	pg_metric_result *m = b ? pg_bench_find_metric(b, st->o->metric) : NULL;
	const pg_metric_result *cm = m ? comparable(st, k->sha, &run, 1, 1) : NULL;
	if (f) {
		free(k->failure);
		k->failure = pg_strdup(f->reason ? f->reason : "failed");
	} else if (!m) {
		err = pg_error_set(PG_EUSAGE, "benchmark '%s' does not report metric '%s'",
				   st->o->result, st->o->metric);
		goto out;
	} else if (!cm) {
		/* kept in the history all the same: it is a good measurement */
		const char *unit = pg_baseline_unit(&st->hist, st->o->result, st->o->metric);
		if ((err = pg_store_save(st->store, run)) == 0)
			err = pg_error_set(PG_ERUNTIME, "%s %s: measured here in %s, but the samples it "
					   "is compared with are in %s (PERFGATE_COUNTERS chooses perf "
					   "or valgrind: measure the way they were, or bisect another "
					   "metric)", st->o->result, st->o->metric, m->unit,
					   unit ? unit : "another unit");
		goto out;
	} else {
		pg_samples_extend(&k->s, &cm->samples);
		k->higher_is_better = cm->higher_is_better;
	}
	k->measured = 1;
	/* a build or setup that failed here (a network, a full disk) says
	 * nothing of the commit's benchmark: skipped, not stored as its result,
	 * so a later bisect tries again */
	if (!unbuilt)
		err = pg_store_save(st->store, run);
out:
	pg_run_free(run);
	pg_buf_free(&why);
	return err;
}

/* Samples for `sha`: from what we know, the store, or a measurement. */
static int get(bisect_state *st, const char *sha, known **out)
{
	known *k = find_known(st, sha);
	int err = 0;
	*out = k;
	if (k->s.n || k->failure)
		return 0;
	if ((err = load_stored(st, k)) < 0)
		return err;
	if (!k->s.n && !k->failure)
		err = measure(st, k, st->o->runs > 0 ? st->o->runs : st->o->bench->runs);
	return err;
}

static void log_samples(const known *k, pg_samples *out)
{
	for (size_t i = 0; i < k->s.n; i++)
		pg_samples_push(out, log(k->s.v[i] > 0 ? k->s.v[i] : 1e-300));
}

/* Welch p-value between two commits' samples, in log space. */
static double log_welch(const known *a, const known *b)
{
	pg_samples la = { 0 }, lb = { 0 };
	log_samples(a, &la);
	log_samples(b, &lb);
	double p = pg_stats_welch(la.v, la.n, lb.v, lb.n, NULL, NULL);
	pg_samples_free(&la);
	pg_samples_free(&lb);
	return p;
}

static double log_median(const known *k)
{
	return log(pg_stats_median(k->s.v, k->s.n));
}

/* Positive when `b` is worse than `a`. */
static double worse_by(const known *a, const known *b)
{
	double d = log_median(b) - log_median(a);
	return b->higher_is_better ? -d : d;
}

static pg_probe_verdict classify(const known *p, const known *good, const known *bad)
{
	if (p->failure || !p->s.n)
		return PG_PROBE_SKIPPED;
	double step = fabs(log_median(bad) - log_median(good));
	double dg = fabs(log_median(p) - log_median(good));
	double db = fabs(log_median(p) - log_median(bad));
	double pv = log_welch(p, good);
	int significant = !isnan(pv) && pv < PG_BISECT_ALPHA;
	if (significant && worse_by(good, p) > 0 && db < dg)
		return PG_PROBE_BAD;
	if (dg < db && (!significant || dg <= step / 4))
		return PG_PROBE_GOOD;
	return PG_PROBE_AMBIGUOUS;
}

static void record_probe(bisect_state *st, const known *k, pg_probe_verdict v)
{
	pg_bisect_result *r = st->out;
	r->probes = pg_array_grow(r->probes, &r->alloc, r->nprobes + 1, sizeof(*r->probes));
	pg_probe *p = &r->probes[r->nprobes++];
	memset(p, 0, sizeof(*p));
	memcpy(p->sha, k->sha, PG_SHA_LEN + 1);
	p->median = k->s.n ? pg_stats_median(k->s.v, k->s.n) : NAN;
	p->samples = k->s.n;
	p->verdict = v;
	p->measured = k->measured;
	p->reason = k->failure ? pg_strdup(k->failure) : NULL;
	if (st->o->on_probe)
		st->o->on_probe(st->o->payload, p);
}

/* Probes one commit, re-measuring while it stays ambiguous. */
static int probe(bisect_state *st, const char *sha, const known *good, const known *bad,
		 pg_probe_verdict *v)
{
	known *k;
	int err = get(st, sha, &k);
	int runs = st->o->runs > 0 ? st->o->runs : st->o->bench->runs;
	if (err < 0)
		return err;
	*v = classify(k, good, bad);
	for (int round = 0; *v == PG_PROBE_AMBIGUOUS && round < st->o->max_remeasure; round++) {
		runs *= 2;
		if ((err = measure(st, k, runs)) < 0)
			return err;
		*v = classify(k, good, bad);
	}
	record_probe(st, k, *v);
	return 0;
}

static void set_step(bisect_state *st, const char *last_good, const char *first_bad)
{
	known *g = find_known(st, last_good), *b = find_known(st, first_bad);
	memcpy(st->out->last_good, last_good, PG_SHA_LEN + 1);
	memcpy(st->out->first_bad, first_bad, PG_SHA_LEN + 1);
	st->out->found = 1;
	st->out->change_pct = (exp(worse_by(g, b)) - 1) * 100;
	st->out->p = log_welch(g, b);
}

/* The untested candidate in (lo, hi) nearest the middle, or -1. */
static long pick(const pg_probe_verdict *seen, long lo, long hi)
{
	long mid = lo + (hi - lo) / 2;
	for (long d = 0; d < hi - lo; d++) {
		if (mid - d > lo && seen[mid - d] != PG_PROBE_SKIPPED)
			return mid - d;
		if (mid + d < hi && seen[mid + d] != PG_PROBE_SKIPPED)
			return mid + d;
	}
	return -1;
}

static int endpoints_differ(const known *good, const known *bad, double *p)
{
	*p = log_welch(good, bad);
	return !isnan(*p) && *p < PG_BISECT_ALPHA && worse_by(good, bad) > 0;
}

static int endpoints(bisect_state *st, known **good, known **bad)
{
	int err, runs = st->o->runs > 0 ? st->o->runs : st->o->bench->runs;
	double p;
	/* The unit compared is the newest commit's: bad's stored results are
	 * read first (good is still measured first when neither has any). */
	if ((err = load_stored(st, find_known(st, st->o->bad))) < 0 ||
	    (err = get(st, st->o->good, good)) < 0 || (err = get(st, st->o->bad, bad)) < 0)
		return err;
	if ((*good)->failure || (*bad)->failure) {
		const known *f = (*good)->failure ? *good : *bad;
		return pg_error_set(PG_ERUNTIME, "the %s endpoint %.12s cannot be measured: %s",
				    f == *good ? "good" : "bad", f->sha, f->failure);
	}
	/* A t-test needs two values a side: an end stored with one (runs: 1)
	 * is measured once more (at least two runs, see pg_bisect_run) */
	if ((*good)->s.n < PG_STATS_WELCH_MIN && (err = measure(st, *good, runs)) < 0)
		return err;
	if ((*bad)->s.n < PG_STATS_WELCH_MIN && (err = measure(st, *bad, runs)) < 0)
		return err;
	/* One noisy sample can hide a real step from a t-test on few runs:
	 * measure both ends again, with twice the runs, before giving up. */
	for (int round = 0; !endpoints_differ(*good, *bad, &p) && round < st->o->max_remeasure &&
			    worse_by(*good, *bad) > 0; round++) {
		runs *= 2;
		if ((err = measure(st, *good, runs)) < 0 || (err = measure(st, *bad, runs)) < 0)
			return err;
	}
	record_probe(st, *good, PG_PROBE_GOOD);
	record_probe(st, *bad, PG_PROBE_BAD);
	if (!endpoints_differ(*good, *bad, &p)) {
		pg_buf m = PG_BUF_INIT;
		pg_buf_printf(&m, "nothing to find: bad %.12s is not significantly worse than good "
				  "%.12s (p = %.3g); check the revisions, the metric, or add --runs",
			      (*bad)->sha, (*good)->sha, p);
		st->out->message = pg_buf_detach(&m);
		st->out->refused = 1;
	}
	return 0;
}

static void suspects_message(bisect_state *st, char **c, long lo, long hi)
{
	pg_buf m = PG_BUF_INIT;
	pg_buf_puts(&m, "the first bad commit is one of:");
	for (long i = lo + 1; i <= hi; i++)
		pg_buf_printf(&m, " %.12s", c[i]);
	pg_buf_puts(&m, " (the others could not be built or run)");
	st->out->message = pg_buf_detach(&m);
}

static int search(bisect_state *st, char **c, long n, known *good, known *bad)
{
	pg_probe_verdict *seen = pg_calloc((size_t)n, sizeof(*seen));
	long lo = -1, hi = n - 1, i;
	int err = 0;
	for (i = 0; i < n; i++)
		seen[i] = PG_PROBE_AMBIGUOUS; /* untested */
	while (hi - lo > 1 && (i = pick(seen, lo, hi)) >= 0) {
		if ((err = probe(st, c[i], good, bad, &seen[i])) < 0)
			break;
		if (seen[i] == PG_PROBE_BAD)
			hi = i;
		else if (seen[i] == PG_PROBE_GOOD)
			lo = i;
		else if (seen[i] == PG_PROBE_AMBIGUOUS) {
			pg_buf m = PG_BUF_INIT;
			pg_buf_printf(&m, "%.12s stays ambiguous after %d re-measurements: neither "
					  "clearly good nor clearly bad; the first bad commit is between "
					  "%.12s and %.12s", c[i], st->o->max_remeasure,
				      lo < 0 ? good->sha : c[lo], c[hi]);
			st->out->message = pg_buf_detach(&m);
			break;
		}
	}
	if (err == 0 && !st->out->message) {
		if (hi - lo == 1)
			set_step(st, lo < 0 ? good->sha : c[lo], c[hi]);
		else
			suspects_message(st, c, lo, hi);
	}
	free(seen);
	return err;
}

static void free_state(bisect_state *st)
{
	pg_baseline_warn(&st->hist, PG_NOTES_STORED);
	pg_baseline_free(&st->hist);
	pg_run_free(st->want);
	for (int i = 0; i < 3; i++)
		pg_scratch_free(st->built[i]);
	for (size_t i = 0; i < st->nk; i++) {
		pg_samples_free(&st->k[i]->s);
		free(st->k[i]->failure);
		free(st->k[i]);
	}
	free(st->k);
}

int pg_bisect_run(pg_bisect_result *out, pg_repo *repo, pg_store *store, const pg_bisect_opts *o)
{
	bisect_state st = { repo, store, o, out, NULL, 0, 0, { NULL, NULL, NULL }, { "", "", "" },
			    NULL, { 0 } };
	char **c = NULL, def[PG_DEFINITION_LEN + 1];
	size_t n = 0;
	known *good, *bad;
	int err;
	int runs = o->runs > 0 ? o->runs : o->bench->runs;
	memset(out, 0, sizeof(*out));
	/* a command gives one value per run, and Welch's t-test needs two per
	 * commit: one run per probe could never find anything */
	if (!o->bench->format && runs < PG_STATS_WELCH_MIN) {
		pg_buf what = PG_BUF_INIT;
		if (o->runs > 0)
			pg_buf_printf(&what, "--runs %d", runs);
		else
			pg_buf_printf(&what, "benchmark '%s' has \"runs\": %d", o->bench->name, runs);
		pg_error_set(PG_EUSAGE, "%s: bisect needs at least %d runs per commit (its t-test "
			     "needs %d values a side); pass --runs %d or more", what.ptr,
			     PG_STATS_WELCH_MIN, PG_STATS_WELCH_MIN, PG_STATS_WELCH_MIN);
		pg_buf_free(&what);
		return PG_EUSAGE;
	}
	if (!strcmp(o->good, o->bad) || !pg_repo_is_ancestor(repo, o->good, o->bad))
		return pg_error_set(PG_EUSAGE, "good %.12s is not an ancestor of bad %.12s (swap "
					       "them, or pick another good commit)", o->good, o->bad);
	/* measured here with this config's definition: stored results made
	 * with another are not used */
	pg_gate_definition(o->bench, def);
	st.want = pg_run_new();
	pg_run_add_bench(st.want, o->result)->definition = pg_strdup(def);
	pg_baseline_init(&st.hist, st.want, o->result);
	if ((err = pg_repo_range(repo, o->good, o->bad, o->all_parents, &c, &n)) < 0)
		goto out;
	out->candidates = n;
	if ((err = endpoints(&st, &good, &bad)) < 0 || out->refused)
		goto out;
	err = search(&st, c, (long)n, good, bad);
out:
	for (size_t i = 0; i < n; i++)
		free(c[i]);
	free(c);
	free_state(&st);
	return err;
}

void pg_bisect_result_free(pg_bisect_result *r)
{
	for (size_t i = 0; i < r->nprobes; i++)
		free(r->probes[i].reason);
	free(r->probes);
	free(r->message);
	memset(r, 0, sizeof(*r));
}
