/*
 * host.c - the process-wide host settings the CLI hands over (see host.h).
 */
#include "host.h"
#include "buf.h"

#include <stdlib.h>

static const char default_tmpdir[] = "/tmp";
/* the copies pg_host_configure made; `current` points into them */
static char *owned[4];
static pg_host_opts current = { default_tmpdir, NULL, NULL, NULL };

static const char *keep(int slot, const char *value, const char *dflt)
{
	free(owned[slot]);
	owned[slot] = value && *value ? pg_strdup(value) : NULL;
	return owned[slot] ? owned[slot] : dflt;
}

void pg_host_configure(const pg_host_opts *o)
{
	static const pg_host_opts none = { NULL, NULL, NULL, NULL };
	if (!o)
		o = &none;
	current.tmpdir = keep(0, o->tmpdir, default_tmpdir);
	current.path = keep(1, o->path, NULL);
	current.counters = keep(2, o->counters, NULL);
	current.outer_guard = keep(3, o->outer_guard, NULL);
}

const pg_host_opts *pg_host(void)
{
	return &current;
}
