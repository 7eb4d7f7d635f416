/*
 * modcheck.h - the read-time checks of loaded modules' own directive
 * handlers (mod_headers, mod_rewrite, mod_alias, mod_remoteip,
 * mod_reqtimeout, mod_expires, mod_autoindex, mod_filter, mod_env), for
 * engine.c.  rules/ only.  The functions decide and format; the engine
 * records.
 */
#ifndef RULES_MODCHECK_H
#define RULES_MODCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "hconf.h"

/* What the engine knows about where a directive is. */
struct rules_modctx {
	const struct hconf_doc *doc;
	const struct hconf_node *section; /* its config: enclosing section or NULL */
	int perdir;          /* cmd->path is set: <Directory>, <Location>,
	                      * <Files>, <If>, <Proxy> and their Match forms */
	unsigned expr_flags; /* rules_expr_check()'s flags */
	/* ap_check_cmd_context()'s NOT_IN_DIRECTORY and NOT_IN_FILES: the
	 * enclosing <Directory...> or else <Files...>/<If...> it names */
	const struct hconf_node *in_directory, *in_files;
	int third_party;     /* a module mpmlint has no table for is loaded */
	const struct rules_dname *dn; /* the node's name (directives.h) */
};

/* A verdict: refused (AH00526) or a warning httpd logs, with its id. */
enum rules_mod_verdict {
	RULES_MOD_OK = 0,
	RULES_MOD_REFUSED,   /* AH00526: httpd stops */
	RULES_MOD_JAMMED,    /* the ap_expr scanner jams: exit 2, no id */
	RULES_MOD_WARNING    /* logged, httpd goes on; *ah is the id */
};

struct rules_modstate;

/** State across directives (mod_filter's declared filters per config). */
struct rules_modstate *rules_modstate_new(const struct hconf_doc *);
void rules_modstate_free(struct rules_modstate *);

/**
 * 1 when rules_module_check() may say something of a directive of that
 * name (its DN_* and DP_* facts): the walk calls it only for these.
 */
struct rules_dname;
int rules_module_named(const struct rules_dname *);
/**
 * Of a name rules_module_named() accepts, the phases of
 * rules_module_check() that may say something of it: bit 0 phase 0,
 * bit 1 phase 1 (in the other, the check passes it without a word).
 */
unsigned rules_module_phases(const struct rules_dname *);

/**
 * Check one directive whose module is loaded and whose context and
 * argument count httpd accepted.  phase 0 runs the checks httpd makes
 * before it compiles the directive's regex (which engine.c checks), phase
 * 1 the rest.  Returns a verdict; with one, httpd's message is in buf,
 * *argi is the argument at fault (nargs: the directive) and *ah the
 * warning's id.  One call reports at most one finding; a warning may be
 * followed by more (call again with *next set), as PassEnv's list.
 */
enum rules_mod_verdict rules_module_check(struct rules_modstate *,
    const struct rules_modctx *, const struct hconf_node *, int phase,
    uint32_t *next, uint32_t *argi, const char **ah, char *buf, size_t size);

/**
 * mod_authz_core's checks of a <RequireAll>, <RequireAny> or <RequireNone>
 * section once its contents are read: no Require inside, or a negated
 * section where its parent combines with OR.  1 with httpd's message in
 * buf (AH00526), else 0.
 */
int rules_authz_section_check(const struct hconf_node *, char *buf,
    size_t size);

/**
 * mod_authz_core's check after reading (AH01624) of an authorization
 * section not inside another: a section whose parts are all negated.
 * 1 with the message in buf and the section at fault in *at, else 0.
 */
int rules_authz_negative_check(const struct hconf_node *,
    const struct hconf_node **at, char *buf, size_t size);

/**
 * core's checks of a <Limit> or <LimitExcept> section's methods against
 * the sections around it (TRACE, none left, none taken away).  1 with
 * httpd's message in buf (AH00526), else 0.
 */
int rules_limit_check(const struct hconf_node *, char *buf, size_t size);

/**
 * Is a RewriteCond pattern (its second word, '!' and all) a regex, as
 * cmd_rewritecond() decides from both words?
 */
int rules_rewritecond_regex(const char *input, const char *pattern);

/**
 * ap_set_mutex()'s check of the types after a known mechanism: each one
 * registered by a loaded module (or "default"), and none of them with
 * the "none" mechanism.  Returns 1 with httpd's message in buf and the
 * argument in *argi, or 0 (also when an unknown module is loaded).
 */
int rules_mutex_check(const struct hconf_doc *, const struct hconf_node *,
    uint32_t *argi, char *buf, size_t size);

#endif
