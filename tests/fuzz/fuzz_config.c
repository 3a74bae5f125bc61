/*
 * fuzz_config.c - fuzz target: perfgate.json (pg_config_parse), which comes
 * from the pull request.  A configuration it accepts must hold what the
 * rest of perfgate relies on.
 */
#include "config.h"
#include "error.h"
#include "fuzz.h"
#include "import.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_thresholds(const pg_thresholds *t)
{
	FZ_ASSERT(t->notice <= t->warning && t->warning <= t->critical);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_text(data, size);
	pg_config *cfg;
	if (pg_config_parse(&cfg, text, "perfgate.json") < 0) {
		fz_check_error();
		free(text);
		return 0;
	}
	FZ_ASSERT(cfg->base && cfg->store && cfg->window >= 1);
	FZ_ASSERT(!cfg->testbed || !pg_name_problem(cfg->testbed));
	check_thresholds(&cfg->thresholds);
	for (size_t i = 0; i < cfg->nbenches; i++) {
		const pg_bench_config *b = &cfg->benches[i];
		FZ_ASSERT(!pg_name_problem(b->name));
		FZ_ASSERT(pg_config_find(cfg, b->name) == b);
		FZ_ASSERT(pg_config_owner(cfg, b->name) == b);
		FZ_ASSERT(b->argv && b->argv[0]);
		FZ_ASSERT(b->runs >= 1 && b->warmup >= 0);
		FZ_ASSERT(!b->output || b->format);
		FZ_ASSERT(!b->format || strcmp(pg_import_format_name(b->format), "none"));
		check_thresholds(&b->thresholds);
	}
	pg_config_free(cfg);
	free(text);
	return 0;
}
