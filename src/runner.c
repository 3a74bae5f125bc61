/*
 * runner.c - process measurement (see runner.h for the contract).
 *
 * Waiting: a pidfd (Linux >= 5.3) becomes readable the moment the child
 * exits, so one poll() covers the pipes and the exit and the wall time is
 * not rounded up to a polling interval.  Where pidfd_open is missing the
 * loop falls back to polling waitpid every millisecond.
 */
#define _GNU_SOURCE /* sched_setaffinity and the CPU_SET macros */
#include "runner.h"
#include "counters.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

static char **merged_environ(char *const *extra)
{
	size_t n = 0, m = 0, k = 0;
	while (environ[n])
		n++;
	while (extra && extra[m])
		m++;
	char **env = pg_calloc(n + m + 1, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		int overridden = 0;
		const char *eq = strchr(environ[i], '=');
		size_t klen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		for (size_t j = 0; j < m && !overridden; j++)
			overridden = !strncmp(extra[j], environ[i], klen) && extra[j][klen] == '=';
		if (!overridden)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < m; j++)
		env[k++] = extra[j];
	return env;
}

/* In the child: never returns.  Reports a failure to start through
 * `errfd` as {stage, errno} so the parent can say what went wrong. */
static void child_exec(const pg_proc_spec *spec, char **env, int outfd, int errfd_out, int errfd,
		       int gofd)
{
	int devnull = open("/dev/null", O_RDONLY);
	sigset_t none;
	int report[2] = { 0, 0 };
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(outfd, 1);
	dup2(errfd_out, 2);
	if (gofd >= 0) {
		/* wait until the parent has attached its counters */
		char go;
		if (read(gofd, &go, 1) < 0) {
			/* the parent is gone: exec anyway, nothing will be counted */
		}
	}
	cpu_set_t set;
	CPU_ZERO(&set);
	if (spec->pinned)
		CPU_SET(spec->cpu, &set);
	if (spec->cwd && chdir(spec->cwd) < 0) {
		report[0] = 1;
		report[1] = errno;
	} else if (spec->pinned && sched_setaffinity(0, sizeof(set), &set) < 0) {
		report[0] = 3;
		report[1] = errno;
	} else {
		environ = env;
		execvp(spec->argv[0], spec->argv);
		report[0] = 2;
		report[1] = errno;
	}
	if (write(errfd, report, sizeof(report)) < 0) {
		/* nothing more we can do */
	}
	_exit(127);
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

static void set_nonblock_cloexec(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

typedef struct proc_io {
	int out, err;  /* read ends, -1 once at EOF */
	int pidfd;     /* -1 when unavailable */
} proc_io;

/* Polls the pipes (and the pidfd) until the child has exited, the
 * deadline passes or we are interrupted.  Returns the status to report
 * if the process had to be killed, PG_PROC_OK if it exited by itself. */
static pg_proc_status wait_for_exit(pid_t pid, proc_io *io, const sink *out, const sink *err,
				    uint64_t deadline, int *wstatus, struct rusage *ru,
				    uint64_t *end)
{
	for (;;) {
		struct pollfd p[3];
		int np = 0, timeout_ms = io->pidfd >= 0 ? 100 : 1;
		if (io->out >= 0)
			p[np++] = (struct pollfd){ io->out, POLLIN, 0 };
		if (io->err >= 0)
			p[np++] = (struct pollfd){ io->err, POLLIN, 0 };
		if (io->pidfd >= 0)
			p[np++] = (struct pollfd){ io->pidfd, POLLIN, 0 };
		if (interrupted)
			return PG_PROC_INTERRUPTED;
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
		pid_t w = wait4(pid, wstatus, WNOHANG, ru);
		if (w == pid) {
			*end = pg_now_ns();
			return PG_PROC_OK;
		}
	}
}

static void kill_group(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

int pg_proc_run(pg_proc_result *res, const pg_proc_spec *spec)
{
	int outp[2], errp[2], report[2];
	int rep[2] = { 0, 0 };
	struct rusage ru;
	int wstatus = 0;
	uint64_t start, end = 0;

	memset(res, 0, sizeof(*res));
	pg_buf_init(&res->out_tail);
	pg_buf_init(&res->err_tail);
	if (interrupted) {
		res->status = PG_PROC_INTERRUPTED;
		return 0;
	}
	if (pipe(outp) < 0)
		return pg_error_set(PG_ERUNTIME, "cannot create pipe: %s", strerror(errno));
	if (pipe(errp) < 0) {
		close(outp[0]);
		close(outp[1]);
		return pg_error_set(PG_ERUNTIME, "cannot create pipe: %s", strerror(errno));
	}
	if (pipe(report) < 0 || fcntl(report[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(report[1], F_SETFD, FD_CLOEXEC) < 0) {
		close(outp[0]); close(outp[1]); close(errp[0]); close(errp[1]);
		return pg_error_set(PG_ERUNTIME, "cannot create pipe: %s", strerror(errno));
	}
	int counting = spec->perf_instructions || spec->perf_cycles;
	int go[2] = { -1, -1 }, pfd[2] = { -1, -1 };
	if (counting && (pipe(go) < 0 || fcntl(go[0], F_SETFD, FD_CLOEXEC) < 0 ||
			 fcntl(go[1], F_SETFD, FD_CLOEXEC) < 0))
		go[0] = go[1] = -1;
	char **env = merged_environ(spec->env);
	fflush(NULL);
	start = pg_now_ns();
	pid_t pid = fork();
	if (pid == 0) {
		if (go[1] >= 0)
			close(go[1]);
		child_exec(spec, env, outp[1], errp[1], report[1], go[0]);
	}
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
	int fork_errno = errno;
	free(env);
	close(outp[1]);
	close(errp[1]);
	close(report[1]);
	if (pid < 0) {
		close(outp[0]); close(errp[0]); close(report[0]);
		return pg_error_set(PG_ERUNTIME, "cannot fork: %s", strerror(fork_errno));
	}
	setpgid(pid, pid); /* also in the child: whichever runs first wins */
	set_nonblock_cloexec(outp[0]);
	set_nonblock_cloexec(errp[0]);
	proc_io io = { outp[0], errp[0], pidfd_open_compat(pid) };
	uint64_t deadline = spec->timeout > 0 ? start + (uint64_t)(spec->timeout * 1e9) : 0;

	sink out = { &res->out_tail, spec->capture, spec->capture_max, &res->capture_truncated };
	sink errs = { &res->err_tail, NULL, 0, NULL };
	pg_proc_status killed = wait_for_exit(pid, &io, &out, &errs, deadline, &wstatus, &ru, &end);
	if (killed != PG_PROC_OK) {
		kill_group(pid);
		end = pg_now_ns();
		while (wait4(pid, &wstatus, 0, &ru) < 0 && errno == EINTR)
			;
	} else {
		kill(-pid, SIGKILL); /* stragglers left in the group */
	}
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
	} else if (got == (ssize_t)sizeof(rep)) {
		res->status = PG_PROC_EXEC_FAILED;
		res->stage = rep[0] == 1 ? "chdir" : rep[0] == 3 ? "pin to the CPU" : "exec";
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
