/*
 * bisect.h - find the commit that made a benchmark slower, statistically.
 *
 * Candidates are the commits reachable from `bad` and not from `good`
 * (first parents by default).  Each probed commit is checked out into a
 * scratch directory, built and measured there (or taken from the store when
 * it already has results), and classified against the good and bad
 * endpoints in log space:
 *   bad:       significantly worse than good (Welch on log samples,
 *              p < 0.001) and closer to bad than to good;
 *   good:      closer to good, and either not significantly different from
 *              it or within a quarter of the good-to-bad step (very quiet
 *              benchmarks make the t-test see drifts far smaller than the
 *              step being hunted);
 *   ambiguous: otherwise: re-measured with twice the runs, up to a limit,
 *              then reported as uncertain instead of guessed;
 *   skipped:   it failed to build or run; the search goes around it.
 * Every new measurement is stored, so later runs reuse it (a failed build
 * or setup is not: it says nothing of the benchmark).  Only comparable
 * samples are used (baseline.h): stored results with another definition
 * than the config's, or in another unit than the bad commit's stored one
 * (else the first measured), are measured again; a measurement in another
 * unit than the one compared is an error naming both.
 */
#ifndef PG_BISECT_H
#define PG_BISECT_H

#include "config.h"
#include "measure.h"
#include "repo.h"
#include "store.h"

typedef enum pg_probe_verdict {
	PG_PROBE_GOOD = 0, PG_PROBE_BAD, PG_PROBE_AMBIGUOUS, PG_PROBE_SKIPPED
} pg_probe_verdict;

typedef struct pg_probe {
	char sha[PG_SHA_LEN + 1];
	double median;          /* NAN when skipped */
	size_t samples;
	pg_probe_verdict verdict;
	int measured;           /* 0: taken from history */
	char *reason;           /* why it was skipped */
} pg_probe;

typedef struct pg_bisect_opts {
	const char *good, *bad;     /* resolved SHAs (history-only: may be NULL) */
	const pg_bench_config *bench;
	const char *result;         /* result name: bench's, or "NAME/micro" of a format */
	const char *metric;
	const char *build;          /* shell command run in the scratch tree, or NULL */
	double build_timeout;       /* seconds */
	int runs;                   /* 0: the benchmark's own */
	int all_parents;
	int keep;                   /* keep scratch directories */
	int max_remeasure;          /* rounds of doubled runs for ambiguous probes */
	int window;                 /* history-only without good/bad: commits to scan */
	const char *testbed;
	pg_progress_fn progress;
	void *payload;
	void (*on_probe)(void *payload, const pg_probe *p);
	const char *setup;          /* the top-level "setup" run in each checkout once
				     * built (then the benchmark's own): its failure
				     * skips the commit like a failed build */
} pg_bisect_opts;

typedef struct pg_bisect_result {
	int found;
	int refused;                /* good and bad do not differ: nothing to find */
	char first_bad[PG_SHA_LEN + 1];
	char last_good[PG_SHA_LEN + 1];
	double change_pct;          /* the step, positive = worse */
	double p;                   /* its p-value (confidence = 1 - p) */
	size_t candidates;
	size_t builds;              /* checkouts built (re-measurements reuse them) */
	pg_probe *probes;
	size_t nprobes, alloc;
	char *message;              /* why the search was inconclusive */
} pg_bisect_result;

#define PG_BISECT_ALPHA 0.001

/* Builds and measures as needed.  Returns 0 with the outcome in `out`
 * (found, refused or inconclusive), or a negative error (PG_EUSAGE when
 * good is not an ancestor of bad, PG_EINTERRUPT, ...). */
int pg_bisect_run(pg_bisect_result *out, pg_repo *repo, pg_store *store,
		  const pg_bisect_opts *o);
/* No builds: the most significant step along the stored first-parent
 * history between good and bad, or over the last `window` commits with
 * results before HEAD when they are NULL. */
int pg_bisect_history(pg_bisect_result *out, pg_repo *repo, pg_store *store,
		      const pg_bisect_opts *o, const char *head);
void pg_bisect_result_free(pg_bisect_result *r);
const char *pg_probe_verdict_name(pg_probe_verdict v);

/* Writers (report_bisect.c): the first bad commit with subject, author and
 * date, the step, the probe log and the number of builds.  Text perfgate
 * did not write (subjects, authors, reasons) is repaired to valid UTF-8,
 * and for the terminal stripped of control characters.  The JSON writer
 * returns PG_ERUNTIME when jansson cannot build the document (nothing is
 * appended then). */
void pg_bisect_write_term(pg_buf *out, const pg_bisect_result *r, pg_repo *repo,
			  const char *bench, const char *metric, const char *unit);
int pg_bisect_write_json(pg_buf *out, const pg_bisect_result *r, pg_repo *repo,
			 const char *bench, const char *metric);

#endif
