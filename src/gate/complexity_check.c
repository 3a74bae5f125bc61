/*
 * complexity_check.c - fitting families of results and judging their
 * class (complexity_check.h).
 */
#include "complexity_check.h"
#include "complexity.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct family {
	char *name;
	const char *metric;   /* points into the first member's metric */
	const char *first;    /* the first member's result name */
	pg_samples size, cost;
} family;

typedef struct families {
	family *v;
	size_t n, alloc;
} families;

/* The size in the last part of a result's name: "1024", "n=1024", "n:1024". */
static int parse_size(const char *s, double *out)
{
	const char *d = s + strcspn(s, "=:");
	char *end;
	if (*d)
		d++;
	else
		d = s;
	if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(d) > 15)
		return -1; /* decimal digits only: no "0x10", "1e5" */
	*out = strtod(d, &end);
	return *end || !(*out >= 1) ? -1 : 0;
}

/* The cost metric of a result: wall_time, time_per_op, or the first
 * lower-is-better one. */
static const pg_metric_result *cost_metric(const pg_bench_result *b, const char *want)
{
	if (want)
		return pg_bench_find_metric(b, want);
	const pg_metric_result *m = pg_bench_find_metric(b, "wall_time");
	if (!m)
		m = pg_bench_find_metric(b, "time_per_op");
	for (size_t i = 0; !m && i < b->nmetrics; i++)
		if (!b->metrics[i].higher_is_better)
			m = &b->metrics[i];
	return m;
}

static family *find_family(families *fs, const char *name, size_t len)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strlen(fs->v[i].name) == len && !strncmp(fs->v[i].name, name, len))
			return &fs->v[i];
	return NULL;
}

/* The families of `run`; with `like`, only its families, on its metrics. */
static void collect(families *fs, const pg_run *run, const families *like)
{
	for (size_t i = 0; run && i < run->nbenches; i++) {
		const pg_bench_result *b = &run->benches[i];
		const char *slash = strrchr(b->name, '/');
		double size;
		if (b->failed || !slash || slash == b->name || parse_size(slash + 1, &size) < 0)
			continue;
		size_t len = (size_t)(slash - b->name);
		family *f = find_family(fs, b->name, len);
		const family *model = like ? find_family((families *)like, b->name, len) : NULL;
		if (like && !model)
			continue;
		const pg_metric_result *m = cost_metric(b, f ? f->metric : model ? model->metric : NULL);
		if (!m || !m->samples.n)
			continue;
		if (!f) {
			fs->v = pg_array_grow(fs->v, &fs->alloc, fs->n + 1, sizeof(*fs->v));
			f = &fs->v[fs->n++];
			memset(f, 0, sizeof(*f));
			f->name = pg_calloc(len + 1, 1);
			memcpy(f->name, b->name, len);
			f->metric = m->name;
			f->first = b->name;
		}
		pg_samples_push(&f->size, size);
		pg_samples_push(&f->cost, pg_stats_median(m->samples.v, m->samples.n));
	}
}

static void free_families(families *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].name);
		pg_samples_free(&fs->v[i].size);
		pg_samples_free(&fs->v[i].cost);
	}
	free(fs->v);
}

static void set_note(pg_complexity_row *c, const char *side, const char *why)
{
	pg_buf note = PG_BUF_INIT;
	if (c->note)
		pg_buf_printf(&note, "%s; ", c->note);
	pg_buf_printf(&note, "%s: %s", side, why);
	free(c->note);
	c->note = pg_buf_detach(&note);
}

/* The baseline's class of family `f`: from the newest run that has it. */
static void baseline_class(pg_complexity_row *c, const family *f, const pg_run *const *before,
			   size_t nbefore)
{
	families one = { 0 }, like = { (family *)f, 1, 1 };
	for (size_t i = 0; i < nbefore && c->base_cls < 0; i++) {
		collect(&one, before[i], &like);
		if (one.n && one.v[0].size.n >= PG_COMPLEXITY_MIN_SIZES) {
			pg_complexity_fit fit;
			pg_complexity_fit_points(&fit, one.v[0].size.v, one.v[0].cost.v, one.v[0].size.n);
			if (fit.decided)
				c->base_cls = (int)fit.cls;
			else
				set_note(c, "baseline", fit.why);
			free_families(&one);
			memset(&one, 0, sizeof(one));
			return;
		}
		free_families(&one);
		memset(&one, 0, sizeof(one));
	}
}

void pg_gate_check_complexity(pg_report *r, const pg_run *current, const pg_run *const *before,
			      size_t nbefore, const pg_config *cfg)
{
	families fs = { 0 };
	collect(&fs, current, NULL);
	for (size_t i = 0; i < fs.n; i++) {
		const family *f = &fs.v[i];
		const pg_bench_config *bc = pg_config_owner(cfg, f->first);
		pg_complexity_fit fit;
		if (f->size.n < PG_COMPLEXITY_MIN_SIZES)
			continue; /* two or three arguments: not a family to fit */
		pg_complexity_row *c = pg_report_add_complexity(r, f->name, f->metric);
		pg_complexity_fit_points(&fit, f->size.v, f->cost.v, f->size.n);
		c->sizes = f->size.n;
		c->nrms = fit.nrms;
		c->budget = bc ? bc->complexity : -1;
		if (fit.decided) {
			c->cls = (int)fit.cls;
			c->coef = fit.coef;
		} else {
			set_note(c, "this run", fit.why);
		}
		baseline_class(c, f, before, nbefore);
		c->severity = c->cls < 0 ? PG_SEV_OK : c->base_cls < 0 ? PG_SEV_NEW
			      : c->cls > c->base_cls ? PG_SEV_CRITICAL
			      : c->cls < c->base_cls ? PG_SEV_IMPROVED : PG_SEV_OK;
		if (c->base_cls < 0 && !c->note && nbefore)
			set_note(c, "baseline", "no results of this family");
		if (c->budget >= 0 && c->cls > c->budget) {
			c->severity = PG_SEV_CRITICAL;
			set_note(c, "budget", "worse than its \"complexity\"");
		} else if (c->budget >= 0 && c->cls < 0) {
			set_note(c, "budget", "not checked: the fit cannot tell");
		}
	}
	free_families(&fs);
}
