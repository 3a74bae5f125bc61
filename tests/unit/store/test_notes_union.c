/*
 * test_notes_union.c - merging two versions of a note (pg_notes_union):
 * the union of runs by id and document, symmetric and deterministic, and
 * hostile notes (unparseable, wrong shapes, huge, odd ids) refused or kept
 * without a crash.
 */
#include "buf.h"
#include "error.h"
#include "helpers.h"
#include "store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define NOTE(runs) "{\"format\": \"perfgate-notes\", \"version\": 1, \"runs\": [" runs "]}"
#define RUN(id, ts, v) "{\"id\": \"" id "\", \"timestamp\": \"" ts "\", \"samples\": [" v "]}"

/* The merged note's runs as "id@timestamp:first sample" joined by ' '. */
static char *merged(const char *a, const char *b)
{
	pg_buf out = PG_BUF_INIT, sum = PG_BUF_INIT;
	int bad = -1;
	assert_int_equal(pg_notes_union(a, b, &out, &bad), 0);
	assert_int_equal(bad, 0);
	json_t *doc = json_loads(out.ptr, 0, NULL), *r;
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "format")), "perfgate-notes");
	size_t i;
	json_array_foreach(json_object_get(doc, "runs"), i, r) {
		json_t *id = json_object_get(r, "id");
		pg_buf_printf(&sum, "%s%s@%s:%g", i ? " " : "", id ? json_string_value(id) : "-",
			      json_string_value(json_object_get(r, "timestamp")),
			      json_number_value(json_array_get(json_object_get(r, "samples"), 0)));
	}
	json_decref(doc);
	pg_buf_free(&out);
	return pg_buf_detach(&sum);
}

static void expect(const char *a, const char *b, const char *want)
{
	char *ab = merged(a, b), *ba = merged(b, a);
	assert_string_equal(ab, want);
	assert_string_equal(ba, want); /* both sides of a merge write the same */
	free(ab);
	free(ba);
}

static void test_union__runs_of_both_sides(void **state)
{
	(void)state;
	expect(NOTE(RUN("a1", "2026-01-01T00:00:01Z", "1") "," RUN("a2", "2026-01-01T00:00:03Z", "2")),
	       NOTE(RUN("a1", "2026-01-01T00:00:01Z", "1") "," RUN("b1", "2026-01-01T00:00:02Z", "3")),
	       "a1@2026-01-01T00:00:01Z:1 b1@2026-01-01T00:00:02Z:3 a2@2026-01-01T00:00:03Z:2");
	/* an empty side, and a note merged with itself */
	expect(NOTE(""), NOTE(RUN("x", "t", "5")), "x@t:5");
	expect(NOTE(RUN("x", "t", "5")), NOTE(RUN("x", "t", "5")), "x@t:5");
}

static void test_union__same_id_other_document(void **state)
{
	(void)state;
	/* two documents under one id: both kept, told apart by content */
	char *m = merged(NOTE(RUN("x", "t", "1")), NOTE(RUN("x", "t", "2")));
	assert_true(strstr(m, "x@t:1") && strstr(m, "x@t:2"));
	free(m);
}

static void test_union__identical_runs_without_ids(void **state)
{
	(void)state;
	/* runs stored before ids: identical documents twice on one side stay
	 * twice (a multiset union), and are not doubled by the other side */
	const char *two = NOTE("{\"timestamp\": \"t\", \"samples\": [7]},"
			       "{\"timestamp\": \"t\", \"samples\": [7]}");
	const char *one = NOTE("{\"timestamp\": \"t\", \"samples\": [7]}");
	expect(two, one, "-@t:7 -@t:7");
	expect(two, two, "-@t:7 -@t:7");
}

static void test_union__hostile(void **state)
{
	(void)state;
	pg_buf out = PG_BUF_INIT;
	int bad;
	const char *good = NOTE(RUN("x", "t", "1"));
	const char *hostile[] = {
		"", "not json {", "[]", "{\"format\": \"perfgate-notes\"}",
		"{\"format\": \"perfgate-notes\", \"runs\": {}}",
		"{\"format\": \"other\", \"runs\": []}",
		"{\"format\": \"perfgate-notes\", \"version\": 99, \"runs\": []}",
		"{\"format\": \"perfgate-notes\", \"runs\": [], \"runs\": []}",
		NOTE(RUN("x", "t", "1")) "trailing",
		NOTE("{\"id\": \"\\u0000\"}"), /* a NUL inside a string */
		NOTE(RUN("x", "t", "1")), /* truncated: see below */
	};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(*hostile); i++) {
		char *h = pg_strdup(hostile[i]);
		if (i == sizeof(hostile) / sizeof(*hostile) - 1)
			h[strlen(h) / 2] = '\0';
		assert_int_equal(pg_notes_union(h, good, &out, &bad), PG_ECORRUPT);
		assert_int_equal(bad, 1);
		assert_int_equal(pg_notes_union(good, h, &out, &bad), PG_ECORRUPT);
		assert_int_equal(bad, 2);
		assert_int_equal(out.len, 0);
		free(h);
	}
	/* odd runs are kept as they are (the loader judges them): non-objects,
	 * ids and timestamps that are not strings, names with odd bytes */
	char *m = merged(NOTE("1, null, \"s\", {\"id\": 5, \"timestamp\": [], \"samples\": [1e308]}"),
			 NOTE("{\"id\": \"\\n\\u00e9\\u202e\", \"timestamp\": \"t\", \"samples\": [0]}"));
	free(m);
	pg_buf_free(&out);
}

static void test_union__many_runs(void **state)
{
	(void)state;
	pg_buf a = PG_BUF_INIT, b = PG_BUF_INIT, out = PG_BUF_INIT;
	int bad;
	pg_buf_puts(&a, "{\"format\": \"perfgate-notes\", \"version\": 1, \"runs\": [");
	pg_buf_puts(&b, a.ptr);
	for (int i = 0; i < 3000; i++) {
		pg_buf_printf(&a, "%s{\"id\": \"r%d\", \"timestamp\": \"%05d\"}", i ? "," : "", i, i);
		pg_buf_printf(&b, "%s{\"id\": \"r%d\", \"timestamp\": \"%05d\"}", i ? "," : "",
			      i + 1500, i + 1500);
	}
	pg_buf_puts(&a, "]}");
	pg_buf_puts(&b, "]}");
	assert_int_equal(pg_notes_union(a.ptr, b.ptr, &out, &bad), 0);
	json_t *doc = json_loads(out.ptr, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(doc, "runs")), 4500);
	json_decref(doc);
	pg_buf_free(&a);
	pg_buf_free(&b);
	pg_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_union__runs_of_both_sides),
		cmocka_unit_test(test_union__same_id_other_document),
		cmocka_unit_test(test_union__identical_runs_without_ids),
		cmocka_unit_test(test_union__hostile),
		cmocka_unit_test(test_union__many_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
