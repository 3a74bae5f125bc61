/*
 * fuzz_import_criterion_sample.c - fuzz target: one criterion results
 * directory entry (pg_import_criterion_sample): <benchmark>/new/sample.json
 * and the benchmark.json beside it, as import_dir.c reads them.  The input
 * is sample.json, then a NUL byte and benchmark.json (without a NUL, there
 * is no benchmark.json and the result is named by its directory).
 */
#include "error.h"
#include "fuzz.h"
#include "import.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_text(data, size);
	size_t split = strlen(text);
	const char *meta = split < size ? text + split + 1 : NULL;
	pg_run *run = pg_run_new();
	if (pg_import_criterion_sample(run, text, meta, "group/bench",
				       "target/criterion/group/bench/new/sample.json") < 0)
		fz_check_error();
	pg_run_free(run);
	free(text);
	return 0;
}
