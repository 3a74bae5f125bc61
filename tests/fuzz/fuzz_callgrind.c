/*
 * fuzz_callgrind.c - fuzz target: callgrind output (pg_callgrind_parse),
 * written by a process the pull request controls (`perfgate explain`).
 * A profile it accepts must hold what explain relies on: every function
 * named, found by its name, self cost within inclusive cost and the
 * total; the merge of a profile into an empty one gives the same counts.
 */
#include "callgrind.h"
#include "error.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pg_cg_profile p, m;
	if (pg_callgrind_parse(&p, (const char *)data, size, "callgrind.out") < 0) {
		fz_check_error();
		pg_callgrind_free(&p);
		return 0;
	}
	uint64_t sum = 0;
	for (size_t i = 0; i < p.n; i++) {
		const pg_cg_fn *f = &p.fns[i];
		FZ_ASSERT(f->name && f->file && strlen(f->name) <= PG_CG_NAME_MAX);
		FZ_ASSERT(pg_callgrind_find(&p, f->name) == f);
		FZ_ASSERT(f->self <= f->incl);
		FZ_ASSERT(f->line >= 0);
		sum = sum > UINT64_MAX - f->self ? UINT64_MAX : sum + f->self;
	}
	FZ_ASSERT(sum == p.total && p.unnamed <= p.total);
	memset(&m, 0, sizeof(m));
	pg_callgrind_merge(&m, &p);
	FZ_ASSERT(m.n == p.n && m.total == p.total && m.unnamed == p.unnamed);
	for (size_t i = 0; i < p.n; i++) {
		const pg_cg_fn *g = pg_callgrind_find(&m, p.fns[i].name);
		FZ_ASSERT(g && g->self == p.fns[i].self && g->incl == p.fns[i].incl);
	}
	pg_callgrind_free(&m);
	pg_callgrind_free(&p);
	return 0;
}
