/*
 * buf.h - the one growable string type used everywhere in perfgate.
 *
 * Invariants (as git's strbuf): after PG_BUF_INIT or any pg_buf_* call,
 * `ptr` is never NULL and is always NUL-terminated, so `b.ptr` can be
 * handed to any C string function.  `len` excludes the terminator.
 * pg_buf_detach() is the one way to take ownership of the memory.
 * Allocation failure aborts: perfgate cannot do anything useful without
 * memory, and checking every append would drown the code.
 */
#ifndef PG_BUF_H
#define PG_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pg_buf {
	char *ptr;
	size_t len;
	size_t alloc;
} pg_buf;

extern char pg_buf__empty[];
#define PG_BUF_INIT { pg_buf__empty, 0, 0 }

void pg_buf_init(pg_buf *b);
void pg_buf_free(pg_buf *b);
void pg_buf_grow(pg_buf *b, size_t extra);
void pg_buf_clear(pg_buf *b);
void pg_buf_truncate(pg_buf *b, size_t len);
void pg_buf_put(pg_buf *b, const void *data, size_t len);
void pg_buf_puts(pg_buf *b, const char *s);
void pg_buf_putc(pg_buf *b, char c);
void pg_buf_printf(pg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pg_buf_vprintf(pg_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Returns the string (caller frees) and leaves `b` empty. */
char *pg_buf_detach(pg_buf *b);

/* Allocation helpers that abort on failure (see above). */
void *pg_malloc(size_t n);
void *pg_calloc(size_t n, size_t size);
void *pg_realloc(void *p, size_t n);
char *pg_strdup(const char *s);
char *pg_strndup(const char *s, size_t n);
/* Grows an array of `size`-byte items so that `need` fit; doubles. */
void *pg_array_grow(void *p, size_t *alloc, size_t need, size_t size);

#endif
