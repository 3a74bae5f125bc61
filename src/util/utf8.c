/*
 * utf8.c - strict UTF-8 (see utf8.h).
 */
#include "utf8.h"

#include <string.h>

size_t pg_utf8_seq(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c;
	size_t len;
	if (!n)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4) /* continuation, overlong 2-byte lead, > U+10FFFF */
		return 0;
	len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (c == 0xe0 && s[1] < 0xa0)  /* overlong 3-byte */
		return 0;
	if (c == 0xed && s[1] >= 0xa0) /* surrogates U+D800..DFFF */
		return 0;
	if (c == 0xf0 && s[1] < 0x90)  /* overlong 4-byte */
		return 0;
	if (c == 0xf4 && s[1] >= 0x90) /* above U+10FFFF */
		return 0;
	return len;
}

int pg_utf8_valid(const char *s)
{
	size_t n = strlen(s);
	while (n) {
		size_t k = pg_utf8_seq(s, n);
		if (!k)
			return 0;
		s += k;
		n -= k;
	}
	return 1;
}

size_t pg_utf8_width(const char *s)
{
	return pg_utf8_count(s, strlen(s));
}

size_t pg_utf8_count(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

void pg_utf8_from_latin1(pg_buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80) {
			pg_buf_putc(out, (char)*p);
		} else if (*p < 0xa0) {
			pg_buf_puts(out, "\xef\xbf\xbd");
		} else {
			pg_buf_putc(out, (char)(0xc0 | *p >> 6));
			pg_buf_putc(out, (char)(0x80 | (*p & 0x3f)));
		}
	}
}

void pg_utf8_repair(pg_buf *out, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		size_t k = pg_utf8_seq(s, n);
		if (k)
			pg_buf_put(out, s, k);
		else
			pg_buf_puts(out, "\xef\xbf\xbd");
		k = k ? k : 1;
		s += k;
		n -= k;
	}
}

void pg_utf8_printable(pg_buf *out, const char *s, size_t max)
{
	size_t n = strlen(s), used = 0;
	while (n) {
		size_t k = pg_utf8_seq(s, n);
		const unsigned char c = (unsigned char)s[0];
		size_t put = k ? k : 3; /* U+FFFD is 3 bytes */
		if (used + put > max) {
			pg_buf_puts(out, "...");
			return;
		}
		if (!k)
			pg_buf_puts(out, "\xef\xbf\xbd");
		else if (c < 0x20 || c == 0x7f || (c == 0xc2 && (unsigned char)s[1] < 0xa0))
			pg_buf_putc(out, '?');
		else
			pg_buf_put(out, s, k);
		used += put;
		k = k ? k : 1;
		s += k;
		n -= k;
	}
}
