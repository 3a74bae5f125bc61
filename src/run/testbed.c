/*
 * testbed.c - naming the machine and capturing its environment.
 */
#include "testbed.h"
#include "error.h"
#include "utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The "model name" line of /proc/cpuinfo, or "unknown-cpu". */
static void cpu_model(pg_buf *out)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon || strncmp(line, "model name", 10))
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		pg_buf_puts(out, colon);
		break;
	}
	if (f)
		fclose(f);
	if (!out->len)
		pg_buf_puts(out, "unknown-cpu");
}

/* Lower-case, with runs of anything but letters and digits as one '-',
 * and the usual noise words "(R)", "(TM)", "CPU" dropped. */
static void slug_append(pg_buf *out, const char *s)
{
	int dash = out->len > 0;
	while (*s) {
		if (!strncmp(s, "(R)", 3) || !strncmp(s, "(TM)", 4) || !strncmp(s, "(tm)", 4)) {
			s = strchr(s, ')') + 1;
			continue;
		}
		if (isalnum((unsigned char)*s)) {
			if (dash && out->len)
				pg_buf_putc(out, '-');
			dash = 0;
			pg_buf_putc(out, (char)tolower((unsigned char)*s));
		} else {
			dash = 1;
		}
		s++;
	}
}

static long cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

void pg_testbed_derive(pg_buf *out)
{
	struct utsname u;
	pg_buf model = PG_BUF_INIT;
	char count[32];
	if (uname(&u) < 0) {
		strcpy(u.sysname, "unknown");
		strcpy(u.machine, "unknown");
	}
	cpu_model(&model);
	slug_append(out, u.sysname);
	pg_buf_putc(out, '-');
	pg_buf_puts(out, u.machine);
	slug_append(out, model.ptr);
	snprintf(count, sizeof(count), "%ldcpu", cpu_count());
	slug_append(out, count);
	if (out->len > 200)
		pg_buf_truncate(out, 200);
	pg_buf_free(&model);
}

/* The machine's strings (uname, /proc, /sys) as JSON: repaired to UTF-8,
 * which jansson requires. */
static json_t *machine_string(const char *s)
{
	pg_buf b = PG_BUF_INIT;
	pg_utf8_repair(&b, s);
	json_t *j = json_stringn(b.ptr, b.len);
	pg_buf_free(&b);
	return j;
}

json_t *pg_testbed_environment(void)
{
	struct utsname u;
	pg_buf model = PG_BUF_INIT;
	double load[1] = { -1 };
	json_t *env = json_object();
	cpu_model(&model);
	if (uname(&u) == 0) {
		json_object_set_new(env, "os", machine_string(u.sysname));
		json_object_set_new(env, "kernel", machine_string(u.release));
		json_object_set_new(env, "arch", machine_string(u.machine));
	}
	json_object_set_new(env, "cpu_model", machine_string(model.ptr));
	json_object_set_new(env, "cpu_count", json_integer(cpu_count()));
	if (getloadavg(load, 1) == 1)
		json_object_set_new(env, "load_avg", json_real(load[0]));
	char gov[64] = "";
	FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "r");
	if (f && fgets(gov, sizeof(gov), f)) {
		gov[strcspn(gov, "\n")] = '\0';
		json_object_set_new(env, "cpu_governor", machine_string(gov));
	}
	if (f)
		fclose(f);
	pg_buf_free(&model);
	return env;
}

void pg_testbed_warn(const json_t *env)
{
	double load = json_number_value(json_object_get(env, "load_avg"));
	long cpus = (long)json_integer_value(json_object_get(env, "cpu_count"));
	const char *gov = json_string_value(json_object_get(env, "cpu_governor"));
	if (cpus > 0 && load > 0.5 * (double)cpus)
		pg_warn("the load average is %.2f on %ld CPUs: other work on this machine will add "
			"noise to the timings", load, cpus);
	if (gov && strcmp(gov, "performance"))
		pg_warn("the CPU frequency governor is '%s', not 'performance': clock speed will vary "
			"(cpupower frequency-set -g performance)", gov);
}
