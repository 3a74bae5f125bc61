/*
 * changepoint.c - windowed e-divisive means, confirmed by Student's t-test
 * (changepoint.h says what and why).
 */
#include "changepoint.h"

#include "error.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pg_rng_seed(pg_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t pg_rng_next(pg_rng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

uint64_t pg_rng_below(pg_rng *r, uint64_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound, v;
	do
		v = pg_rng_next(r);
	while (v >= limit);
	return v % bound;
}

/*
 * With left[k] = sum_{i<k} |x_i - x_k| and right[k] = sum_{j>k} |x_k - x_j|,
 * the distances within [0, t) are WL(t) = sum_{k<t} left[k], those within
 * [t, n) are WR(t) = sum_{k>=t} right[k], and those across are the total
 * minus both: every Q(t) in O(n) after O(n^2) for the sums.
 *   Q(t) = a b / n * (2 cross / (a b) - WL / C(a, 2) - WR / C(b, 2)),
 * a = t, b = n - t (Matteson and James, eq. 5 and 6, alpha = 1).
 */
static size_t qscan(const double *x, size_t n, size_t min_size, double *q, double *scratch,
		    double *best_q)
{
	double *left = scratch, *right = scratch + n, total = 0, wl = 0, wr = 0;
	size_t best = 0;

	*best_q = -INFINITY;
	if (n < 2 * min_size)
		return 0;
	memset(scratch, 0, 2 * n * sizeof(double));
	for (size_t k = 1; k < n; k++)
		for (size_t i = 0; i < k; i++) {
			double d = fabs(x[i] - x[k]);
			left[k] += d;
			right[i] += d;
		}
	for (size_t k = 0; k < n; k++)
		total += left[k];
	for (size_t k = 0; k < n; k++)
		wr += right[k];
	for (size_t t = 0; t + min_size <= n; t++) {
		if (t >= min_size) {
			double a = (double)t, b = (double)(n - t);
			double cross = total - wl - wr;
			double e = 2 * cross / (a * b) - wl / (a * (a - 1) / 2) - wr / (b * (b - 1) / 2);
			double qt = a * b / (double)n * e;
			if (q)
				q[t] = qt;
			if (qt > *best_q) {
				*best_q = qt;
				best = t;
			}
		}
		wl += left[t];
		wr -= right[t];
	}
	return best;
}

size_t pg_cp_qscan(const double *x, size_t n, size_t min_size, double *q, double *scratch)
{
	double best_q;
	if (q)
		memset(q, 0, n * sizeof(double));
	return qscan(x, n, min_size, q, scratch, &best_q);
}

typedef struct cp_work {
	const double *x;
	size_t n;
	const pg_cp_options *opt;
	double *perm;    /* window copies for the permutation test */
	double *scratch; /* 2 * window */
	size_t *cand;
	size_t n_cand, cap_cand;
} cp_work;

static int add_candidate(cp_work *w, size_t idx)
{
	if (w->n_cand == w->cap_cand) {
		size_t cap = w->cap_cand ? 2 * w->cap_cand : 64;
		size_t *c = realloc(w->cand, cap * sizeof(*c));
		if (!c)
			return pg_error_set(PG_ERUNTIME, "out of memory finding change points");
		w->cand = c;
		w->cap_cand = cap;
	}
	w->cand[w->n_cand++] = idx;
	return 0;
}

/* Permutation p-value of the largest Q of x[0..n) being `q_obs`; stops as
 * soon as the p-value cannot reach alpha any more. */
static double perm_p(cp_work *w, const double *x, size_t n, double q_obs, pg_rng *rng)
{
	unsigned r = w->opt->permutations, over = 0;
	double limit = w->opt->alpha * (r + 1) - 1, qp;

	memcpy(w->perm, x, n * sizeof(double));
	for (unsigned i = 0; i < r; i++) {
		for (size_t k = n - 1; k > 0; k--) {
			size_t j = (size_t)pg_rng_below(rng, k + 1);
			double t = w->perm[k];
			w->perm[k] = w->perm[j];
			w->perm[j] = t;
		}
		qscan(w->perm, n, w->opt->min_size, NULL, w->scratch, &qp);
		if (qp >= q_obs && ++over > limit)
			return 1;
	}
	return (over + 1.0) / (r + 1.0);
}

/* Recursive bisection of the window [ws, we): at each step the segment
 * with the largest Q is split when its permutation test passes. */
static int scan_window(cp_work *w, size_t ws, size_t we)
{
	size_t max_seg = (we - ws) / w->opt->min_size + 2;
	size_t *bounds = malloc((max_seg + 1) * sizeof(*bounds));
	size_t nb = 2;
	pg_rng rng;
	int err = 0;

	if (!bounds)
		return pg_error_set(PG_ERUNTIME, "out of memory finding change points");
	pg_rng_seed(&rng, w->opt->seed ^ ((uint64_t)ws * 0x9E3779B97F4A7C15ULL));
	bounds[0] = ws;
	bounds[1] = we;
	while (nb < max_seg) {
		double best_q = -INFINITY;
		size_t best_t = 0, best_s = 0;
		for (size_t s = 0; s + 1 < nb; s++) {
			double qs;
			size_t t = qscan(w->x + bounds[s], bounds[s + 1] - bounds[s], w->opt->min_size,
					 NULL, w->scratch, &qs);
			if (t && qs > best_q) {
				best_q = qs;
				best_t = bounds[s] + t;
				best_s = s;
			}
		}
		if (!best_t)
			break;
		if (perm_p(w, w->x + bounds[best_s], bounds[best_s + 1] - bounds[best_s], best_q,
			   &rng) > w->opt->alpha)
			break;
		if ((err = add_candidate(w, best_t)) < 0)
			break;
		memmove(bounds + best_s + 2, bounds + best_s + 1, (nb - best_s - 1) * sizeof(*bounds));
		bounds[best_s + 1] = best_t;
		nb++;
	}
	free(bounds);
	return err;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* Student's two-sided t-test of x[s..m) against x[m..e) with the pooled
 * variance: a short segment's own variance, often small by chance, does not
 * make its p-value (as Welch's would).  1 when a side has fewer than 2
 * values; with no spread at all, 1 for equal means, else 0. */
static double student_p(const double *x, size_t s, size_t m, size_t e)
{
	size_t na = m - s, nb = e - m;
	if (na < 2 || nb < 2)
		return 1;
	double ma = pg_stats_mean(x + s, na), mb = pg_stats_mean(x + m, nb);
	double sa = pg_stats_sd(x + s, na), sb = pg_stats_sd(x + m, nb);
	double df = (double)(na + nb - 2);
	double sp = sqrt(((double)(na - 1) * sa * sa + (double)(nb - 1) * sb * sb) / df);
	if (!(sp > 0))
		return ma == mb ? 1 : 0;
	double t = (mb - ma) / (sp * sqrt(1.0 / (double)na + 1.0 / (double)nb));
	double p = pg_stats_t_p2(t, df);
	return isnan(p) ? 1 : p;
}

/* Fills the statistics of a change at `idx` between neighbours lo and hi
 * (segments capped at `window` commits each side). */
static void describe(const cp_work *w, size_t lo, size_t idx, size_t hi, pg_cp *c)
{
	size_t win = w->opt->window;
	size_t s = idx - lo > win ? idx - win : lo, e = hi - idx > win ? idx + win : hi;

	c->index = idx;
	c->start = s;
	c->end = e;
	c->mean_before = pg_stats_mean(w->x + s, idx - s);
	c->mean_after = pg_stats_mean(w->x + idx, e - idx);
	c->p = student_p(w->x, s, idx, e);
	if (c->mean_before != 0)
		c->change_pct = (c->mean_after - c->mean_before) / fabs(c->mean_before) * 100;
	else
		c->change_pct = c->mean_after == 0 ? 0 : copysign(INFINITY, c->mean_after);
	c->q = 0;
}

static int check_options(const double *x, size_t n, const pg_cp_options *o)
{
	if (o->min_size < 2 || o->window < 4 * o->min_size || o->permutations < 1 ||
	    !(o->alpha > 0 && o->alpha <= 1) || !(o->max_p > 0 && o->max_p <= 1))
		return pg_error_set(PG_EUSAGE, "change points: options out of range");
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return pg_error_set(PG_EUSAGE, "change points: value %zu is not a finite number",
					    i + 1);
	return 0;
}

/* Step 2: drop the weakest candidate while its p exceeds max_p. */
static void confirm(cp_work *w, pg_cp *cps, size_t *k)
{
	while (*k > 0) {
		size_t worst = 0;
		for (size_t i = 0; i < *k; i++) {
			size_t lo = i ? cps[i - 1].index : 0, hi = i + 1 < *k ? cps[i + 1].index : w->n;
			describe(w, lo, cps[i].index, hi, &cps[i]);
			if (cps[i].p > cps[worst].p)
				worst = i;
		}
		if (cps[worst].p <= w->opt->max_p)
			break;
		memmove(cps + worst, cps + worst + 1, (*k - worst - 1) * sizeof(*cps));
		(*k)--;
	}
}

/* Step 3: each change point moves to the largest Q between its neighbours. */
static void relocate(cp_work *w, pg_cp *cps, size_t k)
{
	size_t win = w->opt->window;
	for (size_t i = 0; i < k; i++) {
		size_t lo = i ? cps[i - 1].index : 0, hi = i + 1 < k ? cps[i + 1].index : w->n;
		size_t idx = cps[i].index;
		size_t s = idx - lo > win / 2 ? idx - win / 2 : lo;
		size_t e = hi - idx > win / 2 ? idx + win / 2 : hi;
		double q;
		size_t t = qscan(w->x + s, e - s, w->opt->min_size, NULL, w->scratch, &q);
		if (t)
			cps[i].index = s + t;
		describe(w, lo, cps[i].index, hi, &cps[i]);
		cps[i].q = t ? q : 0;
	}
}

int pg_cp_detect(const double *x, size_t n, const pg_cp_options *opt, pg_cp **out, size_t *n_out)
{
	cp_work w = { x, n, opt, NULL, NULL, NULL, 0, 0 };
	pg_cp *cps = NULL;
	size_t k = 0;
	int err;

	*out = NULL;
	*n_out = 0;
	if ((err = check_options(x, n, opt)) < 0)
		return err;
	if (n < 2 * opt->min_size)
		return 0;
	w.perm = malloc(opt->window * sizeof(double));
	w.scratch = malloc(2 * opt->window * sizeof(double));
	if (!w.perm || !w.scratch) {
		err = pg_error_set(PG_ERUNTIME, "out of memory finding change points");
		goto done;
	}
	/* Step 1: windows of `window` commits every window / 2; the last one
	 * ends at n. */
	for (size_t ws = 0;; ws += opt->window / 2) {
		size_t we = ws + opt->window < n ? ws + opt->window : n;
		if (we - ws >= 2 * opt->min_size && (err = scan_window(&w, ws, we)) < 0)
			goto done;
		if (we == n)
			break;
	}
	if (!w.n_cand)
		goto done;
	qsort(w.cand, w.n_cand, sizeof(*w.cand), cmp_size);
	if (!(cps = calloc(w.n_cand, sizeof(*cps)))) {
		err = pg_error_set(PG_ERUNTIME, "out of memory finding change points");
		goto done;
	}
	for (size_t i = 0; i < w.n_cand; i++)
		if (!k || cps[k - 1].index != w.cand[i])
			cps[k++].index = w.cand[i];
	confirm(&w, cps, &k);
	relocate(&w, cps, k);
	confirm(&w, cps, &k);
	if (k) {
		*out = cps;
		*n_out = k;
		cps = NULL;
	}
done:
	free(cps);
	free(w.perm);
	free(w.scratch);
	free(w.cand);
	return err;
}
