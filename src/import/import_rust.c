/*
 * import_rust.c - Rust's console outputs: libtest's `cargo bench` lines
 * (also criterion's `--output-format bencher`), criterion's default
 * console report, and iai-callgrind's summary.
 */
#include "error.h"
#include "import.h"
#include "import_lines.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* "'TOKEN'", made safe to print, into `out`. */
static const char *shown(pg_buf *out, const char *token)
{
	pg_buf_clear(out);
	pg_buf_putc(out, '\'');
	pg_utf8_printable(out, token, 60);
	pg_buf_putc(out, '\'');
	return out->ptr;
}

/* ---- libtest: cargo bench ---------------------------------------------
 *      Running benches/parse.rs (target/release/deps/parse-1a2b3c4d5e6f7a8b)
 * running 3 tests
 * test parse::small  ... bench:       1,234 ns/iter (+/- 56)
 * test parse::large  ... bench:   1,234,567.50 ns/iter (+/- 8,901.25) = 830 MB/s
 * test parse::slow   ... ignored
 * test result: ok. 0 passed; 0 failed; 1 ignored; 2 measured; 0 filtered out
 * The value is libtest's median (criterion's bencher output: its typical
 * estimate); "+/-" is the spread (max - min), not stored.  Several bench
 * targets may share one log: cargo's "Running" line (stderr) names each. */

#define LIBTEST "cargo bench (libtest)"

/* The bench target a cargo "Running" line names: the file name of the
 * executable without its "-HASH" suffix; NULL when it is not one. */
static char *cargo_target(char *line)
{
	char *t = pg_import_trim(line), *exe, *dash;
	if (!pg_import_starts(t, "Running "))
		return NULL;
	exe = strrchr(t, ' ') + 1;
	exe += *exe == '(';
	exe[strcspn(exe, ")")] = '\0';
	if (strrchr(exe, '/'))
		exe = strrchr(exe, '/') + 1;
	if ((dash = strrchr(exe, '-')) && strspn(dash + 1, "0123456789abcdef") == strlen(dash + 1) &&
	    dash[1])
		*dash = '\0';
	return *exe ? pg_strdup(exe) : NULL;
}

/* One "test NAME ... bench: VALUE ns/iter (+/- DEV) [= N MB/s]" line
 * from `bench` (what follows "bench:"); adds its samples to `name`. */
static int libtest_result(pg_run *run, const char *name, char *bench, size_t lineno,
			  const char *where)
{
	pg_buf q = PG_BUF_INIT;
	char *save = NULL, *val = strtok_r(bench, " \t", &save), *unit = strtok_r(NULL, " \t", &save);
	char *pm = strtok_r(NULL, " \t", &save), *dev = strtok_r(NULL, " \t", &save);
	char *eq = strtok_r(NULL, " \t", &save), *mb = strtok_r(NULL, " \t", &save);
	char *mbu = strtok_r(NULL, " \t", &save), *extra = strtok_r(NULL, " \t", &save);
	double x, d, rate = 0;
	int err = 0;
	if (!val || !unit || strcmp(unit, "ns/iter") || !pm || strcmp(pm, "(+/-") || !dev ||
	    dev[strlen(dev) - 1] != ')')
		err = pg_import_line_error(where, LIBTEST, lineno, "%s: expected \"bench: VALUE "
					   "ns/iter (+/- DEVIATION)\"", shown(&q, name));
	else if (pg_import_grouped(val, &x) < 0)
		err = pg_import_line_error(where, LIBTEST, lineno, "%s is not a number",
					   shown(&q, val));
	else if ((dev[strlen(dev) - 1] = '\0', pg_import_grouped(dev, &d) < 0))
		err = pg_import_line_error(where, LIBTEST, lineno, "%s is not a number",
					   shown(&q, dev));
	else if (eq && (strcmp(eq, "=") || !mb || !mbu || strcmp(mbu, "MB/s") || extra ||
			pg_import_grouped(mb, &rate) < 0))
		err = pg_import_line_error(where, LIBTEST, lineno, "%s: expected \"= N MB/s\" after "
					   "the deviation", shown(&q, name));
	if (!err) {
		pg_import_sample(run, name, "time_per_op", "ns", 0, x);
		if (eq)
			pg_import_sample(run, name, "mb_per_second", "MB/s", 1, rate);
	}
	pg_buf_free(&q);
	return err;
}

int pg_import_libtest(pg_run *run, const char *text, const char *where)
{
	pg_text_lines l;
	pg_buf q = PG_BUF_INIT;
	char *target = NULL, **seen_in = NULL; /* seen_in[i]: the target of run->benches[i] */
	size_t nseen = 0, seen_alloc = 0;
	int err = 0;
	pg_text_lines_split(&l, text);
	for (size_t i = 0; i < l.n && !err; i++) {
		char *line = l.v[i], *t, *name, *sep = NULL, *s;
		if ((t = cargo_target(line))) {
			free(target);
			target = t;
			continue;
		}
		if (!pg_import_starts(line, "test "))
			continue;
		for (s = line; (s = strstr(s, " ... bench:")); s++)
			sep = s;
		if (!sep)
			continue; /* "test x ... ignored", "... FAILED", "... ok": no result */
		*sep = '\0';
		name = pg_import_trim(line + 5);
		if (!*name) {
			err = pg_import_line_error(where, LIBTEST, i + 1, "a bench line without a name");
			break;
		}
		pg_bench_result *b = pg_run_find_bench(run, name);
		if (b && seen_in[b - run->benches] && target &&
		    strcmp(seen_in[b - run->benches], target)) {
			err = pg_import_line_error(where, LIBTEST, i + 1, "%s is reported by two bench "
						   "targets, %s and %s: give each its own perfgate "
						   "benchmark (cargo bench --bench TARGET)",
						   shown(&q, name), seen_in[b - run->benches], target);
			break;
		}
		if ((err = libtest_result(run, name, sep + strlen(" ... bench:"), i + 1, where)) < 0)
			break;
		if (run->nbenches > nseen) {
			seen_in = pg_array_grow(seen_in, &seen_alloc, run->nbenches, sizeof(*seen_in));
			seen_in[nseen++] = target ? pg_strdup(target) : NULL;
		}
	}
	if (!err && !run->nbenches)
		err = pg_import_none_found(where, "libtest", LIBTEST,
					   "\"test NAME ... bench: N ns/iter (+/- D)\" lines", text);
	for (size_t k = 0; k < nseen; k++)
		free(seen_in[k]);
	free(seen_in);
	free(target);
	pg_buf_free(&q);
	pg_text_lines_free(&l);
	return err;
}

/* ---- criterion's console report ---------------------------------------
 * fib 20                  time:   [23.871 µs 23.912 µs 23.958 µs]
 *                         thrpt:  [40.834 MiB/s 40.900 MiB/s 40.956 MiB/s]
 *                  change: [-1.2010% -0.6545% -0.1092%] (p = 0.02 < 0.05)
 * a_name_longer_than_twenty_three_characters
 *                         time:   [1.2345 ms 1.2400 ms 1.2456 ms]
 * [lower bound, estimate, upper bound]: the estimate is stored, one value
 * per run.  A name longer than the column is printed on its own line
 * before "time:".  Percentages (the change since the last run, after
 * "change:") are not measurements and are skipped. */

#define CRITERION "criterion console"

/* Per unit of a criterion throughput: the metric, its unit and factor. */
static int criterion_thrpt_unit(const char *u, const char **metric, const char **unit,
				double *factor)
{
	static const struct { const char *u; double f; int bytes; } units[] = {
		{ "B/s", 1, 1 }, { "KiB/s", 1024.0, 1 }, { "MiB/s", 1048576.0, 1 },
		{ "GiB/s", 1073741824.0, 1 }, { "KB/s", 1e3, 1 }, { "MB/s", 1e6, 1 }, { "GB/s", 1e9, 1 },
		{ "elem/s", 1, 0 }, { "Kelem/s", 1e3, 0 }, { "Melem/s", 1e6, 0 },
		{ "Gelem/s", 1e9, 0 },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++) {
		if (!strcmp(u, units[i].u)) {
			*metric = units[i].bytes ? "bytes_per_second" : "elements_per_second";
			*unit = units[i].bytes ? "B/s" : "1/s";
			*factor = units[i].f;
			return 0;
		}
	}
	return -1;
}

/* The "LABEL   [" of `line` (the last one): where LABEL starts, NULL when
 * the line has none. */
static char *criterion_label(char *line, const char *label)
{
	char *found = NULL;
	for (char *p = line; (p = strstr(p, label)); p++)
		if (p[strlen(label) + strspn(p + strlen(label), " \t")] == '[')
			found = p;
	return found;
}

/* "[A UNIT B UNIT C UNIT]..." -> the middle value and its unit (each
 * bound is formatted on its own: "[999.10 ns 1.0001 µs 1.0012 µs]").
 * 1: percentages (a change line), 0: parsed, -1: malformed. */
static int criterion_bracket(char *s, double *est, char **unit)
{
	char *end = strchr(s, ']'), *save = NULL, *tok[7];
	int n = 0;
	if (!end)
		return -1;
	*end = '\0';
	for (char *t = strtok_r(s + 1, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
		if (n < 7)
			tok[n++] = t;
		else
			return -1;
	if (n == 3 && strchr(tok[1], '%'))
		return 1;
	if (n != 6 || pg_import_decimal(tok[2], est) < 0)
		return -1;
	for (int k = 0; k < 6; k += 2) {
		double v;
		if (pg_import_decimal(tok[k], &v) < 0)
			return -1;
	}
	*unit = tok[3];
	return 0;
}

/* The name printed on its own line before line `i`'s "time:": the
 * previous non-blank line, unindented and not criterion's progress. */
static char *long_name(pg_text_lines *l, size_t i)
{
	while (i-- > 0 && !*pg_import_trim(l->v[i]))
		;
	if (i == (size_t)-1 || l->v[i][0] == ' ' || l->v[i][0] == '\t' ||
	    pg_import_starts(l->v[i], "Benchmarking ") || criterion_label(l->v[i], "time:"))
		return "";
	return pg_import_trim(l->v[i]);
}

int pg_import_criterion_console(pg_run *run, const char *text, const char *where)
{
	pg_text_lines l;
	pg_buf q = PG_BUF_INIT;
	char *current = NULL;
	int err = 0;
	pg_text_lines_split(&l, text);
	for (size_t i = 0; i < l.n && !err; i++) {
		char *line = l.v[i], *at, *unit, *name;
		int is_time = 1, r;
		double x, f;
		const char *metric, *munit;
		if (!(at = criterion_label(line, "time:"))) {
			if (!(at = criterion_label(line, "thrpt:")))
				continue;
			is_time = 0;
		}
		r = criterion_bracket(strchr(at, '['), &x, &unit);
		if (r == 1)
			continue; /* "change:" percentages */
		if (r < 0) {
			err = pg_import_line_error(where, CRITERION, i + 1, "expected \"%s [LOW UNIT "
						   "ESTIMATE UNIT HIGH UNIT]\"", is_time ? "time:" : "thrpt:");
		} else if (is_time) {
			free(current);
			current = pg_strndup(line, (size_t)(at - line));
			name = pg_import_trim(current);
			if (!*name) /* a long name: on the line before, from column 0 */
				name = long_name(&l, i);
			if (!*name || !(f = pg_import_ns_per(unit)))
				err = pg_import_line_error(where, CRITERION, i + 1, !*name ? "\"time:\" "
							   "without a benchmark name before it" : "%s is "
							   "not a unit of time", shown(&q, unit));
			else
				pg_import_sample(run, name, "time_per_op", "ns", 0, x * f);
			name = pg_strdup(name);
			free(current);
			current = name;
		} else if (!current) {
			err = pg_import_line_error(where, CRITERION, i + 1, "\"thrpt:\" before any "
						   "\"time:\"");
		} else if (criterion_thrpt_unit(unit, &metric, &munit, &f) < 0) {
			err = pg_import_line_error(where, CRITERION, i + 1, "%s is not a criterion "
						   "throughput unit", shown(&q, unit));
		} else {
			pg_import_sample(run, current, metric, munit, 1, x * f);
		}
	}
	if (!err && !run->nbenches)
		err = pg_import_none_found(where, "criterion", "criterion", "results (cargo criterion "
					   "--message-format=json lines, or the console report's \"NAME  "
					   "time: [LOW ESTIMATE HIGH]\" lines)", text);
	free(current);
	pg_buf_free(&q);
	pg_text_lines_free(&l);
	return err;
}

/* ---- iai-callgrind's summary -------------------------------------------
 * lib_bench::my_group::bench_fibonacci short:10
 *   Instructions:                1733|1733            (No change)
 *   L1 Hits:                     2359|2359            (No change)
 *   LL Hits:                        0|0               (No change)
 *   RAM Hits:                       2|2               (No change)
 *   Total read+write:            2361|2361            (No change)
 *   Estimated Cycles:            2429|2429            (No change)
 * The value before '|' is this run's (after it, the previous run's or
 * "N/A").  "L2 Hits" is what iai-callgrind before 0.12 called LL hits.
 * Blocks after "Comparison with ..." (the same numbers of another
 * benchmark), tools other than callgrind ("======= DHAT ===") and other
 * events (Ge, Bc, ...) are not read. */

#define IAI "iai-callgrind"

static const struct { const char *key, *metric; } iai_keys[] = {
	{ "Instructions:", "instructions" },       { "L1 Hits:", "l1_hits" },
	{ "L2 Hits:", "ll_hits" },                 { "LL Hits:", "ll_hits" },
	{ "RAM Hits:", "ram_hits" },               { "Total read+write:", "total_read_write" },
	{ "Estimated Cycles:", "estimated_cycles" },
};

int pg_import_iai_callgrind(pg_run *run, const char *text, const char *where)
{
	pg_text_lines l;
	pg_buf q = PG_BUF_INIT;
	char *name = NULL;
	int err = 0, reading = 0; /* reading: in a benchmark's own callgrind block */
	pg_text_lines_split(&l, text);
	for (size_t i = 0; i < l.n && !err; i++) {
		char *line = l.v[i], *t = pg_import_trim(line);
		size_t k = 0;
		double x;
		if (!*t)
			continue;
		if (line == t) { /* unindented: a benchmark's name */
			free(name);
			name = pg_strdup(t);
			reading = 1;
			continue;
		}
		if (pg_import_starts(t, "Comparison with ") || pg_import_starts(t, "=======")) {
			reading = pg_import_starts(t, "======= CALLGRIND ") && name;
			continue;
		}
		while (k < sizeof(iai_keys) / sizeof(*iai_keys) && !pg_import_starts(t, iai_keys[k].key))
			k++;
		if (!reading || k == sizeof(iai_keys) / sizeof(*iai_keys))
			continue;
		char *v = pg_import_trim(t + strlen(iai_keys[k].key));
		v[strcspn(v, "| \t")] = '\0';
		if (strspn(v, "0123456789") != strlen(v) || pg_import_decimal(v, &x) < 0)
			err = pg_import_line_error(where, IAI, i + 1, "%s: %s is not a count",
						   iai_keys[k].key, shown(&q, v));
		else
			pg_import_sample(run, name, iai_keys[k].metric, "", 0, x);
	}
	if (!err && !run->nbenches)
		err = pg_import_none_found(where, "iai-callgrind", IAI,
					   "benchmark summaries (\"  Instructions:  N|...\")", text);
	free(name);
	pg_buf_free(&q);
	pg_text_lines_free(&l);
	return err;
}
