/*
 * engine_int.h - the state of one rules_lint() walk and the functions
 * the engine's files share: engine.c (findings, the walk, the visitor),
 * engine_mpm.c, engine_regex.c, engine_generic.c and engine_read.c.
 * rules/ only; nothing outside the engine includes it.
 */
#ifndef RULES_ENGINE_INT_H
#define RULES_ENGINE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"
#include "directives.h"
#include "modcheck.h"
#include "strset.h"

enum rule_code {
#define RULE(e, id, name, sev, sum) e,
#include "rules.def"
#undef RULE
	R__COUNT
};

/*
 * What an enclosing section is, worked out once when the walk enters
 * it, so that the checks of each directive inside compare no names.
 */
enum {
	SEC_VHOST = 1 << 0,     /* <VirtualHost> */
	SEC_DIRECTORY = 1 << 1, /* <Directory>, <DirectoryMatch> */
	SEC_FILES = 1 << 2,     /* <Files>, <FilesMatch> */
	SEC_IF = 1 << 3,        /* <If>, <ElseIf>, <Else> */
	SEC_LOCATION = 1 << 4,  /* <Location>, <LocationMatch> */
	SEC_PROXY = 1 << 5,     /* <Proxy>, <ProxyMatch> */
	SEC_LIMIT = 1 << 6      /* <Limit>, <LimitExcept> */
};
/* per-directory sections: httpd walks them with ACCESS_CONF|OR_ALL */
#define SEC_PERDIR (SEC_DIRECTORY | SEC_FILES | SEC_IF | SEC_LOCATION | \
	SEC_PROXY)

struct rules_walk {
	const struct hconf_doc *doc;
	const struct rules_config *cfg;
	struct rules_result *res;
	enum rules_mpm mpm;
	const struct hconf_node *keepalive, *keepalive_timeout;
	int keepalive_on;
	long keepalive_secs;
	const struct hconf_node *php;
	size_t *counts;                 /* findings per catalogue entry */
	int third_party;                /* a module we have no table for */
	const struct hconf_node **listens; /* Listen lines so far */
	size_t nlistens, caplistens;
	int skip_children;              /* set by visit: do not descend */
	const struct hconf_node **secs; /* enclosing ordinary sections */
	unsigned *secbits;              /* each one's SEC_* kind */
	size_t nsecs, capsecs;
	unsigned expr_flags;            /* modules that add ap_expr names */
	struct if_scope *ifs;           /* <If> chains per open scope */
	size_t nifs, capifs;
	int mpm_refused;                /* AH00534: httpd stops after reading */
	int authz_failed;               /* AH01624 said (once, as httpd) */
	struct rules_modstate *mod;     /* modcheck.c's state */
	struct rules_dirindex *dirs;    /* the directive table's index */
	struct rules_dname dn;          /* the visited node's name, looked
	                                 * up once: the checks dispatch on it */
	const struct hconf_node *dn_node; /* the node c->dn is of */
	struct rules_modctx mc;         /* rules_check_module()'s, of mc_node */
	const struct hconf_node *mc_node;
	struct strset re_ok;            /* regexes that compiled, their
	                                 * options the tag */
	struct strset values_ok;        /* lines rules_value_refusal()
	                                 * passed, as written: value_line() */
	int resolve_gave_up;            /* a Listen name timed out */
};

/* engine.c: findings */
#define RULE_INFO(code) (&rules_catalogue(&(size_t){0})[rules_np() + (code)])
size_t rules_np(void);
void rules_add_finding(struct rules_walk *, const struct rules_info *,
    uint32_t file_id, uint32_t off, uint32_t line, const char *httpd,
    const struct hconf_node *, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
void rules_at_node(struct rules_walk *, enum rule_code,
    const struct hconf_node *, const char *httpd, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void rules_at_arg(struct rules_walk *, enum rule_code,
    const struct hconf_node *, uint32_t i, const char *httpd,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int rules_unquoted_hash_arg(const struct hconf_node *, uint32_t from);

/* The innermost enclosing section that is not a conditional. */
static inline const struct hconf_node *
rules_enclosing_section(const struct rules_walk *c)
{
	return c->nsecs ? c->secs[c->nsecs - 1] : NULL;
}

/* Its SEC_* kind (0 at the server level). */
static inline unsigned
rules_enclosing_kind(const struct rules_walk *c)
{
	return c->nsecs ? c->secbits[c->nsecs - 1] : 0;
}

/* engine_mpm.c: the MPM, its directives, the model's findings */
void rules_detect_mpm(struct rules_walk *);
void rules_check_mpm_directive(struct rules_walk *, const struct hconf_node *,
    enum rules_mpm_key);
void rules_run_model(struct rules_walk *);
void rules_global_checks(struct rules_walk *);

/* engine_regex.c */
void rules_check_regex(struct rules_walk *, const struct hconf_node *);
void rules_re_known_free(struct rules_walk *);

/* engine_generic.c: httpd's generic checks, <IfModule>, module handlers */
unsigned rules_section_kind(const char *word);
unsigned rules_section_kind_dn(unsigned dn);
int rules_in_section(const struct rules_walk *, unsigned kinds);
void rules_check_ifmodule(struct rules_walk *, const struct hconf_node *);
void rules_check_section_context(struct rules_walk *,
    const struct hconf_node *);
int rules_check_generic(struct rules_walk *, const struct hconf_node *);
int rules_check_module(struct rules_walk *, const struct hconf_node *,
    int phase);

/* engine_read.c: core's read-time refusals */
void rules_check_listen(struct rules_walk *, const struct hconf_node *);
void rules_check_error_directive(struct rules_walk *,
    const struct hconf_node *);
void rules_check_if_section(struct rules_walk *, const struct hconf_node *);
void rules_check_setenvifexpr(struct rules_walk *, const struct hconf_node *);

#endif
