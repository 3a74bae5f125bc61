/*
 * test_callgrind.c - the callgrind reader: self and inclusive Ir from a
 * file written the way valgrind writes them (compressed names, relative
 * positions, calls, several parts), and hostile files refused with the
 * line named.
 */
#include "buf.h"
#include "callgrind.h"
#include "error.h"
#include "helpers.h"

#include <stdint.h>
#include <string.h>

static const char GOOD[] =
	"# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npositions: line\n"
	"events: Ir Dr\nsummary: 1000\n\nob=(1) /bin/x\nfl=(1) /src/a.c\nfn=(1) main\n"
	"10 5 1\n+2 5\n-1 10\ncfl=(1)\ncfn=(2) hot\ncalls=3 40\n12 300\n"
	"fn=(2)\n40 100 7\n* 200\nfn=(3) 0x0000000000401000\n0 30\n"
	"part: 2\nfl=(1)\nfn=(1)\n11 1\n";

static void test_callgrind__counts(void **state)
{
	(void)state;
	pg_cg_profile p;
	assert_int_equal(pg_callgrind_parse(&p, GOOD, strlen(GOOD), "cg.out"), 0);
	assert_int_equal(p.n, 3);
	const pg_cg_fn *m = pg_callgrind_find(&p, "main"), *h = pg_callgrind_find(&p, "hot");
	assert_non_null(m);
	assert_non_null(h);
	assert_int_equal(m->self, 21);        /* 5 + 5 + 10, and 1 in part 2 */
	assert_int_equal(m->incl, 321);       /* + the call's 300 */
	assert_int_equal(m->line, 10);
	assert_string_equal(m->file, "/src/a.c");
	assert_int_equal(h->self, 300);
	assert_int_equal(h->line, 40);
	assert_int_equal(p.total, 351);
	assert_int_equal(p.unnamed, 30);      /* known by address only */
	pg_callgrind_free(&p);
}

static void test_callgrind__hostile(void **state)
{
	(void)state;
	static const struct { const char *text, *msg; } cases[] = {
		{ "", "no \"events:\" line" },
		{ "hello world\n", "cg.out:1: unknown line" },
		{ "events: Ir\n1 2\n", "cg.out:2: cost line outside a function" },
		{ "fn=(1) a\n1 2\n", "cost line before \"events:\"" },
		{ "events: Dr\nfn=(1) a\n1 2\n", "cost line before \"events:\" naming Ir" },
		{ "events: Ir\nfn=(7)\n", "cg.out:2: name id used before it is defined" },
		{ "events: Ir\nfn=(99999999) a\n", "bad name id" },
		{ "events: Ir\nfn=(1 a\n", "bad name id" },
		{ "events: Ir\nfn=(1) a\nfn=(1) b\n", "cg.out:3: name id redefined" },
		{ "events: Ir\nfn=(1) a\ncalls=1 2\n", "ends after a calls= line" },
		{ "events: Ir\nfn=(1) a\ncalls=1 2\nfn=(1)\n", "must be followed by its cost" },
		{ "events: Ir\nfn=(1) a\n1 2 3\n", "more costs than events" },
		{ "events: Ir\nfn=(1) a\n1 x\n", "bad number" },
		{ "events: Ir\nfn=(1) a\n1 5x\n", "bad cost" },
		{ "events: Ir\nfn=(1) a\n1 -2\n", "bad number" },
		{ "events: Ir\nfn=(1) a\n1 99999999999999999999999\n", "bad number" },
		{ "events: Ir\nfn=(1) a\n1z 2\n", "bad position" },
		{ "positions: offset\nevents: Ir\n", "unknown position kind" },
		{ "events:\n", "no events" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pg_cg_profile p;
		assert_int_equal(pg_callgrind_parse(&p, cases[i].text, strlen(cases[i].text), "cg.out"),
				 PG_ECORRUPT);
		if (!strstr(pg_error_last(), cases[i].msg))
			fail_msg("case %zu: '%s' not in '%s'", i, cases[i].msg, pg_error_last());
		assert_null(strchr(pg_error_last(), '\n'));
		pg_callgrind_free(&p);
	}
	/* a NUL byte, a name too long, costs that would wrap */
	pg_cg_profile p;
	assert_int_equal(pg_callgrind_parse(&p, "events: Ir\0x\n", 13, "cg.out"), PG_ECORRUPT);
	pg_callgrind_free(&p);
	pg_buf b = PG_BUF_INIT;
	pg_buf_puts(&b, "events: Ir\nfn=(1) ");
	for (int i = 0; i < PG_CG_NAME_MAX + 1; i++)
		pg_buf_putc(&b, 'f');
	pg_buf_puts(&b, "\n");
	assert_int_equal(pg_callgrind_parse(&p, b.ptr, b.len, "cg.out"), PG_ECORRUPT);
	assert_non_null(strstr(pg_error_last(), "name too long"));
	pg_callgrind_free(&p);
	pg_buf_free(&b);
	const char *big = "events: Ir\nfn=(1) a\n1 18446744073709551615\n2 5\n";
	assert_int_equal(pg_callgrind_parse(&p, big, strlen(big), "cg.out"), 0);
	assert_true(p.fns[0].self == UINT64_MAX && p.total == UINT64_MAX);
	pg_callgrind_free(&p);
	/* CRLF line ends, a missing final newline */
	const char *crlf = "events: Ir\r\nfn=(1) a\r\n1 5";
	assert_int_equal(pg_callgrind_parse(&p, crlf, strlen(crlf), "cg.out"), 0);
	assert_int_equal(p.total, 5);
	pg_callgrind_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callgrind__counts),
		cmocka_unit_test(test_callgrind__hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
