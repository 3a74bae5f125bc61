/*
 * import_lines.h - what the console-log importers share (import_lines.c):
 * the log split into lines, numbers as the tools print them (decimal,
 * with or without thousands separators), time units, and the one-line
 * "not X output" error with a hint at the format the text looks like.
 * Internal to src/import.
 */
#ifndef PG_IMPORT_LINES_H
#define PG_IMPORT_LINES_H

#include "buf.h"

#include <stddef.h>

/* A log as lines: v[i] is line i + 1 without its "\n" or "\r\n" (a CR
 * before the end of a line, as a terminal's progress output leaves, is
 * also a line end: what follows it is what the terminal showed). */
typedef struct pg_text_lines {
	char **v;
	size_t n, alloc;
} pg_text_lines;

void pg_text_lines_split(pg_text_lines *l, const char *text);
void pg_text_lines_free(pg_text_lines *l);

/* `s` without leading and trailing blanks (spaces, tabs), in place. */
char *pg_import_trim(char *s);
/* Splits `s` (modified) at blanks: the first `max` tokens into `tok`;
 * returns how many there are (which may be more than `max`). */
int pg_import_tokens(char *s, char **tok, int max);
/* Whether `s` starts with `prefix`. */
int pg_import_starts(const char *s, const char *prefix);

/* A decimal number as the tools print it ("143.2", "1.2345e+06"):
 * hexadecimal floats, nan, inf and values beyond a double are refused.
 * 0 and *out set, or -1 (import_text.c). */
int pg_import_decimal(const char *s, double *out);
/* The same with thousands separators ("1,234,567.89", groups of three
 * digits), as Rust's libtest and benchmark.js print them. */
int pg_import_grouped(const char *s, double *out);
/* Nanoseconds in one `unit` of time ("ps", "ns", "us", "µs", "ms", "s",
 * "sec", "secs"), or 0 when it is not a time unit. */
double pg_import_ns_per(const char *unit);

/* The error of a console importer: "WHERE: not WHAT output: line N:
 * DETAIL" (no "line N: " when `lineno` is 0).  Returns PG_ECORRUPT. */
int pg_import_line_error(const char *where, const char *what, size_t lineno, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* For input with no results in it: "WHERE: not WHAT output: no EXPECTED
 * found; it looks like X (use --format Y)" when `text` looks like output
 * of a format other than `self` (see pg_import_hint).  Returns
 * PG_ECORRUPT. */
int pg_import_none_found(const char *where, const char *self, const char *what,
			 const char *expected, const char *text);
/* Appends "; it looks like X (use --format Y)" to `out` when `text` looks
 * like the output of a format other than `self` (a pg_import_format
 * name); nothing otherwise. */
void pg_import_hint(pg_buf *out, const char *text, const char *self);

#endif
