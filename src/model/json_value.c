/*
 * json_value.c - JSON numbers and text for the writers (see json_value.h).
 */
#include "json_value.h"
#include "buf.h"
#include "utf8.h"

#include <math.h>

json_t *pg_json_number(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *pg_json_text(const char *s)
{
	json_t *j;
	pg_buf fixed = PG_BUF_INIT;
	if (!s)
		return json_null();
	if ((j = json_string(s)))
		return j;
	pg_utf8_repair(&fixed, s);
	j = json_stringn(fixed.ptr, fixed.len);
	pg_buf_free(&fixed);
	return j ? j : json_null();
}
