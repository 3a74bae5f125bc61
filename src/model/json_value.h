/*
 * json_value.h - numbers and text as every JSON writer of perfgate puts
 * them: a number that is not finite is null (JSON has no NaN), and text
 * that is not valid UTF-8 (a process's stderr in a reason, a commit subject)
 * is repaired rather than dropped, since jansson refuses it.
 */
#ifndef PG_JSON_VALUE_H
#define PG_JSON_VALUE_H

#include <jansson.h>

/* A real, or null when `v` is NaN or infinite. */
json_t *pg_json_number(double v);
/* A string of `s` repaired to valid UTF-8, or null for NULL. */
json_t *pg_json_text(const char *s);

#endif
