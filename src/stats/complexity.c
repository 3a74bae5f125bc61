/*
 * complexity.c - least-squares fits to the usual complexity classes
 * (complexity.h).
 */
#include "complexity.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

static const char *const names[PG_O_COUNT] = { "O(1)", "O(log n)", "O(n)", "O(n log n)",
					       "O(n^2)", "O(n^3)" };

const char *pg_complexity_name(pg_complexity c)
{
	return (unsigned)c < PG_O_COUNT ? names[c] : "O(?)";
}

double pg_complexity_f(pg_complexity c, double n)
{
	switch (c) {
	case PG_O_1:
		return 1;
	case PG_O_LOG_N:
		return log2(n);
	case PG_O_N:
		return n;
	case PG_O_N_LOG_N:
		return n * log2(n);
	case PG_O_N2:
		return n * n;
	case PG_O_N3:
		return n * n * n;
	default:
		return NAN;
	}
}

int pg_complexity_parse(const char *s)
{
	static const char *const forms[PG_O_COUNT][4] = {
		{ "1", NULL }, { "logn", NULL }, { "n", NULL }, { "nlogn", NULL },
		{ "n^2", "n2", "n**2", NULL }, { "n^3", "n3", "n**3", NULL },
	};
	char buf[32];
	size_t k = 0;
	if (!strncmp(s, "O(", 2) && strlen(s) > 3 && s[strlen(s) - 1] == ')') {
		size_t len = strlen(s) - 3;
		if (len >= sizeof(buf))
			return -1;
		memcpy(buf, s + 2, len);
		buf[len] = '\0';
		return pg_complexity_parse(buf);
	}
	for (const char *p = s; *p; p++) {
		if (*p == ' ')
			continue;
		if (k + 1 >= sizeof(buf))
			return -1;
		buf[k++] = (char)tolower((unsigned char)*p);
	}
	buf[k] = '\0';
	for (int c = 0; c < PG_O_COUNT; c++)
		for (int i = 0; forms[c][i]; i++)
			if (!strcmp(buf, forms[c][i]))
				return c;
	return -1;
}

void pg_complexity_fit_points(pg_complexity_fit *out, const double *size, const double *cost,
			      size_t n)
{
	double rms[PG_O_COUNT], coef[PG_O_COUNT], mean = 0, lo = INFINITY, hi = 0;
	size_t used = 0, distinct = 0;
	memset(out, 0, sizeof(*out));
	out->coef = out->nrms = out->runner_nrms = NAN;
	for (size_t i = 0; i < n; i++) {
		if (!(isfinite(size[i]) && size[i] >= 1 && isfinite(cost[i]) && cost[i] > 0))
			continue;
		size_t k = 0;
		while (k < i && size[k] != size[i])
			k++;
		distinct += k == i; /* first time this size is seen */
		used++;
		mean += cost[i];
		lo = size[i] < lo ? size[i] : lo;
		hi = size[i] > hi ? size[i] : hi;
	}
	if (distinct < PG_COMPLEXITY_MIN_SIZES || hi / lo < PG_COMPLEXITY_MIN_SPAN) {
		out->why = "too few sizes to tell (at least 4, spanning a factor of 8)";
		return;
	}
	mean /= (double)used;
	for (int c = 0; c < PG_O_COUNT; c++) {
		double sff = 0, scf = 0, sse = 0;
		for (size_t i = 0; i < n; i++) {
			if (!(isfinite(size[i]) && size[i] >= 1 && isfinite(cost[i]) && cost[i] > 0))
				continue;
			double f = pg_complexity_f((pg_complexity)c, size[i]);
			sff += f * f;
			scf += cost[i] * f;
		}
		coef[c] = sff > 0 ? scf / sff : 0;
		for (size_t i = 0; i < n; i++) {
			if (!(isfinite(size[i]) && size[i] >= 1 && isfinite(cost[i]) && cost[i] > 0))
				continue;
			double e = cost[i] - coef[c] * pg_complexity_f((pg_complexity)c, size[i]);
			sse += e * e;
		}
		rms[c] = sqrt(sse / (double)used);
	}
	int best = 0, second = -1;
	for (int c = 1; c < PG_O_COUNT; c++)
		if (rms[c] < rms[best])
			best = c;
	for (int c = 0; c < PG_O_COUNT; c++)
		if (c != best && (second < 0 || rms[c] < rms[second]))
			second = c;
	out->cls = (pg_complexity)best;
	out->coef = coef[best];
	out->nrms = rms[best] / mean;
	out->runner_nrms = rms[second] / mean;
	if (out->nrms > PG_COMPLEXITY_MAX_NRMS)
		out->why = "too noisy to tell (the best fit's RMS is above 25 % of the mean cost)";
	else if (rms[second] < PG_COMPLEXITY_MARGIN * rms[best])
		out->why = "too noisy to tell two classes apart (the runner-up fits within 25 %)";
	else
		out->decided = 1;
}
