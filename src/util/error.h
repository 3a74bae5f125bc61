/*
 * error.h - error codes and the one place error details live.
 *
 * Library functions that can fail return an int: 0 on success or one of
 * the negative PG_E* codes below, after recording a one-line message with
 * pg_error_set().  The CLI reads it back with pg_error_last() and maps the
 * code to an exit status with pg_error_exit_status().  Codes are only ever
 * appended, never renumbered.
 *
 * Warnings (a corrupt history file skipped, a shallow clone) are not errors:
 * modules report them through pg_warn(), which hands them to the handler the
 * CLI installed; modules themselves never print.
 */
#ifndef PG_ERROR_H
#define PG_ERROR_H

enum {
	PG_OK = 0,
	PG_EUSAGE = -1,    /* bad command line */
	PG_ECONFIG = -2,   /* malformed or invalid configuration */
	PG_ERUNTIME = -3,  /* environment problem: no repo, unreadable store */
	PG_ENOTFOUND = -4, /* a thing looked up does not exist */
	PG_ECORRUPT = -5,  /* a data file is malformed */
	PG_EBENCH = -6,    /* a benchmark failed (crash, exit code, timeout) */
	PG_EINTERRUPT = -7 /* interrupted by a signal (Ctrl-C) */
};

/* Exit statuses, documented in perfgate(1) and the README. */
enum {
	PG_EXIT_PASS = 0,
	PG_EXIT_GATE_FAILED = 1,
	PG_EXIT_USAGE = 2,   /* usage or configuration error */
	PG_EXIT_RUNTIME = 3  /* runtime error */
};

/* Records the message for `code` and returns `code`, so that
 * `return pg_error_set(PG_ECONFIG, "...")` reads naturally. */
int pg_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends one more line to the current message (an error that is a list
 * of problems, one per line); the line is made printable like every
 * message, so input quoted in it can never start a line of its own.
 * Returns the current code. */
int pg_error_add_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prefixes the current message with more context: "ctx: old message". */
int pg_error_wrap(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *pg_error_last(void);
int pg_error_code(void);
void pg_error_clear(void);
int pg_error_exit_status(int code);

typedef void (*pg_warn_fn)(const char *msg, void *payload);
void pg_warn_set_handler(pg_warn_fn fn, void *payload);
void pg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
