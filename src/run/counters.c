/*
 * counters.c - perf_event_open and valgrind behind one small interface
 * (see counters.h).
 */
#include "counters.h"
#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "host.h"

#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int pg_perf_open(int pid, int cycles)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = cycles ? PERF_COUNT_HW_CPU_CYCLES : PERF_COUNT_HW_INSTRUCTIONS;
	a.disabled = 1;
	a.enable_on_exec = 1;
	a.inherit = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &a, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

int64_t pg_perf_read(int fd)
{
	uint64_t v;
	return read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? (int64_t)v : -1;
}

static int valgrind_installed(void)
{
	const char *path = pg_host()->path;
	pg_buf b = PG_BUF_INIT;
	int found = 0;
	while (path && *path && !found) {
		size_t n = strcspn(path, ":");
		pg_buf_clear(&b);
		pg_buf_put(&b, path, n);
		pg_buf_puts(&b, "/valgrind");
		found = access(b.ptr, X_OK) == 0;
		path += n + (path[n] == ':');
	}
	pg_buf_free(&b);
	return found;
}

static int perf_works(int cycles, int *why)
{
	int fd = pg_perf_open(0, cycles);
	*why = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static const char *perf_problem(int e)
{
	if (e == EACCES || e == EPERM)
		return "perf_event_open is not permitted (lower /proc/sys/kernel/perf_event_paranoid "
		       "to 2 or less, or grant CAP_PERFMON)";
	if (e == ENOENT || e == EOPNOTSUPP || e == ENODEV)
		return "this machine has no hardware performance counters (a VM without a PMU)";
	if (e == ENOSYS)
		return "the kernel has no perf_event_open";
	return strerror(e);
}

int pg_counters_probe(pg_counter_source *out, int need_cycles)
{
	const char *force = pg_host()->counters;
	int why = 0;
	*out = PG_COUNTERS_NONE;
	if (force && !strcmp(force, "none"))
		return pg_error_set(PG_ERUNTIME, "instruction counts are disabled "
				    "($PERFGATE_COUNTERS=none); unset it, or drop \"instructions\" "
				    "from \"metrics\"");
	if ((!force || !strcmp(force, "perf")) && perf_works(need_cycles, &why)) {
		*out = PG_COUNTERS_PERF;
		return 0;
	}
	if (force && !strcmp(force, "perf"))
		return pg_error_set(PG_ERUNTIME, "$PERFGATE_COUNTERS=perf, but %s", perf_problem(why));
	if (need_cycles)
		return pg_error_set(PG_ERUNTIME, "\"cycles\" needs hardware counters, but %s; use "
				    "\"instructions\", which valgrind can count", perf_problem(why));
	if (valgrind_installed()) {
		*out = PG_COUNTERS_VALGRIND;
		return 0;
	}
	return pg_error_set(PG_ERUNTIME, "cannot count instructions: %s, and valgrind is not "
			    "installed (apt-get install valgrind)", perf_problem(why));
}

const char *pg_counter_source_name(pg_counter_source s)
{
	return s == PG_COUNTERS_PERF ? "perf" : s == PG_COUNTERS_VALGRIND ? "valgrind" : "none";
}

void pg_valgrind_argv(const char **argv, char *logopt, const char *dir)
{
	snprintf(logopt, 4096 + 16, "--log-file=%s/vg.%%p", dir);
	argv[0] = "valgrind";
	argv[1] = "--tool=cachegrind";
	argv[2] = "--cache-sim=no";
	argv[3] = "--cachegrind-out-file=/dev/null";
	argv[4] = "--trace-children=yes";
	argv[5] = logopt;
	argv[6] = NULL;
}

/* "==123== I   refs:      4,655,717" -> 4655717 */
static int64_t parse_irefs(const char *text)
{
	int64_t total = -1;
	for (const char *p = text; (p = strstr(p, "refs:")); p += 5) {
		const char *q = p;
		while (q > text && q[-1] == ' ')
			q--;
		if (q == text || q[-1] != 'I' || (q - 1 > text && q[-2] != ' '))
			continue;
		int64_t v = 0;
		const char *d = p + 5;
		while (*d == ' ')
			d++;
		for (; (*d >= '0' && *d <= '9') || *d == ','; d++)
			if (*d != ',')
				v = v * 10 + (*d - '0');
		total = (total < 0 ? 0 : total) + v;
	}
	return total;
}

int64_t pg_valgrind_instructions(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int64_t total = -1;
	pg_buf path = PG_BUF_INIT, text = PG_BUF_INIT;
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "vg.", 3))
			continue;
		pg_buf_clear(&path);
		pg_buf_clear(&text);
		pg_path_join(&path, dir, de->d_name);
		/* written under the benchmark's control: bounded, plain files only */
		if (pg_file_read_limited(&text, path.ptr, PG_OUTPUT_MAX, PG_READ_PLAIN_FILE) == 0) {
			int64_t v = parse_irefs(text.ptr);
			if (v >= 0)
				total = (total < 0 ? 0 : total) + v;
		}
	}
	if (d)
		closedir(d);
	pg_buf_free(&path);
	pg_buf_free(&text);
	return total;
}
