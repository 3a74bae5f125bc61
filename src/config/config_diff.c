/*
 * config_diff.c - what changed between two perfgate.json files: the gate's
 * policy (fail_on, thresholds, window, ...) and the fields of a benchmark's
 * definition (see config.h).
 */
#include "config.h"
#include "buf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* A string from perfgate.json as a warning shows it: quoted, printable
 * (a "base" may hold control characters), cut at 60 characters; `none`
 * when absent. */
static void put_value(pg_buf *out, const char *s, const char *none)
{
	if (!s) {
		pg_buf_puts(out, none);
		return;
	}
	pg_buf_putc(out, '"');
	pg_utf8_printable(out, s, 60);
	pg_buf_putc(out, '"');
}

static int same_thresholds(const pg_thresholds *a, const pg_thresholds *b)
{
	return a->sigma == b->sigma && a->notice == b->notice && a->warning == b->warning &&
	       a->critical == b->critical;
}

static void put_thresholds(pg_buf *out, const pg_thresholds *t)
{
	pg_buf_printf(out, "{sigma %g, notice %g, warning %g, critical %g}", t->sigma, t->notice,
		      t->warning, t->critical);
}

static int same_list(char *const *a, char *const *b)
{
	size_t i = 0;
	for (; a && b && a[i] && b[i]; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return !(a && a[i]) && !(b && b[i]);
}

static void put_list(pg_buf *out, char *const *v)
{
	if (!v || !v[0]) {
		pg_buf_puts(out, "none");
		return;
	}
	pg_buf_putc(out, '[');
	for (size_t i = 0; v[i]; i++) {
		if (i)
			pg_buf_puts(out, ", ");
		put_value(out, v[i], "");
	}
	pg_buf_putc(out, ']');
}

/* Says one change through `fn`; `line` is reused. */
static void say(pg_buf *line, pg_config_change_fn fn, void *payload)
{
	fn(line->ptr, payload);
	pg_buf_clear(line);
}

static void diff_string(pg_buf *line, const char *key, const char *a, const char *b,
			const char *none, pg_config_change_fn fn, void *payload)
{
	if (same_str(a, b))
		return;
	pg_buf_printf(line, "%s changed from ", key);
	put_value(line, a, none);
	pg_buf_puts(line, " to ");
	put_value(line, b, none);
	say(line, fn, payload);
}

void pg_config_policy_diff(const pg_config *from, const pg_config *to, pg_config_change_fn fn,
			   void *payload)
{
	pg_buf line = PG_BUF_INIT;
	if (from->fail_on != to->fail_on) {
		pg_buf_printf(&line, "fail_on changed from %s to %s", pg_fail_on_name(from->fail_on),
			      pg_fail_on_name(to->fail_on));
		say(&line, fn, payload);
	}
	if (!same_thresholds(&from->thresholds, &to->thresholds)) {
		pg_buf_puts(&line, "thresholds changed from ");
		put_thresholds(&line, &from->thresholds);
		pg_buf_puts(&line, " to ");
		put_thresholds(&line, &to->thresholds);
		say(&line, fn, payload);
	}
	/* a benchmark's own thresholds, unless they just follow the global
	 * ones (already said) */
	for (size_t i = 0; i < to->nbenches; i++) {
		const pg_bench_config *tb = &to->benches[i], *fb = pg_config_find(from, tb->name);
		if (!fb || same_thresholds(&fb->thresholds, &tb->thresholds) ||
		    (same_thresholds(&fb->thresholds, &from->thresholds) &&
		     same_thresholds(&tb->thresholds, &to->thresholds)))
			continue;
		pg_buf_puts(&line, "the thresholds of ");
		put_value(&line, tb->name, "");
		pg_buf_puts(&line, " changed from ");
		put_thresholds(&line, &fb->thresholds);
		pg_buf_puts(&line, " to ");
		put_thresholds(&line, &tb->thresholds);
		say(&line, fn, payload);
	}
	if (from->window != to->window) {
		pg_buf_printf(&line, "window changed from %d to %d", from->window, to->window);
		say(&line, fn, payload);
	}
	if (from->min_history != to->min_history) {
		pg_buf_printf(&line, "min_history changed from %d to %d", from->min_history,
			      to->min_history);
		say(&line, fn, payload);
	}
	diff_string(&line, "base", from->base, to->base, "", fn, payload);
	diff_string(&line, "store", from->store, to->store, "", fn, payload);
	diff_string(&line, "testbed", from->testbed, to->testbed, "none (derived from the machine)",
		    fn, payload);
	if (!same_list(from->retired, to->retired)) {
		pg_buf_puts(&line, "retired changed from ");
		put_list(&line, from->retired);
		pg_buf_puts(&line, " to ");
		put_list(&line, to->retired);
		say(&line, fn, payload);
	}
	/* what builds and prepares the checkouts, and whether A/B confirms:
	 * a pull request could slow only the base side of --confirm/--ab */
	diff_string(&line, "build", from->build, to->build, "none", fn, payload);
	diff_string(&line, "setup", from->setup, to->setup, "none", fn, payload);
	for (size_t i = 0; i < to->nbenches; i++) {
		const pg_bench_config *tb = &to->benches[i], *fb = pg_config_find(from, tb->name);
		if (!fb || same_str(fb->setup, tb->setup))
			continue;
		pg_buf_puts(&line, "the setup of ");
		put_value(&line, tb->name, "");
		pg_buf_puts(&line, " changed from ");
		put_value(&line, fb->setup, "none");
		pg_buf_puts(&line, " to ");
		put_value(&line, tb->setup, "none");
		say(&line, fn, payload);
	}
	if (from->confirm != to->confirm) {
		pg_buf_printf(&line, "confirm changed from %s to %s",
			      from->confirm ? pg_severity_name((pg_severity)from->confirm) : "off",
			      to->confirm ? pg_severity_name((pg_severity)to->confirm) : "off");
		say(&line, fn, payload);
	}
	pg_config_policy_diff_metrics(from, to, fn, payload);
	pg_buf_free(&line);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether two "env" lists hold the same pairs, in any order. */
static int same_env(char *const *a, char *const *b)
{
	size_t na = 0, nb = 0;
	int same;
	while (a && a[na])
		na++;
	while (b && b[nb])
		nb++;
	if (na != nb)
		return 0;
	char **sa = pg_calloc(na + 1, sizeof(*sa)), **sb = pg_calloc(nb + 1, sizeof(*sb));
	memcpy(sa, a ? a : sa, na * sizeof(*sa));
	memcpy(sb, b ? b : sb, nb * sizeof(*sb));
	qsort(sa, na, sizeof(*sa), cmp_str);
	qsort(sb, nb, sizeof(*sb), cmp_str);
	same = same_list(sa, sb);
	free(sa);
	free(sb);
	return same;
}

void pg_config_definition_diff(const pg_bench_config *a, const pg_bench_config *b, pg_buf *out)
{
	const char *sep = "";
#define FIELD(differs, name)                                     \
	do {                                                     \
		if (differs) {                                   \
			pg_buf_printf(out, "%s%s", sep, (name)); \
			sep = ", ";                              \
		}                                                \
	} while (0)
	FIELD(!same_list(a->argv, b->argv), "command");
	FIELD(!same_str(a->cwd, b->cwd), "cwd");
	FIELD(!same_env(a->env, b->env), "env");
	FIELD(a->format != b->format, "format");
	FIELD(!same_str(a->output, b->output), "output");
	FIELD(!a->format && !b->format && a->metrics != b->metrics, "metrics");
#undef FIELD
}
