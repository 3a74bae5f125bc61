/*
 * fuzz_report.c - fuzz target: the JSON report `perfgate post` reads
 * (pg_report_load_json), an artifact of an untrusted pull-request job.
 * The input goes to a memory file, read through /proc/self/fd/N as the
 * reader reads any path.  A report it accepts is published as `post`
 * publishes it, without the network: the comment body (with GitHub's size
 * limit), the job summary, the annotations and the status description;
 * and written back as JSON, which must read back with the same rows.
 */
#define _GNU_SOURCE
#include "buf.h"
#include "error.h"
#include "fuzz.h"
#include "github.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = memfd_create("perfgate-report", 0);
	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

static void put_file(const void *data, size_t size)
{
	FZ_ASSERT(ftruncate(fd, 0) == 0);
	FZ_ASSERT(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
}

static void publish(const pg_report *r)
{
	pg_buf out = PG_BUF_INIT, marker = PG_BUF_INIT;
	FZ_ASSERT(pg_github_marker(&marker, "default") == 0);
	pg_github_comment_body(&out, r, marker.ptr, "https://github.com/o/r/actions/runs/1",
			       PG_GITHUB_COMMENT_MAX - 512);
	pg_buf_clear(&out);
	pg_report_write_markdown(&out, r);
	pg_buf_clear(&out);
	pg_github_annotations(&out, r);
	pg_buf_clear(&out);
	pg_report_summary(&out, r);
	pg_buf_free(&out);
	pg_buf_free(&marker);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pg_report *r, *back;
	pg_buf json = PG_BUF_INIT;
	put_file(data, size);
	if (pg_report_load_json(&r, path) < 0) {
		fz_check_error();
		return 0;
	}
	publish(r);
	pg_report_write_json(&json, r);
	put_file(json.ptr, json.len);
	if (pg_report_load_json(&back, path) < 0)
		fprintf(stderr, "fuzz: the report written back does not read: %s\n", pg_error_last());
	FZ_ASSERT(back);
	FZ_ASSERT(back->nrows == r->nrows && back->nwarnings == r->nwarnings);
	FZ_ASSERT(back->nbudgets == r->nbudgets && pg_report_breaches(back) == pg_report_breaches(r));
	FZ_ASSERT(back->ncomplexity == r->ncomplexity);
	FZ_ASSERT(back->passed == r->passed);
	FZ_ASSERT(!memcmp(back->counts, r->counts, sizeof(r->counts)));
	pg_report_free(back);
	pg_report_free(r);
	pg_buf_free(&json);
	return 0;
}
