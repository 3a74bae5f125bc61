/*
 * test_cli.c - the command line's option parser (cli_parse, cli.h) and the
 * refusals every reporting command makes before any work is done
 * (cli_judge_opts_check, cli_fail_on): short and long options, --opt=value,
 * clusters, missing values, unknown options, whole numbers out of range,
 * repeated options, "--", and one printable line per error.
 */
#include "cli.h"
#include "error.h"
#include "helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct opts {
	int verbose, all, count;
	const char *output, *name;
} opts;

#define MAX_ARGS 16

/* One parse: the values, the positional arguments and the outcome. */
typedef struct parsed {
	opts o;
	char *argv[MAX_ARGS + 2];
	int argc, npos, err;
} parsed;

static const cli_command_help help = { "perfgate test [options] [ARG...]",
				       "A command of the option parser's tests." };

static void table(cli_option *t, opts *o)
{
	const cli_option tab[] = {
		OPT_FLAG('v', "verbose", &o->verbose, "say more"),
		OPT_FLAG('a', "all", &o->all, "everything"),
		OPT_INT('n', "count", &o->count, "N", "how many"),
		OPT_STRING('o', "output", &o->output, "FILE", "where to"),
		OPT_STRING(0, "name", &o->name, "NAME", "a long option only"),
		OPT_END(),
	};
	memcpy(t, tab, sizeof(tab));
}

/* Parses the NULL-terminated arguments after "perfgate-test". */
static void parse(parsed *p, ...)
{
	cli_option t[6];
	va_list ap;
	memset(p, 0, sizeof(*p));
	p->o.count = -1;
	p->npos = -1;
	table(t, &p->o);
	p->argv[p->argc++] = "perfgate-test";
	va_start(ap, p);
	for (char *a; (a = va_arg(ap, char *));)
		if (p->argc <= MAX_ARGS)
			p->argv[p->argc++] = a;
	va_end(ap);
	pg_error_clear();
	p->err = cli_parse(p->argc, p->argv, t, &help, &p->npos);
}

/* A usage error whose one-line message contains every fragment. */
static void assert_usage(const parsed *p, const char *frag1, const char *frag2)
{
	const char *msg = pg_error_last();
	if (p->err != PG_EUSAGE)
		fail_msg("expected PG_EUSAGE, got %d (%s)", p->err, msg);
	if (strchr(msg, '\n') || !strstr(msg, frag1) || (frag2 && !strstr(msg, frag2)))
		fail_msg("message '%s' should name '%s'%s%s", msg, frag1, frag2 ? " and " : "",
			 frag2 ? frag2 : "");
}

static void test_cli__short_and_long(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "-v", "--all", "-n", "5", "-o", "out.txt", "--name", "x y", NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.npos, 0);
	assert_true(p.o.verbose && p.o.all);
	assert_int_equal(p.o.count, 5);
	assert_string_equal(p.o.output, "out.txt");
	assert_string_equal(p.o.name, "x y");

	parse(&p, "--verbose", "--count", "0", "--output", "o", NULL);
	assert_int_equal(p.err, 0);
	assert_true(p.o.verbose && !p.o.all);
	assert_int_equal(p.o.count, 0);
	assert_string_equal(p.o.output, "o");
	assert_null(p.o.name);

	/* nothing at all */
	parse(&p, NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.npos, 0);
	assert_true(!p.o.verbose && !p.o.all && p.o.count == -1 && !p.o.output);
}

static void test_cli__values_after_equals_and_attached(void **state)
{
	(void)state;
	parsed p;
	/* only the first '=' separates: the value may hold more */
	parse(&p, "--output=a=b", "--count=7", "--name=--all", NULL);
	assert_int_equal(p.err, 0);
	assert_string_equal(p.o.output, "a=b");
	assert_int_equal(p.o.count, 7);
	assert_string_equal(p.o.name, "--all");
	assert_false(p.o.all);

	/* a short option's value attached, and clusters of flags */
	parse(&p, "-ofile", "-n12", "-va", NULL);
	assert_int_equal(p.err, 0);
	assert_string_equal(p.o.output, "file");
	assert_int_equal(p.o.count, 12);
	assert_true(p.o.verbose && p.o.all);

	/* a cluster may end in an option with a value, attached or next */
	parse(&p, "-van3", NULL);
	assert_int_equal(p.err, 0);
	assert_true(p.o.verbose && p.o.all);
	assert_int_equal(p.o.count, 3);
	parse(&p, "-vo", "next", "pos", NULL);
	assert_int_equal(p.err, 0);
	assert_true(p.o.verbose);
	assert_string_equal(p.o.output, "next");
	assert_int_equal(p.npos, 1);
	assert_string_equal(p.argv[1], "pos");
}

static void test_cli__missing_values(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "--output", NULL);
	assert_usage(&p, "--output needs a value", "FILE");
	parse(&p, "-v", "--count", NULL);
	assert_usage(&p, "--count needs a value", "N");
	parse(&p, "-o", NULL);
	assert_usage(&p, "-o needs a value", "FILE");
	parse(&p, "-vn", NULL);
	assert_usage(&p, "-n needs a value", NULL);
	parse(&p, "--name", NULL);
	assert_usage(&p, "--name needs a value", "NAME");
}

static void test_cli__unknown_options(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "--nope", NULL);
	assert_usage(&p, "unknown option '--nope'", "--help");
	/* the value is not part of the name */
	parse(&p, "--nope=secret", NULL);
	assert_usage(&p, "'--nope'", NULL);
	assert_null(strstr(pg_error_last(), "secret"));
	parse(&p, "-x", NULL);
	assert_usage(&p, "unknown option '-x'", NULL);
	parse(&p, "-vx", NULL);
	assert_usage(&p, "unknown option '-x'", NULL);
	/* no abbreviations: --out is not --output, --verbos not --verbose */
	parse(&p, "--out", "f", NULL);
	assert_usage(&p, "'--out'", NULL);
	parse(&p, "--verbos", NULL);
	assert_usage(&p, "'--verbos'", NULL);
	parse(&p, "--outputs", "f", NULL);
	assert_usage(&p, "'--outputs'", NULL);
	/* a long option spelled with one dash is a cluster of short ones */
	parse(&p, "-name", NULL);
	assert_usage(&p, "-n", "got 'ame'");
	/* a flag takes no value */
	parse(&p, "--verbose=1", NULL);
	assert_usage(&p, "--verbose takes no value", NULL);
	/* hostile names stay one printable line */
	parse(&p, "--a\nb\x1b[31m", NULL);
	assert_usage(&p, "unknown option", NULL);
	assert_null(strchr(pg_error_last(), '\x1b'));
	char *huge = malloc(20001);
	memset(huge, 'z', 20000);
	memcpy(huge, "--", 2);
	huge[20000] = '\0';
	parse(&p, huge, NULL);
	assert_usage(&p, "unknown option '--zzz", NULL);
	free(huge);
}

static void test_cli__whole_numbers(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"-1", "1000001", "abc", "12abc", "", "1.5", "0x10", "1e3",
		"99999999999999999999", "-99999999999999999999", "5 ",
	};
	parsed p;
	parse(&p, "--count", "1000000", NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.count, 1000000);
	parse(&p, "-n", "0", NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.count, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char quoted[64];
		snprintf(quoted, sizeof(quoted), "got '%s'", bad[i]);
		parse(&p, "--count", bad[i], NULL);
		assert_usage(&p, "--count", quoted);
		assert_usage(&p, "whole number", NULL);
		parse(&p, "-n", bad[i], NULL);
		assert_usage(&p, "-n", quoted);
	}
	/* --count=VALUE is checked the same way */
	parse(&p, "--count=2000000", NULL);
	assert_usage(&p, "--count", "'2000000'");
	parse(&p, "-n2000000", NULL);
	assert_usage(&p, "-n", "'2000000'");
}

static void test_cli__repeated_options(void **state)
{
	(void)state;
	parsed p;
	/* the last one wins, whichever way it is spelled */
	parse(&p, "-o", "a", "--output", "b", "--output=c", NULL);
	assert_int_equal(p.err, 0);
	assert_string_equal(p.o.output, "c");
	parse(&p, "--count", "1", "-n2", "--count=3", "-n", "4", NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.count, 4);
	parse(&p, "-v", "--verbose", "-vv", NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.o.verbose, 1);
	/* a bad repeat is still refused */
	parse(&p, "--count", "1", "--count", "x", NULL);
	assert_usage(&p, "'x'", NULL);
}

static void test_cli__positional_and_double_dash(void **state)
{
	(void)state;
	parsed p;
	/* positional arguments move to the front, in order */
	parse(&p, "p1", "-v", "p2", "--name", "n", "p3", NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.npos, 3);
	assert_string_equal(p.argv[1], "p1");
	assert_string_equal(p.argv[2], "p2");
	assert_string_equal(p.argv[3], "p3");
	assert_string_equal(p.o.name, "n");

	/* after "--" everything is positional, even "--help" and "--" */
	parse(&p, "a", "--", "-v", "--output", "x", "--help", "--", NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.npos, 6);
	assert_false(p.o.verbose);
	assert_null(p.o.output);
	assert_string_equal(p.argv[1], "a");
	assert_string_equal(p.argv[2], "-v");
	assert_string_equal(p.argv[3], "--output");
	assert_string_equal(p.argv[5], "--help");
	assert_string_equal(p.argv[6], "--");

	/* a lone "-" (stdin, by convention) is positional */
	parse(&p, "-", "-v", NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.npos, 1);
	assert_string_equal(p.argv[1], "-");
	assert_true(p.o.verbose);

	/* "--" as the last argument: nothing after it */
	parse(&p, "-a", "--", NULL);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.npos, 0);
	assert_true(p.o.all);
}

static void test_cli__help(void **state)
{
	(void)state;
	opts o;
	cli_option t[6];
	table(t, &o);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	cli_print_help(f, t, &help);
	fclose(f);
	assert_non_null(strstr(text, "usage: perfgate test [options] [ARG...]\n"));
	assert_non_null(strstr(text, "A command of the option parser's tests."));
	assert_non_null(strstr(text, "-v, --verbose"));
	assert_non_null(strstr(text, "-n, --count N"));
	assert_non_null(strstr(text, "-o, --output FILE"));
	assert_non_null(strstr(text, "--name NAME"));
	assert_non_null(strstr(text, "a long option only"));
	assert_non_null(strstr(text, "-h, --help"));
	free(text);

	/* --help and -h stop parsing (1: exit 0), even after other options;
	 * it prints to stdout, which this test silences */
	fflush(stdout);
	int saved = dup(1), null = open("/dev/null", O_WRONLY);
	assert_true(saved >= 0 && null >= 0);
	dup2(null, 1);
	parsed p;
	parse(&p, "-v", "--help", "--nope", NULL);
	assert_int_equal(p.err, 1);
	parse(&p, "-h", NULL);
	assert_int_equal(p.err, 1);
	/* cli_parse_no_args: -1 to go on, 0 after --help, 2 on a usage error */
	opts q;
	table(t, &q);
	char *args[4] = { "perfgate-test", "--help", NULL, NULL };
	assert_int_equal(cli_parse_no_args(2, args, t, &help), PG_EXIT_PASS);
	args[1] = "-v";
	assert_int_equal(cli_parse_no_args(2, args, t, &help), -1);
	assert_int_equal(q.verbose, 1);
	args[2] = "stray";
	assert_int_equal(cli_parse_no_args(3, args, t, &help), PG_EXIT_USAGE);
	assert_non_null(strstr(pg_error_last(), "'stray' takes no arguments"));
	args[1] = "--bogus";
	assert_int_equal(cli_parse_no_args(2, args, t, &help), PG_EXIT_USAGE);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(null);
}

static void test_cli__judge_opts_refusals(void **state)
{
	(void)state;
	pg_config *cfg = NULL;
	assert_int_equal(pg_config_parse(&cfg, "{\"fail_on\": \"warning\", \"benchmarks\": "
					       "[{\"name\": \"a\", \"command\": \"true\"}]}",
					 "perfgate.json"),
			 0);
	cli_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = cfg;
	cli_judge_opts o;
	memset(&o, 0, sizeof(o));
	assert_int_equal(cli_judge_opts_check(&ctx, &o), 0);
	static const char *const formats[] = { "term", "markdown", "json", "junit", "html" };
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++) {
		o.format = formats[i];
		assert_int_equal(cli_judge_opts_check(&ctx, &o), 0);
	}
	static const char *const fail_ons[] = { "notice", "warning", "critical", "never" };
	for (size_t i = 0; i < sizeof(fail_ons) / sizeof(*fail_ons); i++) {
		o.fail_on = fail_ons[i];
		assert_int_equal(cli_judge_opts_check(&ctx, &o), 0);
	}

	static const char *const bad_formats[] = { "xml", "", "JSON ", "json\n", "t\x1b[2Jerm" };
	o.fail_on = NULL;
	for (size_t i = 0; i < sizeof(bad_formats) / sizeof(*bad_formats); i++) {
		o.format = bad_formats[i];
		parsed p = { .err = cli_judge_opts_check(&ctx, &o) };
		assert_usage(&p, "--format", "term, markdown, json, junit or html");
		assert_null(strchr(pg_error_last(), '\x1b'));
	}
	/* ok, new, improved, missing and failed are severities, not thresholds */
	static const char *const bad_fail_ons[] = { "ok", "new", "improved", "missing",
						    "failed", "fatal", "", "never " };
	o.format = "json";
	for (size_t i = 0; i < sizeof(bad_fail_ons) / sizeof(*bad_fail_ons); i++) {
		char quoted[32];
		o.fail_on = bad_fail_ons[i];
		snprintf(quoted, sizeof(quoted), "got '%s'", bad_fail_ons[i]);
		parsed p = { .err = cli_judge_opts_check(&ctx, &o) };
		assert_usage(&p, "--fail-on", quoted);
	}

	/* cli_fail_on: the option wins, else the config's value */
	int fail_on = 0;
	assert_int_equal(cli_fail_on(NULL, cfg, &fail_on), 0);
	assert_int_equal(fail_on, PG_SEV_WARNING);
	assert_int_equal(cli_fail_on("never", cfg, &fail_on), 0);
	assert_int_equal(fail_on, PG_FAIL_NEVER);
	assert_int_equal(cli_fail_on("critical", cfg, &fail_on), 0);
	assert_int_equal(fail_on, PG_SEV_CRITICAL);
	assert_int_equal(cli_fail_on("sometimes", cfg, &fail_on), PG_EUSAGE);
	pg_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli__short_and_long),
		cmocka_unit_test(test_cli__values_after_equals_and_attached),
		cmocka_unit_test(test_cli__missing_values),
		cmocka_unit_test(test_cli__unknown_options),
		cmocka_unit_test(test_cli__whole_numbers),
		cmocka_unit_test(test_cli__repeated_options),
		cmocka_unit_test(test_cli__positional_and_double_dash),
		cmocka_unit_test(test_cli__help),
		cmocka_unit_test(test_cli__judge_opts_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
