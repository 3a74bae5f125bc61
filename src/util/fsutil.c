/*
 * fsutil.c - whole-file reads, atomic writes, mkdir -p and rm -rf.  Every
 * descriptor is opened close-on-exec: benchmarks never inherit one.
 */
#define _GNU_SOURCE /* mkostemp; nftw() */
#include "fsutil.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular one is, for messages. */
static const char *file_kind(mode_t mode)
{
	return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device"
	       : S_ISBLK(mode) ? "a block device" : S_ISDIR(mode) ? "a directory"
	       : S_ISSOCK(mode) ? "a socket" : "not a regular file";
}

static int too_large(const char *path, size_t max)
{
	return pg_error_set(PG_ECORRUPT, "%s: is larger than %zu MiB; perfgate reads at most that",
			    path, max >> 20);
}

int pg_file_read_limited(pg_buf *out, const char *path, size_t max, unsigned flags)
{
	int plain = !!(flags & PG_READ_PLAIN_FILE), err = 0;
	size_t start = out->len;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | (plain ? O_NONBLOCK | O_NOFOLLOW : 0));
	if (fd < 0) {
		if (errno == ENOENT)
			return pg_error_set(PG_ENOTFOUND, "%s: no such file", path);
		if (plain && errno == ELOOP)
			return pg_error_set(PG_ECORRUPT, "%s: is a symbolic link; perfgate reads only a "
					    "plain file here", path);
		return pg_error_set(PG_ERUNTIME, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0)
		err = pg_error_set(PG_ERUNTIME, "%s: cannot read: %s", path, strerror(errno));
	else if (plain && !S_ISREG(st.st_mode))
		err = pg_error_set(PG_ECORRUPT, "%s: is %s, not a plain file", path,
				   file_kind(st.st_mode));
	else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max)
		err = too_large(path, max);
	while (err == 0) {
		pg_buf_grow(out, 65536);
		size_t room = out->alloc - out->len - 1;
		ssize_t n = read(fd, out->ptr + out->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = pg_error_set(PG_ERUNTIME, "%s: cannot read: %s", path, strerror(errno));
		if (n <= 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		if (out->len - start > max) /* it grew, or its size was not known */
			err = too_large(path, max);
	}
	close(fd);
	if (err < 0)
		pg_buf_truncate(out, start);
	return err;
}

int pg_file_read(pg_buf *out, const char *path)
{
	return pg_file_read_limited(out, path, SIZE_MAX, 0);
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void fsync_parent_dir(const char *path)
{
	pg_buf dir = PG_BUF_INIT;
	const char *slash = strrchr(path, '/');
	pg_buf_puts(&dir, slash ? "" : ".");
	if (slash)
		pg_buf_put(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	int fd = open(dir.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd); /* best effort: some file systems refuse it */
		close(fd);
	}
	pg_buf_free(&dir);
}

/* Writes to what is not a file (a device, a FIFO, a pipe) as it is. */
static int write_in_place(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY), err = 0;
	if (fd < 0)
		return pg_error_set(PG_ERUNTIME, "%s: cannot open: %s", path, strerror(errno));
	if (write_all(fd, data, len) < 0)
		err = pg_error_set(PG_ERUNTIME, "%s: cannot write: %s", path, strerror(errno));
	if (close(fd) < 0 && err == 0)
		err = pg_error_set(PG_ERUNTIME, "%s: cannot write: %s", path, strerror(errno));
	return err;
}

int pg_file_write_atomic(const char *path, const void *data, size_t len)
{
	pg_buf tmp = PG_BUF_INIT;
	struct stat st, lst;
	char *real = NULL;
	int err = 0;
	/* what is there decides: a special file (/dev/null, a FIFO, a
	 * /dev/stdout that is a pipe) is written to, never replaced; a link to
	 * a file keeps linking to it, now rewritten */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_in_place(path, data, len);
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && stat(path, &st) == 0 &&
	    S_ISREG(st.st_mode) && (real = realpath(path, NULL)))
		path = real;
	pg_buf_printf(&tmp, "%s.tmp-XXXXXX", path);
	int fd = mkostemp(tmp.ptr, O_CLOEXEC);
	if (fd < 0) {
		err = pg_error_set(PG_ERUNTIME, "%s: cannot create temporary file: %s",
				   path, strerror(errno));
		goto out;
	}
	fchmod(fd, 0644);
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		err = pg_error_set(PG_ERUNTIME, "%s: cannot write: %s", path, strerror(errno));
		close(fd);
		unlink(tmp.ptr);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp.ptr, path) < 0) {
		err = pg_error_set(PG_ERUNTIME, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp.ptr);
		goto out;
	}
	fsync_parent_dir(path);
out:
	pg_buf_free(&tmp);
	free(real);
	return err;
}

int pg_mkdir_p(const char *path, int mode)
{
	pg_buf b = PG_BUF_INIT;
	int err = 0;
	pg_buf_puts(&b, path);
	for (char *p = b.ptr + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(b.ptr, (mode_t)mode) < 0 && errno != EEXIST) {
			err = pg_error_set(PG_ERUNTIME, "%s: cannot create directory: %s",
					   b.ptr, strerror(errno));
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	pg_buf_free(&b);
	return err;
}

void pg_path_join(pg_buf *out, const char *a, const char *b)
{
	pg_buf_puts(out, a);
	if (out->len && out->ptr[out->len - 1] != '/')
		pg_buf_putc(out, '/');
	while (*b == '/')
		b++;
	pg_buf_puts(out, b);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int pg_rmtree(const char *path)
{
	if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return pg_error_set(PG_ERUNTIME, "%s: cannot remove: %s", path, strerror(errno));
	return 0;
}
