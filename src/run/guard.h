/*
 * guard.h - the processes perfgate starts never outlive it.
 *
 * Four layers; the runner (runner.c) uses them around every command:
 *  - the command dies with perfgate: the child sets PR_SET_PDEATHSIG
 *    (SIGKILL) before exec;
 *  - its process group is killed when the command exits, times out or is
 *    interrupted (runner.c);
 *  - perfgate is the child subreaper of everything it starts: a process
 *    that left the group (setsid, a double-forked daemon) is reparented to
 *    perfgate when its parent exits, and pg_guard_reap() kills and reaps
 *    every such process at the end of each run;
 *  - a guardian process, forked once by pg_guard_start(), covers perfgate
 *    dying without cleaning up (kill -9): it holds one end of a socket
 *    whose other end perfgate holds, and when it reads end-of-file while a
 *    run is under way (as perfgate left in a page they share), it kills the run's process group and every process
 *    whose environment carries this perfgate's token (pg_guard_token(),
 *    added to every command's environment and inherited by its
 *    descendants).  A process that left the group escapes only that last
 *    case, and only when the guardian cannot see the token: it started
 *    with an environment without it (env -i), or, when perfgate is not
 *    root, it made itself non-dumpable (PR_SET_DUMPABLE 0 makes
 *    /proc/PID/environ unreadable to the same user).  No other mark tells
 *    such a process safely from the user's own (ssh-agent and gpg-agent
 *    are non-dumpable too), so the guardian kills nothing it cannot read.
 *
 * The guardian holds no descriptor of perfgate's but its socket (and
 * /dev/null as 0, 1 and 2), lives in its own process group in /, ignores
 * terminal signals, and exits when perfgate exits, however that happens.
 * One run at a time, from perfgate's main thread.
 */
#ifndef PG_GUARD_H
#define PG_GUARD_H

#include <stddef.h>
#include <sys/types.h>

/* Becomes the child subreaper and forks the guardian, once per process
 * (later calls do nothing).  0, or PG_ERUNTIME when the kernel refuses. */
int pg_guard_start(void);

/* "PERFGATE_GUARD=<token>", the environment entry that marks every
 * process of this perfgate's runs; NULL before pg_guard_start().  The
 * token is 16 hex digits (a perfgate run under perfgate appends the
 * outer one after a comma, so both guardians recognise its processes). */
const char *pg_guard_token(void);

/* What the guardian kills if perfgate dies: from pg_guard_arm() (before
 * the fork) to pg_guard_disarm() (after everything was reaped), the
 * processes with the token and the process group given to
 * pg_guard_watch().  Each is a store into a page shared with the
 * guardian (no system call, and the guardian is not woken up while a
 * command is measured), or one send() where that page could not be
 * mapped; a guardian that is gone is ignored. */
void pg_guard_arm(void);
void pg_guard_watch(pid_t pgid);
void pg_guard_disarm(void);

/* Kills (SIGKILL, with their process group when they lead one) and reaps
 * every child of this process but the guardian, and the children they
 * leave behind, until none is left.  Call it once the command has been
 * reaped: perfgate has no other children. */
void pg_guard_reap(void);

/* Up to `max` children of this process (zombies included), from the main
 * thread's /proc/self/task/PID/children, or (`scan_proc`, or when the
 * kernel has no such file) from the ppid of every /proc/PID/stat.
 * Returns how many were stored; a caller that got `max` asks again after
 * dealing with those. */
size_t pg_guard_children(pid_t *pids, size_t max, int scan_proc);

#endif
