/*
 * buf.c - growable strings and the aborting allocation helpers.
 */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char pg_buf__empty[1];

static void oom(void)
{
	fputs("perfgate: fatal: out of memory\n", stderr);
	abort();
}

void *pg_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *pg_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *pg_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *pg_strdup(const char *s)
{
	return pg_strndup(s, strlen(s));
}

char *pg_strndup(const char *s, size_t n)
{
	char *p = pg_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *pg_array_grow(void *p, size_t *alloc, size_t need, size_t size)
{
	size_t n = *alloc;
	if (need <= n)
		return p;
	if (n < 8)
		n = 8;
	while (n < need)
		n *= 2;
	p = pg_realloc(p, n * size);
	*alloc = n;
	return p;
}

void pg_buf_init(pg_buf *b)
{
	b->ptr = pg_buf__empty;
	b->len = 0;
	b->alloc = 0;
}

void pg_buf_free(pg_buf *b)
{
	if (b->alloc)
		free(b->ptr);
	pg_buf_init(b);
}

void pg_buf_grow(pg_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return;
	size_t n = b->alloc < 64 ? 64 : b->alloc;
	while (n < need)
		n *= 2;
	if (b->alloc) {
		b->ptr = pg_realloc(b->ptr, n);
	} else {
		b->ptr = pg_malloc(n);
		b->ptr[0] = '\0';
	}
	b->alloc = n;
}

void pg_buf_clear(pg_buf *b)
{
	pg_buf_truncate(b, 0);
}

void pg_buf_truncate(pg_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

void pg_buf_put(pg_buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	pg_buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void pg_buf_puts(pg_buf *b, const char *s)
{
	pg_buf_put(b, s, strlen(s));
}

void pg_buf_putc(pg_buf *b, char c)
{
	pg_buf_put(b, &c, 1);
}

void pg_buf_vprintf(pg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(b->ptr + b->len, b->alloc ? b->alloc - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->alloc) {
		pg_buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, b->alloc - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void pg_buf_printf(pg_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pg_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *pg_buf_detach(pg_buf *b)
{
	char *s = b->alloc ? b->ptr : pg_strdup("");
	pg_buf_init(b);
	return s;
}
