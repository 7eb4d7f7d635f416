/*
 * modules.c - what httpd knows about a module by name: the source file
 * name <IfModule> also matches, and the modules compiled into Debian's
 * apache2.  The facts come from modules.def (see scripts/gen-tables.sh)
 * with a naming rule for modules it does not list.
 */
#include <string.h>

#include "hconf_int.h"

struct modinfo {
	const char *ident, *source, *so;
};

static const struct modinfo known[] = {

#define HCONF_MODULE(i, s, so) {i, s, so},
#include "modules.def"
#undef HCONF_MODULE

	{NULL, NULL, NULL}
};

/* Compiled into Debian's apache2 2.4.71 (apache2 -l). */
static const struct modinfo statics[] = {
	{"core_module", "core.c", NULL},
	{"so_module", "mod_so.c", NULL},
	{"watchdog_module", "mod_watchdog.c", NULL},
	{"http_module", "http_core.c", NULL},
	{"log_config_module", "mod_log_config.c", NULL},
	{"logio_module", "mod_logio.c", NULL},
	{"version_module", "mod_version.c", NULL},
	{"unixd_module", "mod_unixd.c", NULL},
};

int
modules_static(size_t i, const char **ident, const char **source)
{
	if (i >= sizeof(statics) / sizeof(statics[0])) {
		return 0;
	}
	*ident = statics[i].ident;
	*source = statics[i].source;
	return 1;
}

/*
 * The source file name a module reports (module->name).  Unknown
 * modules follow the usual rule: foo_module comes from mod_foo.c.
 */
const char *
modules_source(struct arena *a, const char *ident)
{
	size_t i, n;

	for (i = 0; known[i].ident != NULL; i++) {
		if (strcmp(known[i].ident, ident) == 0) {
			return known[i].source;
		}
	}
	n = strlen(ident);
	if (strncmp(ident, "mpm_", 4) == 0 && n > 11 &&
	    strcmp(ident + n - 7, "_module") == 0) {
		return arena_printf(a, "%.*s.c", (int)(n - 11), ident + 4);
	}
	if (n > 7 && strcmp(ident + n - 7, "_module") == 0) {
		return arena_printf(a, "mod_%.*s.c", (int)(n - 7), ident);
	}
	return arena_printf(a, "mod_%s.c", ident);
}
