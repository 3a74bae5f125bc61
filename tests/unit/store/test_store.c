/*
 * test_store.c - the history store: round trip, adding runs, atomic
 * writes, and corrupt or foreign files skipped without being touched.
 */
#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "helpers.h"
#include "repo.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

#define SHA_A "1111111111111111111111111111111111111111"

static pg_run *sample_run(const char *commit, const char *testbed, double base)
{
	pg_run *run = pg_run_new();
	run->commit = pg_strdup(commit);
	run->testbed = pg_strdup(testbed);
	run->branch = pg_strdup("main");
	run->timestamp = pg_strdup("2026-11-22T10:00:00Z");
	run->environment = json_pack("{s:s}", "os", "Linux");
	pg_bench_result *b = pg_run_add_bench(run, "BM_Sort<int>/1024");
	pg_metric_result *m = pg_bench_metric(b, "wall_time", "ns", 0);
	pg_samples_push(&m->samples, base);
	pg_samples_push(&m->samples, base + 0.5);
	pg_bench_result *f = pg_run_add_bench(run, "broken");
	f->failed = 1;
	f->reason = pg_strdup("run 1/10 exited with status 3: boom");
	return run;
}

static void test_store__round_trip(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	pg_store *s;
	pg_run **runs;
	size_t n;
	pg_buf spec = PG_BUF_INIT;
	pg_buf_printf(&spec, "dir:%s/hist", dir);
	assert_int_equal(pg_store_open(&s, spec.ptr, "/nonexistent", NULL), 0);
	pg_run *run = sample_run(SHA_A, "tb/1", 1234567.25);
	assert_int_equal(pg_store_save(s, run), 0);
	assert_int_equal(pg_store_load(s, SHA_A, "tb/1", &runs, &n), 0);
	assert_int_equal(n, 1);
	char *a = pg_run_dump(run), *b = pg_run_dump(runs[0]);
	assert_string_equal(a, b); /* every field survives */
	free(a);
	free(b);
	assert_true(runs[0]->benches[1].failed);
	assert_string_equal(runs[0]->benches[1].reason, "run 1/10 exited with status 3: boom");
	pg_runs_free(runs, n);
	/* another testbed and another commit see nothing */
	assert_int_equal(pg_store_load(s, SHA_A, "tb/2", &runs, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(pg_store_load(s, "2222222222222222222222222222222222222222", "tb/1", &runs, &n), 0);
	assert_int_equal(n, 0);
	pg_run_free(run);
	pg_store_free(s);
	pg_buf_free(&spec);
	th_rmrf(dir);
	free(dir);
}

/* A temporary directory with a "dir:hist" store in it, for one test. */
typedef struct dir_store {
	char *dir;
	pg_store *s;
} dir_store;

static int dir_store_setup(void **state)
{
	dir_store *f = pg_calloc(1, sizeof(*f));
	f->dir = th_tempdir();
	assert_int_equal(pg_store_open(&f->s, "dir:hist", f->dir, NULL), 0);
	*state = f;
	return 0;
}

static int dir_store_teardown(void **state)
{
	dir_store *f = *state;
	pg_store_free(f->s);
	th_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void test_store__second_run_adds_samples(void **state)
{
	dir_store *f = *state;
	pg_store *s = f->s;
	pg_run **runs;
	size_t n;
	pg_run *r1 = sample_run(SHA_A, "tb", 100), *r2 = sample_run(SHA_A, "tb", 200);
	assert_int_equal(pg_store_save(s, r1), 0);
	assert_int_equal(pg_store_save(s, r2), 0);
	assert_int_equal(pg_store_load(s, SHA_A, "tb", &runs, &n), 0);
	assert_int_equal(n, 2);
	/* oldest first, both complete */
	assert_float_equal(runs[0]->benches[0].metrics[0].samples.v[0], 100, 0);
	assert_float_equal(runs[1]->benches[0].metrics[0].samples.v[0], 200, 0);
	pg_runs_free(runs, n);
	pg_run_free(r1);
	pg_run_free(r2);
}

static char *only_file(const char *dir)
{
	return th_sh_out(dir, "find hist -name '*.json' | head -1");
}

static void test_store__corrupt_files_are_skipped_and_kept(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"format\": \"perfgate-run\", \"version\": 1, \"commit\": ", /* truncated */
		"{\"format\": \"perfgate-run\", \"version\": 9, \"commit\": \"x\", \"benchmarks\": []}",
		"{\"hello\": 1}",
		"",
	};
	static const char *const why[] = { "malformed JSON", "newer perfgate",
					   "not a perfgate result", "malformed JSON" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *dir = th_tempdir();
		pg_store *s;
		pg_run **runs;
		size_t n;
		assert_int_equal(pg_store_open(&s, "dir:hist", dir, NULL), 0);
		pg_run *good = sample_run(SHA_A, "tb", 5);
		assert_int_equal(pg_store_save(s, good), 0);
		char *file = only_file(dir);
		/* a corrupt sibling, sorting after the good one */
		th_sh(dir, "d=$(dirname '%s'); printf '%%s' '%s' > \"$d/zzzz.json\"; cp \"$d/zzzz.json\" copy-%zu",
		      file, bad[i], i);
		th_capture_warnings();
		assert_int_equal(pg_store_load(s, SHA_A, "tb", &runs, &n), 0);
		assert_int_equal(n, 1); /* the good run is still there */
		if (!strstr(th_warnings(), why[i]) || !strstr(th_warnings(), "zzzz.json") ||
		    !strstr(th_warnings(), "skipped"))
			fail_msg("case %zu: warning '%s'", i, th_warnings());
		pg_runs_free(runs, n);
		/* saving again never rewrites the corrupt file */
		assert_int_equal(pg_store_save(s, good), 0);
		th_sh(dir, "cmp \"$(dirname '%s')/zzzz.json\" copy-%zu && rm copy-%zu", file, i, i);
		pg_warn_set_handler(NULL, NULL);
		free(file);
		pg_run_free(good);
		pg_store_free(s);
		th_rmrf(dir);
		free(dir);
	}
}

static void test_store__mismatched_file_is_skipped(void **state)
{
	dir_store *f = *state;
	const char *dir = f->dir;
	pg_store *s = f->s;
	pg_run **runs;
	size_t n;
	pg_run *good = sample_run(SHA_A, "tb", 5);
	assert_int_equal(pg_store_save(s, good), 0);
	char *file = only_file(dir);
	/* a run of another commit copied into this commit's place */
	th_sh(dir, "sed 's/1111111111/3333333333/' '%s' > \"$(dirname '%s')/x.json\"", file, file);
	th_capture_warnings();
	assert_int_equal(pg_store_load(s, SHA_A, "tb", &runs, &n), 0);
	assert_int_equal(n, 1);
	assert_non_null(strstr(th_warnings(), "does not match"));
	pg_warn_set_handler(NULL, NULL);
	pg_runs_free(runs, n);
	free(file);
	pg_run_free(good);
}

/* A metric name with a terminal escape in a history file would reach the
 * reports: the file is skipped like any other invalid one. */
static void test_store__hostile_metric_name_is_skipped(void **state)
{
	dir_store *f = *state;
	pg_run **runs;
	size_t n;
	pg_run *good = sample_run(SHA_A, "tb", 5);
	assert_int_equal(pg_store_save(f->s, good), 0);
	char *file = only_file(f->dir);
	th_sh(f->dir, "sed 's/\"wall_time\"/\"wall\\\\u001b[2Jtime\"/' '%s' > \"$(dirname '%s')/x.json\"",
	      file, file);
	th_sh(f->dir, "grep -q 'u001b' \"$(dirname '%s')/x.json\"", file);
	th_capture_warnings();
	assert_int_equal(pg_store_load(f->s, SHA_A, "tb", &runs, &n), 0);
	assert_int_equal(n, 1);
	if (!strstr(th_warnings(), "a metric name is invalid") || !strstr(th_warnings(), "x.json"))
		fail_msg("warning '%s'", th_warnings());
	pg_warn_set_handler(NULL, NULL);
	pg_runs_free(runs, n);
	free(file);
	pg_run_free(good);
}

static void test_store__testbed_key_is_safe(void **state)
{
	(void)state;
	pg_buf a = PG_BUF_INIT, b = PG_BUF_INIT;
	pg_store_testbed_key(&a, "../../etc/passwd");
	assert_null(strchr(a.ptr, '/'));
	assert_true(a.ptr[0] != '.');
	pg_store_testbed_key(&b, "__.._etc_passwd");
	assert_string_not_equal(a.ptr, b.ptr); /* the hash keeps them apart */
	pg_buf_free(&a);
	pg_buf_free(&b);
}

static void test_store__atomic_write(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	pg_buf path = PG_BUF_INIT, got = PG_BUF_INIT;
	pg_buf_printf(&path, "%s/f.json", dir);
	assert_int_equal(pg_file_write_atomic(path.ptr, "old", 3), 0);
	assert_int_equal(pg_file_write_atomic(path.ptr, "new content", 11), 0);
	assert_int_equal(pg_file_read(&got, path.ptr), 0);
	assert_string_equal(got.ptr, "new content");
	/* no temporary file is left behind */
	char *count = th_sh_out(dir, "ls -A | wc -l");
	assert_string_equal(count, "1");
	free(count);
	/* a failing write (the target is a directory) leaves nothing */
	th_sh(dir, "mkdir d");
	pg_buf_clear(&path);
	pg_buf_printf(&path, "%s/d", dir);
	assert_int_equal(pg_file_write_atomic(path.ptr, "x", 1), PG_ERUNTIME);
	count = th_sh_out(dir, "ls -A | wc -l; ls -A d | wc -l");
	assert_string_equal(count, "2\n0");
	free(count);
	pg_buf_free(&path);
	pg_buf_free(&got);
	th_rmrf(dir);
	free(dir);
}

static void test_store__notes(void **state)
{
	(void)state;
	char *dir = th_git_repo();
	char head[PG_SHA_LEN + 1];
	pg_repo *repo;
	pg_store *s;
	pg_run **runs;
	size_t n;
	th_sh(dir, "git commit -q --allow-empty -m one && git commit -q --allow-empty -m two");
	assert_int_equal(pg_repo_open(&repo, dir), 0);
	assert_int_equal(pg_repo_head(repo, head), 0);
	assert_int_equal(pg_store_open(&s, "notes:perfgate", pg_repo_workdir(repo), repo), 0);
	pg_run *a = sample_run(head, "tb", 100), *b = sample_run(head, "tb", 200);
	pg_run *other = sample_run(head, "other-tb", 300);
	assert_int_equal(pg_store_save(s, a), 0);
	assert_int_equal(pg_store_save(s, other), 0);
	assert_int_equal(pg_store_save(s, b), 0);
	assert_int_equal(pg_store_load(s, head, "tb", &runs, &n), 0);
	assert_int_equal(n, 2); /* both runs of this testbed, oldest first */
	assert_float_equal(runs[0]->benches[0].metrics[0].samples.v[0], 100, 0);
	assert_float_equal(runs[1]->benches[0].metrics[0].samples.v[0], 200, 0);
	pg_runs_free(runs, n);
	/* it is a real git note, and its history keeps every version */
	char *count = th_sh_out(dir, "git notes --ref perfgate list | wc -l; "
				     "git rev-list refs/notes/perfgate | wc -l");
	assert_string_equal(count, "1\n3");
	free(count);
	/* a note someone broke: skipped when reading, never rewritten */
	th_sh(dir, "git notes --ref perfgate add -f -m 'not json' HEAD~1");
	char prev[PG_SHA_LEN + 1];
	assert_int_equal(pg_repo_resolve(repo, "HEAD~1", prev), 0);
	th_capture_warnings();
	assert_int_equal(pg_store_load(s, prev, "tb", &runs, &n), 0);
	assert_int_equal(n, 0);
	assert_non_null(strstr(th_warnings(), "skipped"));
	pg_warn_set_handler(NULL, NULL);
	pg_run *c = sample_run(prev, "tb", 5);
	assert_int_equal(pg_store_save(s, c), PG_ERUNTIME);
	assert_non_null(strstr(pg_error_last(), "not adding to it"));
	char *note = th_sh_out(dir, "git notes --ref perfgate show HEAD~1");
	assert_string_equal(note, "not json");
	free(note);
	pg_run_free(a);
	pg_run_free(b);
	pg_run_free(c);
	pg_run_free(other);
	pg_store_free(s);
	pg_repo_free(repo);
	th_rmrf(dir);
	free(dir);
}

static void test_store__run_index(void **state)
{
	(void)state;
	pg_run *run = pg_run_new();
	char name[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "b/%d", i);
		pg_run_add_bench(run, name);
		if (i % 97 == 0) /* interleave lookups with additions */
			assert_non_null(pg_run_find_bench(run, "b/0"));
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "b/%d", i);
		pg_bench_result *b = pg_run_find_bench(run, name);
		assert_non_null(b);
		assert_string_equal(b->name, name);
	}
	assert_null(pg_run_find_bench(run, "b/1000"));
	pg_run_drop_last_bench(run);
	assert_null(pg_run_find_bench(run, "b/999"));
	assert_non_null(pg_run_find_bench(run, "b/998"));
	pg_run_free(run);
}

/* Removing or keeping a family of results keeps the (private) index in
 * step: lookups after the change find exactly what is left. */
static void test_store__run_families(void **state)
{
	(void)state;
	pg_run *run = pg_run_new();
	char name[32];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), i % 2 ? "fmt/%d" : "cmd%d", i);
		pg_run_add_bench(run, name);
	}
	pg_run_add_bench(run, "fmtx"); /* shares a prefix, not the family */
	assert_non_null(pg_run_find_bench(run, "fmt/1")); /* the index is built */
	assert_true(pg_name_in_family("fmt/1", "fmt"));
	assert_true(pg_name_in_family("fmt", "fmt"));
	assert_false(pg_name_in_family("fmtx", "fmt"));
	pg_run_remove_family(run, "fmt");
	assert_int_equal(run->nbenches, 21);
	assert_null(pg_run_find_bench(run, "fmt/1"));
	assert_non_null(pg_run_find_bench(run, "fmtx"));
	assert_non_null(pg_run_find_bench(run, "cmd38"));
	pg_bench_result *f = pg_run_add_failed(run, "fmt", "run 1/1 exited with status 3");
	assert_true(f->failed);
	assert_ptr_equal(pg_run_find_bench(run, "fmt"), f);
	assert_string_equal(f->reason, "run 1/1 exited with status 3");
	pg_run_keep_family(run, "cmd38");
	assert_int_equal(run->nbenches, 1);
	assert_null(pg_run_find_bench(run, "fmt"));
	assert_non_null(pg_run_find_bench(run, "cmd38"));
	pg_run_free(run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store__round_trip),
		cmocka_unit_test_setup_teardown(test_store__second_run_adds_samples, dir_store_setup,
						dir_store_teardown),
		cmocka_unit_test(test_store__corrupt_files_are_skipped_and_kept),
		cmocka_unit_test_setup_teardown(test_store__mismatched_file_is_skipped, dir_store_setup,
						dir_store_teardown),
		cmocka_unit_test_setup_teardown(test_store__hostile_metric_name_is_skipped, dir_store_setup,
						dir_store_teardown),
		cmocka_unit_test(test_store__testbed_key_is_safe),
		cmocka_unit_test(test_store__atomic_write),
		cmocka_unit_test(test_store__run_index),
		cmocka_unit_test(test_store__run_families),
		cmocka_unit_test(test_store__notes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
