/*
 * format.h - turning numbers and names into text for people.
 */
#ifndef PG_FORMAT_H
#define PG_FORMAT_H

#include "buf.h"
#include <stddef.h>

/* A value with its unit scaled for reading: "45.6 ms", "1.2 MiB". */
void pg_fmt_value(pg_buf *out, double v, const char *unit);
/* "+12.3%", "-4.0%", "n/a" (NAN), "+inf%" */
void pg_fmt_change(pg_buf *out, double pct);
/* "+6.2% [4.9, 7.5]" when the interval is known, else as pg_fmt_change */
void pg_fmt_change_ci(pg_buf *out, double pct, double lo, double hi);
/* "4.2", "+inf", "-" (NAN) */
void pg_fmt_z(pg_buf *out, double z);
/* A unicode sparkline ("▁▃▅█") of at most `max` trailing values. */
void pg_fmt_sparkline(pg_buf *out, const double *v, size_t n, size_t max);
/* Short commit id (12 hex digits), or "-" for NULL. */
void pg_fmt_short_sha(pg_buf *out, const char *sha);

/* Every escaper below also makes untrusted text inert as text: control
 * characters (C0 with tab and newline, DEL, C1) become spaces, bidi
 * overrides and bytes that are not UTF-8 become U+FFFD. */

/* Escapes text for a Markdown table cell or list item on GitHub: pipes,
 * backticks, emphasis and link characters, HTML, '@' (so no @mention pings
 * anyone), issue references ("#1", "owner/repo#2", "GH-1") and bare URLs
 * ("www.", "scheme:/", e-mail): a word joiner (U+2060) keeps GitHub from
 * linking these, where a backslash would not. */
void pg_escape_markdown(pg_buf *out, const char *s);
/* Escapes text for HTML element content and attribute values. */
void pg_escape_html(pg_buf *out, const char *s);
/* Text for a terminal, a log or a workflow command: only the above. */
void pg_escape_term(pg_buf *out, const char *s);
/* A URL for a Markdown link destination: percent-encodes all but
 * A-Z a-z 0-9 and - . _ ~ : / ? # = & % + , ; */
void pg_escape_url(pg_buf *out, const char *s);
/* For XML text and attribute values: the five entities, and what XML 1.0
 * cannot hold (control characters, invalid UTF-8) as U+FFFD. */
void pg_escape_xml(pg_buf *out, const char *s);

#endif
