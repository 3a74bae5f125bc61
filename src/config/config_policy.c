/*
 * config_policy.c - the parts of perfgate.json that say how each metric is
 * judged: "budgets" (absolute limits) and "thresholds"."metrics" (per
 * metric thresholds), at the top level and in a benchmark's entry.
 *
 *   "budgets": {"max_rss": {"max": "100 MiB"},
 *               "items_per_second": {"min": "10000/s", "severity": "warning"}}
 *   "thresholds": {"notice": 5, "metrics": {"items_per_second":
 *                                           {"warning": 5, "critical": 15}}}
 *
 * A benchmark's budget for a metric replaces the top level's for that
 * metric; thresholds are resolved field by field (pg_config_thresholds).
 */
#include "complexity.h"
#include "config_priv.h"
#include "error.h"
#include "metric.h"
#include "utf8.h"
#include "validate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PCT_MAX 1e6 /* as config.c's thresholds */

/* Appends ".KEY" (shown printable) to the path; returns the old length. */
static size_t path_push(parse_ctx *c, const char *key)
{
	size_t mark = c->path.len;
	if (c->path.len)
		pg_buf_putc(&c->path, '.');
	if (!*key)
		pg_buf_puts(&c->path, "\"\"");
	pg_utf8_printable(&c->path, key, 60);
	return mark;
}

/* A metric's name as a key: what pg_name_problem() accepts. */
static int metric_name_ok(parse_ctx *c, const char *name)
{
	const char *problem = pg_name_problem(name);
	if (!problem)
		return 1;
	pg_buf what = PG_BUF_INIT;
	pg_buf_printf(&what, "a metric name %s", problem);
	pg_config_problem(c, NULL, what.ptr);
	pg_buf_free(&what);
	return 0;
}

/* ---- thresholds per metric ---- */

/* The fields `obj` sets, the others NAN. */
static void read_fields(parse_ctx *c, json_t *obj, pg_thresholds *t, int check)
{
	static const char *const names[] = { "sigma", "notice", "warning", "critical" };
	double *fields[] = { &t->sigma, &t->notice, &t->warning, &t->critical };
	for (int i = 0; i < 4; i++) {
		json_t *v = json_object_get(obj, names[i]);
		double lo = i ? 0 : 0.1, hi = i ? PCT_MAX : 100;
		*fields[i] = NAN;
		if (!v)
			continue;
		if (!json_is_number(v) || !(json_number_value(v) >= lo) ||
		    !(json_number_value(v) <= hi)) {
			if (check)
				pg_config_problem(c, names[i], i ? "expected a number from 0 to 1000000 (%)"
							       : "expected a number from 0.1 to 100");
			continue;
		}
		*fields[i] = json_number_value(v);
	}
}

static void overlay(pg_thresholds *t, const pg_thresholds *over)
{
	if (!isnan(over->sigma))
		t->sigma = over->sigma;
	if (!isnan(over->notice))
		t->notice = over->notice;
	if (!isnan(over->warning))
		t->warning = over->warning;
	if (!isnan(over->critical))
		t->critical = over->critical;
}

static pg_metric_thresholds *find_mt(pg_metric_thresholds *v, size_t n, const char *metric)
{
	for (size_t i = 0; metric && i < n; i++)
		if (!strcmp(v[i].metric, metric))
			return &v[i];
	return NULL;
}

/* `v` has room (parse_metric_thresholds allocates it). */
static void add_mt(pg_metric_thresholds *v, size_t *n, const char *metric, const pg_thresholds *t)
{
	v[*n].metric = pg_strdup(metric);
	v[(*n)++].t = *t;
}


static void check_order(parse_ctx *c, const pg_thresholds *t, const char *why)
{
	if (t->notice > t->warning || t->warning > t->critical) {
		pg_buf what = PG_BUF_INIT;
		pg_buf_printf(&what, "need notice <= warning <= critical%s (here notice %g, warning "
			      "%g, critical %g)", why, t->notice, t->warning, t->critical);
		pg_config_problem(c, NULL, what.ptr);
		pg_buf_free(&what);
	}
}

/* "thresholds"."metrics" of the top level (bc NULL) or of benchmark bc. */
static void parse_metric_thresholds(parse_ctx *c, json_t *obj, pg_config *cfg, pg_bench_config *bc)
{
	static const char *const keys[] = { "sigma", "notice", "warning", "critical", NULL };
	json_t *th = json_object_get(obj, "thresholds"), *metrics, *v;
	pg_thresholds general;
	const char *name;
	size_t outer = c->path.len;
	if (!json_is_object(th))
		th = NULL; /* none, or config.c said what is wrong */
	metrics = json_object_get(th, "metrics");
	read_fields(c, th, &general, 0);
	path_push(c, "thresholds");
	if (metrics && !json_is_object(metrics)) {
		pg_config_problem(c, "metrics", "expected an object of METRIC: {\"notice\", "
				  "\"warning\", \"critical\", \"sigma\"}");
		metrics = NULL;
	}
	if (bc)
		bc->mthresholds = pg_calloc(json_object_size(metrics) + cfg->nmthresholds + 1,
					    sizeof(*bc->mthresholds));
	else
		cfg->mthresholds = pg_calloc(json_object_size(metrics) + 1, sizeof(*cfg->mthresholds));
	path_push(c, "metrics");
	json_object_foreach(metrics, name, v) {
		size_t mark = path_push(c, name), before = c->nproblems;
		pg_thresholds own, t = bc ? bc->thresholds : cfg->thresholds;
		if (metric_name_ok(c, name) && !json_is_object(v))
			pg_config_problem(c, NULL, "expected an object of notice, warning, critical, sigma");
		else if (c->nproblems == before) {
			pg_config_check_keys(c, v, keys);
			read_fields(c, v, &own, 1);
			if (bc) {
				/* the global entry of this metric, then the benchmark's own
				 * fields, then its entry of this metric */
				const pg_metric_thresholds *g = find_mt(cfg->mthresholds,
									cfg->nmthresholds, name);
				t = g ? g->t : cfg->thresholds;
				overlay(&t, &general);
			}
			overlay(&t, &own);
			if (c->nproblems == before)
				check_order(c, &t, bc ? " (with the global ones)" : "");
			if (bc)
				add_mt(bc->mthresholds, &bc->nmthresholds, name, &t);
			else
				add_mt(cfg->mthresholds, &cfg->nmthresholds, name, &t);
		}
		pg_buf_truncate(&c->path, mark);
	}
	pg_buf_truncate(&c->path, outer);
	/* the global entries this benchmark has none of its own for */
	for (size_t i = 0; bc && i < cfg->nmthresholds; i++) {
		pg_thresholds t = cfg->mthresholds[i].t;
		if (find_mt(bc->mthresholds, bc->nmthresholds, cfg->mthresholds[i].metric))
			continue;
		overlay(&t, &general);
		if (isnan(general.notice) && isnan(general.warning) && isnan(general.critical) &&
		    isnan(general.sigma))
			t = cfg->mthresholds[i].t;
		else {
			size_t mark = path_push(c, "thresholds");
			pg_buf what = PG_BUF_INIT;
			pg_buf_puts(&what, " (with the global \"metrics\" entry of ");
			pg_utf8_printable(&what, cfg->mthresholds[i].metric, 60);
			pg_buf_puts(&what, ")");
			check_order(c, &t, what.ptr);
			pg_buf_free(&what);
			pg_buf_truncate(&c->path, mark);
		}
		add_mt(bc->mthresholds, &bc->nmthresholds, cfg->mthresholds[i].metric, &t);
	}
}

/* ---- budgets ---- */

/* One bound ("max" or "min"): a string with a unit or a plain number (in
 * the metric's own unit). */
static int parse_bound(parse_ctx *c, json_t *obj, const char *key, pg_quantity *q, char **text)
{
	json_t *v = json_object_get(obj, key);
	const char *why = NULL;
	if (!v)
		return 0;
	if (json_is_number(v)) {
		char num[64];
		snprintf(num, sizeof(num), "%.17g", json_number_value(v));
		if (pg_quantity_parse(num, q, &why) == 0) {
			*text = pg_strdup(num);
			return 1;
		}
	} else if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v) &&
		   json_string_length(v) <= 64) {
		if (pg_quantity_parse(json_string_value(v), q, &why) == 0) {
			*text = pg_strdup(json_string_value(v));
			return 1;
		}
	}
	pg_buf what = PG_BUF_INIT;
	pg_buf_puts(&what, why ? why : "expected a number, or a string with a unit (\"2 s\", "
		    "\"100 MiB\", \"10000/s\", \"1%\")");
	if (json_is_string(v)) {
		pg_buf_puts(&what, ", got \"");
		pg_utf8_printable(&what, json_string_value(v), 40);
		pg_buf_puts(&what, "\"");
	}
	pg_config_problem(c, key, what.ptr);
	pg_buf_free(&what);
	return -1;
}

/* The unit a built-in metric is stored in, NULL for any other metric. */
static const char *builtin_unit(const char *metric)
{
	int id = pg_metric_lookup(metric);
	return id < 0 ? NULL : pg_metric_info_get((pg_metric_id)id)->unit;
}

/* A bound whose kind cannot be the metric's (a time for max_rss). */
static void check_unit(parse_ctx *c, const char *metric, const char *key, const pg_quantity *q,
		       const char *text)
{
	const char *unit = builtin_unit(metric);
	double dummy;
	if (!unit || pg_quantity_convert(q, unit, &dummy) == 0)
		return;
	pg_buf what = PG_BUF_INIT;
	pg_buf_puts(&what, "\"");
	pg_utf8_printable(&what, text, 40);
	pg_buf_puts(&what, "\" is ");
	pg_quantity_describe(&what, q);
	pg_buf_printf(&what, ", but %s is measured in %s; give a limit in a unit of that kind",
		      metric, unit);
	pg_config_problem(c, key, what.ptr);
	pg_buf_free(&what);
}

static void parse_budget(parse_ctx *c, json_t *v, const char *metric, pg_bench_config *bc,
			 pg_budget *b)
{
	static const char *const keys[] = { "max", "min", "severity", NULL };
	json_t *sev = json_object_get(v, "severity");
	int id = pg_metric_lookup(metric);
	b->metric = pg_strdup(metric);
	b->severity = PG_SEV_CRITICAL;
	pg_config_check_keys(c, v, keys);
	b->has_max = parse_bound(c, v, "max", &b->max, &b->max_text) > 0;
	b->has_min = parse_bound(c, v, "min", &b->min, &b->min_text) > 0;
	if (!json_object_get(v, "max") && !json_object_get(v, "min"))
		pg_config_problem(c, NULL, "expected \"max\" and/or \"min\"");
	if (b->has_max)
		check_unit(c, metric, "max", &b->max, b->max_text);
	if (b->has_min)
		check_unit(c, metric, "min", &b->min, b->min_text);
	if (b->has_max && b->has_min && b->max.bare == b->min.bare && b->max.kind == b->min.kind &&
	    b->max.per_time == b->min.per_time && b->min.value > b->max.value)
		pg_config_problem(c, NULL, "\"min\" is above \"max\"");
	if (sev) {
		int s = json_is_string(sev) ? pg_severity_parse(json_string_value(sev)) : -1;
		if (s != PG_SEV_NOTICE && s != PG_SEV_WARNING && s != PG_SEV_CRITICAL)
			pg_config_problem(c, "severity", "expected notice, warning or critical");
		else
			b->severity = s;
	}
	/* a benchmark of ours that does not measure the metric can never meet it */
	if (bc && !bc->format && id >= 0 && !(bc->metrics & (1u << id)))
		pg_config_problem(c, NULL, "this benchmark does not measure this metric: add it to "
				  "its \"metrics\"");
}

static void copy_budget(pg_budget *to, const pg_budget *from)
{
	*to = *from;
	to->metric = pg_strdup(from->metric);
	to->max_text = from->max_text ? pg_strdup(from->max_text) : NULL;
	to->min_text = from->min_text ? pg_strdup(from->min_text) : NULL;
	to->inherited = 1;
}

static void parse_budgets(parse_ctx *c, json_t *obj, pg_config *cfg, pg_bench_config *bc)
{
	json_t *budgets = json_object_get(obj, "budgets"), *v;
	pg_budget **list = bc ? &bc->budgets : &cfg->budgets;
	size_t *n = bc ? &bc->nbudgets : &cfg->nbudgets, outer = c->path.len;
	const char *name;
	if (budgets && !json_is_object(budgets)) {
		pg_config_problem(c, "budgets", "expected an object of METRIC: {\"max\", \"min\", "
				  "\"severity\"}");
		budgets = NULL;
	}
	*list = pg_calloc(json_object_size(budgets) + (bc ? cfg->nbudgets : 0) + 1, sizeof(**list));
	path_push(c, "budgets");
	json_object_foreach(budgets, name, v) {
		size_t mark = path_push(c, name);
		if (!metric_name_ok(c, name))
			;
		else if (!json_is_object(v))
			pg_config_problem(c, NULL, "expected an object with \"max\" and/or \"min\" and "
					  "optionally \"severity\"");
		else
			parse_budget(c, v, name, bc, &(*list)[(*n)++]);
		pg_buf_truncate(&c->path, mark);
	}
	pg_buf_truncate(&c->path, outer);
	for (size_t i = 0; bc && i < cfg->nbudgets; i++) {
		const pg_budget *top = &cfg->budgets[i];
		int own = 0, id = pg_metric_lookup(top->metric);
		for (size_t k = 0; k < *n && !own; k++)
			own = !(*list)[k].inherited && !strcmp((*list)[k].metric, top->metric);
		/* a built-in metric this benchmark does not measure: not for it */
		if (own || (!bc->format && id >= 0 && !(bc->metrics & (1u << id))))
			continue;
		copy_budget(&(*list)[(*n)++], top);
	}
}

/* "complexity": a class its families may not fit worse than. */
static void parse_complexity(parse_ctx *c, json_t *obj, pg_bench_config *bc)
{
	json_t *v = json_object_get(obj, "complexity");
	if (!v)
		return;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
	    (bc->complexity = pg_complexity_parse(json_string_value(v))) < 0)
		pg_config_problem(c, "complexity", "expected one of \"1\", \"log n\", \"n\", "
				  "\"n log n\", \"n^2\", \"n^3\"");
}

void pg_config_parse_policy(parse_ctx *c, json_t *obj, pg_config *cfg, pg_bench_config *bc)
{
	if (bc)
		bc->complexity = -1;
	if (!json_is_object(obj))
		return;
	if (bc)
		parse_complexity(c, obj, bc);
	parse_metric_thresholds(c, obj, cfg, bc);
	parse_budgets(c, obj, cfg, bc);
}

void pg_config_free_budgets(pg_budget *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(b[i].metric);
		free(b[i].max_text);
		free(b[i].min_text);
	}
	free(b);
}

void pg_config_free_mthresholds(pg_metric_thresholds *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].metric);
	free(t);
}

pg_thresholds pg_config_thresholds(const pg_config *cfg, const char *result, const char *metric)
{
	const pg_bench_config *bc = pg_config_owner(cfg, result);
	const pg_metric_thresholds *mt = find_mt(cfg->mthresholds, cfg->nmthresholds, metric);
	if (bc)
		return pg_bench_thresholds(bc, metric);
	return mt ? mt->t : cfg->thresholds;
}

pg_thresholds pg_bench_thresholds(const pg_bench_config *bc, const char *metric)
{
	const pg_metric_thresholds *mt = find_mt(bc->mthresholds, bc->nmthresholds, metric);
	return mt ? mt->t : bc->thresholds;
}

const pg_budget *pg_config_budgets(const pg_config *cfg, const char *result, size_t *n)
{
	const pg_bench_config *bc = pg_config_owner(cfg, result);
	*n = bc ? bc->nbudgets : cfg->nbudgets;
	return bc ? bc->budgets : cfg->budgets;
}

/* ---- what a pull request changes (config_diff.c) ---- */

static void put_budgets(pg_buf *out, const pg_budget *b, size_t n)
{
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i].inherited)
			continue;
		pg_buf_puts(out, shown++ ? ", " : "{");
		pg_utf8_printable(out, b[i].metric, 60);
		if (b[i].has_max)
			pg_buf_printf(out, " max %s", b[i].max_text);
		if (b[i].has_min)
			pg_buf_printf(out, " min %s", b[i].min_text);
		pg_buf_printf(out, " %s", pg_severity_name((pg_severity)b[i].severity));
	}
	pg_buf_puts(out, shown ? "}" : "none");
}

static void put_mt(pg_buf *out, const pg_thresholds *t)
{
	pg_buf_printf(out, "{sigma %g, notice %g, warning %g, critical %g}", t->sigma, t->notice,
		      t->warning, t->critical);
}

static int same_t(const pg_thresholds *a, const pg_thresholds *b)
{
	return a->sigma == b->sigma && a->notice == b->notice && a->warning == b->warning &&
	       a->critical == b->critical;
}

/* Whether two budget lists say the same (their own budgets). */
static int same_budgets(const pg_budget *a, size_t na, const pg_budget *b, size_t nb)
{
	pg_buf x = PG_BUF_INIT, y = PG_BUF_INIT;
	put_budgets(&x, a, na);
	put_budgets(&y, b, nb);
	int same = !strcmp(x.ptr, y.ptr);
	pg_buf_free(&x);
	pg_buf_free(&y);
	return same;
}

static void say_budgets(const char *bench, const pg_budget *a, size_t na, const pg_budget *b,
			size_t nb, pg_config_change_fn fn, void *payload)
{
	pg_buf line = PG_BUF_INIT;
	if (same_budgets(a, na, b, nb))
		return;
	if (bench) {
		pg_buf_puts(&line, "the budgets of \"");
		pg_utf8_printable(&line, bench, 60);
		pg_buf_puts(&line, "\" changed from ");
	} else {
		pg_buf_puts(&line, "budgets changed from ");
	}
	put_budgets(&line, a, na);
	pg_buf_puts(&line, " to ");
	put_budgets(&line, b, nb);
	fn(line.ptr, payload);
	pg_buf_free(&line);
}

/* The thresholds of `metric` for results no benchmark owns. */
static pg_thresholds global_t(const pg_config *cfg, const char *metric)
{
	const pg_metric_thresholds *mt = find_mt(cfg->mthresholds, cfg->nmthresholds, metric);
	return mt ? mt->t : cfg->thresholds;
}

static void say_mt(const pg_config *from, const pg_config *to, const pg_bench_config *fb,
		   const pg_bench_config *tb, const char *metric, pg_config_change_fn fn,
		   void *payload)
{
	pg_thresholds a = fb ? pg_bench_thresholds(fb, metric) : global_t(from, metric);
	pg_thresholds b = tb ? pg_bench_thresholds(tb, metric) : global_t(to, metric);
	pg_thresholds ga = global_t(from, metric), gb = global_t(to, metric);
	pg_buf line = PG_BUF_INIT;
	/* a benchmark's that just follow the global ones: said already */
	if (same_t(&a, &b) || (tb && same_t(&a, &ga) && same_t(&b, &gb)))
		return;
	pg_buf_puts(&line, "the thresholds ");
	if (tb) {
		pg_buf_puts(&line, "of \"");
		pg_utf8_printable(&line, tb->name, 60);
		pg_buf_puts(&line, "\" ");
	}
	pg_buf_puts(&line, "for metric ");
	pg_utf8_printable(&line, metric, 60);
	pg_buf_puts(&line, " changed from ");
	put_mt(&line, &a);
	pg_buf_puts(&line, " to ");
	put_mt(&line, &b);
	fn(line.ptr, payload);
	pg_buf_free(&line);
}

/* Every metric named in either list, each once. */
static void each_metric(const pg_metric_thresholds *a, size_t na, const pg_metric_thresholds *b,
			size_t nb, void (*cb)(const char *metric, void *ctx), void *ctx)
{
	for (size_t i = 0; i < na; i++)
		cb(a[i].metric, ctx);
	for (size_t i = 0; i < nb; i++) {
		size_t k = 0;
		while (k < na && strcmp(a[k].metric, b[i].metric))
			k++;
		if (k == na)
			cb(b[i].metric, ctx);
	}
}

typedef struct mt_ctx {
	const pg_config *from, *to;
	const pg_bench_config *fb, *tb;
	pg_config_change_fn fn;
	void *payload;
} mt_ctx;

static void mt_cb(const char *metric, void *p)
{
	mt_ctx *c = p;
	say_mt(c->from, c->to, c->fb, c->tb, metric, c->fn, c->payload);
}

void pg_config_policy_diff_metrics(const pg_config *from, const pg_config *to,
				   pg_config_change_fn fn, void *payload)
{
	mt_ctx c = { from, to, NULL, NULL, fn, payload };
	each_metric(from->mthresholds, from->nmthresholds, to->mthresholds, to->nmthresholds, mt_cb,
		    &c);
	say_budgets(NULL, from->budgets, from->nbudgets, to->budgets, to->nbudgets, fn, payload);
	for (size_t i = 0; i < to->nbenches; i++) {
		const pg_bench_config *tb = &to->benches[i], *fb = pg_config_find(from, tb->name);
		if (!fb)
			continue;
		c.fb = fb;
		c.tb = tb;
		each_metric(fb->mthresholds, fb->nmthresholds, tb->mthresholds, tb->nmthresholds,
			    mt_cb, &c);
		say_budgets(tb->name, fb->budgets, fb->nbudgets, tb->budgets, tb->nbudgets, fn,
			    payload);
		if (fb->complexity != tb->complexity) {
			pg_buf line = PG_BUF_INIT;
			pg_buf_puts(&line, "the complexity budget of \"");
			pg_utf8_printable(&line, tb->name, 60);
			pg_buf_printf(&line, "\" changed from %s to %s",
				      fb->complexity < 0 ? "none" : pg_complexity_name(fb->complexity),
				      tb->complexity < 0 ? "none" : pg_complexity_name(tb->complexity));
			fn(line.ptr, payload);
			pg_buf_free(&line);
		}
	}
}
