/*
 * fsutil.h - file helpers: whole-file reads, atomic writes, mkdir -p.
 */
#ifndef PG_FSUTIL_H
#define PG_FSUTIL_H

#include "buf.h"

/* The most perfgate reads of what a process wrote: its captured stdout, or
 * a file it left (a harness's "output"). */
#define PG_OUTPUT_MAX ((size_t)256 << 20)

/* Reads all of `path` into `out` (appending).  PG_ENOTFOUND if it does
 * not exist, PG_ERUNTIME on other errors; the message names the path. */
int pg_file_read(pg_buf *out, const char *path);

/* For pg_file_read_limited: `path` must name a regular file itself, not
 * through a symbolic link (what a benchmark left: a FIFO would block, a
 * device never end, a link lead anywhere). */
#define PG_READ_PLAIN_FILE 1u

/* As pg_file_read, for files perfgate does not trust: at most `max` bytes
 * (PG_ECORRUPT "is larger than N MiB" beyond, before reading when the size
 * is known), and with PG_READ_PLAIN_FILE only a regular file that is not a
 * symbolic link, opened without blocking (PG_ECORRUPT "is a FIFO, not a
 * plain file", "is a symbolic link...").  Without it, anything that can be
 * read (a pipe the user gave) up to `max` bytes. */
int pg_file_read_limited(pg_buf *out, const char *path, size_t max, unsigned flags);

/* Writes `len` bytes to `path` atomically: a temporary file in the same
 * directory, fsync, rename over `path`, fsync of the directory.  Either
 * the old content or the complete new content is there afterwards.  When
 * `path` is a symbolic link to a regular file, that file is written so
 * (next to it), keeping the link; when it is (or links to) something else
 * that exists and is not a directory (/dev/null, a FIFO, /dev/stdout on
 * a pipe), it is written to in place, never replaced. */
int pg_file_write_atomic(const char *path, const void *data, size_t len);

/* mkdir -p; existing directories are fine. */
int pg_mkdir_p(const char *path, int mode);

/* rm -rf `path` without following symbolic links; 0 when it is gone (or
 * never was), PG_ERUNTIME otherwise. */
int pg_rmtree(const char *path);

/* Joins two path components with exactly one '/'. */
void pg_path_join(pg_buf *out, const char *a, const char *b);

#endif
