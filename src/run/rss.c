/*
 * rss.c - sampling the resident memory of a process tree (rss.h).
 */
#include "rss.h"
#include "buf.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct proc_info {
	pid_t pid, ppid, sid;
	int64_t rss_pages;
	char state;
	int in_tree;
} proc_info;

/* The start of /proc/PID/NAME (one read: these files are made whole at
 * open), NUL-terminated in `buf`; -1 when it cannot be read. */
static int read_proc(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Reads /proc/PID/stat: "pid (comm) state ppid pgrp session ... rss" (the
 * command name may hold spaces and parentheses: the last ')' ends it). */
static int read_stat(pid_t pid, proc_info *p)
{
	char buf[1024], *s;
	if (read_proc(pid, "stat", buf, sizeof(buf)) < 0)
		return -1;
	if (!(s = strrchr(buf, ')')))
		return -1;
	s++;
	/* after ')': state(3) ppid(4) pgrp(5) session(6) ... rss(24) */
	char *tok[22];
	int k = 0;
	for (char *save = NULL, *t = strtok_r(s, " ", &save); t && k < 22; t = strtok_r(NULL, " ", &save))
		tok[k++] = t;
	if (k < 22)
		return -1;
	p->pid = pid;
	p->state = tok[0][0];
	p->ppid = (pid_t)atol(tok[1]);
	p->sid = (pid_t)atol(tok[3]);
	p->rss_pages = atoll(tok[21]);
	p->in_tree = 0;
	return 0;
}

/* The proportional set size of PID in bytes (/proc/PID/smaps_rollup,
 * Linux 4.14+): its resident pages, each shared page divided among the
 * processes that map it, so that a tree of forked workers sharing their
 * parent's pages counts them once, not once per worker.  -1 when it cannot
 * be read (an older kernel, another user's process, gone): the caller
 * falls back to the resident set. */
static int64_t read_pss(pid_t pid)
{
	char buf[4096];
	if (read_proc(pid, "smaps_rollup", buf, sizeof(buf)) < 0)
		return -1;
	const char *line = strstr(buf, "\nPss:");
	char *end;
	if (!line)
		return -1;
	long long kb = strtoll(line + 5, &end, 10);
	if (end == line + 5 || kb < 0)
		return -1;
	return (int64_t)kb * 1024;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = ((const proc_info *)a)->pid, y = ((const proc_info *)b)->pid;
	return (x > y) - (x < y);
}

int64_t pg_rss_tree_bytes(pid_t root, pid_t self)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	proc_info *v = NULL;
	size_t n = 0, alloc = 0;
	int64_t total = 0, page = sysconf(_SC_PAGESIZE);
	int root_zombie = 0;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		v = pg_array_grow(v, &alloc, n + 1, sizeof(*v));
		if (read_stat((pid_t)atol(e->d_name), &v[n]) == 0)
			n++;
	}
	closedir(d);
	/* the tree: root, its session, perfgate's adopted orphans, and the
	 * descendants of any of them */
	for (size_t i = 0; i < n; i++) {
		v[i].in_tree = v[i].pid == root || v[i].sid == root ||
			       (v[i].ppid == self && v[i].pid != self);
		if (v[i].pid == root)
			root_zombie = v[i].state == 'Z';
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_pid);
	for (size_t i = 0; i < n; i++) {
		/* up the chain of parents (bounded: /proc changes under us) */
		const proc_info *p = &v[i];
		for (int depth = 0; p && !p->in_tree && p->ppid > 0 && depth < 256; depth++) {
			proc_info key = { .pid = p->ppid };
			p = bsearch(&key, v, n, sizeof(*v), cmp_pid);
		}
		if (p && p->in_tree && v[i].rss_pages > 0) {
			int64_t pss = read_pss(v[i].pid);
			total += pss >= 0 ? pss : v[i].rss_pages * page;
		}
	}
	free(v);
	return root_zombie ? -1 : total;
}

void pg_rss_sampler_init(pg_rss_sampler *s, pid_t root, uint64_t start_ns)
{
	memset(s, 0, sizeof(*s));
	s->root = root;
	s->self = getpid();
	/* the first sample one interval in: before that the child may not
	 * have exec'd yet, and a copy of perfgate is not the benchmark */
	s->start_ns = start_ns;
	s->next_ns = start_ns + PG_RSS_INTERVAL_NS;
}

void pg_rss_sampler_add(pg_rss_sampler *s, double t, double b)
{
	/* Welford's update of the means and the co-moment */
	double dt = t - s->mean_t;
	s->n++;
	s->mean_t += dt / (double)s->n;
	s->mean_b += (b - s->mean_b) / (double)s->n;
	s->m2_t += dt * (t - s->mean_t);
	s->c_tb += dt * (b - s->mean_b);
}

int pg_rss_sampler_tick(pg_rss_sampler *s, uint64_t now_ns)
{
	if (now_ns >= s->next_ns) {
		int64_t bytes = pg_rss_tree_bytes(s->root, s->self);
		if (bytes > 0)
			pg_rss_sampler_add(s, (double)(now_ns - s->start_ns) / 1e9, (double)bytes);
		while (s->next_ns <= now_ns)
			s->next_ns += PG_RSS_INTERVAL_NS;
	}
	uint64_t ms = (s->next_ns - now_ns) / 1000000u;
	return ms < 1 ? 1 : ms > 100 ? 100 : (int)ms;
}

double pg_rss_sampler_slope(const pg_rss_sampler *s)
{
	if (s->n < PG_RSS_MIN_SAMPLES || !(s->m2_t > 0))
		return NAN;
	return s->c_tb / s->m2_t;
}
