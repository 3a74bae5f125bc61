/*
 * store_notes.c - the "notes:" history store: run documents kept in git
 * notes, one note per commit (layout in store.h).
 */
#include "buf.h"
#include "error.h"
#include "sha256.h"
#include "store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	char id[80];
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
	json_t *run = pg_run_to_json(a->run);
	json_object_set_new(run, "id", json_string(a->id));
	json_array_append_new(json_object_get(doc, "runs"), run);
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
	add_run a = { ref, run, "" };
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	/* the run's id in the note: unique across machines and processes (the
	 * dir store's file names play that part there) */
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	unsigned seed = (unsigned)ts.tv_nsec ^ ((unsigned)getpid() << 16);
	snprintf(a.id, sizeof(a.id), "%s-%09ld-%ld-%08x", stamp, ts.tv_nsec, (long)getpid(),
		 (unsigned)rand_r(&seed));
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

/* One run of a note being merged. */
typedef struct union_run {
	json_t *doc;       /* borrowed from one of the two notes */
	const char *stamp; /* its "timestamp", or "" */
	const char *id;    /* its "id", or "" (runs stored before ids) */
	int side;          /* 0: a, 1: b */
	char hash[2 * 32 + 1];
} union_run;

void pg_notes_run_hash(const json_t *run, char hash[65])
{
	unsigned char d[32];
	pg_sha256 c;
	char *s = json_dumps(run, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY |
				  JSON_REAL_PRECISION(17));
	if (!s) {
		fputs("perfgate: fatal: out of memory\n", stderr);
		abort();
	}
	pg_sha256_init(&c);
	pg_sha256_update(&c, s, strlen(s));
	pg_sha256_final(&c, d);
	for (int i = 0; i < 32; i++)
		snprintf(hash + 2 * i, 3, "%02x", d[i]);
	free(s);
}

static int same_run(const union_run *x, const union_run *y)
{
	return !strcmp(x->id, y->id) && !strcmp(x->hash, y->hash);
}

static int cmp_union_run(const void *a, const void *b)
{
	const union_run *x = a, *y = b;
	int c = strcmp(x->stamp, y->stamp);
	if (!c)
		c = strcmp(x->id, y->id);
	if (!c)
		c = strcmp(x->hash, y->hash);
	return c ? c : x->side - y->side;
}

static void collect_runs(json_t *doc, int side, union_run **runs, size_t *n, size_t *alloc)
{
	size_t i;
	json_t *r, *v;
	json_array_foreach(json_object_get(doc, "runs"), i, r) {
		*runs = pg_array_grow(*runs, alloc, *n + 1, sizeof(**runs));
		union_run *u = &(*runs)[(*n)++];
		u->doc = r;
		u->side = side;
		v = json_object_get(r, "timestamp");
		u->stamp = json_is_string(v) ? json_string_value(v) : "";
		v = json_object_get(r, "id");
		u->id = json_is_string(v) ? json_string_value(v) : "";
		pg_notes_run_hash(r, u->hash);
	}
}

int pg_notes_union(const char *a, const char *b, pg_buf *out, int *bad)
{
	json_t *da = NULL, *db = NULL, *runs;
	union_run *all = NULL;
	size_t n = 0, alloc = 0, i, j;
	*bad = 0;
	if (parse_note(&da, a) < 0) {
		*bad = 1;
		return PG_ECORRUPT;
	}
	if (parse_note(&db, b) < 0) {
		*bad = 2;
		json_decref(da);
		return PG_ECORRUPT;
	}
	collect_runs(da, 0, &all, &n, &alloc);
	collect_runs(db, 1, &all, &n, &alloc);
	if (n)
		qsort(all, n, sizeof(*all), cmp_union_run);
	/* a multiset union: a run (same id, same document) that one side holds
	 * k times and the other m times is kept max(k, m) times */
	runs = json_array();
	for (i = 0; i < n; i = j) {
		size_t count[2] = { 0, 0 };
		for (j = i; j < n && same_run(&all[i], &all[j]); j++)
			count[all[j].side]++;
		for (size_t k = 0; k < (count[0] > count[1] ? count[0] : count[1]); k++)
			json_array_append(runs, all[i].doc);
	}
	json_t *doc = json_pack("{s:s, s:i, s:o}", "format", NOTES_FORMAT, "version", NOTES_VERSION,
				"runs", runs);
	/* keys sorted: the same run from either side is the same text */
	char *s = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	json_decref(doc);
	json_decref(da);
	json_decref(db);
	free(all);
	if (!s) {
		fputs("perfgate: fatal: out of memory\n", stderr);
		abort();
	}
	pg_buf_puts(out, s);
	free(s);
	return 0;
}
