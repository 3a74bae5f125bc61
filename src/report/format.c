/*
 * format.c - number, unit and text formatting shared by the reports.
 */
#include "format.h"
#include "utf8.h"

#include <math.h>
#include <string.h>
#include <strings.h>

typedef struct unit_step {
	const char *name;
	double factor;
} unit_step;

static const unit_step time_steps[] = { { "ns", 1 }, { "µs", 1e3 }, { "ms", 1e6 }, { "s", 1e9 } };
static const unit_step mem_steps[] = { { "KiB", 1 }, { "MiB", 1024 }, { "GiB", 1048576 } };
static const unit_step count_steps[] = { { "", 1 }, { "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 } };
/* Throughputs in decimal prefixes, as the harnesses print them. */
static const unit_step byte_rate_steps[] = { { "B/s", 1 }, { "kB/s", 1e3 }, { "MB/s", 1e6 },
					     { "GB/s", 1e9 }, { "TB/s", 1e12 } };
static const unit_step rate_steps[] = { { "/s", 1 }, { "k/s", 1e3 }, { "M/s", 1e6 },
					{ "G/s", 1e9 }, { "T/s", 1e12 } };

static void fmt_scaled(pg_buf *out, double v, const unit_step *steps, size_t n)
{
	size_t i = 0;
	while (i + 1 < n && fabs(v) >= steps[i + 1].factor)
		i++;
	double x = v / steps[i].factor;
	int decimals = fabs(x) >= 100 ? 0 : fabs(x) >= 10 ? 1 : 2;
	if (i == 0 && x == floor(x))
		decimals = 0;
	/* beyond the steps, 4 significant digits: never a 300-digit number,
	 * nor a value below 0.005 of the smallest step shown as 0 */
	if (fabs(x) >= 1e6 || (x != 0 && fabs(x) < 0.005))
		pg_buf_printf(out, "%.4g %s", x, steps[i].name);
	else
		pg_buf_printf(out, "%.*f %s", decimals, x, steps[i].name);
}

void pg_fmt_value(pg_buf *out, double v, const char *unit)
{
	if (isnan(v)) {
		pg_buf_puts(out, "-");
	} else if (unit && !strcmp(unit, "ns")) {
		fmt_scaled(out, v, time_steps, sizeof(time_steps) / sizeof(*time_steps));
	} else if (unit && !strcmp(unit, "KiB")) {
		fmt_scaled(out, v, mem_steps, sizeof(mem_steps) / sizeof(*mem_steps));
	} else if (unit && !strcmp(unit, "B/s")) {
		fmt_scaled(out, v, byte_rate_steps, sizeof(byte_rate_steps) / sizeof(*byte_rate_steps));
	} else if (unit && !strcmp(unit, "1/s")) {
		fmt_scaled(out, v, rate_steps, sizeof(rate_steps) / sizeof(*rate_steps));
	} else if (unit && strchr(unit, '@')) {
		/* counts with their source: "1.23 G instr (valgrind)" */
		const char *at = strchr(unit, '@');
		fmt_scaled(out, v, count_steps, sizeof(count_steps) / sizeof(*count_steps));
		if (out->len && out->ptr[out->len - 1] == ' ')
			pg_buf_truncate(out, out->len - 1);
		pg_buf_printf(out, " %.*s (%s)", (int)(at - unit), unit, at + 1);
	} else {
		pg_buf_printf(out, "%.4g", v);
		if (unit && *unit)
			pg_buf_printf(out, " %s", unit);
	}
}

void pg_fmt_change(pg_buf *out, double pct)
{
	if (isnan(pct))
		pg_buf_puts(out, "n/a");
	else if (isinf(pct))
		pg_buf_puts(out, pct > 0 ? "+inf%" : "-inf%");
	else
		pg_buf_printf(out, "%+.1f%%", pct);
}

void pg_fmt_change_ci(pg_buf *out, double pct, double lo, double hi)
{
	pg_fmt_change(out, pct);
	if (isfinite(lo) && isfinite(hi))
		pg_buf_printf(out, " [%.1f, %.1f]", lo, hi);
}

void pg_fmt_z(pg_buf *out, double z)
{
	if (isnan(z))
		pg_buf_puts(out, "-");
	else if (isinf(z))
		pg_buf_puts(out, z > 0 ? "+inf" : "-inf");
	else
		pg_buf_printf(out, "%+.1f", z);
}

void pg_fmt_sparkline(pg_buf *out, const double *v, size_t n, size_t max)
{
	static const char *const bars[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	if (n > max) {
		v += n - max;
		n = max;
	}
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	for (size_t i = 0; i < n; i++) {
		/* in halves, as hi - lo can overflow; a flat line and NaN sit in the middle */
		double f = (v[i] / 2 - lo / 2) / (hi / 2 - lo / 2);
		pg_buf_puts(out, bars[f >= 0 && f <= 1 ? (int)(f * 7.0 + 0.5) : 3]);
	}
}

void pg_fmt_short_sha(pg_buf *out, const char *sha)
{
	if (!sha)
		pg_buf_puts(out, "-");
	else
		pg_buf_put(out, sha, strnlen(sha, 12));
}

/* What one character of untrusted text is, for the escapers. */
enum char_kind { CH_PLAIN, CH_CONTROL, CH_BIDI, CH_INVALID };

/* The length of the character at `s` (1 for a byte that is not UTF-8) and
 * its kind: C0, DEL and C1 controls; the bidirectional overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069), which can make a name read as
 * another; bytes that are not UTF-8. */
static size_t next_char(const char *s, size_t left, enum char_kind *kind)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = pg_utf8_seq(s, left);
	*kind = CH_PLAIN;
	if (!n) {
		*kind = CH_INVALID;
		return 1;
	}
	if (u[0] < 0x20 || u[0] == 0x7f || (n == 2 && u[0] == 0xc2 && u[1] < 0xa0))
		*kind = CH_CONTROL;
	else if (n == 3 && u[0] == 0xe2 && ((u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) ||
					    (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)))
		*kind = CH_BIDI;
	return n;
}

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

void pg_escape_term(pg_buf *out, const char *s)
{
	size_t left = strlen(s);
	while (left) {
		enum char_kind k;
		size_t n = next_char(s, left, &k);
		if (k == CH_CONTROL)
			pg_buf_putc(out, ' ');
		else if (k != CH_PLAIN)
			pg_buf_puts(out, REPLACEMENT);
		else
			pg_buf_put(out, s, n);
		s += n;
		left -= n;
	}
}

void pg_escape_url(pg_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~:/?#=&%+,;", c))
			pg_buf_putc(out, (char)c);
		else
			pg_buf_printf(out, "%%%02X", c);
	}
}

/* Whether `s` starts with "www." in any case: GitHub links it. */
static int at_www(const char *s)
{
	return !strncasecmp(s, "www.", 4);
}

/* Whether `s` starts with "GH-" and a digit, in any case: GitHub links
 * "GH-123" to an issue. */
static int at_gh(const char *s)
{
	return !strncasecmp(s, "gh-", 3) && s[3] >= '0' && s[3] <= '9';
}

void pg_escape_markdown(pg_buf *out, const char *s)
{
	size_t left = strlen(s);
	while (left) {
		enum char_kind k;
		size_t n = next_char(s, left, &k);
		unsigned char c = (unsigned char)*s;
		if (k == CH_CONTROL) {
			pg_buf_putc(out, ' ');
		} else if (k != CH_PLAIN) {
			pg_buf_puts(out, REPLACEMENT);
		} else if (n > 1) {
			pg_buf_put(out, s, n);
		} else if (strchr("|`*_[]~\\!", c)) {
			pg_buf_putc(out, '\\');
			pg_buf_putc(out, (char)c);
		} else if (c == '<') {
			pg_buf_puts(out, "&lt;");
		} else if (c == '>') {
			pg_buf_puts(out, "&gt;");
		} else if (c == '&') {
			pg_buf_puts(out, "&amp;");
		} else if (c == '@' || c == '#' || (c == ':' && s[1] == '/')) {
			/* A word joiner after '@' keeps GitHub from linking (and
			 * notifying) a user or team or linking an e-mail address;
			 * after '#' from linking an issue ("#1", "owner/repo#2": a
			 * backslash does not stop that) and from starting a heading;
			 * after "scheme:" from linking a bare URL. */
			pg_buf_putc(out, (char)c);
			pg_buf_puts(out, "\u2060");
		} else if ((c == 'w' || c == 'W') && at_www(s)) {
			pg_buf_put(out, s, 3); /* "www" + word joiner + "." */
			pg_buf_puts(out, "\u2060");
			n = 3;
		} else if ((c == 'g' || c == 'G') && at_gh(s)) {
			pg_buf_put(out, s, 2); /* "GH" + word joiner + "-" */
			pg_buf_puts(out, "\u2060");
			n = 2;
		} else {
			pg_buf_putc(out, (char)c);
		}
		s += n;
		left -= n;
	}
}

void pg_escape_html(pg_buf *out, const char *s)
{
	size_t left = strlen(s);
	while (left) {
		enum char_kind k;
		size_t n = next_char(s, left, &k);
		if (k == CH_CONTROL) {
			pg_buf_putc(out, ' ');
		} else if (k != CH_PLAIN) {
			pg_buf_puts(out, REPLACEMENT);
		} else {
			switch (*s) {
			case '<': pg_buf_puts(out, "&lt;"); break;
			case '>': pg_buf_puts(out, "&gt;"); break;
			case '&': pg_buf_puts(out, "&amp;"); break;
			case '"': pg_buf_puts(out, "&quot;"); break;
			case '\'': pg_buf_puts(out, "&#39;"); break;
			case '@': pg_buf_puts(out, "&#64;\u2060"); break;
			default: pg_buf_put(out, s, n);
			}
		}
		s += n;
		left -= n;
	}
}

void pg_escape_xml(pg_buf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t left = strlen(str);
	while (left) {
		size_t n = pg_utf8_seq((const char *)s, left);
		switch (n ? *s : 0) {
		case '<': pg_buf_puts(out, "&lt;"); break;
		case '>': pg_buf_puts(out, "&gt;"); break;
		case '&': pg_buf_puts(out, "&amp;"); break;
		case '"': pg_buf_puts(out, "&quot;"); break;
		case '\'': pg_buf_puts(out, "&apos;"); break;
		case 0:
			/* not UTF-8 (a stderr tail can be anything): U+FFFD */
			pg_buf_puts(out, "\xef\xbf\xbd");
			n = 1;
			break;
		default:
			if (*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
				pg_buf_puts(out, "\xef\xbf\xbd"); /* not allowed in XML 1.0 */
			else
				pg_buf_put(out, (const char *)s, n);
		}
		s += n;
		left -= n;
	}
}
