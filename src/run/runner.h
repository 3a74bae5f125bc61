/*
 * runner.h - run one command as its own process group and measure it.
 *
 * Wall time comes from the monotonic clock, CPU time (user + system) and
 * peak RSS from wait4(), so they cover the command and every descendant it
 * waited for.  stdout and stderr are drained continuously, so a chatty
 * command never blocks on a full pipe; only the last PG_PROC_TAIL bytes of
 * each are kept, for error messages.  On timeout, interruption or a stop
 * (SIGSTOP, SIGTSTP...) the whole process group is killed; when the
 * command exits, stragglers it left running in its group are killed too,
 * so one run cannot disturb the next.
 *
 * The command runs in a session of its own (so its own process group),
 * without a controlling terminal, with /dev/null as stdin and no
 * descriptor of perfgate's but 0, 1 and 2.  It dies with perfgate, and so
 * does everything it started, even what left its group (guard.h): each
 * pg_proc_run() kills and reaps every child of the process but the
 * guardian once the command is done, so the caller must have no other
 * child it wants to keep.  When perfgate has a terminal, its modes are put
 * back after the run if the command changed them.
 */
#ifndef PG_RUNNER_H
#define PG_RUNNER_H

#include "buf.h"
#include <stdint.h>

#define PG_PROC_TAIL 4096

typedef enum pg_proc_status {
	PG_PROC_OK = 0,      /* exited with status 0 */
	PG_PROC_EXIT,        /* exited with a non-zero status (code) */
	PG_PROC_SIGNAL,      /* killed by signal (code) */
	PG_PROC_TIMEOUT,     /* ran past the timeout, group killed */
	PG_PROC_EXEC_FAILED, /* could not start: errno in code, see `stage` */
	PG_PROC_INTERRUPTED, /* perfgate was interrupted; group killed */
	PG_PROC_STOPPED      /* stopped by signal (code), group killed */
} pg_proc_status;

typedef struct pg_proc_spec {
	char *const *argv;     /* argv[0] is looked up in PATH */
	const char *cwd;       /* NULL: perfgate's working directory */
	char *const *env;      /* NULL or "KEY=VALUE" entries added to environ */
	double timeout;        /* seconds; <= 0 for none */
	pg_buf *capture;       /* NULL, or gets all of stdout (up to capture_max) */
	size_t capture_max;
	int perf_instructions; /* count user-space instructions with perf_event_open */
	int perf_cycles;       /* ... and cycles */
	int pinned;            /* run on CPU `cpu` only (sched_setaffinity) */
	int cpu;
	int sample_rss;        /* sample the tree's resident memory (rss.h) */
} pg_proc_spec;

typedef struct pg_proc_result {
	pg_proc_status status;
	int code;
	const char *stage;     /* for EXEC_FAILED: "chdir", "pin" or "exec" */
	uint64_t wall_ns;
	uint64_t cpu_ns;
	uint64_t max_rss_kib;
	int capture_truncated;  /* stdout exceeded capture_max */
	int64_t instructions;   /* -1 when not counted */
	int64_t cycles;
	double rss_growth;      /* with sample_rss: bytes per second, NAN if too few samples */
	size_t rss_samples;
	pg_buf out_tail;
	pg_buf err_tail;
} pg_proc_result;

/* Runs the command.  Returns 0 when the outcome is in `res` (whatever it
 * is), or a negative error when perfgate itself could not fork or poll.
 * `res` must be freed with pg_proc_result_free() in both cases. */
int pg_proc_run(pg_proc_result *res, const pg_proc_spec *spec);
void pg_proc_result_free(pg_proc_result *res);

/* One line describing a failed outcome, e.g. "exited with status 3:
 * <gist>", where the gist is the last few non-empty lines of stderr (else
 * stdout) joined by " | ", led by an earlier line that reads like an error
 * when those do not (at most about 600 printable ASCII characters). */
void pg_proc_describe(pg_buf *out, const pg_proc_result *res, double timeout);

/* The monotonic clock in nanoseconds. */
uint64_t pg_now_ns(void);

/* For tests: with `on`, the child marks its descriptors close-on-exec one
 * by one (the way on kernels before 5.11, which lack
 * close_range(CLOSE_RANGE_CLOEXEC)) even where close_range works. */
void pg_runner_force_fd_loop(int on);

/* Async-signal-safe: makes running and future pg_proc_run calls stop,
 * killing their process group.  For the CLI's SIGINT/SIGTERM handler. */
void pg_runner_interrupt(void);
int pg_runner_interrupted(void);

#endif
