/*
 * test_runner.c - measuring real processes: exit codes, signals, stops,
 * timeouts that kill the whole group, processes that leave it, floods
 * that must not block, bad commands, descriptors, and how a failure is
 * described.
 */
#include "buf.h"
#include "guard.h"
#include "helpers.h"
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pg_proc_result run_sh(const char *script, double timeout, char *const *env)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	pg_proc_spec spec = { .argv = argv, .env = env, .timeout = timeout };
	pg_proc_result r;
	assert_int_equal(pg_proc_run(&r, &spec), 0);
	return r;
}

static void test_runner__measures_a_process(void **state)
{
	(void)state;
	pg_proc_result r = run_sh("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 0.05", 10, NULL);
	assert_int_equal(r.status, PG_PROC_OK);
	assert_true(r.wall_ns >= 50000000u);     /* at least the sleep */
	assert_true(r.wall_ns < 5000000000u);
	assert_true(r.cpu_ns > 0);               /* the loop costs CPU */
	assert_true(r.cpu_ns <= r.wall_ns + 10000000u);
	assert_true(r.max_rss_kib > 100);
	pg_proc_result_free(&r);
}

static void test_runner__exit_status_and_stderr_tail(void **state)
{
	(void)state;
	pg_proc_result r = run_sh("echo noise; echo 'first' >&2; echo 'the reason' >&2; exit 3", 10, NULL);
	pg_buf d = PG_BUF_INIT;
	assert_int_equal(r.status, PG_PROC_EXIT);
	assert_int_equal(r.code, 3);
	pg_proc_describe(&d, &r, 10);
	assert_string_equal(d.ptr, "exited with status 3: first | the reason");
	pg_buf_free(&d);
	pg_proc_result_free(&r);
}

static void test_runner__signal(void **state)
{
	(void)state;
	pg_proc_result r = run_sh("kill -SEGV $$", 10, NULL);
	assert_int_equal(r.status, PG_PROC_SIGNAL);
	assert_int_equal(r.code, SIGSEGV);
	pg_proc_result_free(&r);
}

static void test_runner__timeout_kills_the_group(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	pg_buf script = PG_BUF_INIT;
	/* a grandchild that would outlive the shell, holding the pipes */
	pg_buf_printf(&script, "sh -c 'echo $$ > %s/pid; exec sleep 30' & sleep 30", dir);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pg_proc_result r = run_sh(script.ptr, 0.3, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.status, PG_PROC_TIMEOUT);
	assert_true(t1.tv_sec - t0.tv_sec < 10);
	/* the grandchild is gone (or a zombie waiting for init to reap it) */
	char *left = th_sh_out(dir, "sleep 0.2; p=$(cat pid); if [ -e /proc/$p ] && ! grep -q "
				    "'^State:.*Z' /proc/$p/status; then echo alive; else echo gone; fi");
	assert_string_equal(left, "gone");
	free(left);
	pg_buf d = PG_BUF_INIT;
	pg_proc_describe(&d, &r, 0.3);
	assert_non_null(strstr(d.ptr, "timed out after 0.3s"));
	pg_buf_free(&d);
	pg_buf_free(&script);
	pg_proc_result_free(&r);
	th_rmrf(dir);
	free(dir);
}

static void test_runner__flood_does_not_block(void **state)
{
	(void)state;
	/* 64 MiB on stdout and 16 MiB on stderr, far beyond a pipe's 64 KiB */
	pg_proc_result r = run_sh("head -c 67108864 /dev/zero | tr '\\0' x; "
				  "head -c 16777216 /dev/zero | tr '\\0' y >&2; echo END >&2", 60, NULL);
	assert_int_equal(r.status, PG_PROC_OK);
	assert_true(r.out_tail.len <= PG_PROC_TAIL);
	assert_true(r.err_tail.len <= PG_PROC_TAIL);
	assert_non_null(strstr(r.err_tail.ptr, "yyyyEND\n"));
	pg_proc_result_free(&r);
}

static void test_runner__cannot_start(void **state)
{
	(void)state;
	char *argv[] = { "./no-such-benchmark", NULL };
	pg_proc_spec spec = { .argv = argv, .timeout = 10 };
	pg_proc_result r;
	pg_buf d = PG_BUF_INIT;
	assert_int_equal(pg_proc_run(&r, &spec), 0);
	assert_int_equal(r.status, PG_PROC_EXEC_FAILED);
	pg_proc_describe(&d, &r, 10);
	assert_string_equal(d.ptr, "could not exec: No such file or directory");
	pg_proc_result_free(&r);
	char *argv2[] = { "true", NULL };
	pg_proc_spec spec2 = { .argv = argv2, .cwd = "/no/such/dir", .timeout = 10 };
	assert_int_equal(pg_proc_run(&r, &spec2), 0);
	assert_int_equal(r.status, PG_PROC_EXEC_FAILED);
	assert_string_equal(r.stage, "chdir");
	pg_proc_result_free(&r);
	pg_buf_free(&d);
}

static void test_runner__env_and_cwd(void **state)
{
	(void)state;
	char *env[] = { "PG_TEST_VALUE=42", "HOME=/elsewhere", NULL };
	pg_proc_result r = run_sh("[ \"$PG_TEST_VALUE\" = 42 ] && [ \"$HOME\" = /elsewhere ] && "
				  "[ -n \"$PATH\" ] || exit 9", 10, env);
	assert_int_equal(r.status, PG_PROC_OK);
	pg_proc_result_free(&r);
	char *argv[] = { "/bin/sh", "-c", "[ \"$(pwd)\" = / ] || exit 4", NULL };
	pg_proc_spec spec = { .argv = argv, .cwd = "/", .timeout = 10 };
	assert_int_equal(pg_proc_run(&r, &spec), 0);
	assert_int_equal(r.status, PG_PROC_OK);
	pg_proc_result_free(&r);
}

/* A timeout beyond what nanoseconds in 64 bits hold (pg_proc_spec may be
 * filled by any caller) is no timeout at all, not an instant one. */
static void test_runner__huge_timeout_is_clamped(void **state)
{
	(void)state;
	const double huge[] = { 2e10, 1e300 };
	for (size_t i = 0; i < sizeof(huge) / sizeof(*huge); i++) {
		pg_proc_result r = run_sh("sleep 0.1", huge[i], NULL);
		assert_int_equal(r.status, PG_PROC_OK);
		pg_proc_result_free(&r);
	}
}

/* The gist of a failure: the last lines, the error before a usage text,
 * what a terminal shows of a line, no control bytes, bounded lengths. */
static void test_runner__describes_the_gist(void **state)
{
	(void)state;
	static const struct {
		const char *script, *expected;
	} cases[] = {
		/* an error, then more usage lines than are shown */
		{ "echo 'tool: unknown option -Z' >&2; for i in 1 2 3 4 5 6 7 8; do "
		  "echo \" -$i : option $i\" >&2; done; exit 1",
		  "exited with status 1: tool: unknown option -Z | ... | -5 : option 5 | "
		  "-6 : option 6 | -7 : option 7 | -8 : option 8" },
		/* the last five non-empty lines, blank ones skipped */
		{ "printf 'a\\nb\\nc\\n\\n  \\nd\\ne error\\nf\\n\\n' >&2; exit 2",
		  "exited with status 2: b | c | d | e error | f" },
		/* progress overwritten with \r, colours, tabs and control bytes */
		{ "printf '10%%\\r20%%\\r\\033[1;31merror:\\033[0m disk\\tfull\\a\\r\\n' >&2; exit 3",
		  "exited with status 3: error: disk full?" },
		/* nothing on stderr: stdout's */
		{ "echo from stdout; exit 4", "exited with status 4: from stdout" },
		{ "exit 5", "exited with status 5" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		pg_proc_result r = run_sh(cases[i].script, 10, NULL);
		pg_buf d = PG_BUF_INIT;
		pg_proc_describe(&d, &r, 10);
		assert_string_equal(d.ptr, cases[i].expected);
		pg_buf_free(&d);
		pg_proc_result_free(&r);
	}
	/* a long line is cut, the whole stays short */
	pg_proc_result r = run_sh("for i in 1 2 3 4 5 6; do head -c 1000 /dev/zero | tr '\\0' x >&2; "
				  "echo >&2; done; exit 1", 10, NULL);
	pg_buf d = PG_BUF_INIT;
	pg_proc_describe(&d, &r, 10);
	assert_true(d.len < 700);
	assert_non_null(strstr(d.ptr, "xxx... | xxx"));
	pg_buf_free(&d);
	pg_proc_result_free(&r);
}

/* A stopped command is reported as such at once, not after its timeout. */
static void test_runner__stopped(void **state)
{
	(void)state;
	struct timespec t0, t1;
	pg_buf d = PG_BUF_INIT;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pg_proc_result r = run_sh("echo stopping >&2; kill -STOP $$", 120, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.status, PG_PROC_STOPPED);
	assert_int_equal(r.code, SIGSTOP);
	assert_true(t1.tv_sec - t0.tv_sec < 60);
	pg_proc_describe(&d, &r, 120);
	assert_true(!strncmp(d.ptr, "stopped by signal ", 18));
	assert_non_null(strstr(d.ptr, "(SIGSTOP): stopping"));
	pg_buf_free(&d);
	pg_proc_result_free(&r);
}

/* Processes that left the group (a session of their own, a double fork)
 * are gone, reaped, when pg_proc_run returns. */
static void test_runner__escaped_processes_are_reaped(void **state)
{
	(void)state;
	char *dir = th_tempdir();
	pg_buf script = PG_BUF_INIT;
	/* (the pause gives them time to leave the group; it decides nothing) */
	pg_buf_printf(&script, "setsid sleep 60 & echo $! > %s/p1; "
			       "(setsid sleep 60 & echo $! > %s/p2); sleep 0.1", dir, dir);
	pg_proc_result r = run_sh(script.ptr, 30, NULL);
	assert_int_equal(r.status, PG_PROC_OK);
	for (int i = 1; i <= 2; i++) {
		char *pid = th_sh_out(dir, "cat p%d", i);
		assert_true(atoi(pid) > 1);
		/* no process, not even a zombie: no waiting needed */
		assert_int_equal(kill((pid_t)atoi(pid), 0), -1);
		assert_int_equal(errno, ESRCH);
		free(pid);
	}
	pg_buf_free(&script);
	pg_proc_result_free(&r);
	th_rmrf(dir);
	free(dir);
}

/* Only 0, 1 and 2 reach the command, even from a descriptor the caller
 * opened without close-on-exec (one of them high up); the command carries
 * the guard's token.  Both ways: close_range(CLOSE_RANGE_CLOEXEC), and one
 * fcntl per descriptor as on kernels before 5.11. */
static void test_runner__descriptors_and_token(void **state)
{
	(void)state;
	int leak[2];
	assert_int_equal(pipe(leak), 0);
	assert_int_equal(dup2(leak[0], 300), 300);
	for (int loop = 0; loop <= 1; loop++) {
		pg_buf out = PG_BUF_INIT;
		char *argv[] = { "/bin/sh", "-c",
				 "ls /proc/$$/fd; echo \"$PERFGATE_GUARD\"",
				 NULL };
		pg_proc_spec spec = { .argv = argv, .timeout = 10, .capture = &out,
				      .capture_max = 4096 };
		pg_proc_result r;
		pg_runner_force_fd_loop(loop);
		assert_int_equal(pg_proc_run(&r, &spec), 0);
		pg_runner_force_fd_loop(0);
		assert_int_equal(r.status, PG_PROC_OK);
		const char *token = out.ptr + 6;
		if (strncmp(out.ptr, "0\n1\n2\n", 6) || strspn(token, "0123456789abcdef") != 16)
			fail_msg("%s: descriptors leaked: %s", loop ? "fcntl loop" : "close_range",
				 out.ptr);
		assert_true(token[16] == '\n' || token[16] == ',');
		assert_string_equal(strchr(pg_guard_token(), '=') + 1, strtok(out.ptr + 6, "\n"));
		pg_buf_free(&out);
		pg_proc_result_free(&r);
	}
	close(leak[0]);
	close(leak[1]);
	close(300);
}

/* The children of this process, from the kernel's list and from /proc. */
static void test_runner__lists_children(void **state)
{
	(void)state;
	pid_t kid = fork();
	if (kid == 0) {
		pause();
		_exit(0);
	}
	assert_true(kid > 0);
	for (int scan = 0; scan <= 1; scan++) {
		pid_t pids[64];
		size_t n = pg_guard_children(pids, 64, scan), found = 0;
		for (size_t i = 0; i < n; i++)
			found += pids[i] == kid;
		assert_int_equal(found, 1);
	}
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner__measures_a_process),
		cmocka_unit_test(test_runner__exit_status_and_stderr_tail),
		cmocka_unit_test(test_runner__signal),
		cmocka_unit_test(test_runner__timeout_kills_the_group),
		cmocka_unit_test(test_runner__huge_timeout_is_clamped),
		cmocka_unit_test(test_runner__flood_does_not_block),
		cmocka_unit_test(test_runner__cannot_start),
		cmocka_unit_test(test_runner__env_and_cwd),
		cmocka_unit_test(test_runner__describes_the_gist),
		cmocka_unit_test(test_runner__stopped),
		cmocka_unit_test(test_runner__escaped_processes_are_reaped),
		cmocka_unit_test(test_runner__descriptors_and_token),
		cmocka_unit_test(test_runner__lists_children),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
