/*
 * host.c - the process-wide host settings the CLI hands over (see host.h).
 */
#include "host.h"
#include "buf.h"

#include <stdlib.h>

static pg_host_opts current = { "/tmp", NULL, NULL, NULL };

static void set(const char **field, const char *value, const char *dflt)
{
	if (*field != dflt)
		free((char *)*field);
	*field = value && *value ? pg_strdup(value) : dflt;
}

void pg_host_configure(const pg_host_opts *o)
{
	static const pg_host_opts none = { NULL, NULL, NULL, NULL };
	if (!o)
		o = &none;
	set(&current.tmpdir, o->tmpdir, "/tmp");
	set(&current.path, o->path, NULL);
	set(&current.counters, o->counters, NULL);
	set(&current.outer_guard, o->outer_guard, NULL);
}

const pg_host_opts *pg_host(void)
{
	return &current;
}
