/*
 * store_notes.c - the "notes:" history store: run documents kept in git
 * notes, one note per commit (layout in store.h).
 */
#include "buf.h"
#include "error.h"
#include "store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTES_FORMAT "perfgate-notes"
#define NOTES_VERSION 1

/* Parses a note; PG_ECORRUPT with what is wrong (the caller adds where). */
static int parse_note(json_t **out, const char *text)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	json_t *fmt = json_object_get(doc, "format");
	*out = NULL;
	if (!doc)
		return pg_error_set(PG_ECORRUPT, "malformed JSON: %s", jerr.text);
	if (!json_is_string(fmt) || strcmp(json_string_value(fmt), NOTES_FORMAT) ||
	    !json_is_array(json_object_get(doc, "runs"))) {
		json_decref(doc);
		return pg_error_set(PG_ECORRUPT, "not a perfgate note");
	}
	if (json_integer_value(json_object_get(doc, "version")) > NOTES_VERSION) {
		json_decref(doc);
		return pg_error_set(PG_ECORRUPT, "written by a newer perfgate; upgrade perfgate");
	}
	*out = doc;
	return 0;
}

typedef struct add_run {
	const char *ref;
	const pg_run *run;
} add_run;

/* The note's new text: the run added to what the note holds. */
static int add_run_to_note(const char *old, pg_buf *out, void *payload)
{
	const add_run *a = payload;
	json_t *doc = NULL;
	if (!old) {
		doc = json_pack("{s:s, s:i, s:[]}", "format", NOTES_FORMAT, "version", NOTES_VERSION,
				"runs");
	} else if (parse_note(&doc, old) < 0) {
		/* never replace what we cannot read: the user may want it back */
		return pg_error_set(PG_ERUNTIME, "the %s note of %.12s is not readable (%s); not "
				    "adding to it (see `git notes --ref %s show %.12s`)", a->ref,
				    a->run->commit, pg_error_last(), a->ref + strlen("refs/notes/"),
				    a->run->commit);
	}
	json_array_append_new(json_object_get(doc, "runs"), pg_run_to_json(a->run));
	char *s = json_dumps(doc, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
	json_decref(doc);
	if (!s) {
		fputs("perfgate: fatal: out of memory\n", stderr);
		abort();
	}
	pg_buf_puts(out, s);
	free(s);
	return 0;
}

int pg_notes_save(pg_repo *repo, const char *ref, const pg_run *run)
{
	add_run a = { ref, run };
	return pg_repo_note_edit(repo, ref, run->commit, add_run_to_note, &a);
}

int pg_notes_load(pg_repo *repo, const char *ref, const char *commit, const char *testbed,
		  pg_run ***runs, size_t *n)
{
	pg_buf text = PG_BUF_INIT, where = PG_BUF_INIT;
	json_t *doc = NULL, *r;
	size_t i, alloc = 0;
	int err = pg_repo_note_read(repo, ref, commit, &text);
	*runs = NULL;
	*n = 0;
	if (err == PG_ENOTFOUND)
		err = 0;
	else if (err == 0 && parse_note(&doc, text.ptr) < 0)
		pg_warn("the %s note of %.12s: %s; skipped (the note was left as it is)", ref, commit,
			pg_error_last());
	json_array_foreach(json_object_get(doc, "runs"), i, r) {
		pg_run *run;
		pg_buf_clear(&where);
		pg_buf_printf(&where, "%s note of %.12s, run %zu", ref, commit, i);
		if (pg_run_from_json(&run, r, where.ptr) < 0) {
			pg_warn("%s; skipped", pg_error_last());
			continue;
		}
		if (strcmp(run->commit, commit) || !run->testbed || strcmp(run->testbed, testbed)) {
			pg_run_free(run); /* another testbed's run, or misplaced */
			continue;
		}
		*runs = pg_array_grow(*runs, &alloc, *n + 1, sizeof(**runs));
		(*runs)[(*n)++] = run;
	}
	json_decref(doc);
	pg_buf_free(&text);
	pg_buf_free(&where);
	return err;
}
