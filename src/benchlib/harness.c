/*
 * harness.c - libperfgate_bench: registration, calibration, repetitions
 * and output for <perfgate/bench.h>.
 *
 * Standalone on purpose (libc only), so a benchmark program links nothing
 * of perfgate itself.  Calibration follows Google Benchmark: grow the
 * iteration count (x1.4 of what the last try suggests, between x2 and x10)
 * until one repetition lasts --min-time, then time --repetitions of it.
 * Like Google Benchmark, it also stops growing once a try's real time
 * (paused set-up included) reaches 5 x --min-time, so a benchmark that
 * pauses for expensive set-up does not calibrate for minutes.
 */
#define _POSIX_C_SOURCE 200809L
#include <perfgate/bench.h>

#ifdef __linux__
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <errno.h>
#endif
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_COUNTERS 8

typedef struct counter {
	char *name;      /* a copy: the caller's buffer may change after the call */
	double per_op;
} counter;

typedef struct counters {
	counter c[MAX_COUNTERS];
	int n;
} counters;

typedef struct bench {
	char *name;
	pg_bench_fn fn;
	const int64_t *args;
	int nargs;
} bench;

static bench *benches;
static int nbenches;

/* Instruction counter around the timed region: a user-space hardware
 * counter on this thread, enabled exactly while the timer runs.  -1 when
 * the machine or kernel does not allow it (then `counter_problem` says why
 * and the JSON carries no instruction counts). */
static int counter_fd = -1;
static const char *counter_problem = "not attempted";

static void counter_open(void)
{
#ifdef __linux__
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	counter_fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	if (counter_fd < 0)
		counter_problem = errno == EACCES || errno == EPERM ? "perf_event_open not permitted"
				  : "no hardware performance counters";
#endif
}

static void counter_enable(int on)
{
#ifdef __linux__
	if (counter_fd >= 0)
		ioctl(counter_fd, on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
#else
	(void)on;
#endif
}

static double counter_take(void)
{
	uint64_t v = 0;
#ifdef __linux__
	if (counter_fd >= 0 && read(counter_fd, &v, sizeof(v)) == (ssize_t)sizeof(v)) {
		ioctl(counter_fd, PERF_EVENT_IOC_RESET, 0);
		return (double)v;
	}
#endif
	return -1;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("perfgate-bench: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xrealloc(NULL, strlen(s) + 1), s);
}

void pg_bench_register(const char *name, pg_bench_fn fn, const int64_t *args, int nargs)
{
	benches = xrealloc(benches, (size_t)(nbenches + 1) * sizeof(*benches));
	benches[nbenches].name = xstrdup(name);
	benches[nbenches].fn = fn;
	benches[nbenches].args = args;
	benches[nbenches].nargs = nargs;
	nbenches++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void pg_bench_loop_start(pg_bench_state *st)
{
	st->left = st->iterations;
	st->elapsed_ns = 0;
	st->running = 1;
	counter_take(); /* reset */
	counter_enable(1);
	st->start_ns = now_ns();
}

void pg_bench_loop_stop(pg_bench_state *st)
{
	if (st->running) {
		st->elapsed_ns += now_ns() - st->start_ns;
		counter_enable(0);
	}
	st->running = 0;
}

void pg_bench_pause(pg_bench_state *st)
{
	pg_bench_loop_stop(st);
}

void pg_bench_resume(pg_bench_state *st)
{
	st->running = 1;
	counter_enable(1);
	st->start_ns = now_ns();
}

void pg_bench_counter(pg_bench_state *st, const char *name, double per_op)
{
	counters *cs = st->priv;
	for (int i = 0; i < cs->n; i++)
		if (!strcmp(cs->c[i].name, name)) {
			cs->c[i].per_op = per_op;
			return;
		}
	if (cs->n < MAX_COUNTERS)
		cs->c[cs->n++] = (counter){ xstrdup(name), per_op };
}

/* Runs the body for `n` iterations; returns the timed nanoseconds, and
 * the real nanoseconds (paused time included) in *real when not NULL. */
static double run_once(const bench *b, int64_t arg, uint64_t n, counters *cs, double *real)
{
	pg_bench_state st;
	uint64_t start = now_ns();
	memset(&st, 0, sizeof(st));
	st.iterations = n;
	st.arg = arg;
	st.priv = cs;
	b->fn(&st);
	if (real)
		*real = (double)(now_ns() - start);
	return (double)st.elapsed_ns;
}

typedef struct options {
	double min_time;
	int repetitions;
	int json;
	int list;
	const char *filter;
} options;

typedef struct result {
	char name[256];
	uint64_t iterations;
	double *ns_per_op;
	double *instr_per_op;  /* NULL when not counted */
	counters cs;
	double **rates;  /* per counter, per repetition */
} result;

static uint64_t calibrate(const bench *b, int64_t arg, double min_ns, counters *cs)
{
	uint64_t n = 1;
	for (;;) {
		double real, t = run_once(b, arg, n, cs, &real);
		if (t >= min_ns || real >= 5 * min_ns || n >= 1000000000000ull)
			return n;
		double mult = t > 0 ? min_ns * 1.4 / t : 10;
		if (t < min_ns / 10 || mult > 10)
			mult = 10;
		if (mult < 2)
			mult = 2;
		n = (uint64_t)((double)n * mult);
	}
}

static void measure(const bench *b, int64_t arg, const options *o, result *r)
{
	r->iterations = calibrate(b, arg, o->min_time * 1e9, &r->cs);
	r->ns_per_op = xrealloc(NULL, (size_t)o->repetitions * sizeof(double));
	r->instr_per_op = counter_fd >= 0 ? xrealloc(NULL, (size_t)o->repetitions * sizeof(double))
					   : NULL;
	r->rates = xrealloc(NULL, MAX_COUNTERS * sizeof(double *));
	for (int c = 0; c < MAX_COUNTERS; c++)
		r->rates[c] = xrealloc(NULL, (size_t)o->repetitions * sizeof(double));
	for (int i = 0; i < o->repetitions; i++) {
		double t = run_once(b, arg, r->iterations, &r->cs, NULL);
		r->ns_per_op[i] = t / (double)r->iterations;
		if (r->instr_per_op)
			r->instr_per_op[i] = counter_take() / (double)r->iterations;
		for (int c = 0; c < r->cs.n; c++)
			r->rates[c][i] = r->ns_per_op[i] > 0 ? r->cs.c[c].per_op * 1e9 / r->ns_per_op[i] : 0;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void print_term(const result *r, int reps)
{
	double *s = xrealloc(NULL, (size_t)reps * sizeof(double)), mean = 0, var = 0;
	memcpy(s, r->ns_per_op, (size_t)reps * sizeof(double));
	qsort(s, (size_t)reps, sizeof(double), cmp_double);
	for (int i = 0; i < reps; i++)
		mean += s[i] / reps;
	for (int i = 0; i < reps; i++)
		var += (s[i] - mean) * (s[i] - mean) / (reps > 1 ? reps - 1 : 1);
	double med = reps % 2 ? s[reps / 2] : (s[reps / 2 - 1] + s[reps / 2]) / 2;
	printf("%-40s %12.3f ns/op  min %.3f  max %.3f  cv %.2f%%  (%llu iterations x %d)\n",
	       r->name, med, s[0], s[reps - 1], mean > 0 ? sqrt(var) / mean * 100 : 0,
	       (unsigned long long)r->iterations, reps);
	free(s);
}

/* One JSON string: `s` then `suffix`, escaped. */
static void print_json_string(const char *s, const char *suffix)
{
	putchar('"');
	for (int part = 0; part < 2; part++, s = suffix)
		for (; *s; s++) {
			if (*s == '"' || *s == '\\')
				printf("\\%c", *s);
			else if ((unsigned char)*s < 0x20)
				printf("\\u%04x", *s);
			else
				putchar(*s);
		}
	putchar('"');
}

static void print_json(const result *r, int reps, int first)
{
	printf("%s\n  {\"name\": ", first ? "" : ",");
	print_json_string(r->name, "");
	printf(", \"iterations\": %llu, \"unit\": \"ns\", \"samples\": [",
	       (unsigned long long)r->iterations);
	for (int i = 0; i < reps; i++)
		printf("%s%.6g", i ? ", " : "", r->ns_per_op[i]);
	printf("]");
	if (r->instr_per_op) {
		printf(", \"instructions\": [");
		for (int i = 0; i < reps; i++)
			printf("%s%.6g", i ? ", " : "", r->instr_per_op[i]);
		printf("]");
	}
	printf(", \"counters\": {");
	for (int c = 0; c < r->cs.n; c++) {
		printf("%s", c ? ", " : "");
		print_json_string(r->cs.c[c].name, "_per_second");
		printf(": [");
		for (int i = 0; i < reps; i++)
			printf("%s%.6g", i ? ", " : "", r->rates[c][i]);
		printf("]");
	}
	printf("}}");
}

static void free_result(result *r)
{
	for (int c = 0; c < r->cs.n; c++)
		free(r->cs.c[c].name);
	free(r->ns_per_op);
	free(r->instr_per_op);
	for (int c = 0; c < MAX_COUNTERS; c++)
		free(r->rates[c]);
	free(r->rates);
}

static int usage(const char *prog, int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [--list] [--filter REGEX] [--min-time SECONDS] [--repetitions N]\n"
		"          [--format term|json]\n", prog);
	return status;
}

static int parse_args(int argc, char **argv, options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;
		if (!strcmp(a, "--list")) {
			o->list = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage(argv[0], 0) - 1;
		if (!v)
			return usage(argv[0], 2);
		i++;
		if (!strcmp(a, "--filter"))
			o->filter = v;
		else if (!strcmp(a, "--min-time") && (o->min_time = strtod(v, &end)) > 0 && !*end)
			;
		else if (!strcmp(a, "--repetitions") && (o->repetitions = (int)strtol(v, &end, 10)) > 0 &&
			 !*end)
			;
		else if (!strcmp(a, "--format") && (!strcmp(v, "json") || !strcmp(v, "term")))
			o->json = !strcmp(v, "json");
		else {
			fprintf(stderr, "%s: bad option or value: %s %s\n", argv[0], a, v);
			return 2;
		}
	}
	return 0;
}

int pg_bench_main(int argc, char **argv)
{
	options o = { 0.1, 10, 0, 0, NULL };
	regex_t re;
	int rc = parse_args(argc, argv, &o), first = 1;
	if (rc)
		return rc < 0 ? 0 : rc;
	if (o.filter && regcomp(&re, o.filter, REG_EXTENDED | REG_NOSUB)) {
		fprintf(stderr, "%s: --filter: invalid regular expression '%s'\n", argv[0], o.filter);
		return 2;
	}
	if (!o.list)
		counter_open();
	if (o.json && !o.list) {
		printf("{\"format\": \"perfgate-bench\", \"version\": 1, \"min_time\": %g, "
		       "\"repetitions\": %d, ", o.min_time, o.repetitions);
		if (counter_fd < 0)
			printf("\"instructions_unavailable\": \"%s\", ", counter_problem);
		printf("\"benchmarks\": [");
	}
	for (int i = 0; i < nbenches; i++) {
		const bench *b = &benches[i];
		for (int k = 0; k < (b->nargs ? b->nargs : 1); k++) {
			result r;
			memset(&r, 0, sizeof(r));
			if (b->nargs)
				snprintf(r.name, sizeof(r.name), "%s/%lld", b->name, (long long)b->args[k]);
			else
				snprintf(r.name, sizeof(r.name), "%s", b->name);
			if (o.filter && regexec(&re, r.name, 0, NULL, 0))
				continue;
			if (o.list) {
				puts(r.name);
				continue;
			}
			measure(b, b->nargs ? b->args[k] : 0, &o, &r);
			if (o.json)
				print_json(&r, o.repetitions, first);
			else
				print_term(&r, o.repetitions);
			first = 0;
			free_result(&r);
			fflush(stdout);
		}
	}
	if (o.json && !o.list)
		printf("\n]}\n");
	if (o.filter)
		regfree(&re);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
