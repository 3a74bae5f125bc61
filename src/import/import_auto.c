/*
 * import_auto.c - `--format auto`: the format is the one importer of the
 * table that reads the input; none or several is an error that says what
 * each format tried found (see pg_import_auto in import.h); and, when a
 * named format fails, which format the input looks like (pg_import_suggest).
 */
#include "buf.h"
#include "error.h"
#include "import.h"
#include "utf8.h"

#include <string.h>

/* One line per format is kept short enough that the whole list fits in
 * one error message (error.c keeps 2 KiB) with every format of the table:
 * 25 formats of 80 bytes, and the input's name (at most 120 bytes).
 * test_auto__none_or_several checks that every format has its line. */
#define REASON_MAX 60

/* Why format `f` failed, without the "WHERE: " every message starts with
 * (the first line of the list names the input once) nor the "not FORMAT
 * output: " most do. */
static void add_reason(pg_buf *reasons, pg_import_format f, const char *where)
{
	const char *msg = pg_error_last();
	size_t n = strlen(where);
	const char *rest;
	if (!strncmp(msg, where, n) && !strncmp(msg + n, ": ", 2))
		msg += n + 2;
	/* "not gbench JSON output: DETAIL": the line names the format already */
	if (!strncmp(msg, "not ", 4) && (rest = strstr(msg, " output: ")) && rest - msg < 80)
		msg = rest + 9;
	pg_buf_printf(reasons, "%s: ", pg_import_format_name(f));
	pg_utf8_printable(reasons, msg, REASON_MAX);
	pg_buf_putc(reasons, '\0');
}

int pg_import_auto(pg_run *out, const char *where, int dir, pg_import_attempt_fn attempt,
		   void *payload)
{
	pg_buf reasons = PG_BUF_INIT, matched = PG_BUF_INIT, shown = PG_BUF_INIT;
	int nmatched = 0, ntried = 0, winner = 0, err;
	for (int f = 1; f < pg_import_format_count(); f++) {
		if (dir && !pg_import_reads_dir((pg_import_format)f))
			continue;
		pg_run *scratch = pg_run_new();
		ntried++;
		if (attempt(scratch, (pg_import_format)f, payload) == 0) {
			pg_buf_printf(&matched, "%s%s", nmatched ? ", " : "",
				      pg_import_format_name((pg_import_format)f));
			nmatched++;
			winner = f;
		} else {
			add_reason(&reasons, (pg_import_format)f, where);
		}
		pg_run_free(scratch);
	}
	pg_utf8_printable(&shown, where, 120);
	if (nmatched == 1) {
		err = attempt(out, (pg_import_format)winner, payload);
	} else if (nmatched > 1) {
		err = pg_error_set(PG_ECORRUPT, "%s: --format auto: %d formats read it (%s); name the "
				   "one it is with --format (or \"format\" in perfgate.json)", shown.ptr,
				   nmatched, matched.ptr);
	} else {
		err = pg_error_set(PG_ECORRUPT, "%s: --format auto: no format reads it; tried %d%s:",
				   shown.ptr, ntried, dir ? " that read a directory" : "");
		for (const char *p = reasons.ptr; p && p < reasons.ptr + reasons.len; p += strlen(p) + 1)
			pg_error_add_line("  %s", p);
	}
	pg_buf_free(&reasons);
	pg_buf_free(&matched);
	pg_buf_free(&shown);
	return err;
}

int pg_import_suggest(int err, pg_import_format failed, pg_import_attempt_fn attempt,
		      void *payload)
{
	pg_buf msg = PG_BUF_INIT, matched = PG_BUF_INIT;
	int n = 0;
	if (err != PG_ECORRUPT)
		return err;
	pg_buf_puts(&msg, pg_error_last());
	for (int f = 1; f < pg_import_format_count(); f++) {
		if (f == (int)failed)
			continue;
		pg_run *scratch = pg_run_new();
		if (attempt(scratch, (pg_import_format)f, payload) == 0)
			pg_buf_printf(&matched, "%s%s", n++ ? " or " : "",
				      pg_import_format_name((pg_import_format)f));
		pg_run_free(scratch);
	}
	if (n == 1)
		pg_error_set(err, "%s (it looks like %s output: use --format %s)", msg.ptr,
			     matched.ptr, matched.ptr);
	else if (n > 1)
		pg_error_set(err, "%s (it looks like %s output: name the one it is with --format)",
			     msg.ptr, matched.ptr);
	else
		pg_error_set(err, "%s", msg.ptr);
	pg_buf_free(&msg);
	pg_buf_free(&matched);
	return err;
}
