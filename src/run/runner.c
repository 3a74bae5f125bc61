/*
 * runner.c - process measurement (see runner.h for the contract).
 *
 * Waiting: a pidfd (Linux >= 5.3) becomes readable the moment the child
 * exits, so one poll() covers the pipes and the exit and the wall time is
 * not rounded up to a polling interval.  Where pidfd_open is missing the
 * loop falls back to polling waitid every millisecond.
 *
 * Starting (spawn.h): clone(CLONE_VM | CLONE_VFORK), not fork().
 * Lifetime (guard.h): the child sets PR_SET_PDEATHSIG and starts its own
 * session; perfgate, the subreaper, reaps whatever escaped the group.
 */
#define _GNU_SOURCE /* sched_setaffinity, the CPU_SET macros, pipe2 */
#include "runner.h"
#include "rss.h"
#include "counters.h"
#include "error.h"
#include "guard.h"
#include "spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t interrupted;

void pg_runner_interrupt(void)
{
	interrupted = 1;
}

int pg_runner_interrupted(void)
{
	return interrupted;
}

uint64_t pg_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Keeps the last PG_PROC_TAIL bytes: appends, and compacts once the buffer
 * holds twice that, so the copy cost stays linear in what is read. */
static void tail_append(pg_buf *tail, const char *data, size_t n)
{
	if (n > PG_PROC_TAIL) {
		data += n - PG_PROC_TAIL;
		n = PG_PROC_TAIL;
	}
	pg_buf_put(tail, data, n);
	if (tail->len > 2 * PG_PROC_TAIL) {
		memmove(tail->ptr, tail->ptr + tail->len - PG_PROC_TAIL, PG_PROC_TAIL);
		pg_buf_truncate(tail, PG_PROC_TAIL);
	}
}

static void tail_finish(pg_buf *tail)
{
	if (tail->len > PG_PROC_TAIL) {
		memmove(tail->ptr, tail->ptr + tail->len - PG_PROC_TAIL, PG_PROC_TAIL);
		pg_buf_truncate(tail, PG_PROC_TAIL);
	}
}

/* Where output goes: the tail always; stdout also to the capture. */
typedef struct sink {
	pg_buf *tail;
	pg_buf *capture;
	size_t max;
	int *truncated;
} sink;

/* Reads what is available; returns 0 at EOF, 1 otherwise. */
static int drain(int fd, const sink *k)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n > 0) {
			tail_append(k->tail, chunk, (size_t)n);
			if (k->capture) {
				size_t room = k->capture->len < k->max ? k->max - k->capture->len : 0;
				pg_buf_put(k->capture, chunk, (size_t)n < room ? (size_t)n : room);
				if ((size_t)n > room)
					*k->truncated = 1;
			}
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 1 : 0;
	}
}

static int same_key(const char *a, const char *b)
{
	size_t klen = strcspn(a, "=");
	return !strncmp(a, b, klen) && b[klen] == '=';
}

/* environ, then `extra`, then `last`: a later entry replaces an earlier
 * one with the same name.  The strings are borrowed. */
static char **merged_environ(char *const *extra, const char *last)
{
	size_t n = 0, m = 0, k = 0;
	while (environ[n])
		n++;
	while (extra && extra[m])
		m++;
	char **env = pg_calloc(n + m + 2, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		int overridden = last && same_key(environ[i], last);
		for (size_t j = 0; j < m && !overridden; j++)
			overridden = same_key(environ[i], extra[j]);
		if (!overridden)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < m; j++)
		if (!last || !same_key(extra[j], last))
			env[k++] = extra[j];
	if (last)
		env[k++] = (char *)last;
	return env;
}

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1u << 2)
#endif

/* Descriptors: the child marks every one from 3 up close-on-exec.
 * perfgate's own are already; this catches what perfgate inherited or a
 * library opened without the flag.  close_range(CLOSE_RANGE_CLOEXEC) does
 * it in one call on Linux >= 5.11; on older kernels the child calls fcntl
 * on each descriptor up to the highest open one, which the parent finds
 * before the fork (reading /proc/self/fd is not async-signal-safe). */
static int force_fd_loop;

void pg_runner_force_fd_loop(int on)
{
	force_fd_loop = on;
}

/* Whether close_range(CLOSE_RANGE_CLOEXEC) works: probed once, on a range
 * where no descriptor can be open (5.9 and 5.10 refuse the flag, older
 * kernels the call). */
static int have_close_range_cloexec(void)
{
	static int have = -1;
	if (force_fd_loop)
		return 0;
#ifdef SYS_close_range
	if (have < 0)
		have = syscall(SYS_close_range, (unsigned)INT_MAX, ~0u, CLOSE_RANGE_CLOEXEC) == 0;
#else
	have = 0;
#endif
	return have;
}

/* The highest descriptor open in this process: from /proc/self/fd, else
 * the descriptor limit (at most 65536). */
static int highest_fd(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int high = 2;
	if (!d) {
		long max = sysconf(_SC_OPEN_MAX);
		return max <= 0 || max > 65536 ? 65535 : (int)max - 1;
	}
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name); /* "." and ".." are 0 */
		if (fd > high && fd != dirfd(d))
			high = fd;
	}
	closedir(d);
	return high;
}

static int pidfd_open_compat(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* The terminal perfgate runs on: -1 none, -2 not looked for yet. */
static int tty_fd = -2;

/* Saves the terminal's modes; whether there is a terminal. */
static int tty_save(struct termios *t)
{
	if (tty_fd == -2)
		tty_fd = isatty(0) ? 0 : isatty(2) ? 2 : isatty(1) ? 1 : -1;
	memset(t, 0, sizeof(*t));
	return tty_fd >= 0 && tcgetattr(tty_fd, t) == 0;
}

/* Puts the terminal's modes back if the command changed them (it has no
 * controlling terminal, but can open the terminal by name).  SIGTTOU is
 * blocked so that a perfgate in the background is not stopped by it. */
static void tty_restore(const struct termios *saved, int have)
{
	struct termios now;
	sigset_t ttou, old;
	memset(&now, 0, sizeof(now));
	if (!have || tcgetattr(tty_fd, &now) < 0 || !memcmp(&now, saved, sizeof(now)))
		return;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	tcsetattr(tty_fd, TCSANOW, saved);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

typedef struct proc_io {
	int out, err;  /* read ends, -1 once at EOF */
	int pidfd;     /* -1 when unavailable */
} proc_io;

/* Polls the pipes (and the pidfd) until the child has exited or stopped,
 * the deadline passes or we are interrupted.  The child is not reaped
 * (WNOWAIT): as a zombie it keeps its process group's id from being
 * reused, so the group can still be killed.  Returns PG_PROC_OK if it
 * exited by itself, else the status to report (PG_PROC_STOPPED with the
 * signal in *stopsig).  The pidfd does not wake up on a stop; the 100 ms
 * poll does. */
static pg_proc_status wait_for_exit(pid_t pid, proc_io *io, const sink *out, const sink *err,
				    uint64_t deadline, int *stopsig, uint64_t *end,
				    pg_rss_sampler *rss)
{
	for (;;) {
		struct pollfd p[3];
		siginfo_t si;
		int np = 0, timeout_ms = io->pidfd >= 0 ? 100 : 1;
		if (io->out >= 0)
			p[np++] = (struct pollfd){ io->out, POLLIN, 0 };
		if (io->err >= 0)
			p[np++] = (struct pollfd){ io->err, POLLIN, 0 };
		if (io->pidfd >= 0)
			p[np++] = (struct pollfd){ io->pidfd, POLLIN, 0 };
		if (interrupted)
			return PG_PROC_INTERRUPTED;
		if (rss) { /* NULL unless asked for: a sample due now, and when the next is */
			int next_ms = pg_rss_sampler_tick(rss, pg_now_ns());
			timeout_ms = next_ms < timeout_ms ? next_ms : timeout_ms;
		}
		if (deadline) {
			uint64_t t = pg_now_ns();
			if (t >= deadline)
				return PG_PROC_TIMEOUT;
			uint64_t left_ms = (deadline - t) / 1000000u + 1;
			if (left_ms < (uint64_t)timeout_ms)
				timeout_ms = (int)left_ms;
		}
		/* With nothing to watch, poll() is simply the sleep we want. */
		if (poll(p, (nfds_t)np, timeout_ms) < 0 && errno != EINTR)
			return PG_PROC_INTERRUPTED;
		if (io->out >= 0 && !drain(io->out, out)) {
			close(io->out);
			io->out = -1;
		}
		if (io->err >= 0 && !drain(io->err, err)) {
			close(io->err);
			io->err = -1;
		}
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == pid) {
			*end = pg_now_ns();
			if (si.si_code != CLD_STOPPED)
				return PG_PROC_OK;
			*stopsig = si.si_status;
			return PG_PROC_STOPPED;
		}
	}
}

static void close_pipes(int *a, int *b)
{
	close(a[0]);
	close(a[1]);
	if (b) {
		close(b[0]);
		close(b[1]);
	}
}

int pg_proc_run(pg_proc_result *res, const pg_proc_spec *spec)
{
	int outp[2], errp[2], report[2];
	int rep[2] = { 0, 0 };
	struct rusage ru;
	struct termios tty;
	int wstatus = 0, stopsig = 0, err;
	uint64_t start, end = 0;

	memset(res, 0, sizeof(*res));
	memset(&ru, 0, sizeof(ru));
	pg_buf_init(&res->out_tail);
	pg_buf_init(&res->err_tail);
	if (interrupted) {
		res->status = PG_PROC_INTERRUPTED;
		return 0;
	}
	if ((err = pg_guard_start()) < 0)
		return err;
	/* every descriptor perfgate makes is close-on-exec; dup2() onto 0, 1
	 * and 2 in the child clears the flag where it must */
	if (pipe2(outp, O_CLOEXEC) < 0)
		return pg_error_set(PG_ERUNTIME, "cannot create pipe: %s", strerror(errno));
	if (pipe2(errp, O_CLOEXEC) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot create pipe: %s", strerror(errno));
		close_pipes(outp, NULL);
		return err;
	}
	if (pipe2(report, O_CLOEXEC) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot create pipe: %s", strerror(errno));
		close_pipes(outp, errp);
		return err;
	}
	int counting = spec->perf_instructions || spec->perf_cycles;
	int go[2] = { -1, -1 }, pfd[2] = { -1, -1 };
	if (counting && pipe2(go, O_CLOEXEC) < 0)
		go[0] = go[1] = -1;
	char **env = merged_environ(spec->env, pg_guard_token());
	pg_spawn_child child = { spec->argv, env, spec->cwd, spec->pinned, { { 0 } }, getpid(),
				 outp[1], errp[1], report[1], go[0], go[1],
				 have_close_range_cloexec() ? -1 : highest_fd() };
	CPU_ZERO(&child.cpus);
	if (spec->pinned)
		CPU_SET(spec->cpu, &child.cpus);
	int have_tty = tty_save(&tty);
	/* before the clock starts: nothing but the start is measured */
	set_nonblock(outp[0]);
	set_nonblock(errp[0]);
	fflush(NULL);
	pg_guard_arm();
	start = pg_now_ns();
	pid_t pid = pg_spawn(&child);
	int fork_errno = errno;
	pg_guard_watch(pid);
	res->instructions = res->cycles = -1;
	if (pid > 0 && counting) {
		/* disabled until exec, inherited by the command's children */
		if (spec->perf_instructions)
			pfd[0] = pg_perf_open(pid, 0);
		if (spec->perf_cycles)
			pfd[1] = pg_perf_open(pid, 1);
		if (go[1] >= 0 && write(go[1], "g", 1) < 0) {
			/* the child died early; its exit status will say why */
		}
	}
	if (go[0] >= 0)
		close(go[0]);
	if (go[1] >= 0)
		close(go[1]);
	free(env);
	close(outp[1]);
	close(errp[1]);
	close(report[1]);
	if (pid < 0) {
		pg_guard_disarm();
		close(outp[0]); close(errp[0]); close(report[0]);
		return pg_error_set(PG_ERUNTIME, "cannot start a process: %s", strerror(fork_errno));
	}
	proc_io io = { outp[0], errp[0], pidfd_open_compat(pid) };
	/* clamped to ~31 years: a double past 2^64 ns does not convert */
	double timeout_ns = spec->timeout > 1e9 ? 1e18 : spec->timeout * 1e9;
	uint64_t deadline = spec->timeout > 0 ? start + (uint64_t)timeout_ns : 0;

	sink out = { &res->out_tail, spec->capture, spec->capture_max, &res->capture_truncated };
	sink errs = { &res->err_tail, NULL, 0, NULL };
	pg_rss_sampler rss;
	pg_rss_sampler_init(&rss, pid, start);
	pg_proc_status killed = wait_for_exit(pid, &io, &out, &errs, deadline, &stopsig, &end,
					      spec->sample_rss ? &rss : NULL);
	res->rss_growth = pg_rss_sampler_slope(&rss);
	res->rss_samples = rss.n;
	/* The group: stragglers if the command exited, else everything.  The
	 * unreaped command keeps the group's id from being reused. */
	kill(-pid, SIGKILL);
	if (killed != PG_PROC_OK) {
		kill(pid, SIGKILL); /* in case it had not reached setsid() yet */
		end = pg_now_ns();
	}
	while (wait4(pid, &wstatus, 0, &ru) < 0 && errno == EINTR)
		;
	pg_guard_reap(); /* what left the group: setsid, double forks */
	pg_guard_disarm();
	tty_restore(&tty, have_tty);
	if (io.out >= 0) {
		drain(io.out, &out);
		close(io.out);
	}
	if (io.err >= 0) {
		drain(io.err, &errs);
		close(io.err);
	}
	if (io.pidfd >= 0)
		close(io.pidfd);
	tail_finish(&res->out_tail);
	tail_finish(&res->err_tail);

	res->wall_ns = end - start;
	res->cpu_ns = (uint64_t)ru.ru_utime.tv_sec * 1000000000u + (uint64_t)ru.ru_utime.tv_usec * 1000u +
		      (uint64_t)ru.ru_stime.tv_sec * 1000000000u + (uint64_t)ru.ru_stime.tv_usec * 1000u;
	res->max_rss_kib = (uint64_t)ru.ru_maxrss;
	for (int k = 0; k < 2; k++) {
		if (pfd[k] < 0)
			continue;
		*(k ? &res->cycles : &res->instructions) = pg_perf_read(pfd[k]);
		close(pfd[k]);
	}
	ssize_t got = read(report[0], rep, sizeof(rep));
	close(report[0]);
	if (killed != PG_PROC_OK) {
		res->status = killed;
		res->code = killed == PG_PROC_STOPPED ? stopsig : 0;
	} else if (got == (ssize_t)sizeof(rep)) {
		res->status = PG_PROC_EXEC_FAILED;
		res->stage = rep[0] == PG_SPAWN_CHDIR ? "chdir" : rep[0] == PG_SPAWN_PIN ? "pin to the CPU"
										 : "exec";
		res->code = rep[1];
	} else if (WIFSIGNALED(wstatus)) {
		res->status = PG_PROC_SIGNAL;
		res->code = WTERMSIG(wstatus);
	} else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus)) {
		res->status = PG_PROC_EXIT;
		res->code = WEXITSTATUS(wstatus);
	} else {
		res->status = PG_PROC_OK;
	}
	return 0;
}

void pg_proc_result_free(pg_proc_result *res)
{
	pg_buf_free(&res->out_tail);
	pg_buf_free(&res->err_tail);
}
