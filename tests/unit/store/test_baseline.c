/*
 * test_baseline.c - collecting the baseline from a real repository and a
 * real store: window, HEAD excluded, dirty runs and failures left out.
 */
#include "baseline.h"
#include "buf.h"
#include "config.h"
#include "error.h"
#include "gate.h"
#include "helpers.h"
#include "sha256.h"

#include <stdlib.h>
#include <string.h>

static void save(pg_store *s, const char *sha, int dirty, double value, int failed)
{
	pg_run *run = pg_run_new();
	run->commit = pg_strdup(sha);
	run->testbed = pg_strdup("tb");
	run->dirty = dirty;
	pg_bench_result *b = pg_run_add_bench(run, "bench");
	if (failed) {
		b->failed = 1;
		b->reason = pg_strdup("boom");
	} else {
		pg_metric_result *m = pg_bench_metric(b, "wall_time", "ns", 0);
		pg_samples_push(&m->samples, value);
		pg_samples_push(&m->samples, value + 2);
	}
	assert_int_equal(pg_store_save(s, run), 0);
	pg_run_free(run);
}

static void test_baseline__window_and_exclusions(void **state)
{
	(void)state;
	char *dir = th_git_repo();
	char sha[6][PG_SHA_LEN + 1];
	pg_repo *repo;
	pg_store *store;
	pg_baseline b;
	th_sh(dir, "for i in 0 1 2 3 4 5; do git commit -q --allow-empty -m c$i; done");
	assert_int_equal(pg_repo_open(&repo, dir), 0);
	assert_int_equal(pg_store_open(&store, "dir:.perfgate/history", pg_repo_workdir(repo), NULL), 0);
	for (int i = 0; i < 6; i++) {
		char rev[16];
		snprintf(rev, sizeof(rev), "HEAD~%d", 5 - i);
		assert_int_equal(pg_repo_resolve(repo, rev, sha[i]), 0);
	}
	save(store, sha[1], 0, 100, 0);
	save(store, sha[2], 0, 200, 0);
	save(store, sha[2], 0, 210, 0); /* two runs: pooled */
	save(store, sha[3], 1, 999, 0); /* dirty: left out */
	save(store, sha[4], 0, 400, 0);
	save(store, sha[4], 0, 0, 1);   /* a failed run adds nothing */
	save(store, sha[5], 0, 500, 0); /* HEAD: excluded */

	pg_baseline_opts o = { sha[5], 1, "tb", 2, 0, NULL, NULL };
	assert_int_equal(pg_baseline_collect(&b, repo, store, &o), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.commits[0].sha, sha[4]);
	assert_string_equal(b.commits[1].sha, sha[2]);
	pg_baseline_free(&b);

	o.window = 10;
	assert_int_equal(pg_baseline_collect(&b, repo, store, &o), 0);
	assert_int_equal(b.n, 3);
	pg_samples med = { 0 }, pooled = { 0 };
	pg_baseline_series(&b, "bench", "wall_time", "ns", &med, &pooled);
	/* oldest first: c1 {100,102}, c2 {200,202,210,212}, c4 {400,402} */
	assert_int_equal(med.n, 3);
	assert_float_equal(med.v[0], 101, 0);
	assert_float_equal(med.v[1], 206, 0);
	assert_float_equal(med.v[2], 401, 0);
	assert_int_equal(pooled.n, 8);
	pg_samples_free(&med);
	pg_samples_free(&pooled);
	/* another unit (another counter source) is never mixed in */
	pg_baseline_series(&b, "bench", "wall_time", "instr@valgrind", &med, NULL);
	assert_int_equal(med.n, 0);
	pg_baseline_free(&b);

	/* with dirty runs allowed and HEAD included (as `history` does) */
	pg_baseline_opts all = { sha[5], 0, "tb", 10, 1, NULL, NULL };
	assert_int_equal(pg_baseline_collect(&b, repo, store, &all), 0);
	assert_int_equal(b.n, 5);
	assert_string_equal(b.commits[0].sha, sha[5]);
	assert_true(b.commits[2].pooled->dirty);
	pg_baseline_free(&b);

	pg_store_free(store);
	pg_repo_free(repo);
	th_rmrf(dir);
	free(dir);
}

/* A run of `sha` with one result "bench", metric "instructions" in `unit`
 * with samples around `value`, measured with definition `def` (or none). */
static pg_run *counted(const char *sha, const char *def, const char *unit, double value)
{
	pg_run *run = pg_run_new();
	run->commit = pg_strdup(sha);
	run->testbed = pg_strdup("tb");
	pg_bench_result *b = pg_run_add_bench(run, "bench");
	b->definition = def ? pg_strdup(def) : NULL;
	pg_metric_result *m = pg_bench_metric(b, "instructions", unit, 0);
	pg_samples_push(&m->samples, value);
	pg_samples_push(&m->samples, value + 2);
	return run;
}

static void add(pg_baseline *b, const char *sha, pg_run *r1, pg_run *r2)
{
	pg_run *runs[2] = { r1, r2 };
	pg_baseline_add(b, sha, runs, r2 ? 2 : 1, 0);
	pg_run_free(r1);
	pg_run_free(r2);
}

#define SHA(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define DEF_A "00000000000000aa"
#define DEF_B "00000000000000bb"

/* Commits whose samples are in another unit are left out and noted, the
 * unit being the current result's, else the newest one's; in a commit
 * with runs in both units only the right unit's samples are pooled. */
static void test_baseline__units_never_mix(void **state)
{
	(void)state;
	pg_baseline b;
	pg_samples med = { 0 };
	pg_run *cur = counted(SHA("f"), NULL, "instr@perf", 0);
	pg_baseline_init(&b, cur, NULL);
	add(&b, SHA("9"), counted(SHA("9"), NULL, "instr@perf", 900), NULL);
	add(&b, SHA("8"), counted(SHA("8"), NULL, "instr@valgrind", 5), counted(SHA("8"), NULL, "instr@perf", 800));
	add(&b, SHA("7"), counted(SHA("7"), NULL, "instr@valgrind", 7), NULL);
	add(&b, SHA("6"), counted(SHA("6"), NULL, "instr@valgrind", 6), NULL);
	assert_int_equal(b.n, 2); /* 7 and 6 had nothing comparable */
	pg_baseline_series(&b, "bench", "instructions", NULL, &med, NULL);
	assert_int_equal(med.n, 2);
	assert_float_equal(med.v[0], 801, 0); /* 8's perf run only */
	assert_float_equal(med.v[1], 901, 0);
	assert_int_equal(b.nnotes, 1);
	assert_int_equal(b.notes[0].commits, 3);
	th_capture_warnings();
	pg_baseline_warn(&b, PG_NOTES_HISTORY);
	assert_string_equal(th_warnings(), "bench instructions: 3 commits measured in instr@valgrind, "
			    "not instr@perf, left out (newest 888888888888): samples in different "
			    "units are never compared\n");
	pg_warn_set_handler(NULL, NULL);
	pg_samples_free(&med);
	pg_baseline_free(&b);
	pg_run_free(cur);

	/* no current result: the newest commit's unit, its newest run first */
	pg_baseline_init(&b, NULL, "bench");
	add(&b, SHA("9"), counted(SHA("9"), NULL, "instr@perf", 900),
	    counted(SHA("9"), NULL, "instr@valgrind", 9));
	add(&b, SHA("8"), counted(SHA("8"), NULL, "instr@valgrind", 8), NULL);
	assert_string_equal(pg_baseline_unit(&b, "bench", "instructions"), "instr@valgrind");
	pg_series_point pts[2];
	assert_int_equal(pg_baseline_points(&b, "bench", "instructions", pts), 2);
	assert_float_equal(pts[0].m->samples.v[0], 9, 0);
	assert_int_equal(pts[0].m->samples.n, 2);
	assert_float_equal(pts[1].m->samples.v[0], 8, 0);
	pg_baseline_free(&b);
}

/* Results measured with another definition are never compared; results
 * without one (older perfgate, imports) are comparable with any. */
static void test_baseline__definitions(void **state)
{
	(void)state;
	pg_baseline b;
	pg_samples med = { 0 };
	pg_run *cur = counted(SHA("f"), DEF_B, "ns", 0);
	pg_baseline_init(&b, cur, NULL);
	add(&b, SHA("9"), counted(SHA("9"), DEF_B, "ns", 900), NULL);
	/* an A/B run of another configuration stored beside this one's */
	add(&b, SHA("8"), counted(SHA("8"), DEF_B, "ns", 800), counted(SHA("8"), DEF_A, "ns", 5));
	add(&b, SHA("7"), counted(SHA("7"), DEF_A, "ns", 7), NULL);
	add(&b, SHA("6"), counted(SHA("6"), NULL, "ns", 600), NULL);
	pg_baseline_series(&b, "bench", "instructions", "ns", &med, NULL);
	assert_int_equal(med.n, 3);
	assert_float_equal(med.v[0], 601, 0);
	assert_float_equal(med.v[1], 801, 0);
	assert_float_equal(med.v[2], 901, 0);
	assert_string_equal(b.commits[0].pooled->benches[0].definition, DEF_B);
	th_capture_warnings();
	pg_baseline_warn(&b, PG_NOTES_HISTORY);
	/* 8 kept this definition's runs: the note names 8 as mixed */
	assert_non_null(strstr(th_warnings(), "bench: runs at 888888888888 measured with another "
					      "command, cwd, env, format, output or metrics are left out"));
	pg_warn_set_handler(NULL, NULL);
	pg_samples_free(&med);
	pg_baseline_free(&b);

	/* the definition changed at 8: the baseline restarts there */
	pg_baseline_init(&b, cur, NULL);
	add(&b, SHA("9"), counted(SHA("9"), DEF_B, "ns", 900), NULL);
	add(&b, SHA("8"), counted(SHA("8"), DEF_A, "ns", 800), NULL);
	assert_int_equal(b.n, 1);
	th_capture_warnings();
	pg_baseline_warn(&b, PG_NOTES_HISTORY);
	assert_string_equal(th_warnings(), "bench: definition changed at 888888888888, baseline "
			    "restarts (results measured with another command, cwd, env, format, "
			    "output or metrics are never compared)\n");
	pg_warn_set_handler(NULL, NULL);
	pg_baseline_free(&b);

	/* only 8 has another definition (an A/B base of another configuration,
	 * nothing else stored there): older results are used */
	pg_baseline_init(&b, cur, NULL);
	add(&b, SHA("9"), counted(SHA("9"), DEF_B, "ns", 900), NULL);
	add(&b, SHA("8"), counted(SHA("8"), DEF_A, "ns", 800), NULL);
	add(&b, SHA("7"), counted(SHA("7"), DEF_B, "ns", 700), NULL);
	assert_int_equal(b.n, 2);
	th_capture_warnings();
	pg_baseline_warn(&b, PG_NOTES_HISTORY);
	assert_string_equal(th_warnings(), "bench: results at 1 commit (888888888888 first) measured "
			    "with another command, cwd, env, format, output or metrics are left out; "
			    "older ones with this definition are used\n");
	pg_warn_set_handler(NULL, NULL);
	pg_baseline_free(&b);
	pg_run_free(cur);

	/* a current result without a definition is comparable with any */
	cur = counted(SHA("f"), NULL, "ns", 0);
	pg_baseline_init(&b, cur, NULL);
	add(&b, SHA("9"), counted(SHA("9"), DEF_B, "ns", 900), NULL);
	add(&b, SHA("8"), counted(SHA("8"), DEF_A, "ns", 800), NULL);
	assert_int_equal(b.n, 2);
	assert_int_equal(b.nnotes, 0);
	pg_baseline_free(&b);
	pg_run_free(cur);
}

static void hex(char *out, const unsigned char *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_baseline__sha256(void **state)
{
	(void)state;
	static const char *const in[] = { "", "abc",
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq" };
	static const char *const want[] = {
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" };
	unsigned char d[32];
	char got[65];
	pg_sha256 c;
	for (int i = 0; i < 3; i++) {
		pg_sha256_init(&c);
		pg_sha256_update(&c, in[i], strlen(in[i]));
		pg_sha256_final(&c, d);
		hex(got, d, 32);
		assert_string_equal(got, want[i]);
	}
	/* a million 'a's, fed in uneven pieces */
	pg_sha256_init(&c);
	char a[1001];
	memset(a, 'a', sizeof(a));
	for (int i = 0; i < 1000; i++)
		pg_sha256_update(&c, a, i % 2 ? 999 : 1001);
	pg_sha256_final(&c, d);
	hex(got, d, 32);
	assert_string_equal(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The definition: what determines the measurement is in it, what only
 * changes how often or how strictly is not. */
static void test_baseline__definition_fingerprint(void **state)
{
	(void)state;
	static const char *const variants[] = {
		"\"command\": [\"b\", \"-x\"]",              /* the command */
		"\"command\": [\"b -x\"]",                    /* argv split otherwise */
		"\"command\": \"b -x\"",                      /* through the shell */
		"\"command\": [\"b\"], \"cwd\": \"sub\"",
		"\"command\": [\"b\"], \"env\": {\"K\": \"1\"}",
		"\"command\": [\"b\"], \"env\": {\"K\": \"2\"}",
		"\"command\": [\"b\"], \"metrics\": [\"wall_time\"]",
		"\"command\": [\"b\"], \"format\": \"gbench\"",
		"\"command\": [\"b\"], \"format\": \"gbench\", \"output\": \"o.json\"",
		"\"command\": [\"b\"], \"format\": \"hyperfine\"",
	};
	size_t nv = sizeof(variants) / sizeof(*variants);
	char defs[16][PG_DEFINITION_LEN + 1], def[PG_DEFINITION_LEN + 1];
	pg_buf text = PG_BUF_INIT;
	pg_config *cfg;
	pg_buf_puts(&text, "{\"benchmarks\": [{\"name\": \"same\", \"command\": [\"b\"], "
			   "\"env\": {\"A\": \"1\", \"B\": \"2\"}}, {\"name\": \"other-name\", "
			   "\"command\": [\"b\"], \"runs\": 3, \"warmup\": 0, \"timeout\": 5, "
			   "\"cpu\": 0, \"env\": {\"B\": \"2\", \"A\": \"1\"}, "
			   "\"thresholds\": {\"notice\": 1}}");
	for (size_t i = 0; i < nv; i++)
		pg_buf_printf(&text, ", {\"name\": \"v%zu\", %s}", i, variants[i]);
	pg_buf_puts(&text, "]}");
	assert_int_equal(pg_config_parse(&cfg, text.ptr, "t.json"), 0);
	pg_gate_definition(&cfg->benches[0], defs[0]);
	pg_gate_definition(&cfg->benches[1], def);
	assert_true(pg_definition_valid(defs[0]));
	assert_string_equal(defs[0], def); /* name, runs, timeout, cpu, thresholds, env order */
	for (size_t i = 0; i < nv; i++) {
		pg_gate_definition(&cfg->benches[2 + i], defs[1 + i]);
		for (size_t j = 0; j < i + 1; j++)
			if (!strcmp(defs[1 + i], defs[j]))
				fail_msg("variant %zu has the definition of %zu", i, j);
	}
	pg_config_free(cfg);
	pg_buf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline__window_and_exclusions),
		cmocka_unit_test(test_baseline__units_never_mix),
		cmocka_unit_test(test_baseline__definitions),
		cmocka_unit_test(test_baseline__sha256),
		cmocka_unit_test(test_baseline__definition_fingerprint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
