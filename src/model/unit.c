/*
 * unit.c - parsing quantities with units and converting them (unit.h).
 */
#include "unit.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit_def {
	const char *name;
	pg_unit_kind kind;
	double base; /* one of it in base units */
} unit_def;

static const unit_def units[] = {
	{ "ns", PG_KIND_TIME, 1e-9 }, { "us", PG_KIND_TIME, 1e-6 }, { "µs", PG_KIND_TIME, 1e-6 },
	{ "ms", PG_KIND_TIME, 1e-3 }, { "s", PG_KIND_TIME, 1 }, { "min", PG_KIND_TIME, 60 },
	{ "h", PG_KIND_TIME, 3600 },
	{ "B", PG_KIND_BYTES, 1 }, { "bytes", PG_KIND_BYTES, 1 }, { "kB", PG_KIND_BYTES, 1e3 },
	{ "KB", PG_KIND_BYTES, 1e3 }, { "MB", PG_KIND_BYTES, 1e6 }, { "GB", PG_KIND_BYTES, 1e9 },
	{ "TB", PG_KIND_BYTES, 1e12 }, { "KiB", PG_KIND_BYTES, 1024.0 },
	{ "MiB", PG_KIND_BYTES, 1048576.0 }, { "GiB", PG_KIND_BYTES, 1073741824.0 },
	{ "TiB", PG_KIND_BYTES, 1099511627776.0 },
	{ "%", PG_KIND_PERCENT, 1 },
};

static const unit_def *find_unit(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (strlen(units[i].name) == n && !strncmp(units[i].name, s, n))
			return &units[i];
	return NULL;
}

/* A count's name: letters, digits, '_', '.', '-' ("items", "1", "instr"). */
static int count_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return 0;
	return 1;
}

int pg_unit_parse(const char *unit, pg_quantity *out)
{
	size_t len = strcspn(unit, "@"); /* "instr@perf": the source is no unit */
	const char *slash = memchr(unit, '/', len);
	size_t n = slash ? (size_t)(slash - unit) : len;
	const unit_def *num = find_unit(unit, n);
	memset(out, 0, sizeof(*out));
	out->value = 1;
	if (num) {
		out->kind = num->kind;
		out->value = num->base;
	} else if (!count_word(unit, n)) {
		return -1;
	}
	if (slash) {
		const unit_def *den = find_unit(slash + 1, len - n - 1);
		if (!den || den->kind != PG_KIND_TIME || out->kind == PG_KIND_PERCENT)
			return -1;
		out->per_time = 1;
		out->value /= den->base;
	}
	return 0;
}

int pg_quantity_parse(const char *text, pg_quantity *out, const char **why)
{
	const char *p = text, *dummy;
	char *end;
	double v;
	pg_quantity unit;
	if (!why)
		why = &dummy;
	while (*p == ' ')
		p++;
	/* decimal only ("1", "-2.5", "1e3"): no "inf", "nan" or hexadecimal,
	 * which strtod would take */
	const char *q = p + (*p == '-' || *p == '+');
	size_t digits = strspn(q, "0123456789");
	if (q[digits] == '.')
		digits += 1 + strspn(q + digits + 1, "0123456789");
	if (!digits || (digits == 1 && *q == '.')) {
		*why = "expected a number, then a unit (\"2 s\", \"100 MiB\", \"10000/s\", \"1%\")";
		return -1;
	}
	q += digits;
	if ((*q == 'e' || *q == 'E') && (isdigit((unsigned char)q[1]) ||
					 ((q[1] == '-' || q[1] == '+') && isdigit((unsigned char)q[2]))))
		q += 2 + strspn(q + 2, "0123456789");
	v = strtod(p, &end);
	if (end != q || !isfinite(v) || fabs(v) > 1e300) {
		*why = end != q ? "expected a decimal number" : "expected a finite number";
		return -1;
	}
	p = end;
	while (*p == ' ')
		p++;
	if (!*p) {
		memset(out, 0, sizeof(*out));
		out->value = v;
		out->bare = 1;
		return 0;
	}
	/* "10000/s": the count before the slash is implicit; a word of one or
	 * two letters is more likely a prefix ("10k/s", "5 M") than a count */
	size_t word = strcspn(p, "/");
	if (pg_unit_parse(p, &unit) < 0 || strchr(p, '@') || strchr(p, ' ') ||
	    (unit.kind == PG_KIND_COUNT && word && word < 3)) {
		*why = "unknown unit (known: ns us ms s min h, B kB MB GB KiB MiB GiB, %, "
		       "a count such as items, and rates such as /s, MB/s, items/s, MB/h)";
		return -1;
	}
	*out = unit;
	out->value = v * unit.value;
	if (!isfinite(out->value)) {
		*why = "out of range";
		return -1;
	}
	return 0;
}

int pg_quantity_convert(const pg_quantity *q, const char *unit, double *out)
{
	pg_quantity u;
	if (q->bare) {
		*out = q->value;
		return 0;
	}
	if (pg_unit_parse(unit ? unit : "", &u) < 0 || u.kind != q->kind ||
	    u.per_time != q->per_time || !(u.value > 0))
		return -1;
	*out = q->value / u.value;
	return isfinite(*out) ? 0 : -1;
}

void pg_quantity_describe(pg_buf *out, const pg_quantity *q)
{
	static const char *const names[] = { "a count", "a time", "a size in bytes",
					     "a percentage" };
	if (q->bare) {
		pg_buf_puts(out, "a plain number");
		return;
	}
	if (q->per_time)
		pg_buf_puts(out, q->kind == PG_KIND_COUNT ? "a rate per second" :
			    q->kind == PG_KIND_BYTES ? "bytes per second" : "a time per second");
	else
		pg_buf_puts(out, names[q->kind]);
}
