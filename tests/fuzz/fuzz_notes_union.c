/*
 * fuzz_notes_union.c - fuzz target: merging the local and the remote
 * version of a note (pg_notes_union), which `perfgate pull` does with
 * whatever the remote holds.  The input is the two notes separated by a
 * NUL byte (no NUL: the input merged with itself).  Oracles: a refusal is
 * a one-line message; a merge parses as a note, is the same whichever side
 * is local, and merging it again with either side changes nothing.
 */
#include "buf.h"
#include "error.h"
#include "fuzz.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_again(const char *merged, const char *side)
{
	pg_buf again = PG_BUF_INIT;
	int bad;
	FZ_ASSERT(pg_notes_union(merged, side, &again, &bad) == 0);
	FZ_ASSERT(!strcmp(again.ptr, merged));
	pg_buf_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	char *a = fz_text(data, nul ? (size_t)(nul - data) : size);
	char *b = nul ? fz_text(nul + 1, size - (size_t)(nul - data) - 1) : pg_strdup(a);
	pg_buf ab = PG_BUF_INIT, ba = PG_BUF_INIT;
	int bad;
	if (pg_notes_union(a, b, &ab, &bad) < 0) {
		FZ_ASSERT(bad == 1 || bad == 2);
		FZ_ASSERT(ab.len == 0);
		fz_check_error();
	} else {
		FZ_ASSERT(pg_notes_union(b, a, &ba, &bad) == 0);
		FZ_ASSERT(!strcmp(ab.ptr, ba.ptr));
		check_again(ab.ptr, a);
		check_again(ab.ptr, b);
	}
	pg_buf_free(&ab);
	pg_buf_free(&ba);
	free(a);
	free(b);
	return 0;
}
