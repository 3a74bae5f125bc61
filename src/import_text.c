/*
 * import_text.c - the text formats: `go test -bench` output and Catch2's
 * XML reporter.
 */
#include "buf.h"
#include "error.h"
#include "import.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- go test -bench ------------------------------------------------------
 * BenchmarkSort/n=100-8   	  123456	      9876 ns/op	  64 B/op	  2 allocs/op
 * Every line is one run (-count N gives N lines per benchmark); other lines
 * (goos:, PASS, ok ...) are ignored.  The -GOMAXPROCS suffix is dropped. */

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

static int go_line(pg_run *run, const char *line, size_t len, size_t lineno, const char *where)
{
	pg_buf name = PG_BUF_INIT;
	char *copy = pg_strndup(line, len), *save = NULL;
	char *tok = strtok_r(copy, " \t\r", &save);
	int err = 0, got_time = 0;
	pg_buf_puts(&name, tok);
	/* drop the -GOMAXPROCS suffix */
	char *dash = strrchr(name.ptr, '-');
	if (dash && dash[1] && strspn(dash + 1, "0123456789") == strlen(dash + 1))
		pg_buf_truncate(&name, (size_t)(dash - name.ptr));
	char *iters = strtok_r(NULL, " \t\r", &save), *end;
	if (!iters || strtoull(iters, &end, 10) == 0 || *end) {
		err = pg_error_set(PG_ECORRUPT, "%s: not go test -bench output: line %zu: expected "
				   "an iteration count after %s", where, lineno, name.ptr);
		goto out;
	}
	for (char *val; (val = strtok_r(NULL, " \t\r", &save));) {
		char *unit = strtok_r(NULL, " \t\r", &save);
		double x = strtod(val, &end);
		if (!unit || *end) {
			err = pg_error_set(PG_ECORRUPT, "%s: not go test -bench output: line %zu: "
					   "expected value-unit pairs", where, lineno);
			goto out;
		}
		size_t k = 0;
		while (k < sizeof(go_units) / sizeof(*go_units) && strcmp(go_units[k].unit, unit))
			k++;
		if (k < sizeof(go_units) / sizeof(*go_units)) {
			pg_import_sample(run, name.ptr, go_units[k].metric, go_units[k].store_unit,
					 go_units[k].higher, x);
			got_time |= k == 0;
		} else {
			/* b.ReportMetric(x, "unit"): kept under the unit's name */
			pg_import_sample(run, name.ptr, unit, unit, 0, x);
		}
	}
	if (!got_time)
		err = pg_error_set(PG_ECORRUPT, "%s: not go test -bench output: line %zu: no ns/op",
				   where, lineno);
out:
	free(copy);
	pg_buf_free(&name);
	return err;
}

int pg_import_gotest(pg_run *run, const char *text, const char *where)
{
	const char *p = text;
	size_t lineno = 0;
	int err = 0;
	while (*p && !err) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		lineno++;
		if (len > 9 && !strncmp(p, "Benchmark", 9) && !isspace((unsigned char)p[9]) &&
		    memchr(p, '\t', len))
			err = go_line(run, p, len, lineno, where);
		p += len + (end ? 1 : 0);
	}
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

int pg_import_catch2(pg_run *run, const char *text, const char *where)
{
	const char *F = "Catch2 XML";
	const char *p = text;
	size_t n = 0;
	if (!strstr(text, "<Catch2TestRun") && !strstr(text, "<Catch "))
		return pg_error_set(PG_ECORRUPT, "%s: not %s output: no <Catch2TestRun> element (run "
				    "the tests with -r xml)", where, F);
	while ((p = strstr(p, "<BenchmarkResults"))) {
		const char *end_of_tag = tag_end(p), *close = strstr(p, "</BenchmarkResults>");
		const char *mean = strstr(p, "<mean ");
		char *name = end_of_tag ? xml_attr(p, end_of_tag, "name") : NULL, *value = NULL, *end;
		n++;
		if (mean && close && mean < close && tag_end(mean))
			value = xml_attr(mean, tag_end(mean), "value");
		double x = value ? strtod(value, &end) : 0;
		int ok = name && value && !*end && close;
		if (ok)
			pg_import_sample(run, name, "time_per_op", "ns", 0, x);
		free(value);
		free(name);
		if (!ok)
			return pg_error_set(PG_ECORRUPT, "%s: not %s output: BenchmarkResults #%zu lacks a "
					    "name or a <mean value=...>", where, F, n);
		p = close;
	}
	return 0;
}
