/*
 * harness_bench.c - a benchmark program built at -O3 with perfgate's
 * harness, run by test_harness.c to prove the barriers really work.
 */
#include <perfgate/bench.h>

/* Pure and expensive: a compiler may delete a call whose result is unused. */
__attribute__((const, noinline)) static uint64_t mix(uint64_t x)
{
	for (int i = 0; i < 200; i++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return x;
}

PG_BENCH(kept)
{
	uint64_t x = 42;
	PG_BENCH_LOOP(st) {
		pg_bench_opaque(x);
		pg_bench_keep(mix(x));
	}
}

PG_BENCH(deleted)
{
	uint64_t x = 42;
	PG_BENCH_LOOP(st) {
		pg_bench_opaque(x);
		(void)mix(x); /* no barrier: the call goes */
	}
}

PG_BENCH_ARGS(with_setup, 10, 1000)
{
	int64_t n = pg_bench_arg(st);
	uint64_t x = 1;
	PG_BENCH_LOOP(st) {
		pg_bench_pause(st);
		for (int64_t i = 0; i < n * 100; i++) /* untimed set-up */
			pg_bench_opaque(x);
		pg_bench_resume(st);
		pg_bench_keep(x + 1);
	}
	pg_bench_counter(st, "items", (double)n);
}

PG_BENCH_MAIN()
