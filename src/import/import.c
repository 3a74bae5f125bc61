/*
 * import.c - format dispatch, files or a directory, and the all-or-nothing
 * merge (see import.h).
 */
#include "import.h"
#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "unit.h"
#include "utf8.h"
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const names[] = { NULL, "perfgate", "gbench", "hyperfine", "criterion",
				      "pytest-benchmark", "gotest", "catch2", "bmf", "jmh",
				      "benchmarkdotnet", "gab", "gab-bigger", "vitest", "k6",
				      "libtest", "wrk", "hey", "ab", "benchmarkjs", "iai-callgrind" };
#define NFORMATS (sizeof(names) / sizeof(*names))

typedef int (*parser_fn)(pg_run *run, const char *text, const char *where);
static const parser_fn parsers[] = { NULL, pg_import_perfgate, pg_import_gbench,
				     pg_import_hyperfine, pg_import_criterion, pg_import_pytest,
				     pg_import_gotest, pg_import_catch2, pg_import_bmf, pg_import_jmh,
				     pg_import_benchmarkdotnet, pg_import_gab, pg_import_gab_bigger,
				     pg_import_vitest, pg_import_k6, pg_import_libtest, pg_import_wrk,
				     pg_import_hey, pg_import_ab, pg_import_benchmarkjs,
				     pg_import_iai_callgrind };
_Static_assert(sizeof(parsers) / sizeof(*parsers) == NFORMATS, "one parser per format name");

int pg_import_format_parse(const char *name)
{
	for (int i = 1; i < (int)NFORMATS; i++)
		if (!strcmp(names[i], name))
			return i;
	return strcmp(name, "auto") ? -1 : PG_IMPORT_AUTO;
}

const char *pg_import_format_name(pg_import_format f)
{
	if (f == PG_IMPORT_AUTO)
		return "auto";
	return (unsigned)f < NFORMATS && names[f] ? names[f] : "none";
}

const char *pg_import_format_list(void)
{
	static char list[1024];
	size_t n = 0;
	if (list[0])
		return list;
	for (size_t i = 1; i < NFORMATS && n < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s, ", names[i]);
	if (n < sizeof(list))
		snprintf(list + n, sizeof(list) - n, "auto");
	return list;
}

int pg_import_format_count(void)
{
	return (int)NFORMATS;
}

int pg_import_reads_dir(pg_import_format f)
{
	return f == PG_IMPORT_CRITERION;
}

void pg_import_sample(pg_run *run, const char *bench, const char *metric, const char *unit,
		      int higher_is_better, double value)
{
	pg_bench_result *b = pg_run_find_bench(run, bench);
	if (!b)
		b = pg_run_add_bench(run, bench);
	pg_metric_result *m = pg_bench_metric(b, metric, unit, higher_is_better);
	pg_samples_push(&m->samples, value);
}

static void merge(pg_run *out, const pg_run *parsed, const char *prefix)
{
	pg_buf name = PG_BUF_INIT;
	for (size_t i = 0; i < parsed->nbenches; i++) {
		const pg_bench_result *b = &parsed->benches[i];
		pg_buf_clear(&name);
		if (prefix)
			pg_buf_printf(&name, "%s/", prefix);
		pg_buf_puts(&name, b->name);
		for (size_t m = 0; m < b->nmetrics; m++)
			for (size_t k = 0; k < b->metrics[m].samples.n; k++)
				pg_import_sample(out, name.ptr, b->metrics[m].name, b->metrics[m].unit,
						 b->metrics[m].higher_is_better,
						 b->metrics[m].samples.v[k]);
	}
	pg_buf_free(&name);
}

/* The trust boundary of every importer (validate.h): names become
 * benchmark names under the same rules as configured ones, metric names
 * and units come from the tool too, and every sample must be a finite
 * number (NaN, inf or 1e999 in a text format would vanish when stored), and
 * not negative when it is a time, a size or a rate (a count or a percentage
 * may be: a tool may report a difference).
 * Names are quoted with pg_utf8_printable: the message must not carry the
 * bytes that made them bad. */
static int may_be_negative(const char *unit)
{
	pg_quantity q;
	if (pg_unit_parse(unit, &q) < 0)
		return 1;
	return !q.per_time && (q.kind == PG_KIND_COUNT || q.kind == PG_KIND_PERCENT);
}

static int check_results(const pg_run *parsed, const char *prefix, const char *where,
			 const char *format)
{
	pg_buf name = PG_BUF_INIT;
	int err = 0;
	for (size_t i = 0; i < parsed->nbenches && !err; i++) {
		const pg_bench_result *b = &parsed->benches[i];
		const char *problem = pg_name_problem(b->name);
		size_t len = strlen(b->name) + (prefix ? strlen(prefix) + 1 : 0);
		pg_buf_clear(&name);
		pg_utf8_printable(&name, b->name, 60);
		if (!problem && len > PG_NAME_MAX)
			problem = "is longer than 200 bytes with the prefix";
		if (problem) {
			err = pg_error_set(PG_ECORRUPT, "%s: %s results: benchmark name '%s' %s", where,
					   format, name.ptr, problem);
			break;
		}
		for (size_t m = 0; m < b->nmetrics && !err; m++) {
			const pg_metric_result *mr = &b->metrics[m];
			if ((problem = pg_name_problem(mr->name))) {
				err = pg_error_set(PG_ECORRUPT, "%s: %s results: '%s' has a metric name that "
						   "%s", where, format, name.ptr, problem);
			} else if ((problem = pg_unit_problem(mr->unit))) {
				err = pg_error_set(PG_ECORRUPT, "%s: %s results: '%s' %s: the unit %s",
						   where, format, name.ptr, mr->name, problem);
			}
			for (size_t k = 0; k < mr->samples.n && !err; k++)
				if (!isfinite(mr->samples.v[k]))
					err = pg_error_set(PG_ECORRUPT, "%s: %s results: '%s' %s: a value is "
							   "not a finite number (%g)", where, format,
							   name.ptr, mr->name, mr->samples.v[k]);
				else if (mr->samples.v[k] < 0 && !may_be_negative(mr->unit))
					err = pg_error_set(PG_ECORRUPT, "%s: %s results: '%s' %s: a value is "
							   "negative (%g %s), which a time, size or rate "
							   "cannot be", where, format, name.ptr, mr->name,
							   mr->samples.v[k], mr->unit);
		}
	}
	if (!err && !parsed->nbenches)
		err = pg_error_set(PG_ECORRUPT, "%s: no %s results found in it", where, format);
	pg_buf_free(&name);
	return err;
}

/* The all-or-nothing end of every import: names checked, then merged. */
static int finish(pg_run *out, pg_run *parsed, int err, const char *prefix, const char *where,
		  pg_import_format f)
{
	if (err == 0)
		err = check_results(parsed, prefix, where, names[f]);
	if (err == 0)
		merge(out, parsed, prefix);
	pg_run_free(parsed);
	return err;
}

static int valid_format(pg_import_format f)
{
	return (f > PG_IMPORT_NONE && (unsigned)f < NFORMATS) || f == PG_IMPORT_AUTO;
}

struct text_input {
	const char *text, *prefix, *where;
	size_t len;
};

/* One format of the table, without the hint pg_import_parse adds. */
static int parse_one(pg_run *out, pg_import_format f, const struct text_input *in)
{
	if (strlen(in->text) != in->len)
		return pg_error_set(PG_ECORRUPT, "%s: not %s output: it contains NUL bytes",
				    in->where, names[f]);
	pg_run *parsed = pg_run_new();
	return finish(out, parsed, parsers[f](parsed, in->text, in->where), in->prefix, in->where,
		      f);
}

static int attempt_text(pg_run *out, pg_import_format f, void *payload)
{
	return parse_one(out, f, payload);
}

int pg_import_parse(pg_run *out, pg_import_format f, const char *text, size_t len,
		    const char *prefix, const char *where)
{
	struct text_input in = { text, prefix, where, len };
	if (!valid_format(f))
		return pg_error_set(PG_EUSAGE, "unknown import format");
	if (f == PG_IMPORT_AUTO)
		return pg_import_auto(out, where, 0, attempt_text, &in);
	return pg_import_suggest(parse_one(out, f, &in), f, attempt_text, &in);
}

static int import_path(pg_run *out, pg_import_format f, const char *path, const char *prefix,
		       const struct timespec *since, unsigned flags);

struct dir_input {
	const char *path, *prefix;
	const struct timespec *since;
	unsigned flags;
};

static int attempt_dir(pg_run *out, pg_import_format f, void *payload)
{
	const struct dir_input *in = payload;
	return import_path(out, f, in->path, in->prefix, in->since, in->flags);
}

/* A file, or a criterion directory; `flags` as pg_file_read_limited's
 * (PG_READ_PLAIN_FILE: not through a symbolic link, the directory either). */
static int import_path(pg_run *out, pg_import_format f, const char *path, const char *prefix,
		       const struct timespec *since, unsigned flags)
{
	struct stat st;
	int plain = !!(flags & PG_READ_PLAIN_FILE);
	if (!valid_format(f))
		return pg_error_set(PG_EUSAGE, "unknown import format");
	if ((plain ? lstat : stat)(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (f == PG_IMPORT_AUTO) {
			struct dir_input in = { path, prefix, since, flags };
			return pg_import_auto(out, path, 1, attempt_dir, &in);
		}
		if (!pg_import_reads_dir(f))
			return pg_error_set(PG_ECORRUPT, "%s is a directory; only criterion results "
					    "(target/criterion) are read from a directory", path);
		pg_run *parsed = pg_run_new();
		return finish(out, parsed, pg_import_criterion_dir(parsed, path, since, flags), prefix,
			      path, f);
	}
	pg_buf text = PG_BUF_INIT;
	int err = pg_file_read_limited(&text, path, PG_OUTPUT_MAX, flags);
	if (err == 0)
		err = pg_import_parse(out, f, text.ptr, text.len, prefix, path);
	pg_buf_free(&text);
	return err;
}

int pg_import_path(pg_run *out, pg_import_format f, const char *path, const char *prefix,
		   const struct timespec *since)
{
	return import_path(out, f, path, prefix, since, 0);
}

int pg_import_output(pg_run *out, pg_import_format f, const char *path, const char *prefix,
		     const struct timespec *since)
{
	return import_path(out, f, path, prefix, since, PG_READ_PLAIN_FILE);
}
