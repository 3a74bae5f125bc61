/*
 * error.c - last-error message and warning dispatch (see error.h).
 */
#include "error.h"
#include "buf.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char last_msg[2048];
static int last_code;
static pg_warn_fn warn_fn;
static void *warn_payload;

/* Keeps `msg` as the message from byte `n` on (0: all of it), made one
 * printable line of valid UTF-8:
 * messages quote hostile input (a name, a parser's "near '...'") and are
 * printed as one line and stored as a benchmark's failure reason.  A
 * control character becomes '?', a byte that is not UTF-8 U+FFFD; longer
 * messages are cut (one line is what the user reads anyway). */
static void set_message(const char *msg, size_t n)
{
	size_t left = strlen(msg);
	while (left) {
		size_t k = pg_utf8_seq(msg, left);
		const char *put = msg;
		unsigned char c = (unsigned char)*msg;
		if (!k)
			put = "\xef\xbf\xbd";
		else if (c < 0x20 || c == 0x7f || (c == 0xc2 && (unsigned char)msg[1] < 0xa0))
			put = "?"; /* C0, DEL, C1 */
		size_t len = put == msg ? k : strlen(put);
		if (n + len >= sizeof(last_msg))
			break;
		memcpy(last_msg + n, put, len);
		n += len;
		k = k ? k : 1;
		msg += k;
		left -= k;
	}
	last_msg[n] = '\0';
}

int pg_error_set(int code, const char *fmt, ...)
{
	pg_buf b = PG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	set_message(b.ptr, 0);
	pg_buf_free(&b);
	last_code = code;
	return code;
}

int pg_error_add_line(const char *fmt, ...)
{
	pg_buf b = PG_BUF_INIT;
	size_t n = strlen(last_msg);
	va_list ap;
	va_start(ap, fmt);
	pg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (n + 2 < sizeof(last_msg)) {
		last_msg[n++] = '\n';
		set_message(b.ptr, n);
	}
	pg_buf_free(&b);
	return last_code;
}

int pg_error_wrap(int code, const char *fmt, ...)
{
	pg_buf b = PG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pg_buf_printf(&b, ": %s", last_msg);
	set_message(b.ptr, 0);
	pg_buf_free(&b);
	last_code = code;
	return code;
}

const char *pg_error_last(void)
{
	return last_msg[0] ? last_msg : "unknown error";
}

int pg_error_code(void)
{
	return last_code;
}

void pg_error_clear(void)
{
	last_msg[0] = '\0';
	last_code = 0;
}

int pg_error_exit_status(int code)
{
	switch (code) {
	case PG_OK:
		return PG_EXIT_PASS;
	case PG_EUSAGE:
	case PG_ECONFIG:
		return PG_EXIT_USAGE;
	default:
		return PG_EXIT_RUNTIME;
	}
}

void pg_warn_set_handler(pg_warn_fn fn, void *payload)
{
	warn_fn = fn;
	warn_payload = payload;
}

void pg_warn(const char *fmt, ...)
{
	pg_buf b = PG_BUF_INIT;
	va_list ap;
	if (!warn_fn)
		return;
	va_start(ap, fmt);
	pg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	warn_fn(b.ptr, warn_payload);
	pg_buf_free(&b);
}
