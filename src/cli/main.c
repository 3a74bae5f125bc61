/*
 * main.c - perfgate's entry point: the command table, global options,
 * signal set-up, and the final check that stdout was really written.
 */
#include "cmd.h"
#include "error.h"
#include "host.h"
#include "runner.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} command;

static const command commands[] = {
	{ "run", cmd_run, "run the benchmarks and store the results under HEAD" },
	{ "compare", cmd_compare, "judge HEAD's stored results against the base branch's history" },
	{ "check", cmd_check, "run + compare in one step; the exit status is the gate" },
	{ "history", cmd_history, "show one benchmark's values along the first-parent history" },
	{ "noise", cmd_noise, "how noisy each benchmark is, and the smallest change it can show" },
	{ "import", cmd_import, "store results from other harnesses under HEAD" },
	{ "changes", cmd_changes, "list the commits where a benchmark's level changed (change points)" },
	{ "explain", cmd_explain, "where the instructions went: functions that changed, by callgrind" },
	{ "bisect", cmd_bisect, "find the commit that made a benchmark slower, statistically" },
	{ "merge", cmd_merge, "merge the result files of a run's shards into one document" },
	{ "pull", cmd_pull, "fetch the notes store from a remote and merge it (union of runs)" },
	{ "push", cmd_push, "pull, then push the notes store to a remote (retried when overtaken)" },
	{ "post", cmd_post, "publish a JSON report to GitHub (PR comment, status, summary)" },
};

static void usage(FILE *out)
{
	fputs("usage: perfgate [--version] [--help] <command> [options]\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'perfgate <command> --help' describes a command and its options.\n"
	      "Exit status: 0 pass, 1 the gate failed (a regression reached fail_on, or a\n"
	      "benchmark failed), 2 usage or configuration error, 3 runtime error,\n"
	      "130 interrupted.  See perfgate(1).\n", out);
}

static void on_signal(int sig)
{
	(void)sig;
	pg_runner_interrupt();
}

/* Ctrl-C stops the running benchmark and perfgate cleanly; a second one
 * (the handler resets itself) kills perfgate at once. */
static void install_signal_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND; /* no SA_RESTART: poll() must wake up */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Started with 0, 1 or 2 closed (`perfgate run >&-`), the next descriptor
 * opened would take its place: the guardian's socket would get the report,
 * a result file stdout.  Each closed one is opened on /dev/null first. */
static void open_standard_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) < 0)
			break;
}

/* The only place perfgate reads the environment for its core: the run
 * layer gets these values (host.h), and the commands read their own
 * options (GITHUB_*, PERFGATE_TESTBED, ...) in src/cli. */
static void configure_host(void)
{
	pg_host_opts h = { getenv("TMPDIR"), getenv("PATH"), getenv("PERFGATE_COUNTERS"),
			   getenv("PERFGATE_GUARD") };
	pg_host_configure(&h);
}

static int finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("perfgate: error: cannot write to standard output\n", stderr);
		return PG_EXIT_RUNTIME;
	}
	return status;
}

int main(int argc, char **argv)
{
	open_standard_fds();
	if (argc < 2) {
		usage(stderr);
		return PG_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return finish(0);
	}
	if (!strcmp(argv[1], "--version")) {
		printf("perfgate %s\n", PERFGATE_VERSION);
		return finish(0);
	}
	install_signal_handlers();
	configure_host();
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return finish(commands[i].fn(argc - 1, argv + 1));
	fprintf(stderr, "perfgate: error: unknown command '%s' (see perfgate --help)\n", argv[1]);
	return PG_EXIT_USAGE;
}
