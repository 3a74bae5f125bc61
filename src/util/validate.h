/*
 * validate.h - the trust boundary: what perfgate accepts from anything it
 * did not write itself in this process (perfgate.json, stored history, a
 * report artifact from another job, another harness's output, the command
 * line).  Each reader checks every field it takes with these functions, so
 * writers may assume names, units and commits are of the shapes below and
 * numbers finite; writers still escape every field for their format.
 */
#ifndef PG_VALIDATE_H
#define PG_VALIDATE_H

#define PG_NAME_MAX 200
#define PG_UNIT_MAX 32
#define PG_REF_MAX 1024

/* A benchmark, result, metric or testbed name: non-empty, at most 200
 * bytes, valid UTF-8 (utf8.h), no control characters (C0, DEL, C1).
 * Returns NULL, or what is wrong ("is not valid UTF-8"). */
const char *pg_name_problem(const char *name);
/* A git ref as a report names it (the branch, the base): as a name, but
 * up to 1024 bytes (git allows long branch names). */
const char *pg_ref_problem(const char *ref);
/* A unit: at most 32 bytes of ASCII letters, digits and / @ % _ . -, or
 * "µ" (the empty unit, a plain count, is fine).  NULL, or what is wrong. */
const char *pg_unit_problem(const char *unit);
/* A commit id: 40 lowercase hexadecimal digits. */
int pg_sha_valid(const char *s);

#endif
