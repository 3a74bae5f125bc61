/*
 * helpers.c - temporary directories, shell commands and git repositories
 * for the unit tests.
 */
#include "helpers.h"
#include "buf.h"
#include "config.h"
#include "error.h"
#include "fsutil.h"
#include "import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *th_tempdir(void)
{
	const char *tmp = getenv("TMPDIR");
	pg_buf b = PG_BUF_INIT;
	pg_buf_printf(&b, "%s/pgtest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(b.ptr));
	return pg_buf_detach(&b);
}

void th_rmrf(const char *dir)
{
	th_sh("/", "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
}

static char *vrun(const char *dir, int capture, const char *fmt, va_list ap)
{
	pg_buf cmd = PG_BUF_INIT, out = PG_BUF_INIT;
	char chunk[4096];
	size_t n;
	pg_buf_printf(&cmd, "cd '%s' && { ", dir);
	pg_buf_vprintf(&cmd, fmt, ap);
	pg_buf_puts(&cmd, capture ? "; }" : "; } >/dev/null");
	FILE *p = popen(cmd.ptr, "r");
	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		pg_buf_put(&out, chunk, n);
	int status = pclose(p);
	if (status != 0)
		fail_msg("command failed (%d): %s", status, cmd.ptr);
	pg_buf_free(&cmd);
	while (out.len && (out.ptr[out.len - 1] == '\n' || out.ptr[out.len - 1] == ' '))
		pg_buf_truncate(&out, out.len - 1);
	return pg_buf_detach(&out);
}

void th_sh(const char *dir, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(vrun(dir, 0, fmt, ap));
	va_end(ap);
}

char *th_sh_out(const char *dir, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vrun(dir, 1, fmt, ap);
	va_end(ap);
	return s;
}

void th_write(const char *dir, const char *name, const char *content)
{
	pg_buf path = PG_BUF_INIT;
	pg_buf_printf(&path, "%s/%s", dir, name);
	FILE *f = fopen(path.ptr, "w");
	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
	pg_buf_free(&path);
}

char *th_git_repo(void)
{
	char *dir = th_tempdir();
	th_sh(dir, "git init -q -b main && git config user.name t && git config user.email t@t");
	return dir;
}

static pg_buf warnings = PG_BUF_INIT;

static void on_warning(const char *msg, void *payload)
{
	(void)payload;
	pg_buf_puts(&warnings, msg);
	pg_buf_putc(&warnings, '\n');
}

void th_capture_warnings(void)
{
	pg_buf_clear(&warnings);
	pg_warn_set_handler(on_warning, NULL);
}

const char *th_warnings(void)
{
	return warnings.ptr;
}

static uint64_t rng_state = 1;

void th_rng_seed(uint64_t seed)
{
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
}

static double rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return ((double)((rng_state * 2685821657736338717ull) >> 11) + 0.5) / 9007199254740992.0;
}

double th_normal(void)
{
	double u1 = rng_uniform(), u2 = rng_uniform();
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

void th_samples(double *x, size_t n, double mean, double cv)
{
	for (size_t i = 0; i < n; i++)
		x[i] = mean * (1 + cv * th_normal());
}

char *th_fixture(const char *name)
{
	pg_buf path = PG_BUF_INIT, text = PG_BUF_INIT;
	pg_buf_printf(&path, "%s/%s", FIXTURES, name);
	if (pg_file_read(&text, path.ptr) != 0)
		fail_msg("%s: %s", path.ptr, pg_error_last());
	pg_buf_free(&path);
	return pg_buf_detach(&text);
}

pg_run *th_parse_ok(int f, const char *text, const char *where)
{
	pg_run *run = pg_run_new();
	if (pg_import_parse(run, (pg_import_format)f, text, strlen(text), NULL, where) != 0)
		fail_msg("%s: %s", where, pg_error_last());
	return run;
}

pg_config *th_config_ok(const char *text)
{
	pg_config *cfg = NULL;
	if (pg_config_parse(&cfg, text, "p.json") < 0)
		fail_msg("%s", pg_error_last());
	return cfg;
}

pg_run *th_import_ok(int f, const char *file)
{
	char *text = th_fixture(file);
	pg_run *run = th_parse_ok(f, text, file);
	free(text);
	return run;
}

const pg_metric_result *th_metric(const pg_run *run, const char *bench, const char *m)
{
	pg_bench_result *b = pg_run_find_bench(run, bench);
	if (!b)
		fail_msg("no benchmark '%s'", bench);
	const pg_metric_result *r = pg_bench_find_metric(b, m);
	if (!r)
		fail_msg("no metric '%s' in '%s'", m, bench);
	return r;
}
