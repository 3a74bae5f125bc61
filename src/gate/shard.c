/*
 * shard.c - `--shard K/N`: shares of the benchmarks balanced by their last
 * known durations, and the shares put back together (see shard.h).
 */
#include "shard.h"
#include "buf.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int pg_shard_parse(const char *spec, int *k, int *n)
{
	char *end;
	long a, b;
	if (!spec || !(spec[0] >= '0' && spec[0] <= '9'))
		goto bad;
	a = strtol(spec, &end, 10);
	if (*end != '/' || !(end[1] >= '0' && end[1] <= '9'))
		goto bad;
	b = strtol(end + 1, &end, 10);
	if (*end || a < 1 || b < 1 || a > b || b > PG_SHARD_MAX)
		goto bad;
	*k = (int)a;
	*n = (int)b;
	return 0;
bad:
	return pg_error_set(PG_EUSAGE, "--shard: expected K/N with 1 <= K <= N <= %d (e.g. 2/4), "
			    "got '%s'", PG_SHARD_MAX, spec ? spec : "");
}

typedef struct find_durations {
	const pg_gate_env *env;
	int skip;          /* the walk starts at HEAD: skip it */
	json_t *durations; /* found: a new reference */
} find_durations;

static int newest_durations(const char *sha, void *payload)
{
	find_durations *f = payload;
	pg_run **runs;
	size_t n;
	if (f->skip) {
		f->skip = 0;
		return 0;
	}
	if (pg_store_load(f->env->store, sha, f->env->testbed, &runs, &n) < 0)
		return 0;
	for (size_t i = n; i-- > 0 && !f->durations;)
		if (runs[i]->durations && json_object_size(runs[i]->durations))
			f->durations = json_incref(runs[i]->durations);
	pg_runs_free(runs, n);
	return f->durations != NULL;
}

/* The durations of the newest run with any, from the merge-base down. */
static json_t *last_durations(const pg_gate_env *env)
{
	char base[PG_SHA_LEN + 1], start[PG_SHA_LEN + 1];
	find_durations f = { env, 0, NULL };
	int truncated;
	if (pg_repo_resolve_branch(env->repo, env->cfg->base, base) < 0 ||
	    pg_repo_merge_base(env->repo, env->head, base, start) < 0) {
		pg_error_clear();
		return NULL;
	}
	/* HEAD's own runs are being written by the other shards: never read */
	f.skip = !strcmp(start, env->head);
	pg_repo_walk_first_parent(env->repo, start, (size_t)env->cfg->window + 1 + (size_t)f.skip,
				  newest_durations, &f, &truncated);
	pg_error_clear();
	return f.durations;
}

typedef struct sized {
	size_t index;     /* in cfg->benches */
	double seconds;
	int share;        /* 1-based */
} sized;

static int cmp_sized(const void *a, const void *b, void *cfg)
{
	const sized *x = a, *y = b;
	const pg_config *c = cfg;
	if (x->seconds != y->seconds)
		return x->seconds > y->seconds ? -1 : 1;
	return strcmp(c->benches[x->index].name, c->benches[y->index].name);
}

/* qsort_r is not C11: a small insertion sort (config lists are short). */
static void sort_sized(sized *s, size_t n, const pg_config *cfg)
{
	for (size_t i = 1; i < n; i++) {
		sized v = s[i];
		size_t j = i;
		while (j > 0 && cmp_sized(&s[j - 1], &v, (void *)cfg) > 0) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = v;
	}
}

size_t pg_shard_order(pg_config *cfg, const pg_gate_env *env, int k, int n, int *balanced)
{
	json_t *d = last_durations(env);
	sized *s = pg_calloc(cfg->nbenches + 1, sizeof(*s));
	double *load = pg_calloc((size_t)n, sizeof(*load)), known = 0;
	size_t nknown = 0, m = 0;
	for (size_t i = 0; i < cfg->nbenches; i++) {
		json_t *v = json_object_get(d, cfg->benches[i].name);
		s[i].index = i;
		s[i].seconds = json_is_number(v) ? json_number_value(v) : -1;
		if (s[i].seconds >= 0) {
			known += s[i].seconds;
			nknown++;
		}
	}
	*balanced = nknown > 0;
	for (size_t i = 0; i < cfg->nbenches; i++)
		if (s[i].seconds < 0)
			s[i].seconds = nknown ? known / (double)nknown : 1.0;
	sort_sized(s, cfg->nbenches, cfg);
	for (size_t i = 0; i < cfg->nbenches; i++) {
		int best = 0;
		for (int j = 1; j < n; j++)
			if (load[j] < load[best])
				best = j;
		load[best] += s[i].seconds;
		s[i].share = best + 1;
	}
	/* this share's benchmarks first, in their config order */
	pg_bench_config *all = pg_malloc((cfg->nbenches + 1) * sizeof(*all));
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < cfg->nbenches; i++) {
			int mine = 0;
			for (size_t j = 0; j < cfg->nbenches; j++)
				if (s[j].index == i)
					mine = s[j].share == k;
			if (mine == (pass == 0))
				all[m++] = cfg->benches[i];
		}
	memcpy(cfg->benches, all, cfg->nbenches * sizeof(*all));
	size_t mine = 0;
	for (size_t i = 0; i < cfg->nbenches; i++)
		mine += s[i].share == k;
	free(all);
	free(s);
	free(load);
	json_decref(d);
	return mine;
}

static int has_family(const pg_run *run, const char *family)
{
	for (size_t i = 0; i < run->nbenches; i++)
		if (pg_name_in_family(run->benches[i].name, family))
			return 1;
	return 0;
}

int pg_shard_complete(pg_run *current, pg_run *const *runs, size_t n, const pg_config *cfg)
{
	int count = 0, nmissing = 0;
	char *seen;
	pg_buf missing = PG_BUF_INIT, why = PG_BUF_INIT;
	for (size_t i = n; i-- > 0 && !count;)
		count = runs[i]->shard_count;
	if (!count)
		return 0;
	seen = pg_calloc((size_t)count + 1, 1);
	for (size_t i = 0; i < n; i++)
		if (runs[i]->shard_count == count)
			seen[runs[i]->shard_index] = 1;
		else if (!runs[i]->shard_count)
			memset(seen, 1, (size_t)count + 1); /* a whole run covers every share */
	for (int k = 1; k <= count; k++)
		if (!seen[k]) {
			pg_buf_printf(&missing, "%s%d", nmissing ? ", " : "", k);
			nmissing++;
		}
	if (nmissing)
		pg_warn("shard%s %s of %d %s not stored for %.12s: %s benchmarks were not measured "
			"(a matrix job failed or was cancelled?)", nmissing == 1 ? "" : "s",
			missing.ptr, count, nmissing == 1 ? "was" : "were", current->commit, nmissing == 1 ? "its" : "their");
	for (size_t i = 0; i < cfg->nbenches; i++) {
		const char *name = cfg->benches[i].name;
		if (has_family(current, name))
			continue;
		pg_buf_clear(&why);
		if (nmissing)
			pg_buf_printf(&why, "not measured: shard%s %s of %d missing", nmissing == 1 ? "" : "s",
				      missing.ptr, count);
		else
			pg_buf_printf(&why, "not measured by any of the %d shards (did the jobs run "
					    "different perfgate.json files or histories?)", count);
		pg_run_add_failed(current, name, why.ptr);
	}
	free(seen);
	pg_buf_free(&missing);
	pg_buf_free(&why);
	return nmissing;
}

static void copy_bench(pg_run *to, const pg_bench_result *b)
{
	pg_bench_result *c = b->failed ? pg_run_add_failed(to, b->name, b->reason ? b->reason : "failed")
				       : pg_run_add_bench(to, b->name);
	if (b->definition)
		c->definition = pg_strdup(b->definition);
	for (size_t i = 0; i < b->nmetrics; i++) {
		const pg_metric_result *m = &b->metrics[i];
		pg_samples_extend(&pg_bench_metric(c, m->name, m->unit, m->higher_is_better)->samples,
				  &m->samples);
	}
}

int pg_shard_merge(pg_run **out, pg_run *const *docs, const char *const *names, size_t n)
{
	pg_run *m;
	*out = NULL;
	if (!n)
		return pg_error_set(PG_EUSAGE, "merge: no result files");
	for (size_t i = 0; i < n; i++) {
		if (!docs[i]->testbed || !docs[i]->commit)
			return pg_error_set(PG_ECORRUPT, "%s: no commit or testbed", names[i]);
		if (strcmp(docs[i]->commit, docs[0]->commit) || strcmp(docs[i]->testbed, docs[0]->testbed))
			return pg_error_set(PG_ECORRUPT, "%s: another commit or testbed than %s (%.12s on "
					    "the testbed of that file); merge the shards of one run only",
					    names[i], names[0], docs[0]->commit);
		for (size_t j = 0; j < i; j++)
			if (docs[i]->shard_count && docs[j]->shard_count &&
			    docs[j]->shard_count != docs[i]->shard_count)
				return pg_error_set(PG_ECORRUPT, "%s is shard %d/%d but %s is shard %d/%d: "
						    "merge the shards of one matrix only", names[j],
						    docs[j]->shard_index, docs[j]->shard_count, names[i],
						    docs[i]->shard_index, docs[i]->shard_count);
			else if (docs[i]->shard_count && docs[j]->shard_count == docs[i]->shard_count &&
			    docs[j]->shard_index == docs[i]->shard_index)
				return pg_error_set(PG_ECORRUPT, "%s and %s are both shard %d/%d", names[j],
						    names[i], docs[i]->shard_index, docs[i]->shard_count);
	}
	m = pg_run_new();
	m->commit = pg_strdup(docs[0]->commit);
	m->testbed = pg_strdup(docs[0]->testbed);
	m->branch = docs[0]->branch ? pg_strdup(docs[0]->branch) : NULL;
	m->environment = docs[0]->environment ? json_deep_copy(docs[0]->environment) : NULL;
	m->durations = json_object();
	for (size_t i = 0; i < n; i++) {
		m->dirty |= docs[i]->dirty;
		if (docs[i]->timestamp && (!m->timestamp || strcmp(docs[i]->timestamp, m->timestamp) > 0)) {
			free(m->timestamp);
			m->timestamp = pg_strdup(docs[i]->timestamp);
		}
		if (docs[i]->durations)
			json_object_update(m->durations, docs[i]->durations);
		for (size_t b = 0; b < docs[i]->nbenches; b++) {
			const pg_bench_result *r = &docs[i]->benches[b];
			if (pg_run_find_bench(m, r->name)) {
				pg_run_free(m);
				return pg_error_set(PG_ECORRUPT, "%s: result '%s' is in another of the files "
						    "too; merge each shard once", names[i], r->name);
			}
			copy_bench(m, r);
		}
	}
	*out = m;
	return 0;
}
