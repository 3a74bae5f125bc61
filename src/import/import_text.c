/*
 * import_text.c - the text formats: `go test -bench` output and Catch2's
 * XML reporter.
 */
#include "buf.h"
#include "error.h"
#include "import.h"
#include "import_lines.h"
#include "utf8.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A number as Go and Catch2 print them: decimal digits with an optional
 * sign, fraction and exponent.  strtod alone would also take hex floats,
 * "nan" and "inf", and turn 1e999 into inf: none of them is a measurement. */
int pg_import_decimal(const char *s, double *out)
{
	const char *p = s + (*s == '+' || *s == '-');
	size_t digits = strspn(p, "0123456789");
	p += digits;
	if (*p == '.') {
		size_t frac = strspn(p + 1, "0123456789");
		digits += frac;
		p += 1 + frac;
	}
	if (digits && (*p == 'e' || *p == 'E')) {
		p += 1 + (p[1] == '+' || p[1] == '-');
		size_t exp = strspn(p, "0123456789");
		p += exp;
		digits = exp ? digits : 0;
	}
	if (!digits || *p)
		return -1;
	*out = strtod(s, NULL);
	return isfinite(*out) ? 0 : -1;
}

/* "'TOKEN' is not a decimal number", the token made safe to print. */
static void bad_number(pg_buf *out, const char *token)
{
	pg_buf_putc(out, '\'');
	pg_utf8_printable(out, token, 40);
	pg_buf_puts(out, "' is not a decimal number");
}

/* ---- go test -bench ------------------------------------------------------
 * goos: linux
 * pkg: example.com/mod/sorting
 * BenchmarkSort/n=100-8   	  123456	      9876 ns/op	  64 B/op	  2 allocs/op
 * Every result line is one run (-count N gives N lines per benchmark).
 * Fields are separated by tabs, or by spaces when the output was copied
 * from a terminal or a log.  A benchmark that prints gets its name line
 * (with the start of its output), its output, then its result on a line of
 * its own ("    1000	  85.42 ns/op").  After a "pkg: PATH" line results
 * are named "PATH.BenchmarkX" (go test ./... runs several packages whose
 * benchmarks may share a name); the -GOMAXPROCS suffix is dropped.  Other
 * lines (goos:, PASS, ok, --- BENCH:, --- FAIL:, what benchmarks print)
 * are not results; a line that starts like one but does not parse is an
 * error, so no result is ever dropped unsaid. */

typedef struct go_unit {
	const char *unit, *metric, *store_unit;
	int higher;
} go_unit;

static const go_unit go_units[] = {
	{ "ns/op", "time_per_op", "ns", 0 },
	{ "B/op", "bytes_per_op", "B", 0 },
	{ "allocs/op", "allocs_per_op", "", 0 },
	{ "MB/s", "mb_per_second", "MB/s", 1 },
};

#define GO_SEP " \t\r"

typedef struct go_state {
	pg_run *run;
	const char *where;
	size_t lineno;
	char *pkg;          /* the last "pkg:" line's import path, or NULL */
	char *pending;      /* a benchmark whose name line was followed by its output */
	size_t pending_line;
} go_state;

static int go_error(const go_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int go_error(const go_state *st, const char *fmt, ...)
{
	pg_buf msg = PG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pg_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	int err = pg_error_set(PG_ECORRUPT, "%s: not go test -bench output: line %zu: %s", st->where,
			       st->lineno, msg.ptr);
	pg_buf_free(&msg);
	return err;
}

static int all_digits(const char *s)
{
	return strspn(s, "0123456789") == strlen(s);
}

/* The name of a line's first token when it is a benchmark's (Go requires
 * "Benchmark" not followed by a lower-case letter), without the
 * -GOMAXPROCS suffix; NULL otherwise.  Caller frees. */
static char *go_bench_name(const char *tok)
{
	if (strncmp(tok, "Benchmark", 9) || islower((unsigned char)tok[9]))
		return NULL;
	char *name = pg_strdup(tok), *dash = strrchr(name, '-');
	if (dash && dash[1] && all_digits(dash + 1))
		*dash = '\0';
	return name;
}

/* One run of benchmark `name`: "ITERATIONS VALUE UNIT [VALUE UNIT]...",
 * the iteration count being the next token of `save`.  Messages quote the
 * name with pg_utf8_printable: it is checked only later (import.c). */
static int go_result(go_state *st, const char *name, char *iters, char **save)
{
	pg_buf full = PG_BUF_INIT, why = PG_BUF_INIT, shown = PG_BUF_INIT;
	int err = 0, got_time = 0;
	double x;
	if (st->pkg)
		pg_buf_printf(&full, "%s.", st->pkg);
	pg_buf_puts(&full, name);
	pg_utf8_printable(&shown, name, 100);
	if (!iters || !all_digits(iters) || strspn(iters, "0") == strlen(iters)) {
		err = go_error(st, "expected an iteration count after %s", shown.ptr);
		goto out;
	}
	for (char *val; (val = strtok_r(NULL, GO_SEP, save));) {
		char *unit = strtok_r(NULL, GO_SEP, save);
		if (pg_import_decimal(val, &x) < 0) {
			bad_number(&why, val);
			err = go_error(st, "%s: %s", shown.ptr, why.ptr);
			goto out;
		}
		if (!unit) {
			err = go_error(st, "%s: expected value-unit pairs", shown.ptr);
			goto out;
		}
		size_t k = 0;
		while (k < sizeof(go_units) / sizeof(*go_units) && strcmp(go_units[k].unit, unit))
			k++;
		if (k < sizeof(go_units) / sizeof(*go_units)) {
			pg_import_sample(st->run, full.ptr, go_units[k].metric, go_units[k].store_unit,
					 go_units[k].higher, x);
			got_time |= k == 0;
		} else {
			/* b.ReportMetric(x, "unit"): kept under the unit's name */
			pg_import_sample(st->run, full.ptr, unit, unit, 0, x);
		}
	}
	if (!got_time)
		err = go_error(st, "%s: no ns/op", shown.ptr);
out:
	pg_buf_free(&full);
	pg_buf_free(&why);
	pg_buf_free(&shown);
	return err;
}

/* A benchmark whose name line had no result must get it before the next
 * benchmark, package or the end. */
static int go_check_pending(go_state *st)
{
	if (!st->pending)
		return 0;
	pg_buf shown = PG_BUF_INIT;
	pg_utf8_printable(&shown, st->pending, 100);
	st->lineno = st->pending_line;
	int err = go_error(st, "%s printed no result (expected a line \"ITERATIONS VALUE ns/op\" "
			   "after its output)", shown.ptr);
	pg_buf_free(&shown);
	return err;
}

static int go_line(go_state *st, char *line)
{
	char *save = NULL, *tok = strtok_r(line, GO_SEP, &save), *name;
	int err = 0;
	if (!tok)
		return 0;
	if (!strcmp(tok, "pkg:")) {
		char *path = strtok_r(NULL, GO_SEP, &save);
		if ((err = go_check_pending(st)) < 0)
			return err;
		if (!path)
			return go_error(st, "\"pkg:\" without an import path");
		free(st->pkg);
		st->pkg = pg_strdup(path);
		return 0;
	}
	if (!strcmp(tok, "---") && st->pending) {
		/* "--- FAIL: BenchmarkX" / "--- SKIP: ...": it has no result */
		char *what = strtok_r(NULL, GO_SEP, &save), *who = strtok_r(NULL, GO_SEP, &save);
		char *failed = who ? go_bench_name(who) : NULL;
		if (what && failed && (!strcmp(what, "FAIL:") || !strcmp(what, "SKIP:")) &&
		    !strcmp(failed, st->pending)) {
			free(st->pending);
			st->pending = NULL;
		}
		free(failed);
		return 0;
	}
	if ((name = go_bench_name(tok))) {
		char *iters = strtok_r(NULL, GO_SEP, &save);
		if ((err = go_check_pending(st)) == 0 && iters && strspn(iters, "0123456789")) {
			err = go_result(st, name, iters, &save);
		} else if (err == 0) {
			/* the benchmark printed: its result follows its output */
			st->pending = name;
			st->pending_line = st->lineno;
			return 0;
		}
		free(name);
		return err;
	}
	if (st->pending && isspace((unsigned char)line[0]) && all_digits(tok) &&
	    (err = go_result(st, st->pending, tok, &save)) == 0) {
		free(st->pending);
		st->pending = NULL;
	}
	return err;
}

int pg_import_gotest(pg_run *run, const char *text, const char *where)
{
	go_state st = { run, where, 0, NULL, NULL, 0 };
	const char *p = text;
	int err = 0;
	while (*p && !err) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *line = pg_strndup(p, len);
		st.lineno++;
		err = go_line(&st, line);
		free(line);
		p += len + (end ? 1 : 0);
	}
	if (!err)
		err = go_check_pending(&st);
	free(st.pkg);
	free(st.pending);
	return err;
}

/* ---- Catch2 XML reporter ----------------------------------------------
 * <BenchmarkResults name="..." samples="100" ...>
 *   <mean value="123.4" lowerBound="..." upperBound="..." ci="0.95"/>
 * Catch2 writes only the estimates, not the samples: the mean (ns) is taken
 * as one sample per run. */

static char *xml_attr(const char *tag, const char *tag_end, const char *attr)
{
	pg_buf key = PG_BUF_INIT, out = PG_BUF_INIT;
	pg_buf_printf(&key, " %s=\"", attr);
	const char *p = strstr(tag, key.ptr);
	if (!p || p > tag_end) {
		pg_buf_free(&key);
		return NULL;
	}
	p += key.len;
	pg_buf_free(&key);
	static const struct { const char *e; char c; } ents[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' }, { "&apos;", '\'' },
	};
	while (*p && *p != '"' && p < tag_end) {
		size_t k = 0;
		while (k < 5 && strncmp(p, ents[k].e, strlen(ents[k].e)))
			k++;
		if (k < 5) {
			pg_buf_putc(&out, ents[k].c);
			p += strlen(ents[k].e);
		} else {
			pg_buf_putc(&out, *p++);
		}
	}
	return pg_buf_detach(&out);
}

/* The '>' that ends the tag starting at `p` (Catch2 writes a raw '>'
 * inside attribute values, so quotes must be respected). */
static const char *tag_end(const char *p)
{
	int quoted = 0;
	for (; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '>' && !quoted)
			return p;
	}
	return NULL;
}

static size_t line_of(const char *text, const char *at)
{
	size_t n = 1;
	for (; text < at; text++)
		n += *text == '\n';
	return n;
}

int pg_import_catch2(pg_run *run, const char *text, const char *where)
{
	const char *F = "Catch2 XML";
	const char *p = text;
	size_t n = 0;
	if (!strstr(text, "<Catch2TestRun") && !strstr(text, "<Catch "))
		return pg_import_catch2_console(run, text, where); /* import_console.c */
	while ((p = strstr(p, "<BenchmarkResults"))) {
		const char *end_of_tag = tag_end(p), *close = strstr(p, "</BenchmarkResults>");
		const char *mean = strstr(p, "<mean ");
		char *name = end_of_tag ? xml_attr(p, end_of_tag, "name") : NULL, *value = NULL;
		double x = 0;
		n++;
		if (mean && close && mean < close && tag_end(mean))
			value = xml_attr(mean, tag_end(mean), "value");
		int ok = name && value && close, err = 0;
		if (ok && pg_import_decimal(value, &x) < 0) {
			pg_buf why = PG_BUF_INIT;
			bad_number(&why, value);
			err = pg_error_set(PG_ECORRUPT, "%s: not %s output: line %zu: BenchmarkResults #%zu: "
					   "<mean value=...>: %s", where, F, line_of(text, mean), n, why.ptr);
			pg_buf_free(&why);
		} else if (ok) {
			pg_import_sample(run, name, "time_per_op", "ns", 0, x);
		} else {
			err = pg_error_set(PG_ECORRUPT, "%s: not %s output: line %zu: BenchmarkResults #%zu "
					   "lacks a name or a <mean value=...>", where, F, line_of(text, p), n);
		}
		free(value);
		free(name);
		if (err < 0)
			return err;
		p = close;
	}
	return 0;
}
