/*
 * utf8.h - the one UTF-8 walker: strict validation (RFC 3629, as jansson
 * checks it: no overlong forms, no surrogates, nothing above U+10FFFF),
 * display width, and repair of text that arrives as bytes (a commit
 * author in Latin-1, a benchmark's stderr).
 */
#ifndef PG_UTF8_H
#define PG_UTF8_H

#include "buf.h"

#include <stddef.h>

/* Length (1 to 4) of the valid UTF-8 sequence at the start of `s` (at most
 * `n` bytes), or 0 when it is not one; 0 also for n == 0. */
size_t pg_utf8_seq(const char *s, size_t n);
/* Whether `s` (NUL-terminated) is valid UTF-8. */
int pg_utf8_valid(const char *s);
/* Display width: code points (names and sparklines have no wide
 * characters).  Also the length GitHub counts in a comment. */
size_t pg_utf8_width(const char *s);
/* The same for the first `len` bytes of (valid UTF-8) `s`. */
size_t pg_utf8_count(const char *s, size_t len);
/* Appends `s` with every byte that is not part of valid UTF-8 replaced by
 * U+FFFD, so the result can go into JSON, XML or a terminal. */
void pg_utf8_repair(pg_buf *out, const char *s);
/* Appends ISO-8859-1 text `s` as UTF-8, its C1 controls as U+FFFD. */
void pg_utf8_from_latin1(pg_buf *out, const char *s);
/* Appends untrusted text for a message or a report: at most `max` bytes of
 * it (cut between characters, then "..."), repaired like pg_utf8_repair,
 * and every control character (C0, DEL, C1) as '?', so a hostile name can
 * neither break the encoding of what it is written into nor drive a
 * terminal. */
void pg_utf8_printable(pg_buf *out, const char *s, size_t max);

#endif
