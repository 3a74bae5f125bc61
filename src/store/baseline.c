/*
 * baseline.c - collecting and pooling history along first parents, with
 * only the results that are comparable (rules in baseline.h).
 */
#include "baseline.h"
#include "buf.h"
#include "error.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* A definition is only different when both are known. */
static int other_definition(const char *want, const char *found)
{
	return want && found && strcmp(want, found);
}

/* The reference learns the results, definitions and units it does not know
 * yet, from a result that is comparable with what it knows. */
static void learn(pg_run *ref, const pg_bench_result *b)
{
	pg_bench_result *rb = pg_run_find_bench(ref, b->name);
	if (!rb) {
		rb = pg_run_add_bench(ref, b->name);
		rb->definition = b->definition ? pg_strdup(b->definition) : NULL;
	} else if (other_definition(rb->definition, b->definition)) {
		return;
	}
	for (size_t m = 0; m < b->nmetrics; m++)
		if (!pg_bench_find_metric(rb, b->metrics[m].name))
			pg_bench_metric(rb, b->metrics[m].name, b->metrics[m].unit,
					b->metrics[m].higher_is_better);
}

/* Records that `bench` at `sha` was left out: another definition (metric
 * NULL) or another unit of `metric`. */
static void note(pg_baseline *b, const char *bench, const char *metric, const char *want,
		 const char *found, const char *sha)
{
	pg_baseline_note *n = NULL;
	if (b->current && !pg_run_find_bench(b->current, bench))
		return; /* not a result being judged */
	/* one note per change: the results of one benchmark definition (which
	 * is all they share), or one change of unit */
	for (size_t i = 0; i < b->nnotes && !n; i++)
		if (same(b->notes[i].metric, metric) && same(b->notes[i].want, want) &&
		    (!metric || same(b->notes[i].found, found)))
			n = &b->notes[i];
	if (!n) {
		b->notes = pg_array_grow(b->notes, &b->nalloc, b->nnotes + 1, sizeof(*b->notes));
		n = &b->notes[b->nnotes++];
		memset(n, 0, sizeof(*n));
		n->definition = !metric;
		n->bench = pg_strdup(bench);
		n->metric = metric ? pg_strdup(metric) : NULL;
		n->want = want ? pg_strdup(want) : NULL;
		n->found = found ? pg_strdup(found) : NULL;
		memcpy(n->sha, sha, PG_SHA_LEN + 1);
		n->at = b->n;
		n->seen = pg_run_new();
		pg_run_add_bench(n->seen, bench);
	} else if (!pg_run_find_bench(n->seen, bench)) {
		pg_run_add_bench(n->seen, bench);
		n->more++;
	}
	if (!strcmp(n->bench, bench) && strcmp(n->last, sha)) {
		memcpy(n->last, sha, PG_SHA_LEN + 1);
		n->commits++;
	}
}

static int wanted(const pg_baseline *b, const pg_bench_result *br)
{
	return !br->failed && (!b->bench || !strcmp(br->name, b->bench));
}

/* Adds the samples of `br` that are comparable with the reference. */
static void pool_bench(pg_baseline *b, pg_run **pooled, const pg_run *r,
		       const pg_bench_result *br, const char *sha)
{
	const pg_bench_result *rb = pg_run_find_bench(b->ref, br->name);
	if (other_definition(rb->definition, br->definition)) {
		note(b, br->name, NULL, rb->definition, br->definition, sha);
		return;
	}
	for (size_t m = 0; m < br->nmetrics; m++) {
		const pg_metric_result *src = &br->metrics[m];
		const pg_metric_result *rm = pg_bench_find_metric(rb, src->name);
		if (strcmp(rm->unit, src->unit)) {
			note(b, br->name, src->name, rm->unit, src->unit, sha);
			continue;
		}
		if (!*pooled) {
			*pooled = pg_run_new();
			(*pooled)->commit = pg_strdup(sha);
			(*pooled)->testbed = r->testbed ? pg_strdup(r->testbed) : NULL;
		}
		pg_bench_result *dst = pg_run_find_bench(*pooled, br->name);
		if (!dst) {
			dst = pg_run_add_bench(*pooled, br->name);
			dst->definition = rb->definition ? pg_strdup(rb->definition) : NULL;
		}
		pg_metric_result *d = pg_bench_metric(dst, src->name, src->unit, src->higher_is_better);
		pg_samples_extend(&d->samples, &src->samples);
	}
}

/* Whether `run` has a result of benchmark `family` ("NAME" or "NAME/..."). */
static int has_family(const pg_run *run, const char *family)
{
	for (size_t i = 0; run && i < run->nbenches; i++)
		if (pg_name_in_family(run->benches[i].name, family))
			return 1;
	return 0;
}

/* The results that failed in the runs used and have no samples in
 * `pooled` (a benchmark that failed in the commit's only run), or NULL. */
static pg_run *failed_results(const pg_baseline *b, const pg_run *pooled, pg_run *const *runs,
			      size_t n, int include_dirty)
{
	pg_run *failed = NULL;
	for (size_t i = n; i-- > 0;) {
		if (!include_dirty && runs[i]->dirty)
			continue;
		for (size_t k = 0; k < runs[i]->nbenches; k++) {
			const pg_bench_result *br = &runs[i]->benches[k];
			if (!br->failed || (b->bench && strcmp(br->name, b->bench)) ||
			    has_family(pooled, br->name) ||
			    (failed && pg_run_find_bench(failed, br->name)))
				continue;
			if (!failed)
				failed = pg_run_new();
			pg_bench_result *f = pg_run_add_failed(failed, br->name,
							       br->reason ? br->reason : "failed");
			f->definition = br->definition ? pg_strdup(br->definition) : NULL;
		}
	}
	return failed;
}

int pg_baseline_add(pg_baseline *b, const char *sha, pg_run *const *runs, size_t n,
		    int include_dirty)
{
	pg_run *pooled = NULL;
	int dirty = 0;
	/* the newest run is what the reference learns from first */
	for (size_t i = n; i-- > 0;) {
		if (!include_dirty && runs[i]->dirty)
			continue;
		for (size_t k = 0; k < runs[i]->nbenches; k++)
			if (wanted(b, &runs[i]->benches[k]))
				learn(b->ref, &runs[i]->benches[k]);
	}
	for (size_t i = 0; i < n; i++) {
		const pg_run *r = runs[i];
		if (!include_dirty && r->dirty)
			continue;
		dirty |= r->dirty;
		for (size_t k = 0; k < r->nbenches; k++)
			if (wanted(b, &r->benches[k]))
				pool_bench(b, &pooled, r, &r->benches[k], sha);
	}
	if (!pooled)
		return 0;
	pooled->dirty = dirty;
	b->commits = pg_array_grow(b->commits, &b->alloc, b->n + 1, sizeof(*b->commits));
	memcpy(b->commits[b->n].sha, sha, PG_SHA_LEN + 1);
	b->commits[b->n].pooled = pooled;
	b->commits[b->n++].failed = failed_results(b, pooled, runs, n, include_dirty);
	return 1;
}

void pg_baseline_init(pg_baseline *b, const pg_run *current, const char *bench)
{
	memset(b, 0, sizeof(*b));
	b->ref = pg_run_new();
	b->current = current;
	b->bench = bench ? pg_strdup(bench) : NULL;
	for (size_t i = 0; current && i < current->nbenches; i++) {
		const pg_bench_result *cb = &current->benches[i];
		if (bench && strcmp(cb->name, bench))
			continue;
		pg_bench_result *rb = pg_run_add_bench(b->ref, cb->name);
		rb->definition = cb->definition ? pg_strdup(cb->definition) : NULL;
		for (size_t m = 0; m < cb->nmetrics; m++)
			pg_bench_metric(rb, cb->metrics[m].name, cb->metrics[m].unit,
					cb->metrics[m].higher_is_better);
	}
}

const char *pg_baseline_unit(const pg_baseline *b, const char *bench, const char *metric)
{
	const pg_bench_result *rb = pg_run_find_bench(b->ref, bench);
	const pg_metric_result *rm = rb ? pg_bench_find_metric(rb, metric) : NULL;
	return rm ? rm->unit : NULL;
}

typedef struct walk_state {
	pg_baseline *out;
	pg_store *store;
	const pg_baseline_opts *opts;
	int err;
} walk_state;

static int visit(const char *sha, void *payload)
{
	walk_state *w = payload;
	pg_run **runs;
	size_t n;
	w->out->walked++;
	if (w->opts->skip_start && !strcmp(sha, w->opts->start))
		return 0;
	if ((w->err = pg_store_load(w->store, sha, w->opts->testbed, &runs, &n)) < 0)
		return 1;
	pg_baseline_add(w->out, sha, runs, n, w->opts->include_dirty);
	pg_runs_free(runs, n);
	return w->out->n >= w->opts->window;
}

int pg_baseline_collect(pg_baseline *out, pg_repo *repo, pg_store *store,
			const pg_baseline_opts *opts)
{
	walk_state w = { out, store, opts, 0 };
	pg_baseline_init(out, opts->current, opts->bench);
	if (!opts->window)
		return 0;
	int rc = pg_repo_walk_first_parent(repo, opts->start, PG_BASELINE_MAX_WALK, visit, &w,
					   &out->truncated);
	if (w.err < 0 || rc < 0)
		pg_baseline_free(out);
	if (w.err < 0)
		return w.err;
	return rc < 0 ? rc : 0;
}

void pg_baseline_free(pg_baseline *b)
{
	for (size_t i = 0; i < b->n; i++) {
		pg_run_free(b->commits[i].pooled);
		pg_run_free(b->commits[i].failed);
	}
	for (size_t i = 0; i < b->nnotes; i++) {
		free(b->notes[i].bench);
		free(b->notes[i].metric);
		free(b->notes[i].want);
		free(b->notes[i].found);
		pg_run_free(b->notes[i].seen);
	}
	free(b->notes);
	free(b->commits);
	pg_run_free(b->ref);
	free(b->bench);
	memset(b, 0, sizeof(*b));
}

void pg_baseline_keep_since(pg_baseline *b, pg_repo *repo, const char *since)
{
	size_t keep = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (strcmp(b->commits[i].sha, since) && pg_repo_is_ancestor(repo, b->commits[i].sha, since)) {
			pg_run_free(b->commits[i].pooled);
			pg_run_free(b->commits[i].failed);
		} else {
			b->commits[keep++] = b->commits[i];
		}
	}
	b->n = keep;
}

/* Whether the note's newest commit kept comparable results of its bench
 * too (older = 0), or commits older than it did (older = 1). */
static int kept(const pg_baseline *b, const pg_baseline_note *n, int older)
{
	for (size_t i = n->at; i < b->n; i++)
		if ((strcmp(b->commits[i].sha, n->sha) != 0) == older &&
		    pg_run_find_bench(b->commits[i].pooled, n->bench))
			return 1;
	return 0;
}

#define OTHER_DEFINITION "another command, cwd, env, format, output or metrics"
#define NEVER_MIXED "samples in different units are never compared"

void pg_baseline_warn(const pg_baseline *b, pg_notes_for what)
{
	for (size_t i = 0; i < b->nnotes; i++) {
		const pg_baseline_note *n = &b->notes[i];
		pg_buf who = PG_BUF_INIT;
		pg_buf_puts(&who, n->bench);
		if (n->more)
			pg_buf_printf(&who, " and %zu more result%s", n->more, n->more == 1 ? "" : "s");
		if (!n->definition)
			pg_buf_printf(&who, " %s", n->metric);
		if (n->definition && what == PG_NOTES_HISTORY && kept(b, n, 0))
			/* e.g. the base of an A/B run of another configuration */
			pg_warn("%s: runs at %.12s measured with " OTHER_DEFINITION " are left out; "
				"its runs with this definition are used", who.ptr, n->sha);
		else if (n->definition && what == PG_NOTES_HISTORY && kept(b, n, 1))
			pg_warn("%s: results at %zu commit%s (%.12s first) measured with "
				OTHER_DEFINITION " are left out; older ones with this definition are "
				"used", who.ptr, n->commits, n->commits == 1 ? "" : "s", n->sha);
		else if (n->definition && what == PG_NOTES_HISTORY)
			pg_warn("%s: definition changed at %.12s, baseline restarts (results measured "
				"with " OTHER_DEFINITION " are never compared)", who.ptr, n->sha);
		else if (n->definition && what == PG_NOTES_HEAD)
			pg_warn("%s: older runs at HEAD (%.12s) were measured with " OTHER_DEFINITION
				"; only the newest definition's samples are used", who.ptr, n->sha);
		else if (n->definition)
			pg_warn("%s: stored results at %zu commit%s (%.12s first) were measured with "
				OTHER_DEFINITION "; not used", who.ptr, n->commits,
				n->commits == 1 ? "" : "s", n->sha);
		else if (what == PG_NOTES_HISTORY)
			pg_warn("%s: %zu commit%s measured in %s, not %s, left out (newest %.12s): "
				NEVER_MIXED, who.ptr, n->commits, n->commits == 1 ? "" : "s", n->found,
				n->want, n->sha);
		else if (what == PG_NOTES_HEAD)
			pg_warn("%s: older runs at HEAD (%.12s) measured in %s, not %s, left out: "
				NEVER_MIXED, who.ptr, n->sha, n->found, n->want);
		else
			pg_warn("%s: stored samples at %zu commit%s (%.12s first) are in %s, not %s; "
				"not used: " NEVER_MIXED, who.ptr, n->commits, n->commits == 1 ? "" : "s",
				n->sha, n->found, n->want);
		pg_buf_free(&who);
	}
}

size_t pg_baseline_points(const pg_baseline *b, const char *bench, const char *metric,
			  pg_series_point *pts)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++) {
		pg_bench_result *br = pg_run_find_bench(b->commits[i].pooled, bench);
		pg_metric_result *m = br ? pg_bench_find_metric(br, metric) : NULL;
		if (m && m->samples.n)
			pts[n++] = (pg_series_point){ b->commits[i].sha, m, b->commits[i].pooled->dirty };
	}
	return n;
}

void pg_baseline_series(const pg_baseline *b, const char *bench, const char *metric,
			const char *unit, pg_samples *medians, pg_samples *pooled)
{
	pg_series_point *pts = pg_malloc((b->n ? b->n : 1) * sizeof(*pts));
	for (size_t i = pg_baseline_points(b, bench, metric, pts); i-- > 0;) {
		const pg_metric_result *m = pts[i].m;
		if (unit && strcmp(m->unit, unit))
			continue;
		if (medians)
			pg_samples_push(medians, pg_stats_median(m->samples.v, m->samples.n));
		if (pooled)
			pg_samples_extend(pooled, &m->samples);
	}
	free(pts);
}
