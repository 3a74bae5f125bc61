/*
 * spawn.h - starting a benchmark's process (used by runner.c).
 *
 * pg_spawn starts the child with clone(CLONE_VM | CLONE_VFORK) on a small
 * stack of its own, as posix_spawn does: no copy of perfgate's page tables
 * (libgit2, libcurl and jansson mapped), so the start-up that lands in
 * every wall-time sample is the exec, not a fork.  posix_spawn itself
 * cannot be used: the child must set PR_SET_PDEATHSIG, check that perfgate
 * is still its parent, mark every inherited descriptor close-on-exec and
 * pin itself to a CPU with errors reported stage by stage.  The child
 * therefore runs only system calls (through syscall(), no interposed libc
 * wrapper, no malloc, no stdio) and execvp, until the exec.
 *
 * With `go_fd` >= 0 (perf counters to attach before the exec) the child
 * must wait for the parent, which a vfork-style child cannot (the parent
 * is suspended until the exec): pg_spawn then uses fork().
 */
#ifndef PG_SPAWN_H
#define PG_SPAWN_H

#include <sched.h> /* cpu_set_t: includers define _GNU_SOURCE */
#include <sys/types.h>

typedef struct pg_spawn_child {
	char *const *argv;  /* argv[0] looked up in the PATH of `env` */
	char **env;         /* the command's whole environment */
	const char *cwd;    /* NULL: perfgate's */
	int pinned;         /* sched_setaffinity(cpus) */
	cpu_set_t cpus;
	pid_t parent;       /* getpid() of perfgate: the child checks it */
	int out_fd, err_fd; /* become 1 and 2; 0 is /dev/null */
	int report_fd;      /* gets {stage, errno} if the child cannot start */
	int go_fd;          /* -1, or a byte is read from it before the exec */
	int go_other;       /* -1, or the write end of go_fd: the child closes it */
	int fd_high;        /* < 0: close_range(CLOSE_RANGE_CLOEXEC) works;
			     * else the highest descriptor to mark */
} pg_spawn_child;

/* Stages reported through report_fd. */
#define PG_SPAWN_CHDIR 1
#define PG_SPAWN_EXEC 2
#define PG_SPAWN_PIN 3

/* Starts the child; its pid, or -1 with errno set.  Signals are blocked
 * around the start so no handler of perfgate's runs in the child. */
pid_t pg_spawn(const pg_spawn_child *c);

#endif
