/*
 * import_console.c - console reports of C++ and JavaScript harnesses:
 * Catch2's console reporter (v2 and v3 layouts) and benchmark.js's text.
 */
#include "error.h"
#include "import.h"
#include "import_lines.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* ---- Catch2 console reporter ------------------------------------------
 * benchmark name                       samples       iterations    estimated
 *                                      mean          low mean      high mean
 *                                      std dev       low std dev   high std dev
 * -------------------------------------------------------------------------------
 * fnv1a <64 bytes>                                20           509    5.51756 ms
 *                                         60.6625 ns     56.404 ns    69.9588 ns
 *                                         12.9551 ns    3.33028 ns    21.1314 ns
 * Catch2 v3 heads the third column "est run time"; with
 * --benchmark-no-analysis the table is one row per benchmark ("samples
 * iterations mean").  The first column is CATCH_CONFIG_CONSOLE_WIDTH - 43
 * wide (the dashed line is the width - 1); a longer name is wrapped over
 * several rows, at a blank or, inside a word, with a '-'.  The mean is
 * stored, one value per run (the console has no samples). */

#define CATCH2 "Catch2 console"

typedef struct c2_table {
	int open, no_analysis;
	size_t width;    /* of the name column */
	pg_buf name;     /* the rows of a wrapped name so far */
	size_t last;     /* the length of the last of them */
	char *pending;   /* a benchmark whose mean row is next */
	size_t pending_line;
} c2_table;

/* A duration as Catch2 prints it ("60.6625 ns", "1.2 m"), in ns. */
static int c2_duration(const char *value, const char *unit, double *ns)
{
	double f = !strcmp(unit, "m") ? 60e9 : pg_import_ns_per(unit);
	if (!f || pg_import_decimal(value, ns) < 0)
		return -1;
	*ns *= f;
	return 0;
}

static void c2_name_part(c2_table *t, const char *part)
{
	size_t len = t->name.len;
	/* a word broken by Catch2 fills the column: "..._name-" then "_rest" */
	if (len && t->last == t->width - 2 && t->name.ptr[len - 1] == '-')
		pg_buf_truncate(&t->name, len - 1);
	else if (len)
		pg_buf_putc(&t->name, ' ');
	pg_buf_puts(&t->name, part);
	t->last = strlen(part);
}

/* One row of an open table (line `lineno`). */
static int c2_row(pg_run *run, c2_table *t, char *line, size_t lineno, const char *where)
{
	size_t len = strlen(line);
	char *rest = line + (len < t->width ? len : t->width), *tok[8], *part;
	int n;
	double x, y;
	/* the first column ends where the right-aligned ones begin */
	char saved = *rest;
	*rest = '\0';
	pg_buf first = PG_BUF_INIT;
	pg_buf_puts(&first, line);
	*rest = saved;
	part = pg_import_trim(first.ptr);
	n = pg_import_tokens(rest, tok, 8);
	int err = 0;
	if (strstr(line, "Benchmark failed (")) {
		/* no result: Catch2 reports the failure with the test case */
		free(t->pending);
		t->pending = NULL;
		pg_buf_clear(&t->name);
	} else if (t->pending) {
		/* the mean row: MEAN LOW HIGH, each a value and a unit */
		if (*part || n != 6 || c2_duration(tok[0], tok[1], &x) < 0 ||
		    c2_duration(tok[2], tok[3], &y) < 0 || c2_duration(tok[4], tok[5], &y) < 0)
			err = pg_import_line_error(where, CATCH2, lineno, "expected the mean, low mean "
						   "and high mean of the benchmark on line %zu",
						   t->pending_line);
		else
			pg_import_sample(run, t->pending, "time_per_op", "ns", 0, x);
		free(t->pending);
		t->pending = NULL;
	} else if (*part && !n) {
		c2_name_part(t, part);
	} else if (n == 4 && (*part || t->name.len)) {
		/* NAME SAMPLES ITERATIONS (ESTIMATED | MEAN) */
		if (*part)
			c2_name_part(t, part);
		if (strspn(tok[0], "0123456789") != strlen(tok[0]) ||
		    strspn(tok[1], "0123456789") != strlen(tok[1]) || c2_duration(tok[2], tok[3], &x) < 0)
			err = pg_import_line_error(where, CATCH2, lineno, "expected \"NAME SAMPLES "
						   "ITERATIONS %s\"", t->no_analysis ? "MEAN" : "ESTIMATED");
		else if (t->no_analysis)
			pg_import_sample(run, t->name.ptr, "time_per_op", "ns", 0, x);
		else {
			t->pending = pg_strdup(t->name.ptr);
			t->pending_line = lineno;
		}
		pg_buf_clear(&t->name);
	} else if (n == 6 && !*part && !t->name.len) {
		/* the std dev row (or a mean row without its benchmark) */
	} else if (*part || n) {
		err = pg_import_line_error(where, CATCH2, lineno, "not a row of the benchmark table");
	}
	pg_buf_free(&first);
	return err;
}

int pg_import_catch2_console(pg_run *run, const char *text, const char *where)
{
	pg_text_lines l;
	c2_table t = { 0, 0, 0, PG_BUF_INIT, 0, NULL, 0 };
	int err = 0;
	pg_text_lines_split(&l, text);
	for (size_t i = 0; i < l.n && !err; i++) {
		char *line = l.v[i];
		if (pg_import_starts(line, "benchmark name ")) {
			/* a new table: its layout, then its dashed line */
			t.no_analysis = !strstr(line, "estimated") && !strstr(line, "est run time");
			while (++i < l.n && l.v[i][0] != '-')
				;
			if (i == l.n || strspn(l.v[i], "-") != strlen(l.v[i]) || strlen(l.v[i]) < 50) {
				err = pg_import_line_error(where, CATCH2, i < l.n ? i + 1 : i,
							   "expected the dashed line under the "
							   "benchmark table's header");
				break;
			}
			t.width = strlen(l.v[i]) + 1 - 43;
			t.open = 1;
			continue;
		}
		if (!t.open)
			continue;
		if (!*line || line[0] == '-' || line[0] == '=' || line[0] == '~') {
			/* the table ends */
			if (t.pending || t.name.len) {
				err = pg_import_line_error(where, CATCH2, i + 1, "the table ends before the "
							   "result of %s", t.pending ? "a benchmark" :
							   "a benchmark whose name was printed");
			}
			t.open = 0;
			continue;
		}
		err = c2_row(run, &t, line, i + 1, where);
	}
	if (!err && (t.pending || t.name.len))
		err = pg_import_line_error(where, CATCH2, l.n, "the output ends before the result of "
					   "the last benchmark (truncated?)");
	if (!err && !run->nbenches)
		err = pg_import_none_found(where, "catch2", "Catch2", "benchmark table (XML "
					   "<BenchmarkResults> from -r xml, or the console reporter's "
					   "\"benchmark name  samples ...\")", text);
	free(t.pending);
	pg_buf_free(&t.name);
	pg_text_lines_free(&l);
	return err;
}

/* ---- benchmark.js -------------------------------------------------------
 * String(bench) for each cycle, as the documented examples print it:
 * "RegExp#test x 4,161,532 ops/sec ±0.99% (59 runs sampled)"
 * hz is printed with two decimals below 100 ("12.34 ops/sec").  The
 * ops/sec (hz) is stored, one value per run; "Fastest is ..." and the
 * lines of a benchmark that failed ("name: Error ...") are not results. */

#define BENCHMARKJS "benchmark.js"

int pg_import_benchmarkjs(pg_run *run, const char *text, const char *where)
{
	pg_text_lines l;
	int err = 0;
	pg_text_lines_split(&l, text);
	for (size_t i = 0; i < l.n && !err; i++) {
		char *line = l.v[i], *ops = NULL, *x = NULL, *s, *tok[4];
		double hz, rme, runs;
		for (s = line; (s = strstr(s, " ops/sec ")); s++)
			ops = s;
		if (!ops)
			continue;
		*ops = '\0';
		for (s = line; (s = strstr(s, " x ")); s++)
			x = s;
		if (!x) {
			err = pg_import_line_error(where, BENCHMARKJS, i + 1, "expected \"NAME x N "
						   "ops/sec ...\"");
			break;
		}
		*x = '\0';
		char *name = pg_import_trim(line), *num = pg_import_trim(x + 3);
		int n = pg_import_tokens(ops + 9, tok, 4);
		/* ±0.99% (59 runs sampled) */
		if (!*name || pg_import_grouped(num, &hz) < 0 || hz <= 0 || n != 4 ||
		    !pg_import_starts(tok[0], "\xc2\xb1") || tok[0][strlen(tok[0]) - 1] != '%' ||
		    (tok[0][strlen(tok[0]) - 1] = '\0', pg_import_decimal(tok[0] + 2, &rme) < 0) ||
		    tok[1][0] != '(' || pg_import_decimal(tok[1] + 1, &runs) < 0 ||
		    (strcmp(tok[2], "runs") && strcmp(tok[2], "run")) || strcmp(tok[3], "sampled)"))
			err = pg_import_line_error(where, BENCHMARKJS, i + 1, "expected \"NAME x N "
						   "ops/sec \xc2\xb1RME%% (N runs sampled)\"");
		else
			pg_import_sample(run, name, "ops_per_second", "1/s", 1, hz);
	}
	if (!err && !run->nbenches)
		err = pg_import_none_found(where, "benchmarkjs", BENCHMARKJS,
					   "\"NAME x N ops/sec \xc2\xb1RME% (N runs sampled)\" lines",
					   text);
	pg_text_lines_free(&l);
	return err;
}
