/*
 * helpers.h - shared by the unit tests: temporary directories and real git
 * repositories built with the git command line.
 */
#ifndef PG_TEST_HELPERS_H
#define PG_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

#endif
