/*
 * runner_describe.c - the one line that describes a failed run
 * (pg_proc_describe() in runner.h).
 *
 * The gist of a failed command's output: its last GIST_LINES non-empty
 * lines, oldest first, joined by " | ".  When none of them reads like an
 * error but an earlier line does (a usage text printed after "unknown
 * option"), the first such line leads, then " | ... | " and the last
 * GIST_LINES - 1 lines.  Each line is what a terminal would show (the text
 * after its last carriage return), without colour codes, with other
 * control and non-ASCII bytes as '?', cut at GIST_LINE_MAX characters.
 */
#define _GNU_SOURCE /* strsignal */
#include "runner.h"

#include <signal.h>
#include <string.h>

#define GIST_LINES 5
#define GIST_LINE_MAX 120

typedef struct span {
	const char *p, *end;
} span;

/* The non-empty line before *cursor; moves *cursor to its start. */
static int prev_line(const char *lo, const char **cursor, span *line)
{
	while (*cursor > lo) {
		const char *end = *cursor, *start = end;
		while (start > lo && start[-1] != '\n')
			start--;
		*cursor = start > lo ? start - 1 : lo;
		while (end > start && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			end--;
		for (const char *q = end; q > start; q--)
			if (q[-1] == '\r') {
				start = q;
				break;
			}
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		if (start < end) {
			line->p = start;
			line->end = end;
			return 1;
		}
	}
	return 0;
}

static int looks_like_error(span line)
{
	static const char *const words[] = {
		"error", "fatal", "invalid", "incorrect", "unknown", "unrecognized",
		"unrecognised", "illegal", "cannot", "can't", "could not", "failed",
		"not found", "no such", "denied", "panic", "exception",
	};
	char low[256];
	size_t n = 0;
	for (const char *p = line.p; p < line.end && n < sizeof(low) - 1; p++)
		low[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strstr(low, words[i]))
			return 1;
	return 0;
}

static void put_line(pg_buf *out, span line)
{
	size_t len = (size_t)(line.end - line.p), i = 0, shown = 0;
	const unsigned char *s = (const unsigned char *)line.p;
	while (i < len && shown < GIST_LINE_MAX) {
		if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '[') {
			/* a CSI sequence (colours): parameters, then a final byte */
			for (i += 2; i < len && !(s[i] >= 0x40 && s[i] <= 0x7e); i++)
				;
			i++;
			continue;
		}
		pg_buf_putc(out, s[i] == '\t' ? ' ' : s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?');
		shown++;
		i++;
	}
	if (i < len)
		pg_buf_puts(out, "...");
}

/* Appends ": <gist>"; 0 if the tail has no non-empty line. */
static int append_gist(pg_buf *out, const pg_buf *tail)
{
	const char *lo = tail->ptr, *cursor = tail->ptr + tail->len, *nl;
	span last[GIST_LINES], line, lead = { NULL, NULL };
	size_t n = 0;
	int error_seen = 0;
	/* a full tail starts in the middle of a line */
	if (tail->len >= PG_PROC_TAIL && (nl = memchr(lo, '\n', tail->len)))
		lo = nl + 1;
	while (n < GIST_LINES && prev_line(lo, &cursor, &last[n]))
		error_seen |= looks_like_error(last[n++]);
	if (!n)
		return 0;
	if (!error_seen && n == GIST_LINES)
		while (prev_line(lo, &cursor, &line))
			if (looks_like_error(line))
				lead = line; /* the earliest wins */
	pg_buf_puts(out, ": ");
	if (lead.p) {
		put_line(out, lead);
		pg_buf_puts(out, " | ... | ");
		n = GIST_LINES - 1;
	}
	while (n--) {
		put_line(out, last[n]);
		if (n)
			pg_buf_puts(out, " | ");
	}
	return 1;
}

static const char *stop_signal_name(int sig)
{
	switch (sig) {
	case SIGSTOP: return "SIGSTOP";
	case SIGTSTP: return "SIGTSTP";
	case SIGTTIN: return "SIGTTIN";
	case SIGTTOU: return "SIGTTOU";
	default: return strsignal(sig);
	}
}

void pg_proc_describe(pg_buf *out, const pg_proc_result *res, double timeout)
{
	switch (res->status) {
	case PG_PROC_OK:
		pg_buf_puts(out, "succeeded");
		return;
	case PG_PROC_EXIT:
		pg_buf_printf(out, "exited with status %d", res->code);
		break;
	case PG_PROC_SIGNAL:
		pg_buf_printf(out, "killed by signal %d (%s)", res->code, strsignal(res->code));
		break;
	case PG_PROC_STOPPED:
		pg_buf_printf(out, "stopped by signal %d (%s)", res->code, stop_signal_name(res->code));
		break;
	case PG_PROC_TIMEOUT:
		pg_buf_printf(out, "timed out after %gs (raise \"timeout\" if that is expected)", timeout);
		break;
	case PG_PROC_EXEC_FAILED:
		pg_buf_printf(out, "could not %s: %s", res->stage, strerror(res->code));
		return;
	case PG_PROC_INTERRUPTED:
		pg_buf_puts(out, "interrupted");
		return;
	}
	if (!append_gist(out, &res->err_tail))
		append_gist(out, &res->out_tail);
}
