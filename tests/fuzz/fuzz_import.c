/*
 * fuzz_import.c - fuzz target: one importer (pg_import_parse), the output
 * of another tool run on the pull request's code.  Built once per format,
 * with -DPG_FUZZ_FORMAT="name" (a pg_import_format_parse name; the list is
 * in tests/fuzz/CMakeLists.txt).  What it imports must be storable: with a
 * commit set, it is written and read back the same (fz_check_stored).
 */
#include "buf.h"
#include "error.h"
#include "fuzz.h"
#include "import.h"

#include <stdlib.h>

#ifndef PG_FUZZ_FORMAT
#error "build with -DPG_FUZZ_FORMAT=\"format name\""
#endif

static pg_import_format format;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	int f = pg_import_format_parse(PG_FUZZ_FORMAT);
	FZ_ASSERT(f > 0);
	format = (pg_import_format)f;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_text(data, size);
	pg_run *run = pg_run_new();
	if (pg_import_parse(run, format, text, size, "tool", "results.out") < 0) {
		fz_check_error();
		FZ_ASSERT(run->nbenches == 0); /* all or nothing */
	} else {
		FZ_ASSERT(run->nbenches > 0);
		run->commit = pg_strdup("0123456789abcdef0123456789abcdef01234567");
		fz_check_stored(run);
	}
	pg_run_free(run);
	free(text);
	return 0;
}
