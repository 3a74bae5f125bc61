/*
 * helpers.h - shared by the unit tests: temporary directories, real git
 * repositories built with the git command line, seeded samples, and the
 * committed fixtures imported.
 */
#ifndef PG_TEST_HELPERS_H
#define PG_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "results.h"

/* A new empty directory under $TMPDIR (caller frees the string). */
char *th_tempdir(void);
/* rm -rf */
void th_rmrf(const char *dir);
/* Runs a shell command in `dir`, failing the test if it fails. */
void th_sh(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs a shell command in `dir` and returns its trimmed stdout (free it). */
char *th_sh_out(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes a file (relative to dir). */
void th_write(const char *dir, const char *name, const char *content);
/* A new git repository with identity configured; returns its path. */
char *th_git_repo(void);

/* Seeded samples, the same on every machine (xorshift64* and Box-Muller):
 * th_rng_seed() starts a sequence, th_normal() draws N(0, 1), and
 * th_samples() fills `x` with mean * (1 + cv * N(0, 1)). */
void th_rng_seed(uint64_t seed);
double th_normal(void);
void th_samples(double *x, size_t n, double mean, double cv);

/* Collects pg_warn() messages for assertions. */
void th_capture_warnings(void);
const char *th_warnings(void);

/* tests/fixtures/NAME, read whole (fails the test when it cannot be). */
char *th_fixture(const char *name);
/* `text` imported as format `f` (a pg_import_format); fails the test with
 * the importer's message when it is refused.  `where` names it. */
pg_run *th_parse_ok(int f, const char *text, const char *where);
/* perfgate.json text parsed (as "p.json"); fails the test with the
 * parser's message when it is refused.  Free with pg_config_free(). */
struct pg_config *th_config_ok(const char *text);
/* The fixture file imported as format `f`. */
pg_run *th_import_ok(int f, const char *file);
/* Metric `m` of result `bench` in `run`; fails the test when absent. */
const pg_metric_result *th_metric(const pg_run *run, const char *bench, const char *m);

#endif
