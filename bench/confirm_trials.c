/*
 * confirm_trials.c - false alarms, detection and cost of the history rule
 * alone, with check --confirm, and of check --ab --adaptive, on the
 * bench/ab_trials.py model of shared CI runners, driving perfgate's own
 * judge code (pg_judge, pg_confirm_screen, pg_judge_ab,
 * pg_ab_answer_is_clear): a simulation, not a measurement of processes.
 *
 * The model: every CI job runs on a machine whose speed is drawn from
 * N(1, DRIFT) (default 2.7 %); every run of the benchmark in it takes
 * speed x (1 + effect) x (1 + N(0, NOISE)) (default 3 %).  Each trial draws
 * a fresh main-branch history of 10 commits (one job each, warm-up then 10
 * runs; window 20, min_history 5, default thresholds 5/10/20 %, sigma 3),
 * then a pull request in a new job: 10 runs judged by history.  With
 * --confirm, when the screen passes, the same job measures the base and the
 * head in 30 interleaved pairs (after one warm-up each; the default for a
 * benchmark under a second) and the A/B verdict replaces the history one.
 * "Flagged" is severity notice or worse.  Extra time is counted in runs of
 * the benchmark beyond the history check's 11 (warm-up included).
 *
 * usage: confirm_trials [SEED] [AA_TRIALS] [REG_TRIALS] [EFFECT] [DRIFT] [NOISE]
 *        (defaults 20261123 200 100 0.10 0.027 0.03; then --adaptive on +7 %
 *        with REG_TRIALS trials)
 */
#include "ab.h"
#include "confirm.h"
#include "judge.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMITS 10
#define RUNS 10
#define PAIRS PG_AB_DEFAULT_PAIRS

static uint64_t rng = 88172645463325252ull;

static double uniform(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return ((double)((rng * 2685821657736338717ull) >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

static double drift = 0.027, noise = 0.03;

static double run_time(double speed, double effect)
{
	return 10e6 * speed * (1 + effect) * (1 + noise * normal());
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int flagged(const pg_verdict *v)
{
	return v->severity >= PG_SEV_NOTICE && v->severity <= PG_SEV_CRITICAL;
}

/* One pull request judged by history: its row in `row`; returns the speed
 * of the pull request's job (its A/B pairs run on the same machine). */
static double history_trial(pg_result_row *row, double effect)
{
	static const pg_thresholds t = PG_THRESHOLDS_DEFAULT;
	double meds[COMMITS], pooled[COMMITS * RUNS], cur[RUNS], tmp[RUNS];
	for (int c = 0; c < COMMITS; c++) {
		double speed = 1 + drift * normal();
		for (int i = 0; i < RUNS; i++)
			pooled[c * RUNS + i] = tmp[i] = run_time(speed, 0);
		meds[c] = median(tmp, RUNS);
	}
	double speed = 1 + drift * normal();
	for (int i = 0; i < RUNS; i++)
		cur[i] = run_time(speed, effect);
	pg_judge_input in = { cur, RUNS, meds, COMMITS, pooled, COMMITS * RUNS, 0, 5, t };
	memset(row, 0, sizeof(*row));
	row->metric = "wall_time";
	pg_judge(&row->v, &in);
	return speed;
}

/* A/B in the same job: `n` pairs, or adaptive (n = 0) up to 100; returns
 * the pairs used. */
static size_t ab_trial(pg_verdict *v, double speed, double effect, size_t n)
{
	static const pg_thresholds t = PG_THRESHOLDS_DEFAULT;
	double head[PG_AB_ADAPTIVE_MAX], base[PG_AB_ADAPTIVE_MAX];
	size_t max = n ? n : PG_AB_ADAPTIVE_MAX, i;
	for (i = 0; i < max; i++) {
		base[i] = run_time(speed, 0);
		head[i] = run_time(speed, effect);
		if (!n && pg_ab_answer_is_clear(head, base, i + 1, 0, &t)) {
			i++;
			break;
		}
	}
	pg_judge_ab(v, head, base, i, 0, &t);
	return i;
}

static void confirm_trials(int trials, double effect)
{
	char effect_name[16];
	snprintf(effect_name, sizeof(effect_name), "%+.0f%%", effect * 100);
	static const pg_thresholds t = PG_THRESHOLDS_DEFAULT;
	int hist = 0, conf = 0, screened = 0;
	double extra = 0;
	for (int k = 0; k < trials; k++) {
		pg_result_row row;
		pg_verdict v;
		double speed = history_trial(&row, effect);
		hist += flagged(&row.v);
		if (!pg_confirm_screen(&row, PG_SEV_NOTICE, &t))
			continue;
		screened++;
		ab_trial(&v, speed, effect, PAIRS);
		conf += flagged(&v);
		extra += 2 + 2 * PAIRS; /* a warm-up and PAIRS runs per side */
	}
	printf("%-5s %3d trials: history alone flags %5.1f %%; screen passes %5.1f %%; with "
	       "--confirm flags %5.1f %%; extra runs per trial %.1f (%.0f %% of the history "
	       "check's %d), none on the %d trials not screened in\n",
	       effect == 0 ? "A/A" : effect_name, trials, 100.0 * hist / trials,
	       100.0 * screened / trials, 100.0 * conf / trials, extra / trials,
	       100 * extra / trials / (RUNS + 1), RUNS + 1, trials - screened);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

static void adaptive_trials(int trials, double effect)
{
	size_t *used = calloc((size_t)trials, sizeof(*used));
	int flag = 0;
	for (int k = 0; k < trials; k++) {
		pg_verdict v;
		used[k] = ab_trial(&v, 1 + drift * normal(), effect, 0);
		flag += flagged(&v);
	}
	qsort(used, (size_t)trials, sizeof(*used), cmp_size);
	printf("check --ab --adaptive, %+.0f %%, %d trials: flagged %.1f %%, pairs median %zu, "
	       "max %zu\n", effect * 100, trials, 100.0 * flag / trials, used[trials / 2],
	       used[trials - 1]);
	free(used);
}

int main(int argc, char **argv)
{
	unsigned long long seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261123ull;
	int aa = argc > 2 ? atoi(argv[2]) : 200, reg = argc > 3 ? atoi(argv[3]) : 100;
	double effect = argc > 4 ? atof(argv[4]) : 0.10;
	drift = argc > 5 ? atof(argv[5]) : drift;
	noise = argc > 6 ? atof(argv[6]) : noise;
	if (aa < 1 || reg < 1 || !(drift >= 0) || !(noise >= 0)) {
		fprintf(stderr, "usage: confirm_trials [SEED] [AA_TRIALS] [REG_TRIALS] [EFFECT] "
				"[DRIFT] [NOISE]\n");
		return 2;
	}
	rng ^= seed * 0x9E3779B97F4A7C15ull;
	printf("model: per-job machine speed N(1, %.1f %%), run-to-run noise %.1f %%, seed %llu\n",
	       drift * 100, noise * 100, seed);
	confirm_trials(aa, 0);
	confirm_trials(reg, effect);
	adaptive_trials(reg, 0.07);
	return 0;
}
