/*
 * perfgate/bench.h - perfgate's micro-benchmark harness.
 *
 *   #include <perfgate/bench.h>
 *
 *   PG_BENCH(hash_64b) {
 *       uint8_t buf[64] = {0};
 *       PG_BENCH_LOOP(st) pg_bench_keep(hash(buf, 64));
 *   }
 *   PG_BENCH_ARGS(sort_n, 1000, 100000) {
 *       size_t n = (size_t)pg_bench_arg(st);
 *       int *v = make_data(n);                  // set-up: not timed
 *       PG_BENCH_LOOP(st) {
 *           pg_bench_pause(st); shuffle(v, n); pg_bench_resume(st);
 *           sort(v, n);
 *           pg_bench_clobber();
 *       }
 *       pg_bench_counter(st, "items", (double)n);  // items per op -> items/s
 *       free(v);
 *   }
 *   PG_BENCH_MAIN()
 *
 * Benchmarks register themselves when the program loads (no list to keep by
 * hand).  Each body receives `st`, the benchmark's state.  Only the
 * PG_BENCH_LOOP is timed; code before and after it is set-up and teardown.
 * The harness calibrates the iteration count until one repetition takes at
 * least --min-time seconds (default 0.1), then records --repetitions (10)
 * samples of nanoseconds per iteration.
 *
 * Flags of the program PG_BENCH_MAIN() makes: --list, --filter REGEX,
 * --min-time SECONDS, --repetitions N, --format term|json.  The JSON is the
 * "perfgate-bench" format that `perfgate run` reads for a benchmark with
 * "format": "perfgate" (docs/bench-json.md).
 *
 * Link with -lperfgate_bench (pkg-config perfgate-bench), or in CMake
 * find_package(perfgate-bench 0.1) and link perfgate::perfgate_bench.
 */
#ifndef PERFGATE_BENCH_H
#define PERFGATE_BENCH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pg_bench_state pg_bench_state;
typedef void (*pg_bench_fn)(pg_bench_state *st);

/* The state every PG_BENCH body receives.  Fields are the harness's; use
 * the functions below. */
struct pg_bench_state {
	uint64_t iterations;   /* iterations of this repetition */
	uint64_t left;         /* iterations still to run */
	int64_t arg;           /* the current PG_BENCH_ARGS value */
	uint64_t start_ns;     /* timer start while running */
	uint64_t elapsed_ns;   /* accumulated timed nanoseconds */
	int running;           /* timer running */
	void *priv;            /* harness bookkeeping (counters) */
};

void pg_bench_register(const char *name, pg_bench_fn fn, const int64_t *args, int nargs);
int pg_bench_main(int argc, char **argv);

void pg_bench_loop_start(pg_bench_state *st);
void pg_bench_loop_stop(pg_bench_state *st);
/* Excludes work inside the loop from the timing (per-iteration set-up). */
void pg_bench_pause(pg_bench_state *st);
void pg_bench_resume(pg_bench_state *st);
/* The parameter of a PG_BENCH_ARGS benchmark. */
static inline int64_t pg_bench_arg(const pg_bench_state *st) { return st->arg; }
/* Reports `per_op` units of NAME per iteration; the harness turns it into a
 * throughput metric NAME_per_second (higher is better).  NAME is copied:
 * the caller's buffer may be reused once this returns.  At most 8 counters
 * per benchmark; calling again with the same NAME replaces its value. */
void pg_bench_counter(pg_bench_state *st, const char *name, double per_op);

static inline int pg_bench_loop_continue(pg_bench_state *st)
{
	if (st->left) {
		st->left--;
		return 1;
	}
	pg_bench_loop_stop(st);
	return 0;
}

/* The compiler must assume `value` is read: its computation cannot be
 * deleted, even at -O3 with the function inlined. */
#define pg_bench_keep(value)                                                       \
	do {                                                                       \
		__typeof__(value) pg_bench_kept_ = (value);                        \
		__asm__ __volatile__("" : : "r,m"(pg_bench_kept_) : "memory");      \
	} while (0)

/* The compiler must assume `var` (an lvalue) was changed here, so work on
 * it cannot be hoisted out of the loop or folded at compile time. */
#define pg_bench_opaque(var) __asm__ __volatile__("" : "+r,m"(var) : : "memory")

/* The compiler must assume all memory was read and written here. */
#define pg_bench_clobber() __asm__ __volatile__("" : : : "memory")

#define PG_BENCH_LOOP(st) for (pg_bench_loop_start(st); pg_bench_loop_continue(st);)

#define PG_BENCH(name)                                                              \
	static void pg_bench_body_##name(pg_bench_state *st);                       \
	__attribute__((constructor)) static void pg_bench_add_##name(void)          \
	{                                                                           \
		pg_bench_register(#name, pg_bench_body_##name, 0, 0);               \
	}                                                                           \
	static void pg_bench_body_##name(pg_bench_state *st)

#define PG_BENCH_ARGS(name, ...)                                                    \
	static void pg_bench_body_##name(pg_bench_state *st);                       \
	static const int64_t pg_bench_args_##name[] = { __VA_ARGS__ };              \
	__attribute__((constructor)) static void pg_bench_add_##name(void)          \
	{                                                                           \
		pg_bench_register(#name, pg_bench_body_##name, pg_bench_args_##name, \
				  (int)(sizeof(pg_bench_args_##name) /             \
					sizeof(pg_bench_args_##name[0])));          \
	}                                                                           \
	static void pg_bench_body_##name(pg_bench_state *st)

#define PG_BENCH_MAIN()                                                             \
	int main(int argc, char **argv) { return pg_bench_main(argc, argv); }

#ifdef __cplusplus
}
#endif

#endif
