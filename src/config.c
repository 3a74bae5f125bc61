/*
 * config.c - parsing and validating perfgate.json with jansson.
 *
 * Parsing walks the JSON once, field by field, carrying the JSON path of
 * the value being looked at ("benchmarks[2].thresholds.warning") so every
 * error can say exactly where it is.
 */
#include "config.h"
#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "import.h"
#include "metric.h"
#include "validate.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse_ctx {
	const char *file;
	pg_buf path; /* JSON path of the value under inspection */
} parse_ctx;

static int field_error(parse_ctx *c, const char *key, const char *what)
{
	return pg_error_set(PG_ECONFIG, "%s: %s%s%s: %s", c->file, c->path.ptr,
			    c->path.len && key ? "." : "", key ? key : "", what);
}

/* Rejects keys of `obj` not in the NULL-terminated `allowed` list. */
static int check_keys(parse_ctx *c, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key))
			a++;
		if (!*a)
			return field_error(c, key, "unknown key (check the spelling; see perfgate(1))");
	}
	return 0;
}

static int get_int(parse_ctx *c, json_t *obj, const char *key, int min, int *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > 1000000) {
		char what[96];
		snprintf(what, sizeof(what), "expected an integer from %d to 1000000", min);
		return field_error(c, key, what);
	}
	*out = (int)json_integer_value(v);
	return 0;
}

static int get_number(parse_ctx *c, json_t *obj, const char *key, double min, double *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_number(v) || !(json_number_value(v) >= min) || !isfinite(json_number_value(v))) {
		char what[96];
		snprintf(what, sizeof(what), "expected a number >= %g", min);
		return field_error(c, key, what);
	}
	*out = json_number_value(v);
	return 0;
}

static int get_string(parse_ctx *c, json_t *obj, const char *key, char **out)
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

static int parse_thresholds(parse_ctx *c, json_t *obj, pg_thresholds *t)
{
	static const char *const keys[] = { "sigma", "notice", "warning", "critical", NULL };
	json_t *th = json_object_get(obj, "thresholds");
	size_t mark = c->path.len;
	int err;
	if (!th)
		return 0;
	if (!json_is_object(th))
		return field_error(c, "thresholds", "expected an object");
	pg_buf_puts(&c->path, c->path.len ? ".thresholds" : "thresholds");
	if ((err = check_keys(c, th, keys)) < 0 ||
	    (err = get_number(c, th, "sigma", 0.1, &t->sigma)) < 0 ||
	    (err = get_number(c, th, "notice", 0, &t->notice)) < 0 ||
	    (err = get_number(c, th, "warning", 0, &t->warning)) < 0 ||
	    (err = get_number(c, th, "critical", 0, &t->critical)) < 0)
		goto out;
	if (t->notice > t->warning || t->warning > t->critical)
		err = field_error(c, NULL, "need notice <= warning <= critical");
out:
	pg_buf_truncate(&c->path, mark);
	return err;
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
					   "unknown metric (known: wall_time, cpu_time, max_rss, instructions, cycles)");
		bc->metrics |= 1u << id;
	}
	return 0;
}

/* "format" (and "output"): the command is another harness whose results
 * are imported.  Such a command repeats its own measurements, so it runs
 * once by default, without warm-up. */
static int parse_format(parse_ctx *c, json_t *b, pg_bench_config *bc)
{
	char *fmt = NULL;
	int err = get_string(c, b, "format", &fmt);
	if (err == 0 && fmt) {
		bc->format = pg_import_format_parse(fmt);
		if (bc->format < 0) {
			pg_buf what = PG_BUF_INIT;
			pg_buf_printf(&what, "unknown format '%s' (known: %s)", fmt, pg_import_format_list());
			err = field_error(c, "format", what.ptr);
			pg_buf_free(&what);
		}
		bc->runs = 1;
		bc->warmup = 0;
		if (err == 0 && json_object_get(b, "metrics"))
			err = field_error(c, "metrics", "not used with \"format\": the tool's own "
					  "metrics are imported");
	}
	free(fmt);
	if (err == 0)
		err = get_string(c, b, "output", &bc->output);
	if (err == 0 && bc->output && !bc->format)
		err = field_error(c, "output", "only goes with \"format\"");
	return err;
}

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
	return get_int(c, b, "runs", 1, &bc->runs);
}

static int parse_bench(parse_ctx *c, json_t *b, pg_config *cfg, pg_bench_config *bc)
{
	static const char *const keys[] = { "name", "command", "warmup", "runs", "timeout",
					    "cwd", "env", "metrics", "thresholds", "ab_pairs",
					    "format", "output", "cpu", "precision", "max_time",
					    "min_runs", NULL };
	const char *problem;
	int err;
	bc->warmup = 1;
	bc->runs = 10;
	bc->min_runs = 5;
	bc->precision = 1;
	bc->max_time = 30;
	bc->cpu = -1;
	bc->timeout = 120;
	bc->metrics = PG_METRICS_DEFAULT;
	bc->thresholds = cfg->thresholds;
	if (!json_is_object(b))
		return field_error(c, NULL, "expected an object");
	if ((err = check_keys(c, b, keys)) < 0)
		return err;
	if (!json_is_string(json_object_get(b, "name")))
		return field_error(c, "name", "missing or not a string");
	bc->name = pg_strdup(json_string_value(json_object_get(b, "name")));
	if (strlen(bc->name) != json_string_length(json_object_get(b, "name")))
		return field_error(c, "name", "must not contain NUL characters");
	if ((problem = pg_name_problem(bc->name)))
		return field_error(c, "name", problem);
	if ((err = parse_format(c, b, bc)) < 0 || (err = parse_command(c, b, bc)) < 0 ||
	    (err = get_int(c, b, "warmup", 0, &bc->warmup)) < 0 ||
	    (err = parse_runs(c, b, bc)) < 0 ||
	    (err = get_int(c, b, "min_runs", 2, &bc->min_runs)) < 0 ||
	    (err = get_number(c, b, "precision", 0.01, &bc->precision)) < 0 ||
	    (err = get_number(c, b, "max_time", 0.1, &bc->max_time)) < 0 ||
	    (err = get_int(c, b, "cpu", 0, &bc->cpu)) < 0 ||
	    (err = get_int(c, b, "ab_pairs", 2, &bc->ab_pairs)) < 0 ||
	    (err = get_number(c, b, "timeout", 0.001, &bc->timeout)) < 0 ||
	    (err = get_string(c, b, "cwd", &bc->cwd)) < 0 ||
	    (err = parse_env(c, b, bc)) < 0 || (err = parse_metrics(c, b, bc)) < 0 ||
	    (err = parse_thresholds(c, b, &bc->thresholds)) < 0)
		return err;
	return 0;
}

static int parse_benches(parse_ctx *c, json_t *root, pg_config *cfg)
{
	json_t *arr = json_object_get(root, "benchmarks");
	int err = 0;
	if (!arr)
		return field_error(c, "benchmarks", "missing (a list of {\"name\", \"command\"} objects)");
	if (!json_is_array(arr))
		return field_error(c, "benchmarks", "expected an array");
	cfg->nbenches = json_array_size(arr);
	cfg->benches = pg_calloc(cfg->nbenches, sizeof(*cfg->benches));
	json_t *seen = json_object(); /* the names so far, hashed: 100,000 took 106 s */
	for (size_t i = 0; i < cfg->nbenches && !err; i++) {
		pg_buf_clear(&c->path);
		pg_buf_printf(&c->path, "benchmarks[%zu]", i);
		err = parse_bench(c, json_array_get(arr, i), cfg, &cfg->benches[i]);
		if (!err && json_object_get(seen, cfg->benches[i].name))
			err = field_error(c, "name", "duplicate benchmark name");
		else if (!err)
			json_object_set_new(seen, cfg->benches[i].name, json_true());
	}
	json_decref(seen);
	pg_buf_clear(&c->path);
	return err;
}

/* "environment": {"compiler": "cc --version", ...}: commands whose first
 * line of output is recorded with every run. */
static int parse_environment(parse_ctx *c, json_t *root, pg_config *cfg)
{
	json_t *env = json_object_get(root, "environment"), *v;
	const char *key;
	if (!env)
		return 0;
	if (!json_is_object(env))
		return field_error(c, "environment", "expected an object of NAME: \"command\"");
	cfg->env_names = pg_calloc(json_object_size(env) + 1, sizeof(char *));
	cfg->env_commands = pg_calloc(json_object_size(env) + 1, sizeof(char *));
	json_object_foreach(env, key, v) {
		if (!json_is_string(v) || !json_string_length(v))
			return field_error(c, "environment", "expected NAME: \"command\" pairs");
		cfg->env_names[cfg->nenv] = pg_strdup(key);
		cfg->env_commands[cfg->nenv++] = pg_strdup(json_string_value(v));
	}
	return 0;
}

int pg_fail_on_parse(const char *s, int *out)
{
	if (!strcmp(s, "never")) {
		*out = PG_FAIL_NEVER;
		return 0;
	}
	int sev = pg_severity_parse(s);
	if (sev != PG_SEV_NOTICE && sev != PG_SEV_WARNING && sev != PG_SEV_CRITICAL)
		return -1;
	*out = sev;
	return 0;
}

const char *pg_fail_on_name(int fail_on)
{
	return fail_on == PG_FAIL_NEVER ? "never" : pg_severity_name((pg_severity)fail_on);
}

static int parse_root(parse_ctx *c, json_t *root, pg_config *cfg)
{
	static const char *const keys[] = { "base", "store", "testbed", "window", "min_history",
					    "thresholds", "fail_on", "benchmarks", "build",
					    "environment", NULL };
	char *fail_on = NULL;
	int err;
	if (!json_is_object(root))
		return pg_error_set(PG_ECONFIG, "%s: expected a JSON object at the top level", c->file);
	if ((err = check_keys(c, root, keys)) < 0 ||
	    (err = get_string(c, root, "base", &cfg->base)) < 0 ||
	    (err = get_string(c, root, "store", &cfg->store)) < 0 ||
	    (err = get_string(c, root, "testbed", &cfg->testbed)) < 0 ||
	    (err = get_string(c, root, "build", &cfg->build)) < 0 ||
	    (err = get_int(c, root, "window", 1, &cfg->window)) < 0 ||
	    (err = get_int(c, root, "min_history", 2, &cfg->min_history)) < 0 ||
	    (err = parse_thresholds(c, root, &cfg->thresholds)) < 0 ||
	    (err = get_string(c, root, "fail_on", &fail_on)) < 0)
		goto out;
	if (fail_on && pg_fail_on_parse(fail_on, &cfg->fail_on) < 0) {
		err = field_error(c, "fail_on", "expected notice, warning, critical or never");
		goto out;
	}
	if ((strncmp(cfg->store, "dir:", 4) || !cfg->store[4]) &&
	    (strncmp(cfg->store, "notes:", 6) || !cfg->store[6])) {
		err = field_error(c, "store", "expected \"dir:PATH\" or \"notes:NAME\"");
		goto out;
	}
	if (cfg->testbed && pg_name_problem(cfg->testbed)) {
		err = field_error(c, "testbed", pg_name_problem(cfg->testbed));
		goto out;
	}
	if ((err = parse_environment(c, root, cfg)) < 0)
		goto out;
	err = parse_benches(c, root, cfg);
out:
	free(fail_on);
	return err;
}

int pg_config_parse(pg_config **out, const char *text, const char *path)
{
	parse_ctx c = { path, PG_BUF_INIT };
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
		err = parse_root(&c, root, cfg);
		json_decref(root);
	}
	pg_buf_free(&c.path);
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
	int err = pg_file_read(&text, path);
	*out = NULL;
	if (err == PG_ENOTFOUND)
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
	}
	free(cfg->benches);
	free(cfg->path);
	free(cfg->base);
	free(cfg->store);
	free(cfg->testbed);
	free(cfg->build);
	free_string_array(cfg->env_names);
	free_string_array(cfg->env_commands);
	free(cfg);
}

const pg_bench_config *pg_config_owner(const pg_config *cfg, const char *result)
{
	const pg_bench_config *b = pg_config_find(cfg, result);
	for (size_t i = 0; !b && i < cfg->nbenches; i++) {
		size_t n = strlen(cfg->benches[i].name);
		if (cfg->benches[i].format && !strncmp(result, cfg->benches[i].name, n) &&
		    result[n] == '/')
			b = &cfg->benches[i];
	}
	return b;
}

const pg_bench_config *pg_config_find(const pg_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nbenches; i++)
		if (!strcmp(cfg->benches[i].name, name))
			return &cfg->benches[i];
	return NULL;
}
