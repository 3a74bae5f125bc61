/*
 * judge.c - the judgement rule (see judge.h for the rule in words).
 */
#include "judge.h"
#include "buf.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

pg_severity pg_judge_severity(int significant, double change_pct, const pg_thresholds *t)
{
	if (!significant || isnan(change_pct))
		return PG_SEV_OK;
	if (change_pct > 0) {
		if (change_pct >= t->critical)
			return PG_SEV_CRITICAL;
		if (change_pct >= t->warning)
			return PG_SEV_WARNING;
		if (change_pct >= t->notice)
			return PG_SEV_NOTICE;
		return PG_SEV_OK;
	}
	return -change_pct >= t->notice ? PG_SEV_IMPROVED : PG_SEV_OK;
}

static void judge_by_sigma(pg_verdict *v, const pg_judge_input *in, double diff)
{
	v->method = PG_METHOD_SIGMA;
	if (v->sd > 0) {
		v->z = diff / v->sd;
		v->significant = fabs(v->z) >= in->thresholds.sigma;
	} else {
		v->z = diff == 0 ? 0 : copysign(INFINITY, diff);
		v->significant = diff != 0;
	}
}

/* Welch's t-test; a single value on one side (runs: 1, or one baseline
 * commit of one run) is tested against the other side's values instead,
 * since Welch's test needs a spread on both.  NAN with one value on each. */
static void judge_by_welch(pg_verdict *v, const pg_judge_input *in, double diff)
{
	v->method = PG_METHOD_WELCH;
	if (v->sd > 0)
		v->z = diff / v->sd;
	if (in->n_current == 1)
		v->p = pg_stats_t_single(in->current[0], in->pooled, in->n_pooled, NULL, NULL);
	else if (in->n_pooled == 1)
		v->p = pg_stats_t_single(in->pooled[0], in->current, in->n_current, NULL, NULL);
	else
		v->p = pg_stats_welch(in->current, in->n_current, in->pooled, in->n_pooled, NULL, NULL);
	v->significant = !isnan(v->p) && v->p < PG_WELCH_ALPHA;
}

/* Why a change of at least `notice` is not flagged, or NULL: the test
 * could not have flagged it (`unreachable`), or it lies beyond the minimum
 * detectable change and the test still did not decide. */
static const char *why_not_flagged(const pg_verdict *v, double notice, const char *unreachable)
{
	if (v->significant || !(fabs(v->change_pct) >= notice))
		return NULL;
	if (unreachable)
		return unreachable;
	return fabs(v->change_pct) > v->mdc_pct ? PG_NOTE_UNDECIDED : NULL;
}

/* The standard error the Welch rule divides by, as judge_by_welch tests. */
static double welch_se(const pg_judge_input *in)
{
	double sc = pg_stats_sd(in->current, in->n_current);
	double sb = pg_stats_sd(in->pooled, in->n_pooled);
	if (in->n_current == 1)
		return sb * sqrt(1 + 1 / (double)in->n_pooled);
	if (in->n_pooled == 1)
		return sc * sqrt(1 + 1 / (double)in->n_current);
	return sqrt(sc * sc / (double)in->n_current + sb * sb / (double)in->n_pooled);
}

static double cv(const double *x, size_t n)
{
	double mu = pg_stats_mean(x, n);
	return n >= 2 && mu != 0 ? pg_stats_sd(x, n) / fabs(mu) * 100 : NAN;
}

/* The smallest change the rule in use can call significant. */
static void noise(pg_verdict *v, const pg_judge_input *in)
{
	v->cv_current = cv(in->current, in->n_current);
	v->cv_baseline = cv(in->commit_medians, in->n_commits);
	if (!isfinite(v->baseline) || v->baseline == 0)
		return;
	if (v->method == PG_METHOD_SIGMA) {
		v->mdc_pct = in->thresholds.sigma * (v->sd > 0 ? v->sd : 0) / fabs(v->baseline) * 100;
	} else if (v->method == PG_METHOD_WELCH && in->n_pooled &&
		   in->n_current + in->n_pooled >= 3) {
		v->mdc_pct = PG_Z_ALPHA * welch_se(in) / fabs(v->baseline) * 100;
	}
}

void pg_judge(pg_verdict *v, const pg_judge_input *in)
{
	memset(v, 0, sizeof(*v));
	v->cv_current = v->cv_baseline = v->mdc_pct = NAN;
	v->current = pg_stats_median(in->current, in->n_current);
	v->n_current = in->n_current;
	v->n_baseline = in->n_commits;
	v->baseline = v->sd = v->change_pct = v->z = v->p = v->ci_low = v->ci_high = NAN;
	if (!in->n_commits || !in->n_current) {
		v->method = PG_METHOD_NONE;
		v->severity = PG_SEV_NEW;
		return;
	}
	v->baseline = pg_stats_mean(in->commit_medians, in->n_commits);
	v->sd = pg_stats_sd(in->commit_medians, in->n_commits);
	double sign = in->higher_is_better ? -1.0 : 1.0;
	double diff = sign * (v->current - v->baseline);
	if (v->baseline != 0)
		v->change_pct = diff / fabs(v->baseline) * 100.0;
	else
		v->change_pct = diff == 0 ? 0 : copysign(INFINITY, diff);

	if ((int)in->n_commits >= in->min_history)
		judge_by_sigma(v, in, diff);
	else
		judge_by_welch(v, in, diff);
	v->severity = pg_judge_severity(v->significant, v->change_pct, &in->thresholds);
	noise(v, in);
	v->note = why_not_flagged(v, in->thresholds.notice,
				  v->method == PG_METHOD_WELCH && isnan(v->p) ? PG_NOTE_ONE_EACH : NULL);
}

/* The paired statistic of every pair, signed so that positive is worse:
 * log ratios when every value is positive, else differences (a count can
 * be 0, where no ratio exists).  Returns 1 for ratios, 0 for differences. */
static int paired_changes(double *d, const double *head, const double *base, size_t n,
			  int higher_is_better)
{
	int ratios = 1;
	for (size_t i = 0; i < n; i++)
		ratios &= head[i] > 0 && base[i] > 0;
	for (size_t i = 0; i < n; i++) {
		double h = higher_is_better ? base[i] : head[i], b = higher_is_better ? head[i] : base[i];
		d[i] = ratios ? log(h / b) : h - b;
	}
	return ratios;
}

/* A difference in % of the base's median: +-inf from a median of 0 to
 * anything else, as history mode has it, and 0 for none. */
static double pct_of(double diff, double base)
{
	if (base != 0)
		return diff / fabs(base) * 100;
	return diff == 0 ? 0 : copysign(INFINITY, diff);
}

void pg_judge_ab(pg_verdict *v, const double *head, const double *base, size_t n,
		 int higher_is_better, const pg_thresholds *t)
{
	double *d = pg_malloc((n ? n : 1) * sizeof(*d)), lo, hi;
	memset(v, 0, sizeof(*v));
	v->sd = v->z = v->ci_low = v->ci_high = v->cv_baseline = v->mdc_pct = NAN;
	v->method = PG_METHOD_AB;
	v->cv_current = cv(head, n);
	v->current = pg_stats_median(head, n);
	v->baseline = pg_stats_median(base, n);
	v->n_current = v->n_baseline = n;
	v->change_pct = NAN;
	v->severity = PG_SEV_NEW;
	if (!n) {
		free(d);
		return;
	}
	int ratios = paired_changes(d, head, base, n, higher_is_better);
	double sign = higher_is_better ? -1.0 : 1.0;
	v->change_pct = ratios ? (exp(pg_stats_median(d, n)) - 1) * 100
			       : pct_of(sign * (v->current - v->baseline), v->baseline);
	v->p = pg_stats_wilcoxon(d, n);
	v->significant = !isnan(v->p) && v->p < PG_WELCH_ALPHA;
	/* below 6 pairs the order statistics give no 95 % interval: say
	 * nothing; nor, for differences, in % of a base median of 0 (unless
	 * no pair differs at all: [0, 0]) */
	if (n >= PG_STATS_CI_MIN) {
		pg_stats_median_ci(d, n, 0.95, &lo, &hi);
		/* the interval's half-width, stretched from 95 % to the 0.001 level */
		double half = (hi - lo) / 2 * PG_Z_ALPHA / 1.96;
		if (ratios) {
			v->ci_low = (exp(lo) - 1) * 100;
			v->ci_high = (exp(hi) - 1) * 100;
			v->mdc_pct = (exp(half) - 1) * 100;
		} else if (v->baseline != 0 || (lo == 0 && hi == 0)) {
			v->ci_low = pct_of(lo, v->baseline);
			v->ci_high = pct_of(hi, v->baseline);
			v->mdc_pct = pct_of(half, v->baseline);
		}
	}
	v->severity = pg_judge_severity(v->significant, v->change_pct, t);
	/* the smallest p these pairs allow: every one changed the same way */
	for (size_t i = 0; i < n; i++)
		d[i] = fabs(d[i]);
	v->note = why_not_flagged(v, t->notice, pg_stats_wilcoxon(d, n) < PG_WELCH_ALPHA
						? NULL : PG_NOTE_AB_UNREACHABLE);
	free(d);
}

const char *pg_judge_note_lookup(const char *text)
{
	static const char *const notes[] = { PG_NOTE_AB_UNREACHABLE, PG_NOTE_ONE_EACH,
					     PG_NOTE_UNDECIDED };
	for (size_t i = 0; text && i < sizeof(notes) / sizeof(*notes); i++)
		if (!strcmp(text, notes[i]))
			return notes[i];
	return NULL;
}

static const char *const severity_names[] = {
	"ok", "new", "improved", "notice", "warning", "critical", "missing", "failed"
};

const char *pg_severity_name(pg_severity s)
{
	return (unsigned)s < sizeof(severity_names) / sizeof(*severity_names)
		       ? severity_names[s] : "unknown";
}

int pg_severity_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(severity_names) / sizeof(*severity_names); i++)
		if (!strcmp(name, severity_names[i]))
			return (int)i;
	return -1;
}

const char *pg_method_name(pg_method m)
{
	switch (m) {
	case PG_METHOD_SIGMA:
		return "sigma";
	case PG_METHOD_WELCH:
		return "welch";
	case PG_METHOD_AB:
		return "ab";
	default:
		return "none";
	}
}

int pg_fail_on_parse(const char *s, int *out)
{
	if (!strcmp(s, "never")) {
		*out = PG_FAIL_NEVER;
		return 0;
	}
	int sev = pg_severity_parse(s);
	if (sev != PG_SEV_NOTICE && sev != PG_SEV_WARNING && sev != PG_SEV_CRITICAL)
		return -1;
	*out = sev;
	return 0;
}

const char *pg_fail_on_name(int fail_on)
{
	return fail_on == PG_FAIL_NEVER ? "never" : pg_severity_name((pg_severity)fail_on);
}
