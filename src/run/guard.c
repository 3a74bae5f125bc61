/*
 * guard.c - the subreaper, the reaping of escaped descendants and the
 * guardian process (see guard.h for the contract).
 *
 * The guardian is a fork of perfgate taken in the middle of its life, so
 * the code it runs after the fork uses only system calls and fixed
 * buffers: no stdio, no malloc (another thread may have held their locks).
 * What it must kill is written by perfgate into a page shared with it
 * (MAP_SHARED, mapped before its fork), read by the guardian only once
 * perfgate is gone: arming, watching and disarming are plain stores, so
 * the guardian is not woken up in the middle of every measurement.  Where
 * that page cannot be mapped, they are messages of one int32 each on the
 * socket: 0 arms it (a run starts), a positive number is a process group
 * to kill, -1 disarms it (the run is over).
 */
#define _GNU_SOURCE /* getdents64, memmem, __WALL */
#include "guard.h"
#include "buf.h"
#include "error.h"
#include "host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN_LEN 16
#define MAX_GROUPS 16

static pid_t guard_pid = -1;
static int guard_sock = -1;
static char token[TOKEN_LEN + 1];
static char *token_entry;

/* Written by perfgate only, read by the guardian once perfgate is dead. */
typedef struct guard_shared {
	volatile sig_atomic_t armed;
	volatile sig_atomic_t ngroups;
	volatile pid_t groups[MAX_GROUPS];
} guard_shared;

static guard_shared *shared; /* NULL: messages on the socket instead */

/* ---- the guardian (after the fork: system calls only) --------------- */

static pid_t parse_pid(const char *s)
{
	long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 99999999)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return (pid_t)v;
}

/* Whether /proc/NAME/environ holds the token. */
static int carries_token(const char *name)
{
	static char buf[65536 + TOKEN_LEN];
	char path[64] = "/proc/";
	size_t keep = 0, n = strlen(name);
	int found = 0;
	if (n > 32)
		return 0;
	memcpy(path + 6, name, n);
	memcpy(path + 6 + n, "/environ", sizeof("/environ"));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t got = read(fd, buf + keep, sizeof(buf) - keep);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		size_t len = keep + (size_t)got;
		if (memmem(buf, len, token, TOKEN_LEN)) {
			found = 1;
			break;
		}
		/* a token cut in two by the read is found with the next part */
		keep = len < TOKEN_LEN - 1 ? len : TOKEN_LEN - 1;
		memmove(buf, buf + len - keep, keep);
	}
	close(fd);
	return found;
}

/* SIGKILLs every process whose environment holds the token; how many. */
static int kill_marked(void)
{
	static char buf[16384] __attribute__((aligned(8)));
	pid_t self = getpid();
	int found = 0;
	int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return 0;
	for (;;) {
		ssize_t n = getdents64(dir, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(void *)(buf + off);
			pid_t pid = parse_pid(de->d_name);
			off += de->d_reclen;
			if (pid > 1 && pid != self && carries_token(de->d_name)) {
				kill(pid, SIGKILL);
				found++;
			}
		}
	}
	close(dir);
	return found;
}

/* Only descriptor kept: the socket, as 3; /dev/null as 0, 1 and 2. */
static void guardian_detach(int sock)
{
	static const int ignored[] = { SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGTSTP,
				       SIGTTIN, SIGTTOU, SIGPIPE };
	struct sigaction ign;
	sigset_t none;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	for (size_t i = 0; i < sizeof(ignored) / sizeof(*ignored); i++)
		sigaction(ignored[i], &ign, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0); /* a kill of perfgate's group leaves it to clean up */
	prctl(PR_SET_NAME, "perfgate-guard", 0, 0, 0);
	if (chdir("/") < 0) {
		/* stays where perfgate was; harmless */
	}
	if (sock != 3)
		dup2(sock, 3);
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 4u, ~0u, 0u) < 0)
#endif
		for (int fd = 4; fd < 65536; fd++)
			close(fd);
	int nul = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++) {
		if (nul >= 0)
			dup2(nul, fd);
		else
			close(fd);
	}
	if (nul > 3)
		close(nul);
}

static void guardian_main(int sock) __attribute__((noreturn));
static void guardian_main(int sock)
{
	pid_t groups[MAX_GROUPS];
	size_t ngroups = 0;
	int armed = 0;
	guardian_detach(sock);
	for (;;) {
		int32_t msg;
		ssize_t n = recv(3, &msg, sizeof(msg), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* perfgate is gone */
		if (n != sizeof(msg))
			continue;
		if (msg == 0 || msg == -1) {
			armed = msg == 0;
			ngroups = 0;
		} else if (msg > 0 && ngroups < MAX_GROUPS) {
			groups[ngroups++] = msg;
		}
	}
	if (shared) {
		armed = shared->armed;
		ngroups = (size_t)shared->ngroups;
		if (ngroups > MAX_GROUPS)
			ngroups = MAX_GROUPS;
		for (size_t i = 0; i < ngroups; i++)
			groups[i] = shared->groups[i];
	}
	if (armed) {
		struct timespec pause = { 0, 10000000 };
		for (size_t i = 0; i < ngroups; i++)
			kill(-groups[i], SIGKILL);
		/* again until none is left: the killed may have been forking */
		for (int pass = 0; pass < 100 && kill_marked(); pass++)
			nanosleep(&pause, NULL);
	}
	_exit(0);
}

/* ---- perfgate's side ------------------------------------------------- */

static void make_token(void)
{
	uint64_t v = 0;
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		v = ((uint64_t)getpid() << 40) ^ (uint64_t)ts.tv_sec << 20 ^ (uint64_t)ts.tv_nsec;
	}
	snprintf(token, sizeof(token), "%016llx", (unsigned long long)v);
	/* the environment entry: ours, then an outer perfgate's */
	pg_buf entry = PG_BUF_INIT;
	const char *outer = pg_host()->outer_guard;
	pg_buf_printf(&entry, "PERFGATE_GUARD=%s", token);
	if (outer && *outer)
		pg_buf_printf(&entry, ",%s", outer);
	token_entry = pg_buf_detach(&entry);
}

int pg_guard_start(void)
{
	int sv[2];
	if (guard_pid > 0)
		return 0;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return pg_error_set(PG_ERUNTIME, "cannot become the subreaper of the benchmarks: %s",
				    strerror(errno));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return pg_error_set(PG_ERUNTIME, "cannot create a socket for the process guardian: %s",
				    strerror(errno));
	if (!token_entry)
		make_token();
	if (!shared) {
		void *page = mmap(NULL, sizeof(guard_shared), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		shared = page == MAP_FAILED ? NULL : page;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		guardian_main(sv[1]);
	}
	int e = errno;
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return pg_error_set(PG_ERUNTIME, "cannot fork the process guardian: %s", strerror(e));
	}
	guard_pid = pid;
	guard_sock = sv[0];
	return 0;
}

const char *pg_guard_token(void)
{
	return token_entry;
}

static void tell(int32_t msg)
{
	if (guard_sock >= 0 && send(guard_sock, &msg, sizeof(msg), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
		/* the guardian is gone or stuck: perfgate's own clean-up remains */
	}
}

void pg_guard_arm(void)
{
	if (!shared) {
		tell(0);
		return;
	}
	shared->ngroups = 0;
	shared->armed = 1;
}

void pg_guard_watch(pid_t pgid)
{
	if (pgid <= 0)
		return;
	if (!shared) {
		tell((int32_t)pgid);
		return;
	}
	if (shared->ngroups < MAX_GROUPS) {
		/* the group first: a count never covers an unwritten one */
		shared->groups[shared->ngroups] = pgid;
		shared->ngroups = shared->ngroups + 1;
	}
}

void pg_guard_disarm(void)
{
	if (!shared) {
		tell(-1);
		return;
	}
	shared->armed = 0;
	shared->ngroups = 0;
}

/* "12 345 " -> pids; returns how many were stored. */
static size_t parse_pids(const char *s, pid_t *pids, size_t max)
{
	size_t n = 0;
	while (*s && n < max) {
		char *end;
		long v = strtol(s, &end, 10);
		if (end == s)
			break;
		if (v > 0)
			pids[n++] = (pid_t)v;
		s = end;
	}
	return n;
}

/* The ppid field of /proc/NAME/stat ("pid (comm) state ppid ..."). */
static pid_t stat_ppid(const char *name)
{
	char path[300], buf[512];
	int ppid = -1;
	snprintf(path, sizeof(path), "/proc/%s/stat", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')'); /* comm may hold spaces and ')' */
	if (!paren || sscanf(paren + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

size_t pg_guard_children(pid_t *pids, size_t max, int scan_proc)
{
	char path[64], buf[4096];
	pid_t self = getpid();
	size_t n = 0;
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)self);
	int fd = scan_proc ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t got = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (got < 0)
			return 0;
		/* a number cut at the end of the buffer is left for next time */
		while (got == (ssize_t)sizeof(buf) - 1 && got > 0 && buf[got - 1] != ' ')
			got--;
		buf[got] = '\0';
		return parse_pids(buf, pids, max);
	}
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && n < max && (de = readdir(d)))
		if (parse_pid(de->d_name) > 0 && stat_ppid(de->d_name) == self)
			pids[n++] = parse_pid(de->d_name);
	if (d)
		closedir(d);
	return n;
}

void pg_guard_reap(void)
{
	pid_t kids[64];
	/* each round reaps one generation; their orphans are ours next */
	for (int round = 0; round < 1000; round++) {
		size_t n = pg_guard_children(kids, sizeof(kids) / sizeof(*kids), 0), k = 0;
		for (size_t i = 0; i < n; i++) {
			if (kids[i] == guard_pid)
				continue;
			/* an unreaped child's pid cannot be reused: its group is its own */
			if (getpgid(kids[i]) == kids[i])
				kill(-kids[i], SIGKILL);
			kill(kids[i], SIGKILL);
			kids[k++] = kids[i];
		}
		if (!k)
			return;
		for (size_t i = 0; i < k; i++)
			while (waitpid(kids[i], NULL, __WALL) < 0 && errno == EINTR)
				;
	}
}
