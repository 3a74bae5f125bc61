/*
 * results.c - the run document: building it, and JSON in and out.
 */
#include "results.h"
#include "buf.h"
#include "validate.h"
#include "error.h"
#include "fsutil.h"
#include "name_index.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

pg_run *pg_run_new(void)
{
	return pg_calloc(1, sizeof(pg_run));
}

void pg_samples_push(pg_samples *s, double v)
{
	s->v = pg_array_grow(s->v, &s->alloc, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = v;
}

void pg_samples_extend(pg_samples *s, const pg_samples *from)
{
	for (size_t i = 0; i < from->n; i++)
		pg_samples_push(s, from->v[i]);
}

void pg_samples_free(pg_samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

_Static_assert(offsetof(pg_bench_result, name) == 0, "an indexed item starts with its name");
_Static_assert(offsetof(pg_metric_result, name) == 0, "an indexed item starts with its name");

/* ---- building a run ----------------------------------------------------- */

void pg_bench_clear_metrics(pg_bench_result *b)
{
	for (size_t i = 0; i < b->nmetrics; i++) {
		free(b->metrics[i].name);
		free(b->metrics[i].unit);
		pg_samples_free(&b->metrics[i].samples);
		pg_samples_free(&b->metrics[i].counts);
	}
	free(b->metrics);
	pg_name_index_free(b->index);
	b->index = NULL;
	b->metrics = NULL;
	b->nmetrics = b->alloc = 0;
}

static void bench_free(pg_bench_result *b)
{
	pg_bench_clear_metrics(b);
	free(b->name);
	free(b->reason);
	free(b->definition);
}

void pg_run_drop_last_bench(pg_run *run)
{
	if (run->nbenches)
		bench_free(&run->benches[--run->nbenches]);
	pg_name_index_invalidate(run->index);
}

int pg_name_in_family(const char *name, const char *family)
{
	size_t n = strlen(family);
	return !strncmp(name, family, n) && (name[n] == '\0' || name[n] == '/');
}

/* Keeps the results for which in_family(name) == keep_family, in order. */
static void filter_family(pg_run *run, const char *family, int keep_family)
{
	size_t keep = 0;
	for (size_t i = 0; i < run->nbenches; i++) {
		if (pg_name_in_family(run->benches[i].name, family) == keep_family)
			run->benches[keep++] = run->benches[i];
		else
			bench_free(&run->benches[i]);
	}
	run->nbenches = keep;
	pg_name_index_invalidate(run->index);
}

void pg_run_remove_family(pg_run *run, const char *family)
{
	filter_family(run, family, 0);
}

void pg_run_keep_family(pg_run *run, const char *family)
{
	filter_family(run, family, 1);
}

void pg_run_set_definition(pg_run *run, const char *family, const char *definition)
{
	for (size_t i = 0; i < run->nbenches; i++) {
		pg_bench_result *b = &run->benches[i];
		if (!pg_name_in_family(b->name, family))
			continue;
		free(b->definition);
		b->definition = definition ? pg_strdup(definition) : NULL;
	}
}

void pg_run_free(pg_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->nbenches; i++)
		bench_free(&run->benches[i]);
	free(run->benches);
	pg_name_index_free(run->index);
	free(run->commit);
	free(run->branch);
	free(run->testbed);
	free(run->timestamp);
	json_decref(run->environment);
	json_decref(run->durations);
	free(run);
}

pg_bench_result *pg_run_add_bench(pg_run *run, const char *name)
{
	run->benches = pg_array_grow(run->benches, &run->alloc, run->nbenches + 1,
				     sizeof(*run->benches));
	pg_bench_result *b = &run->benches[run->nbenches++];
	memset(b, 0, sizeof(*b));
	b->name = pg_strdup(name);
	pg_name_index_appended(run->index, b->name, run->nbenches);
	return b;
}

pg_bench_result *pg_run_add_failed(pg_run *run, const char *name, const char *reason)
{
	pg_bench_result *b = pg_run_add_bench(run, name);
	b->failed = 1;
	b->reason = pg_strdup(reason);
	return b;
}

pg_metric_result *pg_bench_find_metric(const pg_bench_result *cb, const char *name)
{
	/* The index is a cache: building it does not change what the benchmark holds. */
	pg_bench_result *b = (pg_bench_result *)cb;
	size_t i = pg_name_index_find(&b->index, b->metrics, sizeof(*b->metrics), b->nmetrics, name);
	return i == PG_NAME_NONE ? NULL : &b->metrics[i];
}

pg_metric_result *pg_bench_metric(pg_bench_result *b, const char *name, const char *unit,
				  int higher_is_better)
{
	pg_metric_result *m = pg_bench_find_metric(b, name);
	if (m)
		return m;
	b->metrics = pg_array_grow(b->metrics, &b->alloc, b->nmetrics + 1, sizeof(*b->metrics));
	m = &b->metrics[b->nmetrics++];
	memset(m, 0, sizeof(*m));
	m->name = pg_strdup(name);
	m->unit = pg_strdup(unit);
	m->higher_is_better = higher_is_better;
	pg_name_index_appended(b->index, m->name, b->nmetrics);
	return m;
}

pg_bench_result *pg_run_find_bench(const pg_run *crun, const char *name)
{
	/* The index is a cache: building it does not change what the run holds. */
	pg_run *run = (pg_run *)crun;
	size_t i = pg_name_index_find(&run->index, run->benches, sizeof(*run->benches),
				      run->nbenches, name);
	return i == PG_NAME_NONE ? NULL : &run->benches[i];
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

void pg_metric_add_counted(pg_metric_result *m, double v, size_t count)
{
	pg_samples_push(&m->samples, v);
	pg_samples_push(&m->counts, (double)count);
}

static json_t *metric_to_json(const pg_metric_result *m)
{
	json_t *samples = json_array(), *j;
	for (size_t i = 0; i < m->samples.n; i++)
		json_array_append_new(samples, json_real(m->samples.v[i]));
	j = json_pack("{s:s, s:s, s:o}", "unit", m->unit, "direction",
		      m->higher_is_better ? "higher" : "lower", "samples", samples);
	if (m->counts.n && m->counts.n == m->samples.n) {
		json_t *counts = json_array();
		for (size_t i = 0; i < m->counts.n; i++)
			json_array_append_new(counts, json_integer((json_int_t)m->counts.v[i]));
		json_object_set_new(j, "counts", counts);
	}
	return j;
}

static json_t *bench_to_json(const pg_bench_result *b)
{
	json_t *metrics = json_object();
	for (size_t i = 0; i < b->nmetrics; i++)
		json_object_set_new(metrics, b->metrics[i].name, metric_to_json(&b->metrics[i]));
	json_t *j = json_pack("{s:s, s:s}", "name", b->name, "status", b->failed ? "failed" : "ok");
	if (b->reason)
		json_object_set_new(j, "reason", json_string(b->reason));
	if (b->definition)
		json_object_set_new(j, "definition", json_string(b->definition));
	json_object_set_new(j, "metrics", metrics);
	return j;
}

json_t *pg_run_to_json(const pg_run *run)
{
	json_t *benches = json_array();
	for (size_t i = 0; i < run->nbenches; i++)
		json_array_append_new(benches, bench_to_json(&run->benches[i]));
	json_t *env = run->environment ? json_incref(run->environment) : json_object();
	json_t *j = json_pack("{s:s, s:i, s:o, s:b, s:o, s:o, s:o, s:o, s:o}", "format",
			      "perfgate-run", "version", PG_RESULTS_VERSION, "commit",
			      string_or_null(run->commit), "dirty", run->dirty, "branch",
			      string_or_null(run->branch), "testbed", string_or_null(run->testbed),
			      "timestamp", string_or_null(run->timestamp), "environment", env,
			      "benchmarks", benches);
	if (run->shard_count)
		json_object_set_new(j, "shard", json_pack("{s:i, s:i}", "index", run->shard_index,
							  "count", run->shard_count));
	if (run->durations)
		json_object_set(j, "durations", run->durations);
	return j;
}

char *pg_run_dump(const pg_run *run)
{
	json_t *j = pg_run_to_json(run);
	char *s = json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
	json_decref(j);
	if (!s) {
		fputs("perfgate: fatal: out of memory\n", stderr);
		abort();
	}
	return s;
}

int pg_run_save(const pg_run *run, const char *path)
{
	char *s = pg_run_dump(run);
	size_t len = strlen(s);
	s = pg_realloc(s, len + 2);
	s[len++] = '\n';
	int err = pg_file_write_atomic(path, s, len);
	free(s);
	return err;
}

/* ---- parsing ---------------------------------------------------------- */

int pg_definition_valid(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == PG_DEFINITION_LEN && !s[n];
}

static int bad(const char *where, const char *what)
{
	return pg_error_set(PG_ECORRUPT, "%s: %s", where, what);
}

static int parse_metric(pg_bench_result *b, const char *name, json_t *m, const char *where)
{
	json_t *unit = json_object_get(m, "unit"), *dir = json_object_get(m, "direction");
	json_t *samples = json_object_get(m, "samples"), *v;
	size_t i;
	if (!json_is_object(m) || !json_is_string(unit) || !json_is_string(dir) ||
	    !json_is_array(samples))
		return bad(where, "a metric lacks unit, direction or samples");
	if (strcmp(json_string_value(dir), "lower") && strcmp(json_string_value(dir), "higher"))
		return bad(where, "a metric's direction is neither \"lower\" nor \"higher\"");
	if (pg_name_problem(name))
		return bad(where, "a metric name is invalid");
	if (pg_unit_problem(json_string_value(unit)))
		return bad(where, "a metric's unit is invalid");
	if (pg_bench_find_metric(b, name))
		return bad(where, "a metric appears twice");
	pg_metric_result *mr = pg_bench_metric(b, name, json_string_value(unit),
					       !strcmp(json_string_value(dir), "higher"));
	json_array_foreach(samples, i, v) {
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return bad(where, "a sample is not a finite number");
		pg_samples_push(&mr->samples, json_number_value(v));
	}
	/* "counts": optional, one non-negative integer per sample */
	json_t *counts = json_object_get(m, "counts");
	if (counts && (!json_is_array(counts) || json_array_size(counts) != json_array_size(samples)))
		return bad(where, "a metric's counts are not one per sample");
	json_array_foreach(counts, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 1000000000000)
			return bad(where, "a metric's count is not an integer from 0 to 10^12");
		pg_samples_push(&mr->counts, (double)json_integer_value(v));
	}
	return 0;
}

static int parse_bench(pg_run *run, json_t *j, const char *where)
{
	json_t *name = json_object_get(j, "name"), *status = json_object_get(j, "status");
	json_t *metrics = json_object_get(j, "metrics"), *reason = json_object_get(j, "reason"), *m;
	json_t *def = json_object_get(j, "definition");
	const char *key;
	if (!json_is_object(j) || !json_is_string(name) || !json_is_string(status) ||
	    !json_is_object(metrics))
		return bad(where, "a benchmark lacks name, status or metrics");
	if (pg_name_problem(json_string_value(name)))
		return bad(where, "a benchmark name is invalid");
	if (pg_run_find_bench(run, json_string_value(name)))
		return bad(where, "a benchmark appears twice");
	pg_bench_result *b = pg_run_add_bench(run, json_string_value(name));
	b->failed = !strcmp(json_string_value(status), "failed");
	if (!b->failed && strcmp(json_string_value(status), "ok"))
		return bad(where, "a benchmark status is neither \"ok\" nor \"failed\"");
	if (json_is_string(reason))
		b->reason = pg_strdup(json_string_value(reason));
	if (def && !pg_definition_valid(json_is_string(def) ? json_string_value(def) : ""))
		return bad(where, "a benchmark's definition is not 16 hex digits");
	if (def)
		b->definition = pg_strdup(json_string_value(def));
	json_object_foreach(metrics, key, m) {
		int err = parse_metric(b, key, m, where);
		if (err < 0)
			return err;
	}
	return 0;
}

static char *opt_string(json_t *doc, const char *key)
{
	json_t *v = json_object_get(doc, key);
	return json_is_string(v) ? pg_strdup(json_string_value(v)) : NULL;
}

/* "shard": {"index": K, "count": N}, 1 <= K <= N <= PG_SHARD_MAX. */
static int parse_shard(pg_run *run, json_t *shard, const char *where)
{
	json_t *k = json_object_get(shard, "index"), *n = json_object_get(shard, "count");
	if (!shard || json_is_null(shard))
		return 0;
	if (!json_is_integer(k) || !json_is_integer(n) || json_integer_value(n) < 1 ||
	    json_integer_value(n) > PG_SHARD_MAX || json_integer_value(k) < 1 ||
	    json_integer_value(k) > json_integer_value(n))
		return bad(where, "\"shard\": expected {\"index\": K, \"count\": N} with 1 <= K <= N "
			   "<= 1000");
	run->shard_index = (int)json_integer_value(k);
	run->shard_count = (int)json_integer_value(n);
	return 0;
}

/* "durations": only a hint for balancing shards, so entries that are not
 * a valid name with a finite number of seconds (0 to 1e7) are dropped. */
static void parse_durations(pg_run *run, json_t *d)
{
	const char *key;
	json_t *v;
	if (!json_is_object(d))
		return;
	run->durations = json_object();
	json_object_foreach(d, key, v) {
		double x = json_number_value(v);
		if (json_is_number(v) && isfinite(x) && x >= 0 && x <= 1e7 &&
		    !pg_name_problem(key))
			json_object_set_new(run->durations, key, json_real(x));
	}
}

int pg_run_from_json(pg_run **out, json_t *doc, const char *where)
{
	json_t *fmt = json_object_get(doc, "format"), *ver = json_object_get(doc, "version");
	json_t *benches = json_object_get(doc, "benchmarks"), *b;
	size_t i;
	int err = 0;
	*out = NULL;
	if (!json_is_object(doc) || !json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), "perfgate-run"))
		return bad(where, "not a perfgate result document (no \"format\": \"perfgate-run\")");
	if (!json_is_integer(ver) || json_integer_value(ver) < 1)
		return bad(where, "missing or invalid \"version\"");
	if (json_integer_value(ver) > PG_RESULTS_VERSION)
		return pg_error_set(PG_ECORRUPT,
				    "%s: written by a newer perfgate (format version %lld, this one "
				    "reads up to %d); upgrade perfgate",
				    where, (long long)json_integer_value(ver), PG_RESULTS_VERSION);
	if (!json_is_array(benches) || !json_is_string(json_object_get(doc, "commit")))
		return bad(where, "missing \"commit\" or \"benchmarks\"");
	pg_run *run = pg_run_new();
	run->commit = opt_string(doc, "commit");
	run->branch = opt_string(doc, "branch");
	run->testbed = opt_string(doc, "testbed");
	run->timestamp = opt_string(doc, "timestamp");
	run->dirty = json_is_true(json_object_get(doc, "dirty"));
	if (json_is_object(json_object_get(doc, "environment")))
		run->environment = json_incref(json_object_get(doc, "environment"));
	if ((err = parse_shard(run, json_object_get(doc, "shard"), where)) < 0) {
		pg_run_free(run);
		return err;
	}
	parse_durations(run, json_object_get(doc, "durations"));
	json_array_foreach(benches, i, b) {
		if ((err = parse_bench(run, b, where)) < 0)
			break;
	}
	if (err < 0) {
		pg_run_free(run);
		return err;
	}
	*out = run;
	return 0;
}

int pg_run_load(pg_run **out, const char *path)
{
	json_error_t jerr;
	*out = NULL;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		if (jerr.line <= 0 && jerr.position == 0 && strstr(jerr.text, "unable to open"))
			return pg_error_set(PG_ENOTFOUND, "%s: cannot open", path);
		return pg_error_set(PG_ECORRUPT, "%s:%d:%d: malformed JSON: %s", path, jerr.line,
				    jerr.column, jerr.text);
	}
	int err = pg_run_from_json(out, doc, path);
	json_decref(doc);
	return err;
}
