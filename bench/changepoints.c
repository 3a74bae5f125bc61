/*
 * bench/changepoints.c - how well change points are found, on synthetic
 * series whose truth is known by construction (README, "Change points").
 *
 *   perfgate_changepoints [TRIALS] [NOISE_PCT]
 *
 * Each trial is a 1,000-commit series around 100 with NOISE_PCT % normal
 * noise per commit (default 3):
 *   flat     no change at all;
 *   step S   steps of S % (2, 5, 10) every 100 commits (at 100, ..., 900),
 *            up or down at random;
 *   drift    three ramps of 0.5 % per commit over 20 commits (at 200, 500
 *            and 800; 10 % each), up or down at random.
 * For perfgate's method (changepoint.h) and for the plain 3-sigma rule
 * (each commit against the mean and sd of the 20 before it, as the gate's
 * default window; consecutive flags counted once, at the first), it prints
 * the recall within +-1 and +-5 commits, the mean location error of the
 * steps found within +-5, false change points per 1,000 commits (found
 * more than 5 commits from any true change; for a ramp, from its ends), and
 * the time per series.  "oracle" is the least-squares split between the
 * neighbouring true steps: the best location any method can give.
 * Deterministic: fixed seeds.
 */
#include "changepoint.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N 1000
#define MAX_TRUTH 16

typedef struct truth {
	size_t lo[MAX_TRUTH], hi[MAX_TRUTH]; /* a change anywhere in [lo, hi] */
	size_t n;
} truth;

typedef struct tally {
	size_t truths, within1, within5, found_any, falses, series;
	double err_sum, seconds;
} tally;

static double normal(pg_rng *r)
{
	double u = ((double)(pg_rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
	double v = ((double)(pg_rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* kind: 0 flat, 1 steps of `size` %, 2 ramps. */
static void make_series(double *x, truth *t, int kind, double size, double noise, pg_rng *r)
{
	double level = 100;
	size_t next = 0;
	t->n = 0;
	for (size_t i = 0; i < N; i++) {
		if (kind == 1 && i > 0 && i % 100 == 0) {
			level *= 1 + (pg_rng_next(r) & 1 ? size : -size) / 100;
			t->lo[t->n] = t->hi[t->n] = i;
			t->n++;
		}
		if (kind == 2 && (i == 200 || i == 500 || i == 800)) {
			t->lo[t->n] = i;
			t->hi[t->n] = i + 19;
			t->n++;
			next = i + 20;
			size = pg_rng_next(r) & 1 ? 0.5 : -0.5;
		}
		if (kind == 2 && next && i < next)
			level *= 1 + size / 100;
		x[i] = level * (1 + noise / 100 * normal(r));
	}
}

static size_t dist(size_t a, size_t lo, size_t hi)
{
	return a < lo ? lo - a : a > hi ? a - hi : 0;
}

static void score(const size_t *found, size_t nf, const truth *t, tally *ty)
{
	for (size_t k = 0; k < t->n; k++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < nf; i++)
			if (dist(found[i], t->lo[k], t->hi[k]) < best)
				best = dist(found[i], t->lo[k], t->hi[k]);
		ty->truths++;
		ty->within1 += best <= 1;
		ty->within5 += best <= 5;
		if (best <= 5)
			ty->err_sum += (double)best;
	}
	for (size_t i = 0; i < nf; i++) {
		int near = 0;
		for (size_t k = 0; k < t->n; k++)
			near |= dist(found[i], t->lo[k], t->hi[k]) <= 5;
		ty->falses += !near;
	}
	ty->series++;
}

static size_t run_method(const double *x, size_t *found)
{
	pg_cp_options o = PG_CP_OPTIONS_DEFAULT;
	pg_cp *cps;
	if (getenv("CP_MAX_P"))
		o.max_p = atof(getenv("CP_MAX_P"));
	if (getenv("CP_MIN_SIZE"))
		o.min_size = (size_t)atoi(getenv("CP_MIN_SIZE"));
	size_t n = 0;
	if (pg_cp_detect(x, N, &o, &cps, &n) < 0) {
		fprintf(stderr, "pg_cp_detect failed\n");
		exit(3);
	}
	for (size_t i = 0; i < n; i++)
		found[i] = cps[i].index;
	free(cps);
	return n;
}

static size_t run_sigma(const double *x, size_t *found)
{
	const size_t w = 20;
	size_t n = 0;
	int prev = 0;
	for (size_t i = w; i < N; i++) {
		double mu = pg_stats_mean(x + i - w, w), sd = pg_stats_sd(x + i - w, w);
		int flag = fabs(x[i] - mu) >= 3 * sd;
		if (flag && !prev)
			found[n++] = i;
		prev = flag;
	}
	return n;
}

static size_t run_oracle(const double *x, const truth *t, size_t *found)
{
	for (size_t k = 0; k < t->n; k++) {
		size_t lo = k ? t->lo[k - 1] : 0, hi = k + 1 < t->n ? t->lo[k + 1] : N;
		double best = -1;
		size_t arg = lo;
		for (size_t s = lo + 2; s + 2 <= hi; s++) {
			double a = pg_stats_mean(x + lo, s - lo), b = pg_stats_mean(x + s, hi - s);
			double v = (double)(s - lo) * (double)(hi - s) / (double)(hi - lo) * (a - b) * (a - b);
			if (v > best) {
				best = v;
				arg = s;
			}
		}
		found[k] = arg;
	}
	return t->n;
}

static void print(const char *scenario, const char *method, const tally *ty)
{
	printf("| %-8s | %-9s | %5.1f %% | %5.1f %% | %5.2f | %5.2f | %7.1f |\n", scenario, method,
	       ty->truths ? 100.0 * (double)ty->within1 / (double)ty->truths : 0,
	       ty->truths ? 100.0 * (double)ty->within5 / (double)ty->truths : 0,
	       ty->within5 ? ty->err_sum / (double)ty->within5 : 0,
	       1000.0 * (double)ty->falses / (double)(ty->series * N),
	       1000.0 * ty->seconds / (double)ty->series);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int trials = argc > 1 ? atoi(argv[1]) : 100;
	double noise = argc > 2 ? atof(argv[2]) : 3;
	static const struct {
		const char *name;
		int kind;
		double size;
	} sc[] = { { "flat", 0, 0 }, { "step 2%", 1, 2 }, { "step 5%", 1, 5 },
		   { "step 10%", 1, 10 }, { "drift", 2, 0 } };
	static double x[N];
	static size_t found[N];

	if (trials < 1 || !(noise >= 0)) {
		fprintf(stderr, "usage: %s [TRIALS] [NOISE_PCT]\n", argv[0]);
		return 2;
	}
	printf("%d series of %d commits per scenario, %.1f %% noise per commit\n\n", trials, N, noise);
	printf("| series   | method    | +-1     | +-5     | error | false/1000 | ms/series |\n");
	printf("|----------|-----------|---------|---------|-------|------------|-----------|\n");
	for (size_t s = 0; s < sizeof(sc) / sizeof(sc[0]); s++) {
		tally tm = { 0 }, ts = { 0 }, to = { 0 };
		pg_rng r;
		pg_rng_seed(&r, 1000 + s);
		for (int i = 0; i < trials; i++) {
			truth t;
			double t0;
			make_series(x, &t, sc[s].kind, sc[s].size, noise, &r);
			t0 = now();
			size_t nf = run_method(x, found);
			tm.seconds += now() - t0;
			score(found, nf, &t, &tm);
			t0 = now();
			nf = run_sigma(x, found);
			ts.seconds += now() - t0;
			score(found, nf, &t, &ts);
			if (sc[s].kind == 1) {
				nf = run_oracle(x, &t, found);
				score(found, nf, &t, &to);
			}
		}
		print(sc[s].name, "perfgate", &tm);
		print(sc[s].name, "3-sigma", &ts);
		if (sc[s].kind == 1)
			print(sc[s].name, "oracle", &to);
	}
	return 0;
}
