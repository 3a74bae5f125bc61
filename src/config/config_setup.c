/*
 * config_setup.c - the perfgate.json keys that prepare and confirm a
 * measurement: "setup" (a command run once per checkout before its
 * benchmarks, top level and per benchmark) and "confirm" (re-measure what
 * the history rule flags as A/B before failing; see src/gate/confirm.h).
 */
#include "config_priv.h"
#include "error.h"

#include <string.h>

/* "setup" is a shell command (a string): it prepares data, so it is
 * usually a pipeline or a script call.  An array of arguments would be as
 * easy to run, but one form is easier to document. */
static void parse_setup(parse_ctx *c, json_t *obj, char **out)
{
	json_t *v = json_object_get(obj, "setup");
	if (v && !json_is_string(v))
		pg_config_problem(c, "setup", "expected a shell command (a non-empty string)");
	else
		pg_config_get_string(c, obj, "setup", out);
}

/* "confirm": true (from notice), false, or the level ("notice", "warning",
 * "critical") from which a history verdict is re-measured as A/B. */
static void parse_confirm(parse_ctx *c, json_t *root, pg_config *cfg)
{
	json_t *v = json_object_get(root, "confirm");
	int sev;
	if (!v)
		return;
	if (json_is_boolean(v)) {
		cfg->confirm = json_is_true(v) ? PG_SEV_NOTICE : 0;
		return;
	}
	if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v) &&
	    pg_fail_on_parse(json_string_value(v), &sev) == 0 && sev != PG_FAIL_NEVER) {
		cfg->confirm = sev;
		return;
	}
	pg_config_problem(c, "confirm", "expected true, false, \"notice\", \"warning\" or "
					"\"critical\"");
}

void pg_config_parse_root_setup(parse_ctx *c, json_t *root, pg_config *cfg)
{
	parse_setup(c, root, &cfg->setup);
	parse_confirm(c, root, cfg);
}

void pg_config_parse_bench_setup(parse_ctx *c, json_t *b, pg_bench_config *bc)
{
	parse_setup(c, b, &bc->setup);
}
