/*
 * config.c - parsing and validating perfgate.json with jansson.
 *
 * Parsing walks the JSON once, field by field, carrying the JSON path of
 * the value being looked at ("benchmarks[2].thresholds.warning") so every
 * error can say exactly where it is.  Every problem is recorded and parsing
 * goes on, so one attempt lists all of them (up to MAX_PROBLEMS).
 */
#define _GNU_SOURCE /* CPU_SETSIZE */
#include "config.h"
#include "config_priv.h"
#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "import.h"
#include "metric.h"
#include "name_index.h"
#include "utf8.h"
#include "results.h"
#include "validate.h"

#include <jansson.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* At most this many problems are listed, within what one error message
 * holds (error.c keeps 2048 bytes); the rest are counted. */
#define MAX_PROBLEMS 20
#define PROBLEMS_BUDGET 1900

/* Records a problem with `key` under the current path (the path itself
 * when `key` is NULL) and returns PG_ECONFIG.  Parsing goes on after it,
 * so one attempt reports every mistake (see report_problems). */
static int field_error(parse_ctx *c, const char *key, const char *what)
{
	pg_buf line = PG_BUF_INIT;
	pg_buf_printf(&line, "%s: %s%s", c->file, c->path.ptr, c->path.len && key ? "." : "");
	if (key)
		pg_utf8_printable(&line, key, 60);
	pg_buf_printf(&line, ": %s", what);
	c->nproblems++;
	if (c->listed == MAX_PROBLEMS || c->problems.len + line.len + 1 > PROBLEMS_BUDGET)
		c->full = 1;
	if (!c->full) {
		pg_buf_put(&c->problems, line.ptr, line.len + 1);
		c->listed++;
	}
	pg_buf_free(&line);
	return PG_ECONFIG;
}

/* The error of the whole parse: one line per problem, with a last line
 * counting those not listed. */
static int report_problems(parse_ctx *c)
{
	const char *p = c->problems.ptr;
	if (!c->nproblems)
		return 0;
	pg_error_set(PG_ECONFIG, "%s", p);
	for (size_t i = 1; i < c->listed; i++) {
		p += strlen(p) + 1;
		pg_error_add_line("%s", p);
	}
	if (c->nproblems > c->listed)
		pg_error_add_line("%s: %zu more problems not shown", c->file, c->nproblems - c->listed);
	return PG_ECONFIG;
}

/* Rejects keys of `obj` not in the NULL-terminated `allowed` list. */
static int check_keys(parse_ctx *c, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	int err = 0;
	json_object_foreach(obj, key, v) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key))
			a++;
		if (!*a)
			err = field_error(c, key, "unknown key (check the spelling; see perfgate(1))");
	}
	return err;
}

/* config_priv.h: for the other parsers of perfgate.json */
int pg_config_problem(parse_ctx *c, const char *key, const char *what)
{
	return field_error(c, key, what);
}

int pg_config_check_keys(parse_ctx *c, json_t *obj, const char *const *allowed)
{
	return check_keys(c, obj, allowed);
}

static int get_int(parse_ctx *c, json_t *obj, const char *key, int min, int max, int *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		char what[96];
		snprintf(what, sizeof(what), "expected an integer from %d to %d", min, max);
		return field_error(c, key, what);
	}
	*out = (int)json_integer_value(v);
	return 0;
}

/* A number from `min` to `max`; `unit` (" (seconds)") ends the message. */
static int get_number(parse_ctx *c, json_t *obj, const char *key, double min, double max,
		      const char *unit, double *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_number(v) || !(json_number_value(v) >= min) || !(json_number_value(v) <= max)) {
		char what[128];
		snprintf(what, sizeof(what), "expected a number from %.15g to %.15g%s", min, max, unit);
		return field_error(c, key, what);
	}
	*out = json_number_value(v);
	return 0;
}

int pg_config_get_string(parse_ctx *c, json_t *obj, const char *key, char **out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_string(v) || !json_string_length(v))
		return field_error(c, key, "expected a non-empty string");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return field_error(c, key, "must not contain NUL characters");
	free(*out);
	*out = pg_strdup(json_string_value(v));
	return 0;
}

/* "cwd" and "output" name places in the repository: relative, and never
 * above it ("../victim.txt" would be removed before a run).  measure.c
 * checks symbolic links when it removes an old output. */
static int check_inside(parse_ctx *c, const char *key, const char *path)
{
	if (path[0] == '/')
		return field_error(c, key, "must be a path relative to the repository, not absolute");
	for (const char *p = path; *p; p += *p == '/') {
		size_t n = strcspn(p, "/");
		if (n == 2 && !strncmp(p, "..", 2))
			return field_error(c, key, "must stay inside the repository: no \"..\" in the path");
		p += n;
	}
	return 0;
}

#define PCT_MAX 1e6 /* thresholds, in % */

static int parse_thresholds(parse_ctx *c, json_t *obj, pg_thresholds *t)
{
	static const char *const keys[] = { "sigma", "notice", "warning", "critical", "metrics",
					    NULL };
	json_t *th = json_object_get(obj, "thresholds");
	size_t mark = c->path.len, before = c->nproblems;
	if (!th)
		return 0;
	if (!json_is_object(th))
		return field_error(c, "thresholds", "expected an object");
	pg_buf_puts(&c->path, c->path.len ? ".thresholds" : "thresholds");
	check_keys(c, th, keys);
	get_number(c, th, "sigma", 0.1, 100, "", &t->sigma);
	get_number(c, th, "notice", 0, PCT_MAX, " (%)", &t->notice);
	get_number(c, th, "warning", 0, PCT_MAX, " (%)", &t->warning);
	get_number(c, th, "critical", 0, PCT_MAX, " (%)", &t->critical);
	if (c->nproblems == before && (t->notice > t->warning || t->warning > t->critical))
		field_error(c, NULL, "need notice <= warning <= critical");
	pg_buf_truncate(&c->path, mark);
	return c->nproblems == before ? 0 : PG_ECONFIG;
}

static char **string_array(json_t *arr)
{
	size_t n = json_array_size(arr), i;
	char **v = pg_calloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = pg_strdup(json_string_value(json_array_get(arr, i)));
	return v;
}

static void free_string_array(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int parse_command(parse_ctx *c, json_t *b, pg_bench_config *bc)
{
	json_t *cmd = json_object_get(b, "command");
	if (!cmd)
		return field_error(c, "command", "missing (a string run by /bin/sh -c, or an argv array)");
	if (json_is_string(cmd)) {
		if (!json_string_length(cmd))
			return field_error(c, "command", "must not be empty");
		bc->argv = pg_calloc(4, sizeof(char *));
		bc->argv[0] = pg_strdup("/bin/sh");
		bc->argv[1] = pg_strdup("-c");
		bc->argv[2] = pg_strdup(json_string_value(cmd));
		return 0;
	}
	if (!json_is_array(cmd) || !json_array_size(cmd))
		return field_error(c, "command", "expected a string or a non-empty array of strings");
	for (size_t i = 0; i < json_array_size(cmd); i++)
		if (!json_is_string(json_array_get(cmd, i)))
			return field_error(c, "command", "every element of the argv array must be a string");
	bc->argv = string_array(cmd);
	return 0;
}

static int parse_env(parse_ctx *c, json_t *b, pg_bench_config *bc)
{
	json_t *env = json_object_get(b, "env"), *v;
	const char *key;
	size_t i = 0;
	if (!env)
		return 0;
	if (!json_is_object(env))
		return field_error(c, "env", "expected an object of strings");
	bc->env = pg_calloc(json_object_size(env) + 1, sizeof(char *));
	json_object_foreach(env, key, v) {
		pg_buf kv = PG_BUF_INIT;
		if (!json_is_string(v) || !*key || strchr(key, '='))
			return field_error(c, "env", "expected NAME: \"value\" pairs of strings");
		pg_buf_printf(&kv, "%s=%s", key, json_string_value(v));
		bc->env[i++] = pg_buf_detach(&kv);
	}
	return 0;
}

static int parse_metrics(parse_ctx *c, json_t *b, pg_bench_config *bc)
{
	json_t *m = json_object_get(b, "metrics");
	if (!m)
		return 0;
	if (!json_is_array(m) || !json_array_size(m))
		return field_error(c, "metrics", "expected a non-empty array of metric names");
	bc->metrics = 0;
	for (size_t i = 0; i < json_array_size(m); i++) {
		json_t *v = json_array_get(m, i);
		int id = json_is_string(v) ? pg_metric_lookup(json_string_value(v)) : -1;
		if (id < 0)
			return field_error(c, "metrics",
					   "unknown metric (known: wall_time, cpu_time, max_rss, instructions, cycles, "
					   "rss_growth)");
		bc->metrics |= 1u << id;
	}
	return 0;
}

/* "format" (and "output"): the command is another harness whose results
 * are imported.  Such a command repeats its own measurements, so it runs
 * once by default, without warm-up. */
static void parse_format(parse_ctx *c, json_t *b, pg_bench_config *bc)
{
	char *fmt = NULL;
	if (pg_config_get_string(c, b, "format", &fmt) == 0 && fmt) {
		bc->format = pg_import_format_parse(fmt);
		if (bc->format < 0) {
			pg_buf what = PG_BUF_INIT;
			pg_buf_puts(&what, "unknown format '");
			pg_utf8_printable(&what, fmt, 40);
			pg_buf_printf(&what, "' (known: %s)", pg_import_format_list());
			field_error(c, "format", what.ptr);
			pg_buf_free(&what);
		}
		bc->runs = 1;
		bc->warmup = 0;
		if (json_object_get(b, "metrics"))
			field_error(c, "metrics", "not used with \"format\": the tool's own metrics are "
				    "imported");
	}
	free(fmt);
	if (pg_config_get_string(c, b, "output", &bc->output) == 0 && bc->output) {
		if (!json_object_get(b, "format"))
			field_error(c, "output", "only goes with \"format\"");
		else
			check_inside(c, "output", bc->output);
	}
}

#define RUNS_MAX 100000
#define SECONDS_MAX 604800.0 /* a week */

/* "runs": a count, or "auto" (measure until the median is known to within
 * "precision" %, for at most "max_time" seconds, at least "min_runs"). */
static int parse_runs(parse_ctx *c, json_t *b, pg_bench_config *bc)
{
	json_t *v = json_object_get(b, "runs");
	if (json_is_string(v) && !strcmp(json_string_value(v), "auto")) {
		if (bc->format)
			return field_error(c, "runs", "\"auto\" is for command benchmarks; an imported "
					   "harness repeats its own measurements");
		bc->runs_auto = 1;
		bc->runs = 10000;
		return 0;
	}
	if ((json_is_string(v) || (v && !json_is_integer(v))))
		return field_error(c, "runs", "expected a positive integer or \"auto\"");
	return get_int(c, b, "runs", 1, RUNS_MAX, &bc->runs);
}

/* "ab_pairs": at least PG_AB_MIN_PAIRS, since fewer can never be
 * significant. */
static void parse_ab_pairs(parse_ctx *c, json_t *b, pg_bench_config *bc)
{
	char what[200];
	if (get_int(c, b, "ab_pairs", 1, 100000, &bc->ab_pairs) < 0 || !bc->ab_pairs ||
	    bc->ab_pairs >= PG_AB_MIN_PAIRS)
		return;
	snprintf(what, sizeof(what), "%d: at least %d pairs are needed: %s", bc->ab_pairs,
		 PG_AB_MIN_PAIRS, PG_AB_MIN_PAIRS_WHY);
	field_error(c, "ab_pairs", what);
}

static void parse_bench(parse_ctx *c, json_t *b, pg_config *cfg, pg_bench_config *bc)
{
	static const char *const keys[] = { "name", "command", "warmup", "runs", "timeout",
					    "cwd", "env", "metrics", "thresholds", "ab_pairs",
					    "format", "output", "cpu", "precision", "max_time",
					    "min_runs", "budgets", "complexity", "setup", NULL };
	json_t *name = json_object_get(b, "name");
	const char *problem;
	bc->warmup = 1;
	bc->runs = 10;
	bc->min_runs = 5;
	bc->precision = 1;
	bc->max_time = 30;
	bc->cpu = -1;
	bc->timeout = 120;
	bc->metrics = PG_METRICS_DEFAULT;
	bc->thresholds = cfg->thresholds;
	if (!json_is_object(b)) {
		field_error(c, NULL, "expected an object");
		return;
	}
	check_keys(c, b, keys);
	if (!json_is_string(name))
		field_error(c, "name", "missing or not a string");
	else if (strlen(json_string_value(name)) != json_string_length(name))
		field_error(c, "name", "must not contain NUL characters");
	else if ((problem = pg_name_problem(json_string_value(name))))
		field_error(c, "name", problem);
	else
		bc->name = pg_strdup(json_string_value(name));
	parse_format(c, b, bc);
	parse_command(c, b, bc);
	get_int(c, b, "warmup", 0, 10000, &bc->warmup);
	parse_runs(c, b, bc);
	get_int(c, b, "min_runs", 2, RUNS_MAX, &bc->min_runs);
	get_number(c, b, "precision", 0.01, 100, " (%)", &bc->precision);
	get_number(c, b, "max_time", 0.1, SECONDS_MAX, " (seconds, a week)", &bc->max_time);
	get_int(c, b, "cpu", 0, CPU_SETSIZE - 1, &bc->cpu);
	parse_ab_pairs(c, b, bc);
	get_number(c, b, "timeout", 0.001, SECONDS_MAX, " (seconds, a week)", &bc->timeout);
	if (pg_config_get_string(c, b, "cwd", &bc->cwd) == 0 && bc->cwd)
		check_inside(c, "cwd", bc->cwd);
	parse_env(c, b, bc);
	parse_metrics(c, b, bc);
	parse_thresholds(c, b, &bc->thresholds);
	pg_config_parse_policy(c, b, cfg, bc);
	pg_config_parse_bench_setup(c, b, bc);
}

static void parse_benches(parse_ctx *c, json_t *root, pg_config *cfg)
{
	json_t *arr = json_object_get(root, "benchmarks");
	if (!arr) {
		field_error(c, "benchmarks", "missing (a list of {\"name\", \"command\"} objects)");
		return;
	}
	if (!json_is_array(arr)) {
		field_error(c, "benchmarks", "expected an array");
		return;
	}
	cfg->nbenches = json_array_size(arr);
	cfg->benches = pg_calloc(cfg->nbenches, sizeof(*cfg->benches));
	json_t *seen = json_object(); /* the names so far, hashed: 100,000 took 106 s */
	for (size_t i = 0; i < cfg->nbenches; i++) {
		const char *name;
		pg_buf_clear(&c->path);
		pg_buf_printf(&c->path, "benchmarks[%zu]", i);
		parse_bench(c, json_array_get(arr, i), cfg, &cfg->benches[i]);
		name = cfg->benches[i].name;
		if (name && json_object_get(seen, name))
			field_error(c, "name", "duplicate benchmark name");
		else if (name)
			json_object_set_new(seen, name, json_true());
	}
	json_decref(seen);
	pg_buf_clear(&c->path);
}

/* "environment": {"compiler": "cc --version", ...}: commands whose first
 * line of output is recorded with every run. */
static int parse_environment(parse_ctx *c, json_t *root, pg_config *cfg)
{
	json_t *env = json_object_get(root, "environment"), *v;
	const char *key, *problem;
	if (!env)
		return 0;
	if (!json_is_object(env))
		return field_error(c, "environment", "expected an object of NAME: \"command\"");
	cfg->env_names = pg_calloc(json_object_size(env) + 1, sizeof(char *));
	cfg->env_commands = pg_calloc(json_object_size(env) + 1, sizeof(char *));
	json_object_foreach(env, key, v) {
		if (!json_is_string(v) || !json_string_length(v))
			return field_error(c, "environment", "expected NAME: \"command\" pairs");
		if ((problem = pg_name_problem(key))) {
			pg_buf what = PG_BUF_INIT;
			pg_buf_printf(&what, "a name %s", problem);
			field_error(c, "environment", what.ptr);
			pg_buf_free(&what);
			return PG_ECONFIG;
		}
		cfg->env_names[cfg->nenv] = pg_strdup(key);
		cfg->env_commands[cfg->nenv++] = pg_strdup(json_string_value(v));
	}
	return 0;
}

/* "retired": ["old-bench", ...]: benchmarks deleted on purpose, which the
 * baseline may still have; they are not reported missing. */
static int parse_retired(parse_ctx *c, json_t *root, pg_config *cfg)
{
	json_t *arr = json_object_get(root, "retired");
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return field_error(c, "retired", "expected an array of benchmark names");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
		    pg_name_problem(json_string_value(v)))
			return field_error(c, "retired", "expected an array of benchmark names (non-empty "
					   "UTF-8 strings without control characters)");
	}
	cfg->retired = string_array(arr);
	return 0;
}

int pg_config_retired(const pg_config *cfg, const char *name)
{
	for (size_t i = 0; cfg->retired && cfg->retired[i]; i++)
		if (pg_name_in_family(name, cfg->retired[i]))
			return 1;
	return 0;
}

static void parse_root(parse_ctx *c, json_t *root, pg_config *cfg)
{
	static const char *const keys[] = { "base", "store", "testbed", "window", "min_history",
					    "thresholds", "fail_on", "benchmarks", "build",
					    "environment", "retired", "budgets", "setup", "confirm", NULL };
	char *fail_on = NULL;
	const char *problem;
	if (!json_is_object(root)) {
		pg_buf_printf(&c->problems, "%s: expected a JSON object at the top level", c->file);
		c->nproblems = c->listed = 1;
		return;
	}
	check_keys(c, root, keys);
	pg_config_get_string(c, root, "base", &cfg->base);
	pg_config_get_string(c, root, "store", &cfg->store);
	pg_config_get_string(c, root, "testbed", &cfg->testbed);
	pg_config_get_string(c, root, "build", &cfg->build);
	get_int(c, root, "window", 1, 10000, &cfg->window);
	get_int(c, root, "min_history", 2, 10000, &cfg->min_history);
	parse_thresholds(c, root, &cfg->thresholds);
	pg_config_parse_policy(c, root, cfg, NULL);
	if (pg_config_get_string(c, root, "fail_on", &fail_on) == 0 && fail_on &&
	    pg_fail_on_parse(fail_on, &cfg->fail_on) < 0)
		field_error(c, "fail_on", "expected notice, warning, critical or never");
	free(fail_on);
	if ((strncmp(cfg->store, "dir:", 4) || !cfg->store[4]) &&
	    (strncmp(cfg->store, "notes:", 6) || !cfg->store[6]))
		field_error(c, "store", "expected \"dir:PATH\" or \"notes:NAME\"");
	if (cfg->testbed && (problem = pg_name_problem(cfg->testbed)))
		field_error(c, "testbed", problem);
	parse_environment(c, root, cfg);
	parse_retired(c, root, cfg);
	pg_config_parse_root_setup(c, root, cfg);
	parse_benches(c, root, cfg);
}

int pg_config_parse(pg_config **out, const char *text, const char *path)
{
	parse_ctx c = { path, PG_BUF_INIT, PG_BUF_INIT, 0, 0, 0 };
	pg_thresholds defaults = PG_THRESHOLDS_DEFAULT;
	json_error_t jerr;
	int err;
	pg_config *cfg = pg_calloc(1, sizeof(*cfg));
	*out = NULL;
	cfg->path = pg_strdup(path);
	cfg->base = pg_strdup("main");
	cfg->store = pg_strdup("dir:.perfgate/history");
	cfg->window = 20;
	cfg->min_history = 5;
	cfg->fail_on = PG_SEV_CRITICAL;
	cfg->thresholds = defaults;

	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		err = pg_error_set(PG_ECONFIG, "%s:%d:%d: invalid JSON: %s", path, jerr.line,
				   jerr.column, jerr.text);
	} else {
		parse_root(&c, root, cfg);
		err = report_problems(&c);
		json_decref(root);
	}
	pg_buf_free(&c.path);
	pg_buf_free(&c.problems);
	if (err < 0) {
		pg_config_free(cfg);
		return err;
	}
	*out = cfg;
	return 0;
}

int pg_config_load(pg_config **out, const char *path)
{
	pg_buf text = PG_BUF_INIT;
	/* bounded: a pull request can commit perfgate.json as a link to
	 * /dev/zero (a pipe the user gives with -c still works) */
	int err = pg_file_read_limited(&text, path, PG_CONFIG_MAX, 0);
	*out = NULL;
	if (err == PG_ECORRUPT)
		err = pg_error_wrap(PG_ECONFIG, "configuration");
	else if (err == PG_ENOTFOUND)
		err = pg_error_set(PG_ENOTFOUND, "%s: no such file (create it, or pass -c FILE)", path);
	else if (err == 0 && strlen(text.ptr) != text.len)
		err = pg_error_set(PG_ECONFIG, "%s: contains NUL bytes; is it really JSON?", path);
	else if (err == 0)
		err = pg_config_parse(out, text.ptr, path);
	pg_buf_free(&text);
	return err;
}

void pg_config_free(pg_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nbenches; i++) {
		pg_bench_config *b = &cfg->benches[i];
		free(b->name);
		free_string_array(b->argv);
		free_string_array(b->env);
		free(b->cwd);
		free(b->output);
		pg_config_free_budgets(b->budgets, b->nbudgets);
		pg_config_free_mthresholds(b->mthresholds, b->nmthresholds);
		free(b->setup);
	}
	pg_config_free_budgets(cfg->budgets, cfg->nbudgets);
	pg_config_free_mthresholds(cfg->mthresholds, cfg->nmthresholds);
	free(cfg->benches);
	pg_name_index_free(cfg->index);
	free(cfg->path);
	free(cfg->base);
	free(cfg->store);
	free(cfg->testbed);
	free(cfg->build);
	free(cfg->setup);
	free_string_array(cfg->env_names);
	free_string_array(cfg->env_commands);
	free_string_array(cfg->retired);
	free(cfg);
}

const pg_bench_config *pg_config_owner(const pg_config *cfg, const char *result)
{
	const pg_bench_config *b = pg_config_find(cfg, result);
	if (!b)
		b = pg_config_family_owner(cfg, result);
	return b;
}

const pg_bench_config *pg_config_find(const pg_config *cfg, const char *name)
{
	/* the index is a cache: making it does not change the config */
	pg_config *c = (pg_config *)cfg;
	size_t i = pg_name_index_find(&c->index, c->benches, sizeof(*c->benches), c->nbenches, name);
	return i == PG_NAME_NONE ? NULL : &c->benches[i];
}
