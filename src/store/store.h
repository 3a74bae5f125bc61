/*
 * store.h - history: run documents kept by commit and testbed.
 *
 * "dir:PATH" keeps plain files under PATH (relative to the repository
 * root unless absolute):
 *     PATH/<commit sha>/<testbed key>/<run id>.json
 * Each `perfgate run` adds one new file, written atomically; nothing is
 * ever rewritten, so a second run for the same commit and testbed adds
 * its samples and an earlier result can never be lost.  The testbed key is
 * a file-name-safe slug plus a hash of the exact name (names are data,
 * never trusted as file names).  A corrupt or newer-format file is
 * reported through pg_warn() and skipped, and is left as it is.
 *
 * "notes:NAME" keeps the same run documents in git notes under
 * refs/notes/NAME, one note per commit ({"format": "perfgate-notes",
 * "version": 1, "runs": [...]}, each run with an "id" member), so history travels with the repository
 * (`git push origin refs/notes/NAME`).  Adding a run rewrites the note;
 * git keeps every earlier version in the notes ref's history, and a note
 * that does not parse is never rewritten: adding to it is an error.
 * Concurrent writers are safe: the ref moves by compare-and-swap and an
 * overtaken writer adds its run again on top (pg_repo_note_edit), so a
 * save that returns 0 is in the notes.
 */
#ifndef PG_STORE_H
#define PG_STORE_H

#include "buf.h"
#include "repo.h"
#include "results.h"

typedef struct pg_store pg_store;

/* PG_ECONFIG for a spec that is not "dir:PATH" or "notes:NAME"; "notes:"
 * needs `repo`, "dir:" resolves relative paths against `repo_root`. */
int pg_store_open(pg_store **out, const char *spec, const char *repo_root, pg_repo *repo);
void pg_store_free(pg_store *store);
const char *pg_store_path(const pg_store *store);

/* Adds `run` (which must have commit and testbed) to the store. */
int pg_store_save(pg_store *store, const pg_run *run);

/* Loads every readable run for commit and testbed, oldest first.  No
 * results is not an error (*n = 0).  Free with pg_runs_free(). */
int pg_store_load(pg_store *store, const char *commit, const char *testbed, pg_run ***runs,
		  size_t *n);
void pg_runs_free(pg_run **runs, size_t n);

/* The notes backend (store_notes.c). */
int pg_notes_save(pg_repo *repo, const char *ref, const pg_run *run);
int pg_notes_load(pg_repo *repo, const char *ref, const char *commit, const char *testbed,
		  pg_run ***runs, size_t *n);

/* Merging two versions of one commit's note (notes_sync.c): the union of
 * their runs.  Each run in a note has an "id" (made when it is saved:
 * time, process, random); two runs are the same run when both their ids
 * and their documents (SHA-256 of the canonical JSON, keys sorted) are
 * equal, so two different documents under one id are both kept, and runs
 * stored before ids existed are told apart by their documents.  A run one
 * side holds k times and the other m times is kept max(k, m) times.  The
 * runs are ordered by timestamp, id, document hash, so both sides of a merge
 * write the same text.  PG_ECORRUPT when a note does not parse (*bad: 1
 * for `a`, 2 for `b`; message set), and nothing is written to `out`. */
int pg_notes_union(const char *a, const char *b, pg_buf *out, int *bad);
void pg_notes_run_hash(const json_t *run, char hash[65]);

/* The directory name used for a testbed (exposed for tests). */
void pg_store_testbed_key(pg_buf *out, const char *testbed);

#endif
