/*
 * fsutil.h - file helpers: whole-file reads, atomic writes, mkdir -p.
 */
#ifndef PG_FSUTIL_H
#define PG_FSUTIL_H

#include "buf.h"

/* Reads all of `path` into `out` (appending).  PG_ENOTFOUND if it does
 * not exist, PG_ERUNTIME on other errors; the message names the path. */
int pg_file_read(pg_buf *out, const char *path);

/* Writes `len` bytes to `path` atomically: a temporary file in the same
 * directory, fsync, rename over `path`, fsync of the directory.  Either
 * the old content or the complete new content is there afterwards. */
int pg_file_write_atomic(const char *path, const void *data, size_t len);

/* mkdir -p; existing directories are fine. */
int pg_mkdir_p(const char *path, int mode);

/* Joins two path components with exactly one '/'. */
void pg_path_join(pg_buf *out, const char *a, const char *b);

#endif
