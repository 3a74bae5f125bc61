/*
 * fuzz.h - what the fuzz targets (tests/fuzz/fuzz_*.c) share: the libFuzzer
 * entry points, an input as a C string, and the oracles that go beyond "it
 * did not crash": what a reader accepted can be written and read back the
 * same, and an error is one line.
 *
 * A failed oracle prints what broke and aborts, which libFuzzer (and the
 * standalone replay driver, standalone.c) reports as a crash with the input.
 */
#ifndef PG_FUZZ_H
#define PG_FUZZ_H

#include "results.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FZ_ASSERT(cond) \
	((cond) ? (void)0 : fz_fail(__FILE__, __LINE__, #cond))
__attribute__((noreturn)) void fz_fail(const char *file, int line, const char *what);

/* The input as a NUL-terminated string (caller frees); a NUL inside it
 * ends the string early, as it would for the readers of files. */
char *fz_text(const uint8_t *data, size_t size);

/* After a reader refused the input: the message pg_error_last() holds is
 * printable text, one line per problem (perfgate.json lists several), with
 * no empty line and no other control character, as the CLI prints it. */
void fz_check_error(void);

/* `run` (as a reader or an importer left it, with a commit set) is written
 * as the stores write it (pg_run_dump) and read back (pg_run_from_json),
 * and what comes back holds the same benchmarks, metrics and samples. */
void fz_check_stored(const pg_run *run);

#endif
