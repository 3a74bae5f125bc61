/*
 * callgrind.h - reading valgrind's callgrind output files (the "callgrind
 * format", valgrind's docs/cl-format), for `perfgate explain`: the
 * instructions executed (event Ir) per function, self and inclusive.
 *
 * The file comes from a process the pull request controls: it is parsed as
 * hostile input.  Name compression ("fn=(12) name", then "fn=(12)"),
 * relative positions ("+3", "-1", "*"), several parts, any positions
 * ("line", "instr line") and events (Ir found by name) are understood;
 * anything else that is not a comment, header, empty line or known
 * specification ("jump=", "jcnd=", "ob=", ...) is an error naming the
 * line.  Costs saturate at UINT64_MAX instead of wrapping.
 */
#ifndef PG_CALLGRIND_H
#define PG_CALLGRIND_H

#include <stddef.h>
#include <stdint.h>

#define PG_CG_NAME_MAX 4096     /* bytes of a function or file name */
#define PG_CG_ID_MAX (1 << 22)  /* compressed name ids */

typedef struct pg_cg_fn {
	char *name;        /* as callgrind names it (demangled when it could) */
	char *file;        /* its source file, or "???" */
	long line;         /* the first line with a cost, 0 when unknown */
	uint64_t self;     /* Ir executed in the function itself */
	uint64_t incl;     /* self + Ir of the calls it made */
} pg_cg_fn;

typedef struct pg_cg_profile {
	pg_cg_fn *fns;     /* one per function name (parts and objects merged) */
	size_t n, alloc;
	uint64_t total;    /* every self cost */
	uint64_t unnamed;  /* self cost of functions callgrind knows only by
			    * address ("0x..."): no symbols */
	/* internal: the name index */
	size_t *index;
	size_t index_size;
} pg_cg_profile;

/* Parses `len` bytes of `text` (need not end in NUL) into `out`, which the
 * caller frees with pg_callgrind_free() in every case.  PG_ECORRUPT with
 * "<where>:<line>: ..." when the text is not callgrind output. */
int pg_callgrind_parse(pg_cg_profile *out, const char *text, size_t len, const char *where);
void pg_callgrind_free(pg_cg_profile *p);
/* Adds `from`'s counts into `into` (function by function, by name): the
 * files of one run's processes (--trace-children). */
void pg_callgrind_merge(pg_cg_profile *into, const pg_cg_profile *from);
/* The function named `name`, or NULL. */
const pg_cg_fn *pg_callgrind_find(const pg_cg_profile *p, const char *name);

#endif
