/*
 * validate.c - the shapes of untrusted fields (see validate.h).
 */
#include "validate.h"
#include "utf8.h"

#include <string.h>

const char *pg_name_problem(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t len = strlen(name);
	if (!len)
		return "must not be empty";
	if (len > PG_NAME_MAX)
		return "is longer than 200 bytes";
	if (!pg_utf8_valid(name))
		return "is not valid UTF-8";
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0))
			return "contains a control character";
	return NULL;
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
