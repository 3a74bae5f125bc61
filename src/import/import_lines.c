/*
 * import_lines.c - helpers of the console-log importers (import_lines.h):
 * lines, numbers with thousands separators, time units, errors and hints.
 */
#include "import_lines.h"
#include "error.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void pg_text_lines_split(pg_text_lines *l, const char *text)
{
	const char *p = text;
	l->v = NULL;
	l->n = l->alloc = 0;
	while (*p) {
		size_t len = strcspn(p, "\r\n");
		l->v = pg_array_grow(l->v, &l->alloc, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = pg_strndup(p, len);
		p += len;
		if (p[0] == '\r' && p[1] == '\n')
			p += 2;
		else if (*p)
			p++;
	}
}

void pg_text_lines_free(pg_text_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

char *pg_import_trim(char *s)
{
	s += strspn(s, " \t");
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

int pg_import_tokens(char *s, char **tok, int max)
{
	char *save = NULL;
	int n = 0;
	for (char *t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
		if (n++ < max)
			tok[n - 1] = t;
	return n;
}

int pg_import_starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int pg_import_grouped(const char *s, double *out)
{
	const char *p = s + (*s == '-' || *s == '+');
	size_t lead = strspn(p, "0123456789");
	if (!strchr(s, ','))
		return pg_import_decimal(s, out);
	if (lead < 1 || lead > 3)
		return -1;
	pg_buf plain = PG_BUF_INIT;
	pg_buf_put(&plain, s, (size_t)(p - s) + lead);
	for (p += lead; *p == ','; p += 4) {
		if (strspn(p + 1, "0123456789") < 3 || (p[4] >= '0' && p[4] <= '9')) {
			pg_buf_free(&plain);
			return -1;
		}
		pg_buf_put(&plain, p + 1, 3);
	}
	pg_buf_puts(&plain, p);
	int err = pg_import_decimal(plain.ptr, out);
	pg_buf_free(&plain);
	return err;
}

double pg_import_ns_per(const char *unit)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ps", 1e-3 }, { "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 },
		{ "ms", 1e6 }, { "s", 1e9 }, { "sec", 1e9 }, { "secs", 1e9 },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (!strcmp(unit, units[i].unit))
			return units[i].ns;
	return 0;
}

int pg_import_line_error(const char *where, const char *what, size_t lineno, const char *fmt, ...)
{
	pg_buf msg = PG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pg_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	int err = lineno ? pg_error_set(PG_ECORRUPT, "%s: not %s output: line %zu: %s", where, what,
					lineno, msg.ptr)
			 : pg_error_set(PG_ECORRUPT, "%s: not %s output: %s", where, what, msg.ptr);
	pg_buf_free(&msg);
	return err;
}

/* ---- what a text looks like ------------------------------------------- */

/* Whether a line of `text` holds `a` and, after it, `b`.  Linear: once a
 * line's first `a` has no `b` after it, no later `a` of that line has. */
static int has_line_with(const char *text, const char *a, const char *b)
{
	for (const char *p = text; (p = strstr(p, a));) {
		const char *end = p + strcspn(p, "\n");
		for (const char *q = p; q + strlen(b) <= end; q++)
			if (!memcmp(q, b, strlen(b)))
				return 1;
		p = end;
	}
	return 0;
}

static int like_libtest(const char *t) { return has_line_with(t, "test ", " ... bench:"); }
static int like_criterion(const char *t)
{
	return (has_line_with(t, "time:", "[") && !like_libtest(t)) ||
	       strstr(t, "\"reason\":\"benchmark-complete\"");
}
static int like_catch2(const char *t)
{
	return has_line_with(t, "benchmark name", "samples") || strstr(t, "<Catch2TestRun") ||
	       strstr(t, "<Catch ");
}
static int like_wrk(const char *t) { return strstr(t, "Requests/sec:") && strstr(t, "Transfer/sec:"); }
static int like_hey(const char *t)
{
	return strstr(t, "Summary:") && strstr(t, "Requests/sec:") && strstr(t, "Slowest:");
}
static int like_ab(const char *t) { return has_line_with(t, "Requests per second:", "[#/sec]"); }
static int like_benchmarkjs(const char *t) { return has_line_with(t, " ops/sec ", "runs sampled)"); }
static int like_iai(const char *t)
{
	return strstr(t, "Instructions:") && strstr(t, "Estimated Cycles:");
}
static int like_gotest(const char *t) { return has_line_with(t, "Benchmark", "ns/op"); }

static const struct {
	const char *format, *what;
	int (*test)(const char *text);
} looks[] = {
	{ "libtest", "cargo bench (libtest) output", like_libtest },
	{ "criterion", "criterion output", like_criterion },
	{ "catch2", "Catch2 benchmark output", like_catch2 },
	{ "wrk", "wrk output", like_wrk },
	{ "hey", "hey output", like_hey },
	{ "ab", "ApacheBench output", like_ab },
	{ "benchmarkjs", "benchmark.js output", like_benchmarkjs },
	{ "iai-callgrind", "iai-callgrind output", like_iai },
	{ "gotest", "go test -bench output", like_gotest },
};

void pg_import_hint(pg_buf *out, const char *text, const char *self)
{
	const char *p = text + strspn(text, " \t\r\n");
	for (size_t i = 0; i < sizeof(looks) / sizeof(*looks); i++) {
		if (strcmp(looks[i].format, self) && looks[i].test(text)) {
			pg_buf_printf(out, "; it looks like %s (use --format %s)", looks[i].what,
				      looks[i].format);
			return;
		}
	}
	if (*p == '{' || *p == '[')
		pg_buf_puts(out, "; it is JSON: use the --format of the tool that wrote it");
	else if (*p == '<')
		pg_buf_puts(out, "; it is XML: use the --format of the tool that wrote it");
}

int pg_import_none_found(const char *where, const char *self, const char *what,
			 const char *expected, const char *text)
{
	pg_buf hint = PG_BUF_INIT;
	pg_import_hint(&hint, text, self);
	int err = pg_error_set(PG_ECORRUPT, "%s: not %s output: no %s found%s", where, what,
			       expected, hint.ptr);
	pg_buf_free(&hint);
	return err;
}
