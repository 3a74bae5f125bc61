/*
 * testbench.c - the benchmark program the end-to-end tests measure.
 *
 *   pg_testbench sleep FILE   sleeps for the number of milliseconds in FILE
 *                             (so a committed file sets the cost), times
 *                             $PG_TESTBENCH_SCALE if set (a "machine speed",
 *                             to inject drift between CI jobs), and by
 *                             (1 + N(0, $PG_TESTBENCH_JITTER)) per run if set
 *                             (run-to-run noise)
 *   pg_testbench spin FILE    burns CPU for N million loop iterations
 *   pg_testbench flood MIB    writes MIB MiB to stdout and stderr, exits 0
 *   pg_testbench fail         prints a reason to stderr and exits 3
 *   pg_testbench crash        aborts (SIGABRT)
 *   pg_testbench hang         sleeps forever
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double read_number(const char *file)
{
	double v = 0;
	FILE *f = fopen(file, "r");
	if (!f || fscanf(f, "%lf", &v) != 1) {
		fprintf(stderr, "pg_testbench: cannot read a number from %s\n", file);
		exit(2);
	}
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "sleep") && argc > 2) {
		const char *scale = getenv("PG_TESTBENCH_SCALE"), *jitter = getenv("PG_TESTBENCH_JITTER");
		double ms = read_number(argv[2]) * (scale ? atof(scale) : 1.0);
		if (jitter) {
			/* Box-Muller: one standard normal draw */
			struct timespec now;
			clock_gettime(CLOCK_REALTIME, &now);
			srand((unsigned)now.tv_nsec ^ (unsigned)getpid() << 16);
			double u1 = (rand() + 1.0) / (RAND_MAX + 2.0), u2 = (rand() + 1.0) / (RAND_MAX + 2.0);
			ms *= 1 + atof(jitter) * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
		}
		struct timespec ts = { (time_t)(ms / 1000), (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6) };
		while (nanosleep(&ts, &ts) != 0)
			;
		return 0;
	}
	if (!strcmp(mode, "spin") && argc > 2) {
		volatile unsigned long x = 0;
		unsigned long n = (unsigned long)(read_number(argv[2]) * 1e6);
		for (unsigned long i = 0; i < n; i++)
			x += i ^ (x >> 3);
		return 0;
	}
	if (!strcmp(mode, "flood") && argc > 2) {
		static char buf[1 << 16];
		memset(buf, 'x', sizeof(buf));
		long chunks = atol(argv[2]) * 16;
		for (long i = 0; i < chunks; i++) {
			fwrite(buf, 1, sizeof(buf), stdout);
			fwrite(buf, 1, sizeof(buf), stderr);
		}
		return 0;
	}
	if (!strcmp(mode, "fail")) {
		fprintf(stderr, "pg_testbench: deliberate failure\n");
		return 3;
	}
	if (!strcmp(mode, "crash"))
		abort();
	if (!strcmp(mode, "hang"))
		for (;;)
			pause();
	fprintf(stderr, "usage: pg_testbench sleep|spin FILE | flood MIB | fail | crash | hang\n");
	return 2;
}
