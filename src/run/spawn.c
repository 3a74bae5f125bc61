/*
 * spawn.c - starting a benchmark's process without fork() (see spawn.h).
 *
 * The child of clone(CLONE_VM | CLONE_VFORK) shares perfgate's memory,
 * thread-local storage included, until it execs: it must not write any
 * variable perfgate reads, take a lock or run a signal handler of
 * perfgate's.  So every signal is blocked around the clone, the child
 * resets to the default the handlers perfgate installed before it unblocks
 * them, and it makes system calls through syscall() only (sanitizer
 * interceptors of libc wrappers would run in it otherwise).  errno is
 * shared: the child's failed calls may change the parent's, which reads
 * errno only when clone itself failed.  The stack is mapped once and
 * reused (runs are sequential), with a guard page below it.
 */
#define _GNU_SOURCE /* clone, execvp with environ, CPU sets */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1u << 2)
#endif

#if defined(__SANITIZE_ADDRESS__)
#define PG_CHILD_CODE __attribute__((no_sanitize_address, noinline))
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PG_CHILD_CODE __attribute__((no_sanitize_address, noinline))
#endif
#endif
#ifndef PG_CHILD_CODE
#define PG_CHILD_CODE __attribute__((noinline))
#endif

/* The kernel's struct sigaction (rt_sigaction): handler, flags, restorer,
 * mask; only the handler is read or set here. */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

PG_CHILD_CODE static void child_exit(int code)
{
	for (;;)
		syscall(SYS_exit_group, code);
}

/* dup2 where old == new also clears close-on-exec (dup2 would not). */
PG_CHILD_CODE static void child_dup_to(int old, int fd)
{
	if (old == fd)
		syscall(SYS_fcntl, fd, F_SETFD, 0);
	else
		syscall(SYS_dup3, old, fd, 0);
}

/* Marks every descriptor from 3 up close-on-exec: with close_range when
 * `high` < 0, else with fcntl up to `high`. */
PG_CHILD_CODE static void child_mark_cloexec(int high)
{
#ifdef SYS_close_range
	if (high < 0 && syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	for (int fd = 3; fd <= high; fd++) {
		long flags = syscall(SYS_fcntl, fd, F_GETFD);
		if (flags >= 0 && !(flags & FD_CLOEXEC))
			syscall(SYS_fcntl, fd, F_SETFD, flags | FD_CLOEXEC);
	}
}

/* Handlers perfgate installed go back to the default (an exec would do it,
 * but a signal may arrive before); SIGPIPE too, which libraries ignore.
 * Other ignored signals stay ignored, as an exec leaves them. */
PG_CHILD_CODE static void child_reset_signals(void)
{
	struct kernel_sigaction dfl = { SIG_DFL, 0, NULL, 0 }, old;
	for (int sig = 1; sig < 65; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP ||
		    syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof(old.mask)) != 0)
			continue;
		if (old.handler != SIG_DFL && (old.handler != SIG_IGN || sig == SIGPIPE))
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
	}
}

/* The child, until the exec; never returns.  A failure to start is
 * reported through report_fd as {stage, errno}. */
PG_CHILD_CODE static int child_main(void *arg)
{
	const pg_spawn_child *c = arg;
	uint64_t none = 0;
	int report[2] = { 0, 0 };
	/* die with perfgate, and do not start if it is already gone */
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (syscall(SYS_getppid) != c->parent)
		child_exit(127);
	/* its own session, so also its own process group, without a
	 * controlling terminal: it cannot open /dev/tty nor take the terminal
	 * perfgate's Ctrl-C comes from */
	syscall(SYS_setsid);
	child_reset_signals();
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
	long devnull = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull >= 0)
		child_dup_to((int)devnull, 0);
	child_dup_to(c->out_fd, 1);
	child_dup_to(c->err_fd, 2);
	/* perfgate's own descriptors are close-on-exec; so is anything it
	 * inherited or a library opened without the flag */
	child_mark_cloexec(c->fd_high);
	if (c->go_other >= 0)
		syscall(SYS_close, c->go_other);
	if (c->go_fd >= 0) {
		/* wait until the parent has attached its counters; if it is
		 * gone, exec anyway: nothing will be counted */
		char go;
		syscall(SYS_read, c->go_fd, &go, 1);
	}
	if (c->cwd && syscall(SYS_chdir, c->cwd) != 0) {
		report[0] = PG_SPAWN_CHDIR;
		report[1] = errno;
	} else if (c->pinned &&
		   syscall(SYS_sched_setaffinity, 0, sizeof(c->cpus), &c->cpus) != 0) {
		report[0] = PG_SPAWN_PIN;
		report[1] = errno;
	} else {
		/* environ is the command's: set by the parent around the clone */
		execvp(c->argv[0], c->argv);
		report[0] = PG_SPAWN_EXEC;
		report[1] = errno;
	}
	syscall(SYS_write, c->report_fd, report, sizeof(report));
	child_exit(127);
	return 127;
}

/* The child's stack: enough for execvp, which copies PATH entries and
 * (for a script without #!) argv on its stack. */
static size_t stack_size(const pg_spawn_child *c)
{
	size_t need = 64 * 1024;
	for (char *const *a = c->argv; *a; a++)
		need += strlen(*a) + 1 + sizeof(char *);
	for (char **e = c->env; *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			need += strlen(*e);
	long page = sysconf(_SC_PAGESIZE);
	size_t p = page > 0 ? (size_t)page : 4096;
	return (need + p - 1) / p * p;
}

static char *stack_base;  /* the mapping, guard page first */
static size_t stack_len;

/* A stack of at least `size` bytes above a guard page; its top, or NULL. */
static char *stack_top(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t guard = page > 0 ? (size_t)page : 4096;
	if (stack_base && stack_len >= size + guard)
		return stack_base + stack_len;
	if (stack_base)
		munmap(stack_base, stack_len);
	stack_len = size + guard;
	stack_base = mmap(NULL, stack_len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack_base == MAP_FAILED) {
		stack_base = NULL;
		return NULL;
	}
	mprotect(stack_base, guard, PROT_NONE);
	return stack_base + stack_len;
}

pid_t pg_spawn(const pg_spawn_child *c)
{
	sigset_t all, old;
	char **saved = environ;
	pid_t pid;
	int e = 0;
	char *top = c->go_fd >= 0 ? NULL : stack_top(stack_size(c));
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	/* the child's execvp looks PATH up in environ (perfgate is single-
	 * threaded while it runs benchmarks) */
	environ = c->env;
	if (top) {
		pid = clone(child_main, top, CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)c);
	} else {
		pid = fork();
		if (pid == 0)
			child_main((void *)c);
	}
	e = errno;
	environ = saved;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return pid;
}
