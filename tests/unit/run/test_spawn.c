/*
 * test_spawn.c - how a benchmark's process is started (spawn.h, through
 * pg_proc_run): argv[0] is looked up in the PATH of the command's
 * environment and perfgate's own is left as it was; a script without "#!"
 * runs through /bin/sh even with a huge argv (the child's own stack must
 * hold execvp's copies); signals perfgate ignores stay ignored, its
 * handlers never run in the child; CPU pinning; and thousands of starts
 * leak no descriptor and no mapping.
 */
#define _GNU_SOURCE
#include "buf.h"
#include "helpers.h"
#include "runner.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pg_proc_result run(char *const *argv, char *const *env, const char *cwd)
{
	pg_proc_spec spec = { .argv = argv, .env = env, .cwd = cwd, .timeout = 60 };
	pg_proc_result r;
	assert_int_equal(pg_proc_run(&r, &spec), 0);
	return r;
}

static void test_spawn__path_of_the_command_environment(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	pg_buf path = PG_BUF_INIT, script = PG_BUF_INIT;
	th_write(dir, "pg-only-here", "#!/bin/sh\nexit 7\n");
	pg_buf_printf(&script, "%s/pg-only-here", dir);
	chmod(script.ptr, 0755);
	pg_buf_printf(&path, "PATH=/nonexistent:%s", dir);
	const char *before = getenv("PATH");
	char *env[] = { path.ptr, NULL };
	char *argv[] = { "pg-only-here", NULL };
	pg_proc_result r = run(argv, env, NULL);
	assert_int_equal(r.status, PG_PROC_EXIT);
	assert_int_equal(r.code, 7);
	pg_proc_result_free(&r);
	/* perfgate's environment is its own again */
	assert_ptr_equal(getenv("PATH"), before);
	/* not found without that PATH */
	r = run(argv, NULL, NULL);
	assert_int_equal(r.status, PG_PROC_EXEC_FAILED);
	assert_string_equal(r.stage, "exec");
	pg_proc_result_free(&r);
	th_rmrf(dir);
	free(dir);
	pg_buf_free(&path);
	pg_buf_free(&script);
}

static void test_spawn__script_without_shebang_and_huge_argv(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	pg_buf script = PG_BUF_INIT, arg = PG_BUF_INIT;
	/* no "#!": execvp gets ENOEXEC and runs it with /bin/sh, copying argv
	 * on the child's stack */
	th_write(dir, "noshebang", "[ $# -eq 5000 ] || exit 3\n[ ${#1} -eq 200 ] || exit 4\n");
	pg_buf_printf(&script, "%s/noshebang", dir);
	chmod(script.ptr, 0755);
	for (int i = 0; i < 200; i++)
		pg_buf_putc(&arg, 'x');
	char **argv = calloc(20002, sizeof(*argv));
	argv[0] = script.ptr;
	for (int i = 1; i <= 5000; i++)
		argv[i] = arg.ptr;
	pg_proc_result r = run(argv, NULL, NULL);
	assert_int_equal(r.status, PG_PROC_OK);
	pg_proc_result_free(&r);
	free(argv);
	th_rmrf(dir);
	free(dir);
	pg_buf_free(&script);
	pg_buf_free(&arg);
}

static volatile sig_atomic_t handled;
static void on_usr1(int sig)
{
	(void)sig;
	handled = 1;
}

static void test_spawn__signals(void **state)
{
	(void)state;
	struct sigaction sa, old1, old2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, &old1);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGUSR2, &sa, &old2);
	/* ignored stays ignored: the shell survives its own SIGUSR2 */
	char *ign[] = { "/bin/sh", "-c", "kill -USR2 $$; exit 0", NULL };
	pg_proc_result r = run(ign, NULL, NULL);
	assert_int_equal(r.status, PG_PROC_OK);
	pg_proc_result_free(&r);
	/* a handler of perfgate's is the default in the command */
	char *hnd[] = { "/bin/sh", "-c", "kill -USR1 $$; exit 0", NULL };
	r = run(hnd, NULL, NULL);
	assert_int_equal(r.status, PG_PROC_SIGNAL);
	assert_int_equal(r.code, SIGUSR1);
	assert_int_equal(handled, 0);
	pg_proc_result_free(&r);
	sigaction(SIGUSR1, &old1, NULL);
	sigaction(SIGUSR2, &old2, NULL);
}

static void test_spawn__pinned(void **state)
{
	(void)state;
	char *argv[] = { "/bin/sh", "-c", "grep -q '^Cpus_allowed_list:[[:space:]]*0$' /proc/self/status",
			 NULL };
	pg_proc_spec spec = { .argv = argv, .timeout = 60, .pinned = 1, .cpu = 0 };
	pg_proc_result r;
	assert_int_equal(pg_proc_run(&r, &spec), 0);
	assert_int_equal(r.status, PG_PROC_OK);
	pg_proc_result_free(&r);
}

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;
	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Open descriptors, the directory's own not counted. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and the directory */
}

static void test_spawn__no_leaks_over_many_starts(void **state)
{
	(void)state;
	char *argv[] = { "true", NULL };
	pg_proc_result r = run(argv, NULL, NULL); /* the first maps what is kept */
	pg_proc_result_free(&r);
	int maps = count_lines("/proc/self/maps"), fds = count_fds();
	for (int i = 0; i < 2000; i++) {
		r = run(argv, NULL, NULL);
		assert_int_equal(r.status, PG_PROC_OK);
		pg_proc_result_free(&r);
	}
	/* allocators (ASan's) may map a little more; a stack per start would
	 * be thousands */
	assert_true(count_lines("/proc/self/maps") < maps + 100);
	assert_int_equal(count_fds(), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spawn__path_of_the_command_environment),
		cmocka_unit_test(test_spawn__script_without_shebang_and_huge_argv),
		cmocka_unit_test(test_spawn__signals),
		cmocka_unit_test(test_spawn__pinned),
		cmocka_unit_test(test_spawn__no_leaks_over_many_starts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
