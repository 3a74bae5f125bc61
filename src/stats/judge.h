/*
 * judge.h - the judgement rule: samples and thresholds in, severity out.
 *
 * For one benchmark and metric: x is the median of the current samples;
 * each baseline commit contributes the median of its samples; mu and sd
 * are the mean and sample standard deviation of those medians;
 * z = (x - mu) / sd and change = (x - mu) / mu * 100, both signed so that
 * positive is worse (flipped for higher-is-better metrics).
 *
 *   n_base >= min_history:  significant when |z| >= sigma (sd == 0: any
 *                           non-zero change is significant)
 *   0 < n_base < min_history: significant when Welch's t-test between the
 *                           current samples and the pooled baseline samples
 *                           gives a two-sided p < 0.001; when one side is a
 *                           single value (runs: 1), the t-test of that value
 *                           against the other side's (pg_stats_t_single);
 *                           one value on each side cannot be tested: not
 *                           significant, with a note
 *   n_base == 0:            severity "new"
 *
 * Severity: not significant -> ok; significant and worse -> critical if
 * change >= critical, else warning if >= warning, else notice if >= notice,
 * else ok; significant and better by at least `notice` -> improved.
 *
 * A change of at least `notice` that is not significant gets a note saying
 * why when the test could not have flagged it (too few values or pairs), or
 * when it lies beyond the minimum detectable change: "ok" alone would read
 * as "no change".
 */
#ifndef PG_JUDGE_H
#define PG_JUDGE_H

#include <stddef.h>

typedef struct pg_thresholds {
	double sigma;    /* z-score that counts as significant */
	double notice;   /* percentages */
	double warning;
	double critical;
} pg_thresholds;

#define PG_THRESHOLDS_DEFAULT { 3.0, 5.0, 10.0, 20.0 }
#define PG_WELCH_ALPHA 0.001
#define PG_Z_ALPHA 3.29  /* two-sided normal quantile for p = 0.001 */
/* The fewest pairs whose signed-rank test can reach p < PG_WELCH_ALPHA:
 * with n pairs all changed the same way the exact two-sided p is 2 / 2^n,
 * 2 / 2^10 = 0.00195 is not below 0.001 and 2 / 2^11 = 0.00098 is.  Fewer
 * pairs can never flag anything, so --pairs and "ab_pairs" refuse them
 * (test_judge checks this against pg_stats_wilcoxon). */
#define PG_AB_MIN_PAIRS 11
#define PG_AB_MIN_PAIRS_WHY "with fewer pairs the signed-rank test cannot reach p < 0.001 " \
			    "(its smallest p with n pairs is 2/2^n)"

/* pg_verdict.note: why a change of at least `notice` is not flagged. */
#define PG_NOTE_AB_UNREACHABLE "not judged: too few pairs differ for the signed-rank test to " \
			       "reach p < 0.001"
#define PG_NOTE_ONE_EACH "not judged: one value on each side; a t-test needs two on one side"
#define PG_NOTE_UNDECIDED "beyond the minimum detectable change, but not significant " \
			  "(p >= 0.001)"

/* Ordered from least to most severe: sorting and fail_on use this order. */
typedef enum pg_severity {
	PG_SEV_OK = 0,
	PG_SEV_NEW,
	PG_SEV_IMPROVED,
	PG_SEV_NOTICE,
	PG_SEV_WARNING,
	PG_SEV_CRITICAL,
	PG_SEV_MISSING,     /* in the baseline, not in this run (report.h) */
	PG_SEV_FAILED
} pg_severity;

typedef enum pg_method {
	PG_METHOD_NONE = 0, /* no baseline */
	PG_METHOD_SIGMA,    /* z-score against per-commit medians */
	PG_METHOD_WELCH,    /* Welch's t-test against pooled samples */
	PG_METHOD_AB        /* paired A/B: Wilcoxon signed-rank on log ratios (or differences) */
} pg_method;

typedef struct pg_verdict {
	double current;     /* median of current samples */
	double baseline;    /* mu; NAN without baseline */
	double sd;          /* sd of per-commit medians; NAN if < 2 commits */
	double change_pct;  /* NAN without baseline */
	double z;           /* NAN when undefined, +-INFINITY when sd == 0 */
	double p;           /* Welch or Wilcoxon p-value, NAN when not used */
	double ci_low;      /* A/B: 95 % interval of the change, in %; else NAN */
	double ci_high;
	double cv_current;  /* coefficient of variation of the current samples, % */
	double cv_baseline; /* ... of the per-commit medians of the baseline, % */
	double mdc_pct;     /* minimum detectable change: the smallest change this
			     * history (or these pairs) can flag as significant, % */
	size_t n_baseline;  /* baseline commits */
	size_t n_current;   /* current samples */
	pg_method method;
	int significant;
	pg_severity severity;
	const char *note;   /* NULL, or a PG_NOTE_* (static: never freed) */
} pg_verdict;

typedef struct pg_judge_input {
	const double *current;        /* current samples */
	size_t n_current;
	const double *commit_medians; /* one per baseline commit */
	size_t n_commits;
	const double *pooled;         /* every baseline sample */
	size_t n_pooled;
	int higher_is_better;
	int min_history;
	pg_thresholds thresholds;
} pg_judge_input;

void pg_judge(pg_verdict *out, const pg_judge_input *in);

/* The A/B rule: `head[i]` and `base[i]` were measured as a pair.
 * When every value is positive: change = median of the paired ratios
 * head/base - 1 (base/head for higher-is-better), significant when the
 * Wilcoxon signed-rank test on the log ratios gives p < 0.001, and the 95 %
 * interval of the change from the order statistics of the ratios.  When a
 * value is 0 (a count; or negative), ratios do not exist: the test is on
 * the differences head - base (signed so that positive is worse), the
 * change is that of the medians, in % of the base's (+-inf from a median
 * of 0 to another value, as in history mode; 0 when both are 0), and the
 * interval is the median difference's in % of the base's median (none when
 * that is 0).  Severity by the same table; no interval below 6 pairs.  With
 * fewer than PG_AB_MIN_PAIRS pairs that differ (or ties that keep p from
 * reaching 0.001), a change of at least notice gets PG_NOTE_AB_UNREACHABLE.
 * No pairs: `new`. */
void pg_judge_ab(pg_verdict *out, const double *head, const double *base, size_t n,
		 int higher_is_better, const pg_thresholds *t);

/* The severity table alone (significance already decided). */
pg_severity pg_judge_severity(int significant, double change_pct, const pg_thresholds *t);

/* The PG_NOTE_* whose text is `text` (a note read back from a report), or
 * NULL: the result is always a static string. */
const char *pg_judge_note_lookup(const char *text);

const char *pg_severity_name(pg_severity s);
/* Parses "notice" etc.; -1 when unknown. */
int pg_severity_parse(const char *name);
/* fail_on: the least severity that fails the gate, or never. */
#define PG_FAIL_NEVER (-1)
/* Parses a fail_on value ("notice", "warning", "critical", "never");
 * returns 0 and sets *out, or -1. */
int pg_fail_on_parse(const char *s, int *out);
const char *pg_fail_on_name(int fail_on);
const char *pg_method_name(pg_method m);

#endif
