/*
 * fuzz.c - the helpers and oracles of the fuzz targets (see fuzz.h).
 */
#include "fuzz.h"
#include "buf.h"
#include "error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "fuzz: %s:%d: oracle failed: %s\n", file, line, what);
	abort();
}

char *fz_text(const uint8_t *data, size_t size)
{
	char *s = pg_malloc(size + 1);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * An error message is printable text: one line, or, for a file with several
 * problems (perfgate.json), one line per problem - never an empty line, a
 * trailing newline or any other control character.
 */
void fz_check_error(void)
{
	const char *msg = pg_error_last();
	const unsigned char *s = (const unsigned char *)msg;
	for (; *s; s++) {
		if (*s == '\n' && s != (const unsigned char *)msg && s[-1] != '\n' && s[1])
			continue;
		/* C0 controls and DEL; C1 controls are U+0080..U+009F */
		if (*s < 0x20 || *s == 0x7f || (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)) {
			fprintf(stderr, "fuzz: the error message has a control character "
				"or an empty line: %s\n", msg);
			FZ_ASSERT(!"an error message is printable text, one line per problem");
		}
	}
}

static void check_same_metric(const pg_metric_result *a, const pg_metric_result *b)
{
	FZ_ASSERT(!strcmp(a->unit, b->unit));
	FZ_ASSERT(a->higher_is_better == b->higher_is_better);
	FZ_ASSERT(a->samples.n == b->samples.n);
	for (size_t k = 0; k < a->samples.n; k++)
		FZ_ASSERT(a->samples.v[k] == b->samples.v[k]);
}

void fz_check_stored(const pg_run *run)
{
	char *text = pg_run_dump(run);
	json_error_t jerr;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	pg_run *back = NULL;
	if (!doc)
		fprintf(stderr, "fuzz: the stored document is not JSON: %s\n", jerr.text);
	FZ_ASSERT(doc);
	if (pg_run_from_json(&back, doc, "stored run") < 0)
		fprintf(stderr, "fuzz: the stored run does not read back: %s\n", pg_error_last());
	FZ_ASSERT(back);
	FZ_ASSERT(back->nbenches == run->nbenches);
	for (size_t i = 0; i < run->nbenches; i++) {
		const pg_bench_result *a = &run->benches[i], *b = &back->benches[i];
		FZ_ASSERT(!strcmp(a->name, b->name));
		FZ_ASSERT(pg_run_find_bench(back, a->name) == b);
		FZ_ASSERT(a->failed == b->failed);
		FZ_ASSERT(a->nmetrics == b->nmetrics);
		for (size_t m = 0; m < a->nmetrics; m++) {
			const pg_metric_result *bm = pg_bench_find_metric(b, a->metrics[m].name);
			FZ_ASSERT(bm);
			check_same_metric(&a->metrics[m], bm);
		}
	}
	pg_run_free(back);
	json_decref(doc);
	free(text);
}
