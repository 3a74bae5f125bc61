/*
 * error.c - last-error message and warning dispatch (see error.h).
 */
#include "error.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char last_msg[2048];
static int last_code;
static pg_warn_fn warn_fn;
static void *warn_payload;

int pg_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

int pg_error_wrap(int code, const char *fmt, ...)
{
	pg_buf b = PG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pg_buf_printf(&b, ": %s", last_msg);
	/* Longer messages are cut: one line is what the user reads anyway. */
	size_t n = b.len < sizeof(last_msg) - 1 ? b.len : sizeof(last_msg) - 1;
	memcpy(last_msg, b.ptr, n);
	last_msg[n] = '\0';
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
