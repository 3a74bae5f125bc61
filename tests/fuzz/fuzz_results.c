/*
 * fuzz_results.c - fuzz target: the stored history, which a pull request
 * can write to (a dir: store committed in the repository, a notes: store
 * pushed to).  Two documents, told apart by their "format":
 *   - a run document, as the dir store reads a file (pg_run_load: JSON
 *     without duplicate keys, then pg_run_from_json);
 *   - a note, {"format": "perfgate-notes", "version": 1, "runs": [...]},
 *     read as store_notes.c reads one: the same JSON checks, then
 *     pg_run_from_json on each run.
 * Every run it accepts is written back and read again (fz_check_stored),
 * and summarised as `perfgate run` prints it.
 */
#include "buf.h"
#include "error.h"
#include "fuzz.h"
#include "report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_run(pg_run *run)
{
	pg_buf summary = PG_BUF_INIT;
	FZ_ASSERT(run->commit);
	for (size_t i = 0; i < run->nbenches; i++)
		FZ_ASSERT(pg_run_find_bench(run, run->benches[i].name) == &run->benches[i]);
	fz_check_stored(run);
	pg_run_write_summary(&summary, run);
	pg_buf_free(&summary);
}

/* store_notes.c's pg_notes_load, through the public functions. */
static void read_note(json_t *doc)
{
	json_t *fmt = json_object_get(doc, "format"), *r;
	pg_buf where = PG_BUF_INIT;
	size_t i;
	if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "perfgate-notes") ||
	    !json_is_array(json_object_get(doc, "runs")) ||
	    json_integer_value(json_object_get(doc, "version")) > 1)
		return;
	json_array_foreach(json_object_get(doc, "runs"), i, r) {
		pg_run *run;
		pg_buf_clear(&where);
		pg_buf_printf(&where, "refs/notes/perfgate note, run %zu", i);
		if (pg_run_from_json(&run, r, where.ptr) < 0) {
			fz_check_error();
			continue;
		}
		/* pg_notes_load then keeps it if its commit and testbed match */
		check_run(run);
		pg_run_free(run);
	}
	pg_buf_free(&where);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	json_t *fmt = json_object_get(doc, "format");
	pg_run *run;
	if (!doc)
		return 0;
	if (json_is_string(fmt) && !strcmp(json_string_value(fmt), "perfgate-notes")) {
		read_note(doc);
	} else if (pg_run_from_json(&run, doc, "history/c0ffee/ci/run.json") < 0) {
		fz_check_error();
	} else {
		check_run(run);
		pg_run_free(run);
	}
	json_decref(doc);
	return 0;
}
