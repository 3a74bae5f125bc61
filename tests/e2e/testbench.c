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
 *   pg_testbench synth FILE [NAME]
 *                             measures nothing: prints perfgate harness JSON
 *                             (result NAME, default "op") whose samples are
 *                             drawn from a seeded distribution with the mean
 *                             in FILE (ms), so every statistical decision a
 *                             test asserts is known by construction (below)
 *   pg_testbench flood MIB    writes MIB MiB to stdout and stderr, exits 0
 *   pg_testbench fail         prints a reason to stderr and exits 3
 *   pg_testbench crash        aborts (SIGABRT)
 *   pg_testbench hang         sleeps forever
 *   pg_testbench fds          exits 0 if its only open descriptors are 0, 1
 *                             and 2, else lists the others and exits 3
 *   pg_testbench leak MB_PER_S SECONDS
 *                             runs for SECONDS, its resident memory growing
 *                             by MB_PER_S MB (10^6 bytes) per second of wall
 *                             time (allocated and touched every 10 ms, as
 *                             far as the clock says it should be by then,
 *                             so a starved process catches up), then exits 0
 *   pg_testbench grab-tty PATH
 *                             does what a program that takes a terminal
 *                             does: opens PATH, ignores SIGTTOU, turns echo,
 *                             canonical mode and signals off (stty raw
 *                             -echo) and makes its process group the
 *                             foreground one; says what it could not do on
 *                             stderr; exits 3 if it could not open PATH, else 0
 */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <errno.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

/* ---- synth ---------------------------------------------------------------
 * $PG_TESTBENCH_SAMPLES samples (default 5), each
 *     mean * $PG_TESTBENCH_SCALE * (1 + $PG_TESTBENCH_JITTER * z)
 * with z standard normal (jitter default 0.02), from a xorshift64* generator
 * seeded by $PG_TESTBENCH_SEED (default 1) and this invocation's number: a
 * counter kept in the file $PG_TESTBENCH_COUNTER (locked, so A/B pairs and
 * bisect probes draw fresh noise each time, in an order fixed by the test).
 * The same seed and the same sequence of invocations give the same numbers
 * on any machine, loaded or not. */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static double rng_uniform(void) /* in (0, 1) */
{
	return ((double)(rng_next() >> 11) + 0.5) / 9007199254740992.0;
}

static double rng_normal(void)
{
	double u1 = rng_uniform(), u2 = rng_uniform();
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* This invocation's number: the counter file's value, incremented. */
static unsigned long next_invocation(void)
{
	const char *path = getenv("PG_TESTBENCH_COUNTER");
	char buf[32] = "";
	unsigned long n = 0;
	if (!path || !*path)
		return 0;
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		fprintf(stderr, "pg_testbench: cannot open the counter %s\n", path);
		exit(2);
	}
	ssize_t got = read(fd, buf, sizeof(buf) - 1);
	if (got > 0)
		n = strtoul(buf, NULL, 10);
	snprintf(buf, sizeof(buf), "%lu\n", n + 1);
	if (lseek(fd, 0, SEEK_SET) < 0 || ftruncate(fd, 0) < 0 ||
	    write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf)) {
		fprintf(stderr, "pg_testbench: cannot update the counter %s\n", path);
		exit(2);
	}
	close(fd);
	return n;
}

static double env_number(const char *name, double dflt)
{
	const char *v = getenv(name);
	return v && *v ? atof(v) : dflt;
}

static int synth(const char *file, const char *name);
static int list_fds(void);
static int grab_tty(const char *path);

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

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int leak(double mb_per_s, double seconds)
{
	double start = now_s(), leaked = 0;
	struct timespec tick = { 0, 10000000 };
	for (double t = 0; t < seconds; t = now_s() - start) {
		double due = mb_per_s * 1e6 * t;
		if (due - leaked >= 4096) {
			size_t n = (size_t)(due - leaked);
			char *p = malloc(n);
			if (!p)
				return 3;
			memset(p, 1, n); /* resident, not just reserved */
			leaked += (double)n;
		}
		nanosleep(&tick, NULL);
	}
	return 0;
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
	if (!strcmp(mode, "synth") && argc > 2)
		return synth(argv[2], argc > 3 ? argv[3] : "op");
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
	if (!strcmp(mode, "fds"))
		return list_fds();
	if (!strcmp(mode, "grab-tty") && argc > 2)
		return grab_tty(argv[2]);
	if (!strcmp(mode, "leak") && argc > 3)
		return leak(atof(argv[2]), atof(argv[3]));
	fprintf(stderr, "usage: pg_testbench sleep|spin|synth FILE | flood MIB | fail | crash | hang | "
		"fds | grab-tty PATH | leak MB_PER_S SECONDS\n");
	return 2;
}

static int synth(const char *file, const char *name)
{
	double mean_ns = read_number(file) * 1e6 * env_number("PG_TESTBENCH_SCALE", 1);
	double jitter = env_number("PG_TESTBENCH_JITTER", 0.02);
	long n = (long)env_number("PG_TESTBENCH_SAMPLES", 5);
	uint64_t seed = (uint64_t)env_number("PG_TESTBENCH_SEED", 1);
	rng_state = (seed * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)next_invocation() * 0xbf58476d1ce4e5b9ull);
	if (!rng_state)
		rng_state = 1;
	for (int i = 0; i < 8; i++) /* let the seed's bits spread */
		rng_next();
	printf("{\"format\": \"perfgate-bench\", \"version\": 1, \"benchmarks\": [\n"
	       "  {\"name\": \"%s\", \"unit\": \"ns\", \"samples\": [", name);
	for (long i = 0; i < n; i++)
		printf("%s%.3f", i ? ", " : "", mean_ns * (1 + jitter * rng_normal()));
	printf("]}\n]}\n");
	return 0;
}

static int list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int extra = 0;
	if (!d) {
		perror("pg_testbench: /proc/self/fd");
		return 2;
	}
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);
		if (de->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		char target[256] = "";
		char link[300];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		fprintf(stderr, "%s%d (%s)", extra++ ? ", " : "pg_testbench: inherited descriptors: ", fd,
			target);
	}
	closedir(d);
	if (extra)
		fputc('\n', stderr);
	return extra ? 3 : 0;
}

static int grab_tty(const char *path)
{
	struct termios t;
	int fd = open(path, O_RDWR | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "pg_testbench: cannot open %s: %s\n", path, strerror(errno));
		return 3;
	}
	signal(SIGTTOU, SIG_IGN);
	if (tcgetattr(fd, &t) == 0) {
		t.c_lflag &= ~(tcflag_t)(ECHO | ICANON | ISIG);
		if (tcsetattr(fd, TCSANOW, &t) < 0)
			fprintf(stderr, "pg_testbench: cannot change the modes of %s: %s\n", path,
				strerror(errno));
	}
	if (tcsetpgrp(fd, getpgrp()) < 0)
		fprintf(stderr, "pg_testbench: cannot take the foreground of %s: %s\n", path,
			strerror(errno));
	close(fd);
	return 0;
}
