/*
 * modcheck_int.h - what the files of the module handlers' checks share:
 * modcheck.c (state, the entry point, mod_filter, Mutex types),
 * modrewrite.c (mod_rewrite, mod_alias), modauthz.c (addresses,
 * mod_remoteip, mod_authz_core, <Limit>) and modvalues.c (mod_headers,
 * mod_reqtimeout, mod_expires, mod_autoindex).  rules/ only.
 */
#ifndef RULES_MODCHECK_INT_H
#define RULES_MODCHECK_INT_H

#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#include "fold.h"
#include "ieq.h"
#include "modcheck.h"
#include "strset.h"

struct rules_modstate {
	const struct hconf_doc *doc;
	struct filt *f;
	size_t nf, capf;
	struct idxopts *io;
	size_t nio, capio;
	int filters_known; /* every loaded module is in out_filters[] */
	/* providers the configuration itself names: <AuthzProviderAlias
	 * BASE NAME ...> and mod_authnz_fcgi's AuthnzFcgiDefineProvider */
	const char **aliases;
	size_t naliases, capaliases;
	int aliases_read;
	/* authz_providers[] rows whose module is loaded (bit i: row i),
	 * worked out at the first Require */
	unsigned providers_loaded;
	int providers_read;
	/* RewriteRule and RewriteCond argument lines whose words and flags
	 * passed (tag 1: a rule's) */
	struct strset lines_ok;
	struct strset ips_ok;   /* Require ip words that APR parsed */
};

/* httpd's message into buf; returns 1 (RULES_MOD_REFUSED) */
static inline int
say(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return 1;
}

/* A word of a list the handler compares without case. */
static inline int
word_in(const char *w, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++) {
		if (rules_ieq(w, list[i])) {
			return 1;
		}
	}
	return 0;
}

/* modcheck.c */
int rules_mod_loaded(const struct hconf_doc *, const char *ident);
enum rules_mod_verdict rules_mod_expr_refusal(const struct rules_modctx *,
    const char *expr, unsigned more, const char *head, char *buf,
    size_t size);

/* modrewrite.c */
enum rules_mod_verdict rules_rewrite_check(struct rules_modstate *,
    const struct rules_modctx *, const struct hconf_node *, int phase, uint32_t *next, uint32_t *argi,
    const char **ah, char *buf, size_t size);
enum rules_mod_verdict rules_alias_context(const struct rules_modctx *,
    const struct hconf_node *, uint32_t *argi, char *buf, size_t size);
enum rules_mod_verdict rules_redirect_check(const struct rules_modctx *,
    const struct hconf_node *, int phase, uint32_t *argi, char *buf,
    size_t size);

/* modauthz.c */
enum rules_mod_verdict rules_remoteip_check(const struct hconf_node *,
    uint32_t *argi, char *buf, size_t size);
enum rules_mod_verdict rules_require_check(struct rules_modstate *,
    const struct rules_modctx *, const struct hconf_node *, uint32_t *argi,
    char *buf, size_t size);

/* modvalues.c */
enum rules_mod_verdict rules_header_check(const struct rules_modctx *,
    const struct hconf_node *, uint32_t *argi, char *buf, size_t size);
enum rules_mod_verdict rules_reqtimeout_check(const struct hconf_node *,
    uint32_t *argi, char *buf, size_t size);
enum rules_mod_verdict rules_expires_check(const struct hconf_node *,
    uint32_t *argi, char *buf, size_t size);
enum rules_mod_verdict rules_indexoptions_check(struct rules_modstate *,
    const struct rules_modctx *, const struct hconf_node *, uint32_t *argi,
    char *buf, size_t size);

#endif
