/*
 * test_host.c - the host settings the command line hands to the run layer
 * (host.h): defaults, copies (the caller's strings may go away), empty
 * values, and going back to the defaults.
 */
#include "helpers.h"
#include "host.h"

#include <stdlib.h>
#include <string.h>

static void assert_defaults(void)
{
	const pg_host_opts *h = pg_host();
	assert_non_null(h);
	assert_string_equal(h->tmpdir, "/tmp");
	assert_null(h->path);
	assert_null(h->counters);
	assert_null(h->outer_guard);
}

static void test_host__defaults_and_copies(void **state)
{
	(void)state;
	assert_defaults();
	char tmp[] = "/var/tmp/x", path[] = "/usr/bin:/bin", counters[] = "valgrind",
	     guard[] = "1234:abcd";
	pg_host_opts o = { tmp, path, counters, guard };
	pg_host_configure(&o);
	/* copies: the caller's buffers may change or go away */
	memset(tmp, 'z', sizeof(tmp) - 1);
	memset(path, 'z', sizeof(path) - 1);
	memset(counters, 'z', sizeof(counters) - 1);
	memset(guard, 'z', sizeof(guard) - 1);
	const pg_host_opts *h = pg_host();
	assert_string_equal(h->tmpdir, "/var/tmp/x");
	assert_string_equal(h->path, "/usr/bin:/bin");
	assert_string_equal(h->counters, "valgrind");
	assert_string_equal(h->outer_guard, "1234:abcd");
	assert_ptr_not_equal(h->tmpdir, tmp);

	/* configured again: replaced, not merged */
	pg_host_opts some = { NULL, "/opt/bin", NULL, NULL };
	pg_host_configure(&some);
	assert_string_equal(pg_host()->tmpdir, "/tmp");
	assert_string_equal(pg_host()->path, "/opt/bin");
	assert_null(pg_host()->counters);
	assert_null(pg_host()->outer_guard);

	/* an empty TMPDIR is unset: /tmp */
	pg_host_opts empty = { "", NULL, "perf", NULL };
	pg_host_configure(&empty);
	assert_string_equal(pg_host()->tmpdir, "/tmp");
	assert_string_equal(pg_host()->counters, "perf");

	/* NULL: back to the defaults, as often as wanted */
	pg_host_configure(NULL);
	assert_defaults();
	pg_host_configure(NULL);
	assert_defaults();
	pg_host_configure(&o);
	pg_host_configure(&o); /* the same values again: no double free */
	assert_string_equal(pg_host()->tmpdir, "zzzzzzzzzz");
	pg_host_configure(NULL);
	assert_defaults();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host__defaults_and_copies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
