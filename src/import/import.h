/*
 * import.h - reading other harnesses' results into perfgate samples.
 *
 * Formats: perfgate (our own harness), gbench (Google Benchmark JSON),
 * hyperfine (--export-json), criterion (cargo-criterion
 * --message-format=json lines, or the target/criterion directory), pytest-benchmark (--benchmark-json), gotest
 * (`go test -bench` text), catch2 (XML reporter), bmf (Bencher Metric
 * Format), jmh (-rf json), benchmarkdotnet (full JSON exporter), gab and
 * gab-bigger (github-action-benchmark's custom JSON), vitest (bench
 * --outputJson), k6 (--summary-export); console logs: libtest (`cargo
 * bench`), criterion's and Catch2's console reports (read by the criterion
 * and catch2 formats, told apart by content), benchmarkjs, iai-callgrind;
 * load testers: wrk, hey, ab (one result, the metrics of loadtest.h); and
 * auto, which tries them all.
 * Per-repetition or per-run samples are kept wherever the format
 * has them (see docs/import-formats.md for what each one provides).
 *
 * Parsers are strict: input that is not in the format gets PG_ECORRUPT
 * with one line naming the file, the format and where parsing failed, and
 * nothing is imported (results go to `out` only when all of it parsed).
 */
#ifndef PG_IMPORT_H
#define PG_IMPORT_H

#include "results.h"

#include <time.h>

typedef enum pg_import_format {
	PG_IMPORT_NONE = 0,
	PG_IMPORT_PERFGATE,
	PG_IMPORT_GBENCH,
	PG_IMPORT_HYPERFINE,
	PG_IMPORT_CRITERION,
	PG_IMPORT_PYTEST,
	PG_IMPORT_GOTEST,
	PG_IMPORT_CATCH2,
	PG_IMPORT_BMF,
	PG_IMPORT_JMH,
	PG_IMPORT_BENCHMARKDOTNET,
	PG_IMPORT_GAB,
	PG_IMPORT_GAB_BIGGER,
	PG_IMPORT_VITEST,
	PG_IMPORT_K6,
	PG_IMPORT_LIBTEST,
	PG_IMPORT_WRK,
	PG_IMPORT_HEY,
	PG_IMPORT_AB,
	PG_IMPORT_BENCHMARKJS,
	PG_IMPORT_IAI_CALLGRIND,
	/* Not a format of the table: tries every one (import_auto.c). */
	PG_IMPORT_AUTO = 1000
} pg_import_format;

/* -1 for an unknown name ("auto" is PG_IMPORT_AUTO). */
int pg_import_format_parse(const char *name);
const char *pg_import_format_name(pg_import_format f);
/* Every name pg_import_format_parse knows, from the format table. */
const char *pg_import_format_list(void);
/* The formats of the table are 1 .. pg_import_format_count() - 1. */
int pg_import_format_count(void);
/* Whether format `f` reads a directory (criterion's target/criterion). */
int pg_import_reads_dir(pg_import_format f);

/* `--format auto` (import_auto.c): calls `attempt` into a scratch run for
 * every format of the table (only those that read directories when `dir`),
 * then, when exactly one succeeded, once more into `out`.  When none or
 * several did, PG_ECORRUPT: a first line naming `where` and what
 * happened, then for none one line per format tried with why it failed. */
typedef int (*pg_import_attempt_fn)(pg_run *out, pg_import_format f, void *payload);
int pg_import_auto(pg_run *out, const char *where, int dir, pg_import_attempt_fn attempt,
		   void *payload);
/* After format `failed` returned `err`: when it is PG_ECORRUPT and other
 * formats read the input (tried with `attempt` into scratch runs), the
 * message gets "(it looks like X output: use --format X)" appended.
 * Returns `err`. */
int pg_import_suggest(int err, pg_import_format failed, pg_import_attempt_fn attempt,
		      void *payload);

/* Parses `text` (NUL-terminated, `len` bytes); each result becomes a
 * benchmark named "PREFIX/NAME" (or NAME without prefix) in `out`;
 * `where` names the input in messages, which say which format the input
 * looks like when it is another one (pg_import_suggest). */
int pg_import_parse(pg_run *out, pg_import_format f, const char *text, size_t len,
		    const char *prefix, const char *where);

/* Imports `path`: a file in format `f`, or for criterion also a
 * directory (target/criterion), where only samples written at or after
 * `since` count when it is not NULL (so stale results of earlier runs are
 * never read).  Results are named as pg_import_parse names them. */
int pg_import_path(pg_run *out, pg_import_format f, const char *path, const char *prefix,
		   const struct timespec *since);
/* As pg_import_path, for what a benchmark left (its "output"): the path,
 * and every file read below a criterion directory, must be a regular file
 * (or that directory) and not a symbolic link, and each file at most
 * PG_OUTPUT_MAX bytes; a FIFO, a device, a link or a huge file is an
 * error (PG_ECORRUPT naming it), never a wait or a crash.  (pg_import_path
 * caps the size too, but reads what the user names: a pipe, a link.) */
int pg_import_output(pg_run *out, pg_import_format f, const char *path, const char *prefix,
		     const struct timespec *since);

/* Adds a sample to benchmark `bench`, metric `metric` of `run`. */
void pg_import_sample(pg_run *run, const char *bench, const char *metric, const char *unit,
		      int higher_is_better, double value);

/* Individual parsers (import_json.c, import_text.c), all of the same
 * shape: results into `run`, PG_ECORRUPT with pg_error_set on failure. */
int pg_import_perfgate(pg_run *run, const char *text, const char *where);
int pg_import_gbench(pg_run *run, const char *text, const char *where);
int pg_import_hyperfine(pg_run *run, const char *text, const char *where);
int pg_import_criterion(pg_run *run, const char *text, const char *where);
int pg_import_pytest(pg_run *run, const char *text, const char *where);
int pg_import_bmf(pg_run *run, const char *text, const char *where);
int pg_import_gotest(pg_run *run, const char *text, const char *where);
int pg_import_catch2(pg_run *run, const char *text, const char *where);
/* import_jvm.c, import_dotnet.c, import_js.c (gab, vitest, k6). */
int pg_import_jmh(pg_run *run, const char *text, const char *where);
int pg_import_benchmarkdotnet(pg_run *run, const char *text, const char *where);
int pg_import_gab(pg_run *run, const char *text, const char *where);
int pg_import_gab_bigger(pg_run *run, const char *text, const char *where);
int pg_import_vitest(pg_run *run, const char *text, const char *where);
int pg_import_k6(pg_run *run, const char *text, const char *where);
/* The console formats (import_rust.c, import_console.c, import_load.c). */
int pg_import_libtest(pg_run *run, const char *text, const char *where);
int pg_import_criterion_console(pg_run *run, const char *text, const char *where);
int pg_import_catch2_console(pg_run *run, const char *text, const char *where);
int pg_import_iai_callgrind(pg_run *run, const char *text, const char *where);
int pg_import_benchmarkjs(pg_run *run, const char *text, const char *where);
int pg_import_wrk(pg_run *run, const char *text, const char *where);
int pg_import_hey(pg_run *run, const char *text, const char *where);
int pg_import_ab(pg_run *run, const char *text, const char *where);

/* criterion's files (import_dir.c): one <benchmark>/new/sample.json with
 * its benchmark.json (NULL when absent: the result is `fallback_id`), and
 * the walk over a target/criterion directory. */
int pg_import_criterion_sample(pg_run *run, const char *sample, const char *benchmark,
			       const char *fallback_id, const char *where);
int pg_import_criterion_dir(pg_run *parsed, const char *dir, const struct timespec *since,
			    unsigned read_flags);

#endif
