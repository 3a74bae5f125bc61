/*
 * validate.c - the shapes of untrusted fields (see validate.h).
 */
#include "validate.h"
#include "utf8.h"

#include <string.h>

/* Non-empty, at most `max` bytes (`too_long` says so), UTF-8, no control
 * characters. */
static const char *text_problem(const char *name, size_t max, const char *too_long)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t len = strlen(name);
	if (!len)
		return "must not be empty";
	if (len > max)
		return too_long;
	if (!pg_utf8_valid(name))
		return "is not valid UTF-8";
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0))
			return "contains a control character";
	return NULL;
}

const char *pg_name_problem(const char *name)
{
	return text_problem(name, PG_NAME_MAX, "is longer than 200 bytes");
}

const char *pg_ref_problem(const char *ref)
{
	return text_problem(ref, PG_REF_MAX, "is longer than 1024 bytes");
}

const char *pg_unit_problem(const char *unit)
{
	size_t len = strlen(unit);
	if (len > PG_UNIT_MAX)
		return "is longer than 32 bytes";
	for (const char *p = unit; *p; p++) {
		if (!strncmp(p, "\xc2\xb5", 2)) { /* µ */
			p++;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("/@%_.-", *p)))
			return "may only hold letters, digits, / @ % _ . - and µ";
	}
	return NULL;
}

int pg_sha_valid(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == 40 && !s[n];
}
