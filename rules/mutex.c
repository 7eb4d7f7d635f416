/*
 * mutex.c - Mutex's types.  ap_set_mutex() (server/util_mutex.c) takes
 * the words after the mechanism as mutex types ("omitpid" anywhere is an
 * option, no word means "default") and looks each up, last first, among
 * the types registered so far: "default" by the core, the others by the
 * pre_config hooks of the loaded modules, which run before the tree is
 * walked.  A type nobody registered stops httpd ("Mutex type X is not
 * valid", case matters); so does "none" (or "no") for a type registered
 * without AP_MUTEX_ALLOW_NONE, which is every type in httpd 2.4.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mutex.h"

/* module -> the types its pre_config registers (httpd 2.4.71) */
static const struct {
	const char *module, *types[4];
} registered[] = {
	{"ssl_module", {"ssl-cache", "ssl-stapling", "ssl-stapling-refresh"}},
	{"rewrite_module", {"rewrite-map"}},
	{"auth_digest_module", {"authdigest-client", "authdigest-opaque"}},
	{"authn_socache_module", {"authn-socache"}},
	{"cache_socache_module", {"cache-socache"}},
	{"ldap_module", {"ldap-cache"}},
	{"lua_module", {"lua-ivm-shm"}},
	{"proxy_module", {"proxy"}},
	{"proxy_balancer_module", {"proxy-balancer-shm"}},
};

static int
is_registered(const struct hconf_doc *doc, const char *type, int mpm_accept)
{
	size_t n, i, k, j;
	const struct hconf_module *m = hconf_doc_modules(doc, &n);

	/* the core's, and mod_watchdog's (compiled into Debian's apache2) */
	if (strcmp(type, "default") == 0 ||
	    strcmp(type, "watchdog-callback") == 0) {
		return 1;
	}
	if (strcmp(type, "mpm-accept") == 0) {
		return mpm_accept;
	}
	for (i = 0; i < n; i++) {
		if (m[i].ident == NULL) {
			continue;
		}
		for (k = 0; k < sizeof(registered) / sizeof(registered[0]); k++) {
			if (strcmp(m[i].ident, registered[k].module) != 0) {
				continue;
			}
			for (j = 0; j < 4 && registered[k].types[j] != NULL;
			    j++) {
				if (strcmp(type, registered[k].types[j]) == 0) {
					return 1;
				}
			}
		}
	}
	return 0;
}

const char *
rules_mutex_type_refusal(const struct hconf_doc *doc,
    const struct hconf_node *n, int mpm_accept, int third_party,
    uint32_t *argi, char *buf, size_t size)
{
	const char *mech;
	size_t len;
	uint32_t i;
	int none, any = 0;

	if (n->nargs < 1) {
		return NULL;
	}
	mech = n->args[0].value;
	len = strcspn(mech, ":");
	none = (len == 4 && strncasecmp(mech, "none", 4) == 0) ||
	    (len == 2 && strncasecmp(mech, "no", 2) == 0);
	/* popped from the end of the list: the last type is judged first */
	for (i = n->nargs; i-- > 1;) {
		const char *t = n->args[i].value;

		if (strcasecmp(t, "omitpid") == 0) {
			continue;
		}
		any = 1;
		if (!is_registered(doc, t, mpm_accept)) {
			if (third_party) {
				return NULL;
			}
			*argi = i;
			snprintf(buf, size, "Mutex type %s is not valid", t);
			return buf;
		}
		if (none) {
			*argi = i;
			snprintf(buf, size, "None is not allowed for mutex type "
			    "%s", t);
			return buf;
		}
	}
	if (!any && none) {
		*argi = 0;
		snprintf(buf, size, "None is not allowed for mutex type "
		    "default");
		return buf;
	}
	return NULL;
}
